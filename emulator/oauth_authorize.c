/*
 * The authorization endpoint: GET /oauth/authorize checks the client and the
 * redirect URI, stores the request (login.c) and shows the hosted page; POST
 * /oauth/authorize takes the page's email (or a one-shot POST of the
 * parameters themselves), lets a router claim its domain (SSO), else signs the
 * user in by email (creating the user on first sight, as the real sign-up does).
 *
 * redirect_uri must be allowed by redirect_uris.c (loopback or registered);
 * anything else gets an error page, never a redirect (RFC 6749 section 4.1.2.1).
 */
#include "environment.h"
#include "login.h"
#include "resources.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
static int check_request(emu *e, emu_req *r, emu_param_fn get, int *rc)
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

static int get_authorize(emu *e, emu_req *r)
{
    int rc;
    if (check_request(e, r, emu_query, &rc))
        return rc;
    char *id = emu_login_request_create(e, r, emu_query);
    json_t *lr = id ? emu_login_request_get(e, id, NULL) : NULL;
    /* A request that names its connection, organization or domain (or hints an
     * email of a domain with SSO) goes straight to that connection (sso_route.c). */
    const char *hint = emu_query(r, "login_hint");
    if (!lr || !emu_login_route(e, r, lr, hint && *hint ? hint : NULL, &rc))
        rc = id ? emu_login_page(e, r, 200, id, hint, NULL) : -1;
    json_decref(lr);
    free(id);
    return rc;
}

/* The form's login_request_id, or a one-shot POST carrying the authorization
 * parameters themselves (checked as a GET would be), stored as a new request. */
static char *request_of_post(emu *e, emu_req *r, int *rc)
{
    const char *id = emu_form(r, "login_request_id");
    if (id)
        return strdup(id);
    if (check_request(e, r, emu_form, rc))
        return NULL;
    char *created = emu_login_request_create(e, r, emu_form);
    *rc = -1;
    return created;
}

static int post_authorize(emu *e, emu_req *r)
{
    int rc = -1;
    char *id = request_of_post(e, r, &rc);
    if (!id)
        return rc;
    const char *email = emu_form(r, "email");
    const char *why = NULL;
    json_t *lr = emu_login_request_get(e, id, &why);
    if (!lr) {
        rc = emu_login_refused_page(r, why);
    } else if (!emu_email_plausible(email)) {
        rc = emu_login_page(e, r, 400, id, email, "Enter a valid email address.");
    } else if (!emu_login_route(e, r, lr, email, &rc)) {
        rc = emu_login_finish(e, r, id, &(emu_login_identity){.email = email});
    }
    json_decref(lr);
    free(id);
    return rc;
}

const emu_route emu_oauth_routes[] = {
    {"GET", "/oauth/authorize", get_authorize, NULL},
    {"POST", "/oauth/authorize", post_authorize, NULL},
    {NULL, NULL, NULL, NULL}
};
