/* The HTTP transport against mock_http: headers, API token, retries, timeouts, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/client_internal.h"
#include "mock_http.h"

#define API "/api/v1/things"
#define TOKEN "/oauth/token"

typedef struct fixture {
    mock_http *mock;
    scalekit_client *client;
} fixture;

static scalekit_client *make_client(mock_http *m, const scalekit_client_options *extra)
{
    scalekit_client_options o = { .struct_size = sizeof(scalekit_client_options), .retry_base_delay_ms = 1, .retry_max_delay_ms = 5,
                                 .max_retries = 4};
    if (extra)
        o = *extra;
    scalekit_client *c = NULL;
    assert_int_equal(scalekit_client_new_with_options(&c, mock_http_url(m), "id", "s3cr&t", &o),
                     SCALEKIT_OK);
    return c;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->mock = mock_http_start();
    f->client = make_client(f->mock, NULL);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    scalekit_client_free(f->client);
    mock_http_stop(f->mock);
    free(f);
    scalekit_error_clear();
    return 0;
}

static void test_headers_and_token_request(void **state)
{
    fixture *f = *state;
    scalekit_client_free(f->client);
    scalekit_client_options o = { .struct_size = sizeof(scalekit_client_options), .user_agent_suffix = "myapp/1.2"};
    f->client = make_client(f->mock, &o);
    mock_http_enqueue(f->mock, "GET", API, 200, "{\"a\":1}");
    json_t *out = NULL;
    assert_int_equal(skit_api_call(f->client, "GET", API, "page_size=2", NULL, &out),
                     SCALEKIT_OK);
    assert_int_equal(json_integer_value(json_object_get(out, "a")), 1);
    json_decref(out);

    assert_int_equal(mock_http_request_count(f->mock), 2);
    const mock_request *t = mock_http_request(f->mock, 0);
    assert_string_equal(t->method, "POST");
    assert_string_equal(t->path, TOKEN);
    assert_string_equal(t->body, "grant_type=client_credentials&client_id=id"
                                 "&client_secret=s3cr%26t");
    assert_string_equal(mock_request_header(t, "content-type"),
                        "application/x-www-form-urlencoded");
    assert_null(mock_request_header(t, "authorization"));

    const mock_request *r = mock_http_request(f->mock, 1);
    assert_string_equal(r->method, "GET");
    assert_string_equal(r->path, API);
    assert_string_equal(r->query, "page_size=2");
    assert_string_equal(mock_request_header(r, "authorization"), "Bearer mock-token-1");
    assert_string_equal(mock_request_header(r, "x-sdk-version"), "C/" SCALEKIT_VERSION);
    assert_string_equal(mock_request_header(r, "x-api-version"), "20250830");
    assert_string_equal(mock_request_header(r, "accept"), "application/json");
    assert_null(mock_request_header(r, "content-type"));
    const char *ua = mock_request_header(r, "user-agent");
    assert_non_null(ua);
    assert_int_equal(strncmp(ua, "Scalekit-C/" SCALEKIT_VERSION " (", 13 + strlen(SCALEKIT_VERSION)),
                     0);
    assert_non_null(strstr(ua, "; "));
    assert_non_null(strstr(ua, ") myapp/1.2"));
}

static void test_json_body_and_methods(void **state)
{
    fixture *f = *state;
    mock_http_enqueue(f->mock, "PATCH", API, 200, "{}");
    mock_http_enqueue(f->mock, "DELETE", API, 204, NULL);
    json_t *body = json_pack("{s:s}", "display_name", "Acme");
    char *raw = NULL;
    json_t *out = NULL;
    assert_int_equal(skit_api_call_raw(f->client, "PATCH", API, NULL, body, &out, &raw), 0);
    json_decref(body);
    assert_string_equal(raw, "{}");
    free(raw);
    json_decref(out);
    const mock_request *r = mock_http_request_for(f->mock, API, 0);
    assert_string_equal(r->method, "PATCH");
    assert_string_equal(r->body, "{\"display_name\":\"Acme\"}");
    assert_string_equal(mock_request_header(r, "content-type"), "application/json");

    /* an empty 2xx body reads as an empty object */
    assert_int_equal(skit_api_call_raw(f->client, "DELETE", API, NULL, NULL, &out, &raw), 0);
    assert_true(json_is_object(out));
    assert_int_equal(json_object_size(out), 0);
    assert_string_equal(raw, "{}");
    free(raw);
    json_decref(out);
    assert_string_equal(mock_http_request_for(f->mock, API, 1)->method, "DELETE");
}

