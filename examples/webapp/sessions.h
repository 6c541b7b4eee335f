/*
 * The server-side session store: pending sign-ins (state, nonce and PKCE
 * verifier, keyed by a random pre-session cookie) and signed-in sessions
 * (keyed by a random session cookie). Nothing a browser could change is
 * trusted: a cookie is only a lookup key into this store.
 *
 * Thread safety: libmicrohttpd serves requests on several threads, so every
 * function takes the store's mutex. A session's data is immutable once stored
 * and reference counted: a request keeps the snapshot it read while another
 * thread replaces it (a token refresh), and the last release frees it.
 */
#ifndef WEBAPP_SESSIONS_H
#define WEBAPP_SESSIONS_H

#include <stdbool.h>
#include <stdint.h>

/* Cookie values: 32 random bytes in hex, and the terminating NUL. */
#define WEBAPP_ID_SIZE 65

typedef struct session_store session_store;

/* What the sign-in must remember between /login and /callback. */
typedef struct pending_login {
    char state[WEBAPP_ID_SIZE];
    char nonce[WEBAPP_ID_SIZE];
    char code_verifier[129];
    char return_to[256];   /* a local path, checked before it is stored */
} pending_login;

/* A signed-in user, as the tokens said. Immutable once given to the store. */
typedef struct session_data {
    char *user_id;
    char *email;
    char *name;              /* NULL when the ID token had none */
    char *organization_id;   /* NULL without an organization */
    char *sid;               /* the Scalekit session id (revoked at sign-out) */
    char **roles;            /* NULL-terminated */
    char **permissions;      /* NULL-terminated */
    char *access_token;      /* never leaves the server: no URL, no log, no page */
    char *refresh_token;
    int64_t access_expires_at;
    int refs;                /* the store's and each reader's; under the store's mutex */
} session_data;

/* How a session stands, beside its data. */
typedef struct session_info {
    int64_t created_at;
    int64_t expires_at;      /* the session's absolute end (the cookie's expiry) */
    bool stale;              /* roles or permissions may have changed: refresh now */
} session_info;

session_store *sessions_new(long lifetime_seconds);
void sessions_free(session_store *store);

/* ---- pending sign-ins ---- */

/* Remember @p login under a new random id (written to @p id_out). 0, or -1
 * when out of memory or when too many sign-ins are pending. */
int logins_begin(session_store *store, const pending_login *login, char id_out[WEBAPP_ID_SIZE]);
/* Take (and forget) the pending sign-in @p id: each can finish once. 0, or -1
 * when there is none (unknown, expired or already used). */
int logins_take(session_store *store, const char *id, pending_login *out);

/* ---- sessions ---- */

/* Allocate session data with one reference, every field empty. */
session_data *session_data_new(void);
/* Free data no store holds yet (a failed build). Safe on NULL. */
void session_data_free(session_data *data);
/* Store @p data (the store takes the caller's reference) under a new random id. 0 or -1. */
int sessions_create(session_store *store, session_data *data, char id_out[WEBAPP_ID_SIZE]);
/* The session of cookie value @p id: a new reference to its data (release it with
 * sessions_release) and its @p info; NULL when there is none or it has expired. */
session_data *sessions_get(session_store *store, const char *id, session_info *info);
/* Give a reference back. Safe on NULL. */
void sessions_release(session_store *store, session_data *data);
/* Replace session @p id's data with @p data (the store takes the reference) when
 * it still holds @p expected, clearing the stale mark. 0, or -1 when it changed
 * or ended meanwhile (then @p data is released). */
int sessions_replace(session_store *store, const char *id, const session_data *expected, session_data *data);
/* End session @p id. Safe on unknown ids. */
void sessions_destroy(session_store *store, const char *id);
/* Mark the sessions of @p user_id (NULL: every session) stale. How many it marked. */
int sessions_mark_stale(session_store *store, const char *user_id);

/* Fill @p out with 32 random bytes in hex. 0 or -1. */
int webapp_random_id(char out[WEBAPP_ID_SIZE]);

#endif
