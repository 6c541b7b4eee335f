/* The resource engine: see resource.h. Validation and shapes are in resource_fields.c. */
#include "resource.h"
#include "environment.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_PAGE_SIZE 10
#define MAX_PAGE_SIZE 100

/* ---- lookups ------------------------------------------------------------------ */

/* The column addressing an item in the item routes ... */
static const char *key_of(const emu_resource *res)
{
    return res->key ? res->key : "id";
}

/* ... and those routes' path parameter holding it. */
static const char *key_param_of(const emu_resource *res)
{
    return res->key_param ? res->key_param : key_of(res);
}

/* The row of @p res whose @p column is @p id, under parent @p parent_id (NULL: unscoped). */
static json_t *lookup_by(emu *e, const emu_resource *res, const char *column, const char *id, const char *parent_id)
{
    if (!id)
        return NULL;
    skit_buf sql = SKIT_BUF_INIT;
    skit_buf_printf(&sql, "SELECT * FROM %s WHERE %s = ?", res->table, column);
    json_t *params = json_pack("[s]", id);
    if (parent_id) {
        skit_buf_printf(&sql, " AND %s = ?", res->parent_column);
        json_array_append_new(params, json_string(parent_id));
    }
    json_t *rows = sql.ptr && params ? emu_db_rows_json(e->store, sql.ptr, params) : NULL;
    json_t *row = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    json_decref(params);
    skit_buf_free(&sql);
    return row;
}

static json_t *lookup(emu *e, const emu_resource *res, const char *id, const char *parent_id)
{
    return lookup_by(e, res, "id", id, parent_id);
}

/* The item named by the route's key parameter, under parent @p parent_id. */
static json_t *lookup_item(emu *e, emu_req *r, const emu_resource *res, const char *parent_id, const char **key)
{
    *key = emu_path_param(r, key_param_of(res));
    return lookup_by(e, res, key_of(res), *key, parent_id);
}

json_t *emu_resource_row(emu *e, const emu_resource *res, const char *id)
{
    return lookup(e, res, id, NULL);
}

static int reply_not_found(emu_req *r, const emu_resource *res, const char *id)
{
    return emu_reply_error(r, 404, "NOT_FOUND", "%s %s not found", res->name, id ? id : "");
}

json_t *emu_resource_find(emu *e, emu_req *r, const emu_resource *res, const char *param, int *rc)
{
    const char *id = emu_path_param(r, param);
    json_t *row = lookup(e, res, id, NULL);
    if (!row)
        *rc = reply_not_found(r, res, id);
    return row;
}

/* A scoped resource's parent id from the path, after checking the parent exists;
 * NULL after a 404. Unscoped resources: *ok and NULL. */
static const char *parent_or_404(emu *e, emu_req *r, const emu_resource *res, bool *ok, int *rc)
{
    *ok = true;
    if (!res->parent)
        return NULL;
    json_t *parent = emu_resource_find(e, r, res->parent, res->parent_column, rc);
    *ok = parent != NULL;
    json_decref(parent);
    return *ok ? emu_path_param(r, res->parent_column) : NULL;
}

int emu_resource_reply_by(emu *e, emu_req *r, const emu_resource *res, const char *field)
{
    const char *value = emu_path_param(r, field);
    json_t *row = lookup_by(e, res, field, value, NULL);
    if (!row)
        return emu_reply_error(r, 404, "NOT_FOUND", "%s with %s %s not found", res->name, field,
                               value ? value : "");
    int rc = emu_resource_reply(r, res, 200, row);
    json_decref(row);
    return rc;
}

/* ---- replies and events -------------------------------------------------------- */

int emu_resource_reply(emu_req *r, const emu_resource *res, unsigned status, const json_t *row)
{
    json_t *item = emu_resource_json_in(r->e, res, row);
    return item ? emu_reply_json(r, status, json_pack("{s:o}", res->single, item)) : -1;
}

