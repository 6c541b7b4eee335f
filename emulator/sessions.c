/*
 * Sessions: made by the hosted login with the request's User-Agent and IP,
 * expiring by the organization's session policy (the absolute limit fixed when
 * the session starts, the idle one pushed on by each use), ended by a revoke (its refresh tokens die with
 * it). GetSession, GetUserSessions (filters of the API: status, time range;
 * paged), RevokeSession, RevokeAllUserSessions; user.login and user.logout;
 * and the test control /_emulator/sessions/{id}:age.
 */
#include "environment.h"
#include "resources.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Without an organization's custom policy: 30 days absolute, 7 days idle. */
#define DEFAULT_ABSOLUTE (30 * 24 * 3600)
#define DEFAULT_IDLE (7 * 24 * 3600)

/* The status of a row, as SQL over its columns (the filter) and as C (the shape). */
#define STATUS_SQL "(CASE WHEN end_reason IS NOT NULL THEN end_reason " \
                   "WHEN absolute_expires_at <= ?2 OR idle_expires_at <= ?2 THEN 'expired' ELSE 'active' END)"

static const char *status_of(const json_t *row, int64_t now)
{
    const char *reason = skit_json_string(row, "end_reason");
    if (reason)
        return reason;
    json_t *ended = json_object_get(row, "ended_at");
    if (json_is_integer(ended))
        return "revoked";
    json_t *absolute = json_object_get(row, "absolute_expires_at"), *idle = json_object_get(row, "idle_expires_at");
    return (json_is_integer(absolute) && json_integer_value(absolute) <= now) ||
           (json_is_integer(idle) && json_integer_value(idle) <= now) ? "expired" : "active";
}

/* The text after @p key in @p ua up to a character of @p stop, into @p out ("" when absent). */
static bool ua_token(const char *ua, const char *key, const char *stop, char *out, size_t n)
{
    const char *p = strstr(ua, key);
    out[0] = '\0';
    if (!p)
        return false;
    p += strlen(key);
    size_t len = strcspn(p, stop);
    snprintf(out, n, "%.*s", (int)(len < n ? len : n - 1), p);
    return true;
}

/* sessionsDeviceDetails from the User-Agent: browser, OS and their versions, the kind
 * of device (the API's names: "Chrome", "Mobile Safari", "macOS", "desktop"); good
 * enough for the common browsers, nothing for what it does not know. */
