/*
 * Environment and organization roles over raw HTTP: each route's success, the
 * 400 with a field violation, 404, 409 on a taken name; bases over three
 * levels with the effective permissions in their order, cycle refusal,
 * dependents, the default roles, and deletion with and without reassignment.
 * (Paging: the API lists roles all at once, so nothing pages here.)
 * With the SCALEKIT_* variables set it runs against that environment: the tests
 * that need a fresh environment or a member made in-process say they are skipped,
 * the others take names unique to the run.
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
#include "emu_testhttp.h"
#include "raw_api.h"
#include "core/core.h"

/* From the emulator's internal resources.h (whose typedef `emu` would clash here). */
char *emu_user_ensure(scalekit_emulator *e, const char *email, const char *organization_id);

static void create_permission(emu_raw_fixture *s, const char *name)
{
    char body[160];
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"description\":\"%s\"}", name, name);
    json_decref(raw_api_expect(s, 201, "POST", body, "/api/v1/permissions"));
}

/* POST @p body to @p collection, expecting 201: the role (new reference). */
static json_t *create_role(emu_raw_fixture *s, const char *collection, const char *body)
{
    json_t *reply = raw_api_expect(s, 201, "POST", body, "%s", collection);
    json_t *role = json_incref(json_object_get(reply, "role"));
    json_decref(reply);
    assert_non_null(role);
    return role;
}

static void environment_role_crud(void **state)
{
    emu_raw_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "a fresh environment (the list holds only the seeded roles)");
    create_permission(s, "docs:read");
    json_t *role = create_role(s, "/api/v1/roles", "{\"name\":\"editor\",\"display_name\":\"Editor\","
                                                    "\"description\":\"Edits\",\"permissions\":[\"docs:read\"]}");
    assert_true(strncmp(skit_json_string(role, "id"), "role_", 5) == 0);
    assert_string_equal(skit_json_string(role, "name"), "editor");
    assert_string_equal(skit_json_string(role, "display_name"), "Editor");
    assert_string_equal(skit_json_string(role, "description"), "Edits");
    assert_false(json_is_true(json_object_get(role, "is_org_role")));
    assert_int_equal(json_integer_value(json_object_get(role, "dependent_roles_count")), 0);
    assert_null(json_object_get(role, "permissions"));   /* only with include */

    json_t *got = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles/editor?include=permissions");
    json_t *g = json_object_get(got, "role");
    assert_string_equal(skit_json_string(g, "id"), skit_json_string(role, "id"));
    assert_string_equal(raw_names(json_object_get(g, "permissions")), "docs:read");
    assert_string_equal(skit_json_string(json_array_get(json_object_get(g, "permissions"), 0), "role_name"), "editor");
    json_decref(got);

    /* PUT changes what it names; its permissions replace the role's own. */
    create_permission(s, "docs:write");
    json_t *upd = raw_api_expect(s, 200, "PUT", "{\"display_name\":\"Chief Editor\",\"permissions\":[\"docs:write\"]}",
                                 "/api/v1/roles/editor");
    assert_string_equal(skit_json_string(json_object_get(upd, "role"), "display_name"), "Chief Editor");
    assert_string_equal(skit_json_string(json_object_get(upd, "role"), "description"), "Edits");
    json_decref(upd);
    json_t *own = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles/editor/permissions");
    assert_string_equal(raw_names(json_object_get(own, "permissions")), "docs:write");
    json_decref(own);

    /* The list holds the environment's seeded roles and this one, oldest first. */
    json_t *list = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles");
    json_t *roles = json_object_get(list, "roles");
    assert_int_equal(json_array_size(roles), 3);
    assert_string_equal(skit_json_string(json_array_get(roles, 0), "name"), "admin");
    assert_true(json_is_true(json_object_get(json_array_get(roles, 0), "default_creator")));
    assert_string_equal(skit_json_string(json_array_get(roles, 1), "name"), "member");
    assert_true(json_is_true(json_object_get(json_array_get(roles, 1), "default_member")));
    assert_string_equal(skit_json_string(json_array_get(roles, 2), "name"), "editor");
    json_decref(list);

    json_t *taken = raw_api_expect(s, 409, "POST", "{\"name\":\"editor\"}", "/api/v1/roles");
    raw_assert_error(taken, "ALREADY_EXISTS", "editor");
    json_decref(taken);

    json_decref(raw_api_expect(s, 200, "DELETE", NULL, "/api/v1/roles/editor"));
    json_t *gone = raw_api_expect(s, 404, "GET", NULL, "/api/v1/roles/editor");
    raw_assert_error(gone, "NOT_FOUND", "role editor not found");
    json_decref(gone);
    json_decref(raw_api_expect(s, 404, "PUT", "{\"display_name\":\"x\"}", "/api/v1/roles/editor"));
    json_decref(raw_api_expect(s, 404, "DELETE", NULL, "/api/v1/roles/editor"));
    json_decref(raw_api_expect(s, 404, "GET", NULL, "/api/v1/roles/editor/permissions"));
    json_decref(role);
}

