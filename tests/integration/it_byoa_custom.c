/*
 * Bring your own auth: a custom connection sends the hosted login to the
 * app's login page with login_request_id, connection_id and state; the app
 * hands the user over with the SDK's scalekit_auth_update_login_user_details and
 * sends the browser back to the emulator, whose redirect gives the app a code
 * whose tokens carry those details (groups, roles, custom attributes, the
 * organization named by its external id). And the refusals: an unknown
 * connection or login request (404), a request of another connection (404),
 * a body the server refuses (400 naming the field), a finished request (400),
 * a state used twice, a return before the details were handed over.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "emu_fixture.h"
#include "emu_testhttp.h"
#include "sso_kit.h"
#include "core/core.h"
#include "scalekit/auth_service.h"

#define APP_LOGIN "http://127.0.0.1:9/login"

static int setup(void **state)
{
    sso_world *w = calloc(1, sizeof *w);
    w->f = emu_fixture_start(NULL, NULL);
    w->org = sso_kit_org(w->f, "Initech", "initech-ext");
    w->conn = sso_kit_connection(w->f, w->org, "OAUTH", "CUSTOM", "static_config",
                                 "{\"static_config\":{\"login_url\":\"" APP_LOGIN "\"}}", 1);
    *state = w;
    return 0;
}

/* The redirect to the app's login page: its login_request_id and state (malloc'd). */
static void to_app_login(sso_world *w, char verifier[129], char **lr_id, char **app_state)
{
    scalekit_authorization_url_options o = SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT;
    o.connection_id = w->conn;
    char *location = sso_kit_authorize(w->f, &o, verifier, NULL);
    if (!location || strncmp(location, APP_LOGIN "?login_request_id=", strlen(APP_LOGIN "?login_request_id=")) != 0)
        fail_msg("not sent to the app's login page: %s", location ? location : "(a page)");
    char *conn = emu_test_query_param(location, "connection_id");
    assert_string_equal(conn, w->conn);
    *lr_id = emu_test_query_param(location, "login_request_id");
    *app_state = emu_test_query_param(location, "state");
    assert_non_null(*lr_id);
    assert_true(*app_state && strlen(*app_state) >= 32);
    free(conn);
    free(location);
}

static void return_url(sso_world *w, const char *state, char *out, size_t n)
{
    snprintf(out, n, "%s/sso/v1/connections/%s/partner:callback?state=%s", w->f->url, w->conn, state);
}

static void details_reach_the_tokens(void **state)
{
    sso_world *w = *state;
    char verifier[129], *lr_id, *app_state, url[1024];
    to_app_login(w, verifier, &lr_id, &app_state);

    static const char *const groups[] = {"engineering", "admins", NULL};
    static const char *const roles[] = {"admin", NULL};
    static const scalekit_header attrs[] = {{"employee_id", "E-7"}, {"floor", "4"}};
    bool verified = true;
    scalekit_logged_in_user_details u = SCALEKIT_LOGGED_IN_USER_DETAILS_INIT;
    u.sub = "initech-user-42";
    u.email = "peter@initech.example";
    u.given_name = "Peter";
    u.family_name = "Gibbons";
    u.email_verified = &verified;
    u.groups = groups;
    u.roles = roles;
    u.custom_attributes = (scalekit_string_map){attrs, 2};
    u.organization_external_id = "initech-ext";
    EMU_FIXTURE_OK(scalekit_auth_update_login_user_details(w->f->client, w->conn, lr_id, &u));

    return_url(w, app_state, url, sizeof url);
    char *to_app = sso_kit_follow(url);
    scalekit_authentication_response *resp = sso_kit_exchange(w->f, to_app, verifier);
    assert_string_equal(resp->user->email, "peter@initech.example");
    assert_string_equal(resp->user->given_name, "Peter");
    assert_string_equal(resp->user->family_name, "Gibbons");
    json_t *identity = sso_kit_identity(resp);
    assert_string_equal(skit_json_string(identity, "connection_id"), w->conn);
    assert_string_equal(skit_json_string(identity, "provider_name"), "CUSTOM");
    json_t *id_claims = emu_test_jwt_payload(resp->id_token);
    json_t *access = emu_test_jwt_payload(resp->access_token);
    assert_string_equal(skit_json_string(json_object_get(id_claims, "custom_attributes"), "employee_id"), "E-7");
    assert_string_equal(json_string_value(json_array_get(json_object_get(id_claims, "groups"), 1)), "admins");
    assert_string_equal(skit_json_string(access, "oid"), w->org);
    assert_string_equal(json_string_value(json_array_get(json_object_get(access, "roles"), 0)), "admin");

    /* Used: the request is finished, the state spent. */
    int rc = scalekit_auth_update_login_user_details(w->f->client, w->conn, lr_id, &u);
    emu_assert_failed(rc, SCALEKIT_EINVALID_REQUEST, 400, NULL);
    assert_non_null(strstr(scalekit_error_last()->message, "finished"));
    emu_http_response again;
    emu_http("GET", url, NULL, NULL, &again);
    assert_int_equal(again.status, 400);
    emu_http_response_free(&again);

    json_decref(access);
    json_decref(id_claims);
    json_decref(identity);
    scalekit_authentication_response_free(resp);
    free(to_app);
    free(lr_id);
    free(app_state);
}

