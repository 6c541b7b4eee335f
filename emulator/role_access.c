/*
 * What a role grants and who holds it: the role's shape with its permissions,
 * ListRolePermissions, AddPermissionsToRole, RemovePermissionFromRole,
 * ListEffectiveRolePermissions, the users counts and dependent roles, and the
 * `permissions` claim of a member's access token. A member holds roles by name
 * (memberships.roles, a JSON array); a role holds permissions by id.
 *
 * Effective permissions (the OpenAPI file names no order): the role's own in
 * the order they were attached, then its base's, then the base's base's, each
 * permission listed once, at the nearest role that brings it.
 */
#include "role.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- lookups and shapes --------------------------------------------------------- */

json_t *emu_role_in_scope(emu *e, const char *org, const char *name)
{
    if (!name)
        return NULL;
    return org ? emu_db_row(e->store, "SELECT * FROM roles WHERE organization_id = ? AND name = ?", "ss", org, name)
               : emu_db_row(e->store, "SELECT * FROM roles WHERE organization_id IS NULL AND name = ?", "s", name);
}

json_t *emu_role_lookup(emu *e, const char *org, const char *name)
{
    json_t *row = org ? emu_role_in_scope(e, org, name) : NULL;
    return row ? row : emu_role_in_scope(e, NULL, name);
}

int emu_role_not_found(emu_req *r, const char *name)
{
    return emu_reply_error(r, 404, "NOT_FOUND", "role %s not found", name ? name : "");
}

const char *emu_role_org(emu *e, emu_req *r, int *rc)
{
    json_t *org = emu_resource_find(e, r, &emu_organization_resource, "org_id", rc);
    json_decref(org);
    return org ? emu_path_param(r, "org_id") : NULL;
}

bool emu_role_include(emu_req *r, const char **include, int *rc)
{
    *include = emu_query(r, "include");
    if (!*include || !**include) {
        *include = NULL;
        return true;
    }
    if (strcmp(*include, "permissions") == 0 || strcmp(*include, "permissions:all") == 0)
        return true;
    *rc = emu_reply_field_error(r, "include", "include must be permissions or permissions:all");
    return false;
}

json_t *emu_role_base(emu *e, const json_t *row)
{
    return emu_role_lookup(e, skit_json_string(row, "organization_id"), skit_json_string(row, "extends"));
}

json_t *emu_role_chain(emu *e, const json_t *row)
{
    json_t *chain = json_array(), *seen = json_object(), *role = json_incref((json_t *)row);
    /* Bases never form a cycle (roles.c refuses one); the seen set only makes sure. */
    while (chain && seen && role && !json_object_get(seen, skit_json_string(role, "id"))) {
        json_object_set_new(seen, skit_json_string(role, "id"), json_true());
        json_array_append(chain, role);
        json_t *base = emu_role_base(e, role);
        json_decref(role);
        role = base;
    }
    json_decref(role);
    json_decref(seen);
    return chain;
}

json_t *emu_role_permissions(emu *e, const json_t *row, bool all)
{
    json_t *out = json_array(), *seen = json_object();
    json_t *chain = all ? emu_role_chain(e, row) : json_pack("[O]", row);
    size_t k;
    json_t *role;
    json_array_foreach(chain, k, role) {
        json_t *own = emu_db_rows(e->store, "SELECT p.* FROM role_permissions rp JOIN permissions p "
                                            "ON p.id = rp.permission_id WHERE rp.role_id = ? ORDER BY rp.rowid",
                                  "s", skit_json_string(role, "id"));
        size_t i;
        json_t *p;
        json_array_foreach(own, i, p) {
            const char *name = skit_json_string(p, "name");
            if (!name || json_object_get(seen, name))
                continue;
            json_object_set_new(seen, name, json_true());
            json_object_set_new(p, "role_name", json_string(skit_json_string(role, "name")));
            json_array_append(out, p);
        }
        json_decref(own);
    }
    json_decref(chain);
    json_decref(seen);
    return out;
}

