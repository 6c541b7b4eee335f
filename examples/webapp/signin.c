/*
 * Sign-in, the session's tokens, and sign-out.
 *
 * GET /login     remembers state, nonce and a PKCE verifier server-side under a
 *                random pre-session cookie and redirects to the hosted login.
 * GET /callback  takes that pending sign-in (once), checks state, exchanges the
 *                code (the SDK validates the ID token and its nonce), validates
 *                the access token, and starts a session under a new random cookie.
 * POST /logout   revokes the Scalekit session, ends ours, and goes through
 *                Scalekit's logout URL back to /signed-out.
 *
 * Roles and permissions come from the access token, so they are as fresh as it
 * is: it is refreshed when it is about to expire, and at once when a webhook
 * says the user's membership or a role changed (webhooks.c marks the session
 * stale). A role granted in the dashboard thus shows on the next request.
 */
#include "app.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool app_has(char *const *list, const char *name)
{
    for (size_t i = 0; list && list[i]; i++)
        if (strcmp(list[i], name) == 0)
            return true;
    return false;
}

static char **strv_copy(const char *const *v)
{
    size_t n = 0;
    while (v && v[n])
        n++;
    char **copy = calloc(n + 1, sizeof *copy);
    for (size_t i = 0; copy && i < n; i++) {
        if (!(copy[i] = strdup(v[i]))) {
            while (i--)
                free(copy[i]);
            free(copy);
            return NULL;
        }
    }
    return copy;
}

static char *dup_or_null(const char *s)
{
    return s && *s ? strdup(s) : NULL;
}

/*
 * Session data from a validated access token: who, which organization, which
 * roles and permissions, until when. @p email and @p name come from the ID token.
 * NULL when the token does not validate, or is for another organization than
 * the app's (a user must not bring a token minted for a different tenant).
 */
static session_data *data_from_tokens(webapp *app, const char *access_token, const char *refresh_token,
                                      const char *email, const char *name)
{
    scalekit_access_token_claims *claims = NULL;
    if (scalekit_get_access_token_claims(app->client, access_token, &claims) != SCALEKIT_OK)
        return NULL;
    session_data *d = NULL;
    const char *org = app->config.organization_id;
    if (!org || (claims->organization_id && strcmp(claims->organization_id, org) == 0))
        d = session_data_new();
    if (d) {
        d->user_id = strdup(claims->sub);
        d->email = strdup(email ? email : "");
        d->name = dup_or_null(name);
        d->organization_id = dup_or_null(claims->organization_id);
        d->sid = dup_or_null(claims->sid);
        d->roles = strv_copy(claims->roles);
        d->permissions = strv_copy(claims->permissions);
        d->access_token = strdup(access_token);
        d->refresh_token = dup_or_null(refresh_token);
        d->access_expires_at = claims->exp;
        if (!d->user_id || !d->email || !d->roles || !d->permissions || !d->access_token) {
            session_data_free(d);   /* not in a store yet: nobody else holds it */
            d = NULL;
        }
    }
    scalekit_access_token_claims_free(claims);
    return d;
}

static bool needs_refresh(const webapp *app, const session_data *d, const session_info *info)
{
    return info->stale || (int64_t)time(NULL) >= d->access_expires_at - app->config.refresh_margin_seconds;
}

/* New session data from the refresh grant; NULL when it failed (*revoked set
 * when the session must end: Scalekit refused the refresh token, or the new
 * tokens are no longer for the app's organization). */
static session_data *refresh(webapp *app, const session_data *old, bool *revoked)
{
    *revoked = false;
    if (!old->refresh_token) {
        *revoked = true;
        return NULL;
    }
    scalekit_token_response *t = NULL;
    int rc = scalekit_refresh_access_token(app->client, old->refresh_token, &t);
    if (rc != SCALEKIT_OK) {
        *revoked = rc == SCALEKIT_EINVALID_REQUEST || rc == SCALEKIT_EUNAUTHENTICATED;
        if (!app->config.quiet)   /* the reason, never the token */
            fprintf(stderr, "webapp: token refresh failed: %s\n", scalekit_strerror(rc));
        return NULL;
    }
    /* The refreshed ID token has the profile as it is now (a name set since
     * sign-in); it is believed only once validated, and only about the same user. */
    const char *email = old->email, *name = old->name;
    scalekit_claims *id = NULL;
    if (t->id_token) {
        const char *const audience[] = {app->config.client_id, NULL};
        scalekit_validate_options vo = SCALEKIT_VALIDATE_OPTIONS_INIT;
        vo.issuer = scalekit_client_env_url(app->client);
        vo.audiences = audience;
        if (scalekit_validate_token(app->client, t->id_token, &vo, &id) == SCALEKIT_OK &&
            strcmp(scalekit_claims_subject(id) ? scalekit_claims_subject(id) : "", old->user_id) == 0) {
            if (scalekit_claims_get_string(id, "email"))
                email = scalekit_claims_get_string(id, "email");
            if (scalekit_claims_get_string(id, "name"))
                name = scalekit_claims_get_string(id, "name");
        }
    }
    /* Refresh tokens rotate: keep the new one. */
    session_data *d = data_from_tokens(app, t->access_token, t->refresh_token ? t->refresh_token : old->refresh_token,
                                       email, name);
    /* Tokens that no longer qualify (the user left the organization) end the
     * session: the old refresh token is spent, and keeping the new one would
     * keep a user the organization no longer has. */
    *revoked = d == NULL;
    scalekit_claims_free(id);
    scalekit_token_response_free(t);
    return d;
}