void emu_device_from_user_agent(json_t *device, const char *ua)
{
    static const char *const browsers[][2] = {{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"},
                                              {"Chrome/", "Chrome"}, {"Version/", "Safari"}};
    static const char *const systems[][3] = {{"Windows NT ", "Windows", ";)"}, {"Mac OS X ", "macOS", ";)"},
                                             {"iPhone OS ", "iOS", " ;)"}, {"Android ", "Android", ";)"},
                                             {"Linux", "Linux", ";)"}};
    char version[64];
    for (size_t i = 0; i < sizeof browsers / sizeof *browsers; i++) {
        if (ua_token(ua, browsers[i][0], " ;)", version, sizeof version)) {
            bool mobile_safari = strcmp(browsers[i][1], "Safari") == 0 && strstr(ua, "Mobile");
            json_object_set_new(device, "browser", json_string(mobile_safari ? "Mobile Safari" : browsers[i][1]));
            json_object_set_new(device, "browser_version", json_string(version));
            break;
        }
    }
    for (size_t i = 0; i < sizeof systems / sizeof *systems; i++) {
        if (ua_token(ua, systems[i][0], systems[i][2], version, sizeof version)) {
            for (char *c = version; *c; c++)
                *c = *c == '_' ? '.' : *c;
            json_object_set_new(device, "os", json_string(systems[i][1]));
            if (*version)
                json_object_set_new(device, "os_version", json_string(version));
            break;
        }
    }
    /* The API's classes: desktop, mobile, tablet, other. */
    bool mobile = strstr(ua, "Mobile") != NULL;
    const char *type = strstr(ua, "iPad") || (strstr(ua, "Android") && !mobile) ? "tablet"
                     : mobile ? "mobile"
                     : json_object_get(device, "os") ? "desktop" : "other";
    json_object_set_new(device, "device_type", json_string(type));
}

/* sessionsSessionDetails: times, status, device (user agent and IP), the client. */
static int shape(const json_t *row, json_t *out)
{
    int64_t now = skit_now();
    const char *status = status_of(row, now);
    json_object_set_new(out, "status", json_string(status));
    const char *org = skit_json_string(row, "organization_id");
    json_object_set_new(out, "authenticated_organizations", org ? json_pack("[s]", org) : json_array());
    json_object_set_new(out, "authenticated_clients",
                        json_pack("[{s:s, s:s}]", "client_id", skit_json_string(row, "client_id"),
                                  "organization_id", org ? org : ""));
    json_t *ended = json_object_get(row, "ended_at");
    if (json_is_integer(ended) && strcmp(status, "expired") != 0)
        json_object_set_new(out, "logout_at", emu_json_time(json_integer_value(ended)));
    if (strcmp(status, "expired") == 0) {
        json_t *a = json_object_get(row, "absolute_expires_at"), *i = json_object_get(row, "idle_expires_at");
        int64_t at = json_integer_value(a);
        if (json_is_integer(i) && json_integer_value(i) < at)
            at = json_integer_value(i);
        json_object_set_new(out, "expired_at", emu_json_time(at));
    }
    json_t *device = json_object();
    const char *ua = skit_json_string(row, "user_agent"), *ip = skit_json_string(row, "ip");
    if (ua) {
        json_object_set_new(device, "user_agent", json_string(ua));
        emu_device_from_user_agent(device, ua);
    }
    if (ip)
        json_object_set_new(device, "ip", json_string(ip));
    return json_object_set_new(out, "device", device);
}

static const emu_field fields[] = {
    {.name = "session_id", .column = "id", .flags = EMU_OUTPUT},
    {.name = "user_id", .flags = EMU_OUTPUT},
    {.name = "organization_id", .flags = EMU_OUTPUT},
    {.name = "created_at", .type = EMU_TIMESTAMP, .flags = EMU_OUTPUT},
    {.name = "updated_at", .type = EMU_TIMESTAMP, .flags = EMU_OUTPUT},
    {.name = "last_active_at", .type = EMU_TIMESTAMP, .flags = EMU_OUTPUT},
    {.name = "absolute_expires_at", .type = EMU_TIMESTAMP, .flags = EMU_OUTPUT},
    {.name = "idle_expires_at", .type = EMU_TIMESTAMP, .flags = EMU_OUTPUT},
    {0}
};

/* Not served by the engine (sessions are made by signing in): its list and shapes. */
static const emu_resource session_resource = {
    .name = "session",
    .table = "sessions",
    .id_prefix = "ses_",
    .route = "/api/v1/users/{user_id}/sessions",
    .single = "session",
    .plural = "sessions",
    .fields = fields,
    .parent = &emu_user_resource,
    .parent_column = "user_id",
    .shape = shape,
};

/* ---- the store ---------------------------------------------------------------------- */

/* Seconds of the organization's custom policy: absolute and idle (0: none). */
static void policy(emu *e, const char *org, int64_t *absolute, int64_t *idle)
{
    *absolute = DEFAULT_ABSOLUTE;
    *idle = DEFAULT_IDLE;
    json_t *row = org ? emu_resource_row(e, &emu_organization_resource, org) : NULL;
    const char *source = skit_json_string(row, "policy_source");
    if (source && strcmp(source, "CUSTOM") == 0) {
        *absolute = json_integer_value(json_object_get(row, "absolute_session_timeout")) * 60;
        bool idle_on = json_integer_value(json_object_get(row, "idle_session_timeout_enabled")) != 0;
        *idle = idle_on ? json_integer_value(json_object_get(row, "idle_session_timeout")) * 60 : 0;
    }
    json_decref(row);
}

/* The peer's address as text into @p out ("" when unknown). */
static json_t *session_row(emu *e, const char *id)
{
    return id ? emu_db_row(e->store, "SELECT * FROM sessions WHERE id = ?", "s", id) : NULL;
}

static int auth_event(emu *e, const char *type, const json_t *session)
{
    json_t *user = emu_user_row(e, skit_json_string(session, "user_id"));
    json_t *data = user ? json_pack("{s:o, s:o}", "user", emu_user_json(e, user), "user_session",
                                    emu_resource_json(&session_resource, session)) : NULL;
    int rc = data ? emu_event_emit_object(e, type, "User", skit_json_string(session, "organization_id"), data) : -1;
    json_decref(user);
    json_decref(data);
    return rc;
}

char *emu_session_start(emu *e, emu_req *r, const char *user_id, const char *org, const char *client_id)
{
    int64_t now = skit_now(), absolute, idle;
    policy(e, org, &absolute, &idle);
    char ip[64];
    emu_peer_ip(r, ip, sizeof ip);
    char *id = emu_new_id("ses_", 8);
    if (!id || emu_tx_begin(e->store) != 0) {
        free(id);
        return NULL;
    }
    bool ok = emu_db_exec(e->store, "INSERT INTO sessions(id, user_id, organization_id, client_id, created_at, "
                                    "user_agent, ip, last_active_at, updated_at, absolute_expires_at, idle_expires_at) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "ssssissiiii", id, user_id, org,
                          client_id, now, emu_header(r, "User-Agent"), *ip ? ip : NULL, now, now, now + absolute,
                          idle ? now + idle : (int64_t)0) == 1;
    /* No idle limit: idle_expires_at NULL. */
    ok = ok && (idle || emu_db_exec(e->store, "UPDATE sessions SET idle_expires_at = NULL WHERE id = ?", "s", id) == 1);
    json_t *row = ok ? session_row(e, id) : NULL;
    ok = row && auth_event(e, "user.login", row) == 0;
    json_decref(row);
    if (emu_tx_end(e->store, ok) != 0) {
        free(id);
        return NULL;
    }
    return id;
}

bool emu_session_use(emu *e, const char *session_id)
{
    int64_t now = skit_now();
    emu_db_lock(e->store);
    json_t *row = session_row(e, session_id);
    bool active = row && strcmp(status_of(row, now), "active") == 0;
    if (active) {
        /* Each use pushes the idle limit on by the policy's idle timeout; a policy
         * without one (any more) lifts it. */
        int64_t absolute, idle;
        policy(e, skit_json_string(row, "organization_id"), &absolute, &idle);
        emu_db_exec(e->store, "UPDATE sessions SET last_active_at = ?1, updated_at = ?1, "
                              "idle_expires_at = CASE WHEN idle_expires_at IS NULL OR ?2 = 0 THEN NULL "
                              "ELSE ?1 + ?2 END WHERE id = ?3",
                    "iis", now, idle, session_id);
    }
    emu_db_unlock(e->store);
    json_decref(row);
    return active;
}

/* End session @p row (already active) with @p reason, its refresh tokens revoked, the logout event. */
static int end_session(emu *e, const json_t *row, const char *reason)
{
    const char *id = skit_json_string(row, "id");
    int64_t now = skit_now();
    if (emu_db_exec(e->store, "UPDATE sessions SET ended_at = ?, end_reason = ?, updated_at = ? WHERE id = ?",
                    "isis", now, reason, now, id) != 1 ||
        emu_db_exec(e->store, "UPDATE refresh_tokens SET revoked = 1 WHERE session_id = ?", "s", id) < 0)
        return -1;
    json_t *after = session_row(e, id);
    int rc = after ? auth_event(e, "user.logout", after) : -1;
    json_decref(after);
    return rc;
}

int emu_session_end(emu *e, const char *session_id, const char *reason)
{
    if (emu_tx_begin(e->store) != 0)
        return -1;
    json_t *row = session_row(e, session_id);
    bool active = row && strcmp(status_of(row, skit_now()), "active") == 0;
    int rc = active ? end_session(e, row, reason) : 0;
    json_decref(row);
    if (rc != 0) {
        emu_tx_rollback(e->store);
        return -1;
    }
    return emu_tx_commit(e->store);
}

/* ---- the routes --------------------------------------------------------------------- */

static int get_session(emu *e, emu_req *r)
{
    const char *id = emu_path_param(r, "session_id");
    json_t *row = session_row(e, id);
    if (!row)
        return emu_reply_error(r, 404, "NOT_FOUND", "session %s not found", id ? id : "");
    json_t *details = emu_resource_json(&session_resource, row);
    json_decref(row);
    return details ? emu_reply_json(r, 200, details) : -1;
}

/* The revoked-session shape (sessionsRevokedSessionDetails) of a session row. */
static json_t *revoked_json(const json_t *row)
{
    json_t *d = emu_resource_json(&session_resource, row);
    static const char *const drop[] = {"organization_id", "authenticated_organizations", "authenticated_clients",
                                       "device"};
    for (size_t i = 0; d && i < sizeof drop / sizeof *drop; i++)
        json_object_del(d, drop[i]);
    return d;
}

static int revoke_session(emu *e, emu_req *r)
{
    const char *id = emu_path_param(r, "session_id");
    if (emu_tx_begin(e->store) != 0)
        return -1;
    json_t *row = session_row(e, id), *after = NULL;
    int rc;
    if (!row) {
        emu_tx_rollback(e->store);
        rc = emu_reply_error(r, 404, "NOT_FOUND", "session %s not found", id ? id : "");
    } else if ((strcmp(status_of(row, skit_now()), "active") == 0 && end_session(e, row, "revoked") != 0) ||
               !(after = session_row(e, id)) || emu_tx_commit(e->store) != 0) {
        if (!after)
            emu_tx_rollback(e->store);
        rc = -1;
    } else {
        rc = emu_reply_json(r, 200, json_pack("{s:o}", "revoked_session", revoked_json(after)));
    }
    json_decref(row);
    json_decref(after);
    return rc;
}

static int revoke_user_sessions(emu *e, emu_req *r)
{
    int rc = 0;
    if (emu_tx_begin(e->store) != 0)
        return -1;
    json_t *user = emu_resource_find(e, r, &emu_user_resource, "user_id", &rc);
    if (!user) {
        emu_tx_rollback(e->store);
        return rc;
    }
    json_t *rows = emu_db_rows(e->store, "SELECT * FROM sessions WHERE user_id = ? AND ended_at IS NULL ORDER BY rowid",
                               "s", skit_json_string(user, "id"));
    json_t *revoked = json_array();
    size_t i;
    json_t *row;
    bool ok = rows && revoked;
    json_array_foreach(rows, i, row) {
        if (!ok || strcmp(status_of(row, skit_now()), "active") != 0)
            continue;
        json_t *after = end_session(e, row, "revoked") == 0 ? session_row(e, skit_json_string(row, "id")) : NULL;
        ok = after != NULL;
        if (after)
            json_array_append_new(revoked, revoked_json(after));
        json_decref(after);
    }
    if (emu_tx_end(e->store, ok) != 0) {
        rc = -1;
    } else {
        rc = emu_reply_json(r, 200, json_pack("{s:O, s:I}", "revoked_sessions", revoked, "total_revoked",
                                              (json_int_t)json_array_size(revoked)));
    }
    json_decref(rows);
    json_decref(revoked);
    json_decref(user);
    return rc;
}

typedef struct status_scan {
    json_t *statuses;
    const char *bad;
} status_scan;

static enum MHD_Result collect_status(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    status_scan *scan = cls;
    static const char *const known[] = {"active", "expired", "revoked", "logout"};
    if (strcmp(key, "filter.status") != 0 || !value || !*value)
        return MHD_YES;
    for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
        if (strcasecmp(known[i], value) == 0) {
            json_array_append_new(scan->statuses, json_string(known[i]));
            return MHD_YES;
        }
    }
    scan->bad = value;
    return MHD_NO;
}

