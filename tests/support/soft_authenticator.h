/*
 * A software WebAuthn authenticator for the tests: a P-256 (ES256) or RSA-2048
 * (RS256) key made with OpenSSL, one credential, and what a browser hands the
 * relying party after navigator.credentials.create / get: clientDataJSON,
 * authenticator data, the CBOR attestation object (libcbor), the signature,
 * as the JSON of PublicKeyCredential.toJSON(). Options let a test break one
 * thing at a time (origin, challenge, rpIdHash, flags, signature, counter).
 */
#ifndef SOFT_AUTHENTICATOR_H
#define SOFT_AUTHENTICATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

typedef struct soft_authn soft_authn;

/* What to send; a zeroed struct (or NULL) is a correct ceremony. */
typedef struct soft_authn_opts {
    const char *origin;     /* clientDataJSON origin (NULL: the one soft_authn_new was given) */
    const char *rp_id;      /* hashed into rpIdHash (NULL: the options' rp.id / rpId) */
    const char *type;       /* clientDataJSON type (NULL: webauthn.create / webauthn.get) */
    const char *challenge;  /* clientDataJSON challenge (NULL: the options') */
    bool set_flags;         /* use flags below instead of UP|UV (and AT on create) */
    uint8_t flags;
    bool packed;            /* create: packed self attestation instead of none */
    int packed_alg;         /* packed: attStmt.alg to claim (0: the key's) */
    bool bad_signature;     /* flip a bit of the signature */
    bool set_count;         /* use sign_count below instead of the next counter */
    uint32_t sign_count;
} soft_authn_opts;

/* A new authenticator with one credential for COSE @p alg (-7 or -257) that
 * believes it runs on @p origin ("http://127.0.0.1:PORT"). NULL on failure. */
soft_authn *soft_authn_new(int alg, const char *origin);
void soft_authn_free(soft_authn *a);

/* navigator.credentials.create({publicKey: options}): the RegistrationResponseJSON
 * (new reference) for @p options (PublicKeyCredentialCreationOptionsJSON). */
json_t *soft_authn_create(soft_authn *a, const json_t *options, const soft_authn_opts *o);
/* navigator.credentials.get: the AuthenticationResponseJSON (new reference). */
json_t *soft_authn_get(soft_authn *a, const json_t *options, const soft_authn_opts *o);

/* The credential id, base64url (owned by @p a). */
const char *soft_authn_credential_id(const soft_authn *a);

/* Raw pieces for parser tests and fuzz seeds: authenticator data with flags
 * @p flags and counter @p count for @p rp_id, with attested credential data when
 * flags has AT (0x40); malloc'd, its length in *len. */
unsigned char *soft_authn_auth_data(soft_authn *a, const char *rp_id, uint8_t flags, uint32_t count, size_t *len);
/* The COSE_Key of the credential's public key, malloc'd. */
unsigned char *soft_authn_cose_key(soft_authn *a, size_t *len);

#endif
