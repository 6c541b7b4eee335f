/**
 * @file scalekit/organization.h
 * Organizations: your B2B customers (tenants), their settings, admin portal
 * links, user management settings and session policy.
 *
 * Routes (all authenticated with the client's API token):
 * POST /api/v1/organizations, GET /api/v1/organizations, GET|PATCH|DELETE
 * /api/v1/organizations/{id}, GET /api/v1/organizations:external/{external_id},
 * PUT .../{id}/portal_links, PATCH .../{id}/settings, PATCH
 * .../{organization_id}/settings/usermanagement, GET|PATCH .../{organization_id}/session-policy.
 *
 * Conventions (checks, errors, options, iterators): common.h. The server's rules
 * here: name lengths, the slug pattern, https logo URLs, metadata limits.
 *
 * Every struct you fill starts with struct_size: initialise it with its
 * SCALEKIT_<TYPE>_INIT macro, then set members, e.g.
 *
 *     scalekit_organization_create_options opts = SCALEKIT_ORGANIZATION_CREATE_OPTIONS_INIT;
 *     opts.external_id = "acme-42";
 * The codes every networked call can return besides those listed: common.h.
 */
#ifndef SCALEKIT_ORGANIZATION_H
#define SCALEKIT_ORGANIZATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "export.h"
#include "client.h"
#include "common.h"

SCALEKIT_BEGIN_DECLS

/** One feature toggle of an organization ("sso", "dir_sync", "domain_verification",
 *  "session_policy", ...). */
typedef struct scalekit_organization_feature {
    size_t struct_size;             /**< set by the _INIT macro; see common.h */
    const char *name;
    bool enabled;
} scalekit_organization_feature;
#define SCALEKIT_ORGANIZATION_FEATURE_INIT SCALEKIT_STRUCT_INIT(scalekit_organization_feature)

/** An organization's settings: its feature toggles (input and output). */
typedef struct scalekit_organization_settings {
    size_t struct_size;             /**< set by the _INIT macro; see common.h */
    /** feature_count pointers (pointers, so a feature can gain members). */
    const scalekit_organization_feature *const *features;
    size_t feature_count;
} scalekit_organization_settings;
#define SCALEKIT_ORGANIZATION_SETTINGS_INIT SCALEKIT_STRUCT_INIT(scalekit_organization_settings)

/** An organization. Strings are NULL when the server did not send them. */
typedef struct scalekit_organization {
    const char *id;                 /**< "org_..." */
    const char *display_name;
    const char *external_id;        /**< your identifier of the organization */
    const char *region_code;        /**< "US", "EU" */
    const char *slug;
    const char *logo_url;
    scalekit_string_map metadata;
    const scalekit_organization_settings *settings; /**< NULL when the server sent none */
    int64_t create_time;            /**< Unix seconds; 0 when absent */
    int64_t update_time;            /**< Unix seconds; 0 when absent */
    /** A result from a call: the whole response body. An item of a page: that
     *  item's JSON. Every field, modelled or not, is there. */
    const char *raw_json;           /**< [newest] */
} scalekit_organization;

/** Optional fields of scalekit_organization_create(); NULL strings are not sent. */
typedef struct scalekit_organization_create_options {
    size_t struct_size;             /**< set by the _INIT macro; see common.h */
    const char *external_id;
    scalekit_string_map metadata;   /**< entries NULL: none */
    const char *slug;               /**< a DNS label or host name */
    const char *logo_url;           /**< an https:// URL [newest] */
} scalekit_organization_create_options;
#define SCALEKIT_ORGANIZATION_CREATE_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_organization_create_options)

/**
 * The fields of scalekit_organization_update() to change: NULL (or metadata
 * with entries NULL) leaves a field unchanged. slug "" clears the slug.
 */
typedef struct scalekit_organization_update_options {
    size_t struct_size;             /**< set by the _INIT macro; see common.h */
    const char *display_name;
    const char *external_id;
    scalekit_string_map metadata;
    const char *slug;
    const char *logo_url;
} scalekit_organization_update_options;
#define SCALEKIT_ORGANIZATION_UPDATE_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_organization_update_options)

/** Options of scalekit_organization_list() and the iterator. */
typedef struct scalekit_organization_list_options {
    size_t struct_size;             /**< set by the _INIT macro; see common.h */
    uint32_t page_size;             /**< 0: the server's default */
    const char *page_token;         /**< NULL or "": the first page */
    const char *external_id;        /**< only organizations with this external id */
} scalekit_organization_list_options;
#define SCALEKIT_ORGANIZATION_LIST_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_organization_list_options)

