/*
 * Passwordless in the browser: the hosted login page's section "Email me a
 * code / link" (login.h), the code form it leads to, resend, and the magic
 * link's landing, GET /passwordless/link?link_token=...
 *
 * The section shows when passwordless is enabled: by default (no connection
 * row), or when the environment's PASSWORDLESS connection is enabled. The
 * email says SIGNIN to a known address and SIGNUP to a new one; the code typed
 * into the form, or the link opened, finishes the login (emu_login_finish:
 * user.signup for a new user, user.login).
 *
 * A link of a headless send (the API's, with magiclink_auth_uri) redirects to
 * that URI with link_token added and verifies nothing, so a mail scanner's
 * fetch costs nothing; the app verifies the token through the API.
 */
#include "environment.h"
#include "resources.h"
#include "login.h"
#include "passwordless.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *button_text(const char *type)
{
    return !strcmp(type, "OTP") ? "Email me a code" : !strcmp(type, "LINK") ? "Email me a link"
                                                                              : "Email me a code / link";
}

int emu_passwordless_section(emu *e, const json_t *lr, skit_buf *out)
{
    emu_passwordless_config c;
    if (emu_passwordless_config_get(e, &c) != 0)
        return -1;
    if (!c.enabled)
        return 0;
    skit_buf_puts(out, "<section aria-labelledby=\"passwordless-title\">\n<h2 id=\"passwordless-title\">"
                       "Or sign in without a password</h2>\n<form method=\"post\" action=\"");
    emu_html_escape(out, e->url);
    skit_buf_puts(out, "/passwordless/login\">\n<input type=\"hidden\" name=\"login_request_id\" value=\"");
    emu_html_escape(out, skit_json_string(lr, "id"));
    skit_buf_puts(out, "\">\n<label for=\"passwordless-email\">Your email, for a code or link</label>\n"
                       "<input id=\"passwordless-email\" name=\"email\" type=\"email\" autocomplete=\"email\" "
                       "required value=\"");
    emu_html_escape(out, skit_json_string(lr, "login_hint"));   /* the app's hint, as the main form has */
    skit_buf_puts(out, "\">\n<button type=\"submit\" id=\"passwordless-send\">");
    skit_buf_puts(out, button_text(c.type));
    return skit_buf_puts(out, "</button>\n</form>\n</section>\n") == SCALEKIT_OK ? 0 : -1;
}

/* A form posting the two ids to @p action, with @p fields (HTML) before its button. */
static void ids_form(skit_buf *b, emu *e, const char *action, const char *lrid, const char *pwl_id,
                     const char *fields, const char *button_id, const char *button)
{
    skit_buf_puts(b, "<form method=\"post\" action=\"");
    emu_html_escape(b, e->url);
    skit_buf_printf(b, "%s\">\n<input type=\"hidden\" name=\"login_request_id\" value=\"", action);
    emu_html_escape(b, lrid);
    skit_buf_puts(b, "\">\n<input type=\"hidden\" name=\"auth_request_id\" value=\"");
    emu_html_escape(b, pwl_id);
    skit_buf_printf(b, "\">\n%s<button type=\"submit\" id=\"%s\">%s</button>\n</form>\n", fields, button_id, button);
}

