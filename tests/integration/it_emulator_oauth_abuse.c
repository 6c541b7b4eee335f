/*
 * The emulator's token endpoint under abuse (issue 8): a PKCE downgrade, a
 * reused code, a replayed refresh token, guessed client secrets, and signing
 * keys rotated in a loop. Access-token revocation is read through
 * /_emulator/tokens:introspect (an RFC 7662-style answer).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/core.h"
#include "emu_testhttp.h"
#include "environment.h"

#define REDIRECT "http://127.0.0.1:5555/callback"   /* loopback: needs no registration */
#define VERIFIER "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-and-some-more-chars"

static scalekit_emulator *start(int64_t key_grace_seconds)
{
    scalekit_emulator_options o = {.quiet = 1, .key_grace_seconds = key_grace_seconds};
    scalekit_emulator *env = NULL;
    assert_int_equal(scalekit_emulator_start(&o, &env), 0);
    return env;
}

/* POST @p form to /oauth/token; the answer as JSON (new reference), the status in *status. */
static json_t *token_call(const scalekit_emulator *env, const char *form, long *status, char *retry_after,
                          size_t retry_after_len)
{
    char url[256];
    snprintf(url, sizeof url, "%s/oauth/token", scalekit_emulator_url(env));
    emu_http_response r;
    emu_http("POST", url, NULL, form, &r);
    *status = r.status;
    if (retry_after && !emu_http_header(&r, "Retry-After", retry_after, retry_after_len))
        retry_after[0] = '\0';
    json_t *j = emu_http_json(&r);
    emu_http_response_free(&r);
    assert_non_null(j);
    return j;
}

static const char *error_of(const json_t *j)
{
    const char *e = json_string_value(json_object_get(j, "error"));
    return e ? e : "(none)";
}

/* Exchange @p code (with @p verifier when not NULL); the answer and its status. */
static json_t *exchange(const scalekit_emulator *env, const char *code, const char *verifier, long *status)
{
    char form[2048];
    snprintf(form, sizeof form, "grant_type=authorization_code&client_id=%s&client_secret=%s&code=%s"
                                "&redirect_uri=%s%s%s", scalekit_emulator_client_id(env),
             scalekit_emulator_client_secret(env), code, REDIRECT,
             verifier ? "&code_verifier=" : "", verifier ? verifier : "");
    return token_call(env, form, status, NULL, 0);
}

static json_t *refresh(const scalekit_emulator *env, const char *refresh_token, long *status)
{
    char form[1024];
    snprintf(form, sizeof form, "grant_type=refresh_token&client_id=%s&client_secret=%s&refresh_token=%s",
             scalekit_emulator_client_id(env), scalekit_emulator_client_secret(env), refresh_token);
    return token_call(env, form, status, NULL, 0);
}

/* Sign in and exchange the code: the token answer (asserted 200). */
static json_t *sign_in(const scalekit_emulator *env, const char *email, char **code_out)
{
    char *code = emu_test_login(env, email, REDIRECT, NULL);
    assert_non_null(code);
    long status;
    json_t *tokens = exchange(env, code, NULL, &status);
    if (status != 200)
        fail_msg("code exchange answered %ld: %s", status, error_of(tokens));
    if (code_out)
        *code_out = code;
    else
        free(code);
    return tokens;
}

/* Whether the emulator still honours @p access_token (its introspection control). */
static bool active(const scalekit_emulator *env, const char *access_token)
{
    char url[256], body[4096];
    snprintf(url, sizeof url, "%s/_emulator/tokens:introspect", scalekit_emulator_url(env));
    snprintf(body, sizeof body, "{\"token\":\"%s\"}", access_token);
    json_t *j = NULL;
    assert_int_equal(emu_http_call("POST", url, NULL, body, &j), 200);
    assert_true(json_is_boolean(json_object_get(j, "active")));
    bool a = json_is_true(json_object_get(j, "active"));
    json_decref(j);
    return a;
}

static const char *member(const json_t *j, const char *name)
{
    const char *v = json_string_value(json_object_get(j, name));
    assert_non_null(v);
    return v;
}

