/*
 * Parsing what a browser sends in a WebAuthn ceremony (webauthn.h): CBOR by
 * libcbor, after a walk of the item's headers (libcbor's streaming decoder)
 * bounds its nesting and declared counts by the bytes present, because
 * cbor_load allocates a container's declared size before reading it.
 */
#include "webauthn.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cbor.h>

#include "core/core.h"
#include "jose/jose.h"

int emu_wa_fail(emu_wa_why *why, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why->text, sizeof why->text, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- the CBOR header walk ------------------------------------------------------- */

enum head_kind { HEAD_LEAF, HEAD_ARRAY, HEAD_MAP, HEAD_REFUSED };

typedef struct head {
    enum head_kind kind;
    size_t count;
    const char *refused;    /* what, for HEAD_REFUSED */
} head;

static void on_leaf_u8(void *c, uint8_t v) { (void)v; ((head *)c)->kind = HEAD_LEAF; }
static void on_leaf_u16(void *c, uint16_t v) { (void)v; ((head *)c)->kind = HEAD_LEAF; }
static void on_leaf_u32(void *c, uint32_t v) { (void)v; ((head *)c)->kind = HEAD_LEAF; }
static void on_leaf_u64(void *c, uint64_t v) { (void)v; ((head *)c)->kind = HEAD_LEAF; }
static void on_leaf_str(void *c, cbor_data d, size_t n) { (void)d; (void)n; ((head *)c)->kind = HEAD_LEAF; }
static void on_leaf_f(void *c, float v) { (void)v; ((head *)c)->kind = HEAD_LEAF; }
static void on_leaf_d(void *c, double v) { (void)v; ((head *)c)->kind = HEAD_LEAF; }
static void on_leaf_b(void *c, bool v) { (void)v; ((head *)c)->kind = HEAD_LEAF; }
static void on_leaf(void *c) { ((head *)c)->kind = HEAD_LEAF; }
static void on_array(void *c, size_t n) { *(head *)c = (head){HEAD_ARRAY, n, NULL}; }
static void on_map(void *c, size_t n) { *(head *)c = (head){HEAD_MAP, n, NULL}; }
static void on_indefinite(void *c) { *(head *)c = (head){HEAD_REFUSED, 0, "an indefinite-length item"}; }
static void on_tag(void *c, uint64_t v) { (void)v; *(head *)c = (head){HEAD_REFUSED, 0, "a tag"}; }

static const struct cbor_callbacks head_callbacks = {
    .uint8 = on_leaf_u8, .uint16 = on_leaf_u16, .uint32 = on_leaf_u32, .uint64 = on_leaf_u64,
    .negint8 = on_leaf_u8, .negint16 = on_leaf_u16, .negint32 = on_leaf_u32, .negint64 = on_leaf_u64,
    .byte_string = on_leaf_str, .string = on_leaf_str,
    .byte_string_start = on_indefinite, .string_start = on_indefinite,
    .indef_array_start = on_indefinite, .indef_map_start = on_indefinite, .indef_break = on_indefinite,
    .array_start = on_array, .map_start = on_map, .tag = on_tag,
    .float2 = on_leaf_f, .float4 = on_leaf_f, .float8 = on_leaf_d,
    .undefined = on_leaf, .null = on_leaf, .boolean = on_leaf_b,
};

int emu_wa_cbor_item_len(const unsigned char *p, size_t len, size_t *item_len, emu_wa_why *why)
{
    size_t pending[EMU_WA_MAX_CBOR_DEPTH + 1];   /* items still to read at each open level */
    size_t depth = 0, at = 0;
    pending[0] = 1;
    while (depth > 0 || pending[0] > 0) {
        head h = {HEAD_LEAF, 0, NULL};
        struct cbor_decoder_result res = cbor_stream_decode(p + at, len - at, &head_callbacks, &h);
        if (res.status == CBOR_DECODER_NEDATA)
            return emu_wa_fail(why, "CBOR truncated at byte %zu", at);
        if (res.status != CBOR_DECODER_FINISHED)
            return emu_wa_fail(why, "CBOR malformed at byte %zu", at);
        if (h.kind == HEAD_REFUSED)
            return emu_wa_fail(why, "CBOR holds %s at byte %zu, which WebAuthn does not use", h.refused, at);
        at += res.read;
        pending[depth]--;
        if (h.kind != HEAD_LEAF && h.count > 0) {
            /* each member takes at least one byte: a count the rest cannot hold is a lie */
            size_t items = h.kind == HEAD_MAP ? h.count * 2 : h.count;
            if (h.count > (len - at) || items > len - at)
                return emu_wa_fail(why, "CBOR %s at byte %zu declares %zu items, more than the bytes left",
                                   h.kind == HEAD_MAP ? "map" : "array", at - res.read, h.count);
            if (depth == EMU_WA_MAX_CBOR_DEPTH)
                return emu_wa_fail(why, "CBOR nested deeper than %d levels", EMU_WA_MAX_CBOR_DEPTH);
            pending[++depth] = items;
        }
        while (depth > 0 && pending[depth] == 0)
            depth--;
    }
    *item_len = at;
    return 0;
}

/* Exactly one bounded CBOR item from @p p (its bytes: *used). NULL with @p why. */
static cbor_item_t *load_item(const unsigned char *p, size_t len, size_t *used, emu_wa_why *why)
{
    if (emu_wa_cbor_item_len(p, len, used, why) != 0)
        return NULL;
    struct cbor_load_result res;
    cbor_item_t *item = cbor_load(p, *used, &res);
    if (!item || res.error.code != CBOR_ERR_NONE || res.read != *used) {
        if (item)
            cbor_decref(&item);
        emu_wa_fail(why, "CBOR could not be decoded (libcbor error %d at byte %zu)", (int)res.error.code,
                    res.error.position);
        return NULL;
    }
    return item;
}

/* ---- CBOR values ---------------------------------------------------------------- */

/* A CBOR integer as int64_t; false when @p v is none or out of range. */
static bool cbor_int64(const cbor_item_t *v, int64_t *out)
{
    if (!v || (!cbor_isa_uint(v) && !cbor_isa_negint(v)))
        return false;
    uint64_t n = cbor_get_int(v);
    if (n > INT64_MAX)
        return false;
    *out = cbor_isa_uint(v) ? (int64_t)n : -1 - (int64_t)n;
    return true;
}

/* The value of integer key @p key in map @p m, or NULL. */
static cbor_item_t *map_int_get(const cbor_item_t *m, int64_t key)
{
    struct cbor_pair *pairs = cbor_map_handle(m);
    for (size_t i = 0; i < cbor_map_size(m); i++) {
        int64_t k;
        if (cbor_int64(pairs[i].key, &k) && k == key)
            return pairs[i].value;
    }
    return NULL;
}

static bool text_is(const cbor_item_t *v, const char *s)
{
    size_t n = strlen(s);
    return v && cbor_isa_string(v) && cbor_string_length(v) == n && memcmp(cbor_string_handle(v), s, n) == 0;
}

/* Every key of map @p m unique (RFC 8949 5.6: duplicate keys make a map invalid). */
static bool keys_unique(const cbor_item_t *m)
{
    struct cbor_pair *pairs = cbor_map_handle(m);
    size_t n = cbor_map_size(m);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            const cbor_item_t *a = pairs[i].key, *b = pairs[j].key;
            int64_t x, y;
            if (cbor_int64(a, &x) && cbor_int64(b, &y) && x == y)
                return false;
            if (cbor_isa_string(a) && cbor_isa_string(b) && cbor_string_length(a) == cbor_string_length(b) &&
                memcmp(cbor_string_handle(a), cbor_string_handle(b), cbor_string_length(a)) == 0)
                return false;
        }
    return true;
}

