/* A software WebAuthn authenticator (soft_authenticator.h). */
#include "soft_authenticator.h"

#include <stdlib.h>
#include <string.h>

#include <cbor.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>

#include "core/core.h"

struct soft_authn {
    int alg;
    EVP_PKEY *key;
    unsigned char cred_id[16];
    char cred_id_b64[32];
    uint32_t count;
    char *origin;
};

soft_authn *soft_authn_new(int alg, const char *origin)
{
    soft_authn *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->alg = alg;
    a->origin = strdup(origin);
    a->key = alg == -7 ? EVP_EC_gen("P-256") : alg == -257 ? EVP_RSA_gen(2048) : NULL;
    if (!a->key || !a->origin || RAND_bytes(a->cred_id, sizeof a->cred_id) != 1) {
        soft_authn_free(a);
        return NULL;
    }
    skit_base64url_encode(a->cred_id, sizeof a->cred_id, a->cred_id_b64);
    return a;
}

void soft_authn_free(soft_authn *a)
{
    if (!a)
        return;
    EVP_PKEY_free(a->key);
    free(a->origin);
    free(a);
}

const char *soft_authn_credential_id(const soft_authn *a)
{
    return a->cred_id_b64;
}

static void map_put(cbor_item_t *m, cbor_item_t *k, cbor_item_t *v)
{
    cbor_map_add(m, (struct cbor_pair){.key = cbor_move(k), .value = cbor_move(v)});
}

static cbor_item_t *cbor_int(int64_t v)
{
    return v >= 0 ? cbor_build_uint64((uint64_t)v) : cbor_build_negint64((uint64_t)(-1 - v));
}

static cbor_item_t *bn_bytes(EVP_PKEY *key, const char *name)
{
    BIGNUM *bn = NULL;
    unsigned char buf[512];
    int n = EVP_PKEY_get_bn_param(key, name, &bn) == 1 ? BN_bn2bin(bn, buf) : 0;
    BN_free(bn);
    return cbor_build_bytestring(buf, (size_t)n);
}

unsigned char *soft_authn_cose_key(soft_authn *a, size_t *len)
{
    cbor_item_t *m = cbor_new_definite_map(5);
    if (a->alg == -7) {
        unsigned char pt[65];
        size_t pt_len = 0;
        EVP_PKEY_get_octet_string_param(a->key, OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof pt, &pt_len);
        map_put(m, cbor_int(1), cbor_int(2));
        map_put(m, cbor_int(3), cbor_int(-7));
        map_put(m, cbor_int(-1), cbor_int(1));
        map_put(m, cbor_int(-2), cbor_build_bytestring(pt + 1, 32));
        map_put(m, cbor_int(-3), cbor_build_bytestring(pt + 33, 32));
    } else {
        map_put(m, cbor_int(1), cbor_int(3));
        map_put(m, cbor_int(3), cbor_int(-257));
        map_put(m, cbor_int(-1), bn_bytes(a->key, OSSL_PKEY_PARAM_RSA_N));
        map_put(m, cbor_int(-2), bn_bytes(a->key, OSSL_PKEY_PARAM_RSA_E));
    }
    unsigned char *out = NULL;
    size_t cap = 0;
    *len = cbor_serialize_alloc(m, &out, &cap);
    cbor_decref(&m);
    return out;
}

unsigned char *soft_authn_auth_data(soft_authn *a, const char *rp_id, uint8_t flags, uint32_t count, size_t *len)
{
    size_t key_len = 0;
    unsigned char *key = (flags & 0x40) ? soft_authn_cose_key(a, &key_len) : NULL;
    size_t n = 37 + ((flags & 0x40) ? 18 + sizeof a->cred_id + key_len : 0);
    unsigned char *p = malloc(n);
    unsigned int md_len = 0;
    EVP_Digest(rp_id, strlen(rp_id), p, &md_len, EVP_sha256(), NULL);
    p[32] = flags;
    p[33] = (unsigned char)(count >> 24);
    p[34] = (unsigned char)(count >> 16);
    p[35] = (unsigned char)(count >> 8);
    p[36] = (unsigned char)count;
    if (flags & 0x40) {
        memset(p + 37, 0xab, 16);   /* a recognisable AAGUID */
        p[53] = 0;
        p[54] = (unsigned char)sizeof a->cred_id;
        memcpy(p + 55, a->cred_id, sizeof a->cred_id);
        memcpy(p + 55 + sizeof a->cred_id, key, key_len);
    }
    free(key);
    *len = n;
    return p;
}

