/* Every role method against the scripted mock server: the request on the wire
 * (method, path, query, exact JSON body), the decoded result, the C-level
 * refusals that send nothing, and the server's 400, 404 and 409. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scalekit/scalekit.h"
#include "mock_client.h"

#define ROLES "/api/v1/roles"
#define ORG_ROLES "/api/v1/organizations/org_1/roles"

/* Every v1rolesRole member, true booleans (so a swapped field is caught), and one unknown. */
#define ROLE_JSON(name)                                                                              \
    "{\"id\":\"role_" name "\",\"name\":\"" name "\",\"display_name\":\"Editor\","                   \
    "\"description\":\"Can edit\",\"extends\":\"viewer\",\"default_creator\":true,"                 \
    "\"default_member\":false,\"is_org_role\":true,\"dependent_roles_count\":3,"                    \
    "\"permissions\":[{\"id\":\"perm_1\",\"name\":\"read:content\",\"description\":\"Read\","       \
    "\"role_name\":\"viewer\",\"create_time\":\"2025-09-01T12:14:43Z\","                            \
    "\"update_time\":\"2025-09-01T12:14:44Z\"}],\"future_field\":1}"

static void assert_full_role(const scalekit_role *r, const char *name)
{
    char id[64];
    snprintf(id, sizeof id, "role_%s", name);
    assert_string_equal(r->id, id);
    assert_string_equal(r->name, name);
    assert_string_equal(r->display_name, "Editor");
    assert_string_equal(r->description, "Can edit");
    assert_string_equal(r->extends, "viewer");
    assert_true(r->default_creator);
    assert_false(r->default_member);
    assert_true(r->is_org_role);
    assert_int_equal(r->dependent_roles_count, 3);
    assert_int_equal(r->permission_count, 1);
    const scalekit_role_permission *p = r->permissions[0];
    assert_string_equal(p->id, "perm_1");
    assert_string_equal(p->name, "read:content");
    assert_string_equal(p->description, "Read");
    assert_string_equal(p->role_name, "viewer");
    assert_true(p->create_time == INT64_C(1756728883));
    assert_true(p->update_time == INT64_C(1756728884));
}

static void create_sends_name_and_options(void **state)
{
    mock_client *f = *state;
    const char *answer = "{\"role\":" ROLE_JSON("editor") "}";
    const char *perms[] = { "read:content", "write:content", NULL };
    scalekit_role_create_options opts = SCALEKIT_ROLE_CREATE_OPTIONS_INIT;
    opts.display_name = "Editor";
    opts.description = "Can edit";
    opts.extends = "viewer";
    opts.permissions = perms;
    scalekit_role *r = NULL;
    mock_http_enqueue(f->mock, "POST", ROLES, 201, answer);
    assert_int_equal(scalekit_role_create(f->client, "editor", &opts, &r), SCALEKIT_OK);
    mock_assert_request(f->mock, ROLES, 0, "POST", "",
                        "{\"name\":\"editor\",\"display_name\":\"Editor\",\"description\":\"Can edit\","
                        "\"extends\":\"viewer\",\"permissions\":[\"read:content\",\"write:content\"]}");
    assert_full_role(r, "editor");
    assert_string_equal(r->raw_json, answer);
    scalekit_role_free(r);

    /* NULL options: the name alone; an organization role takes the same body. */
    mock_http_enqueue(f->mock, "POST", ROLES, 201, answer);
    assert_int_equal(scalekit_role_create(f->client, "editor", NULL, &r), SCALEKIT_OK);
    mock_assert_request(f->mock, ROLES, 1, "POST", "", "{\"name\":\"editor\"}");
    scalekit_role_free(r);
    mock_http_enqueue(f->mock, "POST", ORG_ROLES, 201, answer);
    assert_int_equal(scalekit_role_create_organization_role(f->client, "org_1", "editor", &opts, &r),
                     SCALEKIT_OK);
    mock_assert_request(f->mock, ORG_ROLES, 0, "POST", "",
                        "{\"name\":\"editor\",\"display_name\":\"Editor\",\"description\":\"Can edit\","
                        "\"extends\":\"viewer\",\"permissions\":[\"read:content\",\"write:content\"]}");
    assert_full_role(r, "editor");
    scalekit_role_free(r);
}

