/*
 * Memberships: a user in an organization with roles (names until the roles
 * service lands), a status (commonsMembershipStatus) and, for an invitation,
 * who invited and when. Create, update and delete by user id or external id,
 * ResendInvite, a member's roles and permissions, and the user.organization_*
 * webhook events (OrgMembershipEventData: the organization and the user).
 */
#include "environment.h"
#include "resources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INVITE_TTL (7 * 24 * 3600)   /* seconds an invitation stays open */
#define MAX_ROLES 50
#define MAX_ROLE_NAME 100

/* ---- shapes and events ------------------------------------------------------------ */

/* commonsOrganizationMembership of a memberships row joined with its organization. */
static json_t *membership_json(const json_t *m)
{
    json_t *out = json_object(), *roles = json_array();
    json_t *names = json_loads(skit_json_string(m, "roles") ? skit_json_string(m, "roles") : "[]", 0, NULL);
    json_t *metadata = json_loads(skit_json_string(m, "metadata") ? skit_json_string(m, "metadata") : "{}", 0, NULL);
    size_t i;
    json_t *name;
    json_array_foreach(names, i, name) {
        if (json_is_string(name))
            json_array_append_new(roles, json_pack("{s:O, s:O}", "name", name, "display_name", name));
    }
    static const char *const texts[][2] = {{"organization_id", "organization_id"}, {"display_name", "display_name"},
                                           {"name", "display_name"}, {"membership_status", "membership_status"},
                                           {"inviter_email", "inviter_email"},
                                           {"provisioning_method", "provisioning_method"}};
    static const char *const times[][2] = {{"join_time", "created_at"}, {"created_at", "created_at"},
                                           {"accepted_at", "accepted_at"}, {"expires_at", "expires_at"}};
    for (size_t k = 0; out && k < sizeof texts / sizeof *texts; k++) {
        const char *v = skit_json_string(m, texts[k][1]);
        if (v)
            json_object_set_new(out, texts[k][0], json_string(v));
    }
    for (size_t k = 0; out && k < sizeof times / sizeof *times; k++) {
        json_t *v = json_object_get(m, times[k][1]);
        if (json_is_integer(v))
            json_object_set_new(out, times[k][0], emu_json_time(json_integer_value(v)));
    }
    /* An invitation left open past its expiry reads as expired. */
    json_t *expires = json_object_get(m, "expires_at");
    if (strcmp(skit_json_string(out, "membership_status") ? skit_json_string(out, "membership_status") : "",
               "PENDING_INVITE") == 0 && json_is_integer(expires) && json_integer_value(expires) <= skit_now())
        json_object_set_new(out, "membership_status", json_string("INVITE_EXPIRED"));
    json_object_set_new(out, "roles", roles);
    json_object_set_new(out, "permissions", json_array());
    json_object_set_new(out, "metadata", json_is_object(metadata) ? json_incref(metadata) : json_object());
    json_decref(names);
    json_decref(metadata);
    return out;
}

#define MEMBERSHIP_SELECT "SELECT m.*, o.display_name FROM memberships m JOIN organizations o ON o.id = m.organization_id "

json_t *emu_user_memberships(emu *e, const char *user_id)
{
    json_t *rows = emu_db_rows(e->store, MEMBERSHIP_SELECT "WHERE m.user_id = ? ORDER BY m.created_at, m.rowid",
                               "s", user_id), *out = json_array();
    size_t i;
    json_t *m;
    json_array_foreach(rows, i, m)
        json_array_append_new(out, membership_json(m));
    json_decref(rows);
    if (!rows) {
        json_decref(out);
        return NULL;
    }
    return out;
}

int emu_user_event(emu *e, const char *type, const char *organization_id, const char *user_id)
{
    json_t *user = emu_user_row(e, user_id);
    json_t *org = organization_id ? emu_resource_row(e, &emu_organization_resource, organization_id) : NULL;
    json_t *data = json_object();
    int rc = user && data ? 0 : -1;
    if (rc == 0) {
        json_object_set_new(data, "user", emu_user_json(e, user));
        if (org)
            json_object_set_new(data, "organization", emu_resource_json(&emu_organization_resource, org));
        rc = emu_event_emit_object(e, type, "OrgMembership", org ? organization_id : NULL, data);
    }
    json_decref(user);
    json_decref(org);
    json_decref(data);
    return rc;
}

