/*
 * emu_fixture: the in-process emulator plus an SDK client pointed at it, in
 * one call, for the SDK's integration tests (tests/integration/it_sdk_*.c);
 * and the emulator's test controls (/_emulator: faults, key rotation, API
 * token revocation, IdP-initiated login tokens) and the hosted login, driven
 * over plain HTTP (emu_testhttp.h) so a test never leans on the SDK it tests.
 *
 * Every call that cannot do its job fails the running cmocka test.
 *
 *   emu_fixture *f = emu_fixture_start(NULL, NULL);
 *   scalekit_validate_access_token(f->client, token);
 *   emu_fixture_fault(f, "{\"path\":\"/keys\",\"status\":503,\"count\":2}");
 *   emu_fixture_stop(f);
 */
#ifndef EMU_FIXTURE_H
#define EMU_FIXTURE_H

#include <stddef.h>
#include <jansson.h>

#include "emulator.h"
#include "scalekit/scalekit.h"

struct tcp_proxy;

typedef struct emu_fixture {
    scalekit_emulator *emu;
    scalekit_client *client;     /* the emulator's own client id and secret */
    const char *url;             /* the environment URL (owned by emu): the proxy's when there is one */
    struct tcp_proxy *proxy;     /* with SCALEKIT_TEST_VIA_PROXY=1: what f->url reaches */
    const char *client_id;
    const char *client_secret;
} emu_fixture;

/*
 * Start a quiet emulator on a free port (@p emu_opts: NULL for the defaults; its
 * quiet flag is forced on) and a client with @p client_opts (NULL: defaults).
 * With SCALEKIT_TEST_VIA_PROXY=1 in the environment (and no public_url in
 * @p emu_opts) the emulator sits behind a loopback forwarding proxy
 * (tcp_proxy.h) and its public URL is the proxy's: f->url, and so every call
 * of the suite, goes through the proxy. Free with emu_fixture_stop().
 */
emu_fixture *emu_fixture_start(const scalekit_emulator_options *emu_opts,
                               const scalekit_client_options *client_opts);
/* Free the client, stop the emulator. Safe on NULL. */
void emu_fixture_stop(emu_fixture *f);

/* Another client of the same emulator with other options (free with scalekit_client_free). */
scalekit_client *emu_fixture_client(const emu_fixture *f, const scalekit_client_options *opts);

/* "<env URL><path>" into @p out. */
void emu_fixture_url(const emu_fixture *f, const char *path, char *out, size_t n);

/* POST /_emulator/faults with @p fault_json (the fault's JSON object); asserts 201. */
void emu_fixture_fault(const emu_fixture *f, const char *fault_json);
/* DELETE /_emulator/faults; asserts 200. */
void emu_fixture_clear_faults(const emu_fixture *f);
/* POST /_emulator/keys:rotate; the new kid (malloc'd). */
char *emu_fixture_rotate_keys(const emu_fixture *f);
/* POST /_emulator/api-tokens:revoke; how many tokens it revoked. */
long emu_fixture_revoke_api_tokens(const emu_fixture *f);
/* POST /_emulator/idp-initiated-login with @p claims_json; the token (malloc'd). */
char *emu_fixture_idp_token(const emu_fixture *f, const char *claims_json);
/* How many access tokens the emulator has issued so far (any grant). */
long emu_fixture_tokens_issued(const emu_fixture *f);

/*
 * Play the browser on the hosted login: GET @p authorization_url, check it
 * answers 200 with a form, take the form's hidden fields (HTML-decoded) into
 * *page_fields_out when not NULL (a JSON object of name -> value; json_decref it),
 * POST them back with @p email, and return the Location of the 302 (malloc'd).
 */
char *emu_fixture_login(const emu_fixture *f, const char *authorization_url, const char *email,
                        json_t **page_fields_out);

/*
 * A complete login with PKCE S256 through the SDK: authorization URL, hosted
 * login, code exchange with the verifier. Hands out the response (free with
 * scalekit_authentication_response_free).
 */
scalekit_authentication_response *emu_fixture_sign_in(const emu_fixture *f, const char *email);