/* ---- COSE keys ------------------------------------------------------------------ */

#define COSE_KTY 1
#define COSE_ALG 3
#define COSE_KTY_EC2 2
#define COSE_KTY_RSA 3
#define COSE_CRV_P256 1

static bool cose_bytes(const cbor_item_t *m, int64_t key, const unsigned char **out, size_t *len)
{
    const cbor_item_t *v = map_int_get(m, key);
    if (!v || !cbor_isa_bytestring(v))
        return false;
    *out = cbor_bytestring_handle(v);
    *len = cbor_bytestring_length(v);
    return true;
}

static int cose_key_of(const cbor_item_t *m, EVP_PKEY **key, int *alg, emu_wa_why *why)
{
    int64_t kty, a, crv;
    if (!cbor_isa_map(m))
        return emu_wa_fail(why, "credential public key is not a COSE_Key map");
    if (!keys_unique(m))
        return emu_wa_fail(why, "credential public key has a duplicate COSE_Key label");
    if (!cbor_int64(map_int_get(m, COSE_KTY), &kty))
        return emu_wa_fail(why, "credential public key has no integer kty (1)");
    if (!cbor_int64(map_int_get(m, COSE_ALG), &a))
        return emu_wa_fail(why, "credential public key has no integer alg (3)");
    const unsigned char *c1, *c2;
    size_t l1, l2;
    int rc;
    if (kty == COSE_KTY_EC2) {
        if (a != EMU_COSE_ES256)
            return emu_wa_fail(why, "credential public key: EC2 with alg %lld, only ES256 (-7) is accepted",
                               (long long)a);
        if (!cbor_int64(map_int_get(m, -1), &crv) || crv != COSE_CRV_P256)
            return emu_wa_fail(why, "credential public key: EC2 curve (-1) must be P-256 (1)");
        if (!cose_bytes(m, -2, &c1, &l1) || !cose_bytes(m, -3, &c2, &l2))
            return emu_wa_fail(why, "credential public key: EC2 x (-2) and y (-3) must be byte strings");
        rc = skit_pkey_p256_public(c1, l1, c2, l2, "COSE key", key);
    } else if (kty == COSE_KTY_RSA) {
        if (a != EMU_COSE_RS256)
            return emu_wa_fail(why, "credential public key: RSA with alg %lld, only RS256 (-257) is accepted",
                               (long long)a);
        if (!cose_bytes(m, -1, &c1, &l1) || !cose_bytes(m, -2, &c2, &l2))
            return emu_wa_fail(why, "credential public key: RSA n (-1) and e (-2) must be byte strings");
        rc = skit_pkey_rsa_public(c1, l1, c2, l2, "COSE key", key);
    } else {
        return emu_wa_fail(why, "credential public key: kty %lld is not EC2 (2) or RSA (3)", (long long)kty);
    }
    if (rc != SCALEKIT_OK) {
        const scalekit_error *err = scalekit_error_last();
        return emu_wa_fail(why, "credential public key: %s", err && err->message ? err->message : "invalid");
    }
    *alg = (int)a;
    return 0;
}

