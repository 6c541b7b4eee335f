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
     * each thread keeps its own easy handle (see http.c). */
    CURLSH *share;
    pthread_mutex_t share_locks[CURL_LOCK_DATA_LAST];

    /* The client-credentials API token: one fetch for all threads that miss at once. */
    pthread_mutex_t token_mu;
    pthread_cond_t token_cv;
    bool token_fetching;
    char *api_token;
    int64_t api_token_expires_at;   /* Unix seconds */
    uint64_t api_token_generation;  /* bumped on every new token: a 401 refreshes only the stale one */

    struct skit_jose_state *jose;
};

/* Created by scalekit_client_new*, freed by scalekit_client_free (src/jose/state.c). */
struct skit_jose_state *skit_jose_state_new(scalekit_client *client);
void skit_jose_state_free(struct skit_jose_state *state);

#endif
