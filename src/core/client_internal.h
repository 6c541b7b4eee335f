/*
 * The client's internals, shared by src/core (transport, API token) and
 * src/jose (JWKS cache, verified-token cache). Not exported.
 */
#ifndef SKIT_CLIENT_INTERNAL_H
#define SKIT_CLIENT_INTERNAL_H

#include <pthread.h>
#include <curl/curl.h>

#include "core.h"

struct skit_jose_state;   /* owned by src/jose: JWKS cache and verified-token cache */

struct scalekit_client {
    char *env_url;          /* normalised: scheme://host[:port][/path], no trailing slash */
    char *client_id;
    char *client_secret;
    char *ca_bundle_path;   /* NULL: the system's */
    char *user_agent;       /* "Scalekit-C/<version> (<os>; <arch>)[ suffix]" */
    scalekit_client_options opts;   /* every default resolved: no zero fields */

    /* libcurl: one share handle (DNS, TLS sessions, connections) for all threads;
     * each call uses a fresh easy handle, and reuse comes from the share (see http.c). */
    CURLSH *share;
    pthread_mutex_t share_locks[CURL_LOCK_DATA_LAST];

    /* The client-credentials API token: one fetch for all threads that miss at once. */
    pthread_mutex_t token_mu;
    pthread_cond_t token_cv;
    bool token_fetching;
    char *api_token;
    int64_t api_token_expires_at;   /* Unix seconds */
    int64_t api_token_refresh_at;   /* Unix seconds: fetch a new one from then on */
    uint64_t api_token_generation;  /* bumped on every new token: a 401 refreshes only the stale one */
    uint64_t token_fetch_seq;       /* bumped when a fetch ends: waiters know theirs is done */
    skit_error_state *token_fetch_error; /* the last fetch's failure, NULL after a success */

    struct skit_jose_state *jose;
};

/* The transport's part of a client (src/core/http.c): the share handle and its locks. */
int skit_http_client_init(scalekit_client *client);
void skit_http_client_cleanup(scalekit_client *client);

/* The client-credentials API token (src/core/api_token.c). Hands out a malloc'd
 * copy of a valid token and its generation, fetching it once for all waiting threads. */
int skit_api_token_get(scalekit_client *client, char **token, uint64_t *generation);
/* Forget the token of @p generation after the server refused it (a newer one is kept). */
void skit_api_token_invalidate(scalekit_client *client, uint64_t generation);
/* Free the cached token state (scalekit_client_free). */
void skit_api_token_cleanup(scalekit_client *client);

/* Created by scalekit_client_new*, freed by scalekit_client_free (src/jose/state.c). */
struct skit_jose_state *skit_jose_state_new(scalekit_client *client);
void skit_jose_state_free(struct skit_jose_state *state);

#endif
