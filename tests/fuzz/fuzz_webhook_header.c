/*
 * Fuzz the webhook signature-header parser and the whole verify path.
 * Input: "<id>\n<timestamp>\n<signature header>\n<payload>". The first byte's
 * low bit swaps the timestamp for the current time so inputs reach the HMAC
 * and the comparison; the second bit uses interceptor-* names.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scalekit/scalekit.h"
#include "auth/auth_internal.h"

#define SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

/* The next '\n'-terminated field of [*p, end) as a malloc'd C string. */
static char *next_field(const uint8_t **p, const uint8_t *end)
{
    const uint8_t *nl = memchr(*p, '\n', (size_t)(end - *p));
    size_t len = nl ? (size_t)(nl - *p) : (size_t)(end - *p);
    char *s = malloc(len + 1);
    if (s == NULL)
        abort();
    memcpy(s, *p, len);
    s[len] = '\0';
    *p += nl ? len + 1 : len;
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    skit_webhook_signature sigs[SKIT_WEBHOOK_MAX_SIGNATURES];
    size_t n = 0;
    if (skit_webhook_parse_signature_header((const char *)data, size, sigs, &n) == SCALEKIT_OK) {
        if (n > SKIT_WEBHOOK_MAX_SIGNATURES)
            abort();
        for (size_t i = 0; i < n; i++) {
            if (sigs[i].b64 < (const char *)data || sigs[i].b64 + sigs[i].len > (const char *)data + size)
                abort();
        }
    }
    int64_t ts;
    (void)skit_webhook_parse_timestamp((const char *)data, size < 40 ? size : 40, &ts);

    if (size == 0)
        return 0;
    uint8_t mode = data[0];
    const uint8_t *p = data + 1, *end = data + size;
    char *id = next_field(&p, end);
    char *timestamp = next_field(&p, end);
    char *signature = next_field(&p, end);
    char now_text[32];
    if (mode & 1) {
        snprintf(now_text, sizeof now_text, "%lld", (long long)skit_now());
        free(timestamp);
        timestamp = strdup(now_text);
    }
    const char *prefix = (mode & 2) ? "Interceptor" : "WEBHOOK";
    char names[3][32];
    snprintf(names[0], sizeof names[0], "%s-id", prefix);
    snprintf(names[1], sizeof names[1], "%s-timestamp", prefix);
    snprintf(names[2], sizeof names[2], "%s-signature", prefix);
    scalekit_header headers[] = {
        {names[0], id}, {names[1], timestamp}, {names[2], signature},
    };
    size_t payload_len = (size_t)(end - p);
    int rc = (mode & 2)
        ? scalekit_verify_interceptor_payload(NULL, SECRET, headers, 3, (const char *)p, payload_len)
        : scalekit_verify_webhook_payload(NULL, SECRET, headers, 3, (const char *)p, payload_len);
    if (rc == SCALEKIT_OK) {
        /* Only a real signature verifies: recompute and compare. */
        char *expected = NULL;
        if (scalekit_sign_webhook_payload(SECRET, id, strtoll(timestamp, NULL, 10), (const char *)p,
                                          payload_len, &expected) != SCALEKIT_OK ||
            strstr(signature, expected) == NULL)
            abort();
        scalekit_free(expected);
    }
    free(id);
    free(timestamp);
    free(signature);
    return 0;
}
