/*
 * The SDK's OAuth/OIDC surface over real HTTP: client construction, the
 * authorization URL followed to the hosted login page, the code exchange with
 * PKCE (and its refusals), refresh with rotation, logout, and IdP-initiated login.
 * Against the in-process emulator, or an external environment when
 * SCALEKIT_ENVIRONMENT_URL, SCALEKIT_CLIENT_ID and SCALEKIT_CLIENT_SECRET are set
 * (emu_fixture_start_env): there the tests that need the hosted login form or the
 * emulator's controls skip, and the rest check the environment.
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

#include "emu_fixture.h"
#include "emu_testhttp.h"

#define REDIRECT "http://localhost:8080/callback"   /* loopback: allowed unregistered */

static void assert_oauth_error(int rc, int code, long status, const char *error_code)
{
    assert_int_equal(rc, code);
    const scalekit_error *e = scalekit_error_last();
    assert_int_equal(e->code, code);
    assert_int_equal(e->http_status, status);
    assert_non_null(e->error_code);
    assert_string_equal(e->error_code, error_code);
    assert_non_null(e->message);
}

/* Authorization URL with a fresh PKCE pair and the login; the code (malloc'd). */
static char *login_code(emu_fixture *f, const char *email, scalekit_pkce *pkce)
{
    assert_int_equal(scalekit_generate_pkce(pkce), SCALEKIT_OK);
    scalekit_authorization_url_options o = { .struct_size = sizeof(scalekit_authorization_url_options), .state = "s1", .code_challenge = pkce->code_challenge,
                                            .code_challenge_method = pkce->code_challenge_method};
    char *url = NULL;
    assert_int_equal(scalekit_get_authorization_url(f->client, REDIRECT, &o, &url), SCALEKIT_OK);
    char *location = emu_fixture_login(f, url, email, NULL);
    char *code = emu_test_query_param(location, "code");
    assert_non_null(code);
    scalekit_free(url);
    free(location);
    return code;
}

static void test_client_new_and_its_refusals(void **state)
{
    emu_fixture *f = *state;
    scalekit_client *c = NULL;
    char with_slash[200];
    snprintf(with_slash, sizeof with_slash, "%s/", f->url);
    assert_int_equal(scalekit_client_new(&c, with_slash, f->client_id, f->client_secret), SCALEKIT_OK);
    assert_string_equal(scalekit_client_env_url(c), f->url);
    scalekit_client_free(c);

    c = (scalekit_client *)1;
    assert_int_equal(scalekit_client_new(&c, f->url, "", f->client_secret), SCALEKIT_EINVAL);
    assert_null(c);
    assert_non_null(strstr(emu_fixture_last_message(), "client_id"));
    assert_int_equal(scalekit_client_new(&c, f->url, f->client_id, ""), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_client_new(&c, "ftp://example.com", f->client_id, f->client_secret),
                     SCALEKIT_EINVAL);
    assert_int_equal(scalekit_client_new(&c, NULL, f->client_id, f->client_secret), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_client_new(NULL, f->url, f->client_id, f->client_secret), SCALEKIT_EINVAL);

    scalekit_client_options bad_timeout = { .struct_size = sizeof(scalekit_client_options), .timeout_ms = -5};
    assert_int_equal(scalekit_client_new_with_options(&c, f->url, f->client_id, f->client_secret, &bad_timeout),
                     SCALEKIT_EINVAL);
    scalekit_client_options bad_ca = { .struct_size = sizeof(scalekit_client_options), .ca_bundle_path = "/nonexistent/ca.pem"};
    assert_int_equal(scalekit_client_new_with_options(&c, f->url, f->client_id, f->client_secret, &bad_ca),
                     SCALEKIT_EINVAL);
    assert_non_null(strstr(emu_fixture_last_message(), "/nonexistent/ca.pem"));

    /* A client with options works against the environment. */
    scalekit_client_options o = { .struct_size = sizeof(scalekit_client_options), .timeout_ms = 5000, .max_retries = 1, .user_agent_suffix = "it/1"};
    assert_int_equal(scalekit_client_new_with_options(&c, f->url, f->client_id, f->client_secret, &o),
                     SCALEKIT_OK);
    scalekit_token_response *t = NULL;
    assert_int_equal(scalekit_generate_client_token(c, NULL, &t), SCALEKIT_OK);
    scalekit_token_response_free(t);
    scalekit_client_free(c);
}

