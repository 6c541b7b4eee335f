/* The verified-token cache: a direct-mapped table keyed by the SHA-256 of the
 * whole token, holding the parsed payload. An entry is only good for the JWKS
 * generation it was verified under; the caller re-checks exp on every hit.
 * Direct mapping keeps eviction trivial (a colliding token replaces the old
 * one); a handful of mutexes, chosen by slot, keep threads from queueing. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "jose/jose.h"
#include "jose/json_scan.h"

#define SHARDS 16

typedef struct entry {
    unsigned char digest[32];
    uint64_t generation;
    skit_payload *payload;  /* NULL: empty slot */
} entry;

struct skit_token_cache {
    size_t mask;            /* slots - 1; slots is a power of two */
    entry *slots;
    pthread_mutex_t locks[SHARDS];
};

/* A time claim: absent (fine), a number (read), anything else (malformed). */
static int time_claim(const skit_json_scan *scan, const char *name, double *out, bool *present)
{
    const skit_json_member *m = skit_json_scan_get(scan, name);
    *present = m != NULL;
    if (m && !skit_json_member_number(m, out))
        return skit_error_set(SCALEKIT_ETOKEN_MALFORMED, "token claim %s is not a number", name);
    return SCALEKIT_OK;
}

int skit_payload_new(const char *text, size_t len, skit_payload **out)
{
    *out = NULL;
    skit_json_scan scan;
    int rc = skit_json_scan_object(&scan, text, len);
    if (rc == SCALEKIT_EINVAL)
        rc = skit_error_set(SCALEKIT_ETOKEN_MALFORMED, "token payload is not a valid JSON object: %s at byte %zu",
                            scan.error, scan.error_offset);
    skit_jwt_times t;
    memset(&t, 0, sizeof t);
    if (rc == SCALEKIT_OK)
        rc = time_claim(&scan, "exp", &t.exp, &t.has_exp);
    if (rc == SCALEKIT_OK)
        rc = time_claim(&scan, "nbf", &t.nbf, &t.has_nbf);
    if (rc == SCALEKIT_OK)
        rc = time_claim(&scan, "iat", &t.iat, &t.has_iat);
    skit_json_scan_free(&scan);
    if (rc != SCALEKIT_OK)
        return rc;
    skit_payload *p = malloc(sizeof *p + len + 1);
    if (!p)
        return skit_error_oom();
    p->refs = 1;
    p->json = NULL;
    p->times = t;
    p->len = len;
    memcpy(p->text, text, len);
    p->text[len] = '\0';
    *out = p;
    return SCALEKIT_OK;
}

int skit_payload_json(skit_payload *p, const json_t **out)
{
    json_t *json = __atomic_load_n(&p->json, __ATOMIC_ACQUIRE);
    if (!json) {
        json_error_t err;
        json_t *mine = json_loadb(p->text, p->len, JSON_REJECT_DUPLICATES, &err);
        if (!json_is_object(mine)) {
            json_decref(mine);
            return skit_error_set(SCALEKIT_ETOKEN_MALFORMED, "token payload is not a JSON object: %s",
                                  mine ? "not an object" : err.text);
        }
        /* threads racing here each built their own tree: the first one is kept */
        json_t *expected = NULL;
        if (__atomic_compare_exchange_n(&p->json, &expected, mine, false, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE)) {
            json = mine;
        } else {
            json_decref(mine);
            json = expected;
        }
    }
    *out = json;
    return SCALEKIT_OK;
}

skit_payload *skit_payload_retain(skit_payload *p)
{
    if (p)
        __atomic_add_fetch(&p->refs, 1, __ATOMIC_RELAXED);
    return p;
}

void skit_payload_release(skit_payload *p)
{
    if (p && __atomic_sub_fetch(&p->refs, 1, __ATOMIC_ACQ_REL) == 0) {
        json_decref(p->json);
        free(p);
    }
}

skit_token_cache *skit_token_cache_new(long entries)
{
    if (entries <= 0)
        return NULL;
    size_t slots = 1;
    while (slots < (size_t)entries && slots < ((size_t)1 << 24))
        slots <<= 1;
    skit_token_cache *c = calloc(1, sizeof *c);
    if (!c || !(c->slots = calloc(slots, sizeof *c->slots))) {
        free(c);
        return NULL;
    }
    c->mask = slots - 1;
    for (int i = 0; i < SHARDS; i++)
        pthread_mutex_init(&c->locks[i], NULL);
    return c;
}

void skit_token_cache_free(skit_token_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i <= c->mask; i++)
        skit_payload_release(c->slots[i].payload);
    for (int i = 0; i < SHARDS; i++)
        pthread_mutex_destroy(&c->locks[i]);
    free(c->slots);
    free(c);
}

static size_t slot_of(const skit_token_cache *c, const unsigned char digest[32])
{
    size_t h;
    memcpy(&h, digest, sizeof h);   /* a SHA-256 is already uniformly spread */
    return h & c->mask;
}

skit_payload *skit_token_cache_get(skit_token_cache *c, const unsigned char digest[32],
                                   uint64_t generation)
{
    if (!c)
        return NULL;
    size_t i = slot_of(c, digest);
    skit_payload *hit = NULL;
    pthread_mutex_t *lock = &c->locks[i % SHARDS];
    pthread_mutex_lock(lock);
    entry *e = &c->slots[i];
    if (e->payload && e->generation == generation && memcmp(e->digest, digest, 32) == 0)
        hit = skit_payload_retain(e->payload);
    pthread_mutex_unlock(lock);
    return hit;
}

void skit_token_cache_put(skit_token_cache *c, const unsigned char digest[32],
                          uint64_t generation, skit_payload *payload)
{
    if (!c || !payload)
        return;
    size_t i = slot_of(c, digest);
    skit_payload *old;
    pthread_mutex_t *lock = &c->locks[i % SHARDS];
    skit_payload_retain(payload);
    pthread_mutex_lock(lock);
    entry *e = &c->slots[i];
    old = e->payload;
    memcpy(e->digest, digest, 32);
    e->generation = generation;
    e->payload = payload;
    pthread_mutex_unlock(lock);
    skit_payload_release(old);   /* outside the lock: freeing a payload takes a while */
}
