/*
 * Table-driven JSON <-> struct conversion (see decode.h). Decoding never fails
 * on what the server sent, only on memory: a member of an unexpected type is
 * left zero, so a server adding or changing a field cannot crash a caller.
 */
#include "decode.h"
#include "growable.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Pointers are stored with memcpy: the struct members are `const T *`,
 * `const char *const *` ..., and this keeps one code path free of aliasing doubts. */
static void store_ptr(void *base, size_t offset, const void *p)
{
    memcpy((char *)base + offset, &p, sizeof p);
}

static const void *load_ptr(const void *base, size_t offset)
{
    const void *p;
    memcpy(&p, (const char *)base + offset, sizeof p);
    return p;
}

static char *dump_compact(void *result, const json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!text)
        return NULL;
    char *copy = skit_result_strdup(result, text);
    free(text);
    return copy;
}

static int decode_fields(void *result, const skit_schema *schema, const json_t *obj,
                         void *out, bool with_self);

static int decode_string_list(void *result, const json_t *v, void *out, size_t offset)
{
    if (!json_is_array(v))
        return SCALEKIT_OK;
    size_t n = json_array_size(v);
    const char **list = skit_result_alloc(result, (n + 1) * sizeof *list);
    if (!list)
        return SCALEKIT_ENOMEM;
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(v, i);
        if (!json_is_string(e))
            continue;
        if (!(list[used++] = skit_result_strdup(result, json_string_value(e))))
            return SCALEKIT_ENOMEM;
    }
    store_ptr(out, offset, list);
    return SCALEKIT_OK;
}

static int decode_string_map(void *result, const json_t *v, void *out, size_t offset)
{
    if (!json_is_object(v) || json_object_size(v) == 0)
        return SCALEKIT_OK;
    scalekit_header *entries = skit_result_alloc(result, json_object_size(v) * sizeof *entries);
    if (!entries)
        return SCALEKIT_ENOMEM;
    size_t used = 0;
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)v, key, val) {
        if (!json_is_string(val))
            continue;
        entries[used].name = skit_result_strdup(result, key);
        entries[used].value = skit_result_strdup(result, json_string_value(val));
        if (!entries[used].name || !entries[used].value)
            return SCALEKIT_ENOMEM;
        used++;
    }
    scalekit_string_map map = { used ? entries : NULL, used };
    memcpy((char *)out + offset, &map, sizeof map);
    return SCALEKIT_OK;
}

static int decode_array(void *result, const skit_field *f, const json_t *v, void *out)
{
    if (!json_is_array(v) || json_array_size(v) == 0)
        return SCALEKIT_OK;
    size_t n = json_array_size(v);
    void **items = skit_result_alloc(result, n * sizeof *items);
    if (!items)
        return SCALEKIT_ENOMEM;
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(v, i);
        if (!json_is_object(e))
            continue;
        if (!(items[used] = skit_result_alloc(result, f->schema->size)))
            return SCALEKIT_ENOMEM;
        int rc = decode_fields(result, f->schema, e, items[used], true);
        if (rc != SCALEKIT_OK)
            return rc;
        used++;
    }
    store_ptr(out, f->offset, used ? items : NULL);
    memcpy((char *)out + f->count_offset, &used, sizeof used);
    return SCALEKIT_OK;
}

/* A scalar copied into the arena, for the OPT_ types. */
static int store_opt(void *result, void *out, size_t offset, const void *value, size_t size)
{
    void *p = skit_result_alloc(result, size);
    if (!p)
        return SCALEKIT_ENOMEM;
    memcpy(p, value, size);
    store_ptr(out, offset, p);
    return SCALEKIT_OK;
}

