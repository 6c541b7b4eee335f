/*
 * The roles members get and keep: the default creator and member roles of the
 * environment (UpdateDefaultRoles) and an organization's default member role
 * (UpdateDefaultOrganizationRoles), and what deleting a role does to its
 * holders. DeleteRole: a role that members hold or roles extend is deleted only
 * with reassign_role_name, which members then hold instead and dependent roles
 * extend instead (400 FAILED_PRECONDITION without it). DeleteOrganizationRole:
 * reassignment is optional, members without one simply lose the role. A default
 * role is not deleted (set another default first).
 */
#include "role.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- deletion ------------------------------------------------------------------- */

/* Replace @p name by @p target (NULL: drop it) in the roles of every membership
 * holding it (of @p org only, for an organization role), each with its
 * user.organization_membership_updated event. 0 or -1. */
static int reassign_members(emu *e, const char *org, const char *name, const char *target)
{
    json_t *rows = org ? emu_db_rows(e->store, "SELECT * FROM memberships WHERE organization_id = ? AND "
                                               EMU_HOLDS_ROLE, "ss", org, name)
                       : emu_db_rows(e->store, "SELECT * FROM memberships WHERE " EMU_HOLDS_ROLE, "s", name);
    int rc = rows ? 0 : -1;
    size_t i;
    json_t *m;
    json_array_foreach(rows, i, m) {
        json_t *roles = json_loads(skit_json_string(m, "roles"), 0, NULL), *next = json_array();
        size_t j, k;
        json_t *role, *have;
        json_array_foreach(roles, j, role) {
            const char *s = json_string_value(role);
            s = s && strcmp(s, name) == 0 ? target : s;
            bool dup = !s;
            json_array_foreach(next, k, have)
                dup = dup || strcmp(json_string_value(have), s) == 0;
            if (!dup)
                json_array_append_new(next, json_string(s));
        }
        char *text = json_dumps(next, JSON_COMPACT);
        const char *member_org = skit_json_string(m, "organization_id"), *user = skit_json_string(m, "user_id");
        if (!text || emu_db_exec(e->store, "UPDATE memberships SET roles = ? WHERE organization_id = ? AND "
                                           "user_id = ?", "sss", text, member_org, user) != 1 ||
            emu_user_event(e, "user.organization_membership_updated", member_org, user) != 0)
            rc = -1;
        free(text);
        json_decref(roles);
        json_decref(next);
    }
    json_decref(rows);
    return rc;
}

/* Point the roles extending @p row at @p target, each with its role.updated event. 0 or -1. */
static int reassign_dependents(emu *e, const json_t *deps, const char *target)
{
    size_t i;
    json_t *d;
    json_array_foreach(deps, i, d) {
        const char *id = skit_json_string(d, "id");
        json_t *after = NULL;
        int rc = emu_db_exec(e->store, "UPDATE roles SET extends = ?, update_time = ? WHERE id = ?", "sis", target,
                             skit_now(), id) == 1 && (after = emu_resource_row(e, &emu_role_desc, id)) &&
                         emu_resource_emit(e, &emu_role_desc, EMU_EVENT_UPDATED, after, 0) == 0 ? 0 : -1;
        json_decref(after);
        if (rc != 0)
            return -1;
    }
    return 0;
}

static int role_deleted(emu *e, const json_t *row)
{
    return emu_resource_emit(e, &emu_role_desc, EMU_EVENT_DELETED, row, 0);
}

int emu_roles_each(emu *e, json_t *roles, int (*each)(emu *e, const json_t *role))
{
    int rc = roles ? 0 : -1;
    size_t i;
    json_t *row;
    json_array_foreach(roles, i, row) {
        if (rc == 0)
            rc = each(e, row);
    }
    json_decref(roles);
    return rc;
}

int emu_organization_roles_end(emu *e, const json_t *organization)
{
    return emu_roles_each(e, emu_db_rows(e->store, "SELECT * FROM roles WHERE organization_id = ? ORDER BY rowid",
                                         "s", skit_json_string(organization, "id")), role_deleted);
}