static void get_list_and_include(void **state)
{
    mock_client *f = *state;
    scalekit_role_get_options opts = SCALEKIT_ROLE_GET_OPTIONS_INIT;
    opts.include = "permissions:all";
    scalekit_role *r = NULL;
    mock_http_enqueue(f->mock, "GET", ROLES "/a%20b", 200, "{\"role\":" ROLE_JSON("a b") "}");
    assert_int_equal(scalekit_role_get(f->client, "a b", &opts, &r), SCALEKIT_OK);
    mock_assert_request(f->mock, ROLES "/a%20b", 0, "GET", "include=permissions%3Aall", "");
    assert_full_role(r, "a b");
    scalekit_role_free(r);
    mock_http_enqueue(f->mock, "GET", ORG_ROLES "/editor", 200, "{\"role\":" ROLE_JSON("editor") "}");
    assert_int_equal(scalekit_role_get_organization_role(f->client, "org_1", "editor", NULL, &r), SCALEKIT_OK);
    mock_assert_request(f->mock, ORG_ROLES "/editor", 0, "GET", "", "");
    scalekit_role_free(r);

    const char *list = "{\"roles\":[" ROLE_JSON("editor") "," ROLE_JSON("viewer") "]}";
    scalekit_roles *roles = NULL;
    mock_http_enqueue(f->mock, "GET", ROLES, 200, list);
    assert_int_equal(scalekit_role_list(f->client, &opts, &roles), SCALEKIT_OK);
    mock_assert_request(f->mock, ROLES, 0, "GET", "include=permissions%3Aall", "");
    assert_int_equal(roles->count, 2);
    assert_full_role(roles->items[0], "editor");
    assert_full_role(roles->items[1], "viewer");
    assert_string_equal(roles->raw_json, list);
    scalekit_roles_free(roles);
    mock_http_enqueue(f->mock, "GET", ORG_ROLES, 200, "{\"roles\":[]}");
    assert_int_equal(scalekit_role_list_organization_roles(f->client, "org_1", NULL, &roles), SCALEKIT_OK);
    mock_assert_request(f->mock, ORG_ROLES, 0, "GET", "", "");
    assert_int_equal(roles->count, 0);
    scalekit_roles_free(roles);
    mock_http_enqueue(f->mock, "GET", ROLES "/viewer/dependents", 200, list);
    assert_int_equal(scalekit_role_list_dependent_roles(f->client, "viewer", &roles), SCALEKIT_OK);
    mock_assert_request(f->mock, ROLES "/viewer/dependents", 0, "GET", "", "");
    assert_int_equal(roles->count, 2);
    assert_string_equal(roles->items[1]->name, "viewer");
    scalekit_roles_free(roles);
}

static void update_sends_what_is_set(void **state)
{
    mock_client *f = *state;
    const char *perms[] = { "read:content", NULL };
    scalekit_role_update_options u = SCALEKIT_ROLE_UPDATE_OPTIONS_INIT;
    u.display_name = "Senior Editor";
    u.permissions = perms;
    scalekit_role *r = NULL;
    mock_http_enqueue(f->mock, "PUT", ROLES "/editor", 200, "{\"role\":" ROLE_JSON("editor") "}");
    assert_int_equal(scalekit_role_update(f->client, "editor", &u, &r), SCALEKIT_OK);
    mock_assert_request(f->mock, ROLES "/editor", 0, "PUT", "",
                        "{\"display_name\":\"Senior Editor\",\"permissions\":[\"read:content\"]}");
    assert_full_role(r, "editor");
    scalekit_role_free(r);
    u.description = "";
    u.extends = "base";
    mock_http_enqueue(f->mock, "PUT", ORG_ROLES "/editor", 200, "{\"role\":" ROLE_JSON("editor") "}");
    assert_int_equal(scalekit_role_update_organization_role(f->client, "org_1", "editor", &u, &r), SCALEKIT_OK);
    mock_assert_request(f->mock, ORG_ROLES "/editor", 0, "PUT", "",
                        "{\"display_name\":\"Senior Editor\",\"description\":\"\",\"extends\":\"base\","
                        "\"permissions\":[\"read:content\"]}");
    scalekit_role_free(r);
}

