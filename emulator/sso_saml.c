/*
 * A SAML connection signs in on a stand-in for the identity provider: a page
 * the emulator serves at /sso/v1/saml/{connection_id}/stand-in, clearly
 * labelled, that asks for the user's email, name and groups and finishes the
 * login through the connection (groups in the ID token). No XML is exchanged.
 *
 * What a real SAML 2.0 service provider path would need instead (SAML Core,
 * Bindings, Profiles; the saml_config of the connection):
 * - an AuthnRequest (ID, IssueInstant, Destination = idp_sso_url, Issuer =
 *   sp_entity_id, AssertionConsumerServiceURL), sent by HTTP-Redirect (deflated,
 *   optionally signed) or HTTP-POST, with RelayState binding the login request;
 * - the ACS endpoint (/sso/v1/saml/{connection_id}/acs) taking the Response by
 *   the HTTP-POST binding (base64 SAMLResponse + RelayState);
 * - XML signature verification of the Response or Assertion with the IdP's
 *   certificate (idp_certificates), using exclusive XML canonicalization
 *   (xml-exc-c14n), checking that the signed element is the one consumed
 *   (against signature wrapping), refusing SHA-1 and unsigned assertions;
 *   decryption when assertions are encrypted;
 * - the checks: Issuer = idp_entity_id, Audience = sp_entity_id, Recipient and
 *   Destination = the ACS URL, InResponseTo = the AuthnRequest's ID,
 *   NotBefore / NotOnOrAfter (with a small skew), SubjectConfirmation bearer;
 * - a replay cache of assertion IDs until their NotOnOrAfter;
 * - attributes mapped by attribute_mapping (email, names, groups) as here.
 */
#include "environment.h"
#include "resources.h"
#include "sso.h"

#include <stdlib.h>
#include <string.h>

#define TITLE "Stand-in for the SAML identity provider"

static void stand_in_url(emu *e, const char *connection_id, const char *lr_id, skit_buf *out)
{
    skit_buf_puts(out, e->url);
    skit_buf_puts(out, "/sso/v1/saml/");
    skit_url_encode(out, connection_id);
    skit_buf_puts(out, "/stand-in");
    if (lr_id) {
        skit_buf_puts(out, "?login_request_id=");
        skit_url_encode(out, lr_id);
    }
}

int emu_sso_saml_start(emu *e, emu_req *r, const json_t *lr, const json_t *conn)
{
    skit_buf url = SKIT_BUF_INIT;
    stand_in_url(e, skit_json_string(conn, "id"), skit_json_string(lr, "id"), &url);
    int rc = url.ptr ? emu_reply_redirect(r, url.ptr) : -1;
    skit_buf_free(&url);
    return rc;
}

static void field(skit_buf *b, const char *id, const char *label, const char *type, const char *autocomplete,
                  const char *value, const char *hint, bool required, bool invalid)
{
    skit_buf_printf(b, "<label for=\"%s\">%s</label>\n", id, label);
    if (hint)
        skit_buf_printf(b, "<p id=\"%s-hint\">%s</p>\n", id, hint);
    skit_buf_printf(b, "<input id=\"%s\" name=\"%s\" type=\"%s\" autocomplete=\"%s\"%s", id, id, type, autocomplete,
                    required ? " required" : "");
    if (hint)
        skit_buf_printf(b, " aria-describedby=\"%s-hint%s\"", id, invalid ? " problem" : "");
    else if (invalid)
        skit_buf_puts(b, " aria-describedby=\"problem\"");
    if (invalid)
        skit_buf_puts(b, " aria-invalid=\"true\"");
    skit_buf_puts(b, " value=\"");
    emu_html_escape(b, value ? value : "");
    skit_buf_puts(b, "\">\n");
}

