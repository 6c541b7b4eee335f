/*
 * The token endpoint calls against a mock server: the exact form bodies, the
 * decoded answers, the ID token check of the code exchange, and the errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scalekit/scalekit.h"
#include "core/core.h"
#include "jose/jose.h"
#include "mock_http.h"

#define CLIENT_ID "skc_1"
#define CLIENT_SECRET "s3cr&t=1"
#define CLIENT_SECRET_ENC "s3cr%26t%3D1"

typedef struct fixture {
    mock_http *mock;
    scalekit_client *client;
    skit_signing_key *key;
    skit_signing_key *impostor;   /* same kid, another key: its signatures must not verify */
} fixture;

/* RSA key generation is slow under the sanitizers: one pair for the whole group. */
static skit_signing_key *group_key, *group_impostor;

static int group_setup(void **state)
{
    (void)state;
    if (skit_signing_key_generate("RS256", "kid_1", &group_key) != SCALEKIT_OK ||
        skit_signing_key_generate("RS256", "kid_1", &group_impostor) != SCALEKIT_OK)
        return -1;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    skit_signing_key_free(group_key);
    skit_signing_key_free(group_impostor);
    return 0;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->key = group_key;
    f->impostor = group_impostor;
    f->mock = mock_http_start();
    scalekit_client_options o = { .struct_size = sizeof(scalekit_client_options), .max_retries = -1};
    if (scalekit_client_new_with_options(&f->client, mock_http_url(f->mock), CLIENT_ID,
                                         CLIENT_SECRET, &o) != SCALEKIT_OK)
        return -1;
    json_t *jwk = NULL;
    if (skit_signing_key_public_jwk(f->key, &jwk) != SCALEKIT_OK)
        return -1;
    json_t *jwks = json_pack("{s:[o]}", "keys", jwk);
    char *text = json_dumps(jwks, JSON_COMPACT);
    json_decref(jwks);
    mock_response keys = {.status = 200, .body = text};
    mock_http_set_default(f->mock, "/keys", &keys);
    free(text);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    scalekit_client_free(f->client);
    mock_http_stop(f->mock);
    free(f);
    return 0;
}

/* An ID token for @p iss (NULL: this mock's environment), with @p aud and the user claims. */
static char *id_token_from(const fixture *f, const char *iss, const skit_signing_key *key,
                           const char *aud)
{
    json_int_t now = (json_int_t)skit_now();
    json_t *claims = json_pack(
        "{s:s, s:s, s:s, s:I, s:I, s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:s,"
        " s:[{s:s, s:s}, {s:s, s:s}]}",
        "iss", iss ? iss : mock_http_url(f->mock), "aud", aud, "sub", "usr_42", "iat", now, "exp", now + 600,
        "email", "jo@acme.com", "email_verified", 1, "name", "Jo Doe", "given_name", "Jo",
        "family_name", "Doe", "locale", "en-GB", "picture", "https://img/jo.png",
        "phone_number", "+441234",
        "identities", "provider_name", "okta", "connection_id", "conn_1",
                      "provider_name", "google", "connection_id", "conn_2");
    assert_non_null(claims);
    char *jwt = NULL;
    assert_int_equal(skit_jwt_sign(key, claims, &jwt), SCALEKIT_OK);
    json_decref(claims);
    return jwt;
}

static char *id_token(const fixture *f, const skit_signing_key *key, const char *aud)
{
    return id_token_from(f, NULL, key, aud);
}

static char *token_answer(const char *id_tok, bool with_access_token)
{
    json_t *a = json_pack("{s:s, s:I, s:s, s:s}", "token_type", "Bearer", "expires_in",
                          (json_int_t)3600, "refresh_token", "rt_new", "scope", "openid email");
    if (with_access_token)
        json_object_set_new(a, "access_token", json_string("at_1"));
    if (id_tok)
        json_object_set_new(a, "id_token", json_string(id_tok));
    char *text = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    return text;
}

static const mock_request *only_token_request(fixture *f)
{
    assert_int_equal(mock_http_count(f->mock, "/oauth/token"), 1);
    const mock_request *r = mock_http_request_for(f->mock, "/oauth/token", 0);
    assert_non_null(r);
    assert_string_equal(r->method, "POST");
    const char *ct = mock_request_header(r, "content-type");
    assert_non_null(ct);
    assert_non_null(strstr(ct, "application/x-www-form-urlencoded"));
    assert_null(mock_request_header(r, "authorization"));   /* credentials are in the form */
    return r;
}

