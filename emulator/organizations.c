/*
 * Organizations: create, list, get (by id or external id), update, delete,
 * with the API's validation (organizationsOrganization, v1organizationsCreate-
 * Organization, v1organizationsUpdateOrganization) and the organization.created /
 * .updated / .deleted webhook events. Settings, session policy and portal links
 * are in organization_settings.c.
 */
#include "environment.h"
#include "resources.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_PAGE_SIZE 10
#define MAX_PAGE_SIZE 100
#define MAX_DISPLAY_NAME 200
#define MAX_SLUG 253
#define MAX_LOGO_URL 1024
#define MAX_METADATA_PAIRS 10

/* A new organization's feature toggles: everything off until configured. */
static const char default_features[] =
    "[{\"name\":\"sso\",\"enabled\":false},{\"name\":\"dir_sync\",\"enabled\":false}]";

/* ---- shapes ---------------------------------------------------------------- */

static void copy_string(json_t *obj, const char *name, const json_t *row, const char *column)
{
    const char *v = skit_json_string(row, column);
    if (v)
        json_object_set_new(obj, name, json_string(v));
}

static void copy_time(json_t *obj, const char *name, const json_t *row, const char *column)
{
    json_t *v = json_object_get(row, column);
    if (json_is_integer(v))
        json_object_set_new(obj, name, emu_json_time(json_integer_value(v)));
}

/* A JSON text column parsed, or @p fallback (new reference) when it is not of @p type. */
static json_t *json_column(const json_t *row, const char *column, json_type type)
{
    const char *text = skit_json_string(row, column);
    json_t *v = text ? json_loads(text, 0, NULL) : NULL;
    if (v && json_typeof(v) == type)
        return v;
    json_decref(v);
    return type == JSON_ARRAY ? json_array() : json_object();
}

json_t *emu_organization_row(emu *e, const char *id)
{
    return id ? emu_db_row(e->store, "SELECT * FROM organizations WHERE id = ?", "s", id) : NULL;
}

json_t *emu_organization_json(const json_t *row)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    copy_string(o, "id", row, "id");
    copy_string(o, "display_name", row, "display_name");
    copy_string(o, "external_id", row, "external_id");
    copy_string(o, "region_code", row, "region_code");
    copy_string(o, "slug", row, "slug");
    copy_string(o, "logo_url", row, "logo_url");
    json_object_set_new(o, "metadata", json_column(row, "metadata", JSON_OBJECT));
    json_object_set_new(o, "settings", json_pack("{s:o}", "features",
                                                 json_column(row, "features", JSON_ARRAY)));
    copy_time(o, "create_time", row, "create_time");
    copy_time(o, "update_time", row, "update_time");
    return o;
}

int emu_organization_event(emu *e, const char *type, const json_t *row, int64_t deleted_at)
{
    json_t *data = emu_organization_json(row);
    if (!data)
        return -1;
    if (deleted_at)
        json_object_set_new(data, "deleted_at", emu_json_time(deleted_at));
    int rc = emu_event_emit(e, type, skit_json_string(row, "id"), data);
    json_decref(data);
    return rc;
}

int emu_reply_organization(emu_req *r, unsigned status, const json_t *row)
{
    json_t *org = emu_organization_json(row);
    return org ? emu_reply_json(r, status, json_pack("{s:o}", "organization", org)) : -1;
}

/* ---- validation ------------------------------------------------------------ */

/* Characters (code points) of a UTF-8 string: jansson hands out valid UTF-8 only. */
static size_t utf8_length(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* The schema's slug pattern: dot-separated labels of [a-z0-9-], 1 to 63 long,
 * not starting or ending with '-'; 253 characters at most. */
static bool valid_slug(const char *s)
{
    size_t len = strlen(s), label = 0;
    if (len < 1 || len > MAX_SLUG)
        return false;
    for (size_t i = 0; i <= len; i++) {
        char c = s[i];
        if (c == '.' || c == '\0') {
            if (label < 1 || label > 63 || s[i - 1] == '-')
                return false;
            label = 0;
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && label > 0)) {
            label++;
        } else {
            return false;
        }
    }
    return true;
}

/*
 * Check the fields of a create (@p create) or update body. NULL when valid;
 * else the violation's description, with its field name written to @p field.
 */
