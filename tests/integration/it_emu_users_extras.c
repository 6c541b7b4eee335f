/*
 * A member's roles and permissions (EXTRAS.md: list, assign, remove; two routes
 * the OpenAPI file lacks, which the contract test checks against
 * tests/contract/supplement.openapi.json), the user.* webhook events in the
 * file's shapes (verified with scalekit_verify_webhook_payload), and a data file
 * of the build before users became an API opening with its rows intact (the
 * store adds the new columns). With the three SCALEKIT_* variables set the
 * member roles run against that environment (the mailbox page is skipped); the
 * events and the data file test the in-process emulator itself.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <openssl/evp.h>

#include "event_check.h"
#include "emu_fixture.h"
#include "emu_testhttp.h"
#include "emu_users_kit.h"
#include "mock_http.h"
#include "core/core.h"
#include "scalekit/webhook.h"

#define HOOK_PATH "/hooks"

static const char *str(const json_t *o, const char *name)
{
    return json_string_value(json_object_get(o, name));
}

/* The member's role names, comma-separated, into @p out. */
static const char *role_list(emu_raw_fixture *s, const char *org, const char *user_id, char *out, size_t n)
{
    char path[256];
    snprintf(path, sizeof path, "/api/v1/organizations/%s/users/%s/roles", org, user_id);
    json_t *reply = NULL;
    assert_int_equal(emu_raw_fixture_api(s, "GET", path, NULL, &reply), 200);
    size_t i, len = 0;
    json_t *role;
    out[0] = '\0';
    json_array_foreach(json_object_get(reply, "roles"), i, role)
        len += (size_t)snprintf(out + len, n - len, "%s%s", i ? "," : "", str(role, "name"));
    json_decref(reply);
    return out;
}

static void member_roles_and_permissions(void **state)
{
    emu_raw_fixture *s = *state;
    char *org = ukit_create_org(s, "Roles Extras Co");
    char email[128];
    json_t *user = ukit_create_user(s, org, ukit_unique_email(email, sizeof email, "extras@example.com"), "\"membership\":{\"roles\":[{\"name\":\"viewer\"}]}", "");
    char *id = ukit_id(user);
    json_decref(user);
    char roles[256], path[256];
    assert_string_equal(role_list(s, org, id, roles, sizeof roles), "viewer");

    /* Roles assigned must exist: the organization's own (new per run, so no name collides). */
    snprintf(path, sizeof path, "/api/v1/organizations/%s/roles", org);
    assert_int_equal(emu_raw_fixture_api(s, "POST", path, "{\"name\":\"editor\"}", NULL), 201);
    assert_int_equal(emu_raw_fixture_api(s, "POST", path, "{\"name\":\"viewer\"}", NULL), 201);
    assert_int_equal(emu_raw_fixture_api(s, "POST", path, "{\"name\":\"auditor\"}", NULL), 201);
    snprintf(path, sizeof path, "/api/v1/organizations/%s/users/%s/roles", org, id);
    /* An unknown role is refused, naming it, and nothing is assigned. */
    ukit_assert_field_error(s, "POST", path, "{\"roles\":[{\"name\":\"editor\"},{\"name\":\"ghost\"}]}",
                            "roles[1].name");
    assert_string_equal(role_list(s, org, id, roles, sizeof roles), "viewer");
    json_t *reply = NULL;
    /* The documented body (user.h, the contract's supplement): the RPC's roles array itself. */
    assert_int_equal(emu_raw_fixture_api(s, "POST", path, "[{\"role_name\":\"editor\"},{\"role_name\":\"viewer\"}]",
                                         &reply), 200);
    assert_int_equal(json_array_size(json_object_get(reply, "roles")), 2);
    json_decref(reply);
    assert_string_equal(role_list(s, org, id, roles, sizeof roles), "viewer,editor");
    assert_int_equal(emu_raw_fixture_api(s, "POST", path, "[{\"role_name\":\"auditor\"}]", NULL), 200);
    assert_string_equal(role_list(s, org, id, roles, sizeof roles), "viewer,editor,auditor");
    ukit_assert_field_error(s, "POST", path, "[{\"role_name\":\"\"}]", "roles[0].name");
    ukit_assert_error(s, "POST", path, "\"admin\"", 400, "INVALID_ARGUMENT");
    ukit_assert_field_error(s, "POST", path, "{\"roles\":[{}]}", "roles[0].name");
    ukit_assert_field_error(s, "POST", path, "{}", "roles");

    snprintf(path, sizeof path, "/api/v1/organizations/%s/users/%s/roles/viewer", org, id);
    assert_int_equal(emu_raw_fixture_api(s, "DELETE", path, NULL, NULL), 200);
    assert_string_equal(role_list(s, org, id, roles, sizeof roles), "editor,auditor");
    ukit_assert_error(s, "DELETE", path, NULL, 404, "NOT_FOUND");

    snprintf(path, sizeof path, "/api/v1/organizations/%s/users/%s/permissions", org, id);
    assert_int_equal(emu_raw_fixture_api(s, "GET", path, NULL, &reply), 200);
    assert_true(json_is_array(json_object_get(reply, "permissions")));
    json_decref(reply);
    snprintf(path, sizeof path, "/api/v1/organizations/%s/users/usr_missing/permissions", org);
    ukit_assert_error(s, "GET", path, NULL, 404, "NOT_FOUND");
    ukit_assert_error(s, "GET", "/api/v1/organizations/org_missing/users/usr_missing/roles", NULL, 404, "NOT_FOUND");
    free(id);
    free(org);
}

