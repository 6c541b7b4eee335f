/*
 * Where the emulator sends a browser (issue 8): redirect URIs registered for the
 * environment (option and /_emulator/redirect-uris), loopback URIs allowed
 * unregistered (RFC 8252), malformed URIs refused with an error page on both
 * /oauth/authorize and /oidc/logout; and the security headers of every page.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <curl/curl.h>

#include "emu_testhttp.h"
#include "emulator.h"
#include "scalekit/error.h"

static scalekit_emulator *start(const char *const *redirect_uris)
{
    scalekit_emulator_options o = {.quiet = 1, .redirect_uris = redirect_uris};
    scalekit_emulator *emu = NULL;
    assert_int_equal(scalekit_emulator_start(&o, &emu), 0);
    return emu;
}

/* GET @p path_and_query on the emulator into @p r. */
static void get(const scalekit_emulator *emu, const char *path_and_query, emu_http_response *r)
{
    char url[4096];
    snprintf(url, sizeof url, "%s%s", scalekit_emulator_url(emu), path_and_query);
    emu_http("GET", url, NULL, NULL, r);
}

/* GET /oauth/authorize for @p redirect_uri (URL-encoded here); the status. No
 * answer may redirect unless it is a 200 form (which posts back to us). */
static long authorize(const scalekit_emulator *emu, const char *redirect_uri, emu_http_response *out)
{
    char *enc = curl_easy_escape(NULL, redirect_uri, 0);
    char path[4096];
    snprintf(path, sizeof path, "/oauth/authorize?response_type=code&client_id=%s&redirect_uri=%s&state=s",
             scalekit_emulator_client_id(emu), enc);
    curl_free(enc);
    emu_http_response r;
    get(emu, path, &r);
    long status = r.status;
    char loc[16];
    if (emu_http_header(&r, "Location", loc, sizeof loc))
        fail_msg("redirect_uri %s: the authorize page redirected (%ld)", redirect_uri, status);
    if (out)
        *out = r;
    else
        emu_http_response_free(&r);
    return status;
}

/* GET /oidc/logout?post_logout_redirect_uri=<raw, already encoded>; the status and Location. */
static long logout(const scalekit_emulator *emu, const char *encoded_target, char *location, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "/oidc/logout?post_logout_redirect_uri=%s", encoded_target);
    emu_http_response r;
    get(emu, path, &r);
    long status = r.status;
    if (!emu_http_header(&r, "Location", location, n))
        location[0] = '\0';
    emu_http_response_free(&r);
    return status;
}

static long control(const scalekit_emulator *emu, const char *method, const char *body, json_t **out)
{
    char url[256];
    snprintf(url, sizeof url, "%s/_emulator/redirect-uris", scalekit_emulator_url(emu));
    return emu_http_call(method, url, NULL, body, out);
}

/* The values each check must refuse, and the same values %-encoded for a query. */
static const char *const malformed[] = {
    "http://\\evil.example", "http://evil.example/a b", "http://127.0.0.1/cb#frag",
    "http://user@127.0.0.1/cb", "http://evil.example@localhost/", "http://127.0.0.1/cb\r\nX-Injected: yes",
    "javascript:alert(1)", "//evil.example/cb", "/cb", "http:/evil.example", "http://", "http://:80/",
    "https://evil.example:99999/", "http://127.0.0.1/%zz", "http://127.0.0.1/\xc3\xa9", "ftp://127.0.0.1/",
    NULL
};

static void test_loopback_uris_need_no_registration(void **state)
{
    scalekit_emulator *emu = start(NULL);
    static const char *const allowed[] = {"http://127.0.0.1:5555/cb", "http://127.0.0.1/cb?x=1",
                                          "http://[::1]:1/x", "http://localhost/cb", "http://localhost:65535/",
                                          NULL};
    for (size_t i = 0; allowed[i]; i++)
        if (authorize(emu, allowed[i], NULL) != 200)
            fail_msg("loopback %s was refused", allowed[i]);
    static const char *const not_loopback[] = {"https://localhost/cb", "http://localhost.evil.example/cb",
                                               "http://127.0.0.1.evil.example/", "http://127.0.0.2/cb",
                                               "https://app.example/cb", NULL};
    for (size_t i = 0; not_loopback[i]; i++)
        if (authorize(emu, not_loopback[i], NULL) != 400)
            fail_msg("%s was allowed without registration", not_loopback[i]);
    scalekit_emulator_stop(emu);
}

