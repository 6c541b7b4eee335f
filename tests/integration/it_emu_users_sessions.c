/*
 * Sessions over raw HTTP: the hosted login makes one with the browser's
 * User-Agent and IP; GetSession, GetUserSessions (status and time filters,
 * paging over four pages), RevokeSession and RevokeAllUserSessions, after which
 * the sessions' refresh tokens are refused (invalid_grant); expiry by the
 * organization's session policy (idle and absolute); tokens follow the data (a
 * role change in the refreshed token, a deleted membership's organization gone).
 * The contract test runs this suite; /_emulator and /oauth calls are not API.
 * With the three SCALEKIT_* variables set it runs against that environment:
 * sessions need a sign-in on the hosted login, so only the 404s run there.
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
#include "emu_users_kit.h"

static const char *str(const json_t *o, const char *name)
{
    return json_string_value(json_object_get(o, name));
}

/* A user of a new organization @p org_name signed in once; the user id and the tokens. */
static char *signed_in(emu_raw_fixture *s, const char *org, const char *email, json_t **tokens)
{
    json_t *user = ukit_create_user(s, org, email, NULL, "");
    char *id = ukit_id(user);
    json_decref(user);
    *tokens = ukit_sign_in(s, email, org, "SessionBrowser/3.1 (X11)");
    return id;
}

/* The user's sessions with @p query ("" or "?filter.status=..."); the reply (new reference). */
static json_t *sessions_of(emu_raw_fixture *s, const char *user_id, const char *query)
{
    char path[512];
    snprintf(path, sizeof path, "/api/v1/users/%s/sessions%s", user_id, query);
    json_t *reply = NULL;
    long status = emu_raw_fixture_api(s, "GET", path, NULL, &reply);
    if (status != 200)
        fail_msg("GET %s answered %ld", path, status);
    return reply;
}

static void device_details_from_the_user_agent(void **state)
{
    emu_raw_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "signing in on the hosted login");
    char *org = ukit_create_org(s, "Device Co");
    json_t *user = ukit_create_user(s, org, "device@example.com", NULL, "");
    char *id = ukit_id(user);
    json_decref(user);
    json_decref(ukit_sign_in(s, "device@example.com", org,
                             "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
                             "(KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36"));
    json_decref(ukit_sign_in(s, "device@example.com", org,
                             "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
                             "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"));
    char path[256];
    snprintf(path, sizeof path, "/api/v1/users/%s/sessions", id);
    json_t *reply = NULL;
    assert_int_equal(emu_raw_fixture_api(s, "GET", path, NULL, &reply), 200);
    json_t *desktop = json_object_get(json_array_get(json_object_get(reply, "sessions"), 0), "device");
    /* The request's own User-Agent and address, as the hosted login received them. */
    assert_non_null(strstr(str(desktop, "user_agent"), "Chrome/142.0.0.0 Safari/537.36"));
    assert_string_equal(str(desktop, "ip"), "127.0.0.1");
    assert_string_equal(str(desktop, "browser"), "Chrome");
    assert_string_equal(str(desktop, "browser_version"), "142.0.0.0");
    assert_string_equal(str(desktop, "os"), "macOS");
    assert_string_equal(str(desktop, "os_version"), "10.15.7");
    assert_string_equal(str(desktop, "device_type"), "desktop");
    json_t *phone = json_object_get(json_array_get(json_object_get(reply, "sessions"), 1), "device");
    assert_string_equal(str(phone, "browser"), "Mobile Safari");
    assert_string_equal(str(phone, "browser_version"), "17.4");
    assert_string_equal(str(phone, "os"), "iOS");
    assert_string_equal(str(phone, "os_version"), "17.4");
    assert_string_equal(str(phone, "device_type"), "mobile");
    json_decref(reply);
    free(id);
    free(org);
}

/* GetSession answers session @p sid with @p status. */
static void assert_session_status(emu_raw_fixture *s, const char *sid, const char *status)
{
    char path[256];
    snprintf(path, sizeof path, "/api/v1/sessions/%s", sid);
    json_t *reply = NULL;
    assert_int_equal(emu_raw_fixture_api(s, "GET", path, NULL, &reply), 200);
    assert_string_equal(str(reply, "session_id"), sid);
    assert_string_equal(str(reply, "status"), status);
    if (strcmp(status, "expired") == 0)
        assert_non_null(str(reply, "expired_at"));
    json_decref(reply);
}

static void refused(emu_raw_fixture *s, const json_t *tokens)
{
    json_t *reply = NULL;
    assert_int_equal(ukit_refresh(s, str(tokens, "refresh_token"), &reply), 400);
    assert_string_equal(str(reply, "error"), "invalid_grant");
    json_decref(reply);
}