int emu_resource_emit(emu *e, const emu_resource *res, int which, const json_t *row, int64_t deleted_at)
{
    if (!res->events[which])
        return 0;
    json_t *data = res->event_data ? res->event_data(row) : emu_resource_json_in(e, res, row);
    if (!data)
        return -1;
    if (deleted_at && !res->event_data)
        json_object_set_new(data, "deleted_at", emu_json_time(deleted_at));
    const char *org_column = res->event_organization ? res->event_organization : res->parent_column;
    int rc = emu_event_emit(e, res->events[which], org_column ? skit_json_string(row, org_column) : NULL, data);
    json_decref(data);
    return rc;
}

int emu_resource_commit_update(emu *e, const emu_resource *res, const char *id, json_t **after)
{
    *after = emu_resource_row(e, res, id);
    if (!*after || emu_resource_emit(e, res, EMU_EVENT_UPDATED, *after, 0) < 0) {
        emu_tx_rollback(e->store);
        json_decref(*after);
        *after = NULL;
        return -1;
    }
    if (emu_tx_commit(e->store) < 0) {
        json_decref(*after);
        *after = NULL;
        return -1;
    }
    return 0;
}

int emu_resource_reply_conflict(emu *e, emu_req *r, const emu_resource *res, const json_t *body, int n)
{
    char column[64];
    const emu_field *f = n == EMU_DB_CONSTRAINT && emu_db_unique_column(e->store, column, sizeof column)
        ? emu_field_by_column(res, column) : NULL;
    emu_tx_rollback(e->store);
    if (!f)
        return -1;
    const char *value = skit_json_string(body, f->name);
    return emu_reply_error(r, 409, "ALREADY_EXISTS", "%s %s with %s %s already exists",
                           strchr("aeiou", res->name[0]) ? "an" : "a", res->name, f->name, value ? value : "");
}

/* Commit the write of @p row's event and reply with the row. */
static int finish_write(emu *e, emu_req *r, const emu_resource *res, int which, unsigned status,
                        const json_t *row)
{
    if (!row || emu_resource_emit(e, res, which, row, 0) < 0) {
        emu_tx_rollback(e->store);
        return -1;
    }
    if (emu_tx_commit(e->store) < 0)
        return -1;
    return emu_resource_reply(r, res, status, row);
}

static json_t *body_or_400(emu_req *r, const emu_resource *res, bool create, int *rc)
{
    json_t *body = emu_json_body(r);
    char field[128];
    const char *why = NULL;
    if (!body)
        *rc = emu_reply_error(r, 400, "INVALID_ARGUMENT", "the request body must be a JSON object");
    else if ((why = emu_fields_validate(res, body, create, field, sizeof field)))
        *rc = emu_reply_field_error(r, field, why);
    return why ? NULL : body;
}

/* ---- the generic handlers ------------------------------------------------------- */

static int create_item(emu *e, emu_req *r)
{
    const emu_resource *res = r->resource;
    int rc = 0;
    bool ok;
    json_t *body = body_or_400(r, res, true, &rc);
    const char *parent_id = body ? parent_or_404(e, r, res, &ok, &rc) : NULL;
    if (!body || !ok)
        return rc;
    char *id = emu_new_id(res->id_prefix, 8);
    json_t *values = id ? emu_fields_values(res, body, true, skit_now()) : NULL;
    if (values) {
        json_object_set_new(values, "id", json_string(id));
        for (const emu_field *f = res->fields; f->name; f++)
            if (f->flags & EMU_STAMP_ENVIRONMENT)
                json_object_set_new(values, f->column ? f->column : f->name, json_string(e->environment_id));
        if (parent_id)
            json_object_set_new(values, res->parent_column, json_string(parent_id));
    }
    json_t *params = json_array();
    skit_buf sql = SKIT_BUF_INIT, marks = SKIT_BUF_INIT;
    skit_buf_printf(&sql, "INSERT INTO %s(", res->table);
    const char *column;
    json_t *v;
    json_object_foreach(values, column, v) {
        skit_buf_printf(&sql, "%s%s", json_array_size(params) ? ", " : "", column);
        skit_buf_puts(&marks, json_array_size(params) ? ", ?" : "?");
        json_array_append(params, v);
    }
    skit_buf_printf(&sql, ") VALUES (%s)", marks.ptr ? marks.ptr : "");
    rc = -1;
    if (values && params && sql.ptr && marks.ptr && emu_tx_begin(e->store) == 0) {
        int n = emu_db_exec_json(e->store, sql.ptr, params);
        json_t *row = n == 1 ? lookup(e, res, id, NULL) : NULL;
        rc = n == 1 ? finish_write(e, r, res, EMU_EVENT_CREATED, res->create_status ? res->create_status : 201, row)
                    : emu_resource_reply_conflict(e, r, res, body, n);
        json_decref(row);
    }
    skit_buf_free(&sql);
    skit_buf_free(&marks);
    json_decref(params);
    json_decref(values);
    free(id);
    return rc;
}