/* The options as the authorization URL's query parameters, decoded (no network). */
static void test_authorization_url_carries_the_options(void **state)
{
    emu_fixture *f = *state;
    const char *scopes[] = {"openid", "email", "offline_access", NULL};
    scalekit_authorization_url_options o = { .struct_size = sizeof(scalekit_authorization_url_options),
        .scopes = scopes, .state = "st&=/ é", .nonce = "n-123", .login_hint = "ada@example.com",
        /* No connection_id: a request naming one goes to that connection (it_sso_oidc.c). */
        .domain_hint = "example.com", .organization_id = "org_1",
        .code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", .code_challenge_method = "S256",
        .prompt = "login"};
    char *url = NULL;
    assert_int_equal(scalekit_get_authorization_url(f->client, REDIRECT, &o, &url), SCALEKIT_OK);
    char prefix[300];
    snprintf(prefix, sizeof prefix, "%s/oauth/authorize?", f->url);
    assert_int_equal(strncmp(url, prefix, strlen(prefix)), 0);
    const struct { const char *name, *value; } want[] = {
        {"client_id", f->client_id}, {"redirect_uri", REDIRECT}, {"response_type", "code"},
        {"scope", "openid email offline_access"}, {"state", "st&=/ é"}, {"nonce", "n-123"},
        {"login_hint", "ada@example.com"},
        {"code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"},
        {"code_challenge_method", "S256"}, {"organization_id", "org_1"},
        {"domain_hint", "example.com"}, {"prompt", "login"}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char *got = emu_test_query_param(url, want[i].name);
        if (!got || strcmp(got, want[i].value) != 0)
            fail_msg("query parameter %s: got \"%s\", want \"%s\"", want[i].name, got ? got : "(absent)",
                     want[i].value);
        free(got);
    }
    scalekit_free(url);

    /* Defaults: the three OIDC scopes; absent options are absent. */
    assert_int_equal(scalekit_get_authorization_url(f->client, REDIRECT, NULL, &url), SCALEKIT_OK);
    char *scope = emu_test_query_param(url, "scope");
    assert_non_null(scope);
    assert_string_equal(scope, "openid profile email");
    free(scope);
    assert_null(strstr(url, "state="));
    assert_null(strstr(url, "code_challenge"));
    assert_null(strstr(url, "nonce="));
    scalekit_free(url);

    assert_int_equal(scalekit_get_authorization_url(f->client, "", NULL, &url), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_get_authorization_url(f->client, NULL, NULL, &url), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_get_authorization_url(NULL, REDIRECT, NULL, &url), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_get_authorization_url(f->client, REDIRECT, NULL, NULL), SCALEKIT_EINVAL);
}