static void test_malformed_uris_get_an_error_page(void **state)
{
    /* Registered or not, a malformed URI never leads anywhere. */
    scalekit_emulator *emu = start(NULL);
    for (size_t i = 0; malformed[i]; i++) {
        emu_http_response r;
        if (authorize(emu, malformed[i], &r) != 400)
            fail_msg("/oauth/authorize with redirect_uri %s answered %ld", malformed[i], r.status);
        assert_non_null(strstr(r.body, "Sign-in error"));
        assert_non_null(strstr(r.body, "redirect_uri"));
        emu_http_response_free(&r);

        char *enc = curl_easy_escape(NULL, malformed[i], 0), loc[512];
        long status = logout(emu, enc, loc, sizeof loc);
        curl_free(enc);
        if (status != 400 || loc[0])
            fail_msg("/oidc/logout to %s answered %ld, Location \"%s\"", malformed[i], status, loc);
    }
    /* The finding, byte for byte: a %5C in the host must not come back as a Location. */
    char loc[512];
    assert_int_equal(logout(emu, "http://%5Cevil.example", loc, sizeof loc), 400);
    assert_string_equal(loc, "");
    scalekit_emulator_stop(emu);

    /* Nor can it be registered: by option ... */
    for (size_t i = 0; malformed[i]; i++) {
        const char *const one[] = {malformed[i], NULL};
        scalekit_emulator_options o = {.quiet = 1, .redirect_uris = one};
        scalekit_emulator *bad = NULL;
        assert_int_equal(scalekit_emulator_start(&o, &bad), SCALEKIT_EINVAL);
        assert_null(bad);
    }
    /* ... or by the control. */
    emu = start(NULL);
    json_t *j = NULL;
    assert_int_equal(control(emu, "POST", "{\"uri\":\"http://\\\\evil.example\"}", &j), 400);
    assert_non_null(strstr(json_string_value(json_object_get(j, "message")), "backslash"));
    json_decref(j);
    assert_int_equal(control(emu, "POST", "{}", NULL), 400);
    scalekit_emulator_stop(emu);
}

static void test_registered_uris_match_exactly(void **state)
{
    static const char *const opt[] = {"https://app.example/callback", NULL};
    scalekit_emulator *emu = start(opt);
    assert_int_equal(authorize(emu, "https://app.example/callback", NULL), 200);
    static const char *const near[] = {"https://app.example/callback/", "https://app.example/callbackx",
                                       "https://app.example/callback?x=1", "http://app.example/callback",
                                       "https://app.example/CALLBACK", "https://app.example:443/callback",
                                       "https://app.example/", NULL};
    for (size_t i = 0; near[i]; i++)
        if (authorize(emu, near[i], NULL) != 400)
            fail_msg("%s was allowed: registered URIs match exactly", near[i]);

    /* The control: add, list, remove. */
    assert_int_equal(authorize(emu, "https://other.example/cb?tenant=1", NULL), 400);
    json_t *j = NULL;
    assert_int_equal(control(emu, "POST", "{\"uri\":\"https://other.example/cb?tenant=1\"}", &j), 201);
    assert_string_equal(json_string_value(json_object_get(j, "uri")), "https://other.example/cb?tenant=1");
    json_decref(j);
    assert_int_equal(control(emu, "POST", "{\"uri\":\"https://other.example/cb?tenant=1\"}", NULL), 201);
    assert_int_equal(authorize(emu, "https://other.example/cb?tenant=1", NULL), 200);
    assert_int_equal(control(emu, "GET", NULL, &j), 200);
    json_t *list = json_object_get(j, "redirect_uris");
    assert_int_equal(json_array_size(list), 2);
    assert_string_equal(json_string_value(json_array_get(list, 0)), "https://app.example/callback");
    assert_string_equal(json_string_value(json_array_get(list, 1)), "https://other.example/cb?tenant=1");
    json_decref(j);
    assert_int_equal(control(emu, "DELETE", "{\"uri\":\"https://other.example/cb?tenant=1\"}", NULL), 200);
    assert_int_equal(control(emu, "DELETE", "{\"uri\":\"https://other.example/cb?tenant=1\"}", NULL), 404);
    assert_int_equal(authorize(emu, "https://other.example/cb?tenant=1", NULL), 400);

    /* The hosted login's POST checks the same registry. */
    char url[256], form[512];
    snprintf(url, sizeof url, "%s/oauth/authorize", scalekit_emulator_url(emu));
    snprintf(form, sizeof form, "response_type=code&client_id=%s&redirect_uri=https%%3A%%2F%%2Fevil.example%%2F"
                                "&email=a%%40example.com", scalekit_emulator_client_id(emu));
    emu_http_response r;
    emu_http("POST", url, NULL, form, &r);
    assert_int_equal(r.status, 400);
    char loc[16];
    assert_null(emu_http_header(&r, "Location", loc, sizeof loc));
    emu_http_response_free(&r);
    scalekit_emulator_stop(emu);
}

