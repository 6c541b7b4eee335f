/*
 * Environment roles (/api/v1/roles) and organization roles
 * (/api/v1/organizations/{org_id}/roles), addressed by name: create, get, list
 * (all at once: the API does not page them), update (PUT: permissions, when
 * given, replace the role's own), delete, removal of the base, and the default
 * roles; with the API's rules (v1rolesCreateRole: a name of 1 to 64 letters,
 * digits and '_', a description of at most 2000 characters, at most 100
 * permissions, each existing) and the role.created / .updated events in the
 * RoleEventData shape. A base (extends) must exist where the role can see it,
 * and bases never form a cycle (400).
 * Permissions, users and claims are in role_access.c, deletion and the default
 * roles in role_defaults.c.
 */
#include "role.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROLE_NAME_PATTERN "^[A-Za-z0-9_]{1,64}$"
#define MAX_ROLE_PERMISSIONS 100

const char *emu_role_permission_names_invalid(const json_t *names, char *field, size_t field_len)
{
    /* The caller uses the answer before the next call, as with emu_fields_validate. */
    static _Thread_local char why[160];
    char base[64];
    snprintf(base, sizeof base, "%s", field);
    if (!json_is_array(names)) {
        snprintf(why, sizeof why, "%s must be an array of permission names", base);
        return why;
    }
    if (json_array_size(names) > MAX_ROLE_PERMISSIONS) {
        snprintf(why, sizeof why, "%s holds at most 100 permissions", base);
        return why;
    }
    size_t i;
    json_t *name;
    json_array_foreach(names, i, name) {
        snprintf(field, field_len, "%s[%zu]", base, i);
        const char *s = json_string_value(name);
        if (!s || !*s || strlen(s) > 64 || strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                                      "0123456789_:") != strlen(s)) {
            snprintf(why, sizeof why, "%s must be a permission name: 1 to 64 letters, digits, underscores (_) "
                                      "or colons (:)", field);
            return why;
        }
    }
    snprintf(field, field_len, "%s", base);
    return NULL;
}

/* RoleEventData: id, name, display_name, description, extends (each a string: absent, not null). */
static json_t *event_data(const json_t *row)
{
    return json_pack("{s:s?, s:s?, s:s*, s:s*, s:s*}", "id", skit_json_string(row, "id"), "name",
                     skit_json_string(row, "name"), "display_name", skit_json_string(row, "display_name"),
                     "description", skit_json_string(row, "description"), "extends",
                     skit_json_string(row, "extends"));
}

static const emu_field fields[] = {
    {.name = "id", .flags = EMU_OUTPUT},
    {.name = "name", .flags = EMU_REQUIRED | EMU_UNIQUE, .pattern = ROLE_NAME_PATTERN,
     .message = "name must be 1 to 64 letters, digits or underscores (_)"},
    {.name = "display_name", .max_len = 100},
    {.name = "description", .max_len = 2000},
    {.name = "extends", .flags = EMU_EMPTY_UNSET, .pattern = ROLE_NAME_PATTERN,
     .message = "extends must be a role name: 1 to 64 letters, digits or underscores (_)"},
    {0}
};

const emu_resource emu_role_desc = {
    .name = "role",
    .table = "roles",
    .id_prefix = "role_",
    .route = "/api/v1/roles",
    .single = "role",
    .plural = "roles",
    .fields = fields,
    .events = {"role.created", "role.updated", "role.deleted"},
    .event_organization = "organization_id",
    .event_data = event_data,
};

/* ---- checks --------------------------------------------------------------------- */

/* The body checked against the fields (and its permissions): NULL after a 400. */
static json_t *body_or_400(emu_req *r, bool create, int *rc)
{
    json_t *body = emu_json_body(r), *perms = json_object_get(body, "permissions");
    char field[128] = "permissions";
    const char *why = NULL;
    if (!body) {
        *rc = emu_reply_error(r, 400, "INVALID_ARGUMENT", "the request body must be a JSON object");
        return NULL;
    }
    why = emu_fields_validate(&emu_role_desc, body, create, field, sizeof field);
    if (!why && perms && !json_is_null(perms)) {
        snprintf(field, sizeof field, "permissions");
        why = emu_role_permission_names_invalid(perms, field, sizeof field);
    }
    if (why)
        *rc = emu_reply_field_error(r, field, why);
    return why ? NULL : body;
}

/* Whether a new role @p name of scope @p org would share a name: with a role of its
 * scope, an environment role with any organization's, an organization's with the environment's. */
static bool name_taken(emu *e, const char *org, const char *name)
{
    json_t *row = org ? emu_db_row(e->store, "SELECT id FROM roles WHERE name = ? AND (organization_id = ? OR "
                                             "organization_id IS NULL)", "ss", name, org)
                      : emu_db_row(e->store, "SELECT id FROM roles WHERE name = ?", "s", name);
    json_decref(row);
    return row != NULL;
}

