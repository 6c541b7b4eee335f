/*
 * Passwordless email through the SDK against the emulator: send, verify by
 * code, resend, each with its server errors decoded (400 with the field, 404,
 * the finished and expired requests), the wrong-code limit, and resend
 * regenerating or repeating the code as the environment's connection says.
 * Codes are read from the emulator's mailbox, so every test needs it.
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
#include "core/core.h"
#include "scalekit/passwordless.h"

static scalekit_passwordless_send_response *send_to(emu_fixture *f, const char *email,
                                                     const scalekit_passwordless_send_options *o)
{
    scalekit_passwordless_send_response *s = NULL;
    EMU_FIXTURE_OK(scalekit_passwordless_send_email(f->client, email, o, &s));
    return s;
}

static int verify_code(emu_fixture *f, const char *id, const char *code, scalekit_passwordless_verify_response **v)
{
    scalekit_passwordless_verify_options o = SCALEKIT_PASSWORDLESS_VERIFY_OPTIONS_INIT;
    o.code = code;
    o.auth_request_id = id;
    return scalekit_passwordless_verify_email(f->client, &o, v);
}

static char *mailed_code(emu_fixture *f, const char *email)
{
    json_t *m = emu_mailbox_latest(f, email);
    assert_non_null(m);
    char *code = emu_mailbox_code(m);
    json_decref(m);
    return code;
}

static void send_then_verify_by_code(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "reading the mailbox");
    char email[128];
    emu_mailbox_unique_address(email, sizeof email, "code");
    const scalekit_header vars[] = { { "teamName", "Alpha" } };
    scalekit_passwordless_send_options o = SCALEKIT_PASSWORDLESS_SEND_OPTIONS_INIT;
    o.template_type = "SIGNUP";
    o.state = "st-42";
    o.expires_in = 120;
    o.template_variables.entries = vars;
    o.template_variables.count = 1;
    int64_t before = skit_now();
    scalekit_passwordless_send_response *s = send_to(f, email, &o);
    assert_true(strncmp(s->auth_request_id, "pwl_", 4) == 0);
    /* No magiclink_auth_uri: the email can only carry the code. */
    assert_string_equal(s->passwordless_type, "OTP");
    assert_true(s->expires_in > 115 && s->expires_in <= 120);
    assert_true(s->expires_at >= before + 120 && s->expires_at <= skit_now() + 120);
    assert_non_null(strstr(s->raw_json, "\"expires_at\":\""));   /* int64 as a JSON string */

    json_t *m = emu_mailbox_latest(f, email);
    assert_non_null(m);
    assert_string_equal(json_string_value(json_object_get(m, "kind")), "passwordless_otp");
    assert_true(json_is_null(json_object_get(m, "link")));
    assert_non_null(strstr(json_string_value(json_object_get(m, "body")), "\"teamName\":\"Alpha\""));
    char *code = emu_mailbox_code(m);
    json_decref(m);
    assert_int_equal(strlen(code), 6);

    scalekit_passwordless_verify_response *v = NULL;
    EMU_FIXTURE_OK(verify_code(f, s->auth_request_id, code, &v));
    assert_string_equal(v->email, email);
    assert_string_equal(v->state, "st-42");
    assert_string_equal(v->template_type, "SIGNUP");
    assert_string_equal(v->passwordless_type, "OTP");
    scalekit_passwordless_verify_response_free(v);

    /* A verified request is finished: neither verified again nor resent. */
    emu_assert_failed(verify_code(f, s->auth_request_id, code, &v), SCALEKIT_EINVALID_REQUEST, 400, NULL);
    assert_string_equal(scalekit_error_last()->error_code, "FAILED_PRECONDITION");
    scalekit_passwordless_send_response *again = NULL;
    emu_assert_failed(scalekit_passwordless_resend_email(f->client, s->auth_request_id, &again),
                      SCALEKIT_EINVALID_REQUEST, 400, NULL);
    free(code);
    scalekit_passwordless_send_response_free(s);
}

