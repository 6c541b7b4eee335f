/*
 * Internal JOSE layer of libscalekit: signing keys (for the emulator and the
 * tests), JWK/JWKS parsing, JWS compact verification, JWT time checks, and the
 * per-client caches (JWKS and verified tokens). Not exported.
 *
 * Every function returns SCALEKIT_OK or a negative SCALEKIT_E* code and records
 * the details with skit_error_set().
 */
#ifndef SKIT_JOSE_H
#define SKIT_JOSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <openssl/evp.h>

#include "scalekit/scalekit.h"

/* ---- algorithms ---------------------------------------------------------- */

/* The only algorithms we sign and verify with; 0 is "none of them". */
typedef enum skit_jws_alg {
    SKIT_JWS_ALG_INVALID = 0,
    SKIT_JWS_RS256,
    SKIT_JWS_RS384,
    SKIT_JWS_RS512,
    SKIT_JWS_PS256,
    SKIT_JWS_ES256
} skit_jws_alg;

/* "RS256" -> SKIT_JWS_RS256; SKIT_JWS_ALG_INVALID for anything else (none, HS*, ...). */
skit_jws_alg skit_jws_alg_from_name(const char *name);
/* SKIT_JWS_RS256 -> "RS256"; NULL for an invalid value. */
const char *skit_jws_alg_name(skit_jws_alg alg);
/* The digest name of an algorithm for EVP ("SHA256", "SHA384", "SHA512"). */
const char *skit_jws_alg_digest(skit_jws_alg alg);

/* ---- signing (the emulator issues tokens with these) ---------------------- */

typedef struct skit_signing_key skit_signing_key;   /* private key + kid + alg */

/* A new key for @p alg ("RS256","RS384","RS512","PS256": RSA-2048; "ES256": P-256).
 * @p kid is copied. Free with skit_signing_key_free(). EINVAL for another alg. */
int skit_signing_key_generate(const char *alg, const char *kid, skit_signing_key **out);
/* A key from a PEM private key (PKCS#8 or traditional); its type must suit @p alg. */
int skit_signing_key_from_pem(const char *pem, const char *kid, const char *alg,
                              skit_signing_key **out);
/* The private key as PKCS#8 PEM; *pem_out is malloc'd (free()). */
int skit_signing_key_to_pem(const skit_signing_key *k, char **pem_out);
const char *skit_signing_key_kid(const skit_signing_key *k);
const char *skit_signing_key_alg(const skit_signing_key *k);
/* The public JWK: {"kty":"RSA","kid","use":"sig","alg","n","e"} or
 * {"kty":"EC","kid","use":"sig","alg","crv":"P-256","x","y"}. *out is a new reference. */
int skit_signing_key_public_jwk(const skit_signing_key *k, json_t **out);
/* A compact JWS of @p payload with header {"alg","typ":"JWT","kid"}; *jwt_out malloc'd (free()). */
int skit_jwt_sign(const skit_signing_key *k, const json_t *payload, char **jwt_out);
/* A compact JWS of arbitrary header and payload text, signed with the key's
 * algorithm whatever the header says (tests build hostile tokens with it). */
int skit_jws_sign_raw(const skit_signing_key *k, const char *header_json,
                      const char *payload_json, char **out);
/* The raw signature of @p data with the key's algorithm (JOSE form: r||s for ES256).
 * *sig_out is malloc'd (free()). */
int skit_signing_key_sign(const skit_signing_key *k, const void *data, size_t len,
                          unsigned char **sig_out, size_t *sig_len_out);
/* The key itself (borrowed), for tests and benchmarks. */
EVP_PKEY *skit_signing_key_pkey(const skit_signing_key *k);
void skit_signing_key_free(skit_signing_key *k);

/* ---- JWK / JWKS ----------------------------------------------------------- */

typedef enum skit_jwk_type { SKIT_JWK_RSA = 1, SKIT_JWK_EC_P256 = 2 } skit_jwk_type;

typedef struct skit_jwk {
    char *kid;              /* NULL when the JWK has none */
    skit_jwk_type type;
    skit_jws_alg alg;       /* the one algorithm this key verifies (its alg, or RS256 / ES256) */
    EVP_PKEY *pkey;
    uint64_t serial;        /* unique per parsed key: names it in per-thread verify caches */
} skit_jwk;

/* A parsed key set; reference counted so a reader keeps it while the cache replaces it. */
typedef struct skit_jwks {
    int refs;               /* atomic */
    size_t count;
    skit_jwk *keys;
    unsigned char fingerprint[32];   /* SHA-256 over the keys: tells a changed set from the same */
} skit_jwks;

