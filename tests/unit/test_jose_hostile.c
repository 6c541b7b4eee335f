/* Hostile tokens: each must be refused with its own error code, through the
 * public validation path (client with a preloaded JWKS, no network). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/bn.h>
#include <openssl/pem.h>

#include "core/core.h"
#include "jose_testkit.h"

typedef struct fixture {
    skit_signing_key *rsa;     /* kid "k1", RS256 */
    skit_signing_key *ec;      /* kid "e1", ES256 */
    skit_signing_key *rs384;   /* kid "k384", RS384 */
    scalekit_client *client;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->rsa = jt_key("RS256", "k1");
    f->ec = jt_key("ES256", "e1");
    f->rs384 = jt_key("RS384", "k384");
    skit_signing_key *keys[] = {f->rsa, f->ec, f->rs384, NULL};
    f->client = jt_client_with_keys(keys, NULL);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    scalekit_client_free(f->client);
    skit_signing_key_free(f->rsa);
    skit_signing_key_free(f->ec);
    skit_signing_key_free(f->rs384);
    free(f);
    return 0;
}

static void expect(fixture *f, const char *token, int code)
{
    int rc = scalekit_validate_token(f->client, token, NULL, NULL);
    if (rc != code)
        fprintf(stderr, "token %.80s...: got %d (%s), want %d\n", token, rc,
                scalekit_error_last()->message ? scalekit_error_last()->message : "", code);
    assert_int_equal(rc, code);
    if (code != SCALEKIT_OK) {
        assert_int_equal(scalekit_error_last()->code, code);
        assert_non_null(scalekit_error_last()->message);
    }
}

static char *b64(const void *data, size_t len)
{
    char *out = malloc(skit_base64url_encoded_len(len) + 1);
    out[skit_base64url_encode(data, len, out)] = '\0';
    return out;
}

/* header.payload.signature from texts (signature given already encoded). */
static char *compact(const char *header, const char *payload, const char *sig_b64)
{
    char *h = b64(header, strlen(header)), *p = b64(payload, strlen(payload));
    size_t n = strlen(h) + strlen(p) + strlen(sig_b64) + 3;
    char *t = malloc(n);
    snprintf(t, n, "%s.%s.%s", h, p, sig_b64);
    free(h);
    free(p);
    return t;
}

static char *signed_raw(const skit_signing_key *k, const char *header, const char *payload)
{
    char *t = NULL;
    assert_int_equal(skit_jws_sign_raw(k, header, payload, &t), SCALEKIT_OK);
    return t;
}

static void test_valid_token_passes(void **state)
{
    fixture *f = *state;
    char *t = jt_token(f->rsa, NULL);
    expect(f, t, SCALEKIT_OK);
    free(t);
    t = jt_token(f->ec, NULL);
    expect(f, t, SCALEKIT_OK);
    free(t);
    t = jt_token(f->rs384, NULL);
    expect(f, t, SCALEKIT_OK);
    free(t);
}

static void test_alg_none(void **state)
{
    fixture *f = *state;
    char *claims = jt_claims(NULL);
    char *t = compact("{\"alg\":\"none\"}", claims, "");
    expect(f, t, SCALEKIT_ETOKEN_ALGORITHM);
    free(t);
    char *real = jt_token(f->rsa, NULL);
    t = compact("{\"alg\":\"none\",\"kid\":\"k1\"}", claims, strrchr(real, '.') + 1);
    expect(f, t, SCALEKIT_ETOKEN_ALGORITHM);
    free(t);
    t = compact("{\"alg\":\"None\",\"kid\":\"k1\"}", claims, strrchr(real, '.') + 1);
    expect(f, t, SCALEKIT_ETOKEN_ALGORITHM);
    free(t);
    free(real);
    free(claims);
}

