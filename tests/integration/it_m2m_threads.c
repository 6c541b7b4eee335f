/*
 * Organization API clients under concurrency (also run under ThreadSanitizer):
 * threads, each with its own SDK client made from one organization client's id
 * and secret, read the organization over and over while the main thread rotates
 * the secret and then deletes the client. Every call succeeds until the delete;
 * every call started after the delete returned is refused (401), whatever token
 * the thread holds: no cached admission outlives the client.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "emu_fixture.h"
#include "scalekit/scalekit.h"

#define THREADS 4

typedef struct shared {
    const char *url, *org, *client_id, *secret;
    int deleted;             /* atomic: the delete has returned */
    int stop;                /* atomic */
} shared;

typedef struct worker {
    shared *s;
    pthread_t thread;
    long ok_before, refused_after, wrong;   /* wrong: a success after the delete, or another failure */
} worker;

static void *run(void *arg)
{
    worker *w = arg;
    scalekit_client *c = NULL;
    if (scalekit_client_new(&c, w->s->url, w->s->client_id, w->s->secret) != SCALEKIT_OK) {
        w->wrong++;
        return NULL;
    }
    /* One call after the delete: each costs failed client authentications, and
     * more than ten in ten seconds are rate-limited (auth_limit.c). */
    while (!__atomic_load_n(&w->s->stop, __ATOMIC_ACQUIRE) &&
           __atomic_load_n(&w->refused_after, __ATOMIC_ACQUIRE) == 0) {
        bool after = __atomic_load_n(&w->s->deleted, __ATOMIC_ACQUIRE);
        scalekit_organization *org = NULL;
        int rc = scalekit_organization_get(c, w->s->org, &org);
        scalekit_organization_free(org);
        if (rc == SCALEKIT_OK && !after)
            w->ok_before++;
        else if (rc == SCALEKIT_EUNAUTHENTICATED && after)
            __atomic_add_fetch(&w->refused_after, 1, __ATOMIC_RELEASE);
        else if (!(rc == SCALEKIT_EUNAUTHENTICATED && !after))   /* refused while the delete ran: either is right */
            w->wrong++;
    }
    scalekit_client_free(c);
    return NULL;
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static void rotation_then_delete(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "the emulator's rule for organization clients on its API");
    scalekit_organization *org = NULL;
    EMU_FIXTURE_OK(scalekit_organization_create(f->client, "Busy", NULL, &org));
    scalekit_m2m_client_created *c = NULL;
    EMU_FIXTURE_OK(scalekit_m2m_client_create(f->client, org->id, "Busy client", NULL, &c));
    scalekit_m2m_client_secret_created *second = NULL;
    EMU_FIXTURE_OK(scalekit_m2m_client_add_secret(f->client, org->id, c->client->client_id, &second));
    /* The threads use the second secret; the first is removed while they run. */
    shared s = {f->url, org->id, c->client->client_id, second->plain_secret, 0, 0};
    worker w[THREADS];
    memset(w, 0, sizeof w);
    for (int i = 0; i < THREADS; i++) {
        w[i].s = &s;
        assert_int_equal(pthread_create(&w[i].thread, NULL, run, &w[i]), 0);
    }
    sleep_ms(300);
    EMU_FIXTURE_OK(scalekit_m2m_client_remove_secret(f->client, org->id, c->client->client_id,
                                                     c->client->secrets[0]->id));
    sleep_ms(300);
    EMU_FIXTURE_OK(scalekit_m2m_client_delete(f->client, org->id, c->client->client_id));
    __atomic_store_n(&s.deleted, 1, __ATOMIC_RELEASE);
    /* Until every thread has been refused once (a slow sanitizer build: up to 20 s). */
    for (int waited = 0, all = 0; !all && waited < 20000; waited += 50) {
        sleep_ms(50);
        all = 1;
        for (int i = 0; i < THREADS; i++)
            all = all && __atomic_load_n(&w[i].refused_after, __ATOMIC_ACQUIRE) > 0;
    }
    __atomic_store_n(&s.stop, 1, __ATOMIC_RELEASE);
    /* Join them all before any assertion: a failure must not leave a thread running. */
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(w[i].thread, NULL), 0);
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(w[i].wrong, 0);
        assert_true(w[i].ok_before > 0);
        assert_true(w[i].refused_after > 0);
    }
    scalekit_m2m_client_secret_created_free(second);
    scalekit_m2m_client_created_free(c);
    scalekit_organization_free(org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(rotation_then_delete, emu_fixture_setup, emu_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
