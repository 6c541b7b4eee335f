/* The transport's retry policy (src/core/retry.c), one table row per rule of
 * DESIGN.md "Retries": no server, no clock, the jitter's random bits given. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <curl/curl.h>

#include "core/core.h"
#include "core/retry.h"

#define BASE_MS 200
#define MAX_MS 10000
#define NO_RA (-1L)   /* no Retry-After header */

typedef struct row {
    const char *what;
    int max_retries;
    bool idempotent, authenticated, token_refreshed;
    int retries_done;
    skit_outcome outcome;
    long status;
    long retry_after_ms;
    uint64_t random;
    skit_next next;       /* expected */
    long delay_ms;        /* expected, with SKIT_NEXT_RETRY */
    int code;             /* expected, with SKIT_NEXT_FAIL */
} row;

/* Methods as the transport marks them: GET, PUT, DELETE and token grants are
 * idempotent; POST and PATCH are not. API calls carry the token. */
#define GET true, true
#define POST false, true
#define TOKEN_GRANT true, false
#define ANSWER(s, ra) SKIT_OUTCOME_ANSWER, (s), (ra)
#define FAILED(o) SKIT_OUTCOME_##o, 0, NO_RA
#define DONE SKIT_NEXT_DONE, 0, 0
#define REFRESH SKIT_NEXT_REFRESH_TOKEN, 0, 0
#define RETRY(ms) SKIT_NEXT_RETRY, (ms), 0
#define FAIL(c) SKIT_NEXT_FAIL, 0, SCALEKIT_##c

