/*
 * Users, declared for the resource engine (resource.h): list, get and delete
 * by id (a user takes their memberships, sessions and refresh tokens along);
 * update by id or external id; get and delete by external id; search; and an
 * organization's users (list, search, CreateUserAndMembership). The hosted
 * login creates users through emu_user_ensure. Shapes: usersUser,
 * commonsUserProfile; rules: v1usersUpdateUser, usersCreateUser.
 */
#include "environment.h"
#include "resources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NAME 255

/* ---- user_profile --------------------------------------------------------------- */

/* The user_profile members a body may set, and their types; first_name and
 * last_name are the deprecated spellings of given_name and family_name. */
static const struct {
    const char *name;
    json_type type;
} profile_members[] = {
    {"given_name", JSON_STRING}, {"family_name", JSON_STRING}, {"name", JSON_STRING},
    {"first_name", JSON_STRING}, {"last_name", JSON_STRING}, {"locale", JSON_STRING},
    {"phone_number", JSON_STRING}, {"picture", JSON_STRING}, {"preferred_username", JSON_STRING},
    {"gender", JSON_STRING}, {"groups", JSON_ARRAY}, {"custom_attributes", JSON_OBJECT},
    {"metadata", JSON_OBJECT},
};

static const char *check_profile(const json_t *v, char *field, size_t field_len)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)v, key, value) {
        snprintf(field, field_len, "user_profile.%s", key);
        size_t i = 0;
        while (i < sizeof profile_members / sizeof *profile_members && strcmp(profile_members[i].name, key) != 0)
            i++;
        if (i == sizeof profile_members / sizeof *profile_members)
            return "unknown user_profile field";
        if (json_is_null(value))
            continue;
        if (json_typeof(value) != profile_members[i].type)
            return profile_members[i].type == JSON_STRING ? "must be a string"
                 : profile_members[i].type == JSON_ARRAY ? "must be an array of strings" : "must be an object";
        if (json_is_string(value) && emu_utf8_length(json_string_value(value)) > MAX_NAME)
            return "must be at most 255 characters";
        if (strcmp(key, "phone_number") == 0 && json_string_length(value) &&
            !emu_matches("^\\+[1-9][0-9]{6,14}$", json_string_value(value)))
            return "phone_number must be in E.164 format, as +14155552671";
        size_t j;
        json_t *g;
        json_array_foreach(value, j, g) {
            if (!json_is_string(g))
                return "groups must be an array of strings";
        }
        if (strcmp(key, "metadata") == 0 || strcmp(key, "custom_attributes") == 0) {
            const char *why = emu_check_metadata(value, field, field_len);
            if (why)
                return why;
        }
    }
    return NULL;
}

/* The name columns (the ID token's claims) over a profile lacking them: a user
 * made by signing in, or stored by an earlier build, has no profile JSON. */
static const char *const name_columns[] = {"given_name", "family_name", "name"};

static void names_from_columns(json_t *profile, const json_t *row)
{
    for (size_t i = 0; row && i < sizeof name_columns / sizeof *name_columns; i++) {
        const char *v = skit_json_string(row, name_columns[i]);
        if (v && !json_object_get(profile, name_columns[i]))
            json_object_set_new(profile, name_columns[i], json_string(v));
    }
}

/* user_profile: the stored profile, plus its id and email_verified. */
static int shape(const json_t *row, json_t *out)
{
    json_t *profile = json_object_get(out, "user_profile");
    if (!json_is_object(profile))
        return -1;
    names_from_columns(profile, row);
    json_object_set_new(profile, "id", json_string(skit_json_string(row, "id")));
    json_object_set_new(profile, "email_verified",
                        json_boolean(json_integer_value(json_object_get(row, "email_verified")) != 0));
    return 0;
}

static int shape_store(emu *e, const json_t *row, json_t *out)
{
    json_t *memberships = emu_user_memberships(e, skit_json_string(row, "id"));
    return memberships ? json_object_set_new(out, "memberships", memberships) : -1;
}

/* ---- the resource ---------------------------------------------------------------- */

static const char *const email_pattern = "^[^@[:space:]<>\"(),;:]+@[^@[:space:]<>\"(),;:]+$";

