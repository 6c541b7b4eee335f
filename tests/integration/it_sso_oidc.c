/*
 * Sign-in through an OIDC connection, over HTTP with nothing mocked: emulator A
 * is the app's Scalekit environment, emulator B (a second in-process instance)
 * the organization's identity provider. The app starts at A's /oauth/authorize
 * with a login_hint in Acme's domain; A redirects to B's authorize endpoint
 * (state, nonce, PKCE S256); the user signs in on B's hosted page; B returns to
 * A's callback; A exchanges the code at B, verifies B's ID token against B's
 * JWKS, and returns to the app, whose code exchange (the SDK) gives an ID token
 * naming the connection. Then each way it must fail: a disabled or unknown
 * connection, the IdP's error, a tampered nonce, a wrong issuer, keys that are
 * not the IdP's, a state used twice; and a domain without a connection falling
 * back to the hosted page.
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

/* An OIDC connection of @p org at A whose IdP is B; @p extra adds members to oidc_config. */
static char *oidc_connection(sso_world *w, const char *org, const char *extra)
{
    char config[2048];
    snprintf(config, sizeof config, "{\"issuer\":\"%s\",\"client_id\":\"%s\",\"client_secret\":\"%s\","
             "\"scopes\":[\"openid\",\"profile\",\"email\"],\"pkce_enabled\":true%s%s}",
             w->idp->url, w->idp->client_id, w->idp->client_secret, extra ? "," : "", extra ? extra : "");
    return sso_kit_connection(w->f, org, "OIDC", "OKTA", "oidc_config", config, 1);
}

static int setup(void **state)
{
    sso_world *w = calloc(1, sizeof *w);
    w->f = emu_fixture_start(NULL, NULL);
    w->idp = emu_fixture_start(NULL, NULL);
    w->org = sso_kit_org(w->f, "Acme", NULL);
    sso_kit_domain(w->f, w->org, "acme.example");
    w->conn = oidc_connection(w, w->org, NULL);
    *state = w;
    return 0;
}

/* A's redirect to B for a login as @p hint (asserting it goes to B's authorize endpoint). */
static char *to_idp(sso_world *w, scalekit_authorization_url_options *o, char verifier[129])
{
    char *location = sso_kit_authorize(w->f, o, verifier, NULL);
    assert_non_null(location);
    char idp_authorize[512];
    emu_fixture_url(w->idp, "/oauth/authorize?", idp_authorize, sizeof idp_authorize);
    if (strncmp(location, idp_authorize, strlen(idp_authorize)) != 0)
        fail_msg("A did not redirect to the IdP's authorize endpoint: %s", location);
    return location;
}

/* The app's redirect (from A) of the IdP's answer @p idp_location. */
static char *back_to_app(const char *idp_location)
{
    return sso_kit_follow(idp_location);
}

static void expect_app_error(const char *app_location, const char *error, const char *in_description)
{
    if (strncmp(app_location, SSO_KIT_APP_REDIRECT "?", strlen(SSO_KIT_APP_REDIRECT) + 1) != 0)
        fail_msg("not a redirect to the app: %s", app_location);
    char *got = emu_test_query_param(app_location, "error");
    char *description = emu_test_query_param(app_location, "error_description");
    char *state = emu_test_query_param(app_location, "state");
    char *code = emu_test_query_param(app_location, "code");
    if (!got || strcmp(got, error) != 0 || !description || !strstr(description, in_description))
        fail_msg("expected error=%s with \"%s\": %s", error, in_description, app_location);
    assert_string_equal(state, "app-state");
    assert_null(code);
    free(got);
    free(description);
    free(state);
}

/* A login as @p email through the IdP whose end, back at the app, is @p error with @p in_description. */
static void idp_login_fails(sso_world *w, const char *email, const char *error, const char *in_description)
{
    char verifier[129];
    scalekit_authorization_url_options o = SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT;
    o.login_hint = email;
    char *to_b = to_idp(w, &o, verifier);
    char *b_answer = emu_fixture_login(w->idp, to_b, email, NULL);
    char *to_app = back_to_app(b_answer);
    expect_app_error(to_app, error, in_description);
    free(to_app);
    free(b_answer);
    free(to_b);
}

