/*
 * The SCIM operations on a kind of resource (RFC 7644 section 3): create, get,
 * list with filter and paging, replace, patch, delete; meta and ETags
 * (W/"<version>", If-Match answered 412 on a mismatch), attribute selection.
 * What a kind stores and emits is its own (scim_users.c, scim_groups.c).
 */
#include "scim.h"
#include "resources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static json_t *find_row(emu *e, const scim_kind *k, const scim_dir *d, const char *id)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT * FROM %s WHERE id = ? AND directory_id = ?", k->table);
    return id ? emu_db_row(e->store, sql, "ss", id, d->id) : NULL;
}

static void etag_of(const json_t *row, char *out, size_t n)
{
    snprintf(out, n, "W/\"%lld\"", (long long)json_integer_value(json_object_get(row, "version")));
}

/* The resource with id, schemas and meta (RFC 7643 section 3.1). New reference. */
static json_t *render(emu *e, const scim_kind *k, const scim_dir *d, const json_t *row)
{
    json_t *res = k->load(e, row);
    if (!res)
        return NULL;
    const char *id = skit_json_string(row, "id");
    char location[sizeof d->base + 96], etag[32];
    snprintf(location, sizeof location, "%s/%s/%s", d->base, k->endpoint, id);
    etag_of(row, etag, sizeof etag);
    json_object_set_new(res, "id", json_string(id));
    size_t i;
    json_t *ref;
    json_array_foreach(json_object_get(res, k->refs), i, ref) {
        char url[sizeof d->base + 96];
        snprintf(url, sizeof url, "%s/%s/%s", d->base, k->refs_endpoint, scim_string(ref, "value"));
        json_object_set_new(ref, "$ref", json_string(url));
    }
    json_t *meta = json_pack("{s:s, s:o, s:o, s:s, s:s}", "resourceType", k->name,
                             "created", emu_json_time(json_integer_value(json_object_get(row, "create_time"))),
                             "lastModified", emu_json_time(json_integer_value(json_object_get(row, "update_time"))),
                             "location", location, "version", etag);
    if (!meta || json_object_set_new(res, "meta", meta) != 0 || scim_ensure_schema(res, k->schema) != 0) {
        json_decref(res);
        return NULL;
    }
    return res;
}

/* Whether the comma-separated @p list names @p name (any case, spaces trimmed). */
static bool list_names(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t len = strcspn(p, ",");
        size_t word = len;
        while (word && p[word - 1] == ' ')
            word--;
        /* "name.givenName" selects name */
        size_t top = strcspn(p, ".,");
        if ((word == n || (top < word && top == n)) && strncasecmp(p, name, n) == 0)
            return true;
        p += len;
    }
    return false;
}

/* ?attributes= and ?excludedAttributes= (RFC 7644 section 3.4.2.5), top-level
 * attributes; id, schemas and meta are always returned. */
static void project(emu_req *r, json_t *res)
{
    const char *only = emu_query(r, "attributes"), *except = emu_query(r, "excludedAttributes");
    const char *k;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(res, tmp, k, v) {
        if (strcmp(k, "id") == 0 || strcmp(k, "schemas") == 0 || strcmp(k, "meta") == 0)
            continue;
        if ((only && *only && !list_names(only, k)) || (except && *except && list_names(except, k)))
            json_object_del(res, k);
    }
}

static int reply_resource(emu *e, emu_req *r, const scim_kind *k, const scim_dir *d, unsigned status,
                          const json_t *row)
{
    json_t *res = row ? render(e, k, d, row) : NULL;
    if (!res)
        return -1;
    project(r, res);
    char etag[32];
    etag_of(row, etag, sizeof etag);
    emu_add_header(r, "ETag", etag);
    if (status == 201)
        emu_add_header(r, "Location", skit_json_string(json_object_get(res, "meta"), "location"));
    return scim_reply_json(r, status, res);
}

/* Whether header @p h ("*" or a comma-separated list of tags) names the row's tag. */
static bool names_tag(const char *h, const json_t *row)
{
    if (strcmp(h, "*") == 0)
        return true;
    char etag[32];
    etag_of(row, etag, sizeof etag);
    size_t n = strlen(etag);
    for (const char *p = h; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t len = strcspn(p, ",");
        while (len && p[len - 1] == ' ')
            len--;
        if (len == n && strncmp(p, etag, n) == 0)
            return true;
        p += len;
        p += strcspn(p, ",");
    }
    return false;
}

/* If-Match (RFC 7232 section 3.1): absent, or naming the row's tag. */
static bool if_match_ok(emu_req *r, const json_t *row)
{
    const char *h = emu_header(r, "If-Match");
    return !h || names_tag(h, row);
}

