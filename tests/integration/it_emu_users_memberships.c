/*
 * Memberships over raw HTTP: CreateMembership, UpdateMembership and
 * DeleteMembership by user id and by external id (with the reference's cascade
 * flag), their 400, 404 and 409; invitations: send_invitation_email puts an
 * invitation in the mailbox whose link signs the invitee in and activates the
 * membership; ResendInvite only for a pending invitation. The contract test
 * runs this suite (every /api/v1 exchange here is in the OpenAPI file). With the
 * three SCALEKIT_* variables set it runs against that environment, skipping
 * (and saying so) what needs the emulator's mailbox.
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

/* The membership of @p user in @p org from GetUser, or NULL (new reference). */
static json_t *membership_of(emu_raw_fixture *s, const char *user_id, const char *org)
{
    char path[256];
    snprintf(path, sizeof path, "/api/v1/users/%s", user_id);
    json_t *reply = NULL, *found = NULL;
    assert_int_equal(emu_raw_fixture_api(s, "GET", path, NULL, &reply), 200);
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(json_object_get(reply, "user"), "memberships"), i, m) {
        if (strcmp(str(m, "organization_id"), org) == 0)
            found = json_incref(m);
    }
    json_decref(reply);
    return found;
}

static void create_update_delete(void **state)
{
    emu_raw_fixture *s = *state;
    char *home = ukit_create_org(s, "Home Co"), *guest = ukit_create_org(s, "Guest Co");
    char email[128], ext[96], extra[160];
    emu_fixture_unique(ext, sizeof ext, "ext-member");
    snprintf(extra, sizeof extra, "\"external_id\":\"%s\"", ext);
    json_t *user = ukit_create_user(s, home, ukit_unique_email(email, sizeof email, "member@example.com"), extra, "");
    char *id = ukit_id(user);
    json_decref(user);
    char path[256], ext_path[256];
    snprintf(path, sizeof path, "/api/v1/memberships/organizations/%s/users/%s", guest, id);
    snprintf(ext_path, sizeof ext_path, "/api/v1/memberships/organizations/%s/users:external/%s", guest, ext);

    json_t *reply = NULL;
    assert_int_equal(emu_raw_fixture_api(s, "POST", path, "{\"membership\":{\"roles\":[{\"name\":\"viewer\"}],\"metadata\":{\"team\":\"blue\"}}}",
                                         &reply), 201);
    assert_int_equal(json_array_size(json_object_get(json_object_get(reply, "user"), "memberships")), 2);
    json_decref(reply);
    json_t *m = membership_of(s, id, guest);
    assert_non_null(m);
    assert_string_equal(str(json_array_get(json_object_get(m, "roles"), 0), "name"), "viewer");
    assert_string_equal(str(json_object_get(m, "metadata"), "team"), "blue");
    assert_string_equal(str(m, "membership_status"), "ACTIVE");
    json_decref(m);

    /* 409 a second time, by id or external id. */
    ukit_assert_error(s, "POST", path, "{\"membership\":{}}", 409, "ALREADY_EXISTS");
    ukit_assert_error(s, "POST", ext_path, "{\"membership\":{}}", 409, "ALREADY_EXISTS");

    assert_int_equal(emu_raw_fixture_api(s, "PATCH", ext_path, "{\"roles\":[{\"name\":\"admin\"},{\"name\":\"billing\"}]}",
                                         &reply), 200);
    json_decref(reply);
    m = membership_of(s, id, guest);
    assert_int_equal(json_array_size(json_object_get(m, "roles")), 2);
    assert_string_equal(str(json_array_get(json_object_get(m, "roles"), 1), "name"), "billing");
    assert_string_equal(str(json_object_get(m, "metadata"), "team"), "blue");
    json_decref(m);

    assert_int_equal(emu_raw_fixture_api(s, "DELETE", path, NULL, NULL), 200);
    assert_null(membership_of(s, id, guest));
    ukit_assert_error(s, "DELETE", path, NULL, 404, "NOT_FOUND");
    ukit_assert_error(s, "PATCH", path, "{\"roles\":[{\"name\":\"admin\"}]}", 404, "NOT_FOUND");
    /* Created again by external id. */
    assert_int_equal(emu_raw_fixture_api(s, "POST", ext_path, "{\"membership\":{}}", NULL), 201);
    m = membership_of(s, id, guest);
    assert_string_equal(str(json_array_get(json_object_get(m, "roles"), 0), "name"), "member");
    json_decref(m);
    assert_int_equal(emu_raw_fixture_api(s, "DELETE", ext_path, NULL, NULL), 200);
    free(id);
    free(home);
    free(guest);
}

