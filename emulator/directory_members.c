/*
 * What SCIM provisioned, as the REST API shows it: ListDirectoryUsers and
 * ListDirectoryGroups (directoriesDirectoryUser / directoriesDirectoryGroup,
 * paged by the engine's page tokens, page_size at most 30 as the OpenAPI file
 * says; filters directory_group_id and updated_after; include_detail adds the
 * SCIM resource as user_detail / group_detail), and the data of the
 * organization.directory.user_* and group_* events (DirectoryUserEventData,
 * DirectoryGroupEventData).
 */
#include "scim.h"
#include "resources.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LIST_MAX_PAGE_SIZE 30

json_t *emu_directory_user_groups(emu *e, const char *user_id)
{
    json_t *rows = emu_db_rows(e->store,
                               "SELECT g.id, g.display_name FROM directory_group_members m JOIN directory_groups g "
                               "ON g.id = m.group_id WHERE m.user_id = ? ORDER BY g.rowid",
                               "s", user_id);
    json_t *out = rows ? json_array() : NULL, *g;
    size_t i;
    json_array_foreach(rows, i, g) {
        json_array_append_new(out, json_pack("{s:O, s:O}", "value", json_object_get(g, "id"), "display",
                                             json_object_get(g, "display_name")));
    }
    json_decref(rows);
    return out;
}

/* ---- events ----------------------------------------------------------------- */

static void set_string(json_t *out, const char *name, const char *value)
{
    if (value && *value)
        json_object_set_new(out, name, json_string(value));
}

/* DirectoryUserEventData member <- SCIM attribute (core, then the enterprise extension). */
static const char *const core_map[][2] = {
    {"title", "title"}, {"user_type", "userType"}, {"locale", "locale"}, {"zoneinfo", "timezone"},
    {"language", "preferredLanguage"}, {"nickname", "nickName"}, {"profile", "profileUrl"},
};
static const char *const enterprise_map[][2] = {
    {"employee_id", "employeeNumber"}, {"department", "department"}, {"cost_center", "costCenter"},
    {"division", "division"}, {"organization", "organization"},
};

static json_t *user_event_data(emu *e, const json_t *row)
{
    json_t *res = json_loads(skit_json_string(row, "resource"), 0, NULL);
    json_t *groups = emu_directory_user_groups(e, skit_json_string(row, "id")), *g;
    json_t *out = json_pack("{s:O, s:O, s:b, s:O, s:[], s:[], s:o}", "id", json_object_get(row, "id"),
                            "organization_id", json_object_get(row, "organization_id"), "active",
                            json_integer_value(json_object_get(row, "active")) != 0, "preferred_username",
                            json_object_get(row, "user_name"), "groups", "roles", "raw_attributes",
                            res ? json_incref(res) : json_object());
    size_t i;
    if (out && groups) {
        json_t *list = json_object_get(out, "groups");
        json_array_foreach(groups, i, g) {
            json_array_append_new(list, json_pack("{s:O, s:O}", "id", json_object_get(g, "value"), "name",
                                                  json_object_get(g, "display")));
        }
        set_string(out, "email", skit_json_string(row, "email"));
        set_string(out, "given_name", skit_json_string(row, "given_name"));
        set_string(out, "family_name", skit_json_string(row, "family_name"));
        set_string(out, "name", skit_json_string(row, "display_name"));
        set_string(out, "dp_id", skit_json_string(row, "external_id"));
        for (i = 0; i < sizeof core_map / sizeof core_map[0]; i++)
            set_string(out, core_map[i][0], scim_string(res, core_map[i][1]));
        json_t *ext = res ? json_object_get(res, SCIM_SCHEMA_ENTERPRISE) : NULL;
        for (i = 0; i < sizeof enterprise_map / sizeof enterprise_map[0]; i++)
            set_string(out, enterprise_map[i][0], scim_string(ext, enterprise_map[i][1]));
        set_string(out, "phone_number", scim_string(json_array_get(scim_member(res, "phoneNumbers"), 0), "value"));
    }
    json_decref(res);
    if (!groups) {
        json_decref(out);
        out = NULL;
    }
    json_decref(groups);
    return out;
}

/* Emit organization.directory.<what> with @p data (stolen; NULL: out of memory). */
static int emit(emu *e, const char *what, const char *object, const json_t *row, json_t *data)
{
    char type[64];
    snprintf(type, sizeof type, "organization.directory.%s", what);
    int rc = data ? emu_event_emit_object(e, type, object, skit_json_string(row, "organization_id"), data) : -1;
    json_decref(data);
    return rc;
}