int emu_organization_memberships_end(emu *e, const json_t *organization)
{
    const char *org = skit_json_string(organization, "id");
    json_t *members = emu_db_rows(e->store, "SELECT user_id FROM memberships WHERE organization_id = ? ORDER BY rowid",
                                  "s", org);
    int rc = members ? 0 : -1;
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m) {
        if (rc == 0)
            rc = emu_user_event(e, "user.organization_membership_deleted", org, skit_json_string(m, "user_id"));
    }
    json_decref(members);
    return rc;
}

/* ---- reading a membership body ----------------------------------------------------- */

void emu_membership_input_free(emu_membership_input *in)
{
    json_decref(in->roles);
    json_decref(in->metadata);
    in->roles = in->metadata = NULL;
}

/* The role names of a roles array ([{"name": ...}], [{"role_name": ...}] or names),
 * or NULL with *why and field. */
static json_t *role_names(const json_t *roles, const char *prefix, char *field, size_t len, const char **why)
{
    json_t *names = json_array();
    size_t i;
    json_t *role;
    snprintf(field, len, "%sroles", prefix);
    *why = !json_is_array(roles) ? "roles must be an array of roles"
         : json_array_size(roles) > MAX_ROLES ? "at most 50 roles" : NULL;
    json_array_foreach(roles, i, role) {
        const char *name = json_is_string(role) ? json_string_value(role)
                         : skit_json_string(role, "name") ? skit_json_string(role, "name")
                         : skit_json_string(role, "role_name");
        snprintf(field, len, "%sroles[%zu].name", prefix, i);
        if (!name || !*name || strlen(name) > MAX_ROLE_NAME) {
            *why = "each role needs a name of 1 to 100 characters";
            break;
        }
        json_array_append_new(names, json_string(name));
    }
    if (*why) {
        json_decref(names);
        return NULL;
    }
    return names;
}

bool emu_membership_input_read(emu_req *r, const json_t *body, const char *prefix, emu_membership_input *in, int *rc)
{
    *in = (emu_membership_input){0};
    char field[128];
    const char *why = NULL;
    json_t *roles = json_object_get(body, "roles"), *metadata = json_object_get(body, "metadata");
    const char *inviter = skit_json_string(body, "inviter_email");
    if (body && !json_is_object(body)) {
        snprintf(field, sizeof field, "%.*s", (int)(strlen(prefix) ? strlen(prefix) - 1 : 0), prefix);
        why = "must be an object";
    } else if (roles && !json_is_null(roles) && !(in->roles = role_names(roles, prefix, field, sizeof field, &why))) {
        /* why and field are set */
    } else if (metadata && !json_is_null(metadata)) {
        snprintf(field, sizeof field, "%smetadata", prefix);
        size_t plen = strlen(field) - strlen("metadata");
        why = !json_is_object(metadata) ? "metadata must be an object"
            : emu_check_metadata(metadata, field + plen, sizeof field - plen);
        if (!why)
            in->metadata = json_incref(metadata);
    }
    if (!why && json_object_get(body, "inviter_email") && (!inviter || !strchr(inviter, '@'))) {
        snprintf(field, sizeof field, "%sinviter_email", prefix);
        why = "inviter_email must be an email address";
    }
    in->inviter_email = inviter;
    if (why) {
        emu_membership_input_free(in);
        *rc = emu_reply_field_error(r, field, why);
        return false;
    }
    return true;
}

/* ---- writes ----------------------------------------------------------------------------- */

