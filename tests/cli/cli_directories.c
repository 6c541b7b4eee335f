/*
 * The directories commands: against the in-process emulator, create, list, get,
 * primary, enable and disable, the secrets, delete, a refused provider (exit 4)
 * and an unknown directory (exit 3); the users and groups listings, which the
 * emulator's SCIM side serves, on the wire against a scripted server: the query
 * their flags send and --all walking the pages.
 */
#include "mock_http.h"
#include "cli_harness.h"

static char *string_at(const cli_result *r, const char *member, const char *field)
{
    json_t *j = cli_json(r);
    const char *v = json_string_value(json_object_get(member ? json_object_get(j, member) : j, field));
    assert_non_null(v);
    char *out = strdup(v);
    json_decref(j);
    return out;
}

static void test_directory_commands(void **st)
{
    (void)st;
    cli_result r = CLI(NULL, "organizations", "create", "Directory CLI", "--output", "json");
    assert_status(r, 0);
    char *org = string_at(&r, "organization", "id");
    cli_result_free(&r);

    r = CLI(NULL, "directories", "create", org, "--provider", "NOT_AN_IDP");
    assert_status(r, CLI_EXIT_REFUSED);
    assert_non_null(strstr(r.err, "directory_provider"));
    cli_result_free(&r);
    r = CLI(NULL, "directories", "create", org, "--provider", "OKTA", "--directory-type", "SCIM", "--output", "json");
    assert_status(r, 0);
    char *id = string_at(&r, "directory", "id");
    cli_result_free(&r);

    r = CLI(NULL, "directories", "list", org, "--output", "json");
    assert_status(r, 0);
    json_t *j = cli_json(&r);
    assert_int_equal(json_array_size(json_object_get(j, "directories")), 1);
    json_decref(j);
    cli_result_free(&r);
    r = CLI(NULL, "directories", "primary", org, "--output", "json");
    assert_status(r, 0);
    char *primary = string_at(&r, NULL, "id");
    assert_string_equal(primary, id);
    free(primary);
    cli_result_free(&r);

    r = CLI(NULL, "directories", "enable", org, id, "--output", "json");
    assert_status(r, 0);
    j = cli_json(&r);
    assert_true(json_is_true(json_object_get(j, "enabled")));
    json_decref(j);
    cli_result_free(&r);
    r = CLI(NULL, "directories", "create-secret", org, id, "--output", "json");
    assert_status(r, 0);
    char *plain = string_at(&r, NULL, "plain_secret");
    cli_result_free(&r);
    r = CLI(NULL, "directories", "regenerate-secret", org, id, "--output", "json");
    assert_status(r, 0);
    assert_null(strstr(r.out, plain));
    cli_result_free(&r);
    r = CLI(NULL, "directories", "get", org, id, "--output", "json");
    assert_status(r, 0);
    j = cli_json(&r);
    json_t *d = json_object_get(j, "directory");
    assert_true(json_is_true(json_object_get(d, "enabled")));
    assert_int_equal(json_array_size(json_object_get(d, "secrets")), 2);
    assert_null(strstr(r.out, plain));      /* a listed secret never shows itself */
    json_decref(j);
    cli_result_free(&r);
    r = CLI(NULL, "directories", "disable", org, id);
    assert_status(r, 0);
    cli_result_free(&r);

    r = CLI(NULL, "directories", "delete", org, id);
    assert_status(r, 0);
    assert_string_equal(r.out, "");
    cli_result_free(&r);
    r = CLI(NULL, "directories", "get", org, id);
    assert_status(r, CLI_EXIT_NOT_FOUND);
    cli_result_free(&r);
    r = CLI(NULL, "directories", "primary", org);
    assert_status(r, CLI_EXIT_NOT_FOUND);
    assert_non_null(strstr(r.err, "has no directory"));
    cli_result_free(&r);
    free(plain);
    free(id);
    free(org);
}

#define USERS "/api/v1/organizations/org_1/directories/dir_1/users"
#define GROUPS "/api/v1/organizations/org_1/directories/dir_1/groups"

static void test_users_and_groups_on_the_wire(void **st)
{
    mock_http *m = *st;
    mock_http_reset(m);
    mock_http_enqueue(m, "GET", USERS, 200, "{\"users\":[{\"id\":\"diruser_1\",\"email\":\"a@acme.example\"}],"
                      "\"next_page_token\":\"t2\",\"total_size\":2}");
    cli_result r = CLI(NULL, "directories", "users", "org_1", "dir_1", "--group", "dirgroup_1", "--updated-after",
                       "1729851960", "--include-detail", "--page-size", "1");
    assert_status(r, 0);
    const mock_request *req = mock_http_request_for(m, USERS, 0);
    assert_non_null(req);
    assert_string_equal(req->query, "page_size=1&include_detail=true&directory_group_id=dirgroup_1&"
                        "updated_after=2024-10-25T10%3A26%3A00.000000Z");
    assert_non_null(strstr(r.out, "a@acme.example"));
    cli_result_free(&r);

    /* --all: every page as one document. */
    mock_http_reset(m);
    mock_http_enqueue(m, "GET", GROUPS, 200, "{\"groups\":[{\"id\":\"dirgroup_1\"}],\"next_page_token\":\"g2\"}");
    mock_http_enqueue(m, "GET", GROUPS, 200, "{\"groups\":[{\"id\":\"dirgroup_2\"}],\"next_page_token\":\"g3\"}");
    mock_http_enqueue(m, "GET", GROUPS, 200, "{\"groups\":[{\"id\":\"dirgroup_3\"}],\"next_page_token\":\"\"}");
    r = CLI(NULL, "directories", "groups", "org_1", "dir_1", "--all", "--page-size", "1", "--output", "json");
    assert_status(r, 0);
    json_t *j = cli_json(&r), *items = json_object_get(j, "groups");
    assert_int_equal(json_array_size(items), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 2), "id")), "dirgroup_3");
    json_decref(j);
    assert_string_equal(mock_http_request_for(m, GROUPS, 2)->query, "page_size=1&page_token=g3");
    cli_result_free(&r);

    r = CLI(NULL, "directories", "users", "org_1", "dir_1", "--updated-after", "yesterday");
    assert_status(r, CLI_EXIT_USAGE);
    cli_result_free(&r);
    mock_http_reset(m);
    mock_http_enqueue(m, "GET", GROUPS, 404, "{\"code\":5,\"message\":\"directory dir_1 not found\"}");
    r = CLI(NULL, "directories", "groups", "org_1", "dir_1");
    assert_status(r, CLI_EXIT_NOT_FOUND);
    cli_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest emulator_tests[] = {
        cmocka_unit_test(test_directory_commands),
    };
    const struct CMUnitTest wire_tests[] = {
        cmocka_unit_test(test_users_and_groups_on_the_wire),
    };
    int failed = cmocka_run_group_tests_name("directories against the emulator", emulator_tests, cli_emu_setup,
                                             cli_emu_teardown);
    return failed + cmocka_run_group_tests_name("directories on the wire", wire_tests, cli_wire_setup, cli_wire_teardown);
}
