/* Every session method against the scripted mock server: the request on the
 * wire (method, path, query with the API's filters) and the decoded result,
 * the C-level refusals (nothing sent), and the server's errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mock_client.h"

#define T_2025_01_01 INT64_C(1735689600)
#define HOUR INT64_C(3600)

#define SESSION_JSON                                                                           \
    "{\"session_id\":\"ses_1\",\"user_id\":\"usr_1\",\"organization_id\":\"org_1\","         \
    "\"status\":\"active\",\"authenticated_organizations\":[\"org_1\",\"org_2\"],"             \
    "\"authenticated_clients\":[{\"client_id\":\"skc_1\",\"organization_id\":\"org_2\"}],"     \
    "\"device\":{\"user_agent\":\"Mozilla/5.0 (X11)\",\"ip\":\"203.0.113.9\",\"browser\":"     \
    "\"Firefox\",\"browser_version\":\"128.0\",\"os\":\"Linux\",\"os_version\":\"6.1\","        \
    "\"device_type\":\"desktop\",\"location\":{\"region\":\"US\",\"region_subdivision\":"      \
    "\"CA\",\"city\":\"San Francisco\",\"latitude\":\"37.7749\",\"longitude\":\"-122.4194\"}},"  \
    "\"created_at\":\"2025-01-01T00:00:00Z\",\"updated_at\":\"2025-01-01T01:00:00Z\","         \
    "\"last_active_at\":\"2025-01-01T02:00:00Z\",\"idle_expires_at\":\"2025-01-01T03:00:00Z\"," \
    "\"absolute_expires_at\":\"2025-01-01T04:00:00Z\",\"expired_at\":\"2025-01-01T05:00:00Z\","  \
    "\"logout_at\":\"2025-01-01T06:00:00Z\",\"future_field\":true}"

static void assert_ses_1(const scalekit_session *s)
{
    assert_string_equal(s->session_id, "ses_1");
    assert_string_equal(s->user_id, "usr_1");
    assert_string_equal(s->organization_id, "org_1");
    assert_string_equal(s->status, "active");
    assert_string_equal(s->authenticated_organizations[0], "org_1");
    assert_string_equal(s->authenticated_organizations[1], "org_2");
    assert_null(s->authenticated_organizations[2]);
    assert_int_equal(s->authenticated_client_count, 1);
    assert_string_equal(s->authenticated_clients[0]->client_id, "skc_1");
    assert_string_equal(s->authenticated_clients[0]->organization_id, "org_2");
    const scalekit_session_device *d = s->device;
    assert_non_null(d);
    assert_string_equal(d->user_agent, "Mozilla/5.0 (X11)");
    assert_string_equal(d->ip, "203.0.113.9");
    assert_string_equal(d->browser, "Firefox");
    assert_string_equal(d->browser_version, "128.0");
    assert_string_equal(d->os, "Linux");
    assert_string_equal(d->os_version, "6.1");
    assert_string_equal(d->device_type, "desktop");
    assert_non_null(d->location);
    assert_string_equal(d->location->region, "US");
    assert_string_equal(d->location->region_subdivision, "CA");
    assert_string_equal(d->location->city, "San Francisco");
    assert_string_equal(d->location->latitude, "37.7749");
    assert_string_equal(d->location->longitude, "-122.4194");
    assert_true(s->created_at == T_2025_01_01);
    assert_true(s->updated_at == T_2025_01_01 + HOUR);
    assert_true(s->last_active_at == T_2025_01_01 + 2 * HOUR);
    assert_true(s->idle_expires_at == T_2025_01_01 + 3 * HOUR);
    assert_true(s->absolute_expires_at == T_2025_01_01 + 4 * HOUR);
    assert_true(s->expired_at == T_2025_01_01 + 5 * HOUR);
    assert_true(s->logout_at == T_2025_01_01 + 6 * HOUR);
}

#define assert_request(f, ...) mock_assert_request((f)->mock, __VA_ARGS__)

static void get_session(void **state)
{
    mock_client *f = *state;
    const char *path = "/api/v1/sessions/ses%201%2F..";
    mock_http_enqueue(f->mock, "GET", path, 200, SESSION_JSON);
    scalekit_session *s = NULL;
    assert_int_equal(scalekit_session_get(f->client, "ses 1/..", &s), SCALEKIT_OK);
    assert_request(f, path, 0, "GET", "", "");
    assert_ses_1(s);
    assert_string_equal(s->raw_json, SESSION_JSON);
    scalekit_session_free(s);

    /* A session without a device. */
    mock_http_enqueue(f->mock, "GET", "/api/v1/sessions/ses_2", 200,
                      "{\"session_id\":\"ses_2\",\"status\":\"expired\"}");
    assert_int_equal(scalekit_session_get(f->client, "ses_2", &s), SCALEKIT_OK);
    assert_string_equal(s->status, "expired");
    assert_null(s->device);
    assert_null(s->authenticated_organizations);
    assert_true(s->logout_at == 0);
    scalekit_session_free(s);

    mock_http_enqueue(f->mock, "GET", "/api/v1/sessions/ses_3", 404,
                      "{\"code\":5,\"message\":\"session not found\",\"details\":[{"
                      "\"error_code\":\"NOT_FOUND\"}]}");
    assert_int_equal(scalekit_session_get(f->client, "ses_3", &s), SCALEKIT_ENOTFOUND);
    assert_null(s);
    assert_int_equal(scalekit_error_last()->http_status, 404);
    assert_string_equal(scalekit_error_last()->error_code, "NOT_FOUND");

    mock_http_enqueue(f->mock, "GET", "/api/v1/sessions/ses_4", 200, "[\"not an object\"]");
    assert_int_equal(scalekit_session_get(f->client, "ses_4", &s), SCALEKIT_EMALFORMED_RESPONSE);

    size_t sent = mock_http_request_count(f->mock);
    assert_int_equal(scalekit_session_get(f->client, "", &s), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "session_id must not be empty");
    assert_int_equal(scalekit_session_get(f->client, "\xc0\xaf", &s), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "session_id is not valid UTF-8");
    assert_int_equal(scalekit_session_get(f->client, "ses_1", NULL), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_session_get(NULL, "ses_1", &s), SCALEKIT_EINVAL);
    assert_int_equal(mock_http_request_count(f->mock), sent);
}