/* A filter time of the query into *t (0 when absent); false after a 400. */
static bool filter_time(emu_req *r, const char *name, int64_t *t, int *rc)
{
    const char *v = emu_query(r, name);
    *t = 0;
    if (!v || !*v || skit_parse_rfc3339(v, t))
        return true;
    *rc = emu_reply_field_error(r, name, "must be an RFC 3339 time");
    return false;
}

static int list_user_sessions(emu *e, emu_req *r)
{
    int rc = 0;
    status_scan scan = {json_array(), NULL};
    int64_t start, end;
    if (!scan.statuses)
        return -1;
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, collect_status, &scan);
    if (scan.bad)
        rc = emu_reply_field_error(r, "filter.status", "each status must be active, expired, revoked or logout");
    else if (filter_time(r, "filter.start_time", &start, &rc) && filter_time(r, "filter.end_time", &end, &rc)) {
        if (start && end && end < start) {
            rc = emu_reply_field_error(r, "filter.end_time", "filter.end_time must be after filter.start_time");
        } else {
            /* ?1 is the user (the engine's parent condition); ?2 now, ?3 start, ?4 end, the statuses from ?5. */
            skit_buf where = SKIT_BUF_INIT;
            json_t *params = json_pack("[I, I, I]", (json_int_t)skit_now(), (json_int_t)start, (json_int_t)end);
            skit_buf_puts(&where, "(?3 = 0 OR created_at >= ?3) AND (?4 = 0 OR created_at <= ?4)");
            size_t i;
            json_t *s;
            json_array_foreach(scan.statuses, i, s) {
                skit_buf_printf(&where, "%s" STATUS_SQL " = ?%zu%s", i ? " OR " : " AND (", i + 5,
                                i + 1 == json_array_size(scan.statuses) ? ")" : "");
                json_array_append(params, s);
            }
            rc = where.ptr && params ? emu_resource_list(e, r, &session_resource, where.ptr, params) : -1;
            skit_buf_free(&where);
            json_decref(params);
        }
    }
    json_decref(scan.statuses);
    return rc;
}

