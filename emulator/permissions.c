/*
 * Permissions, declared for the resource engine (resource.h) and addressed by
 * name: create, list (page tokens, the type filter), get, update (PUT) and
 * delete with the API's name rule (v1rolesCreatePermission: 1 to 64 letters,
 * digits, '_' and ':') and the permission.created / .updated / .deleted events
 * in the PermissionEventData shape. A deleted permission leaves every role
 * (schema.sql's trigger), each with its role.updated event. Attaching permissions to roles is in role_access.c.
 */
#include "role.h"

#define PERMISSION_NAME_PATTERN "^[A-Za-z0-9_:]{1,64}$"

/* Every permission made through the API is the environment's own. */
static int shape(const json_t *row, json_t *out)
{
    return json_object_set_new(out, "is_scalekit_permission", json_false());
}

/* PermissionEventData: id, name, description (a string: absent, not null). */
static json_t *event_data(const json_t *row)
{
    return json_pack("{s:s?, s:s?, s:s*}", "id", skit_json_string(row, "id"), "name",
                     skit_json_string(row, "name"), "description", skit_json_string(row, "description"));
}

/* A permission's delete takes it from every role holding it: each such role is updated. */
static int roles_lose_it(emu *e, const json_t *row)
{
    return emu_roles_each(e, emu_db_rows(e->store, "SELECT roles.* FROM roles JOIN role_permissions ON "
                                                   "role_id = roles.id WHERE permission_id = ? ORDER BY roles.rowid",
                                         "s", skit_json_string(row, "id")), emu_role_changed);
}

static const emu_field fields[] = {
    {.name = "id", .flags = EMU_OUTPUT},
    {.name = "name", .flags = EMU_REQUIRED | EMU_UNIQUE, .pattern = PERMISSION_NAME_PATTERN,
     .message = "name must be 1 to 64 letters, digits, underscores (_) or colons (:)"},
    {.name = "description", .max_len = 2000},
    {.name = "create_time", .type = EMU_TIMESTAMP, .flags = EMU_OUTPUT | EMU_STAMP_CREATE},
    {.name = "update_time", .type = EMU_TIMESTAMP, .flags = EMU_OUTPUT | EMU_STAMP_UPDATE},
    {0}
};

const emu_resource emu_permission_resource = {
    .name = "permission",
    .table = "permissions",
    .id_prefix = "perm_",
    .route = "/api/v1/permissions",
    .single = "permission",
    .plural = "permissions",
    .fields = fields,
    /* type: SCALEKIT or ENVIRONMENT; ALL (the default) lists both. */
    .filters = (const emu_filter[]){{.query = "type", .any = "ALL"}, {0}},
    .events = {"permission.created", "permission.updated", "permission.deleted"},
    .before_delete = roles_lose_it,
    .shape = shape,
    .event_data = event_data,
    .key = "name",
    .key_param = "permission_name",
    .update_method = "PUT",
};
