/* The security review of the token, JWKS and webhook code: one test per
 * finding (each failed before its fix), then regression tests pinning the RFC
 * points the review checked and found right (ES256 high-s, PS256 salt length,
 * non-integer NumericDate), so a later change cannot quietly break them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "core/client_internal.h"
#include "core/core.h"
#include "jose_testkit.h"
#include "mock_http.h"

/* ---- helpers -------------------------------------------------------------- */

static char *b64url(const void *data, size_t len)
{
    char *out = malloc(skit_base64url_encoded_len(len) + 1);
    assert_non_null(out);
    skit_base64url_encode(data, len, out);
    return out;
}

/* The public JWK of @p key with its kid replaced (@p kid NULL: no kid member). */
static json_t *jwk_with_kid(const skit_signing_key *key, const char *kid)
{
    json_t *jwk = NULL;
    assert_int_equal(skit_signing_key_public_jwk(key, &jwk), SCALEKIT_OK);
    if (kid)
        json_object_set_new(jwk, "kid", json_string(kid));
    else
        json_object_del(jwk, "kid");
    return jwk;
}

static char *jwks_of(json_t *jwk)
{
    json_t *doc = json_pack("{s:[o]}", "keys", jwk);
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    assert_non_null(text);
    return text;
}

static char *sign_with_header(const skit_signing_key *key, const char *header)
{
    char *claims = jt_claims(NULL);
    char *token = NULL;
    assert_int_equal(skit_jws_sign_raw(key, header, claims, &token), SCALEKIT_OK);
    free(claims);
    return token;
}

/* ---- finding 1: a huge expires_in overflowed the API token's expiry ------- */

static void test_api_token_huge_expires_in(void **state)
{
    (void)state;
    mock_http *m = mock_http_start();
    /* expires_in = INT64_MAX: now + lifetime was a signed overflow (UBSan abort) */
    mock_http_set_token(m, "tok", 9223372036854775807L, 0);
    scalekit_client *c = jt_client(mock_http_url(m), NULL);
    char *token = NULL;
    assert_int_equal(skit_api_token_get(c, &token, NULL), SCALEKIT_OK);
    assert_string_equal(token, "tok-1");
    free(token);
    /* still cached: the huge lifetime is capped, not wrapped into the past */
    assert_int_equal(skit_api_token_get(c, &token, NULL), SCALEKIT_OK);
    assert_string_equal(token, "tok-1");
    free(token);
    assert_int_equal(mock_http_count(m, "/oauth/token"), 1);
    scalekit_client_free(c);
    mock_http_stop(m);
}

/* ---- finding 2: max_token_bytes = SIZE_MAX wrapped to a zero-length token -- */

static void test_max_token_bytes_size_max(void **state)
{
    (void)state;
    skit_signing_key *k = jt_key("RS256", "k1");
    skit_signing_key *keys[] = {k, NULL};
    scalekit_client_options o = { .struct_size = sizeof(scalekit_client_options), .max_token_bytes = SIZE_MAX};   /* "no limit" */
    scalekit_client *c = jt_client_with_keys(keys, &o);
    char *t = jt_token(k, NULL);
    assert_int_equal(scalekit_validate_token(c, t, NULL, NULL), SCALEKIT_OK);
    free(t);
    scalekit_client_free(c);
    skit_signing_key_free(k);
}

/* ---- finding 3: a huge jwks_ttl_seconds overflowed ttl * 1000 ------------- */

static void test_huge_jwks_ttl(void **state)
{
    (void)state;
    skit_signing_key *k = jt_key("ES256", "e1");
    skit_signing_key *keys[] = {k, NULL};
    scalekit_client_options o = { .struct_size = sizeof(scalekit_client_options), .jwks_ttl_seconds = 9223372036854775807L,
                                 .jwks_min_refetch_interval_ms = 9223372036854775807L};
    scalekit_client *c = jt_client_with_keys(keys, &o);
    char *t = jt_token(k, NULL);
    assert_int_equal(scalekit_validate_token(c, t, NULL, NULL), SCALEKIT_OK);
    assert_int_equal(skit_jose_fetch_count(c), 0);   /* the installed set is fresh */
    free(t);
    scalekit_client_free(c);
    skit_signing_key_free(k);
}

/* ---- finding 4: kid "" and no kid had the same JWKS fingerprint ------------ */

