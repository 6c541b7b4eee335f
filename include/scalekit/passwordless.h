/**
 * @file scalekit/passwordless.h
 * Passwordless email ("magic link & OTP", headless): the environment emails a
 * one-time code, a magic link or both (as its passwordless connection is
 * configured), and the app verifies what the user brings back.
 *
 * Routes (all authenticated with the client's API token):
 * POST /api/v1/passwordless/email/send, POST /api/v1/passwordless/email/verify,
 * POST /api/v1/passwordless/email/resend.
 *
 * The flow: scalekit_passwordless_send_email() answers an auth_request_id;
 * the user types the code (verify with code + auth_request_id) or opens the
 * link, which lands on the app's magiclink_auth_uri with a `link_token` query
 * parameter (verify with link_token; with "enforce same browser origin" the
 * environment also adds `auth_request_id`, which the app then passes too).
 *
 * Conventions (checks, errors, options): common.h. The server's rules here: a
 * valid email, a template of SIGNIN or SIGNUP, at most 30 template variables
 * and none of the reserved names (otp, expiry_time_relative, link,
 * expire_time, expiry_time); a wrong code counts towards a limit after which
 * the request is finished; an expired or finished request cannot be verified
 * or resent.
 */
#ifndef SCALEKIT_PASSWORDLESS_H
#define SCALEKIT_PASSWORDLESS_H

#include <stddef.h>
#include <stdint.h>
#include "export.h"
#include "client.h"
#include "common.h"

SCALEKIT_BEGIN_DECLS

/** Optional fields of scalekit_passwordless_send_email() (Go's SendPasswordlessOptions). */
typedef struct scalekit_passwordless_send_options {
    size_t struct_size;              /**< set by the _INIT macro; see common.h */
    /** "SIGNIN" (an existing user) or "SIGNUP" (a new one); NULL or "": not sent */
    const char *template_type;
    /** The app's URL the magic link leads to, with `link_token` added; NULL or "": not sent */
    const char *magiclink_auth_uri;
    /** Returned unchanged by the verification; NULL or "": not sent */
    const char *state;
    /** Seconds until the code and link expire; 0: the server's default (300) */
    uint32_t expires_in;
    /** Values for the email template (entries NULL: not sent); see common.h */
    scalekit_string_map template_variables;  /**< [newest] */
} scalekit_passwordless_send_options;
#define SCALEKIT_PASSWORDLESS_SEND_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_passwordless_send_options)

/** What a send or resend answers (Go's SendPasswordlessResponse). */
typedef struct scalekit_passwordless_send_response {
    const char *auth_request_id;     /**< identifies the request: verify by code, resend */
    int64_t expires_at;              /**< Unix seconds; 0 when absent */
    int64_t expires_in;              /**< seconds from the answer until expires_at */
    const char *passwordless_type;   /**< "OTP", "LINK" or "LINK_OTP": what the email holds */
    const char *raw_json;            /**< the whole response body */
} scalekit_passwordless_send_response;

/** What scalekit_passwordless_verify_email() checks (Go's VerifyPasswordlessOptions). */
typedef struct scalekit_passwordless_verify_options {
    size_t struct_size;              /**< set by the _INIT macro; see common.h */
    /** The code from the email (with auth_request_id); NULL or "": not sent */
    const char *code;
    /** The magic link's token (the `link_token` query parameter); NULL or "": not sent */
    const char *link_token;
    /** The send's auth_request_id: needed with a code, and with a link when the
     *  environment enforces the same browser origin; NULL or "": not sent */
    const char *auth_request_id;     /**< [newest] */
} scalekit_passwordless_verify_options;
#define SCALEKIT_PASSWORDLESS_VERIFY_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_passwordless_verify_options)

/** A successful verification (Go's VerifyPasswordLessResponse). */
typedef struct scalekit_passwordless_verify_response {
    const char *email;               /**< the verified address */
    const char *state;               /**< the send's state, unchanged; NULL when none */
    const char *template_type;       /**< the send's template: "SIGNIN" or "SIGNUP" */
    const char *passwordless_type;   /**< "OTP", "LINK" or "LINK_OTP" */
    const char *raw_json;            /**< the whole response body */
} scalekit_passwordless_verify_response;

/**
 * Email a one-time code and/or a magic link to @p email.
 *
 * @param client the client
 * @param email  the recipient; must not be empty
 * @param opts   template, magic link URI, state, expiry, template variables
 *               (SCALEKIT_PASSWORDLESS_SEND_OPTIONS_INIT); NULL for the defaults
 * @param out    receives the answer; free with scalekit_passwordless_send_response_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (an empty email, opts not initialised, a
 *         NULL or non-UTF-8 template variable, out NULL); SCALEKIT_EINVALID_REQUEST
 *         (not an email, a bad template or variable); SCALEKIT_ERATE_LIMITED (too many
 *         emails to this address too quickly); see the file comment
 */
SCALEKIT_API int scalekit_passwordless_send_email(scalekit_client *client, const char *email,
        const scalekit_passwordless_send_options *opts, scalekit_passwordless_send_response **out);

/**
 * Verify a code (with its auth_request_id) or a magic link's token.
 *
 * @param client the client
 * @param opts   the code and auth_request_id, or the link token
 *               (SCALEKIT_PASSWORDLESS_VERIFY_OPTIONS_INIT); must not be NULL
 * @param out    receives the verified email, state, template and type; free with
 *               scalekit_passwordless_verify_response_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (opts NULL or not initialised, a string not
 *         UTF-8, out NULL); SCALEKIT_EINVALID_REQUEST (a wrong code or token, nothing
 *         to verify); SCALEKIT_ENOTFOUND (no such request); SCALEKIT_ERATE_LIMITED (the
 *         request's wrong-code limit reached: it is finished); see the file comment
 */
SCALEKIT_API int scalekit_passwordless_verify_email(scalekit_client *client,
        const scalekit_passwordless_verify_options *opts, scalekit_passwordless_verify_response **out);

/**
 * Email a request's code and/or link again (new ones when the connection
 * regenerates credentials on resend), with a new expiry.
 *
 * @param client          the client
 * @param auth_request_id the send's auth_request_id; must not be empty
 * @param out             receives the answer; free with scalekit_passwordless_send_response_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND (no such request);
 *         SCALEKIT_EINVALID_REQUEST (the request expired or is finished);
 *         SCALEKIT_ERATE_LIMITED; see the file comment
 */
SCALEKIT_API int scalekit_passwordless_resend_email(scalekit_client *client, const char *auth_request_id,
        scalekit_passwordless_send_response **out);

/** Free a send or resend answer. Safe on NULL. */
SCALEKIT_API void scalekit_passwordless_send_response_free(scalekit_passwordless_send_response *response);
/** Free a verification answer. Safe on NULL. */
SCALEKIT_API void scalekit_passwordless_verify_response_free(scalekit_passwordless_verify_response *response);

SCALEKIT_END_DECLS

#endif
