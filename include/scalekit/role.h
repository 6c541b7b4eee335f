/**
 * @file scalekit/role.h
 * Roles: named sets of permissions that members of an organization hold.
 * Environment roles apply to every organization; organization roles are one
 * organization's own. A role may extend a base role (`extends`) and so inherit
 * its permissions.
 *
 * Routes: POST|GET /api/v1/roles, GET|PUT|DELETE /api/v1/roles/{role_name},
 * GET /api/v1/roles/{role_name}/users:count, POST|GET /api/v1/organizations/{org_id}/roles,
 * GET|PUT|DELETE /api/v1/organizations/{org_id}/roles/{role_name},
 * GET .../{role_name}/users:count, DELETE .../{role_name}/base,
 * PATCH /api/v1/organizations/{org_id}/roles:set_defaults; beyond the reference:
 * PATCH /api/v1/roles:set_defaults, GET /api/v1/roles/{role_name}/dependents,
 * DELETE /api/v1/roles/{role_name}/base.
 *
 * Conventions (checks, errors, options): common.h. The server's rules here: the
 * name pattern and lengths, unknown permissions or bases, a cycle of bases, a
 * name taken (SCALEKIT_EEXISTS). Role lists are not paged by the API.
 */
#ifndef SCALEKIT_ROLE_H
#define SCALEKIT_ROLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "export.h"
#include "client.h"
#include "common.h"

SCALEKIT_BEGIN_DECLS

/** A permission of a role, with the role it comes from (rolesRolePermission). */
typedef struct scalekit_role_permission {
    const char *id;
    const char *name;                /**< "read:content" */
    const char *description;
    /** the role that grants it: this role, or a base role (with include "permissions:all") */
    const char *role_name;
    int64_t create_time;             /**< Unix seconds; 0 when absent */
    int64_t update_time;             /**< Unix seconds; 0 when absent */
} scalekit_role_permission;

/** A role (v1rolesRole). Strings are NULL when the server did not send them. */
typedef struct scalekit_role {
    const char *id;
    const char *name;                /**< "content_editor" */
    const char *display_name;
    const char *description;
    const char *extends;             /**< the base role's name; NULL: none */
    bool default_creator;            /**< the default role of an organization's creator */
    bool default_member;             /**< the default role of new members */
    bool is_org_role;                /**< an organization's own role */
    int32_t dependent_roles_count;   /**< roles that extend this one */
    /** permission_count pointers; only with an include option ("permissions", "permissions:all") */
    const scalekit_role_permission *const *permissions;
    size_t permission_count;
    /** A result: the whole response body; an item of a list: that item's JSON. */
    const char *raw_json;
} scalekit_role;

/** A list of roles (the API does not page them). */
typedef struct scalekit_roles {
    const scalekit_role *const *items;  /**< count pointers */
    size_t count;
    const char *raw_json;            /**< the response body */
} scalekit_roles;

/** The default roles after an update; a role the server did not send is NULL. */
typedef struct scalekit_role_defaults {
    const scalekit_role *default_creator;
    const scalekit_role *default_member;
    const char *raw_json;            /**< the response body */
} scalekit_role_defaults;

/** Optional fields of a new role (v1rolesCreateRole, v1rolesCreateOrganizationRole). */
typedef struct scalekit_role_create_options {
    size_t struct_size;              /**< set by the _INIT macro; see common.h */
    const char *display_name;        /**< NULL or "": not sent */
    const char *description;         /**< NULL or "": not sent */
    const char *extends;             /**< the base role's name; NULL or "": none */
    const char *const *permissions;  /**< NULL-terminated permission names; NULL: not sent */
} scalekit_role_create_options;
#define SCALEKIT_ROLE_CREATE_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_role_create_options)

/** The fields of a role update (v1rolesUpdateRole); NULL members are not sent. */
typedef struct scalekit_role_update_options {
    size_t struct_size;              /**< set by the _INIT macro; see common.h */
    const char *display_name;
    const char *description;
    const char *extends;             /**< the new base role's name */
    const char *const *permissions;  /**< NULL-terminated: the role's permissions */
} scalekit_role_update_options;
#define SCALEKIT_ROLE_UPDATE_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_role_update_options)

