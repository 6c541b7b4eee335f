/**
 * @file scalekit/token.h
 * Validation of Scalekit-issued JWTs against the environment's JWKS (GET /keys).
 *
 * Strict by default: RS256 (and RS384/RS512/PS256/ES256 where the key's JWK
 * names that algorithm); "none" and every HMAC algorithm are always refused;
 * the key type must match the algorithm; exp is required; nbf and iat are
 * checked with a leeway; a crit header naming anything is refused; base64url
 * is strict; tokens longer than max_token_bytes are refused unparsed.
 * A JWKS of more than 100 keys is refused (SCALEKIT_EMALFORMED_RESPONSE) before
 * any key is parsed.
 * The JWKS is cached (jwks_ttl_seconds) and refetched once on an unknown kid
 * (at most every jwks_min_refetch_interval_ms, one fetch for all threads);
 * the cached set is kept when a refetch fails. Verified tokens are cached by
 * a hash of the whole token, so validating the same token again is cheap;
 * exp is re-checked on every hit.
 */
#ifndef SCALEKIT_TOKEN_H
#define SCALEKIT_TOKEN_H

#include <stdbool.h>
#include <stdint.h>
#include "client.h"

SCALEKIT_BEGIN_DECLS

/** Options of scalekit_validate_token(). NULL or zero fields are not checked / defaults. */
typedef struct scalekit_validate_options {
    /** sizeof the caller's struct; set by the _INIT macro (0 is SCALEKIT_EINVAL). */
    size_t struct_size;
    const char *issuer;                   /**< iss must equal this */
    const char *const *audiences;         /**< NULL-terminated; aud must contain any one */
    const char *const *required_scopes;   /**< NULL-terminated; all must be granted */
    long leeway_seconds;                  /**< clock skew allowed for exp/nbf/iat: 0 means the
                                               default (60), a negative value none at all */
    /* Authorization (authz.h): a valid token failing one is SCALEKIT_ETOKEN_FORBIDDEN
       naming what is missing; exact matches, only arrays of strings grant; an empty
       name in a list is SCALEKIT_EINVAL. */
    const char *const *required_permissions; /**< NULL-terminated; all must be granted [newest] */
    const char *const *required_roles;       /**< NULL-terminated; all must be granted [newest] */
    const char *required_organization_id;    /**< oid must equal it; NULL/"": any [newest] */
} scalekit_validate_options;

/** The initialiser of scalekit_validate_options: nothing set. */
#define SCALEKIT_VALIDATE_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_validate_options)

/** Verified claims of any token. Free with scalekit_claims_free(). */
typedef struct scalekit_claims scalekit_claims;

/**
 * Verify a JWT's signature against the JWKS and check its time claims and the
 * options. On success hands out its claims.
 *
 * @param token the compact JWS
 * @param opts  NULL or options
 * @param out   NULL (only validate) or receives the claims; free with scalekit_claims_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ETOKEN_* (malformed, too large,
 *         algorithm, unknown key, signature, expired, not yet valid, claim; then
 *         forbidden: a valid token without a required role, permission or organization);
 *         network errors when the JWKS could not be fetched at all
 */
SCALEKIT_API int scalekit_validate_token(scalekit_client *client, const char *token,
        const scalekit_validate_options *opts, scalekit_claims **out);

/** Free claims. Safe on NULL. */
SCALEKIT_API void scalekit_claims_free(scalekit_claims *claims);
/** A string claim by name; NULL when absent or not a string. Lives as long as @p claims. */
SCALEKIT_API const char *scalekit_claims_get_string(const scalekit_claims *claims, const char *name);
/** A numeric claim by name into @p out. @return true when present and a number. */
SCALEKIT_API bool scalekit_claims_get_int64(const scalekit_claims *claims, const char *name, int64_t *out);
/** A boolean claim by name into @p out. @return true when present and a boolean. */
SCALEKIT_API bool scalekit_claims_get_bool(const scalekit_claims *claims, const char *name, bool *out);
/** Any claim as JSON text (objects, arrays...); NULL when absent. Lives as long as @p claims. */
SCALEKIT_API const char *scalekit_claims_get_json(const scalekit_claims *claims, const char *name);
/** The whole payload as JSON text. */
SCALEKIT_API const char *scalekit_claims_json(const scalekit_claims *claims);
/** Standard claims. NULL / 0 when absent. */
SCALEKIT_API const char *scalekit_claims_subject(const scalekit_claims *claims);
SCALEKIT_API const char *scalekit_claims_issuer(const scalekit_claims *claims);
SCALEKIT_API int64_t scalekit_claims_expires_at(const scalekit_claims *claims);
SCALEKIT_API int64_t scalekit_claims_issued_at(const scalekit_claims *claims);
/** The audiences (a string aud becomes a one-element list), NULL-terminated. */
SCALEKIT_API const char *const *scalekit_claims_audiences(const scalekit_claims *claims);

/** Claims of a Scalekit access token. Free with scalekit_access_token_claims_free(). */
typedef struct scalekit_access_token_claims {
    const char *sub;
    const char *iss;
    const char *const *audiences;     /**< NULL-terminated */
    int64_t iat;
    int64_t exp;
    int64_t nbf;                      /**< 0 when absent */
    const char *jti;
    const char *sid;
    const char *client_id;
    const char *organization_id;      /**< the oid claim */
    const char *const *roles;         /**< NULL-terminated; empty list when absent */
    const char *const *permissions;   /**< NULL-terminated; empty list when absent */
    const char *const *scopes;        /**< from scope (space separated) or scopes (array) */
    const char *raw_json;             /**< the whole payload */
} scalekit_access_token_claims;

/**
 * Validate an access token and hand out its claims.
 * @return as scalekit_validate_token() without options
 */
SCALEKIT_API int scalekit_get_access_token_claims(scalekit_client *client, const char *token,
        scalekit_access_token_claims **out);
/** Free access token claims. Safe on NULL. */
SCALEKIT_API void scalekit_access_token_claims_free(scalekit_access_token_claims *claims);

/**
 * Validate an access token (signature, exp, nbf, iat).
 * @return SCALEKIT_OK when valid, else the reason as scalekit_validate_token()
 */
SCALEKIT_API int scalekit_validate_access_token(scalekit_client *client, const char *token);

/** Claims of an IdP-initiated login token. */
typedef struct scalekit_idp_initiated_login_claims {
    const char *connection_id;
    const char *organization_id;
    const char *login_hint;
    const char *relay_state;
    const char *raw_json;
} scalekit_idp_initiated_login_claims;

/**
 * Validate an IdP-initiated login token and hand out its claims; then start a
 * normal login with them (scalekit_get_authorization_url with connection_id,
 * organization_id and login_hint, and relay_state as state).
 * @return as scalekit_validate_token()
 */
SCALEKIT_API int scalekit_get_idp_initiated_login_claims(scalekit_client *client, const char *token,
        scalekit_idp_initiated_login_claims **out);
/** Free IdP-initiated login claims. Safe on NULL. */
SCALEKIT_API void scalekit_idp_initiated_login_claims_free(scalekit_idp_initiated_login_claims *claims);

SCALEKIT_END_DECLS

#endif
