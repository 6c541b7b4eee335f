/*
 * The SDK's role and permission methods against the emulator: every method
 * once, its result decoded from the emulator's answer (the two halves of the
 * roles issue agree on the wire), the permission iterator over several pages,
 * and the errors mapped (400 with the field, 404, 409). With the SCALEKIT_*
 * variables set, the permission and organization role tests run against that
 * environment; the environment roles test, which moves the default roles, skips.
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
#include "scalekit/organization.h"
#include "scalekit/permission.h"
#include "scalekit/role.h"

/* Its permission names are unique to the run, so it runs again on any environment. */
static void permissions_through_the_sdk(void **state)
{
    emu_fixture *f = *state;
    char tag[48], name[80], missing[80];
    raw_unique_name(tag, sizeof tag, "sdk");
    snprintf(name, sizeof name, "%s:read", tag);
    snprintf(missing, sizeof missing, "%s:none", tag);
    scalekit_permission_options po = SCALEKIT_PERMISSION_OPTIONS_INIT;
    po.description = "Reads";
    scalekit_permission *p = NULL, *got = NULL;
    EMU_FIXTURE_OK(scalekit_permission_create(f->client, name, &po, &p));
    assert_string_equal(p->name, name);
    assert_string_equal(p->description, "Reads");
    assert_true(p->create_time > 0);
    po.description = "Reads all";
    EMU_FIXTURE_OK(scalekit_permission_update(f->client, name, &po, &got));
    assert_string_equal(got->description, "Reads all");
    assert_string_equal(got->id, p->id);
    scalekit_permission_free(got);
    EMU_FIXTURE_OK(scalekit_permission_get(f->client, name, &got));
    assert_string_equal(got->id, p->id);
    scalekit_permission_free(got);
    got = NULL;
    emu_assert_failed(scalekit_permission_create(f->client, name, NULL, &got), SCALEKIT_EEXISTS, 409, NULL);
    emu_assert_failed(scalekit_permission_create(f->client, "bad name", NULL, &got), SCALEKIT_EINVALID_REQUEST, 400,
                      "name");
    emu_assert_failed(scalekit_permission_get(f->client, missing, &got), SCALEKIT_ENOTFOUND, 404, NULL);

    for (int i = 0; i < 11; i++) {
        snprintf(name, sizeof name, "%s:p%02d", tag, i);
        scalekit_permission *q = NULL;
        EMU_FIXTURE_OK(scalekit_permission_create(f->client, name, NULL, &q));
        scalekit_permission_free(q);
    }
    scalekit_permission_list_options lo = SCALEKIT_PERMISSION_LIST_OPTIONS_INIT;
    lo.page_size = 4;
    scalekit_permission_page *page = NULL;
    EMU_FIXTURE_OK(scalekit_permission_list(f->client, &lo, &page));
    assert_int_equal(page->count, 4);
    assert_true(page->total_size >= 12);
    if (!emu_fixture_is_external(f))
        assert_int_equal(page->total_size, 12);
    int64_t total = page->total_size;
    scalekit_permission_page_free(page);
    /* The iterator walks every page: all of the environment's, this run's twelve among them. */
    scalekit_permission_iterator *it = NULL;
    EMU_FIXTURE_OK(scalekit_permission_iterator_new(f->client, &lo, &it));
    const scalekit_permission *item;
    int n = 0, mine = 0, rc;
    while ((rc = scalekit_permission_iterator_next(it, &item)) == SCALEKIT_OK) {
        n++;
        mine += strncmp(item->name, tag, strlen(tag)) == 0 && item->name[strlen(tag)] == ':';
    }
    assert_int_equal(rc, SCALEKIT_ITEROVER);
    assert_int_equal(mine, 12);
    if (!emu_fixture_is_external(f))
        assert_int_equal(n, total);
    scalekit_permission_iterator_free(it);

    snprintf(name, sizeof name, "%s:p00", tag);
    EMU_FIXTURE_OK(scalekit_permission_delete(f->client, name));
    emu_assert_failed(scalekit_permission_delete(f->client, name), SCALEKIT_ENOTFOUND, 404, NULL);
    scalekit_permission_free(p);
}