/* A permission row as the API shows it: rolesPermission, or rolesRolePermission with its source. */
static json_t *permission_json(const json_t *p, bool with_source)
{
    json_t *out = emu_resource_json(&emu_permission_resource, p);
    if (out && !with_source)
        return out;
    if (out) {
        json_object_del(out, "is_scalekit_permission");
        json_object_set_new(out, "role_name", json_string(skit_json_string(p, "role_name")));
    }
    return out;
}

static json_t *permissions_json(const json_t *rows, bool with_source)
{
    json_t *out = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(rows, i, p)
        json_array_append_new(out, permission_json(p, with_source));
    return out;
}

static bool is_default(emu *e, const char *org, const char *column, const char *name)
{
    json_t *d = emu_db_row(e->store, "SELECT * FROM role_defaults WHERE organization_id = ?", "s", org ? org : "");
    const char *value = skit_json_string(d, column);
    bool yes = value && name && strcmp(value, name) == 0;
    json_decref(d);
    return yes;
}

/* Any role naming @p row as its base in a scope that sees it. */
json_t *emu_role_dependents(emu *e, const json_t *row)
{
    const char *org = skit_json_string(row, "organization_id"), *name = skit_json_string(row, "name");
    return org ? emu_db_rows(e->store, "SELECT * FROM roles WHERE organization_id = ? AND extends = ? ORDER BY rowid",
                             "ss", org, name)
               : emu_db_rows(e->store, "SELECT * FROM roles WHERE extends = ? ORDER BY rowid", "s", name);
}

json_t *emu_role_json(emu *e, const json_t *row, const char *include)
{
    json_t *out = emu_resource_json(&emu_role_desc, row);
    json_t *deps = emu_role_dependents(e, row);
    const char *org = skit_json_string(row, "organization_id"), *name = skit_json_string(row, "name");
    if (!out || !deps) {
        json_decref(out);
        json_decref(deps);
        return NULL;
    }
    json_object_set_new(out, "is_org_role", json_boolean(org != NULL));
    json_object_set_new(out, "default_creator", json_boolean(!org && is_default(e, NULL, "default_creator", name)));
    json_object_set_new(out, "default_member", json_boolean(is_default(e, org, "default_member", name)));
    json_object_set_new(out, "dependent_roles_count", json_integer((json_int_t)json_array_size(deps)));
    json_decref(deps);
    if (include) {
        json_t *perms = emu_role_permissions(e, row, strcmp(include, "permissions:all") == 0);
        json_object_set_new(out, "permissions", permissions_json(perms, true));
        json_decref(perms);
    }
    return out;
}

/* ---- a role's permissions (environment roles) ------------------------------------------ */

/* The environment role of the route's {role_name}; NULL after a 404. */
static json_t *env_role_or_404(emu *e, emu_req *r, int *rc)
{
    const char *name = emu_path_param(r, "role_name");
    json_t *row = emu_role_in_scope(e, NULL, name);
    if (!row)
        *rc = emu_role_not_found(r, name);
    return row;
}

static int reply_permissions(emu *e, emu_req *r, bool all)
{
    int rc = 0;
    json_t *row = env_role_or_404(e, r, &rc);
    if (!row)
        return rc;
    json_t *perms = emu_role_permissions(e, row, all);
    json_t *items = perms ? permissions_json(perms, false) : NULL;
    rc = items ? emu_reply_json(r, 200, json_pack("{s:o}", "permissions", items)) : -1;
    json_decref(perms);
    json_decref(row);
    return rc;
}

static int list_role_permissions(emu *e, emu_req *r)
{
    return reply_permissions(e, r, false);
}

static int list_effective_permissions(emu *e, emu_req *r)
{
    return reply_permissions(e, r, true);
}