/* Whether ?send_invitation_email=true. */
static bool send_invitation(emu_req *r)
{
    const char *v = emu_query(r, "send_invitation_email");
    return v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

/* A new invitation token for the membership: stored hashed, mailed in clear. */
static int invite(emu *e, const char *org, const char *user_id, bool resend)
{
    char *token = emu_new_id("inv_", 24);
    char hash[65];
    int64_t now = skit_now();
    int rc = token ? 0 : -1;
    if (rc == 0) {
        emu_sha256_hex(token, hash);
        int n = resend ? emu_db_exec(e->store, "UPDATE memberships SET invite_hash = ?, expires_at = ?, resent_at = ?, "
                                               "resent_count = resent_count + 1 WHERE organization_id = ? AND user_id = ?",
                                     "siiss", hash, now + INVITE_TTL, now, org, user_id)
                       : emu_db_exec(e->store, "UPDATE memberships SET invite_hash = ?, expires_at = ? "
                                               "WHERE organization_id = ? AND user_id = ?",
                                     "siss", hash, now + INVITE_TTL, org, user_id);
        rc = n == 1 ? 0 : -1;
    }
    rc = rc == 0 ? emu_mail_invitation(e, org, user_id, token) : rc;
    rc = rc == 0 ? emu_user_event(e, "user.organization_invitation", org, user_id) : rc;
    free(token);
    return rc;
}

int emu_membership_create(emu *e, emu_req *r, const char *org, const char *user_id, const emu_membership_input *in)
{
    bool invited = send_invitation(r);
    char *roles = in->roles ? json_dumps(in->roles, JSON_COMPACT) : emu_role_default_roles(e, org);
    char *metadata = in->metadata ? json_dumps(in->metadata, JSON_COMPACT) : NULL;
    int rc = roles && emu_db_exec(e->store, "INSERT INTO memberships(organization_id, user_id, roles, membership_status, "
                                            "created_at, metadata, inviter_email, provisioning_method) "
                                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "ssssisss", org, user_id, roles,
                                  invited ? "PENDING_INVITE" : "ACTIVE", skit_now(), metadata ? metadata : "{}",
                                  in->inviter_email, invited ? "invitation" : "direct_provision") == 1 ? 0 : -1;
    free(roles);
    free(metadata);
    rc = rc == 0 ? emu_user_event(e, "user.organization_membership_created", org, user_id) : rc;
    return rc == 0 && invited ? invite(e, org, user_id, false) : rc;
}

int emu_membership_join(emu *e, const char *org, const char *user_id)
{
    json_t *m = emu_db_row(e->store, "SELECT membership_status FROM memberships WHERE organization_id = ? AND user_id = ?",
                           "ss", org, user_id);
    int rc = 0;
    if (!m) {
        char *roles = emu_role_default_roles(e, org);
        rc = roles && emu_db_exec(e->store, "INSERT INTO memberships(organization_id, user_id, roles, created_at, "
                                            "provisioning_method) VALUES (?, ?, ?, ?, 'jit_using_sso')",
                                  "sssi", org, user_id, roles, skit_now()) == 1 ? 0 : -1;
        free(roles);
        rc = rc == 0 ? emu_user_event(e, "user.organization_membership_created", org, user_id) : rc;
    } else if (strcmp(skit_json_string(m, "membership_status"), "PENDING_INVITE") == 0) {
        rc = emu_membership_accept(e, org, user_id);
    }
    json_decref(m);
    return rc;
}

int emu_membership_accept(emu *e, const char *org, const char *user_id)
{
    int n = emu_db_exec(e->store, "UPDATE memberships SET membership_status = 'ACTIVE', accepted_at = ?, "
                                  "invite_hash = NULL WHERE organization_id = ? AND user_id = ?",
                        "iss", skit_now(), org, user_id);
    return n == 1 ? emu_user_event(e, "user.organization_membership_updated", org, user_id) : -1;
}

/* ---- the routes ------------------------------------------------------------------------- */

/* The organization and the user of the path (by id, or by external id when the
 * route has {external_id}); false after a 404. *user_id is a copy (free it). */
static bool resolve(emu *e, emu_req *r, bool by_external_id, char **user_id, int *rc)
{
    *user_id = NULL;
    json_t *org = emu_resource_find(e, r, &emu_organization_resource, "organization_id", rc);
    if (!org)
        return false;
    json_decref(org);
    const char *key = emu_path_param(r, by_external_id ? "external_id" : "id");
    json_t *user = key ? emu_db_row(e->store, by_external_id ? "SELECT id FROM users WHERE external_id = ?"
                                                              : "SELECT id FROM users WHERE id = ?", "s", key) : NULL;
    if (!user) {
        *rc = by_external_id ? emu_reply_error(r, 404, "NOT_FOUND", "user with external_id %s not found", key ? key : "")
                             : emu_reply_error(r, 404, "NOT_FOUND", "user %s not found", key ? key : "");
        return false;
    }
    *user_id = strdup(skit_json_string(user, "id"));
    json_decref(user);
    return *user_id != NULL;
}

/* The membership of a create or update body: the OpenAPI file both requires a
 * "membership" member and gives the membership's own members at the top, so
 * either is taken ({"membership": {...}} first). */
static bool read_membership(emu_req *r, const json_t *body, emu_membership_input *in, int *rc)
{
    json_t *inner = json_object_get(body, "membership");
    return inner ? emu_membership_input_read(r, inner, "membership.", in, rc)
                 : emu_membership_input_read(r, body, "", in, rc);
}

/* The start of a create or update: the body read and checked, a transaction
 * opened, organization and user found. False when it has replied (or failed: rc
 * -1) and the transaction is closed; *in is freed either way by the caller. */
static bool begin_write(emu *e, emu_req *r, bool by_external_id, emu_membership_input *in, char **user_id, int *rc)
{
    json_t *body = emu_json_body(r);
    *in = (emu_membership_input){0};
    if (!body) {
        *rc = emu_reply_error(r, 400, "INVALID_ARGUMENT", "the request body must be a JSON object");
        return false;
    }
    if (!read_membership(r, body, in, rc))
        return false;
    if (emu_tx_begin(e->store) != 0) {
        *rc = -1;
        return false;
    }
    if (resolve(e, r, by_external_id, user_id, rc))
        return true;
    emu_tx_rollback(e->store);
    return false;
}

static json_t *membership_row(emu *e, const char *org, const char *user_id)
{
    return emu_db_row(e->store, "SELECT * FROM memberships WHERE organization_id = ? AND user_id = ?", "ss", org, user_id);
}

static int reply_no_membership(emu_req *r, const char *org, const char *user_id)
{
    return emu_reply_error(r, 404, "NOT_FOUND", "user %s is not a member of organization %s", user_id, org);
}

/* Commit and reply {user} with @p status; rolls back when @p ok is false. */
static int finish(emu *e, emu_req *r, bool ok, unsigned status, const char *user_id)
{
    json_t *user = ok ? emu_user_row(e, user_id) : NULL;
    if (!user || emu_tx_commit(e->store) != 0) {
        if (!user)
            emu_tx_rollback(e->store);
        json_decref(user);
        return -1;
    }
    int rc = emu_resource_reply(r, &emu_user_resource, status, user);
    json_decref(user);
    return rc;
}

static int create_membership(emu *e, emu_req *r, bool by_external_id)
{
    int rc = 0;
    emu_membership_input in;
    char *user_id = NULL;
    const char *org = emu_path_param(r, "organization_id");
    if (begin_write(e, r, by_external_id, &in, &user_id, &rc)) {
        json_t *m = membership_row(e, org, user_id);
        if (m) {
            emu_tx_rollback(e->store);
            rc = emu_reply_error(r, 409, "ALREADY_EXISTS", "user %s is already a member of organization %s",
                                 user_id, org);
        } else {
            rc = finish(e, r, emu_membership_create(e, r, org, user_id, &in) == 0, 201, user_id);
        }
        json_decref(m);
    }
    emu_membership_input_free(&in);
    free(user_id);
    return rc;
}

/* Set the roles (and metadata when given) of a membership inside the caller's
 * transaction, with its updated event; 0, 1 when there is no such membership, -1. */
static int set_roles(emu *e, const char *org, const char *user_id, const json_t *roles, const json_t *metadata)
{
    json_t *m = membership_row(e, org, user_id);
    if (!m)
        return 1;
    json_decref(m);
    char *roles_text = roles ? json_dumps(roles, JSON_COMPACT) : NULL;
    char *meta_text = metadata ? json_dumps(metadata, JSON_COMPACT) : NULL;
    int n = 1;
    if (roles_text)
        n = emu_db_exec(e->store, "UPDATE memberships SET roles = ? WHERE organization_id = ? AND user_id = ?",
                        "sss", roles_text, org, user_id);
    if (n == 1 && meta_text)
        n = emu_db_exec(e->store, "UPDATE memberships SET metadata = ? WHERE organization_id = ? AND user_id = ?",
                        "sss", meta_text, org, user_id);
    free(roles_text);
    free(meta_text);
    return n == 1 ? emu_user_event(e, "user.organization_membership_updated", org, user_id) : -1;
}

static int update_membership(emu *e, emu_req *r, bool by_external_id)
{
    int rc = 0;
    emu_membership_input in;
    char *user_id = NULL;
    const char *org = emu_path_param(r, "organization_id");
    if (begin_write(e, r, by_external_id, &in, &user_id, &rc)) {
        int n = set_roles(e, org, user_id, in.roles, in.metadata);
        if (n == 1) {
            emu_tx_rollback(e->store);
            rc = reply_no_membership(r, org, user_id);
        } else {
            rc = finish(e, r, n == 0, 200, user_id);
        }
    }
    emu_membership_input_free(&in);
    free(user_id);
    return rc;
}

/*
 * DeleteMembership. The reference's cascade flag (?cascade=true): when this was
 * the user's last membership, the user goes too (with their sessions): the
 * reference says only that it removes associated resources, and this is the
 * emulator's reading; without it the user stays, in no organization. The user's sessions go on; their next tokens lack the organization.
 */
static int delete_membership(emu *e, emu_req *r, bool by_external_id)
{
    int rc = 0;
    char *user_id = NULL;
    const char *org = emu_path_param(r, "organization_id");
    const char *cascade = emu_query(r, "cascade");
    if (emu_tx_begin(e->store) != 0)
        return -1;
    if (!resolve(e, r, by_external_id, &user_id, &rc)) {
        emu_tx_rollback(e->store);
        return rc;
    }
    json_t *m = membership_row(e, org, user_id), *left = NULL;
    bool ok = m && emu_user_event(e, "user.organization_membership_deleted", org, user_id) == 0 &&
              emu_db_exec(e->store, "DELETE FROM memberships WHERE organization_id = ? AND user_id = ?", "ss",
                          org, user_id) == 1;
    if (ok && cascade && strcmp(cascade, "true") == 0) {
        left = emu_db_row(e->store, "SELECT COUNT(*) AS n FROM memberships WHERE user_id = ?", "s", user_id);
        ok = left && (json_integer_value(json_object_get(left, "n")) > 0 || emu_user_delete(e, user_id) == 0);
    }
    if (!m) {
        emu_tx_rollback(e->store);
        rc = reply_no_membership(r, org, user_id);
    } else if (!ok) {
        emu_tx_rollback(e->store);
        rc = -1;
    } else {
        rc = emu_tx_commit(e->store) == 0 ? emu_reply_json(r, 200, json_object()) : -1;
    }
    json_decref(m);
    json_decref(left);
    free(user_id);
    return rc;
}

static int create_by_id(emu *e, emu_req *r) { return create_membership(e, r, false); }
static int create_by_external_id(emu *e, emu_req *r) { return create_membership(e, r, true); }
static int update_by_id(emu *e, emu_req *r) { return update_membership(e, r, false); }
static int update_by_external_id(emu *e, emu_req *r) { return update_membership(e, r, true); }
static int delete_by_id(emu *e, emu_req *r) { return delete_membership(e, r, false); }
static int delete_by_external_id(emu *e, emu_req *r) { return delete_membership(e, r, true); }

/* ResendInvite: only a pending (or expired) invitation; answers usersInvite. */
static int resend_invite(emu *e, emu_req *r)
{
    int rc = 0;
    char *user_id = NULL;
    const char *org = emu_path_param(r, "organization_id");
    if (emu_tx_begin(e->store) != 0)
        return -1;
    if (!resolve(e, r, false, &user_id, &rc)) {
        emu_tx_rollback(e->store);
        return rc;
    }
    json_t *m = membership_row(e, org, user_id), *after = NULL;
    const char *status = m ? skit_json_string(m, "membership_status") : NULL;
    if (!m) {
        emu_tx_rollback(e->store);
        rc = reply_no_membership(r, org, user_id);
    } else if (strcmp(status, "PENDING_INVITE") != 0 && strcmp(status, "INVITE_EXPIRED") != 0) {
        emu_tx_rollback(e->store);
        rc = emu_reply_error(r, 400, "FAILED_PRECONDITION", "user %s has no pending invitation to organization %s "
                             "(membership_status %s)", user_id, org, status);
    } else if (emu_db_exec(e->store, "UPDATE memberships SET membership_status = 'PENDING_INVITE' "
                                     "WHERE organization_id = ? AND user_id = ?", "ss", org, user_id) != 1 ||
               invite(e, org, user_id, true) != 0 || !(after = membership_row(e, org, user_id)) ||
               emu_tx_commit(e->store) != 0) {
        if (!after)
            emu_tx_rollback(e->store);
        rc = -1;
    } else {
        json_t *inv = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:I}", "organization_id", org, "user_id", user_id,
                                "status", "pending",
                                "created_at", emu_json_time(json_integer_value(json_object_get(after, "created_at"))),
                                "expires_at", emu_json_time(json_integer_value(json_object_get(after, "expires_at"))),
                                "resent_at", emu_json_time(json_integer_value(json_object_get(after, "resent_at"))),
                                "resent_count", json_integer_value(json_object_get(after, "resent_count")));
        if (inv && skit_json_string(after, "inviter_email"))
            json_object_set_new(inv, "inviter_email", json_string(skit_json_string(after, "inviter_email")));
        rc = inv ? emu_reply_json(r, 200, json_pack("{s:o}", "invite", inv)) : -1;
    }
    json_decref(m);
    json_decref(after);
    free(user_id);
    return rc;
}