/* A public key from its raw components (JWKs and the emulator's COSE keys share
 * these rules): RSA with a big-endian modulus of 2048 to 16384 bits and an odd
 * exponent of at most 8 bytes; P-256 from 32-byte x and y, the point on the
 * curve. @p what names the key in the error ("JWK"). SCALEKIT_OK and *out, or
 * EMALFORMED_RESPONSE (ENOMEM) with the reason. */
int skit_pkey_rsa_public(const unsigned char *n, size_t n_len, const unsigned char *e, size_t e_len,
                         const char *what, EVP_PKEY **out);
int skit_pkey_p256_public(const unsigned char *x, size_t x_len, const unsigned char *y, size_t y_len,
                          const char *what, EVP_PKEY **out);

/* Parse one JWK object into @p out (zeroed first). SCALEKIT_OK, or
 * SKIT_JWK_SKIPPED (a positive value) for a key we ignore by rule
 * (use != "sig", unknown kty or curve), or a negative error for a broken key. */
#define SKIT_JWK_SKIPPED 1
int skit_jwk_parse(const json_t *jwk, skit_jwk *out);
void skit_jwk_clear(skit_jwk *k);

/* A JWKS from the network with more keys is refused before any key is parsed:
 * each RSA key costs a bignum import, so an unbounded set is a cheap way to make
 * every client spend seconds and megabytes (a real environment publishes a few). */
#define SKIT_JWKS_MAX_KEYS 100

/* Parse a JWKS document {"keys":[...]}. Skipped keys are left out; a broken
 * key fails the whole set, and so do more than SKIT_JWKS_MAX_KEYS entries
 * (EMALFORMED_RESPONSE). *out has one reference. */
int skit_jwks_parse(const char *json, size_t len, skit_jwks **out);
/* The same from an already parsed document. */
int skit_jwks_from_json(const json_t *doc, skit_jwks **out);
skit_jwks *skit_jwks_retain(skit_jwks *set);
void skit_jwks_release(skit_jwks *set);   /* safe on NULL */

/* ---- JWS compact verification --------------------------------------------- */

/* A parsed (not yet verified) compact JWS. */
typedef struct skit_jws {
    skit_jws_alg alg;
    const char *kid;             /* inside header; NULL when absent */
    json_t *header;
    json_t *payload;             /* a JSON object */
    const char *signing_input;   /* points into the token: header "." payload */
    size_t signing_input_len;
    unsigned char *signature;
    size_t signature_len;
} skit_jws;

/* Split, decode and check a compact JWS: three non-empty segments of strict
 * base64url, a JSON object header with a string alg we accept (none and HS*
 * -> ETOKEN_ALGORITHM), no crit, a JSON object payload. Release with skit_jws_clear(). */
int skit_jws_parse(const char *token, size_t len, skit_jws *out);
/* The header rules both parsers apply: @p alg_name is the alg member (NULL
 * when absent or not a string), refused when none, HMAC or unknown; a crit
 * member is refused; kid must be a string when present. *alg_out gets the alg. */
int skit_jws_check_header(const char *alg_name, bool has_crit, bool kid_is_string_or_absent,
                          skit_jws_alg *alg_out);
void skit_jws_clear(skit_jws *jws);

/* The key of @p set for @p jws: by kid (no kid: only when the set has one key);
 * among keys sharing the kid, the one bound to the token's alg.
 * ETOKEN_UNKNOWN_KEY when none has the kid; ETOKEN_ALGORITHM when the key is
 * bound to another algorithm. */
int skit_jwks_find_key(const skit_jwks *set, const skit_jws *jws, const skit_jwk **out);

/* Verify @p sig over @p data with @p key and @p alg (the key must be bound to
 * alg). ETOKEN_SIGNATURE when it does not verify. */
int skit_jws_verify_signature(const skit_jwk *key, skit_jws_alg alg, const void *data,
                              size_t len, const unsigned char *sig, size_t sig_len);

/* Parse + find key + verify signature; no time checks. *payload_out (may be
 * NULL) receives a new reference to the payload. */
int skit_jws_verify(const skit_jwks *set, const char *token, size_t len, json_t **payload_out);

/* exp required (a number) and > now - leeway; nbf and iat, when present,
 * <= now + leeway. ETOKEN_EXPIRED / ETOKEN_NOT_YET_VALID / ETOKEN_MALFORMED. */
int skit_jwt_check_time(const json_t *payload, int64_t now, long leeway_seconds);

/* ---- the JOSE state of one client (JWKS cache + verified-token cache) ----- */

#define SKIT_DEFAULT_LEEWAY_SECONDS 60

typedef struct skit_jose_state skit_jose_state;
struct skit_payload;

