/*
 * Authorization requests and how every sign-in method finishes them (login.h).
 * oauth_authorize.c checks a request and stores it here; the hosted page, SSO,
 * passwordless, passkeys and custom logins carry only its id.
 */
#include "login.h"

#include "environment.h"
#include "resources.h"
#include "passwordless.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The hosted page's optional sections, in page order; NULL-terminated. */
static const emu_login_section_fn emu_login_sections[] = {
    emu_webauthn_login_section,
    emu_passwordless_section,
    NULL
};

/* Who owns an email's domain, asked in order before the default login; NULL-terminated. */
static const emu_login_router_fn emu_login_routers[] = {
    emu_sso_router,
    NULL
};

/* The authorization parameters a request keeps, as the app sent them. */
static const char *const request_params[] = {
    "client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge", "code_challenge_method",
    "organization_id", "connection_id", "domain_hint", "login_hint", "provider", "prompt", NULL
};

/* An absent or empty parameter is stored as NULL. */
static const char *param_or_null(const char *v)
{
    return v && *v ? v : NULL;
}

char *emu_login_request_create(emu *e, emu_req *r, emu_param_fn get)
{
    char *id = emu_new_id("lri_", 16);
    if (!id)
        return NULL;
    int64_t now = skit_now();
    const char *v[13];
    for (size_t i = 0; request_params[i]; i++)
        v[i] = param_or_null(get(r, request_params[i]));
    char ip[64];
    emu_peer_ip(r, ip, sizeof ip);
    /* An absent scope is OpenID's default set; a challenge without a method is plain (RFC 7636). */
    if (!v[2])
        v[2] = "openid profile email";
    if (v[5] && !v[6])
        v[6] = "plain";
    if (emu_db_exec(e->store, "INSERT INTO login_requests(id, client_id, redirect_uri, scope, state, nonce, "
                              "code_challenge, code_challenge_method, organization_id, connection_id, domain_hint, "
                              "login_hint, provider, prompt, ip, user_agent, created_at, updated_at, expires_at) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    "ssssssssssssssssiii", id, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9],
                    v[10], v[11], v[12], *ip ? ip : NULL, emu_header(r, "User-Agent"), now, now,
                    now + EMU_LOGIN_REQUEST_TTL_SECONDS) != 1) {
        free(id);
        return NULL;
    }
    return id;
}

json_t *emu_login_request_get(emu *e, const char *id, const char **why)
{
    const char *unused;
    if (!why)
        why = &unused;
    json_t *row = id && *id ? emu_db_row(e->store, "SELECT * FROM login_requests WHERE id = ?", "s", id) : NULL;
    if (!row) {
        *why = "unknown";
        return NULL;
    }
    if (strcmp(skit_json_string(row, "status"), "PENDING") != 0)
        *why = "finished";
    else if (json_integer_value(json_object_get(row, "expires_at")) <= skit_now())
        *why = "expired";
    else
        return row;
    json_decref(row);
    return NULL;
}

int emu_login_refused_page(emu_req *r, const char *why)
{
    return emu_reply_error_page(r, "Sign-in error", "This sign-in request is %s. Start again from the application.",
                                strcmp(why, "unknown") == 0 ? "not known to this environment" :
                                strcmp(why, "expired") == 0 ? "too old (requests last 15 minutes)" :
                                                              "already finished");
}

/* Redirect to the app's redirect URI with @p query (already form-encoded) and the app's state. */
static int redirect_to_app(emu_req *r, const json_t *lr, skit_buf *query)
{
    const char *state = skit_json_string(lr, "state");
    if (state)
        skit_form_add(query, "state", state);
    const char *redirect_uri = skit_json_string(lr, "redirect_uri");
    skit_buf url = SKIT_BUF_INIT;
    skit_buf_puts(&url, redirect_uri);
    skit_buf_puts(&url, strchr(redirect_uri, '?') ? "&" : "?");
    int rc = skit_buf_puts(&url, query->ptr ? query->ptr : "");
    rc = rc == SCALEKIT_OK ? emu_reply_redirect(r, url.ptr) : -1;
    skit_buf_free(&url);
    return rc;
}

