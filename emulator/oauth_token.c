/*
 * POST /oauth/token: client_credentials, authorization_code (PKCE S256 / plain)
 * and refresh_token (rotating). Errors follow RFC 6749 section 5.2.
 *
 * Every token issued from one authorization code belongs to its grant family
 * (schema.sql: grant_families, grant_tokens). A second exchange of the code, or
 * a refresh token presented again after it was rotated, revokes the whole
 * family (RFC 6749 section 4.1.2, RFC 9700 section 4.14): both are signs that
 * the code or the token leaked. Failed client authentication is rate-limited
 * (auth_limit.c). Organization API clients authenticate here too and get
 * their own client-credentials tokens (org_clients.c).
 */
#include "environment.h"
#include "resources.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/evp.h>

#define CODE_TTL_SECONDS 600

bool emu_client_known(emu *e, const char *client_id)
{
    if (!client_id)
        return false;
    json_t *row = emu_db_row(e->store, "SELECT id FROM clients WHERE id = ?", "s", client_id);
    json_decref(row);
    return row != NULL;
}

static bool secret_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n == strlen(b) && skit_consttime_equal(a, b, n);
}

/* The authenticated client id (malloc'd; from HTTP Basic, else the form), or
 * NULL after replying 401 invalid_client, or 429 while the id is rate-limited. */
static char *authenticate_client(emu *e, emu_req *r)
{
    char *id = NULL, *secret = NULL;
    const char *auth = emu_header(r, "Authorization");
    if (auth && strncasecmp(auth, "Basic ", 6) == 0) {
        unsigned char *raw = NULL;
        size_t len = 0;
        if (skit_base64_decode(auth + 6, strlen(auth + 6), &raw, &len) == SCALEKIT_OK) {
            char *colon = memchr(raw, ':', len);
            if (colon && !memchr(raw, '\0', len)) {
                id = strndup((char *)raw, (size_t)(colon - (char *)raw));
                secret = strdup(colon + 1);
            }
            free(raw);
        }
    } else if (emu_form(r, "client_id") && emu_form(r, "client_secret")) {
        id = strdup(emu_form(r, "client_id"));
        secret = strdup(emu_form(r, "client_secret"));
    }
    json_t *row = id ? emu_db_row(e->store, "SELECT secret FROM clients WHERE id = ?", "s", id) : NULL;
    /* Not the environment's client: perhaps an organization's (org_clients.c). */
    bool org_client = !row && emu_org_client_known(e, id);
    const char *limited_id = row || org_client ? id : NULL;
    long wait = emu_auth_limit_wait(e, limited_id);
    bool ok = !wait && secret && (row ? secret_equal(skit_json_string(row, "secret"), secret)
                                      : org_client && emu_org_client_secret_ok(e, id, secret));
    json_decref(row);
    free(secret);
    if (wait) {
        char seconds[24], description[160];
        snprintf(seconds, sizeof seconds, "%ld", wait);
        snprintf(description, sizeof description, "too many failed client authentications for this "
                 "client_id; retry after %ld seconds", wait);
        if (emu_add_header(r, "Retry-After", seconds) == 0)
            emu_reply_oauth_error(r, 429, "temporarily_unavailable", description);
    } else if (!ok) {
        emu_auth_limit_failed(e, limited_id);
        emu_reply_oauth_error(r, 401, "invalid_client", "client authentication failed");
    }
    if (!ok) {
        free(id);
        return NULL;
    }
    return id;
}

/* The standard claims of an access token; NULL on out of memory. */
static json_t *access_claims(emu *e, const char *client_id, const char *sub, const char *scope,
                             char **jti_out)
{
    int64_t now = skit_now();
    char *jti = emu_new_id("tkn_", 12);
    json_t *c = jti ? json_pack("{s:s, s:s, s:[s], s:I, s:I, s:I, s:s, s:s, s:s}",
                                "iss", e->url, "sub", sub, "aud", client_id,
                                "exp", (json_int_t)(now + e->access_token_ttl), "iat", (json_int_t)now,
                                "nbf", (json_int_t)now, "jti", jti, "client_id", client_id,
                                "scope", scope ? scope : "") : NULL;
    if (!c) {
        free(jti);
        return NULL;
    }
    *jti_out = jti;
    return c;
}

int emu_access_token_record(emu *e, const char *jti, const char *client_id)
{
    return emu_db_exec(e->store, "INSERT INTO access_tokens(jti, client_id, issued_at) VALUES (?, ?, ?)",
                       "ssi", jti, client_id, skit_now()) == 1 ? 0 : -1;
}

