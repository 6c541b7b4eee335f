/*
 * Internal core of libscalekit: result arenas, errors, buffers, encodings,
 * time and randomness, and the HTTP transport. Nothing here is exported
 * (the library is built with -fvisibility=hidden); internal names use the
 * skit_ prefix so they never collide with OpenSSL's sk_ or the public API.
 */
#ifndef SKIT_CORE_H
#define SKIT_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "scalekit/scalekit.h"

#if defined(__GNUC__)
#  define SKIT_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#  define SKIT_PRINTF(a, b)
#endif

/* ---- result arenas ------------------------------------------------------
 * Every result handed to a caller is the first block of an arena; every string
 * and array inside it comes from the same arena, so one call frees it all. */

/* A zeroed result object of @p size; NULL on out of memory (error set). */
void *skit_result_new(size_t size);
/* More zeroed memory inside @p result's arena; NULL on out of memory. */
void *skit_result_alloc(void *result, size_t size);
/* Copy of @p s inside @p result's arena; NULL when s is NULL or on out of memory. */
char *skit_result_strdup(void *result, const char *s);
char *skit_result_strndup(void *result, const char *s, size_t n);
/* Free a result and everything in its arena. Safe on NULL. */
void skit_result_free(void *result);

/* ---- errors -------------------------------------------------------------- */

/* Record the failure on this thread and return @p code (for `return skit_error_set(...)`). */
int skit_error_set(int code, const char *fmt, ...) SKIT_PRINTF(2, 3);
/* Record out-of-memory; returns SCALEKIT_ENOMEM. */
int skit_error_oom(void);
/* Mark the last call on this thread as successful. */
void skit_error_reset(void);
/* Map an HTTP status to an error code (400 -> EINVALID_REQUEST, 404 -> ENOTFOUND ...). */
int skit_error_code_for_status(long status);
/* Record a failed HTTP answer: maps the status, decodes the API error body
 * ({code,message,details[ErrorInfo]}) or an OAuth one ({error,error_description}),
 * keeps the request id (from the body, else @p request_id_header). Returns the code. */
int skit_error_from_response(long status, const char *body, size_t body_len,
                             const char *request_id_header);
/* Change the code of the failure recorded on this thread, keeping its details
 * (e.g. a token endpoint's 400 invalid_client becomes EUNAUTHENTICATED). Returns @p code. */
int skit_error_set_code(int code);

/* A detached copy of a thread's last error, so one thread can hand its failure
 * to others (the API token fetch hands its error to every waiter). */
typedef struct skit_error_state skit_error_state;
/* Copy this thread's last error; NULL on out of memory. Free with skit_error_state_free. */
skit_error_state *skit_error_save(void);
/* Make @p saved this thread's last error; returns its code (ENOMEM when saved is NULL). */
int skit_error_restore(const skit_error_state *saved);
void skit_error_state_free(skit_error_state *saved);

/* ---- growable buffer ----------------------------------------------------- */

typedef struct skit_buf {
    char *ptr;   /* always NUL-terminated once anything was put */
    size_t len;
    size_t cap;
} skit_buf;

#define SKIT_BUF_INIT {NULL, 0, 0}
int skit_buf_put(skit_buf *b, const void *data, size_t len);   /* SCALEKIT_OK or ENOMEM */
int skit_buf_puts(skit_buf *b, const char *s);
int skit_buf_printf(skit_buf *b, const char *fmt, ...) SKIT_PRINTF(2, 3);
char *skit_buf_detach(skit_buf *b);  /* hands out ptr (malloc'd, "" when empty) */
void skit_buf_free(skit_buf *b);
/* Free a buffer that held a secret (a form with client_secret): wiped first. */
void skit_buf_free_secret(skit_buf *b);
/* Free a malloc'd string that held a secret (a token), wiped first. Safe on NULL. */
void skit_free_secret(char *s);

/* ---- small string helpers ------------------------------------------------ */

/* True when @p s is NULL or "": the SDK's "absent" for optional strings. */
bool skit_is_empty(const char *s);
/* strdup() that passes NULL through: NULL in, NULL out (so NULL out is ENOMEM only
 * when @p s was not NULL). The result is malloc'd. */
char *skit_strdup_or_null(const char *s);

/* ---- encodings ----------------------------------------------------------- */

/* An RFC 3986 unreserved character: ALPHA / DIGIT / "-" / "." / "_" / "~". */
bool skit_is_unreserved(unsigned char c);
/* Lower-case hex of @p len bytes into @p out, which must hold 2 * len + 1 bytes. */
void skit_hex_encode(const unsigned char *in, size_t len, char *out);
/* Append @p s percent-encoded: everything but RFC 3986 unreserved characters. */
int skit_url_encode(skit_buf *b, const char *s);
/* Append "name=value" to a query or form (with '&' when @p b is not empty);
 * NULL or "" value appends nothing. */
int skit_form_add(skit_buf *b, const char *name, const char *value);
/* Append @p segment percent-encoded for use as one path segment. */
int skit_path_add(skit_buf *b, const char *segment);

/* base64url without padding; @p out must hold skit_base64url_encoded_len(len)+1 bytes. */
size_t skit_base64url_encoded_len(size_t len);
size_t skit_base64url_encode(const unsigned char *in, size_t len, char *out);
/* Strict decode (RFC 7515 section 2): only [A-Za-z0-9_-], no padding, no whitespace,
 * unused trailing bits zero. *out is malloc'd (free()), NUL-terminated for convenience. */
