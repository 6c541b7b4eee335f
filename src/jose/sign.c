/* Signing keys and JWS signing: the emulator issues its tokens with these,
 * and the tests build valid and hostile tokens with them. */
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "core/core.h"
#include "jose/jose.h"

struct skit_signing_key {
    EVP_PKEY *pkey;
    skit_jws_alg alg;
    char *kid;
};

static const struct {
    skit_jws_alg alg;
    const char *name;
} alg_names[] = {
    {SKIT_JWS_RS256, "RS256"}, {SKIT_JWS_RS384, "RS384"}, {SKIT_JWS_RS512, "RS512"},
    {SKIT_JWS_PS256, "PS256"}, {SKIT_JWS_ES256, "ES256"},
};

skit_jws_alg skit_jws_alg_from_name(const char *name)
{
    if (!name)
        return SKIT_JWS_ALG_INVALID;
    for (size_t i = 0; i < sizeof alg_names / sizeof alg_names[0]; i++)
        if (strcmp(alg_names[i].name, name) == 0)
            return alg_names[i].alg;
    return SKIT_JWS_ALG_INVALID;
}

const char *skit_jws_alg_name(skit_jws_alg alg)
{
    for (size_t i = 0; i < sizeof alg_names / sizeof alg_names[0]; i++)
        if (alg_names[i].alg == alg)
            return alg_names[i].name;
    return NULL;
}

static bool alg_is_ec(skit_jws_alg alg) { return alg == SKIT_JWS_ES256; }

static int new_key(EVP_PKEY *pkey, skit_jws_alg alg, const char *kid, skit_signing_key **out)
{
    skit_signing_key *k = calloc(1, sizeof *k);
    if (!k || (kid && !(k->kid = strdup(kid)))) {
        free(k);
        EVP_PKEY_free(pkey);
        return skit_error_oom();
    }
    k->pkey = pkey;
    k->alg = alg;
    *out = k;
    return SCALEKIT_OK;
}

int skit_signing_key_generate(const char *alg_name, const char *kid, skit_signing_key **out)
{
    if (!out)
        return skit_error_set(SCALEKIT_EINVAL, "out must not be NULL");
    *out = NULL;
    skit_jws_alg alg = skit_jws_alg_from_name(alg_name);
    if (!alg)
        return skit_error_set(SCALEKIT_EINVAL, "unsupported signing algorithm \"%s\"",
                              alg_name ? alg_name : "(null)");
    EVP_PKEY *pkey = alg_is_ec(alg) ? EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256")
                                    : EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    if (!pkey)
        return skit_error_set(SCALEKIT_EINTERNAL, "generating a %s key failed", alg_name);
    return new_key(pkey, alg, kid, out);
}

static bool pkey_suits(EVP_PKEY *pkey, skit_jws_alg alg)
{
    if (alg_is_ec(alg)) {
        char group[32];
        size_t glen = 0;
        return EVP_PKEY_is_a(pkey, "EC") &&
               EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group,
                                              sizeof group, &glen) == 1 &&
               (strcmp(group, "prime256v1") == 0 || strcmp(group, "P-256") == 0);
    }
    return EVP_PKEY_is_a(pkey, "RSA") && EVP_PKEY_get_bits(pkey) >= 2048;
}

int skit_signing_key_from_pem(const char *pem, const char *kid, const char *alg_name,
                              skit_signing_key **out)
{
    if (!out || !pem)
        return skit_error_set(SCALEKIT_EINVAL, "pem and out must not be NULL");
    *out = NULL;
    skit_jws_alg alg = skit_jws_alg_from_name(alg_name);
    if (!alg)
        return skit_error_set(SCALEKIT_EINVAL, "unsupported signing algorithm \"%s\"",
                              alg_name ? alg_name : "(null)");
    BIO *bio = BIO_new_mem_buf(pem, -1);
    if (!bio)
        return skit_error_oom();
    EVP_PKEY *pkey = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    BIO_free(bio);
    if (!pkey)
        return skit_error_set(SCALEKIT_EINVAL, "pem is not a readable private key");
    if (!pkey_suits(pkey, alg)) {
        EVP_PKEY_free(pkey);
        return skit_error_set(SCALEKIT_EINVAL, "the pem key does not suit algorithm %s", alg_name);
    }
    return new_key(pkey, alg, kid, out);
}