static void code_exchange_success(void **state)
{
    fixture *f = *state;
    char *tok = id_token(f, f->key, CLIENT_ID);
    char *answer = token_answer(tok, true);
    mock_http_enqueue(f->mock, "POST", "/oauth/token", 200, answer);

    scalekit_authentication_options o = { .struct_size = sizeof(scalekit_authentication_options), .code_verifier = "verif~ier.1"};
    scalekit_authentication_response *r = NULL;
    assert_int_equal(scalekit_authenticate_with_code(f->client, "c/o de+1", "https://app/cb?x=1", &o, &r),
                     SCALEKIT_OK);
    assert_int_equal(scalekit_error_last()->code, SCALEKIT_OK);
    const mock_request *req = only_token_request(f);
    assert_string_equal(req->body,
        "grant_type=authorization_code&code=c%2Fo%20de%2B1&redirect_uri=https%3A%2F%2Fapp%2Fcb%3Fx%3D1"
        "&client_id=" CLIENT_ID "&client_secret=" CLIENT_SECRET_ENC "&code_verifier=verif~ier.1");

    assert_non_null(r);
    assert_string_equal(r->access_token, "at_1");
    assert_string_equal(r->id_token, tok);
    assert_string_equal(r->refresh_token, "rt_new");
    assert_int_equal(r->expires_in, 3600);
    assert_string_equal(r->raw_json, answer);
    assert_string_equal(r->user->id, "usr_42");
    assert_string_equal(r->user->email, "jo@acme.com");
    assert_true(r->user->email_verified);
    assert_string_equal(r->user->name, "Jo Doe");
    assert_string_equal(r->user->given_name, "Jo");
    assert_string_equal(r->user->family_name, "Doe");
    assert_string_equal(r->user->locale, "en-GB");
    assert_string_equal(r->user->picture, "https://img/jo.png");
    assert_string_equal(r->user->phone_number, "+441234");
    assert_int_equal(r->user->identity_count, 2);
    assert_string_equal(r->user->identities_json[0], "{\"provider_name\":\"okta\",\"connection_id\":\"conn_1\"}");
    assert_string_equal(r->user->identities_json[1], "{\"provider_name\":\"google\",\"connection_id\":\"conn_2\"}");
    assert_null(r->user->identities_json[2]);
    scalekit_authentication_response_free(r);
    scalekit_authentication_response_free(NULL);
    free(answer);
    free(tok);
}

static void code_exchange_without_verifier(void **state)
{
    fixture *f = *state;
    char *tok = id_token(f, f->key, CLIENT_ID);
    char *answer = token_answer(tok, true);
    mock_http_enqueue(f->mock, "POST", "/oauth/token", 200, answer);
    scalekit_authentication_response *r = NULL;
    assert_int_equal(scalekit_authenticate_with_code(f->client, "code1", "https://app/cb", NULL, &r),
                     SCALEKIT_OK);
    assert_string_equal(only_token_request(f)->body,
        "grant_type=authorization_code&code=code1&redirect_uri=https%3A%2F%2Fapp%2Fcb"
        "&client_id=" CLIENT_ID "&client_secret=" CLIENT_SECRET_ENC);
    scalekit_authentication_response_free(r);
    free(answer);
    free(tok);
}

static void expect_exchange_failure(fixture *f, int status, const char *body, int expected)
{
    mock_http_enqueue(f->mock, "POST", "/oauth/token", status, body);
    scalekit_authentication_response *r = (void *)f;   /* must be reset to NULL */
    assert_int_equal(scalekit_authenticate_with_code(f->client, "code1", "https://app/cb", NULL, &r),
                     expected);
    assert_null(r);
    assert_int_equal(scalekit_error_last()->code, expected);
}

static void id_token_must_verify(void **state)
{
    fixture *f = *state;
    char *forged = id_token(f, f->impostor, CLIENT_ID);
    char *answer = token_answer(forged, true);
    expect_exchange_failure(f, 200, answer, SCALEKIT_ETOKEN_SIGNATURE);
    free(answer);
    free(forged);

    char *other_aud = id_token(f, f->key, "skc_someone_else");
    answer = token_answer(other_aud, true);
    expect_exchange_failure(f, 200, answer, SCALEKIT_ETOKEN_CLAIM);
    free(answer);
    free(other_aud);

    char *other_iss = id_token_from(f, "https://evil.example.com", f->key, CLIENT_ID);
    answer = token_answer(other_iss, true);
    expect_exchange_failure(f, 200, answer, SCALEKIT_ETOKEN_CLAIM);
    free(answer);
    free(other_iss);
}