/** Options of the role reads (get and list). */
typedef struct scalekit_role_get_options {
    size_t struct_size;              /**< set by the _INIT macro; see common.h */
    /** "permissions" (the role's own) or "permissions:all" (with its bases'); NULL or "": none */
    const char *include;
} scalekit_role_get_options;
#define SCALEKIT_ROLE_GET_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_role_get_options)

/** Options of scalekit_role_update_default_roles(); NULL or "" members are not sent. */
typedef struct scalekit_role_default_roles_options {
    size_t struct_size;              /**< set by the _INIT macro; see common.h */
    const char *default_creator_role;/**< the role name given to an organization's creator */
    const char *default_member_role; /**< the role name given to new members */
} scalekit_role_default_roles_options;
#define SCALEKIT_ROLE_DEFAULT_ROLES_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_role_default_roles_options)

/* ---- environment roles ---------------------------------------------------- */

/**
 * Create an environment role.
 *
 * @param client the client
 * @param name   the role's name ("content_editor"); must not be empty
 * @param opts   display name, description, base role, permissions; NULL for none
 * @param out    receives the new role; free with scalekit_role_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (empty name, opts not initialised, a string
 *         not UTF-8, out NULL); SCALEKIT_EEXISTS (the name is taken);
 *         SCALEKIT_EINVALID_REQUEST (a bad name, an unknown permission or base)
 */
SCALEKIT_API int scalekit_role_create(scalekit_client *client, const char *name,
        const scalekit_role_create_options *opts, scalekit_role **out);

/**
 * Get an environment role.
 *
 * @param client    the client
 * @param role_name the role; must not be empty
 * @param opts      what to include; NULL for nothing
 * @param out       receives the role; free with scalekit_role_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_role_get(scalekit_client *client, const char *role_name,
        const scalekit_role_get_options *opts, scalekit_role **out);

/**
 * List the environment's roles.
 *
 * @param client the client
 * @param opts   what to include; NULL for nothing
 * @param out    receives the list; free with scalekit_roles_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; see the file comment
 */
SCALEKIT_API int scalekit_role_list(scalekit_client *client, const scalekit_role_get_options *opts,
        scalekit_roles **out);

/**
 * Update an environment role (PUT: the members set are sent).
 *
 * @param client    the client
 * @param role_name the role; must not be empty
 * @param update    the new values (SCALEKIT_ROLE_UPDATE_OPTIONS_INIT); must not be NULL
 * @param out       receives the updated role; free with scalekit_role_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (update NULL too); SCALEKIT_ENOTFOUND;
 *         SCALEKIT_EINVALID_REQUEST (an unknown permission or base, a cycle of bases)
 */
SCALEKIT_API int scalekit_role_update(scalekit_client *client, const char *role_name,
        const scalekit_role_update_options *update, scalekit_role **out);

/**
 * Delete an environment role.
 *
 * @param client             the client
 * @param role_name          the role; must not be empty
 * @param reassign_role_name the role its members get instead; NULL or "": none
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; SCALEKIT_EINVALID_REQUEST
 *         (members hold it and no reassignment was named); see the file comment
 */
SCALEKIT_API int scalekit_role_delete(scalekit_client *client, const char *role_name,
        const char *reassign_role_name);

/**
 * How many users hold an environment role.
 *
 * @param client    the client
 * @param role_name the role; must not be empty
 * @param count     receives the count (0 on failure)
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (count NULL too); SCALEKIT_ENOTFOUND;
 *         SCALEKIT_EMALFORMED_RESPONSE (no count in the answer)
 */
SCALEKIT_API int scalekit_role_get_users_count(scalekit_client *client, const char *role_name,
        int64_t *count);

/* ---- organization roles --------------------------------------------------- */

/**
 * Create a role of one organization.
 *
 * @param client the client
 * @param org_id the organization; must not be empty
 * @param name   the role's name; must not be empty
 * @param opts   as for scalekit_role_create(); NULL for none
 * @param out    receives the new role; free with scalekit_role_free()
 * @return as scalekit_role_create(); SCALEKIT_ENOTFOUND (no such organization)
 */
SCALEKIT_API int scalekit_role_create_organization_role(scalekit_client *client, const char *org_id,
        const char *name, const scalekit_role_create_options *opts, scalekit_role **out);