int emu_wa_cose_key_parse(const unsigned char *p, size_t len, EVP_PKEY **key, int *alg, size_t *used,
                          emu_wa_why *why)
{
    cbor_item_t *m = load_item(p, len, used, why);
    if (!m)
        return -1;
    int rc = cose_key_of(m, key, alg, why);
    cbor_decref(&m);
    return rc;
}

/* ---- authenticator data --------------------------------------------------------- */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void emu_wa_auth_data_clear(emu_wa_auth_data *a)
{
    if (!a)
        return;
    EVP_PKEY_free(a->public_key);
    memset(a, 0, sizeof *a);
}

int emu_wa_auth_data_parse(const unsigned char *p, size_t len, emu_wa_auth_data *out, emu_wa_why *why)
{
    memset(out, 0, sizeof *out);
    if (len > EMU_WA_MAX_AUTH_DATA)
        return emu_wa_fail(why, "authenticator data is %zu bytes, more than %d", len, EMU_WA_MAX_AUTH_DATA);
    if (len < 37)
        return emu_wa_fail(why, "authenticator data is %zu bytes, fewer than the 37 of its header", len);
    out->rp_id_hash = p;
    out->flags = p[32];
    out->sign_count = be32(p + 33);
    size_t at = 37;
    if (out->flags & EMU_WA_AT) {
        if (len - at < 18)
            return emu_wa_fail(why, "authenticator data: attested credential data truncated");
        memcpy(out->aaguid, p + at, 16);
        size_t id_len = (size_t)p[at + 16] << 8 | p[at + 17];
        at += 18;
        if (id_len == 0 || id_len > EMU_WA_MAX_CREDENTIAL_ID)
            return emu_wa_fail(why, "authenticator data: credential id length %zu is not 1 to %d", id_len,
                               EMU_WA_MAX_CREDENTIAL_ID);
        if (len - at < id_len)
            return emu_wa_fail(why, "authenticator data: credential id of %zu bytes truncated", id_len);
        out->credential_id = p + at;
        out->credential_id_len = id_len;
        at += id_len;
        size_t used;
        if (emu_wa_cose_key_parse(p + at, len - at, &out->public_key, &out->alg, &used, why) != 0) {
            emu_wa_auth_data_clear(out);
            return -1;
        }
        at += used;
    }
    if (out->flags & EMU_WA_ED) {
        size_t used;
        cbor_item_t *ext = load_item(p + at, len - at, &used, why);
        if (!ext) {
            emu_wa_auth_data_clear(out);
            return -1;
        }
        bool is_map = cbor_isa_map(ext);
        cbor_decref(&ext);
        if (!is_map) {
            emu_wa_auth_data_clear(out);
            return emu_wa_fail(why, "authenticator data: extensions are not a CBOR map");
        }
        at += used;
    }
    if (at != len) {
        emu_wa_auth_data_clear(out);
        return emu_wa_fail(why, "authenticator data: %zu bytes left over after byte %zu (flags 0x%02x)", len - at,
                           at, p[32]);
    }
    return 0;
}

