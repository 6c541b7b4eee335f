/*
 * `scalekit passwordless send|verify|resend` against the in-process emulator:
 * the flags reach the request (template, state, expiry, template variables),
 * the code from the mailbox verifies, resend answers the same request, and
 * the server's refusals map to their exit codes.
 */
#include "cli_harness.h"
#include "emu_mailbox.h"

typedef cli_emu_state state;

static void test_send_verify_resend(void **st)
{
    state *s = *st;
    cli_result r = CLI(NULL, "passwordless", "send", "cli-pwl@example.com", "--template", "SIGNUP", "--state", "s1",
                       "--expires-in", "90", "--template-variable", "team=blue", "--output", "json");
    assert_status(r, 0);
    json_t *j = cli_json(&r);
    char *id = strdup(json_string_value(json_object_get(j, "auth_request_id")));
    assert_int_equal(json_integer_value(json_object_get(j, "expires_in")) <= 90, 1);
    assert_string_equal(json_string_value(json_object_get(j, "passwordless_type")), "OTP");
    json_decref(j);
    cli_result_free(&r);

    json_t *m = emu_mailbox_latest(s->f, "cli-pwl@example.com");
    assert_non_null(strstr(json_string_value(json_object_get(m, "body")), "\"team\":\"blue\""));
    json_decref(m);

    r = CLI(NULL, "passwordless", "resend", id, "--output", "json");
    assert_status(r, 0);
    assert_non_null(strstr(r.out, id));
    cli_result_free(&r);

    m = emu_mailbox_latest(s->f, "cli-pwl@example.com");
    char *code = emu_mailbox_code(m);
    json_decref(m);
    r = CLI(NULL, "passwordless", "verify", "--code", code, "--auth-request-id", id, "--output", "json");
    assert_status(r, 0);
    j = cli_json(&r);
    assert_string_equal(json_string_value(json_object_get(j, "email")), "cli-pwl@example.com");
    assert_string_equal(json_string_value(json_object_get(j, "state")), "s1");
    assert_string_equal(json_string_value(json_object_get(j, "template")), "SIGNUP");
    json_decref(j);
    cli_result_free(&r);
    free(code);
    free(id);
}

static void test_refusals(void **st)
{
    (void)st;
    cli_result r = CLI(NULL, "passwordless", "send", "not-an-email");
    assert_status(r, CLI_EXIT_REFUSED);
    assert_non_null(strstr(r.err, "email"));
    cli_result_free(&r);
    r = CLI(NULL, "passwordless", "resend", "pwl_unknown");
    assert_status(r, CLI_EXIT_NOT_FOUND);
    cli_result_free(&r);
    r = CLI(NULL, "passwordless", "send", "a@example.com", "--template-variable", "novalue");
    assert_status(r, CLI_EXIT_USAGE);
    assert_non_null(strstr(r.err, "--template-variable novalue is not KEY=VALUE"));
    cli_result_free(&r);
    r = CLI(NULL, "passwordless", "send", "a@example.com", "--expires-in", "soon");
    assert_status(r, CLI_EXIT_USAGE);
    cli_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_send_verify_resend),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, cli_emu_setup, cli_emu_teardown);
}