/* RFC 9700 section 2.1.1: a code_verifier for a code issued without a challenge is refused. */
static void test_pkce_downgrade_is_refused(void **state)
{
    scalekit_emulator *env = start(0);
    char *code = emu_test_login(env, "downgrade@example.com", REDIRECT, NULL);
    assert_non_null(code);
    long status;
    json_t *j = exchange(env, code, VERIFIER, &status);
    assert_int_equal(status, 400);
    assert_string_equal(error_of(j), "invalid_grant");
    assert_non_null(strstr(member(j, "error_description"), "code_challenge"));
    json_decref(j);
    free(code);

    /* The same flow without a verifier is a plain (non-PKCE) exchange and works. */
    json_decref(sign_in(env, "downgrade@example.com", NULL));
    scalekit_emulator_stop(env);
}

/* RFC 6749 section 4.1.2: a second exchange of a code revokes what the first one issued. */
static void test_code_reuse_revokes_the_issued_tokens(void **state)
{
    scalekit_emulator *env = start(0);
    char *code = NULL;
    json_t *first = sign_in(env, "reuse@example.com", &code);
    const char *access = member(first, "access_token");
    assert_true(active(env, access));

    long status;
    json_t *again = exchange(env, code, NULL, &status);
    assert_int_equal(status, 400);
    assert_string_equal(error_of(again), "invalid_grant");
    json_decref(again);

    assert_false(active(env, access));
    json_t *r = refresh(env, member(first, "refresh_token"), &status);
    assert_int_equal(status, 400);
    assert_string_equal(error_of(r), "invalid_grant");
    json_decref(r);

    /* Another user's grant is untouched. */
    json_t *other = sign_in(env, "bystander@example.com", NULL);
    assert_true(active(env, member(other, "access_token")));
    r = refresh(env, member(other, "refresh_token"), &status);
    assert_int_equal(status, 200);
    json_decref(r);
    json_decref(other);
    json_decref(first);
    free(code);
    scalekit_emulator_stop(env);
}

/* RFC 9700 section 4.14: a rotated refresh token presented again revokes its whole family. */
static void test_refresh_replay_revokes_the_family(void **state)
{
    scalekit_emulator *env = start(0);
    long status;
    json_t *t1 = sign_in(env, "replay@example.com", NULL);
    json_t *t2 = refresh(env, member(t1, "refresh_token"), &status);
    assert_int_equal(status, 200);
    json_t *t3 = refresh(env, member(t2, "refresh_token"), &status);
    assert_int_equal(status, 200);
    assert_true(active(env, member(t3, "access_token")));

    json_t *replay = refresh(env, member(t1, "refresh_token"), &status);
    assert_int_equal(status, 400);
    assert_string_equal(error_of(replay), "invalid_grant");
    json_decref(replay);

    /* The newest refresh token of the family and every access token are dead. */
    json_t *r = refresh(env, member(t3, "refresh_token"), &status);
    assert_int_equal(status, 400);
    assert_string_equal(error_of(r), "invalid_grant");
    json_decref(r);
    assert_false(active(env, member(t1, "access_token")));
    assert_false(active(env, member(t2, "access_token")));
    assert_false(active(env, member(t3, "access_token")));
    json_decref(t1);
    json_decref(t2);
    json_decref(t3);
    scalekit_emulator_stop(env);
}

static long client_credentials(const scalekit_emulator *env, const char *client_id, const char *secret,
                               char *retry_after, size_t n, json_t **answer)
{
    char form[512];
    snprintf(form, sizeof form, "grant_type=client_credentials&client_id=%s&client_secret=%s", client_id, secret);
    long status;
    json_t *j = token_call(env, form, &status, retry_after, n);
    if (answer)
        *answer = j;
    else
        json_decref(j);
    return status;
}

/* After EMU_AUTH_FAIL_LIMIT wrong secrets within the window, even the right one
 * gets 429 with Retry-After until the window ends; successes do not count;
 * made-up client ids are limited apart from the real one. */
