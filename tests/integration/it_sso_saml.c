/*
 * Sign-in through a SAML connection on the emulator's stand-in for the
 * identity provider: the domain's login goes to the labelled stand-in page,
 * which takes email, name and groups and finishes through the connection (the
 * groups in the ID token, identities naming the SAML connection); a bad email
 * is asked again, a request that is not this connection's is refused, and a
 * finished request cannot be finished twice.
 */
#include <setjmp.h>
#include <stdarg.h>
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

static int setup(void **state)
{
    sso_world *w = calloc(1, sizeof *w);
    w->f = emu_fixture_start(NULL, NULL);
    w->org = sso_kit_org(w->f, "Globex", NULL);
    sso_kit_domain(w->f, w->org, "globex.example");
    w->conn = sso_kit_connection(w->f, w->org, "SAML", "MICROSOFT_AD", "saml_config",
                                 "{\"idp_entity_id\":\"https://idp.globex.example\"}", 1);
    *state = w;
    return 0;
}

static emu_http_response post_form(const char *url, const char *lr_id, const char *email, const char *name,
                                   const char *groups)
{
    skit_buf form = SKIT_BUF_INIT;
    skit_form_add(&form, "login_request_id", lr_id);
    skit_form_add(&form, "email", email);
    skit_form_add(&form, "name", name);
    skit_form_add(&form, "groups", groups);
    emu_http_response r;
    emu_http("POST", url, NULL, form.ptr, &r);
    skit_buf_free(&form);
    return r;
}

static void stand_in_signs_in_with_groups(void **state)
{
    sso_world *w = *state;
    char verifier[129];
    scalekit_authorization_url_options o = SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT;
    o.login_hint = "hank@globex.example";
    char *stand_in = sso_kit_authorize(w->f, &o, verifier, NULL);
    char expected[512];
    snprintf(expected, sizeof expected, "%s/sso/v1/saml/%s/stand-in?login_request_id=", w->f->url, w->conn);
    if (!stand_in || strncmp(stand_in, expected, strlen(expected)) != 0)
        fail_msg("not sent to the stand-in: %s", stand_in ? stand_in : "(a page)");

    emu_http_response page;
    emu_http("GET", stand_in, NULL, NULL, &page);
    assert_int_equal(page.status, 200);
    assert_non_null(strstr(page.body, "Stand-in for the SAML identity provider — no XML is exchanged"));
    assert_non_null(strstr(page.body, "<label for=\"email\">"));
    assert_non_null(strstr(page.body, "<label for=\"groups\">"));
    /* Its form's answer redirects to the app: the app's origin is a form-action. */
    char csp[1024];
    assert_non_null(emu_http_header(&page, "Content-Security-Policy", csp, sizeof csp));
    assert_non_null(strstr(csp, "form-action 'self' http://127.0.0.1:9;"));
    json_t *fields = emu_fixture_form_fields(page.body);
    const char *lr_id = skit_json_string(fields, "login_request_id");
    assert_non_null(lr_id);
    emu_http_response_free(&page);
    /* The request records the connection it was routed to. */
    json_t *stored = emu_fixture_login_request(w->f, lr_id);
    assert_string_equal(skit_json_string(stored, "connection_id"), w->conn);
    assert_string_equal(skit_json_string(stored, "connection_type"), "SAML");
    assert_string_equal(skit_json_string(stored, "connection_provider"), "MICROSOFT_AD");
    assert_string_equal(skit_json_string(stored, "status"), "PENDING");
    json_decref(stored);

    char action[512];
    snprintf(action, sizeof action, "%s/sso/v1/saml/%s/stand-in", w->f->url, w->conn);
    emu_http_response bad = post_form(action, lr_id, "not-an-email", "Hank", "");
    assert_int_equal(bad.status, 400);
    assert_non_null(strstr(bad.body, "Enter a valid email address."));
    assert_non_null(strstr(bad.body, "aria-invalid=\"true\""));
    emu_http_response_free(&bad);

    emu_http_response ok = post_form(action, lr_id, "hank@globex.example", "Hank Scorpio", " engineering, ,admins ");
    char to_app[4096];
    assert_int_equal(ok.status, 302);
    assert_non_null(emu_http_header(&ok, "Location", to_app, sizeof to_app));
    emu_http_response_free(&ok);
    scalekit_authentication_response *resp = sso_kit_exchange(w->f, to_app, verifier);
    assert_string_equal(resp->user->email, "hank@globex.example");
    assert_string_equal(resp->user->name, "Hank Scorpio");
    json_t *identity = sso_kit_identity(resp);
    assert_string_equal(skit_json_string(identity, "connection_id"), w->conn);
    assert_string_equal(skit_json_string(identity, "connection_type"), "SAML");
    assert_string_equal(skit_json_string(identity, "provider_name"), "MICROSOFT_AD");
    json_t *id_claims = emu_test_jwt_payload(resp->id_token);
    json_t *groups = json_object_get(id_claims, "groups");
    assert_int_equal(json_array_size(groups), 2);
    assert_string_equal(json_string_value(json_array_get(groups, 0)), "engineering");
    assert_string_equal(json_string_value(json_array_get(groups, 1)), "admins");

    /* The request is finished: the stand-in will not finish it again. */
    emu_http_response again = post_form(action, lr_id, "hank@globex.example", "", "");
    assert_int_equal(again.status, 400);
    assert_non_null(strstr(again.body, "start the sign-in again"));
    emu_http_response_free(&again);

    json_decref(id_claims);
    json_decref(identity);
    scalekit_authentication_response_free(resp);
    json_decref(fields);
    free(stand_in);
}

/* The stand-in of one connection does not finish another's request, nor an unknown one. */
static void foreign_or_unknown_request_is_refused(void **state)
{
    sso_world *w = *state;
    char *other = sso_kit_connection(w->f, w->org, "SAML", "OKTA", "saml_config", "{}", 1);
    char verifier[129];
    scalekit_authorization_url_options o = SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT;
    o.connection_id = w->conn;
    char *stand_in = sso_kit_authorize(w->f, &o, verifier, NULL);
    char *lr_id = emu_test_query_param(stand_in, "login_request_id");
    char url[512];
    snprintf(url, sizeof url, "%s/sso/v1/saml/%s/stand-in?login_request_id=%s", w->f->url, other, lr_id);
    emu_http_response r;
    emu_http("GET", url, NULL, NULL, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "not this connection&#39;s"));
    emu_http_response_free(&r);
    snprintf(url, sizeof url, "%s/sso/v1/saml/%s/stand-in?login_request_id=lr_nosuch", w->f->url, w->conn);
    emu_http("GET", url, NULL, NULL, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "unknown"));
    emu_http_response_free(&r);
    free(lr_id);
    free(stand_in);
    free(other);
}

#define TEST(t) cmocka_unit_test_setup_teardown(t, setup, sso_kit_teardown)
int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(stand_in_signs_in_with_groups),
        TEST(foreign_or_unknown_request_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
