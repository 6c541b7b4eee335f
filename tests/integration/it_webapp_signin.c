/*
 * The example web app's sign-in, over HTTP: the cookies' flags, the pages a
 * signed-in user sees, and each refusal the app must make with a clear page and
 * no session: a forged state, a replayed callback, a callback without the
 * browser's pending sign-in, a tampered session cookie, an open redirect;
 * and sign-out, which ends the session here and at Scalekit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "webapp_kit.h"

/* The request leaves the browser signed out: /account sends it to sign in. */
static void assert_signed_out(const webapp_kit *kit, wk_browser *b)
{
    wk_response r;
    long status = wk_get(b, kit, "/account", &r);
    assert_true(status == 303 || status == 401);
    assert_null(strstr(r.body, "id=\"roles\""));
    wk_response_free(&r);
}

static void test_sign_in_sets_a_safe_cookie_and_shows_the_user(void **state)
{
    webapp_kit *kit = *state;
    wk_browser *b = wk_browser_new();
    wk_response r;

    /* /login: the pre-session cookie, and a redirect carrying state, nonce and a
     * PKCE challenge, but never the verifier. */
    assert_int_equal(wk_get(b, kit, "/login", &r), 303);
    char *authorize = wk_header(&r, "Location");
    char *pre = wk_set_cookie(&r, "signin");
    assert_non_null(pre);
    wk_assert_contains(pre, "; HttpOnly");
    wk_assert_contains(pre, "; SameSite=Lax");
    wk_assert_contains(pre, "; Max-Age=600");
    assert_null(strstr(pre, "Secure"));
    wk_assert_contains(authorize, "state=");
    wk_assert_contains(authorize, "nonce=");
    wk_assert_contains(authorize, "code_challenge_method=S256");
    wk_assert_contains(authorize, "offline_access");
    wk_assert_contains(authorize, kit->organization_id);
    assert_null(strstr(authorize, "code_verifier"));
    wk_response_free(&r);

    char *callback = emu_fixture_login(kit->f, authorize, "ada@example.com", NULL);
    assert_int_equal(wk_get(b, kit, callback, &r), 303);
    char *location = wk_header(&r, "Location");
    assert_string_equal(location, "/account");
    char *session = wk_set_cookie(&r, "session");
    assert_non_null(session);
    assert_true(strlen(session) > strlen("session=") + 63);
    wk_assert_contains(session, "; Path=/");
    wk_assert_contains(session, "; HttpOnly");
    wk_assert_contains(session, "; SameSite=Lax");
    wk_assert_contains(session, "; Max-Age=28800");
    wk_assert_contains(session, "; Expires=");
    assert_null(strstr(session, "Secure"));   /* served over http */
    /* The pre-session cookie is spent. */
    char *spent = wk_set_cookie(&r, "signin");
    assert_non_null(spent);
    wk_assert_contains(spent, "Max-Age=0");
    /* No token in the redirect: the browser only ever sees the cookie. */
    assert_null(strstr(location, "eyJ"));
    assert_null(strstr(r.headers, "eyJ"));
    wk_response_free(&r);

    assert_int_equal(wk_get(b, kit, "/account", &r), 200);
    wk_assert_contains(r.body, "ada@example.com");
    wk_assert_contains(r.body, "<li>member</li>");
    wk_assert_contains(r.body, kit->organization_id);
    wk_assert_contains(r.body, "id=\"session-expiry\"");
    assert_null(strstr(r.body, "eyJ"));   /* no token on the page either */
    wk_assert_contains(r.headers, "Cache-Control: no-store");
    wk_assert_contains(r.headers, "Referrer-Policy: same-origin");
    wk_assert_contains(r.headers, "Content-Security-Policy: default-src 'none'");
    wk_response_free(&r);

    /* The home page knows the user too. */
    assert_int_equal(wk_get(b, kit, "/", &r), 200);
    wk_assert_contains(r.body, "signed in as <strong>ada@example.com</strong>");
    wk_response_free(&r);

    free(authorize);
    free(pre);
    free(callback);
    free(location);
    free(session);
    free(spent);
    wk_browser_free(b);
}

static void test_protected_pages_redirect_to_sign_in(void **state)
{
    webapp_kit *kit = *state;
    wk_browser *b = wk_browser_new();
    static const char *const pages[] = {"/account", "/admin", "/events"};
    for (size_t i = 0; i < 3; i++) {
        wk_response r;
        assert_int_equal(wk_get(b, kit, pages[i], &r), 303);
        char *location = wk_header(&r, "Location");
        char expected[64];
        snprintf(expected, sizeof expected, "/login?return_to=%s", pages[i]);
        assert_string_equal(location, expected);
        free(location);
        wk_response_free(&r);
    }
    /* Signed out, the home page offers sign-in. */
    wk_response r;
    assert_int_equal(wk_get(b, kit, "/", &r), 200);
    wk_assert_contains(r.body, "href=\"/login\"");
    wk_response_free(&r);
    wk_browser_free(b);
}