/* The page after a send: the code form (when the email has a code), resend. */
static int code_page(emu *e, emu_req *r, unsigned status, const json_t *lr, const json_t *pwl, const char *problem,
                     const char *notice)
{
    const char *type = skit_json_string(pwl, "passwordless_type"), *lrid = skit_json_string(lr, "id");
    const char *pwl_id = skit_json_string(pwl, "id");
    skit_buf in = SKIT_BUF_INIT;
    skit_buf_puts(&in, "<p role=\"status\">");
    emu_html_escape(&in, notice);
    skit_buf_puts(&in, " ");
    emu_html_escape(&in, skit_json_string(pwl, "email"));
    skit_buf_printf(&in, " %s.</p>\n", !strcmp(type, "OTP") ? "a code" : !strcmp(type, "LINK") ? "a sign-in link"
                                                                                               : "a code and a link");
    if (problem) {
        skit_buf_puts(&in, "<p role=\"alert\" id=\"code-error\">");
        emu_html_escape(&in, problem);
        skit_buf_puts(&in, "</p>\n");
    }
    if (strcmp(type, "LINK") != 0)
        ids_form(&in, e, "/passwordless/verify", lrid, pwl_id,
                 problem ? "<label for=\"code\">Code</label>\n<input id=\"code\" name=\"code\" "
                           "autocomplete=\"one-time-code\" required aria-invalid=\"true\" "
                           "aria-describedby=\"code-error\">\n"
                         : "<label for=\"code\">Code</label>\n<input id=\"code\" name=\"code\" "
                           "autocomplete=\"one-time-code\" required>\n",
                 "passwordless-verify", "Verify");
    if (strcmp(type, "OTP") != 0)
        skit_buf_puts(&in, "<p>Or open the link in the email, in this browser.</p>\n");
    ids_form(&in, e, "/passwordless/resend", lrid, pwl_id, "", "passwordless-resend", "Email me again");
    /* The verify form's answer redirects to the app: its origin must be a form target. */
    char origin[512];
    int rc = in.ptr && emu_redirect_uri_origin(skit_json_string(lr, "redirect_uri"), origin, sizeof origin)
                 ? emu_reply_page(r, status, "Check your email", &in, origin) : -1;
    skit_buf_free(&in);
    return rc;
}

/* The pending login request of the form and its passwordless request (both new
 * references), or 0 with the reply sent (*rc). */
static int form_requests(emu *e, emu_req *r, json_t **lr, json_t **pwl, int *rc)
{
    const char *lrid = emu_form(r, "login_request_id"), *id = emu_form(r, "auth_request_id");
    *lr = emu_login_request_get(e, lrid, NULL);
    *pwl = *lr && id ? emu_db_row(e->store, "SELECT * FROM passwordless_requests WHERE id = ?", "s", id) : NULL;
    const char *owner = skit_json_string(*pwl, "login_request_id");
    if (*lr && *pwl && owner && !strcmp(owner, lrid))
        return 1;
    /* Unknown, finished or another login's request: the login page says which. */
    *rc = *lr ? emu_login_page(e, r, 400, lrid, NULL, "That email request is not part of this sign-in; "
                                                      "ask for a new one.")
              : emu_login_page(e, r, 400, lrid ? lrid : "", NULL, NULL);
    json_decref(*lr);
    json_decref(*pwl);
    return 0;
}

static int post_login(emu *e, emu_req *r)
{
    const char *lrid = emu_form(r, "login_request_id"), *email = emu_form(r, "email");
    json_t *lr = emu_login_request_get(e, lrid, NULL);
    if (!lr)
        return emu_login_page(e, r, 400, lrid ? lrid : "", NULL, NULL);
    json_t *known = email ? emu_db_row(e->store, "SELECT 1 AS k FROM users WHERE email = ?", "s", email) : NULL;
    emu_passwordless_send in = { .email = email, .template_type = known ? "SIGNIN" : "SIGNUP",
                                 .login_request_id = lrid };
    emu_passwordless_error err = { 0 };
    json_t *pwl = emu_passwordless_issue(e, &in, &err);
    char problem[320];
    snprintf(problem, sizeof problem, "%s%s%s", err.field && pwl == NULL ? err.field : "",
             err.field && pwl == NULL ? " " : "", pwl ? "" : err.message);
    int rc = pwl ? code_page(e, r, 200, lr, pwl, NULL, "We emailed")
             : err.status == 500 ? -1 : emu_login_page(e, r, err.status, lrid, email, problem);
    json_decref(known);
    json_decref(pwl);
    json_decref(lr);
    return rc;
}

/* Finish login request @p lrid as the verified address of @p pwl. */
static int finish(emu *e, emu_req *r, const char *lrid, const json_t *pwl)
{
    emu_passwordless_config c;
    if (emu_passwordless_config_get(e, &c) != 0)
        return -1;
    emu_login_identity who = { .email = skit_json_string(pwl, "email"),
                               .connection_id = c.connection_id[0] ? c.connection_id : NULL,
                               .connection_type = "PASSWORDLESS" };
    return emu_login_finish(e, r, lrid, &who);
}

