/*
 * An OIDC connection: the emulator as a relying party of the organization's
 * identity provider (OpenID Connect Core 1.0, authorization code flow).
 *
 * Start: redirect to the IdP's authorize_uri with response_type=code,
 * client_id, redirect_uri {public url}/sso/v1/oidc/{connection_id}/callback,
 * scope, a state (sso_round_trips: random, single use, bound to the login
 * request), a nonce, and PKCE S256. PKCE is always sent: RFC 9700 section 2.1.1
 * recommends it, and an IdP that does not know the parameters must ignore them
 * (RFC 6749 section 3.1), so pkce_enabled needs no second path.
 *
 * Callback: the state taken (once), the IdP's error (if any) passed on to the
 * app, the code exchanged at token_uri (client_secret_post, or client_secret_basic
 * when token_auth_type is BASIC_AUTH), the ID token verified with the SDK's JOSE
 * code (src/jose) against the IdP's JWKS (jwks_uri): signature, exp/nbf/iat,
 * iss = the connection's issuer, aud naming client_id, nonce. Its claims are
 * mapped (attribute_mapping: {"<IdP claim>": "email", ...}, else the standard
 * names) and the login finishes as the connection's user. Missing endpoints come
 * from the IdP's discovery document (discovery_endpoint, else issuer +
 * /.well-known/openid-configuration).
 */
#include "environment.h"
#include "resources.h"
#include "sso.h"
#include "scalekit/auth.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IDP_TIMEOUT_MS 10000L
#define IDP_MAX_BODY ((size_t)1 << 20)
#define ID_TOKEN_LEEWAY_SECONDS 60

/* ---- HTTP to the identity provider ------------------------------------------ */

static size_t collect(char *ptr, size_t size, size_t n, void *ud)
{
    skit_buf *b = ud;
    if (b->len + size * n > IDP_MAX_BODY || skit_buf_put(b, ptr, size * n) != SCALEKIT_OK)
        return 0;
    return size * n;
}

/* GET @p url, or POST @p form to it (with @p authorization as the Authorization
 * header when not NULL). 0 with *status and @p body, or -1 with @p why. */
static int idp_http(const char *url, const char *form, const char *authorization, long *status, skit_buf *body,
                    char *why, size_t why_len)
{
    CURL *curl = curl_easy_init();
    if (!curl) {
        snprintf(why, why_len, "out of memory");
        return -1;
    }
    struct curl_slist *headers = curl_slist_append(NULL, "Accept: application/json");
    char auth_line[1024];
    if (authorization) {
        snprintf(auth_line, sizeof auth_line, "Authorization: %s", authorization);
        struct curl_slist *more = curl_slist_append(headers, auth_line);
        headers = more ? more : headers;
    }
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, IDP_TIMEOUT_MS);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, body);
    if (form) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, form);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(form));
    }
    CURLcode rc = curl_easy_perform(curl);
    if (rc == CURLE_OK)
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
    else
        snprintf(why, why_len, "%s: %s", url, curl_easy_strerror(rc));
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return rc == CURLE_OK ? 0 : -1;
}

/* The JSON object an IdP answered to GET @p url / POST @p form (new reference),
 * or NULL with @p why. */
static json_t *idp_json(const char *url, const char *form, const char *authorization, char *why, size_t why_len)
{
    skit_buf body = SKIT_BUF_INIT;
    long status = 0;
    json_t *doc = NULL;
    if (idp_http(url, form, authorization, &status, &body, why, why_len) == 0) {
        doc = skit_json_parse_object(body.ptr ? body.ptr : "", body.len);
        if (status < 200 || status > 299) {
            const char *err = skit_json_string(doc, "error"), *desc = skit_json_string(doc, "error_description");
            snprintf(why, why_len, "%s answered HTTP %ld%s%.100s%s%.200s", url, status, err ? ": " : "",
                     err ? err : "", desc ? ": " : "", desc ? desc : "");
            json_decref(doc);
            doc = NULL;
        } else if (!doc) {
            snprintf(why, why_len, "%s did not answer a JSON object", url);
        }
    }
    skit_buf_free_secret(&body);
    return doc;
}

