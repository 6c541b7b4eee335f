/*
 * The commands of users, memberships, sessions, roles and permissions against a
 * scripted server (the emulator does not serve roles and permissions yet): each
 * command sends the method, path, query and body its flags say, prints the
 * answer, and maps the server's 403 to exit 4; progress of a long --all walk
 * goes to stderr only when it is a terminal.
 */
#include "mock_http.h"
#include "cli_harness.h"

#define USER "{\"id\":\"usr_1\",\"email\":\"ada@example.com\"}"
#define ROLE "{\"name\":\"editor\",\"display_name\":\"Editor\"}"
#define PERM "{\"name\":\"read:content\",\"description\":\"read\"}"
#define SESSION "{\"session_id\":\"ses_1\",\"user_id\":\"usr_1\",\"status\":\"active\"}"

typedef struct wire_case {
    const char *argv[12];
    const char *method, *path;
    int answer_status;
    const char *answer;
    const char *query_has;  /* a substring of the query sent, or NULL */
    const char *body_has;   /* a substring of the body sent, or NULL */
    const char *out_has;    /* a substring of the JSON printed, or NULL */
} wire_case;

static const wire_case cases[] = {
    {{"users", "list", "--page-size", "5", NULL}, "GET", "/api/v1/users", 200,
     "{\"users\":[" USER "],\"total_size\":1}", "page_size=5", NULL, "ada@example.com"},
    {{"users", "list", "--organization", "org_1", NULL}, "GET", "/api/v1/organizations/org_1/users", 200,
     "{\"users\":[" USER "]}", NULL, NULL, "usr_1"},
    {{"users", "search", "ada", NULL}, "GET", "/api/v1/users:search", 200,
     "{\"users\":[" USER "]}", "query=ada", NULL, "usr_1"},
    {{"users", "search", "ada", "--organization", "org_1", NULL}, "GET", "/api/v1/organizations/org_1/users:search",
     200, "{\"users\":[" USER "]}", "query=ada", NULL, "usr_1"},
    {{"users", "get-by-external-id", "ext_1", NULL}, "GET", "/api/v1/users:external/ext_1", 200,
     "{\"user\":" USER "}", NULL, NULL, "usr_1"},
    {{"users", "create", "org_1", "ada@example.com", "--given-name", "Ada", "--role", "admin",
      "--send-invitation-email", NULL}, "POST", "/api/v1/organizations/org_1/users", 201,
     "{\"user\":" USER "}", "send_invitation_email=true", "\"given_name\":\"Ada\"", "usr_1"},
    {{"users", "update", "usr_1", "--family-name", "Lovelace", "--metadata", "plan=gold", NULL}, "PATCH",
     "/api/v1/users/usr_1", 200, "{\"user\":" USER "}", NULL, "\"plan\":\"gold\"", "usr_1"},
    {{"users", "delete", "usr_1", NULL}, "DELETE", "/api/v1/users/usr_1", 200, "{}", NULL, NULL, NULL},
    {{"users", "update-by-external-id", "ext_1", "--new-external-id", "ext_2", NULL}, "PATCH",
     "/api/v1/users:external/ext_1", 200, "{\"user\":" USER "}", NULL, "\"ext_2\"", "usr_1"},
    {{"users", "delete-by-external-id", "ext_1", NULL}, "DELETE", "/api/v1/users:external/ext_1", 200, "{}", NULL,
     NULL, NULL},
    {{"memberships", "create", "org_1", "usr_1", "--role", "member", "--inviter-email", "boss@example.com", NULL},
     "POST", "/api/v1/memberships/organizations/org_1/users/usr_1", 201, "{\"user\":" USER "}", NULL,
     "\"inviter_email\":\"boss@example.com\"", "usr_1"},
    {{"memberships", "update", "org_1", "usr_1", "--role", "admin", NULL}, "PATCH",
     "/api/v1/memberships/organizations/org_1/users/usr_1", 200, "{\"user\":" USER "}", NULL, "\"admin\"", "usr_1"},
    {{"memberships", "delete", "org_1", "usr_1", "--cascade", NULL}, "DELETE",
     "/api/v1/memberships/organizations/org_1/users/usr_1", 200, "{}", "cascade=true", NULL, NULL},
    {{"memberships", "create-by-external-id", "org_1", "ext_1", "--send-invitation-email", NULL}, "POST",
     "/api/v1/memberships/organizations/org_1/users:external/ext_1", 201, "{\"user\":" USER "}",
     "send_invitation_email=true", NULL, "usr_1"},
    {{"memberships", "update-by-external-id", "org_1", "ext_1", "--metadata", "seat=12", NULL}, "PATCH",
     "/api/v1/memberships/organizations/org_1/users:external/ext_1", 200, "{\"user\":" USER "}", NULL,
     "\"seat\":\"12\"", "usr_1"},
    {{"memberships", "delete-by-external-id", "org_1", "ext_1", NULL}, "DELETE",
     "/api/v1/memberships/organizations/org_1/users:external/ext_1", 200, "{}", NULL, NULL, NULL},
    {{"memberships", "resend-invite", "org_1", "usr_1", NULL}, "PATCH",
     "/api/v1/invites/organizations/org_1/users/usr_1/resend", 200,
     "{\"invite\":{\"organization_id\":\"org_1\",\"user_id\":\"usr_1\",\"status\":\"pending\"}}", NULL, NULL,
     "pending"},
    {{"memberships", "roles", "org_1", "usr_1", NULL}, "GET", "/api/v1/organizations/org_1/users/usr_1/roles", 200,
     "{\"roles\":[{\"id\":\"role_1\",\"name\":\"admin\"}]}", NULL, NULL, "role_1"},
    {{"memberships", "permissions", "org_1", "usr_1", NULL}, "GET",
     "/api/v1/organizations/org_1/users/usr_1/permissions", 200,
     "{\"permissions\":[{\"id\":\"perm_1\",\"name\":\"read:reports\"}]}", NULL, NULL, "read:reports"},
    {{"memberships", "assign-roles", "org_1", "usr_1", "--role", "admin", "--role", "viewer", NULL}, "POST",
     "/api/v1/organizations/org_1/users/usr_1/roles", 200, "{\"roles\":[{\"name\":\"admin\"},{\"name\":\"viewer\"}]}",
     NULL, "viewer", "viewer"},
    {{"memberships", "remove-role", "org_1", "usr_1", "admin", NULL}, "DELETE",
     "/api/v1/organizations/org_1/users/usr_1/roles/admin", 200, "{}", NULL, NULL, NULL},
    {{"sessions", "list", "usr_1", "--status", "active", NULL}, "GET", "/api/v1/users/usr_1/sessions", 200,
     "{\"sessions\":[" SESSION "],\"total_size\":1}", "active", NULL, "ses_1"},
    {{"sessions", "get", "ses_1", NULL}, "GET", "/api/v1/sessions/ses_1", 200, SESSION, NULL, NULL, "ses_1"},
    {{"sessions", "revoke", "ses_1", NULL}, "POST", "/api/v1/sessions/ses_1/revoke", 200,
     "{\"revoked_session\":" SESSION "}", NULL, NULL, "ses_1"},
    {{"sessions", "revoke-all", "usr_1", NULL}, "POST", "/api/v1/users/usr_1/sessions/revoke", 200,
     "{\"revoked_sessions\":[" SESSION "],\"total_revoked\":1}", NULL, NULL, "ses_1"},
    {{"roles", "create", "editor", "--display-name", "Editor", "--permission", "read:content", NULL}, "POST",
     "/api/v1/roles", 201, "{\"role\":" ROLE "}", NULL, "\"read:content\"", "Editor"},
    {{"roles", "create", "editor", "--organization", "org_1", "--extends", "member", NULL}, "POST",
     "/api/v1/organizations/org_1/roles", 201, "{\"role\":" ROLE "}", NULL, "\"member\"", "Editor"},
    {{"roles", "list", "--include", "permissions", NULL}, "GET", "/api/v1/roles", 200, "{\"roles\":[" ROLE "]}",
     "include=permissions", NULL, "editor"},
    {{"roles", "list", "--organization", "org_1", NULL}, "GET", "/api/v1/organizations/org_1/roles", 200,
     "{\"roles\":[" ROLE "]}", NULL, NULL, "editor"},
    {{"roles", "get", "editor", NULL}, "GET", "/api/v1/roles/editor", 200, "{\"role\":" ROLE "}", NULL, NULL,
     "Editor"},
    {{"roles", "get", "editor", "--organization", "org_1", NULL}, "GET", "/api/v1/organizations/org_1/roles/editor",
     200, "{\"role\":" ROLE "}", NULL, NULL, "Editor"},
    {{"roles", "update", "editor", "--description", "edits", NULL}, "PUT", "/api/v1/roles/editor", 200,
     "{\"role\":" ROLE "}", NULL, "\"edits\"", "Editor"},
    {{"roles", "update", "editor", "--organization", "org_1", "--display-name", "Ed", NULL}, "PUT",
     "/api/v1/organizations/org_1/roles/editor", 200, "{\"role\":" ROLE "}", NULL, "\"Ed\"", "Editor"},
    {{"roles", "delete", "editor", "--reassign-to", "viewer", NULL}, "DELETE", "/api/v1/roles/editor", 200, "{}",
     "viewer", NULL, NULL},
    {{"roles", "delete", "editor", "--organization", "org_1", NULL}, "DELETE",
     "/api/v1/organizations/org_1/roles/editor", 200, "{}", NULL, NULL, NULL},
    {{"roles", "users-count", "editor", NULL}, "GET", "/api/v1/roles/editor/users:count", 200, "{\"count\":\"7\"}",
     NULL, NULL, "\"count\": 7"},
    {{"roles", "users-count", "editor", "--organization", "org_1", NULL}, "GET",
     "/api/v1/organizations/org_1/roles/editor/users:count", 200, "{\"count\":\"3\"}", NULL, NULL, "\"count\": 3"},
    {{"roles", "dependents", "member", NULL}, "GET", "/api/v1/roles/member/dependents", 200,
     "{\"roles\":[" ROLE "]}", NULL, NULL, "editor"},
    {{"roles", "set-defaults", "--member-role", "viewer", "--creator-role", "admin", NULL}, "PATCH",
     "/api/v1/roles:set_defaults", 200, "{\"default_member\":" ROLE "}", NULL, "\"viewer\"", "editor"},
    {{"roles", "set-defaults", "--organization", "org_1", "--member-role", "viewer", NULL}, "PATCH",
     "/api/v1/organizations/org_1/roles:set_defaults", 200, "{\"default_member\":" ROLE "}", NULL, "\"viewer\"",
     "editor"},
    {{"roles", "permissions", "editor", NULL}, "GET", "/api/v1/roles/editor/permissions", 200,
     "{\"permissions\":[" PERM "]}", NULL, NULL, "read:content"},
    {{"roles", "permissions", "editor", "--effective", NULL}, "GET", "/api/v1/roles/editor/permissions:all", 200,
     "{\"permissions\":[" PERM "]}", NULL, NULL, "read:content"},
    {{"roles", "add-permissions", "editor", "--permission", "read:content", "--permission", "write:content", NULL},
     "POST", "/api/v1/roles/editor/permissions", 200, "{\"permissions\":[" PERM "]}", NULL, "write:content",
     "read:content"},
    {{"roles", "remove-permission", "editor", "read:content", NULL}, "DELETE",
     "/api/v1/roles/editor/permissions/read%3Acontent", 200, "{}", NULL, NULL, NULL},
    {{"permissions", "create", "read:content", "--description", "read", NULL}, "POST", "/api/v1/permissions", 201,
     "{\"permission\":" PERM "}", NULL, "\"read:content\"", "read:content"},
    {{"permissions", "list", "--type", "ENVIRONMENT", NULL}, "GET", "/api/v1/permissions", 200,
     "{\"permissions\":[" PERM "]}", "ENVIRONMENT", NULL, "read:content"},
    {{"permissions", "get", "read:content", NULL}, "GET", "/api/v1/permissions/read%3Acontent", 200,
     "{\"permission\":" PERM "}", NULL, NULL, "read:content"},
    {{"permissions", "update", "read:content", "--description", "reads", NULL}, "PUT",
     "/api/v1/permissions/read%3Acontent", 200, "{\"permission\":" PERM "}", NULL, "\"reads\"", "read:content"},
    {{"permissions", "delete", "read:content", NULL}, "DELETE", "/api/v1/permissions/read%3Acontent", 200, "{}", NULL,
     NULL, NULL},
};

