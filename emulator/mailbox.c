/*
 * The emulator's mailbox: the emails a Scalekit environment would send
 * (kind "invitation"; "passwordless_otp", "passwordless_link" and
 * "passwordless_link_otp" from passwordless.c), kept for tests and people: GET /_emulator/mailbox (JSON, newest
 * first) and /_emulator/mailbox/view (a plain HTML page). An invitation's link,
 * /invitations/{token}, opens a hosted page whose button signs the invitee in
 * (a new session) and activates the membership. /_emulator/invitations/{token}:expire
 * lets a test see an invitation expire.
 */
#include "environment.h"
#include "resources.h"

#include <stdlib.h>
#include <string.h>

int emu_mail_put(emu *e, const char *kind, const char *to, const char *subject, const char *body,
                 const char *link, const char *org, const char *user_id)
{
    char *id = emu_new_id("msg_", 8);
    int rc = id && kind && to && subject && body &&
             emu_db_exec(e->store, "INSERT INTO mailbox(id, kind, to_email, subject, body, link, organization_id, "
                                   "user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", "ssssssssi",
                         id, kind, to, subject, body, link, org, user_id, skit_now()) == 1 ? 0 : -1;
    free(id);
    return rc;
}

int emu_mail_invitation(emu *e, const char *org, const char *user_id, const char *token)
{
    json_t *o = emu_resource_row(e, &emu_organization_resource, org), *u = emu_user_row(e, user_id);
    skit_buf subject = SKIT_BUF_INIT, body = SKIT_BUF_INIT, link = SKIT_BUF_INIT;
    const char *name = skit_json_string(o, "display_name"), *email = skit_json_string(u, "email");
    skit_buf_printf(&subject, "You are invited to join %s", name ? name : org);
    skit_buf_printf(&link, "%s/invitations/%s", e->url, token);
    skit_buf_printf(&body, "You have been invited to join %s. Open this link to accept: %s", name ? name : org,
                    link.ptr ? link.ptr : "");
    int rc = o && u && link.ptr ? emu_mail_put(e, "invitation", email, subject.ptr, body.ptr, link.ptr, org, user_id)
                                : -1;
    skit_buf_free(&subject);
    skit_buf_free(&body);
    skit_buf_free(&link);
    json_decref(o);
    json_decref(u);
    return rc;
}

static json_t *messages(emu *e)
{
    return emu_db_rows(e->store, "SELECT id, kind, to_email AS \"to\", subject, body, link, organization_id, "
                                 "user_id, created_at FROM mailbox ORDER BY rowid DESC", "");
}

static int get_mailbox(emu *e, emu_req *r)
{
    json_t *rows = messages(e);
    size_t i;
    json_t *m;
    json_array_foreach(rows, i, m)
        json_object_set_new(m, "created_at", emu_json_time(json_integer_value(json_object_get(m, "created_at"))));
    return rows ? emu_reply_json(r, 200, json_pack("{s:o}", "messages", rows)) : -1;
}

/* A page of the emulator's (emu_reply_page: readable at phone width, its one stylesheet). */
static int reply_page(emu_req *r, unsigned status, const char *title, const char *inner)
{
    skit_buf b = SKIT_BUF_INIT;
    int rc = skit_buf_puts(&b, inner) == SCALEKIT_OK ? emu_reply_page(r, status, title, &b, NULL) : -1;
    skit_buf_free(&b);
    return rc;
}

static int view_mailbox(emu *e, emu_req *r)
{
    json_t *rows = messages(e);
    skit_buf in = SKIT_BUF_INIT;
    size_t i;
    json_t *m;
    if (json_array_size(rows) == 0)
        skit_buf_puts(&in, "<p>No messages yet.</p>\n");
    json_array_foreach(rows, i, m) {
        skit_buf_puts(&in, "<article>\n<h2>");
        emu_html_escape(&in, skit_json_string(m, "subject"));
        skit_buf_puts(&in, "</h2>\n<p>To: ");
        emu_html_escape(&in, skit_json_string(m, "to"));
        skit_buf_puts(&in, "</p>\n<p>");
        emu_html_escape(&in, skit_json_string(m, "body"));
        skit_buf_puts(&in, "</p>\n");
        if (skit_json_string(m, "link")) {
            skit_buf_puts(&in, "<p><a href=\"");
            emu_html_escape(&in, skit_json_string(m, "link"));
            bool invitation = strcmp(skit_json_string(m, "kind"), "invitation") == 0;
            skit_buf_puts(&in, invitation ? "\">Accept the invitation</a></p>\n" : "\">Open the link</a></p>\n");
        }
        skit_buf_puts(&in, "</article>\n");
    }
    int rc = rows && in.ptr ? reply_page(r, 200, "Emulator mailbox", in.ptr) : -1;
    skit_buf_free(&in);
    json_decref(rows);
    return rc;
}

