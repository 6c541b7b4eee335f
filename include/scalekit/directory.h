/**
 * @file scalekit/directory.h
 * Directories of an organization: the SCIM connections through which an
 * identity provider (Okta, Microsoft Entra, Google, ...) provisions the
 * organization's users and groups, and what it provisioned.
 *
 * Routes, under /api/v1/organizations/{organization_id}/directories:
 * POST and GET on it; GET and DELETE on /{id}; PATCH /{id}:enable and
 * /{id}:disable; GET /{directory_id}/users and /{directory_id}/groups;
 * POST /{directory_id}/secrets and /{directory_id}/secrets:regenerate.
 *
 * Conventions (checks, errors, options, iterators): common.h. The server's
 * rules here: directory_provider is one of OKTA, GOOGLE, MICROSOFT_AD, AUTH0,
 * ONELOGIN, JUMPCLOUD, PING_IDENTITY, directory_type one of SCIM, LDAP, POLL.
 * The list of directories is not paged; the lists of users and groups are.
 */
#ifndef SCALEKIT_DIRECTORY_H
#define SCALEKIT_DIRECTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "export.h"
#include "client.h"
#include "common.h"

SCALEKIT_BEGIN_DECLS

/** A directory's SCIM bearer secret, as lists show it: never the secret itself. */
typedef struct scalekit_directory_secret {
    const char *id;
    const char *directory_id;
    const char *secret_suffix;       /**< the secret's last characters, to tell secrets apart */
    /** "INACTIVE"; NULL for an ACTIVE secret (the API leaves its enum's zero value out) */
    const char *status;
    int64_t create_time;             /**< Unix seconds; 0 when absent */
    int64_t expire_time;             /**< Unix seconds; 0: does not expire */
    int64_t last_used_time;          /**< Unix seconds; 0: never used */
    const char *raw_json;            /**< this secret's JSON */
} scalekit_directory_secret;

/** What the directory holds, counted by the server. */
typedef struct scalekit_directory_stats {
    int32_t total_users;
    int32_t total_groups;
    int64_t user_updated_at;         /**< latest change to a user; 0: none */
    int64_t group_updated_at;        /**< latest change to a group; 0: none */
} scalekit_directory_stats;

/** One attribute mapping: the directory's attribute @p key maps to @p map_to. */
typedef struct scalekit_directory_attribute_mapping {
    const char *key;
    const char *map_to;
} scalekit_directory_attribute_mapping;

/** A directory's attribute mappings. */
typedef struct scalekit_directory_attribute_mappings {
    const scalekit_directory_attribute_mapping *const *attributes;
    size_t count;
} scalekit_directory_attribute_mappings;

/** A directory group's members get role @p role_name. */
typedef struct scalekit_directory_role_assignment {
    const char *group_id;
    const char *role_name;
} scalekit_directory_role_assignment;

/** A directory's group-to-role assignments. */
typedef struct scalekit_directory_role_assignments {
    const scalekit_directory_role_assignment *const *assignments;
    size_t count;
} scalekit_directory_role_assignments;

/** A directory. Strings are NULL and pointers NULL when the server did not send them. */
typedef struct scalekit_directory {
    const char *id;                  /**< "dir_..." */
    const char *name;
    const char *directory_type;      /**< "SCIM", "LDAP" or "POLL" */
    const char *directory_provider;  /**< "OKTA", "MICROSOFT_AD", ... */
    const char *organization_id;
    bool enabled;                    /**< whether the directory syncs (its SCIM endpoint answers) */
    const char *status;              /**< "DRAFT", "IN_PROGRESS" or "COMPLETED" */
    const char *email;
    const char *groups_tracked;      /**< "ALL", ... */
    /** the SCIM 2.0 base URL the identity provider is given */
    const char *directory_endpoint;
    int32_t total_users;
    int32_t total_groups;
    int64_t last_synced_at;          /**< Unix seconds; 0: never synced */
    const scalekit_directory_stats *stats;
    /** secret_count pointers: the directory's secrets, oldest first */
    const scalekit_directory_secret *const *secrets;
    size_t secret_count;
    const scalekit_directory_attribute_mappings *attribute_mappings;
    const scalekit_directory_role_assignments *role_assignments;
    int64_t create_time;             /**< Unix seconds; 0 when absent */
    int64_t update_time;             /**< Unix seconds; 0 when absent */
    /** A result: the whole response body; an item of a list: that item's JSON. */
    const char *raw_json;
} scalekit_directory;

