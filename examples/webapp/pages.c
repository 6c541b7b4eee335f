/*
 * The HTML: one layout with a small inline stylesheet (no script, no remote
 * content, so the Content-Security-Policy in server.c can forbid both), and the
 * pages that only show what the session holds: home, account, signed out.
 * Every value from outside goes through html(), which escapes it.
 */
#include "app.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char style[] =
    ":root{color-scheme:light dark;--fg:#1b1f24;--bg:#f6f7f9;--card:#fff;--muted:#57606a;--accent:#0b57d0;"
    "--line:#d0d7de;--bad:#b3261e}"
    "@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--card:#161b22;--muted:#9da7b3;"
    "--accent:#7cacf8;--line:#30363d;--bad:#f2b8b5}}"
    "*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg)}"
    "header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;"
    "padding:.75rem 1rem;background:var(--card);border-bottom:1px solid var(--line)}"
    "header a.brand{font-weight:700;text-decoration:none;color:var(--fg)}"
    "nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0}"
    "main{max-width:40rem;margin:1.5rem auto;padding:0 1rem}"
    "section{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:1rem 1.25rem;"
    "margin-bottom:1rem}h1{font-size:1.5rem;margin:.25rem 0 1rem}h2{font-size:1.1rem;margin:0 0 .5rem}"
    "a{color:var(--accent)}a:focus-visible,button:focus-visible{outline:3px solid var(--accent);outline-offset:2px}"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}dt{color:var(--muted)}"
    "dd{margin:0;overflow-wrap:anywhere}ul.tags{display:flex;flex-wrap:wrap;gap:.25rem;list-style:none;"
    "margin:0;padding:0}ul.tags li{border:1px solid var(--line);border-radius:1rem;padding:0 .6rem}"
    
    ".button,button{display:inline-block;font:inherit;padding:.5rem 1rem;border-radius:.4rem;border:0;"
    "background:var(--accent);color:var(--card);text-decoration:none;cursor:pointer}"
    ".items{list-style:none;margin:0;padding:0}.items>li{padding:.5rem 0;border-bottom:1px solid var(--line);"
    "overflow-wrap:anywhere}.items>li:last-child{border-bottom:0}.items .tags{margin-top:.25rem}"
    "form.inline{display:inline;margin:0}.muted{color:var(--muted)}[role=alert]{color:var(--bad);font-weight:600}"
    "@media (max-width:30rem){dl{grid-template-columns:1fr}dd{margin-bottom:.5rem}}";

void html(FILE *f, const char *text)
{
    for (const char *p = text ? text : ""; *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*p, f);
        }
    }
}

void html_time(FILE *f, int64_t t)
{
    char text[64];
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &tm);
    char iso[32];
    strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(f, "<time datetime=\"%s\">%s</time>", iso, text);
}

/* What to call the user: the ID token's name, else the email. */
static const char *display_name(const session_data *u)
{
    return u->name && *u->name ? u->name : u->email;
}

FILE *page_begin(app_response *res, unsigned status, const char *title, const session_data *user)
{
    free(res->body);
    res->body = NULL;
    res->status = status;
    FILE *f = open_memstream(&res->body, &res->body_len);
    if (!f)
        return NULL;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", f);
    html(f, title);
    fprintf(f, " · Example app</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n"
               "<a class=\"brand\" href=\"/\">Example app</a>\n<nav aria-label=\"Main\"><ul>\n", style);
    if (user) {
        fputs("<li><a href=\"/account\">Account</a></li>\n<li><a href=\"/admin\">Members</a></li>\n"
              "<li><a href=\"/events\">Events</a></li>\n<li><form class=\"inline\" method=\"post\" "
              "action=\"/logout\"><button type=\"submit\">Sign out</button></form></li>\n", f);
    } else {
        fputs("<li><a class=\"button\" href=\"/login\">Sign in</a></li>\n", f);
    }
    fputs("</ul></nav>\n</header>\n<main>\n<h1>", f);
    html(f, title);
    fputs("</h1>\n", f);
    return f;
}

void page_end(FILE *f, app_response *res)
{
    if (!f)
        return;
    fputs("</main>\n</body>\n</html>\n", f);
    if (ferror(f) | fclose(f)) {
        free(res->body);
        res->body = NULL;   /* server.c answers 500 */
    }
}

