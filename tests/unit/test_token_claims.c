/* The public claims API: options (issuer, audiences, scopes), the accessors,
 * access-token claims and IdP-initiated login claims. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"
#include "jose_testkit.h"

typedef jt_fixture fixture;

static int validate(fixture *f, const char *extra, const scalekit_validate_options *o)
{
    char *t = jt_token(f->key, extra);
    int rc = scalekit_validate_token(f->client, t, o, NULL);
    free(t);
    return rc;
}

static void test_audiences(void **state)
{
    fixture *f = *state;
    const char *want_b[] = {"other", "client_b", NULL};
    const char *want_x[] = {"x", NULL};
    scalekit_validate_options ob = { .struct_size = sizeof(scalekit_validate_options), .audiences = want_b}, ox = {.struct_size = sizeof(scalekit_validate_options), .audiences = want_x};
    assert_int_equal(validate(f, "{\"aud\":\"client_b\"}", &ob), SCALEKIT_OK);
    assert_int_equal(validate(f, "{\"aud\":[\"client_a\",\"client_b\"]}", &ob), SCALEKIT_OK);
    assert_int_equal(validate(f, "{\"aud\":[\"client_a\",\"client_b\"]}", &ox), SCALEKIT_ETOKEN_CLAIM);
    assert_int_equal(scalekit_error_last()->code, SCALEKIT_ETOKEN_CLAIM);
    assert_int_equal(validate(f, "{\"aud\":\"client_b\"}", &ox), SCALEKIT_ETOKEN_CLAIM);
    assert_int_equal(validate(f, "{\"aud\":7}", &ox), SCALEKIT_ETOKEN_CLAIM);
    assert_int_equal(validate(f, "{\"aud\":[]}", &ob), SCALEKIT_ETOKEN_CLAIM);
}

static void test_issuer(void **state)
{
    fixture *f = *state;
    scalekit_validate_options ok = { .struct_size = sizeof(scalekit_validate_options), .issuer = "https://env"}, bad = {.struct_size = sizeof(scalekit_validate_options), .issuer = "https://evil"};
    assert_int_equal(validate(f, NULL, &ok), SCALEKIT_OK);
    assert_int_equal(validate(f, NULL, &bad), SCALEKIT_ETOKEN_CLAIM);
    assert_non_null(strstr(scalekit_error_last()->message, "https://evil"));
    assert_int_equal(validate(f, "{\"iss\":5}", &ok), SCALEKIT_ETOKEN_CLAIM);
}

static void test_scopes(void **state)
{
    fixture *f = *state;
    const char *need[] = {"read", "write", NULL};
    scalekit_validate_options o = { .struct_size = sizeof(scalekit_validate_options), .required_scopes = need};
    assert_int_equal(validate(f, "{\"scope\":\"openid read  write\"}", &o), SCALEKIT_OK);
    assert_int_equal(validate(f, "{\"scopes\":[\"write\",\"read\"]}", &o), SCALEKIT_OK);
    assert_int_equal(validate(f, "{\"scope\":\"read\",\"scopes\":[\"write\"]}", &o), SCALEKIT_OK);
    assert_int_equal(validate(f, "{\"scope\":\"read readwrite\"}", &o), SCALEKIT_ETOKEN_CLAIM);
    assert_non_null(strstr(scalekit_error_last()->message, "write"));
    assert_int_equal(validate(f, "{\"scopes\":[\"read\"]}", &o), SCALEKIT_ETOKEN_CLAIM);
    assert_int_equal(validate(f, NULL, &o), SCALEKIT_ETOKEN_CLAIM);
}

static void test_claims_accessors(void **state)
{
    fixture *f = *state;
    char *t = jt_token(f->key, "{\"aud\":[\"a\",\"b\"],\"email_verified\":true,\"n\":42,"
                               "\"obj\":{\"k\":[1,2]}}");
    scalekit_claims *c = NULL;
    assert_int_equal(scalekit_validate_token(f->client, t, NULL, &c), SCALEKIT_OK);
    assert_int_equal(scalekit_error_last()->code, SCALEKIT_OK);
    assert_string_equal(scalekit_claims_subject(c), "user_1");
    assert_string_equal(scalekit_claims_issuer(c), "https://env");
    assert_true(scalekit_claims_expires_at(c) > skit_now());
    assert_true(scalekit_claims_issued_at(c) <= skit_now());
    const char *const *aud = scalekit_claims_audiences(c);
    assert_string_equal(aud[0], "a");
    assert_string_equal(aud[1], "b");
    assert_null(aud[2]);
    bool b = false;
    assert_true(scalekit_claims_get_bool(c, "email_verified", &b));
    assert_true(b);
    assert_false(scalekit_claims_get_bool(c, "n", &b));
    int64_t n = 0;
    assert_true(scalekit_claims_get_int64(c, "n", &n));
    assert_int_equal(n, 42);
    assert_false(scalekit_claims_get_int64(c, "sub", &n));
    assert_null(scalekit_claims_get_string(c, "n"));
    assert_null(scalekit_claims_get_string(c, "absent"));
    assert_string_equal(scalekit_claims_get_json(c, "obj"), "{\"k\":[1,2]}");
    assert_null(scalekit_claims_get_json(c, "absent"));
    assert_non_null(strstr(scalekit_claims_json(c), "\"sub\":\"user_1\""));
    scalekit_claims_free(c);
    scalekit_claims_free(NULL);
    /* a failure hands out nothing */
    c = (scalekit_claims *)1;
    scalekit_validate_options bad = { .struct_size = sizeof(scalekit_validate_options), .issuer = "x"};
    assert_int_equal(scalekit_validate_token(f->client, t, &bad, &c), SCALEKIT_ETOKEN_CLAIM);
    assert_null(c);
    free(t);
}

