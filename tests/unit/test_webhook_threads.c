/* Webhook verification from many threads at once (per-thread MAC state); runs under TSan too. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "scalekit/scalekit.h"

#define THREADS 8
#define ROUNDS 300
#define PAYLOAD "{\"type\":\"user.created\"}"

static const char *const secrets[2] = {
    "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "whsec_b3RoZXIta2V5LWZvci10ZXN0cw==",
};

typedef struct job {
    int index;
    int failures;
} job;

static void *worker(void *arg)
{
    job *j = arg;
    char id[32], ts[32];
    snprintf(id, sizeof id, "msg_%d", j->index);
    int64_t now = (int64_t)time(NULL);
    snprintf(ts, sizeof ts, "%lld", (long long)now);
    for (int r = 0; r < ROUNDS; r++) {
        const char *secret = secrets[(j->index + r) % 2];
        char *sig = NULL;
        if (scalekit_sign_webhook_payload(secret, id, now, PAYLOAD, strlen(PAYLOAD), &sig) != SCALEKIT_OK) {
            j->failures++;
            continue;
        }
        scalekit_header h[] = {{"webhook-id", id}, {"webhook-timestamp", ts}, {"webhook-signature", sig}};
        if (scalekit_verify_webhook_payload(NULL, secret, h, 3, PAYLOAD, strlen(PAYLOAD)) != SCALEKIT_OK)
            j->failures++;
        const char *other = secrets[(j->index + r + 1) % 2];
        if (scalekit_verify_webhook_payload(NULL, other, h, 3, PAYLOAD, strlen(PAYLOAD)) !=
            SCALEKIT_EWEBHOOK_SIGNATURE)
            j->failures++;
        scalekit_free(sig);
    }
    return NULL;
}

static void concurrent_verification(void **state)
{
    (void)state;
    pthread_t threads[THREADS];
    job jobs[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (job){.index = i};
        assert_int_equal(pthread_create(&threads[i], NULL, worker, &jobs[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
        assert_int_equal(jobs[i].failures, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(concurrent_verification),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