/* Why @p row may not go now (a reply was sent), or 0 when it may, to @p target. */
static int refuse_delete(emu *e, emu_req *r, const json_t *row, const json_t *target, const char *target_name,
                         const json_t *deps, int *rc)
{
    const char *org = skit_json_string(row, "organization_id"), *name = skit_json_string(row, "name");
    json_t *d = emu_db_row(e->store, "SELECT 1 FROM role_defaults WHERE default_creator = ? OR "
                                     "(default_member = ? AND (organization_id = ? OR ? IS NULL))",
                           "ssss", org ? "" : name, name, org ? org : "", org);
    json_decref(d);
    if (d) {
        *rc = emu_reply_error(r, 400, "FAILED_PRECONDITION", "role %s is a default role: set another default "
                              "role before deleting it", name);
        return 1;
    }
    if (target_name && !target) {
        char why[160];
        snprintf(why, sizeof why, "role %s, to reassign to, does not exist", target_name);
        *rc = emu_reply_field_error(r, "reassign_role_name", why);
        return 1;
    }
    /* The target must not inherit from the role going away (nor be it): that would leave a cycle. */
    json_t *chain = target ? emu_role_chain(e, target) : NULL, *link;
    size_t i;
    bool hit = false;
    json_array_foreach(chain, i, link)
        hit = hit || strcmp(skit_json_string(link, "id"), skit_json_string(row, "id")) == 0;
    json_decref(chain);
    if (hit) {
        char why[200];
        snprintf(why, sizeof why, "role %s cannot take over from %s: it is %s or extends it", target_name, name, name);
        *rc = emu_reply_field_error(r, "reassign_role_name", why);
        return 1;
    }
    int64_t holders = emu_role_users_count(e, row);
    if (!target && (json_array_size(deps) > 0 || (!org && holders > 0))) {
        *rc = emu_reply_error(r, 400, "FAILED_PRECONDITION", "role %s is held by %lld users and extended by "
                              "%zu roles: give reassign_role_name to move them to another role", name,
                              (long long)holders, json_array_size(deps));
        return 1;
    }
    return holders < 0 ? -1 : 0;
}

static int delete_role(emu *e, emu_req *r, const char *org)
{
    const char *name = emu_path_param(r, "role_name"), *target_name = emu_query(r, "reassign_role_name");
    if (!target_name || !*target_name)
        target_name = emu_query(r, "reassign_role_id");   /* the file says: a role name too */
    if (target_name && !*target_name)
        target_name = NULL;
    if (emu_tx_begin(e->store) != 0)
        return -1;
    int rc = 0;
    json_t *row = emu_role_in_scope(e, org, name);
    json_t *target = row && target_name ? emu_role_lookup(e, org, target_name) : NULL;
    json_t *deps = row ? emu_role_dependents(e, row) : NULL;
    int refused = !row ? 1 : !deps ? -1 : refuse_delete(e, r, row, target, target_name, deps, &rc);
    if (!row)
        rc = emu_role_not_found(r, name);
    if (refused == 0 &&
        (reassign_dependents(e, deps, target_name) != 0 || reassign_members(e, org, name, target_name) != 0 ||
         emu_db_exec(e->store, "DELETE FROM roles WHERE id = ?", "s", skit_json_string(row, "id")) != 1 ||
         emu_resource_emit(e, &emu_role_desc, EMU_EVENT_DELETED, row, 0) != 0))
        refused = -1;
    if (refused != 0)
        emu_tx_rollback(e->store);
    else
        rc = emu_tx_commit(e->store) == 0 ? emu_reply_json(r, 200, json_object()) : -1;
    json_decref(row);
    json_decref(target);
    json_decref(deps);
    return refused < 0 ? -1 : rc;
}

/* ---- default roles ------------------------------------------------------------------ */

/* The role named by member @p field of @p body ("default_member_role", or the
 * deprecated object "default_member" {name}), resolved from @p org. *given tells
 * whether the body names one; NULL with *given after a 400. */
