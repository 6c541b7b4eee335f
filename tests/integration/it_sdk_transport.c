/*
 * The SDK's transport against the emulator's fault injection (/_emulator/faults):
 * retries of 503 and dropped connections on idempotent calls, Retry-After of a
 * 429 honoured, no retry of a POST's 500 (its error body decoded), the total
 * timeout, malformed JSON, and max_retries = -1 handing out the first failure.
 * Whether a fault was consumed is read from the emulator's fault list, so each
 * test knows how many attempts the SDK made.
 * Against an external environment (emu_fixture_start_env) every fault test
 * skips; what remains is the transport's plain path with the same client options.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"
#include "emu_fixture.h"
#include "emu_testhttp.h"
#include "environment.h"

typedef struct fixture {
    emu_fixture *f;
    char user_path[128];     /* GET /api/v1/users/{id} of a signed-in user */
} fixture;

static int setup(void **state)
{
    fixture *x = calloc(1, sizeof *x);
    x->f = emu_fixture_start_env(NULL, NULL);
    *state = x;
    if (emu_fixture_is_external(x->f))
        return 0;   /* no hosted login there, and every test using user_path skips */
    scalekit_authentication_response *a = emu_fixture_sign_in(x->f, "transport@example.com");
    snprintf(x->user_path, sizeof x->user_path, "/api/v1/users/%s", a->user->id);
    scalekit_authentication_response_free(a);
    return 0;
}

static int teardown(void **state)
{
    fixture *x = *state;
    emu_fixture_stop(x->f);
    free(x);
    return 0;
}

static int clear(void **state)
{
    fixture *x = *state;
    if (!emu_fixture_is_external(x->f))
        emu_fixture_clear_faults(x->f);
    return 0;
}

/* Faults not consumed yet. */
static size_t faults_left(const fixture *x)
{
    emu_faults *fs = &x->f->emu->faults;
    pthread_mutex_lock(&fs->lock);
    size_t n = 0;
    for (size_t i = 0; i < fs->count; i++)
        n += (size_t)fs->items[i].count;
    pthread_mutex_unlock(&fs->lock);
    return n;
}

/* A client with quick backoff and @p max_retries whose API token is already cached,
 * so the faults below only meet the call under test. */
static scalekit_client *quick_client(const fixture *x, int max_retries, long timeout_ms)
{
    scalekit_client_options o = { .struct_size = sizeof(scalekit_client_options), .max_retries = max_retries, .retry_base_delay_ms = 10,
                                 .retry_max_delay_ms = 5000, .timeout_ms = timeout_ms};
    scalekit_client *c = emu_fixture_client(x->f, &o);
    int rc = skit_api_call(c, "GET", x->user_path, NULL, NULL, NULL);
    if (rc != SCALEKIT_OK)
        fail_msg("warm-up GET %s: %s: %s", x->user_path, scalekit_strerror(rc), scalekit_error_last()->message);
    return c;
}

static void add_fault(const fixture *x, const char *method, const char *path, const char *rest)
{
    char json[512];
    snprintf(json, sizeof json, "{\"path\":\"%s\",\"method\":\"%s\",%s}", path, method, rest);
    emu_fixture_fault(x->f, json);
}

static void test_503_twice_then_success_is_retried(void **state)
{
    fixture *x = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(x->f, "/_emulator/faults");
    scalekit_client *c = quick_client(x, 2, 0);
    add_fault(x, "GET", x->user_path, "\"status\":503,\"count\":2");
    json_t *out = NULL;
    assert_int_equal(skit_api_call(c, "GET", x->user_path, NULL, NULL, &out), SCALEKIT_OK);
    assert_non_null(json_object_get(out, "user"));
    json_decref(out);
    assert_int_equal(faults_left(x), 0);

    /* Three in a row exhaust two retries: the last 503 is the error. */
    add_fault(x, "GET", x->user_path, "\"status\":503,\"count\":4");
    assert_int_equal(skit_api_call(c, "GET", x->user_path, NULL, NULL, NULL), SCALEKIT_ESERVER);
    assert_int_equal(scalekit_error_last()->http_status, 503);
    assert_int_equal(faults_left(x), 1);
    scalekit_client_free(c);
}

static void test_429_retry_after_is_honoured(void **state)
{
    fixture *x = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(x->f, "/_emulator/faults");
    scalekit_client *c = quick_client(x, 2, 0);
    add_fault(x, "GET", x->user_path, "\"status\":429,\"retry_after\":1");
    int64_t start = skit_monotonic_ms();
    assert_int_equal(skit_api_call(c, "GET", x->user_path, NULL, NULL, NULL), SCALEKIT_OK);
    int64_t elapsed = skit_monotonic_ms() - start;
    assert_true(elapsed >= 950);
    assert_true(elapsed < 5000);
    assert_int_equal(faults_left(x), 0);
    scalekit_client_free(c);

    /* Without retries the 429 is the answer. */
    c = quick_client(x, -1, 0);
    add_fault(x, "GET", x->user_path, "\"status\":429,\"retry_after\":1");
    assert_int_equal(skit_api_call(c, "GET", x->user_path, NULL, NULL, NULL), SCALEKIT_ERATE_LIMITED);
    assert_int_equal(scalekit_error_last()->http_status, 429);
    assert_string_equal(scalekit_error_last()->error_code, "RESOURCE_EXHAUSTED");
    scalekit_client_free(c);
}

