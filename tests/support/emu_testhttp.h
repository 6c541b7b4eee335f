/*
 * Plain libcurl HTTP for the emulator's integration tests (they must not depend
 * on the SDK under test): one request, no redirects followed, the status, body
 * and headers captured; plus shortcuts for the usual OAuth steps.
 */
#ifndef EMU_TESTHTTP_H
#define EMU_TESTHTTP_H

#include <jansson.h>
#include "emulator.h"

typedef struct emu_http_response {
    long status;        /* 0 when the connection failed or was dropped */
    int curl_code;      /* CURLcode of the transfer */
    char *body;         /* NUL-terminated, malloc'd ("" when empty) */
    size_t body_len;
    char *headers;      /* the raw header block, malloc'd */
    long elapsed_ms;
} emu_http_response;

/*
 * Send @p method to @p url with optional extra @p headers (NULL-terminated
 * "Name: value" strings) and @p body (NULL for none). Returns the curl code;
 * @p out is always filled (free with emu_http_response_free).
 */
int emu_http(const char *method, const char *url, const char *const *headers, const char *body,
             emu_http_response *out);
void emu_http_response_free(emu_http_response *r);
/* The value of response header @p name (case-insensitive), copied into out; NULL when absent. */
const char *emu_http_header(const emu_http_response *r, const char *name, char *out, size_t outlen);
/* The body parsed as JSON (new reference), NULL when it is not JSON. */
json_t *emu_http_json(const emu_http_response *r);
/* emu_http() for a JSON answer: the HTTP status (0 when the transfer failed), and
 * the body as JSON in *out when @p out is not NULL (json_decref it; NULL when not JSON). */
long emu_http_call(const char *method, const char *url, const char *const *headers, const char *body,
                   json_t **out);

/* A client-credentials access token of the emulator's client (malloc'd), NULL on failure. */
char *emu_test_client_token(const scalekit_emulator *emu);
/* The same from any environment: POST @p env_url/oauth/token with @p client_id and @p secret. */
char *emu_test_client_token_at(const char *env_url, const char *client_id, const char *secret);
/* A new organization named @p display_name, through the API with the emulator's
 * client; its id (malloc'd), NULL on failure. */
char *emu_test_create_organization(const scalekit_emulator *emu, const char *display_name);
/*
 * Complete the hosted login: POST /oauth/authorize with @p email and the
 * form fields in @p extra_form (already encoded "a=b&c=d", may be NULL), and
 * return the code from the redirect (malloc'd), NULL on failure.
 */
char *emu_test_login(const scalekit_emulator *emu, const char *email, const char *redirect_uri,
                     const char *extra_form);
/*
 * Sign in as @p email on the hosted login and exchange the code (no PKCE):
 * the token endpoint's JSON answer (access_token, id_token, refresh_token),
 * a new reference; NULL on failure.
 */
json_t *emu_test_user_tokens(const scalekit_emulator *emu, const char *email, const char *redirect_uri);
/* The payload of a compact JWT, decoded without verification (new reference); NULL when malformed. */
json_t *emu_test_jwt_payload(const char *jwt);
/* The value of query parameter @p name in @p url, decoded (malloc'd); NULL when absent. */
char *emu_test_query_param(const char *url, const char *name);

#endif