static void incomplete_answers_are_malformed(void **state)
{
    fixture *f = *state;
    char *tok = id_token(f, f->key, CLIENT_ID);
    char *no_access = token_answer(tok, false);
    expect_exchange_failure(f, 200, no_access, SCALEKIT_EMALFORMED_RESPONSE);
    assert_non_null(strstr(scalekit_error_last()->message, "access_token"));
    char *no_id = token_answer(NULL, true);
    expect_exchange_failure(f, 200, no_id, SCALEKIT_EMALFORMED_RESPONSE);
    assert_non_null(strstr(scalekit_error_last()->message, "id_token"));
    expect_exchange_failure(f, 200, "not json {", SCALEKIT_EMALFORMED_RESPONSE);
    expect_exchange_failure(f, 200, "[\"an array\"]", SCALEKIT_EMALFORMED_RESPONSE);
    free(no_access);
    free(no_id);
    free(tok);
}

static void oauth_errors_are_decoded(void **state)
{
    fixture *f = *state;
    expect_exchange_failure(f, 400,
        "{\"error\":\"invalid_grant\",\"error_description\":\"code already used\"}",
        SCALEKIT_EINVALID_REQUEST);
    assert_int_equal(scalekit_error_last()->http_status, 400);
    assert_string_equal(scalekit_error_last()->error_code, "invalid_grant");
    assert_int_equal(mock_http_count(f->mock, "/oauth/token"), 1);   /* not retried */

    expect_exchange_failure(f, 401,
        "{\"error\":\"invalid_client\",\"error_description\":\"bad secret\"}",
        SCALEKIT_EUNAUTHENTICATED);
    assert_string_equal(scalekit_error_last()->error_code, "invalid_client");

    scalekit_token_response *t = (void *)f;
    mock_http_enqueue(f->mock, "POST", "/oauth/token", 400, "{\"error\":\"invalid_grant\"}");
    assert_int_equal(scalekit_refresh_access_token(f->client, "rt_old", &t), SCALEKIT_EINVALID_REQUEST);
    assert_null(t);
    assert_string_equal(scalekit_error_last()->error_code, "invalid_grant");
    mock_http_enqueue(f->mock, "POST", "/oauth/token", 401, "{\"error\":\"invalid_client\"}");
    assert_int_equal(scalekit_generate_client_token(f->client, NULL, &t), SCALEKIT_EUNAUTHENTICATED);
    mock_http_enqueue(f->mock, "POST", "/oauth/token", 200, "{\"token_type\":\"Bearer\"}");
    assert_int_equal(scalekit_generate_client_token(f->client, NULL, &t), SCALEKIT_EMALFORMED_RESPONSE);
    mock_http_enqueue(f->mock, "POST", "/oauth/token", 200, "<html>");
    assert_int_equal(scalekit_refresh_access_token(f->client, "rt_old", &t), SCALEKIT_EMALFORMED_RESPONSE);
    assert_null(t);
}

static void refresh_grant(void **state)
{
    fixture *f = *state;
    const char *answer = "{\"access_token\":\"at_2\",\"token_type\":\"Bearer\",\"expires_in\":\"7200\","
                         "\"refresh_token\":\"rt_2\",\"id_token\":\"x.y.z\",\"scope\":\"openid\"}";
    mock_http_enqueue(f->mock, "POST", "/oauth/token", 200, answer);
    scalekit_token_response *t = NULL;
    assert_int_equal(scalekit_refresh_access_token(f->client, "rt+1/=", &t), SCALEKIT_OK);
    assert_string_equal(only_token_request(f)->body,
        "grant_type=refresh_token&refresh_token=rt%2B1%2F%3D&client_id=" CLIENT_ID
        "&client_secret=" CLIENT_SECRET_ENC);
    assert_string_equal(t->access_token, "at_2");
    assert_string_equal(t->refresh_token, "rt_2");
    assert_string_equal(t->id_token, "x.y.z");
    assert_string_equal(t->token_type, "Bearer");
    assert_string_equal(t->scope, "openid");
    assert_int_equal(t->expires_in, 7200);
    assert_string_equal(t->raw_json, answer);
    scalekit_token_response_free(t);
    scalekit_token_response_free(NULL);
}