/** One page of organizations. */
typedef struct scalekit_organization_page {
    /** count pointers (pointers, so an organization can gain members). */
    const scalekit_organization *const *items;
    size_t count;
    const char *next_page_token;    /**< NULL or "" on the last page */
    const char *prev_page_token;
    int64_t total_size;             /**< organizations in the environment */
    const char *raw_json;           /**< the response body */
} scalekit_organization_page;

/** An admin portal link, valid for a short time (see expire_time). */
typedef struct scalekit_organization_portal_link {
    const char *id;
    const char *location;           /**< the URL to open */
    int64_t expire_time;            /**< Unix seconds */
    const char *raw_json;
} scalekit_organization_portal_link;

/** Options of scalekit_organization_generate_portal_link(). */
typedef struct scalekit_organization_portal_link_options {
    size_t struct_size;             /**< set by the _INIT macro; see common.h */
    /** The portal features to show ("sso", "dir_sync"); NULL-terminated; NULL: the server's default. */
    const char *const *features;
} scalekit_organization_portal_link_options;
#define SCALEKIT_ORGANIZATION_PORTAL_LINK_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_organization_portal_link_options)

/** User management settings (input and output; raw_json is ignored on input). */
typedef struct scalekit_organization_user_management_settings {
    size_t struct_size;             /**< set by the _INIT macro; see common.h */
    /** NULL: not set (no limit enforced); 0 also means no limit. */
    const int32_t *max_allowed_users;
    const char *raw_json;
} scalekit_organization_user_management_settings;
#define SCALEKIT_ORGANIZATION_USER_MANAGEMENT_SETTINGS_INIT SCALEKIT_STRUCT_INIT(scalekit_organization_user_management_settings)

/**
 * An organization's session policy (input and output; raw_json is ignored on input).
 * Optional scalars are NULL when absent (not sent, or not received).
 */
typedef struct scalekit_organization_session_policy {
    size_t struct_size;             /**< set by the _INIT macro; see common.h */
    const char *policy_source;                 /**< "APPLICATION" or "CUSTOM" */
    const int32_t *absolute_session_timeout;
    const char *absolute_session_timeout_unit; /**< "MINUTES", "HOURS", "DAYS" */
    const bool *idle_session_timeout_enabled;
    const int32_t *idle_session_timeout;
    const char *idle_session_timeout_unit;
    const char *raw_json;
} scalekit_organization_session_policy;
#define SCALEKIT_ORGANIZATION_SESSION_POLICY_INIT SCALEKIT_STRUCT_INIT(scalekit_organization_session_policy)

/** Every page of a list, on demand; see SCALEKIT_DECLARE_ITERATOR in common.h. */
SCALEKIT_DECLARE_ITERATOR(scalekit_organization, scalekit_organization);

/**
 * Create an organization.
 *
 * @param client       the client
 * @param display_name its name; must not be empty
 * @param opts         optional fields (SCALEKIT_ORGANIZATION_CREATE_OPTIONS_INIT); NULL
 *                     for none. Not kept after the call.
 * @param out          receives the new organization; free with scalekit_organization_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (display_name empty, opts not initialised, a
 *         string not UTF-8, a metadata entry with a NULL name or value, out NULL);
 *         see the file comment
 */
SCALEKIT_API int scalekit_organization_create(scalekit_client *client, const char *display_name,
        const scalekit_organization_create_options *opts, scalekit_organization **out);

/**
 * List one page of organizations.
 *
 * @param client the client
 * @param opts   page size, page token, external id filter; NULL for the first page
 * @param out    receives the page; free with scalekit_organization_page_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (out NULL); see the file comment
 */
SCALEKIT_API int scalekit_organization_list(scalekit_client *client,
        const scalekit_organization_list_options *opts, scalekit_organization_page **out);

/**
 * Get an organization by its Scalekit id.
 *
 * @param client the client
 * @param id     the organization id ("org_..."); must not be empty
 * @param out    receives the organization; free with scalekit_organization_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_organization_get(scalekit_client *client, const char *id,
                                           scalekit_organization **out);

/**
 * Get an organization by your external id.
 *
 * @param client      the client
 * @param external_id your identifier; must not be empty
 * @param out         receives the organization; free with scalekit_organization_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_organization_get_by_external_id(scalekit_client *client,
        const char *external_id, scalekit_organization **out);

/**
 * Update an organization by its id: only the fields set in @p update are sent.
 *
 * @param client the client
 * @param id     the organization id; must not be empty
 * @param update the fields to change (SCALEKIT_ORGANIZATION_UPDATE_OPTIONS_INIT); must
 *               not be NULL. Not kept.
 * @param out    receives the updated organization; free with scalekit_organization_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (as for create); SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_organization_update(scalekit_client *client, const char *id,
        const scalekit_organization_update_options *update, scalekit_organization **out);

/**
 * Update an organization by your external id: gets it by external id, then
 * updates it by its id (two requests; the API has no route of its own).
 *
 * @param client      the client
 * @param external_id your identifier; must not be empty
 * @param update      the fields to change; must not be NULL
 * @param out         receives the updated organization; free with scalekit_organization_free()
 * @return as scalekit_organization_update()
 */