static void test_fingerprint_kid_empty_vs_absent(void **state)
{
    (void)state;
    skit_signing_key *k = jt_key("RS256", "k1");
    char *with_empty = jwks_of(jwk_with_kid(k, ""));
    char *without = jwks_of(jwk_with_kid(k, NULL));
    skit_jwks *a = NULL, *b = NULL;
    assert_int_equal(skit_jwks_parse(with_empty, strlen(with_empty), &a), SCALEKIT_OK);
    assert_int_equal(skit_jwks_parse(without, strlen(without), &b), SCALEKIT_OK);
    assert_memory_not_equal(a->fingerprint, b->fingerprint, 32);
    skit_jwks_release(a);
    skit_jwks_release(b);

    /* end to end: a token with kid "" verified and cached under the first set
     * must not stay valid from the cache once the set no longer has that kid */
    scalekit_client *c = jt_client(NULL, NULL);
    assert_int_equal(skit_jose_set_jwks(c, with_empty), SCALEKIT_OK);
    char *t = sign_with_header(k, "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"\"}");
    assert_int_equal(scalekit_validate_token(c, t, NULL, NULL), SCALEKIT_OK);
    uint64_t gen = skit_jose_jwks_generation(c);
    assert_int_equal(skit_jose_set_jwks(c, without), SCALEKIT_OK);
    assert_true(skit_jose_jwks_generation(c) > gen);
    assert_int_equal(scalekit_validate_token(c, t, NULL, NULL), SCALEKIT_ETOKEN_UNKNOWN_KEY);
    free(t);
    scalekit_client_free(c);
    free(with_empty);
    free(without);
    skit_signing_key_free(k);
}

/* ---- finding 5: a shared kid picked the first key whatever its algorithm --- */

/* RFC 7517 4.5 lets keys of different kty share a kid; the token's alg picks
 * among them, and a key is still only ever used for its one algorithm. */
static void test_shared_kid_across_key_types(void **state)
{
    (void)state;
    skit_signing_key *rsa = jt_key("RS256", "shared"), *ec = jt_key("ES256", "shared");
    skit_signing_key *other = jt_key("ES256", "shared");   /* not in the set */
    skit_signing_key *keys[] = {rsa, ec, NULL};
    scalekit_client *c = jt_client_with_keys(keys, NULL);
    char *t_rsa = jt_token(rsa, NULL), *t_ec = jt_token(ec, NULL), *t_other = jt_token(other, NULL);
    assert_int_equal(scalekit_validate_token(c, t_rsa, NULL, NULL), SCALEKIT_OK);
    assert_int_equal(scalekit_validate_token(c, t_ec, NULL, NULL), SCALEKIT_OK);
    assert_int_equal(scalekit_validate_token(c, t_other, NULL, NULL), SCALEKIT_ETOKEN_SIGNATURE);
    /* an alg no key of that kid is bound to stays an algorithm error */
    char *t_ps = sign_with_header(rsa, "{\"alg\":\"PS256\",\"kid\":\"shared\"}");
    assert_int_equal(scalekit_validate_token(c, t_ps, NULL, NULL), SCALEKIT_ETOKEN_ALGORITHM);
    free(t_ps);
    free(t_rsa);
    free(t_ec);
    free(t_other);
    scalekit_client_free(c);
    skit_signing_key_free(rsa);
    skit_signing_key_free(ec);
    skit_signing_key_free(other);
}

/* ---- regressions: RFC points checked and found right ----------------------- */

/* RFC 7518 3.4: ES256 does not require a low s; n - s verifies as well as s. */
static void test_es256_high_s_accepted(void **state)
{
    (void)state;
    skit_signing_key *k = jt_key("ES256", "e1");
    skit_signing_key *keys[] = {k, NULL};
    scalekit_client *c = jt_client_with_keys(keys, NULL);
    char *t = jt_token(k, NULL);
    const char *dot = strrchr(t, '.');
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    assert_int_equal(skit_base64url_decode(dot + 1, strlen(dot + 1), &sig, &sig_len), SCALEKIT_OK);
    assert_int_equal(sig_len, 64);
    BIGNUM *n = NULL, *s = BN_bin2bn(sig + 32, 32, NULL);
    assert_true(BN_hex2bn(&n, "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551") > 0);
    assert_int_equal(BN_sub(s, n, s), 1);   /* s' = n - s: the other valid s */
    assert_int_equal(BN_bn2binpad(s, sig + 32, 32), 32);
    char *sig_b64 = b64url(sig, 64);
    size_t prefix = (size_t)(dot + 1 - t);
    char *flipped = malloc(prefix + strlen(sig_b64) + 1);
    memcpy(flipped, t, prefix);
    strcpy(flipped + prefix, sig_b64);
    assert_string_not_equal(flipped, t);
    assert_int_equal(scalekit_validate_token(c, flipped, NULL, NULL), SCALEKIT_OK);
    /* and a truncated (63-byte) signature is refused, not read past its end */
    char *short_sig = b64url(sig, 63);
    strcpy(flipped + prefix, short_sig);
    assert_int_equal(scalekit_validate_token(c, flipped, NULL, NULL), SCALEKIT_ETOKEN_SIGNATURE);
    BN_free(n);
    BN_free(s);
    free(short_sig);
    free(sig_b64);
    free(flipped);
    free(sig);
    free(t);
    scalekit_client_free(c);
    skit_signing_key_free(k);
}

