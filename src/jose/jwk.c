/* JWK and JWKS parsing (RFC 7517, RFC 7518 section 6): RSA and EC P-256 public
 * keys, each bound to exactly one algorithm, built with EVP_PKEY_fromdata. */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include "core/core.h"
#include "jose/jose.h"

#define MIN_RSA_BITS 2048
#define MAX_RSA_BITS 16384
#define MAX_RSA_EXPONENT_BYTES 8

void skit_jwk_clear(skit_jwk *k)
{
    if (!k)
        return;
    EVP_PKEY_free(k->pkey);
    free(k->kid);
    memset(k, 0, sizeof *k);
}

/* Strictly decode the base64url string member @p name of @p jwk. */
static int member_bytes(const json_t *jwk, const char *name, unsigned char **out, size_t *len)
{
    const json_t *v = json_object_get(jwk, name);
    if (!json_is_string(v))
        return skit_error_set(SCALEKIT_EMALFORMED_RESPONSE, "JWK member %s missing or not a string",
                              name);
    if (json_string_length(v) == 0 ||
        skit_base64url_decode(json_string_value(v), json_string_length(v), out, len) != SCALEKIT_OK)
        return skit_error_set(SCALEKIT_EMALFORMED_RESPONSE,
                              "JWK member %s is not strict base64url", name);
    return SCALEKIT_OK;
}

static EVP_PKEY *pkey_from_params(const char *type, OSSL_PARAM_BLD *bld)
{
    EVP_PKEY *pkey = NULL;
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    if (params && ctx && EVP_PKEY_fromdata_init(ctx) == 1)
        if (EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
            pkey = NULL;
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return pkey;
}

int skit_pkey_rsa_public(const unsigned char *n, size_t n_len, const unsigned char *e, size_t e_len,
                         const char *what, EVP_PKEY **out)
{
    BIGNUM *bn_n = BN_bin2bn(n, (int)n_len, NULL);
    BIGNUM *bn_e = BN_bin2bn(e, (int)e_len, NULL);
    OSSL_PARAM_BLD *bld = NULL;
    int rc = SCALEKIT_OK;
    if (!bn_n || !bn_e) {
        rc = skit_error_oom();
        goto done;
    }
    int bits = BN_num_bits(bn_n);
    if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
        rc = skit_error_set(SCALEKIT_EMALFORMED_RESPONSE, "%s RSA modulus has %d bits (need %d to %d)",
                            what, bits, MIN_RSA_BITS, MAX_RSA_BITS);
        goto done;
    }
    if (e_len > MAX_RSA_EXPONENT_BYTES || !BN_is_odd(bn_e) || BN_is_one(bn_e)) {
        rc = skit_error_set(SCALEKIT_EMALFORMED_RESPONSE, "%s RSA exponent is not a valid exponent", what);
        goto done;
    }
    bld = OSSL_PARAM_BLD_new();
    if (!bld || OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e) != 1 ||
        !(*out = pkey_from_params("RSA", bld)))
        rc = skit_error_set(SCALEKIT_EMALFORMED_RESPONSE, "%s RSA key could not be built", what);
done:
    OSSL_PARAM_BLD_free(bld);
    BN_free(bn_n);
    BN_free(bn_e);
    return rc;
}

int skit_pkey_p256_public(const unsigned char *x, size_t x_len, const unsigned char *y, size_t y_len,
                          const char *what, EVP_PKEY **out)
{
    if (x_len != 32 || y_len != 32)
        return skit_error_set(SCALEKIT_EMALFORMED_RESPONSE,
                              "%s P-256 coordinates must be 32 bytes (x %zu, y %zu)", what, x_len, y_len);
    unsigned char point[65];
    point[0] = 0x04;   /* uncompressed */
    memcpy(point + 1, x, 32);
    memcpy(point + 33, y, 32);
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    int rc = SCALEKIT_OK;
    /* fromdata decodes the point and refuses one that is not on the curve */
    if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point) != 1 ||
        !(*out = pkey_from_params("EC", bld)))
        rc = skit_error_set(SCALEKIT_EMALFORMED_RESPONSE, "%s P-256 point is not on the curve", what);
    OSSL_PARAM_BLD_free(bld);
    return rc;
}