int skit_signing_key_to_pem(const skit_signing_key *k, char **pem_out)
{
    if (!k || !pem_out)
        return skit_error_set(SCALEKIT_EINVAL, "key and pem_out must not be NULL");
    *pem_out = NULL;
    BIO *bio = BIO_new(BIO_s_mem());
    if (!bio)
        return skit_error_oom();
    int rc = SCALEKIT_OK;
    if (PEM_write_bio_PrivateKey(bio, k->pkey, NULL, NULL, 0, NULL, NULL) != 1) {
        rc = skit_error_set(SCALEKIT_EINTERNAL, "writing the private key as PEM failed");
    } else {
        char *data = NULL;
        long len = BIO_get_mem_data(bio, &data);
        char *pem = malloc((size_t)len + 1);
        if (!pem) {
            rc = skit_error_oom();
        } else {
            memcpy(pem, data, (size_t)len);
            pem[len] = '\0';
            *pem_out = pem;
        }
    }
    BIO_free(bio);
    return rc;
}

const char *skit_signing_key_kid(const skit_signing_key *k) { return k ? k->kid : NULL; }
const char *skit_signing_key_alg(const skit_signing_key *k) { return k ? skit_jws_alg_name(k->alg) : NULL; }
EVP_PKEY *skit_signing_key_pkey(const skit_signing_key *k) { return k ? k->pkey : NULL; }

void skit_signing_key_free(skit_signing_key *k)
{
    if (!k)
        return;
    EVP_PKEY_free(k->pkey);
    free(k->kid);
    free(k);
}

/* A base64url JSON string of @p len bytes; NULL on out of memory. */
static json_t *b64url_json(const unsigned char *bytes, size_t len)
{
    char *text = malloc(skit_base64url_encoded_len(len) + 1);
    if (!text)
        return NULL;
    size_t n = skit_base64url_encode(bytes, len, text);
    text[n] = '\0';
    json_t *s = json_string(text);
    free(text);
    return s;
}

/* The big-endian bytes of a BIGNUM parameter, left padded to @p width (0: minimal). */
static json_t *bn_param_json(EVP_PKEY *pkey, const char *param, size_t width)
{
    BIGNUM *bn = NULL;
    json_t *out = NULL;
    if (EVP_PKEY_get_bn_param(pkey, param, &bn) != 1)
        return NULL;
    size_t len = width ? width : (size_t)BN_num_bytes(bn);
    if (len == 0)
        len = 1;
    unsigned char *buf = malloc(len);
    if (buf && BN_bn2binpad(bn, buf, (int)len) == (int)len)
        out = b64url_json(buf, len);
    free(buf);
    BN_free(bn);
    return out;
}

int skit_signing_key_public_jwk(const skit_signing_key *k, json_t **out)
{
    if (!k || !out)
        return skit_error_set(SCALEKIT_EINVAL, "key and out must not be NULL");
    *out = NULL;
    json_t *jwk = json_object();
    if (!jwk)
        return skit_error_oom();
    int ok;
    if (alg_is_ec(k->alg)) {
        ok = !json_object_set_new(jwk, "kty", json_string("EC")) &&
             !json_object_set_new(jwk, "crv", json_string("P-256")) &&
             !json_object_set_new(jwk, "x", bn_param_json(k->pkey, OSSL_PKEY_PARAM_EC_PUB_X, 32)) &&
             !json_object_set_new(jwk, "y", bn_param_json(k->pkey, OSSL_PKEY_PARAM_EC_PUB_Y, 32));
    } else {
        ok = !json_object_set_new(jwk, "kty", json_string("RSA")) &&
             !json_object_set_new(jwk, "n", bn_param_json(k->pkey, OSSL_PKEY_PARAM_RSA_N, 0)) &&
             !json_object_set_new(jwk, "e", bn_param_json(k->pkey, OSSL_PKEY_PARAM_RSA_E, 0));
    }
    ok = ok && !json_object_set_new(jwk, "use", json_string("sig")) &&
         !json_object_set_new(jwk, "alg", json_string(skit_jws_alg_name(k->alg)));
    if (ok && k->kid)
        ok = !json_object_set_new(jwk, "kid", json_string(k->kid));
    if (!ok) {
        json_decref(jwk);
        return skit_error_set(SCALEKIT_EINTERNAL, "building the public JWK failed");
    }
    *out = jwk;
    return SCALEKIT_OK;
}

const char *skit_jws_alg_digest(skit_jws_alg alg)
{
    switch (alg) {
    case SKIT_JWS_RS384: return "SHA384";
    case SKIT_JWS_RS512: return "SHA512";
    default: return "SHA256";
    }
}

