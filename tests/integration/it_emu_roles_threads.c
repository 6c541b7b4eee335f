/*
 * Roles under concurrent writers: eight threads creating the same role name
 * get exactly one 201 and seven 409s; eight threads each making a role that
 * extends the previous one's base, and each adding permissions to one role,
 * leave a consistent store (every permission attached once, no cycle). Runs
 * under ThreadSanitizer too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "emu_fixture.h"
#include "raw_api.h"
#include "core/core.h"

#define THREADS 8

typedef struct worker {
    emu_raw_fixture *s;
    int n;
    long status;
} worker;

static void *create_same(void *arg)
{
    worker *w = arg;
    w->status = raw_api(w->s, "POST", "{\"name\":\"contended\"}", NULL, "/api/v1/roles");
    return NULL;
}

/* Role r<n> with permission t:<n>, then t:<n> also onto the shared role. */
static void *attach(void *arg)
{
    worker *w = arg;
    char body[128];
    snprintf(body, sizeof body, "{\"name\":\"t:%d\"}", w->n);
    long a = raw_api(w->s, "POST", body, NULL, "/api/v1/permissions");
    snprintf(body, sizeof body, "{\"name\":\"r%d\",\"extends\":\"shared\",\"permissions\":[\"t:%d\"]}", w->n, w->n);
    long b = raw_api(w->s, "POST", body, NULL, "/api/v1/roles");
    snprintf(body, sizeof body, "{\"permission_names\":[\"t:%d\"]}", w->n);
    long c = raw_api(w->s, "POST", body, NULL, "/api/v1/roles/shared/permissions");
    w->status = a == 201 && b == 201 && c == 200 ? 200 : a * 1000000 + b * 1000 + c;
    return NULL;
}

static void run(emu_raw_fixture *s, void *(*fn)(void *), worker *w)
{
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (worker){.s = s, .n = i};
        assert_int_equal(pthread_create(&t[i], NULL, fn, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
}

static void one_name_one_role(void **state)
{
    emu_raw_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "a fresh environment (fixed role names)");
    worker w[THREADS];
    run(s, create_same, w);
    int created = 0, taken = 0;
    for (int i = 0; i < THREADS; i++) {
        created += w[i].status == 201;
        taken += w[i].status == 409;
    }
    assert_int_equal(created, 1);
    assert_int_equal(taken, THREADS - 1);
}

static void concurrent_attachments(void **state)
{
    emu_raw_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "a fresh environment (fixed role names)");
    json_decref(raw_api_expect(s, 201, "POST", "{\"name\":\"shared\"}", "/api/v1/roles"));
    worker w[THREADS];
    run(s, attach, w);
    for (int i = 0; i < THREADS; i++)
        if (w[i].status != 200)
            fail_msg("worker %d: statuses %ld", i, w[i].status);
    json_t *own = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles/shared/permissions");
    assert_int_equal(json_array_size(json_object_get(own, "permissions")), THREADS);
    json_decref(own);
    json_t *shared = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles/shared");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(shared, "role"), "dependent_roles_count")),
                     THREADS);
    json_decref(shared);
    for (int i = 0; i < THREADS; i++) {
        json_t *all = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles/r%d/permissions:all", i);
        /* Its own first; then the shared role's, without repeating its own. */
        json_t *perms = json_object_get(all, "permissions");
        assert_int_equal(json_array_size(perms), THREADS);
        char mine[16];
        snprintf(mine, sizeof mine, "t:%d", i);
        assert_string_equal(skit_json_string(json_array_get(perms, 0), "name"), mine);
        json_decref(all);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(one_name_one_role, emu_raw_fixture_setup_env, emu_raw_fixture_teardown),
        cmocka_unit_test_setup_teardown(concurrent_attachments, emu_raw_fixture_setup_env, emu_raw_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