static char *hs256_token(const char *claims, const unsigned char *key, size_t key_len)
{
    char *h = b64("{\"alg\":\"HS256\",\"kid\":\"k1\"}", 26), *p = b64(claims, strlen(claims));
    size_t n = strlen(h) + strlen(p) + 2;
    char *input = malloc(n);
    snprintf(input, n, "%s.%s", h, p);
    unsigned char mac[32];
    size_t mac_len = 0;
    assert_non_null(EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key, key_len,
                              (const unsigned char *)input, strlen(input), mac, sizeof mac, &mac_len));
    char *sig = b64(mac, mac_len);
    char *t = malloc(n + strlen(sig) + 2);
    sprintf(t, "%s.%s", input, sig);
    free(h);
    free(p);
    free(input);
    free(sig);
    return t;
}

static void test_hs256_with_public_key(void **state)
{
    fixture *f = *state;
    char *claims = jt_claims(NULL);
    /* the classic confusion attack: HMAC keyed with the RSA public key as PEM ... */
    BIO *bio = BIO_new(BIO_s_mem());
    assert_int_equal(PEM_write_bio_PUBKEY(bio, skit_signing_key_pkey(f->rsa)), 1);
    char *pem = NULL;
    long pem_len = BIO_get_mem_data(bio, &pem);
    char *t = hs256_token(claims, (unsigned char *)pem, (size_t)pem_len);
    expect(f, t, SCALEKIT_ETOKEN_ALGORITHM);
    free(t);
    BIO_free(bio);
    /* ... and keyed with the modulus bytes */
    BIGNUM *n = NULL;
    assert_int_equal(EVP_PKEY_get_bn_param(skit_signing_key_pkey(f->rsa), OSSL_PKEY_PARAM_RSA_N, &n), 1);
    unsigned char nbytes[256];
    assert_int_equal(BN_bn2binpad(n, nbytes, 256), 256);
    BN_free(n);
    t = hs256_token(claims, nbytes, sizeof nbytes);
    expect(f, t, SCALEKIT_ETOKEN_ALGORITHM);
    free(t);
    free(claims);
}

static void test_unknown_and_other_algs(void **state)
{
    fixture *f = *state;
    char *claims = jt_claims(NULL);
    char *t = signed_raw(f->rsa, "{\"alg\":\"RS1024\",\"kid\":\"k1\"}", claims);
    expect(f, t, SCALEKIT_ETOKEN_ALGORITHM);
    free(t);
    t = signed_raw(f->rsa, "{\"alg\":\"HS512\",\"kid\":\"k1\"}", claims);
    expect(f, t, SCALEKIT_ETOKEN_ALGORITHM);
    free(t);
    t = signed_raw(f->rsa, "{\"alg\":7,\"kid\":\"k1\"}", claims);
    expect(f, t, SCALEKIT_ETOKEN_MALFORMED);
    free(t);
    t = signed_raw(f->rsa, "{\"kid\":\"k1\"}", claims);
    expect(f, t, SCALEKIT_ETOKEN_MALFORMED);
    free(t);
    free(claims);
}

static void test_wrong_kid(void **state)
{
    fixture *f = *state;
    skit_signing_key *stranger = jt_key("RS256", "nobody");
    char *t = jt_token(stranger, NULL);
    expect(f, t, SCALEKIT_ETOKEN_UNKNOWN_KEY);
    /* within the refetch cooldown of the preload: no fetch was attempted */
    assert_int_equal(skit_jose_fetch_count(f->client), 0);
    free(t);
    /* a stranger key under a known kid: the signature does not verify */
    skit_signing_key *impostor = jt_key("RS256", "k1");
    t = jt_token(impostor, NULL);
    expect(f, t, SCALEKIT_ETOKEN_SIGNATURE);
    free(t);
    skit_signing_key_free(impostor);
    skit_signing_key_free(stranger);
}