/* DER ECDSA signature -> JOSE r||s, 32 bytes each. */
static int ecdsa_der_to_jose(const unsigned char *der, size_t der_len, unsigned char out[64])
{
    const unsigned char *p = der;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    if (!sig)
        return -1;
    const BIGNUM *r = NULL, *s = NULL;
    ECDSA_SIG_get0(sig, &r, &s);
    int ok = BN_bn2binpad(r, out, 32) == 32 && BN_bn2binpad(s, out + 32, 32) == 32;
    ECDSA_SIG_free(sig);
    return ok ? 0 : -1;
}

int skit_signing_key_sign(const skit_signing_key *k, const void *data, size_t len,
                          unsigned char **sig_out, size_t *sig_len_out)
{
    if (!k || (!data && len) || !sig_out || !sig_len_out)
        return skit_error_set(SCALEKIT_EINVAL, "key, data and outputs must not be NULL");
    *sig_out = NULL;
    *sig_len_out = 0;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    int rc = SCALEKIT_EINTERNAL;
    if (!md || EVP_DigestSignInit_ex(md, &pctx, skit_jws_alg_digest(k->alg), NULL, NULL,
                                     k->pkey, NULL) != 1)
        goto done;
    if (k->alg == SKIT_JWS_PS256 &&
        (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1))
        goto done;
    if (EVP_DigestSign(md, NULL, &sig_len, data, len) != 1 || !(sig = malloc(sig_len)) ||
        EVP_DigestSign(md, sig, &sig_len, data, len) != 1)
        goto done;
    if (alg_is_ec(k->alg)) {
        unsigned char *raw = malloc(64);
        if (!raw || ecdsa_der_to_jose(sig, sig_len, raw) != 0) {
            free(raw);
            goto done;
        }
        free(sig);
        sig = raw;
        sig_len = 64;
    }
    *sig_out = sig;
    *sig_len_out = sig_len;
    sig = NULL;
    rc = SCALEKIT_OK;
done:
    free(sig);
    EVP_MD_CTX_free(md);
    if (rc != SCALEKIT_OK)
        return skit_error_set(rc, "signing with %s failed", skit_jws_alg_name(k->alg));
    return rc;
}

int skit_jws_sign_raw(const skit_signing_key *k, const char *header_json,
                      const char *payload_json, char **out)
{
    if (!k || !header_json || !payload_json || !out)
        return skit_error_set(SCALEKIT_EINVAL, "key, header, payload and out must not be NULL");
    *out = NULL;
    size_t hlen = strlen(header_json), plen = strlen(payload_json);
    size_t cap = skit_base64url_encoded_len(hlen) + skit_base64url_encoded_len(plen) +
                 skit_base64url_encoded_len(512) + 3;
    char *jws = malloc(cap);
    if (!jws)
        return skit_error_oom();
    size_t n = skit_base64url_encode((const unsigned char *)header_json, hlen, jws);
    jws[n++] = '.';
    n += skit_base64url_encode((const unsigned char *)payload_json, plen, jws + n);
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    int rc = skit_signing_key_sign(k, jws, n, &sig, &sig_len);
    if (rc != SCALEKIT_OK || sig_len > 512) {
        free(sig);
        free(jws);
        return rc != SCALEKIT_OK ? rc : skit_error_set(SCALEKIT_EINTERNAL, "signature too long");
    }
    jws[n++] = '.';
    n += skit_base64url_encode(sig, sig_len, jws + n);
    jws[n] = '\0';
    free(sig);
    *out = jws;
    return SCALEKIT_OK;
}

int skit_jwt_sign(const skit_signing_key *k, const json_t *payload, char **jwt_out)
{
    if (!k || !payload || !jwt_out)
        return skit_error_set(SCALEKIT_EINVAL, "key, payload and jwt_out must not be NULL");
    *jwt_out = NULL;
    if (!json_is_object(payload))
        return skit_error_set(SCALEKIT_EINVAL, "a JWT payload must be a JSON object");
    json_t *header = json_pack("{s:s, s:s}", "alg", skit_jws_alg_name(k->alg), "typ", "JWT");
    if (header && k->kid && json_object_set_new(header, "kid", json_string(k->kid)) != 0) {
        json_decref(header);
        header = NULL;
    }
    char *htext = header ? json_dumps(header, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    char *ptext = json_dumps(payload, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(header);
    int rc = (htext && ptext) ? skit_jws_sign_raw(k, htext, ptext, jwt_out) : skit_error_oom();
    free(htext);
    free(ptext);
    return rc;
}