static const char *check_fields(const json_t *body, bool create, char *field, size_t field_len)
{
    const json_t *v;
    snprintf(field, field_len, "display_name");
    v = json_object_get(body, "display_name");
    if (create && !v)
        return "display_name is required";
    if (v && !json_is_string(v))
        return "display_name must be a string";
    if (v && (utf8_length(json_string_value(v)) < 1 ||
              utf8_length(json_string_value(v)) > MAX_DISPLAY_NAME))
        return "display_name must be between 1 and 200 characters";

    snprintf(field, field_len, "external_id");
    v = json_object_get(body, "external_id");
    if (v && !json_is_string(v))
        return "external_id must be a string";

    snprintf(field, field_len, "slug");
    v = json_object_get(body, "slug");
    if (v && !json_is_string(v))
        return "slug must be a string";
    if (v && !(!create && json_string_length(v) == 0) && !valid_slug(json_string_value(v)))
        return "slug must be a lowercase DNS label or host name of at most 253 characters";

    snprintf(field, field_len, "logo_url");
    v = json_object_get(body, "logo_url");
    if (v && !json_is_string(v))
        return "logo_url must be a string";
    if (v && (strncmp(json_string_value(v), "https://", 8) != 0 || json_string_length(v) <= 8))
        return "logo_url must be an https URL";
    if (v && json_string_length(v) > MAX_LOGO_URL)
        return "logo_url must be at most 1024 characters";

    snprintf(field, field_len, "metadata");
    v = json_object_get(body, "metadata");
    if (v && !json_is_object(v) && !json_is_null(v))
        return "metadata must be an object of strings";
    if (json_object_size(v) > MAX_METADATA_PAIRS)
        return "metadata allows at most 10 pairs";
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)v, key, value) {
        snprintf(field, field_len, "metadata.%s", key);
        if (utf8_length(key) < 3 || utf8_length(key) > 25)
            return "metadata keys must be between 3 and 25 characters";
        if (!json_is_string(value))
            return "metadata values must be strings";
        if (utf8_length(json_string_value(value)) < 1 || utf8_length(json_string_value(value)) > 256)
            return "metadata values must be between 1 and 256 characters";
    }
    return NULL;
}

/* A string field, NULL when absent or "" (stored as SQL NULL, so unique-when-set works). */
static const char *nonempty(const json_t *body, const char *name)
{
    const char *s = skit_json_string(body, name);
    return s && *s ? s : NULL;
}

/* Answer 409 when another organization (not @p self) has this external_id or slug. */
static bool reply_conflict(emu *e, emu_req *r, const char *self, const char *external_id,
                           const char *slug, int *rc)
{
    json_t *row = NULL;
    const char *what = NULL, *value = NULL;
    if (external_id && (row = emu_db_row(e->store, "SELECT id FROM organizations WHERE external_id = ? "
                                                   "AND id IS NOT ?", "ss", external_id, self))) {
        what = "external_id";
        value = external_id;
    } else if (slug && (row = emu_db_row(e->store, "SELECT id FROM organizations WHERE slug = ? "
                                                   "AND id IS NOT ?", "ss", slug, self))) {
        what = "slug";
        value = slug;
    }
    json_decref(row);
    if (!what)
        return false;
    *rc = emu_reply_error(r, 409, "ALREADY_EXISTS", "an organization with %s %s already exists",
                          what, value);
    return true;
}

/* ---- handlers ----------------------------------------------------------------- */

static json_t *body_or_reply(emu_req *r, int *rc)
{
    json_t *body = emu_json_body(r);
    if (!body)
        *rc = emu_reply_error(r, 400, "INVALID_ARGUMENT", "the request body must be a JSON object");
    return body;
}

static int create_organization(emu *e, emu_req *r)
{
    int rc = 0;
    json_t *body = body_or_reply(r, &rc);
    if (!body)
        return rc;
    char field[128];
    const char *why = check_fields(body, true, field, sizeof field);
    if (why)
        return emu_reply_field_error(r, field, why);
    const char *external_id = nonempty(body, "external_id"), *slug = nonempty(body, "slug");
    json_t *metadata = json_object_get(body, "metadata");
    char *metadata_text = json_is_object(metadata) ? json_dumps(metadata, JSON_COMPACT) : strdup("{}");
    char *id = emu_new_id("org_", 8);
    int64_t now = skit_now();
    json_t *row = NULL;
    if (!metadata_text || !id) {
        rc = -1;
        goto done;
    }
    emu_db_lock(e->store);
    if (!reply_conflict(e, r, NULL, external_id, slug, &rc)) {
        int n = emu_db_exec(e->store, "INSERT INTO organizations(id, display_name, external_id, slug, "
                                      "logo_url, metadata, features, create_time, update_time) "
                                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", "sssssssii",
                            id, skit_json_string(body, "display_name"), external_id, slug,
                            skit_json_string(body, "logo_url"), metadata_text, default_features,
                            now, now);
        row = n == 1 ? emu_organization_row(e, id) : NULL;
        rc = row ? 0 : -1;
    }
    emu_db_unlock(e->store);
    if (row && (emu_organization_event(e, "organization.created", row, 0) < 0 ||
                emu_reply_organization(r, 201, row) < 0))
        rc = -1;
done:
    json_decref(row);
    free(metadata_text);
    free(id);
    return rc;
}