/* A PS256 token signed with the salt length @p saltlen. */
static char *ps256_token(const skit_signing_key *k, int saltlen)
{
    char *header = b64url("{\"alg\":\"PS256\",\"kid\":\"p1\"}", strlen("{\"alg\":\"PS256\",\"kid\":\"p1\"}"));
    char *claims = jt_claims(NULL);
    char *payload = b64url(claims, strlen(claims));
    size_t input_len = strlen(header) + 1 + strlen(payload);
    char *input = malloc(input_len + 1);
    snprintf(input, input_len + 1, "%s.%s", header, payload);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    assert_int_equal(EVP_DigestSignInit_ex(md, &pctx, "SHA256", NULL, NULL,
                                           skit_signing_key_pkey(k), NULL), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, saltlen), 1);
    unsigned char sig[512];
    size_t sig_len = sizeof sig;
    assert_int_equal(EVP_DigestSign(md, sig, &sig_len, (const unsigned char *)input, input_len), 1);
    EVP_MD_CTX_free(md);
    char *sig_b64 = b64url(sig, sig_len);
    char *token = malloc(input_len + 2 + strlen(sig_b64));
    sprintf(token, "%s.%s", input, sig_b64);
    free(sig_b64);
    free(input);
    free(payload);
    free(claims);
    free(header);
    return token;
}

/* RFC 7518 3.5: the PSS salt is as long as the hash output (32), no other length. */
static void test_ps256_salt_length(void **state)
{
    (void)state;
    skit_signing_key *k = jt_key("PS256", "p1");
    skit_signing_key *keys[] = {k, NULL};
    scalekit_client *c = jt_client_with_keys(keys, NULL);
    int cases[][2] = {{32, SCALEKIT_OK}, {0, SCALEKIT_ETOKEN_SIGNATURE},
                      {20, SCALEKIT_ETOKEN_SIGNATURE}, {64, SCALEKIT_ETOKEN_SIGNATURE}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *t = ps256_token(k, cases[i][0]);
        assert_int_equal(scalekit_validate_token(c, t, NULL, NULL), cases[i][1]);
        free(t);
    }
    scalekit_client_free(c);
    skit_signing_key_free(k);
}

/* RFC 7519 2: a NumericDate may be non-integer; the comparison keeps the fraction. */
static void test_numeric_date_fractions(void **state)
{
    (void)state;
    skit_jwt_times t = {.has_exp = true, .exp = 1000.5};
    assert_int_equal(skit_jwt_check_times(&t, 1000, 0), SCALEKIT_OK);
    t.exp = 1000.0;   /* exp == now: expired ("before exp", RFC 7519 4.1.4) */
    assert_int_equal(skit_jwt_check_times(&t, 1000, 0), SCALEKIT_ETOKEN_EXPIRED);
    t.exp = 2000;
    t.has_nbf = true;
    t.nbf = 1000.5;   /* a half second ahead is not yet valid without leeway */
    assert_int_equal(skit_jwt_check_times(&t, 1000, 0), SCALEKIT_ETOKEN_NOT_YET_VALID);
    t.nbf = 1000.0;   /* nbf == now: valid ("after or equal", 4.1.5) */
    assert_int_equal(skit_jwt_check_times(&t, 1000, 0), SCALEKIT_OK);
    /* extreme values neither wrap nor crash */
    t.has_nbf = false;
    t.exp = 1.7976931348623157e308;
    assert_int_equal(skit_jwt_check_times(&t, INT64_MAX, 0x7fffffffL), SCALEKIT_OK);
    t.exp = -1.7976931348623157e308;
    assert_int_equal(skit_jwt_check_times(&t, INT64_MIN, 0x7fffffffL), SCALEKIT_ETOKEN_EXPIRED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_token_huge_expires_in),
        cmocka_unit_test(test_max_token_bytes_size_max),
        cmocka_unit_test(test_huge_jwks_ttl),
        cmocka_unit_test(test_fingerprint_kid_empty_vs_absent),
        cmocka_unit_test(test_shared_kid_across_key_types),
        cmocka_unit_test(test_es256_high_s_accepted),
        cmocka_unit_test(test_ps256_salt_length),
        cmocka_unit_test(test_numeric_date_fractions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
