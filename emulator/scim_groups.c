/*
 * SCIM Groups (RFC 7643 section 4.2) in directory_groups; their members, users
 * of the same directory, in directory_group_members (a member that is no user
 * of the directory is refused, 400 invalidValue). A change of members is a
 * group_updated event of the group.
 */
#include "scim.h"

#include <stdlib.h>
#include <string.h>

static const char *const group_read_only[] = {"id", "meta", NULL};

static bool check_group(json_t *res, scim_error *err)
{
    if (!json_is_object(res))
        return scim_fail(err, 400, "invalidSyntax", "a Group must be a JSON object");
    scim_drop_members(res, group_read_only);
    const char *name = scim_string(res, "displayName");
    if (!name || !*name)
        return scim_fail(err, 400, "invalidValue", "displayName is required (a non-empty string)");
    json_t *ext = scim_member(res, "externalId");
    if (ext && !json_is_string(ext) && !json_is_null(ext))
        return scim_fail(err, 400, "invalidValue", "externalId must be a string");
    json_t *members = scim_member(res, "members"), *m;
    if (members && !json_is_array(members) && !json_is_null(members))
        return scim_fail(err, 400, "invalidValue", "members must be an array");
    size_t i;
    json_array_foreach(members, i, m) {
        if (!scim_string(m, "value"))
            return scim_fail(err, 400, "invalidValue", "members[%zu].value must be a string (a user's id)", i);
    }
    return scim_ensure_schema(res, SCIM_SCHEMA_GROUP) == 0;
}

static json_t *load_group(emu *e, const json_t *row)
{
    json_t *res = json_loads(skit_json_string(row, "resource"), 0, NULL);
    json_t *rows = emu_db_rows(e->store,
                               "SELECT u.id, COALESCE(u.display_name, u.user_name) AS display FROM "
                               "directory_group_members m JOIN directory_users u ON u.id = m.user_id "
                               "WHERE m.group_id = ? ORDER BY u.rowid",
                               "s", skit_json_string(row, "id"));
    json_t *members = json_array(), *m;
    size_t i;
    if (!json_is_object(res) || !rows || !members) {
        json_decref(res);
        json_decref(rows);
        json_decref(members);
        return NULL;
    }
    json_array_foreach(rows, i, m) {
        json_array_append_new(members, json_pack("{s:O, s:O}", "value", json_object_get(m, "id"), "display",
                                                 json_object_get(m, "display")));
    }
    json_decref(rows);
    json_object_set_new(res, "members", members);
    return res;
}

/* Make the group's members those of @p members (checked: users of directory @p d). */
static int set_members(emu *e, const scim_dir *d, const char *id, const json_t *members, scim_error *err)
{
    if (emu_db_exec(e->store, "DELETE FROM directory_group_members WHERE group_id = ?", "s", id) < 0)
        return scim_fail(err, 500, NULL, "store failure"), -1;
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m) {
        const char *user = scim_string(m, "value");
        json_t *u = emu_db_row(e->store, "SELECT id FROM directory_users WHERE id = ? AND directory_id = ?", "ss",
                               user, d->id);
        json_decref(u);
        if (!u)
            return scim_fail(err, 400, "invalidValue", "members[%zu]: %.80s is no user of directory %s", i, user,
                             d->id), -1;
        if (emu_db_exec(e->store, "INSERT OR IGNORE INTO directory_group_members(group_id, user_id) VALUES (?, ?)",
                        "ss", id, user) < 0)
            return scim_fail(err, 500, NULL, "store failure"), -1;
    }
    return 0;
}

static int write_group(emu *e, const scim_dir *d, const json_t *row, const char *id, json_t *res, scim_error *err)
{
    json_t *members = json_incref(scim_member(res, "members"));
    scim_drop_members(res, (const char *const[]){"members", NULL});
    char *text = json_dumps(res, JSON_COMPACT | JSON_SORT_KEYS);
    int64_t now = skit_now();
    int n = !text ? -1
            : row ? emu_db_exec(e->store, "UPDATE directory_groups SET external_id = ?, display_name = ?, "
                                          "resource = ?, version = version + 1, update_time = ? WHERE id = ?",
                                "sssis", scim_string(res, "externalId"), scim_string(res, "displayName"), text,
                                now, id)
                  : emu_db_exec(e->store, "INSERT INTO directory_groups(id, directory_id, organization_id, "
                                          "external_id, display_name, resource, version, create_time, update_time) "
                                          "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
                                "ssssssii", id, d->id, d->organization_id, scim_string(res, "externalId"),
                                scim_string(res, "displayName"), text, now, now);
    free(text);
    int rc = n == 1 ? set_members(e, d, id, members, err) : (scim_fail(err, 500, NULL, "store failure"), -1);
    json_decref(members);
    if (rc != 0)
        return -1;
    json_t *after = emu_db_row(e->store, "SELECT * FROM directory_groups WHERE id = ?", "s", id);
    rc = after ? emu_directory_group_event(e, row ? "group_updated" : "group_created", after) : -1;
    json_decref(after);
    if (rc != 0)
        scim_fail(err, 500, NULL, "store failure");
    return rc;
}

static int remove_group(emu *e, const scim_dir *d, const json_t *row)
{
    (void)d;
    const char *id = skit_json_string(row, "id");
    if (emu_directory_group_event(e, "group_deleted", row) != 0 ||
        emu_db_exec(e->store, "DELETE FROM directory_group_members WHERE group_id = ?", "s", id) < 0 ||
        emu_db_exec(e->store, "DELETE FROM directory_groups WHERE id = ?", "s", id) != 1)
        return -1;
    return 0;
}

const scim_kind scim_group_kind = {
    .name = "Group",
    .endpoint = "Groups",
    .schema = SCIM_SCHEMA_GROUP,
    .table = "directory_groups",
    .id_prefix = "dirgroup_",
    .read_only = group_read_only,
    .refs = "members",
    .refs_endpoint = "Users",
    .check = check_group,
    .load = load_group,
    .write = write_group,
    .remove = remove_group,
};