static void test_each_command_on_the_wire(void **st)
{
    mock_http *m = *st;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const wire_case *c = &cases[i];
        mock_http_reset(m);
        mock_http_enqueue(m, c->method, c->path, c->answer_status, c->answer);
        cli_result r = cli_run_argv(NULL, c->argv);
        if (r.status != 0)
            fail_msg("%s %s: exit %d: %s", c->argv[0], c->argv[1], r.status, r.err);
        const mock_request *req = mock_http_request_for(m, c->path, 0);
        if (!req)
            fail_msg("%s %s: no request to %s", c->argv[0], c->argv[1], c->path);
        assert_string_equal(req->method, c->method);
        if (c->query_has && !strstr(req->query, c->query_has))
            fail_msg("%s %s: query %s lacks %s", c->argv[0], c->argv[1], req->query, c->query_has);
        if (c->body_has && !strstr(req->body, c->body_has))
            fail_msg("%s %s: body %s lacks %s", c->argv[0], c->argv[1], req->body, c->body_has);
        if (c->out_has) {
            json_t *j = cli_json(&r);   /* one document */
            json_decref(j);
            if (!strstr(r.out, c->out_has))
                fail_msg("%s %s: output %s lacks %s", c->argv[0], c->argv[1], r.out, c->out_has);
        } else {
            assert_string_equal(r.out, "");
        }
        cli_result_free(&r);
    }
}

