/* The passkeys rows of the command line against the in-process emulator: a
 * passkey registered with a software authenticator, then listed, renamed and
 * deleted with `scalekit passkeys ...`, and the exit statuses of a 404 and of
 * a missing argument. */
#include "cli_harness.h"
#include "soft_authenticator.h"

/* Register a passkey for @p user_id through the SDK; the credential's id (malloc'd). */
static char *register_passkey(const emu_fixture *f, soft_authn *a, const char *user_id)
{
    scalekit_webauthn_options *o = NULL;
    EMU_FIXTURE_OK(scalekit_webauthn_begin_registration(f->client, user_id, NULL, &o));
    json_t *opts = json_loads(o->options_json, 0, NULL);
    json_t *cred = soft_authn_create(a, opts, NULL);
    char *text = json_dumps(cred, JSON_COMPACT);
    scalekit_webauthn_registration *c = NULL;
    EMU_FIXTURE_OK(scalekit_webauthn_finish_registration(f->client, text, "Phone", &c));
    char *id = strdup(c->credential->id);
    scalekit_webauthn_registration_free(c);
    scalekit_webauthn_options_free(o);
    json_decref(opts);
    json_decref(cred);
    free(text);
    return id;
}

static void test_passkey_commands(void **st)
{
    cli_emu_state *s = *st;
    scalekit_authentication_response *resp = emu_fixture_sign_in(s->f, "cli-passkey@example.com");
    const char *user = resp->user->id;
    soft_authn *a = soft_authn_new(-7, s->f->url);
    char *id = register_passkey(s->f, a, user);

    cli_result r = CLI(NULL, "passkeys", "list", user, "--output", "json");
    assert_status(r, 0);
    json_t *j = cli_json(&r);
    json_t *first = json_array_get(json_object_get(j, "credentials"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "id")), id);
    assert_string_equal(json_string_value(json_object_get(first, "display_name")), "Phone");
    json_decref(j);
    cli_result_free(&r);

    r = CLI(NULL, "passkeys", "list", user);   /* the table: the row's columns */
    assert_status(r, 0);
    assert_non_null(strstr(r.out, id));
    assert_non_null(strstr(r.out, "Phone"));
    cli_result_free(&r);

    r = CLI(NULL, "passkeys", "rename", id, "Work phone", "--output", "json");
    assert_status(r, 0);
    j = cli_json(&r);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "credential"), "display_name")),
                        "Work phone");
    json_decref(j);
    cli_result_free(&r);

    r = CLI(NULL, "passkeys", "delete", id, "--output", "json");
    assert_status(r, 0);
    j = cli_json(&r);
    assert_true(json_is_true(json_object_get(j, "success")));
    json_decref(j);
    cli_result_free(&r);
    r = CLI(NULL, "passkeys", "delete", id);
    assert_status(r, CLI_EXIT_NOT_FOUND);
    cli_result_free(&r);
    r = CLI(NULL, "passkeys", "rename", id);
    assert_status(r, CLI_EXIT_USAGE);
    cli_result_free(&r);

    free(id);
    soft_authn_free(a);
    scalekit_authentication_response_free(resp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_passkey_commands),
    };
    return cmocka_run_group_tests(tests, cli_emu_setup, cli_emu_teardown);
}