static void test_key_of_another_type_or_alg(void **state)
{
    fixture *f = *state;
    char *claims = jt_claims(NULL);
    /* an ES256 header naming the RSA key's kid */
    char *t = signed_raw(f->ec, "{\"alg\":\"ES256\",\"kid\":\"k1\"}", claims);
    expect(f, t, SCALEKIT_ETOKEN_ALGORITHM);
    free(t);
    /* an RS256 header naming the RS384-bound key */
    t = signed_raw(f->rs384, "{\"alg\":\"RS256\",\"kid\":\"k384\"}", claims);
    expect(f, t, SCALEKIT_ETOKEN_ALGORITHM);
    free(t);
    /* a PS256 header naming the RS256 key */
    t = signed_raw(f->rsa, "{\"alg\":\"PS256\",\"kid\":\"k1\"}", claims);
    expect(f, t, SCALEKIT_ETOKEN_ALGORITHM);
    free(t);
    /* no kid with three keys in the set */
    t = signed_raw(f->rsa, "{\"alg\":\"RS256\"}", claims);
    expect(f, t, SCALEKIT_ETOKEN_UNKNOWN_KEY);
    free(t);
    free(claims);
}

static void test_time_claims(void **state)
{
    fixture *f = *state;
    long long now = (long long)skit_now();
    char extra[160];
    struct { const char *fmt; long long delta; int code; } cases[] = {
        {"{\"exp\":%lld}", -120, SCALEKIT_ETOKEN_EXPIRED},
        {"{\"exp\":%lld}", -30, SCALEKIT_OK},            /* inside the 60 s leeway */
        {"{\"nbf\":%lld}", 120, SCALEKIT_ETOKEN_NOT_YET_VALID},
        {"{\"nbf\":%lld}", 30, SCALEKIT_OK},
        {"{\"iat\":%lld}", 120, SCALEKIT_ETOKEN_NOT_YET_VALID},
        {"{\"exp\":\"%lld\"}", 600, SCALEKIT_ETOKEN_MALFORMED},   /* a string exp */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(extra, sizeof extra, cases[i].fmt, now + cases[i].delta);
        char *t = jt_token(f->rsa, extra);
        expect(f, t, cases[i].code);
        free(t);
    }
    /* a leeway option of 10 s makes exp 30 s ago expired */
    snprintf(extra, sizeof extra, "{\"exp\":%lld}", now - 30);
    char *t = jt_token(f->rsa, extra);
    scalekit_validate_options o = { .struct_size = sizeof(scalekit_validate_options), .leeway_seconds = 10};
    assert_int_equal(scalekit_validate_token(f->client, t, &o, NULL), SCALEKIT_ETOKEN_EXPIRED);
    free(t);
    /* a negative leeway allows no skew at all: nbf 30 s ahead is too early */
    snprintf(extra, sizeof extra, "{\"nbf\":%lld}", now + 30);
    t = jt_token(f->rsa, extra);
    scalekit_validate_options none = { .struct_size = sizeof(scalekit_validate_options), .leeway_seconds = -1};
    assert_int_equal(scalekit_validate_token(f->client, t, &none, NULL), SCALEKIT_ETOKEN_NOT_YET_VALID);
    assert_int_equal(scalekit_validate_token(f->client, t, NULL, NULL), SCALEKIT_OK);
    free(t);
    /* missing exp */
    char payload[128];
    snprintf(payload, sizeof payload, "{\"sub\":\"u\",\"iat\":%lld}", now);
    t = jt_sign(f->rsa, payload);
    expect(f, t, SCALEKIT_ETOKEN_EXPIRED);
    assert_non_null(strstr(scalekit_error_last()->message, "exp"));
    free(t);
}

static char *replace_segment(const char *token, int which, const char *with)
{
    const char *d1 = strchr(token, '.'), *d2 = strchr(d1 + 1, '.');
    const char *start[3] = {token, d1 + 1, d2 + 1};
    const char *end[3] = {d1, d2, token + strlen(token)};
    size_t n = strlen(token) + strlen(with) + 1;
    char *out = malloc(n);
    out[0] = '\0';
    for (int i = 0; i < 3; i++) {
        if (i)
            strcat(out, ".");
        if (i == which)
            strcat(out, with);
        else
            strncat(out, start[i], (size_t)(end[i] - start[i]));
    }
    return out;
}

