/*
 * The emulator's internals: the server framework every resource file uses.
 *
 * HOW TO ADD A RESOURCE (say organizations):
 *   1. Add its tables to emulator/schema.sql (CREATE TABLE IF NOT EXISTS ...).
 *   2. Write emulator/organizations.c with its handlers and one route table:
 *
 *        static int get_organization(emu *e, emu_req *r)
 *        {
 *            json_t *row = emu_db_row(e->store, "SELECT * FROM organizations WHERE id = ?",
 *                                     "s", emu_path_param(r, "id"));
 *            if (!row)
 *                return emu_reply_error(r, 404, "NOT_FOUND", "organization %s not found",
 *                                       emu_path_param(r, "id"));
 *            return emu_reply_json(r, 200, shape(row));   // the reply steals the JSON
 *        }
 *        const emu_route emu_organization_routes[] = {
 *            {"GET", "/api/v1/organizations/{id}", get_organization},
 *            {"GET", "/api/v1/organizations:external/{external_id}", get_by_external_id},
 *            {"PATCH", "/api/v1/organizations/{id}:disable", disable},
 *            {NULL, NULL, NULL}
 *        };
 *
 *   3. Declare the table below (extern const emu_route emu_organization_routes[];) and
 *      add it to the list `route_tables` in server.c. CMake picks up every emulator .c file.
 *
 * Patterns: segments separated by '/'; a segment is literal text, or
 * "prefix{name}suffix" where {name} captures a non-empty value ("{id}:disable").
 * When several routes match, the one with the most literal characters wins.
 * Every /api/v1 route is authenticated before its handler runs (a bearer token
 * this emulator issued, not revoked, not expired): r->claims holds its payload.
 * /_emulator, /oauth, /keys, /.well-known and /oidc routes are public.
 * Handlers return the value of one of the emu_reply_* calls (0, or -1 when out
 * of memory; the server then answers 500). Events: emu_event_emit (events.c).
 */
#ifndef EMU_SERVER_H
#define EMU_SERVER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>

#include "emulator.h"
#include "store.h"
#include "core/core.h"
#include "jose/jose.h"

typedef struct scalekit_emulator emu;
typedef struct emu_req emu_req;
typedef int (*emu_handler)(emu *e, emu_req *r);

typedef struct emu_route {
    const char *method;    /* "GET", "POST", ... */
    const char *pattern;   /* "/api/v1/users/{id}" */
    emu_handler handler;
} emu_route;

/* The route tables (NULL-terminated arrays), one per file; listed in server.c. */
extern const emu_route emu_token_routes[];      /* oauth_token.c: POST /oauth/token */
extern const emu_route emu_oauth_routes[];      /* oauth_authorize.c: the hosted login page */
extern const emu_route emu_oidc_routes[];       /* oauth_oidc.c: keys, discovery, logout */
extern const emu_route emu_control_routes[];    /* control.c: /_emulator */
extern const emu_route emu_user_routes[];       /* users.c */
extern const emu_route emu_organization_routes[];          /* organizations.c */
extern const emu_route emu_organization_settings_routes[]; /* organization_settings.c */

/* ---- signing keys (keys.c) ------------------------------------------------ */

typedef struct emu_key {
    skit_signing_key *key;
    int64_t created_at;
    int64_t retired_at;    /* 0: the current key */
} emu_key;

typedef struct emu_keyring {
    pthread_mutex_t lock;
    emu_key *keys;         /* keys[count-1] is the current one */
    size_t count;
    skit_jwks *jwks;       /* public halves of the keys still published */
} emu_keyring;

int emu_keys_load(emu *e);          /* from the store, or a first generated key */
void emu_keys_free(emu *e);
int emu_keys_rotate(emu *e, char **new_kid_out);
/* Sign @p payload with the current key; *jwt_out malloc'd. */
int emu_keys_sign(emu *e, const json_t *payload, char **jwt_out);
/* The published JWKS document (new reference). */
json_t *emu_keys_jwks(emu *e);
/* Verify a token issued by this emulator: signature, iss, and (when @p check_time)
 * exp/nbf/iat. 0 and *payload_out (new reference), or -1 with *why set to a static reason. */