static void test_500_on_post_is_not_retried(void **state)
{
    fixture *x = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(x->f, "/_emulator/faults");
    scalekit_client *c = quick_client(x, 2, 0);
    add_fault(x, "POST", "/api/v1/organizations", "\"status\":500,\"count\":2");
    json_t *body = json_pack("{s:s}", "display_name", "Acme");
    assert_int_equal(skit_api_call(c, "POST", "/api/v1/organizations", NULL, body, NULL), SCALEKIT_ESERVER);
    const scalekit_error *e = scalekit_error_last();
    assert_int_equal(e->http_status, 500);
    assert_non_null(e->message);
    assert_non_null(strstr(e->message, "injected fault: status 500"));
    assert_non_null(e->error_code);
    assert_string_equal(e->error_code, "INJECTED_FAULT");
    assert_non_null(e->request_id);
    assert_int_equal(faults_left(x), 1);   /* one attempt only */
    json_decref(body);
    scalekit_client_free(c);
}

/*
 * libcurl itself reconnects once, silently, when a reused keep-alive connection
 * dies before any answer (it cannot tell that from a stale connection), so a
 * drop on a warm client can cost two faults per SDK attempt.
 */
static void test_dropped_connection_on_get_is_retried(void **state)
{
    fixture *x = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(x->f, "/_emulator/faults");
    scalekit_client *c = quick_client(x, 2, 0);
    add_fault(x, "GET", x->user_path, "\"drop\":true,\"count\":3");
    assert_int_equal(skit_api_call(c, "GET", x->user_path, NULL, NULL, NULL), SCALEKIT_OK);
    assert_int_equal(faults_left(x), 0);
    scalekit_client_free(c);

    c = quick_client(x, -1, 0);
    add_fault(x, "GET", x->user_path, "\"drop\":true,\"count\":3");
    assert_int_equal(skit_api_call(c, "GET", x->user_path, NULL, NULL, NULL), SCALEKIT_ENETWORK);
    assert_int_equal(scalekit_error_last()->http_status, 0);
    assert_non_null(scalekit_error_last()->message);
    assert_true(faults_left(x) >= 1);   /* one SDK attempt (maybe two connects) */
    scalekit_client_free(c);
}

/* A non-idempotent call is never sent twice: not by our retries, and not by
 * libcurl's own resend on a reused connection, so a warm client matters here. */
static void test_dropped_post_is_sent_once(void **state)
{
    fixture *x = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(x->f, "/_emulator/faults");
    scalekit_client *c = quick_client(x, 2, 0);
    assert_int_equal(skit_api_call(c, "GET", x->user_path, NULL, NULL, NULL), SCALEKIT_OK);
    add_fault(x, "POST", "/api/v1/organizations", "\"drop\":true,\"count\":1");
    json_t *body = json_pack("{s:s}", "display_name", "sent once");
    assert_int_equal(skit_api_call(c, "POST", "/api/v1/organizations", NULL, body, NULL),
                     SCALEKIT_ENETWORK);
    json_decref(body);
    assert_int_equal(faults_left(x), 0);
    json_t *page = NULL;
    assert_int_equal(skit_api_call(c, "GET", "/api/v1/organizations", NULL, NULL, &page),
                     SCALEKIT_OK);
    json_t *orgs = json_object_get(page, "organizations");
    for (size_t i = 0; i < json_array_size(orgs); i++)
        assert_string_not_equal(json_string_value(json_object_get(json_array_get(orgs, i),
                                                                  "display_name")),
                                "sent once");
    json_decref(page);
    scalekit_client_free(c);
}

static void test_delay_beyond_timeout_times_out(void **state)
{
    fixture *x = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(x->f, "/_emulator/faults");
    scalekit_client *c = quick_client(x, -1, 300);
    add_fault(x, "GET", x->user_path, "\"delay_ms\":1500");
    int64_t start = skit_monotonic_ms();
    assert_int_equal(skit_api_call(c, "GET", x->user_path, NULL, NULL, NULL), SCALEKIT_ETIMEOUT);
    int64_t elapsed = skit_monotonic_ms() - start;
    assert_true(elapsed >= 250);
    assert_true(elapsed < 1400);
    assert_int_equal(scalekit_error_last()->code, SCALEKIT_ETIMEOUT);
    /* A delay inside the timeout is only slow. */
    skit_sleep_ms(1300);   /* let the emulator finish the abandoned request */
    add_fault(x, "GET", x->user_path, "\"delay_ms\":100");
    assert_int_equal(skit_api_call(c, "GET", x->user_path, NULL, NULL, NULL), SCALEKIT_OK);
    scalekit_client_free(c);
}