static void test_malformed_answers(void **state)
{
    fixture *f = *state;
    mock_http_enqueue(f->mock, "GET", API, 200, "[1,2]");
    mock_http_enqueue(f->mock, "GET", API, 200, "not json");
    json_t *out = (json_t *)1;
    assert_int_equal(skit_api_call(f->client, "GET", API, NULL, NULL, &out),
                     SCALEKIT_EMALFORMED_RESPONSE);
    assert_null(out);
    assert_int_equal(skit_api_call(f->client, "GET", API, NULL, NULL, &out),
                     SCALEKIT_EMALFORMED_RESPONSE);
    assert_int_equal(scalekit_error_last()->code, SCALEKIT_EMALFORMED_RESPONSE);

    /* a body over the cap is refused, not buffered */
    size_t big = SKIT_MAX_RESPONSE_BYTES + 10;
    char *huge = malloc(big + 1);
    memset(huge, ' ', big);
    huge[big] = '\0';
    mock_http_enqueue(f->mock, "GET", API, 200, huge);
    free(huge);
    assert_int_equal(skit_api_call(f->client, "GET", API, NULL, NULL, &out),
                     SCALEKIT_EMALFORMED_RESPONSE);
    assert_non_null(strstr(scalekit_error_last()->message, "exceeds"));

    assert_int_equal(skit_api_call(f->client, "TRACE", API, NULL, NULL, &out), SCALEKIT_EINVAL);
    assert_int_equal(skit_api_call(NULL, "GET", API, NULL, NULL, &out), SCALEKIT_EINVAL);
    assert_int_equal(skit_api_call(f->client, "GET", "no-slash", NULL, NULL, &out),
                     SCALEKIT_EINVAL);
}

static void test_token_fetched_once_and_cached(void **state)
{
    fixture *f = *state;
    mock_response ok = {.status = 200, .body = "{}"};
    mock_http_set_default(f->mock, API, &ok);
    for (int i = 0; i < 5; i++)
        assert_int_equal(skit_api_call(f->client, "GET", API, NULL, NULL, NULL), SCALEKIT_OK);
    assert_int_equal(mock_http_count(f->mock, TOKEN), 1);
    assert_int_equal(mock_http_count(f->mock, API), 5);
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(mock_request_header(mock_http_request_for(f->mock, API, i),
                                                "authorization"),
                            "Bearer mock-token-1");
}

static void test_token_renewed_before_expiry(void **state)
{
    fixture *f = *state;
    /* 60 s margin on a 2 s token: renewed at the half-life, so not on every call */
    mock_http_set_token(f->mock, "short", 2, 0);
    mock_response ok = {.status = 200, .body = "{}"};
    mock_http_set_default(f->mock, API, &ok);
    assert_int_equal(skit_api_call(f->client, "GET", API, NULL, NULL, NULL), SCALEKIT_OK);
    assert_int_equal(skit_api_call(f->client, "GET", API, NULL, NULL, NULL), SCALEKIT_OK);
    assert_int_equal(mock_http_count(f->mock, TOKEN), 1);
    skit_sleep_ms(2100);
    assert_int_equal(skit_api_call(f->client, "GET", API, NULL, NULL, NULL), SCALEKIT_OK);
    assert_int_equal(mock_http_count(f->mock, TOKEN), 2);
    assert_string_equal(mock_request_header(mock_http_request_for(f->mock, API, 2),
                                            "authorization"),
                        "Bearer short-2");
}

