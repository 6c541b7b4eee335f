/*
 * Directories of an organization, declared for the resource engine (resource.h):
 * create (an RPC the OpenAPI file lacks, api/EXTRAS.md), get, list, update
 * (PATCH) and delete, in the API's shape (directoriesDirectory): the SCIM
 * endpoint the scim files serve, stats counted from what SCIM provisioned, the
 * secrets. Enable and disable send organization.directory_enabled / _disabled
 * (DirectoryEventData) in their write's transaction.
 *
 * SCIM bearer secrets (directory_secrets.c) are created and regenerated through
 * the API, the plain secret shown once. A directory takes its secrets, users,
 * groups and memberships with it, and an organization its directories.
 */
#include "environment.h"
#include "resources.h"

#include <stdlib.h>
#include <string.h>

/* The API's enums, less their UNSPECIFIED zero values. */
static const char *const directory_types[] = {"SCIM", "LDAP", "POLL", NULL};
static const char *const directory_providers[] = {"OKTA", "GOOGLE", "MICROSOFT_AD", "AUTH0", "ONELOGIN",
                                                  "JUMPCLOUD", "PING_IDENTITY", NULL};
static const char *const directory_statuses[] = {"DRAFT", "IN_PROGRESS", "COMPLETED", NULL};

/* ---- secrets ------------------------------------------------------------------- */

/* directoriesSecret. An ACTIVE secret has no status member: ACTIVE is the proto
 * enum's zero value, which the API's JSON leaves out (the OpenAPI file lists INACTIVE only). */
static json_t *secret_json(const json_t *row)
{
    json_t *out = json_pack("{s:s*, s:s*, s:s*}", "id", skit_json_string(row, "id"),
                            "directory_id", skit_json_string(row, "directory_id"),
                            "secret_suffix", skit_json_string(row, "secret_suffix"));
    const char *status = skit_json_string(row, "status");
    if (out && status && strcmp(status, "ACTIVE") != 0)
        json_object_set_new(out, "status", json_string(status));
    static const char *const times[] = {"create_time", "expire_time", "last_used_time"};
    for (size_t i = 0; out && i < sizeof times / sizeof times[0]; i++) {
        const json_t *t = json_object_get(row, times[i]);
        if (json_is_integer(t))
            json_object_set_new(out, times[i], emu_json_time(json_integer_value(t)));
    }
    return out;
}

/* ---- the shape ------------------------------------------------------------------ */

/* How many rows of @p table the directory has, and the latest update_time among them (0: none). */
static int count_rows(emu *e, const char *table, const char *directory_id, json_int_t *n, int64_t *latest)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) AS n, MAX(update_time) AS t FROM %s WHERE directory_id = ?", table);
    json_t *row = emu_db_row(e->store, sql, "s", directory_id);
    *n = json_integer_value(json_object_get(row, "n"));
    *latest = json_integer_value(json_object_get(row, "t"));
    json_decref(row);
    return row ? 0 : -1;
}

/* @p member of @p out an object holding the array @p inner ({} stored means none yet). */
static int ensure_list(json_t *out, const char *member, const char *inner)
{
    json_t *obj = json_object_get(out, member);
    if (!json_is_object(obj))
        return json_object_set_new(out, member, json_pack("{s:[]}", inner));
    return json_object_get(obj, inner) ? 0 : json_object_set_new(obj, inner, json_array());
}

static int shape_store(emu *e, const json_t *row, json_t *out)
{
    const char *id = skit_json_string(row, "id");
    json_int_t users, groups;
    int64_t users_at, groups_at;
    if (!id || count_rows(e, "directory_users", id, &users, &users_at) ||
        count_rows(e, "directory_groups", id, &groups, &groups_at))
        return -1;
    json_object_del(out, "environment_id");    /* not a member of the API's directory */
    char endpoint[EMU_MAX_URL + 128];
    snprintf(endpoint, sizeof endpoint, "%s/api/v1/directories/%s/scim/v2", e->url, id);
    json_t *stats = json_pack("{s:I, s:I}", "total_users", users, "total_groups", groups);
    if (stats && users_at)
        json_object_set_new(stats, "user_updated_at", emu_json_time(users_at));
    if (stats && groups_at)
        json_object_set_new(stats, "group_updated_at", emu_json_time(groups_at));
    int64_t synced = users_at > groups_at ? users_at : groups_at;
    if (!json_object_get(out, "last_synced_at") && synced)
        json_object_set_new(out, "last_synced_at", emu_json_time(synced));
    if (!json_object_get(out, "groups_tracked"))
        json_object_set_new(out, "groups_tracked", json_string("ALL"));

    json_t *rows = emu_db_rows(e->store, "SELECT * FROM directory_secrets WHERE directory_id = ? ORDER BY rowid",
                               "s", id);
    json_t *secrets = json_array(), *secret;
    size_t i;
    json_array_foreach(rows, i, secret)
        json_array_append_new(secrets, secret_json(secret));
    int rc = !rows || !stats || !secrets || json_array_size(secrets) != json_array_size(rows) ||
             json_object_set_new(out, "directory_endpoint", json_string(endpoint)) ||
             json_object_set_new(out, "total_users", json_integer(users)) ||
             json_object_set_new(out, "total_groups", json_integer(groups)) ||
             json_object_set(out, "stats", stats) || json_object_set(out, "secrets", secrets) ||
             ensure_list(out, "attribute_mappings", "attributes") ||
             ensure_list(out, "role_assignments", "assignments") ? -1 : 0;
    json_decref(rows);
    json_decref(stats);
    json_decref(secrets);
    return rc;
}

