/*
 * Test controls under /_emulator (no token: a local test tool): health, fault
 * injection, signing key rotation, API token revocation and introspection,
 * IdP-initiated login tokens and the registered redirect URIs.
 */
#include "environment.h"
#include "resources.h"

#include <stdlib.h>
#include <string.h>

static int get_health(emu *e, emu_req *r)
{
    return emu_reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

/* A JSON member that must be an integer within [min, max] when present. */
static bool optional_int(emu_req *r, json_t *body, const char *name, long min, long max, long *out)
{
    json_t *v = json_object_get(body, name);
    if (!v)
        return true;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
        char d[96];
        snprintf(d, sizeof d, "must be an integer from %ld to %ld", min, max);
        emu_reply_field_error(r, name, d);
        return false;
    }
    *out = (long)json_integer_value(v);
    return true;
}

static int post_fault(emu *e, emu_req *r)
{
    json_t *body = emu_json_body(r);
    if (!body)
        return emu_reply_error(r, 400, "INVALID_ARGUMENT", "the body must be a JSON object");
    const char *path = skit_json_string(body, "path");
    if (!path || path[0] != '/')
        return emu_reply_field_error(r, "path", "must be a path starting with '/' (a trailing '*' matches a prefix)");
    json_t *method = json_object_get(body, "method");
    if (method && !json_is_string(method) && !json_is_null(method))
        return emu_reply_field_error(r, "method", "must be a string");
    emu_fault f = {.count = 1, .retry_after = -1};
    long status = 0;
    if (!optional_int(r, body, "count", 1, 1000000, &f.count) ||
        !optional_int(r, body, "status", 100, 599, &status) ||
        !optional_int(r, body, "retry_after", 0, 86400, &f.retry_after) ||
        !optional_int(r, body, "delay_ms", 0, 60000, &f.delay_ms))
        return 0;
    f.status = (unsigned)status;
    f.drop = skit_json_bool(body, "drop", false);
    f.malformed = skit_json_bool(body, "malformed", false);
    if (!f.status && !f.drop && !f.malformed && !f.delay_ms)
        return emu_reply_field_error(r, "status", "a fault needs a status, delay_ms, drop or malformed");
    f.path = strdup(path);
    f.method = json_is_string(method) ? strdup(json_string_value(method)) : NULL;
    if (!f.path || (json_is_string(method) && !f.method)) {
        free(f.path);
        free(f.method);
        return -1;
    }
    if (emu_faults_add(e, &f) != 0)
        return -1;
    return emu_reply_json(r, 201, json_incref(body));
}

static int delete_faults(emu *e, emu_req *r)
{
    emu_faults_clear(e);
    return emu_reply_json(r, 200, json_object());
}

static int post_rotate_keys(emu *e, emu_req *r)
{
    char *kid = NULL;
    if (emu_keys_rotate(e, &kid) != 0)
        return emu_reply_error(r, 500, "INTERNAL", "signing key rotation failed");
    json_t *answer = json_pack("{s:s}", "kid", kid);
    free(kid);
    return emu_reply_json(r, 200, answer);
}

static int post_revoke_api_tokens(emu *e, emu_req *r)
{
    int n = emu_db_exec(e->store, "UPDATE access_tokens SET revoked = 1 WHERE revoked = 0", "");
    if (n < 0)
        return -1;
    emu_api_auth_invalidate(e);   /* after the write: takes effect on the next request */
    return emu_reply_json(r, 200, json_pack("{s:i}", "revoked", n));
}

/* {"token": <access token>} -> {"active": bool, ...}: the RFC 7662 answer for a
 * token of this emulator (signature, issuer, time, revocation), without client
 * authentication, so a test sees revocations /api/v1 does not show. */
static int post_introspect(emu *e, emu_req *r)
{
    json_t *body = emu_json_body(r);
    const char *token = skit_json_string(body, "token");
    if (!token || !*token)
        return emu_reply_field_error(r, "token", "must be a non-empty string");
    json_t *claims = NULL;
    const char *why = NULL;
    json_t *answer;
    if (emu_keys_verify(e, token, true, &claims, &why) != 0)
        answer = json_pack("{s:b, s:s}", "active", 0, "reason", why);
    else if (!skit_json_string(claims, "jti"))
        answer = json_pack("{s:b, s:s}", "active", 0, "reason", "not an access token");
    else if (emu_access_token_revoked(e, skit_json_string(claims, "jti")))
        answer = json_pack("{s:b, s:s}", "active", 0, "reason", "token revoked");
    else
        answer = json_pack("{s:b, s:O?, s:O?, s:O?, s:O?, s:O?}", "active", 1, "jti", json_object_get(claims, "jti"),
                           "sub", json_object_get(claims, "sub"), "client_id", json_object_get(claims, "client_id"),
                           "scope", json_object_get(claims, "scope"), "exp", json_object_get(claims, "exp"));
    json_decref(claims);
    return emu_reply_json(r, 200, answer);
}

