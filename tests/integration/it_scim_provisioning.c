/*
 * Identity providers provisioning a directory through the emulator's SCIM
 * endpoint, with requests shaped as they document them:
 * - Okta: https://developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20
 *   (userName lookup with startIndex/count before a create, POST /Users with
 *   password and locale, members added by PATCH add and removed by
 *   members[value eq "..."], the path-less group rename that repeats the id,
 *   deactivation by {"op":"replace","value":{"active":false}}, PUT for profile changes);
 * - Microsoft Entra ID: https://learn.microsoft.com/en-us/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups
 *   ("Replace"/"Add"/"Remove" op names, emails[type eq "work"].value, members
 *   removed by a value list, active as "False", excludedAttributes=members,
 *   DELETE after a soft delete).
 * What they provisioned must be exactly what the REST listing returns (raw
 * HTTP until the SDK's directory.h exists) and what the organization.directory.*
 * webhook events, verified with scalekit_verify_webhook_payload, say.
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
#include "scim_kit.h"
#include "core/core.h"

#define USERS 25
#define PATCH_OP "\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"]"

static void patch(const scim_kit *k, const char *path, const char *body)
{
    long status = scim_kit_call(k, "PATCH", path, body, NULL);
    if (status != 200)
        fail_msg("PATCH %s %s answered %ld", path, body, status);
}

/* Okta's lookup before a create: userName eq, startIndex and count. */
static long okta_lookup(const scim_kit *k, const char *user_name)
{
    char path[512];
    snprintf(path, sizeof path, "/Users?filter=userName%%20eq%%20%%22%s%%22&startIndex=1&count=100", user_name);
    json_t *reply = NULL;
    assert_int_equal(scim_kit_call(k, "GET", path, NULL, &reply), 200);
    long total = (long)json_integer_value(json_object_get(reply, "totalResults"));
    json_decref(reply);
    return total;
}

/* The listing's item whose id is @p id (borrowed from @p list), or fail. */
static json_t *item(const json_t *list, const char *member, const char *id)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(list, member), i, v) {
        if (strcmp(json_string_value(json_object_get(v, "id")), id) == 0)
            return v;
    }
    fail_msg("%s has no %s", member, id);
    return NULL;
}

/* The events delivered since the last reset, each verified; *n their count. */
static json_t **events(hook_fixture *s, size_t n)
{
    hook_fixture_wait(s, n);
    json_t **out = calloc(n, sizeof *out);
    assert_non_null(out);
    for (size_t i = 0; i < n; i++)
        out[i] = hook_fixture_event(s, i);
    return out;
}

static void free_events(json_t **ev, size_t n)
{
    for (size_t i = 0; i < n; i++)
        json_decref(ev[i]);
    free(ev);
}

static void assert_event(const json_t *ev, const char *type, const char *object, const scim_kit *k, const char *id)
{
    assert_string_equal(json_string_value(json_object_get(ev, "type")), type);
    assert_string_equal(json_string_value(json_object_get(ev, "object")), object);
    assert_string_equal(json_string_value(json_object_get(ev, "organization_id")), k->organization_id);
    json_t *data = json_object_get(ev, "data");
    assert_string_equal(json_string_value(json_object_get(data, "organization_id")), k->organization_id);
    if (id)
        assert_string_equal(json_string_value(json_object_get(data, "id")), id);
}

