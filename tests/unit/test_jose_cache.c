/* The JWKS cache against a mock server (GET /keys): TTL, refetch on an unknown
 * kid with a cooldown, stale set kept on failure, single flight, generations,
 * and the verified-token cache bound to the generation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "core/core.h"
#include "jose_testkit.h"
#include "mock_http.h"

typedef struct fixture {
    skit_signing_key *a, *b, *c;
    char *jwks_a, *jwks_ab, *jwks_b;
    mock_http *mock;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->a = jt_key("RS256", "ka");
    f->b = jt_key("ES256", "kb");
    f->c = jt_key("RS256", "kc");
    skit_signing_key *a[] = {f->a, NULL}, *ab[] = {f->a, f->b, NULL}, *b[] = {f->b, NULL};
    f->jwks_a = jt_jwks_json(a);
    f->jwks_ab = jt_jwks_json(ab);
    f->jwks_b = jt_jwks_json(b);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    skit_signing_key_free(f->a);
    skit_signing_key_free(f->b);
    skit_signing_key_free(f->c);
    free(f->jwks_a);
    free(f->jwks_ab);
    free(f->jwks_b);
    free(f);
    return 0;
}

static int before(void **state)
{
    fixture *f = *state;
    f->mock = mock_http_start();
    return 0;
}

static int after(void **state)
{
    fixture *f = *state;
    mock_http_stop(f->mock);
    f->mock = NULL;
    return 0;
}

static void serve(fixture *f, int status, const char *body, long delay_ms)
{
    mock_response r = {.status = status, .body = body, .delay_ms = delay_ms};
    mock_http_set_default(f->mock, "/keys", &r);
}

static scalekit_client *client(fixture *f, long ttl_s, long cooldown_ms)
{
    scalekit_client_options o = { .struct_size = sizeof(scalekit_client_options), .jwks_ttl_seconds = ttl_s,
                                 .jwks_min_refetch_interval_ms = cooldown_ms,
                                 .max_retries = -1};
    return jt_client(mock_http_url(f->mock), &o);
}

static int check(scalekit_client *c, const skit_signing_key *k)
{
    char *t = jt_token(k, NULL);
    int rc = scalekit_validate_access_token(c, t);
    free(t);
    return rc;
}

static void test_fetch_once_then_cached(void **state)
{
    fixture *f = *state;
    serve(f, 200, f->jwks_a, 0);
    scalekit_client *c = client(f, 3600, 30000);
    assert_int_equal(skit_jose_jwks_generation(c), 0);
    assert_int_equal(check(c, f->a), SCALEKIT_OK);
    assert_int_equal(check(c, f->a), SCALEKIT_OK);
    assert_int_equal(mock_http_count(f->mock, "/keys"), 1);
    assert_int_equal(skit_jose_jwks_generation(c), 1);
    const mock_request *r = mock_http_request_for(f->mock, "/keys", 0);
    assert_string_equal(r->method, "GET");
    assert_null(mock_request_header(r, "authorization"));   /* the JWKS is public */
    scalekit_client_free(c);
}

static void test_ttl_expiry_refetches(void **state)
{
    fixture *f = *state;
    serve(f, 200, f->jwks_a, 0);
    scalekit_client *c = client(f, 1, 10);
    assert_int_equal(check(c, f->a), SCALEKIT_OK);
    assert_int_equal(mock_http_count(f->mock, "/keys"), 1);
    skit_sleep_ms(1100);
    assert_int_equal(check(c, f->a), SCALEKIT_OK);
    assert_int_equal(mock_http_count(f->mock, "/keys"), 2);
    /* the same set again: the generation does not move */
    assert_int_equal(skit_jose_jwks_generation(c), 1);
    serve(f, 200, f->jwks_ab, 0);
    skit_sleep_ms(1100);
    assert_int_equal(check(c, f->b), SCALEKIT_OK);
    assert_int_equal(mock_http_count(f->mock, "/keys"), 3);
    assert_int_equal(skit_jose_jwks_generation(c), 2);
    scalekit_client_free(c);
}

static void test_unknown_kid_refetches_rate_limited(void **state)
{
    fixture *f = *state;
    serve(f, 200, f->jwks_a, 0);
    scalekit_client *c = client(f, 3600, 300);
    assert_int_equal(check(c, f->a), SCALEKIT_OK);
    /* rotation: kb appears; within the cooldown of the first fetch it stays unknown */
    serve(f, 200, f->jwks_ab, 0);
    assert_int_equal(check(c, f->b), SCALEKIT_ETOKEN_UNKNOWN_KEY);
    assert_int_equal(mock_http_count(f->mock, "/keys"), 1);
    skit_sleep_ms(350);
    assert_int_equal(check(c, f->b), SCALEKIT_OK);
    assert_int_equal(mock_http_count(f->mock, "/keys"), 2);
    /* another unknown kid right after: no fetch */
    assert_int_equal(check(c, f->c), SCALEKIT_ETOKEN_UNKNOWN_KEY);
    assert_int_equal(mock_http_count(f->mock, "/keys"), 2);
    skit_sleep_ms(350);
    assert_int_equal(check(c, f->c), SCALEKIT_ETOKEN_UNKNOWN_KEY);
    assert_int_equal(mock_http_count(f->mock, "/keys"), 3);
    scalekit_client_free(c);
}