static int decode_field(void *result, const skit_field *f, const json_t *obj, void *out,
                        bool with_self)
{
    if (f->type == SKIT_F_SELF_JSON) {
        if (!with_self)
            return SCALEKIT_OK;
        char *text = dump_compact(result, obj);
        if (!text)
            return SCALEKIT_ENOMEM;
        store_ptr(out, f->offset, text);
        return SCALEKIT_OK;
    }
    /* an inlined object (no json name) reads its members from this object */
    const json_t *v = f->json_name ? json_object_get(obj, f->json_name) : obj;
    if (!v || json_is_null(v))
        return SCALEKIT_OK;
    char *at = (char *)out + f->offset;
    int64_t n;
    switch (f->type) {
    case SKIT_F_STRING: {
        if (!json_is_string(v))
            return SCALEKIT_OK;
        char *s = skit_result_strdup(result, json_string_value(v));
        if (!s)
            return SCALEKIT_ENOMEM;
        store_ptr(out, f->offset, s);
        return SCALEKIT_OK;
    }
    case SKIT_F_BOOL:
        if (json_is_boolean(v))
            *(bool *)at = json_is_true(v);
        return SCALEKIT_OK;
    case SKIT_F_OPT_BOOL: {
        if (!json_is_boolean(v))
            return SCALEKIT_OK;
        bool b = json_is_true(v);
        return store_opt(result, out, f->offset, &b, sizeof b);
    }
    case SKIT_F_INT32:
    case SKIT_F_OPT_INT32: {
        if (!skit_json_value_int64(v, &n) || n < INT32_MIN || n > INT32_MAX)
            return SCALEKIT_OK;
        int32_t i = (int32_t)n;
        if (f->type == SKIT_F_OPT_INT32)
            return store_opt(result, out, f->offset, &i, sizeof i);
        memcpy(at, &i, sizeof i);
        return SCALEKIT_OK;
    }
    case SKIT_F_UINT32: {
        if (!skit_json_value_int64(v, &n) || n < 0 || n > UINT32_MAX)
            return SCALEKIT_OK;
        uint32_t u = (uint32_t)n;
        memcpy(at, &u, sizeof u);
        return SCALEKIT_OK;
    }
    case SKIT_F_INT64:
    case SKIT_F_OPT_INT64:
        if (!skit_json_value_int64(v, &n))
            return SCALEKIT_OK;
        if (f->type == SKIT_F_OPT_INT64)
            return store_opt(result, out, f->offset, &n, sizeof n);
        memcpy(at, &n, sizeof n);
        return SCALEKIT_OK;
    case SKIT_F_TIMESTAMP:
        if (json_is_string(v) && skit_parse_rfc3339(json_string_value(v), &n))
            memcpy(at, &n, sizeof n);
        return SCALEKIT_OK;
    case SKIT_F_STRING_LIST:
        return decode_string_list(result, v, out, f->offset);
    case SKIT_F_STRING_MAP:
        return decode_string_map(result, v, out, f->offset);
    case SKIT_F_OBJECT:
        return json_is_object(v) ? decode_fields(result, f->schema, v, at, true) : SCALEKIT_OK;
    case SKIT_F_OBJECT_PTR: {
        if (!json_is_object(v))
            return SCALEKIT_OK;
        void *sub = skit_result_alloc(result, f->schema->size);
        if (!sub)
            return SCALEKIT_ENOMEM;
        int rc = decode_fields(result, f->schema, v, sub, true);
        if (rc == SCALEKIT_OK)
            store_ptr(out, f->offset, sub);
        return rc;
    }
    case SKIT_F_ARRAY:
        return decode_array(result, f, v, out);
    case SKIT_F_RAW_JSON: {
        char *text = dump_compact(result, v);
        if (!text)
            return SCALEKIT_ENOMEM;
        store_ptr(out, f->offset, text);
        return SCALEKIT_OK;
    }
    case SKIT_F_SELF_JSON:
    case SKIT_F_STRUCT_SIZE:
        break;
    }
    return SCALEKIT_OK;
}