static void federation_through_the_idp(void **state)
{
    sso_world *w = *state;
    scalekit_authorization_url_options o = SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT;
    o.login_hint = "someone@acme.example";
    char verifier[129];
    char *to_b = to_idp(w, &o, verifier);

    /* What A asked B for: a code to A's callback, with state, nonce and PKCE S256. */
    char callback[512], *p;
    snprintf(callback, sizeof callback, "%s/sso/v1/oidc/%s/callback", w->f->url, w->conn);
    assert_string_equal(p = emu_test_query_param(to_b, "redirect_uri"), callback), free(p);
    assert_string_equal(p = emu_test_query_param(to_b, "response_type"), "code"), free(p);
    assert_string_equal(p = emu_test_query_param(to_b, "client_id"), w->idp->client_id), free(p);
    assert_string_equal(p = emu_test_query_param(to_b, "scope"), "openid profile email"), free(p);
    assert_string_equal(p = emu_test_query_param(to_b, "code_challenge_method"), "S256"), free(p);
    assert_string_equal(p = emu_test_query_param(to_b, "login_hint"), "someone@acme.example"), free(p);
    char *b_state = emu_test_query_param(to_b, "state"), *nonce = emu_test_query_param(to_b, "nonce");
    char *challenge = emu_test_query_param(to_b, "code_challenge");
    assert_true(b_state && strlen(b_state) >= 32 && nonce && strlen(nonce) >= 16 && challenge);
    assert_null(strstr(to_b, "app-state"));   /* the app's state stays at A */

    /* The user signs in on B's page; B answers A's callback, which answers the app. */
    char *b_answer = emu_fixture_login(w->idp, to_b, "someone@acme.example", NULL);
    assert_true(strncmp(b_answer, callback, strlen(callback)) == 0);
    char *to_app = back_to_app(b_answer);
    scalekit_authentication_response *resp = sso_kit_exchange(w->f, to_app, verifier);
    assert_string_equal(resp->user->email, "someone@acme.example");
    json_t *identity = sso_kit_identity(resp);
    assert_string_equal(skit_json_string(identity, "connection_id"), w->conn);
    assert_string_equal(skit_json_string(identity, "connection_type"), "OIDC");
    assert_string_equal(skit_json_string(identity, "provider_name"), "OKTA");
    assert_string_equal(skit_json_string(identity, "organization_id"), w->org);

    /* The user is a member of Acme: the access token names it. */
    scalekit_access_token_claims *claims = NULL;
    EMU_FIXTURE_OK(scalekit_get_access_token_claims(w->f->client, resp->access_token, &claims));
    assert_string_equal(claims->organization_id, w->org);
    scalekit_access_token_claims_free(claims);

    /* B's answer replayed: its state was single use. */
    emu_http_response again;
    emu_http("GET", b_answer, NULL, NULL, &again);
    assert_int_equal(again.status, 400);
    assert_non_null(strstr(again.body, "already used"));
    emu_http_response_free(&again);

    json_decref(identity);
    scalekit_authentication_response_free(resp);
    free(to_app);
    free(b_answer);
    free(b_state);
    free(nonce);
    free(challenge);
    free(to_b);
}

/* attribute_mapping ({"<IdP claim>": "<user field>"}) renames what the IdP asserts. */
static void attribute_mapping_renames_claims(void **state)
{
    sso_world *w = *state;
    sso_kit_connection_set(w->f, w->conn, "attribute_mapping", "{\"sub\":\"name\"}");
    char verifier[129];
    scalekit_authorization_url_options o = SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT;
    o.login_hint = "mapped@acme.example";
    char *to_b = to_idp(w, &o, verifier);
    char *b_answer = emu_fixture_login(w->idp, to_b, "mapped@acme.example", NULL);
    char *to_app = back_to_app(b_answer);
    scalekit_authentication_response *resp = sso_kit_exchange(w->f, to_app, verifier);
    json_t *identity = sso_kit_identity(resp);
    const char *idp_sub = skit_json_string(identity, "provider_user_id");
    assert_non_null(idp_sub);
    assert_true(strncmp(idp_sub, "usr_", 4) == 0);
    assert_string_equal(resp->user->name, idp_sub);
    json_decref(identity);
    scalekit_authentication_response_free(resp);
    free(to_app);
    free(b_answer);
    free(to_b);
}

