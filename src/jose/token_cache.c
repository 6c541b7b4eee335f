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

skit_payload *skit_payload_new(json_t *json)
{
    skit_payload *p = json ? malloc(sizeof *p) : NULL;
    if (!p) {
        json_decref(json);
        return NULL;
    }
    p->json = json;
    p->refs = 1;
    return p;
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
