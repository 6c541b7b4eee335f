/**
 * @file scalekit/error.h
 * Error codes and the details of the last failure on the calling thread.
 *
 * Every fallible function returns SCALEKIT_OK (0) or one of the negative codes
 * below. Right after a failure, scalekit_error_last() describes it: the code,
 * the HTTP status when a server answered, a message naming the thing and the
 * value, and what the server said (its error_code, request id, field violations).
 */
#ifndef SCALEKIT_ERROR_H
#define SCALEKIT_ERROR_H

#include <stddef.h>
#include "export.h"

SCALEKIT_BEGIN_DECLS

typedef enum scalekit_error_code {
    SCALEKIT_OK = 0,

    /* general */
    SCALEKIT_EINVAL = -1,              /**< an argument was missing or invalid; nothing was sent */
    SCALEKIT_ENOMEM = -2,              /**< out of memory */
    SCALEKIT_ENETWORK = -3,            /**< connection failed, reset or refused */
    SCALEKIT_ETIMEOUT = -4,            /**< connect or total timeout expired */
    SCALEKIT_EUNAUTHENTICATED = -5,    /**< HTTP 401, or the client credentials were refused */
    SCALEKIT_EPERMISSION = -6,         /**< HTTP 403 */
    SCALEKIT_ENOTFOUND = -7,           /**< HTTP 404 */
    SCALEKIT_EEXISTS = -8,             /**< HTTP 409: already exists */
    SCALEKIT_EINVALID_REQUEST = -9,    /**< HTTP 400: the server refused the request */
    SCALEKIT_ERATE_LIMITED = -10,      /**< HTTP 429 after the retries were spent */
    SCALEKIT_ESERVER = -11,            /**< HTTP 5xx after the retries were spent */
    SCALEKIT_EMALFORMED_RESPONSE = -12,/**< the server's answer could not be decoded */
    SCALEKIT_EHTTP = -13,              /**< another unexpected HTTP status */
    SCALEKIT_EINTERNAL = -14,          /**< a library or crypto failure that should not happen */

    /* tokens (JWT access, ID and IdP-initiated login tokens) */
    SCALEKIT_ETOKEN_MALFORMED = -20,   /**< not a well-formed compact JWS / JSON / base64url */
    SCALEKIT_ETOKEN_SIGNATURE = -21,   /**< the signature does not verify */
    SCALEKIT_ETOKEN_EXPIRED = -22,     /**< exp is in the past (beyond the leeway) or missing */
    SCALEKIT_ETOKEN_NOT_YET_VALID = -23,/**< nbf or iat is in the future (beyond the leeway) */
    SCALEKIT_ETOKEN_CLAIM = -24,       /**< issuer, audience or scope do not match */
    SCALEKIT_ETOKEN_UNKNOWN_KEY = -25, /**< no key of the JWKS has the token's kid */
    SCALEKIT_ETOKEN_ALGORITHM = -26,   /**< alg refused (none, HMAC, unknown) or not the key's */
    SCALEKIT_ETOKEN_TOO_LARGE = -27,   /**< the token exceeds the size limit */
    /** a valid token lacks a required role or permission, or is for another organization
        (the gateway's 403, where the codes above are its 401) */
    SCALEKIT_ETOKEN_FORBIDDEN = -28,

    /* webhooks and interceptors */
    SCALEKIT_EWEBHOOK_MISSING_HEADER = -30,   /**< id, timestamp or signature header absent */
    SCALEKIT_EWEBHOOK_INVALID_SECRET = -31,   /**< secret not "whsec_" + base64 */
    SCALEKIT_EWEBHOOK_TIMESTAMP_TOO_OLD = -32,/**< older than the 5 minute tolerance */
    SCALEKIT_EWEBHOOK_TIMESTAMP_TOO_NEW = -33,/**< newer than the 5 minute tolerance */
    SCALEKIT_EWEBHOOK_SIGNATURE = -34,        /**< no v1 signature matches */
    SCALEKIT_EWEBHOOK_MALFORMED_HEADER = -35, /**< timestamp not a number, header unparsable */

    /** Not a failure: an iterator has no further item. */
    SCALEKIT_ITEROVER = -99
} scalekit_error_code;

/** One invalid field of a request, as the server reported it. */
typedef struct scalekit_field_violation {
    const char *field;
    const char *description;
    const char *constraint; /**< may be NULL */
} scalekit_field_violation;

/** Details of the last failure on this thread. All strings may be NULL. */
typedef struct scalekit_error {
    int code;                 /**< a scalekit_error_code; SCALEKIT_OK when nothing failed */
    long http_status;         /**< the HTTP status, 0 when no server answered */
    const char *message;      /**< human-readable: names the thing and the value */
    const char *error_code;   /**< the server's error_code (API) or error (OAuth) */
    const char *request_id;   /**< the server's request id, for support */
    const scalekit_field_violation *field_violations;
    size_t field_violation_count;
} scalekit_error;

/**
 * The details of the last failure of a scalekit_* call on the calling thread.
 *
 * @return never NULL. Valid until the next scalekit_* call on this thread.
 *         After a success the code is SCALEKIT_OK.
 */
SCALEKIT_API const scalekit_error *scalekit_error_last(void);

/** Forget the last failure on this thread (frees its strings). */
SCALEKIT_API void scalekit_error_clear(void);

/**
 * A short English name of an error code, e.g. "not found".
 * @return a static string; "unknown error" for a code not listed here.
 */
SCALEKIT_API const char *scalekit_strerror(int code);

SCALEKIT_END_DECLS

#endif