static int post_verify(emu *e, emu_req *r)
{
    json_t *lr, *pwl;
    int rc;
    if (!form_requests(e, r, &lr, &pwl, &rc))
        return rc;
    const char *lrid = skit_json_string(lr, "id"), *code = emu_form(r, "code");
    emu_passwordless_error err = { 0 };
    json_t *done = emu_passwordless_verify_code(e, skit_json_string(pwl, "id"), code ? code : "", &err);
    if (done)
        rc = finish(e, r, lrid, done);
    else if (err.status == 429)
        rc = emu_login_fail(e, r, lrid, "access_denied", "too many wrong passwordless codes");
    else if (err.status == 500)
        rc = -1;
    else if (err.field)
        rc = code_page(e, r, 400, lr, pwl, err.message, "We emailed");
    else
        rc = emu_login_page(e, r, 400, lrid, skit_json_string(pwl, "email"), err.message);
    json_decref(done);
    json_decref(lr);
    json_decref(pwl);
    return rc;
}

static int post_resend(emu *e, emu_req *r)
{
    json_t *lr, *pwl;
    int rc;
    if (!form_requests(e, r, &lr, &pwl, &rc))
        return rc;
    emu_passwordless_error err = { 0 };
    json_t *again = emu_passwordless_resend(e, skit_json_string(pwl, "id"), &err);
    rc = again ? code_page(e, r, 200, lr, again, NULL, "We emailed again")
         : err.status == 500 ? -1 : emu_login_page(e, r, err.status, skit_json_string(lr, "id"),
                                                   skit_json_string(pwl, "email"), err.message);
    json_decref(again);
    json_decref(lr);
    json_decref(pwl);
    return rc;
}

/* Opening the link of a hosted-page request finishes that login. */
static int link_login(emu *e, emu_req *r, const json_t *pwl, const char *token)
{
    emu_passwordless_error err = { 0 };
    const char *lrid = skit_json_string(pwl, "login_request_id");
    json_t *done = emu_passwordless_verify_link(e, token, skit_json_string(pwl, "id"), &err);
    int rc = done ? finish(e, r, lrid, done)
             : err.status == 500 ? -1 : emu_reply_error_page(r, "Link not valid", "%s", err.message);
    json_decref(done);
    return rc;
}

static int link_landing(emu *e, emu_req *r)
{
    const char *token = emu_query(r, "link_token");
    json_t *row = token && *token ? emu_passwordless_by_link(e, token) : NULL;
    const char *uri = skit_json_string(row, "magiclink_auth_uri");
    int rc;
    if (!row || strcmp(skit_json_string(row, "status"), "PENDING") != 0 ||
        json_integer_value(json_object_get(row, "expires_at")) <= skit_now()) {
        rc = emu_reply_error_page(r, "Link not valid",
                                  "This sign-in link is not valid: it was used, expired or replaced by a newer one.");
    } else if (skit_json_string(row, "login_request_id")) {
        rc = link_login(e, r, row, token);
    } else if (uri) {
        skit_buf to = SKIT_BUF_INIT;
        skit_buf_printf(&to, "%s%slink_token=", uri, strchr(uri, '?') ? "&" : "?");
        skit_url_encode(&to, token);
        rc = to.ptr ? emu_reply_redirect(r, to.ptr) : -1;
        skit_buf_free(&to);
    } else {
        rc = emu_reply_error_page(r, "Link not valid", "This sign-in link leads nowhere: its request has no "
                                                       "magiclink_auth_uri.");
    }
    json_decref(row);
    return rc;
}

const emu_route emu_passwordless_page_routes[] = {
    {"GET", "/passwordless/link", link_landing, ""},
    {"POST", "/passwordless/login", post_login, ""},
    {"POST", "/passwordless/verify", post_verify, ""},
    {"POST", "/passwordless/resend", post_resend, ""},
    {NULL, NULL, NULL, NULL}
};
