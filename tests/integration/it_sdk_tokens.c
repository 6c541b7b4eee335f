/*
 * Token validation and the client-credentials grant against the in-process
 * emulator: issuer, audience and scope checks, access-token claims, key
 * rotation (refetch on an unknown kid, old keys during the grace period, the
 * refetch cooldown), and the API token refreshed after the emulator revokes it.
 * Against an external environment too (emu_fixture_start_env): there the tests
 * needing the hosted login or the emulator's controls skip, and claims only the
 * emulator promises (the audience being the client id, the scopes granted as
 * asked) are checked in emulator mode only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"
#include "emu_fixture.h"
#include "client/client.h"
#include "jose/jose.h"

/* A client-credentials token of @p client with @p scopes; the token (malloc'd). */
static char *client_token(scalekit_client *client, const char *const *scopes)
{
    scalekit_client_token_options o = { .struct_size = sizeof(scalekit_client_token_options), .scopes = scopes};
    scalekit_token_response *t = NULL;
    int rc = scalekit_generate_client_token(client, &o, &t);
    if (rc != SCALEKIT_OK)
        fail_msg("scalekit_generate_client_token: %s: %s", scalekit_strerror(rc), emu_fixture_last_message());
    char *copy = strdup(t->access_token);
    scalekit_token_response_free(t);
    return copy;
}

static void test_client_token_and_its_refusals(void **state)
{
    emu_fixture *f = *state;
    int external = emu_fixture_is_external(f);
    /* A real environment grants only the scopes configured for its client: ask for none there. */
    const char *scopes[] = {"read:users", "write:users", NULL};
    scalekit_client_token_options o = { .struct_size = sizeof(scalekit_client_token_options), .scopes = external ? NULL : scopes};
    scalekit_token_response *t = NULL;
    assert_int_equal(scalekit_generate_client_token(f->client, &o, &t), SCALEKIT_OK);
    assert_non_null(t->access_token);
    assert_true(t->expires_in > 0);
    assert_non_null(t->token_type);
    if (!external) {
        assert_non_null(t->scope);
        assert_string_equal(t->scope, "read:users write:users");
    }
    assert_int_equal(scalekit_validate_access_token(f->client, t->access_token), SCALEKIT_OK);
    scalekit_token_response_free(t);

    /* Explicit credentials, the right ones. */
    scalekit_client_token_options same = { .struct_size = sizeof(scalekit_client_token_options), .client_id = f->client_id, .client_secret = f->client_secret};
    assert_int_equal(scalekit_generate_client_token(f->client, &same, &t), SCALEKIT_OK);
    scalekit_token_response_free(t);

    scalekit_client_token_options wrong = { .struct_size = sizeof(scalekit_client_token_options), .client_secret = "wrong-secret"};
    t = (scalekit_token_response *)1;
    assert_int_equal(scalekit_generate_client_token(f->client, &wrong, &t), SCALEKIT_EUNAUTHENTICATED);
    assert_null(t);
    assert_int_equal(scalekit_error_last()->code, SCALEKIT_EUNAUTHENTICATED);
    assert_non_null(scalekit_error_last()->error_code);
    assert_string_equal(scalekit_error_last()->error_code, "invalid_client");

    scalekit_client_token_options unknown = { .struct_size = sizeof(scalekit_client_token_options), .client_id = "skc_unknown", .client_secret = "x"};
    assert_int_equal(scalekit_generate_client_token(f->client, &unknown, &t), SCALEKIT_EUNAUTHENTICATED);
    assert_string_equal(scalekit_error_last()->error_code, "invalid_client");

    /* A client built with a wrong secret fails the same way. */
    scalekit_client *bad = NULL;
    assert_int_equal(scalekit_client_new(&bad, f->url, f->client_id, "wrong-secret"), SCALEKIT_OK);
    assert_int_equal(scalekit_generate_client_token(bad, NULL, &t), SCALEKIT_EUNAUTHENTICATED);
    assert_string_equal(scalekit_error_last()->error_code, "invalid_client");
    scalekit_client_free(bad);
    assert_int_equal(scalekit_generate_client_token(f->client, NULL, NULL), SCALEKIT_EINVAL);
}

/*
 * The issuer is the environment URL everywhere (Scalekit's tokens name it as iss);
 * the audience, subject, client_id and jti claims and the granted scopes are
 * what the emulator puts, which a real environment need not match, so those
 * are asserted in emulator mode only.
 */