static void test_malformed_json_is_reported(void **state)
{
    fixture *x = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(x->f, "/_emulator/faults");
    scalekit_client *c = quick_client(x, 2, 0);
    add_fault(x, "GET", x->user_path, "\"malformed\":true");
    json_t *out = (json_t *)1;
    assert_int_equal(skit_api_call(c, "GET", x->user_path, NULL, NULL, &out), SCALEKIT_EMALFORMED_RESPONSE);
    assert_non_null(scalekit_error_last()->message);
    assert_int_equal(faults_left(x), 0);
    /* The next answer is good again. */
    out = NULL;
    assert_int_equal(skit_api_call(c, "GET", x->user_path, NULL, NULL, &out), SCALEKIT_OK);
    json_decref(out);
    scalekit_client_free(c);
}

static void test_no_retries_gives_the_first_failure(void **state)
{
    fixture *x = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(x->f, "/_emulator/faults");
    scalekit_client *c = quick_client(x, -1, 0);
    add_fault(x, "GET", x->user_path, "\"status\":503,\"count\":2");
    assert_int_equal(skit_api_call(c, "GET", x->user_path, NULL, NULL, NULL), SCALEKIT_ESERVER);
    assert_int_equal(scalekit_error_last()->http_status, 503);
    assert_int_equal(faults_left(x), 1);
    scalekit_client_free(c);
}

static void test_jwks_and_token_endpoint_survive_faults(void **state)
{
    fixture *x = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(x->f, "/_emulator/faults");
    scalekit_client_options o = { .struct_size = sizeof(scalekit_client_options), .retry_base_delay_ms = 10};
    scalekit_client *c = emu_fixture_client(x->f, &o);
    scalekit_token_response *t = NULL;
    assert_int_equal(scalekit_generate_client_token(c, NULL, &t), SCALEKIT_OK);
    /* The JWKS fetch is a GET: a 503 and a drop are retried. */
    add_fault(x, "GET", "/keys", "\"status\":503");
    add_fault(x, "GET", "/keys", "\"drop\":true");
    assert_int_equal(scalekit_validate_access_token(c, t->access_token), SCALEKIT_OK);
    assert_int_equal(faults_left(x), 0);
    scalekit_token_response_free(t);
    scalekit_client_free(c);

    /* A token endpoint answering garbage. */
    c = emu_fixture_client(x->f, &o);
    add_fault(x, "POST", "/oauth/token", "\"malformed\":true");
    t = (scalekit_token_response *)1;
    assert_int_equal(scalekit_generate_client_token(c, NULL, &t), SCALEKIT_EMALFORMED_RESPONSE);
    assert_null(t);
    /* A JWKS that cannot be fetched at all, on a client that has none cached. */
    add_fault(x, "GET", "/keys", "\"status\":500,\"count\":5");
    char *tok = emu_test_client_token(x->f->emu);
    assert_non_null(tok);
    assert_int_equal(scalekit_validate_access_token(c, tok), SCALEKIT_ESERVER);
    free(tok);
    scalekit_client_free(c);
}

/* The options the fault tests use, on a healthy answer: a client with quick backoff,
 * no retries, or a total timeout gets its API token and a page of organizations. */
static void test_client_options_on_a_healthy_environment(void **state)
{
    fixture *x = *state;
    const scalekit_client_options variants[] = {
        {.struct_size = sizeof(scalekit_client_options), .max_retries = 2,
         .retry_base_delay_ms = 10, .retry_max_delay_ms = 5000},
        {.struct_size = sizeof(scalekit_client_options), .max_retries = -1},
        {.struct_size = sizeof(scalekit_client_options), .timeout_ms = 10000},
    };
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
        scalekit_client *c = emu_fixture_client(x->f, &variants[i]);
        json_t *out = NULL;
        int rc = skit_api_call(c, "GET", "/api/v1/organizations", "page_size=1", NULL, &out);
        if (rc != SCALEKIT_OK)
            fail_msg("client options #%zu: %s: %s", i, scalekit_strerror(rc), scalekit_error_last()->message);
        assert_true(json_is_array(json_object_get(out, "organizations")));
        json_decref(out);
        scalekit_client_free(c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_503_twice_then_success_is_retried, clear),
        cmocka_unit_test_teardown(test_429_retry_after_is_honoured, clear),
        cmocka_unit_test_teardown(test_500_on_post_is_not_retried, clear),
        cmocka_unit_test_teardown(test_dropped_connection_on_get_is_retried, clear),
        cmocka_unit_test_teardown(test_dropped_post_is_sent_once, clear),
        cmocka_unit_test_teardown(test_delay_beyond_timeout_times_out, clear),
        cmocka_unit_test_teardown(test_malformed_json_is_reported, clear),
        cmocka_unit_test_teardown(test_no_retries_gives_the_first_failure, clear),
        cmocka_unit_test_teardown(test_jwks_and_token_endpoint_survive_faults, clear),
        cmocka_unit_test(test_client_options_on_a_healthy_environment),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