static void test_authorization_url_renders_the_login_page(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "following the URL to the hosted login form");
    const char *scopes[] = {"openid", "email", "offline_access", NULL};
    scalekit_authorization_url_options o = { .struct_size = sizeof(scalekit_authorization_url_options),
        .scopes = scopes, .state = "st&=/ é", .nonce = "n-123", .login_hint = "ada@example.com",
        /* No connection_id: a request naming one goes to that connection (it_sso_oidc.c). */
        .domain_hint = "example.com", .organization_id = "org_1",
        .code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", .code_challenge_method = "S256",
        .prompt = "login"};
    char *url = NULL;
    assert_int_equal(scalekit_get_authorization_url(f->client, REDIRECT, &o, &url), SCALEKIT_OK);
    assert_non_null(strstr(url, f->url));
    assert_non_null(strstr(url, "/oauth/authorize?"));

    emu_http_response page;
    emu_http("GET", url, NULL, NULL, &page);
    assert_int_equal(page.status, 200);
    /* login_hint prefills the email field. */
    assert_non_null(strstr(page.body, "value=\"ada@example.com\""));
    json_t *page_fields = emu_fixture_form_fields(page.body);
    emu_http_response_free(&page);
    /* The page carries only the request's id; the parameters stay on the server. */
    assert_int_equal(json_object_size(page_fields), 1);
    json_t *fields = emu_fixture_login_request(f, json_string_value(json_object_get(page_fields,
                                                                                     "login_request_id")));
    json_decref(page_fields);
    const struct { const char *name, *value; } want[] = {
        {"client_id", f->client_id}, {"redirect_uri", REDIRECT},
        {"scope", "openid email offline_access"}, {"state", "st&=/ é"}, {"nonce", "n-123"},
        {"code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"},
        {"code_challenge_method", "S256"}, {"organization_id", "org_1"},
        {"domain_hint", "example.com"}, {"prompt", "login"}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const char *got = json_string_value(json_object_get(fields, want[i].name));
        if (!got || strcmp(got, want[i].value) != 0)
            fail_msg("form field %s: got \"%s\", want \"%s\"", want[i].name, got ? got : "(absent)",
                     want[i].value);
    }
    json_decref(fields);
    scalekit_free(url);

    /* Defaults: the three OIDC scopes; absent options are absent. */
    assert_int_equal(scalekit_get_authorization_url(f->client, REDIRECT, NULL, &url), SCALEKIT_OK);
    char *location = emu_fixture_login(f, url, "default@example.com", &fields);
    json_t *stored = emu_fixture_login_request(f, json_string_value(json_object_get(fields, "login_request_id")));
    assert_string_equal(json_string_value(json_object_get(stored, "scope")), "openid profile email");
    assert_true(json_is_null(json_object_get(stored, "state")));
    assert_true(json_is_null(json_object_get(stored, "code_challenge")));
    assert_string_equal(json_string_value(json_object_get(stored, "status")), "SUCCESS");
    json_decref(stored);
    assert_int_equal(strncmp(location, REDIRECT "?code=", strlen(REDIRECT "?code=")), 0);
    json_decref(fields);
    free(location);
    scalekit_free(url);
}