/*
 * A new JOSE state that fetches GET /keys through @p transport's core (borrowed:
 * it must outlive the state) and takes its limits from @p opts (read now:
 * jwks_ttl_seconds, jwks_min_refetch_interval_ms, max_token_bytes,
 * verified_token_cache_entries; zero fields mean the defaults). NULL on out of memory.
 */
skit_jose_state *skit_jose_state_new(scalekit_client *transport,
                                     const scalekit_client_options *opts);
void skit_jose_state_free(skit_jose_state *state);   /* safe on NULL */

/* Full validation of @p token: size limit, verified-token cache, JWKS (fetched /
 * refetched as needed), signature, time. @p leeway_seconds 0 means the default,
 * negative none. *payload_out (may be NULL) gets a reference to the verified
 * payload (release with skit_payload_release). */
int skit_jose_state_validate(skit_jose_state *state, const char *token, long leeway_seconds,
                             struct skit_payload **payload_out);
/* Install a JWKS document as if fetched now (tests, benchmarks). */
int skit_jose_state_set_jwks(skit_jose_state *state, const char *jwks_json);
/* The current JWKS generation (0: none fetched yet). */
uint64_t skit_jose_state_generation(skit_jose_state *state);
/* How many fetches of /keys were attempted (tests). */
uint64_t skit_jose_state_fetch_count(skit_jose_state *state);

/* The time claims of a payload (RFC 7519 4.1.4-4.1.6). */
typedef struct skit_jwt_times {
    bool has_exp, has_nbf, has_iat;
    double exp, nbf, iat;
} skit_jwt_times;

/* The checks of skit_jwt_check_time() on claims already read. */
int skit_jwt_check_times(const skit_jwt_times *times, int64_t now, long leeway_seconds);

/* A verified payload shared between the token cache and any number of claims
 * on any thread. It keeps the payload text as signed and its time claims (read
 * by the strict scanner of json_scan.h); the jansson tree is built only when
 * someone asks for claims, once (the first builder publishes it atomically).
 * jansson's own reference count is not safe to share across threads (its
 * decref reads the count unsynchronised), so only this wrapper is counted and
 * everyone else only reads the tree. */
typedef struct skit_payload {
    int refs;               /* atomic */
    json_t *json;           /* atomic pointer: NULL until skit_payload_json() built it */
    skit_jwt_times times;
    size_t len;
    char text[];            /* the payload JSON, NUL-terminated */
} skit_payload;
/* Scan @p text (a JSON object, @p len bytes; copied) and read its time claims.
 * ETOKEN_MALFORMED when it is not a JSON object or a time claim is not a
 * number; ENOMEM. *out has one reference. */
int skit_payload_new(const char *text, size_t len, skit_payload **out);
/* The payload as a jansson object, borrowed for as long as @p p is held.
 * ETOKEN_MALFORMED should jansson refuse what the scanner accepted (it does
 * not: the two agree by construction and by fuzzing); ENOMEM. */
int skit_payload_json(skit_payload *p, const json_t **out);
skit_payload *skit_payload_retain(skit_payload *p);
void skit_payload_release(skit_payload *p);   /* safe on NULL */

/* A compact JWS split and checked without building JSON trees: the header is
 * scanned (alg, kid, crit checked as skit_jws_parse does), the payload only
 * decoded from base64url (its JSON is checked after the signature). */
typedef struct skit_jws_lite {
    skit_jws jws;                 /* alg, kid, signing input, signature; header/payload NULL */
    char *payload;                /* the decoded payload text (malloc'd) */
    size_t payload_len;
    char *kid_heap;               /* kid when longer than kid_buf */
    char kid_buf[64];
} skit_jws_lite;
/* Errors as skit_jws_parse (ETOKEN_MALFORMED, ETOKEN_ALGORITHM, ENOMEM), except
 * that the payload's JSON is not looked at. Release with skit_jws_lite_clear(). */
int skit_jws_parse_lite(const char *token, size_t len, skit_jws_lite *out);
void skit_jws_lite_clear(skit_jws_lite *lite);

/* The verified-token cache (src/jose/token_cache.c), used by skit_jose_validate. */
typedef struct skit_token_cache skit_token_cache;
/* @p entries <= 0: no cache (NULL); every call below accepts a NULL cache. */
skit_token_cache *skit_token_cache_new(long entries);
void skit_token_cache_free(skit_token_cache *cache);
/* A new reference to the payload stored for @p digest at @p generation; NULL on a miss. */
skit_payload *skit_token_cache_get(skit_token_cache *cache, const unsigned char digest[32],
                                   uint64_t generation);
void skit_token_cache_put(skit_token_cache *cache, const unsigned char digest[32],
                          uint64_t generation, skit_payload *payload);

#endif
