/*
 * Authorization requests and how a sign-in finishes (emulator/login.c).
 *
 * /oauth/authorize checks the client and redirect URI once, then stores the
 * request as a login request (table login_requests) and hands every sign-in
 * method only its id: the hosted page's email form, an SSO connection's round
 * trip to its identity provider, passwordless email, a passkey, a custom login.
 * Each method, having established who the user is, calls emu_login_finish,
 * which creates the user on first sight, starts the session, issues the code
 * and redirects back to the app with it and the app's state. The request's row
 * is what the authentication logs serve.
 *
 * Adding a sign-in method: its routes take a login_request_id (hidden field,
 * or carried in the IdP's state), look it up with emu_login_request_get, and
 * end with emu_login_finish or emu_login_fail. A section on the hosted page is
 * one entry in emu_login_sections (login.c).
 */
#ifndef EMU_LOGIN_H
#define EMU_LOGIN_H

#include <stdbool.h>
#include <jansson.h>

#include "http.h"

/* Pending requests older than this are refused as expired. */
#define EMU_LOGIN_REQUEST_TTL_SECONDS 900

/* Store a new request from the parameters @p get reads (the query of a GET,
 * the form of a one-shot POST), already checked by the caller; its id,
 * malloc'd, or NULL on failure. */
char *emu_login_request_create(emu *e, emu_req *r, emu_param_fn get);

/* The login request's row (every column of login_requests) if @p id names one
 * that is PENDING and not expired; NULL otherwise (with *why, when @p why is
 * non-NULL, saying which: "unknown", "expired", "finished"). New reference. */
json_t *emu_login_request_get(emu *e, const char *id, const char **why);

/* The error page for a request emu_login_request_get refused, saying @p why
 * ("unknown", "expired", "finished"). */
int emu_login_refused_page(emu_req *r, const char *why);

/* Who a sign-in method established. Only email is required; NULLs are absent. */
typedef struct emu_login_identity {
    const char *email;
    const char *given_name;
    const char *family_name;
    const char *name;
    /* The organization the user signs in to; NULL: the request's organization_id. */
    const char *organization_id;
    /* The connection that authenticated the user (identities[0] of the ID token
     * and the authentication log); NULL: the environment's own login. */
    const char *connection_id;
    const char *connection_type;     /* OIDC, SAML, PASSWORDLESS, WEBAUTHN, ... */
    const char *connection_provider; /* OKTA, CUSTOM, ... */
    /* The user's id at the identity provider (identities[0].provider_user_id). */
    const char *provider_user_id;
    /* Extra ID-token claims (groups, custom_attributes, ...), merged on every
     * grant of the session; borrowed, may be NULL. */
    const json_t *extra_claims;
} emu_login_identity;

/* Finish login request @p id for @p who: user (created on first sight, with
 * user.signup), membership of the organization, session (user.login), code;
 * the request marked SUCCESS; replies with the redirect to the app's
 * redirect_uri carrying code and state. A request that is not pending gets an
 * error page. Returns the handler's result (0, or -1 when nothing was sent). */
int emu_login_finish(emu *e, emu_req *r, const char *id, const emu_login_identity *who);

/* Fail login request @p id: marked FAILED with @p error (an OAuth error code:
 * access_denied, server_error, ...) and @p description, then the redirect to
 * the app with error, error_description and state (RFC 6749 section 4.1.2.1). */
int emu_login_fail(emu *e, emu_req *r, const char *id, const char *error, const char *description);

/* The hosted sign-in page for pending request @p id: the email form (with
 * @p email filled in and @p problem shown when non-NULL) and each section of
 * emu_login_sections that applies. */
int emu_login_page(emu *e, emu_req *r, unsigned status, const char *id, const char *email, const char *problem);

/* A section of the hosted page: appends its HTML to @p out for request @p lr
 * (a row of emu_login_request_get), or nothing when it does not apply.
 * 0 or -1 (out of memory). */
typedef int (*emu_login_section_fn)(emu *e, const json_t *lr, skit_buf *out);

/* Route the email typed on the hosted page (or a login_hint) to the sign-in
 * method that owns its domain, e.g. an organization's SSO connection. Returns 1
 * when it has replied (*rc is the handler's result), 0 to fall back to the
 * environment's default login. */
typedef int (*emu_login_router_fn)(emu *e, emu_req *r, const json_t *lr, const char *email, int *rc);

/* The routers of login.c's list. */
/* sso_route.c: the connection of the request's connection_id, organization_id,
 * domain_hint or the email's domain (an OIDC IdP, the SAML stand-in, the app's
 * own login page); 0 when none applies. */
int emu_sso_router(emu *e, emu_req *r, const json_t *lr, const char *email, int *rc);

/* Ask each router of emu_login_routers (login.c) in turn; 1 when one replied. */
int emu_login_route(emu *e, emu_req *r, const json_t *lr, const char *email, int *rc);

#endif
