/**
 * @file scalekit/auth_log.h
 * Authentication logs: every authorization request of the environment (a
 * sign-in through the hosted page, SSO, passwordless, ...) with who signed in,
 * to which organization, through which connection and client, its outcome and
 * when, newest first. No official SDK wraps this route.
 *
 * Route: GET /api/v1/logs/authentication/requests.
 * Conventions (checks, errors, options, iterators): common.h.
 */
#ifndef SCALEKIT_AUTH_LOG_H
#define SCALEKIT_AUTH_LOG_H

#include <stddef.h>
#include <stdint.h>
#include "export.h"
#include "client.h"
#include "common.h"

SCALEKIT_BEGIN_DECLS

/** A connection involved in an authentication request (read only). */
typedef struct scalekit_auth_log_connection {
    const char *connection_id;
    const char *connection_type;     /**< "OIDC", "SAML", "PASSWORDLESS", ... */
    const char *connection_provider; /**< "OKTA", "GOOGLE", ... */
    const char *organization_id;     /**< the organization that owns the connection */
} scalekit_auth_log_connection;

/** One authentication request (auditlogsAuthLogRequest). Strings are NULL when absent. */
typedef struct scalekit_auth_log_request {
    const char *auth_request_id;
    /** "INITIATED", "PENDING", "SUCCESS" or "FAILED" */
    const char *status;
    const char *email;               /**< who signed in (or tried), when known */
    const char *organization_id;
    const char *environment_id;
    const char *client_id;           /**< the app's client that started the request */
    const char *client_name;
    const char *client_type;         /**< "ENV", "NTV", "SPA", "M2M" */
    const char *connection_id;       /**< the primary connection */
    const char *connection_type;
    const char *connection_provider;
    /** connection_count pointers: every connection involved */
    const scalekit_auth_log_connection *const *connection_details;
    size_t connection_count;
    const char *resource_id;
    const char *resource_name;
    const char *resource_type;
    const char *workflow;            /**< the authentication workflow, when known */
    int64_t timestamp;               /**< when the request was recorded; Unix seconds */
    const char *raw_json;            /**< this item's JSON */
} scalekit_auth_log_request;

/** Filters and paging of scalekit_auth_log_list_requests() and the iterator. */
typedef struct scalekit_auth_log_list_options {
    size_t struct_size;              /**< set by the _INIT macro; see common.h */
    uint32_t page_size;              /**< 0: the server's default */
    const char *page_token;          /**< NULL or "": the first page */
    const char *email;               /**< only this end user's requests; NULL or "": all */
    /** NULL-terminated statuses ("SUCCESS", "FAILED", ...); any one matches; NULL: all */
    const char *const *statuses;
    int64_t start_time;              /**< Unix seconds, inclusive; 0: no lower bound */
    int64_t end_time;                /**< Unix seconds, inclusive; 0: no upper bound */
    const char *resource_id;         /**< NULL or "": any */
    const char *client_id;           /**< only requests of this client; NULL or "": any */
} scalekit_auth_log_list_options;
#define SCALEKIT_AUTH_LOG_LIST_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_auth_log_list_options)

/** One page of authentication requests, newest first. */
typedef struct scalekit_auth_log_request_page {
    const scalekit_auth_log_request *const *items; /**< count pointers */
    size_t count;
    const char *next_page_token;     /**< NULL or "" on the last page */
    const char *prev_page_token;
    int64_t total_size;              /**< requests matching the filters */
    const char *raw_json;            /**< the response body */
} scalekit_auth_log_request_page;

/** Every page of the log, on demand; see SCALEKIT_DECLARE_ITERATOR in common.h. */
SCALEKIT_DECLARE_ITERATOR(scalekit_auth_log, scalekit_auth_log_request);

/**
 * List one page of the environment's authentication requests, newest first.
 *
 * @param client the client
 * @param opts   filters and paging (SCALEKIT_AUTH_LOG_LIST_OPTIONS_INIT); NULL for the first page of all
 * @param out    receives the page; free with scalekit_auth_log_request_page_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (out NULL, opts not initialised, a string not UTF-8);
 *         SCALEKIT_EINVALID_REQUEST (a status the server does not know, a bad page token);
 *         see common.h
 */
SCALEKIT_API int scalekit_auth_log_list_requests(scalekit_client *client,
        const scalekit_auth_log_list_options *opts, scalekit_auth_log_request_page **out);

/**
 * An iterator over every authentication request matching @p opts, newest first.
 *
 * @param client the client; must outlive the iterator
 * @param opts   as for scalekit_auth_log_list_requests(); NULL for all. Copied.
 * @param out    receives the iterator; free with scalekit_auth_log_iterator_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (client or out NULL); SCALEKIT_ENOMEM
 */
SCALEKIT_API int scalekit_auth_log_iterator_new(scalekit_client *client,
        const scalekit_auth_log_list_options *opts, scalekit_auth_log_iterator **out);

/** Free a page of authentication requests. Safe on NULL. */
SCALEKIT_API void scalekit_auth_log_request_page_free(scalekit_auth_log_request_page *page);

SCALEKIT_END_DECLS

#endif