static void user_sessions_with_filters(void **state)
{
    mock_client *f = *state;
    const char *path = "/api/v1/users/usr_1/sessions";
    const char *answer = "{\"sessions\":[" SESSION_JSON ",{\"session_id\":\"ses_2\"}],"
                         "\"next_page_token\":\"n1\",\"prev_page_token\":\"p0\","
                         "\"total_size\":\"12\"}";
    mock_http_enqueue(f->mock, "GET", path, 200, answer);
    const char *status[] = { "active", "revoked", NULL };
    scalekit_session_list_options opts = SCALEKIT_SESSION_LIST_OPTIONS_INIT;
    opts.page_size = 5;
    opts.page_token = "t 0";
    opts.status = status;
    opts.start_time = T_2025_01_01;
    opts.end_time = T_2025_01_01 + 24 * HOUR;
    scalekit_session_page *page = NULL;
    assert_int_equal(scalekit_session_get_user_sessions(f->client, "usr_1", &opts, &page),
                     SCALEKIT_OK);
    assert_request(f, path, 0, "GET",
                   "page_size=5&page_token=t%200&filter.status=active&filter.status=revoked"
                   "&filter.start_time=2025-01-01T00%3A00%3A00.000000Z"
                   "&filter.end_time=2025-01-02T00%3A00%3A00.000000Z", "");
    assert_int_equal(page->count, 2);
    assert_ses_1(page->items[0]);
    assert_string_equal(page->items[1]->session_id, "ses_2");
    assert_string_equal(page->items[1]->raw_json, "{\"session_id\":\"ses_2\"}");
    assert_string_equal(page->next_page_token, "n1");
    assert_string_equal(page->prev_page_token, "p0");
    assert_true(page->total_size == 12);
    assert_string_equal(page->raw_json, answer);
    scalekit_session_page_free(page);

    mock_http_enqueue(f->mock, "GET", path, 200, "{\"sessions\":[]}");
    assert_int_equal(scalekit_session_get_user_sessions(f->client, "usr_1", NULL, &page),
                     SCALEKIT_OK);
    assert_request(f, path, 1, "GET", "", "");
    assert_int_equal(page->count, 0);
    scalekit_session_page_free(page);

    /* The server owns the rules: an end before the start reaches it. */
    mock_http_enqueue(f->mock, "GET", path, 400,
                      "{\"code\":3,\"message\":\"invalid filter\",\"details\":[{\"error_code\":"
                      "\"INVALID_ARGUMENT\",\"validation_error_info\":{\"field_violations\":[{"
                      "\"field\":\"filter.end_time\",\"description\":\"must be after start_time\"}"
                      "]}}]}");
    scalekit_session_list_options backwards = SCALEKIT_SESSION_LIST_OPTIONS_INIT;
    backwards.start_time = T_2025_01_01 + HOUR;
    backwards.end_time = T_2025_01_01;
    assert_int_equal(scalekit_session_get_user_sessions(f->client, "usr_1", &backwards, &page),
                     SCALEKIT_EINVALID_REQUEST);
    assert_null(page);
    const scalekit_error *e = scalekit_error_last();
    assert_int_equal(e->field_violation_count, 1);
    assert_string_equal(e->field_violations[0].field, "filter.end_time");
    assert_string_equal(e->field_violations[0].description, "must be after start_time");

    size_t sent = mock_http_request_count(f->mock);
    const char *bad_status[] = { "active", "\xed\xa0\x80", NULL };   /* a surrogate */
    opts.status = bad_status;
    assert_int_equal(scalekit_session_get_user_sessions(f->client, "usr_1", &opts, &page),
                     SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message,
                        "scalekit_session_list_options.filter.status item 1 is not valid UTF-8");
    scalekit_session_list_options unset = { 0 };
    assert_int_equal(scalekit_session_get_user_sessions(f->client, "usr_1", &unset, &page),
                     SCALEKIT_EINVAL);
    assert_non_null(strstr(scalekit_error_last()->message, "SCALEKIT_SESSION_LIST_OPTIONS_INIT"));
    assert_int_equal(scalekit_session_get_user_sessions(f->client, "", NULL, &page),
                     SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "user_id must not be empty");
    assert_int_equal(scalekit_session_get_user_sessions(f->client, "usr_1", NULL, NULL),
                     SCALEKIT_EINVAL);
    assert_int_equal(mock_http_request_count(f->mock), sent);
}

