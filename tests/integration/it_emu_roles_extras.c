/*
 * The role routes the OpenAPI file lacks (api/ROUTES.md), so they stay out of
 * the contract test: DELETE .../roles/{role_name}/base for environment and
 * organization roles, and an organization role's users:count; with what they
 * show elsewhere: a new membership gets the organization's default member
 * role, and deleting an organization role without reassignment takes it from
 * its members. And a data file from before roles opens with the environment's
 * seeded roles, seeded once: a deleted one stays deleted across restarts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "emu_fixture.h"
#include "emu_testhttp.h"
#include "raw_api.h"
#include "emu_users_kit.h"
#include "core/core.h"

/* From the emulator's internal resources.h (whose typedef `emu` would clash here). */
char *emu_user_ensure(scalekit_emulator *e, const char *email, const char *organization_id);

static void deleting_a_base(void **state)
{
    emu_raw_fixture *s = *state;
    char tag[48], body[192];
    raw_unique_name(tag, sizeof tag, "based");
    snprintf(body, sizeof body, "{\"name\":\"%s:perm\"}", tag);
    json_decref(raw_api_expect(s, 201, "POST", body, "/api/v1/permissions"));
    snprintf(body, sizeof body, "{\"name\":\"%s_lower\",\"permissions\":[\"%s:perm\"]}", tag, tag);
    json_decref(raw_api_expect(s, 201, "POST", body, "/api/v1/roles"));
    snprintf(body, sizeof body, "{\"name\":\"%s_upper\",\"extends\":\"%s_lower\"}", tag, tag);
    json_decref(raw_api_expect(s, 201, "POST", body, "/api/v1/roles"));
    json_t *all = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles/%s_upper/permissions:all", tag);
    assert_int_equal(json_array_size(json_object_get(all, "permissions")), 1);
    json_decref(all);

    json_decref(raw_api_expect(s, 200, "DELETE", NULL, "/api/v1/roles/%s_upper/base", tag));
    json_t *upper = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles/%s_upper", tag);
    assert_null(json_object_get(json_object_get(upper, "role"), "extends"));
    json_decref(upper);
    all = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles/%s_upper/permissions:all", tag);
    assert_int_equal(json_array_size(json_object_get(all, "permissions")), 0);
    json_decref(all);
    json_t *lower = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles/%s_lower", tag);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(lower, "role"), "dependent_roles_count")), 0);
    json_decref(lower);
    /* Again: nothing to remove, still 200; an unknown role 404. */
    json_decref(raw_api_expect(s, 200, "DELETE", NULL, "/api/v1/roles/%s_upper/base", tag));
    json_t *missing = raw_api_expect(s, 404, "DELETE", NULL, "/api/v1/roles/nobody/base");
    raw_assert_error(missing, "NOT_FOUND", "nobody");
    json_decref(missing);
}