static void login_makes_a_session_revoke_ends_it(void **state)
{
    emu_raw_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "signing in on the hosted login");
    char *org = ukit_create_org(s, "Session Co");
    json_t *tokens = NULL;
    char *id = signed_in(s, org, "sessions@example.com", &tokens);
    json_t *reply = sessions_of(s, id, "");
    assert_int_equal(json_integer_value(json_object_get(reply, "total_size")), 1);
    json_t *session = json_array_get(json_object_get(reply, "sessions"), 0);
    char sid[96], path[256];
    snprintf(sid, sizeof sid, "%s", str(session, "session_id"));
    assert_int_equal(strncmp(sid, "ses_", 4), 0);
    assert_string_equal(str(session, "status"), "active");
    assert_string_equal(str(session, "user_id"), id);
    assert_string_equal(str(session, "organization_id"), org);
    assert_string_equal(str(json_object_get(session, "device"), "user_agent"), "SessionBrowser/3.1 (X11)");
    /* A User-Agent it does not know: no browser or OS made up. */
    assert_null(json_object_get(json_object_get(session, "device"), "browser"));
    assert_string_equal(str(json_object_get(session, "device"), "device_type"), "other");
    assert_string_equal(str(json_object_get(session, "device"), "ip"), "127.0.0.1");
    assert_non_null(str(session, "absolute_expires_at"));
    assert_non_null(str(session, "idle_expires_at"));
    json_decref(reply);
    /* The access token names the session. */
    json_t *claims = ukit_claims(str(tokens, "access_token"));
    assert_string_equal(str(claims, "sid"), sid);
    json_decref(claims);

    /* A refresh works while the session is active and rotates the token. */
    json_t *fresh = NULL;
    assert_int_equal(ukit_refresh(s, str(tokens, "refresh_token"), &fresh), 200);
    refused(s, tokens);

    snprintf(path, sizeof path, "/api/v1/sessions/%s/revoke", sid);
    assert_int_equal(emu_raw_fixture_api(s, "POST", path, NULL, &reply), 200);
    json_t *revoked = json_object_get(reply, "revoked_session");
    assert_string_equal(str(revoked, "session_id"), sid);
    assert_string_equal(str(revoked, "status"), "revoked");
    assert_non_null(str(revoked, "logout_at"));
    json_decref(reply);
    refused(s, fresh);

    assert_session_status(s, sid, "revoked");
    json_decref(fresh);
    json_decref(tokens);
    free(id);
    free(org);
}

static void revoke_all_and_filters(void **state)
{
    emu_raw_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "signing in on the hosted login");
    char *org = ukit_create_org(s, "Many Sessions Co");
    json_t *tokens[7];
    char *id = signed_in(s, org, "many@example.com", &tokens[0]);
    for (int i = 1; i < 7; i++)
        tokens[i] = ukit_sign_in(s, "many@example.com", org, "SessionBrowser/3.1 (X11)");
    json_t *reply = sessions_of(s, id, "");
    char first[96], path[256];
    snprintf(first, sizeof first, "%s", str(json_array_get(json_object_get(reply, "sessions"), 0), "session_id"));
    json_decref(reply);
    snprintf(path, sizeof path, "/api/v1/sessions/%s/revoke", first);
    assert_int_equal(emu_raw_fixture_api(s, "POST", path, NULL, NULL), 200);

    /* Four pages of two. */
    char query[512] = "?page_size=2", token[256];
    int pages = 0;
    size_t seen = 0;
    do {
        reply = sessions_of(s, id, query);
        seen += json_array_size(json_object_get(reply, "sessions"));
        snprintf(token, sizeof token, "%s", str(reply, "next_page_token"));
        snprintf(query, sizeof query, "?page_size=2&page_token=%s", token);
        json_decref(reply);
        pages++;
    } while (*token && pages < 10);
    assert_int_equal(pages, 4);
    assert_int_equal(seen, 7);

    reply = sessions_of(s, id, "?filter.status=revoked");
    assert_int_equal(json_integer_value(json_object_get(reply, "total_size")), 1);
    assert_string_equal(str(json_array_get(json_object_get(reply, "sessions"), 0), "session_id"), first);
    json_decref(reply);
    reply = sessions_of(s, id, "?filter.status=active&filter.status=expired");
    assert_int_equal(json_integer_value(json_object_get(reply, "total_size")), 6);
    json_decref(reply);
    reply = sessions_of(s, id, "?filter.start_time=2000-01-01T00:00:00Z&filter.end_time=2999-01-01T00:00:00Z");
    assert_int_equal(json_integer_value(json_object_get(reply, "total_size")), 7);
    json_decref(reply);
    reply = sessions_of(s, id, "?filter.start_time=2000-01-01T00%3A00%3A00.000000Z");
    assert_int_equal(json_integer_value(json_object_get(reply, "total_size")), 7);
    json_decref(reply);
    reply = sessions_of(s, id, "?filter.start_time=2999-01-01T00:00:00Z");
    assert_int_equal(json_integer_value(json_object_get(reply, "total_size")), 0);
    json_decref(reply);
    snprintf(path, sizeof path, "/api/v1/users/%s/sessions?filter.status=sleeping", id);
    ukit_assert_field_error(s, "GET", path, NULL, "filter.status");
    snprintf(path, sizeof path, "/api/v1/users/%s/sessions?filter.start_time=yesterday", id);
    ukit_assert_field_error(s, "GET", path, NULL, "filter.start_time");
    snprintf(path, sizeof path, "/api/v1/users/%s/sessions?filter.start_time=2020-01-02T00:00:00Z"
             "&filter.end_time=2020-01-01T00:00:00Z", id);
    ukit_assert_field_error(s, "GET", path, NULL, "filter.end_time");

    /* Revoke all: the six still active. */
    snprintf(path, sizeof path, "/api/v1/users/%s/sessions/revoke", id);
    assert_int_equal(emu_raw_fixture_api(s, "POST", path, NULL, &reply), 200);
    assert_int_equal(json_integer_value(json_object_get(reply, "total_revoked")), 6);
    assert_int_equal(json_array_size(json_object_get(reply, "revoked_sessions")), 6);
    json_decref(reply);
    reply = sessions_of(s, id, "?filter.status=active");
    assert_int_equal(json_integer_value(json_object_get(reply, "total_size")), 0);
    json_decref(reply);
    for (int i = 0; i < 7; i++) {
        refused(s, tokens[i]);
        json_decref(tokens[i]);
    }
    free(id);
    free(org);
}

