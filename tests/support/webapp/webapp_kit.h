/*
 * webapp_kit: the example web app (examples/webapp) started in-process against
 * the in-process emulator, with an organization whose `admin` role grants
 * members:read, and a small cookie-keeping "browser" on libcurl that follows
 * no redirect, so a test sees every hop. For the it_webapp_* suites.
 *
 * Every call that cannot do its job fails the running cmocka test.
 */
#ifndef WEBAPP_KIT_H
#define WEBAPP_KIT_H

#include <stdint.h>

#include "emu_fixture.h"
#include "webapp.h"

#define WK_WEBHOOK_SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

typedef struct webapp_kit_options {
    int64_t access_token_ttl_seconds;  /* the emulator's; 0 = its default */
    long refresh_margin_seconds;       /* the app's; 0 = its default */
    const char *public_url;            /* the app's; NULL = its own http URL */
    int no_webhook_secret;             /* start the app without one */
} webapp_kit_options;

typedef struct webapp_kit {
    emu_fixture *f;
    webapp *app;
    const char *url;                   /* the app's URL (owned by app) */
    char organization_id[64];
} webapp_kit;

/* Start the emulator, create the organization and members:read on `admin`, start the app. */
webapp_kit *webapp_kit_start(const webapp_kit_options *opts);
void webapp_kit_stop(webapp_kit *kit);

/* cmocka setup and teardown: *state = webapp_kit_start(NULL) / its stop. */
int wk_setup(void **state);
int wk_teardown(void **state);

/* Fail the test, showing @p text, unless it holds @p part. */
void wk_assert_contains(const char *text, const char *part);

/* Give member @p user_id the role @p role through the API (no webhook sent). */
void wk_grant_role(const webapp_kit *kit, const char *user_id, const char *role);

typedef struct wk_browser wk_browser;

typedef struct wk_response {
    long status;
    char *body;          /* NUL-terminated */
    char *headers;       /* the raw header block */
} wk_response;

wk_browser *wk_browser_new(void);
void wk_browser_free(wk_browser *b);
void wk_response_free(wk_response *r);

/* A request to @p url (absolute, or a path of the app), with the browser's
 * cookies; Set-Cookie answers go into its jar. @p headers: NULL-terminated
 * "Name: value" lines or NULL. Returns the status. */
long wk_request(wk_browser *b, const webapp_kit *kit, const char *method, const char *url,
                const char *const *headers, const char *body, wk_response *out);
#define wk_get(b, kit, url, out) wk_request((b), (kit), "GET", (url), NULL, NULL, (out))

/* The value of response header @p name (the first; case-insensitive), malloc'd; NULL when absent. */
char *wk_header(const wk_response *r, const char *name);
/* The Set-Cookie line (after "Set-Cookie: ") that sets cookie @p name, malloc'd; NULL when none. */
char *wk_set_cookie(const wk_response *r, const char *name);
/* The browser's cookie @p name (malloc'd), NULL when it has none. */
char *wk_cookie(wk_browser *b, const char *name);
/* Put cookie @p name=@p value into the browser's jar for the app's host (a tampering browser). */
void wk_put_cookie(wk_browser *b, const char *name, const char *value);

/* Assert @p r is the page of a session that is no longer valid: 401, an alert
 * asking to sign in again, nothing of @p email, the session cookie deleted. */
void wk_assert_session_ended(const wk_response *r, const char *email);

/* Sign in as @p email: /login, the hosted login, the callback. Asserts the
 * callback redirected to @p expect_location (NULL: "/account"). Returns the
 * callback URL it used (malloc'd), for replays. */
char *wk_sign_in(const webapp_kit *kit, wk_browser *b, const char *email, const char *login_path,
                 const char *expect_location);
/* The first half of a sign-in: /login and the hosted login; returns the
 * callback URL the hosted login sent the browser to (malloc'd), not yet visited. */
char *wk_start_sign_in(const webapp_kit *kit, wk_browser *b, const char *email);

/* The user id of @p email (through the API). malloc'd. */
char *wk_user_id(const webapp_kit *kit, const char *email);
/* POST a delivery of event @p type about @p user_id to the app's /webhooks,
 * signed with @p secret (NULL: WK_WEBHOOK_SECRET) at @p timestamp (0: now),
 * with delivery id @p delivery_id. Returns the status. */
long wk_deliver(const webapp_kit *kit, const char *secret, const char *delivery_id, int64_t timestamp,
                const char *type, const char *user_id);

#endif