/** An organization's directories (the API does not page them). */
typedef struct scalekit_directories {
    const scalekit_directory *const *items;   /**< count pointers, oldest first */
    size_t count;
    const char *raw_json;            /**< the response body */
} scalekit_directories;

/** A group a directory provisioned. */
typedef struct scalekit_directory_group {
    const char *id;                  /**< "dirgroup_..." */
    const char *display_name;
    int32_t total_users;
    int64_t updated_at;              /**< Unix seconds; 0 when absent */
    /** the provider's group as JSON text, with include_detail; NULL otherwise */
    const char *group_detail;
    const char *raw_json;            /**< this group's JSON */
} scalekit_directory_group;

/** A user a directory provisioned. */
typedef struct scalekit_directory_user {
    const char *id;                  /**< "diruser_..." */
    const char *email;
    const char *preferred_username;
    const char *given_name;
    const char *family_name;
    int64_t updated_at;              /**< Unix seconds; 0 when absent */
    const char *const *emails;       /**< NULL-terminated; NULL when none were sent */
    /** group_count pointers: the groups the user is a member of */
    const scalekit_directory_group *const *groups;
    size_t group_count;
    /** the provider's user (the SCIM resource) as JSON text, with include_detail; NULL otherwise */
    const char *user_detail;
    const char *raw_json;            /**< this user's JSON */
} scalekit_directory_user;

/** One page of a directory's users. */
typedef struct scalekit_directory_user_page {
    const scalekit_directory_user *const *items;   /**< count pointers */
    size_t count;
    const char *next_page_token;     /**< NULL or "" on the last page */
    const char *prev_page_token;
    int64_t total_size;              /**< users matching the filters */
    const char *raw_json;            /**< the response body */
} scalekit_directory_user_page;

/** One page of a directory's groups. */
typedef struct scalekit_directory_group_page {
    const scalekit_directory_group *const *items;  /**< count pointers */
    size_t count;
    const char *next_page_token;     /**< NULL or "" on the last page */
    const char *prev_page_token;
    int64_t total_size;              /**< groups matching the filters */
    const char *raw_json;            /**< the response body */
} scalekit_directory_group_page;

/** The answer of scalekit_directory_enable() and scalekit_directory_disable(). */
typedef struct scalekit_directory_toggle {
    bool enabled;                    /**< the directory's state after the call */
    /** why nothing changed ("The directory is already enabled"), or NULL */
    const char *error_message;
    const char *raw_json;            /**< the response body */
} scalekit_directory_toggle;

/** A new SCIM secret: the only time the plain secret is shown. */
typedef struct scalekit_directory_new_secret {
    const char *plain_secret;        /**< give it to the identity provider as its bearer token */
    const scalekit_directory_secret *secret;
    const char *raw_json;            /**< the response body */
} scalekit_directory_new_secret;

/** Fields of scalekit_directory_create(). */
typedef struct scalekit_directory_create_options {
    size_t struct_size;              /**< set by the _INIT macro; see common.h */
    /** "SCIM", "LDAP" or "POLL"; NULL or "": the server's default (SCIM) */
    const char *directory_type;
    /** "OKTA", "GOOGLE", "MICROSOFT_AD", ...; the server requires it */
    const char *directory_provider;
} scalekit_directory_create_options;
#define SCALEKIT_DIRECTORY_CREATE_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_directory_create_options)

/** Options of scalekit_directory_list_directory_users() and its iterator. */
typedef struct scalekit_directory_user_list_options {
    size_t struct_size;              /**< set by the _INIT macro; see common.h */
    uint32_t page_size;              /**< 0: the server's default (10); at most 30 */
    const char *page_token;          /**< NULL or "": the first page */
    const bool *include_detail;      /**< NULL: the server's default (no user_detail) */
    const char *directory_group_id;  /**< only members of this group; NULL or "": all */
    int64_t updated_after;           /**< Unix seconds, sent as RFC 3339; 0: no filter */
} scalekit_directory_user_list_options;
#define SCALEKIT_DIRECTORY_USER_LIST_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_directory_user_list_options)