static void client_credentials_grant(void **state)
{
    fixture *f = *state;
    mock_http_enqueue(f->mock, "POST", "/oauth/token", 200,
                      "{\"access_token\":\"m2m\",\"token_type\":\"Bearer\",\"expires_in\":60}");
    scalekit_token_response *t = NULL;
    assert_int_equal(scalekit_generate_client_token(f->client, NULL, &t), SCALEKIT_OK);
    assert_string_equal(only_token_request(f)->body,
        "grant_type=client_credentials&client_id=" CLIENT_ID "&client_secret=" CLIENT_SECRET_ENC);
    assert_string_equal(t->access_token, "m2m");
    assert_null(t->id_token);
    assert_null(t->refresh_token);
    assert_null(t->scope);
    assert_int_equal(t->expires_in, 60);
    scalekit_token_response_free(t);

    mock_http_reset(f->mock);
    mock_http_enqueue(f->mock, "POST", "/oauth/token", 200,
                      "{\"access_token\":\"m2m2\",\"token_type\":\"Bearer\",\"expires_in\":60}");
    const char *const scopes[] = {"users:read", "orgs:write", NULL};
    scalekit_client_token_options o = { .struct_size = sizeof(scalekit_client_token_options), .client_id = "m2m_client", .client_secret = "p w", .scopes = scopes};
    assert_int_equal(scalekit_generate_client_token(f->client, &o, &t), SCALEKIT_OK);
    assert_string_equal(only_token_request(f)->body,
        "grant_type=client_credentials&client_id=m2m_client&client_secret=p%20w"
        "&scope=users%3Aread%20orgs%3Awrite");
    assert_string_equal(t->access_token, "m2m2");
    scalekit_token_response_free(t);
}

static void bad_arguments_send_nothing(void **state)
{
    fixture *f = *state;
    scalekit_authentication_response *r = NULL;
    scalekit_token_response *t = NULL;
    assert_int_equal(scalekit_authenticate_with_code(f->client, NULL, "https://app/cb", NULL, &r), SCALEKIT_EINVAL);
    assert_non_null(strstr(scalekit_error_last()->message, "code"));
    assert_int_equal(scalekit_authenticate_with_code(f->client, "", "https://app/cb", NULL, &r), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_authenticate_with_code(f->client, "c", "", NULL, &r), SCALEKIT_EINVAL);
    assert_non_null(strstr(scalekit_error_last()->message, "redirect_uri"));
    assert_int_equal(scalekit_authenticate_with_code(f->client, "c", "https://app/cb", NULL, NULL), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_authenticate_with_code(NULL, "c", "https://app/cb", NULL, &r), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_refresh_access_token(f->client, "", &t), SCALEKIT_EINVAL);
    assert_non_null(strstr(scalekit_error_last()->message, "refresh_token"));
    assert_int_equal(scalekit_refresh_access_token(f->client, NULL, &t), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_refresh_access_token(NULL, "rt", &t), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_refresh_access_token(f->client, "rt", NULL), SCALEKIT_EINVAL);
    const char *const bad_scopes[] = {"a b", NULL};
    scalekit_client_token_options o = { .struct_size = sizeof(scalekit_client_token_options), .scopes = bad_scopes};
    assert_int_equal(scalekit_generate_client_token(f->client, &o, &t), SCALEKIT_EINVAL);
    assert_non_null(strstr(scalekit_error_last()->message, "scopes[0]"));
    assert_int_equal(scalekit_generate_client_token(f->client, NULL, NULL), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_generate_client_token(NULL, NULL, &t), SCALEKIT_EINVAL);
    assert_int_equal(mock_http_request_count(f->mock), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(code_exchange_success, setup, teardown),
        cmocka_unit_test_setup_teardown(code_exchange_without_verifier, setup, teardown),
        cmocka_unit_test_setup_teardown(id_token_must_verify, setup, teardown),
        cmocka_unit_test_setup_teardown(incomplete_answers_are_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(oauth_errors_are_decoded, setup, teardown),
        cmocka_unit_test_setup_teardown(refresh_grant, setup, teardown),
        cmocka_unit_test_setup_teardown(client_credentials_grant, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_arguments_send_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
