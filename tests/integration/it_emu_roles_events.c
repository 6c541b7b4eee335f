/*
 * The role.* and permission.* webhook events: each write's event arrives
 * signed (verified by scalekit_verify_webhook_payload), in commit order, in
 * the OpenAPI's RoleEventData / PermissionEventData shapes, an organization
 * role's with its organization_id; a refused write emits nothing. A change of a
 * role's permissions (attached, detached, or the permission deleted) is a
 * role.updated; an organization's delete, a role.deleted for each of its roles.
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
#include "hook_fixture.h"
#include "raw_api.h"
#include "core/core.h"

/* Delivery @p nth: its type, object, organization, and data member @p member == @p value. */
static json_t *expect_event(hook_fixture *s, size_t nth, const char *type, const char *org, const char *name)
{
    json_t *event = hook_fixture_event(s, nth);
    assert_string_equal(skit_json_string(event, "type"), type);
    assert_string_equal(skit_json_string(event, "object"), strncmp(type, "role.", 5) == 0 ? "Role" : "Permission");
    assert_true(strncmp(skit_json_string(event, "id"), "evt_", 4) == 0);
    assert_true(strncmp(skit_json_string(event, "environment_id"), "env_", 4) == 0);
    if (org)
        assert_string_equal(skit_json_string(event, "organization_id"), org);
    else
        assert_null(skit_json_string(event, "organization_id"));
    json_t *data = json_object_get(event, "data");
    assert_string_equal(skit_json_string(data, "name"), name);
    assert_non_null(skit_json_string(data, "id"));
    return event;
}

/* Delivery @p nth is a @p type event. */
static void expect_type(hook_fixture *s, size_t nth, const char *type)
{
    json_t *event = hook_fixture_event(s, nth);
    assert_string_equal(skit_json_string(event, "type"), type);
    json_decref(event);
}

static void role_and_permission_events(void **state)
{
    hook_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "the webhook receiver");
    emu_raw_fixture raw = {.f = s->f, .token = emu_test_client_token(s->f->emu)};
    assert_non_null(raw.token);
    json_decref(raw_api_expect(&raw, 201, "POST", "{\"name\":\"ev:perm\",\"description\":\"first\"}",
                               "/api/v1/permissions"));
    json_decref(raw_api_expect(&raw, 200, "PUT", "{\"description\":\"second\"}", "/api/v1/permissions/ev:perm"));
    json_decref(raw_api_expect(&raw, 201, "POST", "{\"name\":\"ev_base\"}", "/api/v1/roles"));
    json_decref(raw_api_expect(&raw, 201, "POST", "{\"name\":\"ev_role\",\"display_name\":\"Ev\",\"description\":"
                                                  "\"Watches\",\"extends\":\"ev_base\"}", "/api/v1/roles"));
    /* Refused: taken name, cycle. No event. */
    json_decref(raw_api_expect(&raw, 409, "POST", "{\"name\":\"ev_role\"}", "/api/v1/roles"));
    json_decref(raw_api_expect(&raw, 400, "PUT", "{\"extends\":\"ev_role\"}", "/api/v1/roles/ev_base"));
    json_decref(raw_api_expect(&raw, 200, "PUT", "{\"display_name\":\"Eve\"}", "/api/v1/roles/ev_role"));
    json_t *org = raw_api_expect(&raw, 201, "POST", "{\"display_name\":\"Event Org\"}", "/api/v1/organizations");
    const char *org_id = skit_json_string(json_object_get(org, "organization"), "id");
    json_decref(raw_api_expect(&raw, 201, "POST", "{\"name\":\"org_ev\"}", "/api/v1/organizations/%s/roles", org_id));
    json_decref(raw_api_expect(&raw, 200, "DELETE", NULL, "/api/v1/organizations/%s/roles/org_ev", org_id));
    json_decref(raw_api_expect(&raw, 200, "DELETE", NULL, "/api/v1/roles/ev_role"));
    json_decref(raw_api_expect(&raw, 200, "DELETE", NULL, "/api/v1/permissions/ev:perm"));

    hook_fixture_wait(s, 10);
    json_t *ev = expect_event(s, 0, "permission.created", NULL, "ev:perm");
    assert_string_equal(skit_json_string(json_object_get(ev, "data"), "description"), "first");
    json_decref(ev);
    ev = expect_event(s, 1, "permission.updated", NULL, "ev:perm");
    assert_string_equal(skit_json_string(json_object_get(ev, "data"), "description"), "second");
    json_decref(ev);
    json_decref(expect_event(s, 2, "role.created", NULL, "ev_base"));
    ev = expect_event(s, 3, "role.created", NULL, "ev_role");
    json_t *data = json_object_get(ev, "data");
    assert_string_equal(skit_json_string(data, "display_name"), "Ev");
    assert_string_equal(skit_json_string(data, "description"), "Watches");
    assert_string_equal(skit_json_string(data, "extends"), "ev_base");
    assert_null(json_object_get(data, "create_time"));   /* the event's shape, not the API's */
    json_decref(ev);
    ev = expect_event(s, 4, "role.updated", NULL, "ev_role");
    assert_string_equal(skit_json_string(json_object_get(ev, "data"), "display_name"), "Eve");
    json_decref(ev);
    expect_type(s, 5, "organization.created");
    json_decref(expect_event(s, 6, "role.created", org_id, "org_ev"));
    json_decref(expect_event(s, 7, "role.deleted", org_id, "org_ev"));
    json_decref(expect_event(s, 8, "role.deleted", NULL, "ev_role"));
    json_decref(expect_event(s, 9, "permission.deleted", NULL, "ev:perm"));
    skit_sleep_ms(100);
    assert_int_equal(mock_http_count(s->receiver, HOOK_FIXTURE_PATH), 10);
    json_decref(org);
    free(raw.token);
}