/* The explicit connection_id and organization_id routes, and their refusals. */
static void routing_by_id_and_refusals(void **state)
{
    sso_world *w = *state;
    char verifier[129];
    scalekit_authorization_url_options o = SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT;
    o.connection_id = w->conn;
    free(to_idp(w, &o, verifier));
    o = (scalekit_authorization_url_options)SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT;
    o.organization_id = w->org;
    free(to_idp(w, &o, verifier));

    o = (scalekit_authorization_url_options)SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT;
    o.connection_id = "conn_nosuch";
    char *loc = sso_kit_authorize(w->f, &o, verifier, NULL);
    expect_app_error(loc, "connection_not_found", "connection conn_nosuch not found");
    free(loc);

    sso_kit_connection_enable(w->f, w->conn, 0);
    o = (scalekit_authorization_url_options)SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT;
    o.connection_id = w->conn;
    loc = sso_kit_authorize(w->f, &o, verifier, NULL);
    expect_app_error(loc, "connection_not_found", "is disabled");
    free(loc);

    /* A disabled connection's domain signs in on the hosted page instead. */
    o = (scalekit_authorization_url_options)SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT;
    o.login_hint = "someone@acme.example";
    char *page = NULL;
    assert_null(sso_kit_authorize(w->f, &o, verifier, &page));
    assert_non_null(strstr(page, "<form"));
    free(page);
    sso_kit_connection_enable(w->f, w->conn, 1);

    /* A connection of another organization is refused for this one. */
    char *other = sso_kit_org(w->f, "Other", NULL);
    o = (scalekit_authorization_url_options)SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT;
    o.connection_id = w->conn;
    o.organization_id = other;
    loc = sso_kit_authorize(w->f, &o, verifier, NULL);
    expect_app_error(loc, "connection_not_found", "is not a connection of organization");
    free(loc);
    free(other);
}

static void domain_without_connection_falls_back(void **state)
{
    sso_world *w = *state;
    char verifier[129], *page = NULL;
    scalekit_authorization_url_options o = SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT;
    o.login_hint = "someone@elsewhere.example";
    assert_null(sso_kit_authorize(w->f, &o, verifier, &page));
    assert_non_null(strstr(page, "<form"));
    free(page);
}

static void idp_error_reaches_the_app(void **state)
{
    sso_world *w = *state;
    char verifier[129];
    scalekit_authorization_url_options o = SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT;
    o.login_hint = "someone@acme.example";
    char *to_b = to_idp(w, &o, verifier);
    char *b_state = emu_test_query_param(to_b, "state");
    char url[1024];
    snprintf(url, sizeof url, "%s/sso/v1/oidc/%s/callback?error=access_denied&error_description=user%%20cancelled"
             "&state=%s", w->f->url, w->conn, b_state);
    char *to_app = sso_kit_follow(url);
    expect_app_error(to_app, "access_denied", "answered error=access_denied: user cancelled");
    free(to_app);
    free(b_state);
    free(to_b);
}

/* The IdP's ID token carries another nonce than A sent (a tampered request): refused. */
static void tampered_nonce_is_refused(void **state)
{
    sso_world *w = *state;
    char verifier[129];
    scalekit_authorization_url_options o = SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT;
    o.login_hint = "someone@acme.example";
    char *to_b = to_idp(w, &o, verifier);
    char *nonce = strstr(to_b, "nonce=");
    assert_non_null(nonce);
    nonce[6] = nonce[6] == 'a' ? 'b' : 'a';
    char *b_answer = emu_fixture_login(w->idp, to_b, "someone@acme.example", NULL);
    char *to_app = back_to_app(b_answer);
    expect_app_error(to_app, "access_denied", "nonce does not match");
    free(to_app);
    free(b_answer);
    free(to_b);
}