static json_t *default_named(emu *e, emu_req *r, const json_t *body, const char *org, const char *field,
                             const char *old_field, bool *given, int *rc)
{
    const json_t *v = json_object_get(body, field);
    const char *name = json_string_value(v);
    if (!v)
        name = skit_json_string(json_object_get(body, old_field), "name");
    *given = v || name;
    if (!*given)
        return NULL;
    json_t *row = name && *name ? emu_role_lookup(e, org, name) : NULL;
    if (!row) {
        char why[160];
        snprintf(why, sizeof why, "%s must name an existing role%s%s", field, name ? ", not " : "", name ? name : "");
        *rc = emu_reply_field_error(r, field, why);
    }
    return row;
}

static int set_defaults_role(emu *e, emu_req *r, const char *org)
{
    json_t *body = emu_json_body(r);
    if (!body)
        return emu_reply_error(r, 400, "INVALID_ARGUMENT", "the request body must be a JSON object");
    int rc = 0;
    bool has_creator = false, has_member = false;
    if (emu_tx_begin(e->store) != 0)
        return -1;
    json_t *creator = org ? NULL : default_named(e, r, body, NULL, "default_creator_role", "default_creator",
                                                 &has_creator, &rc);
    json_t *member = has_creator && !creator ? NULL : default_named(e, r, body, org, "default_member_role",
                                                                    "default_member", &has_member, &rc);
    bool bad = (has_creator && !creator) || (has_member && !member);
    if (!bad && !has_creator && !has_member) {
        rc = emu_reply_field_error(r, "default_member_role", org ? "default_member_role is required"
                                   : "default_creator_role or default_member_role is required");
        bad = true;
    }
    int n = bad ? 0 : emu_db_exec(e->store, "INSERT OR IGNORE INTO role_defaults(organization_id) VALUES (?)", "s",
                                  org ? org : "");
    if (!bad && creator)
        n = n < 0 ? n : emu_db_exec(e->store, "UPDATE role_defaults SET default_creator = ? WHERE organization_id = ''",
                                    "s", skit_json_string(creator, "name"));
    if (!bad && member)
        n = n < 0 ? n : emu_db_exec(e->store, "UPDATE role_defaults SET default_member = ? WHERE organization_id = ?",
                                    "ss", skit_json_string(member, "name"), org ? org : "");
    if (bad || n < 0 || emu_tx_commit(e->store) != 0) {
        if (bad || n < 0)
            emu_tx_rollback(e->store);
        rc = bad ? rc : -1;
    } else {
        /* The roles as they are now, their default flags included. */
        json_t *out = json_object();
        if (!org) {
            json_t *d = emu_db_row(e->store, "SELECT * FROM role_defaults WHERE organization_id = ''", "");
            json_t *c = emu_role_in_scope(e, NULL, skit_json_string(d, "default_creator"));
            json_t *m = emu_role_in_scope(e, NULL, skit_json_string(d, "default_member"));
            if (c)
                json_object_set_new(out, "default_creator", emu_role_json(e, c, NULL));
            if (m)
                json_object_set_new(out, "default_member", emu_role_json(e, m, NULL));
            json_decref(d);
            json_decref(c);
            json_decref(m);
        } else {
            json_object_set_new(out, "default_member", emu_role_json(e, member, NULL));
        }
        rc = emu_reply_json(r, 200, out);
    }
    json_decref(creator);
    json_decref(member);
    return rc;
}

ROLE_HANDLERS(delete)
ROLE_HANDLERS(set_defaults)

const emu_route emu_role_default_routes[] = {
    {"DELETE", "/api/v1/roles/{role_name}", env_delete, "role_name"},
    {"DELETE", "/api/v1/organizations/{org_id}/roles/{role_name}", org_delete, "org_id role_name"},
    {"PATCH", "/api/v1/roles:set_defaults", env_set_defaults, NULL},
    {"PATCH", "/api/v1/roles/default", env_set_defaults, NULL},
    {"PATCH", "/api/v1/organizations/{org_id}/roles:set_defaults", org_set_defaults, "org_id"},
    {NULL, NULL, NULL, NULL}
};