static int get_item(emu *e, emu_req *r)
{
    const emu_resource *res = r->resource;
    int rc = 0;
    bool ok;
    const char *parent_id = parent_or_404(e, r, res, &ok, &rc);
    if (!ok)
        return rc;
    const char *id;
    json_t *row = lookup_item(e, r, res, parent_id, &id);
    rc = row ? emu_resource_reply(r, res, 200, row) : reply_not_found(r, res, id);
    json_decref(row);
    return rc;
}

static int update_item(emu *e, emu_req *r)
{
    const emu_resource *res = r->resource;
    int rc = 0;
    bool ok;
    json_t *body = body_or_400(r, res, false, &rc);
    const char *parent_id = body ? parent_or_404(e, r, res, &ok, &rc) : NULL;
    if (!body || !ok)
        return rc;
    const char *id = emu_path_param(r, key_param_of(res));
    json_t *values = emu_fields_values(res, body, false, skit_now());
    json_t *params = json_array();
    skit_buf sql = SKIT_BUF_INIT;
    skit_buf_printf(&sql, "UPDATE %s SET ", res->table);
    const char *column;
    json_t *v;
    json_object_foreach(values, column, v) {
        skit_buf_printf(&sql, "%s%s = ?", json_array_size(params) ? ", " : "", column);
        json_array_append(params, v);
    }
    skit_buf_puts(&sql, " WHERE id = ?");
    rc = -1;
    if (values && params && sql.ptr && emu_tx_begin(e->store) == 0) {
        json_t *row = lookup_by(e, res, key_of(res), id, parent_id), *after = NULL;
        const char *row_id = skit_json_string(row, "id");
        json_array_append_new(params, json_string(row_id ? row_id : ""));
        int n = !row ? 0 : json_object_size(values) ? emu_db_exec_json(e->store, sql.ptr, params) : 1;
        if (!row) {
            emu_tx_rollback(e->store);
            rc = reply_not_found(r, res, id);
        } else if (n == 1) {
            after = lookup(e, res, row_id, NULL);
            rc = finish_write(e, r, res, EMU_EVENT_UPDATED, 200, after);
        } else {
            rc = emu_resource_reply_conflict(e, r, res, body, n);
        }
        json_decref(row);
        json_decref(after);
    }
    skit_buf_free(&sql);
    json_decref(params);
    json_decref(values);
    return rc;
}

