/*
 * The magic link through the SDK against the emulator: the emailed link lands
 * on the emulator and redirects to magiclink_auth_uri with link_token (opening
 * it verifies nothing); verifying the token returns the email, state, template
 * and LINK; the same browser origin, when enforced, needs the auth_request_id;
 * the connection's type decides what the email holds.
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
#include "emu_mailbox.h"
#include "emu_testhttp.h"
#include "environment.h"
#include "scalekit/passwordless.h"

#define APP_CALLBACK "http://127.0.0.1:9/auth/passwordless?from=mail"

static scalekit_passwordless_send_response *send_link(emu_fixture *f, const char *email)
{
    scalekit_passwordless_send_options o = SCALEKIT_PASSWORDLESS_SEND_OPTIONS_INIT;
    o.magiclink_auth_uri = APP_CALLBACK;
    o.template_type = "SIGNIN";
    o.state = "back-to-/settings";
    scalekit_passwordless_send_response *s = NULL;
    EMU_FIXTURE_OK(scalekit_passwordless_send_email(f->client, email, &o, &s));
    return s;
}

/* Open the newest link to @p email as a browser would: the redirect's link_token (malloc'd). */
static char *open_link(emu_fixture *f, const char *email, long expect_status)
{
    json_t *m = emu_mailbox_latest(f, email);
    const char *link = json_string_value(json_object_get(m, "link"));
    assert_non_null(link);
    assert_true(strncmp(link, f->url, strlen(f->url)) == 0);
    emu_http_response r;
    emu_http("GET", link, NULL, NULL, &r);
    json_decref(m);
    assert_int_equal(r.status, expect_status);
    char location[1024];
    char *token = NULL;
    if (expect_status == 302) {
        assert_non_null(emu_http_header(&r, "Location", location, sizeof location));
        assert_true(strncmp(location, APP_CALLBACK "&link_token=", strlen(APP_CALLBACK "&link_token=")) == 0);
        token = emu_test_query_param(location, "link_token");
        assert_null(strstr(location, "auth_request_id"));
    }
    emu_http_response_free(&r);
    return token;
}

static int verify_link(emu_fixture *f, const char *token, const char *id, scalekit_passwordless_verify_response **v)
{
    scalekit_passwordless_verify_options o = SCALEKIT_PASSWORDLESS_VERIFY_OPTIONS_INIT;
    o.link_token = token;
    o.auth_request_id = id;
    return scalekit_passwordless_verify_email(f->client, &o, v);
}

static void the_link_redirects_and_its_token_verifies(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "reading the mailbox");
    char email[128];
    emu_mailbox_unique_address(email, sizeof email, "link");
    scalekit_passwordless_send_response *s = send_link(f, email);
    assert_string_equal(s->passwordless_type, "LINK_OTP");
    json_t *m = emu_mailbox_latest(f, email);
    assert_string_equal(json_string_value(json_object_get(m, "kind")), "passwordless_link_otp");
    json_decref(m);
    char *token = open_link(f, email, 302);
    /* Opening twice is harmless: a mail scanner's fetch verifies nothing. */
    free(open_link(f, email, 302));

    scalekit_passwordless_verify_response *v = NULL;
    EMU_FIXTURE_OK(verify_link(f, token, NULL, &v));
    assert_string_equal(v->email, email);
    assert_string_equal(v->state, "back-to-/settings");
    assert_string_equal(v->template_type, "SIGNIN");
    assert_string_equal(v->passwordless_type, "LINK");
    scalekit_passwordless_verify_response_free(v);

    /* Used once (frequency 1): the request is finished; the link now shows an error page. */
    emu_assert_failed(verify_link(f, token, NULL, &v), SCALEKIT_EINVALID_REQUEST, 400, NULL);
    assert_string_equal(scalekit_error_last()->error_code, "FAILED_PRECONDITION");
    assert_null(open_link(f, email, 400));
    /* A made-up token, or none, is the same error page. */
    const char *bad[] = { "/passwordless/link?link_token=0000", "/passwordless/link" };
    for (size_t i = 0; i < 2; i++) {
        char url[512];
        emu_fixture_url(f, bad[i], url, sizeof url);
        emu_http_response r;
        emu_http("GET", url, NULL, NULL, &r);
        assert_int_equal(r.status, 400);
        assert_non_null(strstr(r.body, "This sign-in link is not valid"));
        emu_http_response_free(&r);
    }
    free(token);
    scalekit_passwordless_send_response_free(s);
}

static void a_resent_link_replaces_the_old_one(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "reading the mailbox");
    char email[128];
    emu_mailbox_unique_address(email, sizeof email, "relink");
    scalekit_passwordless_send_response *s = send_link(f, email), *r = NULL;
    char *old = open_link(f, email, 302);
    EMU_FIXTURE_OK(scalekit_passwordless_resend_email(f->client, s->auth_request_id, &r));
    char *fresh = open_link(f, email, 302);
    assert_string_not_equal(old, fresh);
    scalekit_passwordless_verify_response *v = NULL;
    emu_assert_failed(verify_link(f, old, NULL, &v), SCALEKIT_EINVALID_REQUEST, 400, "link_token");
    EMU_FIXTURE_OK(verify_link(f, fresh, s->auth_request_id, &v));
    scalekit_passwordless_verify_response_free(v);
    free(old);
    free(fresh);
    scalekit_passwordless_send_response_free(s);
    scalekit_passwordless_send_response_free(r);
}

