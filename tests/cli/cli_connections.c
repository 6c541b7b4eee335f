/*
 * The connections commands of `scalekit` against the in-process emulator:
 * create with the OIDC flags (the secret read from standard input, never on the
 * command line), update with more flags and with --config-file for a SAML one,
 * enable (refused with exit 4 until configured), the lists (enabled only by
 * default, --include all), list-by-domain, get, disable, delete (then exit 3),
 * and the usage error of --config-file on an OIDC connection.
 */
#include "cli_harness.h"

typedef cli_emu_state state;

#define IDP "http://127.0.0.1:9"

static char *json_id(cli_result *r, const char *member)
{
    json_t *j = cli_json(r);
    char *id = strdup(json_string_value(json_object_get(json_object_get(j, member), "id")));
    json_decref(j);
    return id;
}

static void test_oidc_connection_commands(void **st)
{
    (void)st;
    cli_result r = CLI(NULL, "organizations", "create", "Connections CLI", "--output", "json");
    assert_status(r, 0);
    char *org = json_id(&r, "organization");
    cli_result_free(&r);
    char domain[96], label[64];
    emu_fixture_unique(label, sizeof label, "clisso");
    snprintf(domain, sizeof domain, "%s.example", label);
    r = CLI(NULL, "domains", "create", org, domain);
    assert_status(r, 0);
    cli_result_free(&r);

    r = CLI("cli-secret-4321\n", "connections", "create", org, "--type", "OIDC", "--provider", "OKTA",
            "--issuer", IDP, "--idp-client-id", "cli-client", "--idp-client-secret-stdin", "--output", "json");
    assert_status(r, 0);
    json_t *j = cli_json(&r);
    json_t *c = json_object_get(j, "connection");
    assert_string_equal(json_string_value(json_object_get(c, "status")), "IN_PROGRESS");
    assert_string_equal(json_string_value(json_object_get(json_object_get(c, "oidc_config"), "client_secret")),
                        "********4321");
    char *id = strdup(json_string_value(json_object_get(c, "id")));
    json_decref(j);
    cli_result_free(&r);

    /* Not configured: the server refuses, exit 4, its reason on stderr. */
    r = CLI(NULL, "connections", "enable", org, id);
    assert_status(r, CLI_EXIT_REFUSED);
    assert_non_null(strstr(r.err, "oidc_config.authorize_uri"));
    cli_result_free(&r);

    r = CLI(NULL, "connections", "update", org, id, "--authorize-uri", IDP "/authorize", "--token-uri", IDP "/token",
            "--jwks-uri", IDP "/keys", "--output", "json");
    assert_status(r, 0);
    j = cli_json(&r);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "connection"), "status")), "COMPLETED");
    json_decref(j);
    cli_result_free(&r);

    r = CLI(NULL, "connections", "list", org);
    assert_status(r, 0);
    j = cli_json(&r);
    assert_int_equal(json_array_size(json_object_get(j, "connections")), 0);
    json_decref(j);
    cli_result_free(&r);

    r = CLI(NULL, "connections", "enable", org, id, "--output", "json");
    assert_status(r, 0);
    j = cli_json(&r);
    assert_true(json_is_true(json_object_get(j, "enabled")));
    json_decref(j);
    cli_result_free(&r);

    r = CLI(NULL, "connections", "list-by-domain", domain, "--output", "table");
    assert_status(r, 0);
    assert_non_null(strstr(r.out, id));
    assert_non_null(strstr(r.out, "OKTA"));
    cli_result_free(&r);

    r = CLI(NULL, "connections", "get", org, id);
    assert_status(r, 0);
    assert_non_null(strstr(r.out, "cli-client"));
    assert_null(strstr(r.out, "cli-secret"));
    cli_result_free(&r);

    /* --config-file is for the other types. */
    r = CLI("{}", "connections", "update", org, id, "--config-file", "-");
    assert_status(r, CLI_EXIT_USAGE);
    assert_non_null(strstr(r.err, "--config-file is for SAML"));
    cli_result_free(&r);

    r = CLI(NULL, "connections", "disable", org, id);
    assert_status(r, 0);
    cli_result_free(&r);
    r = CLI(NULL, "connections", "list", org, "--include", "all", "--output", "json");
    assert_status(r, 0);
    j = cli_json(&r);
    json_t *item = json_array_get(json_object_get(j, "connections"), 0);
    assert_string_equal(json_string_value(json_object_get(item, "id")), id);
    assert_false(json_is_true(json_object_get(item, "enabled")));
    json_decref(j);
    cli_result_free(&r);

    r = CLI(NULL, "connections", "delete", org, id);
    assert_status(r, 0);
    cli_result_free(&r);
    r = CLI(NULL, "connections", "get", org, id);
    assert_status(r, CLI_EXIT_NOT_FOUND);
    cli_result_free(&r);
    free(id);
    free(org);
}

static void test_saml_connection_from_a_config_file(void **st)
{
    (void)st;
    cli_result r = CLI(NULL, "organizations", "create", "Saml CLI", "--output", "json");
    assert_status(r, 0);
    char *org = json_id(&r, "organization");
    cli_result_free(&r);
    r = CLI("{\"idp_entity_id\":\"urn:cli\"}", "connections", "create", org, "--type", "SAML", "--config-file", "-",
            "--output", "json");
    assert_status(r, 0);
    char *id = json_id(&r, "connection");
    assert_non_null(strstr(r.out, "urn:cli"));
    cli_result_free(&r);
    r = CLI("{\"idp_sso_url\":\"https://idp.example/sso\"}", "connections", "update", org, id, "--config-file", "-",
            "--output", "json");
    assert_status(r, 0);
    json_t *j = cli_json(&r);
    json_t *c = json_object_get(j, "connection");
    assert_string_equal(json_string_value(json_object_get(c, "status")), "COMPLETED");
    assert_string_equal(json_string_value(json_object_get(json_object_get(c, "saml_config"), "idp_entity_id")),
                        "urn:cli");
    json_decref(j);
    cli_result_free(&r);
    /* Not JSON: refused before anything is sent. */
    r = CLI("{oops", "connections", "update", org, id, "--config-file", "-");
    assert_status(r, CLI_EXIT_USAGE);
    cli_result_free(&r);
    free(id);
    free(org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oidc_connection_commands),
        cmocka_unit_test(test_saml_connection_from_a_config_file),
    };
    return cmocka_run_group_tests(tests, cli_emu_setup, cli_emu_teardown);
}
