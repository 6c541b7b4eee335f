/*
 * The admin portal page a portal link opens (GET /portal/{link_id}; the links
 * are made by GeneratePortalLink, organization_settings.c): the organization's
 * domains, its SSO connection with a form for an OIDC connection's settings and
 * enable / disable buttons, and its directory with "create SCIM secret" (the
 * secret shown once). Plain HTML, no script, one <article> per part (the page
 * style wraps long URLs there); every form posts, carrying the opened link's
 * CSRF token.
 *
 * A link is valid for a minute (the API's expiry) to be opened; the first
 * opening starts a portal session of an hour (portal_sessions), during which
 * the page and its forms work. Unknown link: 404 page; expired: 410 page.
 * The SSO writes go through emu_connection_write / _toggle, the API's own path.
 */
#include "connection.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PORTAL_SESSION_TTL 3600   /* seconds after the first opening */

typedef struct portal {
    char link_id[80];
    char csrf[80];
    json_t *org;            /* the organization row */
    json_t *features;       /* the link's features: empty means all */
} portal;

static void portal_free(portal *p)
{
    json_decref(p->org);
    json_decref(p->features);
}

static int reply_page(emu_req *r, unsigned status, const char *title, const skit_buf *inner)
{
    /* A portal page holds a CSRF token, and may show a secret: never cached. */
    if (emu_add_header(r, "Cache-Control", "no-store") < 0)
        return -1;
    return emu_reply_page(r, status, title, inner, NULL);
}

static int reply_message(emu_req *r, unsigned status, const char *message)
{
    skit_buf inner = SKIT_BUF_INIT;
    skit_buf_puts(&inner, "<p role=\"alert\">");
    emu_html_escape(&inner, message);
    int rc = skit_buf_puts(&inner, "</p>\n") == SCALEKIT_OK ? reply_page(r, status, "Admin portal", &inner) : -1;
    skit_buf_free(&inner);
    return rc;
}

/*
 * The portal of the route's {link_id}: 0 and *p, or 1 after an error page (404
 * unknown, 410 expired, 403 a POST without the session's token). A GET of a
 * valid link that was never opened opens it.
 */
static int open_portal(emu *e, emu_req *r, bool post, portal *p, int *rc)
{
    memset(p, 0, sizeof *p);
    const char *id = emu_path_param(r, "link_id");
    json_t *link = id ? emu_db_row(e->store, "SELECT l.id, l.organization_id, l.features, l.expire_time, "
                                             "s.csrf_token, s.opened_time FROM portal_links l LEFT JOIN "
                                             "portal_sessions s ON s.link_id = l.id WHERE l.id = ?", "s", id) : NULL;
    int64_t now = skit_now();
    const char *csrf = skit_json_string(link, "csrf_token");
    int64_t opened = json_integer_value(json_object_get(link, "opened_time"));
    int result = 0;
    if (!link) {
        *rc = reply_message(r, 404, "This admin portal link is not valid. Ask the application for a new one.");
        return 1;
    }
    if (csrf ? now >= opened + PORTAL_SESSION_TTL : now >= json_integer_value(json_object_get(link, "expire_time"))) {
        *rc = reply_message(r, 410, "This admin portal link has expired. Ask the application for a new one.");
        result = 1;
    } else if (post && (!csrf || !emu_form(r, "csrf_token") || strlen(emu_form(r, "csrf_token")) != strlen(csrf) ||
                        !skit_consttime_equal(emu_form(r, "csrf_token"), csrf, strlen(csrf)))) {
        *rc = reply_message(r, 403, "This form is not from this admin portal page: open the page again.");
        result = 1;
    } else if (!csrf) {
        char *token = emu_new_id("", 24);
        result = token && emu_db_exec(e->store, "INSERT OR IGNORE INTO portal_sessions(link_id, organization_id, "
                                                "csrf_token, opened_time) VALUES (?, ?, ?, ?)", "sssi", id,
                                      skit_json_string(link, "organization_id"), token, now) >= 0 ? 0 : -1;
        free(token);
        json_t *session = result == 0 ? emu_db_row(e->store, "SELECT csrf_token FROM portal_sessions WHERE "
                                                              "link_id = ?", "s", id) : NULL;
        if (session)
            snprintf(p->csrf, sizeof p->csrf, "%s", skit_json_string(session, "csrf_token"));
        result = session ? 0 : -1;
        json_decref(session);
    } else {
        snprintf(p->csrf, sizeof p->csrf, "%s", csrf);
    }
    if (result == 0) {
        snprintf(p->link_id, sizeof p->link_id, "%s", id);
        p->org = emu_resource_row(e, &emu_organization_resource, skit_json_string(link, "organization_id"));
        const char *features = skit_json_string(link, "features");
        p->features = features ? json_loads(features, 0, NULL) : NULL;
        if (!p->org) {
            *rc = reply_message(r, 404, "This admin portal's organization no longer exists.");
            result = 1;
        }
    }
    json_decref(link);
    if (result != 0)
        portal_free(p);
    return result;
}