static void test_forged_state_is_refused(void **state)
{
    webapp_kit *kit = *state;
    wk_browser *b = wk_browser_new();
    char *callback = wk_start_sign_in(kit, b, "eve@example.com");
    /* The code is genuine, the state is not the one this browser's sign-in holds. */
    char *st = strstr(callback, "state=");
    assert_non_null(st);
    st[6] = st[6] == 'a' ? 'b' : 'a';
    wk_response r;
    assert_int_equal(wk_get(b, kit, callback, &r), 400);
    wk_assert_contains(r.body, "role=\"alert\"");
    wk_assert_contains(r.body, "its state does not match");
    wk_assert_contains(r.body, "You are not signed in");
    assert_null(wk_set_cookie(&r, "session"));
    wk_response_free(&r);
    assert_signed_out(kit, b);

    /* A state with no pending sign-in behind it (no cookie: another browser's link). */
    wk_browser *other = wk_browser_new();
    assert_int_equal(wk_get(other, kit, "/callback?code=abc&state=def", &r), 400);
    wk_assert_contains(r.body, "was started in another browser");
    assert_null(wk_set_cookie(&r, "session"));
    wk_response_free(&r);
    assert_signed_out(kit, other);
    wk_browser_free(other);
    free(callback);
    wk_browser_free(b);
}

static void test_replayed_callback_is_refused(void **state)
{
    webapp_kit *kit = *state;
    wk_browser *b = wk_browser_new();
    char *callback = wk_start_sign_in(kit, b, "ada@example.com");
    char *pre = wk_cookie(b, "signin");
    assert_non_null(pre);
    wk_response r;
    assert_int_equal(wk_get(b, kit, callback, &r), 303);
    wk_response_free(&r);
    char *first = wk_cookie(b, "session");
    assert_non_null(first);

    /* The same browser again (the app deleted its pre-session cookie), and a
     * replay that kept that cookie: the pending sign-in was taken by the first visit. */
    for (int kept = 0; kept < 2; kept++) {
        if (kept)
            wk_put_cookie(b, "signin", pre);
        assert_int_equal(wk_get(b, kit, callback, &r), 400);
        wk_assert_contains(r.body, "was already used");
        assert_null(wk_set_cookie(&r, "session"));
        wk_response_free(&r);
    }
    free(pre);
    /* The session the first visit started is untouched. */
    assert_int_equal(wk_get(b, kit, "/account", &r), 200);
    wk_response_free(&r);

    /* Another browser that started its own sign-in, handed the used callback URL:
     * the state is not its own, and the code would be spent anyway. */
    wk_browser *thief = wk_browser_new();
    assert_int_equal(wk_get(thief, kit, "/login", &r), 303);
    wk_response_free(&r);
    assert_int_equal(wk_get(thief, kit, callback, &r), 400);
    wk_assert_contains(r.body, "its state does not match");
    assert_null(wk_set_cookie(&r, "session"));
    wk_response_free(&r);
    assert_signed_out(kit, thief);
    wk_browser_free(thief);

    /* A fresh, valid sign-in, replaying a used code with this browser's own state:
     * Scalekit refuses the code, so no session either. */
    wk_browser *c = wk_browser_new();
    char *next = wk_start_sign_in(kit, c, "ada@example.com");
    char *st = strstr(next, "state=");
    char *used_code = strstr(callback, "code=");
    char *used_end = strchr(used_code, '&');
    char replay[2048];
    snprintf(replay, sizeof replay, "/callback?%.*s&%s", (int)(used_end - used_code), used_code, st);
    assert_int_equal(wk_get(c, kit, replay, &r), 400);
    wk_assert_contains(r.body, "Scalekit did not accept the sign-in");
    assert_null(wk_set_cookie(&r, "session"));
    wk_response_free(&r);
    assert_signed_out(kit, c);
    wk_browser_free(c);

    free(next);
    free(first);
    free(callback);
    wk_browser_free(b);
}

static void test_tampered_cookie_is_refused(void **state)
{
    webapp_kit *kit = *state;
    wk_browser *b = wk_browser_new();
    free(wk_sign_in(kit, b, "ada@example.com", NULL, NULL));
    char *good = wk_cookie(b, "session");
    assert_non_null(good);

    /* One character changed, the wrong length, not hex at all. */
    char changed[128];
    snprintf(changed, sizeof changed, "%s", good);
    changed[10] = changed[10] == '0' ? '1' : '0';
    char longer[128];
    snprintf(longer, sizeof longer, "%s0", good);
    const char *bad[] = {changed, longer, "../../etc/passwd", "' OR 1=1 --"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        wk_put_cookie(b, "session", bad[i]);
        wk_response r;
        wk_get(b, kit, "/account", &r);
        wk_assert_session_ended(&r, "ada@example.com");
        wk_response_free(&r);
    }
    /* The genuine cookie still works: tampering did not end someone's session. */
    wk_put_cookie(b, "session", good);
    wk_response r;
    assert_int_equal(wk_get(b, kit, "/account", &r), 200);
    wk_response_free(&r);
    free(good);
    wk_browser_free(b);
}