int emu_role_attach(emu *e, emu_req *r, const json_t *role, const json_t *names, const char *field, int *rc)
{
    size_t i;
    json_t *name;
    json_array_foreach(names, i, name) {
        json_t *p = emu_db_row(e->store, "SELECT id FROM permissions WHERE name = ?", "s", json_string_value(name));
        int n = p ? emu_db_exec(e->store, "INSERT OR IGNORE INTO role_permissions(role_id, permission_id) VALUES (?, ?)",
                                "ss", skit_json_string(role, "id"), skit_json_string(p, "id")) : 0;
        json_decref(p);
        if (n < 0)
            return -1;
        if (!p) {
            char at[64];
            snprintf(at, sizeof at, "%s[%zu]", field, i);
            char why[200];
            snprintf(why, sizeof why, "permission %.100s not found", json_string_value(name));
            *rc = emu_reply_field_error(r, at, why);
            return 1;
        }
    }
    return 0;
}

int emu_role_changed(emu *e, const json_t *row)
{
    const char *id = skit_json_string(row, "id");
    json_t *after = NULL;
    int rc = emu_db_exec(e->store, "UPDATE roles SET update_time = ? WHERE id = ?", "is", skit_now(), id) == 1 &&
                     (after = emu_resource_row(e, &emu_role_desc, id)) &&
                     emu_resource_emit(e, &emu_role_desc, EMU_EVENT_UPDATED, after, 0) == 0 ? 0 : -1;
    json_decref(after);
    return rc;
}

/* POST {"permission_names": [...]}: attaches those the role lacks; answers all its own. */
static int add_permissions(emu *e, emu_req *r)
{
    json_t *body = emu_json_body(r), *names = json_object_get(body, "permission_names");
    char field[64] = "permission_names";
    const char *why = !body ? "the request body must be a JSON object"
                            : emu_role_permission_names_invalid(names, field, sizeof field);
    if (!why && json_array_size(names) == 0)
        why = "permission_names must name at least one permission";
    if (why)
        return emu_reply_field_error(r, field, why);
    int rc = 0;
    if (emu_tx_begin(e->store) != 0)
        return -1;
    json_t *row = env_role_or_404(e, r, &rc);
    int attached = row ? emu_role_attach(e, r, row, names, "permission_names", &rc) : 1;
    if (attached != 0 || !row) {
        emu_tx_rollback(e->store);
        json_decref(row);
        return attached < 0 ? -1 : rc;
    }
    json_t *perms = emu_role_permissions(e, row, false), *items = perms ? permissions_json(perms, false) : NULL;
    rc = items && emu_role_changed(e, row) == 0 && emu_tx_commit(e->store) == 0 ? emu_reply_json(r, 200, json_pack("{s:O}", "permissions", items))
                                               : -1;
    if (!items)
        emu_tx_rollback(e->store);
    json_decref(items);
    json_decref(perms);
    json_decref(row);
    return rc;
}

static int remove_permission(emu *e, emu_req *r)
{
    const char *permission = emu_path_param(r, "permission_name");
    int rc = 0;
    if (emu_tx_begin(e->store) != 0)
        return -1;
    json_t *row = env_role_or_404(e, r, &rc);
    int n = row ? emu_db_exec(e->store, "DELETE FROM role_permissions WHERE role_id = ? AND permission_id = "
                                        "(SELECT id FROM permissions WHERE name = ?)",
                              "ss", skit_json_string(row, "id"), permission) : 0;
    if (n < 0)
        rc = -1;
    else if (row && n == 0)
        rc = emu_reply_error(r, 404, "NOT_FOUND", "role %s has no permission %s", skit_json_string(row, "name"),
                             permission);
    if (!row || n != 1 || emu_role_changed(e, row) != 0)
        emu_tx_rollback(e->store);
    else
        rc = emu_tx_commit(e->store) == 0 ? emu_reply_json(r, 200, json_object()) : -1;
    json_decref(row);
    return rc;
}

static int list_dependents(emu *e, emu_req *r)
{
    int rc = 0;
    json_t *row = env_role_or_404(e, r, &rc);
    if (!row)
        return rc;
    json_t *deps = emu_role_dependents(e, row), *items = json_array();
    size_t i;
    json_t *d;
    json_array_foreach(deps, i, d)
        json_array_append_new(items, emu_role_json(e, d, NULL));
    rc = deps && items ? emu_reply_json(r, 200, json_pack("{s:O}", "roles", items)) : -1;
    json_decref(items);
    json_decref(deps);
    json_decref(row);
    return rc;
}

