/* RFC 7515 Appendix A.2 (RS256) and A.3 (ES256) examples, verified from their JWKs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"
#include "jose_testkit.h"

#define PAYLOAD_B64 "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"

static const char a2_token[] =
    "eyJhbGciOiJSUzI1NiJ9." PAYLOAD_B64 "."
    "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5"
    "jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb"
    "1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QO"
    "YEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";

static const char a2_jwks[] =
    "{\"keys\":[{\"kty\":\"RSA\","
    "\"n\":\"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1P"
    "t0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5r"
    "exMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFv"
    "UK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ\","
    "\"e\":\"AQAB\"}]}";

static const char a3_token[] =
    "eyJhbGciOiJFUzI1NiJ9." PAYLOAD_B64 "."
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

static const char a3_jwks[] =
    "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\","
    "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
    "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}]}";

static void verify_ok(const char *jwks_text, const char *token, skit_jws_alg alg)
{
    skit_jwks *set = NULL;
    assert_int_equal(skit_jwks_parse(jwks_text, strlen(jwks_text), &set), SCALEKIT_OK);
    assert_int_equal(set->count, 1);
    assert_int_equal(set->keys[0].alg, alg);   /* no alg in the JWK: the kty's default */
    json_t *payload = NULL;
    assert_int_equal(skit_jws_verify(set, token, strlen(token), &payload), SCALEKIT_OK);
    assert_string_equal(skit_json_string(payload, "iss"), "joe");
    assert_int_equal(json_integer_value(json_object_get(payload, "exp")), 1300819380);
    assert_true(json_is_true(json_object_get(payload, "http://example.com/is_root")));
    json_decref(payload);

    /* one flipped bit in the signature's last character must fail */
    char *bad = strdup(token);
    size_t n = strlen(bad);
    bad[n - 2] = bad[n - 2] == 'A' ? 'B' : 'A';
    assert_int_equal(skit_jws_verify(set, bad, n, NULL), SCALEKIT_ETOKEN_SIGNATURE);
    free(bad);
    skit_jwks_release(set);
}

static void test_a2_rs256_signature(void **state)
{
    (void)state;
    verify_ok(a2_jwks, a2_token, SKIT_JWS_RS256);
}

static void test_a3_es256_signature(void **state)
{
    (void)state;
    verify_ok(a3_jwks, a3_token, SKIT_JWS_ES256);
}

static void test_a2_full_validation_is_expired(void **state)
{
    (void)state;
    scalekit_client *c = jt_client(NULL, NULL);
    assert_int_equal(skit_jose_set_jwks(c, a2_jwks), SCALEKIT_OK);
    assert_int_equal(scalekit_validate_token(c, a2_token, NULL, NULL), SCALEKIT_ETOKEN_EXPIRED);
    assert_int_equal(scalekit_error_last()->code, SCALEKIT_ETOKEN_EXPIRED);
    assert_non_null(strstr(scalekit_error_last()->message, "1300819380"));
    /* and once more: the verified-token cache must re-check exp on a hit */
    assert_int_equal(scalekit_validate_access_token(c, a2_token), SCALEKIT_ETOKEN_EXPIRED);
    assert_int_equal(skit_jose_fetch_count(c), 0);
    scalekit_client_free(c);
}

static void test_a2_token_refused_by_a3_key(void **state)
{
    (void)state;
    skit_jwks *set = NULL;
    assert_int_equal(skit_jwks_parse(a3_jwks, strlen(a3_jwks), &set), SCALEKIT_OK);
    assert_int_equal(skit_jws_verify(set, a2_token, strlen(a2_token), NULL), SCALEKIT_ETOKEN_ALGORITHM);
    skit_jwks_release(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a2_rs256_signature),
        cmocka_unit_test(test_a3_es256_signature),
        cmocka_unit_test(test_a2_full_validation_is_expired),
        cmocka_unit_test(test_a2_token_refused_by_a3_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
