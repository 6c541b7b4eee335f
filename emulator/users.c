/*
 * Users: the store functions the login page needs and GET /api/v1/users/{id}
 * (usersGetUserResponse). The users helper extends this file's route table.
 */
#include "environment.h"
#include "resources.h"

#include <stdlib.h>
#include <string.h>

json_t *emu_user_row(emu *e, const char *user_id)
{
    return user_id ? emu_db_row(e->store, "SELECT * FROM users WHERE id = ?", "s", user_id) : NULL;
}

char *emu_user_ensure(emu *e, const char *email, const char *organization_id)
{
    int64_t now = skit_now();
    char *id = NULL;
    emu_db_lock(e->store);
    json_t *row = emu_db_row(e->store, "SELECT id FROM users WHERE email = ?", "s", email);
    if (row) {
        id = strdup(skit_json_string(row, "id"));
    } else {
        id = emu_new_id("usr_", 8);
        if (id && emu_db_exec(e->store, "INSERT INTO users(id, email, email_verified, create_time, update_time) "
                                        "VALUES (?, ?, 1, ?, ?)", "ssii", id, email, now, now) != 1) {
            free(id);
            id = NULL;
        }
    }
    if (id && organization_id && *organization_id &&
        emu_db_exec(e->store, "INSERT OR IGNORE INTO memberships(organization_id, user_id, roles, created_at) "
                              "VALUES (?, ?, '[\"member\"]', ?)", "ssi", organization_id, id, now) < 0) {
        free(id);
        id = NULL;
    }
    if (id)
        emu_db_exec(e->store, "UPDATE users SET last_login_time = ? WHERE id = ?", "is", now, id);
    emu_db_unlock(e->store);
    json_decref(row);
    return id;
}

static void set_time(json_t *obj, const char *name, const json_t *row, const char *column)
{
    json_t *v = json_object_get(row, column);
    if (json_is_integer(v))
        json_object_set_new(obj, name, emu_json_time(json_integer_value(v)));
}

static void set_string(json_t *obj, const char *name, const json_t *row, const char *column)
{
    const char *v = skit_json_string(row, column);
    if (v)
        json_object_set_new(obj, name, json_string(v));
}

json_t *emu_user_json(emu *e, const json_t *row)
{
    json_t *u = json_object();
    json_t *profile = json_object();
    json_t *memberships = emu_db_rows(e->store, "SELECT organization_id, roles, membership_status "
                                                "FROM memberships WHERE user_id = ? ORDER BY created_at",
                                      "s", skit_json_string(row, "id"));
    json_t *metadata = json_loads(skit_json_string(row, "metadata") ? skit_json_string(row, "metadata") : "{}",
                                  0, NULL);
    if (!u || !profile || !memberships) {
        json_decref(u);
        json_decref(profile);
        json_decref(memberships);
        json_decref(metadata);
        return NULL;
    }
    set_string(u, "id", row, "id");
    set_string(u, "email", row, "email");
    set_string(u, "external_id", row, "external_id");
    set_time(u, "create_time", row, "create_time");
    set_time(u, "update_time", row, "update_time");
    set_time(u, "last_login_time", row, "last_login_time");
    json_object_set_new(u, "metadata", json_is_object(metadata) ? json_incref(metadata) : json_object());
    json_decref(metadata);

    set_string(profile, "id", row, "id");
    set_string(profile, "given_name", row, "given_name");
    set_string(profile, "family_name", row, "family_name");
    set_string(profile, "name", row, "name");
    json_object_set_new(profile, "email_verified",
                        json_boolean(json_integer_value(json_object_get(row, "email_verified")) != 0));
    json_object_set_new(u, "user_profile", profile);

    size_t i;
    json_t *m;
    json_array_foreach(memberships, i, m) {
        json_t *roles = json_loads(skit_json_string(m, "roles"), 0, NULL);
        json_t *shaped = json_array();
        size_t j;
        json_t *role;
        json_array_foreach(roles, j, role) {
            if (json_is_string(role))
                json_array_append_new(shaped, json_pack("{s:O}", "name", role));
        }
        json_decref(roles);
        json_object_set_new(m, "roles", shaped);
    }
    json_object_set_new(u, "memberships", memberships);
    return u;
}

static int get_user(emu *e, emu_req *r)
{
    const char *id = emu_path_param(r, "id");
    json_t *row = emu_user_row(e, id);
    if (!row)
        return emu_reply_error(r, 404, "NOT_FOUND", "user %s not found", id);
    json_t *user = emu_user_json(e, row);
    json_decref(row);
    if (!user)
        return -1;
    return emu_reply_json(r, 200, json_pack("{s:o}", "user", user));
}

const emu_route emu_user_routes[] = {
    {"GET", "/api/v1/users/{id}", get_user, NULL},
    {NULL, NULL, NULL, NULL}
};