static const emu_field fields[] = {
    {.name = "id", .flags = EMU_OUTPUT},
    {.name = "email", .flags = EMU_REQUIRED | EMU_UNIQUE, .min_len = 3, .max_len = 254,
     .pattern = email_pattern, .message = "email must be a valid email address"},
    {.name = "external_id", .flags = EMU_UNIQUE | EMU_EMPTY_UNSET, .max_len = MAX_NAME},
    {.name = "metadata", .type = EMU_OBJECT, .check = emu_check_metadata},
    {.name = "user_profile", .column = "profile", .type = EMU_OBJECT, .check = check_profile},
    {.name = "create_time", .type = EMU_TIMESTAMP, .flags = EMU_OUTPUT | EMU_STAMP_CREATE},
    {.name = "update_time", .type = EMU_TIMESTAMP, .flags = EMU_OUTPUT | EMU_STAMP_UPDATE},
    {.name = "last_login_time", .type = EMU_TIMESTAMP, .flags = EMU_OUTPUT},
    {0}
};

extern const emu_route emu_user_extra_routes[];

const emu_resource emu_user_resource = {
    .name = "user",
    .table = "users",
    .id_prefix = "usr_",
    .route = "/api/v1/users",
    .single = "user",
    .plural = "users",
    .fields = fields,
    /* A user takes their memberships, sessions and refresh tokens along. */
    .cascade = (const emu_cascade[]){{"memberships", "user_id"}, {"sessions", "user_id"},
                                     {"refresh_tokens", "user_id"}, {0}},
    .shape = shape,
    .shape_store = shape_store,
    .routes = emu_user_extra_routes,
    /* Users are created in an organization (or by signing in); updates merge the
     * profile; a delete tells the webhook of each membership it ends. */
    .omit_routes = EMU_ROUTE_CREATE | EMU_ROUTE_UPDATE | EMU_ROUTE_DELETE,
};

/* ---- the store, for the hosted login and the token endpoint ------------------------ */

json_t *emu_user_row(emu *e, const char *user_id)
{
    return emu_resource_row(e, &emu_user_resource, user_id);
}

json_t *emu_user_json(emu *e, const json_t *row)
{
    return emu_resource_json_in(e, &emu_user_resource, row);
}

char *emu_user_ensure(emu *e, const char *email, const char *organization_id)
{
    int64_t now = skit_now();
    char *id = NULL;
    if (emu_tx_begin(e->store) != 0)
        return NULL;
    json_t *row = emu_db_row(e->store, "SELECT id FROM users WHERE email = ?", "s", email);
    bool ok = true;
    if (row) {
        id = strdup(skit_json_string(row, "id"));
    } else {
        id = emu_new_id("usr_", 8);
        ok = id && emu_db_exec(e->store, "INSERT INTO users(id, email, email_verified, create_time, update_time) "
                                         "VALUES (?, ?, 1, ?, ?)", "ssii", id, email, now, now) == 1;
    }
    /* Signing in to an organization makes a member of it (an invitation becomes active). */
    if (ok && id && organization_id && *organization_id)
        ok = emu_membership_join(e, organization_id, id) == 0;
    ok = ok && id && emu_db_exec(e->store, "UPDATE users SET last_login_time = ? WHERE id = ?", "is", now, id) == 1;
    /* user.signup's data needs the organization signed up to (OrgMembershipEventData). */
    if (ok && !row && organization_id && *organization_id)
        ok = emu_user_event(e, "user.signup", organization_id, id) == 0;
    json_decref(row);
    if (emu_tx_end(e->store, ok) != 0) {
        free(id);
        return NULL;
    }
    return id;
}

/* ---- writes ------------------------------------------------------------------------ */

/* given_name, family_name and name of a profile (first_name and last_name folded
 * in) into their columns, so the ID token can read them. */
static void fold_names(json_t *profile)
{
    static const char *const renames[][2] = {{"first_name", "given_name"}, {"last_name", "family_name"}};
    for (size_t i = 0; i < 2; i++) {
        json_t *v = json_object_get(profile, renames[i][0]);
        if (v && !json_object_get(profile, renames[i][1]))
            json_object_set(profile, renames[i][1], v);
        json_object_del(profile, renames[i][0]);
    }
}