/* One refused request: @p status and, for a 400, the field named. */
static void refused(emu_raw_fixture *s, const char *method, const char *path, const char *body, const char *field)
{
    json_t *reply = raw_api_expect(s, 400, method, body, "%s", path);
    raw_assert_violation(reply, field);
    json_decref(reply);
}

static void role_rules(void **state)
{
    emu_raw_fixture *s = *state;
    const char *p = "/api/v1/roles";
    refused(s, "POST", p, "{}", "name");
    refused(s, "POST", p, "{\"name\":\"\"}", "name");
    refused(s, "POST", p, "{\"name\":\"has-dash\"}", "name");
    refused(s, "POST", p, "{\"name\":\"has space\"}", "name");
    refused(s, "POST", p, "{\"name\":7}", "name");
    char body[4200], name[80];
    raw_unique_name(name, sizeof name, "longest");
    size_t len = strlen(name);
    memset(name + len, 'a', 65 - len);
    name[65] = '\0';
    snprintf(body, sizeof body, "{\"name\":\"%s\"}", name);
    refused(s, "POST", p, body, "name");
    name[64] = '\0';   /* 64 characters: the longest name */
    snprintf(body, sizeof body, "{\"name\":\"%s\"}", name);
    json_decref(raw_api_expect(s, 201, "POST", body, "%s", p));
    char description[2100];
    memset(description, 'd', 2001);
    description[2001] = '\0';
    snprintf(body, sizeof body, "{\"name\":\"wordy\",\"description\":\"%s\"}", description);
    refused(s, "POST", p, body, "description");
    refused(s, "POST", p, "{\"name\":\"r1\",\"extends\":\"no_such_role\"}", "extends");
    refused(s, "POST", p, "{\"name\":\"r1\",\"extends\":\"r1\"}", "extends");
    refused(s, "POST", p, "{\"name\":\"r1\",\"permissions\":\"docs:read\"}", "permissions");
    refused(s, "POST", p, "{\"name\":\"r1\",\"permissions\":[\"bad name\"]}", "permissions[0]");
    refused(s, "POST", p, "{\"name\":\"r1\",\"permissions\":[\"member:none\"]}", "permissions[0]");
    refused(s, "GET", "/api/v1/roles/admin?include=everything", NULL, "include");
    json_t *bad = raw_api_expect(s, 400, "POST", "not json", "%s", p);
    raw_assert_error(bad, "INVALID_ARGUMENT", "JSON object");
    json_decref(bad);
    /* Nothing refused was stored. */
    json_decref(raw_api_expect(s, 404, "GET", NULL, "/api/v1/roles/r1"));
}