static void test_access_token_claims(void **state)
{
    fixture *f = *state;
    char *t = jt_token(f->key, "{\"aud\":\"client_1\",\"sid\":\"ses_1\",\"client_id\":\"client_1\","
                               "\"oid\":\"org_1\",\"jti\":\"jti_1\",\"nbf\":1000,"
                               "\"roles\":[\"admin\",\"member\"],\"permissions\":[\"users:read\"],"
                               "\"scope\":\"openid profile\"}");
    scalekit_access_token_claims *c = NULL;
    assert_int_equal(scalekit_get_access_token_claims(f->client, t, &c), SCALEKIT_OK);
    assert_string_equal(c->sub, "user_1");
    assert_string_equal(c->iss, "https://env");
    assert_string_equal(c->audiences[0], "client_1");
    assert_null(c->audiences[1]);
    assert_string_equal(c->sid, "ses_1");
    assert_string_equal(c->client_id, "client_1");
    assert_string_equal(c->organization_id, "org_1");
    assert_string_equal(c->jti, "jti_1");
    assert_int_equal(c->nbf, 1000);
    assert_true(c->exp > c->iat);
    assert_string_equal(c->roles[0], "admin");
    assert_string_equal(c->roles[1], "member");
    assert_null(c->roles[2]);
    assert_string_equal(c->permissions[0], "users:read");
    assert_null(c->permissions[1]);
    assert_string_equal(c->scopes[0], "openid");
    assert_string_equal(c->scopes[1], "profile");
    assert_null(c->scopes[2]);
    assert_non_null(strstr(c->raw_json, "\"oid\":\"org_1\""));
    scalekit_access_token_claims_free(c);
    free(t);

    /* scopes from the array form; absent lists are empty, not NULL */
    t = jt_token(f->key, "{\"scopes\":[\"a\",\"b\"]}");
    assert_int_equal(scalekit_get_access_token_claims(f->client, t, &c), SCALEKIT_OK);
    assert_string_equal(c->scopes[0], "a");
    assert_string_equal(c->scopes[1], "b");
    assert_null(c->scopes[2]);
    assert_non_null(c->roles);
    assert_null(c->roles[0]);
    assert_null(c->organization_id);
    assert_int_equal(c->nbf, 0);
    assert_int_equal(scalekit_validate_access_token(f->client, t), SCALEKIT_OK);
    scalekit_access_token_claims_free(c);
    free(t);

    assert_int_equal(scalekit_get_access_token_claims(f->client, "a.b.c", &c), SCALEKIT_ETOKEN_MALFORMED);
    assert_null(c);
    assert_int_equal(scalekit_get_access_token_claims(f->client, "a.b.c", NULL), SCALEKIT_EINVAL);
    scalekit_access_token_claims_free(NULL);
}

static void test_idp_initiated_login_claims(void **state)
{
    fixture *f = *state;
    char *t = jt_token(f->key, "{\"connection_id\":\"conn_1\",\"organization_id\":\"org_1\","
                               "\"login_hint\":\"a@b.c\",\"relay_state\":\"rs\"}");
    scalekit_idp_initiated_login_claims *c = NULL;
    assert_int_equal(scalekit_get_idp_initiated_login_claims(f->client, t, &c), SCALEKIT_OK);
    assert_string_equal(c->connection_id, "conn_1");
    assert_string_equal(c->organization_id, "org_1");
    assert_string_equal(c->login_hint, "a@b.c");
    assert_string_equal(c->relay_state, "rs");
    assert_non_null(strstr(c->raw_json, "conn_1"));
    scalekit_idp_initiated_login_claims_free(c);
    free(t);
    char extra[64];
    snprintf(extra, sizeof extra, "{\"exp\":%lld}", (long long)skit_now() - 3600);
    t = jt_token(f->key, extra);
    c = (void *)1;
    assert_int_equal(scalekit_get_idp_initiated_login_claims(f->client, t, &c), SCALEKIT_ETOKEN_EXPIRED);
    assert_null(c);
    free(t);
    scalekit_idp_initiated_login_claims_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_audiences),
        cmocka_unit_test(test_issuer),
        cmocka_unit_test(test_scopes),
        cmocka_unit_test(test_claims_accessors),
        cmocka_unit_test(test_access_token_claims),
        cmocka_unit_test(test_idp_initiated_login_claims),
    };
    return cmocka_run_group_tests(tests, jt_fixture_setup, jt_fixture_teardown);
}