int emu_directory_user_event(emu *e, const char *what, const json_t *row)
{
    return emit(e, what, "DirectoryUser", row, user_event_data(e, row));
}

int emu_directory_group_event(emu *e, const char *what, const json_t *row)
{
    json_t *res = json_loads(skit_json_string(row, "resource"), 0, NULL);
    json_t *data = json_pack("{s:O, s:O, s:O, s:O, s:o}", "id", json_object_get(row, "id"), "organization_id",
                             json_object_get(row, "organization_id"), "directory_id",
                             json_object_get(row, "directory_id"), "display_name",
                             json_object_get(row, "display_name"), "raw_attributes",
                             res ? json_incref(res) : json_object());
    json_decref(res);
    if (data) {
        set_string(data, "external_id", skit_json_string(row, "external_id"));
        set_string(data, "dp_id", skit_json_string(row, "external_id"));
    }
    return emit(e, what, "DirectoryGroup", row, data);
}

/* ---- the REST listing --------------------------------------------------------- */

/* directoriesDirectoryGroup of group @p id (without its detail); NULL when out of memory. */
static json_t *group_json(emu *e, const char *id)
{
    json_t *g = emu_db_row(e->store,
                           "SELECT id, display_name, update_time, (SELECT COUNT(*) FROM directory_group_members m "
                           "WHERE m.group_id = g.id) AS total_users FROM directory_groups g WHERE id = ?",
                           "s", id);
    json_t *out = g ? json_pack("{s:O, s:O, s:O, s:o}", "id", json_object_get(g, "id"), "display_name",
                                json_object_get(g, "display_name"), "total_users", json_object_get(g, "total_users"),
                                "updated_at", emu_json_time(json_integer_value(json_object_get(g, "update_time"))))
                : NULL;
    json_decref(g);
    return out;
}

/* A user's emails and groups (and, with detail, the SCIM resource as provisioned). */
static int user_shape(emu *e, const json_t *row, json_t *out, bool detail)
{
    json_t *res = scim_user_kind.load(e, row);
    if (!res)
        return -1;
    json_t *emails = json_array(), *groups = json_array(), *v;
    size_t i;
    json_array_foreach(scim_member(res, "emails"), i, v) {
        json_array_append_new(emails, json_string(scim_string(v, "value")));
    }
    json_array_foreach(json_object_get(res, "groups"), i, v) {
        json_array_append_new(groups, group_json(e, scim_string(v, "value")));
    }
    json_object_set_new(out, "emails", emails);
    json_object_set_new(out, "groups", groups);
    if (detail) {
        json_object_set_new(res, "id", json_copy(json_object_get(row, "id")));
        json_object_set(out, "user_detail", res);
    }
    json_decref(res);
    return emails && groups ? 0 : -1;
}

static int user_plain(emu *e, const json_t *row, json_t *out)
{
    return user_shape(e, row, out, false);
}

static int user_detail(emu *e, const json_t *row, json_t *out)
{
    return user_shape(e, row, out, true);
}

static int group_shape(emu *e, const json_t *row, json_t *out, bool detail)
{
    json_t *g = group_json(e, skit_json_string(row, "id"));
    if (!g)
        return -1;
    json_object_update(out, g);
    json_decref(g);
    if (detail) {
        json_t *res = scim_group_kind.load(e, row);
        if (!res)
            return -1;
        json_object_set_new(res, "id", json_copy(json_object_get(row, "id")));
        json_object_set_new(out, "group_detail", res);
    }
    return 0;
}

static int group_plain(emu *e, const json_t *row, json_t *out)
{
    return group_shape(e, row, out, false);
}

static int group_detail(emu *e, const json_t *row, json_t *out)
{
    return group_shape(e, row, out, true);
}

static const emu_field user_fields[] = {
    {.name = "id", .flags = EMU_OUTPUT},
    {.name = "email", .flags = EMU_OUTPUT},
    {.name = "given_name", .flags = EMU_OUTPUT},
    {.name = "family_name", .flags = EMU_OUTPUT},
    {.name = "preferred_username", .column = "user_name", .flags = EMU_OUTPUT},
    {.name = "updated_at", .column = "update_time", .type = EMU_TIMESTAMP, .flags = EMU_OUTPUT},
    {0},
};

/* The group's members come from group_json (a count), so no fields besides. */
static const emu_field group_fields[] = {{0}};

