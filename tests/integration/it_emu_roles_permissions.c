/*
 * Permissions over raw HTTP: create, get, update (PUT), delete by name; the
 * name rule (1 to 64 letters, digits, '_' and ':'), 404, 409 on a taken name;
 * paging with page tokens forward and back, and the type filter; a deleted
 * permission leaves the roles that held it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "emu_fixture.h"
#include "raw_api.h"
#include "core/core.h"

static void permission_crud(void **state)
{
    emu_raw_fixture *s = *state;
    char name[64], body[160];
    const char *n = raw_unique_name(name, sizeof name, "read:documents");
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"description\":\"Reads\"}", n);
    json_t *made = raw_api_expect(s, 201, "POST", body, "/api/v1/permissions");
    json_t *p = json_object_get(made, "permission");
    assert_true(strncmp(skit_json_string(p, "id"), "perm_", 5) == 0);
    assert_string_equal(skit_json_string(p, "name"), n);
    assert_string_equal(skit_json_string(p, "description"), "Reads");
    assert_false(json_is_true(json_object_get(p, "is_scalekit_permission")));
    assert_non_null(skit_json_string(p, "create_time"));

    json_t *got = raw_api_expect(s, 200, "GET", NULL, "/api/v1/permissions/%s", n);
    assert_string_equal(skit_json_string(json_object_get(got, "permission"), "id"), skit_json_string(p, "id"));
    json_decref(got);
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"description\":\"Reads them all\"}", n);
    json_t *upd = raw_api_expect(s, 200, "PUT", body, "/api/v1/permissions/%s", n);
    assert_string_equal(skit_json_string(json_object_get(upd, "permission"), "description"), "Reads them all");
    assert_string_equal(skit_json_string(json_object_get(upd, "permission"), "id"), skit_json_string(p, "id"));
    json_decref(upd);

    snprintf(body, sizeof body, "{\"name\":\"%s\"}", n);
    json_t *taken = raw_api_expect(s, 409, "POST", body, "/api/v1/permissions");
    raw_assert_error(taken, "ALREADY_EXISTS", n);
    json_decref(taken);

    json_decref(raw_api_expect(s, 200, "DELETE", NULL, "/api/v1/permissions/%s", n));
    json_t *gone = raw_api_expect(s, 404, "GET", NULL, "/api/v1/permissions/%s", n);
    char why[128];
    snprintf(why, sizeof why, "permission %s not found", n);
    raw_assert_error(gone, "NOT_FOUND", why);
    json_decref(gone);
    json_decref(raw_api_expect(s, 404, "PUT", "{\"description\":\"x\"}", "/api/v1/permissions/%s", n));
    json_decref(raw_api_expect(s, 404, "DELETE", NULL, "/api/v1/permissions/%s", n));
    json_decref(made);
}

static void permission_rules(void **state)
{
    emu_raw_fixture *s = *state;
    const char *bad[] = {"{}", "{\"name\":\"\"}", "{\"name\":\"has space\"}", "{\"name\":\"dash-ed\"}",
                         "{\"name\":\"dot.ted\"}", "{\"name\":5}",
                         "{\"name\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *reply = raw_api_expect(s, 400, "POST", bad[i], "/api/v1/permissions");
        raw_assert_violation(reply, "name");
        json_decref(reply);
    }
    char longest[80];   /* 64 characters: the longest name, unique to the run */
    size_t len = strlen(raw_unique_name(longest, sizeof longest, "longest"));
    memset(longest + len, 'a', 64 - len);
    longest[64] = '\0';
    char body[2200], text[2100];
    snprintf(body, sizeof body, "{\"name\":\"%s\"}", longest);
    json_decref(raw_api_expect(s, 201, "POST", body, "/api/v1/permissions"));
    memset(text, 'x', 2001);
    text[2001] = '\0';
    snprintf(body, sizeof body, "{\"name\":\"wordy\",\"description\":\"%s\"}", text);
    json_t *reply = raw_api_expect(s, 400, "POST", body, "/api/v1/permissions");
    raw_assert_violation(reply, "description");
    json_decref(reply);
    reply = raw_api_expect(s, 400, "PUT", "{\"description\":7}", "/api/v1/permissions/%s", longest);
    raw_assert_violation(reply, "description");
    json_decref(reply);
    reply = raw_api_expect(s, 400, "GET", NULL, "/api/v1/permissions?page_token=garbage");
    raw_assert_violation(reply, "page_token");
    json_decref(reply);
}