static void inheritance_over_three_levels(void **state)
{
    emu_raw_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "a fresh environment (fixed role names)");
    create_permission(s, "a:one");
    create_permission(s, "a:two");
    create_permission(s, "b:one");
    create_permission(s, "c:one");
    json_decref(create_role(s, "/api/v1/roles", "{\"name\":\"viewer\",\"permissions\":[\"a:one\",\"a:two\"]}"));
    json_decref(create_role(s, "/api/v1/roles", "{\"name\":\"author\",\"extends\":\"viewer\","
                                                "\"permissions\":[\"b:one\",\"a:one\"]}"));
    json_t *top = create_role(s, "/api/v1/roles", "{\"name\":\"lead\",\"extends\":\"author\",\"permissions\":[\"c:one\"]}");
    assert_string_equal(skit_json_string(top, "extends"), "author");
    json_decref(top);

    /* Own first, then each base outward; a permission once, at its nearest role. */
    json_t *all = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles/lead/permissions:all");
    assert_string_equal(raw_names(json_object_get(all, "permissions")), "c:one b:one a:one a:two");
    json_decref(all);
    json_t *own = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles/lead/permissions");
    assert_string_equal(raw_names(json_object_get(own, "permissions")), "c:one");
    json_decref(own);
    json_t *with = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles/lead?include=permissions:all");
    json_t *perms = json_object_get(json_object_get(with, "role"), "permissions");
    assert_string_equal(skit_json_string(json_array_get(perms, 0), "role_name"), "lead");
    assert_string_equal(skit_json_string(json_array_get(perms, 2), "role_name"), "author");
    assert_string_equal(skit_json_string(json_array_get(perms, 3), "role_name"), "viewer");
    json_decref(with);

    /* A change to the lowest base shows at the top at once. */
    json_decref(raw_api_expect(s, 200, "POST", "{\"permission_names\":[\"b:one\",\"c:one\"]}",
                               "/api/v1/roles/viewer/permissions"));
    all = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles/lead/permissions:all");
    assert_string_equal(raw_names(json_object_get(all, "permissions")), "c:one b:one a:one a:two");
    json_decref(all);
    all = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles/author/permissions:all");
    assert_string_equal(raw_names(json_object_get(all, "permissions")), "b:one a:one a:two c:one");
    json_decref(all);

    /* Cycles, direct or through the chain, are refused and change nothing. */
    json_t *cycle = raw_api_expect(s, 400, "PUT", "{\"extends\":\"lead\"}", "/api/v1/roles/viewer");
    raw_assert_violation(cycle, "extends");
    raw_assert_error(cycle, "INVALID_ARGUMENT", "cycle");
    json_decref(cycle);
    refused(s, "PUT", "/api/v1/roles/author", "{\"extends\":\"lead\"}", "extends");
    refused(s, "PUT", "/api/v1/roles/viewer", "{\"extends\":\"viewer\"}", "extends");
    json_t *v = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles/viewer");
    assert_null(json_object_get(json_object_get(v, "role"), "extends"));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(v, "role"), "dependent_roles_count")), 1);
    json_decref(v);

    json_t *deps = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles/viewer/dependents");
    assert_int_equal(json_array_size(json_object_get(deps, "roles")), 1);
    assert_string_equal(skit_json_string(json_array_get(json_object_get(deps, "roles"), 0), "name"), "author");
    json_decref(deps);
    json_decref(raw_api_expect(s, 404, "GET", NULL, "/api/v1/roles/nobody/dependents"));
    json_decref(raw_api_expect(s, 404, "GET", NULL, "/api/v1/roles/nobody/permissions:all"));

    /* Removing a permission: its own only; an unattached one is 404. */
    json_decref(raw_api_expect(s, 200, "DELETE", NULL, "/api/v1/roles/author/permissions/b:one"));
    json_t *gone = raw_api_expect(s, 404, "DELETE", NULL, "/api/v1/roles/author/permissions/b:one");
    raw_assert_error(gone, "NOT_FOUND", "b:one");
    json_decref(gone);
    own = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles/author/permissions");
    assert_string_equal(raw_names(json_object_get(own, "permissions")), "a:one");
    json_decref(own);
    refused(s, "POST", "/api/v1/roles/author/permissions", "{\"permission_names\":[]}", "permission_names");
    refused(s, "POST", "/api/v1/roles/author/permissions", "{\"permission_names\":[\"x:missing\"]}",
            "permission_names[0]");
    json_decref(raw_api_expect(s, 404, "POST", "{\"permission_names\":[\"a:one\"]}", "/api/v1/roles/nobody/permissions"));
}