int skit_base64url_decode(const char *in, size_t len, unsigned char **out, size_t *out_len);
/* Standard base64 with padding. */
size_t skit_base64_encoded_len(size_t len);
size_t skit_base64_encode(const unsigned char *in, size_t len, char *out);
int skit_base64_decode(const char *in, size_t len, unsigned char **out, size_t *out_len);

/* ASCII case-insensitive comparison of the first @p n bytes (strncasecmp follows
 * the locale: under a Turkish one 'I' does not fold to 'i'). True when equal. */
bool skit_ascii_iequal_n(const char *a, const char *b, size_t n);

/* Why @p url is not an absolute http(s) URL of a host name or address, an
 * optional port 1 to 65535, a path and (with SKIT_URL_QUERY) a query; no
 * fragment, credentials, whitespace, non-ASCII, backslash, bad %-escape or
 * character RFC 3986 forbids (url.c). A static phrase ("has no host"), or NULL. */
#define SKIT_URL_QUERY 1u
const char *skit_url_problem(const char *url, unsigned flags);
/* Check a base URL (no query) and normalise it: trailing slashes dropped, the
 * scheme lower-cased. @p name names it in the error ("env_url"). *out is malloc'd. */
int skit_url_normalise_base(const char *name, const char *url, char **out);
/* The same over whole NUL-terminated strings. */
bool skit_ascii_iequal(const char *a, const char *b);

/* Constant-time equality of two byte strings of the same length. */
bool skit_consttime_equal(const void *a, const void *b, size_t len);

/* ---- time and randomness ------------------------------------------------- */

int64_t skit_now(void);            /* Unix seconds (CLOCK_REALTIME) */
int64_t skit_monotonic_ms(void);   /* milliseconds, CLOCK_MONOTONIC */
void skit_sleep_ms(long ms);
int skit_random_bytes(unsigned char *out, size_t len);   /* OpenSSL RAND_bytes */
/* RFC 3339 text to Unix seconds ("2025-02-15T06:23:44.560Z"); false when unparsable. */
bool skit_parse_rfc3339(const char *s, int64_t *out);
/* Unix seconds to RFC 3339 UTC with microseconds, into out[32]. */
void skit_format_rfc3339(int64_t t, char out[32]);

/* ---- JSON helpers (jansson) ---------------------------------------------- */

/* Typed reads with a default: a missing field or a field of another type gives the default. */
const char *skit_json_string(const json_t *obj, const char *name);          /* NULL default */
bool skit_json_bool(const json_t *obj, const char *name, bool dflt);
/* An integer sent as a JSON number or as a decimal string (the API's int64s):
 * digits with an optional '-'; reals, blanks, '+', embedded NULs and overflow are
 * refused (false, *out untouched). */
bool skit_json_value_int64(const json_t *v, int64_t *out);
/* The same for the member @p name of @p obj. */
bool skit_json_int64(const json_t *obj, const char *name, int64_t *out);
/* Parse a response body; NULL (and EMALFORMED_RESPONSE set) unless it is a JSON object. */
json_t *skit_json_parse_object(const char *body, size_t len);

/* ---- HTTP transport ------------------------------------------------------ */

/* The API version this SDK speaks, sent as x-api-version on every request. */
#define SKIT_API_VERSION "20250830"
/* Larger response bodies are refused (EMALFORMED_RESPONSE) rather than buffered. */
#define SKIT_MAX_RESPONSE_BYTES ((size_t)8 << 20)

typedef struct skit_request {
    const char *method;        /* "GET", "POST", "PUT", "PATCH", "DELETE" */
    const char *path;          /* appended to the env URL, already encoded: "/api/v1/..." */
    const char *query;         /* encoded, without '?'; NULL or "" for none */
    const char *body;          /* NULL for none */
    size_t body_len;
    const char *content_type;  /* "application/json" or "application/x-www-form-urlencoded" */
    bool authenticated;        /* attach the client-credentials API token; refresh once on 401 */
    bool idempotent;           /* retry on any retryable failure, not only "not processed" ones */
} skit_request;

typedef struct skit_response {
    long status;
    char *body;                /* NUL-terminated, malloc'd */
    size_t body_len;
    char *request_id;          /* x-request-id header, or NULL */
    long retry_after_ms;       /* from Retry-After, -1 when absent */
} skit_response;

/*
 * Send a request with the client's timeouts, retries and (when authenticated)
 * API token. SCALEKIT_OK when the final answer is 2xx (the response is filled;
 * free with skit_response_free). Otherwise the error is recorded (with the
 * decoded error body) and its code returned; *resp is left empty.
 */
int skit_http_send(scalekit_client *client, const skit_request *req, skit_response *resp);
void skit_response_free(skit_response *resp);

/*
 * A JSON API call: serialises @p body (may be NULL; not stolen), sends it with the
 * API token, and parses the answer into *out (a JSON object; json_decref it) when
 * @p out is not NULL. GET, PUT and DELETE are idempotent; POST and PATCH are not.
 */
int skit_api_call(scalekit_client *client, const char *method, const char *path,
                  const char *query, const json_t *body, json_t **out);
/* The same, also handing out the raw body (malloc'd) for raw_json. */
int skit_api_call_raw(scalekit_client *client, const char *method, const char *path,
                      const char *query, const json_t *body, json_t **out, char **raw_out);

#endif