static void test_code_exchange_with_pkce_fills_the_user(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "the hosted login form");
    scalekit_pkce pkce;
    assert_int_equal(scalekit_generate_pkce(&pkce), SCALEKIT_OK);
    assert_string_equal(pkce.code_challenge_method, "S256");
    scalekit_authorization_url_options o = { .struct_size = sizeof(scalekit_authorization_url_options), .state = "xyz", .nonce = "nonce-1",
                                            .code_challenge = pkce.code_challenge,
                                            .code_challenge_method = pkce.code_challenge_method};
    char *url = NULL;
    assert_int_equal(scalekit_get_authorization_url(f->client, REDIRECT, &o, &url), SCALEKIT_OK);
    char *location = emu_fixture_login(f, url, "grace.hopper@example.com", NULL);
    char *state_back = emu_test_query_param(location, "state");
    assert_non_null(state_back);
    assert_string_equal(state_back, "xyz");
    char *code = emu_test_query_param(location, "code");
    assert_non_null(code);

    scalekit_authentication_options ao = { .struct_size = sizeof(scalekit_authentication_options), .code_verifier = pkce.code_verifier, .nonce = "nonce-1"};
    scalekit_authentication_response *r = NULL;
    int rc = scalekit_authenticate_with_code(f->client, code, REDIRECT, &ao, &r);
    if (rc != SCALEKIT_OK)
        fail_msg("%s: %s", scalekit_strerror(rc), emu_fixture_last_message());
    assert_non_null(r->user->id);
    assert_int_equal(strncmp(r->user->id, "usr_", 4), 0);
    assert_string_equal(r->user->email, "grace.hopper@example.com");
    assert_int_equal(r->user->identity_count, 1);
    assert_non_null(r->user->identities_json[0]);
    assert_null(r->user->identities_json[1]);
    assert_non_null(strstr(r->user->identities_json[0], "conn_emulator"));
    assert_non_null(r->id_token);
    assert_non_null(r->access_token);
    assert_non_null(r->refresh_token);
    assert_true(r->expires_in > 0);
    assert_non_null(r->raw_json);

    /* The ID token's claims are the user; the access token validates and names them. */
    scalekit_claims *idc = NULL;
    assert_int_equal(scalekit_validate_token(f->client, r->id_token, NULL, &idc), SCALEKIT_OK);
    assert_string_equal(scalekit_claims_subject(idc), r->user->id);
    assert_string_equal(scalekit_claims_get_string(idc, "nonce"), "nonce-1");
    scalekit_claims_free(idc);
    scalekit_access_token_claims *ac = NULL;
    assert_int_equal(scalekit_get_access_token_claims(f->client, r->access_token, &ac), SCALEKIT_OK);
    assert_string_equal(ac->sub, r->user->id);
    assert_non_null(ac->sid);
    scalekit_access_token_claims_free(ac);

    scalekit_authentication_response_free(r);
    free(code);
    free(state_back);
    free(location);
    scalekit_free(url);
}

/* Sign in with @p sent_nonce in the authorization URL (NULL: none) and exchange the
 * code expecting @p expected_nonce; returns the exchange's code. */
static int exchange_with_nonce(emu_fixture *f, const char *sent_nonce, const char *expected_nonce)
{
    scalekit_authorization_url_options o = { .struct_size = sizeof(scalekit_authorization_url_options), .nonce = sent_nonce};
    char *url = NULL;
    assert_int_equal(scalekit_get_authorization_url(f->client, REDIRECT, &o, &url), SCALEKIT_OK);
    char *location = emu_fixture_login(f, url, "nonce.user@example.com", NULL);
    char *code = emu_test_query_param(location, "code");
    assert_non_null(code);
    scalekit_authentication_options ao = { .struct_size = sizeof(scalekit_authentication_options), .nonce = expected_nonce};
    scalekit_authentication_response *r = NULL;
    int rc = scalekit_authenticate_with_code(f->client, code, REDIRECT, &ao, &r);
    assert_true(rc == SCALEKIT_OK ? r != NULL : r == NULL);
    scalekit_authentication_response_free(r);
    free(code);
    free(location);
    scalekit_free(url);
    return rc;
}

static void test_code_exchange_checks_the_nonce(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "the hosted login form");
    assert_int_equal(exchange_with_nonce(f, "n-good", "n-good"), SCALEKIT_OK);
    assert_int_equal(exchange_with_nonce(f, "n-good", "n-other"), SCALEKIT_ETOKEN_CLAIM);
    assert_non_null(strstr(emu_fixture_last_message(), "does not match"));
    assert_int_equal(exchange_with_nonce(f, NULL, "n-expected"), SCALEKIT_ETOKEN_CLAIM);
    assert_non_null(strstr(emu_fixture_last_message(), "no nonce"));
    /* No nonce expected: the claim is not looked at. */
    assert_int_equal(exchange_with_nonce(f, "n-any", NULL), SCALEKIT_OK);
}