static void okta_provisions_25_users_and_3_groups(void **state)
{
    hook_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "directories made in the emulator's store");
    scim_kit k;
    scim_kit_start(&k, s->f, "Acme Okta");
    hook_fixture_wait(s, 1);   /* organization.created */
    hook_fixture_reset(s);

    char *users[USERS];
    for (int i = 0; i < USERS; i++) {
        char name[64], body[1024];
        snprintf(name, sizeof name, "user%02d@acme.example", i);
        assert_int_equal(okta_lookup(&k, name), 0);
        snprintf(body, sizeof body,
                 "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"%s\","
                 "\"name\":{\"givenName\":\"Given%02d\",\"familyName\":\"Family%02d\"},"
                 "\"emails\":[{\"primary\":true,\"value\":\"%s\",\"type\":\"work\"}],"
                 "\"displayName\":\"Given%02d Family%02d\",\"locale\":\"en-US\",\"externalId\":\"00u%04d\","
                 "\"groups\":[],\"password\":\"1mz050nq\",\"active\":true}",
                 name, i, i, name, i, i, i);
        users[i] = scim_kit_create(&k, "/Users", body);
        assert_int_equal(okta_lookup(&k, name), 1);
    }
    /* Okta never gets the password back. */
    json_t *u0 = NULL;
    char path[256];
    snprintf(path, sizeof path, "/Users/%s", users[0]);
    assert_int_equal(scim_kit_call(&k, "GET", path, NULL, &u0), 200);
    assert_null(json_object_get(u0, "password"));
    json_decref(u0);

    static const char *const names[] = {"Engineering", "Sales", "Support"};
    char *groups[3], gpath[3][128];
    for (int g = 0; g < 3; g++) {
        char body[256];
        snprintf(body, sizeof body, "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],"
                 "\"displayName\":\"%s\",\"members\":[]}", names[g]);
        groups[g] = scim_kit_create(&k, "/Groups", body);
        snprintf(gpath[g], sizeof gpath[g], "/Groups/%s", groups[g]);
    }
    /* Members pushed: users 0-9 to Engineering, 10-19 to Sales, 20-24 and 0-1 to Support. */
    for (int g = 0; g < 3; g++) {
        skit_buf body = SKIT_BUF_INIT;
        skit_buf_puts(&body, "{" PATCH_OP ",\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[");
        int from = g * 10, to = g == 2 ? USERS : from + 10;
        for (int i = from; i < to; i++)
            skit_buf_printf(&body, "%s{\"value\":\"%s\",\"display\":\"user%02d@acme.example\"}", i > from ? "," : "",
                            users[i], i);
        if (g == 2)
            skit_buf_printf(&body, ",{\"value\":\"%s\"},{\"value\":\"%s\"}", users[0], users[1]);
        skit_buf_puts(&body, "]}]}");
        patch(&k, gpath[g], body.ptr);
        skit_buf_free(&body);
    }
    char body[1024];
    snprintf(body, sizeof body, "{" PATCH_OP ",\"Operations\":[{\"op\":\"remove\",\"path\":"
             "\"members[value eq \\\"%s\\\"]\"}]}", users[0]);
    patch(&k, gpath[2], body);
    snprintf(body, sizeof body, "{" PATCH_OP ",\"Operations\":[{\"op\":\"replace\",\"value\":{\"id\":\"%s\","
             "\"displayName\":\"Customer Support\"}}]}", groups[2]);
    patch(&k, gpath[2], body);
    /* Deactivation, and a profile change by PUT. */
    snprintf(path, sizeof path, "/Users/%s", users[3]);
    patch(&k, path, "{" PATCH_OP ",\"Operations\":[{\"op\":\"replace\",\"value\":{\"active\":false}}]}");
    snprintf(path, sizeof path, "/Users/%s", users[4]);
    json_t *put = NULL;
    assert_int_equal(scim_kit_call(&k, "PUT", path,
                                   "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                                   "\"userName\":\"user04@acme.example\",\"name\":{\"givenName\":\"Renamed\","
                                   "\"familyName\":\"Family04\"},\"emails\":[{\"primary\":true,\"value\":"
                                   "\"renamed@acme.example\",\"type\":\"work\"}],\"externalId\":\"00u0004\","
                                   "\"active\":true}", &put), 200);
    assert_int_equal(json_array_size(json_object_get(put, "groups")), 1);   /* PUT keeps memberships */
    json_decref(put);

    /* The listing agrees. */
    json_t *list = NULL;
    assert_int_equal(scim_kit_list(&k, "users", "?page_size=30", &list), 200);
    assert_int_equal(json_integer_value(json_object_get(list, "total_size")), USERS);
    assert_int_equal(json_array_size(json_object_get(list, "users")), USERS);
    assert_string_equal(json_string_value(json_object_get(list, "next_page_token")), "");
    for (int i = 0; i < USERS; i++) {
        json_t *u = item(list, "users", users[i]);
        char want[64];
        snprintf(want, sizeof want, "user%02d@acme.example", i);
        assert_string_equal(json_string_value(json_object_get(u, "preferred_username")), want);
        if (i != 4) {
            assert_string_equal(json_string_value(json_object_get(u, "email")), want);
            snprintf(want, sizeof want, "Given%02d", i);
            assert_string_equal(json_string_value(json_object_get(u, "given_name")), want);
        }
        size_t n_groups = json_array_size(json_object_get(u, "groups"));
        assert_int_equal(n_groups, i == 1 ? 2 : 1);
    }
    json_t *renamed = item(list, "users", users[4]);
    assert_string_equal(json_string_value(json_object_get(renamed, "given_name")), "Renamed");
    assert_string_equal(json_string_value(json_array_get(json_object_get(renamed, "emails"), 0)),
                        "renamed@acme.example");
    json_t *in_support = json_array_get(json_object_get(item(list, "users", users[1]), "groups"), 1);
    assert_string_equal(json_string_value(json_object_get(in_support, "display_name")), "Customer Support");
    assert_int_equal(json_integer_value(json_object_get(in_support, "total_users")), 6);
    json_decref(list);
    assert_int_equal(scim_kit_list(&k, "groups", NULL, &list), 200);
    assert_int_equal(json_integer_value(json_object_get(list, "total_size")), 3);
    static const int totals[] = {10, 10, 6};
    for (int g = 0; g < 3; g++)
        assert_int_equal(json_integer_value(json_object_get(item(list, "groups", groups[g]), "total_users")),
                         totals[g]);
    assert_string_equal(json_string_value(json_object_get(item(list, "groups", groups[2]), "display_name")),
                        "Customer Support");
    json_decref(list);

    /* The events agree: 25 user_created, 3 group_created, 5 group_updated, 2 user_updated, in order. */
    size_t n = USERS + 3 + 5 + 2;
    json_t **ev = events(s, n);
    for (int i = 0; i < USERS; i++) {
        assert_event(ev[i], "organization.directory.user_created", "DirectoryUser", &k, users[i]);
        json_t *data = json_object_get(ev[i], "data");
        char want[64];
        snprintf(want, sizeof want, "user%02d@acme.example", i);
        assert_string_equal(json_string_value(json_object_get(data, "email")), want);
        assert_string_equal(json_string_value(json_object_get(data, "preferred_username")), want);
        snprintf(want, sizeof want, "00u%04d", i);
        assert_string_equal(json_string_value(json_object_get(data, "dp_id")), want);
        assert_true(json_is_true(json_object_get(data, "active")));
        assert_null(json_object_get(json_object_get(data, "raw_attributes"), "password"));
    }
    for (int g = 0; g < 3; g++) {
        assert_event(ev[USERS + g], "organization.directory.group_created", "DirectoryGroup", &k, groups[g]);
        assert_string_equal(json_string_value(json_object_get(json_object_get(ev[USERS + g], "data"), "directory_id")),
                            k.directory_id);
    }
    for (int i = 0; i < 5; i++)
        assert_event(ev[USERS + 3 + i], "organization.directory.group_updated", "DirectoryGroup", &k,
                     groups[i < 3 ? i : 2]);
    assert_string_equal(json_string_value(json_object_get(json_object_get(ev[USERS + 7], "data"), "display_name")),
                        "Customer Support");
    assert_event(ev[n - 2], "organization.directory.user_updated", "DirectoryUser", &k, users[3]);
    assert_true(json_is_false(json_object_get(json_object_get(ev[n - 2], "data"), "active")));
    json_t *g3 = json_array_get(json_object_get(json_object_get(ev[n - 2], "data"), "groups"), 0);
    assert_string_equal(json_string_value(json_object_get(g3, "name")), "Engineering");
    assert_event(ev[n - 1], "organization.directory.user_updated", "DirectoryUser", &k, users[4]);
    assert_string_equal(json_string_value(json_object_get(json_object_get(ev[n - 1], "data"), "given_name")), "Renamed");
    free_events(ev, n);

    for (int i = 0; i < USERS; i++)
        free(users[i]);
    for (int g = 0; g < 3; g++)
        free(groups[g]);
    scim_kit_stop(&k);
}

