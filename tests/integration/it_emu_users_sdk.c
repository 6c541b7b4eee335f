/*
 * The SDK's users, memberships and sessions against the emulator: each call's
 * request is one the emulator takes and its answer one the SDK decodes, with
 * the failures (400 with its field violation, 404, 409) decoded from the
 * server; iterators over more than three pages; a revoked session's refresh
 * refused. The contract test runs this suite: AssignUserRoles and RemoveUserRole,
 * which the OpenAPI file lacks, are checked against tests/contract/supplement.openapi.json,
 * and CreateMembership's bare membership body against the file's schema (whose
 * grpc-gateway `required: ["membership"]` the validator explains and ignores).
 * With the three SCALEKIT_* variables set it runs against that environment;
 * what needs a fresh environment or the hosted login says it is skipped.
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
#include "scalekit/auth.h"
#include "scalekit/organization.h"
#include "scalekit/session.h"
#include "scalekit/user.h"

static scalekit_organization *new_org(emu_fixture *f, const char *name)
{
    scalekit_organization *org = NULL;
    EMU_FIXTURE_OK(scalekit_organization_create(f->client, name, NULL, &org));
    return org;
}

static void users(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "a fresh environment to count users in");
    scalekit_organization *org = new_org(f, "SDK Users Co");
    scalekit_user_role admin = SCALEKIT_USER_ROLE_INIT;
    admin.name = "admin";
    const scalekit_user_role *roles[] = {&admin};
    scalekit_user_membership_options membership = SCALEKIT_USER_MEMBERSHIP_OPTIONS_INIT;
    membership.roles = roles;
    membership.role_count = 1;
    scalekit_user_profile_options profile = SCALEKIT_USER_PROFILE_OPTIONS_INIT;
    profile.given_name = "Ada";
    profile.phone_number = "+14155552671";
    scalekit_user_create_options create = SCALEKIT_USER_CREATE_OPTIONS_INIT;
    create.external_id = "sdk-ada";
    create.user_profile = &profile;
    create.membership = &membership;
    scalekit_user *ada = NULL, *got = NULL;
    EMU_FIXTURE_OK(scalekit_user_create_user_and_membership(f->client, org->id, "sdk-ada@example.com", &create,
                                                            false, &ada));
    assert_string_equal(ada->user_profile->given_name, "Ada");
    assert_int_equal(ada->membership_count, 1);
    assert_string_equal(ada->memberships[0]->membership_status, "ACTIVE");
    assert_string_equal(ada->memberships[0]->roles[0]->name, "admin");

    /* Refusals decoded from the server: 409, 400 with the field, 404. */
    emu_assert_failed(scalekit_user_create_user_and_membership(f->client, org->id, "SDK-ADA@example.com", NULL, false, &got),
                  SCALEKIT_EEXISTS, 409, NULL);
    scalekit_user_profile_options bad = SCALEKIT_USER_PROFILE_OPTIONS_INIT;
    bad.phone_number = "555";
    scalekit_user_update_options update = SCALEKIT_USER_UPDATE_OPTIONS_INIT;
    update.user_profile = &bad;
    emu_assert_failed(scalekit_user_update(f->client, ada->id, &update, &got), SCALEKIT_EINVALID_REQUEST, 400,
                  "user_profile.phone_number");
    emu_assert_failed(scalekit_user_get(f->client, "usr_missing", &got), SCALEKIT_ENOTFOUND, 404, NULL);

    scalekit_user_profile_options family = SCALEKIT_USER_PROFILE_OPTIONS_INIT;
    family.family_name = "Lovelace";
    update.user_profile = &family;
    EMU_FIXTURE_OK(scalekit_user_update_by_external_id(f->client, "sdk-ada", &update, &got));
    assert_string_equal(got->user_profile->given_name, "Ada");
    assert_string_equal(got->user_profile->family_name, "Lovelace");
    scalekit_user_free(got);

    /* Seven more members: the iterator walks four pages of two. */
    char email[64];
    for (int i = 0; i < 7; i++) {
        snprintf(email, sizeof email, "sdk-pager%d@example.com", i);
        EMU_FIXTURE_OK(scalekit_user_create_user_and_membership(f->client, org->id, email, NULL, false, &got));
        scalekit_user_free(got);
    }
    scalekit_user_list_options paging = SCALEKIT_USER_LIST_OPTIONS_INIT;
    paging.page_size = 2;
    scalekit_user_iterator *it = NULL;
    EMU_FIXTURE_OK(scalekit_user_organization_users_iterator_new(f->client, org->id, &paging, &it));
    const scalekit_user *u = NULL;
    int n = 0, rc;
    while ((rc = scalekit_user_iterator_next(it, &u)) == SCALEKIT_OK)
        n++;
    assert_int_equal(rc, SCALEKIT_ITEROVER);
    assert_int_equal(n, 8);
    scalekit_user_iterator_free(it);
    EMU_FIXTURE_OK(scalekit_user_search_iterator_new(f->client, "sdk-pager", &paging, &it));
    for (n = 0; scalekit_user_iterator_next(it, &u) == SCALEKIT_OK; n++)
        assert_non_null(strstr(u->email, "sdk-pager"));
    assert_int_equal(n, 7);
    scalekit_user_iterator_free(it);

    EMU_FIXTURE_OK(scalekit_user_delete_by_external_id(f->client, "sdk-ada"));
    emu_assert_failed(scalekit_user_get(f->client, ada->id, &got), SCALEKIT_ENOTFOUND, 404, NULL);
    scalekit_user_free(ada);
    scalekit_organization_free(org);
}