/* The mailbox page carries the emulator's stylesheet inline, and its
 * Content-Security-Policy allows exactly that stylesheet by its hash. */
static void mailbox_page_style_is_allowed_by_hash(void **state)
{
    emu_raw_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "the mailbox page");
    char *org = ukit_create_org(s, "Styled Co");
    json_decref(ukit_create_user(s, org, "styled@example.com", NULL, "?send_invitation_email=true"));
    char url[512], csp[1024];
    emu_fixture_url(s->f, "/_emulator/mailbox/view", url, sizeof url);
    emu_http_response r;
    emu_http("GET", url, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(emu_http_header(&r, "Content-Security-Policy", csp, sizeof csp));
    const char *open = strstr(r.body, "<style>"), *close = open ? strstr(open, "</style>") : NULL;
    assert_non_null(close);
    assert_non_null(strstr(r.body, "styled@example.com"));
    unsigned char md[32];
    unsigned int len = 0;
    assert_true(EVP_Digest(open + 7, (size_t)(close - open - 7), md, &len, EVP_sha256(), NULL));
    char b64[64], allowed[96];
    b64[skit_base64_encode(md, sizeof md, b64)] = '\0';
    snprintf(allowed, sizeof allowed, "style-src 'sha256-%s'", b64);
    if (!strstr(csp, allowed))
        fail_msg("the page's stylesheet is not what its policy allows: %s (want %s)", csp, allowed);
    assert_non_null(strstr(csp, "default-src 'none'"));
    emu_http_response_free(&r);
    free(org);
}

/* ---- webhook events ------------------------------------------------------------------- */

typedef struct hook_state {
    mock_http *receiver;
    emu_raw_fixture raw;
} hook_state;

static int hook_setup(void **state)
{
    hook_state *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->receiver = mock_http_start();
    mock_response ok = {.status = 200, .body = "{}"};
    mock_http_set_default(s->receiver, HOOK_PATH, &ok);
    char url[256];
    snprintf(url, sizeof url, "%s%s", mock_http_url(s->receiver), HOOK_PATH);
    scalekit_emulator_options o = {.webhook_url = url};
    s->raw.f = emu_fixture_start(&o, NULL);
    s->raw.token = emu_test_client_token(s->raw.f->emu);
    assert_non_null(s->raw.token);
    *state = s;
    return 0;
}

static int hook_teardown(void **state)
{
    hook_state *s = *state;
    free(s->raw.token);
    emu_fixture_stop(s->raw.f);
    mock_http_stop(s->receiver);
    free(s);
    return 0;
}

