/*
 * The resource commands of `scalekit` against the in-process emulator
 * (organizations, domains, users, memberships, sessions; cli_wire.c has every
 * command on the wire, roles and permissions among them): each
 * command's success with its JSON parsed back, the server's refusals with their
 * exit codes and details on stderr, --all over several pages as one document
 * and as JSON lines, the table, and usage errors.
 */
#include "cli_harness.h"

typedef cli_emu_state state;

/* `organizations create NAME --external-id EXT`: the new id (malloc'd). */
static char *create_org(const char *name, const char *external_id)
{
    cli_result r = CLI(NULL, "organizations", "create", name, "--external-id", external_id,
                       "--metadata", "team=blue", "--output", "json");
    assert_status(r, 0);
    json_t *j = cli_json(&r);
    json_t *org = json_object_get(j, "organization");
    assert_string_equal(json_string_value(json_object_get(org, "display_name")), name);
    assert_string_equal(json_string_value(json_object_get(org, "external_id")), external_id);
    assert_string_equal(json_string_value(json_object_get(json_object_get(org, "metadata"), "team")), "blue");
    char *id = strdup(json_string_value(json_object_get(org, "id")));
    json_decref(j);
    cli_result_free(&r);
    return id;
}

static void test_organization_commands(void **st)
{
    (void)st;
    char *id = create_org("Acme", "acme-cli");

    cli_result r = CLI(NULL, "organizations", "get", id);   /* not a terminal: JSON */
    assert_status(r, 0);
    json_t *j = cli_json(&r);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "organization"), "id")), id);
    json_decref(j);
    cli_result_free(&r);

    r = CLI(NULL, "organizations", "get-by-external-id", "acme-cli");
    assert_status(r, 0);
    assert_non_null(strstr(r.out, id));
    cli_result_free(&r);

    r = CLI(NULL, "organizations", "update", id, "--display-name", "Acme Two", "--output", "json");
    assert_status(r, 0);
    j = cli_json(&r);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "organization"), "display_name")),
                        "Acme Two");
    json_decref(j);
    cli_result_free(&r);

    /* The table: the envelope's fields, one per line. */
    r = CLI(NULL, "organizations", "get", id, "--output", "table");
    assert_status(r, 0);
    assert_non_null(strstr(r.out, "display_name  Acme Two\n"));
    cli_result_free(&r);

    r = CLI(NULL, "organizations", "portal-link", id);
    assert_status(r, 0);
    j = cli_json(&r);
    assert_non_null(strstr(r.out, "\"location\""));
    json_decref(j);
    cli_result_free(&r);

    r = CLI(NULL, "organizations", "update-by-external-id", "acme-cli", "--display-name", "Acme Three");
    assert_status(r, 0);
    assert_non_null(strstr(r.out, "\"Acme Three\""));
    cli_result_free(&r);

    r = CLI(NULL, "organizations", "features", id, "--enable", "sso", "--disable", "dir_sync");
    assert_status(r, 0);
    j = cli_json(&r);
    json_t *features = json_object_get(json_object_get(json_object_get(j, "organization"), "settings"), "features");
    size_t i;
    json_t *feat;
    int seen = 0;
    json_array_foreach(features, i, feat) {
        const char *name = json_string_value(json_object_get(feat, "name"));
        if (strcmp(name, "sso") == 0)
            seen += json_is_true(json_object_get(feat, "enabled"));
        if (strcmp(name, "dir_sync") == 0)
            seen += json_is_false(json_object_get(feat, "enabled"));
    }
    assert_int_equal(seen, 2);
    json_decref(j);
    cli_result_free(&r);
    r = CLI(NULL, "organizations", "features", id);
    assert_status(r, CLI_EXIT_USAGE);
    cli_result_free(&r);

    r = CLI(NULL, "organizations", "max-users", id, "--max", "5");
    assert_status(r, 0);
    assert_non_null(strstr(r.out, "\"max_allowed_users\": 5"));
    cli_result_free(&r);
    r = CLI(NULL, "organizations", "max-users", id);
    assert_status(r, CLI_EXIT_USAGE);
    cli_result_free(&r);

    r = CLI(NULL, "organizations", "session-policy", id);
    assert_status(r, 0);
    json_decref(cli_json(&r));
    cli_result_free(&r);

    r = CLI(NULL, "organizations", "delete", id);
    assert_status(r, 0);
    assert_string_equal(r.out, "");
    cli_result_free(&r);

    /* Gone: 404 is exit 3, with the server's code and request id on stderr. */
    r = CLI(NULL, "organizations", "get", id);
    assert_status(r, CLI_EXIT_NOT_FOUND);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "not found"));
    assert_non_null(strstr(r.err, "error code:  NOT_FOUND"));
    assert_non_null(strstr(r.err, "request id:  req_"));
    cli_result_free(&r);
    free(id);
}