static const row rows[] = {
    /* success */
    {"GET 200 is done", 2, GET, false, 0, ANSWER(200, NO_RA), 0, DONE},
    {"POST 201 is done", 2, POST, false, 0, ANSWER(201, NO_RA), 0, DONE},
    {"DELETE 204 on the last retry is done", 2, GET, false, 2, ANSWER(204, NO_RA), 0, DONE},
    {"a 2xx with Retry-After is still done", 2, GET, false, 0, ANSWER(200, 5000), 0, DONE},

    /* network failures */
    {"dropped GET is retried", 2, GET, false, 0, FAILED(NETWORK), 150, RETRY(150)},
    {"dropped POST is not retried", 2, POST, false, 0, FAILED(NETWORK), 150, FAIL(ENETWORK)},
    {"dropped PATCH is not retried", 5, POST, false, 0, FAILED(NETWORK), 1, FAIL(ENETWORK)},
    {"refused GET is retried", 2, GET, false, 0, FAILED(NOT_SENT), 7, RETRY(7)},
    {"refused POST is retried: it never arrived", 2, POST, false, 1, FAILED(NOT_SENT), 7, RETRY(7)},
    {"refused POST, budget spent", 2, POST, false, 2, FAILED(NOT_SENT), 7, FAIL(ENETWORK)},
    {"timed-out GET is retried", 2, GET, false, 0, FAILED(TIMEOUT), 3, RETRY(3)},
    {"timed-out POST is not retried", 2, POST, false, 0, FAILED(TIMEOUT), 3, FAIL(ETIMEOUT)},
    {"timed-out GET, budget spent", 2, GET, false, 2, FAILED(TIMEOUT), 3, FAIL(ETIMEOUT)},
    {"dropped GET, budget spent", 2, GET, false, 2, FAILED(NETWORK), 3, FAIL(ENETWORK)},
    {"TLS failure is never retried", 2, GET, false, 0, FAILED(FATAL), 3, FAIL(ENETWORK)},
    {"an oversized body is never retried", 2, GET, false, 0, FAILED(TOO_LARGE), 3,
     FAIL(EMALFORMED_RESPONSE)},
    {"a failure without an answer ignores a stale Retry-After", 2, GET, false, 0,
     SKIT_OUTCOME_NETWORK, 0, 5000, 42, RETRY(42)},

    /* 429 and 503: declined, so any method goes again */
    {"POST 429 without Retry-After backs off", 2, POST, false, 0, ANSWER(429, NO_RA), 99,
     RETRY(99)},
    {"POST 429 honours Retry-After", 2, POST, false, 0, ANSWER(429, 3000), 99, RETRY(3000)},
    {"GET 429 Retry-After capped at retry_max_delay_ms", 2, GET, false, 0, ANSWER(429, 60000),
     99, RETRY(MAX_MS)},
    {"Retry-After: 0 retries at once", 2, GET, false, 0, ANSWER(429, 0), 99, RETRY(0)},
    {"Retry-After equal to the cap", 2, GET, false, 0, ANSWER(429, MAX_MS), 99, RETRY(MAX_MS)},
    {"GET 429, budget spent", 2, GET, false, 2, ANSWER(429, 1000), 99, FAIL(ERATE_LIMITED)},
    {"POST 503 is retried", 2, POST, false, 0, ANSWER(503, NO_RA), 10, RETRY(10)},
    {"PATCH 503 honours Retry-After", 2, POST, false, 1, ANSWER(503, 1000), 10, RETRY(1000)},
    {"GET 503, budget spent", 2, GET, false, 2, ANSWER(503, NO_RA), 10, FAIL(ESERVER)},

    /* 502 and 504: idempotent methods only */
    {"GET 502 is retried", 2, GET, false, 0, ANSWER(502, NO_RA), 11, RETRY(11)},
    {"DELETE 504 is retried", 2, GET, false, 1, ANSWER(504, NO_RA), 11, RETRY(11)},
    {"GET 502 honours Retry-After", 2, GET, false, 0, ANSWER(502, 2500), 11, RETRY(2500)},
    {"POST 502 is not retried", 2, POST, false, 0, ANSWER(502, NO_RA), 11, FAIL(ESERVER)},
    {"POST 504 is not retried", 2, POST, false, 0, ANSWER(504, 100), 11, FAIL(ESERVER)},
    {"token grant 502 is retried", 2, TOKEN_GRANT, false, 0, ANSWER(502, NO_RA), 11, RETRY(11)},

    /* answers that are never retried */
    {"GET 500 is not retried", 2, GET, false, 0, ANSWER(500, NO_RA), 1, FAIL(ESERVER)},
    {"GET 501 is not retried", 2, GET, false, 0, ANSWER(501, 1000), 1, FAIL(ESERVER)},
    {"400 is an invalid request", 2, POST, false, 0, ANSWER(400, NO_RA), 1, FAIL(EINVALID_REQUEST)},
    {"403 is permission denied", 2, GET, false, 0, ANSWER(403, NO_RA), 1, FAIL(EPERMISSION)},
    {"404 is not found", 2, GET, false, 0, ANSWER(404, NO_RA), 1, FAIL(ENOTFOUND)},
    {"409 already exists", 2, POST, false, 0, ANSWER(409, NO_RA), 1, FAIL(EEXISTS)},
    {"a 3xx is not followed", 2, GET, false, 0, ANSWER(302, NO_RA), 1, FAIL(EHTTP)},

    /* 401: one token refresh, never two */
    {"GET 401 refreshes the token", 2, GET, false, 0, ANSWER(401, NO_RA), 1, REFRESH},
    {"POST 401 refreshes the token: it was refused", 2, POST, false, 0, ANSWER(401, NO_RA), 1,
     REFRESH},
    {"401 after the refresh fails", 2, GET, true, 0, ANSWER(401, NO_RA), 1,
     FAIL(EUNAUTHENTICATED)},
    {"401 refreshes even with the retry budget spent", 2, GET, false, 2, ANSWER(401, NO_RA), 1,
     REFRESH},
    {"401 refreshes even with retries disabled", -1, GET, false, 0, ANSWER(401, NO_RA), 1, REFRESH},
    {"401 of the token endpoint itself fails", 2, TOKEN_GRANT, false, 0, ANSWER(401, NO_RA), 1,
     FAIL(EUNAUTHENTICATED)},

    /* max_retries -1 (and 0): the first failure is the answer */
    {"max_retries -1: dropped GET fails", -1, GET, false, 0, FAILED(NETWORK), 1, FAIL(ENETWORK)},
    {"max_retries -1: refused POST fails", -1, POST, false, 0, FAILED(NOT_SENT), 1, FAIL(ENETWORK)},
    {"max_retries -1: 503 fails", -1, GET, false, 0, ANSWER(503, 1000), 1, FAIL(ESERVER)},
    {"max_retries -1: 429 fails", -1, POST, false, 0, ANSWER(429, NO_RA), 1, FAIL(ERATE_LIMITED)},
    {"max_retries -1: timeout fails", -1, GET, false, 0, FAILED(TIMEOUT), 1, FAIL(ETIMEOUT)},
    {"max_retries 0: 502 fails", 0, GET, false, 0, ANSWER(502, NO_RA), 1, FAIL(ESERVER)},
    {"max_retries 5: fifth retry allowed", 5, GET, false, 4, FAILED(NETWORK), 1, RETRY(1)},
    {"max_retries 5: sixth retry refused", 5, GET, false, 5, FAILED(NETWORK), 1, FAIL(ENETWORK)},

    /* full jitter: uniform in [0, min(max, base * 2^retry)] from the random bits */
    {"first backoff: random 0 is the lower bound", 2, GET, false, 0, FAILED(NETWORK), 0, RETRY(0)},
    {"first backoff: random == cap is the upper bound", 2, GET, false, 0, FAILED(NETWORK), BASE_MS,
     RETRY(BASE_MS)},
    {"first backoff: random == cap + 1 wraps to 0", 2, GET, false, 0, FAILED(NETWORK), BASE_MS + 1,
     RETRY(0)},
    {"second backoff doubles the cap", 3, GET, false, 1, FAILED(NETWORK), 2 * BASE_MS,
     RETRY(2 * BASE_MS)},
    {"second backoff: cap + 1 wraps", 3, GET, false, 1, FAILED(NETWORK), 2 * BASE_MS + 1, RETRY(0)},
    {"late backoff is capped at retry_max_delay_ms", 20, GET, false, 10, FAILED(NETWORK), MAX_MS,
     RETRY(MAX_MS)},
    {"late backoff: max + 1 wraps", 20, GET, false, 10, FAILED(NETWORK), MAX_MS + 1, RETRY(0)},
    {"late backoff: random bits reduced modulo cap + 1", 20, GET, false, 10, FAILED(NETWORK),
     12345, RETRY(12345 % (MAX_MS + 1))},
    {"all-ones random (no RNG) stays within bounds", 2, GET, false, 0, FAILED(NETWORK), UINT64_MAX,
     RETRY((long)(UINT64_MAX % (BASE_MS + 1)))},
};