static void test_pkce_mismatch_is_refused(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "the hosted login form");
    scalekit_pkce pkce, other;
    char *code = login_code(f, "pkce@example.com", &pkce);
    assert_int_equal(scalekit_generate_pkce(&other), SCALEKIT_OK);
    scalekit_authentication_options ao = { .struct_size = sizeof(scalekit_authentication_options), .code_verifier = other.code_verifier};
    scalekit_authentication_response *r = (scalekit_authentication_response *)1;
    assert_oauth_error(scalekit_authenticate_with_code(f->client, code, REDIRECT, &ao, &r),
                       SCALEKIT_EINVALID_REQUEST, 400, "invalid_grant");
    assert_null(r);
    free(code);

    /* No verifier at all for a code bound to a challenge. */
    code = login_code(f, "pkce@example.com", &pkce);
    assert_oauth_error(scalekit_authenticate_with_code(f->client, code, REDIRECT, NULL, &r),
                       SCALEKIT_EINVALID_REQUEST, 400, "invalid_grant");
    free(code);
}

static void test_code_used_twice_is_refused(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "the hosted login form");
    scalekit_pkce pkce;
    char *code = login_code(f, "twice@example.com", &pkce);
    scalekit_authentication_options ao = { .struct_size = sizeof(scalekit_authentication_options), .code_verifier = pkce.code_verifier};
    scalekit_authentication_response *r = NULL;
    assert_int_equal(scalekit_authenticate_with_code(f->client, code, REDIRECT, &ao, &r), SCALEKIT_OK);
    scalekit_authentication_response_free(r);
    r = NULL;
    assert_oauth_error(scalekit_authenticate_with_code(f->client, code, REDIRECT, &ao, &r),
                       SCALEKIT_EINVALID_REQUEST, 400, "invalid_grant");
    assert_null(r);
    free(code);
}

static void test_wrong_redirect_uri_is_refused(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "the hosted login form");
    scalekit_pkce pkce;
    char *code = login_code(f, "redirect@example.com", &pkce);
    scalekit_authentication_options ao = { .struct_size = sizeof(scalekit_authentication_options), .code_verifier = pkce.code_verifier};
    scalekit_authentication_response *r = NULL;
    assert_oauth_error(scalekit_authenticate_with_code(f->client, code, "http://evil.example/cb", &ao, &r),
                       SCALEKIT_EINVALID_REQUEST, 400, "invalid_grant");
    free(code);
}

/* An unknown code is invalid_grant with 400: RFC 6749 section 5.2 requires it of any server. */
static void test_unknown_code_and_bad_input_are_refused(void **state)
{
    emu_fixture *f = *state;
    scalekit_pkce pkce;
    assert_int_equal(scalekit_generate_pkce(&pkce), SCALEKIT_OK);
    scalekit_authentication_options ao = { .struct_size = sizeof(scalekit_authentication_options), .code_verifier = pkce.code_verifier};
    scalekit_authentication_response *r = (scalekit_authentication_response *)1;
    assert_oauth_error(scalekit_authenticate_with_code(f->client, "not-a-code", REDIRECT, &ao, &r),
                       SCALEKIT_EINVALID_REQUEST, 400, "invalid_grant");
    assert_null(r);

    assert_int_equal(scalekit_authenticate_with_code(f->client, "", REDIRECT, &ao, &r), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_authenticate_with_code(f->client, NULL, REDIRECT, &ao, &r), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_authenticate_with_code(f->client, "c", "", &ao, &r), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_authenticate_with_code(f->client, "c", REDIRECT, &ao, NULL), SCALEKIT_EINVAL);
}

static void test_wrong_client_secret_is_refused(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "the hosted login form");
    scalekit_pkce pkce;
    char *code = login_code(f, "secret@example.com", &pkce);
    scalekit_client *bad = NULL;
    assert_int_equal(scalekit_client_new(&bad, f->url, f->client_id, "not-the-secret"), SCALEKIT_OK);
    scalekit_authentication_options ao = { .struct_size = sizeof(scalekit_authentication_options), .code_verifier = pkce.code_verifier};
    scalekit_authentication_response *r = NULL;
    assert_oauth_error(scalekit_authenticate_with_code(bad, code, REDIRECT, &ao, &r),
                       SCALEKIT_EUNAUTHENTICATED, 401, "invalid_client");
    assert_null(r);
    scalekit_client_free(bad);
    free(code);
}