/** Options of scalekit_directory_list_directory_groups() and its iterator. */
typedef struct scalekit_directory_group_list_options {
    size_t struct_size;              /**< set by the _INIT macro; see common.h */
    uint32_t page_size;              /**< 0: the server's default (10); at most 30 */
    const char *page_token;          /**< NULL or "": the first page */
    int64_t updated_after;           /**< Unix seconds, sent as RFC 3339; 0: no filter */
    const bool *include_detail;      /**< NULL: the server's default (no group_detail) */
    const bool *include_external_groups; /**< NULL: the server's default (false) */
} scalekit_directory_group_list_options;
#define SCALEKIT_DIRECTORY_GROUP_LIST_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_directory_group_list_options)

/** Every page of a directory's users, on demand; see SCALEKIT_DECLARE_ITERATOR in common.h. */
SCALEKIT_DECLARE_ITERATOR(scalekit_directory_user, scalekit_directory_user);
/** Every page of a directory's groups, on demand. */
SCALEKIT_DECLARE_ITERATOR(scalekit_directory_group, scalekit_directory_group);

/**
 * Create a directory in an organization (disabled, with no secret yet).
 *
 * @param client          the client
 * @param organization_id the organization ("org_..."); must not be empty
 * @param opts            type and provider (SCALEKIT_DIRECTORY_CREATE_OPTIONS_INIT); NULL sends
 *                        neither, which the server refuses (the provider is required)
 * @param out             receives the directory; free with scalekit_directory_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (an empty id, opts not initialised, a string not
 *         UTF-8, out NULL); SCALEKIT_ENOTFOUND (no such organization);
 *         SCALEKIT_EINVALID_REQUEST (a missing or unknown provider, an unknown type)
 */
SCALEKIT_API int scalekit_directory_create(scalekit_client *client, const char *organization_id,
        const scalekit_directory_create_options *opts, scalekit_directory **out);

/**
 * Get a directory of an organization, with its stats and secrets.
 *
 * @param client          the client
 * @param organization_id the organization; must not be empty
 * @param id              the directory id ("dir_..."); must not be empty
 * @param out             receives the directory; free with scalekit_directory_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND (no such organization, or no
 *         such directory in it); see the file comment
 */
SCALEKIT_API int scalekit_directory_get(scalekit_client *client, const char *organization_id,
        const char *id, scalekit_directory **out);

/**
 * List an organization's directories, oldest first.
 *
 * @param client          the client
 * @param organization_id the organization; must not be empty
 * @param out             receives the list; free with scalekit_directories_free()
 * @return SCALEKIT_OK (count 0 when there is none); SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND
 */
SCALEKIT_API int scalekit_directory_list(scalekit_client *client, const char *organization_id,
        scalekit_directories **out);

/**
 * The organization's primary directory: the first of scalekit_directory_list()
 * (the API has no route of its own for it).
 *
 * @param client          the client
 * @param organization_id the organization; must not be empty
 * @param out             receives the directory, its raw_json the list item's JSON;
 *                        free with scalekit_directory_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND (no such organization, or it
 *         has no directory: "organization <id> has no directory", http_status 0)
 */
SCALEKIT_API int scalekit_directory_get_primary_by_organization_id(scalekit_client *client,
        const char *organization_id, scalekit_directory **out);

/**
 * Delete a directory with its secrets and everything it provisioned.
 *
 * @param client          the client
 * @param organization_id the organization; must not be empty
 * @param id              the directory id; must not be empty
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_directory_delete(scalekit_client *client, const char *organization_id,
        const char *id);

/**
 * Enable a directory: its SCIM endpoint accepts its secrets, and the server
 * sends organization.directory_enabled. Enabling an enabled directory changes
 * nothing and answers enabled with an error_message.
 *
 * @param client          the client
 * @param organization_id the organization; must not be empty
 * @param id              the directory id; must not be empty
 * @param out             receives the answer; free with scalekit_directory_toggle_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_directory_enable(scalekit_client *client, const char *organization_id,
        const char *id, scalekit_directory_toggle **out);

/**
 * Disable a directory (organization.directory_disabled); its SCIM endpoint refuses.
 * Parameters and codes as scalekit_directory_enable().
 */
