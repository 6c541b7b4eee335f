/*
 * The call side of the resource machinery (see decode.h): the C-level argument
 * checks, paths from templates, and one operation call: check, encode, send,
 * decode. Business rules (lengths, patterns, URL schemes) are the server's.
 */
#include "decode.h"

#include <stdlib.h>
#include <string.h>

int skit_check_required(const char *value, const char *name)
{
    if (!value || !*value)
        return skit_error_set(SCALEKIT_EINVAL, "%s must not be empty", name);
    return SCALEKIT_OK;
}

bool skit_utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned char c = *p;
        size_t n;
        uint32_t cp;
        if (c < 0x80) {
            p++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1, cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2, cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3, cp = c & 0x07;
        } else {
            return false;   /* a continuation byte, an overlong lead (C0, C1) or > F4 */
        }
        for (size_t i = 1; i <= n; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return false;   /* also stops at the NUL */
            cp = cp << 6 | (p[i] & 0x3F);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false;
        p += n + 1;
    }
    return true;
}

int skit_check_utf8(const char *value, const char *name)
{
    if (value && !skit_utf8_valid(value))
        return skit_error_set(SCALEKIT_EINVAL, "%s is not valid UTF-8", name);
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

/* One path argument named @p name (from "{name}"), checked and percent-encoded. */
static int add_segment(skit_buf *b, const char *name, size_t name_len, const char *segment)
{
    if (!segment || !*segment)
        return skit_error_set(SCALEKIT_EINVAL, "%.*s must not be empty", (int)name_len, name);
    if (!skit_utf8_valid(segment))
        return skit_error_set(SCALEKIT_EINVAL, "%.*s is not valid UTF-8", (int)name_len, name);
    /* HTTP clients collapse dot segments: ".." would address another resource. */
    if (strcmp(segment, ".") == 0 || strcmp(segment, "..") == 0)
        return skit_error_set(SCALEKIT_EINVAL, "%.*s \"%s\" is not a valid path segment",
                              (int)name_len, name, segment);
    return skit_path_add(b, segment);
}

int skit_op_path(char **out, const char *pattern, va_list ap)
{
    skit_buf b = SKIT_BUF_INIT;
    int rc = SCALEKIT_OK;
    const char *p = pattern;
    while (rc == SCALEKIT_OK && *p) {
        const char *open = strchr(p, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        size_t literal = close ? (size_t)(open - p) : strlen(p);
        if (literal)
            rc = skit_buf_put(&b, p, literal);
        if (!close)
            break;
        if (rc == SCALEKIT_OK)
            rc = add_segment(&b, open + 1, (size_t)(close - open - 1), va_arg(ap, const char *));
        p = close + 1;
    }
    if (rc != SCALEKIT_OK) {
        skit_buf_free(&b);
        *out = NULL;
        return rc;
    }
    *out = skit_buf_detach(&b);
    return *out ? SCALEKIT_OK : skit_error_oom();
}

int skit_op_send(scalekit_client *client, const skit_op *op, const char *path, const char *query,
                 const json_t *body, void **out)
{
    if (!client)
        return skit_error_set(SCALEKIT_EINVAL, "client must not be NULL");
    json_t *answer = NULL;
    char *raw = NULL;
    bool want = op->result != NULL;
    int rc = skit_api_call_raw(client, op->method, path, query, body, want ? &answer : NULL,
                               want ? &raw : NULL);
    if (rc != SCALEKIT_OK || !want)
        goto done;
    const json_t *obj = op->member ? json_object_get(answer, op->member) : answer;
    if (!json_is_object(obj)) {
        rc = skit_error_set(SCALEKIT_EMALFORMED_RESPONSE,
                            "%s %s: the response has no \"%s\" object", op->method, path,
                            op->member ? op->member : "(body)");
        goto done;
    }
    rc = skit_decode_new(op->result, obj, raw, out);
done:
    json_decref(answer);
    free(raw);
    if (rc == SCALEKIT_OK)
        skit_error_reset();
    return rc;
}

/* The query and body of @p op from the input @p in. */
static int encode_input(const skit_op *op, const void *in, skit_buf *query, json_t **body)
{
    if (!in)
        return op->input ? skit_error_set(SCALEKIT_EINVAL, "%s must not be NULL", op->input)
                         : SCALEKIT_OK;
    int rc = SCALEKIT_OK;
    if (op->query) {
        json_t *q = NULL;
        rc = skit_encode(op->query, in, &q);
        if (rc == SCALEKIT_OK)
            rc = skit_query_from_json(q, query);
        json_decref(q);
    }
    if (rc == SCALEKIT_OK && op->body)
        rc = skit_encode(op->body, in, body);
    return rc;
}

int skit_op_call(scalekit_client *client, const skit_op *op, const void *in, void **out, ...)
{
    int rc = op->result ? skit_check_out(out, "out") : SCALEKIT_OK;
    if (rc != SCALEKIT_OK)
        return rc;
    char *path = NULL;
    va_list ap;
    va_start(ap, out);
    rc = skit_op_path(&path, op->path, ap);
    va_end(ap);
    skit_buf query = SKIT_BUF_INIT;
    json_t *body = NULL;
    if (rc == SCALEKIT_OK)
        rc = encode_input(op, in, &query, &body);
    if (rc == SCALEKIT_OK)
        rc = skit_op_send(client, op, path, query.ptr, body, out);
    json_decref(body);
    skit_buf_free(&query);
    free(path);
    return rc;
}