/* The key of JWK members @p a and @p b (n and e, or x and y) built by @p build. */
static int jwk_key(const json_t *jwk, const char *a, const char *b,
                   int (*build)(const unsigned char *, size_t, const unsigned char *, size_t, const char *,
                                EVP_PKEY **),
                   EVP_PKEY **out)
{
    unsigned char *va = NULL, *vb = NULL;
    size_t la = 0, lb = 0;
    int rc = member_bytes(jwk, a, &va, &la);
    if (rc == SCALEKIT_OK)
        rc = member_bytes(jwk, b, &vb, &lb);
    if (rc == SCALEKIT_OK)
        rc = build(va, la, vb, lb, "JWK", out);
    free(va);
    free(vb);
    return rc;
}

static bool alg_fits_type(skit_jws_alg alg, skit_jwk_type type)
{
    return type == SKIT_JWK_EC_P256 ? alg == SKIT_JWS_ES256
                                    : alg != SKIT_JWS_ES256 && alg != SKIT_JWS_ALG_INVALID;
}

/* key_ops, when present, must allow "verify". */
static bool ops_allow_verify(const json_t *jwk)
{
    const json_t *ops = json_object_get(jwk, "key_ops");
    if (!ops)
        return true;
    size_t i;
    const json_t *op;
    json_array_foreach(ops, i, op)
        if (json_is_string(op) && strcmp(json_string_value(op), "verify") == 0)
            return true;
    return false;
}

int skit_jwk_parse(const json_t *jwk, skit_jwk *out)
{
    if (!jwk || !out)
        return skit_error_set(SCALEKIT_EINVAL, "jwk and out must not be NULL");
    memset(out, 0, sizeof *out);
    if (!json_is_object(jwk))
        return skit_error_set(SCALEKIT_EMALFORMED_RESPONSE, "a JWK must be a JSON object");
    const json_t *kty = json_object_get(jwk, "kty");
    if (!json_is_string(kty))
        return skit_error_set(SCALEKIT_EMALFORMED_RESPONSE, "JWK kty missing or not a string");
    const json_t *use = json_object_get(jwk, "use");
    if (use && (!json_is_string(use) || strcmp(json_string_value(use), "sig") != 0))
        return SKIT_JWK_SKIPPED;
    if (!ops_allow_verify(jwk))
        return SKIT_JWK_SKIPPED;
    const char *kty_s = json_string_value(kty);
    if (strcmp(kty_s, "RSA") == 0) {
        out->type = SKIT_JWK_RSA;
    } else if (strcmp(kty_s, "EC") == 0) {
        const json_t *crv = json_object_get(jwk, "crv");
        if (!json_is_string(crv))
            return skit_error_set(SCALEKIT_EMALFORMED_RESPONSE, "JWK EC key without a crv");
        if (strcmp(json_string_value(crv), "P-256") != 0)
            return SKIT_JWK_SKIPPED;
        out->type = SKIT_JWK_EC_P256;
    } else {
        return SKIT_JWK_SKIPPED;
    }
    const json_t *alg = json_object_get(jwk, "alg");
    if (alg) {
        if (!json_is_string(alg))
            return skit_error_set(SCALEKIT_EMALFORMED_RESPONSE, "JWK alg is not a string");
        out->alg = skit_jws_alg_from_name(json_string_value(alg));
        /* a key for an algorithm we never accept (HS256, RSA-OAEP...) is of no use to us */
        if (!alg_fits_type(out->alg, out->type)) {
            memset(out, 0, sizeof *out);
            return SKIT_JWK_SKIPPED;
        }
    } else {
        out->alg = out->type == SKIT_JWK_RSA ? SKIT_JWS_RS256 : SKIT_JWS_ES256;
    }
    const json_t *kid = json_object_get(jwk, "kid");
    if (kid && !json_is_string(kid))
        return skit_error_set(SCALEKIT_EMALFORMED_RESPONSE, "JWK kid is not a string");
    int rc = out->type == SKIT_JWK_RSA ? jwk_key(jwk, "n", "e", skit_pkey_rsa_public, &out->pkey)
                                      : jwk_key(jwk, "x", "y", skit_pkey_p256_public, &out->pkey);
    if (rc == SCALEKIT_OK && kid && !(out->kid = strdup(json_string_value(kid))))
        rc = skit_error_oom();
    static uint64_t next_serial;
    out->serial = __atomic_add_fetch(&next_serial, 1, __ATOMIC_RELAXED);
    if (rc != SCALEKIT_OK)
        skit_jwk_clear(out);
    return rc;
}

