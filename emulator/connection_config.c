/*
 * A connection's configuration members, per type, as data: which members of
 * the OpenAPI's connectionsOIDCConnectionConfig, connectionsSAMLConnectionConfigResponse,
 * connectionsPasswordLessConfig, connectionsWebAuthConfiguration and
 * connectionsStaticAuthConfig a body may set, their checks, what a login needs
 * (the connection's status), and the API shape (secret masked, the emulator's
 * own endpoints added).
 */
#include "connection.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A stored client secret is shown as this mask and its last four characters. */
#define SECRET_MASK "********"

typedef enum member_kind { M_STRING, M_URL, M_SECRET, M_BOOL, M_INT, M_ENUM, M_ENUM_LIST, M_OBJECT,
                           M_CERTIFICATES, M_STATIC, M_READ_ONLY } member_kind;

typedef struct member {
    const char *name;
    member_kind kind;
    const char *const *values;   /* M_ENUM, M_ENUM_LIST */
} member;

static const char *const oidc_scopes[] = {"openid", "profile", "email", "address", "phone", NULL};
static const char *const token_auth_types[] = {"URL_PARAMS", "BASIC_AUTH", NULL};
static const char *const name_id_formats[] = {"UNSPECIFIED", "EMAIL", "TRANSIENT", "PERSISTENT", NULL};
static const char *const bindings[] = {"HTTP_POST", "HTTP_REDIRECT", NULL};
static const char *const signing_options[] = {"NO_SIGNING", "SAML_ONLY_RESPONSE_SIGNING",
    "SAML_ONLY_ASSERTION_SIGNING", "SAML_RESPONSE_ASSERTION_SIGNING", "SAML_RESPONSE_OR_ASSERTION_SIGNING", NULL};
static const char *const passwordless_types[] = {"LINK", "OTP", "LINK_OTP", NULL};
static const char *const challenge_types[] = {"NUMERIC", "ALPHANUMERIC", NULL};

static const member oidc_members[] = {
    {"authorize_uri", M_URL, NULL}, {"token_uri", M_URL, NULL}, {"user_info_uri", M_URL, NULL},
    {"jwks_uri", M_URL, NULL}, {"issuer", M_URL, NULL}, {"discovery_endpoint", M_URL, NULL},
    {"client_id", M_STRING, NULL}, {"client_secret", M_SECRET, NULL},
    {"scopes", M_ENUM_LIST, oidc_scopes}, {"pkce_enabled", M_BOOL, NULL},
    {"token_auth_type", M_ENUM, token_auth_types}, {"idp_logout_required", M_BOOL, NULL},
    {"jit_provisioning_with_sso_enabled", M_BOOL, NULL}, {"sync_user_profile_on_login", M_BOOL, NULL},
    {"redirect_uri", M_READ_ONLY, NULL}, {"backchannel_logout_redirect_uri", M_READ_ONLY, NULL},
    {"post_logout_redirect_uri", M_READ_ONLY, NULL},
    {NULL, 0, NULL}
};

static const member saml_members[] = {
    {"idp_entity_id", M_STRING, NULL}, {"idp_sso_url", M_URL, NULL}, {"idp_slo_url", M_URL, NULL},
    {"idp_metadata_url", M_URL, NULL}, {"idp_certificates", M_CERTIFICATES, NULL},
    {"idp_name_id_format", M_ENUM, name_id_formats}, {"idp_sso_request_binding", M_ENUM, bindings},
    {"idp_slo_request_binding", M_ENUM, bindings}, {"idp_slo_required", M_BOOL, NULL},
    {"saml_signing_option", M_ENUM, signing_options}, {"allow_idp_initiated_login", M_BOOL, NULL},
    {"assertion_encrypted", M_BOOL, NULL}, {"force_authn", M_BOOL, NULL},
    {"want_request_signed", M_BOOL, NULL}, {"default_redirect_uri", M_URL, NULL},
    {"ui_button_title", M_STRING, NULL}, {"jit_provisioning_with_sso_enabled", M_BOOL, NULL},
    {"sync_user_profile_on_login", M_BOOL, NULL},
    {"certificate_id", M_READ_ONLY, NULL}, {"sp_entity_id", M_READ_ONLY, NULL},
    {"sp_assertion_url", M_READ_ONLY, NULL}, {"sp_metadata_url", M_READ_ONLY, NULL},
    {"sp_slo_url", M_READ_ONLY, NULL},
    {NULL, 0, NULL}
};

static const member passwordless_members[] = {
    {"type", M_ENUM, passwordless_types}, {"validity", M_INT, NULL}, {"frequency", M_INT, NULL},
    {"code_challenge_length", M_INT, NULL}, {"code_challenge_type", M_ENUM, challenge_types},
    {"enforce_same_browser_origin", M_BOOL, NULL},
    {"regenerate_passwordless_credentials_on_resend", M_BOOL, NULL},
    {NULL, 0, NULL}
};