static void test_server_refusal_is_exit_4_with_field_violation(void **st)
{
    (void)st;
    cli_result r = CLI(NULL, "organizations", "create", "Acme", "--metadata", "a=b");
    assert_status(r, CLI_EXIT_REFUSED);
    assert_non_null(strstr(r.err, "http status: 400"));
    assert_non_null(strstr(r.err, "error code:  INVALID_ARGUMENT"));
    assert_non_null(strstr(r.err, "field metadata.a: "));
    cli_result_free(&r);
}

static void test_all_pages_as_one_document_and_as_lines(void **st)
{
    (void)st;
    char *ids[3];
    char ext[64];
    for (int i = 0; i < 3; i++) {
        emu_fixture_unique(ext, sizeof ext, "page");
        ids[i] = create_org("Paged", ext);
    }
    /* One page of one: the API's body, with a next_page_token. */
    cli_result r = CLI(NULL, "organizations", "list", "--page-size", "1", "--output", "json");
    assert_status(r, 0);
    json_t *j = cli_json(&r);
    assert_int_equal(json_array_size(json_object_get(j, "organizations")), 1);
    assert_true(strlen(json_string_value(json_object_get(j, "next_page_token"))) > 0);
    json_decref(j);
    cli_result_free(&r);

    /* --all with pages of one: every organization in one document. */
    r = CLI(NULL, "organizations", "list", "--page-size", "1", "--all", "--output", "json");
    assert_status(r, 0);
    j = cli_json(&r);
    json_t *items = json_object_get(j, "organizations");
    size_t n = json_array_size(items);
    assert_true(n >= 3);
    assert_int_equal(json_integer_value(json_object_get(j, "total_size")), (json_int_t)n);
    for (int i = 0; i < 3; i++) {
        bool found = false;
        for (size_t k = 0; k < n; k++)
            found |= strcmp(json_string_value(json_object_get(json_array_get(items, k), "id")), ids[i]) == 0;
        assert_true(found);
    }
    json_decref(j);
    cli_result_free(&r);

    /* jsonl: one object per line, as many as the document had. */
    r = CLI(NULL, "organizations", "list", "--page-size", "1", "--all", "--output", "jsonl");
    assert_status(r, 0);
    size_t lines = 0;
    for (char *save = NULL, *l = strtok_r(r.out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        json_t *o = json_loads(l, 0, NULL);
        assert_non_null(o);
        assert_non_null(json_string_value(json_object_get(o, "id")));
        json_decref(o);
        lines++;
    }
    assert_int_equal(lines, n);
    cli_result_free(&r);

    /* A terminal gets the table without asking; --output json still wins there. */
    r = cli_run_tty(NULL, true, false, (const char *const[]){"organizations", "list", NULL});
    assert_status(r, 0);
    assert_memory_equal(r.out, "id  ", 4);
    cli_result_free(&r);
    r = cli_run_tty(NULL, true, false, (const char *const[]){"organizations", "list", "--output", "json", NULL});
    assert_status(r, 0);
    json_decref(cli_json(&r));
    cli_result_free(&r);

    /* The table: a header and one row per organization. */
    r = CLI(NULL, "organizations", "list", "--all", "--output", "table");
    assert_status(r, 0);
    assert_memory_equal(r.out, "id  ", 4);
    for (int i = 0; i < 3; i++) {
        assert_non_null(strstr(r.out, ids[i]));
        free(ids[i]);
    }
    cli_result_free(&r);
}

static void test_domain_commands(void **st)
{
    (void)st;
    char *org = create_org("Domains", "dom-owner");
    char name[96], label[64];
    emu_fixture_unique(label, sizeof label, "cli");
    snprintf(name, sizeof name, "%s.example", label);
    cli_result r = CLI(NULL, "domains", "create", org, name, "--output", "json");
    assert_status(r, 0);
    json_t *j = cli_json(&r);
    json_t *d = json_object_get(j, "domain");
    assert_string_equal(json_string_value(json_object_get(d, "domain")), name);
    char *id = strdup(json_string_value(json_object_get(d, "id")));
    json_decref(j);
    cli_result_free(&r);

    r = CLI(NULL, "domains", "get", org, id);
    assert_status(r, 0);
    assert_non_null(strstr(r.out, name));
    cli_result_free(&r);

    r = CLI(NULL, "domains", "list", org, "--all", "--output", "jsonl");
    assert_status(r, 0);
    json_t *line = json_loads(r.out, JSON_DISABLE_EOF_CHECK, NULL);
    assert_string_equal(json_string_value(json_object_get(line, "id")), id);
    json_decref(line);
    cli_result_free(&r);

    r = CLI(NULL, "domains", "list", org, "--page-number", "x");
    assert_status(r, CLI_EXIT_USAGE);
    assert_non_null(strstr(r.err, "--page-number x is not a number"));
    cli_result_free(&r);

    /* Taken in the environment: 409 is exit 4. */
    r = CLI(NULL, "domains", "create", org, name);
    assert_status(r, CLI_EXIT_REFUSED);
    assert_non_null(strstr(r.err, "http status: 409"));
    cli_result_free(&r);

    r = CLI(NULL, "domains", "delete", org, id);
    assert_status(r, 0);
    cli_result_free(&r);
    r = CLI(NULL, "domains", "get", org, id);
    assert_status(r, CLI_EXIT_NOT_FOUND);
    cli_result_free(&r);
    free(id);
    free(org);
}

static void test_user_get_after_a_sign_in(void **st)
{
    state *s = *st;
    scalekit_authentication_response *resp = emu_fixture_sign_in(s->f, "cli-user@example.com");
    cli_result r = CLI(NULL, "users", "get", resp->user->id);
    assert_status(r, 0);
    json_t *j = cli_json(&r);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "user"), "email")),
                        "cli-user@example.com");
    json_decref(j);
    cli_result_free(&r);
    scalekit_authentication_response_free(resp);

    r = CLI(NULL, "users", "get", "usr_nobody");
    assert_status(r, CLI_EXIT_NOT_FOUND);
    cli_result_free(&r);
}

