/*
 * A sign-in through a connection is a sign-in like any other for the webhooks:
 * the first one of a user makes them a member of the connection's organization
 * and is a user.signup and a user.login, signed and naming that organization;
 * the next one is a user.login only.
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
#include "hook_fixture.h"
#include "sso_kit.h"
#include "core/core.h"

/* Sign in as @p email through the SAML stand-in of @p conn. */
static void stand_in_sign_in(emu_fixture *f, const char *conn, const char *email)
{
    char verifier[129];
    scalekit_authorization_url_options o = SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT;
    o.connection_id = conn;
    char *stand_in = sso_kit_authorize(f, &o, verifier, NULL);
    assert_non_null(stand_in);
    char *lr_id = emu_test_query_param(stand_in, "login_request_id");
    char url[512];
    snprintf(url, sizeof url, "%s/sso/v1/saml/%s/stand-in", f->url, conn);
    skit_buf form = SKIT_BUF_INIT;
    skit_form_add(&form, "login_request_id", lr_id);
    skit_form_add(&form, "email", email);
    emu_http_response r;
    emu_http("POST", url, NULL, form.ptr, &r);
    assert_int_equal(r.status, 302);
    emu_http_response_free(&r);
    skit_buf_free(&form);
    free(lr_id);
    free(stand_in);
}

static void expect_event(hook_fixture *s, size_t nth, const char *type, const char *org)
{
    json_t *event = hook_fixture_event(s, nth);
    assert_string_equal(skit_json_string(event, "type"), type);
    assert_string_equal(skit_json_string(event, "organization_id"), org);
    json_decref(event);
}

static void signup_then_login(void **state)
{
    hook_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "a connection stored in the emulator");
    char *org = sso_kit_org(s->f, "Hooli", NULL);
    char *conn = sso_kit_connection(s->f, org, "SAML", "OKTA", "saml_config", "{}", 1);
    hook_fixture_wait(s, 1);   /* organization.created */
    hook_fixture_reset(s);

    stand_in_sign_in(s->f, conn, "gavin@hooli.example");
    hook_fixture_wait(s, 3);
    expect_event(s, 0, "user.organization_membership_created", org);
    expect_event(s, 1, "user.signup", org);
    expect_event(s, 2, "user.login", org);
    hook_fixture_reset(s);

    stand_in_sign_in(s->f, conn, "gavin@hooli.example");
    hook_fixture_wait(s, 1);
    expect_event(s, 0, "user.login", org);
    free(conn);
    free(org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signup_then_login),
    };
    return cmocka_run_group_tests(tests, hook_fixture_setup, hook_fixture_teardown);
}