static const member webauthn_members[] = {
    {"rp", M_OBJECT, NULL}, {"attestation", M_OBJECT, NULL}, {"authenticator_selection", M_OBJECT, NULL},
    {"authenticators", M_OBJECT, NULL}, {"timeout", M_OBJECT, NULL},
    {"enable_auto_registration", M_BOOL, NULL}, {"enable_conditional_login", M_BOOL, NULL},
    {"show_passkey_button", M_BOOL, NULL},
    {NULL, 0, NULL}
};

/* connectionsStaticAuthConfig: {"static_config": {...}}; a custom connection's login_url is in there. */
static const member static_members[] = {
    {"static_config", M_STATIC, NULL},
    {NULL, 0, NULL}
};

typedef struct kind_spec {
    emu_connection_kind kind;
    const member *members;
    const char *const *needs;     /* members a login needs, NULL-terminated */
} kind_spec;

static const kind_spec kinds[] = {
    {{"OIDC", "oidc_config"}, oidc_members,
     (const char *const[]){"client_id", "client_secret", "issuer", "authorize_uri", "token_uri", "jwks_uri", NULL}},
    {{"SAML", "saml_config"}, saml_members, (const char *const[]){"idp_entity_id", "idp_sso_url", NULL}},
    {{"PASSWORDLESS", "passwordless_config"}, passwordless_members, (const char *const[]){NULL}},
    {{"WEBAUTHN", "webauthn_config"}, webauthn_members, (const char *const[]){NULL}},
    {{"OAUTH", "static_config"}, static_members, (const char *const[]){"static_config.login_url", NULL}},
};

const char emu_connection_types_text[] = "OIDC, SAML, PASSWORDLESS, WEBAUTHN or OAUTH";

static const kind_spec *spec_of(const emu_connection_kind *kind)
{
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (&kinds[i].kind == kind)
            return &kinds[i];
    return NULL;
}

const emu_connection_kind *emu_connection_kind_of(const char *type)
{
    for (size_t i = 0; type && i < sizeof kinds / sizeof *kinds; i++)
        if (strcmp(kinds[i].kind.type, type) == 0)
            return &kinds[i].kind;
    return NULL;
}

static bool in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; s && list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

const char *emu_connection_url_problem(const char *url, bool debug)
{
    if (emu_redirect_uri_malformed(url))
        return "must be an absolute http or https URL";
    if (strncasecmp(url, "https://", 8) != 0 && !debug && !emu_uri_loopback(url))
        return "must be an https URL (http needs debug_enabled, or a loopback host)";
    return NULL;
}

static const char *check_list(const member *m, const json_t *v, char *field, size_t len)
{
    size_t i;
    json_t *item;
    if (!json_is_array(v))
        return "must be an array of strings";
    json_array_foreach(v, i, item) {
        if (!in_list(m->values, json_string_value(item))) {
            size_t used = strlen(field);
            snprintf(field + used, len - used, "[%zu]", i);
            return "is not an allowed value";
        }
    }
    return NULL;
}

/* The certificates given, each with an id and create time (kept when given, assigned when not). */
static const char *check_certificates(json_t *v, char *field, size_t len)
{
    size_t i;
    json_t *cert;
    if (!json_is_array(v))
        return "must be an array of certificates";
    size_t used = strlen(field);
    json_array_foreach(v, i, cert) {
        const char *pem = skit_json_string(cert, "certificate");
        snprintf(field + used, len - used, "[%zu].certificate", i);
        if (!json_is_object(cert) || !pem || !*pem || strlen(pem) > 16384)
            return "each certificate needs certificate, its PEM or base64 text of at most 16384 characters";
        if (!skit_json_string(cert, "id")) {
            char *id = emu_new_id("cert_", 8);
            if (!id)
                return "out of memory";
            json_object_set_new(cert, "id", json_string(id));
            free(id);
        }
        if (!skit_json_string(cert, "create_time"))
            json_object_set_new(cert, "create_time", emu_json_time(skit_now()));
    }
    field[used] = '\0';
    return NULL;
}