static void test_401_refreshes_once_and_retries(void **state)
{
    fixture *f = *state;
    mock_http_enqueue(f->mock, "GET", API, 401, "{\"code\":16,\"message\":\"token revoked\"}");
    mock_http_enqueue(f->mock, "GET", API, 200, "{\"ok\":true}");
    json_t *out = NULL;
    assert_int_equal(skit_api_call(f->client, "GET", API, NULL, NULL, &out), SCALEKIT_OK);
    assert_true(json_is_true(json_object_get(out, "ok")));
    json_decref(out);
    assert_int_equal(mock_http_count(f->mock, TOKEN), 2);
    assert_string_equal(mock_request_header(mock_http_request_for(f->mock, API, 0),
                                            "authorization"), "Bearer mock-token-1");
    assert_string_equal(mock_request_header(mock_http_request_for(f->mock, API, 1),
                                            "authorization"), "Bearer mock-token-2");
    /* the new token is cached */
    mock_http_enqueue(f->mock, "GET", API, 200, "{}");
    assert_int_equal(skit_api_call(f->client, "GET", API, NULL, NULL, NULL), SCALEKIT_OK);
    assert_int_equal(mock_http_count(f->mock, TOKEN), 2);
}

static void test_401_twice_fails(void **state)
{
    fixture *f = *state;
    mock_response denied = {.status = 401, .body = "{\"code\":16,\"message\":\"no access\"}",
                            .headers = "x-request-id: req_401"};
    mock_http_set_default(f->mock, API, &denied);
    assert_int_equal(skit_api_call(f->client, "GET", API, NULL, NULL, NULL),
                     SCALEKIT_EUNAUTHENTICATED);
    const scalekit_error *e = scalekit_error_last();
    assert_int_equal(e->http_status, 401);
    assert_string_equal(e->message, "HTTP 401: no access");
    assert_string_equal(e->request_id, "req_401");
    assert_int_equal(mock_http_count(f->mock, API), 2);
    assert_int_equal(mock_http_count(f->mock, TOKEN), 2);
}

static void test_refused_client_secret(void **state)
{
    fixture *f = *state;
    mock_http_enqueue(f->mock, "POST", TOKEN, 401,
                      "{\"error\":\"invalid_client\",\"error_description\":\"bad secret\"}");
    mock_http_enqueue(f->mock, "POST", TOKEN, 400, "{\"error\":\"invalid_request\"}");
    assert_int_equal(skit_api_call(f->client, "GET", API, NULL, NULL, NULL),
                     SCALEKIT_EUNAUTHENTICATED);
    const scalekit_error *e = scalekit_error_last();
    assert_string_equal(e->error_code, "invalid_client");
    assert_string_equal(e->message, "HTTP 401: bad secret");
    assert_int_equal(mock_http_count(f->mock, API), 0);
    assert_int_equal(mock_http_count(f->mock, TOKEN), 1);   /* 401 is not retried */
    assert_int_equal(skit_api_call(f->client, "GET", API, NULL, NULL, NULL),
                     SCALEKIT_EUNAUTHENTICATED);
    assert_string_equal(scalekit_error_last()->error_code, "invalid_request");
    /* a token answer without access_token */
    mock_http_enqueue(f->mock, "POST", TOKEN, 200, "{\"token_type\":\"Bearer\"}");
    assert_int_equal(skit_api_call(f->client, "GET", API, NULL, NULL, NULL),
                     SCALEKIT_EMALFORMED_RESPONSE);
    assert_int_equal(mock_http_count(f->mock, API), 0);
}

static void test_get_retries_retryable_statuses(void **state)
{
    fixture *f = *state;
    mock_http_enqueue(f->mock, "GET", API, 503, NULL);
    mock_http_enqueue(f->mock, "GET", API, 502, NULL);
    mock_http_enqueue(f->mock, "GET", API, 504, NULL);
    mock_http_enqueue(f->mock, "GET", API, 429, NULL);
    mock_http_enqueue(f->mock, "GET", API, 200, "{\"done\":1}");
    json_t *out = NULL;
    assert_int_equal(skit_api_call(f->client, "GET", API, NULL, NULL, &out), SCALEKIT_OK);
    assert_int_equal(json_integer_value(json_object_get(out, "done")), 1);
    json_decref(out);
    assert_int_equal(mock_http_count(f->mock, API), 5);
    assert_int_equal(scalekit_error_last()->code, SCALEKIT_OK);
}