SCALEKIT_API int scalekit_directory_disable(scalekit_client *client, const char *organization_id,
        const char *id, scalekit_directory_toggle **out);

/**
 * One page of the users a directory provisioned.
 *
 * @param client          the client
 * @param organization_id the organization; must not be empty
 * @param directory_id    the directory; must not be empty
 * @param opts            page size and token, group and time filters, details; NULL for the first page
 * @param out             receives the page; free with scalekit_directory_user_page_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; SCALEKIT_EINVALID_REQUEST (a bad
 *         page size or token); see the file comment
 */
SCALEKIT_API int scalekit_directory_list_directory_users(scalekit_client *client,
        const char *organization_id, const char *directory_id,
        const scalekit_directory_user_list_options *opts, scalekit_directory_user_page **out);

/**
 * One page of the groups a directory provisioned. Parameters and codes as
 * scalekit_directory_list_directory_users(); free with scalekit_directory_group_page_free().
 */
SCALEKIT_API int scalekit_directory_list_directory_groups(scalekit_client *client,
        const char *organization_id, const char *directory_id,
        const scalekit_directory_group_list_options *opts, scalekit_directory_group_page **out);

/**
 * An iterator over a directory's users from opts->page_token on, fetching pages on
 * demand (none before the first _next).
 *
 * @param client          the client; must outlive the iterator
 * @param organization_id the organization; must not be empty. Copied.
 * @param directory_id    the directory; must not be empty. Copied.
 * @param opts            as for scalekit_directory_list_directory_users(); NULL for all. Copied.
 * @param out             receives the iterator; free with scalekit_directory_user_iterator_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (client, out NULL, an empty id); SCALEKIT_ENOMEM
 */
SCALEKIT_API int scalekit_directory_user_iterator_new(scalekit_client *client, const char *organization_id,
        const char *directory_id, const scalekit_directory_user_list_options *opts,
        scalekit_directory_user_iterator **out);

/** The same over a directory's groups; free with scalekit_directory_group_iterator_free(). */
SCALEKIT_API int scalekit_directory_group_iterator_new(scalekit_client *client, const char *organization_id,
        const char *directory_id, const scalekit_directory_group_list_options *opts,
        scalekit_directory_group_iterator **out);

/**
 * Create a SCIM bearer secret for a directory. The plain secret is in the answer
 * only; the server keeps its hash.
 *
 * @param client          the client
 * @param organization_id the organization; must not be empty
 * @param directory_id    the directory; must not be empty
 * @param out             receives the secret; free with scalekit_directory_new_secret_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_directory_create_secret(scalekit_client *client, const char *organization_id,
        const char *directory_id, scalekit_directory_new_secret **out);

/**
 * Replace a directory's secrets: every active one becomes INACTIVE (its bearer
 * token is refused from then on) and a new one is created. Parameters and codes as
 * scalekit_directory_create_secret().
 */
SCALEKIT_API int scalekit_directory_regenerate_secret(scalekit_client *client, const char *organization_id,
        const char *directory_id, scalekit_directory_new_secret **out);

/** Free a directory result. Safe on NULL. */
SCALEKIT_API void scalekit_directory_free(scalekit_directory *directory);
/** Free a list of directories. Safe on NULL. */
SCALEKIT_API void scalekit_directories_free(scalekit_directories *list);
/** Free a page of directory users. Safe on NULL. */
SCALEKIT_API void scalekit_directory_user_page_free(scalekit_directory_user_page *page);
/** Free a page of directory groups. Safe on NULL. */
SCALEKIT_API void scalekit_directory_group_page_free(scalekit_directory_group_page *page);
/** Free an enable or disable answer. Safe on NULL. */
SCALEKIT_API void scalekit_directory_toggle_free(scalekit_directory_toggle *toggle);
/** Free a new secret (the plain secret is wiped first). Safe on NULL. */
SCALEKIT_API void scalekit_directory_new_secret_free(scalekit_directory_new_secret *secret);

SCALEKIT_END_DECLS

#endif
