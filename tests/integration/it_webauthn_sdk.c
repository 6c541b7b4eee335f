/*
 * The passkey methods of the SDK against the emulator, with a software
 * authenticator: register and sign in through the begin/finish calls, then
 * ListCredentials, UpdateCredential and DeleteCredential, each with the
 * server's 400 and 404 decoded, and a deleted credential refused at sign-in.
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
#include "emu_users_kit.h"
#include "soft_authenticator.h"

/* The browser's step: the options' JSON text through the authenticator, as JSON text. */
static char *browser(soft_authn *a, const char *options_json, bool create)
{
    json_t *opts = json_loads(options_json, 0, NULL);
    assert_non_null(opts);
    json_t *cred = create ? soft_authn_create(a, opts, NULL) : soft_authn_get(a, opts, NULL);
    char *text = json_dumps(cred, JSON_COMPACT);
    json_decref(cred);
    json_decref(opts);
    return text;
}

static char *sdk_register(scalekit_client *c, soft_authn *a, const char *user_id, const char *name)
{
    scalekit_webauthn_begin_options opts = SCALEKIT_WEBAUTHN_BEGIN_OPTIONS_INIT;
    opts.display_name = name;
    scalekit_webauthn_options *o = NULL;
    EMU_FIXTURE_OK(scalekit_webauthn_begin_registration(c, user_id, &opts, &o));
    char *answer = browser(a, o->options_json, true);
    scalekit_webauthn_options_free(o);
    scalekit_webauthn_registration *reg = NULL;
    EMU_FIXTURE_OK(scalekit_webauthn_finish_registration(c, answer, NULL, &reg));
    free(answer);
    assert_true(reg->success);
    assert_string_equal(reg->credential->user_id, user_id);
    assert_string_equal(reg->credential->display_name, name);
    char *id = strdup(reg->credential->id);
    scalekit_webauthn_registration_free(reg);
    return id;
}

/* A sign-in through the SDK, begun for @p begin_user (NULL: any passkey): its
 * return code; on success the user must be @p user_id. */
static int sdk_sign_in(scalekit_client *c, soft_authn *a, const char *begin_user, const char *user_id)
{
    scalekit_webauthn_options *o = NULL;
    EMU_FIXTURE_OK(scalekit_webauthn_begin_authentication(c, begin_user, NULL, &o));
    char *answer = browser(a, o->options_json, false);
    scalekit_webauthn_authentication *auth = NULL;
    assert_non_null(o->session_id);
    int rc = scalekit_webauthn_finish_authentication(c, o->session_id, answer, &auth);
    scalekit_webauthn_options_free(o);
    free(answer);
    if (rc == SCALEKIT_OK) {
        assert_true(auth->success);
        assert_string_equal(auth->user_id, user_id);
        assert_string_equal(auth->user->id, user_id);
        assert_string_equal(auth->credential->user_id, user_id);
        assert_true(auth->credential->authenticator_flags->user_present);
    }
    scalekit_webauthn_authentication_free(auth);
    return rc;
}