/* The session's extra ID-token claims: identities naming the connection, and the method's own. */
static json_t *session_claims(const emu_login_identity *who, const char *org)
{
    json_t *claims = who->extra_claims ? json_deep_copy(who->extra_claims) : json_object();
    if (!claims || !who->connection_id)
        return claims;
    json_t *identity = json_pack("{s:s, s:s, s:s, s:s, s:b, s:{}}", "connection_id", who->connection_id,
                                 "organization_id", org ? org : "",
                                 "connection_type", who->connection_type ? who->connection_type : "",
                                 "provider_name", who->connection_provider ? who->connection_provider : "",
                                 "social", 0, "provider_raw_attributes");
    if (identity && who->provider_user_id)
        json_object_set_new(identity, "provider_user_id", json_string(who->provider_user_id));
    if (!identity || json_object_set_new(claims, "identities", json_pack("[o]", identity)) != 0) {
        json_decref(claims);
        return NULL;
    }
    return claims;
}

/* Fill the user's profile from what the method established, where the user has none yet. */
static void adopt_profile(emu *e, const char *user_id, const emu_login_identity *who)
{
    static const char *const columns[] = {"given_name", "family_name", "name"};
    const char *values[] = {who->given_name, who->family_name, who->name};
    for (size_t i = 0; i < 3; i++) {
        if (!values[i] || !*values[i])
            continue;
        char sql[160];
        snprintf(sql, sizeof sql, "UPDATE users SET %s = ? WHERE id = ? AND (%s IS NULL OR %s = '')",
                 columns[i], columns[i], columns[i]);
        emu_db_exec(e->store, sql, "ss", values[i], user_id);
    }
}

int emu_login_finish(emu *e, emu_req *r, const char *id, const emu_login_identity *who)
{
    const char *why = NULL;
    json_t *lr = emu_login_request_get(e, id, &why);
    if (!lr)
        return emu_login_refused_page(r, why);
    const char *org = who->organization_id ? who->organization_id : skit_json_string(lr, "organization_id");
    const char *client_id = skit_json_string(lr, "client_id");
    json_t *known = org ? emu_db_row(e->store, "SELECT 1 AS k FROM organizations WHERE id = ?", "s", org) : NULL;
    if (org && !known) {
        char why_not[160];
        snprintf(why_not, sizeof why_not, "organization %.100s does not exist", org);
        /* Who tried goes into the authentication log with the failure. */
        emu_db_exec(e->store, "UPDATE login_requests SET email = ? WHERE id = ? AND status = 'PENDING'", "ss",
                    who->email, id);
        json_decref(lr);
        return emu_login_fail(e, r, id, "invalid_request", why_not);
    }
    json_decref(known);
    char *user_id = emu_user_ensure(e, who->email, org);
    if (user_id)
        adopt_profile(e, user_id, who);
    char *session_id = user_id ? emu_session_start(e, r, user_id, org, client_id) : NULL;
    json_t *claims = session_id ? session_claims(who, org) : NULL;
    bool ok = claims != NULL;
    if (ok && json_object_size(claims) > 0) {
        char *text = json_dumps(claims, JSON_COMPACT);
        ok = text && emu_db_exec(e->store, "INSERT INTO session_claims(session_id, claims) VALUES (?, ?)", "ss",
                                 session_id, text) == 1;
        free(text);
    }
    char *code = ok ? emu_code_issue(e, client_id, skit_json_string(lr, "redirect_uri"),
                                     skit_json_string(lr, "code_challenge"),
                                     skit_json_string(lr, "code_challenge_method"), skit_json_string(lr, "nonce"),
                                     skit_json_string(lr, "scope"), user_id, org, session_id) : NULL;
    int rc = -1;
    /* Only the request still PENDING finishes: two methods racing on one request give one code. */
    if (code && emu_db_exec(e->store, "UPDATE login_requests SET status = 'SUCCESS', email = ?, user_id = ?, "
                                      "organization_id = ?, connection_id = ?, connection_type = ?, "
                                      "connection_provider = ?, updated_at = ? WHERE id = ? AND status = 'PENDING'",
                            "ssssssis", who->email, user_id, org, who->connection_id, who->connection_type,
                            who->connection_provider, skit_now(), id) == 1) {
        skit_buf q = SKIT_BUF_INIT;
        skit_form_add(&q, "code", code);
        rc = redirect_to_app(r, lr, &q);
        skit_buf_free(&q);
    } else if (code) {
        rc = emu_login_refused_page(r, "finished");
    }
    json_decref(claims);
    json_decref(lr);
    free(user_id);
    free(session_id);
    free(code);
    return rc;
}