/* DirectoryEventData: the webhook's own names (provider, updated_at). */
static json_t *event_data(const json_t *row)
{
    return json_pack("{s:s*, s:s*, s:s*, s:s*, s:b, s:o}", "id", skit_json_string(row, "id"),
                     "organization_id", skit_json_string(row, "organization_id"),
                     "directory_type", skit_json_string(row, "directory_type"),
                     "provider", skit_json_string(row, "directory_provider"),
                     "enabled", json_integer_value(json_object_get(row, "enabled")) != 0,
                     "updated_at", emu_json_time(json_integer_value(json_object_get(row, "update_time"))));
}

/* ---- the extra routes ------------------------------------------------------------ */

/* The directory of path parameter @p param in the path's organization, inside
 * the caller's transaction; NULL after rolling back and replying 404. */
static json_t *find_directory(emu *e, emu_req *r, const char *param, int *rc)
{
    json_t *org = emu_resource_find(e, r, &emu_organization_resource, "organization_id", rc), *row = NULL;
    const char *id = emu_path_param(r, param);
    if (org && id)
        row = emu_db_row(e->store, "SELECT * FROM directories WHERE id = ? AND organization_id = ?", "ss", id,
                         skit_json_string(org, "id"));
    if (org && !row)
        *rc = emu_reply_error(r, 404, "NOT_FOUND", "directory %s not found", id ? id : "");
    if (!row)
        emu_tx_rollback(e->store);
    json_decref(org);
    return row;
}

/* Enable or disable: the toggle's answer (directoriesToggleDirectoryResponse) and,
 * when the state changes, its event; asking for the state it has changes nothing. */
static int toggle(emu *e, emu_req *r, bool enable)
{
    if (emu_tx_begin(e->store) != 0)
        return -1;
    int rc = 0;
    json_t *row = find_directory(e, r, "id", &rc), *after = NULL, *data = NULL;
    if (!row)
        return rc;
    const char *id = skit_json_string(row, "id");
    if ((json_integer_value(json_object_get(row, "enabled")) != 0) == enable) {
        emu_tx_rollback(e->store);
        json_decref(row);
        return emu_reply_json(r, 200, json_pack("{s:b, s:s}", "enabled", enable, "error_message",
                                                enable ? "The directory is already enabled"
                                                       : "The directory is already disabled"));
    }
    bool ok = emu_db_exec(e->store, "UPDATE directories SET enabled = ?, update_time = ? WHERE id = ?", "bis",
                          enable, skit_now(), id) == 1 &&
              (after = emu_resource_row(e, r->resource, id)) && (data = event_data(after)) &&
              emu_event_emit_object(e, enable ? "organization.directory_enabled" : "organization.directory_disabled",
                                    "Directory", skit_json_string(row, "organization_id"), data) == 0;
    rc = emu_tx_end(e->store, ok) == 0 ? emu_reply_json(r, 200, json_pack("{s:b}", "enabled", enable)) : -1;
    json_decref(row);
    json_decref(after);
    json_decref(data);
    return rc;
}

static int enable_directory(emu *e, emu_req *r)
{
    return toggle(e, r, true);
}

static int disable_directory(emu *e, emu_req *r)
{
    return toggle(e, r, false);
}

/* A new ACTIVE secret, answered once in plain ({plain_secret, secret}); regenerating
 * first makes every active secret of the directory INACTIVE. */
static int new_secret(emu *e, emu_req *r, bool regenerate)
{
    if (emu_tx_begin(e->store) != 0)
        return -1;
    int rc = 0;
    json_t *row = find_directory(e, r, "directory_id", &rc), *secret = NULL;
    if (!row)
        return rc;
    const char *id = skit_json_string(row, "id");
    char *plain = NULL;
    json_t *stored = NULL;
    bool ok = (!regenerate || emu_db_exec(e->store, "UPDATE directory_secrets SET status = 'INACTIVE' "
                                          "WHERE directory_id = ? AND status = 'ACTIVE'", "s", id) >= 0) &&
              emu_directory_secret_create(e, id, &plain, &stored) == 0 && (secret = secret_json(stored)) != NULL;
    json_decref(stored);
    rc = emu_tx_end(e->store, ok) == 0
        ? emu_reply_json(r, 200, json_pack("{s:s, s:O}", "plain_secret", plain, "secret", secret)) : -1;
    free(plain);
    json_decref(secret);
    json_decref(row);
    return rc;
}

