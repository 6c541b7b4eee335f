/*
 * The environment's state: the emulator object and its parts (signing keys,
 * faults, webhook events, the exchange log) and the small helpers every file
 * shares. The HTTP framework is emulator/http.h; resources are resources.h.
 */
#ifndef EMU_ENVIRONMENT_H
#define EMU_ENVIRONMENT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>

#include "emulator.h"
#include "http.h"
#include "store.h"
#include "core/core.h"
#include "jose/jose.h"

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
/* When the next rotated-out key stops verifying: the earliest end of a grace
 * period after @p now, INT64_MAX when no key is in one. */
int64_t emu_keys_next_retirement(emu *e, int64_t now);

/* ---- the bearer check of /api/v1 (api_auth.c) ------------------------------- */

/* The gty claim the client-credentials grant sets, and only it: what tells an
 * API client's token from a user's. */
#define EMU_GTY_CLIENT_CREDENTIALS "client_credentials"

typedef struct emu_api_auth emu_api_auth;
/* Set up / free the verified-token cache of e->api_auth. 0 or -1 (out of memory). */
int emu_api_auth_start(emu *e);
void emu_api_auth_stop(emu *e);
/*
 * Admit @p token (the bearer token of an /api/v1 request): verified by this
 * emulator's keys, unexpired, a client-credentials token of a registered client,
 * not revoked; served from the cache when it was admitted before.
 * 0 and *payload_out (one reference: skit_payload_release), or -1 with *why set
 * to a static reason.
 */
int emu_api_auth_check(emu *e, const char *token, struct skit_payload **payload_out,
                       const char **why);
/* Forget every admitted token. Whoever revokes access tokens, rotates or
 * removes a signing key, or removes a client calls this after storing the change. */
void emu_api_auth_invalidate(emu *e);
/* Tokens the bearer check had to verify (cache misses) so far; for tests. */
uint64_t emu_api_auth_verifications(emu *e);

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
    emu_fault *items;
    size_t count;
} emu_faults;

/* Take one use of the first fault matching; false when none applies (*out untouched).
 * out->path and out->method are NULL in the copy. */
bool emu_faults_take(emu *e, const char *method, const char *path, emu_fault *out);
void emu_faults_clear(emu *e);
/* Add a fault; takes ownership of f->path and f->method. 0 or -1 (out of memory). */
int emu_faults_add(emu *e, emu_fault *f);

/* ---- injected delays (delays.c) -------------------------------------------- */

typedef struct emu_delays emu_delays;
struct MHD_Connection;
int emu_delays_start(emu *e);
/* From the access handler: suspend @p conn for @p ms (the handler is called
 * again when it resumes). False when it was not suspended (stopping, out of
 * memory): go on at once. */
bool emu_delays_suspend(emu *e, struct MHD_Connection *conn, long ms);
void emu_delays_stop(emu *e);   /* resumes every suspended connection; before MHD_stop_daemon */
void emu_delays_free(emu *e);   /* after MHD_stop_daemon; safe when never started */

/* ---- webhook events (events.c) --------------------------------------------- */

typedef struct emu_events emu_events;
int emu_events_start(emu *e);
void emu_events_stop(emu *e);
/*
 * Record event @p type in the outbox for a Standard Webhooks-signed delivery to
 * the webhook URL (no-op without one). Call it inside the transaction of the
 * write that causes the event (emu_tx_begin): the event then commits, or not,
 * with the write; outside one it commits on its own. @p object_data is borrowed
 * (copied), may be NULL; the event's "object" is derived from the type
 * ("organization.created" -> "Organization"). The delivery thread sends events
 * in commit order, retries with backoff, and resumes after a restart.
 * Returns 0, or -1 when out of memory or the store failed.
 */
int emu_event_emit(emu *e, const char *type, const char *organization_id, json_t *object_data);
/* As emu_event_emit, with the event's "object" given (user.signup's is "OrgMembership"). */
int emu_event_emit_object(emu *e, const char *type, const char *object, const char *organization_id,
                          json_t *object_data);
/* Deliveries answered 2xx so far (tests). */
uint64_t emu_events_delivered(emu *e);

/* ---- failed client authentication (auth_limit.c) ----------------------------- */

#define EMU_AUTH_FAIL_LIMIT 10          /* failures per window and client id ... */
#define EMU_AUTH_FAIL_WINDOW_MS 10000   /* ... before 429 until the window ends */
#define EMU_AUTH_BUCKETS 64             /* buckets for the environment's client ids */

typedef struct emu_auth_bucket {
    int64_t window_start_ms;   /* monotonic time of the window's first failure */
    unsigned failures;
} emu_auth_bucket;

typedef struct emu_auth_limiter {
    pthread_mutex_t lock;
    emu_auth_bucket buckets[EMU_AUTH_BUCKETS + 1];   /* the last one: every unknown client id */
} emu_auth_limiter;

void emu_auth_limit_init(emu *e);
void emu_auth_limit_destroy(emu *e);
/* Seconds until @p client_id (NULL: an id that is no client of the environment)
 * may try to authenticate again; 0 when it may now. */
long emu_auth_limit_wait(emu *e, const char *client_id);
/* Count one failed authentication of @p client_id (NULL as above). */
void emu_auth_limit_failed(emu *e, const char *client_id);

/* ---- the emulator ----------------------------------------------------------- */

/* Longest public URL accepted (bytes); URLs built from it stay within fixed buffers. */
#define EMU_MAX_URL 400

struct scalekit_emulator {
    char url[EMU_MAX_URL + 1];       /* the environment URL clients see: the issuer */
    char listen_url[80];             /* where the server listens ("http://127.0.0.1:PORT") */
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
    emu_delays *delays;
    unsigned connection_timeout;     /* seconds a connection may stay idle */
    unsigned max_connections_per_ip;
    emu_store *store;
    emu_keyring keys;
    emu_faults faults;
    emu_events *events;
    emu_api_auth *api_auth;
    emu_auth_limiter auth_limit;
    FILE *exchange_log;              /* exchange_log.c: one JSON line per /api/v1 exchange */
    pthread_mutex_t exchange_log_lock;
};

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
/* Whether @p email looks like an address: text@text, no space, quote, angle
 * bracket or list separator (what a sign-in page or a user body accepts). */
bool emu_email_plausible(const char *email);
/* RFC 3339 text of @p t (seconds) as a new JSON string. */
json_t *emu_json_time(int64_t t);

#endif
