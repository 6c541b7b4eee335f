/* The compact JWS split of the validation hot path: the same checks as
 * skit_jws_parse, in the same order, but the header is read with the strict
 * scanner instead of a jansson tree, and the payload's JSON is left for after
 * the signature verified (a forged token costs no JSON parsing at all). */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "jose/jose.h"
#include "jose/json_scan.h"

void skit_jws_lite_clear(skit_jws_lite *lite)
{
    if (!lite)
        return;
    free(lite->jws.signature);
    free(lite->payload);
    free(lite->kid_heap);
    memset(&lite->jws, 0, sizeof lite->jws);
    lite->payload = NULL;
    lite->kid_heap = NULL;
}

/* Decode a string member into @p buf (@p cap bytes) or, when longer, into *heap. */
static const char *member_string(const skit_json_member *m, char *buf, size_t cap, char **heap)
{
    size_t raw_len = m->value_len - 2;   /* without the quotes */
    char *out = buf;
    if (raw_len + 1 > cap && !(out = *heap = malloc(raw_len + 1)))
        return NULL;
    skit_json_unescape(m->value + 1, raw_len, out);
    return out;
}

static int check_header(skit_jws_lite *lite, const char *text, size_t len)
{
    skit_json_scan scan;
    int rc = skit_json_scan_object(&scan, text, len);
    if (rc == SCALEKIT_EINVAL)
        rc = skit_error_set(SCALEKIT_ETOKEN_MALFORMED,
                            "token header is not a valid JSON object: %s at byte %zu", scan.error,
                            scan.error_offset);
    if (rc != SCALEKIT_OK) {
        skit_json_scan_free(&scan);
        return rc;
    }
    const skit_json_member *alg = skit_json_scan_get(&scan, "alg");
    const skit_json_member *kid = skit_json_scan_get(&scan, "kid");
    char alg_buf[32];
    char *alg_heap = NULL;
    const char *alg_name = NULL;
    if (alg && alg->kind == SKIT_JSON_STRING &&
        !(alg_name = member_string(alg, alg_buf, sizeof alg_buf, &alg_heap)))
        rc = skit_error_oom();
    if (rc == SCALEKIT_OK)
        rc = skit_jws_check_header(alg_name, skit_json_scan_get(&scan, "crit") != NULL,
                                   !kid || kid->kind == SKIT_JSON_STRING, &lite->jws.alg);
    if (rc == SCALEKIT_OK && kid &&
        !(lite->jws.kid = member_string(kid, lite->kid_buf, sizeof lite->kid_buf, &lite->kid_heap)))
        rc = skit_error_oom();
    free(alg_heap);
    skit_json_scan_free(&scan);
    return rc;
}

int skit_jws_parse_lite(const char *token, size_t len, skit_jws_lite *out)
{
    if (!token || !out)
        return skit_error_set(SCALEKIT_EINVAL, "token must not be NULL");
    memset(&out->jws, 0, sizeof out->jws);
    out->payload = NULL;
    out->payload_len = 0;
    out->kid_heap = NULL;
    const char *dot1 = memchr(token, '.', len);
    const char *dot2 = dot1 ? memchr(dot1 + 1, '.', len - (size_t)(dot1 + 1 - token)) : NULL;
    if (!dot2)
        return skit_error_set(SCALEKIT_ETOKEN_MALFORMED, "token does not have three segments");
    const char *sig = dot2 + 1;
    size_t sig_len = len - (size_t)(sig - token);
    if (memchr(sig, '.', sig_len))
        return skit_error_set(SCALEKIT_ETOKEN_MALFORMED, "token has more than three segments");
    size_t header_len = (size_t)(dot1 - token);
    size_t payload_len = (size_t)(dot2 - dot1 - 1);
    if (header_len == 0 || payload_len == 0)
        return skit_error_set(SCALEKIT_ETOKEN_MALFORMED, "token has an empty %s segment",
                              header_len == 0 ? "header" : "payload");
    unsigned char *header = NULL;
    size_t header_text_len = 0;
    int rc = SCALEKIT_OK;
    if (skit_base64url_decode(token, header_len, &header, &header_text_len) != SCALEKIT_OK)
        rc = skit_error_set(SCALEKIT_ETOKEN_MALFORMED, "token header is not strict base64url");
    if (rc == SCALEKIT_OK)
        rc = check_header(out, (const char *)header, header_text_len);
    free(header);
    if (rc == SCALEKIT_OK && sig_len == 0)
        rc = skit_error_set(SCALEKIT_ETOKEN_MALFORMED, "token has an empty signature segment");
    if (rc == SCALEKIT_OK && skit_base64url_decode(dot1 + 1, payload_len,
                                                   (unsigned char **)&out->payload,
                                                   &out->payload_len) != SCALEKIT_OK)
        rc = skit_error_set(SCALEKIT_ETOKEN_MALFORMED, "token payload is not strict base64url");
    if (rc == SCALEKIT_OK && skit_base64url_decode(sig, sig_len, &out->jws.signature,
                                                   &out->jws.signature_len) != SCALEKIT_OK)
        rc = skit_error_set(SCALEKIT_ETOKEN_MALFORMED, "token signature is not strict base64url");
    if (rc != SCALEKIT_OK) {
        skit_jws_lite_clear(out);
        return rc;
    }
    out->jws.signing_input = token;
    out->jws.signing_input_len = (size_t)(dot2 - token);
    return SCALEKIT_OK;
}
