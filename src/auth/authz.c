/* Authorization on validated claims (scalekit/authz.h) and the authorization
 * options of scalekit_validate_token. Every check reads the claims tree the
 * verified payload already holds (parsed once per payload, shared through the
 * verified-token cache), so a check is a hash lookup and a scan of one array. */
#include <string.h>

#include "auth/auth_internal.h"
#include "core/decode.h"
#include "scalekit/authz.h"

/* Whether @p name (non-empty) is exactly one of the strings of the JSON array @p list.
 * Anything but an array grants nothing; the lengths are compared too, so a
 * claim with an embedded NUL can never match a shorter name. */
static bool json_list_has(const json_t *list, const char *name)
{
    if (!json_is_array(list) || !name || !*name)
        return false;
    size_t n = strlen(name);
    size_t i;
    const json_t *item;
    json_array_foreach(list, i, item)
        if (json_is_string(item) && json_string_length(item) == n &&
            memcmp(json_string_value(item), name, n) == 0)
            return true;
    return false;
}

/* The same over a NULL-terminated list of C strings (the access-token claims). */
static bool c_list_has(const char *const *list, const char *name)
{
    if (!name || !*name)
        return false;
    for (; list && *list; list++)
        if (strcmp(*list, name) == 0)
            return true;
    return false;
}

/* The first name of @p wanted (NULL-terminated) that @p granted lacks; NULL when all are there. */
static const char *first_missing(const json_t *granted, const char *const *wanted)
{
    for (; *wanted; wanted++)
        if (!json_list_has(granted, *wanted))
            return *wanted;
    return NULL;
}

static bool is_set(const char *s) { return s && *s; }

/* ---- public helpers ------------------------------------------------------- */

bool scalekit_claims_has_role(const scalekit_claims *claims, const char *role)
{
    return json_list_has(json_object_get(skit_claims_payload(claims), "roles"), role);
}

bool scalekit_claims_has_permission(const scalekit_claims *claims, const char *permission)
{
    return json_list_has(json_object_get(skit_claims_payload(claims), "permissions"), permission);
}

bool scalekit_claims_has_all_permissions(const scalekit_claims *claims, const char *const *permissions)
{
    const json_t *payload = skit_claims_payload(claims);
    return payload && permissions && !first_missing(json_object_get(payload, "permissions"), permissions);
}

bool scalekit_claims_is_for_organization(const scalekit_claims *claims, const char *organization_id)
{
    const json_t *oid = json_object_get(skit_claims_payload(claims), "oid");
    return is_set(organization_id) && json_is_string(oid) &&
           json_string_length(oid) == strlen(organization_id) &&
           strcmp(json_string_value(oid), organization_id) == 0;
}

bool scalekit_access_token_claims_has_role(const scalekit_access_token_claims *claims, const char *role)
{
    return claims && c_list_has(claims->roles, role);
}

bool scalekit_access_token_claims_has_permission(const scalekit_access_token_claims *claims,
                                                 const char *permission)
{
    return claims && c_list_has(claims->permissions, permission);
}

bool scalekit_access_token_claims_has_all_permissions(const scalekit_access_token_claims *claims,
                                                      const char *const *permissions)
{
    if (!claims || !permissions)
        return false;
    for (; *permissions; permissions++)
        if (!c_list_has(claims->permissions, *permissions))
            return false;
    return true;
}

bool scalekit_access_token_claims_is_for_organization(const scalekit_access_token_claims *claims,
                                                      const char *organization_id)
{
    return claims && is_set(organization_id) && claims->organization_id &&
           strcmp(claims->organization_id, organization_id) == 0;
}

/* ---- the validation options ---------------------------------------------- */

bool skit_authz_wanted(const scalekit_validate_options *opts)
{
    return (opts->required_permissions && opts->required_permissions[0]) ||
           (opts->required_roles && opts->required_roles[0]) || is_set(opts->required_organization_id);
}

/* An empty name would be granted by a token holding "" (or by none): refused, as a mistake. */
static int check_names(const char *const *names, const char *what)
{
    for (size_t i = 0; names && names[i]; i++) {
        if (!*names[i])
            return skit_error_set(SCALEKIT_EINVAL, "%s[%zu] must not be empty", what, i);
        int rc = skit_check_utf8(names[i], what);
        if (rc != SCALEKIT_OK)
            return rc;
    }
    return SCALEKIT_OK;
}

int skit_authz_check_options(const scalekit_validate_options *opts)
{
    int rc = check_names(opts->required_permissions, "required_permissions");
    if (rc == SCALEKIT_OK)
        rc = check_names(opts->required_roles, "required_roles");
    return rc;
}

int skit_authz_check(const json_t *payload, const scalekit_validate_options *opts)
{
    if (is_set(opts->required_organization_id)) {
        const json_t *oid = json_object_get(payload, "oid");
        const char *have = json_is_string(oid) ? json_string_value(oid) : NULL;
        if (!have || json_string_length(oid) != strlen(opts->required_organization_id) ||
            strcmp(have, opts->required_organization_id) != 0)
            return skit_error_set(SCALEKIT_ETOKEN_FORBIDDEN, "token is for organization \"%.200s\", not \"%.200s\"",
                                  have ? have : "(none)", opts->required_organization_id);
    }
    const char *missing = opts->required_roles
                              ? first_missing(json_object_get(payload, "roles"), opts->required_roles)
                              : NULL;
    if (missing)
        return skit_error_set(SCALEKIT_ETOKEN_FORBIDDEN, "token lacks the required role \"%.200s\"", missing);
    missing = opts->required_permissions
                  ? first_missing(json_object_get(payload, "permissions"), opts->required_permissions)
                  : NULL;
    if (missing)
        return skit_error_set(SCALEKIT_ETOKEN_FORBIDDEN, "token lacks the required permission \"%.200s\"",
                              missing);
    return SCALEKIT_OK;
}