SCALEKIT_API int scalekit_organization_update_by_external_id(scalekit_client *client,
        const char *external_id, const scalekit_organization_update_options *update,
        scalekit_organization **out);

/**
 * Delete an organization.
 *
 * @param client the client
 * @param id     the organization id; must not be empty
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_organization_delete(scalekit_client *client, const char *id);

/**
 * Generate an admin portal link for an organization.
 *
 * @param client          the client
 * @param organization_id the organization id; must not be empty
 * @param opts            the features to show; NULL for the default
 * @param out             receives the link; free with scalekit_organization_portal_link_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_organization_generate_portal_link(scalekit_client *client,
        const char *organization_id, const scalekit_organization_portal_link_options *opts,
        scalekit_organization_portal_link **out);

/**
 * Update an organization's feature toggles.
 *
 * @param client   the client
 * @param id       the organization id; must not be empty
 * @param settings the features to set (SCALEKIT_ORGANIZATION_SETTINGS_INIT, each feature
 *                 SCALEKIT_ORGANIZATION_FEATURE_INIT); must not be NULL, nor any feature
 * @param out      receives the updated organization; free with scalekit_organization_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_organization_update_settings(scalekit_client *client, const char *id,
        const scalekit_organization_settings *settings, scalekit_organization **out);

/**
 * Create or update an organization's user management settings.
 *
 * @param client          the client
 * @param organization_id the organization id; must not be empty
 * @param settings        the settings; must not be NULL (a NULL max_allowed_users is not sent)
 * @param out             receives the stored settings; free with
 *                        scalekit_organization_user_management_settings_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; see the file comment
 */
SCALEKIT_API int scalekit_organization_upsert_user_management_settings(scalekit_client *client,
        const char *organization_id,
        const scalekit_organization_user_management_settings *settings,
        scalekit_organization_user_management_settings **out);

/**
 * Get an organization's session policy.
 *
 * @param client          the client
 * @param organization_id the organization id; must not be empty
 * @param out             receives the policy; free with scalekit_organization_session_policy_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_organization_get_session_policy(scalekit_client *client,
        const char *organization_id, scalekit_organization_session_policy **out);

/**
 * Update an organization's session policy: the fields set in @p policy are sent.
 *
 * @param client          the client
 * @param organization_id the organization id; must not be empty
 * @param policy          the policy (SCALEKIT_ORGANIZATION_SESSION_POLICY_INIT, or a policy
 *                        the library returned); must not be NULL
 * @param out             receives the stored policy; free with
 *                        scalekit_organization_session_policy_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_organization_update_session_policy(scalekit_client *client,
        const char *organization_id, const scalekit_organization_session_policy *policy,
        scalekit_organization_session_policy **out);

/**
 * An iterator over every organization, fetching pages on demand (none before
 * the first _next call).
 *
 * @param client the client; must outlive the iterator
 * @param opts   page size, first page token, external id filter; NULL for all. Copied.
 * @param out    receives the iterator; free with scalekit_organization_iterator_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (client or out NULL); SCALEKIT_ENOMEM
 */
SCALEKIT_API int scalekit_organization_iterator_new(scalekit_client *client,
        const scalekit_organization_list_options *opts, scalekit_organization_iterator **out);

/** Free an organization result. Safe on NULL. */
SCALEKIT_API void scalekit_organization_free(scalekit_organization *org);
/** Free a page of organizations. Safe on NULL. */
SCALEKIT_API void scalekit_organization_page_free(scalekit_organization_page *page);
/** Free a portal link. Safe on NULL. */
SCALEKIT_API void scalekit_organization_portal_link_free(scalekit_organization_portal_link *link);
/** Free user management settings. Safe on NULL. */
SCALEKIT_API void scalekit_organization_user_management_settings_free(
        scalekit_organization_user_management_settings *settings);
/** Free a session policy. Safe on NULL. */
SCALEKIT_API void scalekit_organization_session_policy_free(
        scalekit_organization_session_policy *policy);

SCALEKIT_END_DECLS

#endif
