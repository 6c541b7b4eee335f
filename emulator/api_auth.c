/*
 * The bearer check of /api/v1: who may call the management API, and a cache of
 * the tokens already admitted so the common case costs a hash and a lookup
 * instead of an RSA verification and a database read.
 *
 * The cache is the SDK's verified-token cache (src/jose/token_cache.c): keyed
 * by the SHA-256 of the whole token, bounded (direct-mapped), thread-safe, and
 * each entry is good only for the generation it was admitted under. The
 * generation moves whenever an admitted token could stop being admissible
 * other than by its own exp (re-checked on every hit):
 *   - access tokens revoked, a key rotated or removed, a client removed:
 *     whoever changes that calls emu_api_auth_invalidate() after storing it;
 *   - a rotated-out key leaving its grace period: a deadline checked on every
 *     request (emu_keys_next_retirement), so no timer is needed.
 */
#include "environment.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/sha.h>

/* Distinct tokens kept verified; 4096 covers any test or load run many times over. */
#define CACHE_ENTRIES 4096

struct emu_api_auth {
    skit_token_cache *cache;
    pthread_mutex_t lock;        /* orders deadline recomputation against invalidation */
    uint64_t generation;         /* atomic */
    int64_t keys_deadline;       /* atomic: when the next retired key stops verifying */
    uint64_t verifications;      /* atomic: cache misses that reached the signature check */
};

int emu_api_auth_start(emu *e)
{
    emu_api_auth *a = calloc(1, sizeof *a);
    if (!a || !(a->cache = skit_token_cache_new(CACHE_ENTRIES))) {
        free(a);
        return -1;
    }
    pthread_mutex_init(&a->lock, NULL);
    a->generation = 1;
    a->keys_deadline = 0;        /* computed on the first request */
    e->api_auth = a;
    return 0;
}

void emu_api_auth_stop(emu *e)
{
    emu_api_auth *a = e->api_auth;
    if (!a)
        return;
    skit_token_cache_free(a->cache);
    pthread_mutex_destroy(&a->lock);
    free(a);
    e->api_auth = NULL;
}

void emu_api_auth_invalidate(emu *e)
{
    emu_api_auth *a = e->api_auth;
    if (!a)
        return;
    pthread_mutex_lock(&a->lock);
    __atomic_store_n(&a->keys_deadline, 0, __ATOMIC_RELEASE);   /* the keys may have changed too */
    __atomic_add_fetch(&a->generation, 1, __ATOMIC_ACQ_REL);
    pthread_mutex_unlock(&a->lock);
}

uint64_t emu_api_auth_verifications(emu *e)
{
    return e->api_auth ? __atomic_load_n(&e->api_auth->verifications, __ATOMIC_RELAXED) : 0;
}

/* The generation entries must carry now: first moved on when a retired key's
 * grace period has run out since the last look. */
static uint64_t current_generation(emu *e, emu_api_auth *a, int64_t now)
{
    if (now >= __atomic_load_n(&a->keys_deadline, __ATOMIC_ACQUIRE)) {
        /* Lock order: a->lock, then the keyring's (emu_keys_rotate invalidates after unlocking). */
        pthread_mutex_lock(&a->lock);
        if (now >= __atomic_load_n(&a->keys_deadline, __ATOMIC_ACQUIRE)) {
            __atomic_add_fetch(&a->generation, 1, __ATOMIC_ACQ_REL);
            __atomic_store_n(&a->keys_deadline, emu_keys_next_retirement(e, now), __ATOMIC_RELEASE);
        }
        pthread_mutex_unlock(&a->lock);
    }
    return __atomic_load_n(&a->generation, __ATOMIC_ACQUIRE);
}

/*
 * Who may call /api/v1: an access token of the client-credentials grant (the
 * only grant that sets gty), whose subject is its own client, a client
 * registered in this environment, and whose jti was issued and not revoked.
 * A user's access token, an ID token and an IdP-initiated login token carry no
 * gty and are refused.
 *
 * An organization API client's token is admitted too while the client exists
 * in the organization its oid names (*org_client set: such a token is never
 * cached, so a deleted client or organization is refused at once); the server
 * then confines it (emu_org_client_may_call).
 */
static int admit(emu *e, const json_t *claims, bool *org_client, const char **why)
{
    const char *gty = skit_json_string(claims, "gty");
    const char *sub = skit_json_string(claims, "sub");
    const char *client_id = skit_json_string(claims, "client_id");
    const char *jti = skit_json_string(claims, "jti");
    if (!gty || strcmp(gty, EMU_GTY_CLIENT_CREDENTIALS) != 0) {
        *why = "only access tokens of the environment's API clients (client credentials grant) are accepted";
        return -1;
    }
    if (!sub || !client_id || strcmp(sub, client_id) != 0 || !jti) {
        *why = "token does not name its API client";
        return -1;
    }
    json_t *row = emu_db_row(e->store, "SELECT t.revoked, c.id AS environment_client, o.organization_id "
                                       "FROM access_tokens t LEFT JOIN clients c ON c.id = t.client_id "
                                       "LEFT JOIN org_clients o ON o.id = t.client_id "
                                       "WHERE t.jti = ? AND t.client_id = ?", "ss", jti, client_id);
    const char *org = skit_json_string(row, "organization_id"), *oid = skit_json_string(claims, "oid");
    *org_client = org != NULL;
    int rc = -1;
    if (!row || (!org && !skit_json_string(row, "environment_client")))
        *why = "token was not issued to an API client of this environment";
    else if (org && (!oid || strcmp(org, oid) != 0))
        *why = "token does not name its API client's organization";
    else if (json_integer_value(json_object_get(row, "revoked")) != 0)
        *why = "token revoked";
    else
        rc = 0;
    json_decref(row);
    return rc;
}

/* The signature, issuer and time checks, then admit(); the payload to cache. */
static int verify_and_admit(emu *e, const char *token, skit_payload **out, bool *org_client, const char **why)
{
    json_t *claims = NULL;
    if (emu_keys_verify(e, token, true, &claims, why) != 0)
        return -1;
    int rc = admit(e, claims, org_client, why);
    char *text = rc == 0 ? json_dumps(claims, JSON_COMPACT) : NULL;
    if (rc == 0 && (!text || skit_payload_new(text, strlen(text), out) != SCALEKIT_OK)) {
        *why = "out of memory";
        rc = -1;
    }
    free(text);
    json_decref(claims);
    return rc;
}

int emu_api_auth_check(emu *e, const char *token, skit_payload **payload_out, const char **why)
{
    *payload_out = NULL;
    emu_api_auth *a = e->api_auth;
    int64_t now = skit_now();
    unsigned char digest[32];
    SHA256((const unsigned char *)token, strlen(token), digest);
    /* Read before any check: a change stored after this moves the generation,
     * so what this request admits is never served from the cache again. */
    uint64_t generation = current_generation(e, a, now);
    skit_payload *p = skit_token_cache_get(a->cache, digest, generation);
    if (!p) {
        __atomic_add_fetch(&a->verifications, 1, __ATOMIC_RELAXED);
        bool org_client = false;
        if (verify_and_admit(e, token, &p, &org_client, why) != 0)
            return -1;
        if (!org_client)
            skit_token_cache_put(a->cache, digest, generation, p);
    } else if (skit_jwt_check_times(&p->times, now, 0) != SCALEKIT_OK) {
        skit_payload_release(p);
        *why = "token expired or not yet valid";
        return -1;
    }
    *payload_out = p;
    return 0;
}