static void test_retry_after_honoured_and_capped(void **state)
{
    fixture *f = *state;
    scalekit_client_free(f->client);
    scalekit_client_options o = { .struct_size = sizeof(scalekit_client_options), .retry_base_delay_ms = 1, .retry_max_delay_ms = 300};
    f->client = make_client(f->mock, &o);
    assert_int_equal(skit_api_call(f->client, "GET", "/warm", NULL, NULL, NULL),
                     SCALEKIT_ENOTFOUND);   /* fetch the token outside the measurement */
    mock_response busy = {.status = 429, .headers = "Retry-After: 1"};
    mock_http_enqueue_ex(f->mock, "GET", API, &busy);
    mock_http_enqueue(f->mock, "GET", API, 200, "{}");
    int64_t start = skit_monotonic_ms();
    assert_int_equal(skit_api_call(f->client, "GET", API, NULL, NULL, NULL), SCALEKIT_OK);
    int64_t waited = skit_monotonic_ms() - start;
    assert_true(waited >= 290);     /* Retry-After, not the 1 ms backoff */
    assert_true(waited < 900);      /* capped at retry_max_delay_ms, not the full second */

    /* an HTTP-date Retry-After in the past means "now" */
    mock_response dated = {.status = 503,
                           .headers = "Retry-After: Wed, 21 Oct 2015 07:28:00 GMT"};
    mock_http_enqueue_ex(f->mock, "GET", API, &dated);
    mock_http_enqueue(f->mock, "GET", API, 200, "{}");
    start = skit_monotonic_ms();
    assert_int_equal(skit_api_call(f->client, "GET", API, NULL, NULL, NULL), SCALEKIT_OK);
    assert_true(skit_monotonic_ms() - start < 250);
}

static void test_post_retry_policy(void **state)
{
    fixture *f = *state;
    mock_http_enqueue(f->mock, "POST", API, 502, "{\"message\":\"bad gateway\"}");
    mock_http_enqueue(f->mock, "POST", API, 200, "{}");
    json_t *body = json_object();
    assert_int_equal(skit_api_call(f->client, "POST", API, NULL, body, NULL), SCALEKIT_ESERVER);
    assert_int_equal(scalekit_error_last()->http_status, 502);
    assert_int_equal(mock_http_count(f->mock, API), 1);
    mock_http_reset(f->mock);

    mock_http_enqueue(f->mock, "POST", API, 504, NULL);
    assert_int_equal(skit_api_call(f->client, "POST", API, NULL, body, NULL), SCALEKIT_ESERVER);
    assert_int_equal(mock_http_count(f->mock, API), 1);
    mock_http_reset(f->mock);

    mock_http_enqueue(f->mock, "POST", API, 429, NULL);
    mock_http_enqueue(f->mock, "POST", API, 503, NULL);
    mock_http_enqueue(f->mock, "POST", API, 201, "{\"id\":\"x\"}");
    assert_int_equal(skit_api_call(f->client, "POST", API, NULL, body, NULL), SCALEKIT_OK);
    assert_int_equal(mock_http_count(f->mock, API), 3);
    json_decref(body);
}

static void test_dropped_connection(void **state)
{
    fixture *f = *state;
    mock_response drop = {.drop = true};
    mock_http_enqueue_ex(f->mock, "GET", API, &drop);
    mock_http_enqueue(f->mock, "GET", API, 200, "{}");
    assert_int_equal(skit_api_call(f->client, "GET", API, NULL, NULL, NULL), SCALEKIT_OK);
    assert_int_equal(mock_http_count(f->mock, API), 2);

    /* A POST may have been processed: not retried. A fresh client, so the drop
     * hits a fresh connection (libcurl itself resends once when a *reused*
     * keep-alive connection turns out dead before any byte of an answer). */
    mock_http_reset(f->mock);
    scalekit_client_free(f->client);
    f->client = make_client(f->mock, NULL);
    mock_http_enqueue_ex(f->mock, "POST", API, &drop);
    mock_http_enqueue(f->mock, "POST", API, 200, "{}");
    skit_request req = {.method = "POST", .path = API, .body = "{}", .body_len = 2};
    skit_response resp;
    assert_int_equal(skit_http_send(f->client, &req, &resp), SCALEKIT_ENETWORK);
    assert_int_equal(mock_http_count(f->mock, API), 1);
    assert_int_equal(scalekit_error_last()->http_status, 0);
    assert_non_null(strstr(scalekit_error_last()->message, "after 1 attempt"));
}

