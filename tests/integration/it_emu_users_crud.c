/*
 * Users over raw HTTP: CreateUserAndMembership, GetUser, UpdateUser and
 * DeleteUser by id and by external id, ListUsers, SearchUsers, an
 * organization's users (list, search), paging over more than three pages;
 * the API's 400 with field violations, 404 and 409; a user's delete ending their
 * memberships and sessions, an organization's delete ending its memberships.
 * Every exchange here is in the OpenAPI file (the contract test runs this suite).
 * With the three SCALEKIT_* variables set it runs against that environment
 * (emails and external ids unique per run; the hosted login test is skipped).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <cmocka.h>

#include "emu_fixture.h"
#include "emu_users_kit.h"

static const char *str(const json_t *o, const char *name)
{
    return json_string_value(json_object_get(o, name));
}

static void create_get_update_by_id_and_external_id(void **state)
{
    emu_raw_fixture *s = *state;
    char *org = ukit_create_org(s, "Crud Co");
    char email[128], ext[96], ext2[96], extra[768];
    ukit_unique_email(email, sizeof email, "Ada@Example.com");
    emu_fixture_unique(ext, sizeof ext, "ext-ada");
    emu_fixture_unique(ext2, sizeof ext2, "ext-ada");
    snprintf(extra, sizeof extra, "\"external_id\":\"%s\",\"metadata\":{\"plan\":\"gold\"},"
                                    "\"user_profile\":{\"given_name\":\"Ada\",\"family_name\":\"Lovelace\","
                                    "\"phone_number\":\"+14155552671\",\"groups\":[\"eng\"]},"
                                    "\"membership\":{\"roles\":[{\"name\":\"admin\"}],\"inviter_email\":\"boss@example.com\"}",
             ext);
    json_t *user = ukit_create_user(s, org, email, extra, "");
    char *id = ukit_id(user);
    assert_int_equal(strncmp(id, "usr_", 4), 0);
    assert_string_equal(str(user, "email"), email);
    assert_string_equal(str(user, "external_id"), ext);
    assert_string_equal(str(json_object_get(user, "metadata"), "plan"), "gold");
    json_t *profile = json_object_get(user, "user_profile");
    assert_string_equal(str(profile, "given_name"), "Ada");
    assert_string_equal(str(profile, "phone_number"), "+14155552671");
    assert_string_equal(str(profile, "id"), id);
    json_t *m = json_array_get(json_object_get(user, "memberships"), 0);
    assert_string_equal(str(m, "organization_id"), org);
    assert_string_equal(str(m, "display_name"), "Crud Co");
    assert_string_equal(str(m, "membership_status"), "ACTIVE");
    assert_string_equal(str(m, "inviter_email"), "boss@example.com");
    assert_string_equal(str(json_array_get(json_object_get(m, "roles"), 0), "name"), "admin");
    assert_non_null(str(m, "join_time"));
    json_decref(user);

    char path[256], ext_path[256];
    snprintf(path, sizeof path, "/api/v1/users/%s", id);
    snprintf(ext_path, sizeof ext_path, "/api/v1/users:external/%s", ext);
    json_t *reply = NULL;
    assert_int_equal(emu_raw_fixture_api(s, "GET", ext_path, NULL, &reply), 200);
    assert_string_equal(str(json_object_get(reply, "user"), "id"), id);
    json_decref(reply);

    /* An update changes only what it names: the family name stays. */
    assert_int_equal(emu_raw_fixture_api(s, "PATCH", path, "{\"user_profile\":{\"given_name\":\"Augusta\"}}", &reply),
                     200);
    profile = json_object_get(json_object_get(reply, "user"), "user_profile");
    assert_string_equal(str(profile, "given_name"), "Augusta");
    assert_string_equal(str(profile, "family_name"), "Lovelace");
    json_decref(reply);
    char body[256];
    snprintf(body, sizeof body, "{\"external_id\":\"%s\",\"metadata\":{\"plan\":\"free\"}}", ext2);
    assert_int_equal(emu_raw_fixture_api(s, "PATCH", ext_path, body, &reply), 200);
    assert_string_equal(str(json_object_get(reply, "user"), "external_id"), ext2);
    assert_string_equal(str(json_object_get(json_object_get(reply, "user"), "metadata"), "plan"), "free");
    json_decref(reply);
    /* The old external id is gone; the new one finds the user. */
    ukit_assert_error(s, "GET", ext_path, NULL, 404, "NOT_FOUND");
    snprintf(ext_path, sizeof ext_path, "/api/v1/users:external/%s", ext2);
    assert_int_equal(emu_raw_fixture_api(s, "GET", ext_path, NULL, &reply), 200);
    assert_string_equal(str(json_object_get(json_object_get(reply, "user"), "user_profile"), "given_name"), "Augusta");
    json_decref(reply);
    free(id);
    free(org);
}

