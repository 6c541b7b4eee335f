/*
 * WebAuthn (W3C Web Authentication Level 3) for the emulator's passkeys:
 * parsing of the untrusted bytes a browser hands over (authenticator data,
 * attestation objects, clientDataJSON, COSE keys; webauthn_parse.c, CBOR by
 * libcbor) and the registration and assertion checks (webauthn_verify.c).
 * The HTTP routes and storage are webauthn.c; the hosted page webauthn_page.c.
 *
 * Every parser is bounded (sizes below, CBOR nesting and declared counts
 * checked against the bytes present before libcbor allocates) and answers a
 * problem as -1 with a sentence in an emu_wa_why, never a crash.
 */
#ifndef EMU_WEBAUTHN_H
#define EMU_WEBAUTHN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <openssl/evp.h>

/* Limits on what a browser may send. */
#define EMU_WA_MAX_CREDENTIAL_ID 1023       /* bytes (WebAuthn L3 credential id) */
#define EMU_WA_MAX_ATTESTATION (64 * 1024)  /* attestationObject, bytes */
#define EMU_WA_MAX_AUTH_DATA (16 * 1024)    /* authenticatorData, bytes */
#define EMU_WA_MAX_CLIENT_DATA (16 * 1024)  /* clientDataJSON, bytes */
#define EMU_WA_MAX_SIGNATURE 1024           /* assertion signature, bytes */
#define EMU_WA_MAX_CBOR_DEPTH 8             /* nesting of any CBOR item we read */

/* Authenticator data flags (WebAuthn L3 6.1). */
enum {
    EMU_WA_UP = 0x01, /* user present */
    EMU_WA_UV = 0x04, /* user verified */
    EMU_WA_BE = 0x08, /* backup eligible */
    EMU_WA_BS = 0x10, /* backup state */
    EMU_WA_AT = 0x40, /* attested credential data included */
    EMU_WA_ED = 0x80, /* extension data included */
};

/* COSE algorithms we accept (RFC 9053, IANA COSE registry). */
#define EMU_COSE_ES256 (-7)
#define EMU_COSE_RS256 (-257)

/* Why a parse or check failed: one sentence naming the thing and the value. */
typedef struct emu_wa_why {
    char text[256];
} emu_wa_why;