/* The user's id from a `users ...` or `memberships ...` answer (malloc'd). */
static char *user_id_of(const cli_result *r)
{
    json_t *j = cli_json(r);
    char *id = strdup(json_string_value(json_object_get(json_object_get(j, "user"), "id")));
    json_decref(j);
    return id;
}

static void test_users_and_memberships(void **st)
{
    (void)st;
    char ext[64];
    emu_fixture_unique(ext, sizeof ext, "usr");
    char *org = create_org("Members", ext), *org2 = create_org("Second", "second-org");
    cli_result r = CLI(NULL, "users", "create", org, "ada-cli@example.com", "--given-name", "Ada",
                       "--external-id", "ada-cli");
    assert_status(r, 0);
    char *id = user_id_of(&r);
    assert_non_null(strstr(r.out, "\"given_name\": \"Ada\""));
    cli_result_free(&r);

    r = CLI(NULL, "users", "list", "--organization", org, "--all", "--output", "jsonl");
    assert_status(r, 0);
    assert_non_null(strstr(r.out, id));
    cli_result_free(&r);
    r = CLI(NULL, "users", "search", "ada-cli", "--output", "table");
    assert_status(r, 0);
    assert_non_null(strstr(r.out, id));
    cli_result_free(&r);
    r = CLI(NULL, "users", "update", id, "--family-name", "Lovelace");
    assert_status(r, 0);
    assert_non_null(strstr(r.out, "Lovelace"));
    cli_result_free(&r);
    r = CLI(NULL, "users", "get-by-external-id", "ada-cli");
    assert_status(r, 0);
    assert_non_null(strstr(r.out, id));
    cli_result_free(&r);

    r = CLI(NULL, "memberships", "update", org, id, "--role", "admin");
    assert_status(r, 0);
    cli_result_free(&r);
    r = CLI(NULL, "memberships", "roles", org, id, "--output", "json");
    assert_status(r, 0);
    json_t *j = cli_json(&r);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "roles"), 0), "name")),
                        "admin");
    json_decref(j);
    cli_result_free(&r);

    r = CLI(NULL, "memberships", "create", org2, id);
    assert_status(r, 0);
    assert_non_null(strstr(r.out, org2));
    cli_result_free(&r);
    r = CLI(NULL, "memberships", "delete", org2, id);
    assert_status(r, 0);
    cli_result_free(&r);

    /* The server's refusals: 400 for a bad email (exit 4), 404 once deleted (exit 3). */
    r = CLI(NULL, "users", "create", org, "not-an-email");
    assert_status(r, CLI_EXIT_REFUSED);
    assert_non_null(strstr(r.err, "http status: 400"));
    cli_result_free(&r);
    r = CLI(NULL, "users", "delete-by-external-id", "ada-cli");
    assert_status(r, 0);
    cli_result_free(&r);
    r = CLI(NULL, "users", "get", id);
    assert_status(r, CLI_EXIT_NOT_FOUND);
    cli_result_free(&r);
    free(id);
    free(org);
    free(org2);
}

