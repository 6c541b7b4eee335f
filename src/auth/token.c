/* The public token API (scalekit/token.h): validation with options, the claims
 * accessors, and the access-token and IdP-initiated-login claim structs. The
 * cryptography and the caches are in src/jose. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/decode.h"
#include "client/client.h"
#include "core/growable.h"
#include "jose/jose.h"
#include "auth/auth_internal.h"

struct scalekit_claims {
    skit_payload *held;              /* one reference; shared with the cache and other threads */
    const json_t *payload;           /* the tree of held (read only) */
    const char *json;                /* in the arena */
    const char *const *audiences;    /* in the arena */
    /* the roles and permissions indexes of authz.c, built on first use */
    skit_name_index *indexes[SKIT_CLAIMS_INDEXES];
};

/* ---- helpers over the payload ------------------------------------------- */

static bool number_to_int64(const json_t *v, int64_t *out)
{
    if (json_is_integer(v)) {
        *out = (int64_t)json_integer_value(v);
        return true;
    }
    if (json_is_real(v)) {
        double d = json_real_value(v);
        if (!isfinite(d) || d < -9.2e18 || d > 9.2e18)
            return false;
        *out = (int64_t)d;
        return true;
    }
    return false;
}

static int64_t int64_claim(const json_t *payload, const char *name)
{
    int64_t v = 0;
    return number_to_int64(json_object_get(payload, name), &v) ? v : 0;
}

/* Does @p list (NULL-terminated) contain @p s? */
static bool list_has(const char *const *list, const char *s)
{
    for (; list && *list; list++)
        if (strcmp(*list, s) == 0)
            return true;
    return false;
}

/* A NULL-terminated copy in @p result's arena of the strings of @p arr (a string
 * is a one-element list when @p string_is_list, else no list; non-strings are left
 * out). Never NULL unless out of memory. */
static const char *const *string_list(void *result, const json_t *v, bool string_is_list)
{
    if (!string_is_list && json_is_string(v))
        v = NULL;   /* roles and permissions: only an array grants (authz.h) */
    size_t n = json_is_array(v) ? json_array_size(v) : json_is_string(v) ? 1 : 0;
    const char **list = skit_result_alloc(result, (n + 1) * sizeof *list);
    if (!list)
        return NULL;
    size_t k = 0;
    if (json_is_string(v)) {
        list[k++] = skit_result_strdup(result, json_string_value(v));
    } else {
        size_t i;
        const json_t *item;
        json_array_foreach(v, i, item)
            /* a string with an embedded NUL would read as a shorter name: left out */
            if (json_is_string(item) && json_string_length(item) == strlen(json_string_value(item)) &&
                !(list[k++] = skit_result_strdup(result, json_string_value(item))))
                return NULL;
    }
    if (k && !list[k - 1])
        return NULL;
    list[k] = NULL;
    return list;
}

/* The granted scopes: the space separated `scope` claim and the `scopes` array, merged. */
static const char *const *scope_list(void *result, const json_t *payload)
{
    const json_t *scope = json_object_get(payload, "scope");
    const json_t *scopes = json_object_get(payload, "scopes");
    const char *text = json_is_string(scope) ? json_string_value(scope) : "";
    size_t cap = strlen(text) / 2 + 2 + (json_is_array(scopes) ? json_array_size(scopes) : 0);
    const char **list = skit_result_alloc(result, cap * sizeof *list);
    if (!list)
        return NULL;
    size_t k = 0;
    for (const char *p = text; *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (n) {
            char *item = skit_result_strndup(result, p, n);
            if (!item)
                return NULL;
            if (!list_has(list, item))
                list[k++] = item;
        }
        p += n;
    }
    size_t i;
    const json_t *item;
    json_array_foreach(scopes, i, item) {
        if (!json_is_string(item) || list_has(list, json_string_value(item)))
            continue;
        if (!(list[k++] = skit_result_strdup(result, json_string_value(item))))
            return NULL;
    }
    list[k] = NULL;
    return list;
}

/* ---- option checks ------------------------------------------------------- */

static int check_options(const json_t *payload, const scalekit_validate_options *opts)
{
    if (!opts)
        return SCALEKIT_OK;
    if (opts->issuer && *opts->issuer) {
        const char *iss = skit_json_string(payload, "iss");
        if (!iss || strcmp(iss, opts->issuer) != 0)
            return skit_error_set(SCALEKIT_ETOKEN_CLAIM, "token issuer \"%.200s\" is not \"%.200s\"",
                                  iss ? iss : "(none)", opts->issuer);
    }
    if (opts->audiences && opts->audiences[0]) {
        const json_t *aud = json_object_get(payload, "aud");
        bool match = false;
        if (json_is_string(aud)) {
            match = list_has(opts->audiences, json_string_value(aud));
        } else {
            size_t i;
            const json_t *item;
            json_array_foreach(aud, i, item)
                match = match || (json_is_string(item) && list_has(opts->audiences, json_string_value(item)));
        }
        if (!match)
            return skit_error_set(SCALEKIT_ETOKEN_CLAIM,
                                  "token audience does not include any of the expected ones (first \"%.200s\")",
                                  opts->audiences[0]);
    }
    if (opts->required_scopes && opts->required_scopes[0]) {
        void *scratch = skit_result_new(sizeof(int));
        const char *const *granted = scratch ? scope_list(scratch, payload) : NULL;
        int rc = granted ? SCALEKIT_OK : skit_error_oom();
        for (const char *const *want = opts->required_scopes; rc == SCALEKIT_OK && *want; want++)
            if (!list_has(granted, *want))
                rc = skit_error_set(SCALEKIT_ETOKEN_CLAIM, "token lacks the required scope \"%.200s\"",
                                    *want);
        skit_result_free(scratch);
        return rc;
    }
    return SCALEKIT_OK;
}