static void unknown_sessions_and_users_are_404(void **state)
{
    emu_raw_fixture *s = *state;
    ukit_assert_error(s, "GET", "/api/v1/sessions/ses_missing", NULL, 404, "NOT_FOUND");
    ukit_assert_error(s, "POST", "/api/v1/sessions/ses_missing/revoke", NULL, 404, "NOT_FOUND");
    ukit_assert_error(s, "GET", "/api/v1/users/usr_missing/sessions", NULL, 404, "NOT_FOUND");
    ukit_assert_error(s, "POST", "/api/v1/users/usr_missing/sessions/revoke", NULL, 404, "NOT_FOUND");
}

/* POST /_emulator/sessions/{id}:age by @p seconds. */
static void age(emu_raw_fixture *s, const char *sid, int seconds)
{
    char path[256], body[64];
    snprintf(path, sizeof path, "/_emulator/sessions/%s:age", sid);
    snprintf(body, sizeof body, "{\"seconds\":%d}", seconds);
    char url[512];
    emu_fixture_url(s->f, path, url, sizeof url);
    emu_http_response r;
    emu_http("POST", url, (const char *const[]){"Content-Type: application/json", NULL}, body, &r);
    assert_int_equal(r.status, 200);
    emu_http_response_free(&r);
}

static char *only_session(emu_raw_fixture *s, const char *user_id, const char *status)
{
    json_t *reply = sessions_of(s, user_id, "");
    json_t *session = json_array_get(json_object_get(reply, "sessions"), 0);
    assert_string_equal(str(session, "status"), status);
    char *sid = strdup(str(session, "session_id"));
    json_decref(reply);
    return sid;
}

static void session_policy_expires_sessions(void **state)
{
    emu_raw_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "aging sessions");
    char *org = ukit_create_org(s, "Strict Co");
    char path[256];
    snprintf(path, sizeof path, "/api/v1/organizations/%s/session-policy", org);
    assert_int_equal(emu_raw_fixture_api(s, "PATCH", path, "{\"policy_source\":\"CUSTOM\",\"absolute_session_timeout\":3,"
                                         "\"idle_session_timeout_enabled\":true,\"idle_session_timeout\":1}", NULL), 200);
    json_t *tokens = NULL;
    char *id = signed_in(s, org, "strict@example.com", &tokens);
    char *sid = only_session(s, id, "active");

    /* Idle: a use within the minute keeps it alive, a minute without one ends it. */
    age(s, sid, 50);
    json_t *fresh = NULL;
    assert_int_equal(ukit_refresh(s, str(tokens, "refresh_token"), &fresh), 200);
    age(s, sid, 50);
    free(only_session(s, id, "active"));
    age(s, sid, 15);
    free(only_session(s, id, "expired"));
    refused(s, fresh);
    json_decref(fresh);
    json_decref(tokens);
    assert_session_status(s, sid, "expired");
    free(sid);

    /* Absolute: uses every 50 s keep it from idling, not past three minutes. */
    tokens = ukit_sign_in(s, "strict@example.com", org, "SessionBrowser/3.1 (X11)");
    json_t *reply = sessions_of(s, id, "?filter.status=active");
    sid = strdup(str(json_array_get(json_object_get(reply, "sessions"), 0), "session_id"));
    json_decref(reply);
    for (int i = 0; i < 3; i++) {
        age(s, sid, 50);
        assert_int_equal(ukit_refresh(s, str(tokens, "refresh_token"), &fresh), 200);
        json_decref(tokens);
        tokens = fresh;
    }
    age(s, sid, 50);
    refused(s, tokens);
    assert_session_status(s, sid, "expired");
    json_decref(tokens);
    free(sid);
    free(id);
    free(org);
}