/*
 * Whether role @p name of scope @p org may extend @p base: the base exists where
 * the role sees it, and its chain of bases does not lead back to the role.
 * 0; 1 after replying 400 on field "extends"; -1 when out of memory.
 */
static int check_base(emu *e, emu_req *r, const char *org, const char *name, const char *base, int *rc)
{
    if (strcmp(base, name) == 0) {
        *rc = emu_reply_field_error(r, "extends", "a role cannot extend itself");
        return 1;
    }
    json_t *base_row = emu_role_lookup(e, org, base);
    if (!base_row) {
        char why[160];
        snprintf(why, sizeof why, "extends names role %s, which does not exist", base);
        *rc = emu_reply_field_error(r, "extends", why);
        return 1;
    }
    /* Names resolve to one role in the scope (role.h): the role's name in the chain is the role. */
    json_t *chain = emu_role_chain(e, base_row), *link;
    json_decref(base_row);
    size_t i;
    bool cycle = false;
    json_array_foreach(chain, i, link)
        cycle = cycle || strcmp(skit_json_string(link, "name"), name) == 0;
    json_decref(chain);
    if (cycle) {
        char why[240];
        snprintf(why, sizeof why, "role %s cannot extend %s: %s already extends %s through its bases, "
                                  "and bases must not form a cycle", name, base, base, name);
        *rc = emu_reply_field_error(r, "extends", why);
        return 1;
    }
    return chain ? 0 : -1;
}

static int reply_role(emu *e, emu_req *r, unsigned status, const json_t *row, const char *include)
{
    json_t *role = emu_role_json(e, row, include);
    return role ? emu_reply_json(r, status, json_pack("{s:o}", "role", role)) : -1;
}

/* ---- create, get, list, update ---------------------------------------------------------- */

static int create_role(emu *e, emu_req *r, const char *org)
{
    int rc = 0;
    json_t *body = body_or_400(r, true, &rc);
    if (!body)
        return rc;
    const char *name = skit_json_string(body, "name"), *base = skit_json_string(body, "extends");
    if (base && !*base)
        base = NULL;
    if (emu_tx_begin(e->store) != 0)
        return -1;
    if (name_taken(e, org, name)) {
        emu_tx_rollback(e->store);
        return emu_reply_error(r, 409, "ALREADY_EXISTS", "a role with name %s already exists", name);
    }
    int refused = base ? check_base(e, r, org, name, base, &rc) : 0;
    if (refused) {
        emu_tx_rollback(e->store);
        return refused < 0 ? -1 : rc;
    }
    char *id = emu_new_id("role_", 8);
    int64_t now = skit_now();
    json_t *perms = json_object_get(body, "permissions"), *row = NULL;
    int attached = -1;
    if (id && emu_db_exec(e->store, "INSERT INTO roles(id, organization_id, name, display_name, description, "
                                    "extends, create_time, update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          "ssssssii", id, org, name, skit_json_string(body, "display_name"),
                          skit_json_string(body, "description"), base, now, now) == 1 &&
        (row = emu_resource_row(e, &emu_role_desc, id)))
        attached = json_is_array(perms) ? emu_role_attach(e, r, row, perms, "permissions", &rc) : 0;
    free(id);
    if (attached != 0 || emu_resource_emit(e, &emu_role_desc, EMU_EVENT_CREATED, row, 0) != 0) {
        emu_tx_rollback(e->store);
        json_decref(row);
        return attached == 1 ? rc : -1;
    }
    rc = emu_tx_commit(e->store) == 0 ? reply_role(e, r, 201, row, NULL) : -1;
    json_decref(row);
    return rc;
}

static int get_role(emu *e, emu_req *r, const char *org)
{
    const char *include, *name = emu_path_param(r, "role_name");
    int rc = 0;
    if (!emu_role_include(r, &include, &rc))
        return rc;
    json_t *row = emu_role_in_scope(e, org, name);
    rc = row ? reply_role(e, r, 200, row, include) : emu_role_not_found(r, name);
    json_decref(row);
    return rc;
}

/* The environment's roles and every organization's (ListRoles), or the roles an
 * organization sees: the environment's and its own (ListOrganizationRoles). */
static int list_role(emu *e, emu_req *r, const char *org)
{
    const char *include;
    int rc = 0;
    if (!emu_role_include(r, &include, &rc))
        return rc;
    json_t *rows = org ? emu_db_rows(e->store, "SELECT * FROM roles WHERE organization_id IS NULL OR "
                                               "organization_id = ? ORDER BY rowid", "s", org)
                       : emu_db_rows(e->store, "SELECT * FROM roles ORDER BY rowid", "");
    json_t *items = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
        json_array_append_new(items, emu_role_json(e, row, include));
    rc = rows && items ? emu_reply_json(r, 200, json_pack("{s:O}", "roles", items)) : -1;
    json_decref(items);
    json_decref(rows);
    return rc;
}