/* The IdP's endpoints: the connection's, and what it lacks from the discovery
 * document. New object {authorize_uri, token_uri, jwks_uri, issuer}, or NULL with @p why. */
static json_t *idp_endpoints(const json_t *cfg, char *why, size_t why_len)
{
    static const char *const names[] = {"authorize_uri", "token_uri", "jwks_uri", "issuer"};
    static const char *const discovered[] = {"authorization_endpoint", "token_endpoint", "jwks_uri", "issuer"};
    json_t *out = json_object(), *discovery = NULL;
    for (size_t i = 0; out && i < 4; i++) {
        const char *v = skit_json_string(cfg, names[i]);
        if ((!v || !*v) && !discovery) {
            const char *endpoint = skit_json_string(cfg, "discovery_endpoint");
            const char *issuer = skit_json_string(cfg, "issuer");
            char url[1024];
            if (endpoint && *endpoint)
                snprintf(url, sizeof url, "%s", endpoint);
            else if (issuer && *issuer)
                snprintf(url, sizeof url, "%s/.well-known/openid-configuration", issuer);
            else
                url[0] = '\0';
            discovery = url[0] ? idp_json(url, NULL, NULL, why, why_len) : NULL;
            if (!discovery) {
                if (!url[0])
                    snprintf(why, why_len, "oidc_config has no %s, discovery_endpoint or issuer", names[i]);
                json_decref(out);
                return NULL;
            }
        }
        if (!v || !*v)
            v = skit_json_string(discovery, discovered[i]);
        if (!v || !*v) {
            snprintf(why, why_len, "neither oidc_config nor the discovery document gives %s", names[i]);
            json_decref(discovery);
            json_decref(out);
            return NULL;
        }
        json_object_set_new(out, names[i], json_string(v));
    }
    json_decref(discovery);
    return out;
}

static void callback_url(emu *e, const char *connection_id, skit_buf *out)
{
    skit_buf_puts(out, e->url);
    skit_buf_puts(out, "/sso/v1/oidc/");
    skit_url_encode(out, connection_id);
    skit_buf_puts(out, "/callback");
}

/* ---- start -------------------------------------------------------------------- */

/* The scope to ask: the connection's scopes (always with openid), else openid profile email. */
static void scope_of(const json_t *cfg, skit_buf *out)
{
    const json_t *scopes = json_object_get(cfg, "scopes");
    bool openid = false;
    size_t i;
    const json_t *s;
    json_array_foreach(scopes, i, s) {
        if (!json_is_string(s) || !*json_string_value(s))
            continue;
        openid = openid || strcmp(json_string_value(s), "openid") == 0;
        skit_buf_puts(out, out->len ? " " : "");
        skit_buf_puts(out, json_string_value(s));
    }
    if (!out->len)
        skit_buf_puts(out, "openid profile email");
    else if (!openid)
        skit_buf_puts(out, " openid");
}