/* The client is authenticated before the code is looked at, so a wrong secret
 * with any code is a 401 (RFC 6749 section 5.2: invalid_client). */
static void test_wrong_client_secret_is_refused_before_the_code(void **state)
{
    emu_fixture *f = *state;
    scalekit_client *bad = NULL;
    assert_int_equal(scalekit_client_new(&bad, f->url, f->client_id, "not-the-secret"), SCALEKIT_OK);
    scalekit_authentication_response *r = (scalekit_authentication_response *)1;
    int rc = scalekit_authenticate_with_code(bad, "not-a-code", REDIRECT, NULL, &r);
    assert_int_equal(rc, SCALEKIT_EUNAUTHENTICATED);
    assert_null(r);
    assert_int_equal(scalekit_error_last()->http_status, 401);
    scalekit_client_free(bad);
}

static void test_refresh_rotates_the_refresh_token(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "the hosted login form (for a refresh token)");
    scalekit_authentication_response *a = emu_fixture_sign_in(f, "refresh@example.com");
    scalekit_token_response *t = NULL;
    int rc = scalekit_refresh_access_token(f->client, a->refresh_token, &t);
    if (rc != SCALEKIT_OK)
        fail_msg("%s: %s", scalekit_strerror(rc), emu_fixture_last_message());
    assert_non_null(t->access_token);
    assert_non_null(t->refresh_token);
    assert_string_not_equal(t->refresh_token, a->refresh_token);
    assert_true(t->expires_in > 0);
    assert_int_equal(scalekit_validate_access_token(f->client, t->access_token), SCALEKIT_OK);
    scalekit_access_token_claims *c = NULL;
    assert_int_equal(scalekit_get_access_token_claims(f->client, t->access_token, &c), SCALEKIT_OK);
    assert_string_equal(c->sub, a->user->id);
    scalekit_access_token_claims_free(c);

    /* The new one rotates in turn. */
    scalekit_token_response *newest = NULL;
    assert_int_equal(scalekit_refresh_access_token(f->client, t->refresh_token, &newest), SCALEKIT_OK);
    /* The old refresh token was spent by the rotation; presenting it again is a
     * replay (RFC 9700 section 4.14), which revokes the whole family, newest included. */
    scalekit_token_response *again = (scalekit_token_response *)1;
    assert_oauth_error(scalekit_refresh_access_token(f->client, a->refresh_token, &again),
                       SCALEKIT_EINVALID_REQUEST, 400, "invalid_grant");
    assert_null(again);
    assert_oauth_error(scalekit_refresh_access_token(f->client, newest->refresh_token, &again),
                       SCALEKIT_EINVALID_REQUEST, 400, "invalid_grant");
    scalekit_token_response_free(newest);
    scalekit_token_response_free(t);
    scalekit_authentication_response_free(a);
}

/* An unknown refresh token is invalid_grant with 400 (RFC 6749 section 5.2). */
static void test_refresh_refuses_unknown_and_bad_input(void **state)
{
    emu_fixture *f = *state;
    scalekit_token_response *t = (scalekit_token_response *)1;
    assert_oauth_error(scalekit_refresh_access_token(f->client, "not-a-refresh-token", &t),
                       SCALEKIT_EINVALID_REQUEST, 400, "invalid_grant");
    assert_null(t);
    assert_int_equal(scalekit_refresh_access_token(f->client, "", &t), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_refresh_access_token(f->client, NULL, &t), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_refresh_access_token(f->client, "rt", NULL), SCALEKIT_EINVAL);
}

