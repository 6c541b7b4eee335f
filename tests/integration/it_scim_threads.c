/*
 * SCIM writes racing on one directory (identity providers send in parallel):
 * one userName claimed by many clients at once in different cases gives one
 * 201 and 409 uniqueness to the rest; concurrent member additions all land;
 * concurrent patches under one If-Match give one 200 and 412 to the rest, and
 * exactly one event per successful write. Runs under ThreadSanitizer too.
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

#include "emu_fixture.h"
#include "emu_testhttp.h"
#include "hook_fixture.h"
#include "scim_kit.h"

#define THREADS 8

typedef struct job {
    const scim_kit *k;
    const char *method;
    char path[160];
    char body[512];
    const char *if_match;
    long status;
    char id[64];
} job;

static void *run(void *arg)
{
    job *j = arg;
    char if_match[64];
    const char *headers[3] = {"Content-Type: application/scim+json", NULL, NULL};
    if (j->if_match) {
        snprintf(if_match, sizeof if_match, "If-Match: %s", j->if_match);
        headers[1] = if_match;
    }
    emu_http_response resp;
    j->status = scim_kit_call_as(j->k, j->k->secret, headers, j->method, j->path, j->body, &resp);
    json_t *body = emu_http_json(&resp);
    const char *id = json_string_value(json_object_get(body, "id"));
    snprintf(j->id, sizeof j->id, "%s", id ? id : "");
    json_decref(body);
    emu_http_response_free(&resp);
    return NULL;
}

static void run_all(job *jobs)
{
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, run, &jobs[i]), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
}

static int count(const job *jobs, long status)
{
    int n = 0;
    for (int i = 0; i < THREADS; i++)
        n += jobs[i].status == status;
    return n;
}

static void racing_writes(void **state)
{
    hook_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "directories made in the emulator's store");
    scim_kit k;
    scim_kit_start(&k, s->f, "Race Inc");
    hook_fixture_wait(s, 1);
    hook_fixture_reset(s);

    job jobs[THREADS];
    memset(jobs, 0, sizeof jobs);
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (job){.k = &k, .method = "POST"};
        snprintf(jobs[i].path, sizeof jobs[i].path, "/Users");
        snprintf(jobs[i].body, sizeof jobs[i].body, "{\"userName\":\"%s@race.example\"}", i % 2 ? "RACE" : "race");
    }
    run_all(jobs);
    assert_int_equal(count(jobs, 201), 1);
    assert_int_equal(count(jobs, 409), THREADS - 1);

    /* Each thread makes its own user, then adds it to one group. */
    char *group = scim_kit_create(&k, "/Groups", "{\"displayName\":\"Racers\"}");
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (job){.k = &k, .method = "POST"};
        snprintf(jobs[i].path, sizeof jobs[i].path, "/Users");
        snprintf(jobs[i].body, sizeof jobs[i].body, "{\"userName\":\"racer%d@race.example\"}", i);
    }
    run_all(jobs);
    assert_int_equal(count(jobs, 201), THREADS);
    char ids[THREADS][64];
    for (int i = 0; i < THREADS; i++) {
        snprintf(ids[i], sizeof ids[i], "%s", jobs[i].id);
        jobs[i] = (job){.k = &k, .method = "PATCH"};
        snprintf(jobs[i].path, sizeof jobs[i].path, "/Groups/%s", group);
        snprintf(jobs[i].body, sizeof jobs[i].body,
                 "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"add\","
                 "\"path\":\"members\",\"value\":[{\"value\":\"%.63s\"}]}]}", ids[i]);
    }
    run_all(jobs);
    assert_int_equal(count(jobs, 200), THREADS);
    json_t *g = NULL;
    char path[160];
    snprintf(path, sizeof path, "/Groups/%s", group);
    assert_int_equal(scim_kit_call(&k, "GET", path, NULL, &g), 200);
    assert_int_equal(json_array_size(json_object_get(g, "members")), THREADS);
    char version[16];
    snprintf(version, sizeof version, "W/\"%d\"", THREADS + 1);
    assert_string_equal(json_string_value(json_object_get(json_object_get(g, "meta"), "version")), version);
    json_decref(g);

    /* One If-Match, many writers: the first wins, the others see 412. */
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (job){.k = &k, .method = "PATCH", .if_match = "W/\"1\""};
        snprintf(jobs[i].path, sizeof jobs[i].path, "/Users/%s", ids[0]);
        snprintf(jobs[i].body, sizeof jobs[i].body,
                 "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"replace\","
                 "\"path\":\"displayName\",\"value\":\"Writer %d\"}]}", i);
    }
    run_all(jobs);
    assert_int_equal(count(jobs, 200), 1);
    assert_int_equal(count(jobs, 412), THREADS - 1);

    /* Events: 1 + 8 user_created, 1 group_created, 8 group_updated, 1 user_updated. */
    size_t n = 1 + THREADS + 1 + THREADS + 1;
    hook_fixture_wait(s, n);
    size_t created = 0, updated = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *ev = hook_fixture_event(s, i);
        const char *type = json_string_value(json_object_get(ev, "type"));
        created += strcmp(type, "organization.directory.user_created") == 0;
        updated += strcmp(type, "organization.directory.group_updated") == 0;
        json_decref(ev);
    }
    assert_int_equal(created, 1 + THREADS);
    assert_int_equal(updated, THREADS);
    free(group);
    scim_kit_stop(&k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(racing_writes),
    };
    return cmocka_run_group_tests(tests, hook_fixture_setup, hook_fixture_teardown);
}
