/*
 * The core part of a client: what the transport and the API token need
 * (environment URL, credentials, resolved options, the libcurl share handle,
 * the cached API token). Not exported.
 *
 * The client itself (struct scalekit_client) is defined above core, in
 * src/client/client.h, which wires core, jose and auth together; it holds a
 * skit_core as its first member, so core reaches its part of any client
 * through skit_core_of() without knowing the rest.
 */
#ifndef SKIT_CLIENT_INTERNAL_H
#define SKIT_CLIENT_INTERNAL_H

#include <pthread.h>
#include <curl/curl.h>

#include "core.h"

typedef struct skit_core {
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
} skit_core;

/* The core part of @p client (its first member, see above); NULL for NULL. */
static inline skit_core *skit_core_of(const scalekit_client *client)
{
    return (skit_core *)(void *)client;
}

/*
 * Fill @p core (zeroed by the caller): check and normalise @p env_url, check
 * and resolve @p opts (NULL: the defaults), copy the credentials, set up the
 * transport. On failure the error is recorded and its code returned; call
 * skit_core_cleanup() either way.
 */
int skit_core_init(skit_core *core, const char *env_url, const char *client_id,
                   const char *client_secret, const scalekit_client_options *opts);
/* Free what skit_core_init() allocated (safe on a partly filled core). */
void skit_core_cleanup(skit_core *core);

/* The transport's part of a core (src/core/http.c): the share handle and its locks. */
int skit_http_core_init(skit_core *core);
void skit_http_core_cleanup(skit_core *core);

/* The client-credentials API token (src/core/api_token.c). Hands out a malloc'd
 * copy of a valid token and its generation, fetching it once for all waiting threads. */
int skit_api_token_get(scalekit_client *client, char **token, uint64_t *generation);
/* Forget the token of @p generation after the server refused it (a newer one is kept). */
void skit_api_token_invalidate(scalekit_client *client, uint64_t generation);
/* Free the cached token state (skit_core_cleanup). */
void skit_api_token_cleanup(skit_core *core);

/*
 * Check member @p name of a token endpoint answer before it can reach a header
 * (the transport's Authorization, or the caller's): a string of token68
 * characters (RFC 6750 section 2.1: ALPHA DIGIT - . _ ~ + / then '=' padding),
 * at most the client's max_token_bytes long. An absent (or null) member passes
 * unless @p required. SCALEKIT_OK, or EMALFORMED_RESPONSE (recorded) naming it.
 */
int skit_token_answer_check(const scalekit_client *client, const json_t *answer,
                            const char *name, bool required);

#endif
