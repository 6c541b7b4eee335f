/* Several threads validate tokens with one shared client while the JWKS
 * rotates under them (the server switches key sets). Only the expected
 * outcomes may occur; under ThreadSanitizer, no race either. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "core/core.h"
#include "jose_testkit.h"
#include "mock_http.h"

#define THREADS 4
#define TOKENS 16

typedef struct shared {
    scalekit_client *client;
    char *tokens_a[TOKENS], *tokens_b[TOKENS];
    int stop;                      /* atomic */
} shared;

typedef struct worker {
    shared *s;
    int id;
    long ok, unknown_key, other;
    int other_code;
} worker;

static void *run(void *arg)
{
    worker *w = arg;
    unsigned i = (unsigned)w->id;
    while (!__atomic_load_n(&w->s->stop, __ATOMIC_ACQUIRE)) {
        i = i * 1103515245u + 12345u;
        const char *t = (i >> 8) & 1 ? w->s->tokens_a[(i >> 12) % TOKENS] : w->s->tokens_b[(i >> 12) % TOKENS];
        scalekit_claims *c = NULL;
        int rc = scalekit_validate_token(w->s->client, t, NULL, (i >> 9) & 1 ? &c : NULL);
        if (rc == SCALEKIT_OK) {
            w->ok++;
            if (c && strcmp(scalekit_claims_subject(c), "user_1") != 0)
                w->other++;
        } else if (rc == SCALEKIT_ETOKEN_UNKNOWN_KEY) {
            w->unknown_key++;
        } else {
            w->other++;
            w->other_code = rc;
        }
        scalekit_claims_free(c);
    }
    return NULL;
}

static void test_validation_during_rotation(void **state)
{
    (void)state;
    skit_signing_key *a = jt_key("RS256", "ka"), *b = jt_key("RS256", "kb");
    skit_signing_key *sa[] = {a, NULL}, *sab[] = {a, b, NULL}, *sb[] = {b, NULL};
    char *jwks[3] = {jt_jwks_json(sa), jt_jwks_json(sab), jt_jwks_json(sb)};
    mock_http *m = mock_http_start();
    mock_response r = {.status = 200, .body = jwks[0]};
    mock_http_set_default(m, "/keys", &r);
    scalekit_client_options o = { .struct_size = sizeof(scalekit_client_options), .jwks_ttl_seconds = 1, .jwks_min_refetch_interval_ms = 20,
                                 .verified_token_cache_entries = 8, .max_retries = -1};
    shared s = {.client = jt_client(mock_http_url(m), &o)};
    for (int i = 0; i < TOKENS; i++) {
        char extra[32];
        snprintf(extra, sizeof extra, "{\"i\":%d}", i);
        s.tokens_a[i] = jt_token(a, extra);
        s.tokens_b[i] = jt_token(b, extra);
    }
    worker w[THREADS];
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (worker){.s = &s, .id = i + 1};
        assert_int_equal(pthread_create(&th[i], NULL, run, &w[i]), 0);
    }
    /* a -> a+b -> b -> a+b -> a, each for a while */
    int order[] = {1, 2, 1, 0, 1};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        skit_sleep_ms(250);
        r.body = jwks[order[k]];
        mock_http_set_default(m, "/keys", &r);
    }
    skit_sleep_ms(250);
    __atomic_store_n(&s.stop, 1, __ATOMIC_RELEASE);
    long ok = 0, unknown = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        if (w[i].other)
            fprintf(stderr, "thread %d: %ld unexpected results (last %d)\n", i, w[i].other, w[i].other_code);
        assert_int_equal(w[i].other, 0);
        ok += w[i].ok;
        unknown += w[i].unknown_key;
    }
    fprintf(stderr, "validations: %ld ok, %ld unknown key, generation %llu, fetches %zu\n", ok,
            unknown, (unsigned long long)skit_jose_jwks_generation(s.client),
            mock_http_count(m, "/keys"));
    assert_true(ok > 0);
    assert_true(unknown > 0);   /* the b tokens before kb was published at least */
    assert_true(skit_jose_jwks_generation(s.client) >= 2);
    for (int i = 0; i < TOKENS; i++) {
        free(s.tokens_a[i]);
        free(s.tokens_b[i]);
    }
    scalekit_client_free(s.client);
    mock_http_stop(m);
    for (int i = 0; i < 3; i++)
        free(jwks[i]);
    skit_signing_key_free(a);
    skit_signing_key_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validation_during_rotation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