/* Test control: move a session @p seconds into the past (its times all earlier),
 * so a test sees the session policy expire it without waiting. */
static int age_session(emu *e, emu_req *r)
{
    const char *id = emu_path_param(r, "session_id");
    json_t *seconds = json_object_get(emu_json_body(r), "seconds");
    if (!json_is_integer(seconds) || json_integer_value(seconds) < 0)
        return emu_reply_field_error(r, "seconds", "seconds must be a non-negative integer");
    int64_t by = json_integer_value(seconds);
    int n = emu_db_exec(e->store, "UPDATE sessions SET created_at = created_at - ?1, last_active_at = last_active_at - ?1, "
                                  "updated_at = updated_at - ?1, absolute_expires_at = absolute_expires_at - ?1, "
                                  "idle_expires_at = idle_expires_at - ?1 WHERE id = ?2", "is", by, id);
    if (n < 0)
        return -1;
    return n == 0 ? emu_reply_error(r, 404, "NOT_FOUND", "session %s not found", id ? id : "")
                  : emu_reply_json(r, 200, json_object());
}

const emu_route emu_session_routes[] = {
    {"POST", "/_emulator/sessions/{session_id}:age", age_session, "session_id"},
    {"GET", "/api/v1/sessions/{session_id}", get_session, "session_id"},
    {"POST", "/api/v1/sessions/{session_id}/revoke", revoke_session, "session_id"},
    {"GET", "/api/v1/users/{user_id}/sessions", list_user_sessions, "user_id"},
    {"POST", "/api/v1/users/{user_id}/sessions/revoke", revoke_user_sessions, "user_id"},
    {NULL, NULL, NULL, NULL}
};