static int create_secret(emu *e, emu_req *r)
{
    return new_secret(e, r, false);
}

static int regenerate_secret(emu *e, emu_req *r)
{
    return new_secret(e, r, true);
}

/* ---- deletes --------------------------------------------------------------------- */

/* What SCIM provisioned into the directories whose @p column is @p value, and their
 * secrets; with @p directories, those directories too. Inside the caller's transaction. */
static int delete_dependants(emu *e, const char *column, const char *value, bool directories)
{
    static const char *const statements[] = {
        ("DELETE FROM directory_group_members WHERE group_id IN (SELECT id FROM directory_groups "
         "WHERE directory_id IN (SELECT id FROM directories WHERE %s = ?))"),
        "DELETE FROM directory_secrets WHERE directory_id IN (SELECT id FROM directories WHERE %s = ?)",
        "DELETE FROM directory_users WHERE directory_id IN (SELECT id FROM directories WHERE %s = ?)",
        "DELETE FROM directory_groups WHERE directory_id IN (SELECT id FROM directories WHERE %s = ?)",
        "DELETE FROM directories WHERE %s = ?",
    };
    size_t n = sizeof statements / sizeof statements[0] - (directories ? 0 : 1);
    for (size_t i = 0; i < n; i++) {
        char sql[256];
        snprintf(sql, sizeof sql, statements[i], column);
        if (emu_db_exec(e->store, sql, "s", value) < 0)
            return -1;
    }
    return 0;
}

static int before_delete(emu *e, const json_t *row)
{
    return delete_dependants(e, "id", skit_json_string(row, "id"), false);
}

int emu_organization_directories_end(emu *e, const json_t *organization)
{
    return delete_dependants(e, "organization_id", skit_json_string(organization, "id"), true);
}

/* ---- the description ------------------------------------------------------------- */

static const emu_field fields[] = {
    {.name = "id", .flags = EMU_OUTPUT},
    {.name = "name", .flags = EMU_EMPTY_UNSET, .max_len = 200},
    {.name = "directory_type", .enum_values = directory_types},
    {.name = "directory_provider", .flags = EMU_REQUIRED, .enum_values = directory_providers},
    {.name = "organization_id", .flags = EMU_OUTPUT},
    {.name = "environment_id", .flags = EMU_OUTPUT | EMU_STAMP_ENVIRONMENT},
    {.name = "status", .enum_values = directory_statuses},
    {.name = "enabled", .type = EMU_BOOL, .flags = EMU_OUTPUT},
    {.name = "email", .flags = EMU_OUTPUT},
    {.name = "groups_tracked", .flags = EMU_OUTPUT},
    {.name = "attribute_mappings", .type = EMU_OBJECT, .flags = EMU_OUTPUT},
    {.name = "role_assignments", .type = EMU_OBJECT, .flags = EMU_OUTPUT},
    {.name = "last_synced_at", .type = EMU_TIMESTAMP, .flags = EMU_OUTPUT},
    {.name = "create_time", .type = EMU_TIMESTAMP, .flags = EMU_OUTPUT | EMU_STAMP_CREATE},
    {.name = "update_time", .type = EMU_TIMESTAMP, .flags = EMU_OUTPUT | EMU_STAMP_UPDATE},
    {0}
};

#define DIRECTORIES "/api/v1/organizations/{organization_id}/directories"
static const emu_route routes[] = {
    {"PATCH", DIRECTORIES "/{id}:enable", enable_directory, "organization_id id"},
    {"PATCH", DIRECTORIES "/{id}:disable", disable_directory, "organization_id id"},
    {"POST", DIRECTORIES "/{directory_id}/secrets", create_secret, "organization_id directory_id"},
    {"POST", DIRECTORIES "/{directory_id}/secrets:regenerate", regenerate_secret, "organization_id directory_id"},
    {NULL, NULL, NULL, NULL}
};

const emu_resource emu_directory_resource = {
    .name = "directory",
    .table = "directories",
    .id_prefix = "dir_",
    .route = DIRECTORIES,
    .single = "directory",
    .plural = "directories",
    .fields = fields,
    .parent = &emu_organization_resource,
    .parent_column = "organization_id",
    /* Its secrets, users, groups and memberships (no cascade entry: memberships are keyed by group). */
    .before_delete = before_delete,
    .shape_store = shape_store,
    .event_data = event_data,
    .routes = routes,
    .create_status = 200,
    /* The API's list is not paged: one page holds an organization's directories. */
    .default_page_size = 100,
};
