/*
 * Passkeys on the hosted login page over plain HTTP, the browser played by a
 * software authenticator: create a passkey for an email (the login finishes
 * as WEBAUTHN with a code for the app), sign in with it on a new request, and
 * the ceremony bound to its request: a challenge of one login request, or of
 * the API, does not finish another; a bad email, a missing or broken answer
 * and an unknown request each get the page with the reason.
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
#include "soft_authenticator.h"

#define REDIRECT "http://localhost:9/cb"

typedef struct page {
    char *html;
    char *login_request_id;
} page;

static void page_free(page *p)
{
    free(p->html);
    free(p->login_request_id);
}

static page open_login(const emu_fixture *f)
{
    char url[1024];
    snprintf(url, sizeof url, "%s/oauth/authorize?response_type=code&client_id=%s&redirect_uri=%s&state=st-1",
             f->url, f->client_id, "http%3A%2F%2Flocalhost%3A9%2Fcb");
    emu_http_response r;
    emu_http("GET", url, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    json_t *fields = emu_fixture_form_fields(r.body);
    page p = {strdup(r.body), strdup(json_string_value(json_object_get(fields, "login_request_id")))};
    json_decref(fields);
    emu_http_response_free(&r);
    return p;
}

/* POST the form {login_request_id, name: value} to @p path; the response (free it). */
static emu_http_response post(const emu_fixture *f, const char *path, const char *lr, const char *name,
                              const char *value)
{
    skit_buf form = SKIT_BUF_INIT;
    skit_form_add(&form, "login_request_id", lr);
    if (name)
        skit_form_add(&form, name, value);
    char url[512];
    snprintf(url, sizeof url, "%s%s", f->url, path);
    emu_http_response r;
    static const char *const headers[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    emu_http("POST", url, headers, form.ptr ? form.ptr : "", &r);
    skit_buf_free(&form);
    return r;
}

/* The options a page's ceremony form (id @p form_id) carries. */
static json_t *options_of(const char *html, const char *form_id)
{
    char marker[64];
    snprintf(marker, sizeof marker, "id=\"%s\"", form_id);
    char *text = emu_fixture_tag_attribute(html, marker, "data-options");
    assert_non_null(text);
    json_t *opts = json_loads(text, 0, NULL);
    assert_non_null(opts);
    free(text);
    return opts;
}

/* The answer of @p a to @p options as form text (malloc'd). */
static char *answer(soft_authn *a, const json_t *options, bool create)
{
    json_t *cred = create ? soft_authn_create(a, options, NULL) : soft_authn_get(a, options, NULL);
    char *text = json_dumps(cred, JSON_COMPACT);
    json_decref(cred);
    return text;
}

/* @p r must be a 302 back to the app with a code; the login request must have finished as WEBAUTHN. */
static void assert_signed_in(const emu_fixture *f, emu_http_response *r, const char *lr, const char *email)
{
    char location[2048];
    if (r->status != 302)
        fail_msg("status %ld: %s", r->status, r->body);
    assert_non_null(emu_http_header(r, "Location", location, sizeof location));
    assert_int_equal(strncmp(location, REDIRECT "?", strlen(REDIRECT) + 1), 0);
    char *code = emu_test_query_param(location, "code");
    assert_non_null(code);
    free(code);
    json_t *row = emu_fixture_login_request(f, lr);
    assert_string_equal(json_string_value(json_object_get(row, "status")), "SUCCESS");
    assert_string_equal(json_string_value(json_object_get(row, "connection_type")), "WEBAUTHN");
    assert_string_equal(json_string_value(json_object_get(row, "email")), email);
    json_decref(row);
}

static void create_then_sign_in(void **state)
{
    emu_fixture *f = *state;
    soft_authn *a = soft_authn_new(-7, f->url);
    page p = open_login(f);
    assert_non_null(strstr(p.html, "Sign in with a passkey"));
    assert_non_null(strstr(p.html, ">Use a passkey</button>"));
    emu_http_response r = post(f, "/oauth/passkeys/register:begin", p.login_request_id, "email", "pk@example.com");
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Create a passkey for <strong>pk@example.com</strong>"));
    json_t *opts = options_of(r.body, "passkey-create");
    assert_string_equal(json_string_value(json_object_get(json_object_get(opts, "user"), "name")), "pk@example.com");
    emu_http_response_free(&r);
    char *cred = answer(a, opts, true);
    r = post(f, "/oauth/passkeys/register", p.login_request_id, "credential", cred);
    assert_signed_in(f, &r, p.login_request_id, "pk@example.com");
    emu_http_response_free(&r);
    /* the request is finished: its answer cannot be posted again */
    r = post(f, "/oauth/passkeys/register", p.login_request_id, "credential", cred);
    assert_int_equal(r.status, 400);
    emu_http_response_free(&r);
    free(cred);
    json_decref(opts);
    page_free(&p);

    page q = open_login(f);
    opts = options_of(q.html, "passkey-get");
    assert_int_equal(json_array_size(json_object_get(opts, "allowCredentials")), 0);
    cred = answer(a, opts, false);
    r = post(f, "/oauth/passkeys/authenticate", q.login_request_id, "credential", cred);
    assert_signed_in(f, &r, q.login_request_id, "pk@example.com");
    emu_http_response_free(&r);
    free(cred);
    json_decref(opts);
    page_free(&q);
    soft_authn_free(a);
}

/* @p r must be the sign-in page again (400) saying @p words. */
static void assert_page_says(emu_http_response *r, const char *words)
{
    if (r->status != 400 || !strstr(r->body, words))
        fail_msg("expected 400 saying \"%s\", got %ld: %s", words, r->status, r->body);
}

static void a_challenge_finishes_only_its_own_request(void **state)
{
    emu_fixture *f = *state;
    soft_authn *a = soft_authn_new(-7, f->url);
    page p = open_login(f);
    emu_http_response r = post(f, "/oauth/passkeys/register:begin", p.login_request_id, "email", "bound@example.com");
    json_t *opts = options_of(r.body, "passkey-create");
    emu_http_response_free(&r);
    char *cred = answer(a, opts, true);
    page other = open_login(f);
    r = post(f, "/oauth/passkeys/register", other.login_request_id, "credential", cred);
    assert_page_says(&r, "challenge is not one this environment issued for this ceremony");
    emu_http_response_free(&r);
    /* the attempt spent the challenge: the right request cannot use it now either */
    r = post(f, "/oauth/passkeys/register", p.login_request_id, "credential", cred);
    assert_page_says(&r, "used or expired");
    emu_http_response_free(&r);
    free(cred);
    json_decref(opts);

    /* a challenge the API began is not one of a login request's */
    char *token = emu_test_client_token(f->emu);
    char url[512], auth[1100];
    snprintf(url, sizeof url, "%s/api/v1/webauthn/authentication:begin", f->url);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    const char *headers[] = {auth, "Content-Type: application/json", NULL};
    json_t *reply = NULL;
    assert_int_equal(emu_http_call("POST", url, headers, "{}", &reply), 200);
    cred = answer(a, json_object_get(reply, "options"), false);
    r = post(f, "/oauth/passkeys/authenticate", other.login_request_id, "credential", cred);
    assert_page_says(&r, "challenge is not one this environment issued");
    emu_http_response_free(&r);
    free(cred);
    json_decref(reply);
    free(token);
    page_free(&p);
    page_free(&other);
    soft_authn_free(a);
}

static void bad_input_gets_the_page_with_the_reason(void **state)
{
    emu_fixture *f = *state;
    page p = open_login(f);
    emu_http_response r = post(f, "/oauth/passkeys/register:begin", p.login_request_id, "email", "not-an-email");
    assert_page_says(&r, "Enter a valid email address for the new passkey.");
    emu_http_response_free(&r);
    r = post(f, "/oauth/passkeys/authenticate", p.login_request_id, NULL, NULL);
    assert_page_says(&r, "Passkey sign-in failed: the form carries no passkey answer");
    emu_http_response_free(&r);
    r = post(f, "/oauth/passkeys/authenticate", p.login_request_id, "credential", "{\"type\":\"public-key\"}");
    assert_page_says(&r, "Passkey sign-in failed: credential: response missing");
    emu_http_response_free(&r);
    r = post(f, "/oauth/passkeys/authenticate", p.login_request_id, "credential",
             "{\"type\":\"public-key\",\"rawId\":\"AA\",\"response\":{\"clientDataJSON\":\"%%%\"}}");
    assert_page_says(&r, "clientDataJSON is not base64url");
    emu_http_response_free(&r);
    r = post(f, "/oauth/passkeys/authenticate", "lri_unknown", "credential", "{}");
    assert_int_equal(r.status, 400);
    emu_http_response_free(&r);
    page_free(&p);
}

/* The in-process emulator always: the hosted page and its login requests are the emulator's. */
static int setup(void **state)
{
    *state = emu_fixture_start(NULL, NULL);
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    emu_fixture_stop(*state);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_then_sign_in),
        cmocka_unit_test(a_challenge_finishes_only_its_own_request),
        cmocka_unit_test(bad_input_gets_the_page_with_the_reason),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
