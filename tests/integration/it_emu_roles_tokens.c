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

#define REDIRECT "http://127.0.0.1:9/callback"

/* POST /oauth/token with @p form plus the client's credentials: the JSON answer (asserts 200). */
static json_t *token_call(emu_raw_fixture *s, const char *form)
{
    char url[512], body[4096];
    emu_fixture_url(s->f, "/oauth/token", url, sizeof url);
    snprintf(body, sizeof body, "%s&client_id=%s&client_secret=%s", form, s->f->client_id, s->f->client_secret);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    json_t *out = NULL;
    assert_int_equal(emu_http_call("POST", url, headers, body, &out), 200);
    return out;
}

/* The access token's claim @p name as names joined by spaces (static buffer). */
static const char *claim_names(const json_t *tokens, const char *name)
{
    static char out[512];
    json_t *payload = emu_test_jwt_payload(json_string_value(json_object_get(tokens, "access_token")));
    json_t *list = json_object_get(payload, name);
    assert_true(json_is_array(list));
    out[0] = '\0';
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        size_t n = strlen(out);
        snprintf(out + n, sizeof out - n, "%s%s", n ? " " : "", json_string_value(v));
    }
    json_decref(payload);
    return out;
}

/* Refresh @p tokens (rotating: the old refresh token is spent); the new answer. */
static json_t *refresh(emu_raw_fixture *s, json_t *tokens)
{
    char form[512];
    snprintf(form, sizeof form, "grant_type=refresh_token&refresh_token=%s",
             json_string_value(json_object_get(tokens, "refresh_token")));
    json_decref(tokens);
    return token_call(s, form);
}

/* Sign @p email in to @p org_id on the hosted login; the token endpoint's answer. */
static json_t *sign_in(emu_raw_fixture *s, const char *email, const char *org_id)
{
    char extra[128], form[512];
    snprintf(extra, sizeof extra, "organization_id=%s", org_id);
    char *code = emu_test_login(s->f->emu, email, REDIRECT, extra);
    assert_non_null(code);
    snprintf(form, sizeof form, "grant_type=authorization_code&code=%s&redirect_uri=%s", code,
             "http%3A%2F%2F127.0.0.1%3A9%2Fcallback");
    free(code);
    return token_call(s, form);
}

static void the_token_carries_effective_permissions(void **state)
{
    emu_raw_fixture *s = *state;
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

    json_t *tokens = sign_in(s, "member@tokens.example", org_id);
    assert_string_equal(claim_names(tokens, "roles"), "member");
    assert_string_equal(claim_names(tokens, "permissions"), "docs:read");

    /* The role gains a permission: the next refreshed token has it, own before inherited. */
    json_decref(raw_api_expect(s, 200, "POST", "{\"permission_names\":[\"docs:write\"]}",
                               "/api/v1/roles/member/permissions"));
    tokens = refresh(s, tokens);
    assert_string_equal(claim_names(tokens, "permissions"), "docs:write docs:read");

    /* The base gains one too, then the role loses its own; the member count follows the membership. */
    json_decref(raw_api_expect(s, 200, "POST", "{\"permission_names\":[\"docs:delete\"]}",
                               "/api/v1/roles/reader/permissions"));
    json_decref(raw_api_expect(s, 200, "DELETE", NULL, "/api/v1/roles/member/permissions/docs:write"));
    tokens = refresh(s, tokens);
    assert_string_equal(claim_names(tokens, "permissions"), "docs:read docs:delete");
    json_t *count = raw_api_expect(s, 200, "GET", NULL, "/api/v1/roles/member/users:count");
    assert_string_equal(json_string_value(json_object_get(count, "count")), "1");
    json_decref(count);

    /* No base any more: only the role's own (none) remain. */
    json_decref(raw_api_expect(s, 200, "PUT", "{\"extends\":\"\"}", "/api/v1/roles/member"));
    tokens = refresh(s, tokens);
    assert_string_equal(claim_names(tokens, "roles"), "member");
    assert_string_equal(claim_names(tokens, "permissions"), "");
    json_decref(tokens);
    json_decref(org);
}

/* A member holding an organization role that extends an environment role: both
 * roles' permissions, seen from that organization only. */
static void organization_roles_in_the_token(void **state)
{
    emu_raw_fixture *s = *state;
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
    json_t *tokens = sign_in(s, "org-member@tokens.example", org_id);
    assert_string_equal(claim_names(tokens, "roles"), "org_role");
    assert_string_equal(claim_names(tokens, "permissions"), "org:perm env:perm");
    json_decref(tokens);
    /* Another organization's member gets the environment's default, without them. */
    json_t *other = raw_api_expect(s, 201, "POST", "{\"display_name\":\"Other\"}", "/api/v1/organizations");
    tokens = sign_in(s, "other@tokens.example",
                     json_string_value(json_object_get(json_object_get(other, "organization"), "id")));
    assert_string_equal(claim_names(tokens, "roles"), "member");
    assert_string_equal(claim_names(tokens, "permissions"), "");
    json_decref(tokens);
    json_decref(other);
    json_decref(org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(the_token_carries_effective_permissions, emu_raw_fixture_setup,
                                        emu_raw_fixture_teardown),
        cmocka_unit_test_setup_teardown(organization_roles_in_the_token, emu_raw_fixture_setup,
                                        emu_raw_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