/* A policy that turns the idle timeout off leaves the sessions it started usable. */
static void idle_timeout_turned_off(void **state)
{
    emu_raw_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "signing in on the hosted login");
    char *org = ukit_create_org(s, "Relaxed Co");
    char path[256];
    snprintf(path, sizeof path, "/api/v1/organizations/%s/session-policy", org);
    assert_int_equal(emu_raw_fixture_api(s, "PATCH", path, "{\"policy_source\":\"CUSTOM\",\"absolute_session_timeout\":60,"
                                         "\"idle_session_timeout_enabled\":true,\"idle_session_timeout\":5}", NULL), 200);
    json_t *tokens = NULL;
    char *id = signed_in(s, org, "relaxed@example.com", &tokens);
    assert_int_equal(emu_raw_fixture_api(s, "PATCH", path, "{\"policy_source\":\"CUSTOM\",\"absolute_session_timeout\":60,"
                                         "\"idle_session_timeout_enabled\":false}", NULL), 200);
    for (int i = 0; i < 3; i++) {
        json_t *fresh = NULL;
        assert_int_equal(ukit_refresh(s, str(tokens, "refresh_token"), &fresh), 200);
        json_decref(tokens);
        tokens = fresh;
    }
    char *sid = only_session(s, id, "active");
    free(sid);
    json_decref(tokens);
    free(id);
    free(org);
}

static void tokens_follow_the_data(void **state)
{
    emu_raw_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "signing in on the hosted login");
    char *org = ukit_create_org(s, "Roles Co");
    json_t *tokens = NULL;
    char *id = signed_in(s, org, "roles@example.com", &tokens);
    json_t *claims = ukit_claims(str(tokens, "access_token"));
    assert_string_equal(str(claims, "oid"), org);
    assert_string_equal(json_string_value(json_array_get(json_object_get(claims, "roles"), 0)), "member");
    json_decref(claims);

    char path[256];
    snprintf(path, sizeof path, "/api/v1/memberships/organizations/%s/users/%s", org, id);
    assert_int_equal(emu_raw_fixture_api(s, "PATCH", path, "{\"roles\":[{\"name\":\"admin\"}]}", NULL), 200);
    json_t *fresh = NULL;
    assert_int_equal(ukit_refresh(s, str(tokens, "refresh_token"), &fresh), 200);
    claims = ukit_claims(str(fresh, "access_token"));
    assert_int_equal(json_array_size(json_object_get(claims, "roles")), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(claims, "roles"), 0)), "admin");
    json_decref(claims);
    json_decref(tokens);

    /* The membership goes: the session goes on, but no new token carries the organization. */
    assert_int_equal(emu_raw_fixture_api(s, "DELETE", path, NULL, NULL), 200);
    json_t *after = NULL;
    assert_int_equal(ukit_refresh(s, str(fresh, "refresh_token"), &after), 200);
    claims = ukit_claims(str(after, "access_token"));
    assert_null(json_object_get(claims, "oid"));
    assert_int_equal(json_array_size(json_object_get(claims, "roles")), 0);
    json_decref(claims);
    claims = ukit_claims(str(after, "id_token"));
    assert_null(json_object_get(claims, "oid"));
    json_decref(claims);
    json_decref(after);
    json_decref(fresh);
    free(id);
    free(org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(login_makes_a_session_revoke_ends_it),
        cmocka_unit_test(revoke_all_and_filters),
        cmocka_unit_test(unknown_sessions_and_users_are_404),
        cmocka_unit_test(device_details_from_the_user_agent),
        cmocka_unit_test(session_policy_expires_sessions),
        cmocka_unit_test(idle_timeout_turned_off),
        cmocka_unit_test(tokens_follow_the_data),
    };
    return cmocka_run_group_tests(tests, emu_raw_fixture_setup_env, emu_raw_fixture_teardown);
}