static bool shows(const portal *p, const char *feature)
{
    size_t i;
    json_t *f;
    if (!json_is_array(p->features) || json_array_size(p->features) == 0)
        return true;
    json_array_foreach(p->features, i, f)
        if (json_is_string(f) && strcmp(json_string_value(f), feature) == 0)
            return true;
    return false;
}

/* The organization's SSO connection: its first OIDC, SAML or custom one. New reference or NULL. */
static json_t *sso_connection(emu *e, const char *org)
{
    json_t *row = emu_db_row(e->store, "SELECT id FROM connections WHERE organization_id = ? AND type IN "
                                       "('OIDC', 'SAML', 'OAUTH') ORDER BY create_time, rowid LIMIT 1", "s", org);
    json_t *connection = row ? emu_connection_row(e, skit_json_string(row, "id")) : NULL;
    json_decref(row);
    return connection;
}

static void put_text(skit_buf *b, const char *before, const char *text, const char *after)
{
    skit_buf_puts(b, before);
    emu_html_escape(b, text ? text : "");
    skit_buf_puts(b, after);
}

/* A form posting to /portal/{link}/<action> with the CSRF token; closed by the caller. */
static void form_open(emu *e, skit_buf *b, const portal *p, const char *action)
{
    skit_buf_printf(b, "<form method=\"post\" action=\"%s/portal/", e->url);
    emu_html_escape(b, p->link_id);
    skit_buf_printf(b, "/%s\">\n<input type=\"hidden\" name=\"csrf_token\" value=\"", action);
    emu_html_escape(b, p->csrf);
    skit_buf_puts(b, "\">\n");
}

static void render_domains(emu *e, skit_buf *b, const portal *p)
{
    json_t *rows = emu_db_rows(e->store, "SELECT * FROM domains WHERE organization_id = ? ORDER BY create_time, rowid",
                               "s", skit_json_string(p->org, "id")), *row;
    skit_buf_puts(b, "<article aria-labelledby=\"domains\">\n<h2 id=\"domains\">Domains</h2>\n");
    if (json_array_size(rows) == 0)
        skit_buf_puts(b, "<p>No domains yet.</p>\n");
    else
        skit_buf_puts(b, "<ul>\n");
    size_t i;
    json_array_foreach(rows, i, row) {
        json_t *shown = emu_resource_json(&emu_domain_resource, row);
        put_text(b, "<li>", skit_json_string(shown, "domain"), " (");
        put_text(b, "", skit_json_string(shown, "domain_type"), ", ");
        put_text(b, "", skit_json_string(shown, "verification_status"), ")</li>\n");
        json_decref(shown);
    }
    if (json_array_size(rows))
        skit_buf_puts(b, "</ul>\n");
    skit_buf_puts(b, "</article>\n");
    json_decref(rows);
}

static const struct {
    const char *name, *label, *type;
} oidc_inputs[] = {
    {"issuer", "Issuer", "url"}, {"discovery_endpoint", "Discovery endpoint", "url"},
    {"authorize_uri", "Authorization endpoint", "url"}, {"token_uri", "Token endpoint", "url"},
    {"jwks_uri", "JWKS URI", "url"}, {"user_info_uri", "UserInfo endpoint", "url"},
    {"client_id", "Client ID", "text"}, {"client_secret", "Client secret", "password"},
};