int emu_keys_verify(emu *e, const char *token, bool check_time, json_t **payload_out,
                    const char **why);

/* ---- faults (faults.c) ---------------------------------------------------- */

typedef struct emu_fault {
    char *path;            /* exact, or a prefix when it ends with '*' */
    char *method;          /* NULL: any */
    long count;
    unsigned status;       /* 0: no status (delay only, drop, ...) */
    long retry_after;      /* seconds; < 0 absent */
    long delay_ms;
    bool drop;
    bool malformed;
} emu_fault;

typedef struct emu_faults {
    pthread_mutex_t lock;
    pthread_cond_t stop_wake;   /* server stop cuts injected delays short */
    bool stopping;
    emu_fault *items;
    size_t count;
} emu_faults;

/* Take one use of the first fault matching; false when none applies (*out untouched).
 * out->path and out->method are NULL in the copy. */
bool emu_faults_take(emu *e, const char *method, const char *path, emu_fault *out);
void emu_faults_clear(emu *e);
/* Add a fault; takes ownership of f->path and f->method. 0 or -1 (out of memory). */
int emu_faults_add(emu *e, emu_fault *f);

/* ---- webhook events (events.c) --------------------------------------------- */

typedef struct emu_events emu_events;
int emu_events_start(emu *e);
void emu_events_stop(emu *e);
/*
 * Queue a Standard Webhooks-signed delivery of event @p type to the webhook URL
 * (no-op without one). @p object_data is borrowed (copied), may be NULL; the
 * event's "object" is derived from the type ("organization.created" -> "Organization").
 * Delivery runs on a background thread with retries and backoff.
 * Returns 0, or -1 when out of memory.
 */
int emu_event_emit(emu *e, const char *type, const char *organization_id, json_t *object_data);
/* Deliveries answered 2xx so far (tests). */
uint64_t emu_events_delivered(emu *e);

/* ---- the emulator ----------------------------------------------------------- */

struct scalekit_emulator {
    char url[160];
    char *host;
    int port;
    char *client_id;
    char *client_secret;
    char *webhook_url;
    char *webhook_secret;
    char *environment_id;
    int64_t key_grace_seconds;
    int64_t access_token_ttl;
    bool quiet;
    struct MHD_Daemon *daemon;
    emu_store *store;
    emu_keyring keys;
    emu_faults faults;
    emu_events *events;
    FILE *exchange_log;              /* exchange_log.c: one JSON line per /api/v1 exchange */
    pthread_mutex_t exchange_log_lock;
};

/* ---- requests and replies (server.c) ---------------------------------------- */

#define EMU_MAX_PARAMS 8
#define EMU_MAX_HEADERS 8
#define EMU_MAX_BODY (1024 * 1024)

struct emu_req {
    emu *e;
    struct MHD_Connection *conn;
    const char *method;
    const char *path;
    const char *body;          /* NUL-terminated, may be "" */
    size_t body_len;
    char request_id[40];
    json_t *claims;            /* /api/v1: the verified access token's payload */

    /* private to server.c */
    const char *param_names[EMU_MAX_PARAMS];
    char *param_values[EMU_MAX_PARAMS];
    size_t n_params;
    json_t *json;              /* parsed body, lazily */
    json_t *form;              /* decoded form, lazily */
    bool json_tried;
    unsigned status;
    char *resp_body;
    size_t resp_len;
    const char *content_type;
    char *header_names[EMU_MAX_HEADERS];
    char *header_values[EMU_MAX_HEADERS];
    size_t n_headers;
    bool replied;
};

/* A {name} of the matched pattern; NULL when the pattern has none of that name. */
const char *emu_path_param(emu_req *r, const char *name);
/* A query parameter, decoded; NULL when absent. */
const char *emu_query(emu_req *r, const char *name);
/* A request header (case-insensitive); NULL when absent. */
const char *emu_header(emu_req *r, const char *name);
/* The body as a JSON object (borrowed), or NULL when it is not one. */
json_t *emu_json_body(emu_req *r);
/* A field of an application/x-www-form-urlencoded body, decoded; NULL when absent. */
const char *emu_form(emu_req *r, const char *name);