/* A unique email "<tag>-<i>@example.com" of this run. */
static const char *tagged(char *out, size_t n, const char *tag, int i)
{
    snprintf(out, n, "%s-%d@example.com", tag, i);
    return out;
}

/* The calls by external id, the page calls, the searches of an organization and
 * the environment's list with their iterators, DeleteUser: each with a success
 * and a refusal decoded from the server. Names are unique per run, so this runs
 * against an external environment too. */
static void by_external_id_lists_and_delete(void **state)
{
    emu_fixture *f = *state;
    scalekit_organization *org = new_org(f, "SDK Lists Co"), *guest = new_org(f, "SDK Lists Guest Co");
    char tag[64], ext[80], missing[80], email[128];
    emu_fixture_unique(tag, sizeof tag, "sdklists");
    emu_fixture_unique(ext, sizeof ext, "sdk-ext");
    emu_fixture_unique(missing, sizeof missing, "sdk-nobody");
    scalekit_user_create_options create = SCALEKIT_USER_CREATE_OPTIONS_INIT;
    create.external_id = ext;
    scalekit_user *user = NULL, *got = NULL;
    EMU_FIXTURE_OK(scalekit_user_create_user_and_membership(f->client, org->id, tagged(email, sizeof email, tag, 0),
                                                            &create, false, &user));
    EMU_FIXTURE_OK(scalekit_user_get_by_external_id(f->client, ext, &got));
    assert_string_equal(got->id, user->id);
    scalekit_user_free(got);
    emu_assert_failed(scalekit_user_get_by_external_id(f->client, missing, &got), SCALEKIT_ENOTFOUND, 404, NULL);
    for (int i = 1; i < 10; i++) {
        EMU_FIXTURE_OK(scalekit_user_create_user_and_membership(f->client, org->id,
                                                                tagged(email, sizeof email, tag, i), NULL, false, &got));
        scalekit_user_free(got);
    }

    /* Page calls: two of ten, then the next page by its token. */
    scalekit_user_list_options paging = SCALEKIT_USER_LIST_OPTIONS_INIT;
    paging.page_size = 2;
    scalekit_user_page *page = NULL, *next = NULL;
    EMU_FIXTURE_OK(scalekit_user_list_organization_users(f->client, org->id, &paging, &page));
    assert_int_equal(page->count, 2);
    assert_int_equal(page->total_size, 10);
    assert_true(page->next_page_token && *page->next_page_token);
    paging.page_token = page->next_page_token;
    EMU_FIXTURE_OK(scalekit_user_list_organization_users(f->client, org->id, &paging, &next));
    assert_int_equal(next->count, 2);
    assert_string_not_equal(next->items[0]->id, page->items[0]->id);
    scalekit_user_page_free(next);
    scalekit_user_page_free(page);
    paging.page_token = NULL;
    emu_assert_failed(scalekit_user_list_organization_users(f->client, "org_missing", NULL, &page), SCALEKIT_ENOTFOUND,
                      404, NULL);

    /* The organization's search: a page, then every page (five of two) with its iterator. */
    EMU_FIXTURE_OK(scalekit_user_search_organization_users(f->client, org->id, tag, &paging, &page));
    assert_int_equal(page->total_size, 10);
    scalekit_user_page_free(page);
    scalekit_user_iterator *it = NULL;
    const scalekit_user *u = NULL;
    int n = 0, rc;
    EMU_FIXTURE_OK(scalekit_user_search_organization_users_iterator_new(f->client, org->id, tag, &paging, &it));
    while ((rc = scalekit_user_iterator_next(it, &u)) == SCALEKIT_OK) {
        assert_non_null(strstr(u->email, tag));
        n++;
    }
    assert_int_equal(rc, SCALEKIT_ITEROVER);
    assert_int_equal(n, 10);
    scalekit_user_iterator_free(it);
    emu_assert_failed(scalekit_user_search_organization_users(f->client, org->id, "ab", NULL, &page),
                      SCALEKIT_EINVALID_REQUEST, 400, "query");

    /* The environment's list: a page of three, and four pages by the iterator. */
    paging.page_size = 3;
    EMU_FIXTURE_OK(scalekit_user_list(f->client, &paging, &page));
    assert_int_equal(page->count, 3);
    scalekit_user_page_free(page);
    EMU_FIXTURE_OK(scalekit_user_iterator_new(f->client, &paging, &it));
    for (n = 0; n < 10 && (rc = scalekit_user_iterator_next(it, &u)) == SCALEKIT_OK; n++)
        assert_non_null(u->id);
    assert_int_equal(n, 10);
    scalekit_user_iterator_free(it);
    paging.page_size = 101;
    emu_assert_failed(scalekit_user_list(f->client, &paging, &page), SCALEKIT_EINVALID_REQUEST, 400, "page_size");

    /* Memberships by external id: create, 409, update (and a refused role), delete, 404. */
    scalekit_user_role viewer = SCALEKIT_USER_ROLE_INIT, nameless = SCALEKIT_USER_ROLE_INIT;
    viewer.name = "viewer";
    nameless.name = "";
    const scalekit_user_role *roles[] = {&viewer}, *bad_roles[] = {&nameless};
    scalekit_user_membership_options m = SCALEKIT_USER_MEMBERSHIP_OPTIONS_INIT;
    m.roles = roles;
    m.role_count = 1;
    EMU_FIXTURE_OK(scalekit_user_create_membership_by_external_id(f->client, guest->id, ext, &m, false, &got));
    assert_int_equal(got->membership_count, 2);
    scalekit_user_free(got);
    emu_assert_failed(scalekit_user_create_membership_by_external_id(f->client, guest->id, ext, NULL, false, &got),
                      SCALEKIT_EEXISTS, 409, NULL);
    scalekit_user_membership_update_options change = SCALEKIT_USER_MEMBERSHIP_UPDATE_OPTIONS_INIT;
    change.roles = bad_roles;
    change.role_count = 1;
    emu_assert_failed(scalekit_user_update_membership_by_external_id(f->client, guest->id, ext, &change, &got),
                      SCALEKIT_EINVALID_REQUEST, 400, "roles[0].name");
    viewer.name = "admin";
    change.roles = roles;
    EMU_FIXTURE_OK(scalekit_user_update_membership_by_external_id(f->client, guest->id, ext, &change, &got));
    for (size_t i = 0; i < got->membership_count; i++)
        if (strcmp(got->memberships[i]->organization_id, guest->id) == 0)
            assert_string_equal(got->memberships[i]->roles[0]->name, "admin");
    scalekit_user_free(got);
    EMU_FIXTURE_OK(scalekit_user_delete_membership_by_external_id(f->client, guest->id, ext, false));
    emu_assert_failed(scalekit_user_delete_membership_by_external_id(f->client, guest->id, ext, false),
                      SCALEKIT_ENOTFOUND, 404, NULL);

    EMU_FIXTURE_OK(scalekit_user_delete(f->client, user->id));
    emu_assert_failed(scalekit_user_delete(f->client, user->id), SCALEKIT_ENOTFOUND, 404, NULL);
    scalekit_user_free(user);
    scalekit_organization_free(org);
    scalekit_organization_free(guest);
}