/* ---- a member's roles and permissions (EXTRAS.md) ---------------------------------------- */

/* The membership of the path's organization and {user_id}, or NULL after a 404. */
static json_t *member_or_404(emu *e, emu_req *r, int *rc)
{
    json_t *org = emu_resource_find(e, r, &emu_organization_resource, "organization_id", rc);
    const char *user_id = emu_path_param(r, "user_id");
    json_t *m = org && user_id ? membership_row(e, emu_path_param(r, "organization_id"), user_id) : NULL;
    if (org && !m)
        *rc = reply_no_membership(r, emu_path_param(r, "organization_id"), user_id ? user_id : "");
    json_decref(org);
    return m;
}

static int list_roles(emu *e, emu_req *r)
{
    int rc = 0;
    json_t *m = member_or_404(e, r, &rc);
    if (!m)
        return rc;
    json_t *shaped = membership_json(m);
    rc = shaped ? emu_reply_json(r, 200, json_pack("{s:O}", "roles", json_object_get(shaped, "roles"))) : -1;
    json_decref(shaped);
    json_decref(m);
    return rc;
}

static int list_permissions(emu *e, emu_req *r)
{
    int rc = 0;
    json_t *m = member_or_404(e, r, &rc);
    if (!m)
        return rc;
    /* The effective permissions of the member's roles (role_access.c), as usersPermission. */
    json_t *names = json_loads(skit_json_string(m, "roles") ? skit_json_string(m, "roles") : "[]", 0, NULL);
    json_t *rows = emu_roles_permission_rows(e, emu_path_param(r, "organization_id"), names), *items = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(rows, i, p)
        /* usersPermission: a description is a string or absent, never null. */
        json_array_append_new(items, json_pack("{s:s?, s:s?, s:s*}", "id", skit_json_string(p, "id"), "name",
                                               skit_json_string(p, "name"), "description",
                                               skit_json_string(p, "description")));
    rc = rows && items ? emu_reply_json(r, 200, json_pack("{s:O}", "permissions", items)) : -1;
    json_decref(items);
    json_decref(rows);
    json_decref(names);
    json_decref(m);
    return rc;
}