static int decode_fields(void *result, const skit_schema *schema, const json_t *obj,
                         void *out, bool with_self)
{
    for (size_t i = 0; i < schema->field_count; i++) {
        if (schema->fields[i].type == SKIT_F_STRUCT_SIZE) {
            /* a result handed back as input (get, change, update) is then valid as it is */
            memcpy((char *)out + schema->fields[i].offset, &schema->size, sizeof schema->size);
            continue;
        }
        int rc = decode_field(result, &schema->fields[i], obj, out, with_self);
        if (rc != SCALEKIT_OK)
            return skit_error_oom();
    }
    return SCALEKIT_OK;
}

int skit_decode(void *result, const skit_schema *schema, const json_t *obj, void *out)
{
    if (!json_is_object(obj))
        return SCALEKIT_OK;
    return decode_fields(result, schema, obj, out, true);
}

int skit_decode_new(const skit_schema *schema, const json_t *obj, const char *raw, void **out)
{
    *out = NULL;
    void *result = skit_result_new(schema->size);
    if (!result)
        return SCALEKIT_ENOMEM;
    bool is_object = json_is_object(obj);
    int rc = decode_fields(result, schema, is_object ? obj : NULL, result, is_object && !raw);
    for (size_t i = 0; rc == SCALEKIT_OK && raw && i < schema->field_count; i++) {
        if (schema->fields[i].type != SKIT_F_SELF_JSON)
            continue;
        char *copy = skit_result_strdup(result, raw);
        if (!copy)
            rc = skit_error_oom();
        store_ptr(result, schema->fields[i].offset, copy);
    }
    if (rc != SCALEKIT_OK) {
        skit_result_free(result);
        return rc;
    }
    *out = result;
    return SCALEKIT_OK;
}

/* ---- encoding ------------------------------------------------------------ */

static int encode_struct(const skit_schema *schema, const void *in, json_t *obj);

static int set_new(json_t *obj, const skit_schema *schema, const skit_field *f, json_t *v)
{
    (void)schema;
    if (!v || json_object_set_new(obj, f->json_name, v) != 0)
        return skit_error_oom();
    return SCALEKIT_OK;
}

/* A JSON string of @p s, which must be valid UTF-8 (the message names the field). */
static int new_string(const skit_schema *schema, const skit_field *f, const char *s, json_t **out)
{
    if (!skit_utf8_valid(s))
        return skit_error_set(SCALEKIT_EINVAL, "%s.%s is not valid UTF-8", schema->name,
                              f->json_name);
    return (*out = json_string(s)) ? SCALEKIT_OK : skit_error_oom();
}

static json_t *int64_string(int64_t n)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)n);
    return json_string(text);
}

static int encode_map(const skit_schema *schema, const skit_field *f, const void *in, json_t *obj)
{
    scalekit_string_map map;
    memcpy(&map, (const char *)in + f->offset, sizeof map);
    if (!map.entries)
        return SCALEKIT_OK;
    json_t *m = json_object();
    if (!m)
        return skit_error_oom();
    for (size_t i = 0; i < map.count; i++) {
        /* C-level only: JSON has no NULL key or value; empty names are the server's call */
        const scalekit_header *e = &map.entries[i];
        if (!e->name || !e->value) {
            json_decref(m);
            return skit_error_set(SCALEKIT_EINVAL, "%s.%s entry %zu has a NULL %s", schema->name,
                                  f->json_name, i, e->name ? "value" : "name");
        }
        if (!skit_utf8_valid(e->name) || !skit_utf8_valid(e->value)) {
            json_decref(m);
            return skit_error_set(SCALEKIT_EINVAL, "%s.%s entry %zu is not valid UTF-8",
                                  schema->name, f->json_name, i);
        }
        if (json_object_set_new(m, e->name, json_string(e->value)) != 0) {
            json_decref(m);
            return skit_error_oom();
        }
    }
    return set_new(obj, schema, f, m);
}