static void iterator_walks_every_page_with_the_filters(void **state)
{
    mock_client *f = *state;
    const char *path = "/api/v1/users/usr_1/sessions";
    mock_http_enqueue(f->mock, "GET", path, 200,
                      "{\"sessions\":[{\"session_id\":\"s1\"}],\"next_page_token\":\"t2\"}");
    mock_http_enqueue(f->mock, "GET", path, 200, "{\"sessions\":[],\"next_page_token\":\"t3\"}");
    mock_http_enqueue(f->mock, "GET", path, 200,
                      "{\"sessions\":[{\"session_id\":\"s2\"},{\"session_id\":\"s3\"}],"
                      "\"next_page_token\":\"t4\"}");
    mock_http_enqueue(f->mock, "GET", path, 200, "{\"sessions\":[{\"session_id\":\"s4\"}]}");
    const char *status[] = { "active", NULL };
    scalekit_session_list_options opts = SCALEKIT_SESSION_LIST_OPTIONS_INIT;
    opts.page_size = 2;
    opts.status = status;
    opts.start_time = T_2025_01_01;
    scalekit_session_iterator *it = NULL;
    assert_int_equal(scalekit_session_iterator_new(f->client, "usr_1", &opts, &it), SCALEKIT_OK);
    assert_int_equal(mock_http_count(f->mock, path), 0);
    const char *want[] = { "s1", "s2", "s3", "s4" };
    const scalekit_session *s = NULL;
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(scalekit_session_iterator_next(it, &s), SCALEKIT_OK);
        assert_string_equal(s->session_id, want[i]);
    }
    assert_int_equal(scalekit_session_iterator_next(it, &s), SCALEKIT_ITEROVER);
    assert_null(s);
    assert_int_equal(scalekit_session_iterator_next(it, &s), SCALEKIT_ITEROVER);
    assert_int_equal(mock_http_count(f->mock, path), 4);
    const char *filters = "page_size=2&filter.status=active&filter.start_time=2025-01-01T00%3A00%3A00.000000Z";
    char query[256];
    assert_request(f, path, 0, "GET", filters, "");
    for (size_t i = 1; i < 4; i++) {
        snprintf(query, sizeof query, "%s&page_token=t%zu", filters, i + 1);
        assert_request(f, path, i, "GET", query, "");
    }
    scalekit_session_iterator_free(it);
    scalekit_session_iterator_free(NULL);

    /* A failing page stays failed. */
    mock_http_enqueue(f->mock, "GET", "/api/v1/users/usr_2/sessions", 404,
                      "{\"code\":5,\"message\":\"user not found\"}");
    assert_int_equal(scalekit_session_iterator_new(f->client, "usr_2", NULL, &it), SCALEKIT_OK);
    assert_int_equal(scalekit_session_iterator_next(it, &s), SCALEKIT_ENOTFOUND);
    assert_int_equal(scalekit_session_iterator_next(it, &s), SCALEKIT_ENOTFOUND);
    assert_int_equal(mock_http_count(f->mock, "/api/v1/users/usr_2/sessions"), 1);
    scalekit_session_iterator_free(it);

    it = (scalekit_session_iterator *)&it;
    assert_int_equal(scalekit_session_iterator_new(f->client, "", NULL, &it), SCALEKIT_EINVAL);
    assert_null(it);
    assert_int_equal(scalekit_session_iterator_new(f->client, "usr_1", NULL, NULL), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_session_iterator_next(NULL, &s), SCALEKIT_EINVAL);
}