static void validation_is_400_with_the_field(void **state)
{
    emu_raw_fixture *s = *state;
    char *org = ukit_create_org(s, "Valid Co");
    char path[256];
    snprintf(path, sizeof path, "/api/v1/organizations/%s/users", org);
    ukit_assert_field_error(s, "POST", path, "{}", "email");
    ukit_assert_field_error(s, "POST", path, "{\"email\":\"not-an-email\"}", "email");
    ukit_assert_field_error(s, "POST", path, "{\"email\":\"a@b.io\",\"metadata\":{\"k\":\"v\"}}", "metadata.k");
    ukit_assert_field_error(s, "POST", path, "{\"email\":\"a@b.io\",\"user_profile\":{\"phone_number\":\"555\"}}",
                            "user_profile.phone_number");
    ukit_assert_field_error(s, "POST", path, "{\"email\":\"a@b.io\",\"user_profile\":{\"shoe_size\":\"9\"}}",
                            "user_profile.shoe_size");
    ukit_assert_field_error(s, "POST", path, "{\"email\":\"a@b.io\",\"membership\":{\"roles\":[{\"name\":\"\"}]}}",
                            "membership.roles[0].name");
    char email[128];
    json_t *user = ukit_create_user(s, org, ukit_unique_email(email, sizeof email, "valid@example.com"), NULL, "");
    char *id = ukit_id(user);
    json_decref(user);
    char user_path[256];
    snprintf(user_path, sizeof user_path, "/api/v1/users/%s", id);
    ukit_assert_field_error(s, "PATCH", user_path, "{\"email\":\"new@example.com\"}", "email");
    ukit_assert_field_error(s, "PATCH", user_path, "{\"external_id\":7}", "external_id");
    ukit_assert_field_error(s, "PATCH", user_path, "{\"user_profile\":{\"groups\":[1]}}", "user_profile.groups");
    ukit_assert_field_error(s, "GET", "/api/v1/users?page_size=101", NULL, "page_size");
    ukit_assert_field_error(s, "GET", "/api/v1/users:search?query=ab", NULL, "query");
    ukit_assert_field_error(s, "GET", "/api/v1/users:search?query=abc&page_size=31", NULL, "page_size");
    free(id);
    free(org);
}

static void unknown_ids_are_404(void **state)
{
    emu_raw_fixture *s = *state;
    ukit_assert_error(s, "GET", "/api/v1/users/usr_missing", NULL, 404, "NOT_FOUND");
    ukit_assert_error(s, "PATCH", "/api/v1/users/usr_missing", "{\"metadata\":{}}", 404, "NOT_FOUND");
    ukit_assert_error(s, "DELETE", "/api/v1/users/usr_missing", NULL, 404, "NOT_FOUND");
    ukit_assert_error(s, "GET", "/api/v1/users:external/nobody", NULL, 404, "NOT_FOUND");
    ukit_assert_error(s, "DELETE", "/api/v1/users:external/nobody", NULL, 404, "NOT_FOUND");
    ukit_assert_error(s, "GET", "/api/v1/organizations/org_missing/users", NULL, 404, "NOT_FOUND");
    ukit_assert_error(s, "POST", "/api/v1/organizations/org_missing/users", "{\"email\":\"x@example.com\"}", 404,
                      "NOT_FOUND");
}

static void duplicates_are_409(void **state)
{
    emu_raw_fixture *s = *state;
    char *org = ukit_create_org(s, "Dup Co");
    char path[256];
    snprintf(path, sizeof path, "/api/v1/organizations/%s/users", org);
    char email[128], upper[128], other[128], second_email[128], ext[96], body[512];
    ukit_unique_email(email, sizeof email, "dup@example.com");
    emu_fixture_unique(ext, sizeof ext, "ext-dup");
    snprintf(body, sizeof body, "\"external_id\":\"%s\"", ext);
    json_t *first = ukit_create_user(s, org, email, body, "");
    /* Email is unique whatever its case; external_id is unique. */
    for (size_t i = 0; i < sizeof upper; i++)
        if ((upper[i] = (char)toupper((unsigned char)email[i])) == '\0')
            break;
    snprintf(body, sizeof body, "{\"email\":\"%s\"}", upper);
    ukit_assert_error(s, "POST", path, body, 409, "ALREADY_EXISTS");
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"external_id\":\"%s\"}",
             ukit_unique_email(other, sizeof other, "other@example.com"), ext);
    ukit_assert_error(s, "POST", path, body, 409, "ALREADY_EXISTS");
    json_t *second = ukit_create_user(s, org, ukit_unique_email(second_email, sizeof second_email, "second@example.com"),
                                      NULL, "");
    char user_path[256];
    snprintf(user_path, sizeof user_path, "/api/v1/users/%s", str(second, "id"));
    snprintf(body, sizeof body, "{\"external_id\":\"%s\"}", ext);
    ukit_assert_error(s, "PATCH", user_path, body, 409, "ALREADY_EXISTS");
    json_decref(first);
    json_decref(second);
    free(org);
}