/* From the emulator's internal resources.h (whose typedef `emu` would clash here). */
char *emu_user_ensure(scalekit_emulator *e, const char *email, const char *organization_id);

/* A role's holders moved to another role on its delete: each membership's update is an event too. */
static void reassigned_members_are_updated_memberships(void **state)
{
    hook_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "a member made in-process");
    hook_fixture_reset(s);
    emu_raw_fixture raw = {.f = s->f, .token = emu_test_client_token(s->f->emu)};
    json_t *org = raw_api_expect(&raw, 201, "POST", "{\"display_name\":\"Held\"}", "/api/v1/organizations");
    const char *org_id = skit_json_string(json_object_get(org, "organization"), "id");
    json_decref(raw_api_expect(&raw, 201, "POST", "{\"name\":\"held\"}", "/api/v1/roles"));
    json_decref(raw_api_expect(&raw, 200, "PATCH", "{\"default_member_role\":\"held\"}",
                               "/api/v1/organizations/%s/roles:set_defaults", org_id));
    char *user = emu_user_ensure(s->f->emu, "held@events.example", org_id);
    assert_non_null(user);
    json_decref(raw_api_expect(&raw, 200, "PATCH", "{\"default_member_role\":\"member\"}",
                               "/api/v1/organizations/%s/roles:set_defaults", org_id));
    json_decref(raw_api_expect(&raw, 200, "DELETE", NULL, "/api/v1/roles/held?reassign_role_name=member"));
    /* organization.created, role.created, the member's two (created, signup), then these two. */
    hook_fixture_wait(s, 6);
    json_t *updated = hook_fixture_event(s, 4);
    assert_string_equal(skit_json_string(updated, "type"), "user.organization_membership_updated");
    assert_string_equal(skit_json_string(updated, "organization_id"), org_id);
    json_decref(updated);
    json_decref(expect_event(s, 5, "role.deleted", NULL, "held"));
    free(user);
    free(raw.token);
    json_decref(org);
}

/* Attaching or detaching a permission updates the role (role.updated); an organization's
 * delete takes its roles, each with its role.deleted before organization.deleted. */
