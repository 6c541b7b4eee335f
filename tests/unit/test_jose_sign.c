/* Signing with every algorithm, verified by the verification layer; PEM and
 * public JWK round trips. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"
#include "jose_testkit.h"

static const char *const algs[] = {"RS256", "RS384", "RS512", "PS256", "ES256"};

static skit_jwks *set_of(skit_signing_key *k)
{
    skit_signing_key *keys[] = {k, NULL};
    char *text = jt_jwks_json(keys);
    skit_jwks *set = NULL;
    assert_int_equal(skit_jwks_parse(text, strlen(text), &set), SCALEKIT_OK);
    free(text);
    return set;
}

static void test_sign_and_verify_each_alg(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof algs / sizeof algs[0]; i++) {
        skit_signing_key *k = jt_key(algs[i], "kid-1");
        assert_string_equal(skit_signing_key_alg(k), algs[i]);
        assert_string_equal(skit_signing_key_kid(k), "kid-1");
        skit_jwks *set = set_of(k);
        assert_int_equal(set->count, 1);
        assert_int_equal(set->keys[0].alg, skit_jws_alg_from_name(algs[i]));
        char *jwt = jt_token(k, "{\"n\":1}");
        skit_jws jws;
        assert_int_equal(skit_jws_parse(jwt, strlen(jwt), &jws), SCALEKIT_OK);
        assert_string_equal(skit_json_string(jws.header, "alg"), algs[i]);
        assert_string_equal(skit_json_string(jws.header, "typ"), "JWT");
        assert_string_equal(jws.kid, "kid-1");
        skit_jws_clear(&jws);
        json_t *payload = NULL;
        assert_int_equal(skit_jws_verify(set, jwt, strlen(jwt), &payload), SCALEKIT_OK);
        assert_int_equal(json_integer_value(json_object_get(payload, "n")), 1);
        json_decref(payload);
        /* another key of the same algorithm and kid must not verify it */
        skit_signing_key *other = jt_key(algs[i], "kid-1");
        skit_jwks *other_set = set_of(other);
        assert_int_equal(skit_jws_verify(other_set, jwt, strlen(jwt), NULL), SCALEKIT_ETOKEN_SIGNATURE);
        skit_jwks_release(other_set);
        skit_signing_key_free(other);
        free(jwt);
        skit_jwks_release(set);
        skit_signing_key_free(k);
    }
}

static void test_generate_refuses_unknown_alg(void **state)
{
    (void)state;
    skit_signing_key *k = (skit_signing_key *)1;
    assert_int_equal(skit_signing_key_generate("HS256", "x", &k), SCALEKIT_EINVAL);
    assert_null(k);
    assert_non_null(strstr(scalekit_error_last()->message, "HS256"));
    assert_int_equal(skit_signing_key_generate("none", "x", &k), SCALEKIT_EINVAL);
    assert_int_equal(skit_signing_key_generate(NULL, "x", &k), SCALEKIT_EINVAL);
}

static void test_pem_round_trip(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof algs / sizeof algs[0]; i++) {
        skit_signing_key *k = jt_key(algs[i], "a");
        char *pem = NULL;
        assert_int_equal(skit_signing_key_to_pem(k, &pem), SCALEKIT_OK);
        assert_non_null(strstr(pem, "BEGIN PRIVATE KEY"));
        skit_signing_key *back = NULL;
        assert_int_equal(skit_signing_key_from_pem(pem, "b", algs[i], &back), SCALEKIT_OK);
        assert_string_equal(skit_signing_key_kid(back), "b");
        /* same key: a token of the reloaded key verifies with the first key's JWK */
        skit_jwks *set = set_of(k);
        char *jwt = jt_sign(back, "{\"x\":true}");
        /* kid differs ("b"), so look the key up by the only-key rule: sign without kid */
        skit_jws jws;
        assert_int_equal(skit_jws_parse(jwt, strlen(jwt), &jws), SCALEKIT_OK);
        assert_int_equal(skit_jws_verify_signature(&set->keys[0], jws.alg, jws.signing_input,
                                                   jws.signing_input_len, jws.signature,
                                                   jws.signature_len), SCALEKIT_OK);
        skit_jws_clear(&jws);
        free(jwt);
        skit_jwks_release(set);
        skit_signing_key_free(back);
        free(pem);
        skit_signing_key_free(k);
    }
}