static void test_failed_client_authentication_is_rate_limited(void **state)
{
    scalekit_emulator *env = start(0);
    const char *id = scalekit_emulator_client_id(env), *secret = scalekit_emulator_client_secret(env);
    char retry[32];
    json_t *j = NULL;

    /* Unknown client ids share one bucket: they get 429, the real client does not. */
    for (int i = 0; i < EMU_AUTH_FAIL_LIMIT; i++) {
        char made_up[32];
        snprintf(made_up, sizeof made_up, "skc_made_up_%d", i);
        assert_int_equal(client_credentials(env, made_up, "x", retry, sizeof retry, NULL), 401);
    }
    assert_int_equal(client_credentials(env, "skc_made_up_again", "x", retry, sizeof retry, NULL), 429);
    assert_int_equal(client_credentials(env, id, secret, retry, sizeof retry, NULL), 200);

    /* Wrong secrets with successes in between: only the failures count. */
    for (int i = 0; i < EMU_AUTH_FAIL_LIMIT; i++) {
        assert_int_equal(client_credentials(env, id, "wrong", retry, sizeof retry, NULL), 401);
        if (i % 3 == 0 && i + 1 < EMU_AUTH_FAIL_LIMIT)
            assert_int_equal(client_credentials(env, id, secret, retry, sizeof retry, NULL), 200);
    }
    assert_int_equal(client_credentials(env, id, secret, retry, sizeof retry, &j), 429);
    assert_string_equal(error_of(j), "temporarily_unavailable");
    assert_non_null(json_object_get(j, "error_description"));
    json_decref(j);
    long wait = strtol(retry, NULL, 10);
    assert_true(wait >= 1 && wait <= EMU_AUTH_FAIL_WINDOW_MS / 1000);

    /* Retry-After is honest: once it has passed, the right secret works again. */
    sleep((unsigned)wait);
    assert_int_equal(client_credentials(env, id, secret, retry, sizeof retry, NULL), 200);
    scalekit_emulator_stop(env);
}

static size_t published_keys(const scalekit_emulator *env)
{
    char url[256];
    snprintf(url, sizeof url, "%s/keys", scalekit_emulator_url(env));
    json_t *j = NULL;
    assert_int_equal(emu_http_call("GET", url, NULL, NULL, &j), 200);
    size_t n = json_array_size(json_object_get(j, "keys"));
    json_decref(j);
    return n;
}

static long stored_keys(scalekit_emulator *env)
{
    json_t *row = emu_db_row(env->store, "SELECT COUNT(*) AS n FROM signing_keys", "");
    long n = (long)json_integer_value(json_object_get(row, "n"));
    json_decref(row);
    return n;
}

/* Each rotation generates an RSA-2048 key (about 0.25 s here under ASan), so 50
 * rotations, not hundreds: the bound is checked after every one of them. */
#define ROTATIONS 50

/* Rotated-out keys leave /keys, the ring and the store once their grace has
 * passed, so a loop of rotations leaves a bounded key set behind. */
static void test_key_rotation_is_bounded(void **state)
{
    scalekit_emulator *env = start(1);
    char url[256];
    snprintf(url, sizeof url, "%s/_emulator/keys:rotate", scalekit_emulator_url(env));
    char *before = emu_test_client_token(env);
    assert_non_null(before);
    int64_t rotated_at[ROTATIONS];
    for (int i = 0; i < ROTATIONS; i++) {
        emu_http_response r;
        emu_http("POST", url, NULL, "{}", &r);
        assert_int_equal(r.status, 200);
        emu_http_response_free(&r);
        rotated_at[i] = skit_now();
        /* Held: the current key and those retired within the last grace second
         * (two seconds of slack for the clock ticking between the calls). */
        size_t recent = 0;
        for (int k = 0; k <= i; k++)
            recent += rotated_at[k] >= skit_now() - 2;
        size_t n = published_keys(env);
        if (n > 1 + recent)
            fail_msg("after rotation %d /keys holds %zu keys, more than 1 + %zu rotated within the grace", i + 1,
                     n, recent);
    }
    sleep(2);   /* past the grace of every rotated-out key */
    assert_int_equal(published_keys(env), 1);
    assert_int_equal(stored_keys(env), 1);
    assert_int_equal(env->keys.count, 1);

    /* Tokens of the current key work; one signed by a pruned key does not. */
    char *after = emu_test_client_token(env);
    assert_non_null(after);
    assert_true(active(env, after));
    assert_false(active(env, before));
    free(before);
    free(after);
    scalekit_emulator_stop(env);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pkce_downgrade_is_refused),
        cmocka_unit_test(test_code_reuse_revokes_the_issued_tokens),
        cmocka_unit_test(test_refresh_replay_revokes_the_family),
        cmocka_unit_test(test_failed_client_authentication_is_rate_limited),
        cmocka_unit_test(test_key_rotation_is_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
