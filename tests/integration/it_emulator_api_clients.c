/*
 * Who may call the emulator's /api/v1 (issue 8): only client-credentials tokens
 * of the environment's API clients. A signed-in user's access token, an ID
 * token and an IdP-initiated login token are refused with 401 and the API's
 * error body, as is any token this emulator signed that fails one of the
 * admission checks. And the verified-token cache of the bearer check: hits
 * skip verification, revocation and key changes take effect at once, exp and
 * a key's grace period are honoured on every hit.
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
#include "environment.h"

/* A loopback redirect URI: allowed without registration (RFC 8252). */
#define REDIRECT "http://127.0.0.1:9/callback"
#define CREATE_BODY "{\"display_name\":\"Admission Test\"}"

/* @p method @p path with "Authorization: Bearer @p token"; the status, the body in *out when wanted. */
static long api_call(const emu_fixture *f, const char *method, const char *path, const char *token,
                     const char *body, json_t **out)
{
    char url[512];
    emu_fixture_url(f, path, url, sizeof url);
    skit_buf auth = SKIT_BUF_INIT;
    skit_buf_printf(&auth, "Authorization: Bearer %s", token);
    const char *hdrs[] = {auth.ptr, "Content-Type: application/json", NULL};
    emu_http_response r;
    emu_http(method, url, hdrs, body, &r);
    skit_buf_free(&auth);
    if (out)
        *out = emu_http_json(&r);
    long status = r.status;
    emu_http_response_free(&r);
    return status;
}

/* POST /api/v1/organizations with @p token must be a 401 with the API's error body. */
static void assert_refused(const emu_fixture *f, const char *token, const char *what)
{
    json_t *body = NULL;
    long status = api_call(f, "POST", "/api/v1/organizations", token, CREATE_BODY, &body);
    if (status != 401)
        fail_msg("%s: POST /api/v1/organizations answered %ld (expected 401)", what, status);
    assert_int_equal(json_integer_value(json_object_get(body, "code")), 16);
    assert_non_null(strstr(json_string_value(json_object_get(body, "message")), "unauthenticated"));
    json_t *info = json_array_get(json_object_get(body, "details"), 0);
    assert_string_equal(json_string_value(json_object_get(info, "error_code")), "UNAUTHENTICATED");
    json_decref(body);
}

static void assert_admitted(const emu_fixture *f, const char *token)
{
    json_t *body = NULL;
    assert_int_equal(api_call(f, "POST", "/api/v1/organizations", token, CREATE_BODY, &body), 201);
    assert_non_null(json_string_value(json_object_get(json_object_get(body, "organization"), "id")));
    json_decref(body);
}

/* Admitted and answered: an unknown organization is a 404, not a 401. */
static long get_missing(const emu_fixture *f, const char *token)
{
    return api_call(f, "GET", "/api/v1/organizations/org_missing", token, NULL, NULL);
}

static void test_only_api_client_tokens_manage_the_environment(void **state)
{
    emu_fixture *f = *state;
    json_t *user = emu_test_user_tokens(f->emu, "enduser@example.com", REDIRECT);
    assert_non_null(user);
    assert_refused(f, json_string_value(json_object_get(user, "access_token")), "a user's access token");
    assert_refused(f, json_string_value(json_object_get(user, "id_token")), "an ID token");
    json_decref(user);
    char *login = emu_fixture_idp_token(f, "{\"connection_id\":\"conn_1\",\"login_hint\":\"a@example.com\"}");
    assert_refused(f, login, "an IdP-initiated login token");
    free(login);

    char *api = emu_test_client_token(f->emu);
    assert_non_null(api);
    assert_admitted(f, api);
    /* Still refused after the API client's token is cached: the cache holds admissions only. */
    user = emu_test_user_tokens(f->emu, "enduser@example.com", REDIRECT);
    assert_refused(f, json_string_value(json_object_get(user, "access_token")), "a user's access token, again");
    json_decref(user);
    free(api);
}

/* A token signed by the emulator itself with the claims of a client-credentials
 * token of its client, jti @p jti, and @p change (a JSON object) merged over them. */
static char *signed_token(const emu_fixture *f, const char *jti, const char *change)
{
    int64_t now = skit_now();
    json_t *c = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s}", "iss", f->url, "sub", f->client_id,
                          "client_id", f->client_id, "aud", f->client_id, "gty", EMU_GTY_CLIENT_CREDENTIALS,
                          "iat", (json_int_t)now, "exp", (json_int_t)now + 600, "jti", jti);
    json_t *patch = json_loads(change, 0, NULL);
    assert_non_null(patch);
    assert_int_equal(json_object_update(c, patch), 0);
    char *jwt = NULL;
    assert_int_equal(emu_keys_sign(f->emu, c, &jwt), 0);
    json_decref(patch);
    json_decref(c);
    return jwt;
}

