/* The emulator's OAuth/OIDC side over real HTTP: token grants, login page, discovery, logout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/evp.h>

#include "core/core.h"
#include "emu_testhttp.h"
#include "emulator.h"

/* The inline scripts a page may carry (emulator/http.h, whose typedef emu this file's names would shadow). */
extern const char *const emu_page_scripts[];

#define REDIRECT "http://app.example/callback"
#define VERIFIER "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-and-some-more-chars"

/* The app.example URIs these tests redirect to, registered as --redirect-uri does. */
static const char *const registered[] = {REDIRECT, "http://app.example/cb", "http://app.example/cb?k=v",
                                         "http://app.example/bye", NULL};

static scalekit_emulator *start(void)
{
    scalekit_emulator_options o = {.quiet = 1, .redirect_uris = registered};
    scalekit_emulator *emu = NULL;
    assert_int_equal(scalekit_emulator_start(&o, &emu), 0);
    return emu;
}

static void url_of(const scalekit_emulator *emu, const char *path, char *out, size_t n)
{
    snprintf(out, n, "%s%s", scalekit_emulator_url(emu), path);
}

/* POST /oauth/token with @p form; the parsed answer (new reference) and the status. */
static json_t *token_call(const scalekit_emulator *emu, const char *form, long *status, const char *const *hdrs)
{
    char url[256];
    url_of(emu, "/oauth/token", url, sizeof url);
    emu_http_response r;
    emu_http("POST", url, hdrs, form, &r);
    *status = r.status;
    json_t *j = emu_http_json(&r);
    emu_http_response_free(&r);
    assert_non_null(j);
    return j;
}

/* The payload of a JWT, decoded (no verification: the API tests verify). */
static json_t *jwt_payload(const char *jwt)
{
    const char *dot1 = strchr(jwt, '.');
    assert_non_null(dot1);
    const char *dot2 = strchr(dot1 + 1, '.');
    assert_non_null(dot2);
    unsigned char *raw = NULL;
    size_t len = 0;
    assert_int_equal(skit_base64url_decode(dot1 + 1, (size_t)(dot2 - dot1 - 1), &raw, &len), 0);
    json_t *j = json_loadb((char *)raw, len, 0, NULL);
    free(raw);
    assert_non_null(j);
    return j;
}

static void s256(const char *verifier, char out[64])
{
    unsigned char md[32];
    unsigned int n = 0;
    EVP_Digest(verifier, strlen(verifier), md, &n, EVP_sha256(), NULL);
    out[skit_base64url_encode(md, 32, out)] = '\0';
}

static void form_exchange(const scalekit_emulator *emu, const char *code, const char *redirect,
                          const char *verifier, char *out, size_t n)
{
    snprintf(out, n, "grant_type=authorization_code&client_id=%s&client_secret=%s&code=%s"
                     "&redirect_uri=%s%s%s", scalekit_emulator_client_id(emu),
             scalekit_emulator_client_secret(emu), code, redirect,
             verifier ? "&code_verifier=" : "", verifier ? verifier : "");
}

static void test_start_stop_repeatedly(void **state)
{
    for (int i = 0; i < 5; i++) {
        scalekit_emulator *emu = start();
        assert_true(scalekit_emulator_port(emu) > 0);
        assert_non_null(strstr(scalekit_emulator_url(emu), "http://127.0.0.1:"));
        assert_non_null(strstr(scalekit_emulator_client_id(emu), "skc_"));
        assert_non_null(strstr(scalekit_emulator_webhook_secret(emu), "whsec_"));
        char url[256];
        url_of(emu, "/_emulator/health", url, sizeof url);
        emu_http_response r;
        emu_http("GET", url, NULL, NULL, &r);
        assert_int_equal(r.status, 200);
        assert_string_equal(r.body, "{\"status\":\"ok\"}");
        char rid[64];
        assert_non_null(emu_http_header(&r, "x-request-id", rid, sizeof rid));
        emu_http_response_free(&r);
        scalekit_emulator_stop(emu);
    }
    scalekit_emulator_stop(NULL);
    scalekit_emulator *emu = NULL;
    scalekit_emulator_options bad = {.port = 70000, .quiet = 1};
    assert_int_not_equal(scalekit_emulator_start(&bad, &emu), 0);
    assert_null(emu);
}