static void test_tampering(void **state)
{
    fixture *f = *state;
    char *t = jt_token(f->rsa, "{\"role\":\"user\"}");
    char *other_claims = jt_claims("{\"role\":\"admin\"}");
    char *p = b64(other_claims, strlen(other_claims));
    char *bad = replace_segment(t, 1, p);
    expect(f, bad, SCALEKIT_ETOKEN_SIGNATURE);
    free(bad);
    free(p);
    const char *hdr = "{\"alg\":\"RS256\",\"kid\":\"k1\",\"typ\":\"JWT\",\"x\":1}";
    char *h = b64(hdr, strlen(hdr));
    bad = replace_segment(t, 0, h);
    expect(f, bad, SCALEKIT_ETOKEN_SIGNATURE);
    free(bad);
    free(h);
    /* truncated signature: 341 characters is not base64url, 340 is a short signature */
    size_t n = strlen(t);
    bad = strndup(t, n - 1);
    expect(f, bad, SCALEKIT_ETOKEN_MALFORMED);
    free(bad);
    bad = strndup(t, n - 2);
    expect(f, bad, SCALEKIT_ETOKEN_SIGNATURE);
    free(bad);
    free(other_claims);
    free(t);
}

static void test_encoding_and_shape(void **state)
{
    fixture *f = *state;
    char *t = jt_token(f->rsa, NULL);
    size_t n = strlen(t);
    char *buf = malloc(n + 16);
    const char *d1 = strchr(t, '.');
    size_t hlen = (size_t)(d1 - t);
    /* padding: "=" after the signature, after the header */
    sprintf(buf, "%s=", t);
    expect(f, buf, SCALEKIT_ETOKEN_MALFORMED);
    sprintf(buf, "%.*s=%s", (int)hlen, t, d1);
    expect(f, buf, SCALEKIT_ETOKEN_MALFORMED);
    /* whitespace: leading, trailing newline, inside the payload */
    sprintf(buf, " %s", t);
    expect(f, buf, SCALEKIT_ETOKEN_MALFORMED);
    sprintf(buf, "%s\n", t);
    expect(f, buf, SCALEKIT_ETOKEN_MALFORMED);
    sprintf(buf, "%.*s %s", (int)hlen + 5, t, t + hlen + 5);
    expect(f, buf, SCALEKIT_ETOKEN_MALFORMED);
    /* standard base64 alphabet instead of base64url */
    strcpy(buf, t);
    for (char *c = buf; *c; c++)
        if (*c == '-' || *c == '_')
            *c = *c == '-' ? '+' : '/';
    if (strcmp(buf, t) != 0)
        expect(f, buf, SCALEKIT_ETOKEN_MALFORMED);
    /* 2 and 4 segments */
    sprintf(buf, "%.*s", (int)(strrchr(t, '.') - t), t);
    expect(f, buf, SCALEKIT_ETOKEN_MALFORMED);
    sprintf(buf, "%s.AAAA", t);
    expect(f, buf, SCALEKIT_ETOKEN_MALFORMED);
    /* empty segments */
    expect(f, d1, SCALEKIT_ETOKEN_MALFORMED);                      /* ".p.s" */
    sprintf(buf, "%.*s.%s", (int)hlen, t, strrchr(t, '.'));       /* "h..s" */
    expect(f, buf, SCALEKIT_ETOKEN_MALFORMED);
    sprintf(buf, "%.*s", (int)(strrchr(t, '.') - t) + 1, t);      /* "h.p." */
    expect(f, buf, SCALEKIT_ETOKEN_MALFORMED);
    expect(f, "..", SCALEKIT_ETOKEN_MALFORMED);
    assert_int_equal(scalekit_validate_token(f->client, "", NULL, NULL), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_validate_token(f->client, NULL, NULL, NULL), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_validate_token(NULL, t, NULL, NULL), SCALEKIT_EINVAL);
    free(buf);
    free(t);
}