/* Whether a name of @p names is no role of @p org nor of the environment: then a
 * 400 naming roles[i].name was sent, as for an unknown permission given to a role. */
static bool unknown_role(emu *e, emu_req *r, const char *org, const json_t *names, int *rc)
{
    size_t i;
    json_t *name;
    json_array_foreach(names, i, name) {
        json_t *role = emu_role_lookup(e, org, json_string_value(name));
        json_decref(role);
        if (!role) {
            char field[64], why[160];
            snprintf(field, sizeof field, "roles[%zu].name", i);
            snprintf(why, sizeof why, "role %.100s not found", json_string_value(name));
            *rc = emu_reply_field_error(r, field, why);
            return true;
        }
    }
    return false;
}

/* POST the roles, as the body itself ([{"role_name": ...}], the gateway's body of
 * the repeated field) or as {"roles": [...]}: adds roles the member lacks;
 * answers the member's roles. */
static int assign_roles(emu *e, emu_req *r)
{
    int rc = 0;
    char field[64];
    const char *why = NULL;
    json_t *body = json_loads(r->body, 0, NULL);
    json_t *names = json_is_array(body) || json_is_object(body)
        ? role_names(json_is_array(body) ? body : json_object_get(body, "roles"), "", field, sizeof field, &why)
        : NULL;
    json_decref(body);
    if (!names)
        return why ? emu_reply_field_error(r, field, why)
                   : emu_reply_error(r, 400, "INVALID_ARGUMENT", "the request body must be a JSON array of roles");
    if (emu_tx_begin(e->store) != 0) {
        json_decref(names);
        return -1;
    }
    json_t *m = member_or_404(e, r, &rc);
    if (m && unknown_role(e, r, emu_path_param(r, "organization_id"), names, &rc)) {
        json_decref(m);
        m = NULL;
    }
    json_t *roles = m ? json_loads(skit_json_string(m, "roles"), 0, NULL) : NULL;
    size_t i, j;
    json_t *name, *have;
    json_array_foreach(names, i, name) {
        bool found = false;
        json_array_foreach(roles, j, have)
            found = found || json_equal(have, name);
        if (!found)
            json_array_append(roles, name);
    }
    if (!m) {
        emu_tx_rollback(e->store);
    } else if (!json_is_array(roles) || set_roles(e, emu_path_param(r, "organization_id"),
                                                  emu_path_param(r, "user_id"), roles, NULL) != 0) {
        emu_tx_rollback(e->store);
        rc = -1;
    } else {
        rc = emu_tx_commit(e->store) == 0 ? list_roles(e, r) : -1;
    }
    json_decref(m);
    json_decref(roles);
    json_decref(names);
    return rc;
}