bool emu_access_token_revoked(emu *e, const char *jti)
{
    json_t *row = jti ? emu_db_row(e->store, "SELECT revoked FROM access_tokens WHERE jti = ?", "s", jti) : NULL;
    bool revoked = !row || json_integer_value(json_object_get(row, "revoked")) != 0;
    json_decref(row);
    return revoked;
}

static int grant_client_credentials(emu *e, emu_req *r, const char *client_id)
{
    const char *scope = emu_form(r, "scope");
    char *jti = NULL, *jwt = NULL;
    json_t *claims = access_claims(e, client_id, client_id, scope, &jti);
    /* Marks the token as an API client's: only these are admitted to /api/v1 (api_auth.c). */
    if (claims && json_object_set_new(claims, "gty", json_string(EMU_GTY_CLIENT_CREDENTIALS)) != 0) {
        json_decref(claims);
        claims = NULL;
    }
    if (claims && (emu_keys_sign(e, claims, &jwt) != 0 || emu_access_token_record(e, jti, client_id) != 0)) {
        free(jwt);
        jwt = NULL;
    }
    json_decref(claims);
    free(jti);
    if (!jwt)
        return -1;
    json_t *answer = json_pack("{s:s, s:s, s:I, s:s}", "access_token", jwt, "token_type", "Bearer",
                               "expires_in", (json_int_t)e->access_token_ttl, "scope", scope ? scope : "");
    free(jwt);
    return emu_reply_json(r, 200, answer);
}

/* The ID token's identities member: the emulator's one connection. */
static json_t *identities(const char *organization_id)
{
    return json_pack("[{s:s, s:s, s:s, s:s, s:b, s:{}}]", "connection_id", "conn_emulator",
                     "organization_id", organization_id ? organization_id : "",
                     "connection_type", "PASSWORDLESS", "provider_name", "SCALEKIT_EMULATOR",
                     "social", 0, "provider_raw_attributes");
}

static char *sign_id_token(emu *e, const char *client_id, const json_t *user, const char *organization_id,
                           const char *session_id, const char *nonce)
{
    int64_t now = skit_now();
    json_t *c = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:b, s:o}",
                          "iss", e->url, "sub", skit_json_string(user, "id"), "aud", client_id,
                          "exp", (json_int_t)(now + e->access_token_ttl), "iat", (json_int_t)now,
                          "sid", session_id, "email", skit_json_string(user, "email"),
                          "email_verified", json_integer_value(json_object_get(user, "email_verified")) != 0,
                          "identities", identities(organization_id));
    /* Profile claims only when the user has them, as an OIDC provider sends them. */
    static const char *const profile[] = {"name", "given_name", "family_name"};
    for (size_t i = 0; c && i < sizeof profile / sizeof *profile; i++) {
        const char *value = skit_json_string(user, profile[i]);
        if (value && *value)
            json_object_set_new(c, profile[i], json_string(value));
    }
    if (c && nonce && *nonce)
        json_object_set_new(c, "nonce", json_string(nonce));
    if (c && organization_id && *organization_id)
        json_object_set_new(c, "oid", json_string(organization_id));
    /* What the sign-in method established (login.c): the SSO connection's identity, a custom login's claims. */
    json_t *extra = c ? emu_db_row(e->store, "SELECT claims FROM session_claims WHERE session_id = ?", "s",
                                   session_id) : NULL;
    json_t *claims = extra ? json_loads(skit_json_string(extra, "claims"), 0, NULL) : NULL;
    /* They add claims; the ones that say whose token it is and for whom stay the emulator's. */
    static const char *const reserved[] = {"iss", "sub", "aud", "exp", "iat", "nbf", "sid", "nonce", "oid", "email"};
    const char *name;
    json_t *value;
    json_object_foreach(json_is_object(claims) ? claims : NULL, name, value) {
        bool own = false;
        for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
            own = own || strcmp(name, reserved[i]) == 0;
        if (!own)
            json_object_set(c, name, value);
    }
    json_decref(claims);
    json_decref(extra);
    char *jwt = NULL;
    if (c && emu_keys_sign(e, c, &jwt) != 0)
        jwt = NULL;
    json_decref(c);
    return jwt;
}

/* Revoke grant family @p id and every token issued in it; a family not created
 * yet (its first exchange still running) is created revoked. Caller holds the
 * store lock, and calls emu_api_auth_invalidate() once it has released it. */