/* Store @p changes merged into the profile of @p row (NULL: a new user) and its name columns. 0 or -1. */
static int write_profile(emu *e, const char *id, const json_t *row, const json_t *changes)
{
    const char *current = skit_json_string(row, "profile");
    json_t *profile = json_loads(current ? current : "{}", 0, NULL);
    if (!json_is_object(profile)) {
        json_decref(profile);
        profile = json_object();
    }
    names_from_columns(profile, row);
    json_object_update(profile, (json_t *)changes);
    fold_names(profile);
    char *text = json_dumps(profile, JSON_COMPACT);
    int n = text ? emu_db_exec(e->store, "UPDATE users SET profile = ?, given_name = ?, family_name = ?, name = ? "
                                         "WHERE id = ?", "sssss", text, skit_json_string(profile, "given_name"),
                               skit_json_string(profile, "family_name"), skit_json_string(profile, "name"), id)
                   : -1;
    free(text);
    json_decref(profile);
    return n == 1 ? 0 : -1;
}

/* The user whose @p column equals path parameter @p param, or NULL after a 404. */
static json_t *user_or_404(emu *e, emu_req *r, const char *column, const char *param, int *rc)
{
    const char *value = emu_path_param(r, param);
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT * FROM users WHERE %s = ?", column);
    json_t *row = value ? emu_db_row(e->store, sql, "s", value) : NULL;
    if (!row)
        *rc = strcmp(column, "id") == 0 ? emu_reply_error(r, 404, "NOT_FOUND", "user %s not found", value ? value : "")
            : emu_reply_error(r, 404, "NOT_FOUND", "user with %s %s not found", column, value ? value : "");
    return row;
}

/* A body checked against the user's fields (the update rules when !create), or NULL after a 400. */
static json_t *user_body(emu_req *r, bool create, int *rc)
{
    json_t *body = emu_json_body(r);
    char field[128];
    const char *why = NULL;
    if (!body)
        *rc = emu_reply_error(r, 400, "INVALID_ARGUMENT", "the request body must be a JSON object");
    else if (!create && json_object_get(body, "email"))
        *rc = emu_reply_field_error(r, "email", "email cannot be changed");
    else if ((why = emu_fields_validate(&emu_user_resource, body, create, field, sizeof field)))
        *rc = emu_reply_field_error(r, field, why);
    return body && !why && (create || !json_object_get(body, "email")) ? body : NULL;
}

static int update_user(emu *e, emu_req *r, const char *column, const char *param)
{
    int rc = 0;
    json_t *body = user_body(r, false, &rc);
    if (!body)
        return rc;
    if (emu_tx_begin(e->store) != 0)
        return -1;
    json_t *row = user_or_404(e, r, column, param, &rc), *after = NULL;
    if (!row) {
        emu_tx_rollback(e->store);
        return rc;
    }
    const char *id = skit_json_string(row, "id");
    json_t *external = json_object_get(body, "external_id"), *metadata = json_object_get(body, "metadata");
    char *meta_text = json_is_object(metadata) ? json_dumps(metadata, JSON_COMPACT) : NULL;
    int n = emu_db_exec(e->store, "UPDATE users SET update_time = ? WHERE id = ?", "is", skit_now(), id);
    if (n == 1 && external)
        n = emu_db_exec(e->store, "UPDATE users SET external_id = NULLIF(?, '') WHERE id = ?", "ss",
                        json_string_value(external), id);
    if (n == 1 && metadata)
        n = emu_db_exec(e->store, "UPDATE users SET metadata = ? WHERE id = ?", "ss", meta_text ? meta_text : "{}", id);
    if (n == 1 && json_is_object(json_object_get(body, "user_profile")))
        n = write_profile(e, id, row, json_object_get(body, "user_profile")) == 0 ? 1 : -1;
    free(meta_text);
    if (n != 1) {
        rc = emu_resource_reply_conflict(e, r, &emu_user_resource, body, n);
    } else if ((after = emu_user_row(e, id)) && emu_tx_commit(e->store) == 0) {
        rc = emu_resource_reply(r, &emu_user_resource, 200, after);
    } else {
        if (!after)
            emu_tx_rollback(e->store);
        rc = -1;
    }
    json_decref(row);
    json_decref(after);
    return rc;
}

