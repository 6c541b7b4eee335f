/*
 * An organization's settings: feature toggles, user management settings, the
 * session policy, and admin portal links (organizations.c has the organization
 * itself).
 */
#include "environment.h"
#include "resources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <microhttpd.h>

#define PORTAL_LINK_TTL 60   /* seconds: "The link is valid for 1 minute" */

static const char *const known_features[] = {"sso", "dir_sync", "domain_verification",
                                             "session_policy", NULL};

static bool in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; s && list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

/* The organization of the route's {organization_id}, or NULL after a 404 reply. */
static json_t *org_or_404(emu *e, emu_req *r, int *rc)
{
    return emu_resource_find(e, r, &emu_organization_resource, "organization_id", rc);
}

/* ---- feature toggles ------------------------------------------------------- */

/* Merge the toggles of @p features into @p current (by name); a description of the
 * first invalid one (its field in @p field) or NULL. */
static const char *merge_features(json_t *current, const json_t *features, char *field, size_t len)
{
    size_t i;
    json_t *f;
    json_array_foreach(features, i, f) {
        const char *name = skit_json_string(f, "name");
        json_t *enabled = json_object_get(f, "enabled");
        snprintf(field, len, "features[%zu].name", i);
        if (!name)
            return "each feature needs a name";
        if (!in_list(known_features, name))
            return "unsupported feature: expected sso, dir_sync, domain_verification or session_policy";
        snprintf(field, len, "features[%zu].enabled", i);
        if (!json_is_boolean(enabled))
            return "each feature needs enabled, a boolean";
        size_t j;
        json_t *have;
        bool found = false;
        json_array_foreach(current, j, have) {
            if (strcmp(skit_json_string(have, "name") ? skit_json_string(have, "name") : "", name) == 0) {
                json_object_set(have, "enabled", enabled);
                found = true;
            }
        }
        if (!found)
            json_array_append_new(current, json_pack("{s:s, s:O}", "name", name, "enabled", enabled));
    }
    return NULL;
}

static int update_settings(emu *e, emu_req *r)
{
    int rc = 0;
    json_t *body = emu_json_body(r);
    json_t *features = json_object_get(body, "features");
    if (!body)
        return emu_reply_error(r, 400, "INVALID_ARGUMENT", "the request body must be a JSON object");
    if (features && !json_is_array(features))
        return emu_reply_field_error(r, "features", "features must be an array");
    if (emu_tx_begin(e->store) != 0)
        return -1;
    json_t *row = org_or_404(e, r, &rc), *after = NULL, *current = NULL;
    char field[64];
    const char *why = NULL;
    char *text = NULL;
    if (row) {
        current = json_loads(skit_json_string(row, "features"), 0, NULL);
        if (!json_is_array(current)) {
            json_decref(current);
            current = json_array();
        }
        why = merge_features(current, features, field, sizeof field);
        text = why ? NULL : json_dumps(current, JSON_COMPACT);
    }
    if (!row || why) {
        emu_tx_rollback(e->store);
        rc = why ? emu_reply_field_error(r, field, why) : rc;
    } else if (!text || emu_db_exec(e->store, "UPDATE organizations SET features = ?, update_time = ? "
                                              "WHERE id = ?", "sis", text, skit_now(),
                                    skit_json_string(row, "id")) != 1) {
        emu_tx_rollback(e->store);
        rc = -1;
    } else {
        rc = emu_resource_commit_update(e, &emu_organization_resource, skit_json_string(row, "id"), &after);
        if (rc == 0)
            rc = emu_resource_reply(r, &emu_organization_resource, 200, after);
    }
    free(text);
    json_decref(current);
    json_decref(row);
    json_decref(after);
    return rc;
}

/* ---- user management ---------------------------------------------------------- */

static json_t *user_management_json(const json_t *row)
{
    json_t *s = json_object();
    json_t *max = json_object_get(row, "max_allowed_users");
    if (s && json_is_integer(max))
        json_object_set_new(s, "max_allowed_users", json_integer(json_integer_value(max)));
    return s;
}