/* ---- public functions ---------------------------------------------------- */

static int make_claims(skit_payload *held, const json_t *payload, scalekit_claims **out)
{
    scalekit_claims *c = skit_result_new(sizeof *c);
    if (!c)
        return skit_error_oom();
    c->json = skit_result_strndup(c, held->text, held->len);   /* the signed text itself */
    c->audiences = string_list(c, json_object_get(payload, "aud"), true);
    if (!c->json || !c->audiences) {
        skit_result_free(c);
        return skit_error_oom();
    }
    c->held = skit_payload_retain(held);
    c->payload = payload;
    *out = c;
    return SCALEKIT_OK;
}

int scalekit_validate_token(scalekit_client *client, const char *token,
                            const scalekit_validate_options *opts, scalekit_claims **out)
{
    if (out)
        *out = NULL;
    scalekit_validate_options o;
    int rc = SKIT_STRUCT_COPY(&o, opts, scalekit_validate_options, SCALEKIT_VALIDATE_OPTIONS_INIT);
    if (rc == SCALEKIT_OK)
        rc = skit_authz_check_options(&o);
    if (rc != SCALEKIT_OK)
        return rc;
    skit_payload *held = NULL;
    rc = skit_jose_validate(client, token, o.leeway_seconds, &held);
    const json_t *payload = NULL;
    /* the claims tree is built only when something reads claims */
    bool needs_claims = out || (o.issuer && *o.issuer) || (o.audiences && o.audiences[0]) ||
                        (o.required_scopes && o.required_scopes[0]) || skit_authz_wanted(&o);
    if (rc == SCALEKIT_OK && needs_claims)
        rc = skit_payload_json(held, &payload);
    if (rc == SCALEKIT_OK)
        rc = check_options(payload, &o);
    if (rc == SCALEKIT_OK && skit_authz_wanted(&o))
        rc = skit_authz_check(payload, &o);
    if (rc == SCALEKIT_OK && out)
        rc = make_claims(held, payload, out);
    skit_payload_release(held);
    if (rc == SCALEKIT_OK)
        skit_error_reset();
    return rc;
}

void scalekit_claims_free(scalekit_claims *claims)
{
    if (!claims)
        return;
    for (int i = 0; i < SKIT_CLAIMS_INDEXES; i++)
        skit_name_index_free(claims->indexes[i]);
    skit_payload_release(claims->held);
    skit_result_free(claims);
}

const char *scalekit_claims_get_string(const scalekit_claims *claims, const char *name)
{
    return claims && name ? skit_json_string(claims->payload, name) : NULL;
}

bool scalekit_claims_get_int64(const scalekit_claims *claims, const char *name, int64_t *out)
{
    int64_t v;
    if (!claims || !name || !number_to_int64(json_object_get(claims->payload, name), &v))
        return false;
    if (out)
        *out = v;
    return true;
}

bool scalekit_claims_get_bool(const scalekit_claims *claims, const char *name, bool *out)
{
    const json_t *v = claims && name ? json_object_get(claims->payload, name) : NULL;
    if (!json_is_boolean(v))
        return false;
    if (out)
        *out = json_is_true(v);
    return true;
}

const char *scalekit_claims_get_json(const scalekit_claims *claims, const char *name)
{
    const json_t *v = claims && name ? json_object_get(claims->payload, name) : NULL;
    if (!v)
        return NULL;
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    /* the claims are the caller's own object: keeping the text in their arena is theirs to do */
    const char *copy = text ? skit_result_strdup((void *)claims, text) : NULL;
    free(text);
    return copy;
}

const json_t *skit_claims_payload(const scalekit_claims *claims) { return claims ? claims->payload : NULL; }
skit_name_index **skit_claims_index_slot(const scalekit_claims *claims, int which)
{
    /* the slots are a cache, written once (atomically) even through a const claims */
    return &((scalekit_claims *)claims)->indexes[which];
}
const char *scalekit_claims_json(const scalekit_claims *claims) { return claims ? claims->json : NULL; }
const char *scalekit_claims_subject(const scalekit_claims *claims) { return scalekit_claims_get_string(claims, "sub"); }
const char *scalekit_claims_issuer(const scalekit_claims *claims) { return scalekit_claims_get_string(claims, "iss"); }
int64_t scalekit_claims_expires_at(const scalekit_claims *claims) { return claims ? int64_claim(claims->payload, "exp") : 0; }
int64_t scalekit_claims_issued_at(const scalekit_claims *claims) { return claims ? int64_claim(claims->payload, "iat") : 0; }
const char *const *scalekit_claims_audiences(const scalekit_claims *claims) { return claims ? claims->audiences : NULL; }