/* Set @p why's text; returns -1 (so `return wa_fail(...)` fails). */
int emu_wa_fail(emu_wa_why *why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- parsing (webauthn_parse.c) ------------------------------------------------ */

/*
 * The length of the one CBOR item at the start of @p p: definite lengths only,
 * no tags, nesting at most EMU_WA_MAX_CBOR_DEPTH, each declared count within
 * the bytes present. 0 and *item_len, or -1 with @p why.
 */
int emu_wa_cbor_item_len(const unsigned char *p, size_t len, size_t *item_len, emu_wa_why *why);

/* A COSE_Key (RFC 9052 7) at the start of @p p: EC2 P-256 with alg ES256, or
 * RSA (2048 to 16384 bits) with alg RS256. 0 with *key (owned), *alg and *used
 * (the key's bytes), or -1 with @p why. */
int emu_wa_cose_key_parse(const unsigned char *p, size_t len, EVP_PKEY **key, int *alg, size_t *used,
                          emu_wa_why *why);

/* Authenticator data (WebAuthn L3 6.1), pointing into the parsed bytes. */
typedef struct emu_wa_auth_data {
    const unsigned char *rp_id_hash;     /* 32 bytes */
    unsigned flags;                      /* EMU_WA_* */
    uint32_t sign_count;
    /* attested credential data, when flags has EMU_WA_AT */
    unsigned char aaguid[16];
    const unsigned char *credential_id;
    size_t credential_id_len;
    EVP_PKEY *public_key;                /* owned: emu_wa_auth_data_clear */
    int alg;
} emu_wa_auth_data;

/* Parse @p p (at most EMU_WA_MAX_AUTH_DATA bytes): header, attested credential
 * data when AT, extensions when ED, and nothing after them. 0, or -1 with @p why. */
int emu_wa_auth_data_parse(const unsigned char *p, size_t len, emu_wa_auth_data *out, emu_wa_why *why);
void emu_wa_auth_data_clear(emu_wa_auth_data *a);

/* An attestation object (WebAuthn L3 6.5): {fmt, attStmt, authData}. */
typedef struct emu_wa_attestation {
    char fmt[32];
    unsigned char *auth_data;            /* malloc'd copy */
    size_t auth_data_len;
    size_t stmt_members;                 /* members of attStmt */
    bool has_alg;                        /* attStmt.alg, packed */
    int64_t alg;
    unsigned char *sig;                  /* attStmt.sig, malloc'd; NULL when absent */
    size_t sig_len;
    bool has_x5c;                        /* attStmt.x5c: a full (certificate) attestation */
} emu_wa_attestation;

/* Parse @p p (at most EMU_WA_MAX_ATTESTATION bytes, exactly one CBOR map).
 * Recognises the members of the formats none and packed; 0, or -1 with @p why. */
int emu_wa_attestation_parse(const unsigned char *p, size_t len, emu_wa_attestation *out, emu_wa_why *why);
void emu_wa_attestation_clear(emu_wa_attestation *a);

/* clientDataJSON (WebAuthn L3 5.8.1). */
typedef struct emu_wa_client_data {
    json_t *json;                        /* owns the strings below */
    const char *type;
    const char *challenge;
    const char *origin;
    bool cross_origin;
} emu_wa_client_data;

/* Parse @p p (at most EMU_WA_MAX_CLIENT_DATA bytes): a JSON object whose type,
 * challenge and origin are strings and crossOrigin, when present, a boolean.
 * 0, or -1 with @p why. */
int emu_wa_client_data_parse(const unsigned char *p, size_t len, emu_wa_client_data *out, emu_wa_why *why);
void emu_wa_client_data_clear(emu_wa_client_data *c);

/* ---- the ceremonies (webauthn_verify.c) --------------------------------------- */

/* What the relying party expects of a ceremony. */
typedef struct emu_wa_expect {
    const char *challenge;               /* base64url, exact */
    const char *const *origins;          /* NULL-terminated allowed origins */
    const char *rp_id;                   /* its SHA-256 must be the rpIdHash */
    bool require_uv;
} emu_wa_expect;

/* A verified registration. */
typedef struct emu_wa_registration {
    char fmt[32];                        /* "none" or "packed" */
    unsigned flags;
    uint32_t sign_count;
    unsigned char aaguid[16];
    unsigned char *credential_id;        /* malloc'd */
    size_t credential_id_len;
    unsigned char *public_key_der;       /* SubjectPublicKeyInfo, malloc'd */
    size_t public_key_der_len;
    int alg;
} emu_wa_registration;

/* Verify a registration (WebAuthn L3 7.1): clientDataJSON of type
 * webauthn.create with the expected challenge and an allowed origin, the
 * rpIdHash, UP (and UV when required), attested credential data, and the
 * attestation statement (none, or packed self attestation). 0, or -1 with @p why. */
int emu_wa_verify_registration(const emu_wa_expect *x, const unsigned char *client_data, size_t client_data_len,
                               const unsigned char *attestation, size_t attestation_len,
                               emu_wa_registration *out, emu_wa_why *why);
void emu_wa_registration_clear(emu_wa_registration *r);

/* A stored credential as an assertion is checked against. */
typedef struct emu_wa_stored {
    const unsigned char *public_key_der;
    size_t public_key_der_len;
    int alg;
    uint32_t sign_count;
} emu_wa_stored;

/* Verify an assertion (WebAuthn L3 7.2): clientDataJSON of type webauthn.get,
 * challenge, origin, rpIdHash, UP (and UV), the signature over authenticatorData
 * || SHA-256(clientDataJSON) with the stored key, and the signature counter
 * (a non-zero counter that does not grow is a possible clone). 0 with *flags and
 * *sign_count (the new counter), or -1 with @p why. */
int emu_wa_verify_assertion(const emu_wa_expect *x, const emu_wa_stored *cred, const unsigned char *client_data,
                            size_t client_data_len, const unsigned char *auth_data, size_t auth_data_len,
                            const unsigned char *sig, size_t sig_len, unsigned *flags, uint32_t *sign_count,
                            emu_wa_why *why);

/* Verify @p sig over @p data with @p key for COSE algorithm @p alg (ES256: an
 * ASN.1 DER ECDSA signature; RS256: RSASSA-PKCS1-v1_5). True when valid. */
bool emu_wa_signature_ok(EVP_PKEY *key, int alg, const unsigned char *data, size_t len, const unsigned char *sig,
                         size_t sig_len);

#endif
