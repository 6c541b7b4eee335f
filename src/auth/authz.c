/* Authorization on validated claims (scalekit/authz.h) and the authorization
 * options of scalekit_validate_token. Every check reads the claims tree the
 * verified payload already holds (parsed once per payload, shared through the
 * verified-token cache); checks on a claims object go through a sorted index of
 * the array, built on its first check, so each is a binary search. */
#include <stdlib.h>
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

/* ---- the sorted index of one array claim ---------------------------------- */

typedef struct name_ref {
    const char *s;                   /* in the claims tree, which outlives the index */
    size_t len;
} name_ref;

struct skit_name_index {
    size_t count;
    name_ref names[];
};

/* By length, then bytes: exact, and never confused by an embedded NUL. */
static int name_cmp(const void *a, const void *b)
{
    const name_ref *x = a, *y = b;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return memcmp(x->s, y->s, x->len);
}

/* The strings of @p list (anything but an array: none), sorted; NULL when out of memory. */
static skit_name_index *index_build(const json_t *list)
{
    size_t n = json_is_array(list) ? json_array_size(list) : 0;
    skit_name_index *ix = malloc(sizeof *ix + n * sizeof ix->names[0]);
    if (!ix)
        return NULL;
    size_t k = 0, i;
    const json_t *item;
    json_array_foreach(list, i, item)
        if (json_is_string(item))
            ix->names[k++] = (name_ref){ json_string_value(item), json_string_length(item) };
    ix->count = k;
    qsort(ix->names, k, sizeof ix->names[0], name_cmp);
    return ix;
}

void skit_name_index_free(skit_name_index *index) { free(index); }

/* The index of the claim @p claim, built once per claims object; threads racing
 * here each build one and the first published wins. NULL when out of memory. */
static const skit_name_index *claims_index(const scalekit_claims *claims, int which, const char *claim)
{
    skit_name_index **slot = skit_claims_index_slot(claims, which);
    skit_name_index *ix = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (ix)
        return ix;
    skit_name_index *mine = index_build(json_object_get(skit_claims_payload(claims), claim));
    if (!mine)
        return NULL;
    skit_name_index *expected = NULL;
    if (__atomic_compare_exchange_n(slot, &expected, mine, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return mine;
    free(mine);
    return expected;
}

/* Whether the claim @p claim of @p claims grants @p want (the index, or a scan without memory for one). */
static bool claims_grant(const scalekit_claims *claims, int which, const char *claim, const char *want)
{
    if (!claims || !want || !*want)
        return false;
    const skit_name_index *ix = claims_index(claims, which, claim);
    if (!ix)
        return json_list_has(json_object_get(skit_claims_payload(claims), claim), want);
    name_ref key = { want, strlen(want) };
    return bsearch(&key, ix->names, ix->count, sizeof ix->names[0], name_cmp) != NULL;
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
    return claims_grant(claims, SKIT_CLAIMS_ROLES, "roles", role);
}

bool scalekit_claims_has_permission(const scalekit_claims *claims, const char *permission)
{
    return claims_grant(claims, SKIT_CLAIMS_PERMISSIONS, "permissions", permission);
}

bool scalekit_claims_has_all_permissions(const scalekit_claims *claims, const char *const *permissions)
{
    if (!claims || !permissions)
        return false;
    for (; *permissions; permissions++)
        if (!claims_grant(claims, SKIT_CLAIMS_PERMISSIONS, "permissions", *permissions))
            return false;
    return true;
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
