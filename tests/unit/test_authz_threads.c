/* The authorization checks from many threads at once (run under ThreadSanitizer
 * too): one claims object whose index every thread races to build, and the
 * one-call validation with required permissions on one cached token. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "jose_testkit.h"
#include "scalekit/authz.h"

#define THREADS 8
#define ROUNDS 2000

typedef struct shared {
    scalekit_client *client;
    const char *token;
    const scalekit_claims *claims;
    int wrong[THREADS];
} shared;

typedef struct worker {
    shared *s;
    int id;
} worker;

static void *check(void *arg)
{
    worker *w = arg;
    const char *granted[] = { "read:content", "users:read", NULL };
    const char *refused[] = { "read:content", "Users:read", NULL };
    scalekit_validate_options o = SCALEKIT_VALIDATE_OPTIONS_INIT;
    o.required_permissions = granted;
    for (int i = 0; i < ROUNDS; i++) {
        w->s->wrong[w->id] += !scalekit_claims_has_role(w->s->claims, "admin");
        w->s->wrong[w->id] += scalekit_claims_has_role(w->s->claims, "owner");
        w->s->wrong[w->id] += !scalekit_claims_has_all_permissions(w->s->claims, granted);
        w->s->wrong[w->id] += scalekit_claims_has_all_permissions(w->s->claims, refused);
        if (i % 100 == 0)
            w->s->wrong[w->id] += scalekit_validate_token(w->s->client, w->s->token, &o, NULL) != SCALEKIT_OK;
    }
    return NULL;
}

static void many_threads_one_claims_object(void **state)
{
    (void)state;
    skit_signing_key *key = jt_key("RS256", "k1");
    skit_signing_key *keys[] = { key, NULL };
    shared s = { 0 };
    s.client = jt_client_with_keys(keys, NULL);
    char *t = jt_token(key, "{\"roles\":[\"member\",\"admin\"],\"permissions\":[\"users:read\",\"read:content\"]}");
    s.token = t;
    scalekit_claims *c = NULL;
    assert_int_equal(scalekit_validate_token(s.client, t, NULL, &c), SCALEKIT_OK);
    s.claims = c;
    pthread_t th[THREADS];
    worker w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (worker){ &s, i };
        assert_int_equal(pthread_create(&th[i], NULL, check, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(s.wrong[i], 0);
    }
    scalekit_claims_free(c);
    free(t);
    scalekit_client_free(s.client);
    skit_signing_key_free(key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(many_threads_one_claims_object),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