static int delete_item(emu *e, emu_req *r)
{
    const emu_resource *res = r->resource;
    int rc = 0;
    bool ok;
    const char *parent_id = parent_or_404(e, r, res, &ok, &rc);
    if (!ok)
        return rc;
    if (emu_tx_begin(e->store) != 0)
        return -1;
    const char *key;
    json_t *row = lookup_item(e, r, res, parent_id, &key);
    if (!row) {
        emu_tx_rollback(e->store);
        return reply_not_found(r, res, key);
    }
    const char *id = skit_json_string(row, "id");
    skit_buf sql = SKIT_BUF_INIT;
    /* The dependants' own events go first, while they still exist. */
    bool done = !res->before_delete || res->before_delete(e, row) == 0;
    /* A row takes its dependants with it, in the same transaction. */
    for (const emu_cascade *c = res->cascade; done && c && c->table; c++) {
        skit_buf_free(&sql);
        skit_buf_printf(&sql, "DELETE FROM %s WHERE %s = ?", c->table, c->column);
        done = sql.ptr && emu_db_exec(e->store, sql.ptr, "s", id) >= 0;
    }
    skit_buf_free(&sql);
    skit_buf_printf(&sql, "DELETE FROM %s WHERE id = ?", res->table);
    done = done && sql.ptr && emu_db_exec(e->store, sql.ptr, "s", id) == 1 &&
           emu_resource_emit(e, res, EMU_EVENT_DELETED, row, skit_now()) == 0;
    skit_buf_free(&sql);
    if (!done) {
        json_decref(row);
        emu_tx_rollback(e->store);
        return -1;
    }
    json_decref(row);
    return emu_tx_commit(e->store) == 0 ? emu_reply_json(r, 200, json_object()) : -1;
}

/* ---- listing ------------------------------------------------------------------- */

char *emu_page_token(const char *direction, int64_t seq)
{
    char plain[48], *out = malloc(72);
    int n = snprintf(plain, sizeof plain, "%s:%" PRId64, direction, seq);
    if (out)
        out[skit_base64url_encode((const unsigned char *)plain, (size_t)n, out)] = '\0';
    return out;
}

bool emu_page_token_parse(const char *token, bool *before, int64_t *seq)
{
    unsigned char *plain = NULL;
    size_t len = 0;
    if (skit_base64url_decode(token, strlen(token), &plain, &len) != SCALEKIT_OK)
        return false;
    char *end = NULL;
    bool ok = len > 5 && (strncmp((char *)plain, "next:", 5) == 0 || strncmp((char *)plain, "prev:", 5) == 0);
    if (ok) {
        *before = plain[0] == 'p';
        *seq = strtoll((char *)plain + 5, &end, 10);
        ok = end && *end == '\0' && *seq >= 0;
    }
    free(plain);
    return ok;
}

/* " WHERE ..." of the parent and the filters present in the query, params appended. */
static void list_conditions(emu_req *r, const emu_resource *res, const char *parent_id, skit_buf *where,
                            json_t *params)
{
    skit_buf_puts(where, " WHERE 1");
    if (parent_id) {
        skit_buf_printf(where, " AND %s = ?", res->parent_column);
        json_array_append_new(params, json_string(parent_id));
    }
    for (const emu_filter *f = res->filters; f && f->query; f++) {
        const char *v = emu_query(r, f->query);
        if (v && *v && !(f->any && strcmp(v, f->any) == 0)) {
            skit_buf_printf(where, " AND %s = ?", f->column ? f->column : f->query);
            json_array_append_new(params, json_string(v));
        }
    }
}

/* A list of a .page_numbers resource: page @p number of @p page_size rows, oldest first. */
static int list_by_number(emu *e, emu_req *r, const emu_resource *res, long page_size, long number)
{
    int rc = 0;
    bool ok;
    const char *parent_id = parent_or_404(e, r, res, &ok, &rc);
    if (!ok)
        return rc;
    skit_buf where = SKIT_BUF_INIT, sql = SKIT_BUF_INIT;
    json_t *params = json_array(), *items = json_array(), *rows = NULL;
    list_conditions(r, res, parent_id, &where, params);
    skit_buf_printf(&sql, "SELECT * FROM %s%s ORDER BY rowid LIMIT ? OFFSET ?", res->table, where.ptr);
    json_array_append_new(params, json_integer(page_size));
    json_array_append_new(params, json_integer((json_int_t)page_size * number));
    rows = sql.ptr ? emu_db_rows_json(e->store, sql.ptr, params) : NULL;
    rc = -1;
    for (size_t i = 0; rows && items && i < json_array_size(rows); i++)
        json_array_append_new(items, emu_resource_json_in(e, res, json_array_get(rows, i)));
    if (rows && items)
        rc = emu_reply_json(r, 200, json_pack("{s:O, s:i, s:i}", res->plural, items, "page_number", (int)number,
                                              "page_size", (int)json_array_size(items)));
    json_decref(rows);
    json_decref(items);
    json_decref(params);
    skit_buf_free(&where);
    skit_buf_free(&sql);
    return rc;
}