static int encode_list(const skit_schema *schema, const skit_field *f, const void *in, json_t *obj)
{
    const char *const *list = load_ptr(in, f->offset);
    if (!list)
        return SCALEKIT_OK;
    json_t *a = json_array();
    if (!a)
        return skit_error_oom();
    for (size_t i = 0; list[i]; i++) {
        if (!skit_utf8_valid(list[i])) {
            json_decref(a);
            return skit_error_set(SCALEKIT_EINVAL, "%s.%s item %zu is not valid UTF-8",
                                  schema->name, f->json_name, i);
        }
        if (json_array_append_new(a, json_string(list[i])) != 0) {
            json_decref(a);
            return skit_error_oom();
        }
    }
    return set_new(obj, schema, f, a);
}

static int encode_nested(const skit_schema *sub, const void *in, json_t **out)
{
    json_t *o = json_object();
    if (!o)
        return skit_error_oom();
    int rc = encode_struct(sub, in, o);
    if (rc != SCALEKIT_OK) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return SCALEKIT_OK;
}

static int encode_array(const skit_schema *schema, const skit_field *f, const void *in, json_t *obj)
{
    const void *const *items = load_ptr(in, f->offset);
    size_t count;
    memcpy(&count, (const char *)in + f->count_offset, sizeof count);
    if (!items)
        return SCALEKIT_OK;
    json_t *a = json_array();
    if (!a)
        return skit_error_oom();
    for (size_t i = 0; i < count; i++) {
        json_t *o = NULL;
        int rc = items[i] ? encode_nested(f->schema, items[i], &o)
                          : skit_error_set(SCALEKIT_EINVAL, "%s.%s item %zu is NULL",
                                           schema->name, f->json_name, i);
        if (rc == SCALEKIT_OK && json_array_append_new(a, o) != 0)
            rc = skit_error_oom();
        if (rc != SCALEKIT_OK) {
            json_decref(a);
            return rc;
        }
    }
    return set_new(obj, schema, f, a);
}

static int encode_field(const skit_schema *schema, const skit_field *f, const void *in, json_t *obj)
{
    const char *at = (const char *)in + f->offset;
    const void *p = NULL;
    if (f->type != SKIT_F_BOOL && f->type != SKIT_F_INT32 && f->type != SKIT_F_UINT32 &&
        f->type != SKIT_F_INT64 && f->type != SKIT_F_TIMESTAMP &&
        f->type != SKIT_F_STRING_MAP && f->type != SKIT_F_OBJECT)
        p = load_ptr(in, f->offset);
    int32_t i32;
    uint32_t u32;
    int64_t i64;
    switch (f->type) {
    case SKIT_F_STRING: {
        if (!p || ((f->flags & SKIT_FIELD_OMIT_EMPTY) && !*(const char *)p))
            return SCALEKIT_OK;
        json_t *s = NULL;
        int rc = new_string(schema, f, p, &s);
        return rc == SCALEKIT_OK ? set_new(obj, schema, f, s) : rc;
    }
    case SKIT_F_UINT32:
        memcpy(&u32, at, sizeof u32);
        if (u32 == 0 && (f->flags & SKIT_FIELD_OMIT_EMPTY))
            return SCALEKIT_OK;
        return set_new(obj, schema, f, json_integer(u32));
    case SKIT_F_BOOL:
        return set_new(obj, schema, f, json_boolean(*(const bool *)at));
    case SKIT_F_INT32:
        memcpy(&i32, at, sizeof i32);
        return set_new(obj, schema, f, json_integer(i32));
    case SKIT_F_INT64:
        memcpy(&i64, at, sizeof i64);
        return set_new(obj, schema, f, int64_string(i64));
    case SKIT_F_TIMESTAMP: {
        memcpy(&i64, at, sizeof i64);
        if (i64 == 0)
            return SCALEKIT_OK;
        char text[32];
        skit_format_rfc3339(i64, text);
        return set_new(obj, schema, f, json_string(text));
    }
    case SKIT_F_OPT_BOOL:
        return p ? set_new(obj, schema, f, json_boolean(*(const bool *)p)) : SCALEKIT_OK;
    case SKIT_F_OPT_INT32:
        return p ? set_new(obj, schema, f, json_integer(*(const int32_t *)p)) : SCALEKIT_OK;
    case SKIT_F_OPT_INT64:
        return p ? set_new(obj, schema, f, int64_string(*(const int64_t *)p)) : SCALEKIT_OK;
    case SKIT_F_STRING_LIST:
        return encode_list(schema, f, in, obj);
    case SKIT_F_STRING_MAP:
        return encode_map(schema, f, in, obj);
    case SKIT_F_OBJECT:
    case SKIT_F_OBJECT_PTR: {
        const void *src = f->type == SKIT_F_OBJECT ? (const void *)at : p;
        if (!src)
            return SCALEKIT_OK;
        if (!f->json_name)
            return encode_struct(f->schema, src, obj);
        json_t *o = NULL;
        int rc = encode_nested(f->schema, src, &o);
        return rc == SCALEKIT_OK ? set_new(obj, schema, f, o) : rc;
    }
    case SKIT_F_ARRAY:
        return encode_array(schema, f, in, obj);
    case SKIT_F_RAW_JSON: {
        if (!p)
            return SCALEKIT_OK;
        json_error_t err;
        json_t *v = json_loads(p, JSON_DECODE_ANY, &err);
        if (!v)
            return skit_error_set(SCALEKIT_EINVAL, "%s is not valid JSON: %s", f->json_name, err.text);
        return set_new(obj, schema, f, v);
    }
    case SKIT_F_SELF_JSON:
    case SKIT_F_STRUCT_SIZE:
        break;
    }
    return SCALEKIT_OK;
}

