/**
 * @file scalekit/webhook.h
 * Verification of webhook deliveries and interceptor calls (Standard Webhooks).
 *
 * The signed content is "<id>.<timestamp>.<payload>", HMAC-SHA256 keyed with the
 * base64-decoded text after "whsec_" in the secret. The signature header holds
 * space separated "v1,<base64>" entries; any one matching is enough, other
 * versions are ignored. Timestamps more than 5 minutes old or ahead are refused.
 * Comparison is constant time. Header names match case-insensitively; an
 * empty header counts as missing. The work is bounded: a header over 8 KiB or
 * a signature header of more than 32 entries is EWEBHOOK_MALFORMED_HEADER.
 * No network: the client may be NULL. Each thread keeps one HMAC context and
 * its last decoded secret, so verifying with the same secret allocates nothing.
 */
#ifndef SCALEKIT_WEBHOOK_H
#define SCALEKIT_WEBHOOK_H

#include <stddef.h>
#include <stdint.h>
#include "client.h"

SCALEKIT_BEGIN_DECLS

/**
 * Verify a webhook delivery: headers webhook-id, webhook-timestamp, webhook-signature.
 *
 * @param client      may be NULL
 * @param secret      the endpoint's signing secret, "whsec_<base64>"
 * @param headers     the request's headers (any order, any case, extra ones ignored)
 * @param n_headers   how many
 * @param payload     the raw request body, byte for byte (may hold NUL bytes)
 * @param payload_len its length
 * @return SCALEKIT_OK when authentic; SCALEKIT_EINVAL; SCALEKIT_EWEBHOOK_MISSING_HEADER,
 *         _INVALID_SECRET, _MALFORMED_HEADER, _TIMESTAMP_TOO_OLD, _TIMESTAMP_TOO_NEW, _SIGNATURE
 */
SCALEKIT_API int scalekit_verify_webhook_payload(scalekit_client *client, const char *secret,
        const scalekit_header *headers, size_t n_headers, const char *payload, size_t payload_len);

/**
 * Verify an interceptor call: headers interceptor-id, interceptor-timestamp,
 * interceptor-signature, each falling back to its webhook-* name.
 * @return as scalekit_verify_webhook_payload()
 */
SCALEKIT_API int scalekit_verify_interceptor_payload(scalekit_client *client, const char *secret,
        const scalekit_header *headers, size_t n_headers, const char *payload, size_t payload_len);

/**
 * Sign a payload as a Scalekit sender would: for tests and for emulators.
 * @param secret         "whsec_<base64>"
 * @param id             the message id (webhook-id); must not be empty
 * @param timestamp      the Unix time to sign (webhook-timestamp)
 * @param payload        the body, byte for byte; may be NULL when @p payload_len is 0
 * @param payload_len    its length
 * @param signature_out  receives "v1,<base64>"; free with scalekit_free()
 * @return SCALEKIT_OK, SCALEKIT_EINVAL, SCALEKIT_EWEBHOOK_INVALID_SECRET, SCALEKIT_ENOMEM
 */
SCALEKIT_API int scalekit_sign_webhook_payload(const char *secret, const char *id, int64_t timestamp,
        const char *payload, size_t payload_len, char **signature_out);

SCALEKIT_END_DECLS

#endif