/* Every delivery so far verified with the SDK; the user.* events among them, in order. */
static json_t *user_events(hook_state *s, size_t expected)
{
    json_t *events = json_array();
    const char *secret = scalekit_emulator_webhook_secret(s->raw.f->emu);
    for (int wait = 0; wait < 1000 && json_array_size(events) < expected; wait++) {
        json_array_clear(events);
        for (size_t i = 0; i < mock_http_count(s->receiver, HOOK_PATH); i++) {
            const mock_request *r = mock_http_request_for(s->receiver, HOOK_PATH, i);
            scalekit_header h[3] = {{"webhook-id", mock_request_header(r, "webhook-id")},
                                    {"webhook-timestamp", mock_request_header(r, "webhook-timestamp")},
                                    {"webhook-signature", mock_request_header(r, "webhook-signature")}};
            if (scalekit_verify_webhook_payload(NULL, secret, h, 3, r->body, r->body_len) != SCALEKIT_OK)
                fail_msg("delivery %zu does not verify: %s", i, scalekit_error_last()->message);
            json_t *event = json_loadb(r->body, r->body_len, 0, NULL);
            if (strncmp(str(event, "type"), "user.", 5) == 0)
                json_array_append(events, event);
            json_decref(event);
        }
        if (json_array_size(events) < expected)
            skit_sleep_ms(10);
    }
    assert_int_equal(json_array_size(events), expected);
    /* Each delivery checked as a typed event once, not on every poll above. */
    for (size_t i = 0; i < mock_http_count(s->receiver, HOOK_PATH); i++) {
        const mock_request *r = mock_http_request_for(s->receiver, HOOK_PATH, i);
        event_check_delivery(r->body, r->body_len);
    }
    return events;
}

/* The envelope and data of a user.* event (UserLoginEvent, OrgMembershipEventData, ...). */
static void assert_user_event(const json_t *event, const char *type, const char *org, const char *email)
{
    assert_string_equal(str(event, "type"), type);
    assert_string_equal(str(event, "spec_version"), "1");
    assert_int_equal(strncmp(str(event, "id"), "evt_", 4), 0);
    bool auth = strcmp(type, "user.login") == 0 || strcmp(type, "user.logout") == 0;
    assert_string_equal(str(event, "object"), auth ? "User" : "OrgMembership");
    json_t *data = json_object_get(event, "data");
    json_t *user = json_object_get(data, "user");
    assert_int_equal(strncmp(str(user, "id"), "usr_", 4), 0);
    assert_string_equal(str(user, "email"), email);
    assert_true(json_is_object(json_object_get(user, "user_profile")));
    if (org)
        assert_string_equal(str(event, "organization_id"), org);
    if (auth) {
        json_t *session = json_object_get(data, "user_session");
        assert_int_equal(strncmp(str(session, "session_id"), "ses_", 4), 0);
        assert_string_equal(str(session, "user_id"), str(user, "id"));
        assert_string_equal(str(session, "status"), strcmp(type, "user.login") == 0 ? "active" : "revoked");
    } else {
        assert_string_equal(str(json_object_get(data, "organization"), "id"), org);
    }
}

static void user_events_in_the_openapi_shapes(void **state)
{
    hook_state *h = *state;
    emu_raw_fixture *s = &h->raw;
    char *org = ukit_create_org(s, "Evented Co");
    json_t *user = ukit_create_user(s, org, "invited@example.com", NULL, "?send_invitation_email=true");
    char *invited = ukit_id(user);
    json_decref(user);
    json_t *tokens = ukit_sign_in(s, "newcomer@example.com", org, "EventBrowser/1.0");
    json_t *claims = ukit_claims(str(tokens, "access_token"));
    char path[256];
    snprintf(path, sizeof path, "/api/v1/memberships/organizations/%s/users/%s", org, str(claims, "sub"));
    assert_int_equal(emu_raw_fixture_api(s, "PATCH", path, "{\"roles\":[{\"name\":\"admin\"}]}", NULL), 200);
    char revoke[256];
    snprintf(revoke, sizeof revoke, "/api/v1/sessions/%s/revoke", str(claims, "sid"));
    assert_int_equal(emu_raw_fixture_api(s, "POST", revoke, NULL, NULL), 200);
    assert_int_equal(emu_raw_fixture_api(s, "DELETE", path, NULL, NULL), 200);
    /* The organization goes: its remaining member's membership ends with it. */
    snprintf(path, sizeof path, "/api/v1/organizations/%s", org);
    assert_int_equal(emu_raw_fixture_api(s, "DELETE", path, NULL, NULL), 200);

    json_t *events = user_events(h, 9);
    static const struct {
        const char *type, *email;
    } expected[] = {
        {"user.organization_membership_created", "invited@example.com"},
        {"user.organization_invitation", "invited@example.com"},
        {"user.organization_membership_created", "newcomer@example.com"},
        {"user.signup", "newcomer@example.com"},
        {"user.login", "newcomer@example.com"},
        {"user.organization_membership_updated", "newcomer@example.com"},
        {"user.logout", "newcomer@example.com"},
        {"user.organization_membership_deleted", "newcomer@example.com"},
        {"user.organization_membership_deleted", "invited@example.com"},
    };
    for (size_t i = 0; i < 9; i++)
        assert_user_event(json_array_get(events, i), expected[i].type, org, expected[i].email);
    /* The updated event carries the new role. */
    json_t *m = json_array_get(json_object_get(json_object_get(json_object_get(json_array_get(events, 5), "data"),
                                                               "user"), "memberships"), 0);
    assert_string_equal(str(json_array_get(json_object_get(m, "roles"), 0), "name"), "admin");
    json_decref(events);
    json_decref(claims);
    json_decref(tokens);
    free(invited);
    free(org);
}

