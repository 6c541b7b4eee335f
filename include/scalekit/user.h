/**
 * @file scalekit/user.h
 * Users: the people of an environment, their profiles, and their memberships
 * of organizations (roles, status, invitations).
 *
 * Routes (all authenticated with the client's API token):
 * GET /api/v1/users, GET /api/v1/users:search, GET|PATCH|DELETE /api/v1/users/{id}
 * and /api/v1/users:external/{external_id}; GET|POST
 * /api/v1/organizations/{organization_id}/users, GET .../users:search;
 * POST|PATCH|DELETE /api/v1/memberships/organizations/{organization_id}/users/{id}
 * and .../users:external/{external_id}; PATCH
 * /api/v1/invites/organizations/{organization_id}/users/{id}/resend; GET|POST
 * /api/v1/organizations/{organization_id}/users/{user_id}/roles, DELETE .../roles/{role_name},
 * GET .../users/{user_id}/permissions.
 *
 * Conventions are organization.h's and common.h's: every function checks what
 * C needs before any request (NULL out pointers, empty ids, path-segment
 * safety, valid UTF-8, struct_size set by the _INIT macro): a failure is
 * SCALEKIT_EINVAL with a message naming the parameter, and nothing is sent.
 * Business rules (email format, lengths, role names that exist) are the
 * server's: a value it refuses is SCALEKIT_EINVALID_REQUEST with its field
 * violations in scalekit_error_last().
 *
 * The codes every networked call can return besides those listed: common.h.
 */
#ifndef SCALEKIT_USER_H
#define SCALEKIT_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "export.h"
#include "client.h"
#include "common.h"

SCALEKIT_BEGIN_DECLS

/* ---- results ------------------------------------------------------------- */

/**
 * A role of a membership (input and output). As input only `name` (and
 * `display_name` when set) is sent; `id` is the server's.
 */
typedef struct scalekit_user_role {
    size_t struct_size;             /**< set by the _INIT macro; see common.h */
    const char *id;                 /**< read only */
    const char *name;               /**< "admin", "member" */
    const char *display_name;
} scalekit_user_role;
#define SCALEKIT_USER_ROLE_INIT SCALEKIT_STRUCT_INIT(scalekit_user_role)

/** A sign-in identity of a user at an identity provider (read only). */
typedef struct scalekit_user_external_identity {
    const char *connection_id;
    const char *connection_provider; /**< "OKTA", "GOOGLE", "MICROSOFT_AD", ... */
    const char *connection_type;
    const char *connection_user_id;  /**< the user's id at the provider */
    bool is_social;
    int64_t created_time;            /**< Unix seconds; 0 when absent */
    int64_t last_login_time;
    int64_t last_synced_time;
} scalekit_user_external_identity;

/** A user's profile (the API's user_profile; scalekit_user_profile in auth.h is an ID
 *  token's claims). Strings are NULL when the server did not send them. */
typedef struct scalekit_user_profile_details {
    const char *id;
    const char *given_name;
    const char *family_name;
    const char *name;               /**< the full display name */
    const char *locale;             /**< BCP-47, "en-US" */
    bool email_verified;
    const char *phone_number;       /**< E.164 */
    bool phone_number_verified;
    const char *picture;            /**< a URL */
    const char *preferred_username;
    const char *gender;
    const char *const *groups;      /**< NULL-terminated; NULL when none */
    scalekit_string_map custom_attributes;
    scalekit_string_map metadata;   /**< attributes from identity providers */
    /** external_identity_count pointers. */
    const scalekit_user_external_identity *const *external_identities;
    size_t external_identity_count;
} scalekit_user_profile_details;

