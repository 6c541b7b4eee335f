/*
 * The call side of the resource machinery (see decode.h): argument checks,
 * paths, one call decoded into one result, list pages.
 */
#include "decode.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int skit_check_required(const char *value, const char *name)
{
    if (!value || !*value)
        return skit_error_set(SCALEKIT_EINVAL, "%s must not be empty", name);
    return SCALEKIT_OK;
}

int skit_check_length(const char *value, const char *name, size_t min, size_t max)
{
    if (!value)
        return SCALEKIT_OK;
    size_t len = 0;   /* characters, not bytes: UTF-8 continuation bytes do not count */
    for (const unsigned char *p = (const unsigned char *)value; *p; p++)
        len += (*p & 0xC0) != 0x80;
    if (len < min || len > max)
        return skit_error_set(SCALEKIT_EINVAL, "%s must have %zu to %zu characters, not %zu",
                              name, min, max, len);
    return SCALEKIT_OK;
}

int skit_check_out(void *out, const char *name)
{
    if (!out)
        return skit_error_set(SCALEKIT_EINVAL, "%s must not be NULL", name);
    const void *none = NULL;
    memcpy(out, &none, sizeof none);
    return SCALEKIT_OK;
}

int skit_check_string_map(const scalekit_string_map *map, const char *name)
{
    if (!map || !map->entries)
        return SCALEKIT_OK;
    for (size_t i = 0; i < map->count; i++) {
        if (!map->entries[i].name || !*map->entries[i].name)
            return skit_error_set(SCALEKIT_EINVAL, "%s entry %zu has an empty name", name, i);
        if (!map->entries[i].value)
            return skit_error_set(SCALEKIT_EINVAL, "%s entry \"%s\" has a NULL value", name,
                                  map->entries[i].name);
    }
    return SCALEKIT_OK;
}

const char *scalekit_string_map_get(const scalekit_string_map *map, const char *name)
{
    if (!map || !map->entries || !name)
        return NULL;
    for (size_t i = 0; i < map->count; i++) {
        if (map->entries[i].name && strcmp(map->entries[i].name, name) == 0)
            return map->entries[i].value;
    }
    return NULL;
}

int skit_path(char **out, const char *pattern, ...)
{
    skit_buf b = SKIT_BUF_INIT;
    va_list ap;
    va_start(ap, pattern);
    int rc = SCALEKIT_OK;
    const char *p = pattern;
    while (rc == SCALEKIT_OK && *p) {
        const char *hole = strstr(p, "{}");
        size_t literal = hole ? (size_t)(hole - p) : strlen(p);
        if (literal)
            rc = skit_buf_put(&b, p, literal);
        if (!hole)
            break;
        const char *segment = va_arg(ap, const char *);
        /* HTTP clients collapse dot segments: ".." would address another resource. */
        if (rc == SCALEKIT_OK && (!segment || !*segment || strcmp(segment, ".") == 0 ||
                                  strcmp(segment, "..") == 0))
            rc = skit_error_set(SCALEKIT_EINVAL, "\"%s\" is not a valid id in a path",
                                segment ? segment : "(null)");
        if (rc == SCALEKIT_OK)
            rc = skit_path_add(&b, segment);
        p = hole + 2;
    }
    va_end(ap);
    if (rc != SCALEKIT_OK) {
        skit_buf_free(&b);
        *out = NULL;
        return rc;
    }
    *out = skit_buf_detach(&b);
    return *out ? SCALEKIT_OK : skit_error_oom();
}

int skit_resource_call(scalekit_client *client, const skit_call *call, void **out)
{
    if (out)
        *out = NULL;
    if (!client)
        return skit_error_set(SCALEKIT_EINVAL, "client must not be NULL");
    json_t *body = NULL;
    char *raw = NULL;
    bool want = call->schema != NULL;
    int rc = skit_api_call_raw(client, call->method, call->path, call->query, call->body,
                               want ? &body : NULL, want ? &raw : NULL);
    if (rc != SCALEKIT_OK || !want)
        goto done;
    const json_t *obj = call->member ? json_object_get(body, call->member) : body;
    if (!json_is_object(obj)) {
        rc = skit_error_set(SCALEKIT_EMALFORMED_RESPONSE,
                            "%s %s: the response has no \"%s\" object", call->method, call->path,
                            call->member ? call->member : "(body)");
        goto done;
    }
    rc = skit_decode_new(call->schema, obj, raw, out);
done:
    json_decref(body);
    free(raw);
    if (rc == SCALEKIT_OK)
        skit_error_reset();
    return rc;
}

int skit_list_page(scalekit_client *client, const char *path, const char *base_query,
                   uint32_t page_size, const char *page_token,
                   const skit_schema *list_schema, void **out)
{
    skit_buf q = SKIT_BUF_INIT;
    int rc = SCALEKIT_OK;
    if (base_query && *base_query)
        rc = skit_buf_puts(&q, base_query);
    if (rc == SCALEKIT_OK && page_size) {
        char size[16];
        snprintf(size, sizeof size, "%u", (unsigned)page_size);
        rc = skit_form_add(&q, "page_size", size);
    }
    if (rc == SCALEKIT_OK)
        rc = skit_form_add(&q, "page_token", page_token);
    if (rc == SCALEKIT_OK) {
        skit_call call = { "GET", path, q.ptr, NULL, NULL, list_schema };
        rc = skit_resource_call(client, &call, out);
    }
    skit_buf_free(&q);
    return rc;
}