/* The pending membership of the path's invitation token, or NULL after an error page. */
static json_t *invitation(emu *e, emu_req *r, int *rc)
{
    const char *token = emu_path_param(r, "token");
    char hash[65];
    emu_sha256_hex(token ? token : "", hash);
    json_t *m = emu_db_row(e->store, "SELECT m.organization_id, m.user_id, m.expires_at, o.display_name, u.email "
                                     "FROM memberships m JOIN organizations o ON o.id = m.organization_id "
                                     "JOIN users u ON u.id = m.user_id WHERE m.invite_hash = ? "
                                     "AND m.membership_status = 'PENDING_INVITE'", "s", hash);
    if (m && json_integer_value(json_object_get(m, "expires_at")) <= skit_now()) {
        json_decref(m);
        m = NULL;
    }
    if (!m)
        *rc = reply_page(r, 404, "Invitation not found",
                         "<p role=\"alert\">This invitation link is not valid: it was used, expired or replaced "
                         "by a newer one.</p>\n");
    return m;
}

static int open_invitation(emu *e, emu_req *r)
{
    int rc = 0;
    json_t *m = invitation(e, r, &rc);
    if (!m)
        return rc;
    skit_buf in = SKIT_BUF_INIT;
    skit_buf_puts(&in, "<p>");
    emu_html_escape(&in, skit_json_string(m, "email"));
    skit_buf_puts(&in, " is invited to join ");
    emu_html_escape(&in, skit_json_string(m, "display_name"));
    skit_buf_puts(&in, ".</p>\n<form method=\"post\"><button type=\"submit\">Accept and sign in</button></form>\n");
    rc = in.ptr ? reply_page(r, 200, "Accept the invitation", in.ptr) : -1;
    skit_buf_free(&in);
    json_decref(m);
    return rc;
}

/* Accepting: the membership becomes active and the invitee is signed in (a session). */
static int accept_invitation(emu *e, emu_req *r)
{
    int rc = 0;
    if (emu_tx_begin(e->store) != 0)
        return -1;
    json_t *m = invitation(e, r, &rc);
    if (!m) {
        emu_tx_rollback(e->store);
        return rc;
    }
    const char *org = skit_json_string(m, "organization_id"), *user_id = skit_json_string(m, "user_id");
    bool ok = emu_membership_accept(e, org, user_id) == 0 &&
              emu_db_exec(e->store, "UPDATE users SET last_login_time = ?, email_verified = 1 WHERE id = ?", "is",
                          skit_now(), user_id) == 1;
    char *session = ok ? emu_session_start(e, r, user_id, org, e->client_id) : NULL;
    if (emu_tx_end(e->store, session != NULL) != 0) {
        rc = -1;
    } else {
        skit_buf in = SKIT_BUF_INIT;
        skit_buf_puts(&in, "<p role=\"status\">You joined ");
        emu_html_escape(&in, skit_json_string(m, "display_name"));
        skit_buf_puts(&in, " and are signed in as ");
        emu_html_escape(&in, skit_json_string(m, "email"));
        skit_buf_printf(&in, ".</p>\n<p>Session <code>%s</code>.</p>\n", session);
        rc = in.ptr ? reply_page(r, 200, "Invitation accepted", in.ptr) : -1;
        skit_buf_free(&in);
    }
    free(session);
    json_decref(m);
    return rc;
}

/* Test control: let invitation {token} expire now (an invitation lasts a week). */
static int expire_invitation(emu *e, emu_req *r)
{
    const char *token = emu_path_param(r, "token");
    char hash[65];
    emu_sha256_hex(token ? token : "", hash);
    int n = emu_db_exec(e->store, "UPDATE memberships SET expires_at = ? WHERE invite_hash = ?", "is",
                        skit_now() - 1, hash);
    if (n < 0)
        return -1;
    return n ? emu_reply_json(r, 200, json_object())
             : emu_reply_error(r, 404, "NOT_FOUND", "no invitation with this token");
}

const emu_route emu_mailbox_routes[] = {
    {"POST", "/_emulator/invitations/{token}:expire", expire_invitation, "token"},
    {"GET", "/_emulator/mailbox", get_mailbox, NULL},
    {"GET", "/_emulator/mailbox/view", view_mailbox, NULL},
    {"GET", "/invitations/{token}", open_invitation, "token"},
    {"POST", "/invitations/{token}", accept_invitation, "token"},
    {NULL, NULL, NULL, NULL}
};