static void test_client_credentials(void **state)
{
    scalekit_emulator *emu = start();
    char form[1024];
    long status;
    snprintf(form, sizeof form, "grant_type=client_credentials&client_id=%s&client_secret=%s&scope=read",
             scalekit_emulator_client_id(emu), scalekit_emulator_client_secret(emu));
    json_t *j = token_call(emu, form, &status, NULL);
    assert_int_equal(status, 200);
    assert_string_equal(json_string_value(json_object_get(j, "token_type")), "Bearer");
    assert_int_equal(json_integer_value(json_object_get(j, "expires_in")), 3600);
    assert_string_equal(json_string_value(json_object_get(j, "scope")), "read");
    assert_null(json_object_get(j, "refresh_token"));
    json_t *p = jwt_payload(json_string_value(json_object_get(j, "access_token")));
    assert_string_equal(json_string_value(json_object_get(p, "iss")), scalekit_emulator_url(emu));
    assert_string_equal(json_string_value(json_object_get(p, "sub")), scalekit_emulator_client_id(emu));
    assert_string_equal(json_string_value(json_array_get(json_object_get(p, "aud"), 0)),
                        scalekit_emulator_client_id(emu));
    assert_string_equal(json_string_value(json_object_get(p, "client_id")), scalekit_emulator_client_id(emu));
    assert_non_null(json_object_get(p, "jti"));
    assert_true(json_integer_value(json_object_get(p, "exp")) > json_integer_value(json_object_get(p, "iat")));
    json_decref(p);
    json_decref(j);

    /* HTTP Basic client authentication. */
    char basic_raw[256], basic[400], hdr[450];
    snprintf(basic_raw, sizeof basic_raw, "%s:%s", scalekit_emulator_client_id(emu),
             scalekit_emulator_client_secret(emu));
    basic[skit_base64_encode((unsigned char *)basic_raw, strlen(basic_raw), basic)] = '\0';
    snprintf(hdr, sizeof hdr, "Authorization: Basic %s", basic);
    const char *hdrs[] = {hdr, NULL};
    j = token_call(emu, "grant_type=client_credentials", &status, hdrs);
    assert_int_equal(status, 200);
    assert_non_null(json_object_get(j, "access_token"));
    json_decref(j);

    /* Wrong secret: 401 invalid_client with WWW-Authenticate. */
    char url[256];
    url_of(emu, "/oauth/token", url, sizeof url);
    snprintf(form, sizeof form, "grant_type=client_credentials&client_id=%s&client_secret=wrong",
             scalekit_emulator_client_id(emu));
    emu_http_response r;
    emu_http("POST", url, NULL, form, &r);
    assert_int_equal(r.status, 401);
    char www[128];
    assert_non_null(emu_http_header(&r, "WWW-Authenticate", www, sizeof www));
    j = emu_http_json(&r);
    assert_string_equal(json_string_value(json_object_get(j, "error")), "invalid_client");
    assert_non_null(json_object_get(j, "error_description"));
    json_decref(j);
    emu_http_response_free(&r);

    /* Missing and unknown grant types. */
    j = token_call(emu, "client_id=x", &status, NULL);
    assert_int_equal(status, 400);
    assert_string_equal(json_string_value(json_object_get(j, "error")), "invalid_request");
    json_decref(j);
    j = token_call(emu, "grant_type=password&username=a&password=b", &status, NULL);
    assert_int_equal(status, 400);
    assert_string_equal(json_string_value(json_object_get(j, "error")), "unsupported_grant_type");
    json_decref(j);
    scalekit_emulator_stop(emu);
}

