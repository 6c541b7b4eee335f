/*
 * Tokens follow the data: a member's access token carries the roles the
 * membership holds and their effective permissions (own, then the bases'),
 * and the next refreshed token carries a permission the role gained, or no
 * longer one it lost. The member comes from the hosted login with an
 * organization, which gives the membership the default member role.
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
#include "emu_users_kit.h"

static void the_token_carries_effective_permissions(void **state)
{
    emu_raw_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "the emulator's hosted login");
    json_t *org = raw_api_expect(s, 201, "POST", "{\"display_name\":\"Token Org\"}", "/api/v1/organizations");
    const char *org_id = json_string_value(json_object_get(json_object_get(org, "organization"), "id"));
    const char *perms[] = {"docs:read", "docs:write", "docs:delete"};
    for (size_t i = 0; i < 3; i++) {
        char body[64];
        snprintf(body, sizeof body, "{\"name\":\"%s\"}", perms[i]);
        json_decref(raw_api_expect(s, 201, "POST", body, "/api/v1/permissions"));
    }
    json_decref(raw_api_expect(s, 201, "POST", "{\"name\":\"reader\",\"permissions\":[\"docs:read\"]}",
                               "/api/v1/roles"));
    json_decref(raw_api_expect(s, 200, "PUT", "{\"extends\":\"reader\"}", "/api/v1/roles/member"));

    json_t *tokens = ukit_sign_in(s, "member@tokens.example", org_id, "roles-test");
    assert_string_equal(raw_claim_names(tokens, "roles"), "member");
    assert_string_equal(raw_claim_names(tokens, "permissions"), "docs:read");

    /* The role gains a permission: the next refreshed token has it, own before inherited. */
    json_decref(raw_api_expect(s, 200, "POST", "{\"permission_names\":[\"docs:write\"]}",
                               "/api/v1/roles/member/permissions"));
    tokens = raw_refresh(s, tokens);
    assert_string_equal(raw_claim_names(tokens, "permissions"), "docs:write docs:read");

    /* The base gains one too, then the role loses its own; the member count follows the membership. */
    json_decref(raw_api_expect(s, 200, "POST", "{\"permission_names\":[\"docs:delete\"]}",
                               "/api/v1/roles/reader/permissions"));
    json_decref(raw_api_expect(s, 200, "DELETE", NULL, "/api/v1/roles/member/permissions/docs:write"));
    tokens = raw_refresh(s, tokens);
    assert_string_equal(raw_claim_names(tokens, "permissions"), "docs:read docs:delete");
    json_t *count = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles/member/users:count");
    assert_string_equal(json_string_value(json_object_get(count, "count")), "1");
    json_decref(count);

    /* No base any more: only the role's own (none) remain. */
    json_decref(raw_api_expect(s, 200, "PUT", "{\"extends\":\"\"}", "/api/v1/roles/member"));
    tokens = raw_refresh(s, tokens);
    assert_string_equal(raw_claim_names(tokens, "roles"), "member");
    assert_string_equal(raw_claim_names(tokens, "permissions"), "");
    json_decref(tokens);
    json_decref(org);
}

/* A member holding an organization role that extends an environment role: both
 * roles' permissions, seen from that organization only. */
static void organization_roles_in_the_token(void **state)
{
    emu_raw_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "the emulator's hosted login");
    json_t *org = raw_api_expect(s, 201, "POST", "{\"display_name\":\"Org Token\"}", "/api/v1/organizations");
    const char *org_id = json_string_value(json_object_get(json_object_get(org, "organization"), "id"));
    json_decref(raw_api_expect(s, 201, "POST", "{\"name\":\"env:perm\"}", "/api/v1/permissions"));
    json_decref(raw_api_expect(s, 201, "POST", "{\"name\":\"org:perm\"}", "/api/v1/permissions"));
    json_decref(raw_api_expect(s, 201, "POST", "{\"name\":\"env_role\",\"permissions\":[\"env:perm\"]}",
                               "/api/v1/roles"));
    json_decref(raw_api_expect(s, 201, "POST", "{\"name\":\"org_role\",\"extends\":\"env_role\","
                                                "\"permissions\":[\"org:perm\"]}",
                               "/api/v1/organizations/%s/roles", org_id));
    json_decref(raw_api_expect(s, 200, "PATCH", "{\"default_member_role\":\"org_role\"}",
                               "/api/v1/organizations/%s/roles:set_defaults", org_id));
    json_t *tokens = ukit_sign_in(s, "org-member@tokens.example", org_id, "roles-test");
    assert_string_equal(raw_claim_names(tokens, "roles"), "org_role");
    assert_string_equal(raw_claim_names(tokens, "permissions"), "org:perm env:perm");
    json_decref(tokens);
    /* Another organization's member gets the environment's default, without them. */
    json_t *other = raw_api_expect(s, 201, "POST", "{\"display_name\":\"Other\"}", "/api/v1/organizations");
    tokens = ukit_sign_in(s, "other@tokens.example",
                          json_string_value(json_object_get(json_object_get(other, "organization"), "id")), "roles-test");
    assert_string_equal(raw_claim_names(tokens, "roles"), "member");
    assert_string_equal(raw_claim_names(tokens, "permissions"), "");
    json_decref(tokens);
    json_decref(other);
    json_decref(org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(the_token_carries_effective_permissions, emu_raw_fixture_setup_env,
                                        emu_raw_fixture_teardown),
        cmocka_unit_test_setup_teardown(organization_roles_in_the_token, emu_raw_fixture_setup_env,
                                        emu_raw_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
