/*
 * The example web app under concurrent requests of one session whose token
 * must be refreshed: exactly one refresh (refresh tokens rotate, and a second
 * use of the old one would make Scalekit revoke the session), every request
 * answered signed in. Also runs under ThreadSanitizer (the name says threads).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "webapp_kit.h"

#define THREADS 8

typedef struct worker {
    const webapp_kit *kit;
    const char *cookie;
    pthread_barrier_t *start;
    long status;
    int signed_in;
} worker;

/* No cmocka assertion here (not thread safe): the main thread checks what each saw. */
static void *run(void *arg)
{
    worker *w = arg;
    wk_browser *b = wk_browser_new();
    wk_put_cookie(b, "session", w->cookie);
    pthread_barrier_wait(w->start);
    wk_response r;
    w->status = wk_get(b, w->kit, "/account", &r);
    w->signed_in = strstr(r.body, "ada@example.com") != NULL;
    wk_response_free(&r);
    wk_browser_free(b);
    return NULL;
}

static void test_concurrent_requests_refresh_once(void **state)
{
    webapp_kit *kit = webapp_kit_start(NULL);
    wk_browser *b = wk_browser_new();
    free(wk_sign_in(kit, b, "ada@example.com", NULL, NULL));
    char *cookie = wk_cookie(b, "session");
    char *user_id = wk_user_id(kit, "ada@example.com");
    for (int round = 0; round < 3; round++) {
        /* A membership event marks the session stale: the next requests must refresh. */
        char delivery[32];
        snprintf(delivery, sizeof delivery, "msg_round_%d", round);
        assert_int_equal(wk_deliver(kit, NULL, delivery, 0, "user.organization_membership_updated", user_id), 200);
        long issued = emu_fixture_tokens_issued(kit->f);
        pthread_barrier_t start;
        pthread_barrier_init(&start, NULL, THREADS);
        worker w[THREADS];
        pthread_t t[THREADS];
        for (int i = 0; i < THREADS; i++) {
            w[i] = (worker){kit, cookie, &start, 0, 0};
            assert_int_equal(pthread_create(&t[i], NULL, run, &w[i]), 0);
        }
        for (int i = 0; i < THREADS; i++)
            pthread_join(t[i], NULL);
        pthread_barrier_destroy(&start);
        for (int i = 0; i < THREADS; i++) {
            assert_int_equal(w[i].status, 200);
            assert_true(w[i].signed_in);
        }
        assert_int_equal(emu_fixture_tokens_issued(kit->f), issued + 1);
    }
    free(user_id);
    free(cookie);
    wk_browser_free(b);
    webapp_kit_stop(kit);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_requests_refresh_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