static int page(emu *e, emu_req *r, unsigned status, const json_t *conn, const json_t *lr, const char *problem)
{
    const char *lr_id = skit_json_string(lr, "id");
    skit_buf in = SKIT_BUF_INIT, action = SKIT_BUF_INIT;
    skit_buf_puts(&in, "<p><strong>Stand-in for the SAML identity provider — no XML is exchanged.</strong> "
                       "The Scalekit emulator does not run a SAML identity provider: say who signs in, and the "
                       "login finishes through SAML connection <code>");
    emu_html_escape(&in, skit_json_string(conn, "id"));
    skit_buf_puts(&in, "</code> of organization <code>");
    emu_html_escape(&in, skit_json_string(conn, "organization_id"));
    skit_buf_puts(&in, "</code>.</p>\n");
    if (problem) {
        skit_buf_puts(&in, "<p role=\"alert\" id=\"problem\">");
        emu_html_escape(&in, problem);
        skit_buf_puts(&in, "</p>\n");
    }
    stand_in_url(e, skit_json_string(conn, "id"), NULL, &action);
    skit_buf_puts(&in, "<form method=\"post\" action=\"");
    emu_html_escape(&in, action.ptr);
    skit_buf_puts(&in, "\">\n<input type=\"hidden\" name=\"login_request_id\" value=\"");
    emu_html_escape(&in, lr_id);
    skit_buf_puts(&in, "\">\n");
    field(&in, "email", "Email address", "email", "email", emu_form(r, "email"), NULL, true, problem != NULL);
    field(&in, "name", "Full name", "text", "name", emu_form(r, "name"), NULL, false, false);
    field(&in, "groups", "Groups", "text", "off", emu_form(r, "groups"),
          "Comma-separated, as the identity provider would assert them: engineering, admins", false, false);
    int rc = skit_buf_puts(&in, "<button type=\"submit\">Sign in</button>\n</form>\n");
    /* The form's answer redirects to the app: browsers check form-action on that redirect. */
    char origin[512];
    if (rc == SCALEKIT_OK && !emu_redirect_uri_origin(skit_json_string(lr, "redirect_uri"), origin, sizeof origin))
        rc = -1;
    rc = rc == SCALEKIT_OK ? emu_reply_page(r, status, TITLE, &in, origin) : -1;
    skit_buf_free(&in);
    skit_buf_free(&action);
    return rc;
}

/* The pending login request @p lr_id routed to @p connection_id, and its
 * (enabled) connection; NULL after replying with an error page. */
static json_t *pending(emu *e, emu_req *r, const char *connection_id, const char *lr_id, json_t **conn, int *rc)
{
    const char *why = NULL;
    json_t *lr = lr_id && *lr_id ? emu_login_request_get(e, lr_id, &why) : NULL;
    const char *routed = skit_json_string(lr, "connection_id");
    *conn = lr && routed && strcmp(routed, connection_id) == 0 ? emu_connection_row(e, connection_id) : NULL;
    if (!lr || !*conn || !emu_sso_enabled(*conn)) {
        *rc = emu_reply_error_page(r, "Sign-in error", "No sign-in through connection %.80s is pending for "
                                   "login_request_id %.80s (%s): start the sign-in again.", connection_id,
                                   lr_id ? lr_id : "(none)", !lr ? (why ? why : "missing") : "not this connection's");
        json_decref(*conn);
        *conn = NULL;
        json_decref(lr);
        return NULL;
    }
    return lr;
}

static int get_stand_in(emu *e, emu_req *r)
{
    const char *connection_id = emu_path_param(r, "connection_id");
    json_t *conn = NULL;
    int rc;
    json_t *lr = pending(e, r, connection_id, emu_query(r, "login_request_id"), &conn, &rc);
    if (!lr)
        return rc;
    rc = page(e, r, 200, conn, lr, NULL);
    json_decref(conn);
    json_decref(lr);
    return rc;
}

/* The groups typed ("a, b ,c"): a new array of the non-empty trimmed names. */
static json_t *split_groups(const char *text)
{
    json_t *out = json_array();
    const char *p = text ? text : "";
    while (out && *p) {
        size_t n = strcspn(p, ",");
        const char *start = p, *end = p + n;
        while (start < end && (*start == ' ' || *start == '\t'))
            start++;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        if (end > start)
            json_array_append_new(out, json_stringn(start, (size_t)(end - start)));
        p += n + (p[n] == ',');
    }
    return out;
}

static int post_stand_in(emu *e, emu_req *r)
{
    const char *connection_id = emu_path_param(r, "connection_id");
    json_t *conn = NULL;
    int rc;
    json_t *lr = pending(e, r, connection_id, emu_form(r, "login_request_id"), &conn, &rc);
    if (!lr)
        return rc;
    const char *lr_id = skit_json_string(lr, "id");
    const char *email = emu_form(r, "email");
    if (!emu_email_plausible(email)) {
        rc = page(e, r, 400, conn, lr, "Enter a valid email address.");
    } else {
        const char *name = emu_form(r, "name");
        json_t *extra = json_pack("{s:o}", "groups", split_groups(emu_form(r, "groups")));
        emu_login_identity who = {0};
        who.email = email;
        who.name = name && *name ? name : NULL;
        who.organization_id = skit_json_string(conn, "organization_id");
        who.connection_id = connection_id;
        who.connection_type = "SAML";
        who.connection_provider = skit_json_string(conn, "provider");
        who.provider_user_id = email;   /* the NameID an IdP would assert (emailAddress format) */
        who.extra_claims = extra;
        rc = extra ? emu_login_finish(e, r, lr_id, &who) : -1;
        json_decref(extra);
    }
    json_decref(conn);
    json_decref(lr);
    return rc;
}

const emu_route emu_sso_saml_routes[] = {
    {"GET", "/sso/v1/saml/{connection_id}/stand-in", get_stand_in, "connection_id"},
    {"POST", "/sso/v1/saml/{connection_id}/stand-in", post_stand_in, "connection_id"},
    {NULL, NULL, NULL, NULL}
};