static void deletes_counts_and_bases(void **state)
{
    mock_client *f = *state;
    mock_http_enqueue(f->mock, "DELETE", ROLES "/editor", 200, "{}");
    assert_int_equal(scalekit_role_delete(f->client, "editor", "viewer"), SCALEKIT_OK);
    mock_assert_request(f->mock, ROLES "/editor", 0, "DELETE", "reassign_role_name=viewer", "");
    mock_http_enqueue(f->mock, "DELETE", ROLES "/editor", 200, "{}");
    assert_int_equal(scalekit_role_delete(f->client, "editor", ""), SCALEKIT_OK);
    mock_assert_request(f->mock, ROLES "/editor", 1, "DELETE", "", "");
    mock_http_enqueue(f->mock, "DELETE", ORG_ROLES "/editor", 200, "{}");
    assert_int_equal(scalekit_role_delete_organization_role(f->client, "org_1", "editor", NULL), SCALEKIT_OK);
    mock_assert_request(f->mock, ORG_ROLES "/editor", 0, "DELETE", "", "");
    mock_http_enqueue(f->mock, "DELETE", ORG_ROLES "/editor/base", 200, "{}");
    assert_int_equal(scalekit_role_delete_organization_role_base(f->client, "org_1", "editor"), SCALEKIT_OK);
    mock_assert_request(f->mock, ORG_ROLES "/editor/base", 0, "DELETE", "", "");
    mock_http_enqueue(f->mock, "DELETE", ROLES "/editor/base", 200, "{}");
    assert_int_equal(scalekit_role_delete_base(f->client, "editor"), SCALEKIT_OK);
    mock_assert_request(f->mock, ROLES "/editor/base", 0, "DELETE", "", "");

    /* users:count answers an int64 as a string; beyond 2^53 it stays exact. */
    int64_t n = -1;
    mock_http_enqueue(f->mock, "GET", ROLES "/editor/users:count", 200, "{\"count\":\"9007199254740993\"}");
    assert_int_equal(scalekit_role_get_users_count(f->client, "editor", &n), SCALEKIT_OK);
    mock_assert_request(f->mock, ROLES "/editor/users:count", 0, "GET", "", "");
    assert_true(n == INT64_C(9007199254740993));
    mock_http_enqueue(f->mock, "GET", ORG_ROLES "/editor/users:count", 200, "{\"count\":\"0\"}");
    assert_int_equal(scalekit_role_get_organization_role_users_count(f->client, "org_1", "editor", &n),
                     SCALEKIT_OK);
    assert_true(n == 0);
    /* An answer without a count is not a count of 0. */
    n = 5;
    mock_http_enqueue(f->mock, "GET", ROLES "/editor/users:count", 200, "{}");
    assert_int_equal(scalekit_role_get_users_count(f->client, "editor", &n), SCALEKIT_EMALFORMED_RESPONSE);
    assert_true(n == 0);
    mock_http_enqueue(f->mock, "GET", ROLES "/editor/users:count", 200, "{\"count\":\"many\"}");
    assert_int_equal(scalekit_role_get_users_count(f->client, "editor", &n), SCALEKIT_EMALFORMED_RESPONSE);
}