static int upsert_user_management(emu *e, emu_req *r)
{
    int rc = 0;
    json_t *body = emu_json_body(r);
    if (!body)
        return emu_reply_error(r, 400, "INVALID_ARGUMENT", "the request body must be a JSON object");
    json_t *settings = json_object_get(body, "settings");
    json_t *max = json_object_get(settings, "max_allowed_users");
    if (settings && !json_is_object(settings))
        return emu_reply_field_error(r, "settings", "settings must be an object");
    if (max && !json_is_null(max) &&
        (!json_is_integer(max) || json_integer_value(max) < 0 || json_integer_value(max) > INT32_MAX))
        return emu_reply_field_error(r, "settings.max_allowed_users",
                                     "max_allowed_users must be an integer from 0 to 2147483647");
    if (emu_tx_begin(e->store) != 0)
        return -1;
    json_t *row = org_or_404(e, r, &rc), *after = NULL;
    if (row && max) {
        const char *id = skit_json_string(row, "id");
        int n = json_is_null(max)
            ? emu_db_exec(e->store, "UPDATE organizations SET max_allowed_users = NULL WHERE id = ?", "s", id)
            : emu_db_exec(e->store, "UPDATE organizations SET max_allowed_users = ? WHERE id = ?", "is",
                          (int64_t)json_integer_value(max), id);
        rc = n == 1 ? 0 : -1;
    }
    if (row && rc == 0)
        after = emu_resource_row(e, &emu_organization_resource, skit_json_string(row, "id"));
    if (after && emu_tx_commit(e->store) == 0)
        rc = emu_reply_json(r, 200, json_pack("{s:o}", "settings", user_management_json(after)));
    else if (row && rc == 0)
        rc = -1;
    if (!after)
        emu_tx_rollback(e->store);
    json_decref(row);
    json_decref(after);
    return rc;
}

/* ---- session policy -------------------------------------------------------------- */

static const char *const policy_sources[] = {"APPLICATION", "CUSTOM", NULL};
static const char *const time_units[] = {"MINUTES", "HOURS", "DAYS", NULL};

static json_t *policy_json(const json_t *row)
{
    const char *source = skit_json_string(row, "policy_source");
    json_t *p = json_pack("{s:s}", "policy_source", source ? source : "APPLICATION");
    if (!p || !source || strcmp(source, "CUSTOM") != 0)
        return p;
    json_t *absolute = json_object_get(row, "absolute_session_timeout");
    if (json_is_integer(absolute)) {
        json_object_set(p, "absolute_session_timeout", absolute);
        json_object_set_new(p, "absolute_session_timeout_unit", json_string("MINUTES"));
    }
    bool idle = json_integer_value(json_object_get(row, "idle_session_timeout_enabled")) != 0;
    json_object_set_new(p, "idle_session_timeout_enabled", json_boolean(idle));
    json_t *idle_timeout = json_object_get(row, "idle_session_timeout");
    if (idle && json_is_integer(idle_timeout)) {
        json_object_set(p, "idle_session_timeout", idle_timeout);
        json_object_set_new(p, "idle_session_timeout_unit", json_string("MINUTES"));
    }
    return p;
}

static int get_session_policy(emu *e, emu_req *r)
{
    int rc = 0;
    json_t *row = org_or_404(e, r, &rc);
    if (row)
        rc = emu_reply_json(r, 200, json_pack("{s:o}", "policy", policy_json(row)));
    json_decref(row);
    return rc;
}

/* A timeout of the body in minutes: 0 when absent, -1 when invalid (reply sent). */
static int64_t timeout_minutes(emu_req *r, const json_t *body, const char *name, const char *unit_name,
                               int *rc)
{
    json_t *v = json_object_get(body, name);
    const char *unit = skit_json_string(body, unit_name);
    if (!v)
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) <= 0 || json_integer_value(v) > INT32_MAX) {
        *rc = emu_reply_field_error(r, name, "must be a positive integer");
        return -1;
    }
    if (json_object_get(body, unit_name) && !in_list(time_units, unit)) {
        *rc = emu_reply_field_error(r, unit_name, "must be MINUTES, HOURS or DAYS");
        return -1;
    }
    int64_t factor = !unit || strcmp(unit, "MINUTES") == 0 ? 1 : strcmp(unit, "HOURS") == 0 ? 60 : 1440;
    int64_t minutes = json_integer_value(v) * factor;
    if (minutes > INT32_MAX) {
        *rc = emu_reply_field_error(r, name, "too long");
        return -1;
    }
    return minutes;
}

