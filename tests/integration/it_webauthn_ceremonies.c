/*
 * Passkeys over raw HTTP with a software authenticator (tests/support/
 * soft_authenticator.h): registration (none, packed self attestation; ES256
 * and RS256) and sign-in through the WebAuthnService routes, and every check
 * the relying party makes refusing what breaks it: wrong origin, challenge,
 * type and rpIdHash, a replayed challenge, UP or a required UV missing, a bad
 * signature, a counter that goes back, a duplicate credential, an attestation
 * statement that does not fit, a deleted credential.
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
#include "soft_authenticator.h"

#define BASE "/api/v1/webauthn"

typedef struct kit {
    emu_raw_fixture *s;
    char *user_id;
    soft_authn *authn;
} kit;

static const char *str(const json_t *o, const char *name)
{
    return json_string_value(json_object_get(o, name));
}

static kit start(void **state, int alg)
{
    kit k = {*state, NULL, NULL};
    char *org = ukit_create_org(k.s, "Passkey Co");
    char email[128];
    ukit_unique_email(email, sizeof email, "pat@example.com");
    json_t *user = ukit_create_user(k.s, org, email, NULL, "");
    k.user_id = ukit_id(user);
    json_decref(user);
    free(org);
    k.authn = soft_authn_new(alg, k.s->f->url);
    assert_non_null(k.authn);
    return k;
}

static void stop(kit *k)
{
    soft_authn_free(k->authn);
    free(k->user_id);
}

/* POST @p path with {"user_id": user} (NULL: {}): the options. */
static json_t *begin(const kit *k, const char *path, const char *user_id, const char *uv)
{
    json_t *body = json_object(), *reply = NULL;
    if (user_id)
        json_object_set_new(body, "user_id", json_string(user_id));
    if (uv)
        json_object_set_new(body, "user_verification", json_string(uv));
    char *text = json_dumps(body, JSON_COMPACT);
    assert_int_equal(emu_raw_fixture_api(k->s, "POST", path, text, &reply), 200);
    json_t *opts = json_incref(json_object_get(reply, "options"));
    assert_non_null(opts);
    json_decref(reply);
    json_decref(body);
    free(text);
    return opts;
}

/* POST @p path with {"credential": cred} (stolen): the status, the reply in *out. */
static long finish(const kit *k, const char *path, json_t *cred, json_t **out)
{
    json_t *body = json_pack("{s:o}", "credential", cred);
    char *text = json_dumps(body, JSON_COMPACT);
    long status = emu_raw_fixture_api(k->s, "POST", path, text, out);
    json_decref(body);
    free(text);
    return status;
}

/* A registration finish with @p o must fail with @p status naming @p words. */
static void register_refused(const kit *k, const soft_authn_opts *o, long status, const char *words)
{
    json_t *opts = begin(k, BASE "/registration:begin", k->user_id, NULL), *reply = NULL;
    long got = finish(k, BASE "/registration:finish", soft_authn_create(k->authn, opts, o), &reply);
    const char *message = str(reply, "message");
    if (got != status || !message || !strstr(message, words))
        fail_msg("expected %ld naming \"%s\", got %ld: %s", status, words, got, message ? message : "(none)");
    json_decref(reply);
    json_decref(opts);
}

static json_t *register_ok(const kit *k, const soft_authn_opts *o)
{
    json_t *opts = begin(k, BASE "/registration:begin", k->user_id, NULL), *reply = NULL;
    long got = finish(k, BASE "/registration:finish", soft_authn_create(k->authn, opts, o), &reply);
    if (got != 200)
        fail_msg("registration: %ld %s", got, str(reply, "message"));
    json_t *cred = json_incref(json_object_get(reply, "credential"));
    json_decref(reply);
    json_decref(opts);
    return cred;
}

/* A sign-in with @p o: the status and reply. */
static long sign_in(const kit *k, const char *user_id, const soft_authn_opts *o, json_t **reply)
{
    json_t *opts = begin(k, BASE "/authentication:begin", user_id, NULL);
    long status = finish(k, BASE "/authentication:finish", soft_authn_get(k->authn, opts, o), reply);
    json_decref(opts);
    return status;
}

static void sign_in_refused(const kit *k, const soft_authn_opts *o, long status, const char *words)
{
    json_t *reply = NULL;
    long got = sign_in(k, k->user_id, o, &reply);
    const char *message = str(reply, "message");
    if (got != status || !message || !strstr(message, words))
        fail_msg("expected %ld naming \"%s\", got %ld: %s", status, words, got, message ? message : "(none)");
    json_decref(reply);
}

