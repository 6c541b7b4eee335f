/*
 * One organization's webhook events arrive in the order their writes
 * committed: a create, updates from several threads at once, a delete, and a
 * receiver that refuses one delivery in the middle (the retry must not be
 * overtaken). Evidence of the commit order that does not come from the
 * emulator: each thread sends its next update only after the previous one was
 * answered, so its own values must arrive in the order it wrote them; the last
 * update to arrive is the value a GET reads after all threads are done.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/core.h"
#include "emu_testhttp.h"
#include "mock_http.h"

#define HOOK "/hooks"
#define THREADS 4
#define UPDATES 5
#define N_EVENTS (1 + THREADS * UPDATES + 1)

typedef struct order_state {
    scalekit_emulator *emu;
    char *token;
    char path[128];
} order_state;

typedef struct writer {
    order_state *s;
    int k;
    int failures;
} writer;

static long api(const order_state *s, const char *method, const char *path, const char *body, json_t **out)
{
    char url[512], auth[4200];
    snprintf(url, sizeof url, "%s%s", scalekit_emulator_url(s->emu), path);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", s->token);
    const char *headers[] = {auth, "Content-Type: application/json", NULL};
    emu_http_response r;
    emu_http(method, url, headers, body, &r);
    if (out)
        *out = emu_http_json(&r);
    long status = r.status;
    emu_http_response_free(&r);
    return status;
}

static void *write_updates(void *arg)
{
    writer *w = arg;
    for (int i = 0; i < UPDATES; i++) {
        char body[64];
        snprintf(body, sizeof body, "{\"display_name\":\"t%d-%d\"}", w->k, i);
        if (api(w->s, "PATCH", w->s->path, body, NULL) != 200)
            w->failures++;
    }
    return NULL;
}

static void events_arrive_in_commit_order(void **state)
{
    mock_http *m = mock_http_start();
    mock_response ok = {.status = 200, .body = "{}"};
    mock_http_set_default(m, HOOK, &ok);
    mock_http_enqueue(m, "POST", HOOK, 200, "{}");
    mock_http_enqueue(m, "POST", HOOK, 200, "{}");
    mock_http_enqueue(m, "POST", HOOK, 503, "{}");   /* the third delivery is refused once */
    char hook_url[300];
    snprintf(hook_url, sizeof hook_url, "%s%s", mock_http_url(m), HOOK);
    scalekit_emulator_options o = {.quiet = 1, .webhook_url = hook_url};
    order_state s = {0};
    assert_int_equal(scalekit_emulator_start(&o, &s.emu), 0);
    s.token = emu_test_client_token(s.emu);
    assert_non_null(s.token);

    json_t *reply = NULL;
    assert_int_equal(api(&s, "POST", "/api/v1/organizations", "{\"display_name\":\"Ordered\"}", &reply), 201);
    char org_id[64];
    snprintf(org_id, sizeof org_id, "%s",
             json_string_value(json_object_get(json_object_get(reply, "organization"), "id")));
    snprintf(s.path, sizeof s.path, "/api/v1/organizations/%s", org_id);
    json_decref(reply);

    pthread_t threads[THREADS];
    writer writers[THREADS];
    for (int k = 0; k < THREADS; k++) {
        writers[k] = (writer){&s, k, 0};
        assert_int_equal(pthread_create(&threads[k], NULL, write_updates, &writers[k]), 0);
    }
    for (int k = 0; k < THREADS; k++) {
        pthread_join(threads[k], NULL);
        assert_int_equal(writers[k].failures, 0);
    }
    assert_int_equal(api(&s, "GET", s.path, NULL, &reply), 200);
    char last_name[64];
    snprintf(last_name, sizeof last_name, "%s",
             json_string_value(json_object_get(json_object_get(reply, "organization"), "display_name")));
    json_decref(reply);
    assert_int_equal(api(&s, "DELETE", s.path, NULL, NULL), 200);

    /* Every event once, plus the refused attempt of the third. */
    for (int i = 0; i < 2000 && mock_http_count(m, HOOK) < N_EVENTS + 1; i++)
        skit_sleep_ms(10);
    assert_int_equal(mock_http_count(m, HOOK), N_EVENTS + 1);
    /* The refused delivery was retried before any later event went out. */
    assert_string_equal(mock_request_header(mock_http_request_for(m, HOOK, 2), "webhook-id"),
                        mock_request_header(mock_http_request_for(m, HOOK, 3), "webhook-id"));

    int next_of[THREADS] = {0};
    const char *last_update = NULL;
    json_t *events = json_array();
    for (size_t i = 0; i <= N_EVENTS; i++) {
        if (i == 2)
            continue;   /* the refused attempt; its retry is delivery 3 */
        const mock_request *r = mock_http_request_for(m, HOOK, i);
        json_t *event = json_loadb(r->body, r->body_len, 0, NULL);
        assert_non_null(event);
        json_array_append_new(events, event);
    }
    assert_int_equal(json_array_size(events), N_EVENTS);
    for (size_t i = 0; i < N_EVENTS; i++) {
        json_t *event = json_array_get(events, i);
        const char *type = json_string_value(json_object_get(event, "type"));
        const char *name = json_string_value(json_object_get(json_object_get(event, "data"), "display_name"));
        assert_string_equal(json_string_value(json_object_get(event, "organization_id")), org_id);
        if (i == 0) {
            assert_string_equal(type, "organization.created");
        } else if (i == N_EVENTS - 1) {
            assert_string_equal(type, "organization.deleted");
            assert_string_equal(name, last_name);
        } else {
            assert_string_equal(type, "organization.updated");
            int k = -1, n = -1;
            assert_int_equal(sscanf(name, "t%d-%d", &k, &n), 2);
            assert_true(k >= 0 && k < THREADS);
            /* A thread's own writes, each sent after the previous one committed, in its order. */
            if (n != next_of[k])
                fail_msg("event %zu carries %s, expected t%d-%d", i, name, k, next_of[k]);
            next_of[k]++;
            last_update = name;
        }
    }
    assert_non_null(last_update);
    assert_string_equal(last_update, last_name);
    json_decref(events);
    free(s.token);
    scalekit_emulator_stop(s.emu);
    mock_http_stop(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(events_arrive_in_commit_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