static void unknown_and_invalid_are_refused(void **state)
{
    sso_world *w = *state;
    char verifier[129], *lr_id, *app_state;
    to_app_login(w, verifier, &lr_id, &app_state);
    scalekit_logged_in_user_details u = SCALEKIT_LOGGED_IN_USER_DETAILS_INIT;
    u.email = "milton@initech.example";

    int rc = scalekit_auth_update_login_user_details(w->f->client, w->conn, "lr_nosuch", &u);
    emu_assert_failed(rc, SCALEKIT_ENOTFOUND, 404, NULL);
    assert_non_null(strstr(scalekit_error_last()->message, "login request lr_nosuch not found"));
    rc = scalekit_auth_update_login_user_details(w->f->client, "conn_nosuch", lr_id, &u);
    emu_assert_failed(rc, SCALEKIT_ENOTFOUND, 404, NULL);
    char *other = sso_kit_connection(w->f, w->org, "OAUTH", "CUSTOM", "static_config",
                                     "{\"static_config\":{\"login_url\":\"" APP_LOGIN "\"}}", 1);
    rc = scalekit_auth_update_login_user_details(w->f->client, other, lr_id, &u);
    emu_assert_failed(rc, SCALEKIT_ENOTFOUND, 404, NULL);

    scalekit_logged_in_user_details bad = SCALEKIT_LOGGED_IN_USER_DETAILS_INIT;
    bad.given_name = "Milton";
    rc = scalekit_auth_update_login_user_details(w->f->client, w->conn, lr_id, &bad);
    emu_assert_failed(rc, SCALEKIT_EINVALID_REQUEST, 400, "email");
    bad.email = "milton@initech.example";
    bad.organization_external_id = "no-such-org";
    rc = scalekit_auth_update_login_user_details(w->f->client, w->conn, lr_id, &bad);
    emu_assert_failed(rc, SCALEKIT_EINVALID_REQUEST, 400, "organization_external_id");
    static const char *const no_such_role[] = {"no-such-role", NULL};
    bad.organization_external_id = NULL;
    bad.roles = no_such_role;
    rc = scalekit_auth_update_login_user_details(w->f->client, w->conn, lr_id, &bad);
    emu_assert_failed(rc, SCALEKIT_EINVALID_REQUEST, 400, "roles");

    /* Back before the details were handed over: the app hears access_denied. */
    char url[1024];
    return_url(w, app_state, url, sizeof url);
    char *to_app = sso_kit_follow(url);
    assert_non_null(strstr(to_app, "error=access_denied"));
    assert_non_null(strstr(to_app, "state=app-state"));
    free(to_app);
    free(other);
    free(lr_id);
    free(app_state);
}

#define TEST(t) cmocka_unit_test_setup_teardown(t, setup, sso_kit_teardown)
int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(details_reach_the_tokens),
        TEST(unknown_and_invalid_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