static void test_each_admission_check_refuses(void **state)
{
    emu_fixture *f = *state;
    /* The jti of a real client-credentials token: each case below gets one thing wrong. */
    char *real = emu_test_client_token(f->emu);
    json_t *payload = emu_test_jwt_payload(real);
    assert_string_equal(json_string_value(json_object_get(payload, "gty")), EMU_GTY_CLIENT_CREDENTIALS);
    const char *jti = json_string_value(json_object_get(payload, "jti"));

    /* The same claims as the real token are admitted: the cases below fail for their one change. */
    char *same = signed_token(f, jti, "{}");
    assert_admitted(f, same);
    free(same);
    static const struct { const char *change; const char *what; } cases[] = {
        {"{\"jti\":\"tkn_never_issued\"}", "a jti never issued"},
        {"{\"gty\":\"authorization_code\"}", "another grant"},
        {"{\"gty\":null}", "no grant"},
        {"{\"sub\":\"usr_someone\"}", "a subject other than the client"},
        {"{\"client_id\":\"skc_not_registered\",\"sub\":\"skc_not_registered\"}", "an unregistered client"},
        {"{\"exp\":1}", "an expired token"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *jwt = signed_token(f, jti, cases[i].change);
        assert_refused(f, jwt, cases[i].what);
        free(jwt);
    }
    json_decref(payload);
    free(real);
}

static void test_cached_token_is_refused_at_once_after_revocation(void **state)
{
    emu_fixture *f = *state;
    char *token = emu_test_client_token(f->emu);
    uint64_t before = emu_api_auth_verifications(f->emu);
    for (int i = 0; i < 5; i++)
        assert_int_equal(get_missing(f, token), 404);
    /* Verified once, then served from the cache. */
    assert_int_equal(emu_api_auth_verifications(f->emu) - before, 1);

    assert_true(emu_fixture_revoke_api_tokens(f) >= 1);
    assert_refused(f, token, "a revoked, cached token");
    char *fresh = emu_test_client_token(f->emu);
    assert_int_equal(get_missing(f, fresh), 404);
    free(fresh);
    free(token);
}

static void test_cache_hit_rechecks_exp(void **state)
{
    scalekit_emulator_options o = {.access_token_ttl_seconds = 1};
    emu_fixture *f = emu_fixture_start(&o, NULL);
    char *token = emu_test_client_token(f->emu);
    assert_int_equal(get_missing(f, token), 404);
    uint64_t verified = emu_api_auth_verifications(f->emu);
    skit_sleep_ms(2100);
    assert_refused(f, token, "an expired, cached token");
    /* Refused by the cache hit itself, without verifying again. */
    assert_int_equal(emu_api_auth_verifications(f->emu), verified);
    free(token);
    emu_fixture_stop(f);
}

static void test_cache_follows_key_rotation_and_grace(void **state)
{
    /* Grace is counted in whole seconds from before the new key is generated.
     * 6 leaves the checks right after the rotation five seconds even on a
     * loaded machine (an RSA key generation alone took seconds there). */
    scalekit_emulator_options o = {.key_grace_seconds = 6};
    emu_fixture *f = emu_fixture_start(&o, NULL);
    char *token = emu_test_client_token(f->emu);
    assert_int_equal(get_missing(f, token), 404);
    uint64_t verified = emu_api_auth_verifications(f->emu);
    free(emu_fixture_rotate_keys(f));
    int64_t rotated = skit_now();   /* the key retired at or before this second */
    /* A rotation invalidates the cache: the old token is verified again, and
     * still admitted while its key is in its grace period. */
    assert_int_equal(get_missing(f, token), 404);
    assert_int_equal(emu_api_auth_verifications(f->emu), verified + 1);
    assert_int_equal(get_missing(f, token), 404);
    assert_int_equal(emu_api_auth_verifications(f->emu), verified + 1);
    while (skit_now() <= rotated + 6)
        skit_sleep_ms(100);
    /* The grace period is over: the cached admission is gone with it. */
    assert_refused(f, token, "a cached token whose key left /keys");
    char *fresh = emu_test_client_token(f->emu);
    assert_int_equal(get_missing(f, fresh), 404);
    free(fresh);
    free(token);
    emu_fixture_stop(f);
}

static int setup(void **state)
{
    *state = emu_fixture_start(NULL, NULL);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_only_api_client_tokens_manage_the_environment),
        cmocka_unit_test(test_each_admission_check_refuses),
        cmocka_unit_test(test_cached_token_is_refused_at_once_after_revocation),
        cmocka_unit_test(test_cache_hit_rechecks_exp),
        cmocka_unit_test(test_cache_follows_key_rotation_and_grace),
    };
    return cmocka_run_group_tests(tests, setup, emu_fixture_teardown);
}