static int update_by_id(emu *e, emu_req *r) { return update_user(e, r, "id", "id"); }
static int update_by_external_id(emu *e, emu_req *r) { return update_user(e, r, "external_id", "external_id"); }

static int get_by_external_id(emu *e, emu_req *r)
{
    return emu_resource_reply_by(e, r, &emu_user_resource, "external_id");
}

int emu_user_delete(emu *e, const char *user_id)
{
    /* A user's memberships end with them: each says so to the webhook. */
    json_t *orgs = emu_db_rows(e->store, "SELECT organization_id FROM memberships WHERE user_id = ?", "s", user_id);
    size_t i;
    json_t *m;
    int rc = orgs ? 0 : -1;
    json_array_foreach(orgs, i, m) {
        if (rc == 0)
            rc = emu_user_event(e, "user.organization_membership_deleted", skit_json_string(m, "organization_id"),
                                user_id);
    }
    json_decref(orgs);
    for (const emu_cascade *c = emu_user_resource.cascade; rc == 0 && c->table; c++) {
        char sql[96];
        snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s = ?", c->table, c->column);
        rc = emu_db_exec(e->store, sql, "s", user_id) >= 0 ? 0 : -1;
    }
    return rc == 0 && emu_db_exec(e->store, "DELETE FROM users WHERE id = ?", "s", user_id) == 1 ? 0 : -1;
}

static int delete_user(emu *e, emu_req *r, const char *column, const char *param)
{
    int rc = 0;
    if (emu_tx_begin(e->store) != 0)
        return -1;
    json_t *row = user_or_404(e, r, column, param, &rc);
    if (!row) {
        emu_tx_rollback(e->store);
        return rc;
    }
    rc = emu_user_delete(e, skit_json_string(row, "id"));
    json_decref(row);
    if (rc != 0) {
        emu_tx_rollback(e->store);
        return -1;
    }
    return emu_tx_commit(e->store) == 0 ? emu_reply_json(r, 200, json_object()) : -1;
}

static int delete_by_id(emu *e, emu_req *r) { return delete_user(e, r, "id", "id"); }
static int delete_by_external_id(emu *e, emu_req *r) { return delete_user(e, r, "external_id", "external_id"); }

/* ---- lists and searches -------------------------------------------------------------- */

/* The API's search: email, id or external id contain the query, whatever the case. */
#define SEARCH_WHERE "(email LIKE ?1 ESCAPE '\\' OR id LIKE ?1 ESCAPE '\\' OR external_id LIKE ?1 ESCAPE '\\')"
#define MAX_SEARCH_PAGE_SIZE 30

/* The LIKE pattern of the search's query (wildcards escaped), or NULL after a 400
 * (a query under 3 characters, a page_size over the search's 30). */
static json_t *search_pattern(emu_req *r, int *rc)
{
    const char *q = emu_query(r, "query"), *size = emu_query(r, "page_size");
    if (!q || emu_utf8_length(q) < 3) {
        *rc = emu_reply_field_error(r, "query", "query must be at least 3 characters");
        return NULL;
    }
    if (size && strtol(size, NULL, 10) > MAX_SEARCH_PAGE_SIZE) {
        *rc = emu_reply_field_error(r, "page_size", "page_size must be between 1 and 30");
        return NULL;
    }
    skit_buf b = SKIT_BUF_INIT;
    skit_buf_puts(&b, "%");
    for (const char *c = q; *c; c++) {
        if (*c == '%' || *c == '_' || *c == '\\')
            skit_buf_puts(&b, "\\");
        skit_buf_put(&b, c, 1);
    }
    skit_buf_puts(&b, "%");
    json_t *pattern = b.ptr ? json_string(b.ptr) : NULL;
    skit_buf_free(&b);
    return pattern;
}

static int search_users(emu *e, emu_req *r)
{
    int rc = 0;
    json_t *pattern = search_pattern(r, &rc);
    if (!pattern)
        return rc;
    json_t *params = json_pack("[o]", pattern);
    rc = params ? emu_resource_list(e, r, &emu_user_resource, SEARCH_WHERE, params) : -1;
    json_decref(params);
    return rc;
}

/* The organization of the path, or false after a 404. */
static bool organization_exists(emu *e, emu_req *r, int *rc)
{
    json_t *org = emu_resource_find(e, r, &emu_organization_resource, "organization_id", rc);
    json_decref(org);
    return org != NULL;
}