static void register_list_rename_delete(void **state)
{
    emu_raw_fixture *s = *state;
    scalekit_client *c = s->f->client;
    char *org = ukit_create_org(s, "Keys Co");
    char email[128];
    ukit_unique_email(email, sizeof email, "kim@example.com");
    json_t *user = ukit_create_user(s, org, email, NULL, "");
    char *user_id = ukit_id(user);
    json_decref(user);
    soft_authn *phone = soft_authn_new(-7, s->f->url), *key = soft_authn_new(-257, s->f->url);

    char *phone_id = sdk_register(c, phone, user_id, "Phone");
    char *key_id = sdk_register(c, key, user_id, "Security key");
    assert_int_equal(sdk_sign_in(c, phone, user_id, user_id), SCALEKIT_OK);
    assert_int_equal(sdk_sign_in(c, key, NULL, user_id), SCALEKIT_OK);
    /* the proto's way to name the user: an email */
    scalekit_webauthn_begin_options by_email = SCALEKIT_WEBAUTHN_BEGIN_OPTIONS_INIT;
    by_email.email = email;
    scalekit_webauthn_options *eo = NULL;
    EMU_FIXTURE_OK(scalekit_webauthn_begin_authentication(c, NULL, &by_email, &eo));
    assert_non_null(strstr(eo->options_json, soft_authn_credential_id(phone)));
    scalekit_webauthn_options_free(eo);
    by_email.email = "nobody@example.com";
    emu_assert_failed(scalekit_webauthn_begin_authentication(c, NULL, &by_email, &eo), SCALEKIT_ENOTFOUND, 404, NULL);
    /* the proto's session_id must be the assertion's own ceremony */
    scalekit_webauthn_options *o = NULL;
    EMU_FIXTURE_OK(scalekit_webauthn_begin_authentication(c, user_id, NULL, &o));
    char *answer = browser(phone, o->options_json, false);
    scalekit_webauthn_authentication *auth = NULL;
    emu_assert_failed(scalekit_webauthn_finish_authentication(c, "another-session", answer, &auth),
                      SCALEKIT_EINVALID_REQUEST, 400, "session_id");
    scalekit_webauthn_options_free(o);
    free(answer);

    scalekit_webauthn_credential_list *list = NULL;
    EMU_FIXTURE_OK(scalekit_webauthn_list_credentials(c, user_id, &list));
    assert_int_equal(list->count, 2);
    assert_string_equal(list->credentials[0]->id, phone_id);
    assert_string_equal(list->credentials[1]->id, key_id);
    assert_string_equal(list->credentials[0]->transports[0], "internal");
    assert_string_equal(list->credentials[0]->authenticator->attachment, "platform");
    assert_true(list->credentials[0]->created_at > 0);
    assert_string_equal(list->all_accepted_credentials_options->rp_id, "127.0.0.1");
    assert_string_equal(list->all_accepted_credentials_options->user_id, user_id);
    assert_string_equal(list->all_accepted_credentials_options->all_accepted_credential_ids[0],
                        soft_authn_credential_id(phone));
    scalekit_webauthn_credential_list_free(list);

    scalekit_webauthn_credential *cred = NULL;
    EMU_FIXTURE_OK(scalekit_webauthn_update_credential(c, phone_id, "Work phone", &cred));
    assert_string_equal(cred->display_name, "Work phone");
    assert_string_equal(cred->id, phone_id);
    scalekit_webauthn_credential_free(cred);
    emu_assert_failed(scalekit_webauthn_update_credential(c, phone_id, "", &cred), SCALEKIT_EINVALID_REQUEST, 400,
                      "display_name");
    emu_assert_failed(scalekit_webauthn_update_credential(c, "cred_unknown", "x", &cred), SCALEKIT_ENOTFOUND, 404,
                      NULL);

    scalekit_webauthn_delete_credential_response *del = NULL;
    EMU_FIXTURE_OK(scalekit_webauthn_delete_credential(c, phone_id, &del));
    assert_true(del->success);
    assert_string_equal(del->unknown_credential_options->credential_id, soft_authn_credential_id(phone));
    assert_string_equal(del->unknown_credential_options->rp_id, "127.0.0.1");
    scalekit_webauthn_delete_credential_response_free(del);
    emu_assert_failed(scalekit_webauthn_delete_credential(c, phone_id, &del), SCALEKIT_ENOTFOUND, 404, NULL);
    /* the deleted passkey no longer signs in; the other still does */
    emu_assert_failed(sdk_sign_in(c, phone, NULL, user_id), SCALEKIT_ENOTFOUND, 404, NULL);
    assert_int_equal(sdk_sign_in(c, key, user_id, user_id), SCALEKIT_OK);

    EMU_FIXTURE_OK(scalekit_webauthn_list_credentials(c, user_id, &list));
    assert_int_equal(list->count, 1);
    assert_string_equal(list->credentials[0]->display_name, "Security key");
    scalekit_webauthn_credential_list_free(list);
    emu_assert_failed(scalekit_webauthn_list_credentials(c, "usr_unknown", &list), SCALEKIT_ENOTFOUND, 404, NULL);
    emu_assert_failed(scalekit_webauthn_list_credentials(c, NULL, &list), SCALEKIT_EINVALID_REQUEST, 400, "user_id");

    soft_authn_free(phone);
    soft_authn_free(key);
    free(phone_id);
    free(key_id);
    free(user_id);
    free(org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(register_list_rename_delete),
    };
    return cmocka_run_group_tests(tests, emu_raw_fixture_setup, emu_raw_fixture_teardown);
}
