/*
 * The `clients` and `logs` commands of `scalekit` against the in-process
 * emulator: an organization's API client created with every flag (its secret
 * printed once), its token checked by `token validate --scope`, listed, shown,
 * changed, its secrets added and removed, deleted;
 * the server's 404 as exit 3; and `logs auth` filtering the authentication log
 * of two sign-ins by email and status.
 */
#include "cli_harness.h"
#include "emu_testhttp.h"

typedef cli_emu_state state;

static char *create_org(void)
{
    cli_result r = CLI(NULL, "organizations", "create", "CLI M2M", "--output", "json");
    assert_status(r, 0);
    json_t *j = cli_json(&r);
    char *id = strdup(json_string_value(json_object_get(json_object_get(j, "organization"), "id")));
    json_decref(j);
    cli_result_free(&r);
    return id;
}

static const char *member(json_t *j, const char *object, const char *name)
{
    return json_string_value(json_object_get(object ? json_object_get(j, object) : j, name));
}

static void test_client_commands(void **st)
{
    char *org = create_org();
    cli_result r = CLI(NULL, "clients", "create", org, "Deployer", "--description", "CI", "--scope", "deploy:apps",
                       "--scope", "read:apps", "--audience", "https://api.example.com", "--claim", "team=blue",
                       "--expiry", "900", "--output", "json");
    assert_status(r, 0);
    json_t *j = cli_json(&r);
    json_t *client = json_object_get(j, "client");
    char *id = strdup(member(client, NULL, "client_id"));
    assert_non_null(member(j, NULL, "plain_secret"));
    assert_string_equal(member(client, NULL, "description"), "CI");
    assert_string_equal(json_string_value(json_array_get(json_object_get(client, "scopes"), 1)), "read:apps");
    assert_string_equal(member(json_array_get(json_object_get(client, "custom_claims"), 0), NULL, "value"), "blue");
    assert_string_equal(member(client, NULL, "expiry"), "900");
    cli_result_free(&r);

    /* The client's token, checked by `token validate` for the scopes an API would require. */
    state *s = *st;
    char *token = emu_test_client_token_at(s->f->url, id, member(j, NULL, "plain_secret"));
    assert_non_null(token);
    r = CLI(NULL, "token", "validate", token, "--scope", "deploy:apps", "--output", "json");
    assert_status(r, 0);
    cli_result_free(&r);
    r = CLI(NULL, "token", "validate", token, "--scope", "admin:all");
    assert_status(r, 4);
    assert_true(strstr(r.out, "admin:all") || strstr(r.err, "admin:all"));
    cli_result_free(&r);
    free(token);
    json_decref(j);

    r = CLI(NULL, "clients", "update", org, id, "--name", "Deployer 2", "--expiry", "60");
    assert_status(r, 0);
    j = cli_json(&r);
    assert_string_equal(member(j, "client", "name"), "Deployer 2");
    assert_string_equal(member(j, "client", "expiry"), "60");
    json_decref(j);
    cli_result_free(&r);

    r = CLI(NULL, "clients", "add-secret", org, id);
    assert_status(r, 0);
    j = cli_json(&r);
    char *secret = strdup(member(j, "secret", "id"));
    assert_non_null(member(j, NULL, "plain_secret"));
    json_decref(j);
    cli_result_free(&r);

    r = CLI(NULL, "clients", "list", org, "--output", "table");
    assert_status(r, 0);
    assert_non_null(strstr(r.out, "client_id"));
    assert_non_null(strstr(r.out, id));
    assert_non_null(strstr(r.out, "Deployer 2"));
    cli_result_free(&r);

    r = CLI(NULL, "clients", "remove-secret", org, id, secret);
    assert_status(r, 0);
    assert_string_equal(r.out, "");
    cli_result_free(&r);
    r = CLI(NULL, "clients", "remove-secret", org, id, secret);
    assert_status(r, 3);
    assert_non_null(strstr(r.err, secret));
    cli_result_free(&r);

    r = CLI(NULL, "clients", "get", org, id);
    assert_status(r, 0);
    j = cli_json(&r);
    assert_int_equal(json_array_size(json_object_get(json_object_get(j, "client"), "secrets")), 1);
    json_decref(j);
    cli_result_free(&r);

    r = CLI(NULL, "clients", "delete", org, id);
    assert_status(r, 0);
    cli_result_free(&r);
    r = CLI(NULL, "clients", "get", org, id);
    assert_status(r, 3);
    cli_result_free(&r);
    r = CLI(NULL, "clients", "create", org, "Bad", "--claim", "novalue");
    assert_status(r, 2);
    cli_result_free(&r);
    free(secret);
    free(id);
    free(org);
}

static void test_logs_auth(void **st)
{
    state *s = *st;
    scalekit_authentication_response *a = emu_fixture_sign_in(s->f, "ada@cli-logs.example");
    scalekit_authentication_response_free(a);
    a = emu_fixture_sign_in(s->f, "bob@cli-logs.example");
    scalekit_authentication_response_free(a);

    cli_result r = CLI(NULL, "logs", "auth", "--email", "ADA@cli-logs.example", "--status", "SUCCESS",
                       "--output", "json");
    assert_status(r, 0);
    json_t *j = cli_json(&r);
    json_t *items = json_object_get(j, "authRequests");
    assert_int_equal(json_array_size(items), 1);
    assert_string_equal(member(json_array_get(items, 0), NULL, "email"), "ada@cli-logs.example");
    assert_string_equal(member(json_array_get(items, 0), NULL, "status"), "SUCCESS");
    json_decref(j);
    cli_result_free(&r);

    r = CLI(NULL, "logs", "auth", "--all", "--page-size", "1", "--output", "jsonl");
    assert_status(r, 0);
    /* Newest first: bob's request, then ada's. */
    char *bob = strstr(r.out, "bob@cli-logs.example"), *ada = strstr(r.out, "ada@cli-logs.example");
    assert_non_null(bob);
    assert_non_null(ada);
    assert_true(bob < ada);
    cli_result_free(&r);

    r = CLI(NULL, "logs", "auth", "--status", "DONE");
    assert_status(r, 4);
    assert_non_null(strstr(r.err, "status"));
    cli_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_commands),
        cmocka_unit_test(test_logs_auth),
    };
    return cmocka_run_group_tests(tests, cli_emu_setup, cli_emu_teardown);
}