/**
 * Get a role of an organization (its own or an environment role).
 *
 * @param client    the client
 * @param org_id    the organization; must not be empty
 * @param role_name the role; must not be empty
 * @param opts      what to include; NULL for nothing
 * @param out       receives the role; free with scalekit_role_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_role_get_organization_role(scalekit_client *client, const char *org_id,
        const char *role_name, const scalekit_role_get_options *opts, scalekit_role **out);

/**
 * List the roles of an organization.
 *
 * @param client the client
 * @param org_id the organization; must not be empty
 * @param opts   what to include; NULL for nothing
 * @param out    receives the list; free with scalekit_roles_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_role_list_organization_roles(scalekit_client *client, const char *org_id,
        const scalekit_role_get_options *opts, scalekit_roles **out);

/**
 * Update a role of an organization.
 *
 * @param client    the client
 * @param org_id    the organization; must not be empty
 * @param role_name the role; must not be empty
 * @param update    the new values; must not be NULL
 * @param out       receives the updated role; free with scalekit_role_free()
 * @return as scalekit_role_update()
 */
SCALEKIT_API int scalekit_role_update_organization_role(scalekit_client *client, const char *org_id,
        const char *role_name, const scalekit_role_update_options *update, scalekit_role **out);

/**
 * Delete a role of an organization.
 *
 * @param client             the client
 * @param org_id             the organization; must not be empty
 * @param role_name          the role; must not be empty
 * @param reassign_role_name the role its members get instead; NULL or "": none
 * @return as scalekit_role_delete()
 */
SCALEKIT_API int scalekit_role_delete_organization_role(scalekit_client *client, const char *org_id,
        const char *role_name, const char *reassign_role_name);

/**
 * How many users of an organization hold a role.
 *
 * @param client    the client
 * @param org_id    the organization; must not be empty
 * @param role_name the role; must not be empty
 * @param count     receives the count (0 on failure)
 * @return as scalekit_role_get_users_count()
 */
SCALEKIT_API int scalekit_role_get_organization_role_users_count(scalekit_client *client,
        const char *org_id, const char *role_name, int64_t *count);

/**
 * Set the role new members of an organization get.
 *
 * @param client              the client
 * @param org_id              the organization; must not be empty
 * @param default_member_role the role's name; must not be empty
 * @param out                 receives the defaults (default_member); free with
 *                            scalekit_role_defaults_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; SCALEKIT_EINVALID_REQUEST
 */
SCALEKIT_API int scalekit_role_update_default_organization_roles(scalekit_client *client,
        const char *org_id, const char *default_member_role, scalekit_role_defaults **out);

/**
 * Remove the base of an organization role: it keeps only its own permissions.
 *
 * @param client    the client
 * @param org_id    the organization; must not be empty
 * @param role_name the role; must not be empty
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_role_delete_organization_role_base(scalekit_client *client,
        const char *org_id, const char *role_name);

/* ---- beyond the reference (api/EXTRAS.md) --------------------------------- */

/**
 * Set the environment's default creator and/or member role.
 *
 * @param client the client
 * @param opts   the role names (SCALEKIT_ROLE_DEFAULT_ROLES_OPTIONS_INIT); must not be NULL,
 *               and at least one name must be set
 * @param out    receives the defaults; free with scalekit_role_defaults_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (opts NULL, no name set); SCALEKIT_EINVALID_REQUEST
 *         (an unknown role); see the file comment
 */
SCALEKIT_API int scalekit_role_update_default_roles(scalekit_client *client,
        const scalekit_role_default_roles_options *opts, scalekit_role_defaults **out);

/**
 * List the roles that extend an environment role (directly).
 *
 * @param client    the client
 * @param role_name the base role; must not be empty
 * @param out       receives the list; free with scalekit_roles_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_role_list_dependent_roles(scalekit_client *client, const char *role_name,
        scalekit_roles **out);

/**
 * Remove the base of an environment role.
 *
 * @param client    the client
 * @param role_name the role; must not be empty
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_role_delete_base(scalekit_client *client, const char *role_name);

/** Free a role. Safe on NULL. */
SCALEKIT_API void scalekit_role_free(scalekit_role *role);
/** Free a list of roles. Safe on NULL. */
SCALEKIT_API void scalekit_roles_free(scalekit_roles *list);
/** Free default roles. Safe on NULL. */
SCALEKIT_API void scalekit_role_defaults_free(scalekit_role_defaults *defaults);

SCALEKIT_END_DECLS

#endif