static void roles_through_the_sdk(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "a fresh environment");
    scalekit_permission *p = NULL;
    EMU_FIXTURE_OK(scalekit_permission_create(f->client, "sdk:write", NULL, &p));
    scalekit_permission_free(p);
    EMU_FIXTURE_OK(scalekit_permission_create(f->client, "sdk:base", NULL, &p));
    scalekit_permission_free(p);

    scalekit_role_create_options co = SCALEKIT_ROLE_CREATE_OPTIONS_INIT;
    const char *base_perms[] = {"sdk:base", NULL}, *own[] = {"sdk:write", NULL};
    co.permissions = base_perms;
    scalekit_role *base = NULL, *role = NULL, *got = NULL;
    EMU_FIXTURE_OK(scalekit_role_create(f->client, "sdk_base", &co, &base));
    co.display_name = "SDK Writer";
    co.description = "Writes";
    co.extends = "sdk_base";
    co.permissions = own;
    EMU_FIXTURE_OK(scalekit_role_create(f->client, "sdk_writer", &co, &role));
    assert_string_equal(role->display_name, "SDK Writer");
    assert_string_equal(role->extends, "sdk_base");
    assert_false(role->is_org_role);
    emu_assert_failed(scalekit_role_create(f->client, "sdk_writer", NULL, &got), SCALEKIT_EEXISTS, 409, NULL);
    emu_assert_failed(scalekit_role_create(f->client, "bad-name", NULL, &got), SCALEKIT_EINVALID_REQUEST, 400,
                      "name");

    scalekit_role_get_options go = SCALEKIT_ROLE_GET_OPTIONS_INIT;
    go.include = "permissions:all";
    EMU_FIXTURE_OK(scalekit_role_get(f->client, "sdk_writer", &go, &got));
    assert_int_equal(got->permission_count, 2);
    assert_string_equal(got->permissions[0]->name, "sdk:write");
    assert_string_equal(got->permissions[1]->role_name, "sdk_base");
    scalekit_role_free(got);
    emu_assert_failed(scalekit_role_get(f->client, "sdk_none", NULL, &got), SCALEKIT_ENOTFOUND, 404, NULL);

    scalekit_roles *list = NULL;
    EMU_FIXTURE_OK(scalekit_role_list(f->client, NULL, &list));
    assert_int_equal(list->count, 4);   /* admin, member and the two above */
    scalekit_roles_free(list);
    EMU_FIXTURE_OK(scalekit_role_list_dependent_roles(f->client, "sdk_base", &list));
    assert_int_equal(list->count, 1);
    assert_string_equal(list->items[0]->name, "sdk_writer");
    scalekit_roles_free(list);

    scalekit_role_update_options uo = SCALEKIT_ROLE_UPDATE_OPTIONS_INIT;
    uo.description = "Writes a lot";
    EMU_FIXTURE_OK(scalekit_role_update(f->client, "sdk_writer", &uo, &got));
    assert_string_equal(got->description, "Writes a lot");
    scalekit_role_free(got);
    uo = (scalekit_role_update_options)SCALEKIT_ROLE_UPDATE_OPTIONS_INIT;
    uo.extends = "sdk_writer";
    emu_assert_failed(scalekit_role_update(f->client, "sdk_base", &uo, &got), SCALEKIT_EINVALID_REQUEST, 400,
                      "extends");

    scalekit_permissions *perms = NULL;
    const char *more[] = {"sdk:base", NULL};
    EMU_FIXTURE_OK(scalekit_permission_add_permissions_to_role(f->client, "sdk_writer", more, &perms));
    assert_int_equal(perms->count, 2);
    scalekit_permissions_free(perms);
    EMU_FIXTURE_OK(scalekit_permission_list_role_permissions(f->client, "sdk_writer", &perms));
    assert_int_equal(perms->count, 2);
    scalekit_permissions_free(perms);
    EMU_FIXTURE_OK(scalekit_permission_remove_permission_from_role(f->client, "sdk_writer", "sdk:base"));
    EMU_FIXTURE_OK(scalekit_permission_list_effective_role_permissions(f->client, "sdk_writer", &perms));
    assert_int_equal(perms->count, 2);
    assert_string_equal(perms->items[0]->name, "sdk:write");
    assert_string_equal(perms->items[1]->name, "sdk:base");
    scalekit_permissions_free(perms);

    int64_t count = -1;
    EMU_FIXTURE_OK(scalekit_role_get_users_count(f->client, "sdk_writer", &count));
    assert_int_equal(count, 0);
    scalekit_role_default_roles_options dro = SCALEKIT_ROLE_DEFAULT_ROLES_OPTIONS_INIT;
    dro.default_member_role = "sdk_base";
    scalekit_role_defaults *defaults = NULL;
    EMU_FIXTURE_OK(scalekit_role_update_default_roles(f->client, &dro, &defaults));
    assert_string_equal(defaults->default_member->name, "sdk_base");
    assert_true(defaults->default_member->default_member);
    scalekit_role_defaults_free(defaults);
    dro.default_member_role = "member";
    EMU_FIXTURE_OK(scalekit_role_update_default_roles(f->client, &dro, &defaults));
    scalekit_role_defaults_free(defaults);

    EMU_FIXTURE_OK(scalekit_role_delete_base(f->client, "sdk_writer"));
    EMU_FIXTURE_OK(scalekit_role_get(f->client, "sdk_writer", NULL, &got));
    assert_null(got->extends);
    scalekit_role_free(got);
    EMU_FIXTURE_OK(scalekit_role_delete(f->client, "sdk_writer", NULL));
    emu_assert_failed(scalekit_role_delete(f->client, "sdk_writer", NULL), SCALEKIT_ENOTFOUND, 404, NULL);
    scalekit_role_free(base);
    scalekit_role_free(role);
}

