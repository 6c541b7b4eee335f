/*
 * Passwordless email: the requests (passwordless.c) of the API's
 * POST /api/v1/passwordless/email/{send,verify,resend} (passwordless_api.c)
 * and of the hosted page's "Email me a code / link" (passwordless_page.c),
 * kept in table passwordless_requests.
 *
 * The environment's passwordless connection (a connections row of type
 * PASSWORDLESS without an organization) configures them through its
 * passwordless_config (the API's connectionsPasswordLessConfig); without one
 * the defaults below apply and passwordless is enabled. A row that is not
 * enabled turns passwordless off: sends answer 400, the hosted page hides it.
 *
 * Codes and link tokens are derived with HMAC-SHA256 from a secret that lives
 * only in this process (request id, generation, purpose), emailed, and stored
 * only as SHA-256 hashes compared in constant time. Resending without
 * "regenerate on resend" derives the same ones again (after a restart the
 * secret is new, so they are regenerated).
 */
#ifndef EMU_PASSWORDLESS_H
#define EMU_PASSWORDLESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "http.h"

/* Defaults of an environment without a passwordless connection (the API's own
 * default expiry is 300 seconds). */
#define EMU_PASSWORDLESS_DEFAULT_TYPE "LINK_OTP"
#define EMU_PASSWORDLESS_DEFAULT_VALIDITY 300
#define EMU_PASSWORDLESS_DEFAULT_CODE_LENGTH 6
/* Wrong codes a request takes; the last one finishes it (429 RESOURCE_EXHAUSTED). */
#define EMU_PASSWORDLESS_MAX_ATTEMPTS 5
/* Emails (sends and resends) to one address within a minute; more answer 429. */
#define EMU_PASSWORDLESS_SENDS_PER_MINUTE 5
/* Longest expires_in a send may ask for: a day. */
#define EMU_PASSWORDLESS_MAX_EXPIRES_IN 86400

typedef struct emu_passwordless_config {
    char type[16];              /* OTP, LINK or LINK_OTP */
    int64_t validity;           /* seconds, when the send names none */
    int code_length;            /* 4 to 10 */
    bool alphanumeric;          /* code_challenge_type ALPHANUMERIC, else NUMERIC */
    int frequency;              /* verifications one magic link allows (1 when unset) */
    bool regenerate_on_resend;
    bool enforce_same_browser_origin;
    bool enabled;
    char connection_id[64];     /* "" without a connection row */
} emu_passwordless_config;

/* The environment's configuration (the defaults without a connection). 0 or -1. */
int emu_passwordless_config_get(emu *e, emu_passwordless_config *out);

/* Why an operation was refused: an API error, which a page shows as text. */
typedef struct emu_passwordless_error {
    unsigned status;            /* 400, 404, 429; 500 when out of memory */
    const char *error_code;     /* INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION, ... */
    const char *field;          /* the field violation's field, or NULL */
    char message[200];
    char field_name[96];        /* holds field when it is made up ("template_variables.otp") */
} emu_passwordless_error;

/* What a send carries; NULL members are absent. */
typedef struct emu_passwordless_send {
    const char *email;
    const char *template_type;        /* SIGNIN or SIGNUP */
    const char *state;
    const char *magiclink_auth_uri;
    const json_t *template_variables; /* object of strings, borrowed */
    int64_t expires_in;               /* 0: the configuration's validity */
    const char *login_request_id;     /* the hosted page's: the link finishes that login */
} emu_passwordless_send;

/* Each returns the request's row (new reference), or NULL with *err filled. */
json_t *emu_passwordless_issue(emu *e, const emu_passwordless_send *in, emu_passwordless_error *err);
json_t *emu_passwordless_resend(emu *e, const char *id, emu_passwordless_error *err);
json_t *emu_passwordless_verify_code(emu *e, const char *id, const char *code, emu_passwordless_error *err);
/* @p id (may be NULL) must name the link's request when given, and must be
 * given when the configuration enforces the same browser origin. */
json_t *emu_passwordless_verify_link(emu *e, const char *token, const char *id, emu_passwordless_error *err);
/* The row of the request whose link token is @p token, whatever its state; NULL when none. */
json_t *emu_passwordless_by_link(emu *e, const char *token);

/* The hosted page's section (an emu_login_section_fn, login.h): the email form
 * when passwordless is enabled, nothing otherwise. 0 or -1. */
int emu_passwordless_section(emu *e, const json_t *lr, skit_buf *out);

/* Reply @p err as the API's error body. */
int emu_passwordless_reply_error(emu_req *r, const emu_passwordless_error *err);

#endif