static void server_errors_name_the_field(void **state)
{
    emu_fixture *f = *state;
    scalekit_passwordless_send_response *s = NULL;
    scalekit_passwordless_verify_response *v = NULL;
    emu_assert_failed(scalekit_passwordless_send_email(f->client, "not-an-email", NULL, &s),
                      SCALEKIT_EINVALID_REQUEST, 400, "email");
    scalekit_passwordless_send_options o = SCALEKIT_PASSWORDLESS_SEND_OPTIONS_INIT;
    o.template_type = "WELCOME";
    emu_assert_failed(scalekit_passwordless_send_email(f->client, "a@example.com", &o, &s),
                      SCALEKIT_EINVALID_REQUEST, 400, "template");
    const scalekit_header reserved[] = { { "otp", "123" } };
    o.template_type = NULL;
    o.template_variables.entries = reserved;
    o.template_variables.count = 1;
    emu_assert_failed(scalekit_passwordless_send_email(f->client, "a@example.com", &o, &s),
                      SCALEKIT_EINVALID_REQUEST, 400, "template_variables.otp");
    scalekit_passwordless_send_options bad_uri = SCALEKIT_PASSWORDLESS_SEND_OPTIONS_INIT;
    bad_uri.magiclink_auth_uri = "https://unregistered.example/cb";
    emu_assert_failed(scalekit_passwordless_send_email(f->client, "a@example.com", &bad_uri, &s),
                      SCALEKIT_EINVALID_REQUEST, 400, "magiclink_auth_uri");

    emu_assert_failed(scalekit_passwordless_resend_email(f->client, "pwl_unknown", &s), SCALEKIT_ENOTFOUND, 404, NULL);
    assert_string_equal(scalekit_error_last()->error_code, "NOT_FOUND");
    emu_assert_failed(verify_code(f, "pwl_unknown", "123456", &v), SCALEKIT_ENOTFOUND, 404, NULL);
    scalekit_passwordless_verify_options nothing = SCALEKIT_PASSWORDLESS_VERIFY_OPTIONS_INIT;
    emu_assert_failed(scalekit_passwordless_verify_email(f->client, &nothing, &v), SCALEKIT_EINVALID_REQUEST, 400,
                      "code");
    emu_assert_failed(verify_code(f, NULL, "123456", &v), SCALEKIT_EINVALID_REQUEST, 400, "auth_request_id");
    scalekit_passwordless_verify_options link = SCALEKIT_PASSWORDLESS_VERIFY_OPTIONS_INIT;
    link.link_token = "feedface";
    emu_assert_failed(scalekit_passwordless_verify_email(f->client, &link, &v), SCALEKIT_EINVALID_REQUEST, 400,
                      "link_token");
}

static void wrong_codes_finish_the_request(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "reading the mailbox");
    char email[128];
    emu_mailbox_unique_address(email, sizeof email, "limit");
    scalekit_passwordless_send_response *s = send_to(f, email, NULL);
    char *code = mailed_code(f, email), wrong[16];
    snprintf(wrong, sizeof wrong, "%06d", (atoi(code) + 1) % 1000000);
    scalekit_passwordless_verify_response *v = NULL;
    for (int i = 1; i < 5; i++) {
        emu_assert_failed(verify_code(f, s->auth_request_id, wrong, &v), SCALEKIT_EINVALID_REQUEST, 400, "code");
        char left[32];
        snprintf(left, sizeof left, "%d of 5 attempts left", 5 - i);
        assert_non_null(strstr(scalekit_error_last()->message, left));
    }
    emu_assert_failed(verify_code(f, s->auth_request_id, wrong, &v), SCALEKIT_ERATE_LIMITED, 429, NULL);
    assert_string_equal(scalekit_error_last()->error_code, "RESOURCE_EXHAUSTED");
    /* Finished: the right code no longer works, and it cannot be resent. */
    emu_assert_failed(verify_code(f, s->auth_request_id, code, &v), SCALEKIT_ERATE_LIMITED, 429, NULL);
    scalekit_passwordless_send_response *again = NULL;
    emu_assert_failed(scalekit_passwordless_resend_email(f->client, s->auth_request_id, &again),
                      SCALEKIT_ERATE_LIMITED, 429, NULL);
    free(code);
    scalekit_passwordless_send_response_free(s);
}

static void expired_requests_are_refused(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "expiring a request");
    char email[128];
    emu_mailbox_unique_address(email, sizeof email, "expired");
    scalekit_passwordless_send_response *s = send_to(f, email, NULL), *again = NULL;
    char *code = mailed_code(f, email);
    emu_passwordless_expire(f, s->auth_request_id);
    scalekit_passwordless_verify_response *v = NULL;
    emu_assert_failed(verify_code(f, s->auth_request_id, code, &v), SCALEKIT_EINVALID_REQUEST, 400, NULL);
    assert_string_equal(scalekit_error_last()->error_code, "FAILED_PRECONDITION");
    assert_non_null(strstr(scalekit_error_last()->message, "expired"));
    emu_assert_failed(scalekit_passwordless_resend_email(f->client, s->auth_request_id, &again),
                      SCALEKIT_EINVALID_REQUEST, 400, NULL);
    assert_non_null(strstr(scalekit_error_last()->message, "expired"));
    free(code);
    scalekit_passwordless_send_response_free(s);
}