static const char *check_member(const member *m, json_t *v, bool debug, char *field, size_t len)
{
    switch (m->kind) {
    case M_STRING:
    case M_SECRET:
        return json_is_string(v) && json_string_length(v) <= 2048 ? NULL : "must be a string of at most 2048 characters";
    case M_URL:
        return json_is_string(v) ? emu_connection_url_problem(json_string_value(v), debug) : "must be a string";
    case M_BOOL:
        return json_is_boolean(v) ? NULL : "must be a boolean";
    case M_INT:
        return json_is_integer(v) && json_integer_value(v) > 0 && json_integer_value(v) <= 86400 * 30
            ? NULL : "must be a positive integer";
    case M_ENUM:
        return in_list(m->values, json_string_value(v)) ? NULL : "is not an allowed value";
    case M_ENUM_LIST:
        return check_list(m, v, field, len);
    case M_OBJECT:
        return json_is_object(v) ? NULL : "must be an object";
    case M_CERTIFICATES:
        return check_certificates(v, field, len);
    case M_STATIC:
        if (!json_is_object(v))
            return "must be an object";
        if (!json_object_get(v, "login_url"))
            return NULL;
        snprintf(field + strlen(field), len - strlen(field), ".login_url");
        return json_is_string(json_object_get(v, "login_url"))
            ? emu_connection_url_problem(skit_json_string(v, "login_url"), debug) : "must be a string";
    case M_READ_ONLY:
        return NULL;
    }
    return NULL;
}

static const member *member_of(const kind_spec *spec, const char *name)
{
    for (const member *m = spec->members; m->name; m++)
        if (strcmp(m->name, name) == 0)
            return m;
    return NULL;
}

const char *emu_connection_config_merge(const emu_connection_kind *kind, json_t *config, const json_t *in,
                                        bool debug, char *field, size_t field_len)
{
    const kind_spec *spec = spec_of(kind);
    snprintf(field, field_len, "%s", kind->member);
    if (!json_is_object(in))
        return "must be an object";
    const char *name;
    json_t *v;
    json_object_foreach((json_t *)in, name, v) {
        const member *m = member_of(spec, name);
        snprintf(field, field_len, "%s.%s", kind->member, name);
        if (!m)
            return "is not a member of this configuration";
        if (m->kind == M_READ_ONLY)
            continue;
        /* A secret sent back as it was shown keeps the stored one. */
        if (m->kind == M_SECRET && json_is_string(v) && strncmp(json_string_value(v), SECRET_MASK, 8) == 0)
            continue;
        if (json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0)) {
            json_object_del(config, name);
            continue;
        }
        json_t *copy = json_deep_copy(v);
        const char *why = copy ? check_member(m, copy, debug, field, field_len) : "out of memory";
        if (why) {
            json_decref(copy);
            return why;
        }
        json_object_set_new(config, name, copy);
    }
    return NULL;
}

const char *emu_connection_config_missing(const emu_connection_kind *kind, const json_t *config)
{
    const kind_spec *spec = spec_of(kind);
    for (const char *const *n = spec->needs; *n; n++) {
        /* "static_config.login_url": a member of a member */
        const char *dot = strchr(*n, '.');
        char outer[64];
        snprintf(outer, sizeof outer, "%.*s", dot ? (int)(dot - *n) : (int)strlen(*n), *n);
        json_t *v = json_object_get(config, outer);
        if (dot)
            v = json_object_get(v, dot + 1);
        if (!v || (json_is_string(v) && json_string_length(v) == 0) ||
            (json_is_object(v) && json_object_size(v) == 0))
            return *n;
    }
    return NULL;
}

static void set_url(json_t *out, const char *name, emu *e, const char *fmt, const char *id)
{
    char path[256], url[EMU_MAX_URL + 256 + 1];
    snprintf(path, sizeof path, fmt, id);
    snprintf(url, sizeof url, "%s%s", e->url, path);
    json_object_set_new(out, name, json_string(url));
}

json_t *emu_connection_config_json(emu *e, const emu_connection_kind *kind, const char *id, const json_t *config)
{
    json_t *out = json_is_object(config) ? json_deep_copy(config) : json_object();
    if (!out)
        return NULL;
    if (strcmp(kind->type, "OIDC") == 0) {
        const char *secret = skit_json_string(out, "client_secret");
        if (secret) {
            size_t n = strlen(secret);
            char masked[16];
            snprintf(masked, sizeof masked, SECRET_MASK "%s", n >= 12 ? secret + n - 4 : "");
            json_object_set_new(out, "client_secret", json_string(masked));
        }
        set_url(out, "redirect_uri", e, "/sso/v1/oidc/%s/callback", id);
        set_url(out, "backchannel_logout_redirect_uri", e, "/sso/v1/oidc/%s/backchannel-logout", id);
        set_url(out, "post_logout_redirect_uri", e, "/sso/v1/oidc/%s/logout/callback", id);
    } else if (strcmp(kind->type, "SAML") == 0) {
        set_url(out, "sp_entity_id", e, "/sso/v1/saml/%s", id);
        set_url(out, "sp_assertion_url", e, "/sso/v1/saml/%s/acs", id);
        set_url(out, "sp_metadata_url", e, "/sso/v1/saml/%s/metadata", id);
        set_url(out, "sp_slo_url", e, "/sso/v1/saml/%s/slo/callback", id);
    }
    return out;
}