/* Each command again, the server answering 403 then 500: exit 4 and exit 5. */
static void test_each_command_maps_server_errors(void **st)
{
    mock_http *m = *st;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const wire_case *c = &cases[i];
        mock_http_reset(m);
        mock_http_enqueue(m, NULL, c->path, 403,
                          "{\"code\":7,\"message\":\"not allowed\",\"details\":[{\"error_code\":\"PERMISSION_DENIED\"}]}");
        cli_result r = cli_run_argv(NULL, c->argv);
        if (r.status != CLI_EXIT_REFUSED)
            fail_msg("%s %s: 403 gave exit %d: %s", c->argv[0], c->argv[1], r.status, r.err);
        assert_non_null(strstr(r.err, "http status: 403"));
        cli_result_free(&r);
    }
}

static void test_progress_only_on_a_terminal(void **st)
{
    mock_http *m = *st;
    /* Two pages of 60 users each. */
    char *pages[2];
    for (int p = 0; p < 2; p++) {
        size_t cap = 60 * 64 + 128, n = 0;
        pages[p] = malloc(cap);
        n += (size_t)snprintf(pages[p] + n, cap - n, "{\"users\":[");
        for (int i = 0; i < 60; i++)
            n += (size_t)snprintf(pages[p] + n, cap - n, "%s{\"id\":\"usr_%d_%d\",\"email\":\"u%d@x.example\"}",
                                  i ? "," : "", p, i, i);
        snprintf(pages[p] + n, cap - n, "],\"next_page_token\":\"%s\",\"total_size\":120}", p == 0 ? "p2" : "");
    }
    for (int tty = 0; tty < 2; tty++) {
        mock_http_reset(m);
        mock_http_enqueue(m, "GET", "/api/v1/users", 200, pages[0]);
        mock_http_enqueue(m, "GET", "/api/v1/users", 200, pages[1]);
        cli_result r = cli_run_tty(NULL, false, tty, (const char *const[]){"users", "list", "--all", "--output",
                                                                            "jsonl", NULL});
        assert_status(r, 0);
        size_t lines = 0;
        for (const char *p = r.out; *p; p++)
            lines += *p == '\n';
        assert_int_equal(lines, 120);
        if (tty) {
            assert_non_null(strstr(r.err, "100 users so far"));
            assert_non_null(strstr(r.err, "120 users."));
        } else {
            assert_string_equal(r.err, "");
        }
        cli_result_free(&r);
    }
    free(pages[0]);
    free(pages[1]);
}