static int scim_get(emu *e, emu_req *r, const scim_kind *k)
{
    scim_dir d;
    int rc;
    if (!scim_begin(e, r, &d, &rc))
        return rc;
    const char *id = emu_path_param(r, "id");
    json_t *row = find_row(e, k, &d, id);
    const char *none_match = emu_header(r, "If-None-Match");
    char etag[32];
    if (row && none_match && names_tag(none_match, row)) {
        /* RFC 7644 section 3.14: the client's copy is current. */
        etag_of(row, etag, sizeof etag);
        emu_add_header(r, "ETag", etag);
        rc = emu_reply_raw(r, 304, SCIM_MEDIA_TYPE, "", 0);
    } else {
        rc = row ? reply_resource(e, r, k, &d, 200, row)
                 : scim_reply_errorf(r, 404, NULL, "%s %s not found", k->name, id ? id : "");
    }
    json_decref(row);
    scim_dir_free(&d);
    return rc;
}

/* An integer query parameter; @p fallback when absent. False when not an integer. */
static bool query_int(emu_req *r, const char *name, long fallback, long *out)
{
    const char *text = emu_query(r, name);
    *out = fallback;
    if (!text || !*text)
        return true;
    char *end = NULL;
    *out = strtol(text, &end, 10);
    return *end == '\0';
}

static int list(emu *e, emu_req *r, const scim_kind *k, const scim_dir *d)
{
    long start, count;
    if (!query_int(r, "startIndex", 1, &start) || !query_int(r, "count", SCIM_MAX_RESULTS, &count))
        return scim_reply_errorf(r, 400, "invalidValue", "startIndex and count must be integers");
    /* RFC 7644 section 3.4.2.4: below 1 means 1; a negative count means 0. */
    start = start < 1 ? 1 : start;
    count = count < 0 ? 0 : count > SCIM_MAX_RESULTS ? SCIM_MAX_RESULTS : count;
    scim_filter *filter = NULL;
    const char *text = emu_query(r, "filter");
    char why[200];
    if (text && scim_filter_parse(text, &filter, why, sizeof why) != 0)
        return scim_reply_errorf(r, 400, "invalidFilter", "filter: %s", why);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT * FROM %s WHERE directory_id = ? ORDER BY rowid", k->table);
    json_t *rows = emu_db_rows(e->store, sql, "s", d->id), *page = json_array();
    size_t total = 0, i;
    json_t *row;
    int rc = -1;
    json_array_foreach(rows, i, row) {
        json_t *res = render(e, k, d, row);
        if (!res)
            goto out;
        if (scim_filter_match(filter, res) && ++total >= (size_t)start && json_array_size(page) < (size_t)count) {
            project(r, res);
            json_array_append(page, res);
        }
        json_decref(res);
    }
    if (rows && page)
        rc = scim_reply_json(r, 200, json_pack("{s:[s], s:I, s:I, s:I, s:O}", "schemas", SCIM_MSG_LIST,
                                               "totalResults", (json_int_t)total, "startIndex", (json_int_t)start,
                                               "itemsPerPage", (json_int_t)json_array_size(page),
                                               "Resources", page));
out:
    json_decref(rows);
    json_decref(page);
    scim_filter_free(filter);
    return rc;
}

static int scim_list(emu *e, emu_req *r, const scim_kind *k)
{
    scim_dir d;
    int rc;
    if (!scim_begin(e, r, &d, &rc))
        return rc;
    rc = list(e, r, k, &d);
    scim_dir_free(&d);
    return rc;
}

/*
 * Every write: inside one transaction, the row (NULL for a create, else found
 * under @p id and matching If-Match), the new resource (@p patch: the row's with
 * the body's operations applied; else the body), its check, the kind's write and
 * event. Replies the resource with @p status, or the refusal.
 */