/** A user's membership of one organization. */
typedef struct scalekit_user_membership {
    const char *organization_id;
    const char *name;               /**< the organization's name */
    const char *display_name;       /**< the organization's display name */
    /** "ACTIVE", "INACTIVE", "PENDING_INVITE", "INVITE_EXPIRED" */
    const char *membership_status;
    const scalekit_user_role *const *roles;   /**< role_count pointers */
    size_t role_count;
    const char *const *permissions; /**< effective permissions; NULL-terminated */
    scalekit_string_map metadata;
    const char *inviter_email;      /**< who invited the user */
    /** "jit_using_sso", "invitation", "direct", ... */
    const char *provisioning_method;
    int64_t created_at;             /**< the invitation's creation; Unix seconds, 0 when absent */
    int64_t accepted_at;            /**< when the invitation was accepted */
    int64_t expires_at;             /**< when the invitation expires */
    int64_t join_time;              /**< when the membership was created */
} scalekit_user_membership;

/** A user. Strings are NULL when the server did not send them. */
typedef struct scalekit_user {
    const char *id;                 /**< "usr_..." */
    const char *email;
    const char *external_id;        /**< your identifier of the user */
    const scalekit_user_profile_details *user_profile;      /**< NULL when the server sent none */
    scalekit_string_map metadata;
    const scalekit_user_membership *const *memberships; /**< membership_count pointers */
    size_t membership_count;
    int64_t create_time;            /**< Unix seconds; 0 when absent */
    int64_t update_time;
    int64_t last_login_time;
    /** A result from a call: the whole response body. An item of a page: that
     *  item's JSON. Every field, modelled or not, is there. */
    const char *raw_json;
} scalekit_user;

/** One page of users. */
typedef struct scalekit_user_page {
    const scalekit_user *const *items;  /**< count pointers */
    size_t count;
    const char *next_page_token;    /**< NULL or "" on the last page */
    const char *prev_page_token;
    int64_t total_size;             /**< users matching, over every page */
    const char *raw_json;           /**< the response body */
} scalekit_user_page;

/** An invitation to an organization, as ResendInvite returns it. */
typedef struct scalekit_user_invite {
    const char *organization_id;
    const char *user_id;
    const char *inviter_email;
    const char *status;             /**< "pending", "accepted", "expired", "revoked" */
    int32_t resent_count;
    int64_t created_at;             /**< Unix seconds; 0 when absent */
    int64_t expires_at;
    int64_t resent_at;
    const char *raw_json;           /**< the response body */
} scalekit_user_invite;

/** A member's roles in an organization. */
typedef struct scalekit_user_role_list {
    const scalekit_user_role *const *items; /**< count pointers */
    size_t count;
    const char *raw_json;           /**< the response body */
} scalekit_user_role_list;

/** A permission a member holds. */
typedef struct scalekit_user_permission {
    const char *id;
    const char *name;               /**< "read:reports" */
    const char *description;
    const char *const *tags;        /**< NULL-terminated; NULL when none */
} scalekit_user_permission;

/** A member's permissions in an organization. */
typedef struct scalekit_user_permission_list {
    const scalekit_user_permission *const *items; /**< count pointers */
    size_t count;
    const char *raw_json;           /**< the response body */
} scalekit_user_permission_list;

/* ---- inputs -------------------------------------------------------------- */

/** Profile fields to set (create) or change (update); NULL strings are not sent. */
typedef struct scalekit_user_profile_options {
    size_t struct_size;             /**< set by the _INIT macro; see common.h */
    const char *given_name;
    const char *family_name;
    const char *name;
    const char *locale;
    const char *phone_number;
    const char *picture;
    const char *preferred_username;
    const char *gender;
    const char *const *groups;      /**< NULL-terminated; NULL: not sent */
    scalekit_string_map custom_attributes;  /**< entries NULL: not sent */
    scalekit_string_map metadata;           /**< entries NULL: not sent */
} scalekit_user_profile_options;
#define SCALEKIT_USER_PROFILE_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_user_profile_options)

/** A new membership: roles, metadata, who invited. Unset members are not sent. */
typedef struct scalekit_user_membership_options {
    size_t struct_size;             /**< set by the _INIT macro; see common.h */
    const scalekit_user_role *const *roles; /**< role_count pointers, each SCALEKIT_USER_ROLE_INIT */
    size_t role_count;              /**< with roles NULL: roles not sent */
    scalekit_string_map metadata;
    const char *inviter_email;
} scalekit_user_membership_options;
#define SCALEKIT_USER_MEMBERSHIP_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_user_membership_options)

