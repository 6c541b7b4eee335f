/*
 * Authorization requests (emulator/login.c): the hosted page carries only the
 * request's id, a request finishes once, an unknown one is refused with a page,
 * and an unknown organization fails the request back to the app with its state.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <curl/curl.h>

#include "core/core.h"
#include "emu_fixture.h"
#include "emu_testhttp.h"
#include "emulator.h"

#define REDIRECT "http://localhost:9/cb"

static scalekit_emulator *start(void)
{
    scalekit_emulator_options o = {.quiet = 1};
    scalekit_emulator *emu = NULL;
    assert_int_equal(scalekit_emulator_start(&o, &emu), 0);
    return emu;
}

/* GET the hosted page for @p extra_query; the login_request_id it carries (malloc'd). */
static char *open_page(const scalekit_emulator *emu, const char *extra_query)
{
    char url[2048];
    snprintf(url, sizeof url, "%s/oauth/authorize?response_type=code&client_id=%s&redirect_uri=%s%s",
             scalekit_emulator_url(emu), scalekit_emulator_client_id(emu), "http%3A%2F%2Flocalhost%3A9%2Fcb",
             extra_query);
    emu_http_response r;
    emu_http("GET", url, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    json_t *fields = emu_fixture_form_fields(r.body);
    emu_http_response_free(&r);
    assert_int_equal(json_object_size(fields), 1);
    const char *id = json_string_value(json_object_get(fields, "login_request_id"));
    assert_non_null(id);
    assert_int_equal(strncmp(id, "lri_", 4), 0);
    char *copy = strdup(id);
    json_decref(fields);
    return copy;
}

/* POST the page's form for @p id with @p email into @p r. */
static void submit(const scalekit_emulator *emu, const char *id, const char *email, emu_http_response *r)
{
    char url[512];
    snprintf(url, sizeof url, "%s/oauth/authorize", scalekit_emulator_url(emu));
    skit_buf form = SKIT_BUF_INIT;
    skit_form_add(&form, "login_request_id", id);
    skit_form_add(&form, "email", email);
    emu_http("POST", url, NULL, form.ptr, r);
    skit_buf_free(&form);
}

/* GET /_emulator/login-requests/{id}; the row (new reference). */
static json_t *stored(const scalekit_emulator *emu, const char *id)
{
    char url[512];
    snprintf(url, sizeof url, "%s/_emulator/login-requests/%s", scalekit_emulator_url(emu), id);
    json_t *row = NULL;
    assert_int_equal(emu_http_call("GET", url, NULL, NULL, &row), 200);
    return row;
}

static void test_a_request_finishes_once(void **state)
{
    (void)state;
    scalekit_emulator *emu = start();
    char *id = open_page(emu, "&state=s%20one&nonce=n1");
    json_t *row = stored(emu, id);
    assert_string_equal(json_string_value(json_object_get(row, "status")), "PENDING");
    assert_string_equal(json_string_value(json_object_get(row, "state")), "s one");
    assert_string_equal(json_string_value(json_object_get(row, "nonce")), "n1");
    json_decref(row);

    emu_http_response r;
    submit(emu, id, "not-an-email", &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "Enter a valid email address."));
    /* The same request is offered again, still pending. */
    assert_non_null(strstr(r.body, id));
    emu_http_response_free(&r);

    submit(emu, id, "ada@example.com", &r);
    assert_int_equal(r.status, 302);
    char location[1024];
    assert_non_null(emu_http_header(&r, "Location", location, sizeof location));
    emu_http_response_free(&r);
    char *st = emu_test_query_param(location, "state");
    assert_string_equal(st, "s one");
    free(st);
    row = stored(emu, id);
    assert_string_equal(json_string_value(json_object_get(row, "status")), "SUCCESS");
    assert_string_equal(json_string_value(json_object_get(row, "email")), "ada@example.com");
    assert_non_null(json_string_value(json_object_get(row, "user_id")));
    json_decref(row);

    /* A second submission of the finished request: a page, no second code. */
    submit(emu, id, "eve@example.com", &r);
    assert_int_equal(r.status, 400);
    assert_null(emu_http_header(&r, "Location", location, sizeof location));
    assert_non_null(strstr(r.body, "already finished"));
    emu_http_response_free(&r);
    free(id);
    scalekit_emulator_stop(emu);
}

static void test_unknown_requests_are_refused(void **state)
{
    (void)state;
    scalekit_emulator *emu = start();
    emu_http_response r;
    submit(emu, "lri_forged", "ada@example.com", &r);
    assert_int_equal(r.status, 400);
    char location[64];
    assert_null(emu_http_header(&r, "Location", location, sizeof location));
    assert_non_null(strstr(r.body, "not known to this environment"));
    emu_http_response_free(&r);

    char url[512];
    snprintf(url, sizeof url, "%s/_emulator/login-requests/lri_forged", scalekit_emulator_url(emu));
    assert_int_equal(emu_http_call("GET", url, NULL, NULL, NULL), 404);
    scalekit_emulator_stop(emu);
}

static void test_an_unknown_organization_fails_the_request(void **state)
{
    (void)state;
    scalekit_emulator *emu = start();
    char *id = open_page(emu, "&state=keep&organization_id=org_nowhere");
    emu_http_response r;
    submit(emu, id, "ada@example.com", &r);
    assert_int_equal(r.status, 302);
    char location[1024];
    assert_non_null(emu_http_header(&r, "Location", location, sizeof location));
    emu_http_response_free(&r);
    assert_int_equal(strncmp(location, REDIRECT "?", strlen(REDIRECT "?")), 0);
    char *error = emu_test_query_param(location, "error");
    char *st = emu_test_query_param(location, "state");
    char *code = emu_test_query_param(location, "code");
    assert_string_equal(error, "invalid_request");
    assert_string_equal(st, "keep");
    assert_null(code);
    free(error);
    free(st);
    json_t *row = stored(emu, id);
    assert_string_equal(json_string_value(json_object_get(row, "status")), "FAILED");
    assert_string_equal(json_string_value(json_object_get(row, "email")), "ada@example.com");
    assert_non_null(strstr(json_string_value(json_object_get(row, "error_description")), "org_nowhere"));
    json_decref(row);
    free(id);
    scalekit_emulator_stop(emu);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_request_finishes_once),
        cmocka_unit_test(test_unknown_requests_are_refused),
        cmocka_unit_test(test_an_unknown_organization_fails_the_request),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