static void default_roles(void **state)
{
    mock_client *f = *state;
    const char *answer = "{\"default_creator\":" ROLE_JSON("owner") ",\"default_member\":" ROLE_JSON("member") "}";
    scalekit_role_default_roles_options o = SCALEKIT_ROLE_DEFAULT_ROLES_OPTIONS_INIT;
    o.default_creator_role = "owner";
    o.default_member_role = "member";
    scalekit_role_defaults *d = NULL;
    mock_http_enqueue(f->mock, "PATCH", ROLES ":set_defaults", 200, answer);
    assert_int_equal(scalekit_role_update_default_roles(f->client, &o, &d), SCALEKIT_OK);
    mock_assert_request(f->mock, ROLES ":set_defaults", 0, "PATCH", "",
                        "{\"default_creator_role\":\"owner\",\"default_member_role\":\"member\"}");
    assert_full_role(d->default_creator, "owner");
    assert_full_role(d->default_member, "member");
    assert_string_equal(d->raw_json, answer);
    scalekit_role_defaults_free(d);

    mock_http_enqueue(f->mock, "PATCH", ORG_ROLES ":set_defaults", 200, "{\"default_member\":" ROLE_JSON("member") "}");
    assert_int_equal(scalekit_role_update_default_organization_roles(f->client, "org_1", "member", &d), SCALEKIT_OK);
    mock_assert_request(f->mock, ORG_ROLES ":set_defaults", 0, "PATCH", "", "{\"default_member_role\":\"member\"}");
    assert_null(d->default_creator);
    assert_string_equal(d->default_member->name, "member");
    scalekit_role_defaults_free(d);
}

/* What C cannot send is refused with a message naming it, and nothing is sent. */
static void refusals_send_nothing(void **state)
{
    mock_client *f = *state;
    scalekit_role *r = (scalekit_role *)&r;
    scalekit_roles *roles = (scalekit_roles *)&roles;
    scalekit_role_defaults *d = (scalekit_role_defaults *)&d;
    scalekit_role_create_options unset = { 0 };
    scalekit_role_update_options u = SCALEKIT_ROLE_UPDATE_OPTIONS_INIT;
    scalekit_role_default_roles_options none = SCALEKIT_ROLE_DEFAULT_ROLES_OPTIONS_INIT;
    int64_t n = 7;

    assert_int_equal(scalekit_role_create(f->client, "", NULL, &r), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "name must not be empty");
    assert_null(r);
    assert_int_equal(scalekit_role_create(f->client, "editor", &unset, &r), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "scalekit_role_create_options.struct_size is 0: "
                        "initialise the struct with SCALEKIT_ROLE_CREATE_OPTIONS_INIT");
    assert_int_equal(scalekit_role_create(f->client, "\xc3(", NULL, &r), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "role.name is not valid UTF-8");
    assert_int_equal(scalekit_role_create(f->client, "editor", NULL, NULL), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "out must not be NULL");
    assert_int_equal(scalekit_role_create_organization_role(f->client, "", "editor", NULL, &r), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "org_id must not be empty");
    assert_int_equal(scalekit_role_get(f->client, "..", NULL, &r), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "role_name \"..\" is not a valid path segment");
    assert_int_equal(scalekit_role_get_organization_role(f->client, "org_1", NULL, NULL, &r), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "role_name must not be empty");
    assert_int_equal(scalekit_role_update(f->client, "editor", NULL, &r), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "update must not be NULL");
    assert_int_equal(scalekit_role_update_organization_role(f->client, "org_1", "", &u, &r), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_role_delete(f->client, "", NULL), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_role_delete_organization_role(f->client, "org_1", "..", NULL), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_role_delete(f->client, "editor", "\xff"), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_role_get_users_count(f->client, "editor", NULL), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "count must not be NULL");
    assert_int_equal(scalekit_role_get_organization_role_users_count(f->client, "", "editor", &n), SCALEKIT_EINVAL);
    assert_true(n == 0);
    assert_int_equal(scalekit_role_list(f->client, NULL, NULL), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_role_list_organization_roles(f->client, "", NULL, &roles), SCALEKIT_EINVAL);
    assert_null(roles);
    assert_int_equal(scalekit_role_list_dependent_roles(f->client, "", &roles), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_role_update_default_organization_roles(f->client, "org_1", "", &d), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "default_member_role must not be empty");
    assert_null(d);
    assert_int_equal(scalekit_role_update_default_roles(f->client, NULL, &d), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "opts must not be NULL");
    assert_int_equal(scalekit_role_update_default_roles(f->client, &none, &d), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message,
                        "opts must set default_creator_role or default_member_role");
    assert_int_equal(scalekit_role_delete_base(f->client, ""), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_role_delete_organization_role_base(f->client, "org_1", ""), SCALEKIT_EINVAL);
    assert_int_equal(mock_http_request_count(f->mock), 0);
}

