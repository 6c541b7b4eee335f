/*
 * Authentication logs: GET /api/v1/logs/authentication/requests serves the
 * rows login.c writes to login_requests, one per authorization request, newest
 * first, in the shape of auditlogsListAuthLogResponse, through the engine's
 * list (a resource described here, not served on routes of its own).
 *
 * Status: SUCCESS and FAILED as stored; a PENDING request past its expiry is
 * FAILED (it can no longer finish); a PENDING one no sign-in method has touched
 * yet (updated_at = created_at) is INITIATED, else PENDING.
 * Filters: email (case-insensitive; who finished it, else the login_hint),
 * status (repeatable, any one matches, case-insensitive; an unknown value is a
 * 400), start_time / end_time (RFC 3339, inclusive, on the request's creation),
 * resource_id (the emulator has no resources: nothing matches one), client_id.
 */
#include "environment.h"
#include "resources.h"

#include <string.h>
#include <strings.h>

/* The log's status of a row, in SQL (its ? is now) and in C. */
#define STATUS_SQL "(CASE WHEN status = 'PENDING' AND expires_at <= ? THEN 'FAILED' " \
                   "WHEN status = 'PENDING' AND updated_at = created_at THEN 'INITIATED' ELSE status END)"
#define EMAIL_SQL "coalesce(email, login_hint)"

static const char *log_status(const json_t *row, int64_t now)
{
    const char *status = skit_json_string(row, "status");
    if (!status || strcmp(status, "PENDING") != 0)
        return status;
    if (json_integer_value(json_object_get(row, "expires_at")) <= now)
        return "FAILED";
    return json_integer_value(json_object_get(row, "updated_at")) == json_integer_value(json_object_get(row, "created_at"))
        ? "INITIATED" : "PENDING";
}

static const char *const statuses[] = {"INITIATED", "PENDING", "SUCCESS", "FAILED", NULL};

/* The OpenAPI's spelling of @p s (any case), or NULL when it is none. */
static const char *known_status(const char *s)
{
    for (size_t i = 0; statuses[i]; i++)
        if (strcasecmp(statuses[i], s) == 0)
            return statuses[i];
    return NULL;
}

/* What auditlogsAuthLogRequest has beyond the plain columns. */
static int shape_store(emu *e, const json_t *row, json_t *out)
{
    const char *email = skit_json_string(row, "email"), *client_id = skit_json_string(row, "client_id");
    if (!email)
        email = skit_json_string(row, "login_hint");
    int rc = json_object_set_new(out, "status", json_string(log_status(row, skit_now()))) |
             json_object_set_new(out, "environment_id", json_string(e->environment_id));
    if (email)
        rc |= json_object_set_new(out, "email", json_string(email));
    if (client_id && emu_client_known(e, client_id))
        rc |= json_object_set_new(out, "client_type", json_string("ENV"));
    const char *conn = skit_json_string(row, "connection_id");
    if (conn) {
        json_t *detail = json_object();
        static const char *const members[] = {"connection_id", "connection_type", "connection_provider",
                                              "organization_id"};
        for (size_t i = 0; detail && i < sizeof members / sizeof *members; i++) {
            const char *v = skit_json_string(row, members[i]);
            if (v)
                json_object_set_new(detail, members[i], json_string(v));
        }
        rc |= detail ? json_object_set_new(out, "connection_details", json_pack("[o]", detail)) : -1;
    }
    return rc ? -1 : 0;
}

static const emu_field fields[] = {
    {.name = "auth_request_id", .column = "id", .flags = EMU_OUTPUT},
    {.name = "client_id", .flags = EMU_OUTPUT},
    {.name = "organization_id", .flags = EMU_OUTPUT},
    {.name = "connection_id", .flags = EMU_OUTPUT},
    {.name = "connection_type", .flags = EMU_OUTPUT},
    {.name = "connection_provider", .flags = EMU_OUTPUT},
    {.name = "timestamp", .column = "created_at", .type = EMU_TIMESTAMP, .flags = EMU_OUTPUT},
    {0}
};

static const emu_resource auth_request_resource = {
    .name = "authentication request",
    .table = "login_requests",
    .id_prefix = "lri_",
    .route = "/api/v1/logs/authentication/requests",
    .single = "authRequest",
    .plural = "authRequests",    /* the API's camelCase */
    .fields = fields,
    .filters = (const emu_filter[]){{.query = "client_id"}, {0}},
    .shape_store = shape_store,
    .newest_first = true,
};

/* The filters the engine's equality filters cannot say, as SQL on @p params; false after a 400. */
static bool conditions(emu_req *r, skit_buf *where, json_t *params, int *rc)
{
    int64_t t[2] = {0, 0};
    static const char *const names[] = {"start_time", "end_time"}, *const ops[] = {">=", "<="};
    skit_buf_puts(where, "1");
    for (size_t i = 0; i < 2; i++) {
        const char *v = emu_query(r, names[i]);
        if (v && *v && !skit_parse_rfc3339(v, &t[i])) {
            *rc = emu_reply_field_error(r, names[i], "must be an RFC 3339 time");
            return false;
        }
        if (t[i]) {
            skit_buf_printf(where, " AND created_at %s ?", ops[i]);
            json_array_append_new(params, json_integer(t[i]));
        }
    }
    if (t[0] && t[1] && t[1] < t[0]) {
        *rc = emu_reply_field_error(r, "end_time", "end_time must not be before start_time");
        return false;
    }
    const char *email = emu_query(r, "email"), *resource = emu_query(r, "resource_id");
    if (email && *email) {
        skit_buf_puts(where, " AND " EMAIL_SQL " = ? COLLATE NOCASE");
        json_array_append_new(params, json_string(email));
    }
    if (resource && *resource)
        skit_buf_puts(where, " AND 0");   /* no request of the emulator has a resource */
    json_t *wanted = emu_query_values(r, "status");
    size_t i;
    json_t *s;
    json_array_foreach(wanted, i, s) {
        const char *status = known_status(json_string_value(s));
        if (!status) {
            json_decref(wanted);
            *rc = emu_reply_field_error(r, "status", "each status must be INITIATED, PENDING, SUCCESS or FAILED");
            return false;
        }
        skit_buf_printf(where, "%s" STATUS_SQL " = ?%s", i ? " OR " : " AND (",
                        i + 1 == json_array_size(wanted) ? ")" : "");
        json_array_append_new(params, json_integer(skit_now()));
        json_array_append_new(params, json_string(status));
    }
    json_decref(wanted);
    return wanted != NULL;
}

static int list_requests(emu *e, emu_req *r)
{
    int rc = 0;
    skit_buf where = SKIT_BUF_INIT;
    json_t *params = json_array();
    if (params && conditions(r, &where, params, &rc))
        rc = where.ptr ? emu_resource_list(e, r, &auth_request_resource, where.ptr, params) : -1;
    else if (!params)
        rc = -1;
    skit_buf_free(&where);
    json_decref(params);
    return rc;
}

const emu_route emu_auth_log_routes[] = {
    {"GET", "/api/v1/logs/authentication/requests", list_requests, ""},
    {NULL, NULL, NULL, NULL}
};
