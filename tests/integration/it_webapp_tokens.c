/*
 * The example web app keeps a session's tokens fresh: the access token is
 * refreshed shortly before it expires (with the emulator's short
 * access_token_ttl), a role change reaches the session through a verified
 * webhook, and a session Scalekit revoked ends at its next refresh.
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

#include "webapp_kit.h"

/* The app with the default options and Ada signed in to it. */
typedef struct ada {
    webapp_kit *kit;
    wk_browser *b;
    char *user_id;
} ada;

static int ada_setup(void **state)
{
    ada *a = calloc(1, sizeof *a);
    a->kit = webapp_kit_start(NULL);
    a->b = wk_browser_new();
    free(wk_sign_in(a->kit, a->b, "ada@example.com", NULL, NULL));
    a->user_id = wk_user_id(a->kit, "ada@example.com");
    *state = a;
    return 0;
}

static int ada_teardown(void **state)
{
    ada *a = *state;
    free(a->user_id);
    wk_browser_free(a->b);
    webapp_kit_stop(a->kit);
    free(a);
    return 0;
}

static void test_access_token_is_refreshed_before_it_expires(void **state)
{
    /* Tokens live 8 s; the app renews 2 s before the end. */
    webapp_kit_options o = {.access_token_ttl_seconds = 8, .refresh_margin_seconds = 2};
    webapp_kit *kit = webapp_kit_start(&o);
    wk_browser *b = wk_browser_new();
    free(wk_sign_in(kit, b, "ada@example.com", NULL, NULL));
    long issued = emu_fixture_tokens_issued(kit->f);
    wk_response r;
    assert_int_equal(wk_get(b, kit, "/account", &r), 200);
    wk_response_free(&r);
    assert_int_equal(emu_fixture_tokens_issued(kit->f), issued);   /* still fresh: no refresh */

    sleep(7);
    assert_int_equal(wk_get(b, kit, "/account", &r), 200);
    wk_assert_contains(r.body, "ada@example.com");
    wk_response_free(&r);
    assert_int_equal(emu_fixture_tokens_issued(kit->f), issued + 1);
    assert_int_equal(wk_get(b, kit, "/account", &r), 200);
    wk_response_free(&r);
    assert_int_equal(emu_fixture_tokens_issued(kit->f), issued + 1);

    /* The rotated refresh token works the next time too (the old one was not reused:
     * the emulator would have revoked the session and the page would say so). */
    sleep(7);
    assert_int_equal(wk_get(b, kit, "/account", &r), 200);
    wk_assert_contains(r.body, "id=\"roles\"");
    wk_response_free(&r);
    assert_int_equal(emu_fixture_tokens_issued(kit->f), issued + 2);
    wk_browser_free(b);
    webapp_kit_stop(kit);
}

static void test_role_change_reaches_the_session_through_a_webhook(void **state)
{
    ada *a = *state;
    webapp_kit *kit = a->kit;
    wk_browser *b = a->b;
    const char *user_id = a->user_id;
    wk_grant_role(kit, user_id, "admin");

    /* Before any event the session still holds the token it was given. */
    wk_response r;
    assert_int_equal(wk_get(b, kit, "/account", &r), 200);
    assert_null(strstr(r.body, "<li>admin</li>"));
    wk_assert_contains(r.body, "<dd id=\"name\">ada@example.com</dd>");   /* no name yet: the email */
    wk_response_free(&r);
    /* An event about another user leaves this session alone. */
    long issued = emu_fixture_tokens_issued(kit->f);
    assert_int_equal(wk_deliver(kit, NULL, "msg_other", 0, "user.organization_membership_updated", "usr_other"), 200);
    assert_int_equal(wk_get(b, kit, "/account", &r), 200);
    wk_response_free(&r);
    assert_int_equal(emu_fixture_tokens_issued(kit->f), issued);

    /* A name set meanwhile comes with the refreshed ID token. */
    scalekit_user_profile_options profile = SCALEKIT_USER_PROFILE_OPTIONS_INIT;
    profile.name = "Ada Lovelace";
    scalekit_user_update_options update = SCALEKIT_USER_UPDATE_OPTIONS_INIT;
    update.user_profile = &profile;
    scalekit_user *updated = NULL;
    EMU_FIXTURE_OK(scalekit_user_update(kit->f->client, user_id, &update, &updated));
    scalekit_user_free(updated);

    /* The membership event about this user: the next request refreshes. */
    assert_int_equal(wk_deliver(kit, NULL, "msg_roles", 0, "user.organization_membership_updated", user_id), 200);
    assert_int_equal(wk_get(b, kit, "/account", &r), 200);
    wk_assert_contains(r.body, "<li>admin</li>");
    wk_assert_contains(r.body, "<li>members:read</li>");
    wk_assert_contains(r.body, "<dd id=\"name\">Ada Lovelace</dd>");
    wk_assert_contains(r.body, "<dd id=\"email\">ada@example.com</dd>");
    wk_response_free(&r);
    assert_int_equal(emu_fixture_tokens_issued(kit->f), issued + 1);
}

static void test_a_revoked_session_ends_at_its_next_refresh(void **state)
{
    ada *a = *state;
    webapp_kit *kit = a->kit;
    wk_browser *b = a->b;
    const char *user_id = a->user_id;
    scalekit_session_revocation *gone = NULL;
    EMU_FIXTURE_OK(scalekit_session_revoke_all_user_sessions(kit->f->client, user_id, &gone));
    scalekit_session_revocation_free(gone);

    assert_int_equal(wk_deliver(kit, NULL, "msg_revoked", 0, "user.organization_membership_updated", user_id), 200);
    wk_response r;
    wk_get(b, kit, "/account", &r);
    wk_assert_session_ended(&r, "ada@example.com");
    wk_response_free(&r);
    assert_int_equal(wk_get(b, kit, "/account", &r), 303);
    wk_response_free(&r);
}

static void test_leaving_the_organization_ends_the_session(void **state)
{
    ada *a = *state;
    webapp_kit *kit = a->kit;
    wk_browser *b = a->b;
    const char *user_id = a->user_id;
    EMU_FIXTURE_OK(scalekit_user_delete_membership(kit->f->client, kit->organization_id, user_id, false));
    long issued = emu_fixture_tokens_issued(kit->f);
    assert_int_equal(wk_deliver(kit, NULL, "msg_left", 0, "user.organization_membership_deleted", user_id), 200);
    /* One refresh: its tokens have no organization any more, so the session ends. */
    wk_response r;
    wk_get(b, kit, "/account", &r);
    wk_assert_session_ended(&r, "ada@example.com");
    wk_response_free(&r);
    assert_int_equal(emu_fixture_tokens_issued(kit->f), issued + 1);
    assert_int_equal(wk_get(b, kit, "/account", &r), 303);
    wk_response_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_access_token_is_refreshed_before_it_expires),
        cmocka_unit_test_setup_teardown(test_role_change_reaches_the_session_through_a_webhook, ada_setup, ada_teardown),
        cmocka_unit_test_setup_teardown(test_a_revoked_session_ends_at_its_next_refresh, ada_setup, ada_teardown),
        cmocka_unit_test_setup_teardown(test_leaving_the_organization_ends_the_session, ada_setup, ada_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