static void test_sessions(void **st)
{
    state *s = *st;
    scalekit_authentication_response *resp = emu_fixture_sign_in(s->f, "cli-sessions@example.com");
    const char *user = resp->user->id;
    cli_result r = CLI(NULL, "sessions", "list", user, "--all");
    assert_status(r, 0);
    json_t *j = cli_json(&r);
    json_t *first = json_array_get(json_object_get(j, "sessions"), 0);
    assert_non_null(first);
    char *sid = strdup(json_string_value(json_object_get(first, "session_id")));
    json_decref(j);
    cli_result_free(&r);

    r = CLI(NULL, "sessions", "get", sid);
    assert_status(r, 0);
    assert_non_null(strstr(r.out, user));
    cli_result_free(&r);
    r = CLI(NULL, "sessions", "revoke", sid);
    assert_status(r, 0);
    assert_non_null(strstr(r.out, "revoked"));
    cli_result_free(&r);
    r = CLI(NULL, "sessions", "revoke-all", user);
    assert_status(r, 0);
    json_decref(cli_json(&r));
    cli_result_free(&r);
    r = CLI(NULL, "sessions", "get", "ses_missing");
    assert_status(r, CLI_EXIT_NOT_FOUND);
    cli_result_free(&r);
    free(sid);
    scalekit_authentication_response_free(resp);
}

static void test_network_failure_is_exit_5(void **st)
{
    (void)st;
    /* Port 9 on loopback (discard) is closed here: the connection is refused. */
    cli_result r = CLI(NULL, "organizations", "get", "org_1", "--environment-url", "http://127.0.0.1:9");
    assert_status(r, CLI_EXIT_NETWORK);
    cli_result_free(&r);
}

static void test_usage_errors_are_exit_2(void **st)
{
    (void)st;
    const char *const cases[][6] = {
        {"organizations", "get", NULL},                       /* a missing argument */
        {"organizations", "get", "a", "b", NULL},             /* one too many */
        {"organizations", "frobnicate", NULL},                /* no such verb */
        {"nosuchservice", NULL},
        {"organizations", "list", "--nope", NULL},            /* unknown flag */
        {"organizations", "list", "--page-size", NULL},       /* flag without its value */
        {"organizations", "list", "--output", "yaml", NULL},
        {"organizations", "create", "X", "--metadata", "novalue", NULL},
        {NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cli_result r = cli_run_argv(NULL, cases[i]);
        if (r.status != CLI_EXIT_USAGE)
            fail_msg("case %zu (%s %s): exit %d, stderr %s", i, cases[i][0] ? cases[i][0] : "(none)",
                     cases[i][0] && cases[i][1] ? cases[i][1] : "", r.status, r.err);
        assert_true(strlen(r.err) > 0);
        assert_string_equal(r.out, "");
        cli_result_free(&r);
    }
}

static void test_help_at_every_level(void **st)
{
    (void)st;
    cli_result r = CLI(NULL, "--help");
    assert_status(r, 0);
    assert_non_null(strstr(r.out, "organizations"));
    assert_non_null(strstr(r.out, "Exit status:"));
    assert_non_null(strstr(r.out, "  3  not found"));
    cli_result_free(&r);

    r = CLI(NULL, "users", "--help");
    assert_status(r, 0);
    assert_non_null(strstr(r.out, "get-by-external-id EXTERNAL_ID"));
    cli_result_free(&r);

    r = CLI(NULL, "users", "create", "--help");
    assert_status(r, 0);
    assert_non_null(strstr(r.out, "usage: scalekit users create ORGANIZATION_ID EMAIL [flags]"));
    assert_non_null(strstr(r.out, "--send-invitation-email"));
    assert_non_null(strstr(r.out, "--client-secret-file"));
    cli_result_free(&r);

    /* Every row answers --help without a client. */
    for (size_t i = 0; i < cli_command_count; i++) {
        const cli_command *c = &cli_commands[i];
        if (c->raw_main)
            continue;
        cli_result h = c->service ? CLI(NULL, c->service, c->verb, "--help") : CLI(NULL, c->verb, "--help");
        assert_status(h, 0);
        assert_non_null(strstr(h.out, c->help));
        cli_result_free(&h);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_organization_commands),
        cmocka_unit_test(test_server_refusal_is_exit_4_with_field_violation),
        cmocka_unit_test(test_all_pages_as_one_document_and_as_lines),
        cmocka_unit_test(test_domain_commands),
        cmocka_unit_test(test_user_get_after_a_sign_in),
        cmocka_unit_test(test_users_and_memberships),
        cmocka_unit_test(test_sessions),
        cmocka_unit_test(test_network_failure_is_exit_5),
        cmocka_unit_test(test_usage_errors_are_exit_2),
        cmocka_unit_test(test_help_at_every_level),
    };
    return cmocka_run_group_tests(tests, cli_emu_setup, cli_emu_teardown);
}