/* The OIDC settings form, filled from @p entered (a refused form) or the stored @p config. */
static void render_oidc_form(emu *e, skit_buf *b, const portal *p, const json_t *config, const json_t *entered)
{
    form_open(e, b, p, "sso");
    skit_buf_puts(b, "<fieldset>\n<legend>OIDC settings</legend>\n");
    for (size_t i = 0; i < sizeof oidc_inputs / sizeof *oidc_inputs; i++) {
        bool secret = strcmp(oidc_inputs[i].type, "password") == 0;
        const char *value = secret ? NULL : skit_json_string(entered ? entered : config, oidc_inputs[i].name);
        skit_buf_printf(b, "<p><label for=\"%s\">%s</label>\n<input id=\"%s\" name=\"%s\" type=\"%s\"%s",
                        oidc_inputs[i].name, oidc_inputs[i].label, oidc_inputs[i].name, oidc_inputs[i].name,
                        oidc_inputs[i].type, secret ? " autocomplete=\"off\" aria-describedby=\"secret-help\"" : "");
        put_text(b, " value=\"", value, "\"></p>\n");
        if (secret)
            skit_buf_printf(b, "<p id=\"secret-help\" class=\"note\">%s</p>\n", skit_json_string(config, "client_secret")
                                ? "A secret is stored: leave this empty to keep it." : "Required to sign in.");
    }
    skit_buf_puts(b, "<button type=\"submit\">Save settings</button>\n</fieldset>\n</form>\n");
}

static void render_sso(emu *e, skit_buf *b, const portal *p, const json_t *entered)
{
    json_t *c = sso_connection(e, skit_json_string(p->org, "id"));
    const char *type = skit_json_string(c, "type");
    skit_buf_puts(b, "<article aria-labelledby=\"sso\">\n<h2 id=\"sso\">Single sign-on</h2>\n");
    if (!c) {
        skit_buf_puts(b, "<p>No SSO connection yet. Enter your identity provider's OIDC settings to set one up.</p>\n");
    } else {
        bool enabled = json_is_true(json_object_get(c, "enabled"));
        put_text(b, "<dl>\n<dt>Connection</dt><dd>", skit_json_string(c, "id"), "</dd>\n");
        put_text(b, "<dt>Type</dt><dd>", type, "");
        put_text(b, " (", skit_json_string(c, "provider"), ")</dd>\n");
        put_text(b, "<dt>Status</dt><dd>", skit_json_string(c, "status"), "</dd>\n");
        skit_buf_printf(b, "<dt>Enabled</dt><dd>%s</dd>\n", enabled ? "Yes" : "No");
        json_t *shown = emu_connection_config_json(e, emu_connection_kind_of(type), skit_json_string(c, "id"),
                                                   json_object_get(c, strcmp(type, "SAML") == 0 ? "saml_config"
                                                                                                : "oidc_config"));
        if (strcmp(type, "OIDC") == 0)
            put_text(b, "<dt>Redirect URI to register at your identity provider</dt><dd><code>",
                     skit_json_string(shown, "redirect_uri"), "</code></dd>\n");
        else if (strcmp(type, "SAML") == 0)
            put_text(b, "<dt>Assertion consumer service URL</dt><dd><code>",
                     skit_json_string(shown, "sp_assertion_url"), "</code></dd>\n");
        json_decref(shown);
        skit_buf_puts(b, "</dl>\n");
        form_open(e, b, p, enabled ? "sso:disable" : "sso:enable");
        skit_buf_printf(b, "<button type=\"submit\"%s>%s SSO</button>\n</form>\n",
                        enabled ? " class=\"secondary\"" : "", enabled ? "Disable" : "Enable");
    }
    if (!c || strcmp(type, "OIDC") == 0)
        render_oidc_form(e, b, p, json_object_get(c, "oidc_config"), entered);
    skit_buf_puts(b, "</article>\n");
    json_decref(c);
}

static json_t *directory_of(emu *e, const portal *p)
{
    return emu_db_row(e->store, "SELECT * FROM directories WHERE organization_id = ? ORDER BY create_time, rowid "
                                "LIMIT 1", "s", skit_json_string(p->org, "id"));
}