static void revoke_family(emu *e, const char *id)
{
    emu_db_exec(e->store, "INSERT INTO grant_families(id, revoked, created_at) VALUES (?, 1, ?) "
                          "ON CONFLICT(id) DO UPDATE SET revoked = 1", "si", id, skit_now());
    emu_db_exec(e->store, "UPDATE access_tokens SET revoked = 1 WHERE jti IN "
                          "(SELECT token FROM grant_tokens WHERE family_id = ? AND kind = 'access')", "s", id);
    emu_db_exec(e->store, "UPDATE refresh_tokens SET revoked = 1 WHERE token_hash IN "
                          "(SELECT token FROM grant_tokens WHERE family_id = ? AND kind = 'refresh')", "s", id);
}

/* Store the access and refresh token of one issue in family @p family, unless the
 * family was revoked meanwhile (a replay racing this issue): 1 stored, 0 revoked, -1 failure. */
static int record_user_tokens(emu *e, const char *family, const char *client_id, const char *jti,
                              const char *refresh_hash, const json_t *grant)
{
    emu_db_lock(e->store);
    json_t *f = emu_db_row(e->store, "SELECT revoked FROM grant_families WHERE id = ?", "s", family);
    int rc = !f ? -1 : json_integer_value(json_object_get(f, "revoked")) ? 0 : 1;
    json_decref(f);
    if (rc == 1 &&
        (emu_access_token_record(e, jti, client_id) != 0 ||
         emu_db_exec(e->store, "INSERT INTO refresh_tokens(token_hash, client_id, user_id, organization_id, "
                               "session_id, scope, nonce, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     "sssssssi", refresh_hash, client_id, skit_json_string(grant, "user_id"),
                     skit_json_string(grant, "organization_id"), skit_json_string(grant, "session_id"),
                     skit_json_string(grant, "scope"), skit_json_string(grant, "nonce"), skit_now()) != 1 ||
         emu_db_exec(e->store, "INSERT INTO grant_tokens(family_id, kind, token) VALUES (?, 'access', ?), "
                               "(?, 'refresh', ?)", "ssss", family, jti, family, refresh_hash) != 2))
        rc = -1;
    emu_db_unlock(e->store);
    return rc;
}

/* The user's roles in @p org (new JSON array; empty without an organization). */
static json_t *member_roles(emu *e, const char *user_id, const char *org)
{
    json_t *roles = NULL;
    if (org && *org) {
        json_t *m = emu_db_row(e->store, "SELECT roles FROM memberships WHERE organization_id = ? AND user_id = ?",
                               "ss", org, user_id);
        roles = m ? json_loads(skit_json_string(m, "roles"), 0, NULL) : NULL;
        json_decref(m);
    }
    if (json_is_array(roles))
        return roles;
    json_decref(roles);
    return json_array();
}

/* Issue access, ID and refresh tokens of grant family @p family for a signed-in
 * user and reply with them. */
static int issue_user_tokens(emu *e, emu_req *r, const char *client_id, const json_t *grant,
                             const char *family)
{
    const char *user_id = skit_json_string(grant, "user_id");
    const char *org = skit_json_string(grant, "organization_id");
    const char *sid = skit_json_string(grant, "session_id");
    const char *scope = skit_json_string(grant, "scope");
    json_t *user = emu_user_row(e, user_id);
    if (!user)
        return emu_reply_oauth_error(r, 400, "invalid_grant", "the grant's user no longer exists");

    /* Tokens follow the data: without a membership the organization leaves the tokens. */
    json_t *member = org && *org ? emu_db_row(e->store, "SELECT 1 AS m FROM memberships WHERE organization_id = ? "
                                                        "AND user_id = ?", "ss", org, user_id) : NULL;
    if (!member)
        org = NULL;
    json_decref(member);
    char *jti = NULL, *access = NULL, *id_token = NULL, *refresh = NULL;
    json_t *claims = access_claims(e, client_id, user_id, scope, &jti);
    if (claims) {
        json_object_set_new(claims, "sid", json_string(sid));
        if (org && *org)
            json_object_set_new(claims, "oid", json_string(org));
        json_t *roles = member_roles(e, user_id, org);
        json_object_set_new(claims, "permissions", emu_roles_permissions(e, org, roles));
        json_object_set_new(claims, "roles", roles);
        if (emu_keys_sign(e, claims, &access) != 0)
            access = NULL;
    }
    id_token = access ? sign_id_token(e, client_id, user, org, sid, skit_json_string(grant, "nonce")) : NULL;
    refresh = id_token ? emu_new_id("rt_", 32) : NULL;
    int rc = -1;
    if (refresh) {
        char hash[65];
        emu_sha256_hex(refresh, hash);
        int stored = record_user_tokens(e, family, client_id, jti, hash, grant);
        if (stored == 0)
            rc = emu_reply_oauth_error(r, 400, "invalid_grant", "the grant was revoked: its code or "
                                       "refresh token was used twice");
        else if (stored == 1)
            rc = emu_reply_json(r, 200, json_pack("{s:s, s:s, s:I, s:s, s:s, s:s}", "access_token", access,
                                                  "token_type", "Bearer",
                                                  "expires_in", (json_int_t)e->access_token_ttl,
                                                  "scope", scope ? scope : "", "id_token", id_token,
                                                  "refresh_token", refresh));
    }
    json_decref(claims);
    json_decref(user);
    free(jti);
    free(access);
    free(id_token);
    free(refresh);
    return rc;
}

