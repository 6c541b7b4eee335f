/**
 * @file scalekit/session.h
 * Sessions: where a user is signed in (device, IP, location), their state
 * and times, and revoking them.
 *
 * Routes (all authenticated with the client's API token):
 * GET /api/v1/sessions/{session_id}, POST /api/v1/sessions/{session_id}/revoke,
 * GET /api/v1/users/{user_id}/sessions, POST /api/v1/users/{user_id}/sessions/revoke.
 *
 * Conventions are organization.h's and common.h's: C-level checks (NULL out,
 * empty ids, path-segment safety, UTF-8, struct_size) fail with SCALEKIT_EINVAL
 * naming the parameter before anything is sent. The codes every networked call
 * can return besides those listed: common.h.
 */
#ifndef SCALEKIT_SESSION_H
#define SCALEKIT_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "export.h"
#include "client.h"
#include "common.h"

SCALEKIT_BEGIN_DECLS

/** Where a session came from, by IP geolocation (approximate). */
typedef struct scalekit_session_location {
    const char *region;             /**< country-level region */
    const char *region_subdivision; /**< state or province */
    const char *city;
    const char *latitude;           /**< decimal text, "37.7749" */
    const char *longitude;
} scalekit_session_location;

/** The device of a session. */
typedef struct scalekit_session_device {
    const char *user_agent;         /**< the whole User-Agent header */
    const char *ip;
    const char *browser;            /**< "Chrome", "Safari" */
    const char *browser_version;
    const char *os;                 /**< "macOS", "Windows" */
    const char *os_version;
    const char *device_type;        /**< "desktop", "mobile", "tablet" */
    const scalekit_session_location *location; /**< NULL when the server sent none */
} scalekit_session_device;

/** A client application authenticated within a session. */
typedef struct scalekit_session_authenticated_client {
    const char *client_id;
    const char *organization_id;    /**< its active organization */
} scalekit_session_authenticated_client;

/**
 * A session. GetSession and GetUserSessions fill every member the server
 * sends; a revocation result has no device, organization or clients.
 * Times are Unix seconds, 0 when absent.
 */
typedef struct scalekit_session {
    const char *session_id;
    const char *user_id;
    const char *organization_id;    /**< the most recently active organization */
    const char *status;             /**< "active", "expired", "revoked", "logout" */
    const char *const *authenticated_organizations; /**< NULL-terminated; NULL when none */
    /** authenticated_client_count pointers. */
    const scalekit_session_authenticated_client *const *authenticated_clients;
    size_t authenticated_client_count;
    const scalekit_session_device *device;  /**< NULL when the server sent none */
    int64_t created_at;
    int64_t updated_at;
    int64_t last_active_at;
    int64_t idle_expires_at;        /**< ends if idle until then */
    int64_t absolute_expires_at;    /**< ends then whatever the activity */
    int64_t expired_at;             /**< when it ended (for a revoked session: the revocation) */
    int64_t logout_at;              /**< when the user logged out */
    /** A result from a call: the whole response body; an item of a page or a
     *  revocation: that item's JSON. */
    const char *raw_json;
} scalekit_session;

/** One page of a user's sessions. */
typedef struct scalekit_session_page {
    const scalekit_session *const *items;  /**< count pointers */
    size_t count;
    const char *next_page_token;    /**< NULL or "" on the last page */
    const char *prev_page_token;
    int64_t total_size;             /**< sessions matching the filter, over every page */
    const char *raw_json;           /**< the response body */
} scalekit_session_page;

/** What scalekit_session_revoke_all_user_sessions() revoked. */
typedef struct scalekit_session_revocation {
    const scalekit_session *const *items;  /**< the revoked sessions, count pointers */
    size_t count;
    int64_t total_revoked;          /**< as the server counts them */
    const char *raw_json;           /**< the response body */
} scalekit_session_revocation;

/** Paging and filters of scalekit_session_get_user_sessions() and its iterator. */
typedef struct scalekit_session_list_options {
    size_t struct_size;             /**< set by the _INIT macro; see common.h */
    uint32_t page_size;             /**< 0: the server's default */
    const char *page_token;         /**< NULL or "": the first page */
    /** Only these statuses ("active", "expired", "revoked", "logout": any of them);
     *  NULL-terminated; NULL: every status. Sent as filter.status. */
    const char *const *status;
    int64_t start_time;             /**< created at or after (Unix seconds); 0: no bound */
    int64_t end_time;               /**< created at or before (Unix seconds); 0: no bound */
} scalekit_session_list_options;
#define SCALEKIT_SESSION_LIST_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_session_list_options)

/** Every page of a list, on demand; see SCALEKIT_DECLARE_ITERATOR in common.h. */
SCALEKIT_DECLARE_ITERATOR(scalekit_session, scalekit_session);

/**
 * Get a session.
 *
 * @param client     the client
 * @param session_id the session id ("ses_..."); must not be empty
 * @param out        receives the session; free with scalekit_session_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_session_get(scalekit_client *client, const char *session_id,
                                      scalekit_session **out);

/**
 * List one page of a user's sessions.
 *
 * @param client  the client
 * @param user_id the user id; must not be empty
 * @param opts    page size and token, status and time filters; NULL for the first page
 *                of every session
 * @param out     receives the page; free with scalekit_session_page_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (a status not UTF-8, opts not initialised, ...);
 *         SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_session_get_user_sessions(scalekit_client *client, const char *user_id,
        const scalekit_session_list_options *opts, scalekit_session_page **out);

/**
 * Revoke a session: its refresh tokens stop working.
 *
 * @param client     the client
 * @param session_id the session id; must not be empty
 * @param out        receives the revoked session (status "revoked"); free with
 *                   scalekit_session_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_session_revoke(scalekit_client *client, const char *session_id,
                                         scalekit_session **out);

/**
 * Revoke every active session of a user.
 *
 * @param client  the client
 * @param user_id the user id; must not be empty
 * @param out     receives the revoked sessions; free with scalekit_session_revocation_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_session_revoke_all_user_sessions(scalekit_client *client,
        const char *user_id, scalekit_session_revocation **out);

/**
 * An iterator over every session of a user matching @p opts, fetching pages
 * on demand (none before the first _next call).
 *
 * @param client  the client; must outlive the iterator
 * @param user_id the user id; must not be empty. Copied.
 * @param opts    page size, first page token, filters; NULL for all. Copied.
 * @param out     receives the iterator; free with scalekit_session_iterator_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOMEM
 */
SCALEKIT_API int scalekit_session_iterator_new(scalekit_client *client, const char *user_id,
        const scalekit_session_list_options *opts, scalekit_session_iterator **out);

/** Free a session. Safe on NULL. */
SCALEKIT_API void scalekit_session_free(scalekit_session *session);
/** Free a page of sessions. Safe on NULL. */
SCALEKIT_API void scalekit_session_page_free(scalekit_session_page *page);
/** Free a revocation result. Safe on NULL. */
SCALEKIT_API void scalekit_session_revocation_free(scalekit_session_revocation *revocation);

SCALEKIT_END_DECLS

#endif