static void refusals(void **state)
{
    emu_raw_fixture *s = *state;
    char *org = ukit_create_org(s, "Refusing Co");
    char email[128];
    json_t *user = ukit_create_user(s, org, ukit_unique_email(email, sizeof email, "refused@example.com"), NULL, "");
    char path[256], missing_org[256], missing_user[256];
    char *other = ukit_create_org(s, "Other Refusing Co");
    snprintf(path, sizeof path, "/api/v1/memberships/organizations/%s/users/%s", other, str(user, "id"));
    snprintf(missing_org, sizeof missing_org, "/api/v1/memberships/organizations/org_missing/users/%s", str(user, "id"));
    snprintf(missing_user, sizeof missing_user, "/api/v1/memberships/organizations/%s/users/usr_missing", other);
    ukit_assert_field_error(s, "POST", path, "{\"membership\":{\"roles\":{}}}", "membership.roles");
    /* The bare form (the membership's members at the top) is taken too. */
    ukit_assert_field_error(s, "POST", path, "{\"roles\":{}}", "roles");
    ukit_assert_field_error(s, "POST", path, "{\"roles\":[{\"display_name\":\"x\"}]}", "roles[0].name");
    ukit_assert_field_error(s, "POST", path, "{\"metadata\":{\"plan\":1}}", "metadata.plan");
    ukit_assert_field_error(s, "POST", path, "{\"membership\":{\"inviter_email\":\"nobody\"}}", "membership.inviter_email");
    ukit_assert_error(s, "POST", missing_org, "{\"membership\":{}}", 404, "NOT_FOUND");
    ukit_assert_error(s, "POST", missing_user, "{\"membership\":{}}", 404, "NOT_FOUND");
    ukit_assert_error(s, "DELETE", missing_user, NULL, 404, "NOT_FOUND");
    snprintf(path, sizeof path, "/api/v1/memberships/organizations/%s/users:external/nobody", other);
    ukit_assert_error(s, "PATCH", path, "{}", 404, "NOT_FOUND");
    json_decref(user);
    free(org);
    free(other);
}

/* cascade=true takes the user when the membership was their last; without it the user stays. */
static void delete_with_cascade(void **state)
{
    emu_raw_fixture *s = *state;
    char *a = ukit_create_org(s, "Cascade A"), *b = ukit_create_org(s, "Cascade B");
    char email[128];
    json_t *user = ukit_create_user(s, a, ukit_unique_email(email, sizeof email, "cascade@example.com"), NULL, "");
    char *id = ukit_id(user);
    json_decref(user);
    char path[256], user_path[256];
    snprintf(user_path, sizeof user_path, "/api/v1/users/%s", id);
    snprintf(path, sizeof path, "/api/v1/memberships/organizations/%s/users/%s", b, id);
    assert_int_equal(emu_raw_fixture_api(s, "POST", path, "{\"membership\":{}}", NULL), 201);
    /* Not the last membership: the user stays. */
    snprintf(path, sizeof path, "/api/v1/memberships/organizations/%s/users/%s?cascade=true", b, id);
    assert_int_equal(emu_raw_fixture_api(s, "DELETE", path, NULL, NULL), 200);
    assert_int_equal(emu_raw_fixture_api(s, "GET", user_path, NULL, NULL), 200);
    /* The last one, without cascade: the user stays, in no organization. */
    snprintf(path, sizeof path, "/api/v1/memberships/organizations/%s/users/%s", a, id);
    assert_int_equal(emu_raw_fixture_api(s, "DELETE", path, NULL, NULL), 200);
    assert_int_equal(emu_raw_fixture_api(s, "GET", user_path, NULL, NULL), 200);
    /* The last one, with cascade: the user goes. */
    assert_int_equal(emu_raw_fixture_api(s, "POST", path, "{\"membership\":{}}", NULL), 201);
    snprintf(path, sizeof path, "/api/v1/memberships/organizations/%s/users/%s?cascade=true", a, id);
    assert_int_equal(emu_raw_fixture_api(s, "DELETE", path, NULL, NULL), 200);
    ukit_assert_error(s, "GET", user_path, NULL, 404, "NOT_FOUND");
    free(id);
    free(a);
    free(b);
}

