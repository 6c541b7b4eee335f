/*
 * Authentication logs: GET /api/v1/logs/authentication/requests serves the
 * rows login.c writes to login_requests, one per authorization request, newest
 * first, in the shape of auditlogsListAuthLogResponse.
 *
 * Status: SUCCESS and FAILED as stored; a PENDING request past its expiry is
 * FAILED (it can no longer finish); a PENDING one no sign-in method has touched
 * yet (updated_at = created_at) is INITIATED, else PENDING.
 * Filters: email (case-insensitive; who finished it, else the login_hint),
 * status (repeatable, any one matches, case-insensitive; an unknown value is a
 * 400), start_time / end_time (RFC 3339, inclusive, on the request's creation),
 * resource_id (the emulator has no resources: nothing matches one), client_id.
 * Paging: page_size (1 to 100, default 10), opaque page tokens walking by rowid.
 */
#include "environment.h"
#include "resources.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_PAGE_SIZE 10
#define MAX_PAGE_SIZE 100

/* The log's status of a row; ?1 is now. */
#define STATUS_SQL "(CASE WHEN status = 'PENDING' AND expires_at <= ?1 THEN 'FAILED' " \
                   "WHEN status = 'PENDING' AND updated_at = created_at THEN 'INITIATED' ELSE status END)"
#define EMAIL_SQL "coalesce(email, login_hint)"

static const char *const statuses[] = {"INITIATED", "PENDING", "SUCCESS", "FAILED", NULL};

/* The OpenAPI's spelling of @p s (any case), or NULL when it is none. */
static const char *known_status(const char *s)
{
    for (size_t i = 0; statuses[i]; i++)
        if (strcasecmp(statuses[i], s) == 0)
            return statuses[i];
    return NULL;
}

/* Page tokens: base64url of "next:<rowid>" (older rows) or "prev:<rowid>" (newer). */
static char *page_token(const char *direction, int64_t seq)
{
    char plain[48], *out = malloc(72);
    int n = snprintf(plain, sizeof plain, "%s:%" PRId64, direction, seq);
    if (out)
        out[skit_base64url_encode((const unsigned char *)plain, (size_t)n, out)] = '\0';
    return out;
}

static bool parse_page_token(const char *token, bool *newer, int64_t *seq)
{
    unsigned char *plain = NULL;
    size_t len = 0;
    if (skit_base64url_decode(token, strlen(token), &plain, &len) != SCALEKIT_OK)
        return false;
    char *end = NULL;
    bool ok = len > 5 && !memchr(plain, '\0', len) &&
              (strncmp((char *)plain, "next:", 5) == 0 || strncmp((char *)plain, "prev:", 5) == 0);
    if (ok) {
        *newer = plain[0] == 'p';
        *seq = strtoll((char *)plain + 5, &end, 10);
        ok = end && *end == '\0' && *seq > 0;
    }
    free(plain);
    return ok;
}

/* @p obj without its null members: the API leaves an unknown member out. Returns @p obj. */
static json_t *without_nulls(json_t *obj)
{
    const char *key;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(obj, tmp, key, v)
        if (json_is_null(v))
            json_object_del(obj, key);
    return obj;
}

/* auditlogsAuthLogRequest of a row (with its computed log_status). New reference. */
static json_t *item_of(emu *e, const json_t *row)
{
    const char *client_id = skit_json_string(row, "client_id");
    json_t *item = json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:o}", "auth_request_id", skit_json_string(row, "id"),
                             "status", skit_json_string(row, "log_status"), "email", skit_json_string(row, "log_email"),
                             "environment_id", e->environment_id, "client_id", client_id,
                             "timestamp", emu_json_time(json_integer_value(json_object_get(row, "created_at"))));
    const char *org = skit_json_string(row, "organization_id");
    if (item && org)
        json_object_set_new(item, "organization_id", json_string(org));
    if (item && client_id && emu_client_known(e, client_id))
        json_object_set_new(item, "client_type", json_string("ENV"));
    const char *conn = skit_json_string(row, "connection_id");
    if (item && conn) {
        const char *type = skit_json_string(row, "connection_type"), *provider = skit_json_string(row, "connection_provider");
        json_object_set_new(item, "connection_id", json_string(conn));
        if (type)
            json_object_set_new(item, "connection_type", json_string(type));
        if (provider)
            json_object_set_new(item, "connection_provider", json_string(provider));
        json_t *detail = json_pack("{s:s, s:s?, s:s?, s:s?}", "connection_id", conn, "connection_type", type,
                                   "connection_provider", provider, "organization_id", org);
        json_object_set_new(item, "connection_details", detail ? json_pack("[o]", without_nulls(detail)) : NULL);
    }
    return item ? without_nulls(item) : NULL;
}