static void test_permissions_all_pages_as_one_document(void **st)
{
    mock_http *m = *st;
    mock_http_reset(m);
    mock_http_enqueue(m, "GET", "/api/v1/permissions", 200,
                      "{\"permissions\":[" PERM "],\"next_page_token\":\"p2\",\"total_size\":2}");
    mock_http_enqueue(m, "GET", "/api/v1/permissions", 200,
                      "{\"permissions\":[{\"name\":\"write:content\"}],\"next_page_token\":\"\"}");
    cli_result r = CLI(NULL, "permissions", "list", "--all", "--page-size", "1");
    assert_status(r, 0);
    json_t *j = cli_json(&r);
    json_t *items = json_object_get(j, "permissions");
    assert_int_equal(json_array_size(items), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "name")), "write:content");
    json_decref(j);
    cli_result_free(&r);
    const mock_request *second = mock_http_request_for(m, "/api/v1/permissions", 1);
    assert_non_null(strstr(second->query, "page_token=p2"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_command_on_the_wire),
        cmocka_unit_test(test_each_command_maps_server_errors),
        cmocka_unit_test(test_progress_only_on_a_terminal),
        cmocka_unit_test(test_permissions_all_pages_as_one_document),
    };
    return cmocka_run_group_tests(tests, cli_wire_setup, cli_wire_teardown);
}