static void memberships(void **state)
{
    emu_fixture *f = *state;
    scalekit_organization *home = new_org(f, "SDK Home Co"), *guest = new_org(f, "SDK Guest Co");
    char email[80];
    emu_fixture_unique(email, sizeof email, "sdk-member");
    strcat(email, "@example.com");
    scalekit_user *user = NULL, *got = NULL;
    EMU_FIXTURE_OK(scalekit_user_create_user_and_membership(f->client, home->id, email, NULL, false, &user));
    scalekit_user_membership_options invite = SCALEKIT_USER_MEMBERSHIP_OPTIONS_INIT;
    invite.inviter_email = "host@example.com";
    EMU_FIXTURE_OK(scalekit_user_create_membership(f->client, guest->id, user->id, &invite, true, &got));
    assert_int_equal(got->membership_count, 2);
    scalekit_user_free(got);
    emu_assert_failed(scalekit_user_create_membership(f->client, guest->id, user->id, NULL, false, &got),
                  SCALEKIT_EEXISTS, 409, NULL);
    scalekit_user_invite *inv = NULL;
    EMU_FIXTURE_OK(scalekit_user_resend_invite(f->client, guest->id, user->id, &inv));
    assert_string_equal(inv->status, "pending");
    assert_int_equal(inv->resent_count, 1);
    assert_string_equal(inv->inviter_email, "host@example.com");
    scalekit_user_invite_free(inv);
    emu_assert_failed(scalekit_user_resend_invite(f->client, home->id, user->id, &inv), SCALEKIT_EINVALID_REQUEST, 400,
                  NULL);

    /* Only roles that exist are assigned: an unknown one is a 400 naming it. */
    const char *names[] = {"editor", "viewer", NULL};
    scalekit_user_role_list *roles = NULL;
    emu_assert_failed(scalekit_user_assign_roles(f->client, home->id, user->id, names, &roles),
                      SCALEKIT_EINVALID_REQUEST, 400, "roles[0].name");
    for (const char **name = names; *name; name++) {
        scalekit_role *role = NULL;
        EMU_FIXTURE_OK(scalekit_role_create_organization_role(f->client, home->id, *name, NULL, &role));
        scalekit_role_free(role);
    }
    EMU_FIXTURE_OK(scalekit_user_assign_roles(f->client, home->id, user->id, names, &roles));
    assert_int_equal(roles->count, 3);
    scalekit_user_role_list_free(roles);
    EMU_FIXTURE_OK(scalekit_user_remove_role(f->client, home->id, user->id, "viewer"));
    EMU_FIXTURE_OK(scalekit_user_list_roles(f->client, home->id, user->id, &roles));
    assert_int_equal(roles->count, 2);
    assert_string_equal(roles->items[1]->name, "editor");
    scalekit_user_role_list_free(roles);
    scalekit_user_permission_list *permissions = NULL;
    EMU_FIXTURE_OK(scalekit_user_list_permissions(f->client, home->id, user->id, &permissions));
    scalekit_user_permission_list_free(permissions);

    scalekit_user_role admin = SCALEKIT_USER_ROLE_INIT;
    admin.name = "admin";
    const scalekit_user_role *only[] = {&admin};
    scalekit_user_membership_update_options change = SCALEKIT_USER_MEMBERSHIP_UPDATE_OPTIONS_INIT;
    change.roles = only;
    change.role_count = 1;
    EMU_FIXTURE_OK(scalekit_user_update_membership(f->client, home->id, user->id, &change, &got));
    for (size_t i = 0; i < got->membership_count; i++)
        if (strcmp(got->memberships[i]->organization_id, home->id) == 0)
            assert_string_equal(got->memberships[i]->roles[0]->name, "admin");
    scalekit_user_free(got);

    /* cascade: the guest membership goes and the user stays; the last one takes the user. */
    EMU_FIXTURE_OK(scalekit_user_delete_membership(f->client, guest->id, user->id, true));
    EMU_FIXTURE_OK(scalekit_user_get(f->client, user->id, &got));
    assert_int_equal(got->membership_count, 1);
    scalekit_user_free(got);
    emu_assert_failed(scalekit_user_delete_membership(f->client, guest->id, user->id, false), SCALEKIT_ENOTFOUND, 404,
                  NULL);
    EMU_FIXTURE_OK(scalekit_user_delete_membership(f->client, home->id, user->id, true));
    emu_assert_failed(scalekit_user_get(f->client, user->id, &got), SCALEKIT_ENOTFOUND, 404, NULL);
    scalekit_user_free(user);
    scalekit_organization_free(home);
    scalekit_organization_free(guest);
}