static void organization_members_and_roles(void **state)
{
    emu_raw_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "members made in-process");
    json_t *org = raw_api_expect(s, 201, "POST", "{\"display_name\":\"Members\"}", "/api/v1/organizations");
    const char *org_id = skit_json_string(json_object_get(org, "organization"), "id");
    json_decref(raw_api_expect(s, 201, "POST", "{\"name\":\"clerk\"}", "/api/v1/organizations/%s/roles", org_id));
    json_decref(raw_api_expect(s, 201, "POST", "{\"name\":\"senior_clerk\",\"extends\":\"clerk\"}",
                               "/api/v1/organizations/%s/roles", org_id));
    json_decref(raw_api_expect(s, 200, "PATCH", "{\"default_member_role\":\"senior_clerk\"}",
                               "/api/v1/organizations/%s/roles:set_defaults", org_id));

    /* New members get senior_clerk; those who joined before keep what they had. */
    free(emu_user_ensure(s->f->emu, "one@members.example", org_id));
    free(emu_user_ensure(s->f->emu, "two@members.example", org_id));
    json_t *count = raw_api_expect(s, 200, "GET", NULL, "/api/v1/organizations/%s/roles/senior_clerk/users:count",
                                   org_id);
    assert_string_equal(skit_json_string(count, "count"), "2");
    json_decref(count);
    count = raw_api_expect(s, 200, "GET", NULL, "/api/v1/organizations/%s/roles/clerk/users:count", org_id);
    assert_string_equal(skit_json_string(count, "count"), "0");
    json_decref(count);
    json_decref(raw_api_expect(s, 404, "GET", NULL, "/api/v1/organizations/%s/roles/ghost/users:count", org_id));
    json_decref(raw_api_expect(s, 404, "GET", NULL, "/api/v1/organizations/org_none/roles/clerk/users:count"));

    json_decref(raw_api_expect(s, 200, "DELETE", NULL, "/api/v1/organizations/%s/roles/senior_clerk/base", org_id));
    json_t *senior = raw_api_expect(s, 200, "GET", NULL, "/api/v1/organizations/%s/roles/senior_clerk", org_id);
    assert_null(json_object_get(json_object_get(senior, "role"), "extends"));
    json_decref(senior);
    json_decref(raw_api_expect(s, 404, "DELETE", NULL, "/api/v1/organizations/%s/roles/ghost/base", org_id));

    /* Reassigned on delete: the members now hold clerk. */
    json_decref(raw_api_expect(s, 200, "PATCH", "{\"default_member_role\":\"member\"}",
                               "/api/v1/organizations/%s/roles:set_defaults", org_id));
    json_decref(raw_api_expect(s, 200, "DELETE", NULL,
                               "/api/v1/organizations/%s/roles/senior_clerk?reassign_role_name=clerk", org_id));
    count = raw_api_expect(s, 200, "GET", NULL, "/api/v1/organizations/%s/roles/clerk/users:count", org_id);
    assert_string_equal(skit_json_string(count, "count"), "2");
    json_decref(count);
    /* Without reassignment, an organization role simply leaves its members. */
    json_decref(raw_api_expect(s, 200, "DELETE", NULL, "/api/v1/organizations/%s/roles/clerk", org_id));
    json_decref(raw_api_expect(s, 201, "POST", "{\"name\":\"clerk\"}", "/api/v1/organizations/%s/roles", org_id));
    count = raw_api_expect(s, 200, "GET", NULL, "/api/v1/organizations/%s/roles/clerk/users:count", org_id);
    assert_string_equal(skit_json_string(count, "count"), "0");
    json_decref(count);
    /* A new member now gets the environment's member role, the organization's default again. */
    free(emu_user_ensure(s->f->emu, "three@members.example", org_id));
    count = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles/member/users:count");
    assert_string_equal(skit_json_string(count, "count"), "1");
    json_decref(count);
    json_decref(org);
}

/* AssignUserRoles (not in the OpenAPI file) gives a member roles; ListUserPermissions
 * and the member's next token show their effective permissions. */
static void assigned_roles_reach_permissions_and_tokens(void **state)
{
    emu_raw_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "the emulator's hosted login");
    json_t *org = raw_api_expect(s, 201, "POST", "{\"display_name\":\"Assigned\"}", "/api/v1/organizations");
    const char *org_id = skit_json_string(json_object_get(org, "organization"), "id");
    json_decref(raw_api_expect(s, 201, "POST", "{\"name\":\"v:read\",\"description\":\"Views\"}", "/api/v1/permissions"));
    json_decref(raw_api_expect(s, 201, "POST", "{\"name\":\"o:write\"}", "/api/v1/permissions"));
    json_decref(raw_api_expect(s, 201, "POST", "{\"name\":\"viewer_x\",\"permissions\":[\"v:read\"]}",
                               "/api/v1/roles"));
    json_decref(raw_api_expect(s, 201, "POST", "{\"name\":\"org_editor\",\"extends\":\"viewer_x\","
                                                "\"permissions\":[\"o:write\"]}",
                               "/api/v1/organizations/%s/roles", org_id));
    json_t *tokens = ukit_sign_in(s, "assigned@example.com", org_id, "roles-test");
    assert_string_equal(raw_claim_names(tokens, "roles"), "member");
    assert_string_equal(raw_claim_names(tokens, "permissions"), "");
    json_t *payload = emu_test_jwt_payload(json_string_value(json_object_get(tokens, "access_token")));
    char *user_id = strdup(skit_json_string(payload, "sub"));
    json_decref(payload);

    json_decref(raw_api_expect(s, 200, "POST", "[{\"role_name\":\"org_editor\"}]",
                               "/api/v1/organizations/%s/users/%s/roles", org_id, user_id));
    json_t *perms = raw_api_expect(s, 200, "GET", NULL, "/api/v1/organizations/%s/users/%s/permissions", org_id,
                                   user_id);
    assert_string_equal(raw_names(json_object_get(perms, "permissions")), "o:write v:read");
    assert_string_equal(skit_json_string(json_array_get(json_object_get(perms, "permissions"), 1), "description"),
                        "Views");
    /* Without a description there is none, not a null (usersPermission's description is a string). */
    assert_null(json_object_get(json_array_get(json_object_get(perms, "permissions"), 0), "description"));
    json_decref(perms);
    tokens = raw_refresh(s, tokens);
    assert_string_equal(raw_claim_names(tokens, "roles"), "member org_editor");
    assert_string_equal(raw_claim_names(tokens, "permissions"), "o:write v:read");
    json_t *count = raw_api_expect(s, 200, "GET", NULL, "/api/v1/organizations/%s/roles/org_editor/users:count",
                                   org_id);
    assert_string_equal(skit_json_string(count, "count"), "1");
    json_decref(count);
    json_decref(tokens);
    free(user_id);
    json_decref(org);
}