static void same_browser_origin_needs_the_request_id(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "configuring the passwordless connection");
    emu_passwordless_configure(f, "{\"passwordless_config\":{\"type\":\"LINK\",\"enforce_same_browser_origin\":true}}");
    char email[128], other_email[128];
    emu_mailbox_unique_address(email, sizeof email, "origin");
    emu_mailbox_unique_address(other_email, sizeof other_email, "origin-other");
    scalekit_passwordless_send_response *s = send_link(f, email), *other = send_link(f, other_email);
    assert_string_equal(s->passwordless_type, "LINK");
    char *token = open_link(f, email, 302);
    scalekit_passwordless_verify_response *v = NULL;
    emu_assert_failed(verify_link(f, token, NULL, &v), SCALEKIT_EINVALID_REQUEST, 400, "auth_request_id");
    emu_assert_failed(verify_link(f, token, other->auth_request_id, &v), SCALEKIT_EINVALID_REQUEST, 400,
                      "auth_request_id");
    EMU_FIXTURE_OK(verify_link(f, token, s->auth_request_id, &v));
    assert_string_equal(v->email, email);
    scalekit_passwordless_verify_response_free(v);
    free(token);
    scalekit_passwordless_send_response_free(s);
    scalekit_passwordless_send_response_free(other);
}

static void the_connection_type_decides_the_email(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "configuring the passwordless connection");
    char email[128];
    emu_mailbox_unique_address(email, sizeof email, "typed");
    scalekit_passwordless_send_response *s = NULL;
    scalekit_passwordless_verify_response *v = NULL;

    /* LINK: a link needs somewhere to land, and there is no code to verify. */
    emu_passwordless_configure(f, "{\"passwordless_config\":{\"type\":\"LINK\"}}");
    emu_assert_failed(scalekit_passwordless_send_email(f->client, email, NULL, &s), SCALEKIT_EINVALID_REQUEST, 400,
                      "magiclink_auth_uri");
    s = send_link(f, email);
    json_t *m = emu_mailbox_latest(f, email);
    assert_string_equal(json_string_value(json_object_get(m, "kind")), "passwordless_link");
    assert_null(strstr(json_string_value(json_object_get(m, "subject")), "code"));
    json_decref(m);
    scalekit_passwordless_verify_options o = SCALEKIT_PASSWORDLESS_VERIFY_OPTIONS_INIT;
    o.code = "123456";
    o.auth_request_id = s->auth_request_id;
    emu_assert_failed(scalekit_passwordless_verify_email(f->client, &o, &v), SCALEKIT_EINVALID_REQUEST, 400, "code");
    scalekit_passwordless_send_response_free(s);

    /* OTP: a code only, whatever the send's magiclink_auth_uri. */
    emu_passwordless_configure(f, "{\"passwordless_config\":{\"type\":\"OTP\"}}");
    s = send_link(f, email);
    assert_string_equal(s->passwordless_type, "OTP");
    m = emu_mailbox_latest(f, email);
    assert_true(json_is_null(json_object_get(m, "link")));
    free(emu_mailbox_code(m));
    json_decref(m);
    scalekit_passwordless_send_response_free(s);
}

static void codes_and_tokens_are_stored_only_hashed(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "reading the emulator's store");
    char email[128];
    emu_mailbox_unique_address(email, sizeof email, "hashed");
    scalekit_passwordless_send_response *s = send_link(f, email);
    json_t *m = emu_mailbox_latest(f, email);
    char *code = emu_mailbox_code(m), *token = open_link(f, email, 302);
    json_decref(m);
    json_t *row = emu_db_row(f->emu->store, "SELECT * FROM passwordless_requests WHERE id = ?", "s",
                             s->auth_request_id);
    assert_non_null(row);
    char *text = json_dumps(row, JSON_COMPACT), seed[256], want[65];
    assert_null(strstr(text, code));
    assert_null(strstr(text, token));
    snprintf(seed, sizeof seed, "%s:%s", s->auth_request_id, code);
    emu_sha256_hex(seed, want);
    assert_string_equal(json_string_value(json_object_get(row, "otp_hash")), want);
    emu_sha256_hex(token, want);
    assert_string_equal(json_string_value(json_object_get(row, "link_hash")), want);
    free(text);
    json_decref(row);
    free(code);
    free(token);
    scalekit_passwordless_send_response_free(s);
}

static void the_mailbox_view_shows_the_messages(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "reading the mailbox");
    char email[128], url[512];
    emu_mailbox_unique_address(email, sizeof email, "view");
    scalekit_passwordless_send_response_free(send_link(f, email));
    scalekit_passwordless_send_response_free(send_link(f, email));
    emu_fixture_url(f, "/_emulator/mailbox/view", url, sizeof url);
    emu_http_response r;
    emu_http("GET", url, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, email));
    assert_non_null(strstr(r.body, "Your verification code is "));
    assert_non_null(strstr(r.body, ">Open the link</a>"));
    emu_http_response_free(&r);
    /* JSON newest first: the second send's message leads. */
    json_t *box = NULL;
    emu_fixture_url(f, "/_emulator/mailbox", url, sizeof url);
    assert_int_equal(emu_http_call("GET", url, NULL, NULL, &box), 200);
    json_t *msgs = json_object_get(box, "messages");
    assert_true(json_array_size(msgs) >= 2);
    const char *first = json_string_value(json_object_get(json_array_get(msgs, 0), "created_at"));
    const char *second = json_string_value(json_object_get(json_array_get(msgs, 1), "created_at"));
    assert_true(strcmp(first, second) >= 0);
    json_decref(box);
}

#define TEST(t) cmocka_unit_test_setup_teardown(t, emu_fixture_setup, emu_fixture_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(the_link_redirects_and_its_token_verifies),
        TEST(a_resent_link_replaces_the_old_one),
        TEST(same_browser_origin_needs_the_request_id),
        TEST(the_connection_type_decides_the_email),
        TEST(codes_and_tokens_are_stored_only_hashed),
        TEST(the_mailbox_view_shows_the_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