static void sessions(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "signing in on the hosted login");
    scalekit_authentication_response *first = emu_fixture_sign_in(f, "sdk-sessions@example.com");
    for (int i = 0; i < 6; i++)
        scalekit_authentication_response_free(emu_fixture_sign_in(f, "sdk-sessions@example.com"));
    scalekit_token_response *fresh = NULL;
    EMU_FIXTURE_OK(scalekit_refresh_access_token(f->client, first->refresh_token, &fresh));
    scalekit_user_page *found = NULL;
    EMU_FIXTURE_OK(scalekit_user_search(f->client, "sdk-sessions", NULL, &found));
    assert_int_equal(found->count, 1);
    const char *user_id = found->items[0]->id;

    const char *active[] = {"active", NULL};
    scalekit_session_list_options opts = SCALEKIT_SESSION_LIST_OPTIONS_INIT;
    opts.page_size = 2;
    opts.status = active;
    opts.start_time = 1000000000;
    scalekit_session_iterator *it = NULL;
    EMU_FIXTURE_OK(scalekit_session_iterator_new(f->client, user_id, &opts, &it));
    const scalekit_session *s = NULL;
    int n = 0;
    char first_id[64] = "";
    while (scalekit_session_iterator_next(it, &s) == SCALEKIT_OK) {
        assert_string_equal(s->status, "active");
        if (!n++)
            snprintf(first_id, sizeof first_id, "%s", s->session_id);
    }
    assert_int_equal(n, 7);
    scalekit_session_iterator_free(it);

    scalekit_session *session = NULL;
    EMU_FIXTURE_OK(scalekit_session_revoke(f->client, first_id, &session));
    assert_string_equal(session->status, "revoked");
    scalekit_session_free(session);
    EMU_FIXTURE_OK(scalekit_session_get(f->client, first_id, &session));
    assert_string_equal(session->status, "revoked");
    assert_true(session->created_at > 0);
    scalekit_session_free(session);
    scalekit_token_response *refused = NULL;
    assert_int_equal(scalekit_refresh_access_token(f->client, fresh->refresh_token, &refused),
                     SCALEKIT_EINVALID_REQUEST);
    emu_assert_failed(scalekit_session_get(f->client, "ses_missing", &session), SCALEKIT_ENOTFOUND, 404, NULL);

    scalekit_session_revocation *all = NULL;
    EMU_FIXTURE_OK(scalekit_session_revoke_all_user_sessions(f->client, user_id, &all));
    assert_int_equal(all->total_revoked, 6);
    assert_int_equal(all->count, 6);
    scalekit_session_revocation_free(all);
    scalekit_session_page *page = NULL;
    EMU_FIXTURE_OK(scalekit_session_get_user_sessions(f->client, user_id, &opts, &page));
    assert_int_equal(page->total_size, 0);
    scalekit_session_page_free(page);
    scalekit_user_page_free(found);
    scalekit_token_response_free(fresh);
    scalekit_authentication_response_free(first);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(users),
        cmocka_unit_test(memberships),
        cmocka_unit_test(by_external_id_lists_and_delete),
        cmocka_unit_test(sessions),
    };
    return cmocka_run_group_tests(tests, emu_fixture_setup, emu_fixture_teardown);
}