static int get_organization(emu *e, emu_req *r)
{
    const char *id = emu_path_param(r, "id");
    json_t *row = emu_organization_row(e, id);
    if (!row)
        return emu_reply_error(r, 404, "NOT_FOUND", "organization %s not found", id);
    int rc = emu_reply_organization(r, 200, row);
    json_decref(row);
    return rc;
}

static int get_by_external_id(emu *e, emu_req *r)
{
    const char *external_id = emu_path_param(r, "external_id");
    json_t *row = emu_db_row(e->store, "SELECT * FROM organizations WHERE external_id = ?", "s",
                             external_id);
    if (!row)
        return emu_reply_error(r, 404, "NOT_FOUND", "organization with external_id %s not found",
                               external_id);
    int rc = emu_reply_organization(r, 200, row);
    json_decref(row);
    return rc;
}

/* The value of an update field: the body's when present ("" clears external_id
 * and slug), else the stored one. */
static const char *updated(const json_t *body, const json_t *row, const char *name)
{
    const json_t *v = json_object_get(body, name);
    if (!v)
        return skit_json_string(row, name);
    return json_string_length(v) ? json_string_value(v) : NULL;
}

static int update_organization(emu *e, emu_req *r)
{
    int rc = 0;
    const char *id = emu_path_param(r, "id");
    json_t *body = body_or_reply(r, &rc);
    if (!body)
        return rc;
    char field[128];
    const char *why = check_fields(body, false, field, sizeof field);
    if (why)
        return emu_reply_field_error(r, field, why);
    emu_db_lock(e->store);
    json_t *row = emu_organization_row(e, id), *after = NULL;
    if (!row) {
        rc = emu_reply_error(r, 404, "NOT_FOUND", "organization %s not found", id);
        goto done;
    }
    const char *external_id = updated(body, row, "external_id"), *slug = updated(body, row, "slug");
    if (reply_conflict(e, r, id, external_id, slug, &rc))
        goto done;
    json_t *metadata = json_object_get(body, "metadata");
    char *metadata_text = json_is_object(metadata) ? json_dumps(metadata, JSON_COMPACT) : NULL;
    if (metadata && json_is_null(metadata))
        metadata_text = strdup("{}");
    int n = emu_db_exec(e->store, "UPDATE organizations SET display_name = ?, external_id = ?, slug = ?, "
                                  "logo_url = ?, metadata = COALESCE(?, metadata), update_time = ? "
                                  "WHERE id = ?", "sssssis",
                        updated(body, row, "display_name"), external_id, slug,
                        updated(body, row, "logo_url"), metadata_text, skit_now(), id);
    free(metadata_text);
    after = n == 1 ? emu_organization_row(e, id) : NULL;
    rc = after ? 0 : -1;
done:
    emu_db_unlock(e->store);
    if (after && (emu_organization_event(e, "organization.updated", after, 0) < 0 ||
                  emu_reply_organization(r, 200, after) < 0))
        rc = -1;
    json_decref(row);
    json_decref(after);
    return rc;
}

static int delete_organization(emu *e, emu_req *r)
{
    const char *id = emu_path_param(r, "id");
    emu_db_lock(e->store);
    json_t *row = emu_organization_row(e, id);
    int rc = 0;
    if (!row) {
        emu_db_unlock(e->store);
        return emu_reply_error(r, 404, "NOT_FOUND", "organization %s not found", id);
    }
    /* An organization takes its memberships and portal links with it. */
    if (emu_db_exec(e->store, "DELETE FROM memberships WHERE organization_id = ?", "s", id) < 0 ||
        emu_db_exec(e->store, "DELETE FROM portal_links WHERE organization_id = ?", "s", id) < 0 ||
        emu_db_exec(e->store, "DELETE FROM organizations WHERE id = ?", "s", id) != 1)
        rc = -1;
    emu_db_unlock(e->store);
    if (rc == 0 && (emu_organization_event(e, "organization.deleted", row, skit_now()) < 0 ||
                    emu_reply_json(r, 200, json_object()) < 0))
        rc = -1;
    json_decref(row);
    return rc;
}