static int encode_fields(const skit_schema *schema, const void *in, json_t *obj)
{
    for (size_t i = 0; i < schema->field_count; i++) {
        const skit_field *f = &schema->fields[i];
        if ((f->flags & SKIT_FIELD_READ_ONLY) || f->type == SKIT_F_SELF_JSON)
            continue;
        int rc = encode_field(schema, f, in, obj);
        if (rc != SCALEKIT_OK)
            return rc;
    }
    return SCALEKIT_OK;
}

/* A struct callers fill (first row STRUCT_SIZE) is read through the library's copy of it. */
static int encode_struct(const skit_schema *schema, const void *in, json_t *obj)
{
    if (schema->field_count == 0 || schema->fields[0].type != SKIT_F_STRUCT_SIZE)
        return encode_fields(schema, in, obj);
    void *copy = malloc(schema->size);
    if (!copy)
        return skit_error_oom();
    int rc = skit_struct_copy(copy, schema->size, in, schema->name, schema->fields[0].json_name);
    if (rc == SCALEKIT_OK)
        rc = encode_fields(schema, copy, obj);
    free(copy);
    return rc;
}

int skit_encode_into(const skit_schema *schema, const void *in, json_t *obj)
{
    return encode_struct(schema, in, obj);
}

int skit_query_from_json(const json_t *obj, skit_buf *q)
{
    const char *name;
    json_t *v;
    int rc = SCALEKIT_OK;
    json_object_foreach((json_t *)obj, name, v) {
        char text[24];
        if (rc != SCALEKIT_OK)
            break;
        if (json_is_string(v)) {
            rc = skit_form_add(q, name, json_string_value(v));
        } else if (json_is_integer(v)) {
            snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
            rc = skit_form_add(q, name, text);
        } else if (json_is_boolean(v)) {
            rc = skit_form_add(q, name, json_is_true(v) ? "true" : "false");
        } else if (json_is_array(v)) {
            for (size_t i = 0; rc == SCALEKIT_OK && i < json_array_size(v); i++)
                rc = skit_form_add(q, name, json_string_value(json_array_get(v, i)));
        }
    }
    return rc;
}

int skit_encode(const skit_schema *schema, const void *in, json_t **out)
{
    *out = NULL;
    return encode_nested(schema, in, out);
}
