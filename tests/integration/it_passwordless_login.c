/*
 * Passwordless on the hosted login page, played over plain HTTP: the section
 * sends the email, the code typed into the code form (or the emailed link
 * opened) finishes the login with a code the SDK exchanges; the first sign-in
 * is a user.signup, the next a user.login; wrong codes show the form again
 * until the limit fails the login; a disabled connection hides the section.
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
#include "emu_mailbox.h"
#include "emu_testhttp.h"
#include "hook_fixture.h"
#include "core/core.h"
#include "scalekit/scalekit.h"

#define REDIRECT "http://127.0.0.1:8080/callback"

/* The organization new users sign up to (user.signup names one); NULL: none. */
static char *signup_org;

/* The hosted page of a new authorization request; its body (malloc'd). */
static char *hosted_page(emu_fixture *f)
{
    scalekit_authorization_url_options o = SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT;
    o.state = "app-state";
    o.organization_id = signup_org;
    o.login_hint = "hinted@example.com";
    char *url = NULL;
    EMU_FIXTURE_OK(scalekit_get_authorization_url(f->client, REDIRECT, &o, &url));
    emu_http_response r;
    emu_http("GET", url, NULL, NULL, &r);
    scalekit_free(url);
    assert_int_equal(r.status, 200);
    char *body = strdup(r.body);
    emu_http_response_free(&r);
    return body;
}

/* POST @p form to @p path: the response (free with emu_http_response_free). */
static void post_form(emu_fixture *f, const char *path, const char *form, emu_http_response *out)
{
    char url[512];
    emu_fixture_url(f, path, url, sizeof url);
    emu_http("POST", url, NULL, form, out);
}

/* A form body of name=value pairs (NULL-terminated), encoded. */
static char *form_of(const char *first, ...)
{
    skit_buf b = SKIT_BUF_INIT;
    va_list ap;
    va_start(ap, first);
    for (const char *name = first; name; name = va_arg(ap, const char *))
        skit_form_add(&b, name, va_arg(ap, const char *));
    va_end(ap);
    return b.ptr;
}

/* Send from the hosted page's section: the code page's hidden fields (new reference). */
static json_t *send_from_page(emu_fixture *f, const char *email)
{
    char *page = hosted_page(f);
    assert_non_null(strstr(page, "id=\"passwordless-send\">Email me a code / link</button>"));
    json_t *fields = emu_fixture_form_fields(page);
    free(page);
    char *form = form_of("login_request_id", json_string_value(json_object_get(fields, "login_request_id")),
                         "email", email, NULL);
    json_decref(fields);
    emu_http_response r;
    post_form(f, "/passwordless/login", form, &r);
    free(form);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "a code and a link"));
    json_t *out = emu_fixture_form_fields(r.body);
    emu_http_response_free(&r);
    assert_non_null(json_object_get(out, "auth_request_id"));
    return out;
}

/* POST the code form: the status, the redirect's Location into @p location (when
 * given), and the body into *body (when given, malloc'd). */
static long verify_on_page(emu_fixture *f, const json_t *fields, const char *code, char *location, size_t n,
                           char **body)
{
    char *form = form_of("login_request_id", json_string_value(json_object_get(fields, "login_request_id")),
                         "auth_request_id", json_string_value(json_object_get(fields, "auth_request_id")),
                         "code", code, NULL);
    emu_http_response r;
    post_form(f, "/passwordless/verify", form, &r);
    free(form);
    long status = r.status;
    if (location && !emu_http_header(&r, "Location", location, n))
        location[0] = '\0';
    if (body)
        *body = strdup(r.body);
    emu_http_response_free(&r);
    return status;
}