/* ---- listing ------------------------------------------------------------------- */

/* Page tokens are opaque to clients: base64url of "next:<seq>" (the rows after
 * seq) or "prev:<seq>" (the rows before it), seq being the SQLite rowid. */
static char *page_token(const char *direction, int64_t seq)
{
    char plain[48], *out = malloc(72);
    int n = snprintf(plain, sizeof plain, "%s:%" PRId64, direction, seq);
    if (out)
        out[skit_base64url_encode((const unsigned char *)plain, (size_t)n, out)] = '\0';
    return out;
}

static bool parse_page_token(const char *token, bool *before, int64_t *seq)
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

static int list_organizations(emu *e, emu_req *r)
{
    const char *size_text = emu_query(r, "page_size"), *token = emu_query(r, "page_token");
    const char *external_id = emu_query(r, "external_id");
    if (external_id && !*external_id)
        external_id = NULL;
    long page_size = DEFAULT_PAGE_SIZE;
    if (size_text && *size_text) {
        char *end = NULL;
        page_size = strtol(size_text, &end, 10);
        if (*end || page_size < 0 || page_size > MAX_PAGE_SIZE)
            return emu_reply_field_error(r, "page_size", "page_size must be between 1 and 100");
        if (page_size == 0)
            page_size = DEFAULT_PAGE_SIZE;
    }
    bool before = false;
    int64_t seq = 0;
    if (token && *token && !parse_page_token(token, &before, &seq))
        return emu_reply_field_error(r, "page_token", "invalid page token");

    emu_db_lock(e->store);
    /* One row more than the page shows whether another page follows. */
    json_t *rows = before
        ? emu_db_rows(e->store, "SELECT rowid AS seq, * FROM organizations WHERE rowid < ? AND "
                                "(? IS NULL OR external_id = ?) ORDER BY rowid DESC LIMIT ?",
                      "issi", seq, external_id, external_id, (int64_t)page_size + 1)
        : emu_db_rows(e->store, "SELECT rowid AS seq, * FROM organizations WHERE rowid > ? AND "
                                "(? IS NULL OR external_id = ?) ORDER BY rowid LIMIT ?",
                      "issi", seq, external_id, external_id, (int64_t)page_size + 1);
    json_t *count = emu_db_row(e->store, "SELECT COUNT(*) AS n FROM organizations WHERE "
                                         "(? IS NULL OR external_id = ?)", "ss", external_id, external_id);
    emu_db_unlock(e->store);
    int rc = -1;
    json_t *items = json_array();
    if (!rows || !count || !items)
        goto done;
    bool more = json_array_size(rows) > (size_t)page_size;
    if (more)
        json_array_remove(rows, (size_t)page_size);
    size_t n = json_array_size(rows);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, emu_organization_json(json_array_get(rows, before ? n - 1 - i : i)));
    /* Around the page: a next page exists after its last row when we walked forward
     * and found more, or always when we walked back; a previous one likewise. */
    int64_t first = json_integer_value(json_object_get(json_array_get(rows, before ? n - 1 : 0), "seq"));
    int64_t last = json_integer_value(json_object_get(json_array_get(rows, before ? 0 : n - 1), "seq"));
    bool has_next = n > 0 && (before || more), has_prev = n > 0 && (before ? more : seq > 0);
    char *next = has_next ? page_token("next", last) : strdup("");
    char *prev = has_prev ? page_token("prev", first) : strdup("");
    if (next && prev)
        rc = emu_reply_json(r, 200, json_pack("{s:O, s:s, s:s, s:I}", "organizations", items,
                                              "next_page_token", next, "prev_page_token", prev,
                                              "total_size", json_integer_value(json_object_get(count, "n"))));
    free(next);
    free(prev);
done:
    json_decref(items);
    json_decref(rows);
    json_decref(count);
    return rc;
}

const emu_route emu_organization_routes[] = {
    {"POST", "/api/v1/organizations", create_organization},
    {"GET", "/api/v1/organizations", list_organizations},
    {"GET", "/api/v1/organizations/{id}", get_organization},
    {"PATCH", "/api/v1/organizations/{id}", update_organization},
    {"DELETE", "/api/v1/organizations/{id}", delete_organization},
    {"GET", "/api/v1/organizations:external/{external_id}", get_by_external_id},
    {NULL, NULL, NULL}
};