static void exec_sql(const char *file, const char *sql)
{
    sqlite3 *db = NULL;
    char *err = NULL;
    assert_int_equal(sqlite3_open(file, &db), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : "?");
    sqlite3_close(db);
}

/* An emulator on data file @p file and a token for it. */
static emu_raw_fixture start_on(const char *file)
{
    scalekit_emulator_options o = {.data_path = file};
    emu_raw_fixture s = {.f = emu_fixture_start(&o, NULL)};
    s.token = emu_test_client_token(s.f->emu);
    assert_non_null(s.token);
    return s;
}

static void stop(emu_raw_fixture *s)
{
    free(s->token);
    emu_fixture_stop(s->f);
}

static void an_older_data_file_gets_the_seeded_roles_once(void **state)
{
    char file[64];
    snprintf(file, sizeof file, "/tmp/it_emu_roles_%d.db", (int)getpid());
    unlink(file);
    emu_raw_fixture s = start_on(file);
    json_t *org = raw_api_expect(&s, 201, "POST", "{\"display_name\":\"Old\"}", "/api/v1/organizations");
    char insert[256];
    snprintf(insert, sizeof insert, "INSERT INTO memberships(organization_id, user_id, roles, created_at) "
                                    "VALUES ('%s', 'usr_old', '[\"member\"]', 1)",
             skit_json_string(json_object_get(org, "organization"), "id"));
    json_decref(org);
    stop(&s);
    /* What a build before roles left: no role tables at all. */
    exec_sql(file, "DROP TABLE roles; DROP TABLE role_permissions; DROP TABLE role_defaults; DROP TABLE permissions;");
    exec_sql(file, insert);

    s = start_on(file);
    json_t *roles = raw_api_expect(&s, 200, "GET", NULL, "/api/v1/roles");
    assert_string_equal(raw_names(json_object_get(roles, "roles")), "admin member");
    json_decref(roles);
    json_t *count = raw_api_expect(&s, 200, "GET", NULL, "/api/v1/roles/member/users:count");
    assert_string_equal(skit_json_string(count, "count"), "1");
    json_decref(count);
    json_decref(raw_api_expect(&s, 200, "PATCH", "{\"default_creator_role\":\"member\"}", "/api/v1/roles:set_defaults"));
    json_decref(raw_api_expect(&s, 200, "DELETE", NULL, "/api/v1/roles/admin"));
    stop(&s);

    s = start_on(file);
    roles = raw_api_expect(&s, 200, "GET", NULL, "/api/v1/roles");
    assert_string_equal(raw_names(json_object_get(roles, "roles")), "member");
    json_decref(roles);
    stop(&s);
    unlink(file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(deleting_a_base, emu_raw_fixture_setup_env, emu_raw_fixture_teardown),
        cmocka_unit_test_setup_teardown(organization_members_and_roles, emu_raw_fixture_setup_env,
                                        emu_raw_fixture_teardown),
        cmocka_unit_test_setup_teardown(assigned_roles_reach_permissions_and_tokens, emu_raw_fixture_setup_env,
                                        emu_raw_fixture_teardown),
        cmocka_unit_test(an_older_data_file_gets_the_seeded_roles_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