static void test_authorization_code_pkce(void **state)
{
    scalekit_emulator *emu = start();
    char challenge[64], extra[512], form[2048];
    long status;
    s256(VERIFIER, challenge);
    char *org = emu_test_create_organization(emu, "Acme");
    assert_non_null(org);
    snprintf(extra, sizeof extra, "code_challenge=%s&code_challenge_method=S256&nonce=n-1&state=s1"
                                  "&organization_id=%s&scope=openid%%20profile%%20email", challenge, org);

    /* Success, then the same code again (single use). */
    char *code = emu_test_login(emu, "ada@example.com", REDIRECT, extra);
    assert_non_null(code);
    form_exchange(emu, code, REDIRECT, VERIFIER, form, sizeof form);
    json_t *j = token_call(emu, form, &status, NULL);
    assert_int_equal(status, 200);
    assert_string_equal(json_string_value(json_object_get(j, "scope")), "openid profile email");
    assert_non_null(json_object_get(j, "refresh_token"));
    json_t *id = jwt_payload(json_string_value(json_object_get(j, "id_token")));
    assert_string_equal(json_string_value(json_object_get(id, "email")), "ada@example.com");
    assert_string_equal(json_string_value(json_object_get(id, "nonce")), "n-1");
    assert_string_equal(json_string_value(json_object_get(id, "oid")), org);
    assert_string_equal(json_string_value(json_object_get(id, "aud")), scalekit_emulator_client_id(emu));
    assert_non_null(json_object_get(id, "sid"));
    json_t *ident = json_array_get(json_object_get(id, "identities"), 0);
    assert_string_equal(json_string_value(json_object_get(ident, "organization_id")), org);
    assert_true(json_is_false(json_object_get(ident, "social")));
    json_t *at = jwt_payload(json_string_value(json_object_get(j, "access_token")));
    assert_string_equal(json_string_value(json_object_get(at, "sub")), json_string_value(json_object_get(id, "sub")));
    assert_string_equal(json_string_value(json_object_get(at, "oid")), org);
    assert_string_equal(json_string_value(json_object_get(at, "sid")), json_string_value(json_object_get(id, "sid")));
    assert_string_equal(json_string_value(json_array_get(json_object_get(at, "roles"), 0)), "member");
    json_decref(at);
    json_decref(id);
    json_decref(j);
    j = token_call(emu, form, &status, NULL);
    assert_int_equal(status, 400);
    assert_string_equal(json_string_value(json_object_get(j, "error")), "invalid_grant");
    json_decref(j);
    free(code);

    /* A wrong verifier. */
    code = emu_test_login(emu, "ada@example.com", REDIRECT, extra);
    form_exchange(emu, code, REDIRECT, VERIFIER "x", form, sizeof form);
    j = token_call(emu, form, &status, NULL);
    assert_int_equal(status, 400);
    assert_string_equal(json_string_value(json_object_get(j, "error")), "invalid_grant");
    json_decref(j);
    free(code);

    /* No verifier at all for a PKCE code. */
    code = emu_test_login(emu, "ada@example.com", REDIRECT, extra);
    form_exchange(emu, code, REDIRECT, NULL, form, sizeof form);
    j = token_call(emu, form, &status, NULL);
    assert_int_equal(status, 400);
    json_decref(j);
    free(code);

    /* Another redirect_uri than the authorization request's. */
    code = emu_test_login(emu, "ada@example.com", REDIRECT, extra);
    form_exchange(emu, code, "http://evil.example/cb", VERIFIER, form, sizeof form);
    j = token_call(emu, form, &status, NULL);
    assert_int_equal(status, 400);
    assert_string_equal(json_string_value(json_object_get(j, "error")), "invalid_grant");
    json_decref(j);
    free(code);

    /* PKCE plain. */
    snprintf(extra, sizeof extra, "code_challenge=%s&code_challenge_method=plain", VERIFIER);
    code = emu_test_login(emu, "grace@example.com", REDIRECT, extra);
    form_exchange(emu, code, REDIRECT, VERIFIER, form, sizeof form);
    j = token_call(emu, form, &status, NULL);
    assert_int_equal(status, 200);
    json_decref(j);
    free(code);

    /* An unknown code. */
    form_exchange(emu, "nope", REDIRECT, NULL, form, sizeof form);
    j = token_call(emu, form, &status, NULL);
    assert_int_equal(status, 400);
    assert_string_equal(json_string_value(json_object_get(j, "error")), "invalid_grant");
    json_decref(j);
    free(org);
    scalekit_emulator_stop(emu);
}