/* The logout URL's shape: the end-session endpoint with the options as query parameters. */
static void test_logout_url_shape(void **state)
{
    emu_fixture *f = *state;
    scalekit_logout_url_options o = { .struct_size = sizeof(scalekit_logout_url_options), .id_token_hint = "eyJ.hint.sig",
                                     .post_logout_redirect_uri = "http://app.example/bye?x=1&y=2",
                                     .state = "bye state"};
    char *url = NULL;
    assert_int_equal(scalekit_get_logout_url(f->client, &o, &url), SCALEKIT_OK);
    char prefix[300];
    snprintf(prefix, sizeof prefix, "%s/oidc/logout?", f->url);
    assert_int_equal(strncmp(url, prefix, strlen(prefix)), 0);
    const struct { const char *name, *value; } want[] = {
        {"id_token_hint", "eyJ.hint.sig"}, {"post_logout_redirect_uri", "http://app.example/bye?x=1&y=2"},
        {"state", "bye state"}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char *got = emu_test_query_param(url, want[i].name);
        if (!got || strcmp(got, want[i].value) != 0)
            fail_msg("query parameter %s: got \"%s\", want \"%s\"", want[i].name, got ? got : "(absent)",
                     want[i].value);
        free(got);
    }
    scalekit_free(url);

    /* Without options: the bare endpoint. */
    assert_int_equal(scalekit_get_logout_url(f->client, NULL, &url), SCALEKIT_OK);
    snprintf(prefix, sizeof prefix, "%s/oidc/logout", f->url);
    assert_string_equal(url, prefix);
    scalekit_free(url);
    assert_int_equal(scalekit_get_logout_url(f->client, NULL, NULL), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_get_logout_url(NULL, NULL, &url), SCALEKIT_EINVAL);
}

static void test_logout_url_ends_the_session(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "the hosted login form and the emulator's session store");
    scalekit_authentication_response *a = emu_fixture_sign_in(f, "logout@example.com");
    scalekit_logout_url_options o = { .struct_size = sizeof(scalekit_logout_url_options), .id_token_hint = a->id_token,
                                     .post_logout_redirect_uri = "http://localhost:8080/bye",
                                     .state = "bye state"};
    char *url = NULL;
    assert_int_equal(scalekit_get_logout_url(f->client, &o, &url), SCALEKIT_OK);
    assert_non_null(strstr(url, "/oidc/logout?"));

    emu_http_response r;
    emu_http("GET", url, NULL, NULL, &r);
    assert_int_equal(r.status, 302);
    char location[512];
    assert_non_null(emu_http_header(&r, "Location", location, sizeof location));
    emu_http_response_free(&r);
    assert_int_equal(strncmp(location, "http://localhost:8080/bye?", 26), 0);
    char *st = emu_test_query_param(location, "state");
    assert_non_null(st);
    assert_string_equal(st, "bye state");
    free(st);

    scalekit_token_response *t = NULL;
    assert_oauth_error(scalekit_refresh_access_token(f->client, a->refresh_token, &t),
                       SCALEKIT_EINVALID_REQUEST, 400, "invalid_grant");
    scalekit_free(url);

    /* Without options: the bare end-session endpoint, which answers with a page. */
    assert_int_equal(scalekit_get_logout_url(f->client, NULL, &url), SCALEKIT_OK);
    emu_http("GET", url, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    emu_http_response_free(&r);
    scalekit_free(url);
    assert_int_equal(scalekit_get_logout_url(f->client, NULL, NULL), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_get_logout_url(NULL, NULL, &url), SCALEKIT_EINVAL);
    scalekit_authentication_response_free(a);
}