static void test_validate_token_checks_issuer_audience_scopes(void **state)
{
    emu_fixture *f = *state;
    int external = emu_fixture_is_external(f);
    const char *granted[] = {"read:users", "write:users", NULL};
    char *token = client_token(f->client, external ? NULL : granted);

    const char *aud_ok[] = {"someone-else", f->client_id, NULL};
    const char *need_ok[] = {"write:users", "read:users", NULL};
    scalekit_validate_options ok = { .struct_size = sizeof(scalekit_validate_options), .issuer = f->url, .audiences = external ? NULL : aud_ok,
                                    .required_scopes = external ? NULL : need_ok};
    scalekit_claims *c = NULL;
    int rc = scalekit_validate_token(f->client, token, &ok, &c);
    if (rc != SCALEKIT_OK)
        fail_msg("%s: %s", scalekit_strerror(rc), emu_fixture_last_message());
    assert_string_equal(scalekit_claims_issuer(c), f->url);
    if (!external) {
        assert_string_equal(scalekit_claims_subject(c), f->client_id);
        assert_string_equal(scalekit_claims_audiences(c)[0], f->client_id);
        assert_null(scalekit_claims_audiences(c)[1]);
        assert_string_equal(scalekit_claims_get_string(c, "client_id"), f->client_id);
        assert_non_null(scalekit_claims_get_string(c, "jti"));
        assert_non_null(strstr(scalekit_claims_json(c), "\"jti\""));
    }
    int64_t exp = 0;
    assert_true(scalekit_claims_get_int64(c, "exp", &exp));
    assert_int_equal(exp, scalekit_claims_expires_at(c));
    assert_true(scalekit_claims_expires_at(c) > scalekit_claims_issued_at(c));
    scalekit_claims_free(c);

    char other_issuer[200];
    snprintf(other_issuer, sizeof other_issuer, "%s/other", f->url);
    scalekit_validate_options bad_iss = { .struct_size = sizeof(scalekit_validate_options), .issuer = other_issuer};
    c = (scalekit_claims *)1;
    assert_int_equal(scalekit_validate_token(f->client, token, &bad_iss, &c), SCALEKIT_ETOKEN_CLAIM);
    assert_null(c);
    assert_non_null(strstr(emu_fixture_last_message(), "iss"));

    const char *aud_bad[] = {"someone-else", NULL};
    scalekit_validate_options bad_aud = { .struct_size = sizeof(scalekit_validate_options), .audiences = aud_bad};
    assert_int_equal(scalekit_validate_token(f->client, token, &bad_aud, NULL), SCALEKIT_ETOKEN_CLAIM);
    assert_non_null(strstr(emu_fixture_last_message(), "aud"));

    /* Externally the token has no read:users, which would be the scope named missing. */
    const char *need_more[] = {"read:users", "delete:users", NULL};
    scalekit_validate_options bad_scope = { .struct_size = sizeof(scalekit_validate_options), .required_scopes = external ? need_more + 1 : need_more};
    assert_int_equal(scalekit_validate_token(f->client, token, &bad_scope, NULL), SCALEKIT_ETOKEN_CLAIM);
    assert_non_null(strstr(emu_fixture_last_message(), "delete:users"));

    /* The same checks pass again after the failures (nothing cached wrongly). */
    assert_int_equal(scalekit_validate_token(f->client, token, &ok, NULL), SCALEKIT_OK);
    free(token);
}

static void test_access_token_claims_of_a_user(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "the hosted login form");
    scalekit_authentication_response *a = emu_fixture_sign_in(f, "claims@example.com");
    scalekit_access_token_claims *c = NULL;
    assert_int_equal(scalekit_get_access_token_claims(f->client, a->access_token, &c), SCALEKIT_OK);
    assert_string_equal(c->sub, a->user->id);
    assert_string_equal(c->iss, f->url);
    assert_string_equal(c->audiences[0], f->client_id);
    assert_string_equal(c->client_id, f->client_id);
    assert_non_null(c->sid);
    assert_non_null(c->jti);
    assert_true(c->exp > c->iat);
    assert_non_null(c->roles);
    assert_null(c->roles[0]);
    assert_non_null(c->permissions);
    assert_null(c->permissions[0]);
    assert_non_null(c->scopes);
    size_t n = 0;
    bool has_openid = false;
    for (; c->scopes[n]; n++)
        has_openid |= strcmp(c->scopes[n], "openid") == 0;
    assert_int_equal(n, 3);
    assert_true(has_openid);
    assert_non_null(strstr(c->raw_json, a->user->id));
    scalekit_access_token_claims_free(c);
    scalekit_authentication_response_free(a);
}

