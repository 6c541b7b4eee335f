/*
 * The hosted login page: GET /oauth/authorize renders a plain HTML form (no
 * JavaScript), POST /oauth/authorize signs the user in by email (creating the
 * user on first sight, as the real sign-up does) and redirects back with a code.
 *
 * redirect_uri must be allowed by redirect_uris.c (loopback or registered);
 * anything else gets an error page, never a redirect (RFC 6749 section 4.1.2.1).
 */
#include "environment.h"
#include "resources.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The request parameters carried through the form as hidden fields. */
static const char *const carried[] = {
    "client_id", "redirect_uri", "response_type", "scope", "state", "nonce", "code_challenge",
    "code_challenge_method", "organization_id", "connection_id", "domain_hint", "provider", "prompt",
    NULL
};

typedef const char *(*param_fn)(emu_req *r, const char *name);

int emu_reply_page(emu_req *r, unsigned status, const char *title, const skit_buf *inner,
                   const char *form_target)
{
    skit_buf b = SKIT_BUF_INIT;
    skit_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
    emu_html_escape(&b, title);
    skit_buf_printf(&b, "</title><style>%s</style></head>\n<body>\n<main>\n<h1>", emu_page_style);
    emu_html_escape(&b, title);
    skit_buf_puts(&b, "</h1>\n");
    skit_buf_put(&b, inner->ptr ? inner->ptr : "", inner->len);
    int rc = skit_buf_puts(&b, "</main>\n</body>\n</html>\n");
    rc = rc == SCALEKIT_OK ? emu_reply_html(r, status, b.ptr, form_target) : -1;
    skit_buf_free(&b);
    return rc;
}

int emu_reply_error_page(emu_req *r, const char *title, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    skit_buf inner = SKIT_BUF_INIT;
    skit_buf_puts(&inner, "<p role=\"alert\">");
    emu_html_escape(&inner, message);
    int rc = skit_buf_puts(&inner, "</p>\n");
    rc = rc == SCALEKIT_OK ? emu_reply_page(r, 400, title, &inner, NULL) : -1;
    skit_buf_free(&inner);
    return rc;
}

#define error_page(r, ...) emu_reply_error_page((r), "Sign-in error", __VA_ARGS__)

/* Redirect to @p redirect_uri with @p name=@p value and the untouched state. */
static int redirect_back(emu_req *r, const char *redirect_uri, const char *name, const char *value,
                         const char *state)
{
    skit_buf q = SKIT_BUF_INIT, url = SKIT_BUF_INIT;
    skit_form_add(&q, name, value);
    skit_form_add(&q, "state", state);
    skit_buf_puts(&url, redirect_uri);
    skit_buf_puts(&url, strchr(redirect_uri, '?') ? "&" : "?");
    int rc = skit_buf_puts(&url, q.ptr ? q.ptr : "");
    rc = rc == SCALEKIT_OK ? emu_reply_redirect(r, url.ptr) : -1;
    skit_buf_free(&q);
    skit_buf_free(&url);
    return rc;
}

/* The checks shared by GET and POST. Returns 1 when it has replied (an error). */
static int check_request(emu *e, emu_req *r, param_fn get, int *rc)
{
    const char *client_id = get(r, "client_id");
    const char *redirect_uri = get(r, "redirect_uri");
    const char *response_type = get(r, "response_type");
    const char *method = get(r, "code_challenge_method");
    if (!client_id || !*client_id) {
        *rc = error_page(r, "client_id is required");
        return 1;
    }
    if (!emu_client_known(e, client_id)) {
        *rc = error_page(r, "client_id %.200s is not a client of this environment", client_id);
        return 1;
    }
    const char *why = NULL;
    if (!redirect_uri || !*redirect_uri) {
        *rc = error_page(r, "redirect_uri is required");
        return 1;
    }
    if (!emu_redirect_uri_allowed(e, redirect_uri, &why)) {
        *rc = error_page(r, "redirect_uri %.200s %s", redirect_uri, why);
        return 1;
    }
    if (!response_type || strcmp(response_type, "code") != 0) {
        *rc = redirect_back(r, redirect_uri, "error", "unsupported_response_type", get(r, "state"));
        return 1;
    }
    if (method && *method && strcmp(method, "S256") != 0 && strcmp(method, "plain") != 0) {
        *rc = redirect_back(r, redirect_uri, "error", "invalid_request", get(r, "state"));
        return 1;
    }
    return 0;
}

static int render_form(emu *e, emu_req *r, unsigned status, param_fn get, const char *email,
                       const char *problem)
{
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
    skit_buf_puts(&in, "/oauth/authorize\">\n");
    for (size_t i = 0; carried[i]; i++) {
        const char *v = get(r, carried[i]);
        if (!v)
            continue;
        skit_buf_printf(&in, "<input type=\"hidden\" name=\"%s\" value=\"", carried[i]);
        emu_html_escape(&in, v);
        skit_buf_puts(&in, "\">\n");
    }
    skit_buf_puts(&in, "<label for=\"email\">Email address</label>\n"
                       "<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"email\" required");
    if (problem)
        skit_buf_puts(&in, " aria-invalid=\"true\" aria-describedby=\"email-error\"");
    skit_buf_puts(&in, " value=\"");
    emu_html_escape(&in, email ? email : "");
    int rc = skit_buf_puts(&in, "\">\n<button type=\"submit\">Sign in</button>\n</form>\n");
    char origin[512];
    if (rc == SCALEKIT_OK && !emu_redirect_uri_origin(get(r, "redirect_uri"), origin, sizeof origin))
        rc = -1;
    rc = rc == SCALEKIT_OK ? emu_reply_page(r, status, "Sign in", &in, origin) : -1;
    skit_buf_free(&in);
    return rc;
}

static int get_authorize(emu *e, emu_req *r)
{
    int rc;
    if (check_request(e, r, emu_query, &rc))
        return rc;
    return render_form(e, r, 200, emu_query, emu_query(r, "login_hint"), NULL);
}

static int post_authorize(emu *e, emu_req *r)
{
    int rc;
    if (check_request(e, r, emu_form, &rc))
        return rc;
    const char *email = emu_form(r, "email");
    const char *at = email ? strchr(email, '@') : NULL;
    if (!at || at == email || !at[1] || strpbrk(email, " \t\r\n<>\"(),;:"))
        return render_form(e, r, 400, emu_form, email, "Enter a valid email address.");

    const char *client_id = emu_form(r, "client_id");
    const char *org = emu_form(r, "organization_id");
    if (org && !*org)
        org = NULL;
    const char *scope = emu_form(r, "scope");
    const char *challenge = emu_form(r, "code_challenge");
    const char *method = emu_form(r, "code_challenge_method");
    char *user_id = emu_user_ensure(e, email, org);
    char *session_id = user_id ? emu_session_start(e, r, user_id, org, client_id) : NULL;
    char *code = NULL;
    if (session_id)
        code = emu_code_issue(e, client_id, emu_form(r, "redirect_uri"),
                              challenge && *challenge ? challenge : NULL,
                              method && *method ? method : NULL, emu_form(r, "nonce"),
                              scope && *scope ? scope : "openid profile email", user_id, org, session_id);
    rc = code ? redirect_back(r, emu_form(r, "redirect_uri"), "code", code, emu_form(r, "state")) : -1;
    free(user_id);
    free(session_id);
    free(code);
    return rc;
}

const emu_route emu_oauth_routes[] = {
    {"GET", "/oauth/authorize", get_authorize, NULL},
    {"POST", "/oauth/authorize", post_authorize, NULL},
    {NULL, NULL, NULL, NULL}
};