static void server_errors_are_decoded(void **state)
{
    mock_client *f = *state;
    scalekit_role *r = NULL;
    mock_http_enqueue(f->mock, "POST", ROLES, 400,
                      "{\"code\":3,\"message\":\"invalid role\",\"details\":[{"
                      "\"error_code\":\"INVALID_ARGUMENT\",\"validation_error_info\":{"
                      "\"field_violations\":[{\"field\":\"name\",\"description\":"
                      "\"must be alphanumeric with underscores\"}]}}]}");
    assert_int_equal(scalekit_role_create(f->client, "bad-name", NULL, &r), SCALEKIT_EINVALID_REQUEST);
    assert_null(r);
    const scalekit_error *e = scalekit_error_last();
    assert_int_equal(e->http_status, 400);
    assert_string_equal(e->error_code, "INVALID_ARGUMENT");
    assert_int_equal(e->field_violation_count, 1);
    assert_string_equal(e->field_violations[0].field, "name");
    assert_string_equal(e->field_violations[0].description, "must be alphanumeric with underscores");

    mock_http_enqueue(f->mock, "POST", ORG_ROLES, 409, "{\"code\":6,\"message\":\"role editor exists\"}");
    assert_int_equal(scalekit_role_create_organization_role(f->client, "org_1", "editor", NULL, &r),
                     SCALEKIT_EEXISTS);
    assert_string_equal(scalekit_error_last()->message, "HTTP 409: role editor exists");
    mock_http_enqueue(f->mock, "GET", ROLES "/ghost", 404, "{\"code\":5,\"message\":\"role ghost not found\"}");
    assert_int_equal(scalekit_role_get(f->client, "ghost", NULL, &r), SCALEKIT_ENOTFOUND);
    assert_int_equal(scalekit_error_last()->http_status, 404);
    assert_null(r);
    int64_t n = 3;
    mock_http_enqueue(f->mock, "GET", ROLES "/ghost/users:count", 404, "{\"code\":5,\"message\":\"nope\"}");
    assert_int_equal(scalekit_role_get_users_count(f->client, "ghost", &n), SCALEKIT_ENOTFOUND);
    assert_true(n == 0);
    /* A body without the role member, and one that is no JSON. */
    mock_http_enqueue(f->mock, "GET", ROLES "/odd", 200, "{\"permission\":{}}");
    assert_int_equal(scalekit_role_get(f->client, "odd", NULL, &r), SCALEKIT_EMALFORMED_RESPONSE);
    mock_http_enqueue(f->mock, "GET", ROLES "/odd", 200, "<html>");
    assert_int_equal(scalekit_role_get(f->client, "odd", NULL, &r), SCALEKIT_EMALFORMED_RESPONSE);
    assert_null(r);
}

static void frees_are_safe_on_null(void **state)
{
    (void)state;
    scalekit_role_free(NULL);
    scalekit_roles_free(NULL);
    scalekit_role_defaults_free(NULL);
}

#define TEST(t) cmocka_unit_test_setup_teardown(t, mock_client_setup, mock_client_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(create_sends_name_and_options),
        TEST(get_list_and_include),
        TEST(update_sends_what_is_set),
        TEST(deletes_counts_and_bases),
        TEST(default_roles),
        TEST(refusals_send_nothing),
        TEST(server_errors_are_decoded),
        cmocka_unit_test(frees_are_safe_on_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