/* Walk @p path's pages of @p page_size; the users seen, in order (new array). */
static json_t *walk_pages(emu_raw_fixture *s, const char *path, int page_size, int *pages)
{
    json_t *seen = json_array(), *reply = NULL;
    char token[256] = "", url[768];
    *pages = 0;
    do {
        snprintf(url, sizeof url, "%s%spage_size=%d%s%s", path, strchr(path, '?') ? "&" : "?", page_size,
                 *token ? "&page_token=" : "", token);
        assert_int_equal(emu_raw_fixture_api(s, "GET", url, NULL, &reply), 200);
        json_t *users = json_object_get(reply, "users");
        assert_true(json_array_size(users) <= (size_t)page_size);
        json_array_extend(seen, users);
        snprintf(token, sizeof token, "%s", str(reply, "next_page_token") ? str(reply, "next_page_token") : "");
        json_decref(reply);
        (*pages)++;
    } while (*token && *pages < 50);
    return seen;
}

static void lists_page_over_more_than_three_pages(void **state)
{
    emu_raw_fixture *s = *state;
    char *org = ukit_create_org(s, "Paging Co"), *other = ukit_create_org(s, "Other Co");
    /* A domain of this run's own, so the environment-wide search finds exactly these. */
    char domain[96], email[160], outsider[160];
    emu_fixture_unique(domain, sizeof domain, "paging");
    for (int i = 0; i < 7; i++) {
        snprintf(email, sizeof email, "pager%d@%s.example", i, domain);
        json_decref(ukit_create_user(s, org, email, NULL, ""));
    }
    json_decref(ukit_create_user(s, other, ukit_unique_email(outsider, sizeof outsider, "outsider@other.example"),
                                 NULL, ""));
    char path[256];
    snprintf(path, sizeof path, "/api/v1/organizations/%s/users", org);
    int pages = 0;
    json_t *seen = walk_pages(s, path, 2, &pages);
    assert_int_equal(pages, 4);
    assert_int_equal(json_array_size(seen), 7);
    for (size_t i = 0; i < 7; i++) {
        snprintf(email, sizeof email, "pager%zu@%s.example", i, domain);
        assert_string_equal(str(json_array_get(seen, i), "email"), email);
    }
    json_decref(seen);

    /* total_size counts the organization's users only; the environment's list has them all. */
    json_t *reply = NULL;
    assert_int_equal(emu_raw_fixture_api(s, "GET", path, NULL, &reply), 200);
    assert_int_equal(json_integer_value(json_object_get(reply, "total_size")), 7);
    json_decref(reply);
    seen = walk_pages(s, "/api/v1/users", 3, &pages);
    assert_true(pages >= 3);
    assert_true(json_array_size(seen) >= 8);
    json_decref(seen);

    /* Searches: by part of the email, in the environment and in one organization. */
    snprintf(path, sizeof path, "/api/v1/users:search?query=%s.example", domain);
    seen = walk_pages(s, path, 2, &pages);
    assert_int_equal(json_array_size(seen), 7);
    assert_int_equal(pages, 4);
    json_decref(seen);
    /* By id or external id too; a name is not searched. */
    json_t *reply2 = NULL;
    char quiet[160], ext[96], extra[256];
    emu_fixture_unique(ext, sizeof ext, "ext-quiet");
    snprintf(extra, sizeof extra, "\"external_id\":\"%s\",\"user_profile\":{\"given_name\":\"Zebulon\"}", ext);
    json_t *named = ukit_create_user(s, other, ukit_unique_email(quiet, sizeof quiet, "quiet@other.example"), extra, "");
    /* Case-insensitive, on part of the external id: "QUIET-<run>-<n>". */
    snprintf(path, sizeof path, "/api/v1/users:search?query=%s", ext + 4);
    for (char *c = path + strlen("/api/v1/users:search?query="); *c; c++)
        *c = (char)toupper((unsigned char)*c);
    seen = walk_pages(s, path, 10, &pages);
    assert_int_equal(json_array_size(seen), 1);
    json_decref(seen);
    snprintf(path, sizeof path, "/api/v1/users:search?query=%s", str(named, "id"));
    seen = walk_pages(s, path, 10, &pages);
    assert_int_equal(json_array_size(seen), 1);
    json_decref(seen);
    assert_int_equal(emu_raw_fixture_api(s, "GET", "/api/v1/users:search?query=Zebulon", NULL, &reply2), 200);
    assert_int_equal(json_integer_value(json_object_get(reply2, "total_size")), 0);
    json_decref(reply2);
    snprintf(path, sizeof path, "/api/v1/users/%s", str(named, "id"));
    assert_int_equal(emu_raw_fixture_api(s, "DELETE", path, NULL, NULL), 200);
    json_decref(named);
    snprintf(path, sizeof path, "/api/v1/organizations/%s/users:search?query=example", other);
    seen = walk_pages(s, path, 10, &pages);
    assert_int_equal(json_array_size(seen), 1);
    assert_string_equal(str(json_array_get(seen, 0), "email"), outsider);
    json_decref(seen);
    free(org);
    free(other);
}