static json_t *refresh(scalekit_emulator *emu, const char *token, long *status)
{
    char form[1024];
    snprintf(form, sizeof form, "grant_type=refresh_token&client_id=%s&client_secret=%s&refresh_token=%s",
             scalekit_emulator_client_id(emu), scalekit_emulator_client_secret(emu), token);
    return token_call(emu, form, status, NULL);
}

static void test_refresh_rotation_and_logout(void **state)
{
    scalekit_emulator *emu = start();
    char form[2048];
    long status;
    char *code = emu_test_login(emu, "linus@example.com", REDIRECT, NULL);
    assert_non_null(code);
    form_exchange(emu, code, REDIRECT, NULL, form, sizeof form);
    free(code);
    json_t *first = token_call(emu, form, &status, NULL);
    assert_int_equal(status, 200);
    const char *rt1 = json_string_value(json_object_get(first, "refresh_token"));

    json_t *second = refresh(emu, rt1, &status);
    assert_int_equal(status, 200);
    const char *rt2 = json_string_value(json_object_get(second, "refresh_token"));
    assert_non_null(rt2);
    assert_string_not_equal(rt1, rt2);
    assert_non_null(json_object_get(second, "id_token"));

    json_t *again = refresh(emu, rt1, &status);   /* rotated: the old one is spent */
    assert_int_equal(status, 400);
    assert_string_equal(json_string_value(json_object_get(again, "error")), "invalid_grant");
    json_decref(again);

    /* Logout with id_token_hint ends the session: its refresh token stops working. */
    char url[4096];
    snprintf(url, sizeof url, "%s/oidc/logout?id_token_hint=%s&post_logout_redirect_uri=%s&state=st%%201",
             scalekit_emulator_url(emu), json_string_value(json_object_get(second, "id_token")),
             "http%3A%2F%2Fapp.example%2Fbye");
    emu_http_response r;
    emu_http("GET", url, NULL, NULL, &r);
    assert_int_equal(r.status, 302);
    char loc[512];
    assert_non_null(emu_http_header(&r, "Location", loc, sizeof loc));
    assert_string_equal(loc, "http://app.example/bye?state=st%201");
    emu_http_response_free(&r);
    again = refresh(emu, rt2, &status);
    assert_int_equal(status, 400);
    json_decref(again);

    /* Without a redirect: a signed-out page. */
    url_of(emu, "/oidc/logout", url, sizeof url);
    emu_http("GET", url, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "signed out"));
    emu_http_response_free(&r);
    /* A hint that is not our token. */
    url_of(emu, "/oidc/logout?id_token_hint=garbage", url, sizeof url);
    emu_http("GET", url, NULL, NULL, &r);
    assert_int_equal(r.status, 400);
    emu_http_response_free(&r);

    json_decref(first);
    json_decref(second);
    scalekit_emulator_stop(emu);
}