/* The authorization request the emulator stored for the hosted page's
 * login_request_id (GET /_emulator/login-requests/{id}); new reference. */
json_t *emu_fixture_login_request(const emu_fixture *f, const char *login_request_id);

/* Attribute @p attr (HTML-decoded, malloc'd) of the first tag of @p html holding
 * @p marker ("id=\"passkey-get\""); NULL when there is none. */
char *emu_fixture_tag_attribute(const char *html, const char *marker, const char *attr);

/* The hidden input fields of an HTML form page, HTML-decoded (new JSON object). */
json_t *emu_fixture_form_fields(const char *html);

/* ---- the same tests against an external environment (env_fixture.c) ---------
 * With SCALEKIT_ENVIRONMENT_URL, SCALEKIT_CLIENT_ID and SCALEKIT_CLIENT_SECRET
 * all set, emu_fixture_start_env() gives a client of that environment and no
 * emulator (f->emu NULL), so one suite checks the emulator and a real
 * environment alike. Tests that need the emulator's controls call
 * EMU_FIXTURE_REQUIRE_EMULATOR, which skips (saying why) when there is none. */

/* The external environment when the three variables are set, else emu_fixture_start(). */
emu_fixture *emu_fixture_start_env(const scalekit_emulator_options *emu_opts,
                                   const scalekit_client_options *client_opts);
/* Whether @p f runs against an external environment. */
int emu_fixture_is_external(const emu_fixture *f);
/* "<prefix>-<run id>-<n>": unique per process run and call, so runs against a
 * shared environment never collide (lowercase, a valid slug when prefix is one). */
void emu_fixture_unique(char *out, size_t n, const char *prefix);

/* ---- cmocka setup/teardown pairs shared by the integration suites --------- */

/* *state = emu_fixture_start_env(NULL, NULL) / its stop. */
int emu_fixture_setup(void **state);
int emu_fixture_teardown(void **state);

/* The in-process emulator and a client-credentials token for raw HTTP calls
 * (emu_testhttp.h), for suites that talk to the emulator without the SDK. */
typedef struct emu_raw_fixture {
    emu_fixture *f;
    char *token;
} emu_raw_fixture;
/* *state = a new emu_raw_fixture / its stop. */
int emu_raw_fixture_setup(void **state);
/* The same on emu_fixture_start_env(): the external environment when the three
 * SCALEKIT_* variables are set (s->f->emu NULL), the in-process emulator otherwise. */
int emu_raw_fixture_setup_env(void **state);
int emu_raw_fixture_teardown(void **state);
/* One JSON API request with the fixture's token: the HTTP status, and the body
 * as JSON in *out when @p out is not NULL (json_decref it). */
long emu_raw_fixture_api(const emu_raw_fixture *s, const char *method, const char *path,
                         const char *body, json_t **out);

/* Assert a failed call: @p rc and the last error's code are @p code, its HTTP status
 * @p status, it has a message, and (when @p field is not NULL) its first field
 * violation names @p field with a description. */
void emu_assert_failed(int rc, int code, long status, const char *field);

/* scalekit_error_last()->message, "" when there is none (for failure messages). */
const char *emu_fixture_last_message(void);

/* Run an SDK call that must succeed; otherwise fail the test naming the call, its code
 * and the last error's message. */
#define EMU_FIXTURE_OK(call)                                                                 \
    do {                                                                                     \
        int rc_ = (call);                                                                    \
        if (rc_ != SCALEKIT_OK)                                                              \
            fail_msg("%s: %d %s", #call, rc_, emu_fixture_last_message());                    \
    } while (0)

/* Skip the running cmocka test, printing why, when @p f has no emulator. */
#define EMU_FIXTURE_REQUIRE_EMULATOR(f, what)                                              \
    do {                                                                                    \
        if (!(f)->emu) {                                                                    \
            print_message("skipped: %s needs the in-process emulator (running against %s)\n", \
                          (what), (f)->url);                                                \
            skip();                                                                         \
        }                                                                                   \
    } while (0)

#endif