/* A connection whose issuer or keys are not the IdP's refuses its ID tokens. */
static void wrong_issuer_or_keys_are_refused(void **state)
{
    sso_world *w = *state;
    emu_fixture *stranger = emu_fixture_start(NULL, NULL);
    char idp_base[512], *conn_id;
    emu_fixture_url(w->idp, "", idp_base, sizeof idp_base);
    /* 0: explicit endpoints at the IdP, another issuer; 1: the issuer's discovery,
     * but the keys of another emulator (and client_secret_basic at the token endpoint). */
    static const char *const expected[] = {
        "is not the connection's issuer", "does not verify against the identity provider's keys",
    };
    for (int i = 0; i < 2; i++) {
        char *org = sso_kit_org(w->f, "Mismatch", NULL);
        char domain[64];
        snprintf(domain, sizeof domain, "mismatch%d.example", i);
        sso_kit_domain(w->f, org, domain);
        char config[2048];
        if (i == 0)
            snprintf(config, sizeof config, "{\"issuer\":\"https://not-the-idp.example\",\"client_id\":\"%s\","
                     "\"client_secret\":\"%s\",\"authorize_uri\":\"%s/oauth/authorize\",\"token_uri\":"
                     "\"%s/oauth/token\",\"jwks_uri\":\"%s/keys\"}", w->idp->client_id, w->idp->client_secret,
                     idp_base, idp_base, idp_base);
        else
            snprintf(config, sizeof config, "{\"issuer\":\"%s\",\"client_id\":\"%s\",\"client_secret\":\"%s\","
                     "\"jwks_uri\":\"%s/keys\",\"token_auth_type\":\"BASIC_AUTH\"}", w->idp->url,
                     w->idp->client_id, w->idp->client_secret, stranger->url);
        conn_id = sso_kit_connection(w->f, org, "OIDC", "CUSTOM", "oidc_config", config, 1);
        char hint[96];
        snprintf(hint, sizeof hint, "pat@%s", domain);
        idp_login_fails(w, hint, "access_denied", expected[i]);
        free(conn_id);
        free(org);
    }
    emu_fixture_stop(stranger);
}

/* A wrong client secret: the IdP refuses the code exchange, and the app hears why. */
static void failed_code_exchange_is_a_server_error(void **state)
{
    sso_world *w = *state;
    char *org = sso_kit_org(w->f, "Bad Secret", NULL);
    sso_kit_domain(w->f, org, "badsecret.example");
    char config[2048];
    snprintf(config, sizeof config, "{\"issuer\":\"%s\",\"client_id\":\"%s\",\"client_secret\":\"wrong\"}",
             w->idp->url, w->idp->client_id);
    char *conn_id = sso_kit_connection(w->f, org, "OIDC", "OKTA", "oidc_config", config, 1);
    idp_login_fails(w, "pat@badsecret.example", "server_error", "invalid_client");
    free(conn_id);
    free(org);
}

/* An IdP that cannot be reached (its discovery document): the app hears server_error at once. */
static void unreachable_idp_is_a_server_error(void **state)
{
    sso_world *w = *state;
    char *org = sso_kit_org(w->f, "Offline", NULL);
    sso_kit_domain(w->f, org, "offline.example");
    char *conn_id = sso_kit_connection(w->f, org, "OIDC", "OKTA", "oidc_config",
                                       "{\"issuer\":\"http://127.0.0.1:1\",\"client_id\":\"c\",\"client_secret\":\"s\"}", 1);
    char verifier[129];
    scalekit_authorization_url_options o = SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT;
    o.login_hint = "pat@offline.example";
    char *to_app = sso_kit_authorize(w->f, &o, verifier, NULL);
    expect_app_error(to_app, "server_error", "cannot reach its identity provider");
    free(to_app);
    free(conn_id);
    free(org);
}

#define TEST(t) cmocka_unit_test_setup_teardown(t, setup, sso_kit_teardown)
int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(federation_through_the_idp),
        TEST(attribute_mapping_renames_claims),
        TEST(routing_by_id_and_refusals),
        TEST(domain_without_connection_falls_back),
        TEST(idp_error_reaches_the_app),
        TEST(tampered_nonce_is_refused),
        TEST(wrong_issuer_or_keys_are_refused),
        TEST(failed_code_exchange_is_a_server_error),
        TEST(unreachable_idp_is_a_server_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