static void test_discovery_and_keys(void **state)
{
    scalekit_emulator *emu = start();
    char url[256], expect[256];
    emu_http_response r;
    url_of(emu, "/.well-known/openid-configuration", url, sizeof url);
    emu_http("GET", url, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    json_t *d = emu_http_json(&r);
    emu_http_response_free(&r);
    assert_string_equal(json_string_value(json_object_get(d, "issuer")), scalekit_emulator_url(emu));
    url_of(emu, "/oauth/authorize", expect, sizeof expect);
    assert_string_equal(json_string_value(json_object_get(d, "authorization_endpoint")), expect);
    url_of(emu, "/oauth/token", expect, sizeof expect);
    assert_string_equal(json_string_value(json_object_get(d, "token_endpoint")), expect);
    url_of(emu, "/keys", expect, sizeof expect);
    assert_string_equal(json_string_value(json_object_get(d, "jwks_uri")), expect);
    url_of(emu, "/oidc/logout", expect, sizeof expect);
    assert_string_equal(json_string_value(json_object_get(d, "end_session_endpoint")), expect);
    assert_string_equal(json_string_value(json_array_get(json_object_get(d, "id_token_signing_alg_values_supported"), 0)), "RS256");
    assert_string_equal(json_string_value(json_array_get(json_object_get(d, "code_challenge_methods_supported"), 0)), "S256");
    assert_non_null(json_object_get(d, "response_types_supported"));
    assert_non_null(json_object_get(d, "subject_types_supported"));
    assert_non_null(json_object_get(d, "scopes_supported"));
    assert_non_null(json_object_get(d, "grant_types_supported"));
    json_decref(d);

    url_of(emu, "/keys", url, sizeof url);
    emu_http("GET", url, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    json_t *k = emu_http_json(&r);
    emu_http_response_free(&r);
    json_t *key = json_array_get(json_object_get(k, "keys"), 0);
    assert_int_equal(json_array_size(json_object_get(k, "keys")), 1);
    assert_string_equal(json_string_value(json_object_get(key, "kty")), "RSA");
    assert_string_equal(json_string_value(json_object_get(key, "alg")), "RS256");
    assert_string_equal(json_string_value(json_object_get(key, "use")), "sig");
    assert_non_null(json_object_get(key, "kid"));
    assert_non_null(json_object_get(key, "n"));
    assert_string_equal(json_string_value(json_object_get(key, "e")), "AQAB");
    assert_null(json_object_get(key, "d"));   /* never the private half */
    json_decref(k);
    scalekit_emulator_stop(emu);
}

static void test_login_page(void **state)
{
    scalekit_emulator *emu = start();
    char url[2048];
    emu_http_response r;
    snprintf(url, sizeof url, "%s/oauth/authorize?response_type=code&client_id=%s&redirect_uri=%s"
             "&state=%%22%%3E%%3Cscript%%3Ealert(1)%%3C%%2Fscript%%3E&login_hint=a%%22%%3E%%3Cb%%3E%%40x.io",
             scalekit_emulator_url(emu), scalekit_emulator_client_id(emu), "http%3A%2F%2Fapp.example%2Fcb");
    emu_http("GET", url, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    char ct[128];
    assert_non_null(emu_http_header(&r, "Content-Type", ct, sizeof ct));
    assert_non_null(strstr(ct, "text/html"));
    assert_non_null(strstr(r.body, "name=\"email\""));
    assert_non_null(strstr(r.body, "type=\"email\""));
    assert_non_null(strstr(r.body, "<label for=\"email\""));
    assert_non_null(strstr(r.body, "value=\"a&quot;&gt;&lt;b&gt;@x.io\""));
    /* The state stays on the server (login.c); the page carries the request's id only. */
    assert_null(strstr(r.body, "alert(1)"));
    /* The only scripts are the emulator's own, whole (emu_page_scripts: the CSP allows them by hash). */
    for (const char *p = strstr(r.body, "<script"); p; p = strstr(p + 1, "<script")) {
        bool known = false;
        for (size_t i = 0; emu_page_scripts[i] && !known; i++) {
            size_t n = strlen(emu_page_scripts[i]);
            known = strncmp(p, "<script>", 8) == 0 && strncmp(p + 8, emu_page_scripts[i], n) == 0 &&
                    strncmp(p + 8 + n, "</script>", 9) == 0;
        }
        assert_true(known);
    }
    assert_null(strstr(r.body, "<b>"));
    assert_null(strstr(r.body, "name=\"state\""));
    assert_non_null(strstr(r.body, "name=\"login_request_id\" value=\"lri_"));
    emu_http_response_free(&r);

    /* An unknown client: an error page, no redirect. */
    snprintf(url, sizeof url, "%s/oauth/authorize?response_type=code&client_id=skc_nobody&redirect_uri=%s",
             scalekit_emulator_url(emu), "http%3A%2F%2Fapp.example%2Fcb");
    emu_http("GET", url, NULL, NULL, &r);
    assert_int_equal(r.status, 400);
    char loc[512];
    assert_null(emu_http_header(&r, "Location", loc, sizeof loc));
    assert_non_null(strstr(r.body, "skc_nobody"));
    emu_http_response_free(&r);

    /* A relative redirect_uri: an error page too. */
    snprintf(url, sizeof url, "%s/oauth/authorize?response_type=code&client_id=%s&redirect_uri=/cb",
             scalekit_emulator_url(emu), scalekit_emulator_client_id(emu));
    emu_http("GET", url, NULL, NULL, &r);
    assert_int_equal(r.status, 400);
    emu_http_response_free(&r);

    /* response_type=token: redirect back with the error and the state. */
    snprintf(url, sizeof url, "%s/oauth/authorize?response_type=token&client_id=%s&redirect_uri=%s&state=abc",
             scalekit_emulator_url(emu), scalekit_emulator_client_id(emu), "http%3A%2F%2Fapp.example%2Fcb");
    emu_http("GET", url, NULL, NULL, &r);
    assert_int_equal(r.status, 302);
    assert_non_null(emu_http_header(&r, "Location", loc, sizeof loc));
    assert_string_equal(loc, "http://app.example/cb?error=unsupported_response_type&state=abc");
    emu_http_response_free(&r);

    /* The form POST redirects with a code and the untouched state. */
    char form[1024];
    url_of(emu, "/oauth/authorize", url, sizeof url);
    snprintf(form, sizeof form, "response_type=code&client_id=%s&redirect_uri=%s&state=x%%2By%%20z&email=new%%40example.com",
             scalekit_emulator_client_id(emu), "http%3A%2F%2Fapp.example%2Fcb%3Fk%3Dv");
    emu_http("POST", url, NULL, form, &r);
    assert_int_equal(r.status, 302);
    assert_non_null(emu_http_header(&r, "Location", loc, sizeof loc));
    assert_true(strncmp(loc, "http://app.example/cb?k=v&code=", 31) == 0);
    char *st = emu_test_query_param(loc, "state");
    assert_string_equal(st, "x+y z");
    free(st);
    char *code = emu_test_query_param(loc, "code");
    assert_true(code && strlen(code) >= 32);
    free(code);
    emu_http_response_free(&r);

    /* A bad email re-renders the form with 400. */
    snprintf(form, sizeof form, "response_type=code&client_id=%s&redirect_uri=%s&email=not-an-email",
             scalekit_emulator_client_id(emu), "http%3A%2F%2Fapp.example%2Fcb");
    emu_http("POST", url, NULL, form, &r);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "name=\"email\""));
    emu_http_response_free(&r);
    scalekit_emulator_stop(emu);
}

static void test_idp_initiated_login(void **state)
{
    scalekit_emulator *emu = start();
    char url[256];
    url_of(emu, "/_emulator/idp-initiated-login", url, sizeof url);
    emu_http_response r;
    emu_http("POST", url, NULL, "{\"connection_id\":\"conn_1\",\"organization_id\":\"org_1\","
                                "\"login_hint\":\"a@b.c\",\"relay_state\":\"rs\"}", &r);
    assert_int_equal(r.status, 200);
    json_t *j = emu_http_json(&r);
    json_t *p = jwt_payload(json_string_value(json_object_get(j, "token")));
    assert_string_equal(json_string_value(json_object_get(p, "connection_id")), "conn_1");
    assert_string_equal(json_string_value(json_object_get(p, "organization_id")), "org_1");
    assert_string_equal(json_string_value(json_object_get(p, "login_hint")), "a@b.c");
    assert_string_equal(json_string_value(json_object_get(p, "relay_state")), "rs");
    assert_string_equal(json_string_value(json_object_get(p, "iss")), scalekit_emulator_url(emu));
    assert_int_equal(json_integer_value(json_object_get(p, "exp")) - json_integer_value(json_object_get(p, "iat")), 300);
    json_decref(p);
    json_decref(j);
    emu_http_response_free(&r);
    emu_http("POST", url, NULL, "{\"connection_id\":5}", &r);
    assert_int_equal(r.status, 400);
    emu_http_response_free(&r);
    emu_http("POST", url, NULL, "not json", &r);
    assert_int_equal(r.status, 400);
    emu_http_response_free(&r);
    scalekit_emulator_stop(emu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_start_stop_repeatedly),
        cmocka_unit_test(test_client_credentials),
        cmocka_unit_test(test_authorization_code_pkce),
        cmocka_unit_test(test_refresh_rotation_and_logout),
        cmocka_unit_test(test_discovery_and_keys),
        cmocka_unit_test(test_login_page),
        cmocka_unit_test(test_idp_initiated_login),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