static void test_timeout(void **state)
{
    fixture *f = *state;
    scalekit_client_free(f->client);
    scalekit_client_options o = { .struct_size = sizeof(scalekit_client_options), .timeout_ms = 200, .max_retries = 1, .retry_base_delay_ms = 1,
                                 .retry_max_delay_ms = 2};
    f->client = make_client(f->mock, &o);
    mock_response slow = {.status = 200, .body = "{}", .delay_ms = 3000};
    mock_http_set_default(f->mock, API, &slow);
    int64_t start = skit_monotonic_ms();
    assert_int_equal(skit_api_call(f->client, "GET", API, NULL, NULL, NULL), SCALEKIT_ETIMEOUT);
    int64_t took = skit_monotonic_ms() - start;
    assert_true(took >= 400);    /* two attempts of 200 ms */
    assert_true(took < 2500);
    assert_int_equal(mock_http_count(f->mock, API), 2);
    assert_non_null(strstr(scalekit_error_last()->message, "2 attempt"));
}

static void test_retries_exhausted(void **state)
{
    fixture *f = *state;
    mock_response down = {
        .status = 503,
        .body = "{\"code\":14,\"message\":\"service unavailable\",\"details\":[{\"@type\":"
                "\"type.googleapis.com/scalekit.v1.errdetails.ErrorInfo\",\"error_code\":"
                "\"UNAVAILABLE\",\"request_info\":{\"request_id\":\"req_9\"}}]}"};
    mock_http_set_default(f->mock, API, &down);
    assert_int_equal(skit_api_call(f->client, "GET", API, NULL, NULL, NULL), SCALEKIT_ESERVER);
    const scalekit_error *e = scalekit_error_last();
    assert_int_equal(e->http_status, 503);
    assert_string_equal(e->message, "HTTP 503: service unavailable");
    assert_string_equal(e->error_code, "UNAVAILABLE");
    assert_string_equal(e->request_id, "req_9");
    assert_int_equal(mock_http_count(f->mock, API), 5);   /* 1 + max_retries 4 */

    mock_http_reset(f->mock);
    mock_response limited = {.status = 429, .body = "{\"message\":\"slow down\"}"};
    mock_http_set_default(f->mock, API, &limited);
    assert_int_equal(skit_api_call(f->client, "GET", API, NULL, NULL, NULL),
                     SCALEKIT_ERATE_LIMITED);
}

static void test_retries_disabled(void **state)
{
    fixture *f = *state;
    scalekit_client_free(f->client);
    scalekit_client_options o = { .struct_size = sizeof(scalekit_client_options), .max_retries = -1, .retry_base_delay_ms = 1};
    f->client = make_client(f->mock, &o);
    mock_http_enqueue(f->mock, "GET", API, 503, NULL);
    mock_http_enqueue(f->mock, "GET", API, 200, "{}");
    assert_int_equal(skit_api_call(f->client, "GET", API, NULL, NULL, NULL), SCALEKIT_ESERVER);
    assert_int_equal(mock_http_count(f->mock, API), 1);
    assert_string_equal(scalekit_error_last()->message, "HTTP 503 with an empty body");
}