/** The fields of a membership to change: roles NULL and metadata entries NULL are left as they are. */
typedef struct scalekit_user_membership_update_options {
    size_t struct_size;             /**< set by the _INIT macro; see common.h */
    const scalekit_user_role *const *roles; /**< role_count pointers; replaces the roles */
    size_t role_count;
    scalekit_string_map metadata;
} scalekit_user_membership_update_options;
#define SCALEKIT_USER_MEMBERSHIP_UPDATE_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_user_membership_update_options)

/** Optional fields of scalekit_user_create_user_and_membership(). */
typedef struct scalekit_user_create_options {
    size_t struct_size;             /**< set by the _INIT macro; see common.h */
    const char *external_id;
    scalekit_string_map metadata;
    const scalekit_user_profile_options *user_profile;  /**< NULL: not sent */
    const scalekit_user_membership_options *membership; /**< NULL: not sent */
} scalekit_user_create_options;
#define SCALEKIT_USER_CREATE_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_user_create_options)

/** The fields of a user to change; NULL (metadata: entries NULL) leaves a field unchanged. */
typedef struct scalekit_user_update_options {
    size_t struct_size;             /**< set by the _INIT macro; see common.h */
    const char *external_id;
    scalekit_string_map metadata;
    const scalekit_user_profile_options *user_profile;
} scalekit_user_update_options;
#define SCALEKIT_USER_UPDATE_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_user_update_options)

/** Paging of every user list and search, and of their iterators. */
typedef struct scalekit_user_list_options {
    size_t struct_size;             /**< set by the _INIT macro; see common.h */
    uint32_t page_size;             /**< 0: the server's default */
    const char *page_token;         /**< NULL or "": the first page */
} scalekit_user_list_options;
#define SCALEKIT_USER_LIST_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_user_list_options)

/** Every page of a list, on demand; see SCALEKIT_DECLARE_ITERATOR in common.h. */
SCALEKIT_DECLARE_ITERATOR(scalekit_user, scalekit_user);

/* ---- users --------------------------------------------------------------- */

/**
 * List one page of an organization's users.
 *
 * @param client          the client
 * @param organization_id the organization id; must not be empty
 * @param opts            page size and token; NULL for the first page
 * @param out             receives the page; free with scalekit_user_page_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_user_list_organization_users(scalekit_client *client,
        const char *organization_id, const scalekit_user_list_options *opts,
        scalekit_user_page **out);

/**
 * List one page of every user of the environment.
 *
 * @param client the client
 * @param opts   page size and token; NULL for the first page
 * @param out    receives the page; free with scalekit_user_page_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (out NULL); see the file comment
 */
SCALEKIT_API int scalekit_user_list(scalekit_client *client, const scalekit_user_list_options *opts,
                                    scalekit_user_page **out);

/**
 * Search the users of the environment (email, name, id: the server decides what matches).
 *
 * @param client the client
 * @param query  the search text; must not be empty
 * @param opts   page size and token; NULL for the first page
 * @param out    receives the page; free with scalekit_user_page_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; see the file comment
 */
SCALEKIT_API int scalekit_user_search(scalekit_client *client, const char *query,
        const scalekit_user_list_options *opts, scalekit_user_page **out);