static void resend_regenerates_by_default(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "reading the mailbox");
    char email[128];
    emu_mailbox_unique_address(email, sizeof email, "regen");
    scalekit_passwordless_send_response *s = send_to(f, email, NULL), *r = NULL;
    char *first = mailed_code(f, email);
    EMU_FIXTURE_OK(scalekit_passwordless_resend_email(f->client, s->auth_request_id, &r));
    assert_string_equal(r->auth_request_id, s->auth_request_id);
    assert_string_equal(r->passwordless_type, "OTP");
    assert_true(r->expires_at >= s->expires_at);
    assert_int_equal(emu_mailbox_count(f, email), 2);
    char *second = mailed_code(f, email);
    scalekit_passwordless_verify_response *v = NULL;
    if (strcmp(first, second) != 0)   /* one chance in a million that they are equal */
        emu_assert_failed(verify_code(f, s->auth_request_id, first, &v), SCALEKIT_EINVALID_REQUEST, 400, "code");
    EMU_FIXTURE_OK(verify_code(f, s->auth_request_id, second, &v));
    assert_string_equal(v->email, email);
    scalekit_passwordless_verify_response_free(v);
    free(first);
    free(second);
    scalekit_passwordless_send_response_free(s);
    scalekit_passwordless_send_response_free(r);
}

static void resend_repeats_without_regeneration(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "configuring the passwordless connection");
    emu_passwordless_configure(f, "{\"passwordless_config\":{\"type\":\"OTP\",\"validity\":600,"
                                  "\"code_challenge_length\":8,\"code_challenge_type\":\"ALPHANUMERIC\","
                                  "\"regenerate_passwordless_credentials_on_resend\":false}}");
    char email[128];
    emu_mailbox_unique_address(email, sizeof email, "same");
    scalekit_passwordless_send_response *s = send_to(f, email, NULL), *r = NULL;
    assert_true(s->expires_in > 595 && s->expires_in <= 600);
    char *first = mailed_code(f, email);
    assert_int_equal(strlen(first), 8);
    assert_int_equal(strspn(first, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"), 8);
    EMU_FIXTURE_OK(scalekit_passwordless_resend_email(f->client, s->auth_request_id, &r));
    char *second = mailed_code(f, email);
    assert_string_equal(first, second);
    /* Lower case is the same code. */
    for (char *p = first; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    scalekit_passwordless_verify_response *v = NULL;
    EMU_FIXTURE_OK(verify_code(f, s->auth_request_id, first, &v));
    scalekit_passwordless_verify_response_free(v);
    free(first);
    free(second);
    scalekit_passwordless_send_response_free(s);
    scalekit_passwordless_send_response_free(r);
}

static void sends_are_limited_per_address(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "a fresh address's limit");
    char email[128];
    emu_mailbox_unique_address(email, sizeof email, "rate");
    scalekit_passwordless_send_response *s = NULL;
    for (int i = 0; i < 5; i++)
        scalekit_passwordless_send_response_free(send_to(f, email, NULL));
    emu_assert_failed(scalekit_passwordless_send_email(f->client, email, NULL, &s), SCALEKIT_ERATE_LIMITED, 429, NULL);
    assert_string_equal(scalekit_error_last()->error_code, "RESOURCE_EXHAUSTED");
    assert_int_equal(emu_mailbox_count(f, email), 5);
    /* Another address is not limited. */
    char other[128];
    emu_mailbox_unique_address(other, sizeof other, "rate-other");
    scalekit_passwordless_send_response_free(send_to(f, other, NULL));
}

static void a_disabled_connection_refuses_sends(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "configuring the passwordless connection");
    emu_passwordless_configure(f, "{\"enabled\":false}");
    scalekit_passwordless_send_response *s = NULL;
    emu_assert_failed(scalekit_passwordless_send_email(f->client, "off@example.com", NULL, &s),
                      SCALEKIT_EINVALID_REQUEST, 400, NULL);
    assert_string_equal(scalekit_error_last()->error_code, "FAILED_PRECONDITION");
    emu_passwordless_configure(f, "{\"enabled\":true}");
    scalekit_passwordless_send_response_free(send_to(f, "off@example.com", NULL));
}

#define TEST(t) cmocka_unit_test_setup_teardown(t, emu_fixture_setup, emu_fixture_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(send_then_verify_by_code),
        TEST(server_errors_name_the_field),
        TEST(wrong_codes_finish_the_request),
        TEST(expired_requests_are_refused),
        TEST(resend_regenerates_by_default),
        TEST(resend_repeats_without_regeneration),
        TEST(sends_are_limited_per_address),
        TEST(a_disabled_connection_refuses_sends),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