/* ---- attestation objects -------------------------------------------------------- */

void emu_wa_attestation_clear(emu_wa_attestation *a)
{
    if (!a)
        return;
    free(a->auth_data);
    free(a->sig);
    memset(a, 0, sizeof *a);
}

static int copy_bytes(const cbor_item_t *v, unsigned char **out, size_t *len)
{
    *len = cbor_bytestring_length(v);
    *out = malloc(*len ? *len : 1);
    if (!*out)
        return -1;
    memcpy(*out, cbor_bytestring_handle(v), *len);
    return 0;
}

static int read_statement(const cbor_item_t *stmt, emu_wa_attestation *out, emu_wa_why *why)
{
    if (!cbor_isa_map(stmt) || !keys_unique(stmt))
        return emu_wa_fail(why, "attestation object: attStmt is not a CBOR map with unique keys");
    out->stmt_members = cbor_map_size(stmt);
    struct cbor_pair *pairs = cbor_map_handle(stmt);
    for (size_t i = 0; i < out->stmt_members; i++) {
        const cbor_item_t *k = pairs[i].key, *v = pairs[i].value;
        if (text_is(k, "alg")) {
            if (!cbor_int64(v, &out->alg))
                return emu_wa_fail(why, "attestation object: attStmt.alg is not an integer");
            out->has_alg = true;
        } else if (text_is(k, "sig")) {
            if (!cbor_isa_bytestring(v))
                return emu_wa_fail(why, "attestation object: attStmt.sig is not a byte string");
            if (copy_bytes(v, &out->sig, &out->sig_len) != 0)
                return emu_wa_fail(why, "out of memory");
        } else if (text_is(k, "x5c")) {
            out->has_x5c = true;
        }
    }
    return 0;
}