/* The string members of the claim structs: the table decoder fills them, as it
 * fills every other result; lists and NumericDates are the claims' own (below). */
static const skit_field access_claim_fields[] = {
    SKIT_FIELD(scalekit_access_token_claims, sub, SKIT_F_STRING),
    SKIT_FIELD(scalekit_access_token_claims, iss, SKIT_F_STRING),
    SKIT_FIELD(scalekit_access_token_claims, jti, SKIT_F_STRING),
    SKIT_FIELD(scalekit_access_token_claims, sid, SKIT_F_STRING),
    SKIT_FIELD(scalekit_access_token_claims, client_id, SKIT_F_STRING),
    SKIT_FIELD_NAMED(scalekit_access_token_claims, organization_id, "oid", SKIT_F_STRING, 0),
    SKIT_FIELD_SELF(scalekit_access_token_claims, raw_json),
};
static const skit_schema access_claims_schema =
    SKIT_SCHEMA(scalekit_access_token_claims, "access token claims", access_claim_fields);

static const skit_field idp_claim_fields[] = {
    SKIT_FIELD(scalekit_idp_initiated_login_claims, connection_id, SKIT_F_STRING),
    SKIT_FIELD(scalekit_idp_initiated_login_claims, organization_id, SKIT_F_STRING),
    SKIT_FIELD(scalekit_idp_initiated_login_claims, login_hint, SKIT_F_STRING),
    SKIT_FIELD(scalekit_idp_initiated_login_claims, relay_state, SKIT_F_STRING),
    SKIT_FIELD_SELF(scalekit_idp_initiated_login_claims, raw_json),
};
static const skit_schema idp_claims_schema =
    SKIT_SCHEMA(scalekit_idp_initiated_login_claims, "IdP-initiated login claims", idp_claim_fields);

/* Validate @p token and decode its payload with @p schema into a new result whose
 * raw_json is the signed payload text. *payload is the claims tree, valid while
 * *held is; on failure nothing is held and *out is NULL. */
static int claims_result(scalekit_client *client, const char *token, const skit_schema *schema,
                         void **out, skit_payload **held, const json_t **payload)
{
    *out = NULL;
    *held = NULL;
    int rc = skit_jose_validate(client, token, 0, held);
    if (rc == SCALEKIT_OK)
        rc = skit_payload_json(*held, payload);
    if (rc == SCALEKIT_OK)
        rc = skit_decode_new(schema, *payload, (*held)->text, out);
    if (rc != SCALEKIT_OK) {
        skit_payload_release(*held);
        *held = NULL;
    }
    return rc;
}

int scalekit_get_access_token_claims(scalekit_client *client, const char *token,
                                     scalekit_access_token_claims **out)
{
    if (!out)
        return skit_error_set(SCALEKIT_EINVAL, "out must not be NULL");
    skit_payload *held = NULL;
    const json_t *p = NULL;
    scalekit_access_token_claims *c = NULL;
    int rc = claims_result(client, token, &access_claims_schema, (void **)&c, &held, &p);
    *out = NULL;
    if (rc != SCALEKIT_OK)
        return rc;
    c->audiences = string_list(c, json_object_get(p, "aud"), true);
    c->iat = int64_claim(p, "iat");
    c->exp = int64_claim(p, "exp");
    c->nbf = int64_claim(p, "nbf");
    c->roles = string_list(c, json_object_get(p, "roles"), false);
    c->permissions = string_list(c, json_object_get(p, "permissions"), false);
    c->scopes = scope_list(c, p);
    skit_payload_release(held);
    if (!c->audiences || !c->roles || !c->permissions || !c->scopes) {
        skit_result_free(c);
        return skit_error_oom();
    }
    *out = c;
    skit_error_reset();
    return SCALEKIT_OK;
}

void scalekit_access_token_claims_free(scalekit_access_token_claims *claims)
{
    skit_result_free(claims);
}

int scalekit_validate_access_token(scalekit_client *client, const char *token)
{
    int rc = skit_jose_validate(client, token, 0, NULL);
    if (rc == SCALEKIT_OK)
        skit_error_reset();
    return rc;
}

int scalekit_get_idp_initiated_login_claims(scalekit_client *client, const char *token,
                                            scalekit_idp_initiated_login_claims **out)
{
    if (!out)
        return skit_error_set(SCALEKIT_EINVAL, "out must not be NULL");
    skit_payload *held = NULL;
    const json_t *p = NULL;
    int rc = claims_result(client, token, &idp_claims_schema, (void **)out, &held, &p);
    skit_payload_release(held);
    if (rc == SCALEKIT_OK)
        skit_error_reset();
    return rc;
}

void scalekit_idp_initiated_login_claims_free(scalekit_idp_initiated_login_claims *claims)
{
    skit_result_free(claims);
}