/* RFC 7636 section 4.6. */
static bool pkce_ok(const char *method, const char *challenge, const char *verifier)
{
    if (!verifier || strlen(verifier) < 43 || strlen(verifier) > 128)
        return false;
    if (method && strcmp(method, "plain") == 0)
        return strcmp(challenge, verifier) == 0;
    unsigned char md[32];
    unsigned int len = 0;
    char computed[64];
    if (!EVP_Digest(verifier, strlen(verifier), md, &len, EVP_sha256(), NULL))
        return false;
    computed[skit_base64url_encode(md, sizeof md, computed)] = '\0';
    return strlen(challenge) == strlen(computed) &&
           skit_consttime_equal(challenge, computed, strlen(computed));
}

static int grant_authorization_code(emu *e, emu_req *r, const char *client_id)
{
    const char *code = emu_form(r, "code");
    const char *redirect_uri = emu_form(r, "redirect_uri");
    const char *verifier = emu_form(r, "code_verifier");
    if (!code || !*code)
        return emu_reply_oauth_error(r, 400, "invalid_request", "code is required");
    if (!redirect_uri || !*redirect_uri)
        return emu_reply_oauth_error(r, 400, "invalid_request", "redirect_uri is required");
    char hash[65];
    emu_sha256_hex(code, hash);
    /* Check and consume under the lock: a code is exchanged once, even by racing requests. */
    emu_db_lock(e->store);
    json_t *grant = emu_db_row(e->store, "SELECT * FROM auth_codes WHERE code_hash = ?", "s", hash);
    const char *challenge = skit_json_string(grant, "code_challenge");
    const char *why = NULL;
    bool revoked = false;
    if (!grant) {
        why = "the authorization code is invalid";
    } else if (json_integer_value(json_object_get(grant, "used"))) {
        why = "the authorization code was already used; the tokens issued from it are revoked";
        revoke_family(e, hash);
        revoked = true;
    } else if (json_integer_value(json_object_get(grant, "expires_at")) <= skit_now()) {
        why = "the authorization code expired";
    } else if (strcmp(skit_json_string(grant, "client_id"), client_id) != 0) {
        why = "the authorization code was issued to another client";
    } else if (strcmp(skit_json_string(grant, "redirect_uri"), redirect_uri) != 0) {
        why = "redirect_uri does not match the authorization request";
    } else if (challenge && !pkce_ok(skit_json_string(grant, "code_challenge_method"), challenge, verifier)) {
        why = "code_verifier does not match the code_challenge";
    } else if (!challenge && verifier && *verifier) {
        /* RFC 9700 section 2.1.1: a verifier for a code without a challenge is a downgrade. */
        why = "code_verifier was sent but the authorization request had no code_challenge";
    }
    /* Any presented code is spent, even on a failed exchange (a PKCE guess gets one try). */
    if (grant)
        emu_db_exec(e->store, "UPDATE auth_codes SET used = 1 WHERE code_hash = ?", "s", hash);
    bool stored = why || emu_db_exec(e->store, "INSERT INTO grant_families(id, created_at) VALUES (?, ?) "
                                               "ON CONFLICT(id) DO NOTHING", "si", hash, skit_now()) >= 0;
    emu_db_unlock(e->store);
    if (revoked)
        emu_api_auth_invalidate(e);
    int rc = !stored ? -1 : why ? emu_reply_oauth_error(r, 400, "invalid_grant", why)
                                : issue_user_tokens(e, r, client_id, grant, hash);
    json_decref(grant);
    return rc;
}