/* A chain longer than any fixed walking limit: the bottom's permission reaches
 * the top, and closing the chain into a cycle is still refused. */
static void a_long_chain_of_bases(void **state)
{
    emu_raw_fixture *s = *state;
    enum { LEVELS = 80 };
    char tag[48], perm[64], body[160];
    raw_unique_name(tag, sizeof tag, "chain");
    snprintf(perm, sizeof perm, "%s:deep", tag);
    create_permission(s, perm);
    snprintf(body, sizeof body, "{\"name\":\"%s_c0\",\"permissions\":[\"%s\"]}", tag, perm);
    json_decref(create_role(s, "/api/v1/roles", body));
    for (int i = 1; i < LEVELS; i++) {
        snprintf(body, sizeof body, "{\"name\":\"%s_c%d\",\"extends\":\"%s_c%d\"}", tag, i, tag, i - 1);
        json_decref(create_role(s, "/api/v1/roles", body));
    }
    json_t *all = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles/%s_c%d/permissions:all", tag, LEVELS - 1);
    assert_string_equal(raw_names(json_object_get(all, "permissions")), perm);
    json_decref(all);
    char path[96];
    snprintf(body, sizeof body, "{\"extends\":\"%s_c%d\"}", tag, LEVELS - 1);
    snprintf(path, sizeof path, "/api/v1/roles/%s_c0", tag);
    refused(s, "PUT", path, body, "extends");
}

static void deletion_follows_holders_and_dependents(void **state)
{
    emu_raw_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "a member made in-process and the seeded default roles");
    json_t *org = raw_api_expect(s, 201, "POST", "{\"display_name\":\"Holders\"}", "/api/v1/organizations");
    const char *org_id = skit_json_string(json_object_get(org, "organization"), "id");
    json_decref(create_role(s, "/api/v1/roles", "{\"name\":\"base_role\"}"));
    json_decref(create_role(s, "/api/v1/roles", "{\"name\":\"child_role\",\"extends\":\"base_role\"}"));
    json_decref(create_role(s, "/api/v1/roles", "{\"name\":\"spare\"}"));

    /* A member holding "member": the default role cannot go, and it is held. */
    free(emu_user_ensure(s->f->emu, "holder@example.com", org_id));
    json_t *count = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles/member/users:count");
    assert_string_equal(skit_json_string(count, "count"), "1");
    json_decref(count);
    json_t *no = raw_api_expect(s, 400, "DELETE", NULL, "/api/v1/roles/member?reassign_role_name=spare");
    raw_assert_error(no, "FAILED_PRECONDITION", "default");
    json_decref(no);

    /* Extended by child_role: refused without a replacement, and the replacement must exist and not descend. */
    no = raw_api_expect(s, 400, "DELETE", NULL, "/api/v1/roles/base_role");
    raw_assert_error(no, "FAILED_PRECONDITION", "reassign_role_name");
    json_decref(no);
    refused(s, "DELETE", "/api/v1/roles/base_role?reassign_role_name=ghost", NULL, "reassign_role_name");
    refused(s, "DELETE", "/api/v1/roles/base_role?reassign_role_name=child_role", NULL, "reassign_role_name");
    json_decref(raw_api_expect(s, 200, "DELETE", NULL, "/api/v1/roles/base_role?reassign_role_name=spare"));
    json_t *child = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles/child_role");
    assert_string_equal(skit_json_string(json_object_get(child, "role"), "extends"), "spare");
    json_decref(child);

    /* Defaults move; then the old default goes, its holder moved to the replacement. */
    json_t *d = raw_api_expect(s, 200, "PATCH", "{\"default_member_role\":\"spare\"}", "/api/v1/roles:set_defaults");
    assert_string_equal(skit_json_string(json_object_get(d, "default_member"), "name"), "spare");
    assert_true(json_is_true(json_object_get(json_object_get(d, "default_member"), "default_member")));
    assert_string_equal(skit_json_string(json_object_get(d, "default_creator"), "name"), "admin");
    json_decref(d);
    d = raw_api_expect(s, 200, "PATCH", "{\"default_creator\":{\"name\":\"child_role\"}}", "/api/v1/roles/default");
    assert_string_equal(skit_json_string(json_object_get(d, "default_creator"), "name"), "child_role");
    json_decref(d);
    refused(s, "PATCH", "/api/v1/roles:set_defaults", "{\"default_member_role\":\"ghost\"}", "default_member_role");
    refused(s, "PATCH", "/api/v1/roles:set_defaults", "{}", "default_member_role");
    no = raw_api_expect(s, 400, "DELETE", NULL, "/api/v1/roles/member");
    raw_assert_error(no, "FAILED_PRECONDITION", "held by 1 users");
    json_decref(no);
    json_decref(raw_api_expect(s, 200, "DELETE", NULL, "/api/v1/roles/member?reassign_role_name=spare"));
    count = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles/spare/users:count");
    assert_string_equal(skit_json_string(count, "count"), "1");
    json_decref(count);
    json_decref(raw_api_expect(s, 404, "GET", NULL, "/api/v1/roles/member/users:count"));
    json_decref(org);
}