/* Its names are the new organization's own, so it runs again on any environment. */
static void organization_roles_through_the_sdk(void **state)
{
    emu_fixture *f = *state;
    scalekit_roles *list = NULL;
    EMU_FIXTURE_OK(scalekit_role_list(f->client, NULL, &list));
    size_t environment_roles = 0;   /* ListRoles holds every organization's roles too */
    for (size_t i = 0; i < list->count; i++)
        environment_roles += !list->items[i]->is_org_role;
    scalekit_roles_free(list);
    scalekit_organization *org = NULL;
    EMU_FIXTURE_OK(scalekit_organization_create(f->client, "SDK Roles", NULL, &org));
    scalekit_role_create_options co = SCALEKIT_ROLE_CREATE_OPTIONS_INIT;
    co.extends = "member";
    scalekit_role *role = NULL, *got = NULL;
    EMU_FIXTURE_OK(scalekit_role_create_organization_role(f->client, org->id, "sdk_org_role", &co, &role));
    assert_true(role->is_org_role);
    co.extends = "sdk_org_role";
    EMU_FIXTURE_OK(scalekit_role_create_organization_role(f->client, org->id, "sdk_org_child", &co, &got));
    scalekit_role_free(got);
    EMU_FIXTURE_OK(scalekit_role_get_organization_role(f->client, org->id, "sdk_org_role", NULL, &got));
    assert_string_equal(got->id, role->id);
    assert_int_equal(got->dependent_roles_count, 1);
    scalekit_role_free(got);
    emu_assert_failed(scalekit_role_get_organization_role(f->client, "org_none", "sdk_org_role", NULL, &got),
                      SCALEKIT_ENOTFOUND, 404, NULL);
    EMU_FIXTURE_OK(scalekit_role_list_organization_roles(f->client, org->id, NULL, &list));
    assert_int_equal(list->count, environment_roles + 2);   /* the environment's and the organization's two */
    scalekit_roles_free(list);
    scalekit_role_update_options uo = SCALEKIT_ROLE_UPDATE_OPTIONS_INIT;
    uo.display_name = "SDK Org Role";
    EMU_FIXTURE_OK(scalekit_role_update_organization_role(f->client, org->id, "sdk_org_role", &uo, &got));
    assert_string_equal(got->display_name, "SDK Org Role");
    scalekit_role_free(got);
    int64_t count = -1;
    EMU_FIXTURE_OK(scalekit_role_get_organization_role_users_count(f->client, org->id, "sdk_org_role", &count));
    assert_int_equal(count, 0);
    scalekit_role_defaults *defaults = NULL;
    EMU_FIXTURE_OK(scalekit_role_update_default_organization_roles(f->client, org->id, "sdk_org_role", &defaults));
    assert_string_equal(defaults->default_member->name, "sdk_org_role");
    scalekit_role_defaults_free(defaults);
    EMU_FIXTURE_OK(scalekit_role_delete_organization_role_base(f->client, org->id, "sdk_org_child"));
    EMU_FIXTURE_OK(scalekit_role_delete_organization_role(f->client, org->id, "sdk_org_child", NULL));
    emu_assert_failed(scalekit_role_delete_organization_role(f->client, org->id, "sdk_org_child", NULL),
                      SCALEKIT_ENOTFOUND, 404, NULL);
    scalekit_role_free(role);
    EMU_FIXTURE_OK(scalekit_organization_delete(f->client, org->id));
    scalekit_organization_free(org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(permissions_through_the_sdk, emu_fixture_setup, emu_fixture_teardown),
        cmocka_unit_test_setup_teardown(roles_through_the_sdk, emu_fixture_setup, emu_fixture_teardown),
        cmocka_unit_test_setup_teardown(organization_roles_through_the_sdk, emu_fixture_setup,
                                        emu_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