int emu_login_fail(emu *e, emu_req *r, const char *id, const char *error, const char *description)
{
    const char *why = NULL;
    json_t *lr = emu_login_request_get(e, id, &why);
    if (!lr)
        return emu_login_refused_page(r, why);
    int rc = -1;
    if (emu_db_exec(e->store, "UPDATE login_requests SET status = 'FAILED', error = ?, error_description = ?, "
                              "updated_at = ? WHERE id = ? AND status = 'PENDING'",
                    "ssis", error, description, skit_now(), id) == 1) {
        skit_buf q = SKIT_BUF_INIT;
        skit_form_add(&q, "error", error);
        if (description)
            skit_form_add(&q, "error_description", description);
        rc = redirect_to_app(r, lr, &q);
        skit_buf_free(&q);
    } else {
        rc = emu_login_refused_page(r, "finished");
    }
    json_decref(lr);
    return rc;
}

int emu_login_route(emu *e, emu_req *r, const json_t *lr, const char *email, int *rc)
{
    for (size_t i = 0; emu_login_routers[i]; i++)
        if (emu_login_routers[i](e, r, lr, email, rc))
            return 1;
    return 0;
}

int emu_login_page(emu *e, emu_req *r, unsigned status, const char *id, const char *email, const char *problem)
{
    const char *why = NULL;
    json_t *lr = emu_login_request_get(e, id, &why);
    if (!lr)
        return emu_login_refused_page(r, why);
    skit_buf in = SKIT_BUF_INIT;
    skit_buf_puts(&in, "<p>Scalekit emulator: sign in with any email address. "
                       "An unknown address creates the user.</p>\n");
    if (problem) {
        skit_buf_puts(&in, "<p role=\"alert\" id=\"email-error\">");
        emu_html_escape(&in, problem);
        skit_buf_puts(&in, "</p>\n");
    }
    /* Absolute, on the public URL: behind a proxy with a path the form must come back through it. */
    skit_buf_puts(&in, "<form method=\"post\" action=\"");
    emu_html_escape(&in, e->url);
    skit_buf_puts(&in, "/oauth/authorize\">\n<input type=\"hidden\" name=\"login_request_id\" value=\"");
    emu_html_escape(&in, id);
    skit_buf_puts(&in, "\">\n<label for=\"email\">Email address</label>\n"
                       "<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"email\" required");
    if (problem)
        skit_buf_puts(&in, " aria-invalid=\"true\" aria-describedby=\"email-error\"");
    skit_buf_puts(&in, " value=\"");
    emu_html_escape(&in, email ? email : "");
    int rc = skit_buf_puts(&in, "\">\n<button type=\"submit\">Sign in</button>\n</form>\n");
    for (size_t i = 0; rc == SCALEKIT_OK && emu_login_sections[i]; i++)
        rc = emu_login_sections[i](e, lr, &in) == 0 ? SCALEKIT_OK : SCALEKIT_ENOMEM;
    char origin[512];
    if (rc == SCALEKIT_OK && !emu_redirect_uri_origin(skit_json_string(lr, "redirect_uri"), origin, sizeof origin))
        rc = -1;
    rc = rc == SCALEKIT_OK ? emu_reply_page(r, status, "Sign in", &in, origin) : -1;
    skit_buf_free(&in);
    json_decref(lr);
    return rc;
}

/* GET /_emulator/login-requests/{login_request_id}: what the request stored, for
 * tests and for a person debugging a sign-in (the app's parameters, the outcome). */
static int get_login_request(emu *e, emu_req *r)
{
    const char *id = emu_path_param(r, "login_request_id");
    json_t *row = id ? emu_db_row(e->store, "SELECT * FROM login_requests WHERE id = ?", "s", id) : NULL;
    if (!row)
        return emu_reply_error(r, 404, "NOT_FOUND", "login request %.100s not found", id ? id : "");
    return emu_reply_json(r, 200, row);
}

const emu_route emu_login_routes[] = {
    {"GET", "/_emulator/login-requests/{login_request_id}", get_login_request, "login_request_id"},
    {NULL, NULL, NULL, NULL}
};