static void test_pem_type_must_suit_alg(void **state)
{
    (void)state;
    skit_signing_key *rsa = jt_key("RS256", "a");
    char *pem = NULL;
    assert_int_equal(skit_signing_key_to_pem(rsa, &pem), SCALEKIT_OK);
    skit_signing_key *k = NULL;
    assert_int_equal(skit_signing_key_from_pem(pem, "a", "ES256", &k), SCALEKIT_EINVAL);
    assert_null(k);
    assert_int_equal(skit_signing_key_from_pem("not a pem", "a", "RS256", &k), SCALEKIT_EINVAL);
    free(pem);
    skit_signing_key_free(rsa);
}

static void test_public_jwk_round_trip(void **state)
{
    (void)state;
    skit_signing_key *rsa = jt_key("RS256", "r1");
    json_t *jwk = NULL;
    assert_int_equal(skit_signing_key_public_jwk(rsa, &jwk), SCALEKIT_OK);
    assert_string_equal(skit_json_string(jwk, "kty"), "RSA");
    assert_string_equal(skit_json_string(jwk, "kid"), "r1");
    assert_string_equal(skit_json_string(jwk, "use"), "sig");
    assert_string_equal(skit_json_string(jwk, "alg"), "RS256");
    assert_string_equal(skit_json_string(jwk, "e"), "AQAB");
    assert_null(json_object_get(jwk, "d"));   /* never the private half */
    assert_int_equal(strlen(skit_json_string(jwk, "n")), 342);   /* 256 bytes */
    skit_jwk parsed;
    assert_int_equal(skit_jwk_parse(jwk, &parsed), SCALEKIT_OK);
    assert_string_equal(parsed.kid, "r1");
    assert_int_equal(parsed.type, SKIT_JWK_RSA);
    assert_int_equal(EVP_PKEY_eq(parsed.pkey, skit_signing_key_pkey(rsa)), 1);
    skit_jwk_clear(&parsed);
    json_decref(jwk);
    skit_signing_key_free(rsa);

    skit_signing_key *ec = jt_key("ES256", "e1");
    assert_int_equal(skit_signing_key_public_jwk(ec, &jwk), SCALEKIT_OK);
    assert_string_equal(skit_json_string(jwk, "kty"), "EC");
    assert_string_equal(skit_json_string(jwk, "crv"), "P-256");
    assert_int_equal(strlen(skit_json_string(jwk, "x")), 43);
    assert_int_equal(strlen(skit_json_string(jwk, "y")), 43);
    assert_int_equal(skit_jwk_parse(jwk, &parsed), SCALEKIT_OK);
    assert_int_equal(parsed.type, SKIT_JWK_EC_P256);
    assert_int_equal(parsed.alg, SKIT_JWS_ES256);
    assert_int_equal(EVP_PKEY_eq(parsed.pkey, skit_signing_key_pkey(ec)), 1);
    skit_jwk_clear(&parsed);
    json_decref(jwk);
    skit_signing_key_free(ec);
}

static void test_sign_raw_and_bad_args(void **state)
{
    (void)state;
    skit_signing_key *k = jt_key("RS256", "k");
    char *out = NULL;
    assert_int_equal(skit_jws_sign_raw(k, "{\"alg\":\"RS256\"}", "{}", &out), SCALEKIT_OK);
    assert_non_null(out);
    assert_int_equal(strncmp(out, "eyJhbGciOiJSUzI1NiJ9.e30.", 25), 0);
    free(out);
    json_t *arr = json_array();
    assert_int_equal(skit_jwt_sign(k, arr, &out), SCALEKIT_EINVAL);
    json_decref(arr);
    assert_int_equal(skit_jwt_sign(NULL, NULL, &out), SCALEKIT_EINVAL);
    skit_signing_key_free(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_and_verify_each_alg),
        cmocka_unit_test(test_generate_refuses_unknown_alg),
        cmocka_unit_test(test_pem_round_trip),
        cmocka_unit_test(test_pem_type_must_suit_alg),
        cmocka_unit_test(test_public_jwk_round_trip),
        cmocka_unit_test(test_sign_raw_and_bad_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