/* Reply with JSON (steals @p body). */
int emu_reply_json(emu_req *r, unsigned status, json_t *body);
/* Reply with the API's error body: {"code": <gRPC>, "message", "details": [ErrorInfo]}.
 * @p error_code e.g. "NOT_FOUND"; the gRPC code follows from @p status. */
int emu_reply_error(emu_req *r, unsigned status, const char *error_code, const char *fmt, ...)
    SKIT_PRINTF(4, 5);
/* 400 INVALID_ARGUMENT naming one invalid field. */
int emu_reply_field_error(emu_req *r, const char *field, const char *description);
/* RFC 6749 section 5.2: {"error","error_description"}; 401 adds WWW-Authenticate. */
int emu_reply_oauth_error(emu_req *r, unsigned status, const char *error, const char *description);
/* 302 to @p location. */
int emu_reply_redirect(emu_req *r, const char *location);
/* An HTML page (the text is copied). */
int emu_reply_html(emu_req *r, unsigned status, const char *html);
/* Any body of any type (copied). */
int emu_reply_raw(emu_req *r, unsigned status, const char *content_type, const char *body, size_t len);
/* An extra response header (both copied). */
int emu_add_header(emu_req *r, const char *name, const char *value);

/* ---- OAuth and users (oauth_token.c, users.c) ------------------------------- */

/* Whether @p client_id names a registered client. */
bool emu_client_known(emu *e, const char *client_id);
/* Store a new authorization code bound to everything the token exchange checks;
 * NULLs (challenge, nonce, organization) mean absent. The code is malloc'd; NULL on failure. */
char *emu_code_issue(emu *e, const char *client_id, const char *redirect_uri, const char *code_challenge,
                     const char *code_challenge_method, const char *nonce, const char *scope,
                     const char *user_id, const char *organization_id, const char *session_id);
/* The id of the user with @p email, created when unknown (a sign-up), with a
 * membership in @p organization_id when that is given. malloc'd; NULL on failure. */
char *emu_user_ensure(emu *e, const char *email, const char *organization_id);
/* The user row, or NULL. New reference. */
json_t *emu_user_row(emu *e, const char *user_id);
/* The API shape of a user (usersUser): id, email, external_id, create_time,
 * update_time, last_login_time, metadata, user_profile, memberships. New reference. */
json_t *emu_user_json(emu *e, const json_t *row);

/* ---- organizations (organizations.c) ----------------------------------------- */

/* The organization row, or NULL. New reference. */
json_t *emu_organization_row(emu *e, const char *id);
/* The API shape of an organization (organizationsOrganization). New reference. */
json_t *emu_organization_json(const json_t *row);
/* Reply {"organization": <shape of row>}. */
int emu_reply_organization(emu_req *r, unsigned status, const json_t *row);
/* Emit organization.<created|updated|deleted> with the row as its data
 * (OrganizationEventData); @p deleted_at (0: none) adds deleted_at. */
int emu_organization_event(emu *e, const char *type, const json_t *row, int64_t deleted_at);

/* ---- the exchange log (exchange_log.c), for the contract test --------------- */

/* Open @p path for appending, or SCALEKIT_EMULATOR_EXCHANGE_LOG's file when @p path
 * is NULL or ""; no log when neither is set. 0, or -1 when the file cannot be opened. */
int emu_exchange_log_open(emu *e, const char *path);
void emu_exchange_log_close(emu *e);
/* Append {"method","path","status","request","response"} for an answered /api/v1 request. */
void emu_exchange_log_write(emu *e, const emu_req *r);

/* Start / stop the HTTP daemon of @p e (server.c); start fills e->port and e->url. */
int emu_server_start(emu *e);
void emu_server_stop(emu *e);

/* ---- small shared helpers (util.c) ------------------------------------------- */

/* "<prefix><random hex of 2*nbytes>" (malloc'd). */
char *emu_new_id(const char *prefix, size_t nbytes);
/* Lower-case hex SHA-256 of @p s into out[65]. */
void emu_sha256_hex(const char *s, char out[65]);
/* Append @p s HTML-escaped (& < > " '). */
int emu_html_escape(skit_buf *b, const char *s);
/* RFC 3339 text of @p t (seconds) as a new JSON string. */
json_t *emu_json_time(int64_t t);

#endif