int emu_wa_attestation_parse(const unsigned char *p, size_t len, emu_wa_attestation *out, emu_wa_why *why)
{
    memset(out, 0, sizeof *out);
    if (len > EMU_WA_MAX_ATTESTATION)
        return emu_wa_fail(why, "attestation object is %zu bytes, more than %d", len, EMU_WA_MAX_ATTESTATION);
    size_t used;
    cbor_item_t *m = load_item(p, len, &used, why);
    if (!m)
        return -1;
    int rc = 0;
    const cbor_item_t *fmt = NULL, *stmt = NULL, *auth = NULL;
    if (used != len)
        rc = emu_wa_fail(why, "attestation object: %zu bytes after its CBOR map", len - used);
    else if (!cbor_isa_map(m) || !keys_unique(m))
        rc = emu_wa_fail(why, "attestation object is not a CBOR map with unique keys");
    for (size_t i = 0; rc == 0 && i < cbor_map_size(m); i++) {
        struct cbor_pair *pair = cbor_map_handle(m) + i;
        if (text_is(pair->key, "fmt"))
            fmt = pair->value;
        else if (text_is(pair->key, "attStmt"))
            stmt = pair->value;
        else if (text_is(pair->key, "authData"))
            auth = pair->value;
    }
    if (rc == 0 && (!fmt || !cbor_isa_string(fmt) || cbor_string_length(fmt) == 0 ||
                    cbor_string_length(fmt) >= sizeof out->fmt))
        rc = emu_wa_fail(why, "attestation object: fmt missing or not a short text string");
    if (rc == 0 && (!auth || !cbor_isa_bytestring(auth)))
        rc = emu_wa_fail(why, "attestation object: authData missing or not a byte string");
    if (rc == 0 && !stmt)
        rc = emu_wa_fail(why, "attestation object: attStmt missing");
    if (rc == 0) {
        size_t n = cbor_string_length(fmt);
        memcpy(out->fmt, cbor_string_handle(fmt), n);
        for (size_t i = 0; i < n; i++)   /* printable for messages; a NUL must not cut "none\0x" short */
            if (out->fmt[i] < 0x20 || out->fmt[i] > 0x7e)
                out->fmt[i] = '?';
        rc = read_statement(stmt, out, why);
    }
    if (rc == 0 && copy_bytes(auth, &out->auth_data, &out->auth_data_len) != 0)
        rc = emu_wa_fail(why, "out of memory");
    cbor_decref(&m);
    if (rc != 0)
        emu_wa_attestation_clear(out);
    return rc;
}

/* ---- clientDataJSON ------------------------------------------------------------- */

void emu_wa_client_data_clear(emu_wa_client_data *c)
{
    if (!c)
        return;
    json_decref(c->json);
    memset(c, 0, sizeof *c);
}

int emu_wa_client_data_parse(const unsigned char *p, size_t len, emu_wa_client_data *out, emu_wa_why *why)
{
    memset(out, 0, sizeof *out);
    if (len > EMU_WA_MAX_CLIENT_DATA)
        return emu_wa_fail(why, "clientDataJSON is %zu bytes, more than %d", len, EMU_WA_MAX_CLIENT_DATA);
    json_error_t err;
    out->json = json_loadb((const char *)p, len, JSON_REJECT_DUPLICATES, &err);
    if (!json_is_object(out->json)) {
        emu_wa_client_data_clear(out);
        return emu_wa_fail(why, "clientDataJSON is not a JSON object");
    }
    const json_t *type = json_object_get(out->json, "type");
    const json_t *challenge = json_object_get(out->json, "challenge");
    const json_t *origin = json_object_get(out->json, "origin");
    const json_t *cross = json_object_get(out->json, "crossOrigin");
    const char *bad = !json_is_string(type) ? "type" : !json_is_string(challenge) ? "challenge"
                    : !json_is_string(origin) ? "origin" : cross && !json_is_boolean(cross) ? "crossOrigin" : NULL;
    if (bad) {
        emu_wa_client_data_clear(out);
        return emu_wa_fail(why, "clientDataJSON: %s missing or of the wrong type", bad);
    }
    out->type = json_string_value(type);
    out->challenge = json_string_value(challenge);
    out->origin = json_string_value(origin);
    out->cross_origin = json_is_true(cross);
    return 0;
}
