/*
 * The bearer check's verified-token cache under concurrent requests (also run
 * under ThreadSanitizer): threads keep calling /api/v1 with cached tokens while
 * the main thread rotates a key and then revokes every token; no request sent
 * after the revocation answered may be admitted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "core/core.h"
#include "emu_fixture.h"
#include "emu_testhttp.h"

#define WORKERS 4
#define AFTER_REVOCATION 10   /* requests each worker sends once the revocation is answered */

typedef struct worker {
    const emu_fixture *f;
    const char *token;
    bool *revoked;            /* atomic: set once the revocation call has returned */
    int before_ok, after_ok, after_refused, other;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    char url[256], auth[4096];
    emu_fixture_url(w->f, "/api/v1/organizations/org_missing", url, sizeof url);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", w->token);
    const char *hdrs[] = {auth, NULL};
    int after = 0;
    while (after < AFTER_REVOCATION) {
        bool revoked = __atomic_load_n(w->revoked, __ATOMIC_ACQUIRE);
        emu_http_response r;
        emu_http("GET", url, hdrs, NULL, &r);
        if (revoked) {
            after++;
            if (r.status == 401)
                w->after_refused++;
            else if (r.status == 404)
                w->after_ok++;
            else
                w->other++;
        } else if (r.status == 404) {
            w->before_ok++;
        } else if (r.status != 401) {   /* a 401 before the flag: the revocation raced ahead */
            w->other++;
        }
        emu_http_response_free(&r);
    }
    return NULL;
}

static void test_revocation_under_concurrent_cached_requests(void **state)
{
    emu_fixture *f = emu_fixture_start(NULL, NULL);
    char *tokens[2] = {emu_test_client_token(f->emu), emu_test_client_token(f->emu)};
    assert_non_null(tokens[0]);
    assert_non_null(tokens[1]);
    bool revoked = false;
    worker w[WORKERS];
    pthread_t th[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        w[i] = (worker){.f = f, .token = tokens[i % 2], .revoked = &revoked};
        assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
    }
    skit_sleep_ms(300);
    free(emu_fixture_rotate_keys(f));      /* invalidates; the tokens stay valid (grace period) */
    skit_sleep_ms(300);
    assert_true(emu_fixture_revoke_api_tokens(f) >= 2);
    __atomic_store_n(&revoked, true, __ATOMIC_RELEASE);
    int before_ok = 0;
    for (int i = 0; i < WORKERS; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        before_ok += w[i].before_ok;
        assert_int_equal(w[i].other, 0);
        assert_int_equal(w[i].after_ok, 0);
        assert_int_equal(w[i].after_refused, AFTER_REVOCATION);
    }
    assert_true(before_ok > 0);
    free(tokens[0]);
    free(tokens[1]);
    emu_fixture_stop(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_revocation_under_concurrent_cached_requests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