static void test_header_and_payload_content(void **state)
{
    fixture *f = *state;
    char *claims = jt_claims(NULL);
    char *t = signed_raw(f->rsa, "{\"alg\":\"RS256\",\"kid\":\"k1\",\"crit\":[\"exp\"],\"exp\":1}", claims);
    expect(f, t, SCALEKIT_ETOKEN_MALFORMED);
    assert_non_null(strstr(scalekit_error_last()->message, "crit"));
    free(t);
    t = signed_raw(f->rsa, "[\"alg\",\"RS256\"]", claims);
    expect(f, t, SCALEKIT_ETOKEN_MALFORMED);
    free(t);
    t = signed_raw(f->rsa, "{\"alg\":\"RS256\",\"kid\":\"k1\"}", "[1,2]");
    expect(f, t, SCALEKIT_ETOKEN_MALFORMED);
    free(t);
    t = signed_raw(f->rsa, "{\"alg\":\"RS256\",\"kid\":\"k1\"}", "\"just a string\"");
    expect(f, t, SCALEKIT_ETOKEN_MALFORMED);
    free(t);
    t = signed_raw(f->rsa, "{\"alg\":\"RS256\",\"kid\":\"k1\"}", "not json");
    expect(f, t, SCALEKIT_ETOKEN_MALFORMED);
    free(t);
    /* invalid UTF-8 inside a JSON string */
    char payload[200];
    snprintf(payload, sizeof payload, "{\"sub\":\"\xff\xfe\",\"exp\":%lld}", (long long)skit_now() + 600);
    t = signed_raw(f->rsa, "{\"alg\":\"RS256\",\"kid\":\"k1\"}", payload);
    expect(f, t, SCALEKIT_ETOKEN_MALFORMED);
    free(t);
    /* duplicate members: which alg would a reader believe? */
    t = signed_raw(f->rsa, "{\"alg\":\"none\",\"alg\":\"RS256\",\"kid\":\"k1\"}", claims);
    expect(f, t, SCALEKIT_ETOKEN_MALFORMED);
    free(t);
    t = signed_raw(f->rsa, "{\"alg\":\"RS256\",\"kid\":5}", claims);
    expect(f, t, SCALEKIT_ETOKEN_MALFORMED);
    free(t);
    free(claims);
}

static void test_too_large(void **state)
{
    fixture *f = *state;
    size_t n = 1024 * 1024;
    char *big = malloc(n + 1);
    memset(big, 'A', n);
    big[10] = '.';
    big[20] = '.';
    big[n] = '\0';
    expect(f, big, SCALEKIT_ETOKEN_TOO_LARGE);
    free(big);
    /* the limit is the client's: a token just over a small limit is refused */
    scalekit_client_options o = { .struct_size = sizeof(scalekit_client_options), .max_token_bytes = 100};
    skit_signing_key *keys[] = {f->rsa, NULL};
    scalekit_client *small = jt_client_with_keys(keys, &o);
    char *t = jt_token(f->rsa, NULL);
    assert_int_equal(scalekit_validate_token(small, t, NULL, NULL), SCALEKIT_ETOKEN_TOO_LARGE);
    assert_int_equal(scalekit_validate_token(f->client, t, NULL, NULL), SCALEKIT_OK);
    free(t);
    scalekit_client_free(small);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_token_passes),
        cmocka_unit_test(test_alg_none),
        cmocka_unit_test(test_hs256_with_public_key),
        cmocka_unit_test(test_unknown_and_other_algs),
        cmocka_unit_test(test_wrong_kid),
        cmocka_unit_test(test_key_of_another_type_or_alg),
        cmocka_unit_test(test_time_claims),
        cmocka_unit_test(test_tampering),
        cmocka_unit_test(test_encoding_and_shape),
        cmocka_unit_test(test_header_and_payload_content),
        cmocka_unit_test(test_too_large),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