static void paging(void **state)
{
    emu_raw_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "a fresh environment (the page counts)");
    for (int i = 0; i < 7; i++) {
        char body[64];
        snprintf(body, sizeof body, "{\"name\":\"p:%d\"}", i);
        json_decref(raw_api_expect(s, 201, "POST", body, "/api/v1/permissions"));
    }
    json_t *first = raw_api_expect(s, 200, "GET", NULL, "/api/v1/permissions?page_size=3");
    assert_string_equal(raw_names(json_object_get(first, "permissions")), "p:0 p:1 p:2");
    assert_int_equal(json_integer_value(json_object_get(first, "total_size")), 7);
    assert_string_equal(skit_json_string(first, "prev_page_token"), "");
    json_t *second = raw_api_expect(s, 200, "GET", NULL, "/api/v1/permissions?page_size=3&page_token=%s",
                                    skit_json_string(first, "next_page_token"));
    assert_string_equal(raw_names(json_object_get(second, "permissions")), "p:3 p:4 p:5");
    json_t *third = raw_api_expect(s, 200, "GET", NULL, "/api/v1/permissions?page_size=3&page_token=%s",
                                   skit_json_string(second, "next_page_token"));
    assert_string_equal(raw_names(json_object_get(third, "permissions")), "p:6");
    assert_string_equal(skit_json_string(third, "next_page_token"), "");
    json_t *back = raw_api_expect(s, 200, "GET", NULL, "/api/v1/permissions?page_size=3&page_token=%s",
                                  skit_json_string(second, "prev_page_token"));
    assert_string_equal(raw_names(json_object_get(back, "permissions")), "p:0 p:1 p:2");
    json_t *mine = raw_api_expect(s, 200, "GET", NULL, "/api/v1/permissions?type=ENVIRONMENT&page_size=100");
    assert_int_equal(json_array_size(json_object_get(mine, "permissions")), 7);
    json_t *every = raw_api_expect(s, 200, "GET", NULL, "/api/v1/permissions?type=ALL&page_size=100");
    assert_int_equal(json_array_size(json_object_get(every, "permissions")), 7);
    json_decref(every);
    json_t *theirs = raw_api_expect(s, 200, "GET", NULL, "/api/v1/permissions?type=SCALEKIT");
    assert_int_equal(json_array_size(json_object_get(theirs, "permissions")), 0);
    json_t *big = raw_api_expect(s, 400, "GET", NULL, "/api/v1/permissions?page_size=101");
    raw_assert_violation(big, "page_size");
    json_decref(big);
    json_decref(first);
    json_decref(second);
    json_decref(third);
    json_decref(back);
    json_decref(mine);
    json_decref(theirs);
}

static void a_deleted_permission_leaves_its_roles(void **state)
{
    emu_raw_fixture *s = *state;
    char tag[48], keep[64], drop[64], body[256];
    raw_unique_name(tag, sizeof tag, "holder");
    snprintf(keep, sizeof keep, "%s:keep", tag);
    snprintf(drop, sizeof drop, "%s:drop", tag);
    snprintf(body, sizeof body, "{\"name\":\"%s\"}", keep);
    json_decref(raw_api_expect(s, 201, "POST", body, "/api/v1/permissions"));
    snprintf(body, sizeof body, "{\"name\":\"%s\"}", drop);
    json_decref(raw_api_expect(s, 201, "POST", body, "/api/v1/permissions"));
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"permissions\":[\"%s\",\"%s\"]}", tag, keep, drop);
    json_decref(raw_api_expect(s, 201, "POST", body, "/api/v1/roles"));
    json_decref(raw_api_expect(s, 200, "DELETE", NULL, "/api/v1/permissions/%s", drop));
    json_t *own = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles/%s/permissions", tag);
    assert_string_equal(raw_names(json_object_get(own, "permissions")), keep);
    json_decref(own);
    /* Made again, it is a new permission the role does not hold. */
    snprintf(body, sizeof body, "{\"name\":\"%s\"}", drop);
    json_decref(raw_api_expect(s, 201, "POST", body, "/api/v1/permissions"));
    own = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles/%s/permissions", tag);
    assert_string_equal(raw_names(json_object_get(own, "permissions")), keep);
    json_decref(own);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(permission_crud, emu_raw_fixture_setup_env, emu_raw_fixture_teardown),
        cmocka_unit_test_setup_teardown(permission_rules, emu_raw_fixture_setup_env, emu_raw_fixture_teardown),
        cmocka_unit_test_setup_teardown(paging, emu_raw_fixture_setup_env, emu_raw_fixture_teardown),
        cmocka_unit_test_setup_teardown(a_deleted_permission_leaves_its_roles, emu_raw_fixture_setup_env,
                                        emu_raw_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
