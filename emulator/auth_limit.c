/*
 * Rate limit on failed client authentication at /oauth/token, per client id:
 * after EMU_AUTH_FAIL_LIMIT failures within one EMU_AUTH_FAIL_WINDOW_MS window
 * (counted from the window's first failure) the client id is refused with 429
 * until that window ends, even with the right secret, so guessing a secret
 * costs at least a window per EMU_AUTH_FAIL_LIMIT guesses. Successes neither
 * count nor reset.
 *
 * Memory is fixed: client ids of the environment hash (FNV-1a) into
 * EMU_AUTH_BUCKETS buckets (two colliding ids share one), and every id that is
 * not a client of the environment shares one more bucket, so made-up ids cannot
 * grow the table nor push a real client's bucket out.
 */
#include "environment.h"

#include <string.h>

void emu_auth_limit_init(emu *e)
{
    memset(&e->auth_limit, 0, sizeof e->auth_limit);
    pthread_mutex_init(&e->auth_limit.lock, NULL);
}

void emu_auth_limit_destroy(emu *e)
{
    pthread_mutex_destroy(&e->auth_limit.lock);
}

static emu_auth_bucket *bucket_of(emu *e, const char *client_id)
{
    if (!client_id)
        return &e->auth_limit.buckets[EMU_AUTH_BUCKETS];
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)client_id; *p; p++)
        h = (h ^ *p) * 16777619u;
    return &e->auth_limit.buckets[h % EMU_AUTH_BUCKETS];
}

long emu_auth_limit_wait(emu *e, const char *client_id)
{
    int64_t now = skit_monotonic_ms();
    pthread_mutex_lock(&e->auth_limit.lock);
    const emu_auth_bucket *b = bucket_of(e, client_id);
    int64_t left = b->window_start_ms + EMU_AUTH_FAIL_WINDOW_MS - now;
    long wait = b->failures >= EMU_AUTH_FAIL_LIMIT && left > 0 ? (long)((left + 999) / 1000) : 0;
    pthread_mutex_unlock(&e->auth_limit.lock);
    return wait;
}

void emu_auth_limit_failed(emu *e, const char *client_id)
{
    int64_t now = skit_monotonic_ms();
    pthread_mutex_lock(&e->auth_limit.lock);
    emu_auth_bucket *b = bucket_of(e, client_id);
    if (b->failures == 0 || now >= b->window_start_ms + EMU_AUTH_FAIL_WINDOW_MS) {
        b->window_start_ms = now;
        b->failures = 0;
    }
    b->failures++;
    pthread_mutex_unlock(&e->auth_limit.lock);
}