static int get_redirect_uris(emu *e, emu_req *r)
{
    json_t *list = emu_redirect_uri_list(e);
    return list ? emu_reply_json(r, 200, json_pack("{s:o}", "redirect_uris", list)) : -1;
}

/* The "uri" of a JSON body, else of the query (a DELETE body is optional); replies 400 when absent. */
static const char *uri_param(emu_req *r)
{
    const char *uri = skit_json_string(emu_json_body(r), "uri");
    if (!uri)
        uri = emu_query(r, "uri");
    if (!uri || !*uri)
        emu_reply_field_error(r, "uri", "is required (a JSON body {\"uri\": ...} or ?uri=)");
    return uri && *uri ? uri : NULL;
}

static int post_redirect_uri(emu *e, emu_req *r)
{
    const char *uri = uri_param(r);
    if (!uri)
        return 0;
    const char *why = emu_redirect_uri_malformed(uri);
    if (why) {
        char d[160];
        snprintf(d, sizeof d, "%s (an absolute http or https URL is needed)", why);
        return emu_reply_field_error(r, "uri", d);
    }
    if (emu_redirect_uri_add(e, uri) != 0)
        return -1;
    return emu_reply_json(r, 201, json_pack("{s:s}", "uri", uri));
}

static int delete_redirect_uri(emu *e, emu_req *r)
{
    const char *uri = uri_param(r);
    if (!uri)
        return 0;
    int n = emu_redirect_uri_remove(e, uri);
    if (n < 0)
        return -1;
    if (n == 0)
        return emu_reply_error(r, 404, "NOT_FOUND", "redirect URI %.200s is not registered", uri);
    return emu_reply_json(r, 200, json_pack("{s:s}", "uri", uri));
}

static int post_idp_initiated_login(emu *e, emu_req *r)
{
    json_t *body = emu_json_body(r);
    if (!body)
        return emu_reply_error(r, 400, "INVALID_ARGUMENT", "the body must be a JSON object");
    static const char *const members[] = {"connection_id", "organization_id", "login_hint", "relay_state", NULL};
    int64_t now = skit_now();
    json_t *claims = json_pack("{s:s, s:[s], s:I, s:I}", "iss", e->url, "aud", e->client_id,
                               "iat", (json_int_t)now, "exp", (json_int_t)(now + 300));
    for (size_t i = 0; claims && members[i]; i++) {
        json_t *v = json_object_get(body, members[i]);
        if (v && !json_is_string(v)) {
            json_decref(claims);
            return emu_reply_field_error(r, members[i], "must be a string");
        }
        if (v)
            json_object_set(claims, members[i], v);
    }
    char *jwt = NULL;
    if (!claims || emu_keys_sign(e, claims, &jwt) != 0) {
        json_decref(claims);
        return -1;
    }
    json_decref(claims);
    json_t *answer = json_pack("{s:s}", "token", jwt);
    free(jwt);
    return emu_reply_json(r, 200, answer);
}

const emu_route emu_control_routes[] = {
    {"GET", "/_emulator/health", get_health, NULL},
    {"POST", "/_emulator/faults", post_fault, NULL},
    {"DELETE", "/_emulator/faults", delete_faults, NULL},
    {"POST", "/_emulator/keys:rotate", post_rotate_keys, NULL},
    {"POST", "/_emulator/api-tokens:revoke", post_revoke_api_tokens, NULL},
    {"POST", "/_emulator/idp-initiated-login", post_idp_initiated_login, NULL},
    {"POST", "/_emulator/tokens:introspect", post_introspect, NULL},
    {"GET", "/_emulator/redirect-uris", get_redirect_uris, NULL},
    {"POST", "/_emulator/redirect-uris", post_redirect_uri, NULL},
    {"DELETE", "/_emulator/redirect-uris", delete_redirect_uri, NULL},
    {NULL, NULL, NULL, NULL}
};