/* ---- a data file of the previous build ---------------------------------------------- */

/* The users, memberships and sessions tables as the build before this API made them. */
static const char old_schema[] =
    "CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE COLLATE NOCASE, external_id TEXT,"
    " given_name TEXT, family_name TEXT, name TEXT, email_verified INTEGER NOT NULL DEFAULT 0,"
    " metadata TEXT NOT NULL DEFAULT '{}', create_time INTEGER NOT NULL, update_time INTEGER NOT NULL,"
    " last_login_time INTEGER);"
    "CREATE TABLE memberships (organization_id TEXT NOT NULL, user_id TEXT NOT NULL,"
    " roles TEXT NOT NULL DEFAULT '[]', membership_status TEXT NOT NULL DEFAULT 'ACTIVE',"
    " created_at INTEGER NOT NULL, PRIMARY KEY (organization_id, user_id));"
    "CREATE TABLE sessions (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, organization_id TEXT,"
    " client_id TEXT NOT NULL, created_at INTEGER NOT NULL, ended_at INTEGER);"
    "INSERT INTO users VALUES ('usr_old', 'old@example.com', NULL, 'Old', 'Timer', NULL, 1, '{}', 1700000000,"
    " 1700000000, NULL);"
    "INSERT INTO sessions VALUES ('ses_old', 'usr_old', NULL, 'skc_x', 1700000000, NULL);";

static void older_data_file_opens(void **state)
{
    char path[] = "/tmp/emu_users_old_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, old_schema, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    scalekit_emulator_options o = {.quiet = 1, .data_path = path};
    emu_raw_fixture s = {emu_fixture_start(&o, NULL), NULL};
    s.token = emu_test_client_token(s.f->emu);
    assert_non_null(s.token);
    json_t *reply = NULL;
    assert_int_equal(emu_raw_fixture_api(&s, "GET", "/api/v1/users/usr_old", NULL, &reply), 200);
    json_t *user = json_object_get(reply, "user");
    assert_string_equal(str(user, "email"), "old@example.com");
    assert_true(json_is_object(json_object_get(user, "user_profile")));
    json_decref(reply);
    /* The old session reads with the new columns empty; the new ones write. */
    assert_int_equal(emu_raw_fixture_api(&s, "GET", "/api/v1/sessions/ses_old", NULL, &reply), 200);
    assert_string_equal(str(reply, "status"), "active");
    json_decref(reply);
    char *org = ukit_create_org(&s, "Migrated Co");
    char member[256];
    snprintf(member, sizeof member, "/api/v1/memberships/organizations/%s/users/usr_old", org);
    assert_int_equal(emu_raw_fixture_api(&s, "POST", member, "{\"membership\":{\"inviter_email\":\"a@b.io\"}}", NULL), 201);
    assert_int_equal(emu_raw_fixture_api(&s, "PATCH", "/api/v1/users/usr_old", "{\"user_profile\":{\"locale\":\"fr-FR\"}}",
                                         &reply), 200);
    assert_string_equal(str(json_object_get(json_object_get(reply, "user"), "user_profile"), "given_name"), "Old");
    json_decref(reply);
    free(org);
    free(s.token);
    emu_fixture_stop(s.f);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest raw[] = {
        cmocka_unit_test(member_roles_and_permissions),
        cmocka_unit_test(mailbox_page_style_is_allowed_by_hash),
    };
    const struct CMUnitTest hooks[] = {
        cmocka_unit_test(user_events_in_the_openapi_shapes),
    };
    const struct CMUnitTest files[] = {
        cmocka_unit_test(older_data_file_opens),
    };
    int failed = cmocka_run_group_tests_name("member roles", raw, emu_raw_fixture_setup_env, emu_raw_fixture_teardown);
    failed += cmocka_run_group_tests_name("user events", hooks, hook_setup, hook_teardown);
    failed += cmocka_run_group_tests_name("older data files", files, NULL, NULL);
    return failed;
}