static void test_bad_tokens_are_refused(void **state)
{
    emu_fixture *f = *state;
    char *token = client_token(f->client, NULL);
    assert_int_equal(scalekit_validate_access_token(f->client, token), SCALEKIT_OK);
    char *tampered = strdup(token);
    size_t n = strlen(tampered);
    tampered[n - 5] = tampered[n - 5] == 'A' ? 'B' : 'A';
    assert_int_equal(scalekit_validate_access_token(f->client, tampered), SCALEKIT_ETOKEN_SIGNATURE);
    assert_int_equal(scalekit_validate_access_token(f->client, "not.a.jwt"), SCALEKIT_ETOKEN_MALFORMED);
    assert_int_equal(scalekit_validate_access_token(f->client, ""), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_validate_access_token(f->client, NULL), SCALEKIT_EINVAL);
    scalekit_access_token_claims *c = (scalekit_access_token_claims *)1;
    assert_int_equal(scalekit_get_access_token_claims(f->client, tampered, &c), SCALEKIT_ETOKEN_SIGNATURE);
    assert_null(c);
    free(tampered);
    free(token);
}

/*
 * Tokens forged here, with a key of our own, for the environment's issuer: under
 * the environment's own kid (bad signature), under a kid it never published
 * (unknown key), and with the algorithms a verifier must never accept.
 */
static void test_forged_tokens_are_refused(void **state)
{
    emu_fixture *f = *state;
    char *real = client_token(f->client, NULL);
    skit_jws jws;
    assert_int_equal(skit_jws_parse(real, strlen(real), &jws), SCALEKIT_OK);
    assert_non_null(jws.kid);
    char *kid = strdup(jws.kid);
    /* The environment's algorithm, so only the key differs. */
    char *alg = strdup(json_string_value(json_object_get(jws.header, "alg")));
    skit_jws_clear(&jws);

    skit_signing_key *mine = NULL;
    assert_int_equal(skit_signing_key_generate(alg, kid, &mine), SCALEKIT_OK);
    int64_t now = skit_now();
    json_t *claims = json_pack("{s:s, s:s, s:I, s:I}", "iss", f->url, "sub", "forged", "iat",
                               (json_int_t)now, "exp", (json_int_t)(now + 300));
    char *forged = NULL;
    assert_int_equal(skit_jwt_sign(mine, claims, &forged), SCALEKIT_OK);
    assert_int_equal(scalekit_validate_access_token(f->client, forged), SCALEKIT_ETOKEN_SIGNATURE);
    scalekit_claims *c = (scalekit_claims *)1;
    assert_int_equal(scalekit_validate_token(f->client, forged, NULL, &c), SCALEKIT_ETOKEN_SIGNATURE);
    assert_null(c);
    free(forged);
    skit_signing_key_free(mine);

    assert_int_equal(skit_signing_key_generate(alg, "forged-kid", &mine), SCALEKIT_OK);
    assert_int_equal(skit_jwt_sign(mine, claims, &forged), SCALEKIT_OK);
    assert_int_equal(scalekit_validate_access_token(f->client, forged), SCALEKIT_ETOKEN_UNKNOWN_KEY);
    assert_non_null(strstr(emu_fixture_last_message(), "forged-kid"));
    free(forged);

    char *payload = json_dumps(claims, JSON_COMPACT);
    char header[200];
    const char *algs[] = {"none", "HS256"};
    for (size_t i = 0; i < 2; i++) {
        snprintf(header, sizeof header, "{\"alg\":\"%s\",\"typ\":\"JWT\",\"kid\":\"%s\"}", algs[i], kid);
        assert_int_equal(skit_jws_sign_raw(mine, header, payload, &forged), SCALEKIT_OK);
        assert_int_equal(scalekit_validate_access_token(f->client, forged), SCALEKIT_ETOKEN_ALGORITHM);
        free(forged);
    }
    free(payload);
    json_decref(claims);
    skit_signing_key_free(mine);
    free(alg);
    free(kid);
    free(real);
}