static void test_failed_refetch_keeps_cached_set(void **state)
{
    fixture *f = *state;
    serve(f, 200, f->jwks_a, 0);
    scalekit_client *c = client(f, 1, 10);
    assert_int_equal(check(c, f->a), SCALEKIT_OK);
    serve(f, 503, "{\"error\":\"down\"}", 0);
    skit_sleep_ms(1100);
    assert_int_equal(check(c, f->a), SCALEKIT_OK);          /* TTL over, refetch fails, old set used */
    assert_int_equal(mock_http_count(f->mock, "/keys"), 2);
    assert_int_equal(check(c, f->b), SCALEKIT_ETOKEN_UNKNOWN_KEY);
    serve(f, 200, "{\"keys\":\"garbage\"}", 0);
    skit_sleep_ms(20);
    assert_int_equal(check(c, f->c), SCALEKIT_ETOKEN_UNKNOWN_KEY);   /* a malformed set is not installed */
    char *t = jt_token(f->a, "{\"fresh\":1}");
    assert_int_equal(scalekit_validate_access_token(c, t), SCALEKIT_OK);
    free(t);
    assert_int_equal(skit_jose_jwks_generation(c), 1);
    scalekit_client_free(c);
}

static void test_no_jwks_at_all_is_an_error(void **state)
{
    fixture *f = *state;
    serve(f, 500, "{}", 0);
    scalekit_client *c = client(f, 3600, 30000);
    assert_int_equal(check(c, f->a), SCALEKIT_ESERVER);
    assert_int_equal(scalekit_error_last()->code, SCALEKIT_ESERVER);
    serve(f, 200, "not json", 0);
    assert_int_equal(check(c, f->a), SCALEKIT_EMALFORMED_RESPONSE);
    serve(f, 200, f->jwks_a, 0);
    assert_int_equal(check(c, f->a), SCALEKIT_OK);
    scalekit_client_free(c);
}

typedef struct worker {
    scalekit_client *client;
    const char *token;
    int rc;
} worker;

static void *validate_thread(void *arg)
{
    worker *w = arg;
    w->rc = scalekit_validate_access_token(w->client, w->token);
    return NULL;
}

static void test_single_flight(void **state)
{
    fixture *f = *state;
    serve(f, 200, f->jwks_a, 300);   /* a slow answer: every thread misses at once */
    scalekit_client *c = client(f, 3600, 30000);
    char *tokens[8];
    worker w[8];
    pthread_t th[8];
    for (int i = 0; i < 8; i++) {
        char extra[32];
        snprintf(extra, sizeof extra, "{\"i\":%d}", i);
        tokens[i] = jt_token(f->a, extra);
        w[i] = (worker){c, tokens[i], -100};
        assert_int_equal(pthread_create(&th[i], NULL, validate_thread, &w[i]), 0);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(w[i].rc, SCALEKIT_OK);
        free(tokens[i]);
    }
    assert_int_equal(mock_http_count(f->mock, "/keys"), 1);
    assert_int_equal(skit_jose_fetch_count(c), 1);
    scalekit_client_free(c);
}

static void test_token_cache_bound_to_generation(void **state)
{
    fixture *f = *state;
    serve(f, 200, f->jwks_ab, 0);
    scalekit_client *c = client(f, 1, 10);
    char *ta = jt_token(f->a, NULL);
    assert_int_equal(scalekit_validate_access_token(c, ta), SCALEKIT_OK);
    assert_int_equal(scalekit_validate_access_token(c, ta), SCALEKIT_OK);   /* a hit */
    /* ka is rotated out: the cached verification belongs to the old generation */
    serve(f, 200, f->jwks_b, 0);
    skit_sleep_ms(1100);
    assert_int_equal(check(c, f->b), SCALEKIT_OK);       /* fetches the new set */
    assert_int_equal(skit_jose_jwks_generation(c), 2);
    assert_int_equal(scalekit_validate_access_token(c, ta), SCALEKIT_ETOKEN_UNKNOWN_KEY);
    free(ta);
    scalekit_client_free(c);
}

static void test_token_cache_disabled(void **state)
{
    fixture *f = *state;
    serve(f, 200, f->jwks_a, 0);
    scalekit_client_options o = { .struct_size = sizeof(scalekit_client_options), .verified_token_cache_entries = -1, .max_retries = -1};
    scalekit_client *c = jt_client(mock_http_url(f->mock), &o);
    char *t = jt_token(f->a, NULL);
    for (int i = 0; i < 3; i++)
        assert_int_equal(scalekit_validate_access_token(c, t), SCALEKIT_OK);
    free(t);
    scalekit_client_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fetch_once_then_cached, before, after),
        cmocka_unit_test_setup_teardown(test_ttl_expiry_refetches, before, after),
        cmocka_unit_test_setup_teardown(test_unknown_kid_refetches_rate_limited, before, after),
        cmocka_unit_test_setup_teardown(test_failed_refetch_keeps_cached_set, before, after),
        cmocka_unit_test_setup_teardown(test_no_jwks_at_all_is_an_error, before, after),
        cmocka_unit_test_setup_teardown(test_single_flight, before, after),
        cmocka_unit_test_setup_teardown(test_token_cache_bound_to_generation, before, after),
        cmocka_unit_test_setup_teardown(test_token_cache_disabled, before, after),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