/* post_logout_redirect_uri follows the same registry. */
static void test_logout_redirects_only_to_allowed_uris(void **state)
{
    static const char *const opt[] = {"https://app.example/bye", NULL};
    scalekit_emulator *emu = start(opt);
    char loc[512];
    assert_int_equal(logout(emu, "https%3A%2F%2Fapp.example%2Fbye", loc, sizeof loc), 302);
    assert_string_equal(loc, "https://app.example/bye");
    assert_int_equal(logout(emu, "http%3A%2F%2Flocalhost%3A8080%2Fbye", loc, sizeof loc), 302);
    assert_string_equal(loc, "http://localhost:8080/bye");
    assert_int_equal(logout(emu, "https%3A%2F%2Fevil.example%2Fbye", loc, sizeof loc), 400);
    assert_string_equal(loc, "");
    assert_int_equal(logout(emu, "https%3A%2F%2Fapp.example%2Fbye2", loc, sizeof loc), 400);
    scalekit_emulator_stop(emu);
}

/* Registered URIs live in the data file: a restart on it keeps them. */
static void test_registrations_survive_a_restart(void **state)
{
    char path[] = "/tmp/it_emulator_redirects_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    static const char *const opt[] = {"https://kept.example/cb", NULL};
    scalekit_emulator_options o = {.quiet = 1, .data_path = path, .redirect_uris = opt};
    scalekit_emulator *emu = NULL;
    assert_int_equal(scalekit_emulator_start(&o, &emu), 0);
    scalekit_emulator_stop(emu);
    o.redirect_uris = NULL;
    assert_int_equal(scalekit_emulator_start(&o, &emu), 0);
    assert_int_equal(authorize(emu, "https://kept.example/cb", NULL), 200);
    scalekit_emulator_stop(emu);
    unlink(path);
}

/* Every page forbids loading anything, framing and referrers; the login form may
 * post to the emulator and, after its redirect, to the app's origin only. */
static void assert_page_headers(const emu_http_response *r, const char *form_target)
{
    char v[512];
    assert_non_null(emu_http_header(r, "Content-Security-Policy", v, sizeof v));
    assert_non_null(strstr(v, "default-src 'none'"));
    assert_non_null(strstr(v, "frame-ancestors 'none'"));
    assert_non_null(strstr(v, "base-uri 'none'"));
    char form_action[256];
    snprintf(form_action, sizeof form_action, "form-action 'self'%s%s;", form_target ? " " : "",
             form_target ? form_target : "");
    if (!strstr(v, form_action))
        fail_msg("Content-Security-Policy \"%s\" lacks \"%s\"", v, form_action);
    assert_non_null(emu_http_header(r, "X-Frame-Options", v, sizeof v));
    assert_string_equal(v, "DENY");
    assert_non_null(emu_http_header(r, "Referrer-Policy", v, sizeof v));
    assert_string_equal(v, "no-referrer");
    assert_non_null(emu_http_header(r, "X-Content-Type-Options", v, sizeof v));
    assert_string_equal(v, "nosniff");
}

static void test_pages_carry_security_headers(void **state)
{
    scalekit_emulator *emu = start(NULL);
    emu_http_response r;
    assert_int_equal(authorize(emu, "http://127.0.0.1:5555/cb?x=1", &r), 200);
    char action[300];
    snprintf(action, sizeof action, "<form method=\"post\" action=\"%s/oauth/authorize\">", scalekit_emulator_url(emu));
    assert_non_null(strstr(r.body, action));   /* the emulator itself: form-action 'self' */
    assert_page_headers(&r, "http://127.0.0.1:5555");
    emu_http_response_free(&r);

    assert_int_equal(authorize(emu, "https://evil.example/", &r), 400);   /* the error page */
    assert_page_headers(&r, NULL);
    emu_http_response_free(&r);

    get(emu, "/oidc/logout", &r);   /* the signed-out page */
    assert_int_equal(r.status, 200);
    assert_page_headers(&r, NULL);
    emu_http_response_free(&r);
    get(emu, "/oidc/logout?id_token_hint=garbage", &r);   /* the sign-out error page */
    assert_int_equal(r.status, 400);
    assert_page_headers(&r, NULL);
    emu_http_response_free(&r);

    /* The form still completes, and the redirect carrying the code sends no referrer. */
    char url[256], form[512], v[64];
    snprintf(url, sizeof url, "%s/oauth/authorize", scalekit_emulator_url(emu));
    snprintf(form, sizeof form, "response_type=code&client_id=%s&redirect_uri=http%%3A%%2F%%2F127.0.0.1%%3A5555%%2Fcb"
                                "&email=headers%%40example.com", scalekit_emulator_client_id(emu));
    emu_http("POST", url, NULL, form, &r);
    assert_int_equal(r.status, 302);
    assert_non_null(emu_http_header(&r, "Referrer-Policy", v, sizeof v));
    assert_string_equal(v, "no-referrer");
    emu_http_response_free(&r);
    scalekit_emulator_stop(emu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loopback_uris_need_no_registration),
        cmocka_unit_test(test_malformed_uris_get_an_error_page),
        cmocka_unit_test(test_registered_uris_match_exactly),
        cmocka_unit_test(test_logout_redirects_only_to_allowed_uris),
        cmocka_unit_test(test_registrations_survive_a_restart),
        cmocka_unit_test(test_pages_carry_security_headers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