static void options_name_the_environment(void **state)
{
    kit k = start(state, -7);
    json_t *opts = begin(&k, BASE "/registration:begin", k.user_id, NULL);
    assert_string_equal(str(json_object_get(opts, "rp"), "id"), "127.0.0.1");
    assert_int_equal(strlen(str(opts, "challenge")), 43);
    json_t *params = json_object_get(opts, "pubKeyCredParams");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(params, 0), "alg")), -7);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(params, 1), "alg")), -257);
    assert_non_null(str(json_object_get(opts, "user"), "id"));
    assert_string_equal(str(opts, "attestation"), "none");
    assert_int_equal(json_array_size(json_object_get(opts, "excludeCredentials")), 0);
    json_decref(opts);
    json_decref(register_ok(&k, NULL));
    /* the registered credential is excluded from the next registration and allowed in a sign-in */
    opts = begin(&k, BASE "/registration:begin", k.user_id, NULL);
    assert_string_equal(str(json_array_get(json_object_get(opts, "excludeCredentials"), 0), "id"),
                        soft_authn_credential_id(k.authn));
    json_decref(opts);
    opts = begin(&k, BASE "/authentication:begin", k.user_id, NULL);
    assert_string_equal(str(opts, "rpId"), "127.0.0.1");
    assert_string_equal(str(json_array_get(json_object_get(opts, "allowCredentials"), 0), "id"),
                        soft_authn_credential_id(k.authn));
    json_decref(opts);
    ukit_assert_field_error(k.s, "POST", BASE "/registration:begin", "{}", "user_id");
    ukit_assert_field_error(k.s, "POST", BASE "/registration:begin",
                            "{\"user_id\":\"usr_1\",\"user_verification\":\"always\"}", "user_verification");
    ukit_assert_error(k.s, "POST", BASE "/registration:begin", "{\"user_id\":\"usr_nobody\"}", 404, "NOT_FOUND");
    ukit_assert_error(k.s, "POST", BASE "/authentication:begin", "{\"user_id\":\"usr_nobody\"}", 404, "NOT_FOUND");
    ukit_assert_field_error(k.s, "POST", BASE "/registration:finish", "{}", "credential_id");
    /* the related origins (WebAuthn L3 5.11.1): the environment's own */
    char *page = NULL;
    assert_int_equal(ukit_get_page(k.s, "GET", "/.well-known/webauthn", &page), 200);
    json_t *origins = json_loads(page, 0, NULL);
    assert_string_equal(json_string_value(json_array_get(json_object_get(origins, "origins"), 0)), k.s->f->url);
    assert_int_equal(json_array_size(json_object_get(origins, "origins")), 1);
    json_decref(origins);
    free(page);
    stop(&k);
}

static void register_none_then_sign_in(void **state)
{
    kit k = start(state, -7);
    json_t *cred = register_ok(&k, NULL);
    assert_string_equal(str(cred, "user_id"), k.user_id);
    assert_string_equal(str(cred, "attestation_type"), "none");
    assert_string_equal(str(json_object_get(cred, "authenticator"), "aaguid"), "abababab-abab-abab-abab-abababababab");
    assert_string_equal(str(json_object_get(cred, "authenticator"), "attachment"), "platform");
    json_t *flags = json_object_get(cred, "authenticator_flags");
    assert_true(json_is_true(json_object_get(flags, "user_present")));
    assert_true(json_is_true(json_object_get(flags, "user_verified")));
    assert_true(json_is_false(json_object_get(flags, "backup_eligible")));
    assert_string_equal(json_string_value(json_array_get(json_object_get(cred, "transports"), 0)), "internal");
    assert_non_null(str(json_object_get(cred, "client_info"), "ip"));
    assert_non_null(str(cred, "created_at"));
    json_decref(cred);

    json_t *reply = NULL;
    assert_int_equal(sign_in(&k, k.user_id, NULL, &reply), 200);
    assert_string_equal(str(json_object_get(reply, "user"), "id"), k.user_id);
    assert_string_equal(str(json_object_get(reply, "credential"), "user_id"), k.user_id);
    json_decref(reply);
    /* a discoverable sign-in (no user named) works too */
    assert_int_equal(sign_in(&k, NULL, NULL, &reply), 200);
    json_decref(reply);
    stop(&k);
}

static void register_packed_self_attestation(void **state)
{
    kit k = start(state, -7);
    soft_authn_opts wrong_alg = {.packed = true, .packed_alg = -257};
    register_refused(&k, &wrong_alg, 400, "alg -257 is not the credential key's -7");
    soft_authn_opts bad_sig = {.packed = true, .bad_signature = true};
    register_refused(&k, &bad_sig, 400, "packed self attestation: the signature does not verify");
    soft_authn_opts packed = {.packed = true};
    json_t *cred = register_ok(&k, &packed);
    assert_string_equal(str(cred, "attestation_type"), "self");
    json_decref(cred);
    json_t *reply = NULL;
    assert_int_equal(sign_in(&k, k.user_id, NULL, &reply), 200);
    json_decref(reply);
    stop(&k);
}