/**
 * Search the users of one organization.
 *
 * @param client          the client
 * @param organization_id the organization id; must not be empty
 * @param query           the search text; must not be empty
 * @param opts            page size and token; NULL for the first page
 * @param out             receives the page; free with scalekit_user_page_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_user_search_organization_users(scalekit_client *client,
        const char *organization_id, const char *query, const scalekit_user_list_options *opts,
        scalekit_user_page **out);

/**
 * Get a user by id.
 *
 * @param client the client
 * @param id     the user id ("usr_..."); must not be empty
 * @param out    receives the user; free with scalekit_user_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_user_get(scalekit_client *client, const char *id, scalekit_user **out);

/**
 * Get a user by your external id.
 *
 * @param client      the client
 * @param external_id your identifier; must not be empty
 * @param out         receives the user; free with scalekit_user_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_user_get_by_external_id(scalekit_client *client,
        const char *external_id, scalekit_user **out);

/**
 * Update a user: only the fields set in @p update are sent.
 *
 * @param client the client
 * @param id     the user id; must not be empty
 * @param update the fields to change (SCALEKIT_USER_UPDATE_OPTIONS_INIT; a profile
 *               SCALEKIT_USER_PROFILE_OPTIONS_INIT); must not be NULL. Not kept.
 * @param out    receives the updated user; free with scalekit_user_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (update NULL or not initialised, a string not
 *         UTF-8, a map entry with a NULL name or value); SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_user_update(scalekit_client *client, const char *id,
        const scalekit_user_update_options *update, scalekit_user **out);

/**
 * Update a user by your external id (the API's own route, one request).
 *
 * @param client      the client
 * @param external_id your identifier; must not be empty
 * @param update      the fields to change; must not be NULL
 * @param out         receives the updated user; free with scalekit_user_free()
 * @return as scalekit_user_update()
 */
SCALEKIT_API int scalekit_user_update_by_external_id(scalekit_client *client,
        const char *external_id, const scalekit_user_update_options *update, scalekit_user **out);

/**
 * Create a user and their membership of an organization.
 *
 * @param client                the client
 * @param organization_id       the organization id; must not be empty
 * @param email                 the user's email; must not be empty
 * @param opts                  external id, metadata, profile, membership (roles, ...);
 *                              NULL for none. Not kept.
 * @param send_invitation_email true: the server emails an invitation and the
 *                              membership stays PENDING_INVITE until accepted
 * @param out                   receives the new user (with the membership); free
 *                              with scalekit_user_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND (organization);
 *         SCALEKIT_EEXISTS (email or external id taken); see the file comment
 */
SCALEKIT_API int scalekit_user_create_user_and_membership(scalekit_client *client,
        const char *organization_id, const char *email, const scalekit_user_create_options *opts,
        bool send_invitation_email, scalekit_user **out);

/**
 * Delete a user, which also ends their memberships and sessions.
 *
 * @param client the client
 * @param id     the user id; must not be empty
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_user_delete(scalekit_client *client, const char *id);

/**
 * Delete a user by your external id.
 *
 * @param client      the client
 * @param external_id your identifier; must not be empty
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_user_delete_by_external_id(scalekit_client *client,
                                                     const char *external_id);

/* ---- memberships --------------------------------------------------------- */

/**
 * Add an existing user to an organization.
 *
 * @param client                the client
 * @param organization_id       the organization id; must not be empty
 * @param id                    the user id; must not be empty
 * @param opts                  roles, metadata, inviter email; NULL sends an empty membership
 * @param send_invitation_email true: the server emails an invitation (membership PENDING_INVITE)
 * @param out                   receives the user with their memberships; free with
 *                              scalekit_user_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; SCALEKIT_EEXISTS (already a
 *         member); see the file comment
 */
SCALEKIT_API int scalekit_user_create_membership(scalekit_client *client,
        const char *organization_id, const char *id, const scalekit_user_membership_options *opts,
        bool send_invitation_email, scalekit_user **out);

/**
 * Add an existing user, named by your external id, to an organization.
 *
 * @param client                the client
 * @param organization_id       the organization id; must not be empty
 * @param external_id           your identifier of the user; must not be empty
 * @param opts                  roles, metadata, inviter email; NULL sends an empty membership
 * @param send_invitation_email true: the server emails an invitation (membership PENDING_INVITE)
 * @param out                   receives the user; free with scalekit_user_free()
 * @return as scalekit_user_create_membership()
 */