static void test_return_to_stays_on_the_site(void **state)
{
    webapp_kit *kit = *state;
    wk_browser *b = wk_browser_new();
    free(wk_sign_in(kit, b, "ada@example.com", "/login?return_to=/events", "/events"));
    static const char *const outside[] = {"//evil.example/x", "https://evil.example/", "/\\evil.example",
                                          "events", "/a%0d%0aSet-Cookie:x=y"};
    for (size_t i = 0; i < sizeof outside / sizeof *outside; i++) {
        char path[128];
        snprintf(path, sizeof path, "/login?return_to=%s", outside[i]);
        free(wk_sign_in(kit, b, "ada@example.com", path, "/account"));
    }
    wk_browser_free(b);
}

static void test_cookies_are_secure_over_https(void **state)
{
    webapp_kit_options o = {.public_url = "https://app.example.com"};
    webapp_kit *kit = webapp_kit_start(&o);
    wk_browser *b = wk_browser_new();
    wk_response r;
    /* The app listens on loopback behind a TLS proxy; ask it directly. */
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/login", webapp_port(kit->app));
    assert_int_equal(wk_get(b, kit, url, &r), 303);
    char *pre = wk_set_cookie(&r, "__Host-signin");
    assert_non_null(pre);
    wk_assert_contains(pre, "; Secure");
    wk_assert_contains(pre, "; Path=/");
    char *authorize = wk_header(&r, "Location");
    wk_assert_contains(authorize, "redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback");
    free(authorize);
    free(pre);
    wk_response_free(&r);
    wk_browser_free(b);
    webapp_kit_stop(kit);
}

static void test_sign_out_ends_the_session_here_and_at_scalekit(void **state)
{
    webapp_kit *kit = *state;
    wk_browser *b = wk_browser_new();
    free(wk_sign_in(kit, b, "grace@example.com", NULL, NULL));
    char *user_id = wk_user_id(kit, "grace@example.com");
    wk_response r;

    /* A sign-out posted from another site is refused, and changes nothing. */
    const char *foreign[] = {"Origin: https://evil.example", NULL};
    assert_int_equal(wk_request(b, kit, "POST", "/logout", foreign, "", &r), 403);
    wk_response_free(&r);
    const char *opaque[] = {"Origin: null", NULL};
    assert_int_equal(wk_request(b, kit, "POST", "/logout", opaque, "", &r), 403);
    wk_response_free(&r);
    assert_int_equal(wk_get(b, kit, "/account", &r), 200);
    wk_response_free(&r);

    char origin[160];
    snprintf(origin, sizeof origin, "Origin: %s", kit->url);
    const char *own[] = {origin, NULL};
    assert_int_equal(wk_request(b, kit, "POST", "/logout", own, "", &r), 303);
    char *location = wk_header(&r, "Location");
    char expected[512];
    snprintf(expected, sizeof expected, "%s/oidc/logout?post_logout_redirect_uri=", kit->f->url);
    assert_true(strncmp(location, expected, strlen(expected)) == 0);
    wk_assert_contains(location, "%2Fsigned-out");
    assert_null(strstr(location, "id_token_hint"));   /* no token in the browser's URL */
    char *cleared = wk_set_cookie(&r, "session");
    wk_assert_contains(cleared, "Max-Age=0");
    wk_response_free(&r);

    /* Scalekit's logout sends the browser back to the signed-out page. */
    assert_int_equal(wk_get(b, kit, location, &r), 302);
    char *back = wk_header(&r, "Location");
    char signed_out[160];
    snprintf(signed_out, sizeof signed_out, "%s/signed-out", kit->url);
    assert_string_equal(back, signed_out);
    wk_response_free(&r);
    assert_int_equal(wk_get(b, kit, back, &r), 200);
    wk_assert_contains(r.body, "You are signed out");
    wk_response_free(&r);
    assert_signed_out(kit, b);

    /* The Scalekit session was revoked through the API. */
    scalekit_session_page *sessions = NULL;
    EMU_FIXTURE_OK(scalekit_session_get_user_sessions(kit->f->client, user_id, NULL, &sessions));
    assert_true(sessions->count >= 1);
    for (size_t i = 0; i < sessions->count; i++)
        assert_string_not_equal(sessions->items[i]->status, "active");
    scalekit_session_page_free(sessions);
    free(back);
    free(cleared);
    free(location);
    free(user_id);
    wk_browser_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sign_in_sets_a_safe_cookie_and_shows_the_user, wk_setup, wk_teardown),
        cmocka_unit_test_setup_teardown(test_protected_pages_redirect_to_sign_in, wk_setup, wk_teardown),
        cmocka_unit_test_setup_teardown(test_forged_state_is_refused, wk_setup, wk_teardown),
        cmocka_unit_test_setup_teardown(test_replayed_callback_is_refused, wk_setup, wk_teardown),
        cmocka_unit_test_setup_teardown(test_tampered_cookie_is_refused, wk_setup, wk_teardown),
        cmocka_unit_test_setup_teardown(test_return_to_stays_on_the_site, wk_setup, wk_teardown),
        cmocka_unit_test(test_cookies_are_secure_over_https),
        cmocka_unit_test_setup_teardown(test_sign_out_ends_the_session_here_and_at_scalekit, wk_setup, wk_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