static void render_directory(emu *e, skit_buf *b, const portal *p, const char *secret)
{
    json_t *d = directory_of(e, p);
    skit_buf_puts(b, "<article aria-labelledby=\"directory\">\n<h2 id=\"directory\">Directory sync</h2>\n");
    if (!d) {
        skit_buf_puts(b, "<p>No directory is set up for this organization.</p>\n</article>\n");
        return;
    }
    put_text(b, "<dl>\n<dt>Directory</dt><dd>", skit_json_string(d, "name") ? skit_json_string(d, "name")
                                                                             : skit_json_string(d, "id"), "</dd>\n");
    put_text(b, "<dt>Provider</dt><dd>", skit_json_string(d, "directory_provider"), "</dd>\n");
    put_text(b, "<dt>Status</dt><dd>", skit_json_string(d, "status"), "</dd>\n");
    skit_buf_printf(b, "<dt>Enabled</dt><dd>%s</dd>\n</dl>\n",
                    json_integer_value(json_object_get(d, "enabled")) ? "Yes" : "No");
    if (secret) {
        skit_buf_puts(b, "<div role=\"status\">\n<p>Your new SCIM secret (copy it now: it is not shown again):</p>\n");
        put_text(b, "<p><code id=\"scim-secret\">", secret, "</code></p>\n</div>\n");
    }
    json_t *secrets = emu_db_rows(e->store, "SELECT secret_suffix, status FROM directory_secrets WHERE directory_id = ? "
                                            "ORDER BY create_time, rowid", "s", skit_json_string(d, "id")), *s;
    size_t i;
    if (json_array_size(secrets))
        skit_buf_puts(b, "<h3>SCIM secrets</h3>\n<ul>\n");
    json_array_foreach(secrets, i, s) {
        put_text(b, "<li>ending in <code>", skit_json_string(s, "secret_suffix"), "</code> (");
        put_text(b, "", skit_json_string(s, "status"), ")</li>\n");
    }
    if (json_array_size(secrets))
        skit_buf_puts(b, "</ul>\n");
    form_open(e, b, p, "directory/secrets");
    skit_buf_puts(b, "<button type=\"submit\">Create SCIM secret</button>\n</form>\n</article>\n");
    json_decref(secrets);
    json_decref(d);
}

/* The whole page: an optional @p alert (a refusal) or @p notice, the form values @p entered, a new @p secret. */
static int render(emu *e, emu_req *r, const portal *p, unsigned status, const char *alert, const char *notice,
                  const json_t *entered, const char *secret)
{
    skit_buf b = SKIT_BUF_INIT;
    put_text(&b, "<p>Organization: <strong>", skit_json_string(p->org, "display_name"), "</strong></p>\n");
    if (alert)
        put_text(&b, "<p role=\"alert\">", alert, "</p>\n");
    if (notice)
        put_text(&b, "<p role=\"status\">", notice, "</p>\n");
    render_domains(e, &b, p);
    if (shows(p, "sso"))
        render_sso(e, &b, p, entered);
    if (shows(p, "dir_sync"))
        render_directory(e, &b, p, secret);
    int rc = b.ptr ? reply_page(r, status, "Admin portal", &b) : -1;
    skit_buf_free(&b);
    return rc;
}

static int get_portal(emu *e, emu_req *r)
{
    portal p;
    int rc = 0, result = open_portal(e, r, false, &p, &rc);
    if (result != 0)
        return result < 0 ? -1 : rc;
    const char *done = emu_query(r, "done");
    const char *notice = !done ? NULL : strcmp(done, "saved") == 0 ? "The SSO settings are saved."
                       : strcmp(done, "enabled") == 0 ? "SSO is enabled." : strcmp(done, "disabled") == 0
                       ? "SSO is disabled." : NULL;
    rc = render(e, r, &p, 200, NULL, notice, NULL, NULL);
    portal_free(&p);
    return rc;
}

/* Back to the page after a change (POST, redirect, GET), with what was done. */
static int redirect_done(emu *e, emu_req *r, const portal *p, const char *done)
{
    skit_buf url = SKIT_BUF_INIT;
    /* the link id is a stored one ("lnk_" and hex): nothing to encode */
    int rc = skit_buf_printf(&url, "%s/portal/%s?done=%s", e->url, p->link_id, done) == SCALEKIT_OK ? emu_reply_redirect(r, url.ptr) : -1;
    skit_buf_free(&url);
    return rc;
}