/* Exchange the code of redirect @p location; the signed-in email must be @p email. */
static void exchange(emu_fixture *f, const char *location, const char *email)
{
    if (strncmp(location, REDIRECT "?", strlen(REDIRECT "?")) != 0 || !strstr(location, "code="))
        fail_msg("not a redirect with a code: %s", location);
    char *code = emu_test_query_param(location, "code"), *state = emu_test_query_param(location, "state");
    assert_non_null(code);
    assert_string_equal(state, "app-state");
    scalekit_authentication_response *a = NULL;
    EMU_FIXTURE_OK(scalekit_authenticate_with_code(f->client, code, REDIRECT, NULL, &a));
    assert_string_equal(a->user->email, email);
    scalekit_authentication_response_free(a);
    free(code);
    free(state);
}

/* The types of the deliveries received so far, in order, space-separated, into @p out. */
static void event_types(hook_fixture *s, size_t n, char *out, size_t len)
{
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        json_t *ev = hook_fixture_event(s, i);
        snprintf(out + strlen(out), len - strlen(out), "%s%s", i ? " " : "",
                 json_string_value(json_object_get(ev, "type")));
        json_decref(ev);
    }
}

static void the_code_signs_up_then_in(void **state)
{
    hook_fixture *s = *state;
    emu_fixture *f = s->f;
    const char *email = "page-code@example.com";
    scalekit_organization *org = NULL;
    EMU_FIXTURE_OK(scalekit_organization_create(f->client, "Passwordless Co", NULL, &org));
    signup_org = strdup(org->id);
    scalekit_organization_free(org);
    hook_fixture_wait(s, 1);   /* organization.created */
    hook_fixture_reset(s);
    json_t *fields = send_from_page(f, email);
    json_t *m = emu_mailbox_latest(f, email);
    assert_string_equal(json_string_value(json_object_get(m, "kind")), "passwordless_link_otp");
    char *code = emu_mailbox_code(m);
    json_decref(m);
    char location[2048];
    assert_int_equal(verify_on_page(f, fields, code, location, sizeof location, NULL), 302);
    exchange(f, location, email);
    free(code);
    json_decref(fields);
    char types[256];
    hook_fixture_wait(s, 3);
    event_types(s, 3, types, sizeof types);
    assert_string_equal(types, "user.organization_membership_created user.signup user.login");

    /* The same address again: a known user, SIGNIN, only user.login. */
    hook_fixture_reset(s);
    fields = send_from_page(f, email);
    m = emu_mailbox_latest(f, email);
    code = emu_mailbox_code(m);
    assert_non_null(strstr(json_string_value(json_object_get(m, "body")), "to sign in"));
    json_decref(m);
    assert_int_equal(verify_on_page(f, fields, code, location, sizeof location, NULL), 302);
    exchange(f, location, email);
    hook_fixture_wait(s, 1);
    event_types(s, 1, types, sizeof types);
    assert_string_equal(types, "user.login");
    free(code);
    json_decref(fields);
    free(signup_org);
    signup_org = NULL;
}

static void the_link_opened_in_the_browser_signs_in(void **state)
{
    hook_fixture *s = *state;
    emu_fixture *f = s->f;
    const char *email = "page-link@example.com";
    json_t *fields = send_from_page(f, email);
    json_t *m = emu_mailbox_latest(f, email);
    emu_http_response r;
    emu_http("GET", json_string_value(json_object_get(m, "link")), NULL, NULL, &r);
    char location[2048];
    assert_int_equal(r.status, 302);
    assert_non_null(emu_http_header(&r, "Location", location, sizeof location));
    emu_http_response_free(&r);
    exchange(f, location, email);
    /* The link is used: again it is refused, and so is the code of the finished request. */
    emu_http("GET", json_string_value(json_object_get(m, "link")), NULL, NULL, &r);
    assert_int_equal(r.status, 400);
    emu_http_response_free(&r);
    char *code = emu_mailbox_code(m);
    assert_int_equal(verify_on_page(f, fields, code, NULL, 0, NULL), 400);
    free(code);
    json_decref(m);
    json_decref(fields);
}