/* Query parameter @p name as an integer in [0, max]; @p fallback when absent or empty. */
static bool query_long(emu_req *r, const char *name, long max, long fallback, long *out)
{
    const char *text = emu_query(r, name);
    *out = fallback;
    if (!text || !*text)
        return true;
    char *end = NULL;
    *out = strtol(text, &end, 10);
    return !*end && *out >= 0 && *out <= max;
}

/* The page size of the query (the resource's default when absent or 0); false after a 400. */
static bool page_size_of(emu_req *r, const emu_resource *res, long *page_size, int *rc)
{
    if (!query_long(r, "page_size", MAX_PAGE_SIZE, 0, page_size)) {
        *rc = emu_reply_field_error(r, "page_size", "page_size must be between 1 and 100");
        return false;
    }
    if (*page_size == 0)
        *page_size = res->default_page_size ? res->default_page_size : DEFAULT_PAGE_SIZE;
    return true;
}

static int list_items(emu *e, emu_req *r)
{
    const emu_resource *res = r->resource;
    long page_size, number;
    int rc = 0;
    if (!page_size_of(r, res, &page_size, &rc))
        return rc;
    if (res->page_numbers) {
        if (!query_long(r, "page_number", INT32_MAX, 0, &number))
            return emu_reply_field_error(r, "page_number", "page_number must be an integer from 0");
        return list_by_number(e, r, res, page_size, number);
    }
    return emu_resource_list(e, r, res, NULL, NULL);
}

int emu_resource_list(emu *e, emu_req *r, const emu_resource *res, const char *extra, const json_t *extra_params)
{
    const char *token = emu_query(r, "page_token");
    long page_size;
    int rc = 0;
    if (!page_size_of(r, res, &page_size, &rc))
        return rc;
    bool before = false, ok;
    /* The walk starts before the first row of its order. */
    int64_t start = res->newest_first ? INT64_MAX : 0, seq = start;
    if (token && *token && !emu_page_token_parse(token, &before, &seq))
        return emu_reply_field_error(r, "page_token", "invalid page token");
    const char *parent_id = parent_or_404(e, r, res, &ok, &rc);
    if (!ok)
        return rc;

    skit_buf where = SKIT_BUF_INIT, sql = SKIT_BUF_INIT, count_sql = SKIT_BUF_INIT;
    json_t *params = json_array();
    list_conditions(r, res, parent_id, &where, params);
    if (extra) {
        skit_buf_printf(&where, " AND (%s)", extra);
        size_t i;
        json_t *v;
        json_array_foreach(extra_params, i, v)
            json_array_append(params, v);
    }
    skit_buf_printf(&count_sql, "SELECT COUNT(*) AS n FROM %s%s", res->table, where.ptr);
    /* One row more than the page shows whether another page follows. A walk back
     * (before) reads in the other order, and the page is turned round below. */
    bool down = before != res->newest_first;
    skit_buf_printf(&sql, "SELECT rowid AS _seq, * FROM %s%s AND rowid %s ? ORDER BY rowid %s LIMIT ?",
                    res->table, where.ptr, down ? "<" : ">", down ? "DESC" : "ASC");
    json_t *page_params = json_deep_copy(params);
    json_array_append_new(page_params, json_integer(seq));
    json_array_append_new(page_params, json_integer(page_size + 1));
    json_t *rows = NULL, *count = NULL, *items = json_array();
    rc = -1;
    if (sql.ptr && count_sql.ptr && page_params) {
        emu_db_lock(e->store);
        rows = emu_db_rows_json(e->store, sql.ptr, page_params);
        count = emu_db_rows_json(e->store, count_sql.ptr, params);
        emu_db_unlock(e->store);
    }
    if (!rows || !count || !items)
        goto done;
    bool more = json_array_size(rows) > (size_t)page_size;
    if (more)
        json_array_remove(rows, (size_t)page_size);
    size_t n = json_array_size(rows);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, emu_resource_json_in(e, res, json_array_get(rows, before ? n - 1 - i : i)));
    /* Around the page: a next page exists after its last row when we walked forward
     * and found more, or always when we walked back; a previous one likewise. */
    int64_t first = json_integer_value(json_object_get(json_array_get(rows, before ? n - 1 : 0), "_seq"));
    int64_t last = json_integer_value(json_object_get(json_array_get(rows, before ? 0 : n - 1), "_seq"));
    bool has_next = n > 0 && (before || more), has_prev = n > 0 && (before ? more : seq != start);
    char *next = has_next ? emu_page_token("next", last) : strdup("");
    char *prev = has_prev ? emu_page_token("prev", first) : strdup("");
    json_int_t total = json_integer_value(json_object_get(json_array_get(count, 0), "n"));
    if (next && prev)
        rc = emu_reply_json(r, 200, json_pack("{s:O, s:s, s:s, s:I}", res->plural, items, "next_page_token",
                                              next, "prev_page_token", prev, "total_size", total));
    free(next);
    free(prev);