static int remove_role(emu *e, emu_req *r)
{
    int rc = 0;
    const char *role = emu_path_param(r, "role_name");
    if (emu_tx_begin(e->store) != 0)
        return -1;
    json_t *m = member_or_404(e, r, &rc);
    json_t *roles = m ? json_loads(skit_json_string(m, "roles"), 0, NULL) : NULL;
    size_t i;
    json_t *have;
    bool found = false;
    json_array_foreach(roles, i, have) {
        if (!found && json_is_string(have) && strcmp(json_string_value(have), role) == 0) {
            json_array_remove(roles, i);
            found = true;
        }
    }
    if (!m || !found) {
        emu_tx_rollback(e->store);
        rc = m ? emu_reply_error(r, 404, "NOT_FOUND", "member %s has no role %s", emu_path_param(r, "user_id"), role)
               : rc;
    } else if (set_roles(e, emu_path_param(r, "organization_id"), emu_path_param(r, "user_id"), roles, NULL) != 0) {
        emu_tx_rollback(e->store);
        rc = -1;
    } else {
        rc = emu_tx_commit(e->store) == 0 ? emu_reply_json(r, 200, json_object()) : -1;
    }
    json_decref(m);
    json_decref(roles);
    return rc;
}

const emu_route emu_membership_routes[] = {
    {"POST", "/api/v1/memberships/organizations/{organization_id}/users/{id}", create_by_id, "organization_id id"},
    {"PATCH", "/api/v1/memberships/organizations/{organization_id}/users/{id}", update_by_id, "organization_id id"},
    {"DELETE", "/api/v1/memberships/organizations/{organization_id}/users/{id}", delete_by_id, "organization_id id"},
    {"POST", "/api/v1/memberships/organizations/{organization_id}/users:external/{external_id}", create_by_external_id, "organization_id external_id"},
    {"PATCH", "/api/v1/memberships/organizations/{organization_id}/users:external/{external_id}", update_by_external_id, "organization_id external_id"},
    {"DELETE", "/api/v1/memberships/organizations/{organization_id}/users:external/{external_id}", delete_by_external_id, "organization_id external_id"},
    {"PATCH", "/api/v1/invites/organizations/{organization_id}/users/{id}/resend", resend_invite, "organization_id id"},
    {"GET", "/api/v1/organizations/{organization_id}/users/{user_id}/roles", list_roles, "organization_id user_id"},
    {"POST", "/api/v1/organizations/{organization_id}/users/{user_id}/roles", assign_roles, "organization_id user_id"},
    {"DELETE", "/api/v1/organizations/{organization_id}/users/{user_id}/roles/{role_name}", remove_role, "organization_id user_id role_name"},
    {"GET", "/api/v1/organizations/{organization_id}/users/{user_id}/permissions", list_permissions, "organization_id user_id"},
    {NULL, NULL, NULL, NULL}
};
