/**
 * @file scalekit/authz.h
 * Authorization on validated token claims, for gateways and backends: does the
 * token grant a role, a permission, all of a list of permissions, and is it for
 * a given organization. To refuse a request in one call, set
 * required_roles / required_permissions / required_organization_id in
 * scalekit_validate_options (token.h): a valid token lacking one of them is
 * SCALEKIT_ETOKEN_FORBIDDEN, with a message naming what is missing.
 *
 * Matching is exact and case-sensitive ("Admin" is not "admin"). Only a JSON
 * array of strings grants: a `roles` or `permissions` claim that is a string, a
 * number or an object grants nothing, and non-string items of the array are
 * skipped. An empty or NULL name is never granted. None of these read more than
 * the claims already parsed (no JSON parsing per check), so repeated checks on
 * one claims object are cheap.
 */
#ifndef SCALEKIT_AUTHZ_H
#define SCALEKIT_AUTHZ_H

#include <stdbool.h>
#include "export.h"
#include "token.h"

SCALEKIT_BEGIN_DECLS

/**
 * Whether the claims' `roles` array holds @p role.
 *
 * @param claims validated claims (scalekit_validate_token()); NULL grants nothing
 * @param role   the role's name; NULL or "" grants nothing
 * @return true when granted
 */
SCALEKIT_API bool scalekit_claims_has_role(const scalekit_claims *claims, const char *role);

/**
 * Whether the claims' `permissions` array holds @p permission.
 *
 * @param claims     validated claims; NULL grants nothing
 * @param permission the permission's name; NULL or "" grants nothing
 * @return true when granted
 */
SCALEKIT_API bool scalekit_claims_has_permission(const scalekit_claims *claims, const char *permission);

/**
 * Whether the claims' `permissions` array holds every one of @p permissions.
 *
 * @param claims      validated claims; NULL grants nothing
 * @param permissions NULL-terminated names; NULL grants nothing, an empty list is granted,
 *                    an empty name in it is never granted
 * @return true when all are granted
 */
SCALEKIT_API bool scalekit_claims_has_all_permissions(const scalekit_claims *claims,
        const char *const *permissions);

/**
 * Whether the claims are for the organization @p organization_id (their `oid` claim).
 *
 * @param claims          validated claims; NULL is for no organization
 * @param organization_id the organization ("org_..."); NULL or "" matches nothing
 * @return true when the token's organization is exactly @p organization_id
 */
SCALEKIT_API bool scalekit_claims_is_for_organization(const scalekit_claims *claims,
        const char *organization_id);

/**
 * Whether access-token claims (scalekit_get_access_token_claims()) grant @p role.
 * Their roles and permissions lists hold the claim array's strings only, so the
 * four access-token checks answer as the scalekit_claims ones.
 *
 * @param claims the claims; NULL grants nothing
 * @param role   the role's name; NULL or "" grants nothing
 * @return true when granted
 */
SCALEKIT_API bool scalekit_access_token_claims_has_role(const scalekit_access_token_claims *claims,
        const char *role);
/**
 * Whether access-token claims grant @p permission.
 *
 * @param claims     the claims; NULL grants nothing
 * @param permission the permission's name; NULL or "" grants nothing
 * @return true when granted
 */
SCALEKIT_API bool scalekit_access_token_claims_has_permission(
        const scalekit_access_token_claims *claims, const char *permission);
/**
 * Whether access-token claims grant every one of @p permissions.
 *
 * @param claims      the claims; NULL grants nothing
 * @param permissions NULL-terminated names; as scalekit_claims_has_all_permissions()
 * @return true when all are granted
 */
SCALEKIT_API bool scalekit_access_token_claims_has_all_permissions(
        const scalekit_access_token_claims *claims, const char *const *permissions);
/**
 * Whether access-token claims are for the organization @p organization_id.
 *
 * @param claims          the claims; NULL is for no organization
 * @param organization_id the organization; NULL or "" matches nothing
 * @return true when the claims' organization_id is exactly @p organization_id
 */
SCALEKIT_API bool scalekit_access_token_claims_is_for_organization(
        const scalekit_access_token_claims *claims, const char *organization_id);

SCALEKIT_END_DECLS

#endif