session_data *app_current_user(webapp *app, const app_request *req, session_info *info, bool *had_cookie)
{
    const char *id = app_cookie(req, app_session_cookie(app));
    if (had_cookie)
        *had_cookie = id != NULL;
    session_data *d = id ? sessions_get(app->sessions, id, info) : NULL;
    if (!d || !needs_refresh(app, d, info))
        return d;
    pthread_mutex_lock(&app->refresh_lock);
    /* Another request may have refreshed it while this one waited. */
    sessions_release(app->sessions, d);
    d = sessions_get(app->sessions, id, info);
    if (d && needs_refresh(app, d, info)) {
        bool revoked = false;
        session_data *fresh = refresh(app, d, &revoked);
        if (fresh) {
            sessions_replace(app->sessions, id, d, fresh);
            sessions_release(app->sessions, d);
            d = sessions_get(app->sessions, id, info);
        } else if (revoked || time(NULL) >= d->access_expires_at) {
            /* Scalekit ended the session, or its access ran out: so does ours. */
            sessions_destroy(app->sessions, id);
            sessions_release(app->sessions, d);
            d = NULL;
        }   /* else a passing failure: keep the still valid access token */
    }
    pthread_mutex_unlock(&app->refresh_lock);
    return d;
}

session_data *app_require_user(webapp *app, const app_request *req, app_response *res, session_info *info)
{
    bool had_cookie = false;
    session_data *d = app_current_user(app, req, info, &had_cookie);
    if (d)
        return d;
    char login[300];
    /* req->path is one of the routes' own paths, so it needs no encoding. */
    snprintf(login, sizeof login, "/login?return_to=%s", req->path);
    if (!had_cookie) {
        app_redirect(res, login);
        return NULL;
    }
    /* A cookie we do not know: tampered with, expired, or from before a restart.
     * Delete it and say so plainly; never guess whose it was. */
    app_set_cookie(app, res, app_session_cookie(app), "", 0);
    page_message(res, 401, "Please sign in again",
                 "Your session has ended or is not valid, so you are not signed in.", login, "Sign in", NULL);
    return NULL;
}

/* Only a path of this site: no scheme, no "//host", no backslash, no control
 * characters, so /login?return_to= cannot send anyone elsewhere. */