/* The newest mailbox message (new reference). */
static json_t *newest_mail(emu_raw_fixture *s, size_t *count)
{
    char *body = NULL;
    assert_int_equal(ukit_get_page(s, "GET", "/_emulator/mailbox", &body), 200);
    json_t *box = json_loads(body, 0, NULL);
    free(body);
    json_t *messages = json_object_get(box, "messages");
    assert_true(json_is_array(messages));
    *count = json_array_size(messages);
    json_t *first = json_incref(json_array_get(messages, 0));
    json_decref(box);
    return first;
}

static void invitation_from_the_mailbox(void **state)
{
    emu_raw_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "the mailbox");
    char *org = ukit_create_org(s, "Inviting Co");
    size_t before = 0, after = 0;
    json_decref(newest_mail(s, &before));
    json_t *user = ukit_create_user(s, org, "invitee@example.com",
                                    "\"membership\":{\"roles\":[{\"name\":\"editor\"}],\"inviter_email\":\"host@example.com\"}",
                                    "?send_invitation_email=true");
    char *id = ukit_id(user);
    json_t *m = json_array_get(json_object_get(user, "memberships"), 0);
    assert_string_equal(str(m, "membership_status"), "PENDING_INVITE");
    assert_non_null(str(m, "expires_at"));
    json_decref(user);

    json_t *mail = newest_mail(s, &after);
    assert_int_equal(after, before + 1);
    assert_string_equal(str(mail, "to"), "invitee@example.com");
    assert_string_equal(str(mail, "kind"), "invitation");
    assert_non_null(strstr(str(mail, "subject"), "Inviting Co"));
    const char *link = str(mail, "link");
    assert_non_null(link);
    const char *link_path = strstr(link, "/invitations/");
    assert_non_null(link_path);

    /* The HTML view lists it, escaped, with its link. */
    char *html = NULL;
    assert_int_equal(ukit_get_page(s, "GET", "/_emulator/mailbox/view", &html), 200);
    assert_non_null(strstr(html, "name=\"viewport\""));
    assert_non_null(strstr(html, link_path));
    free(html);

    /* Resend works while pending: a new link replaces the old one. */
    char resend[256];
    snprintf(resend, sizeof resend, "/api/v1/invites/organizations/%s/users/%s/resend", org, id);
    json_t *reply = NULL;
    assert_int_equal(emu_raw_fixture_api(s, "PATCH", resend, "{}", &reply), 200);
    json_t *invite = json_object_get(reply, "invite");
    assert_string_equal(str(invite, "status"), "pending");
    assert_string_equal(str(invite, "user_id"), id);
    assert_string_equal(str(invite, "inviter_email"), "host@example.com");
    assert_int_equal(json_integer_value(json_object_get(invite, "resent_count")), 1);
    json_decref(reply);
    assert_int_equal(ukit_get_page(s, "GET", link_path, NULL), 404);
    json_decref(mail);
    mail = newest_mail(s, &after);
    assert_int_equal(after, before + 2);
    link_path = strstr(str(mail, "link"), "/invitations/");

    /* The link's page offers to accept; accepting signs in and activates. */
    assert_int_equal(ukit_get_page(s, "GET", link_path, &html), 200);
    assert_non_null(strstr(html, "invitee@example.com"));
    free(html);
    assert_int_equal(ukit_get_page(s, "POST", link_path, &html), 200);
    assert_non_null(strstr(html, "signed in"));
    free(html);
    m = membership_of(s, id, org);
    assert_string_equal(str(m, "membership_status"), "ACTIVE");
    assert_non_null(str(m, "accepted_at"));
    assert_string_equal(str(json_array_get(json_object_get(m, "roles"), 0), "name"), "editor");
    json_decref(m);
    char sessions[256];
    snprintf(sessions, sizeof sessions, "/api/v1/users/%s/sessions", id);
    assert_int_equal(emu_raw_fixture_api(s, "GET", sessions, NULL, &reply), 200);
    assert_int_equal(json_array_size(json_object_get(reply, "sessions")), 1);
    json_decref(reply);
    /* Spent: the link works once, and there is nothing left to resend. */
    assert_int_equal(ukit_get_page(s, "POST", link_path, NULL), 404);
    ukit_assert_error(s, "PATCH", resend, "{}", 400, "FAILED_PRECONDITION");
    json_decref(mail);
    free(id);
    free(org);
}