/* ---- who holds a role --------------------------------------------------------------- */

int64_t emu_role_users_count(emu *e, const json_t *row)
{
    const char *org = skit_json_string(row, "organization_id"), *name = skit_json_string(row, "name");
    json_t *n = org ? emu_db_row(e->store, "SELECT COUNT(DISTINCT user_id) AS n FROM memberships WHERE "
                                           "organization_id = ? AND " EMU_HOLDS_ROLE, "ss", org, name)
                    : emu_db_row(e->store, "SELECT COUNT(DISTINCT user_id) AS n FROM memberships WHERE " EMU_HOLDS_ROLE,
                                 "s", name);
    int64_t count = n ? json_integer_value(json_object_get(n, "n")) : -1;
    json_decref(n);
    return count;
}

static int users_count_role(emu *e, emu_req *r, const char *org)
{
    const char *name = emu_path_param(r, "role_name");
    json_t *row = emu_role_in_scope(e, org, name);
    if (!row)
        return emu_role_not_found(r, name);
    int64_t count = emu_role_users_count(e, row);
    json_decref(row);
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)count);
    return count < 0 ? -1 : emu_reply_json(r, 200, json_pack("{s:s}", "count", text));
}

ROLE_HANDLERS(users_count)

json_t *emu_roles_permission_rows(emu *e, const char *org, const json_t *role_names)
{
    json_t *out = json_array(), *seen = json_object();
    size_t i;
    json_t *name;
    json_array_foreach(role_names, i, name) {
        json_t *role = emu_role_lookup(e, org, json_string_value(name));
        json_t *perms = role ? emu_role_permissions(e, role, true) : NULL;
        size_t j;
        json_t *p;
        json_array_foreach(perms, j, p) {
            const char *pname = skit_json_string(p, "name");
            if (pname && !json_object_get(seen, pname)) {
                json_object_set_new(seen, pname, json_true());
                json_array_append(out, p);
            }
        }
        json_decref(perms);
        json_decref(role);
    }
    json_decref(seen);
    return out;
}

json_t *emu_roles_permissions(emu *e, const char *org, const json_t *role_names)
{
    json_t *rows = emu_roles_permission_rows(e, org, role_names), *names = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(rows, i, p)
        json_array_append_new(names, json_string(skit_json_string(p, "name")));
    json_decref(rows);
    return names;
}

char *emu_role_default_roles(emu *e, const char *org)
{
    json_t *d = emu_db_row(e->store, "SELECT default_member FROM role_defaults WHERE organization_id = ? AND "
                                     "default_member IS NOT NULL", "s", org ? org : "");
    if (!d && org)
        d = emu_db_row(e->store, "SELECT default_member FROM role_defaults WHERE organization_id = '' AND "
                                 "default_member IS NOT NULL", "");
    const char *name = skit_json_string(d, "default_member");
    json_t *roles = name ? json_pack("[s]", name) : json_array();
    char *text = roles ? json_dumps(roles, JSON_COMPACT) : NULL;
    json_decref(roles);
    json_decref(d);
    return text;
}

const emu_route emu_role_access_routes[] = {
    {"GET", "/api/v1/roles/{role_name}/permissions", list_role_permissions, "role_name"},
    {"POST", "/api/v1/roles/{role_name}/permissions", add_permissions, "role_name"},
    {"DELETE", "/api/v1/roles/{role_name}/permissions/{permission_name}", remove_permission, "role_name permission_name"},
    {"GET", "/api/v1/roles/{role_name}/permissions:all", list_effective_permissions, "role_name"},
    {"GET", "/api/v1/roles/{role_name}/dependents", list_dependents, "role_name"},
    {"GET", "/api/v1/roles/{role_name}/users:count", env_users_count, "role_name"},
    {"GET", "/api/v1/organizations/{org_id}/roles/{role_name}/users:count", org_users_count, "org_id role_name"},
    {NULL, NULL, NULL, NULL}
};