done:
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

/* ---- routes -------------------------------------------------------------------- */

static const struct {
    const char *method;
    bool item;
    emu_handler handler;
    unsigned bit;      /* its EMU_ROUTE_* when it can be omitted */
} engine_routes[] = {
    {"POST", false, create_item, EMU_ROUTE_CREATE},
    {"GET", false, list_items, 0},
    {"GET", true, get_item, 0},
    {"PATCH", true, update_item, EMU_ROUTE_UPDATE},
    {"DELETE", true, delete_item, EMU_ROUTE_DELETE},
};
#define ENGINE_ROUTES (sizeof engine_routes / sizeof engine_routes[0])

size_t emu_resource_route_count(const emu_resource *res)
{
    size_t n = 0;
    for (size_t k = 0; k < ENGINE_ROUTES; k++)
        n += !(engine_routes[k].bit & res->omit_routes);
    return n;
}

emu_route emu_resource_route(const emu_resource *res, size_t i, char *pattern, size_t pattern_len)
{
    size_t k = 0;
    /* The i-th route that is served. */
    for (size_t seen = 0; k < ENGINE_ROUTES; k++)
        if (!(engine_routes[k].bit & res->omit_routes) && seen++ == i)
            break;
    if (engine_routes[k].item)
        snprintf(pattern, pattern_len, "%s/{%s}", res->route, key_param_of(res));
    else
        snprintf(pattern, pattern_len, "%s", res->route);
    const char *method = engine_routes[k].handler == update_item && res->update_method ? res->update_method
                                                                                      : engine_routes[k].method;
    return (emu_route){method, pattern, engine_routes[k].handler, NULL};
}

int emu_resource_check(const emu_resource *res, FILE *err)
{
    int rc = 0;
    const char *what = res->name ? res->name : "(unnamed)";
    if (!res->name || !res->table || !res->id_prefix || !res->route || !res->single || !res->plural ||
        !res->fields) {
        fprintf(err, "scalekit-emulator: resource %s lacks a name, table, id prefix, route, member "
                     "name or fields\n", what);
        return -1;
    }
    if (emu_pattern_has_param(res->route, key_param_of(res))) {
        fprintf(err, "scalekit-emulator: resource %s: route %s must not hold {%s} (its items' routes add it)\n",
                what, res->route, key_param_of(res));
        rc = -1;
    }
    /* The generic handlers read the parent's id from the route: it must be there. */
    if (res->parent && (!res->parent_column || !emu_pattern_has_param(res->route, res->parent_column))) {
        fprintf(err, "scalekit-emulator: resource %s: route %s lacks the path parameter {%s} "
                     "its handlers read\n", what, res->route, res->parent_column ? res->parent_column : "");
        rc = -1;
    }
    return rc;
}
