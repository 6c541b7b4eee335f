/*
 * The OIDC relying party against a scripted identity provider (mock_http) that
 * answers the code exchange with crafted ID tokens: the exchange request on
 * the wire (client_secret_post and client_secret_basic, the PKCE verifier, the
 * callback as redirect_uri), then each check of OIDC Core 3.1.3.7 refusing its
 * breach: a key the IdP's JWKS lacks, expired, another audience, several
 * audiences without azp, another azp, another issuer, no email.
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
#include "jose_testkit.h"
#include "mock_http.h"
#include "sso_kit.h"
#include "core/core.h"

/* jt_claims' issuer and audience are the connection's. */
#define IDP_ISSUER "https://env"
#define RP_CLIENT "client_1"

typedef struct scripted {
    sso_world w;        /* first: sso_kit_teardown frees the whole struct through it */
    mock_http *idp;
    skit_signing_key *key;
    char *jwks;
} scripted;

static int setup(void **state)
{
    scripted *s = calloc(1, sizeof *s);
    s->w.f = emu_fixture_start(NULL, NULL);
    s->idp = mock_http_start();
    s->key = jt_key("RS256", "idp-key");
    skit_signing_key *keys[] = {s->key, NULL};
    s->jwks = jt_jwks_json(keys);
    s->w.org = sso_kit_org(s->w.f, "Scripted", NULL);
    sso_kit_domain(s->w.f, s->w.org, "scripted.example");
    const char *base = mock_http_url(s->idp);
    char config[1024];
    snprintf(config, sizeof config, "{\"issuer\":\"" IDP_ISSUER "\",\"client_id\":\"" RP_CLIENT "\","
             "\"client_secret\":\"s3cret\",\"authorize_uri\":\"%s/authorize\",\"token_uri\":\"%s/token\","
             "\"jwks_uri\":\"%s/keys\"}", base, base, base);
    s->w.conn = sso_kit_connection(s->w.f, s->w.org, "OIDC", "CUSTOM", "oidc_config", config, 1);
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    scripted *s = *state;
    mock_http_stop(s->idp);
    skit_signing_key_free(s->key);
    free(s->jwks);
    return sso_kit_teardown(state);
}

/* Start a login at A and come back with code "c-1" and an ID token of @p claims
 * (JSON object text: jt_claims' members plus these; "NONCE" is replaced by the
 * nonce A sent) signed by @p key: the Location A answers the callback with. */
static char *login_with_token(scripted *s, const skit_signing_key *key, const char *claims, char verifier[129])
{
    scalekit_authorization_url_options o = SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT;
    o.login_hint = "pat@scripted.example";
    char *to_idp = sso_kit_authorize(s->w.f, &o, verifier, NULL);
    assert_non_null(to_idp);
    char *state = emu_test_query_param(to_idp, "state"), *nonce = emu_test_query_param(to_idp, "nonce");
    char extra[1024];
    const char *at = strstr(claims, "NONCE");
    if (at)
        snprintf(extra, sizeof extra, "%.*s%s%s", (int)(at - claims), claims, nonce, at + 5);
    else
        snprintf(extra, sizeof extra, "%s", claims);
    char *payload = jt_claims(extra);
    char *jwt = jt_sign(key, payload);
    char answer[4096];
    snprintf(answer, sizeof answer, "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"id_token\":\"%s\"}", jwt);
    mock_http_enqueue(s->idp, "POST", "/token", 200, answer);
    mock_http_enqueue(s->idp, "GET", "/keys", 200, s->jwks);
    char url[1024];
    snprintf(url, sizeof url, "%s/sso/v1/oidc/%s/callback?code=c-1&state=%s", s->w.f->url, s->w.conn, state);
    char *to_app = sso_kit_follow(url);
    free(payload);
    free(jwt);
    free(state);
    free(nonce);
    free(to_idp);
    return to_app;
}