static void test_idp_initiated_login(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "/_emulator/idp-initiated-login");
    char *token = emu_fixture_idp_token(f, "{\"connection_id\":\"conn_9\",\"organization_id\":\"org_9\","
                                           "\"login_hint\":\"idp@example.com\",\"relay_state\":\"rs-1\"}");
    scalekit_idp_initiated_login_claims *c = NULL;
    int rc = scalekit_get_idp_initiated_login_claims(f->client, token, &c);
    if (rc != SCALEKIT_OK)
        fail_msg("%s: %s", scalekit_strerror(rc), emu_fixture_last_message());
    assert_string_equal(c->connection_id, "conn_9");
    assert_string_equal(c->organization_id, "org_9");
    assert_string_equal(c->login_hint, "idp@example.com");
    assert_string_equal(c->relay_state, "rs-1");
    assert_non_null(c->raw_json);

    /* Continue as the docs say: a normal login with the claims, relay_state as state. */
    scalekit_authorization_url_options o = { .struct_size = sizeof(scalekit_authorization_url_options), .connection_id = c->connection_id,
                                            .organization_id = c->organization_id,
                                            .login_hint = c->login_hint, .state = c->relay_state};
    char *url = NULL;
    assert_int_equal(scalekit_get_authorization_url(f->client, REDIRECT, &o, &url), SCALEKIT_OK);
    /* conn_9 is no connection of this environment: the login is refused back to the
     * app, relay_state as its state (a real connection's login: it_sso_oidc.c). */
    emu_http_response r;
    emu_http("GET", url, NULL, NULL, &r);
    char location[2048];
    assert_int_equal(r.status, 302);
    assert_non_null(emu_http_header(&r, "Location", location, sizeof location));
    emu_http_response_free(&r);
    char *st = emu_test_query_param(location, "state"), *error = emu_test_query_param(location, "error");
    assert_non_null(st);
    assert_string_equal(st, "rs-1");
    assert_string_equal(error, "connection_not_found");
    free(st);
    free(error);
    scalekit_free(url);
    scalekit_idp_initiated_login_claims_free(c);

    /* A tampered token: one character of the signature changed. */
    size_t n = strlen(token);
    token[n - 3] = token[n - 3] == 'A' ? 'B' : 'A';
    c = (scalekit_idp_initiated_login_claims *)1;
    assert_int_equal(scalekit_get_idp_initiated_login_claims(f->client, token, &c), SCALEKIT_ETOKEN_SIGNATURE);
    assert_null(c);
    free(token);
}

static void test_idp_initiated_login_refuses_malformed_tokens(void **state)
{
    emu_fixture *f = *state;
    scalekit_idp_initiated_login_claims *c = (scalekit_idp_initiated_login_claims *)1;
    assert_int_equal(scalekit_get_idp_initiated_login_claims(f->client, "a.b", &c), SCALEKIT_ETOKEN_MALFORMED);
    assert_null(c);
    assert_int_equal(scalekit_get_idp_initiated_login_claims(f->client, NULL, &c), SCALEKIT_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_new_and_its_refusals),
        cmocka_unit_test(test_authorization_url_carries_the_options),
        cmocka_unit_test(test_authorization_url_renders_the_login_page),
        cmocka_unit_test(test_code_exchange_with_pkce_fills_the_user),
        cmocka_unit_test(test_code_exchange_checks_the_nonce),
        cmocka_unit_test(test_pkce_mismatch_is_refused),
        cmocka_unit_test(test_code_used_twice_is_refused),
        cmocka_unit_test(test_wrong_redirect_uri_is_refused),
        cmocka_unit_test(test_unknown_code_and_bad_input_are_refused),
        cmocka_unit_test(test_wrong_client_secret_is_refused),
        cmocka_unit_test(test_wrong_client_secret_is_refused_before_the_code),
        cmocka_unit_test(test_refresh_rotates_the_refresh_token),
        cmocka_unit_test(test_refresh_refuses_unknown_and_bad_input),
        cmocka_unit_test(test_logout_url_shape),
        cmocka_unit_test(test_logout_url_ends_the_session),
        cmocka_unit_test(test_idp_initiated_login),
        cmocka_unit_test(test_idp_initiated_login_refuses_malformed_tokens),
    };
    return cmocka_run_group_tests(tests, emu_fixture_setup, emu_fixture_teardown);
}
