/**
 * @file scalekit/m2m.h
 * Organization API clients (machine to machine): credentials an organization
 * (a customer of your app) uses to call your API with the client-credentials
 * grant. Each client has scopes, an audience, custom claims and a token
 * lifetime that go into its access tokens, which also carry the organization
 * (`oid`). Get a token with scalekit_generate_client_token() (or a second
 * scalekit_client made with the client's id and secret) and check one with
 * scalekit_validate_token() and its required_scopes.
 *
 * Routes: POST|GET /api/v1/organizations/{organization_id}/clients,
 * GET|PATCH|DELETE /api/v1/organizations/{organization_id}/clients/{client_id},
 * POST /api/v1/organizations/{organization_id}/clients/{client_id}/secrets,
 * DELETE /api/v1/organizations/{organization_id}/clients/{client_id}/secrets/{secret_id}.
 *
 * A secret's plain value is answered once, by the call that creates it
 * (scalekit_m2m_client_create, scalekit_m2m_client_add_secret): keep it then.
 * Conventions (checks, errors, options, iterators): common.h.
 */
#ifndef SCALEKIT_M2M_H
#define SCALEKIT_M2M_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "export.h"
#include "client.h"
#include "common.h"

SCALEKIT_BEGIN_DECLS

/** A claim added to every access token of a client; as input, SCALEKIT_M2M_CUSTOM_CLAIM_INIT. */
typedef struct scalekit_m2m_custom_claim {
    size_t struct_size;             /**< set by the _INIT macro; see common.h */
    const char *key;                /**< the claim's name, 1 to 128 characters */
    const char *value;              /**< its string value */
} scalekit_m2m_custom_claim;
#define SCALEKIT_M2M_CUSTOM_CLAIM_INIT SCALEKIT_STRUCT_INIT(scalekit_m2m_custom_claim)

/** A secret of a client (read only). Strings are NULL when the server did not send them. */
typedef struct scalekit_m2m_client_secret {
    const char *id;                 /**< "sec_..." */
    const char *secret_suffix;      /**< the secret's last characters, to recognise it */
    /** NULL when active; "INACTIVE" when it can no longer authenticate */
    const char *status;
    const char *created_by;
    /** the plain secret: only in the answer of scalekit_m2m_client_add_secret() */
    const char *plain_secret;
    int64_t create_time;            /**< Unix seconds; 0 when absent */
    int64_t update_time;
    int64_t expire_time;            /**< 0: never expires */
    int64_t last_used_time;         /**< 0: never used */
} scalekit_m2m_client_secret;

/** An organization API client (clientsM2MClient). */
typedef struct scalekit_m2m_client {
    const char *client_id;          /**< "m2morg_..." */
    const char *organization_id;
    const char *name;
    const char *description;
    const char *const *scopes;      /**< NULL-terminated; NULL when none */
    const char *const *audience;    /**< NULL-terminated; NULL when none */
    const scalekit_m2m_custom_claim *const *custom_claims; /**< custom_claim_count pointers */
    size_t custom_claim_count;
    int64_t expiry;                 /**< token lifetime in seconds; 0: the environment's */
    const scalekit_m2m_client_secret *const *secrets; /**< secret_count pointers, no plain values */
    size_t secret_count;
    const char *const *redirect_uris; /**< NULL-terminated; NULL when none */
    const char *resource_id;
    const char *metadata_uri;
    bool is_dcr;                    /**< made by dynamic client registration */
    bool is_cimd;                   /**< made from a client ID metadata document */
    int64_t create_time;            /**< Unix seconds; 0 when absent */
    int64_t update_time;
    /** A result: the whole response body; an item of a page: that item's JSON. */
    const char *raw_json;
} scalekit_m2m_client;

/** The answer of scalekit_m2m_client_create(). */
typedef struct scalekit_m2m_client_created {
    const scalekit_m2m_client *client;
    const char *plain_secret;       /**< the client's first secret; shown only here */
    const char *raw_json;           /**< the response body */
} scalekit_m2m_client_created;

/** The answer of scalekit_m2m_client_add_secret(). */
typedef struct scalekit_m2m_client_secret_created {
    const scalekit_m2m_client_secret *secret;
    const char *plain_secret;       /**< the new secret; shown only here */
    const char *raw_json;           /**< the response body */
} scalekit_m2m_client_secret_created;

/** Optional fields of a client, for create and update (NULL members are not sent). */
typedef struct scalekit_m2m_client_options {
    size_t struct_size;             /**< set by the _INIT macro; see common.h */
    const char *description;
    const char *const *scopes;      /**< NULL-terminated; an empty list clears on update */
    const char *const *audience;    /**< NULL-terminated; tokens' aud (else the client id) */
    /** custom_claim_count pointers, each SCALEKIT_M2M_CUSTOM_CLAIM_INIT; NULL: not sent */
    const scalekit_m2m_custom_claim *const *custom_claims;
    size_t custom_claim_count;
    const int64_t *expiry;          /**< token lifetime in seconds; NULL: not sent */
} scalekit_m2m_client_options;
#define SCALEKIT_M2M_CLIENT_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_m2m_client_options)

/** Options of scalekit_m2m_client_list() and the iterator. */
typedef struct scalekit_m2m_client_list_options {
    size_t struct_size;             /**< set by the _INIT macro; see common.h */
    uint32_t page_size;             /**< 0: the server's default */
    const char *page_token;         /**< NULL or "": the first page */
} scalekit_m2m_client_list_options;
#define SCALEKIT_M2M_CLIENT_LIST_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_m2m_client_list_options)