static void wrong_codes_show_the_form_then_fail_the_login(void **state)
{
    hook_fixture *s = *state;
    emu_fixture *f = s->f;
    const char *email = "page-wrong@example.com";
    json_t *fields = send_from_page(f, email), *m = emu_mailbox_latest(f, email);
    char *code = emu_mailbox_code(m), wrong[16], location[2048], *body = NULL;
    json_decref(m);
    snprintf(wrong, sizeof wrong, "%06d", (atoi(code) + 1) % 1000000);
    for (int i = 1; i < 5; i++) {
        assert_int_equal(verify_on_page(f, fields, wrong, NULL, 0, &body), 400);
        char left[64];
        snprintf(left, sizeof left, "(%d of 5 attempts left)", 5 - i);
        assert_non_null(strstr(body, "role=\"alert\" id=\"code-error\""));
        assert_non_null(strstr(body, left));
        free(body);
    }
    /* The fifth: the login fails back to the app (RFC 6749 4.1.2.1). */
    assert_int_equal(verify_on_page(f, fields, wrong, location, sizeof location, NULL), 302);
    char *error = emu_test_query_param(location, "error");
    assert_string_equal(error, "access_denied");
    free(error);
    /* The right code is too late: the login request is finished. */
    assert_int_equal(verify_on_page(f, fields, code, NULL, 0, NULL), 400);
    free(code);
    json_decref(fields);
}

static void resend_on_the_page_and_no_borrowed_requests(void **state)
{
    hook_fixture *s = *state;
    emu_fixture *f = s->f;
    const char *email = "page-resend@example.com";
    json_t *fields = send_from_page(f, email);
    char *form = form_of("login_request_id", json_string_value(json_object_get(fields, "login_request_id")),
                         "auth_request_id", json_string_value(json_object_get(fields, "auth_request_id")), NULL);
    emu_http_response r;
    post_form(f, "/passwordless/resend", form, &r);
    free(form);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "We emailed again"));
    emu_http_response_free(&r);
    assert_int_equal(emu_mailbox_count(f, email), 2);

    /* Another sign-in cannot finish with this one's request, even with its right code. */
    json_t *other = send_from_page(f, "page-other@example.com");
    json_object_set(other, "auth_request_id", json_object_get(fields, "auth_request_id"));
    json_t *m = emu_mailbox_latest(f, email);
    char *code = emu_mailbox_code(m), *body = NULL;
    json_decref(m);
    assert_int_equal(verify_on_page(f, other, code, NULL, 0, &body), 400);
    assert_non_null(strstr(body, "not part of this sign-in"));
    free(body);
    /* Its own sign-in still can. */
    char location[2048];
    assert_int_equal(verify_on_page(f, fields, code, location, sizeof location, NULL), 302);
    exchange(f, location, email);
    free(code);
    json_decref(other);
    json_decref(fields);
}

static void a_disabled_connection_hides_the_section(void **state)
{
    hook_fixture *s = *state;
    emu_passwordless_configure(s->f, "{\"enabled\":false}");
    char *page = hosted_page(s->f);
    assert_null(strstr(page, "passwordless-send"));
    free(page);
    emu_passwordless_configure(s->f, "{\"enabled\":true,\"passwordless_config\":{\"type\":\"OTP\"}}");
    page = hosted_page(s->f);
    assert_non_null(strstr(page, "id=\"passwordless-send\">Email me a code</button>"));
    /* The app's login_hint fills the section's field too. */
    assert_non_null(strstr(page, "name=\"email\" type=\"email\" autocomplete=\"email\" required "
                                 "value=\"hinted@example.com\">\n<button type=\"submit\" id=\"passwordless-send\">"));
    free(page);
}

#define TEST(t) cmocka_unit_test_setup_teardown(t, hook_fixture_setup, hook_fixture_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(the_code_signs_up_then_in),
        TEST(the_link_opened_in_the_browser_signs_in),
        TEST(wrong_codes_show_the_form_then_fail_the_login),
        TEST(resend_on_the_page_and_no_borrowed_requests),
        TEST(a_disabled_connection_hides_the_section),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