/* The filters of the query as SQL conditions on ?1 (now) and params from ?2; false after a 400. */
static bool conditions(emu_req *r, skit_buf *where, json_t *params, int *rc)
{
    int64_t start = 0, end = 0;
    const char *names[] = {"start_time", "end_time"};
    int64_t *times[] = {&start, &end};
    for (size_t i = 0; i < 2; i++) {
        const char *v = emu_query(r, names[i]);
        if (v && *v && !skit_parse_rfc3339(v, times[i])) {
            *rc = emu_reply_field_error(r, names[i], "must be an RFC 3339 time");
            return false;
        }
    }
    if (start && end && end < start) {
        *rc = emu_reply_field_error(r, "end_time", "end_time must not be before start_time");
        return false;
    }
    skit_buf_puts(where, " WHERE ?1 IS NOT NULL");   /* every statement binds ?1, now */
    if (start) {
        json_array_append_new(params, json_integer(start));
        skit_buf_printf(where, " AND created_at >= ?%zu", json_array_size(params));
    }
    if (end) {
        json_array_append_new(params, json_integer(end));
        skit_buf_printf(where, " AND created_at <= ?%zu", json_array_size(params));
    }
    static const struct { const char *query, *column, *collate; } equal[] = {
        {"email", EMAIL_SQL, " COLLATE NOCASE"}, {"client_id", "client_id", ""},
        {"resource_id", "NULL", ""},   /* no request of the emulator has a resource */
    };
    for (size_t i = 0; i < sizeof equal / sizeof *equal; i++) {
        const char *v = emu_query(r, equal[i].query);
        if (v && *v) {
            json_array_append_new(params, json_string(v));
            skit_buf_printf(where, " AND %s = ?%zu%s", equal[i].column, json_array_size(params), equal[i].collate);
        }
    }
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
        json_array_append_new(params, json_string(status));
        skit_buf_printf(where, "%s" STATUS_SQL " = ?%zu%s", i ? " OR " : " AND (", json_array_size(params),
                        i + 1 == json_array_size(wanted) ? ")" : "");
    }
    json_decref(wanted);
    return wanted != NULL;
}

static int list_requests(emu *e, emu_req *r)
{
    const char *size_text = emu_query(r, "page_size"), *token = emu_query(r, "page_token");
    char *end = NULL;
    long page_size = size_text && *size_text ? strtol(size_text, &end, 10) : DEFAULT_PAGE_SIZE;
    if ((end && *end) || page_size < 0 || page_size > MAX_PAGE_SIZE)
        return emu_reply_field_error(r, "page_size", "page_size must be between 1 and 100");
    if (page_size == 0)
        page_size = DEFAULT_PAGE_SIZE;
    bool newer = false;
    int64_t seq = 0;
    if (token && *token && !parse_page_token(token, &newer, &seq))
        return emu_reply_field_error(r, "page_token", "invalid page token");
    int rc = 0;
    skit_buf where = SKIT_BUF_INIT, sql = SKIT_BUF_INIT, count_sql = SKIT_BUF_INIT;
    json_t *params = json_pack("[I]", (json_int_t)skit_now());
    if (!params || !conditions(r, &where, params, &rc)) {
        json_decref(params);
        skit_buf_free(&where);
        return params ? rc : -1;
    }
    skit_buf_printf(&count_sql, "SELECT COUNT(*) AS n FROM login_requests%s", where.ptr);
    /* Newest first: a next page holds older rows (smaller rowid), a previous one newer.
     * One row more than the page shows whether another page follows. */
    skit_buf_printf(&sql, "SELECT rowid AS _seq, *, " STATUS_SQL " AS log_status, " EMAIL_SQL " AS log_email "
                          "FROM login_requests%s AND (?%zu = 0 OR rowid %s ?%zu) ORDER BY rowid %s LIMIT ?%zu",
                    where.ptr, json_array_size(params) + 1, newer ? ">" : "<", json_array_size(params) + 1,
                    newer ? "ASC" : "DESC", json_array_size(params) + 2);
    json_t *page_params = json_deep_copy(params), *rows = NULL, *count = NULL, *items = json_array();
    json_array_append_new(page_params, json_integer(seq));
    json_array_append_new(page_params, json_integer(page_size + 1));
    rc = -1;
    if (sql.ptr && count_sql.ptr && page_params) {
        emu_db_lock(e->store);
        rows = emu_db_rows_json(e->store, sql.ptr, page_params);
        count = emu_db_rows_json(e->store, count_sql.ptr, params);
        emu_db_unlock(e->store);
    }
    if (rows && count && items) {
        bool more = json_array_size(rows) > (size_t)page_size;
        if (more)
            json_array_remove(rows, (size_t)page_size);
        size_t n = json_array_size(rows);
        for (size_t i = 0; i < n; i++)
            json_array_append_new(items, item_of(e, json_array_get(rows, newer ? n - 1 - i : i)));
        int64_t newest = json_integer_value(json_object_get(json_array_get(rows, newer ? n - 1 : 0), "_seq"));
        int64_t oldest = json_integer_value(json_object_get(json_array_get(rows, newer ? 0 : n - 1), "_seq"));
        bool has_next = n > 0 && (newer || more), has_prev = n > 0 && (newer ? more : seq > 0);
        char *next = has_next ? page_token("next", oldest) : strdup("");
        char *prev = has_prev ? page_token("prev", newest) : strdup("");
        if (next && prev)
            rc = emu_reply_json(r, 200, json_pack("{s:O, s:s, s:s, s:I}", "authRequests", items, "next_page_token",
                                                  next, "prev_page_token", prev, "total_size",
                                                  json_integer_value(json_object_get(json_array_get(count, 0), "n"))));
        free(next);
        free(prev);
    }
    json_decref(items);
    json_decref(rows);
    json_decref(count);
    json_decref(params);
    json_decref(page_params);
    skit_buf_free(&where);
    skit_buf_free(&sql);
    skit_buf_free(&count_sql);
    return rc;
}

const emu_route emu_auth_log_routes[] = {
    {"GET", "/api/v1/logs/authentication/requests", list_requests, ""},
    {NULL, NULL, NULL, NULL}
};