static void deletes_end_memberships_and_sessions(void **state)
{
    emu_raw_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "signing in on the hosted login");
    char *org = ukit_create_org(s, "Gone Co");
    json_t *user = ukit_create_user(s, org, "leaver@example.com", "\"external_id\":\"ext-leaver\"", "");
    char *id = ukit_id(user);
    json_decref(user);
    json_t *tokens = ukit_sign_in(s, "leaver@example.com", org, "LeaverBrowser/1.0");
    char path[256], sessions[256];
    snprintf(path, sizeof path, "/api/v1/users/%s", id);
    snprintf(sessions, sizeof sessions, "/api/v1/users/%s/sessions", id);
    json_t *reply = NULL;
    assert_int_equal(emu_raw_fixture_api(s, "GET", sessions, NULL, &reply), 200);
    assert_int_equal(json_array_size(json_object_get(reply, "sessions")), 1);
    char sid[96];
    snprintf(sid, sizeof sid, "/api/v1/sessions/%s", str(json_array_get(json_object_get(reply, "sessions"), 0),
                                                          "session_id"));
    json_decref(reply);

    assert_int_equal(emu_raw_fixture_api(s, "DELETE", "/api/v1/users:external/ext-leaver", NULL, NULL), 200);
    ukit_assert_error(s, "GET", path, NULL, 404, "NOT_FOUND");
    ukit_assert_error(s, "GET", sid, NULL, 404, "NOT_FOUND");
    snprintf(path, sizeof path, "/api/v1/organizations/%s/users", org);
    assert_int_equal(emu_raw_fixture_api(s, "GET", path, NULL, &reply), 200);
    assert_int_equal(json_integer_value(json_object_get(reply, "total_size")), 0);
    json_decref(reply);
    /* The user's refresh token died with them. */
    assert_int_equal(ukit_refresh(s, str(tokens, "refresh_token"), &reply), 400);
    assert_string_equal(str(reply, "error"), "invalid_grant");
    json_decref(reply);
    json_decref(tokens);
    free(id);
    free(org);
}

/* Deleting an organization ends its memberships; the user stays. */
static void deleting_an_organization_ends_its_memberships(void **state)
{
    emu_raw_fixture *s = *state;
    char *org = ukit_create_org(s, "Closing Co"), email[128], path[256];
    json_t *reply = NULL;
    json_t *user = ukit_create_user(s, org, ukit_unique_email(email, sizeof email, "stayer@example.com"), NULL, "");
    char *stayer = ukit_id(user);
    json_decref(user);
    snprintf(path, sizeof path, "/api/v1/organizations/%s", org);
    assert_int_equal(emu_raw_fixture_api(s, "DELETE", path, NULL, NULL), 200);
    snprintf(path, sizeof path, "/api/v1/users/%s", stayer);
    assert_int_equal(emu_raw_fixture_api(s, "GET", path, NULL, &reply), 200);
    assert_int_equal(json_array_size(json_object_get(json_object_get(reply, "user"), "memberships")), 0);
    json_decref(reply);
    assert_int_equal(emu_raw_fixture_api(s, "DELETE", path, NULL, NULL), 200);
    ukit_assert_error(s, "DELETE", path, NULL, 404, "NOT_FOUND");
    free(stayer);
    free(org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_get_update_by_id_and_external_id),
        cmocka_unit_test(validation_is_400_with_the_field),
        cmocka_unit_test(unknown_ids_are_404),
        cmocka_unit_test(duplicates_are_409),
        cmocka_unit_test(lists_page_over_more_than_three_pages),
        cmocka_unit_test(deletes_end_memberships_and_sessions),
        cmocka_unit_test(deleting_an_organization_ends_its_memberships),
    };
    return cmocka_run_group_tests(tests, emu_raw_fixture_setup_env, emu_raw_fixture_teardown);
}