void page_message(app_response *res, unsigned status, const char *title, const char *message, const char *href,
                  const char *link_text, const session_data *user)
{
    FILE *f = page_begin(res, status, title, user);
    if (!f)
        return;
    /* Errors are announced to screen readers as alerts. */
    fprintf(f, "<section>\n<p%s>", status >= 400 ? " role=\"alert\"" : "");
    html(f, message);
    fputs("</p>\n", f);
    if (href) {
        fputs("<p><a class=\"button\" href=\"", f);
        html(f, href);
        fputs("\">", f);
        html(f, link_text);
        fputs("</a></p>\n", f);
    }
    fputs("</section>\n", f);
    page_end(f, res);
}

static void tags(FILE *f, char *const *list, const char *none)
{
    if (!list || !list[0]) {
        fputs("<span class=\"muted\">", f);
        html(f, none);
        fputs("</span>", f);
        return;
    }
    fputs("<ul class=\"tags\">", f);
    for (size_t i = 0; list[i]; i++) {
        fputs("<li>", f);
        html(f, list[i]);
        fputs("</li>", f);
    }
    fputs("</ul>", f);
}

void handle_home(webapp *app, const app_request *req, app_response *res)
{
    session_info info;
    session_data *user = app_current_user(app, req, &info, NULL);
    FILE *f = page_begin(res, 200, "Welcome", user);
    if (f && user) {
        fputs("<section>\n<p>You are signed in as <strong>", f);
        html(f, display_name(user));
        fputs("</strong>.</p>\n<p><a class=\"button\" href=\"/account\">Your account</a></p>\n</section>\n", f);
    } else if (f) {
        fputs("<section>\n<p>This example signs you in with Scalekit, keeps your session on the server, "
              "and shows what your organization lets you do.</p>\n"
              "<p><a class=\"button\" href=\"/login\">Sign in</a></p>\n</section>\n", f);
    }
    page_end(f, res);
    sessions_release(app->sessions, user);
}

void handle_account(webapp *app, const app_request *req, app_response *res)
{
    session_info info;
    session_data *user = app_require_user(app, req, res, &info);
    if (!user)
        return;
    FILE *f = page_begin(res, 200, "Your account", user);
    if (f) {
        fputs("<section aria-labelledby=\"who\">\n<h2 id=\"who\">Who you are</h2>\n<dl>\n"
              "<dt>Name</dt><dd id=\"name\">", f);
        html(f, display_name(user));
        fputs("</dd>\n<dt>Email</dt><dd id=\"email\">", f);
        html(f, user->email);
        fputs("</dd>\n<dt>User id</dt><dd><code>", f);
        html(f, user->user_id);
        fputs("</code></dd>\n<dt>Organization</dt><dd id=\"organization\">", f);
        if (user->organization_id) {
            fputs("<code>", f);
            html(f, user->organization_id);
            fputs("</code>", f);
        } else {
            fputs("<span class=\"muted\">none</span>", f);
        }
        fputs("</dd>\n</dl>\n</section>\n<section aria-labelledby=\"access\">\n<h2 id=\"access\">What you may do</h2>\n"
              "<dl>\n<dt>Roles</dt><dd id=\"roles\">", f);
        tags(f, user->roles, "no roles");
        fputs("</dd>\n<dt>Permissions</dt><dd id=\"permissions\">", f);
        tags(f, user->permissions, "no permissions");
        fputs("</dd>\n</dl>\n</section>\n<section aria-labelledby=\"session\">\n<h2 id=\"session\">Your session</h2>\n"
              "<dl>\n<dt>Signed in</dt><dd>", f);
        html_time(f, info.created_at);
        fputs("</dd>\n<dt>Session ends</dt><dd id=\"session-expiry\">", f);
        html_time(f, info.expires_at);
        fputs("</dd>\n<dt>Access renews</dt><dd>", f);
        html_time(f, user->access_expires_at - app->config.refresh_margin_seconds);
        fputs(" <span class=\"muted\">(automatically, with the refresh token)</span></dd>\n</dl>\n</section>\n", f);
    }
    page_end(f, res);
    sessions_release(app->sessions, user);
}

void handle_signed_out(webapp *app, const app_request *req, app_response *res)
{
    page_message(res, 200, "Signed out", "You are signed out, here and at Scalekit.", "/login", "Sign in again",
                 NULL);
}
