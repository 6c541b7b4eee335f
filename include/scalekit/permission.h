/**
 * @file scalekit/permission.h
 * Permissions: the named rights ("read:content") that roles grant, and the
 * permissions of a role, its own or with its bases' (effective).
 *
 * Routes: POST|GET /api/v1/permissions, GET|PUT|DELETE /api/v1/permissions/{permission_name},
 * GET|POST /api/v1/roles/{role_name}/permissions,
 * DELETE /api/v1/roles/{role_name}/permissions/{permission_name},
 * GET /api/v1/roles/{role_name}/permissions:all.
 *
 * Conventions (checks, errors, options, iterators): common.h. The server's rules
 * here: the name pattern and lengths, unknown names, a name taken
 * (SCALEKIT_EEXISTS). Only the list of every permission is paged (page tokens).
 */
#ifndef SCALEKIT_PERMISSION_H
#define SCALEKIT_PERMISSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "export.h"
#include "client.h"
#include "common.h"

SCALEKIT_BEGIN_DECLS

/** A permission (rolesPermission). Strings are NULL when the server did not send them. */
typedef struct scalekit_permission {
    const char *id;
    const char *name;                /**< "read:content" */
    const char *description;
    bool is_scalekit_permission;     /**< predefined by Scalekit, not the environment's own */
    int64_t create_time;             /**< Unix seconds; 0 when absent */
    int64_t update_time;             /**< Unix seconds; 0 when absent */
    /** A result: the whole response body; an item of a list: that item's JSON. */
    const char *raw_json;
} scalekit_permission;

/** A list of permissions (a role's: not paged). */
typedef struct scalekit_permissions {
    const scalekit_permission *const *items;  /**< count pointers */
    size_t count;
    const char *raw_json;            /**< the response body */
} scalekit_permissions;

/** One page of the environment's permissions. */
typedef struct scalekit_permission_page {
    const scalekit_permission *const *items;  /**< count pointers */
    size_t count;
    const char *next_page_token;     /**< NULL or "" on the last page */
    const char *prev_page_token;
    int64_t total_size;              /**< permissions in all pages */
    const char *raw_json;            /**< the response body */
} scalekit_permission_page;

/** Optional fields of scalekit_permission_create() and _update(). */
typedef struct scalekit_permission_options {
    size_t struct_size;              /**< set by the _INIT macro; see common.h */
    const char *description;         /**< NULL or "": not sent */
} scalekit_permission_options;
#define SCALEKIT_PERMISSION_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_permission_options)

/** Options of scalekit_permission_list() and the iterator. */
typedef struct scalekit_permission_list_options {
    size_t struct_size;              /**< set by the _INIT macro; see common.h */
    uint32_t page_size;              /**< 0: the server's default; at most 100 */
    const char *page_token;          /**< NULL or "": the first page */
    const char *type;                /**< "ALL", "SCALEKIT" or "ENVIRONMENT"; NULL or "": ALL */
} scalekit_permission_list_options;
#define SCALEKIT_PERMISSION_LIST_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_permission_list_options)

/** Every page of a list, on demand; see SCALEKIT_DECLARE_ITERATOR in common.h. */
SCALEKIT_DECLARE_ITERATOR(scalekit_permission, scalekit_permission);

/**
 * Create a permission.
 *
 * @param client the client
 * @param name   the permission's name ("read:content"); must not be empty
 * @param opts   its description; NULL for none
 * @param out    receives the new permission; free with scalekit_permission_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (empty name, opts not initialised, out NULL);
 *         SCALEKIT_EEXISTS (the name is taken); SCALEKIT_EINVALID_REQUEST (a bad name)
 */
SCALEKIT_API int scalekit_permission_create(scalekit_client *client, const char *name,
        const scalekit_permission_options *opts, scalekit_permission **out);

/**
 * Get a permission.
 *
 * @param client          the client
 * @param permission_name the permission; must not be empty
 * @param out             receives the permission; free with scalekit_permission_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_permission_get(scalekit_client *client, const char *permission_name,
        scalekit_permission **out);

/**
 * List one page of the environment's permissions.
 *
 * @param client the client
 * @param opts   page size and token, type filter; NULL for the first page
 * @param out    receives the page; free with scalekit_permission_page_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_EINVALID_REQUEST (a bad page token)
 */
SCALEKIT_API int scalekit_permission_list(scalekit_client *client,
        const scalekit_permission_list_options *opts, scalekit_permission_page **out);

/**
 * Update a permission's description (PUT; the body names the permission as the path does).
 *
 * @param client          the client
 * @param permission_name the permission; must not be empty
 * @param opts            the new description; NULL sends none
 * @param out             receives the updated permission; free with scalekit_permission_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_permission_update(scalekit_client *client, const char *permission_name,
        const scalekit_permission_options *opts, scalekit_permission **out);

/**
 * Delete a permission.
 *
 * @param client          the client
 * @param permission_name the permission; must not be empty
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_permission_delete(scalekit_client *client, const char *permission_name);

/**
 * List the permissions a role grants itself (not its bases').
 *
 * @param client    the client
 * @param role_name the role; must not be empty
 * @param out       receives the list; free with scalekit_permissions_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_permission_list_role_permissions(scalekit_client *client,
        const char *role_name, scalekit_permissions **out);

/**
 * Add permissions to a role.
 *
 * @param client           the client
 * @param role_name        the role; must not be empty
 * @param permission_names NULL-terminated names; must not be NULL
 * @param out              receives the permissions the server answers with; free with
 *                         scalekit_permissions_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (permission_names NULL, a name not UTF-8);
 *         SCALEKIT_ENOTFOUND; SCALEKIT_EINVALID_REQUEST (an unknown permission)
 */
SCALEKIT_API int scalekit_permission_add_permissions_to_role(scalekit_client *client,
        const char *role_name, const char *const *permission_names, scalekit_permissions **out);

/**
 * Remove a permission from a role.
 *
 * @param client          the client
 * @param role_name       the role; must not be empty
 * @param permission_name the permission; must not be empty
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_permission_remove_permission_from_role(scalekit_client *client,
        const char *role_name, const char *permission_name);

/**
 * List a role's effective permissions: its own and every base role's.
 *
 * @param client    the client
 * @param role_name the role; must not be empty
 * @param out       receives the list; free with scalekit_permissions_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_permission_list_effective_role_permissions(scalekit_client *client,
        const char *role_name, scalekit_permissions **out);

/**
 * An iterator over every permission, from opts->page_token on, fetching pages
 * on demand (none before the first _next call).
 *
 * @param client the client; must outlive the iterator
 * @param opts   as for scalekit_permission_list(); NULL for all. Copied.
 * @param out    receives the iterator; free with scalekit_permission_iterator_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (client or out NULL, opts not initialised); SCALEKIT_ENOMEM
 */
SCALEKIT_API int scalekit_permission_iterator_new(scalekit_client *client,
        const scalekit_permission_list_options *opts, scalekit_permission_iterator **out);

/** Free a permission. Safe on NULL. */
SCALEKIT_API void scalekit_permission_free(scalekit_permission *permission);
/** Free a list of permissions. Safe on NULL. */
SCALEKIT_API void scalekit_permissions_free(scalekit_permissions *list);
/** Free a page of permissions. Safe on NULL. */
SCALEKIT_API void scalekit_permission_page_free(scalekit_permission_page *page);

SCALEKIT_END_DECLS

#endif