static void rs256_keys(void **state)
{
    kit k = start(state, -257);
    soft_authn_opts packed = {.packed = true};
    json_decref(register_ok(&k, &packed));
    json_t *reply = NULL;
    assert_int_equal(sign_in(&k, k.user_id, NULL, &reply), 200);
    json_decref(reply);
    soft_authn_opts bad = {.bad_signature = true};
    sign_in_refused(&k, &bad, 400, "assertion signature does not verify");
    stop(&k);
}

static void registration_checks(void **state)
{
    kit k = start(state, -7);
    soft_authn_opts o = {.origin = "http://evil.example"};
    register_refused(&k, &o, 400, "origin \"http://evil.example\" is not an origin of this environment");
    o = (soft_authn_opts){.challenge = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};
    register_refused(&k, &o, 400, "challenge is not one this environment issued");
    o = (soft_authn_opts){.type = "webauthn.get"};
    register_refused(&k, &o, 400, "type is \"webauthn.get\", expected \"webauthn.create\"");
    o = (soft_authn_opts){.rp_id = "evil.example"};
    register_refused(&k, &o, 400, "rpIdHash is not SHA-256 of the RP ID \"127.0.0.1\"");
    o = (soft_authn_opts){.set_flags = true, .flags = 0x44};
    register_refused(&k, &o, 400, "user-present (UP) flag is not set");
    o = (soft_authn_opts){.set_flags = true, .flags = 0x05};
    register_refused(&k, &o, 400, "without attested credential data");

    /* UV required by the begin: an authenticator that only tests presence is refused */
    json_t *opts = begin(&k, BASE "/registration:begin", k.user_id, "required"), *reply = NULL;
    o = (soft_authn_opts){.set_flags = true, .flags = 0x41};
    assert_int_equal(finish(&k, BASE "/registration:finish", soft_authn_create(k.authn, opts, &o), &reply), 400);
    assert_non_null(strstr(str(reply, "message"), "user-verified (UV) flag is not set"));
    json_decref(reply);
    json_decref(opts);

    /* a challenge is single use: the same response again is refused, and so is a second credential */
    opts = begin(&k, BASE "/registration:begin", k.user_id, NULL);
    json_t *cred = soft_authn_create(k.authn, opts, NULL);
    assert_int_equal(finish(&k, BASE "/registration:finish", json_incref(cred), &reply), 200);
    json_decref(reply);
    assert_int_equal(finish(&k, BASE "/registration:finish", cred, &reply), 400);
    assert_non_null(strstr(str(reply, "message"), "used or expired"));
    json_decref(reply);
    json_decref(opts);
    /* the same authenticator registering its credential again: 409 */
    register_refused(&k, NULL, 409, "is already registered");
    stop(&k);
}

static void authentication_checks(void **state)
{
    kit k = start(state, -7);
    json_decref(register_ok(&k, NULL));
    soft_authn_opts o = {.origin = "http://127.0.0.1:1"};
    sign_in_refused(&k, &o, 400, "is not an origin of this environment");
    o = (soft_authn_opts){.challenge = "bm90LWEtY2hhbGxlbmdl"};
    sign_in_refused(&k, &o, 400, "challenge is not one this environment issued");
    o = (soft_authn_opts){.type = "webauthn.create"};
    sign_in_refused(&k, &o, 400, "expected \"webauthn.get\"");
    o = (soft_authn_opts){.rp_id = "localhost"};
    sign_in_refused(&k, &o, 400, "rpIdHash");
    o = (soft_authn_opts){.set_flags = true, .flags = 0x04};
    sign_in_refused(&k, &o, 400, "user-present (UP) flag is not set");
    o = (soft_authn_opts){.bad_signature = true};
    sign_in_refused(&k, &o, 400, "assertion signature does not verify");

    json_t *reply = NULL;
    o = (soft_authn_opts){.set_count = true, .sign_count = 40};
    assert_int_equal(sign_in(&k, k.user_id, &o, &reply), 200);
    json_decref(reply);
    o.sign_count = 40;   /* the same counter again: a clone */
    sign_in_refused(&k, &o, 400, "signature counter 40 is not greater than the stored 40");
    o.sign_count = 7;
    sign_in_refused(&k, &o, 400, "possibly a cloned authenticator");
    o.sign_count = 41;
    assert_int_equal(sign_in(&k, k.user_id, &o, &reply), 200);
    json_decref(reply);

    /* an assertion replayed: its challenge is spent */
    json_t *opts = begin(&k, BASE "/authentication:begin", k.user_id, NULL);
    o.sign_count = 50;
    json_t *cred = soft_authn_get(k.authn, opts, &o);
    assert_int_equal(finish(&k, BASE "/authentication:finish", json_incref(cred), &reply), 200);
    json_decref(reply);
    assert_int_equal(finish(&k, BASE "/authentication:finish", cred, &reply), 400);
    assert_non_null(strstr(str(reply, "message"), "used or expired"));
    json_decref(reply);
    json_decref(opts);

    /* a challenge begun for another user does not accept this credential */
    kit other = start(state, -7);
    json_decref(register_ok(&other, NULL));
    json_t *reply2 = NULL;
    assert_int_equal(sign_in(&k, other.user_id, NULL, &reply2), 400);
    assert_non_null(strstr(str(reply2, "message"), "is not one of user"));
    json_decref(reply2);
    stop(&other);
    stop(&k);
}