static void test_every_row(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const row *t = &rows[i];
        skit_retry_policy p = {t->max_retries, BASE_MS, MAX_MS};
        skit_attempt_result r = {
            .idempotent = t->idempotent, .authenticated = t->authenticated,
            .token_refreshed = t->token_refreshed, .retries_done = t->retries_done,
            .outcome = t->outcome, .status = t->status, .retry_after_ms = t->retry_after_ms,
            .random = t->random,
        };
        skit_decision d = skit_retry_decide(&p, &r);
        long want_delay = t->next == SKIT_NEXT_RETRY ? t->delay_ms : 0;
        int want_code = t->next == SKIT_NEXT_FAIL ? t->code : 0;
        if (d.next != t->next || d.delay_ms != want_delay || d.code != want_code) {
            print_error("row %zu \"%s\": got next=%d delay=%ld code=%d, want next=%d delay=%ld "
                        "code=%d\n", i, t->what, (int)d.next, d.delay_ms, d.code, (int)t->next,
                        want_delay, want_code);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

/* The cap doubles from the base and stops at the maximum; no overflow near LONG_MAX. */
static void test_backoff_cap(void **state)
{
    (void)state;
    skit_retry_policy p = {2, BASE_MS, MAX_MS};
    static const long caps[] = {200, 400, 800, 1600, 3200, 6400, 10000, 10000};
    for (int retry = 0; retry < (int)(sizeof caps / sizeof caps[0]); retry++)
        assert_int_equal(skit_backoff_cap_ms(&p, retry), caps[retry]);
    assert_int_equal(skit_backoff_cap_ms(&p, INT_MAX), MAX_MS);

    skit_retry_policy huge = {2, LONG_MAX / 2 + 1, LONG_MAX};
    assert_int_equal(skit_backoff_cap_ms(&huge, 0), LONG_MAX / 2 + 1);
    assert_int_equal(skit_backoff_cap_ms(&huge, 1), LONG_MAX);
    assert_int_equal(skit_backoff_cap_ms(&huge, 60), LONG_MAX);

    skit_retry_policy base_above_max = {2, 5000, 1000};
    assert_int_equal(skit_backoff_cap_ms(&base_above_max, 0), 1000);
}

/* Whatever the random bits, a backoff delay lies in [0, cap]. */
static void test_jitter_bounds(void **state)
{
    (void)state;
    skit_retry_policy p = {100, BASE_MS, MAX_MS};
    uint64_t x = 0x9e3779b97f4a7c15u;
    for (int retry = 0; retry < 12; retry++) {
        long cap = skit_backoff_cap_ms(&p, retry);
        bool saw_low = false, saw_high = false;
        for (int i = 0; i < 2000; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            skit_attempt_result r = {.idempotent = true, .retries_done = retry,
                                     .outcome = SKIT_OUTCOME_NETWORK, .retry_after_ms = -1,
                                     .random = x};
            skit_decision d = skit_retry_decide(&p, &r);
            assert_int_equal(d.next, SKIT_NEXT_RETRY);
            assert_true(d.delay_ms >= 0 && d.delay_ms <= cap);
            saw_low |= d.delay_ms < cap / 4;
            saw_high |= d.delay_ms > cap - cap / 4;
        }
        assert_true(saw_low && saw_high);   /* spread over the whole range, not clustered */
    }
}

static void test_curl_results_classified(void **state)
{
    (void)state;
    static const struct { int code; skit_outcome want; } cases[] = {
        {CURLE_OK, SKIT_OUTCOME_ANSWER},
        {CURLE_COULDNT_CONNECT, SKIT_OUTCOME_NOT_SENT},
        {CURLE_COULDNT_RESOLVE_HOST, SKIT_OUTCOME_NOT_SENT},
        {CURLE_COULDNT_RESOLVE_PROXY, SKIT_OUTCOME_NOT_SENT},
        {CURLE_OPERATION_TIMEDOUT, SKIT_OUTCOME_TIMEOUT},
        {CURLE_SEND_ERROR, SKIT_OUTCOME_NETWORK},
        {CURLE_RECV_ERROR, SKIT_OUTCOME_NETWORK},
        {CURLE_GOT_NOTHING, SKIT_OUTCOME_NETWORK},
        {CURLE_PARTIAL_FILE, SKIT_OUTCOME_NETWORK},
        {CURLE_HTTP2, SKIT_OUTCOME_NETWORK},
        {CURLE_HTTP2_STREAM, SKIT_OUTCOME_NETWORK},
        {CURLE_PEER_FAILED_VERIFICATION, SKIT_OUTCOME_FATAL},
        {CURLE_SSL_CONNECT_ERROR, SKIT_OUTCOME_FATAL},
        {CURLE_URL_MALFORMAT, SKIT_OUTCOME_FATAL},
        {CURLE_WRITE_ERROR, SKIT_OUTCOME_FATAL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (skit_outcome_of_curl(cases[i].code) != cases[i].want)
            fail_msg("curl code %d (%s): outcome %d, want %d", cases[i].code,
                     curl_easy_strerror((CURLcode)cases[i].code),
                     (int)skit_outcome_of_curl(cases[i].code), (int)cases[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_row),
        cmocka_unit_test(test_backoff_cap),
        cmocka_unit_test(test_jitter_bounds),
        cmocka_unit_test(test_curl_results_classified),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