static void organization_roles(void **state)
{
    emu_raw_fixture *s = *state;
    json_t *org = raw_api_expect(s, 201, "POST", "{\"display_name\":\"Org Roles\"}", "/api/v1/organizations");
    char base[128];
    snprintf(base, sizeof base, "/api/v1/organizations/%s/roles", skit_json_string(json_object_get(org, "organization"), "id"));
    char perm[64], body[256];
    raw_unique_name(perm, sizeof perm, "org:audit");
    create_permission(s, perm);
    snprintf(body, sizeof body, "{\"name\":\"auditor\",\"display_name\":\"Auditor\",\"extends\":\"admin\","
             "\"permissions\":[\"%s\"]}", perm);
    json_t *role = create_role(s, base, body);
    assert_true(json_is_true(json_object_get(role, "is_org_role")));
    assert_string_equal(skit_json_string(role, "extends"), "admin");
    json_decref(role);
    json_decref(create_role(s, base, "{\"name\":\"junior_auditor\",\"extends\":\"auditor\"}"));

    /* The organization sees the environment's roles and its own; the environment all. */
    json_t *list = raw_api_expect(s, 200, "GET", NULL, "%s?include=permissions", base);
    json_t *roles = json_object_get(list, "roles");
    size_t n = json_array_size(roles);
    assert_true(n >= 4);
    assert_string_equal(skit_json_string(json_array_get(roles, n - 2), "name"), "auditor");
    assert_string_equal(raw_names(json_object_get(json_array_get(roles, n - 2), "permissions")), perm);
    assert_string_equal(skit_json_string(json_array_get(roles, n - 1), "name"), "junior_auditor");
    json_decref(list);
    json_t *got = raw_api_expect(s, 200, "GET", NULL, "%s/junior_auditor?include=permissions:all", base);
    assert_string_equal(raw_names(json_object_get(json_object_get(got, "role"), "permissions")), perm);
    json_decref(got);

    /* Names: taken in the organization, or by an environment role, either way. */
    json_t *taken = raw_api_expect(s, 409, "POST", "{\"name\":\"auditor\"}", "%s", base);
    raw_assert_error(taken, "ALREADY_EXISTS", "auditor");
    json_decref(taken);
    json_decref(raw_api_expect(s, 409, "POST", "{\"name\":\"admin\"}", "%s", base));
    json_decref(raw_api_expect(s, 409, "POST", "{\"name\":\"auditor\"}", "/api/v1/roles"));
    refused(s, "POST", base, "{\"name\":\"x-y\"}", "name");
    refused(s, "PUT", "/api/v1/roles/admin", "{\"extends\":\"auditor\"}", "extends");   /* not seen from there */

    json_t *upd = raw_api_expect(s, 200, "PUT", "{\"description\":\"Reads the books\"}", "%s/auditor", base);
    assert_string_equal(skit_json_string(json_object_get(upd, "role"), "description"), "Reads the books");
    json_decref(upd);
    refused(s, "PUT", "/api/v1/roles/admin", "{\"display_name\":7}", "display_name");
    json_t *cyc = raw_api_expect(s, 400, "PUT", "{\"extends\":\"junior_auditor\"}", "%s/auditor", base);
    raw_assert_violation(cyc, "extends");
    json_decref(cyc);

    json_t *d = raw_api_expect(s, 200, "PATCH", "{\"default_member_role\":\"junior_auditor\"}", "%s:set_defaults", base);
    assert_string_equal(skit_json_string(json_object_get(d, "default_member"), "name"), "junior_auditor");
    assert_true(json_is_true(json_object_get(json_object_get(d, "default_member"), "default_member")));
    json_decref(d);
    json_t *none = raw_api_expect(s, 400, "PATCH", "{}", "%s:set_defaults", base);
    raw_assert_violation(none, "default_member_role");
    json_decref(none);
    json_decref(raw_api_expect(s, 404, "PATCH", "{\"default_member_role\":\"member\"}",
                               "/api/v1/organizations/org_none/roles:set_defaults"));
    json_t *no = raw_api_expect(s, 400, "DELETE", NULL, "%s/junior_auditor", base);
    raw_assert_error(no, "FAILED_PRECONDITION", "default");
    json_decref(no);

    /* Unknown organization or role: 404 naming it. */
    json_t *missing = raw_api_expect(s, 404, "GET", NULL, "/api/v1/organizations/org_none/roles");
    raw_assert_error(missing, "NOT_FOUND", "org_none");
    json_decref(missing);
    json_decref(raw_api_expect(s, 404, "GET", NULL, "%s/ghost", base));
    json_decref(raw_api_expect(s, 404, "GET", NULL, "%s/admin", base));   /* the environment's, not the org's */
    json_decref(raw_api_expect(s, 404, "DELETE", NULL, "%s/ghost", base));
    json_decref(raw_api_expect(s, 200, "PATCH", "{\"default_member_role\":\"member\"}", "%s:set_defaults", base));
    json_decref(raw_api_expect(s, 200, "DELETE", NULL, "%s/junior_auditor", base));
    json_decref(raw_api_expect(s, 404, "GET", NULL, "%s/junior_auditor", base));
    json_decref(org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(environment_role_crud, emu_raw_fixture_setup_env, emu_raw_fixture_teardown),
        cmocka_unit_test_setup_teardown(role_rules, emu_raw_fixture_setup_env, emu_raw_fixture_teardown),
        cmocka_unit_test_setup_teardown(inheritance_over_three_levels, emu_raw_fixture_setup_env,
                                        emu_raw_fixture_teardown),
        cmocka_unit_test_setup_teardown(a_long_chain_of_bases, emu_raw_fixture_setup_env, emu_raw_fixture_teardown),
        cmocka_unit_test_setup_teardown(deletion_follows_holders_and_dependents, emu_raw_fixture_setup_env,
                                        emu_raw_fixture_teardown),
        cmocka_unit_test_setup_teardown(organization_roles, emu_raw_fixture_setup_env, emu_raw_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
