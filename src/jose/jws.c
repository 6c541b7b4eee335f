/* JWS compact serialization (RFC 7515): strict parsing, key selection bound to
 * the algorithm, signature verification, and the JWT time claims (RFC 7519). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>

#include "core/core.h"
#include "jose/jose.h"

void skit_jws_clear(skit_jws *jws)
{
    if (!jws)
        return;
    json_decref(jws->header);
    json_decref(jws->payload);
    free(jws->signature);
    memset(jws, 0, sizeof *jws);
}

/* Parse decoded segment text as a JSON object (jansson, duplicates refused). */
static int text_object(const char *text, size_t len, const char *what, json_t **out)
{
    json_error_t err;
    json_t *obj = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    if (!obj)
        return skit_error_set(SCALEKIT_ETOKEN_MALFORMED, "token %s is not valid JSON: %s", what,
                              err.text);
    if (!json_is_object(obj)) {
        json_decref(obj);
        return skit_error_set(SCALEKIT_ETOKEN_MALFORMED, "token %s is not a JSON object", what);
    }
    *out = obj;
    return SCALEKIT_OK;
}

int skit_jws_check_header(const char *alg_name, bool has_crit, bool kid_is_string_or_absent,
                          skit_jws_alg *alg_out)
{
    if (!alg_name)
        return skit_error_set(SCALEKIT_ETOKEN_MALFORMED, "token header has no string alg");
    *alg_out = skit_jws_alg_from_name(alg_name);
    if (!*alg_out) {
        if (strcmp(alg_name, "none") == 0)
            return skit_error_set(SCALEKIT_ETOKEN_ALGORITHM, "token alg \"none\" is refused");
        if (strncmp(alg_name, "HS", 2) == 0)
            return skit_error_set(SCALEKIT_ETOKEN_ALGORITHM,
                                  "token alg \"%.16s\" (HMAC) is refused", alg_name);
        return skit_error_set(SCALEKIT_ETOKEN_ALGORITHM, "token alg \"%.16s\" is not supported",
                              alg_name);
    }
    /* we implement no extension, so any critical one must be refused (RFC 7515 4.1.11) */
    if (has_crit)
        return skit_error_set(SCALEKIT_ETOKEN_MALFORMED,
                              "token header names critical extensions (crit), none is understood");
    if (!kid_is_string_or_absent)
        return skit_error_set(SCALEKIT_ETOKEN_MALFORMED, "token header kid is not a string");
    return SCALEKIT_OK;
}

/*
 * The tree-building parse, for callers that want the header and payload as
 * jansson objects (the emulator, tools, tests): the validation path's own split
 * and checks (skit_jws_parse_lite), then both segments parsed into trees. One
 * split, one set of header rules, whichever way a token is read.
 */
int skit_jws_parse(const char *token, size_t len, skit_jws *out)
{
    if (!token || !out)
        return skit_error_set(SCALEKIT_EINVAL, "token must not be NULL");
    memset(out, 0, sizeof *out);
    skit_jws_lite lite;
    int rc = skit_jws_parse_lite(token, len, &lite);
    if (rc != SCALEKIT_OK)
        return rc;
    /* the lite split checked the header already; decode it once more for the tree */
    size_t header_len = (size_t)((const char *)memchr(token, '.', len) - token);
    unsigned char *header = NULL;
    size_t header_text_len = 0;
    rc = skit_base64url_decode(token, header_len, &header, &header_text_len);
    if (rc == SCALEKIT_OK)
        rc = text_object((const char *)header, header_text_len, "header", &out->header);
    free(header);
    if (rc == SCALEKIT_OK)
        rc = text_object(lite.payload, lite.payload_len, "payload", &out->payload);
    if (rc == SCALEKIT_OK) {
        out->alg = lite.jws.alg;
        out->kid = skit_json_string(out->header, "kid");
        out->signing_input = lite.jws.signing_input;
        out->signing_input_len = lite.jws.signing_input_len;
        out->signature = lite.jws.signature;
        out->signature_len = lite.jws.signature_len;
        lite.jws.signature = NULL;
    }
    skit_jws_lite_clear(&lite);
    if (rc != SCALEKIT_OK)
        skit_jws_clear(out);
    return rc;
}

int skit_jwks_find_key(const skit_jwks *set, const skit_jws *jws, const skit_jwk **out)
{
    *out = NULL;
    if (!set || set->count == 0)
        return skit_error_set(SCALEKIT_ETOKEN_UNKNOWN_KEY, "the JWKS has no usable key");
    const skit_jwk *key = NULL;
    if (jws->kid) {
        /* keys of different kty may share a kid (RFC 7517 4.5): prefer the one
         * bound to the token's alg, else keep the first for the error below */
        for (size_t i = 0; i < set->count && !(key && key->alg == jws->alg); i++)
            if (set->keys[i].kid && strcmp(set->keys[i].kid, jws->kid) == 0 &&
                (!key || set->keys[i].alg == jws->alg))
                key = &set->keys[i];
        if (!key)
            return skit_error_set(SCALEKIT_ETOKEN_UNKNOWN_KEY, "no key of the JWKS has kid \"%.64s\"",
                                  jws->kid);
    } else {
        if (set->count != 1)
            return skit_error_set(SCALEKIT_ETOKEN_UNKNOWN_KEY,
                                  "token has no kid and the JWKS has %zu keys", set->count);
        key = &set->keys[0];
    }
    if (key->alg != jws->alg)
        return skit_error_set(SCALEKIT_ETOKEN_ALGORITHM,
                              "token alg %s does not match key \"%.64s\" (%s)",
                              skit_jws_alg_name(jws->alg), key->kid ? key->kid : "",
                              skit_jws_alg_name(key->alg));
    *out = key;
    return SCALEKIT_OK;
}