int emu_sso_oidc_start(emu *e, emu_req *r, const json_t *lr, const json_t *conn)
{
    const char *lr_id = skit_json_string(lr, "id");
    const char *connection_id = skit_json_string(conn, "id");
    const json_t *cfg = emu_sso_config(conn, "oidc_config");
    char why[600];
    json_t *ends = idp_endpoints(cfg, why, sizeof why);
    if (!ends) {
        char description[800];
        snprintf(description, sizeof description, "connection %.60s cannot reach its identity provider: %.600s",
                 connection_id, why);
        return emu_login_fail(e, r, lr_id, "server_error", description);
    }
    scalekit_pkce pkce;
    char *nonce = emu_new_id("", 16);
    char *state = nonce && scalekit_generate_pkce(&pkce) == SCALEKIT_OK
                      ? emu_sso_round_trip_new(e, lr_id, connection_id, nonce, pkce.code_verifier) : NULL;
    int rc = -1;
    if (state) {
        skit_buf q = SKIT_BUF_INIT, redirect = SKIT_BUF_INIT, scope = SKIT_BUF_INIT, url = SKIT_BUF_INIT;
        callback_url(e, connection_id, &redirect);
        scope_of(cfg, &scope);
        skit_form_add(&q, "response_type", "code");
        skit_form_add(&q, "client_id", skit_json_string(cfg, "client_id"));
        skit_form_add(&q, "redirect_uri", redirect.ptr);
        skit_form_add(&q, "scope", scope.ptr);
        skit_form_add(&q, "state", state);
        skit_form_add(&q, "nonce", nonce);
        skit_form_add(&q, "code_challenge", pkce.code_challenge);
        skit_form_add(&q, "code_challenge_method", "S256");
        const char *hint = skit_json_string(lr, "login_hint");
        if (hint && *hint)
            skit_form_add(&q, "login_hint", hint);
        const char *authorize = skit_json_string(ends, "authorize_uri");
        skit_buf_puts(&url, authorize);
        skit_buf_puts(&url, strchr(authorize, '?') ? "&" : "?");
        if (skit_buf_puts(&url, q.ptr) == SCALEKIT_OK)
            rc = emu_reply_redirect(r, url.ptr);
        skit_buf_free(&q);
        skit_buf_free(&redirect);
        skit_buf_free(&scope);
        skit_buf_free(&url);
    }
    free(state);
    free(nonce);
    json_decref(ends);
    return rc;
}

/* ---- callback ------------------------------------------------------------------ */

/* The Authorization header of client_secret_basic (RFC 6749 section 2.3.1: the
 * id and secret form-encoded, then base64). malloc'd. */
static char *basic_auth(const char *id, const char *secret)
{
    skit_buf pair = SKIT_BUF_INIT;
    skit_url_encode(&pair, id ? id : "");
    skit_buf_puts(&pair, ":");
    skit_url_encode(&pair, secret ? secret : "");
    char *out = pair.ptr ? malloc(6 + skit_base64_encoded_len(pair.len) + 1) : NULL;
    if (out) {
        memcpy(out, "Basic ", 6);
        out[6 + skit_base64_encode((const unsigned char *)pair.ptr, pair.len, out + 6)] = '\0';
    }
    skit_buf_free_secret(&pair);
    return out;
}

/* Exchange @p code at the token endpoint: the ID token (malloc'd), or NULL with @p why. */
static char *exchange_code(emu *e, const json_t *conn, const json_t *cfg, const json_t *ends, const char *code,
                           const char *verifier, char *why, size_t why_len)
{
    skit_buf form = SKIT_BUF_INIT, redirect = SKIT_BUF_INIT;
    callback_url(e, skit_json_string(conn, "id"), &redirect);
    skit_form_add(&form, "grant_type", "authorization_code");
    skit_form_add(&form, "code", code);
    skit_form_add(&form, "redirect_uri", redirect.ptr);
    skit_form_add(&form, "code_verifier", verifier);
    const char *auth_type = skit_json_string(cfg, "token_auth_type");
    char *authorization = NULL;
    if (auth_type && strcmp(auth_type, "BASIC_AUTH") == 0) {
        authorization = basic_auth(skit_json_string(cfg, "client_id"), skit_json_string(cfg, "client_secret"));
    } else {
        skit_form_add(&form, "client_id", skit_json_string(cfg, "client_id"));
        skit_form_add(&form, "client_secret", skit_json_string(cfg, "client_secret"));
    }
    json_t *answer = form.ptr ? idp_json(skit_json_string(ends, "token_uri"), form.ptr, authorization, why, why_len)
                              : NULL;
    const char *id_token = skit_json_string(answer, "id_token");
    char *out = id_token && *id_token ? strdup(id_token) : NULL;
    if (answer && !out)
        snprintf(why, why_len, "the token endpoint answered no id_token");
    json_decref(answer);
    skit_free_secret(authorization);
    skit_buf_free_secret(&form);
    skit_buf_free(&redirect);
    return out;
}

