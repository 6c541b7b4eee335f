/* One client shared by 8 threads: the API token is fetched once although all start cold. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/client_internal.h"
#include "mock_http.h"

#define THREADS 8
#define CALLS 5
#define API "/api/v1/things"

typedef struct worker {
    scalekit_client *client;
    pthread_barrier_t *start;
    int failures;
    int first_rc;
    long http_status;
    char error_code[64];
} worker;

static void *run_calls(void *p)
{
    worker *w = p;
    pthread_barrier_wait(w->start);
    for (int i = 0; i < CALLS; i++) {
        int rc = skit_api_call(w->client, "GET", API, NULL, NULL, NULL);
        if (i == 0) {
            w->first_rc = rc;
            const scalekit_error *e = scalekit_error_last();
            w->http_status = e->http_status;
            if (e->error_code)
                strncpy(w->error_code, e->error_code, sizeof w->error_code - 1);
        }
        if (rc)
            w->failures++;
    }
    return NULL;
}

static void run_workers(scalekit_client *client, worker *workers)
{
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, THREADS);
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++) {
        workers[i] = (worker){.client = client, .start = &start};
        assert_int_equal(pthread_create(&threads[i], NULL, run_calls, &workers[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&start);
}

static void test_cold_start_single_token_fetch(void **state)
{
    (void)state;
    mock_http *m = mock_http_start();
    /* a slow token answer keeps the first fetch in flight while every thread misses */
    mock_http_set_token(m, "shared", 3600, 1500);
    mock_response ok = {.status = 200, .body = "{\"ok\":true}"};
    mock_http_set_default(m, API, &ok);
    scalekit_client *client = NULL;
    assert_int_equal(scalekit_client_new(&client, mock_http_url(m), "id", "secret"), 0);

    worker workers[THREADS];
    run_workers(client, workers);
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(workers[i].first_rc, SCALEKIT_OK);
        assert_int_equal(workers[i].failures, 0);
    }
    assert_int_equal(mock_http_count(m, "/oauth/token"), 1);
    assert_int_equal(mock_http_count(m, API), THREADS * CALLS);
    for (size_t i = 0; i < THREADS * CALLS; i++)
        assert_string_equal(mock_request_header(mock_http_request_for(m, API, i),
                                                "authorization"), "Bearer shared-1");
    scalekit_client_free(client);
    mock_http_stop(m);
}

static void test_waiters_share_the_fetch_error(void **state)
{
    (void)state;
    mock_http *m = mock_http_start();
    /* The secret is always refused, slowly: every call fails, and the threads that
     * waited on a fetch get that fetch's error, details included, on their own thread. */
    mock_response refused = {
        .status = 401, .delay_ms = 300,
        .body = "{\"error\":\"invalid_client\",\"error_description\":\"bad secret\"}"};
    mock_http_set_default(m, "/oauth/token", &refused);
    scalekit_client *client = NULL;
    scalekit_client_options o = { .struct_size = sizeof(scalekit_client_options), .max_retries = -1};
    assert_int_equal(scalekit_client_new_with_options(&client, mock_http_url(m), "id", "bad", &o),
                     0);

    worker workers[THREADS];
    run_workers(client, workers);
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(workers[i].first_rc, SCALEKIT_EUNAUTHENTICATED);
        assert_int_equal(workers[i].http_status, 401);
        assert_string_equal(workers[i].error_code, "invalid_client");
        assert_int_equal(workers[i].failures, CALLS);
    }
    assert_int_equal(mock_http_count(m, API), 0);
    /* 40 calls, but fetches are shared: far fewer than one per call */
    size_t fetches = mock_http_count(m, "/oauth/token");
    assert_true(fetches >= CALLS);
    assert_true(fetches < THREADS * CALLS / 2);
    scalekit_client_free(client);
    mock_http_stop(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cold_start_single_token_fetch),
        cmocka_unit_test(test_waiters_share_the_fetch_error),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    scalekit_error_clear();
    return rc;
}