SCALEKIT_API int scalekit_user_create_membership_by_external_id(scalekit_client *client,
        const char *organization_id, const char *external_id,
        const scalekit_user_membership_options *opts, bool send_invitation_email,
        scalekit_user **out);

/**
 * Change a membership's roles or metadata.
 *
 * @param client          the client
 * @param organization_id the organization id; must not be empty
 * @param id              the user id; must not be empty
 * @param update          what to change (SCALEKIT_USER_MEMBERSHIP_UPDATE_OPTIONS_INIT);
 *                        must not be NULL
 * @param out             receives the user with their memberships; free with scalekit_user_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_user_update_membership(scalekit_client *client,
        const char *organization_id, const char *id,
        const scalekit_user_membership_update_options *update, scalekit_user **out);

/**
 * Change the membership of a user named by your external id.
 *
 * @param client          the client
 * @param organization_id the organization id; must not be empty
 * @param external_id     your identifier of the user; must not be empty
 * @param update          what to change; must not be NULL
 * @param out             receives the user; free with scalekit_user_free()
 * @return as scalekit_user_update_membership()
 */
SCALEKIT_API int scalekit_user_update_membership_by_external_id(scalekit_client *client,
        const char *organization_id, const char *external_id,
        const scalekit_user_membership_update_options *update, scalekit_user **out);

/**
 * Remove a user from an organization.
 *
 * @p cascade is the reference's flag, sent as the query parameter
 * `cascade=true` or `cascade=false` (always sent, as the Go SDK does). The
 * reference says only that with true "the API may also delete related
 * resources (behavior depends on backend)"; neither the OpenAPI file nor the
 * Node SDK has it, so a server that does not know it ignores it, and false is
 * the safe choice: it removes this one membership and nothing else.
 * scalekit-emulator's reading: with true, a user left without any membership
 * is deleted too (with their sessions); with false the user stays, in no
 * organization.
 *
 * @param client          the client
 * @param organization_id the organization id; must not be empty
 * @param id              the user id; must not be empty
 * @param cascade         see above
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_user_delete_membership(scalekit_client *client,
        const char *organization_id, const char *id, bool cascade);

/**
 * Remove a user named by your external id from an organization.
 *
 * @param client          the client
 * @param organization_id the organization id; must not be empty
 * @param external_id     your identifier of the user; must not be empty
 * @param cascade         as for scalekit_user_delete_membership()
 * @return as scalekit_user_delete_membership()
 */
SCALEKIT_API int scalekit_user_delete_membership_by_external_id(scalekit_client *client,
        const char *organization_id, const char *external_id, bool cascade);

/**
 * Send a pending invitation's email again.
 *
 * @param client          the client
 * @param organization_id the organization id; must not be empty
 * @param id              the invited user's id; must not be empty
 * @param out             receives the invitation (new expiry, resent count); free with
 *                        scalekit_user_invite_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; SCALEKIT_EINVALID_REQUEST
 *         (no pending invitation); see the file comment
 */
SCALEKIT_API int scalekit_user_resend_invite(scalekit_client *client, const char *organization_id,
        const char *id, scalekit_user_invite **out);