static void entra_provisions_and_deprovisions(void **state)
{
    hook_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "directories made in the emulator's store");
    hook_fixture_reset(s);
    scim_kit k;
    scim_kit_start(&k, s->f, "Contoso Entra");
    hook_fixture_wait(s, 1);
    hook_fixture_reset(s);

    json_t *probe = NULL;
    assert_int_equal(scim_kit_call(&k, "GET", "/Users?filter=userName+eq+%22Test_User_ab6490ee%22", NULL, &probe), 200);
    assert_int_equal(json_integer_value(json_object_get(probe, "totalResults")), 0);
    json_decref(probe);
    char *user = scim_kit_create(&k, "/Users",
        "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\","
        "\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"],"
        "\"externalId\":\"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef\",\"userName\":\"Test_User_ab6490ee\","
        "\"active\":true,\"emails\":[{\"primary\":true,\"type\":\"work\",\"value\":\"Test_User_fd0ea19b@testuser.com\"}],"
        "\"meta\":{\"resourceType\":\"User\"},\"name\":{\"formatted\":\"givenName familyName\","
        "\"familyName\":\"familyName\",\"givenName\":\"givenName\"},\"roles\":[],"
        "\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\":{\"department\":\"Finance\","
        "\"employeeNumber\":\"E-42\"}}");
    char *second = scim_kit_create(&k, "/Users",
        "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"Test_User_second\","
        "\"active\":true,\"name\":{\"givenName\":\"Second\",\"familyName\":\"User\"}}");
    char upath[128], spath[128], gpath[128], body[1024];
    snprintf(upath, sizeof upath, "/Users/%s", user);
    snprintf(spath, sizeof spath, "/Users/%s", second);
    patch(&k, upath, "{" PATCH_OP ",\"Operations\":[{\"op\":\"Replace\",\"path\":\"emails[type eq \\\"work\\\"].value\","
                     "\"value\":\"updatedEmail@microsoft.com\"},{\"op\":\"Replace\",\"path\":\"name.familyName\","
                     "\"value\":\"updatedFamilyName\"}]}");
    /* A work email the user does not have yet is added. */
    patch(&k, spath, "{" PATCH_OP ",\"Operations\":[{\"op\":\"Add\",\"path\":\"emails[type eq \\\"work\\\"].value\","
                     "\"value\":\"second@contoso.example\"}]}");

    char *group = scim_kit_create(&k, "/Groups",
        "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\","
        "\"http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group\"],"
        "\"externalId\":\"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159\",\"displayName\":\"displayName\","
        "\"meta\":{\"resourceType\":\"Group\"}}");
    snprintf(gpath, sizeof gpath, "/Groups/%s", group);
    json_t *found = NULL;
    assert_int_equal(scim_kit_call(&k, "GET", "/Groups?excludedAttributes=members&filter=displayName+eq+%22displayName%22",
                                   NULL, &found), 200);
    assert_int_equal(json_integer_value(json_object_get(found, "totalResults")), 1);
    json_decref(found);
    snprintf(body, sizeof body, "{" PATCH_OP ",\"Operations\":[{\"op\":\"Add\",\"path\":\"members\","
             "\"value\":[{\"$ref\":null,\"value\":\"%s\"},{\"$ref\":null,\"value\":\"%s\"}]}]}", user, second);
    patch(&k, gpath, body);
    snprintf(body, sizeof body, "{" PATCH_OP ",\"Operations\":[{\"op\":\"Remove\",\"path\":\"members\","
             "\"value\":[{\"$ref\":null,\"value\":\"%s\"}]}]}", second);
    patch(&k, gpath, body);
    patch(&k, gpath, "{" PATCH_OP ",\"Operations\":[{\"op\":\"Replace\",\"path\":\"displayName\","
                     "\"value\":\"1879db59updatedDisplayName\"}]}");
    /* Soft delete: active "False" (a string, as Entra sends it), then the hard delete. */
    patch(&k, upath, "{" PATCH_OP ",\"Operations\":[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]}");
    json_t *got = NULL;
    assert_int_equal(scim_kit_call(&k, "GET", "/Users?filter=userName+eq+%22Test_User_ab6490ee%22", NULL, &got), 200);
    assert_true(json_is_false(json_object_get(json_array_get(json_object_get(got, "Resources"), 0), "active")));
    json_decref(got);

    /* Before the hard delete: the listing shows the soft-deleted user, with the detail. */
    json_t *list = NULL;
    assert_int_equal(scim_kit_list(&k, "users", "?include_detail=true", &list), 200);
    assert_int_equal(json_integer_value(json_object_get(list, "total_size")), 2);
    json_t *u = item(list, "users", user);
    assert_string_equal(json_string_value(json_object_get(u, "email")), "updatedEmail@microsoft.com");
    assert_string_equal(json_string_value(json_object_get(u, "family_name")), "updatedFamilyName");
    json_t *detail = json_object_get(u, "user_detail");
    assert_true(json_is_false(json_object_get(detail, "active")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(detail,
                        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"), "department")), "Finance");
    assert_string_equal(json_string_value(json_object_get(item(list, "users", second), "email")),
                        "second@contoso.example");
    assert_int_equal(json_array_size(json_object_get(item(list, "users", second), "groups")), 0);
    json_decref(list);

    json_t *none = NULL;
    assert_int_equal(scim_kit_call(&k, "DELETE", upath, NULL, NULL), 204);
    assert_int_equal(scim_kit_call(&k, "DELETE", gpath, NULL, NULL), 204);
    assert_int_equal(scim_kit_list(&k, "users", NULL, &list), 200);
    assert_int_equal(json_integer_value(json_object_get(list, "total_size")), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(list, "users"), 0), "id")),
                        second);
    json_decref(list);
    assert_int_equal(scim_kit_list(&k, "groups", NULL, &none), 200);
    assert_int_equal(json_integer_value(json_object_get(none, "total_size")), 0);
    json_decref(none);

    /* user_created x2, user_updated x2, group_created, group_updated x3, user_updated, user_deleted, group_deleted. */
    static const char *const types[] = {
        "user_created", "user_created", "user_updated", "user_updated", "group_created", "group_updated",
        "group_updated", "group_updated", "user_updated", "user_deleted", "group_deleted",
    };
    size_t n = sizeof types / sizeof types[0];
    json_t **ev = events(s, n);
    for (size_t i = 0; i < n; i++) {
        char type[80];
        snprintf(type, sizeof type, "organization.directory.%s", types[i]);
        assert_event(ev[i], type, strncmp(types[i], "user", 4) == 0 ? "DirectoryUser" : "DirectoryGroup", &k, NULL);
    }
    json_t *created = json_object_get(ev[0], "data");
    assert_string_equal(json_string_value(json_object_get(created, "department")), "Finance");
    assert_string_equal(json_string_value(json_object_get(created, "employee_id")), "E-42");
    assert_string_equal(json_string_value(json_object_get(created, "name")), "givenName familyName");
    json_t *soft = json_object_get(ev[8], "data");
    assert_string_equal(json_string_value(json_object_get(soft, "id")), user);
    assert_true(json_is_false(json_object_get(soft, "active")));
    json_t *gone = json_object_get(ev[9], "data");
    assert_string_equal(json_string_value(json_object_get(gone, "id")), user);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(gone, "groups"), 0), "name")),
                        "1879db59updatedDisplayName");
    assert_string_equal(json_string_value(json_object_get(json_object_get(ev[10], "data"), "id")), group);
    free_events(ev, n);
    free(user);
    free(second);
    free(group);
    scim_kit_stop(&k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(okta_provisions_25_users_and_3_groups),
        cmocka_unit_test(entra_provisions_and_deprovisions),
    };
    return cmocka_run_group_tests(tests, hook_fixture_setup, hook_fixture_teardown);
}