static bool local_path(const char *p)
{
    if (!p || p[0] != '/' || p[1] == '/' || p[1] == '\\' || strlen(p) >= sizeof ((pending_login *)0)->return_to)
        return false;
    for (; *p; p++)
        if ((unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e || *p == '\\')
            return false;
    return true;
}

void handle_login(webapp *app, const app_request *req, app_response *res)
{
    pending_login login = {0};
    scalekit_pkce pkce;
    char id[WEBAPP_ID_SIZE];
    const char *return_to = app_query(req, "return_to");
    snprintf(login.return_to, sizeof login.return_to, "%s", local_path(return_to) ? return_to : "/account");
    if (webapp_random_id(login.state) != 0 || webapp_random_id(login.nonce) != 0 ||
        scalekit_generate_pkce(&pkce) != SCALEKIT_OK) {
        page_message(res, 500, "Sign-in unavailable", "The server could not start a sign-in.", "/", "Home", NULL);
        return;
    }
    snprintf(login.code_verifier, sizeof login.code_verifier, "%s", pkce.code_verifier);
    /* State, nonce and verifier stay here; the browser only carries a random key to them. */
    if (logins_begin(app->sessions, &login, id) != 0) {
        page_message(res, 503, "Sign-in unavailable", "Too many sign-ins are in progress. Try again shortly.",
                     "/", "Home", NULL);
        return;
    }
    scalekit_authorization_url_options o = SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT;
    o.state = login.state;
    o.nonce = login.nonce;
    o.code_challenge = pkce.code_challenge;
    o.code_challenge_method = pkce.code_challenge_method;
    o.organization_id = app->config.organization_id;
    /* offline_access asks for the refresh token the session renews itself with. */
    static const char *const scopes[] = {"openid", "profile", "email", "offline_access", NULL};
    o.scopes = scopes;
    char *url = NULL;
    if (scalekit_get_authorization_url(app->client, app->callback_url, &o, &url) != SCALEKIT_OK) {
        page_message(res, 500, "Sign-in unavailable", scalekit_error_last()->message, "/", "Home", NULL);
        return;
    }
    app_set_cookie(app, res, app_login_cookie(app), id, 600);
    app_redirect(res, url);
    scalekit_free(url);
}

static void refuse(app_response *res, unsigned status, const char *why)
{
    page_message(res, status, "Sign-in failed", why, "/login", "Start again", NULL);
}

/* Compare two secrets in constant time. */
static bool same_secret(const char *a, const char *b)
{
    size_t n = strlen(b);
    return strlen(a) == n && CRYPTO_memcmp(a, b, n) == 0;
}

void handle_callback(webapp *app, const app_request *req, app_response *res)
{
    const char *login_id = app_cookie(req, app_login_cookie(app));
    pending_login login;
    /* Whatever happens below, the pre-session cookie is spent. */
    if (login_id)
        app_set_cookie(app, res, app_login_cookie(app), "", 0);
    /* Taken out of the store: a replayed callback finds no pending sign-in. */
    if (!login_id || logins_take(app->sessions, login_id, &login) != 0) {
        refuse(res, 400, "This sign-in cannot be completed: it has expired, was already used, or was started "
                         "in another browser. You are not signed in.");
        return;
    }
    /* state binds the response to the sign-in this browser started (no login CSRF). */
    const char *state = app_query(req, "state");
    if (!state || !same_secret(state, login.state)) {
        refuse(res, 400, "The sign-in response does not belong to the sign-in this browser started "
                         "(its state does not match). You are not signed in.");
        return;
    }
    const char *error = app_query(req, "error");
    const char *code = app_query(req, "code");
    if (error || !code || !*code) {
        refuse(res, 400, error ? "Scalekit did not sign you in (the sign-in was refused or cancelled)."
                               : "The sign-in response has no authorization code.");
        return;
    }
    scalekit_authentication_options o = SCALEKIT_AUTHENTICATION_OPTIONS_INIT;
    o.code_verifier = login.code_verifier;
    /* The SDK validates the ID token (signature, issuer, audience, expiry) and,
     * given the nonce, that its nonce claim is ours: no token replayed from another sign-in. */
    o.nonce = login.nonce;
    scalekit_authentication_response *auth = NULL;
    int rc = scalekit_authenticate_with_code(app->client, code, app->callback_url, &o, &auth);
    memset(&login.code_verifier, 0, sizeof login.code_verifier);
    if (rc != SCALEKIT_OK) {
        char why[300];
        snprintf(why, sizeof why, "Scalekit did not accept the sign-in (%s). You are not signed in.",
                 scalekit_strerror(rc));
        refuse(res, 400, why);
        return;
    }
    session_data *d = data_from_tokens(app, auth->access_token, auth->refresh_token, auth->user->email,
                                       auth->user->name);
    scalekit_authentication_response_free(auth);
    if (!d) {
        refuse(res, 403, "The tokens Scalekit gave are not valid for this application's organization. "
                         "You are not signed in.");
        return;
    }
    /* Always a new session id at sign-in (no session fixation); an old one ends. */
    const char *old = app_cookie(req, app_session_cookie(app));
    if (old)
        sessions_destroy(app->sessions, old);
    char id[WEBAPP_ID_SIZE];
    if (sessions_create(app->sessions, d, id) != 0) {
        refuse(res, 500, "The server could not start your session.");
        return;
    }
    app_set_cookie(app, res, app_session_cookie(app), id, app->config.session_lifetime_seconds);
    app_redirect(res, login.return_to);
}

void handle_logout(webapp *app, const app_request *req, app_response *res)
{
    /* SameSite=Lax keeps other sites' forms from sending the cookie; a browser's
     * Origin header, when present, must be ours too. */
    const char *origin = app_header(req, "Origin");
    if (origin && strcmp(origin, app->url) != 0) {
        page_message(res, 403, "Not allowed", "Sign-out must come from this site's own button.", "/", "Home", NULL);
        return;
    }
    const char *id = app_cookie(req, app_session_cookie(app));
    session_data *d = id ? sessions_get(app->sessions, id, NULL) : NULL;
    if (d && d->sid) {
        /* Revoked server to server, so the ID token never rides in the browser's
         * URL as id_token_hint; its refresh tokens stop working at once. */
        scalekit_session *s = NULL;
        int rc = scalekit_session_revoke(app->client, d->sid, &s);
        if (rc != SCALEKIT_OK && !app->config.quiet)
            fprintf(stderr, "webapp: revoking the Scalekit session failed: %s\n", scalekit_strerror(rc));
        scalekit_session_free(s);
    }
    sessions_release(app->sessions, d);
    if (id) {
        sessions_destroy(app->sessions, id);
        app_set_cookie(app, res, app_session_cookie(app), "", 0);
    }
    scalekit_logout_url_options o = SCALEKIT_LOGOUT_URL_OPTIONS_INIT;
    o.post_logout_redirect_uri = app->signed_out_url;
    char *url = NULL;
    if (scalekit_get_logout_url(app->client, &o, &url) != SCALEKIT_OK) {
        app_redirect(res, "/signed-out");
        return;
    }
    app_redirect(res, url);
    scalekit_free(url);
}