static void accepted_token_and_the_exchange_on_the_wire(void **state)
{
    scripted *s = *state;
    char verifier[129];
    char *to_app = login_with_token(s, s->key, "{\"nonce\":\"NONCE\",\"email\":\"pat@scripted.example\","
                                    "\"given_name\":\"Pat\"}", verifier);
    scalekit_authentication_response *resp = sso_kit_exchange(s->w.f, to_app, verifier);
    assert_string_equal(resp->user->email, "pat@scripted.example");
    assert_string_equal(resp->user->given_name, "Pat");
    json_t *identity = sso_kit_identity(resp);
    assert_string_equal(skit_json_string(identity, "provider_user_id"), "user_1");
    json_decref(identity);
    scalekit_authentication_response_free(resp);
    free(to_app);

    /* client_secret_post: the credentials, the code, the callback and a PKCE verifier in the form. */
    const mock_request *req = mock_http_request_for(s->idp, "/token", 0);
    assert_non_null(req);
    char callback[512], *enc_callback = NULL;
    snprintf(callback, sizeof callback, "%s/sso/v1/oidc/%s/callback", s->w.f->url, s->w.conn);
    skit_buf b = SKIT_BUF_INIT;
    skit_form_add(&b, "redirect_uri", callback);
    enc_callback = skit_buf_detach(&b);
    assert_non_null(strstr(req->body, "grant_type=authorization_code"));
    assert_non_null(strstr(req->body, "code=c-1"));
    assert_non_null(strstr(req->body, enc_callback));
    assert_non_null(strstr(req->body, "code_verifier="));
    assert_non_null(strstr(req->body, "client_id=" RP_CLIENT));
    assert_non_null(strstr(req->body, "client_secret=s3cret"));
    assert_null(mock_request_header(req, "Authorization"));
    free(enc_callback);

    /* client_secret_basic: the credentials in the Authorization header only. */
    sso_kit_connection_set(s->w.f, s->w.conn, "oidc_config", "{}");
    char config[1024];
    const char *base = mock_http_url(s->idp);
    snprintf(config, sizeof config, "{\"issuer\":\"" IDP_ISSUER "\",\"client_id\":\"" RP_CLIENT "\","
             "\"client_secret\":\"s3cret\",\"authorize_uri\":\"%s/authorize\",\"token_uri\":\"%s/token\","
             "\"jwks_uri\":\"%s/keys\",\"token_auth_type\":\"BASIC_AUTH\"}", base, base, base);
    sso_kit_connection_set(s->w.f, s->w.conn, "oidc_config", config);
    to_app = login_with_token(s, s->key, "{\"nonce\":\"NONCE\",\"email\":\"pat@scripted.example\"}", verifier);
    resp = sso_kit_exchange(s->w.f, to_app, verifier);
    scalekit_authentication_response_free(resp);
    free(to_app);
    req = mock_http_request_for(s->idp, "/token", 1);
    /* base64("client_1:s3cret") */
    assert_string_equal(mock_request_header(req, "Authorization"), "Basic Y2xpZW50XzE6czNjcmV0");
    assert_null(strstr(req->body, "client_secret"));
}

static void each_breach_is_refused(void **state)
{
    scripted *s = *state;
    skit_signing_key *stranger = jt_key("RS256", "idp-key");
    static const struct {
        const char *claims;
        int stranger_signs;
        const char *why;
    } cases[] = {
        {"{\"nonce\":\"NONCE\",\"email\":\"pat@scripted.example\"}", 1, "does not verify against the identity provider's keys"},
        {"{\"nonce\":\"NONCE\",\"email\":\"pat@scripted.example\",\"exp\":1000}", 0, "expired"},
        {"{\"nonce\":\"NONCE\",\"email\":\"pat@scripted.example\",\"aud\":\"someone-else\"}", 0,
         "aud does not name the connection's client_id"},
        {"{\"nonce\":\"NONCE\",\"email\":\"pat@scripted.example\",\"aud\":[\"" RP_CLIENT "\",\"other\"]}", 0,
         "azp does not name"},
        {"{\"nonce\":\"NONCE\",\"email\":\"pat@scripted.example\",\"azp\":\"other\"}", 0, "azp does not name"},
        {"{\"nonce\":\"NONCE\",\"email\":\"pat@scripted.example\",\"iss\":\"https://evil.example\"}", 0,
         "is not the connection's issuer"},
        {"{\"nonce\":\"NONCE\"}", 0, "has no email claim"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char verifier[129];
        char *to_app = login_with_token(s, cases[i].stranger_signs ? stranger : s->key, cases[i].claims, verifier);
        char *error = emu_test_query_param(to_app, "error");
        char *description = emu_test_query_param(to_app, "error_description");
        if (!error || strcmp(error, "access_denied") != 0 || !description || !strstr(description, cases[i].why))
            fail_msg("case %zu: expected access_denied with \"%s\": %s", i, cases[i].why, to_app);
        free(error);
        free(description);
        free(to_app);
    }
    skit_signing_key_free(stranger);
}

#define TEST(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(accepted_token_and_the_exchange_on_the_wire),
        TEST(each_breach_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