/* An expired invitation: its link is refused, the membership reads INVITE_EXPIRED,
 * and ResendInvite opens it again with a new link that works. */
static void expired_invitation_is_resent(void **state)
{
    emu_raw_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "expiring an invitation");
    char *org = ukit_create_org(s, "Expiring Co");
    json_t *user = ukit_create_user(s, org, "late@example.com", NULL, "?send_invitation_email=true");
    char *id = ukit_id(user);
    json_decref(user);
    size_t count = 0;
    json_t *mail = newest_mail(s, &count);
    char link[512], control[600];
    snprintf(link, sizeof link, "%s", strstr(str(mail, "link"), "/invitations/"));
    json_decref(mail);
    snprintf(control, sizeof control, "/_emulator%s:expire", link);
    assert_int_equal(ukit_get_page(s, "POST", control, NULL), 200);
    assert_int_equal(ukit_get_page(s, "GET", link, NULL), 404);
    json_t *m = membership_of(s, id, org);
    assert_string_equal(str(m, "membership_status"), "INVITE_EXPIRED");
    json_decref(m);

    char resend[256];
    snprintf(resend, sizeof resend, "/api/v1/invites/organizations/%s/users/%s/resend", org, id);
    assert_int_equal(emu_raw_fixture_api(s, "PATCH", resend, "{}", NULL), 200);
    m = membership_of(s, id, org);
    assert_string_equal(str(m, "membership_status"), "PENDING_INVITE");
    json_decref(m);
    mail = newest_mail(s, &count);
    snprintf(link, sizeof link, "%s", strstr(str(mail, "link"), "/invitations/"));
    json_decref(mail);
    assert_int_equal(ukit_get_page(s, "POST", link, NULL), 200);
    m = membership_of(s, id, org);
    assert_string_equal(str(m, "membership_status"), "ACTIVE");
    json_decref(m);
    free(id);
    free(org);
}

static void resend_needs_a_pending_invitation(void **state)
{
    emu_raw_fixture *s = *state;
    char *org = ukit_create_org(s, "Resend Co");
    char email[128];
    json_t *user = ukit_create_user(s, org, ukit_unique_email(email, sizeof email, "active@example.com"), NULL, "");
    char path[256];
    snprintf(path, sizeof path, "/api/v1/invites/organizations/%s/users/%s/resend", org, str(user, "id"));
    ukit_assert_error(s, "PATCH", path, "{}", 400, "FAILED_PRECONDITION");
    snprintf(path, sizeof path, "/api/v1/invites/organizations/%s/users/usr_missing/resend", org);
    ukit_assert_error(s, "PATCH", path, "{}", 404, "NOT_FOUND");
    char *other = ukit_create_org(s, "Not Invited Co");
    snprintf(path, sizeof path, "/api/v1/invites/organizations/%s/users/%s/resend", other, str(user, "id"));
    ukit_assert_error(s, "PATCH", path, "{}", 404, "NOT_FOUND");
    json_decref(user);
    free(org);
    free(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_update_delete),
        cmocka_unit_test(refusals),
        cmocka_unit_test(delete_with_cascade),
        cmocka_unit_test(invitation_from_the_mailbox),
        cmocka_unit_test(expired_invitation_is_resent),
        cmocka_unit_test(resend_needs_a_pending_invitation),
    };
    return cmocka_run_group_tests(tests, emu_raw_fixture_setup_env, emu_raw_fixture_teardown);
}