static void revoke_one_and_all(void **state)
{
    mock_client *f = *state;
    const char *path = "/api/v1/sessions/ses_1/revoke";
    const char *answer = "{\"revoked_session\":{\"session_id\":\"ses_1\",\"user_id\":\"usr_1\","
                         "\"status\":\"revoked\",\"created_at\":\"2025-01-01T00:00:00Z\","
                         "\"expired_at\":\"2025-01-01T01:00:00Z\"}}";
    mock_http_enqueue(f->mock, "POST", path, 200, answer);
    scalekit_session *s = NULL;
    assert_int_equal(scalekit_session_revoke(f->client, "ses_1", &s), SCALEKIT_OK);
    assert_request(f, path, 0, "POST", "", "");
    assert_string_equal(s->session_id, "ses_1");
    assert_string_equal(s->user_id, "usr_1");
    assert_string_equal(s->status, "revoked");
    assert_true(s->created_at == T_2025_01_01);
    assert_true(s->expired_at == T_2025_01_01 + HOUR);
    assert_null(s->device);
    assert_string_equal(s->raw_json, answer);
    scalekit_session_free(s);

    mock_http_enqueue(f->mock, "POST", path, 200, "{\"session_id\":\"ses_1\"}");
    assert_int_equal(scalekit_session_revoke(f->client, "ses_1", &s), SCALEKIT_EMALFORMED_RESPONSE);
    assert_non_null(strstr(scalekit_error_last()->message, "\"revoked_session\""));
    assert_null(s);

    const char *all = "/api/v1/users/usr_1/sessions/revoke";
    const char *all_answer = "{\"revoked_sessions\":[{\"session_id\":\"s1\",\"status\":"
                             "\"revoked\"},{\"session_id\":\"s2\",\"status\":\"revoked\"}],"
                             "\"total_revoked\":\"2\"}";
    mock_http_enqueue(f->mock, "POST", all, 200, all_answer);
    scalekit_session_revocation *r = NULL;
    assert_int_equal(scalekit_session_revoke_all_user_sessions(f->client, "usr_1", &r),
                     SCALEKIT_OK);
    assert_request(f, all, 0, "POST", "", "");
    assert_int_equal(r->count, 2);
    assert_string_equal(r->items[0]->session_id, "s1");
    assert_string_equal(r->items[1]->session_id, "s2");
    assert_string_equal(r->items[1]->status, "revoked");
    assert_true(r->total_revoked == 2);
    assert_string_equal(r->raw_json, all_answer);
    scalekit_session_revocation_free(r);

    mock_http_enqueue(f->mock, "POST", "/api/v1/users/usr_9/sessions/revoke", 404,
                      "{\"code\":5,\"message\":\"user not found\"}");
    assert_int_equal(scalekit_session_revoke_all_user_sessions(f->client, "usr_9", &r),
                     SCALEKIT_ENOTFOUND);
    assert_null(r);

    size_t sent = mock_http_request_count(f->mock);
    assert_int_equal(scalekit_session_revoke(f->client, "..", &s), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_session_revoke(f->client, "ses_1", NULL), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_session_revoke_all_user_sessions(f->client, NULL, &r),
                     SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "user_id must not be empty");
    assert_int_equal(mock_http_request_count(f->mock), sent);
}

static void frees_are_safe_on_null(void **state)
{
    (void)state;
    scalekit_session_free(NULL);
    scalekit_session_page_free(NULL);
    scalekit_session_revocation_free(NULL);
}

#define T(name) cmocka_unit_test_setup_teardown(name, mock_client_setup, mock_client_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(get_session),
        T(user_sessions_with_filters),
        T(iterator_walks_every_page_with_the_filters),
        T(revoke_one_and_all),
        cmocka_unit_test(frees_are_safe_on_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