static void test_status_errors_mapped(void **state)
{
    fixture *f = *state;
    mock_http_enqueue(f->mock, "GET", API, 404, "{\"code\":5,\"message\":\"thing not found\"}");
    mock_http_enqueue(f->mock, "GET", API, 403, "{}");
    mock_http_enqueue(f->mock, "GET", API, 409, "{}");
    mock_http_enqueue(f->mock, "GET", API, 400, "{}");
    mock_http_enqueue(f->mock, "GET", API, 418, "<teapot>");
    assert_int_equal(skit_api_call(f->client, "GET", API, NULL, NULL, NULL), SCALEKIT_ENOTFOUND);
    assert_string_equal(scalekit_error_last()->message, "HTTP 404: thing not found");
    assert_int_equal(skit_api_call(f->client, "GET", API, NULL, NULL, NULL),
                     SCALEKIT_EPERMISSION);
    assert_int_equal(skit_api_call(f->client, "GET", API, NULL, NULL, NULL), SCALEKIT_EEXISTS);
    assert_int_equal(skit_api_call(f->client, "GET", API, NULL, NULL, NULL),
                     SCALEKIT_EINVALID_REQUEST);
    assert_int_equal(skit_api_call(f->client, "GET", API, NULL, NULL, NULL), SCALEKIT_EHTTP);
    assert_string_equal(scalekit_error_last()->message, "HTTP 418: <teapot>");
    assert_int_equal(mock_http_count(f->mock, API), 5);   /* none of these is retried */
}

static void test_connection_refused(void **state)
{
    fixture *f = *state;
    /* a port that was just closed refuses connections */
    mock_http *gone = mock_http_start();
    char url[64];
    strcpy(url, mock_http_url(gone));
    mock_http_stop(gone);
    scalekit_client *c = NULL;
    scalekit_client_options o = { .struct_size = sizeof(scalekit_client_options), .max_retries = 2, .retry_base_delay_ms = 1,
                                 .retry_max_delay_ms = 2};
    assert_int_equal(scalekit_client_new_with_options(&c, url, "id", "s", &o), SCALEKIT_OK);
    skit_request req = {.method = "POST", .path = "/x", .idempotent = false};
    skit_response resp;
    assert_int_equal(skit_http_send(c, &req, &resp), SCALEKIT_ENETWORK);
    assert_null(resp.body);
    /* refused proves nothing was processed, so even this POST was tried 3 times */
    assert_non_null(strstr(scalekit_error_last()->message, "after 3 attempt"));
    scalekit_client_free(c);
    (void)f;
}

static void test_raw_send_records_headers(void **state)
{
    fixture *f = *state;
    mock_response ok = {.status = 200, .body = "{}", .headers = "x-request-id: req_ok"};
    mock_http_enqueue_ex(f->mock, "PUT", API, &ok);
    skit_request req = {.method = "PUT", .path = API, .body = "a=b", .body_len = 3,
                        .content_type = "application/x-www-form-urlencoded",
                        .idempotent = true};
    skit_response resp;
    assert_int_equal(skit_http_send(f->client, &req, &resp), SCALEKIT_OK);
    assert_int_equal(resp.status, 200);
    assert_string_equal(resp.body, "{}");
    assert_int_equal(resp.body_len, 2);
    assert_string_equal(resp.request_id, "req_ok");
    assert_int_equal(resp.retry_after_ms, -1);
    skit_response_free(&resp);
    skit_response_free(NULL);
    const mock_request *r = mock_http_request_for(f->mock, API, 0);
    assert_string_equal(r->body, "a=b");
    assert_null(mock_request_header(r, "authorization"));   /* not authenticated */
    assert_int_equal(mock_http_count(f->mock, TOKEN), 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_headers_and_token_request),
        T(test_json_body_and_methods),
        T(test_malformed_answers),
        T(test_token_fetched_once_and_cached),
        T(test_token_renewed_before_expiry),
        T(test_401_refreshes_once_and_retries),
        T(test_401_twice_fails),
        T(test_refused_client_secret),
        T(test_get_retries_retryable_statuses),
        T(test_retry_after_honoured_and_capped),
        T(test_post_retry_policy),
        T(test_dropped_connection),
        T(test_timeout),
        T(test_retries_exhausted),
        T(test_retries_disabled),
        T(test_status_errors_mapped),
        T(test_connection_refused),
        T(test_raw_send_records_headers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