#define MEMBER_WHERE "id IN (SELECT user_id FROM memberships WHERE organization_id = ?)"

static int list_organization_users(emu *e, emu_req *r)
{
    int rc = 0;
    if (!organization_exists(e, r, &rc))
        return rc;
    json_t *params = json_pack("[s]", emu_path_param(r, "organization_id"));
    rc = params ? emu_resource_list(e, r, &emu_user_resource, MEMBER_WHERE, params) : -1;
    json_decref(params);
    return rc;
}

static int search_organization_users(emu *e, emu_req *r)
{
    int rc = 0;
    json_t *pattern = organization_exists(e, r, &rc) ? search_pattern(r, &rc) : NULL;
    if (!pattern)
        return rc;
    /* ?1 is the pattern (numbered), so the membership's organization is ?2. */
    json_t *params = json_pack("[o, s]", pattern, emu_path_param(r, "organization_id"));
    rc = params ? emu_resource_list(e, r, &emu_user_resource,
                                    SEARCH_WHERE " AND id IN (SELECT user_id FROM memberships WHERE organization_id = ?2)",
                                    params) : -1;
    json_decref(params);
    return rc;
}

/* ---- CreateUserAndMembership ---------------------------------------------------------- */

static int create_organization_user(emu *e, emu_req *r)
{
    int rc = 0;
    json_t *body = user_body(r, true, &rc);
    if (!body)
        return rc;
    json_t *membership = json_object_get(body, "membership");
    emu_membership_input in;
    if (!emu_membership_input_read(r, membership, "membership.", &in, &rc))
        return rc;
    if (!organization_exists(e, r, &rc)) {
        emu_membership_input_free(&in);
        return rc;
    }
    const char *org = emu_path_param(r, "organization_id");
    char *id = emu_new_id("usr_", 8);
    int64_t now = skit_now();
    json_t *values = id ? emu_fields_values(&emu_user_resource, body, true, now) : NULL;
    json_t *after = NULL;
    rc = -1;
    if (values && emu_tx_begin(e->store) == 0) {
        const char *external = skit_json_string(values, "external_id");
        const char *metadata = skit_json_string(values, "metadata");
        int n = emu_db_exec(e->store, "INSERT INTO users(id, email, external_id, metadata, create_time, update_time) "
                                      "VALUES (?, ?, ?, ?, ?, ?)", "ssssii", id, json_string_value(json_object_get(body, "email")),
                            external, metadata ? metadata : "{}", now, now);
        json_t *profile = json_object_get(body, "user_profile");
        if (n == 1 && json_is_object(profile))
            n = write_profile(e, id, NULL, profile) == 0 ? 1 : -1;
        if (n != 1) {
            rc = emu_resource_reply_conflict(e, r, &emu_user_resource, body, n);
        } else if (emu_membership_create(e, r, org, id, &in) == 0 && (after = emu_user_row(e, id)) &&
                   emu_tx_commit(e->store) == 0) {
            rc = emu_resource_reply(r, &emu_user_resource, 201, after);
        } else if (!after) {
            emu_tx_rollback(e->store);
        }
    }
    emu_membership_input_free(&in);
    json_decref(values);
    json_decref(after);
    free(id);
    return rc;
}

const emu_route emu_user_extra_routes[] = {
    {"PATCH", "/api/v1/users/{id}", update_by_id, "id"},
    {"DELETE", "/api/v1/users/{id}", delete_by_id, "id"},
    {"GET", "/api/v1/users:external/{external_id}", get_by_external_id, "external_id"},
    {"PATCH", "/api/v1/users:external/{external_id}", update_by_external_id, "external_id"},
    {"DELETE", "/api/v1/users:external/{external_id}", delete_by_external_id, "external_id"},
    {"GET", "/api/v1/users:search", search_users, NULL},
    {"GET", "/api/v1/organizations/{organization_id}/users", list_organization_users, "organization_id"},
    {"POST", "/api/v1/organizations/{organization_id}/users", create_organization_user, "organization_id"},
    {"GET", "/api/v1/organizations/{organization_id}/users:search", search_organization_users, "organization_id"},
    {NULL, NULL, NULL, NULL}
};