static int refused(emu *e, emu_req *r, const portal *p, int result, const emu_connection_error *err,
                   const json_t *entered)
{
    if (result < 0)
        return -1;
    char alert[700];
    snprintf(alert, sizeof alert, "%s%s%s", err->field, err->field[0] ? ": " : "", err->message);
    return render(e, r, p, err->status, alert, NULL, entered, NULL);
}

static int post_sso(emu *e, emu_req *r)
{
    portal p;
    int rc = 0, result = open_portal(e, r, true, &p, &rc);
    if (result != 0)
        return result < 0 ? -1 : rc;
    json_t *entered = json_object(), *config = json_object();
    for (size_t i = 0; i < sizeof oidc_inputs / sizeof *oidc_inputs; i++) {
        const char *v = emu_form(r, oidc_inputs[i].name);
        if (v && *v) {
            json_object_set_new(config, oidc_inputs[i].name, json_string(v));
            json_object_set_new(entered, oidc_inputs[i].name, json_string(v));
        }
    }
    json_t *c = sso_connection(e, skit_json_string(p.org, "id")), *after = NULL;
    json_t *body = json_pack("{s:o}", "oidc_config", config);
    if (body && !c)
        json_object_set_new(body, "type", json_string("OIDC"));
    emu_connection_error err;
    result = body ? emu_connection_write(e, c ? NULL : skit_json_string(p.org, "id"),
                                         c ? skit_json_string(c, "id") : NULL, body, &after, &err) : -1;
    rc = result == 0 ? redirect_done(e, r, &p, "saved") : refused(e, r, &p, result, &err, entered);
    json_decref(after);
    json_decref(body);
    json_decref(c);
    json_decref(entered);
    portal_free(&p);
    return rc;
}

static int toggle_sso(emu *e, emu_req *r, bool enable)
{
    portal p;
    int rc = 0, result = open_portal(e, r, true, &p, &rc);
    if (result != 0)
        return result < 0 ? -1 : rc;
    json_t *c = sso_connection(e, skit_json_string(p.org, "id"));
    emu_connection_error err = {.status = 404, .code = "NOT_FOUND", .message = "There is no SSO connection yet."};
    result = c ? emu_connection_toggle(e, skit_json_string(c, "id"), enable, &err) : 1;
    rc = result == 0 ? redirect_done(e, r, &p, enable ? "enabled" : "disabled") : refused(e, r, &p, result, &err, NULL);
    json_decref(c);
    portal_free(&p);
    return rc;
}

static int enable_sso(emu *e, emu_req *r) { return toggle_sso(e, r, true); }
static int disable_sso(emu *e, emu_req *r) { return toggle_sso(e, r, false); }

static int post_secret(emu *e, emu_req *r)
{
    portal p;
    int rc = 0, result = open_portal(e, r, true, &p, &rc);
    if (result != 0)
        return result < 0 ? -1 : rc;
    json_t *d = directory_of(e, &p);
    char *secret = NULL;
    if (!d) {
        emu_connection_error err = {.status = 404, .code = "NOT_FOUND",
                                    .message = "There is no directory to create a secret for."};
        rc = refused(e, r, &p, 1, &err, NULL);
    } else {
        rc = emu_directory_secret_create(e, skit_json_string(d, "id"), &secret, NULL) == 0
            ? render(e, r, &p, 200, NULL, NULL, NULL, secret) : -1;
    }
    free(secret);
    json_decref(d);
    portal_free(&p);
    return rc;
}

const emu_route emu_portal_routes[] = {
    {"GET", "/portal/{link_id}", get_portal, "link_id"},
    {"POST", "/portal/{link_id}/sso", post_sso, "link_id"},
    {"POST", "/portal/{link_id}/sso:enable", enable_sso, "link_id"},
    {"POST", "/portal/{link_id}/sso:disable", disable_sso, "link_id"},
    {"POST", "/portal/{link_id}/directory/secrets", post_secret, "link_id"},
    {NULL, NULL, NULL, NULL}
};