/* PUT /_emulator/webauthn/related-origins with @p body: the status, the reply in *out. */
static long put_origins(const kit *k, const char *body, json_t **out)
{
    char url[512];
    snprintf(url, sizeof url, "%s/_emulator/webauthn/related-origins", k->s->f->url);
    static const char *const headers[] = {"Content-Type: application/json", NULL};
    return emu_http_call("PUT", url, headers, body, out);
}

static void related_origins(void **state)
{
    kit k = start(state, -7);
    soft_authn_opts app = {.origin = "https://app.example"};
    register_refused(&k, &app, 400, "origin \"https://app.example\" is not an origin of this environment");
    json_t *reply = NULL;
    assert_int_equal(put_origins(&k, "{\"origins\":[\"https://app.example\",\"http://localhost:3000\"]}", &reply), 200);
    json_t *list = json_object_get(reply, "origins");
    assert_int_equal(json_array_size(list), 3);
    assert_string_equal(json_string_value(json_array_get(list, 0)), k.s->f->url);
    assert_string_equal(json_string_value(json_array_get(list, 1)), "https://app.example");
    json_decref(reply);
    char *page = NULL;
    assert_int_equal(ukit_get_page(k.s, "GET", "/.well-known/webauthn", &page), 200);
    assert_non_null(strstr(page, "http://localhost:3000"));
    free(page);
    json_decref(register_ok(&k, &app));
    assert_int_equal(sign_in(&k, k.user_id, &app, &reply), 200);
    json_decref(reply);

    /* only whole origins, at most ten */
    static const char *const bad[] = {
        "{\"origins\":[\"https://app.example/login\"]}", "{\"origins\":[\"app.example\"]}",
        "{\"origins\":[\"https://app.example/\"]}", "{\"origins\":[1]}", "{\"origins\":\"https://a.example\"}",
        ("{\"origins\":[\"https://a.a\",\"https://b.a\",\"https://c.a\",\"https://d.a\",\"https://e.a\","
         "\"https://f.a\",\"https://g.a\",\"https://h.a\",\"https://i.a\",\"https://j.a\",\"https://k.a\"]}"),
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (put_origins(&k, bad[i], &reply) != 400)
            fail_msg("accepted %s", bad[i]);
        json_decref(reply);
    }
    /* cleared: the app's origin is refused again */
    assert_int_equal(put_origins(&k, "{\"origins\":[]}", &reply), 200);
    assert_int_equal(json_array_size(json_object_get(reply, "origins")), 1);
    json_decref(reply);
    sign_in_refused(&k, &app, 400, "is not an origin of this environment");
    stop(&k);
}

static void deleted_credential_cannot_sign_in(void **state)
{
    kit k = start(state, -7);
    json_t *cred = register_ok(&k, NULL);
    char path[256];
    snprintf(path, sizeof path, BASE "/credentials/%s", str(cred, "id"));
    json_t *reply = NULL;
    assert_int_equal(emu_raw_fixture_api(k.s, "DELETE", path, NULL, &reply), 200);
    json_decref(reply);
    json_decref(cred);
    sign_in_refused(&k, NULL, 404, "is not registered");
    stop(&k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(options_name_the_environment),
        cmocka_unit_test(register_none_then_sign_in),
        cmocka_unit_test(register_packed_self_attestation),
        cmocka_unit_test(rs256_keys),
        cmocka_unit_test(registration_checks),
        cmocka_unit_test(authentication_checks),
        cmocka_unit_test(related_origins),
        cmocka_unit_test(deleted_credential_cannot_sign_in),
    };
    return cmocka_run_group_tests(tests, emu_raw_fixture_setup, emu_raw_fixture_teardown);
}