static bool audience_names(const json_t *aud, const char *client_id)
{
    if (json_is_string(aud))
        return strcmp(json_string_value(aud), client_id) == 0;
    size_t i;
    const json_t *a;
    json_array_foreach(aud, i, a) {
        if (json_is_string(a) && strcmp(json_string_value(a), client_id) == 0)
            return true;
    }
    return false;
}

/* Verify @p id_token (OIDC Core 3.1.3.7): its claims (new reference), or NULL with @p why. */
static json_t *verify_id_token(const char *id_token, const json_t *cfg, const json_t *ends, const char *nonce,
                               char *why, size_t why_len)
{
    json_t *keys = idp_json(skit_json_string(ends, "jwks_uri"), NULL, NULL, why, why_len);
    if (!keys)
        return NULL;
    skit_jwks *set = NULL;
    json_t *claims = NULL;
    const char *client_id = skit_json_string(cfg, "client_id");
    const char *issuer = skit_json_string(ends, "issuer");
    int rc = skit_jwks_from_json(keys, &set);
    if (rc != SCALEKIT_OK) {
        snprintf(why, why_len, "the identity provider's JWKS is malformed: %s", scalekit_error_last()->message);
    } else if ((rc = skit_jws_verify(set, id_token, strlen(id_token), &claims)) != SCALEKIT_OK) {
        snprintf(why, why_len, "the ID token does not verify against the identity provider's keys: %s",
                 scalekit_error_last()->message);
    } else if (skit_jwt_check_time(claims, skit_now(), ID_TOKEN_LEEWAY_SECONDS) != SCALEKIT_OK) {
        snprintf(why, why_len, "the ID token is expired or not yet valid: %s", scalekit_error_last()->message);
        rc = -1;
    } else if (!skit_json_string(claims, "iss") || strcmp(skit_json_string(claims, "iss"), issuer) != 0) {
        snprintf(why, why_len, "the ID token's iss %.200s is not the connection's issuer %.200s",
                 skit_json_string(claims, "iss") ? skit_json_string(claims, "iss") : "(none)", issuer);
        rc = -1;
    } else if (!client_id || !audience_names(json_object_get(claims, "aud"), client_id)) {
        snprintf(why, why_len, "the ID token's aud does not name the connection's client_id %.200s",
                 client_id ? client_id : "(none)");
        rc = -1;
    } else if ((json_array_size(json_object_get(claims, "aud")) > 1 || skit_json_string(claims, "azp")) &&
               (!skit_json_string(claims, "azp") || strcmp(skit_json_string(claims, "azp"), client_id) != 0)) {
        /* OIDC Core 3.1.3.7 (4, 5): a token for several audiences must be issued to us (azp). */
        snprintf(why, why_len, "the ID token's azp does not name the connection's client_id %.200s", client_id);
        rc = -1;
    } else if (!skit_json_string(claims, "nonce") || strcmp(skit_json_string(claims, "nonce"), nonce) != 0) {
        snprintf(why, why_len, "the ID token's nonce does not match the one sent with the authorization request");
        rc = -1;
    } else if (!skit_json_string(claims, "sub")) {
        snprintf(why, why_len, "the ID token has no sub");
        rc = -1;
    }
    if (rc != SCALEKIT_OK) {
        json_decref(claims);
        claims = NULL;
    }
    skit_jwks_release(set);
    json_decref(keys);
    return claims;
}

/* The claim of the IdP's @p claims that gives user field @p attr: the one the
 * connection's attribute_mapping ({"<IdP claim>": "<user field>"}) maps to it,
 * else the claim of the standard name. */
