/* JWK / JWKS parsing rules: what is kept, skipped and refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"
#include "jose_testkit.h"

/* RFC 7515 A.3's public key */
#define EC_X "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"
#define EC_Y "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"

static char *rsa_n;   /* base64url modulus of a fresh 2048-bit key */

static int setup(void **state)
{
    (void)state;
    skit_signing_key *k = jt_key("RS256", "r");
    json_t *jwk = NULL;
    assert_int_equal(skit_signing_key_public_jwk(k, &jwk), SCALEKIT_OK);
    rsa_n = strdup(skit_json_string(jwk, "n"));
    json_decref(jwk);
    skit_signing_key_free(k);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(rsa_n);
    return 0;
}

/* Parse {"keys":[<jwk>]} built from a format with one %s (the RSA modulus, where used). */
static int parse_one(const char *jwk_fmt, skit_jwks **out)
{
    char buf[2048];
    char doc[2200];
    snprintf(buf, sizeof buf, jwk_fmt, rsa_n);
    snprintf(doc, sizeof doc, "{\"keys\":[%s]}", buf);
    return skit_jwks_parse(doc, strlen(doc), out);
}

static size_t count_of(const char *jwk_fmt)
{
    skit_jwks *set = NULL;
    assert_int_equal(parse_one(jwk_fmt, &set), SCALEKIT_OK);
    size_t n = set->count;
    skit_jwks_release(set);
    return n;
}

static void refused(const char *jwk_fmt)
{
    skit_jwks *set = (skit_jwks *)1;
    assert_int_equal(parse_one(jwk_fmt, &set), SCALEKIT_EMALFORMED_RESPONSE);
    assert_null(set);
}

static void test_kept_keys_and_their_algs(void **state)
{
    (void)state;
    skit_jwks *set = NULL;
    assert_int_equal(parse_one("{\"kty\":\"RSA\",\"kid\":\"a\",\"use\":\"sig\",\"alg\":\"PS256\",\"n\":\"%s\",\"e\":\"AQAB\"}", &set), SCALEKIT_OK);
    assert_int_equal(set->count, 1);
    assert_string_equal(set->keys[0].kid, "a");
    assert_int_equal(set->keys[0].alg, SKIT_JWS_PS256);
    skit_jwks_release(set);
    assert_int_equal(parse_one("{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"AQAB\"}", &set), SCALEKIT_OK);
    assert_int_equal(set->keys[0].alg, SKIT_JWS_RS256);
    assert_null(set->keys[0].kid);
    skit_jwks_release(set);
    assert_int_equal(parse_one("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" EC_X "\",\"y\":\"" EC_Y "\"}", &set), SCALEKIT_OK);
    assert_int_equal(set->keys[0].alg, SKIT_JWS_ES256);
    assert_int_equal(set->keys[0].type, SKIT_JWK_EC_P256);
    skit_jwks_release(set);
}

static void test_skipped_keys(void **state)
{
    (void)state;
    assert_int_equal(count_of("{\"kty\":\"RSA\",\"use\":\"enc\",\"n\":\"%s\",\"e\":\"AQAB\"}"), 0);
    assert_int_equal(count_of("{\"kty\":\"oct\",\"k\":\"%s\"}"), 0);
    assert_int_equal(count_of("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"%s\"}"), 0);
    assert_int_equal(count_of("{\"kty\":\"EC\",\"crv\":\"P-384\",\"x\":\"%s\",\"y\":\"AA\"}"), 0);
    assert_int_equal(count_of("{\"kty\":\"RSA\",\"alg\":\"HS256\",\"n\":\"%s\",\"e\":\"AQAB\"}"), 0);
    assert_int_equal(count_of("{\"kty\":\"RSA\",\"alg\":\"ES256\",\"n\":\"%s\",\"e\":\"AQAB\"}"), 0);
    assert_int_equal(count_of("{\"kty\":\"RSA\",\"key_ops\":[\"encrypt\"],\"n\":\"%s\",\"e\":\"AQAB\"}"), 0);
    assert_int_equal(count_of("{\"kty\":\"RSA\",\"key_ops\":[\"verify\"],\"n\":\"%s\",\"e\":\"AQAB\"}"), 1);
}

static void test_refused_keys(void **state)
{
    (void)state;
    /* a 1024-bit modulus (the first 128 bytes of a 2048-bit one) */
    char small[256];
    snprintf(small, sizeof small, "{\"kty\":\"RSA\",\"n\":\"%.171s\",\"e\":\"AQAB\"}", rsa_n);
    for (char *p = small; *p; p++)
        if (*p == '%')
            *p = 'A';
    refused(small);
    refused("{\"kty\":\"RSA\",\"n\":\"%s=\",\"e\":\"AQAB\"}");        /* padding */
    refused("{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"AQ AB\"}");        /* whitespace */
    refused("{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"AQ+B\"}");         /* standard alphabet */
    refused("{\"kty\":\"RSA\",\"n\":\"%s\"}");                         /* no e */
    refused("{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"AQAA\"}");         /* even exponent */
    refused("{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"AQAB\",\"kid\":7}");
    refused("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" EC_X "\",\"y\":\"" EC_X "\"}");   /* off the curve */
    refused("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AAAA\",\"y\":\"" EC_Y "\"}");        /* short x */
    refused("{\"kty\":\"EC\",\"x\":\"" EC_X "\",\"y\":\"" EC_Y "\"}");                       /* no crv */
    refused("{\"kty\":7}");
    refused("\"not an object\"");
}

static void test_documents(void **state)
{
    (void)state;
    skit_jwks *set = (skit_jwks *)1;
    assert_int_equal(skit_jwks_parse("[]", 2, &set), SCALEKIT_EMALFORMED_RESPONSE);
    assert_null(set);
    assert_int_equal(skit_jwks_parse("{}", 2, &set), SCALEKIT_EMALFORMED_RESPONSE);
    assert_int_equal(skit_jwks_parse("{\"keys\":{}}", 11, &set), SCALEKIT_EMALFORMED_RESPONSE);
    assert_int_equal(skit_jwks_parse("{\"keys\":[", 9, &set), SCALEKIT_EMALFORMED_RESPONSE);
    assert_int_equal(skit_jwks_parse("{\"keys\":[]}", 11, &set), SCALEKIT_OK);
    assert_int_equal(set->count, 0);
    skit_jwks_release(set);
}

static void test_fingerprint_tells_sets_apart(void **state)
{
    (void)state;
    skit_jwks *a = NULL, *b = NULL, *c = NULL;
    assert_int_equal(parse_one("{\"kty\":\"RSA\",\"kid\":\"a\",\"n\":\"%s\",\"e\":\"AQAB\"}", &a), SCALEKIT_OK);
    assert_int_equal(parse_one("{\"e\":\"AQAB\",\"kid\":\"a\",\"n\":\"%s\",\"kty\":\"RSA\"}", &b), SCALEKIT_OK);
    assert_int_equal(parse_one("{\"kty\":\"RSA\",\"kid\":\"b\",\"n\":\"%s\",\"e\":\"AQAB\"}", &c), SCALEKIT_OK);
    assert_memory_equal(a->fingerprint, b->fingerprint, 32);
    assert_memory_not_equal(a->fingerprint, c->fingerprint, 32);
    skit_jwks_release(a);
    skit_jwks_release(b);
    skit_jwks_release(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kept_keys_and_their_algs),
        cmocka_unit_test(test_skipped_keys),
        cmocka_unit_test(test_refused_keys),
        cmocka_unit_test(test_documents),
        cmocka_unit_test(test_fingerprint_tells_sets_apart),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