static int grant_refresh_token(emu *e, emu_req *r, const char *client_id)
{
    const char *token = emu_form(r, "refresh_token");
    if (!token || !*token)
        return emu_reply_oauth_error(r, 400, "invalid_request", "refresh_token is required");
    char hash[65], family[65];
    emu_sha256_hex(token, hash);
    emu_db_lock(e->store);
    json_t *grant = emu_db_row(e->store, "SELECT t.*, s.ended_at, g.family_id FROM refresh_tokens t "
                                         "LEFT JOIN sessions s ON s.id = t.session_id "
                                         "LEFT JOIN grant_tokens g ON g.kind = 'refresh' AND g.token = t.token_hash "
                                         "WHERE t.token_hash = ?", "s", hash);
    /* Tokens stored before grant families existed start a family of their own. */
    const char *family_id = skit_json_string(grant, "family_id");
    snprintf(family, sizeof family, "%s", family_id ? family_id : hash);
    const char *why = NULL;
    bool stored = true, revoked = false;
    if (!grant) {
        why = "the refresh token is invalid";
    } else if (json_integer_value(json_object_get(grant, "revoked"))) {
        why = "the refresh token was already used or revoked; its whole grant is revoked";
        revoke_family(e, family);
        revoked = true;
    } else if (strcmp(skit_json_string(grant, "client_id"), client_id) != 0) {
        why = "the refresh token was issued to another client";
    } else if (!json_is_null(json_object_get(grant, "ended_at")) ||
               !emu_session_use(e, skit_json_string(grant, "session_id"))) {
        why = "the session of the refresh token has ended";
    } else {
        stored = emu_db_exec(e->store, "UPDATE refresh_tokens SET revoked = 1 WHERE token_hash = ?", "s", hash) == 1 &&
                 emu_db_exec(e->store, "INSERT INTO grant_families(id, created_at) VALUES (?, ?) "
                                       "ON CONFLICT(id) DO NOTHING", "si", family, skit_now()) >= 0;
    }
    emu_db_unlock(e->store);
    if (revoked)
        emu_api_auth_invalidate(e);
    int rc = !stored ? -1 : why ? emu_reply_oauth_error(r, 400, "invalid_grant", why)
                                : issue_user_tokens(e, r, client_id, grant, family);
    json_decref(grant);
    return rc;
}

static int post_token(emu *e, emu_req *r)
{
    const char *type = emu_header(r, "Content-Type");
    if (!type || strncasecmp(type, "application/x-www-form-urlencoded", 33) != 0)
        return emu_reply_oauth_error(r, 400, "invalid_request",
                                     "the body must be application/x-www-form-urlencoded");
    const char *grant_type = emu_form(r, "grant_type");
    if (!grant_type || !*grant_type)
        return emu_reply_oauth_error(r, 400, "invalid_request", "grant_type is required");
    bool known = strcmp(grant_type, "client_credentials") == 0 ||
                 strcmp(grant_type, "authorization_code") == 0 || strcmp(grant_type, "refresh_token") == 0;
    if (!known)
        return emu_reply_oauth_error(r, 400, "unsupported_grant_type", "grant_type is not supported");
    char *client_id = authenticate_client(e, r);
    if (!client_id)
        return 0;
    int rc;
    bool org_client = emu_org_client_known(e, client_id);
    if (org_client && strcmp(grant_type, "client_credentials") != 0)
        rc = emu_reply_oauth_error(r, 400, "unauthorized_client", "an organization API client may use only the "
                                   "client_credentials grant");
    else if (org_client)
        rc = emu_org_client_grant(e, r, client_id);
    else if (strcmp(grant_type, "client_credentials") == 0)
        rc = grant_client_credentials(e, r, client_id);
    else if (strcmp(grant_type, "authorization_code") == 0)
        rc = grant_authorization_code(e, r, client_id);
    else
        rc = grant_refresh_token(e, r, client_id);
    free(client_id);
    return rc;
}

/* Store a new authorization code for a completed login; the code is malloc'd. */
char *emu_code_issue(emu *e, const char *client_id, const char *redirect_uri, const char *code_challenge,
                     const char *code_challenge_method, const char *nonce, const char *scope,
                     const char *user_id, const char *organization_id, const char *session_id)
{
    char *code = emu_new_id("", 32);
    if (!code)
        return NULL;
    char hash[65];
    emu_sha256_hex(code, hash);
    if (emu_db_exec(e->store, "INSERT INTO auth_codes(code_hash, client_id, redirect_uri, code_challenge, "
                              "code_challenge_method, nonce, scope, user_id, organization_id, session_id, "
                              "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    "ssssssssssi", hash, client_id, redirect_uri, code_challenge,
                    code_challenge ? (code_challenge_method ? code_challenge_method : "plain") : NULL,
                    nonce, scope, user_id, organization_id, session_id,
                    skit_now() + CODE_TTL_SECONDS) != 1) {
        free(code);
        return NULL;
    }
    return code;
}

const emu_route emu_token_routes[] = {
    {"POST", "/oauth/token", post_token, NULL},
    {NULL, NULL, NULL, NULL}
};