static const json_t *mapped(const json_t *conn, const json_t *claims, const char *attr)
{
    const char *claim;
    const json_t *field;
    json_object_foreach((json_t *)emu_sso_config(conn, "attribute_mapping"), claim, field) {
        if (json_is_string(field) && strcmp(json_string_value(field), attr) == 0 && json_object_get(claims, claim))
            return json_object_get(claims, claim);
    }
    return json_object_get(claims, attr);
}

static const char *mapped_string(const json_t *conn, const json_t *claims, const char *attr)
{
    const json_t *v = mapped(conn, claims, attr);
    return json_is_string(v) && *json_string_value(v) ? json_string_value(v) : NULL;
}

/* Finish login request @p lr_id as the user of @p claims. */
static int finish(emu *e, emu_req *r, const char *lr_id, const json_t *conn, const json_t *claims)
{
    emu_login_identity who = {0};
    who.email = mapped_string(conn, claims, "email");
    if (!who.email)
        return emu_login_fail(e, r, lr_id, "access_denied", "the identity provider's ID token has no email claim");
    who.given_name = mapped_string(conn, claims, "given_name");
    who.family_name = mapped_string(conn, claims, "family_name");
    who.name = mapped_string(conn, claims, "name");
    who.organization_id = skit_json_string(conn, "organization_id");
    who.connection_id = skit_json_string(conn, "id");
    who.connection_type = "OIDC";
    who.connection_provider = skit_json_string(conn, "provider");
    who.provider_user_id = skit_json_string(claims, "sub");
    json_t *extra = json_object();
    const json_t *groups = mapped(conn, claims, "groups");
    if (extra && json_is_array(groups))
        json_object_set(extra, "groups", (json_t *)groups);
    who.extra_claims = extra;
    int rc = extra ? emu_login_finish(e, r, lr_id, &who) : -1;
    json_decref(extra);
    return rc;
}

static int oidc_callback(emu *e, emu_req *r)
{
    json_t *trip, *conn;
    int rc;
    if (emu_sso_return(e, r, "The identity provider answered", &trip, &conn, &rc))
        return rc;
    const char *connection_id = skit_json_string(conn, "id");
    const char *lr_id = skit_json_string(trip, "login_request_id");
    const json_t *cfg = emu_sso_config(conn, "oidc_config");
    const char *error = emu_query(r, "error"), *code = emu_query(r, "code");
    char why[700], description[900];
    json_t *ends = NULL, *claims = NULL;
    char *id_token = NULL;
    if (error) {
        const char *desc = emu_query(r, "error_description");
        snprintf(description, sizeof description, "the identity provider of connection %.80s answered error=%.100s%s%.300s",
                 connection_id, error, desc ? ": " : "", desc ? desc : "");
        rc = emu_login_fail(e, r, lr_id, "access_denied", description);
    } else if (!code || !*code) {
        rc = emu_login_fail(e, r, lr_id, "access_denied", "the identity provider answered neither code nor error");
    } else if (!(ends = idp_endpoints(cfg, why, sizeof why)) ||
               !(id_token = exchange_code(e, conn, cfg, ends, code, skit_json_string(trip, "code_verifier"), why,
                                          sizeof why))) {
        snprintf(description, sizeof description, "the code exchange with the identity provider failed: %.700s", why);
        rc = emu_login_fail(e, r, lr_id, "server_error", description);
    } else if (!(claims = verify_id_token(id_token, cfg, ends, skit_json_string(trip, "nonce"), why, sizeof why))) {
        snprintf(description, sizeof description, "the identity provider's ID token was refused: %.700s", why);
        rc = emu_login_fail(e, r, lr_id, "access_denied", description);
    } else {
        rc = finish(e, r, lr_id, conn, claims);
    }
    json_decref(claims);
    free(id_token);
    json_decref(ends);
    json_decref(conn);
    json_decref(trip);
    return rc;
}

const emu_route emu_sso_oidc_routes[] = {
    {"GET", "/sso/v1/oidc/{connection_id}/callback", oidc_callback, "connection_id"},
    {NULL, NULL, NULL, NULL}
};