/* The digests, fetched once: a name lookup per verification costs measurably. */
static EVP_MD *digests[3];
static pthread_once_t digests_once = PTHREAD_ONCE_INIT;

static void fetch_digests(void)
{
    digests[0] = EVP_MD_fetch(NULL, "SHA256", NULL);
    digests[1] = EVP_MD_fetch(NULL, "SHA384", NULL);
    digests[2] = EVP_MD_fetch(NULL, "SHA512", NULL);
}

static const EVP_MD *alg_md(skit_jws_alg alg)
{
    pthread_once(&digests_once, fetch_digests);
    switch (alg) {
    case SKIT_JWS_RS384: return digests[1];
    case SKIT_JWS_RS512: return digests[2];
    default: return digests[0];
    }
}

/* JOSE r||s (32 bytes each) -> DER ECDSA-Sig-Value, as OpenSSL verifies it. */
static int ecdsa_jose_to_der(const unsigned char *sig, unsigned char **der, int *der_len)
{
    ECDSA_SIG *es = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(sig, 32, NULL), *s = BN_bin2bn(sig + 32, 32, NULL);
    if (!es || !r || !s || ECDSA_SIG_set0(es, r, s) != 1) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(es);
        return -1;
    }
    *der = NULL;
    *der_len = i2d_ECDSA_SIG(es, der);
    ECDSA_SIG_free(es);
    return *der_len > 0 ? 0 : -1;
}

/*
 * Prepared verification contexts, a few per thread. Setting up an EVP
 * verification costs about as much as a fifth of the RSA operation itself, so
 * each thread keeps the contexts of the keys it used last (an EVP_PKEY_CTX may
 * not be shared between threads) and verifies a digest with EVP_PKEY_verify.
 * A slot is named by the key's serial, never by its address, so a key freed
 * and another allocated in its place can never be confused.
 */
#define VERIFY_SLOTS 4

typedef struct verify_slot {
    uint64_t serial;
    skit_jws_alg alg;
    EVP_PKEY_CTX *ctx;
} verify_slot;

static pthread_key_t slots_key;
static pthread_once_t slots_once = PTHREAD_ONCE_INIT;
static bool slots_ok;

static void slots_free(void *p)
{
    verify_slot *slots = p;
    for (int i = 0; i < VERIFY_SLOTS; i++)
        EVP_PKEY_CTX_free(slots[i].ctx);
    free(slots);
}

static void slots_init(void) { slots_ok = pthread_key_create(&slots_key, slots_free) == 0; }