static void test_key_rotation(void **state)
{
    EMU_FIXTURE_REQUIRE_EMULATOR((emu_fixture *)*state, "/_emulator/keys:rotate");
    /* An emulator of its own: the shared one's clients keep their cached JWKS. */
    emu_fixture *f = emu_fixture_start(NULL, NULL);
    /* A short cooldown, so the unknown kid right after the first fetch may refetch. */
    scalekit_client_options quick = { .struct_size = sizeof(scalekit_client_options), .jwks_min_refetch_interval_ms = 1};
    scalekit_client *c = emu_fixture_client(f, &quick);
    char *old_token = client_token(c, NULL);
    assert_int_equal(scalekit_validate_access_token(c, old_token), SCALEKIT_OK);
    assert_int_equal(skit_jose_fetch_count(c), 1);

    char *kid = emu_fixture_rotate_keys(f);
    char *new_token = client_token(c, NULL);
    assert_int_equal(scalekit_validate_access_token(c, new_token), SCALEKIT_OK);
    assert_int_equal(skit_jose_fetch_count(c), 2);   /* refetched once on the unknown kid */
    scalekit_claims *claims = NULL;
    assert_int_equal(scalekit_validate_token(c, new_token, NULL, &claims), SCALEKIT_OK);
    scalekit_claims_free(claims);
    /* The old key is still published during the grace period: old tokens stay valid,
     * also for a client that never saw the old key cached. */
    assert_int_equal(scalekit_validate_access_token(c, old_token), SCALEKIT_OK);
    scalekit_client *fresh = emu_fixture_client(f, NULL);
    assert_int_equal(scalekit_validate_access_token(fresh, old_token), SCALEKIT_OK);
    assert_int_equal(scalekit_validate_access_token(fresh, new_token), SCALEKIT_OK);
    assert_int_equal(skit_jose_fetch_count(fresh), 1);
    assert_int_equal(skit_jose_fetch_count(c), 2);
    scalekit_client_free(fresh);
    free(kid);
    free(new_token);

    /* With a long cooldown, a second unknown kid within it is refused without a fetch. */
    scalekit_client_options slow = { .struct_size = sizeof(scalekit_client_options), .jwks_min_refetch_interval_ms = 600000};
    scalekit_client *s = emu_fixture_client(f, &slow);
    assert_int_equal(scalekit_validate_access_token(s, old_token), SCALEKIT_OK);
    assert_int_equal(skit_jose_fetch_count(s), 1);
    kid = emu_fixture_rotate_keys(f);
    char *third = client_token(s, NULL);
    assert_int_equal(scalekit_validate_access_token(s, third), SCALEKIT_ETOKEN_UNKNOWN_KEY);
    assert_non_null(strstr(emu_fixture_last_message(), kid));
    assert_int_equal(skit_jose_fetch_count(s), 1);
    assert_int_equal(scalekit_validate_access_token(s, third), SCALEKIT_ETOKEN_UNKNOWN_KEY);
    assert_int_equal(skit_jose_fetch_count(s), 1);
    /* The quick client catches up on its own. */
    assert_int_equal(scalekit_validate_access_token(c, third), SCALEKIT_OK);
    assert_int_equal(skit_jose_fetch_count(c), 3);
    scalekit_client_free(s);
    scalekit_client_free(c);
    free(kid);
    free(third);
    free(old_token);
    emu_fixture_stop(f);
}

static void test_rotated_out_key_after_its_grace_is_refused(void **state)
{
    EMU_FIXTURE_REQUIRE_EMULATOR((emu_fixture *)*state, "/_emulator/keys:rotate and key_grace_seconds");
    scalekit_emulator_options eo = {.key_grace_seconds = 1};
    emu_fixture *f = emu_fixture_start(&eo, NULL);
    char *old_token = client_token(f->client, NULL);
    free(emu_fixture_rotate_keys(f));
    skit_sleep_ms(2100);
    /* A client that fetches now finds only the new key. */
    scalekit_client *c = emu_fixture_client(f, NULL);
    assert_int_equal(scalekit_validate_access_token(c, old_token), SCALEKIT_ETOKEN_UNKNOWN_KEY);
    char *new_token = client_token(c, NULL);
    assert_int_equal(scalekit_validate_access_token(c, new_token), SCALEKIT_OK);
    scalekit_client_free(c);
    free(new_token);
    free(old_token);
    emu_fixture_stop(f);
}

