/* libFuzzer target: the strict JSON scanner against jansson, the parser it stands
 * in for. Token validation accepts a payload with the scanner and may parse it
 * with json_loadb(JSON_REJECT_DUPLICATES) later, so the two must agree on every
 * input: any JSON text (object or array), an object, and for an object each
 * top-level member (decoded name, type, number value, decoded string). Duplicate
 * names are refused at every nesting level by both (jansson's
 * JSON_REJECT_DUPLICATES applies to nested objects too). Aborts on a disagreement.
 *
 * One known difference, where the scanner is the stricter: jansson 2.14 skips a
 * NUL byte that directly follows a number or a literal ("[64\0]" parses: its
 * lexer puts the byte back into a lookahead buffer where 0 reads as "empty").
 * The scanner refuses the NUL as RFC 8259 says. A refusal exactly at a NUL byte
 * that jansson accepted is therefore tolerated; the other direction never is,
 * since an accepted payload must parse later. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "jose/jose.h"
#include "jose/json_scan.h"

static void disagree(const char *what, const uint8_t *data, size_t size)
{
    fprintf(stderr, "fuzz_json_scan: %s on %zu bytes: %.*s\n", what, size,
            (int)(size > 200 ? 200 : size), (const char *)data);
    abort();
}

static bool kind_matches(skit_json_kind kind, const json_t *v)
{
    switch (kind) {
    case SKIT_JSON_OBJECT: return json_is_object(v);
    case SKIT_JSON_ARRAY: return json_is_array(v);
    case SKIT_JSON_STRING: return json_is_string(v);
    case SKIT_JSON_INTEGER: return json_is_integer(v);
    case SKIT_JSON_REAL: return json_is_real(v);
    case SKIT_JSON_TRUE: return json_is_true(v);
    case SKIT_JSON_FALSE: return json_is_false(v);
    case SKIT_JSON_NULL: return json_is_null(v);
    default: return false;
    }
}

static void compare_members(const skit_json_scan *scan, const json_t *obj, const uint8_t *data,
                            size_t size)
{
    if (scan->count != json_object_size(obj))
        disagree("member count", data, size);
    for (size_t i = 0; i < scan->count; i++) {
        const skit_json_member *m = &scan->members[i];
        char *name = malloc(m->name_len + 1);
        char *text = m->kind == SKIT_JSON_STRING ? malloc(m->value_len) : NULL;
        if (!name || (m->kind == SKIT_JSON_STRING && !text))
            abort();
        size_t n = skit_json_unescape(m->name, m->name_len, name);
        const json_t *v = json_object_getn(obj, name, n);
        if (!v || !kind_matches(m->kind, v))
            disagree("member name or type", data, size);
        if (skit_json_scan_get(scan, name) != m)
            disagree("lookup by decoded name", data, size);
        double d;
        if (json_is_number(v) && (!skit_json_member_number(m, &d) || d != json_number_value(v)))
            disagree("number value", data, size);
        if (text) {
            size_t tn = skit_json_unescape(m->value + 1, m->value_len - 2, text);
            if (tn != json_string_length(v) || memcmp(text, json_string_value(v), tn) != 0)
                disagree("string value", data, size);
        }
        free(text);
        free(name);
    }
}

/* The validation path's split (scanner) against skit_jws_parse (jansson) on the
 * same bytes taken as a compact JWS: same verdict, same alg, kid and signature. */
static void compare_jws_parsers(const uint8_t *data, size_t size)
{
    skit_jws full;
    skit_jws_lite lite;
    int rf = skit_jws_parse((const char *)data, size, &full);
    int rl = skit_jws_parse_lite((const char *)data, size, &lite);
    int rp = rl;
    bool nul_quirk = false;
    if (rl == SCALEKIT_OK) {
        skit_payload *p = NULL;
        rp = skit_payload_new(lite.payload, lite.payload_len, &p);
        skit_payload_release(p);
        nul_quirk = memchr(lite.payload, 0, lite.payload_len) != NULL;
    }
    if (rf == SCALEKIT_OK && rl != SCALEKIT_OK) {   /* jansson's NUL quirk in the header? */
        unsigned char *header = NULL;
        size_t n = 0;
        const char *dot = memchr(data, '.', size);
        if (skit_base64url_decode((const char *)data, (size_t)(dot - (const char *)data), &header, &n) ==
            SCALEKIT_OK)
            nul_quirk = memchr(header, 0, n) != NULL;
        free(header);
    }
    if (rf == SCALEKIT_OK && rl == SCALEKIT_OK) {
        if (full.alg != lite.jws.alg || (!full.kid != !lite.jws.kid) ||
            (full.kid && strcmp(full.kid, lite.jws.kid) != 0) ||
            full.signature_len != lite.jws.signature_len ||
            memcmp(full.signature, lite.jws.signature, full.signature_len) != 0 ||
            full.signing_input_len != lite.jws.signing_input_len)
            disagree("JWS parsers read different headers", data, size);
    }
    /* the lite path also reads the time claims: a non-number one is malformed there only */
    bool time_claims_bad = rf == SCALEKIT_OK &&
                           skit_jwt_check_time(full.payload, 0, 0) == SCALEKIT_ETOKEN_MALFORMED;
    if (rp != rf && !(rf == SCALEKIT_OK && rp == SCALEKIT_ETOKEN_MALFORMED && (time_claims_bad || nul_quirk)) &&
        rp != SCALEKIT_ENOMEM && rf != SCALEKIT_ENOMEM)
        disagree("JWS parsers disagree", data, size);
    if (rf == SCALEKIT_OK)
        skit_jws_clear(&full);
    if (rl == SCALEKIT_OK)
        skit_jws_lite_clear(&lite);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    json_error_t err;
    json_t *j = json_loadb(text, size, JSON_REJECT_DUPLICATES, &err);

    skit_json_scan scan;
    int rc = skit_json_scan_text(&scan, text, size);
    if (rc == SCALEKIT_ENOMEM)
        return 0;
    bool nul_quirk = rc == SCALEKIT_EINVAL && j && scan.error_offset < size &&
                     data[scan.error_offset] == '\0';
    if (rc == SCALEKIT_OK && !j)
        disagree("scanner accepted what jansson refuses", data, size);
    if (rc != SCALEKIT_OK && j && !nul_quirk)
        disagree("scanner refused what jansson accepts", data, size);
    skit_json_scan_free(&scan);

    rc = skit_json_scan_object(&scan, text, size);
    if (rc != SCALEKIT_ENOMEM && !nul_quirk) {
        if ((rc == SCALEKIT_OK) != json_is_object(j))
            disagree("object verdicts differ", data, size);
        if (rc == SCALEKIT_OK)
            compare_members(&scan, j, data, size);
    }
    skit_json_scan_free(&scan);
    json_decref(j);
    if (memchr(data, '.', size))
        compare_jws_parsers(data, size);
    return 0;
}