static unsigned char *sign(soft_authn *a, const unsigned char *d1, size_t l1, const unsigned char *d2, size_t l2,
                           size_t *sig_len, bool corrupt)
{
    unsigned char *data = malloc(l1 + l2), *sig = malloc(512);
    memcpy(data, d1, l1);
    memcpy(data + l1, d2, l2);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    *sig_len = 512;
    if (EVP_DigestSignInit_ex(ctx, NULL, "SHA256", NULL, NULL, a->key, NULL) != 1 ||
        EVP_DigestSign(ctx, sig, sig_len, data, l1 + l2) != 1)
        *sig_len = 0;
    EVP_MD_CTX_free(ctx);
    free(data);
    if (corrupt && *sig_len)
        sig[*sig_len - 1] ^= 0x01;
    return sig;
}

static char *b64(const unsigned char *p, size_t len)
{
    char *s = malloc(skit_base64url_encoded_len(len) + 1);
    skit_base64url_encode(p, len, s);
    return s;
}

/* clientDataJSON bytes (malloc'd text) and its SHA-256. */
static char *client_data(soft_authn *a, const json_t *options, const soft_authn_opts *o, const char *type,
                         unsigned char hash[32])
{
    json_t *cd = json_pack("{s:s, s:s, s:s, s:b}", "type", o->type ? o->type : type, "challenge",
                           o->challenge ? o->challenge : json_string_value(json_object_get(options, "challenge")),
                           "origin", o->origin ? o->origin : a->origin, "crossOrigin", 0);
    char *text = json_dumps(cd, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(cd);
    unsigned int n = 0;
    EVP_Digest(text, strlen(text), hash, &n, EVP_sha256(), NULL);
    return text;
}

static json_t *credential_json(soft_authn *a, json_t *response)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:{}}", "id", a->cred_id_b64, "rawId", a->cred_id_b64, "type",
                     "public-key", "authenticatorAttachment", "platform", "response", response,
                     "clientExtensionResults");
}

json_t *soft_authn_create(soft_authn *a, const json_t *options, const soft_authn_opts *o)
{
    static const soft_authn_opts none;
    o = o ? o : &none;
    const char *rp_id = o->rp_id ? o->rp_id : json_string_value(json_object_get(json_object_get(options, "rp"), "id"));
    unsigned char cdh[32];
    char *cd = client_data(a, options, o, "webauthn.create", cdh);
    size_t ad_len = 0;
    unsigned char *ad = soft_authn_auth_data(a, rp_id, o->set_flags ? o->flags : 0x45, a->count, &ad_len);
    cbor_item_t *stmt = cbor_new_definite_map(2);
    unsigned char *sig = NULL;
    if (o->packed) {
        size_t sig_len = 0;
        sig = sign(a, ad, ad_len, cdh, 32, &sig_len, o->bad_signature);
        map_put(stmt, cbor_build_string("alg"), cbor_int(o->packed_alg ? o->packed_alg : a->alg));
        map_put(stmt, cbor_build_string("sig"), cbor_build_bytestring(sig, sig_len));
    }
    cbor_item_t *att = cbor_new_definite_map(3);
    map_put(att, cbor_build_string("fmt"), cbor_build_string(o->packed ? "packed" : "none"));
    map_put(att, cbor_build_string("attStmt"), stmt);
    map_put(att, cbor_build_string("authData"), cbor_build_bytestring(ad, ad_len));
    unsigned char *att_bytes = NULL;
    size_t cap = 0, att_len = cbor_serialize_alloc(att, &att_bytes, &cap);
    cbor_decref(&att);
    char *cd64 = b64((const unsigned char *)cd, strlen(cd)), *att64 = b64(att_bytes, att_len);
    json_t *out = credential_json(a, json_pack("{s:s, s:s, s:[s]}", "clientDataJSON", cd64, "attestationObject",
                                               att64, "transports", "internal"));
    free(cd);
    free(ad);
    free(sig);
    free(att_bytes);
    free(cd64);
    free(att64);
    return out;
}

json_t *soft_authn_get(soft_authn *a, const json_t *options, const soft_authn_opts *o)
{
    static const soft_authn_opts none;
    o = o ? o : &none;
    const char *rp_id = o->rp_id ? o->rp_id : json_string_value(json_object_get(options, "rpId"));
    unsigned char cdh[32];
    char *cd = client_data(a, options, o, "webauthn.get", cdh);
    uint32_t count = o->set_count ? o->sign_count : ++a->count;
    size_t ad_len = 0, sig_len = 0;
    unsigned char *ad = soft_authn_auth_data(a, rp_id, o->set_flags ? o->flags : 0x05, count, &ad_len);
    unsigned char *sig = sign(a, ad, ad_len, cdh, 32, &sig_len, o->bad_signature);
    char *cd64 = b64((const unsigned char *)cd, strlen(cd)), *ad64 = b64(ad, ad_len), *sig64 = b64(sig, sig_len);
    json_t *out = credential_json(a, json_pack("{s:s, s:s, s:s}", "clientDataJSON", cd64, "authenticatorData", ad64,
                                               "signature", sig64));
    free(cd);
    free(ad);
    free(sig);
    free(cd64);
    free(ad64);
    free(sig64);
    return out;
}