static int write_resource(emu *e, emu_req *r, const scim_kind *k, const scim_dir *d, const char *id,
                          bool patch, unsigned status)
{
    const json_t *body = emu_json_body(r);
    if (!body)
        return scim_reply_errorf(r, 400, "invalidSyntax", "the body must be a JSON object (%s)",
                                 patch ? "a PatchOp message" : k->name);
    scim_error err = {.status = 500};
    json_t *row = NULL, *res = NULL, *after = NULL;
    char *new_id = id ? NULL : emu_new_id(k->id_prefix, 12);
    if ((!id && !new_id) || emu_tx_begin(e->store) != 0) {
        free(new_id);
        return -1;
    }
    bool ok = false;
    if (id && !(row = find_row(e, k, d, id)))
        scim_fail(&err, 404, NULL, "%s %s not found", k->name, id);
    else if (row && !if_match_ok(r, row))
        scim_fail(&err, 412, NULL, "If-Match does not name the current version of %s %s", k->name, id);
    else if (!(res = patch ? k->load(e, row) : json_deep_copy(body)))
        scim_fail(&err, 500, NULL, "out of memory");
    else if (patch && json_object_set_new(res, "id", json_string(id)) != 0)   /* what a patch may repeat */
        scim_fail(&err, 500, NULL, "out of memory");
    else if ((!patch || scim_patch_apply(k, res, body, &err)) && k->check(res, &err))
        ok = k->write(e, d, row, id ? id : new_id, res, &err) == 0;
    if (ok && emu_tx_commit(e->store) == 0)
        after = find_row(e, k, d, id ? id : new_id);
    else if (!ok)
        emu_tx_rollback(e->store);
    int rc = after ? reply_resource(e, r, k, d, status, after)
                   : ok || err.status == 500 ? -1 : scim_reply_error(r, &err);
    json_decref(row);
    json_decref(res);
    json_decref(after);
    free(new_id);
    return rc;
}

static int scim_write(emu *e, emu_req *r, const scim_kind *k, bool create, bool patch)
{
    scim_dir d;
    int rc;
    if (!scim_begin(e, r, &d, &rc))
        return rc;
    rc = write_resource(e, r, k, &d, create ? NULL : emu_path_param(r, "id"), patch, create ? 201 : 200);
    scim_dir_free(&d);
    return rc;
}

static int scim_delete(emu *e, emu_req *r, const scim_kind *k)
{
    scim_dir d;
    int rc;
    if (!scim_begin(e, r, &d, &rc))
        return rc;
    const char *id = emu_path_param(r, "id");
    if (emu_tx_begin(e->store) != 0) {
        scim_dir_free(&d);
        return -1;
    }
    json_t *row = find_row(e, k, &d, id);
    if (!row) {
        emu_tx_rollback(e->store);
        rc = scim_reply_errorf(r, 404, NULL, "%s %s not found", k->name, id ? id : "");
    } else if (!if_match_ok(r, row)) {
        emu_tx_rollback(e->store);
        rc = scim_reply_errorf(r, 412, NULL, "If-Match does not name the current version of %s %s", k->name, id);
    } else if (k->remove(e, &d, row) != 0) {
        emu_tx_rollback(e->store);
        rc = -1;
    } else {
        rc = emu_tx_commit(e->store) == 0 ? emu_reply_raw(r, 204, SCIM_MEDIA_TYPE, "", 0) : -1;
    }
    json_decref(row);
    scim_dir_free(&d);
    return rc;
}

/* The six operations of one kind, as route handlers. */
#define SCIM_HANDLERS(tag, kind)                                                                   \
    static int tag##_create(emu *e, emu_req *r) { return scim_write(e, r, &kind, true, false); }  \
    static int tag##_get(emu *e, emu_req *r) { return scim_get(e, r, &kind); }                      \
    static int tag##_list(emu *e, emu_req *r) { return scim_list(e, r, &kind); }                    \
    static int tag##_replace(emu *e, emu_req *r) { return scim_write(e, r, &kind, false, false); } \
    static int tag##_patch(emu *e, emu_req *r) { return scim_write(e, r, &kind, false, true); }    \
    static int tag##_delete(emu *e, emu_req *r) { return scim_delete(e, r, &kind); }

SCIM_HANDLERS(users, scim_user_kind)
SCIM_HANDLERS(groups, scim_group_kind)

#define SCIM_ROUTES(endpoint, tag)                                                   \
    {"POST", SCIM_ROUTE "/" endpoint, tag##_create, "directory_id"},                 \
    {"GET", SCIM_ROUTE "/" endpoint, tag##_list, "directory_id"},                    \
    {"GET", SCIM_ROUTE "/" endpoint "/{id}", tag##_get, "directory_id id"},          \
    {"PUT", SCIM_ROUTE "/" endpoint "/{id}", tag##_replace, "directory_id id"},      \
    {"PATCH", SCIM_ROUTE "/" endpoint "/{id}", tag##_patch, "directory_id id"},      \
    {"DELETE", SCIM_ROUTE "/" endpoint "/{id}", tag##_delete, "directory_id id"}

const emu_route emu_scim_routes[] = {
    SCIM_ROUTES("Users", users),
    SCIM_ROUTES("Groups", groups),
    {NULL, NULL, NULL, NULL},
};
