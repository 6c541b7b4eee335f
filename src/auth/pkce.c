/* PKCE (RFC 7636): verifier generation and the S256 challenge. */
#include <string.h>

#include <openssl/evp.h>

#include "auth_internal.h"

#define PKCE_VERIFIER_RANDOM_BYTES 32   /* 256 bits -> 43 base64url characters */
#define PKCE_VERIFIER_MIN 43
#define PKCE_VERIFIER_MAX 128

int scalekit_pkce_challenge_s256(const char *verifier, char *challenge, size_t size)
{
    if (verifier == NULL)
        return skit_error_set(SCALEKIT_EINVAL, "code_verifier must not be NULL");
    if (challenge == NULL)
        return skit_error_set(SCALEKIT_EINVAL, "challenge must not be NULL");
    size_t needed = skit_base64url_encoded_len(32) + 1;
    if (size < needed)
        return skit_error_set(SCALEKIT_EINVAL, "challenge buffer of %zu bytes is too small (%zu needed)",
                              size, needed);
    challenge[0] = '\0';

    size_t len = strnlen(verifier, PKCE_VERIFIER_MAX + 1);
    if (len > PKCE_VERIFIER_MAX)
        return skit_error_set(SCALEKIT_EINVAL, "code_verifier must be at most 128 characters long");
    if (len < PKCE_VERIFIER_MIN)
        return skit_error_set(SCALEKIT_EINVAL,
                              "code_verifier must be at least 43 characters long, not %zu", len);
    for (size_t i = 0; i < len; i++) {
        if (!skit_is_unreserved((unsigned char)verifier[i]))
            return skit_error_set(SCALEKIT_EINVAL,
                                  "code_verifier holds character 0x%02x at %zu; only [A-Za-z0-9-._~] are allowed",
                                  (unsigned char)verifier[i], i);
    }

    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    if (EVP_Digest(verifier, len, digest, &digest_len, EVP_sha256(), NULL) != 1 || digest_len != 32)
        return skit_error_set(SCALEKIT_EINTERNAL, "SHA-256 of the code_verifier failed");
    skit_base64url_encode(digest, digest_len, challenge);
    skit_error_reset();
    return SCALEKIT_OK;
}

int scalekit_generate_pkce(scalekit_pkce *out)
{
    if (out == NULL)
        return skit_error_set(SCALEKIT_EINVAL, "pkce out must not be NULL");
    memset(out, 0, sizeof *out);

    unsigned char random[PKCE_VERIFIER_RANDOM_BYTES];
    int rc = skit_random_bytes(random, sizeof random);
    if (rc != SCALEKIT_OK)
        return skit_error_set(SCALEKIT_EINTERNAL, "no randomness for the PKCE code_verifier");
    skit_base64url_encode(random, sizeof random, out->code_verifier);
    OPENSSL_cleanse(random, sizeof random);

    rc = scalekit_pkce_challenge_s256(out->code_verifier, out->code_challenge,
                                      sizeof out->code_challenge);
    if (rc != SCALEKIT_OK) {
        memset(out, 0, sizeof *out);
        return rc;
    }
    memcpy(out->code_challenge_method, "S256", sizeof "S256");
    return SCALEKIT_OK;
}