/**
 * List a member's roles in an organization.
 *
 * @param client          the client
 * @param organization_id the organization id; must not be empty
 * @param user_id         the user id; must not be empty
 * @param out             receives the roles; free with scalekit_user_role_list_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_user_list_roles(scalekit_client *client, const char *organization_id,
        const char *user_id, scalekit_user_role_list **out);

/**
 * List a member's effective permissions in an organization.
 *
 * @param client          the client
 * @param organization_id the organization id; must not be empty
 * @param user_id         the user id; must not be empty
 * @param out             receives the permissions; free with scalekit_user_permission_list_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_user_list_permissions(scalekit_client *client,
        const char *organization_id, const char *user_id, scalekit_user_permission_list **out);

/**
 * Assign roles to a member. The body is the JSON array
 * `[{"role_name":"..."},...]` (the RPC's `roles` field is the body; this
 * route is not in the OpenAPI file).
 *
 * @param client          the client
 * @param organization_id the organization id; must not be empty
 * @param user_id         the user id; must not be empty
 * @param role_names      the roles to add, NULL-terminated; must not be NULL; each
 *                        valid UTF-8. Not kept.
 * @param out             receives the member's roles afterwards; free with
 *                        scalekit_user_role_list_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_user_assign_roles(scalekit_client *client, const char *organization_id,
        const char *user_id, const char *const *role_names, scalekit_user_role_list **out);

/**
 * Remove one role from a member (not in the OpenAPI file).
 *
 * @param client          the client
 * @param organization_id the organization id; must not be empty
 * @param user_id         the user id; must not be empty
 * @param role_name       the role's name; must not be empty
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_user_remove_role(scalekit_client *client, const char *organization_id,
        const char *user_id, const char *role_name);

/* ---- iterators ----------------------------------------------------------- */

/**
 * An iterator over every user of an organization, fetching pages on demand
 * (none before the first scalekit_user_iterator_next()).
 *
 * @param client          the client; must outlive the iterator
 * @param organization_id the organization id; must not be empty. Copied.
 * @param opts            page size, first page token; NULL for all. Copied.
 * @param out             receives the iterator; free with scalekit_user_iterator_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (client, out NULL, organization_id empty); SCALEKIT_ENOMEM
 */
SCALEKIT_API int scalekit_user_organization_users_iterator_new(scalekit_client *client,
        const char *organization_id, const scalekit_user_list_options *opts,
        scalekit_user_iterator **out);

/**
 * An iterator over every user of the environment (pages of scalekit_user_list()).
 *
 * @param client the client; must outlive the iterator
 * @param opts   page size, first page token; NULL for all. Copied.
 * @param out    receives the iterator; free with scalekit_user_iterator_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (client or out NULL); SCALEKIT_ENOMEM
 */
SCALEKIT_API int scalekit_user_iterator_new(scalekit_client *client,
        const scalekit_user_list_options *opts, scalekit_user_iterator **out);

/**
 * An iterator over every result of scalekit_user_search().
 *
 * @param client the client; must outlive the iterator
 * @param query  the search text; must not be empty. Copied.
 * @param opts   page size, first page token; NULL for all. Copied.
 * @param out    receives the iterator; free with scalekit_user_iterator_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (client or out NULL, query empty); SCALEKIT_ENOMEM
 */
SCALEKIT_API int scalekit_user_search_iterator_new(scalekit_client *client, const char *query,
        const scalekit_user_list_options *opts, scalekit_user_iterator **out);

/**
 * An iterator over every result of scalekit_user_search_organization_users().
 *
 * @param client          the client; must outlive the iterator
 * @param organization_id the organization id; must not be empty. Copied.
 * @param query           the search text; must not be empty. Copied.
 * @param opts            page size, first page token; NULL for all. Copied.
 * @param out             receives the iterator; free with scalekit_user_iterator_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (client or out NULL, an id or the query empty);
 *         SCALEKIT_ENOMEM
 */
SCALEKIT_API int scalekit_user_search_organization_users_iterator_new(scalekit_client *client,
        const char *organization_id, const char *query, const scalekit_user_list_options *opts,
        scalekit_user_iterator **out);

/** Free a user. Safe on NULL. */
SCALEKIT_API void scalekit_user_free(scalekit_user *user);
/** Free a page of users. Safe on NULL. */
SCALEKIT_API void scalekit_user_page_free(scalekit_user_page *page);
/** Free an invitation. Safe on NULL. */
SCALEKIT_API void scalekit_user_invite_free(scalekit_user_invite *invite);
/** Free a role list. Safe on NULL. */
SCALEKIT_API void scalekit_user_role_list_free(scalekit_user_role_list *roles);
/** Free a permission list. Safe on NULL. */
SCALEKIT_API void scalekit_user_permission_list_free(scalekit_user_permission_list *permissions);

SCALEKIT_END_DECLS

#endif