static int update_session_policy(emu *e, emu_req *r)
{
    int rc = 0;
    json_t *body = emu_json_body(r);
    if (!body)
        return emu_reply_error(r, 400, "INVALID_ARGUMENT", "the request body must be a JSON object");
    const char *source = skit_json_string(body, "policy_source");
    json_t *idle_enabled = json_object_get(body, "idle_session_timeout_enabled");
    if (json_object_get(body, "policy_source") && !in_list(policy_sources, source))
        return emu_reply_field_error(r, "policy_source", "must be APPLICATION or CUSTOM");
    if (idle_enabled && !json_is_boolean(idle_enabled))
        return emu_reply_field_error(r, "idle_session_timeout_enabled", "must be a boolean");
    int64_t absolute = timeout_minutes(r, body, "absolute_session_timeout",
                                       "absolute_session_timeout_unit", &rc);
    int64_t idle = absolute < 0 ? -1 : timeout_minutes(r, body, "idle_session_timeout",
                                                       "idle_session_timeout_unit", &rc);
    if (absolute < 0 || idle < 0)
        return rc;
    /* No source but timeouts: a custom policy is what the caller means. */
    if (!source)
        source = absolute || idle || idle_enabled ? "CUSTOM" : NULL;
    bool custom = source && strcmp(source, "CUSTOM") == 0;
    if (custom && !absolute)
        return emu_reply_field_error(r, "absolute_session_timeout", "required when policy_source is CUSTOM");
    if (custom && json_is_true(idle_enabled) && !idle)
        return emu_reply_field_error(r, "idle_session_timeout",
                                     "required when idle_session_timeout_enabled is true");
    if (emu_tx_begin(e->store) != 0)
        return -1;
    json_t *row = org_or_404(e, r, &rc), *after = NULL;
    if (row && source) {
        bool idle_on = custom && json_is_true(idle_enabled);
        int n = emu_db_exec(e->store, "UPDATE organizations SET policy_source = ?, absolute_session_timeout = ?, "
                                      "idle_session_timeout_enabled = ?, idle_session_timeout = ? WHERE id = ?",
                            "sibis", source, custom ? absolute : (int64_t)0, idle_on,
                            idle_on ? idle : (int64_t)0, skit_json_string(row, "id"));
        rc = n == 1 ? 0 : -1;
    }
    if (row && rc == 0)
        after = emu_resource_row(e, &emu_organization_resource, skit_json_string(row, "id"));
    if (after && emu_tx_commit(e->store) == 0)
        rc = emu_reply_json(r, 200, json_pack("{s:o}", "policy", policy_json(after)));
    else if (row && rc == 0)
        rc = -1;
    if (!after)
        emu_tx_rollback(e->store);
    json_decref(row);
    json_decref(after);
    return rc;
}

/* ---- portal links ------------------------------------------------------------------ */

typedef struct feature_scan {
    json_t *features;
    const char *bad;
} feature_scan;

static enum MHD_Result collect_feature(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    feature_scan *scan = cls;
    if (strcmp(key, "features") != 0)
        return MHD_YES;
    if (!in_list(known_features, value) || (strcmp(value, "sso") != 0 && strcmp(value, "dir_sync") != 0)) {
        scan->bad = value ? value : "";
        return MHD_NO;
    }
    json_array_append_new(scan->features, json_string(value));
    return MHD_YES;
}

static int generate_portal_link(emu *e, emu_req *r)
{
    int rc = 0;
    feature_scan scan = {json_array(), NULL};
    if (!scan.features)
        return -1;
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, collect_feature, &scan);
    if (scan.bad) {
        json_decref(scan.features);
        return emu_reply_field_error(r, "features", "each feature must be sso or dir_sync");
    }
    json_t *row = org_or_404(e, r, &rc);
    char *id = row ? emu_new_id("lnk_", 8) : NULL;
    char *features = row ? json_dumps(scan.features, JSON_COMPACT) : NULL;
    int64_t expire = skit_now() + PORTAL_LINK_TTL;
    if (row) {
        rc = -1;
        if (id && features && emu_db_exec(e->store, "INSERT INTO portal_links(id, organization_id, features, "
                                                    "expire_time) VALUES (?, ?, ?, ?)", "sssi",
                                          id, skit_json_string(row, "id"), features, expire) == 1) {
            char location[512];
            snprintf(location, sizeof location, "%s/portal/%s", e->url, id);
            rc = emu_reply_json(r, 200, json_pack("{s:{s:s, s:s, s:o}}", "link", "id", id, "location",
                                                  location, "expire_time", emu_json_time(expire)));
        }
    }
    json_decref(scan.features);
    json_decref(row);
    free(id);
    free(features);
    return rc;
}

const emu_route emu_organization_settings_routes[] = {
    {"PATCH", "/api/v1/organizations/{organization_id}/settings", update_settings, "organization_id"},
    {"PATCH", "/api/v1/organizations/{organization_id}/settings/usermanagement", upsert_user_management, "organization_id"},
    {"GET", "/api/v1/organizations/{organization_id}/session-policy", get_session_policy, "organization_id"},
    {"PATCH", "/api/v1/organizations/{organization_id}/session-policy", update_session_policy, "organization_id"},
    {"PUT", "/api/v1/organizations/{organization_id}/portal_links", generate_portal_link, "organization_id"},
    {NULL, NULL, NULL, NULL}
};
