/* SCIM requests: who may call, and how refusals look (RFC 7644 sections 2 and 3.12). */
#include "scim.h"
#include "resources.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool scim_fail(scim_error *err, unsigned status, const char *type, const char *fmt, ...)
{
    err->status = status;
    err->type = type;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->detail, sizeof err->detail, fmt, ap);
    va_end(ap);
    return false;
}

int scim_reply_json(emu_req *r, unsigned status, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!text)
        return -1;
    int rc = emu_reply_raw(r, status, SCIM_MEDIA_TYPE, text, strlen(text));
    free(text);
    return rc;
}

int scim_reply_error(emu_req *r, const scim_error *err)
{
    char status[8];
    snprintf(status, sizeof status, "%u", err->status);
    json_t *body = json_pack("{s:[s], s:s, s:s}", "schemas", SCIM_MSG_ERROR, "status", status,
                             "detail", err->detail);
    if (body && err->type)
        json_object_set_new(body, "scimType", json_string(err->type));
    return scim_reply_json(r, err->status, body);
}

int scim_reply_errorf(emu_req *r, unsigned status, const char *type, const char *fmt, ...)
{
    scim_error err = {.status = status, .type = type};
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err.detail, sizeof err.detail, fmt, ap);
    va_end(ap);
    return scim_reply_error(r, &err);
}

/* Whether Content-Type @p type (parameters ignored) is one SCIM bodies come in:
 * RFC 7644's own, or application/json as identity providers also send. */
static bool media_type_ok(const char *type)
{
    size_t n = strcspn(type, "; \t");
    return (n == strlen(SCIM_MEDIA_TYPE) && strncasecmp(type, SCIM_MEDIA_TYPE, n) == 0) ||
           (n == 16 && strncasecmp(type, "application/json", n) == 0);
}

bool scim_begin(emu *e, emu_req *r, scim_dir *d, int *rc)
{
    memset(d, 0, sizeof *d);
    const char *dir_id = emu_path_param(r, "directory_id");
    const char *auth = emu_header(r, "Authorization");
    const char *bearer = auth && strncasecmp(auth, "Bearer ", 7) == 0 ? auth + 7 : NULL;
    while (bearer && *bearer == ' ')
        bearer++;
    if (!dir_id || !bearer || !*bearer || !emu_directory_secret_check(e, dir_id, bearer)) {
        emu_add_header(r, "WWW-Authenticate", "Bearer realm=\"SCIM\"");
        *rc = scim_reply_errorf(r, 401, NULL, "%s", !bearer || !*bearer
                                ? "missing bearer token: send the directory's secret as Authorization: Bearer"
                                : "the bearer token is not an active secret of this directory");
        return false;
    }
    d->row = emu_db_row(e->store, "SELECT * FROM directories WHERE id = ?", "s", dir_id);
    if (!d->row) {
        *rc = scim_reply_errorf(r, 404, NULL, "directory %s not found", dir_id);
        return false;
    }
    d->id = skit_json_string(d->row, "id");
    d->organization_id = skit_json_string(d->row, "organization_id");
    if (json_integer_value(json_object_get(d->row, "enabled")) == 0) {
        *rc = scim_reply_errorf(r, 403, NULL, "directory %s is disabled: enable it to provision through SCIM",
                                dir_id);
        scim_dir_free(d);
        return false;
    }
    const char *type = emu_header(r, "Content-Type");
    if (r->body_len > 0 && type && !media_type_ok(type)) {
        *rc = scim_reply_errorf(r, 415, NULL, "Content-Type %.80s: send application/scim+json", type);
        scim_dir_free(d);
        return false;
    }
    snprintf(d->base, sizeof d->base, "%s/api/v1/directories/%s/scim/v2", e->url, d->id);
    return true;
}

void scim_dir_free(scim_dir *d)
{
    json_decref(d->row);
    memset(d, 0, sizeof *d);
}

/* ---- helpers of the kinds ---------------------------------------------------- */

void scim_drop_members(json_t *res, const char *const *names)
{
    for (const char *const *n = names; n && *n; n++) {
        const char *k;
        while ((k = scim_key(res, *n)) != NULL)
            json_object_del(res, k);
    }
}

int scim_ensure_schema(json_t *res, const char *schema)
{
    json_t *schemas = json_object_get(res, "schemas");
    if (!json_is_array(schemas)) {
        schemas = json_array();
        if (!schemas || json_object_set_new(res, "schemas", schemas) != 0)
            return -1;
    }
    size_t i;
    json_t *s;
    json_array_foreach(schemas, i, s) {
        if (json_is_string(s) && strcasecmp(json_string_value(s), schema) == 0)
            return 0;
    }
    return json_array_insert_new(schemas, 0, json_string(schema));
}

const char *scim_string(const json_t *obj, const char *name)
{
    return json_string_value(scim_member(obj, name));
}