static void test_api_token_refreshed_after_revocation(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "/_emulator/api-tokens:revoke and the hosted login form");
    scalekit_authentication_response *a = emu_fixture_sign_in(f, "api@example.com");
    char path[256];
    snprintf(path, sizeof path, "/api/v1/users/%s", a->user->id);
    scalekit_client *c = emu_fixture_client(f, NULL);

    long before = emu_fixture_tokens_issued(f);
    json_t *out = NULL;
    int rc = skit_api_call(c, "GET", path, NULL, NULL, &out);
    if (rc != SCALEKIT_OK)
        fail_msg("GET %s: %s: %s", path, scalekit_strerror(rc), emu_fixture_last_message());
    json_t *user = json_object_get(out, "user");
    assert_non_null(user);
    assert_string_equal(json_string_value(json_object_get(user, "email")), "api@example.com");
    json_decref(out);
    assert_int_equal(emu_fixture_tokens_issued(f), before + 1);   /* the API token */

    /* Cached: a second call fetches no token. */
    assert_int_equal(skit_api_call(c, "GET", path, NULL, NULL, NULL), SCALEKIT_OK);
    assert_int_equal(emu_fixture_tokens_issued(f), before + 1);

    assert_true(emu_fixture_revoke_api_tokens(f) >= 1);
    out = NULL;
    assert_int_equal(skit_api_call(c, "GET", path, NULL, NULL, &out), SCALEKIT_OK);
    assert_non_null(json_object_get(out, "user"));
    json_decref(out);
    assert_int_equal(emu_fixture_tokens_issued(f), before + 2);   /* refreshed once on the 401 */

    /* An unknown user is a clean ENOTFOUND, not a token refresh. */
    assert_int_equal(skit_api_call(c, "GET", "/api/v1/users/usr_nope", NULL, NULL, NULL), SCALEKIT_ENOTFOUND);
    assert_int_equal(scalekit_error_last()->http_status, 404);
    assert_int_equal(emu_fixture_tokens_issued(f), before + 2);

    /* Wrong credentials: the API call fails as unauthenticated. */
    scalekit_client *bad = NULL;
    assert_int_equal(scalekit_client_new(&bad, f->url, f->client_id, "wrong"), SCALEKIT_OK);
    assert_int_equal(skit_api_call(bad, "GET", path, NULL, NULL, NULL), SCALEKIT_EUNAUTHENTICATED);
    scalekit_client_free(bad);
    scalekit_client_free(c);
    scalekit_authentication_response_free(a);
}

/* The API token is fetched on first use; wrong credentials make the call unauthenticated. */
static void test_api_call_with_the_client_token(void **state)
{
    emu_fixture *f = *state;
    scalekit_client *c = emu_fixture_client(f, NULL);
    json_t *out = NULL;
    int rc = skit_api_call(c, "GET", "/api/v1/organizations", "page_size=1", NULL, &out);
    if (rc != SCALEKIT_OK)
        fail_msg("GET /api/v1/organizations: %s: %s", scalekit_strerror(rc), emu_fixture_last_message());
    assert_true(json_is_array(json_object_get(out, "organizations")));
    json_decref(out);
    scalekit_client_free(c);

    scalekit_client *bad = NULL;
    assert_int_equal(scalekit_client_new(&bad, f->url, f->client_id, "wrong"), SCALEKIT_OK);
    out = (json_t *)1;
    assert_int_equal(skit_api_call(bad, "GET", "/api/v1/organizations", "page_size=1", NULL, &out),
                     SCALEKIT_EUNAUTHENTICATED);
    assert_null(out);
    scalekit_client_free(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_token_and_its_refusals),
        cmocka_unit_test(test_validate_token_checks_issuer_audience_scopes),
        cmocka_unit_test(test_access_token_claims_of_a_user),
        cmocka_unit_test(test_bad_tokens_are_refused),
        cmocka_unit_test(test_forged_tokens_are_refused),
        cmocka_unit_test(test_key_rotation),
        cmocka_unit_test(test_rotated_out_key_after_its_grace_is_refused),
        cmocka_unit_test(test_api_token_refreshed_after_revocation),
        cmocka_unit_test(test_api_call_with_the_client_token),
    };
    return cmocka_run_group_tests(tests, emu_fixture_setup, emu_fixture_teardown);
}
