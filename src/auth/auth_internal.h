/*
 * Internals of src/auth shared by the URL builders, the token-endpoint calls,
 * the webhook verifier and their tests/fuzzers. Not exported.
 */
#ifndef SKIT_AUTH_INTERNAL_H
#define SKIT_AUTH_INTERNAL_H

#include <stddef.h>
#include "core/core.h"
#include "core/growable.h"
#include "scalekit/token.h"

/* The scopes OIDC logins ask for when the caller names none. */
#define SKIT_DEFAULT_SCOPES "openid profile email"

/*
 * Append @p scopes joined by single spaces to @p out (raw, not encoded).
 * @p what names the option in error messages ("scopes").
 * An empty scope or one holding a space is refused: the server would read it
 * as several scopes or none. Returns SCALEKIT_OK, EINVAL or ENOMEM.
 */
int skit_auth_join_scopes(skit_buf *out, const char *const *scopes, const char *what);

/*
 * POST @p form to /oauth/token (not authenticated, not idempotent). On success
 * *json is the answer (a JSON object; json_decref it) and *raw_out its text
 * (malloc'd; free it). Errors come decoded by the transport (invalid_grant ->
 * EINVALID_REQUEST with error_code); a body that is no JSON object is
 * EMALFORMED_RESPONSE.
 */
int skit_auth_post_token_form(scalekit_client *client, const skit_buf *form, json_t **json,
                              char **raw_out);

/* Append the client's client_id and client_secret to a token request form
 * (free it with skit_buf_free_secret). SCALEKIT_OK or ENOMEM. */
int skit_auth_add_credentials(skit_buf *form, const scalekit_client *client);

/* The tokens of a token endpoint answer, checked before any reaches a header
 * (skit_token_answer_check): access_token required, id_token required when
 * @p id_token, refresh_token optional. SCALEKIT_OK or EMALFORMED_RESPONSE. */
int skit_auth_check_tokens(const scalekit_client *client, const json_t *json, bool id_token);

/* ---- webhook signature header -------------------------------------------- */

/* Bounds of the work one verification may do, whatever the sender put in. */
#define SKIT_WEBHOOK_MAX_HEADER_BYTES 8192
#define SKIT_WEBHOOK_MAX_SIGNATURES 32

/* One "v1,<base64>" entry: the base64 text, pointing into the header. */
typedef struct skit_webhook_signature {
    const char *b64;
    size_t len;
} skit_webhook_signature;

/*
 * Split a signature header ("v1,abc= v1,def= v2,xyz") into its v1 entries.
 * Entries are separated by spaces; an entry whose version is not "v1" (or that
 * has no comma) is skipped, but counts towards SKIT_WEBHOOK_MAX_SIGNATURES.
 * No allocation; @p out must hold SKIT_WEBHOOK_MAX_SIGNATURES entries.
 * Returns SCALEKIT_OK (with *n_out possibly 0) or EWEBHOOK_MALFORMED_HEADER
 * (too long, too many entries), with the error recorded.
 */
int skit_webhook_parse_signature_header(const char *header, size_t len,
                                        skit_webhook_signature *out, size_t *n_out);

/*
 * Parse a timestamp header: a decimal integer (digits only, no sign, no
 * spaces) that fits in int64. Returns SCALEKIT_OK or EWEBHOOK_MALFORMED_HEADER.
 */
int skit_webhook_parse_timestamp(const char *text, size_t len, int64_t *out);

/* ---- authorization on claims (authz.c) ----------------------------------- */

/* The claims tree of validated claims (token.c); NULL for NULL claims. */
const json_t *skit_claims_payload(const scalekit_claims *claims);
/* A sorted index of the strings of one array claim, so a check is a binary
 * search, not a scan of the JSON array. Built on the first check of a claims
 * object and published atomically; freed with the claims. */
typedef struct skit_name_index skit_name_index;
enum { SKIT_CLAIMS_ROLES, SKIT_CLAIMS_PERMISSIONS, SKIT_CLAIMS_INDEXES };
/* Where claims keep their index @p which (token.c). */
skit_name_index **skit_claims_index_slot(const scalekit_claims *claims, int which);
void skit_name_index_free(skit_name_index *index);
/* Whether @p opts ask for an authorization check (so the claims tree is needed). */
bool skit_authz_wanted(const scalekit_validate_options *opts);
/* The C-level checks of the authorization options, before any token work:
 * SCALEKIT_OK or EINVAL naming an empty or invalid required name. */
int skit_authz_check_options(const scalekit_validate_options *opts);
/* The authorization options against a verified payload: SCALEKIT_OK or
 * ETOKEN_FORBIDDEN naming the first missing organization, role or permission. */
int skit_authz_check(const json_t *payload, const scalekit_validate_options *opts);

#endif