/* Not in emu_resources: the listing routes below call the engine's list with them. */
#define MEMBER_RESOURCE(tbl, single_name, plural_name, flds, hook) \
    {.name = single_name, .table = tbl, .single = single_name, .plural = plural_name, .fields = flds, \
     .shape_store = hook}
static const emu_resource users_plain = MEMBER_RESOURCE("directory_users", "user", "users", user_fields, user_plain);
static const emu_resource users_detail = MEMBER_RESOURCE("directory_users", "user", "users", user_fields, user_detail);
static const emu_resource groups_plain =
    MEMBER_RESOURCE("directory_groups", "group", "groups", group_fields, group_plain);
static const emu_resource groups_detail =
    MEMBER_RESOURCE("directory_groups", "group", "groups", group_fields, group_detail);

/* A boolean query parameter: false when absent; false return after a 400. */
static bool query_bool(emu_req *r, const char *name, bool *out, int *rc)
{
    const char *v = emu_query(r, name);
    *out = v && (strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0);
    if (!v || !*v || *out || strcasecmp(v, "false") == 0 || strcmp(v, "0") == 0)
        return true;
    char why[96];
    snprintf(why, sizeof why, "%s must be true or false", name);
    *rc = emu_reply_field_error(r, name, why);
    return false;
}

static int list_members(emu *e, emu_req *r, bool users)
{
    int rc = 0;
    json_t *org = emu_resource_find(e, r, &emu_organization_resource, "organization_id", &rc);
    if (!org)
        return rc;
    json_decref(org);
    const char *dir_id = emu_path_param(r, "directory_id");
    json_t *dir = emu_db_row(e->store, "SELECT id FROM directories WHERE id = ? AND organization_id = ?", "ss",
                             dir_id, emu_path_param(r, "organization_id"));
    json_decref(dir);
    if (!dir)
        return emu_reply_error(r, 404, "NOT_FOUND", "directory %s not found", dir_id ? dir_id : "");
    const char *size = emu_query(r, "page_size");
    char *end = NULL;
    long n = size && *size ? strtol(size, &end, 10) : 0;
    if (size && *size && (*end || n < 0 || n > LIST_MAX_PAGE_SIZE))
        return emu_reply_field_error(r, "page_size", "page_size must be between 1 and 30");
    bool detail, external;
    if (!query_bool(r, "include_detail", &detail, &rc) ||
        (!users && !query_bool(r, "include_external_groups", &external, &rc)))
        return rc;
    json_t *params = json_pack("[s]", dir_id);
    skit_buf where = SKIT_BUF_INIT;
    skit_buf_puts(&where, "directory_id = ?");
    const char *after = emu_query(r, "updated_after");
    if (after && *after) {
        int64_t t;
        if (!skit_parse_rfc3339(after, &t)) {
            rc = emu_reply_field_error(r, "updated_after", "updated_after must be an RFC 3339 date-time");
            goto out;
        }
        skit_buf_puts(&where, " AND update_time > ?");
        json_array_append_new(params, json_integer(t));
    }
    const char *group = users ? emu_query(r, "directory_group_id") : NULL;
    if (group && *group) {
        json_t *g = emu_db_row(e->store, "SELECT id FROM directory_groups WHERE id = ? AND directory_id = ?", "ss",
                               group, dir_id);
        json_decref(g);
        if (!g) {
            rc = emu_reply_error(r, 404, "NOT_FOUND", "directory group %s not found", group);
            goto out;
        }
        skit_buf_puts(&where, " AND id IN (SELECT user_id FROM directory_group_members WHERE group_id = ?)");
        json_array_append_new(params, json_string(group));
    }
    const emu_resource *res = users ? (detail ? &users_detail : &users_plain)
                                    : (detail ? &groups_detail : &groups_plain);
    rc = where.ptr && params ? emu_resource_list(e, r, res, where.ptr, params) : -1;
out:
    skit_buf_free(&where);
    json_decref(params);
    return rc;
}

static int list_users(emu *e, emu_req *r)
{
    return list_members(e, r, true);
}

static int list_groups(emu *e, emu_req *r)
{
    return list_members(e, r, false);
}

const emu_route emu_directory_member_routes[] = {
    {"GET", "/api/v1/organizations/{organization_id}/directories/{directory_id}/users", list_users,
     "organization_id directory_id"},
    {"GET", "/api/v1/organizations/{organization_id}/directories/{directory_id}/groups", list_groups,
     "organization_id directory_id"},
    {NULL, NULL, NULL, NULL},
};