/** One page of an organization's clients. */
typedef struct scalekit_m2m_client_page {
    const scalekit_m2m_client *const *items; /**< count pointers */
    size_t count;
    const char *next_page_token;    /**< NULL or "" on the last page */
    const char *prev_page_token;
    int64_t total_size;             /**< clients of the organization */
    const char *raw_json;           /**< the response body */
} scalekit_m2m_client_page;

/** Every page of a list, on demand; see SCALEKIT_DECLARE_ITERATOR in common.h. */
SCALEKIT_DECLARE_ITERATOR(scalekit_m2m_client, scalekit_m2m_client);

/**
 * Create an API client of an organization, with its first secret.
 *
 * @param client          the client
 * @param organization_id the organization ("org_..."); must not be empty
 * @param name            the client's name; must not be empty
 * @param opts            description, scopes, audience, custom claims, expiry
 *                        (SCALEKIT_M2M_CLIENT_OPTIONS_INIT); NULL for none
 * @param out             receives the client and its plain secret; free with
 *                        scalekit_m2m_client_created_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (an empty id or name, opts or a claim not
 *         initialised, a NULL claim, out NULL); SCALEKIT_ENOTFOUND (no such organization);
 *         SCALEKIT_EINVALID_REQUEST (a value the server refuses); see common.h
 */
SCALEKIT_API int scalekit_m2m_client_create(scalekit_client *client, const char *organization_id,
        const char *name, const scalekit_m2m_client_options *opts, scalekit_m2m_client_created **out);

/**
 * Get an API client of an organization, with its secrets (no plain values).
 *
 * @param client          the client
 * @param organization_id the organization; must not be empty
 * @param client_id       the API client ("m2morg_..."); must not be empty
 * @param out             receives the client; free with scalekit_m2m_client_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND (no such organization or client); see common.h
 */
SCALEKIT_API int scalekit_m2m_client_get(scalekit_client *client, const char *organization_id,
        const char *client_id, scalekit_m2m_client **out);

/**
 * Update an API client: the name when given, and the members of @p opts that are set.
 *
 * @param client          the client
 * @param organization_id the organization; must not be empty
 * @param client_id       the API client; must not be empty
 * @param name            the new name; NULL or "": unchanged
 * @param opts            what else changes; NULL: nothing else
 * @param out             receives the updated client; free with scalekit_m2m_client_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; SCALEKIT_EINVALID_REQUEST; see common.h
 */
SCALEKIT_API int scalekit_m2m_client_update(scalekit_client *client, const char *organization_id,
        const char *client_id, const char *name, const scalekit_m2m_client_options *opts,
        scalekit_m2m_client **out);

/**
 * Delete an API client: its secrets stop authenticating at once.
 *
 * @param client          the client
 * @param organization_id the organization; must not be empty
 * @param client_id       the API client; must not be empty
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see common.h
 */
SCALEKIT_API int scalekit_m2m_client_delete(scalekit_client *client, const char *organization_id,
        const char *client_id);

/**
 * List one page of an organization's API clients, oldest first.
 *
 * @param client          the client
 * @param organization_id the organization; must not be empty
 * @param opts            page size and token; NULL for the first page
 * @param out             receives the page; free with scalekit_m2m_client_page_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see common.h
 */
SCALEKIT_API int scalekit_m2m_client_list(scalekit_client *client, const char *organization_id,
        const scalekit_m2m_client_list_options *opts, scalekit_m2m_client_page **out);

/**
 * An iterator over every API client of an organization, from opts->page_token on.
 *
 * @param client          the client; must outlive the iterator
 * @param organization_id the organization; must not be empty. Copied.
 * @param opts            as for scalekit_m2m_client_list(); NULL for all. Copied.
 * @param out             receives the iterator; free with scalekit_m2m_client_iterator_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (client, out NULL, an empty organization_id); SCALEKIT_ENOMEM
 */
SCALEKIT_API int scalekit_m2m_client_iterator_new(scalekit_client *client, const char *organization_id,
        const scalekit_m2m_client_list_options *opts, scalekit_m2m_client_iterator **out);

/**
 * Add a secret to an API client (for rotation: the old one keeps working until removed).
 *
 * @param client          the client
 * @param organization_id the organization; must not be empty
 * @param client_id       the API client; must not be empty
 * @param out             receives the secret and its plain value; free with
 *                        scalekit_m2m_client_secret_created_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see common.h
 */
SCALEKIT_API int scalekit_m2m_client_add_secret(scalekit_client *client, const char *organization_id,
        const char *client_id, scalekit_m2m_client_secret_created **out);

/**
 * Remove a secret of an API client: it stops authenticating at once.
 *
 * @param client          the client
 * @param organization_id the organization; must not be empty
 * @param client_id       the API client; must not be empty
 * @param secret_id       the secret ("sec_..."); must not be empty
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see common.h
 */
SCALEKIT_API int scalekit_m2m_client_remove_secret(scalekit_client *client, const char *organization_id,
        const char *client_id, const char *secret_id);

/** Free an API client. Safe on NULL. */
SCALEKIT_API void scalekit_m2m_client_free(scalekit_m2m_client *m2m_client);
/** Free the answer of scalekit_m2m_client_create(). Safe on NULL. */
SCALEKIT_API void scalekit_m2m_client_created_free(scalekit_m2m_client_created *created);
/** Free the answer of scalekit_m2m_client_add_secret(). Safe on NULL. */
SCALEKIT_API void scalekit_m2m_client_secret_created_free(scalekit_m2m_client_secret_created *created);
/** Free a page of API clients. Safe on NULL. */
SCALEKIT_API void scalekit_m2m_client_page_free(scalekit_m2m_client_page *page);

SCALEKIT_END_DECLS

#endif