/* Apply the update @p body to @p row inside the transaction: 0, 1 after a 400, -1. */
static int apply_update(emu *e, emu_req *r, const json_t *row, const json_t *body, int *rc)
{
    const char *id = skit_json_string(row, "id"), *org = skit_json_string(row, "organization_id");
    static const char *const text_columns[] = {"display_name", "description"};
    for (size_t i = 0; i < 2; i++) {
        const json_t *v = json_object_get(body, text_columns[i]);
        char sql[80];
        snprintf(sql, sizeof sql, "UPDATE roles SET %s = ? WHERE id = ?", text_columns[i]);
        if (v && emu_db_exec(e->store, sql, "ss", json_string_value(v), id) != 1)
            return -1;
    }
    const json_t *ext = json_object_get(body, "extends");
    const char *base = json_string_value(ext);
    int refused = base && *base ? check_base(e, r, org, skit_json_string(row, "name"), base, rc) : 0;
    if (refused)
        return refused;
    if (ext && emu_db_exec(e->store, "UPDATE roles SET extends = ? WHERE id = ?", "ss",
                           base && *base ? base : NULL, id) != 1)
        return -1;
    const json_t *perms = json_object_get(body, "permissions");
    if (json_is_array(perms)) {
        if (emu_db_exec(e->store, "DELETE FROM role_permissions WHERE role_id = ?", "s", id) < 0)
            return -1;
        int n = emu_role_attach(e, r, row, perms, "permissions", rc);
        if (n != 0)
            return n;
    }
    return emu_db_exec(e->store, "UPDATE roles SET update_time = ? WHERE id = ?", "is", skit_now(), id) == 1 ? 0 : -1;
}

static int update_role(emu *e, emu_req *r, const char *org)
{
    int rc = 0;
    json_t *body = body_or_400(r, false, &rc);
    if (!body)
        return rc;
    const char *name = emu_path_param(r, "role_name");
    if (emu_tx_begin(e->store) != 0)
        return -1;
    json_t *row = emu_role_in_scope(e, org, name), *after = NULL;
    int n = row ? apply_update(e, r, row, body, &rc) : 1;
    if (!row)
        rc = emu_role_not_found(r, name);
    if (n != 0)
        emu_tx_rollback(e->store);
    else
        rc = emu_resource_commit_update(e, &emu_role_desc, skit_json_string(row, "id"), &after) == 0
            ? reply_role(e, r, 200, after, NULL) : -1;
    json_decref(row);
    json_decref(after);
    return n < 0 ? -1 : rc;
}

/* DELETE .../base: the role keeps its own permissions and no longer inherits. */
static int delete_base(emu *e, emu_req *r, const char *org)
{
    const char *name = emu_path_param(r, "role_name");
    if (emu_tx_begin(e->store) != 0)
        return -1;
    json_t *row = emu_role_in_scope(e, org, name), *after = NULL;
    int rc;
    if (!row || !skit_json_string(row, "extends")) {
        emu_tx_rollback(e->store);
        rc = row ? emu_reply_json(r, 200, json_object()) : emu_role_not_found(r, name);
    } else if (emu_db_exec(e->store, "UPDATE roles SET extends = NULL, update_time = ? WHERE id = ?", "is",
                           skit_now(), skit_json_string(row, "id")) != 1) {
        emu_tx_rollback(e->store);
        rc = -1;
    } else {
        rc = emu_resource_commit_update(e, &emu_role_desc, skit_json_string(row, "id"), &after) == 0
            ? emu_reply_json(r, 200, json_object()) : -1;
    }
    json_decref(row);
    json_decref(after);
    return rc;
}

/* ---- the two route families ------------------------------------------------------- */

#define delete_base_role delete_base
ROLE_HANDLERS(create)
ROLE_HANDLERS(get)
ROLE_HANDLERS(list)
ROLE_HANDLERS(update)
ROLE_HANDLERS(delete_base)

const emu_route emu_role_routes[] = {
    {"POST", "/api/v1/roles", env_create, NULL},
    {"GET", "/api/v1/roles", env_list, NULL},
    {"GET", "/api/v1/roles/{role_name}", env_get, "role_name"},
    {"PUT", "/api/v1/roles/{role_name}", env_update, "role_name"},
    {"DELETE", "/api/v1/roles/{role_name}/base", env_delete_base, "role_name"},
    {"POST", "/api/v1/organizations/{org_id}/roles", org_create, "org_id"},
    {"GET", "/api/v1/organizations/{org_id}/roles", org_list, "org_id"},
    {"GET", "/api/v1/organizations/{org_id}/roles/{role_name}", org_get, "org_id role_name"},
    {"PUT", "/api/v1/organizations/{org_id}/roles/{role_name}", org_update, "org_id role_name"},
    {"DELETE", "/api/v1/organizations/{org_id}/roles/{role_name}/base", org_delete_base, "org_id role_name"},
    {NULL, NULL, NULL, NULL}
};
