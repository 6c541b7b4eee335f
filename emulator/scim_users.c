/*
 * SCIM Users (RFC 7643 section 4.1) in the directory_users table: the resource
 * as written, and the columns the REST listing reads (userName, the primary
 * email, the name parts, active) copied out of it. userName is unique in a
 * directory whatever its case (409 uniqueness).
 */
#include "scim.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const user_read_only[] = {"id", "meta", "groups", NULL};
/* Never stored or shown: password is writeOnly (RFC 7643 section 4.1.1). */
static const char *const user_not_stored[] = {"id", "meta", "groups", "password", NULL};

/* active as Entra may send it: "True" / "False" strings become booleans. */
static bool check_active(json_t *res, scim_error *err)
{
    const char *k = scim_key(res, "active");
    json_t *v = k ? json_object_get(res, k) : NULL;
    if (!v || json_is_boolean(v))
        return true;
    const char *s = json_string_value(v);
    if (s && (strcasecmp(s, "true") == 0 || strcasecmp(s, "false") == 0)) {
        json_object_set_new(res, k, json_boolean(strcasecmp(s, "true") == 0));
        return true;
    }
    return scim_fail(err, 400, "invalidValue", "active must be a boolean");
}

static bool check_user(json_t *res, scim_error *err)
{
    if (!json_is_object(res))
        return scim_fail(err, 400, "invalidSyntax", "a User must be a JSON object");
    scim_drop_members(res, user_not_stored);
    const char *user_name = scim_string(res, "userName");
    if (!user_name || !*user_name)
        return scim_fail(err, 400, "invalidValue", "userName is required (a non-empty string)");
    static const char *const strings[] = {"externalId", "displayName", NULL};
    for (const char *const *n = strings; *n; n++) {
        json_t *v = scim_member(res, *n);
        if (v && !json_is_string(v) && !json_is_null(v))
            return scim_fail(err, 400, "invalidValue", "%s must be a string", *n);
    }
    json_t *name = scim_member(res, "name");
    if (name && !json_is_object(name) && !json_is_null(name))
        return scim_fail(err, 400, "invalidValue", "name must be an object");
    json_t *emails = scim_member(res, "emails"), *email;
    size_t i;
    if (emails && !json_is_array(emails) && !json_is_null(emails))
        return scim_fail(err, 400, "invalidValue", "emails must be an array");
    json_array_foreach(emails, i, email) {
        if (!scim_string(email, "value"))
            return scim_fail(err, 400, "invalidValue", "emails[%zu].value must be a string", i);
    }
    return check_active(res, err) && scim_ensure_schema(res, SCIM_SCHEMA_USER) == 0;
}

static json_t *load_user(emu *e, const json_t *row)
{
    json_t *res = json_loads(skit_json_string(row, "resource"), 0, NULL);
    if (!json_is_object(res)) {
        json_decref(res);
        return NULL;
    }
    if (!scim_key(res, "active"))
        json_object_set_new(res, "active", json_boolean(json_integer_value(json_object_get(row, "active"))));
    json_t *groups = emu_directory_user_groups(e, skit_json_string(row, "id"));
    if (!groups) {
        json_decref(res);
        return NULL;
    }
    json_object_set_new(res, "groups", groups);
    return res;
}

/* The primary email's value, else the first one's. */
static const char *primary_email(const json_t *res)
{
    json_t *emails = scim_member(res, "emails"), *email;
    size_t i;
    json_array_foreach(emails, i, email) {
        if (json_is_true(scim_member(email, "primary")))
            return scim_string(email, "value");
    }
    return scim_string(json_array_get(emails, 0), "value");
}

static int write_user(emu *e, const scim_dir *d, const json_t *row, const char *id, json_t *res, scim_error *err)
{
    const json_t *name = scim_member(res, "name");
    const char *display = scim_string(res, "displayName");
    if (!display)
        display = scim_string(name, "formatted");
    const json_t *a = scim_member(res, "active");
    bool active = !a || json_is_true(a);
    char *text = json_dumps(res, JSON_COMPACT | JSON_SORT_KEYS);
    if (!text)
        return scim_fail(err, 500, NULL, "out of memory"), -1;
    int64_t now = skit_now();
    const char *user_name = scim_string(res, "userName");
    int n = row ? emu_db_exec(e->store,
                              "UPDATE directory_users SET external_id = ?, user_name = ?, email = ?, given_name = ?, "
                              "family_name = ?, display_name = ?, active = ?, resource = ?, version = version + 1, "
                              "update_time = ? WHERE id = ?",
                              "ssssssbsis", scim_string(res, "externalId"), user_name, primary_email(res),
                              scim_string(name, "givenName"), scim_string(name, "familyName"), display, active,
                              text, now, id)
                : emu_db_exec(e->store,
                              "INSERT INTO directory_users(id, directory_id, organization_id, external_id, user_name, "
                              "email, given_name, family_name, display_name, active, resource, version, create_time, "
                              "update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                              "sssssssssbsii", id, d->id, d->organization_id, scim_string(res, "externalId"),
                              user_name, primary_email(res), scim_string(name, "givenName"),
                              scim_string(name, "familyName"), display, active, text, now, now);
    free(text);
    if (n == EMU_DB_CONSTRAINT)
        return scim_fail(err, 409, "uniqueness", "userName %.128s is already taken in directory %s", user_name,
                         d->id), -1;
    json_t *after = n == 1 ? emu_db_row(e->store, "SELECT * FROM directory_users WHERE id = ?", "s", id) : NULL;
    int rc = after ? emu_directory_user_event(e, row ? "user_updated" : "user_created", after) : -1;
    json_decref(after);
    if (rc != 0)
        scim_fail(err, 500, NULL, "store failure");
    return rc;
}

static int remove_user(emu *e, const scim_dir *d, const json_t *row)
{
    (void)d;
    const char *id = skit_json_string(row, "id");
    /* The event carries the groups the user had, so it goes first. */
    if (emu_directory_user_event(e, "user_deleted", row) != 0 ||
        emu_db_exec(e->store, "DELETE FROM directory_group_members WHERE user_id = ?", "s", id) < 0 ||
        emu_db_exec(e->store, "DELETE FROM directory_users WHERE id = ?", "s", id) != 1)
        return -1;
    return 0;
}

const scim_kind scim_user_kind = {
    .name = "User",
    .endpoint = "Users",
    .schema = SCIM_SCHEMA_USER,
    .table = "directory_users",
    .id_prefix = "diruser_",
    .read_only = user_read_only,
    .refs = "groups",
    .refs_endpoint = "Groups",
    .check = check_user,
    .load = load_user,
    .write = write_user,
    .remove = remove_user,
};
