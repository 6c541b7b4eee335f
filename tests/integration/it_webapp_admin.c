/*
 * The example web app's members page is allowed only with members:read in the
 * user's own token (403 otherwise), and its webhook endpoint records only
 * deliveries whose signature and timestamp verify, each once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "webapp_kit.h"

static size_t count(const char *text, const char *part)
{
    size_t n = 0;
    for (const char *p = strstr(text, part); p; p = strstr(p + 1, part))
        n++;
    return n;
}

static void test_members_page_needs_the_permission(void **state)
{
    webapp_kit *kit = *state;
    wk_browser *ada = wk_browser_new(), *bob = wk_browser_new();
    free(wk_sign_in(kit, ada, "ada@example.com", NULL, NULL));
    free(wk_sign_in(kit, bob, "bob@example.com", NULL, NULL));

    wk_response r;
    assert_int_equal(wk_get(ada, kit, "/admin", &r), 403);
    wk_assert_contains(r.body, "role=\"alert\"");
    wk_assert_contains(r.body, "&quot;members:read&quot;");
    assert_null(strstr(r.body, "bob@example.com"));   /* nothing of the listing leaks */
    wk_response_free(&r);

    /* Granted through the API: the app learns it from the webhook, refreshes, allows. */
    char *ada_id = wk_user_id(kit, "ada@example.com");
    wk_grant_role(kit, ada_id, "admin");
    assert_int_equal(wk_deliver(kit, NULL, "msg_grant", 0, "user.organization_membership_updated", ada_id), 200);
    assert_int_equal(wk_get(ada, kit, "/admin", &r), 200);
    wk_assert_contains(r.body, "<ul id=\"members\"");
    wk_assert_contains(r.body, "<strong>ada@example.com</strong>");
    wk_assert_contains(r.body, "<strong>bob@example.com</strong>");
    wk_assert_contains(r.body, "<li>member</li><li>admin</li>");
    wk_assert_contains(r.body, "2 members of Acme");
    wk_response_free(&r);

    /* Bob's session was not touched by Ada's event: still refused. */
    assert_int_equal(wk_get(bob, kit, "/admin", &r), 403);
    wk_response_free(&r);

    /* Taken away again: refused again after the event. */
    EMU_FIXTURE_OK(scalekit_user_remove_role(kit->f->client, kit->organization_id, ada_id, "admin"));
    assert_int_equal(wk_deliver(kit, NULL, "msg_revoke", 0, "user.organization_membership_updated", ada_id), 200);
    assert_int_equal(wk_get(ada, kit, "/admin", &r), 403);
    wk_response_free(&r);
    free(ada_id);
    wk_browser_free(ada);
    wk_browser_free(bob);
}

static void test_webhooks_are_verified_and_recorded_once(void **state)
{
    webapp_kit *kit = *state;
    wk_browser *b = wk_browser_new();
    free(wk_sign_in(kit, b, "ada@example.com", NULL, NULL));
    wk_response r;

    /* Unsigned, signed with another secret, too old, tampered after signing. */
    const char *plain[] = {"Content-Type: application/json", NULL};
    assert_int_equal(wk_request(b, kit, "POST", "/webhooks", plain,
                                "{\"type\":\"organization.forged\",\"id\":\"evt_1\"}", &r), 401);
    wk_assert_contains(r.body, "delivery refused");
    wk_response_free(&r);
    assert_int_equal(wk_deliver(kit, "whsec_c2VjcmV0LW9mLXNvbWVvbmUtZWxzZQ==", "msg_a", 0, "organization.forged",
                                "usr_1"), 401);
    assert_int_equal(wk_deliver(kit, NULL, "msg_b", (int64_t)time(NULL) - 3600, "organization.forged", "usr_1"),
                     401);
    char *sig = NULL;
    const char *body = "{\"type\":\"organization.updated\",\"id\":\"evt_2\"}";
    int64_t now = (int64_t)time(NULL);
    assert_int_equal(scalekit_sign_webhook_payload(WK_WEBHOOK_SECRET, "msg_c", now, body, strlen(body), &sig),
                     SCALEKIT_OK);
    char h_ts[64], h_sig[160];
    snprintf(h_ts, sizeof h_ts, "webhook-timestamp: %lld", (long long)now);
    snprintf(h_sig, sizeof h_sig, "webhook-signature: %s", sig);
    const char *signed_headers[] = {"webhook-id: msg_c", h_ts, h_sig, NULL};
    assert_int_equal(wk_request(b, kit, "POST", "/webhooks", signed_headers,
                                "{\"type\":\"organization.forged\",\"id\":\"evt_2\"}", &r), 401);
    wk_response_free(&r);
    scalekit_free(sig);

    assert_int_equal(wk_get(b, kit, "/events", &r), 200);
    wk_assert_contains(r.body, "No events yet");
    assert_null(strstr(r.body, "forged"));
    wk_response_free(&r);

    /* A genuine delivery, then the same delivery again (a retry): shown once. */
    assert_int_equal(wk_deliver(kit, NULL, "msg_ok", 0, "organization.updated", "usr_1"), 200);
    assert_int_equal(wk_deliver(kit, NULL, "msg_ok", 0, "organization.updated", "usr_1"), 200);
    assert_int_equal(wk_deliver(kit, NULL, "msg_ok2", 0, "user.signup", "usr_1"), 200);
    assert_int_equal(wk_get(b, kit, "/events", &r), 200);
    wk_assert_contains(r.body, "<ol id=\"events\"");
    assert_int_equal(count(r.body, "<strong>organization.updated</strong>"), 1);
    assert_int_equal(count(r.body, "<strong>user.signup</strong>"), 1);
    /* Newest first. */
    assert_true(strstr(r.body, "user.signup") < strstr(r.body, "organization.updated"));
    wk_response_free(&r);

    /* A body over 1 MiB is refused unread. */
    char *big = malloc(2 * 1024 * 1024 + 1);
    assert_non_null(big);
    memset(big, 'x', 2 * 1024 * 1024);
    big[2 * 1024 * 1024] = '\0';
    assert_int_equal(wk_request(b, kit, "POST", "/webhooks", plain, big, &r), 413);
    wk_response_free(&r);
    free(big);

    /* Only POST: a GET of the endpoint is 405, an unknown page 404. */
    assert_int_equal(wk_get(b, kit, "/webhooks", &r), 405);
    wk_response_free(&r);
    assert_int_equal(wk_get(b, kit, "/nothing-here", &r), 404);
    wk_response_free(&r);
    wk_browser_free(b);
}

static void test_without_a_secret_every_delivery_is_refused(void **state)
{
    webapp_kit_options o = {.no_webhook_secret = 1};
    webapp_kit *kit = webapp_kit_start(&o);
    /* A correctly signed delivery too: the app cannot tell it from a forged one. */
    assert_int_equal(wk_deliver(kit, NULL, "msg_1", 0, "organization.updated", "usr_1"), 503);
    webapp_kit_stop(kit);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_members_page_needs_the_permission, wk_setup, wk_teardown),
        cmocka_unit_test_setup_teardown(test_webhooks_are_verified_and_recorded_once, wk_setup, wk_teardown),
        cmocka_unit_test(test_without_a_secret_every_delivery_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
