/*
 * GET /admin lists the members of the user's organization through the API.
 * The check is the permission in the user's own access token (validated at
 * sign-in and at each refresh), not anything the browser sends; the listing
 * itself uses the app's client credentials, so it must never run unchecked.
 */
#include "app.h"

#include <stdlib.h>
#include <string.h>

/* One member: name (or email), email, and the roles held in this organization. */
static void member_item(FILE *f, const scalekit_user *u, const char *organization_id)
{
    const char *name = u->user_profile && u->user_profile->name && *u->user_profile->name ? u->user_profile->name
                                                                                           : NULL;
    fputs("<li><strong>", f);
    html(f, name ? name : u->email);
    fputs("</strong><br><span class=\"muted\">", f);
    html(f, u->email);
    fputs("</span>\n<ul class=\"tags\" aria-label=\"Roles\">", f);
    for (size_t i = 0; i < u->membership_count; i++) {
        const scalekit_user_membership *m = u->memberships[i];
        if (!m->organization_id || strcmp(m->organization_id, organization_id) != 0)
            continue;
        for (size_t j = 0; j < m->role_count; j++) {
            fputs("<li>", f);
            html(f, m->roles[j]->name);
            fputs("</li>", f);
        }
    }
    fputs("</ul></li>\n", f);
}

void handle_admin(webapp *app, const app_request *req, app_response *res)
{
    session_info info;
    session_data *user = app_require_user(app, req, res, &info);
    if (!user)
        return;
    const char *need = app->config.admin_permission;
    if (!user->organization_id || !app_has(user->permissions, need)) {
        char why[300];
        snprintf(why, sizeof why, "Listing the members needs the permission \"%s\", which your roles do not "
                                  "grant. Ask an administrator of your organization for a role with it.", need);
        page_message(res, 403, "Not allowed", why, "/account", "Your account", user);
        sessions_release(app->sessions, user);
        return;
    }
    scalekit_user_list_options o = SCALEKIT_USER_LIST_OPTIONS_INIT;
    o.page_size = 100;
    scalekit_user_page *page = NULL;
    int rc = scalekit_user_list_organization_users(app->client, user->organization_id, &o, &page);
    if (rc != SCALEKIT_OK) {
        page_message(res, 502, "Members unavailable", "Scalekit could not list the members right now. Try again.",
                     "/admin", "Try again", user);
        sessions_release(app->sessions, user);
        return;
    }
    FILE *f = page_begin(res, 200, "Members", user);
    if (f) {
        /* A list rather than a table: it reads on a phone, and to a screen reader. */
        /* The organization's name for the heading; its id when it cannot be read. */
        scalekit_organization *org = NULL;
        scalekit_organization_get(app->client, user->organization_id, &org);
        fprintf(f, "<section>\n<h2 id=\"members-heading\">%lld member%s of ", (long long)page->total_size,
                page->total_size == 1 ? "" : "s");
        html(f, org && org->display_name ? org->display_name : user->organization_id);
        scalekit_organization_free(org);
        fputs("</h2>\n<ul id=\"members\" class=\"items\" aria-labelledby=\"members-heading\">\n", f);
        for (size_t i = 0; i < page->count; i++)
            member_item(f, page->items[i], user->organization_id);
        fputs("</ul>\n", f);
        if (page->next_page_token && *page->next_page_token)
            fputs("<p class=\"muted\">The first 100 are shown.</p>\n", f);
        fputs("</section>\n", f);
    }
    page_end(f, res);
    scalekit_user_page_free(page);
    sessions_release(app->sessions, user);
}