static void jwks_free(skit_jwks *set)
{
    for (size_t i = 0; i < set->count; i++)
        skit_jwk_clear(&set->keys[i]);
    free(set->keys);
    free(set);
}

skit_jwks *skit_jwks_retain(skit_jwks *set)
{
    if (set)
        __atomic_add_fetch(&set->refs, 1, __ATOMIC_RELAXED);
    return set;
}

void skit_jwks_release(skit_jwks *set)
{
    if (set && __atomic_sub_fetch(&set->refs, 1, __ATOMIC_ACQ_REL) == 0)
        jwks_free(set);
}

/* SHA-256 over every key's kid (and whether it has one), alg and public key:
 * equal sets, equal prints. */
static int fingerprint(skit_jwks *set)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1;
    for (size_t i = 0; ok && i < set->count; i++) {
        const skit_jwk *k = &set->keys[i];
        /* kid "" and no kid select keys differently (skit_jwks_find_key): tell them apart */
        const unsigned char has_kid = k->kid != NULL;
        const char *kid = k->kid ? k->kid : "";
        const char *alg = skit_jws_alg_name(k->alg);
        unsigned char *der = NULL;
        int der_len = i2d_PUBKEY(k->pkey, &der);
        ok = der_len > 0 && EVP_DigestUpdate(md, &has_kid, 1) == 1 &&
             EVP_DigestUpdate(md, kid, strlen(kid) + 1) == 1 &&
             EVP_DigestUpdate(md, alg, strlen(alg) + 1) == 1 &&
             EVP_DigestUpdate(md, der, (size_t)der_len) == 1;
        OPENSSL_free(der);
    }
    ok = ok && EVP_DigestFinal_ex(md, set->fingerprint, NULL) == 1;
    EVP_MD_CTX_free(md);
    return ok ? SCALEKIT_OK : skit_error_set(SCALEKIT_EINTERNAL, "hashing the JWKS failed");
}

int skit_jwks_from_json(const json_t *doc, skit_jwks **out)
{
    if (!out)
        return skit_error_set(SCALEKIT_EINVAL, "out must not be NULL");
    *out = NULL;
    const json_t *keys = json_object_get(doc, "keys");
    if (!json_is_array(keys))
        return skit_error_set(SCALEKIT_EMALFORMED_RESPONSE, "JWKS has no keys array");
    skit_jwks *set = calloc(1, sizeof *set);
    size_t n = json_array_size(keys);
    if (!set || (n && !(set->keys = calloc(n, sizeof *set->keys)))) {
        free(set);
        return skit_error_oom();
    }
    set->refs = 1;
    for (size_t i = 0; i < n; i++) {
        int rc = skit_jwk_parse(json_array_get(keys, i), &set->keys[set->count]);
        if (rc == SKIT_JWK_SKIPPED)
            continue;
        if (rc != SCALEKIT_OK) {
            jwks_free(set);
            return rc;
        }
        set->count++;
    }
    int rc = fingerprint(set);
    if (rc != SCALEKIT_OK) {
        jwks_free(set);
        return rc;
    }
    *out = set;
    return SCALEKIT_OK;
}

int skit_jwks_parse(const char *json, size_t len, skit_jwks **out)
{
    if (!json || !out)
        return skit_error_set(SCALEKIT_EINVAL, "json and out must not be NULL");
    *out = NULL;
    json_error_t err;
    json_t *doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &err);
    if (!json_is_object(doc)) {
        json_decref(doc);
        return skit_error_set(SCALEKIT_EMALFORMED_RESPONSE, "JWKS is not a JSON object: %s",
                              doc ? "another JSON type" : err.text);
    }
    size_t n = json_array_size(json_object_get(doc, "keys"));
    if (n > SKIT_JWKS_MAX_KEYS) {
        json_decref(doc);
        return skit_error_set(SCALEKIT_EMALFORMED_RESPONSE, "JWKS has %zu keys, more than %d",
                              n, SKIT_JWKS_MAX_KEYS);
    }
    int rc = skit_jwks_from_json(doc, out);
    json_decref(doc);
    return rc;
}