static EVP_PKEY_CTX *new_verify_ctx(const skit_jwk *key, skit_jws_alg alg)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key->pkey, NULL);
    if (!ctx || EVP_PKEY_verify_init(ctx) != 1 ||
        (alg == SKIT_JWS_PS256 &&
         (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) != 1 ||
          EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST) != 1)) ||
        EVP_PKEY_CTX_set_signature_md(ctx, alg_md(alg)) != 1) {
        EVP_PKEY_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

/* This thread's prepared context for @p key and @p alg; *owned set when the
 * caller must free it (no thread storage). NULL on failure. */
static EVP_PKEY_CTX *verify_ctx(const skit_jwk *key, skit_jws_alg alg, bool *owned)
{
    *owned = false;
    pthread_once(&slots_once, slots_init);
    verify_slot *slots = slots_ok ? pthread_getspecific(slots_key) : NULL;
    if (slots_ok && !slots && (slots = calloc(VERIFY_SLOTS, sizeof *slots)) &&
        pthread_setspecific(slots_key, slots) != 0) {
        free(slots);
        slots = NULL;
    }
    if (!slots) {
        *owned = true;
        return new_verify_ctx(key, alg);
    }
    verify_slot *slot = &slots[key->serial % VERIFY_SLOTS];
    if (slot->ctx && slot->serial == key->serial && slot->alg == alg)
        return slot->ctx;
    EVP_PKEY_CTX_free(slot->ctx);
    slot->ctx = new_verify_ctx(key, alg);
    slot->serial = key->serial;
    slot->alg = alg;
    return slot->ctx;
}

int skit_jws_verify_signature(const skit_jwk *key, skit_jws_alg alg, const void *data,
                              size_t len, const unsigned char *sig, size_t sig_len)
{
    if (!key || key->alg != alg)
        return skit_error_set(SCALEKIT_ETOKEN_ALGORITHM, "the key is not bound to alg %s",
                              skit_jws_alg_name(alg) ? skit_jws_alg_name(alg) : "?");
    unsigned char *der = NULL;
    if (alg == SKIT_JWS_ES256) {
        int der_len = 0;
        if (sig_len != 64)
            return skit_error_set(SCALEKIT_ETOKEN_SIGNATURE,
                                  "ES256 signature must be 64 bytes, not %zu", sig_len);
        if (ecdsa_jose_to_der(sig, &der, &der_len) != 0)
            return skit_error_set(SCALEKIT_EINTERNAL, "converting the ES256 signature failed");
        sig = der;
        sig_len = (size_t)der_len;
    } else if (sig_len != (size_t)EVP_PKEY_get_size(key->pkey)) {
        return skit_error_set(SCALEKIT_ETOKEN_SIGNATURE,
                              "%s signature must be %d bytes, not %zu", skit_jws_alg_name(alg),
                              EVP_PKEY_get_size(key->pkey), sig_len);
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    bool owned = false;
    EVP_PKEY_CTX *ctx = NULL;
    int rc = SCALEKIT_EINTERNAL;
    if (EVP_Digest(data, len, digest, &digest_len, alg_md(alg), NULL) == 1 &&
        (ctx = verify_ctx(key, alg, &owned)) != NULL)
        rc = EVP_PKEY_verify(ctx, sig, sig_len, digest, digest_len) == 1
                 ? SCALEKIT_OK
                 : SCALEKIT_ETOKEN_SIGNATURE;
    if (owned)
        EVP_PKEY_CTX_free(ctx);
    OPENSSL_free(der);
    if (rc == SCALEKIT_ETOKEN_SIGNATURE)
        return skit_error_set(rc, "token signature does not verify (%s)", skit_jws_alg_name(alg));
    if (rc != SCALEKIT_OK)
        return skit_error_set(rc, "setting up %s verification failed", skit_jws_alg_name(alg));
    return SCALEKIT_OK;
}

int skit_jws_verify(const skit_jwks *set, const char *token, size_t len, json_t **payload_out)
{
    if (payload_out)
        *payload_out = NULL;
    skit_jws jws;
    const skit_jwk *key = NULL;
    int rc = skit_jws_parse(token, len, &jws);
    if (rc != SCALEKIT_OK)
        return rc;
    rc = skit_jwks_find_key(set, &jws, &key);
    if (rc == SCALEKIT_OK)
        rc = skit_jws_verify_signature(key, jws.alg, jws.signing_input, jws.signing_input_len,
                                       jws.signature, jws.signature_len);
    if (rc == SCALEKIT_OK && payload_out)
        *payload_out = json_incref(jws.payload);
    skit_jws_clear(&jws);
    return rc;
}

/* A NumericDate claim: absent (false, rc OK), a number (true), else malformed. */
static int numeric_date(const json_t *payload, const char *name, double *out, bool *present)
{
    const json_t *v = json_object_get(payload, name);
    *present = v != NULL;
    if (!v)
        return SCALEKIT_OK;
    if (!json_is_number(v))
        return skit_error_set(SCALEKIT_ETOKEN_MALFORMED, "token claim %s is not a number", name);
    *out = json_number_value(v);
    return SCALEKIT_OK;
}

int skit_jwt_check_time(const json_t *payload, int64_t now, long leeway_seconds)
{
    skit_jwt_times t = {0};
    int rc = numeric_date(payload, "exp", &t.exp, &t.has_exp);
    if (rc == SCALEKIT_OK)
        rc = numeric_date(payload, "nbf", &t.nbf, &t.has_nbf);
    if (rc == SCALEKIT_OK)
        rc = numeric_date(payload, "iat", &t.iat, &t.has_iat);
    return rc == SCALEKIT_OK ? skit_jwt_check_times(&t, now, leeway_seconds) : rc;
}

int skit_jwt_check_times(const skit_jwt_times *t, int64_t now, long leeway_seconds)
{
    if (leeway_seconds < 0)
        leeway_seconds = 0;
    double lo = (double)now - (double)leeway_seconds, hi = (double)now + (double)leeway_seconds;
    if (!t->has_exp)
        return skit_error_set(SCALEKIT_ETOKEN_EXPIRED, "token has no exp claim");
    if (!(t->exp > lo))
        return skit_error_set(SCALEKIT_ETOKEN_EXPIRED, "token expired at %.0f (now %lld, leeway %ld s)",
                              t->exp, (long long)now, leeway_seconds);
    if (t->has_nbf && !(t->nbf <= hi))
        return skit_error_set(SCALEKIT_ETOKEN_NOT_YET_VALID,
                              "token not valid before %.0f (now %lld, leeway %ld s)", t->nbf,
                              (long long)now, leeway_seconds);
    if (t->has_iat && !(t->iat <= hi))
        return skit_error_set(SCALEKIT_ETOKEN_NOT_YET_VALID,
                              "token issued in the future at %.0f (now %lld, leeway %ld s)", t->iat,
                              (long long)now, leeway_seconds);
    return SCALEKIT_OK;
}