static void permission_changes_and_organization_delete(void **state)
{
    hook_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "the webhook receiver");
    hook_fixture_reset(s);
    emu_raw_fixture raw = {.f = s->f, .token = emu_test_client_token(s->f->emu)};
    assert_non_null(raw.token);
    json_decref(raw_api_expect(&raw, 201, "POST", "{\"name\":\"pc:read\"}", "/api/v1/permissions"));
    json_decref(raw_api_expect(&raw, 201, "POST", "{\"name\":\"pc_role\"}", "/api/v1/roles"));
    json_decref(raw_api_expect(&raw, 200, "POST", "{\"permission_names\":[\"pc:read\"]}",
                               "/api/v1/roles/pc_role/permissions"));
    /* Refused: an unknown permission, a permission the role lacks. No event. */
    json_decref(raw_api_expect(&raw, 400, "POST", "{\"permission_names\":[\"pc:nope\"]}",
                               "/api/v1/roles/pc_role/permissions"));
    json_decref(raw_api_expect(&raw, 200, "DELETE", NULL, "/api/v1/roles/pc_role/permissions/pc:read"));
    json_decref(raw_api_expect(&raw, 404, "DELETE", NULL, "/api/v1/roles/pc_role/permissions/pc:read"));
    /* A deleted permission leaves the roles holding it: each is updated. */
    json_decref(raw_api_expect(&raw, 201, "POST", "{\"name\":\"pc:gone\"}", "/api/v1/permissions"));
    json_decref(raw_api_expect(&raw, 200, "POST", "{\"permission_names\":[\"pc:gone\"]}",
                               "/api/v1/roles/pc_role/permissions"));
    json_decref(raw_api_expect(&raw, 200, "DELETE", NULL, "/api/v1/permissions/pc:gone"));
    json_t *org = raw_api_expect(&raw, 201, "POST", "{\"display_name\":\"Gone Org\"}", "/api/v1/organizations");
    const char *org_id = skit_json_string(json_object_get(org, "organization"), "id");
    json_decref(raw_api_expect(&raw, 201, "POST", "{\"name\":\"gone_a\"}", "/api/v1/organizations/%s/roles", org_id));
    json_decref(raw_api_expect(&raw, 201, "POST", "{\"name\":\"gone_b\"}", "/api/v1/organizations/%s/roles", org_id));
    json_decref(raw_api_expect(&raw, 200, "DELETE", NULL, "/api/v1/organizations/%s", org_id));

    hook_fixture_wait(s, 14);
    /* Without a description or a base those members are absent: the shapes' strings are never null. */
    json_t *ev = expect_event(s, 0, "permission.created", NULL, "pc:read");
    assert_null(json_object_get(json_object_get(ev, "data"), "description"));
    json_decref(ev);
    ev = expect_event(s, 1, "role.created", NULL, "pc_role");
    json_t *data = json_object_get(ev, "data");
    assert_null(json_object_get(data, "description"));
    assert_null(json_object_get(data, "display_name"));
    assert_null(json_object_get(data, "extends"));
    json_decref(ev);
    json_decref(expect_event(s, 2, "role.updated", NULL, "pc_role"));
    json_decref(expect_event(s, 3, "role.updated", NULL, "pc_role"));
    json_decref(expect_event(s, 4, "permission.created", NULL, "pc:gone"));
    json_decref(expect_event(s, 5, "role.updated", NULL, "pc_role"));
    json_decref(expect_event(s, 6, "role.updated", NULL, "pc_role"));
    json_decref(expect_event(s, 7, "permission.deleted", NULL, "pc:gone"));
    expect_type(s, 8, "organization.created");
    json_decref(expect_event(s, 9, "role.created", org_id, "gone_a"));
    json_decref(expect_event(s, 10, "role.created", org_id, "gone_b"));
    json_decref(expect_event(s, 11, "role.deleted", org_id, "gone_a"));
    json_decref(expect_event(s, 12, "role.deleted", org_id, "gone_b"));
    expect_type(s, 13, "organization.deleted");
    skit_sleep_ms(100);
    assert_int_equal(mock_http_count(s->receiver, HOOK_FIXTURE_PATH), 14);
    json_decref(org);
    free(raw.token);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(role_and_permission_events),
        cmocka_unit_test(reassigned_members_are_updated_memberships),
        cmocka_unit_test(permission_changes_and_organization_delete),
    };
    return cmocka_run_group_tests(tests, hook_fixture_setup, hook_fixture_teardown);
}
