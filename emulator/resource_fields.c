/* The resource engine's fields: validation of bodies, SQL values, API shapes (resource.h). */
#include "resource.h"
#include "environment.h"

#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *column_of(const emu_field *f)
{
    return f->column ? f->column : f->name;
}

const emu_field *emu_field_by_column(const emu_resource *res, const char *column)
{
    for (const emu_field *f = res->fields; f->name; f++)
        if (strcmp(column_of(f), column) == 0)
            return f;
    return NULL;
}

size_t emu_utf8_length(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

#define MAX_METADATA_PAIRS 10

/* At most 10 pairs; keys of 3 to 25 characters, string values of 1 to 256. */
const char *emu_check_metadata(const json_t *v, char *field, size_t field_len)
{
    if (json_object_size(v) > MAX_METADATA_PAIRS)
        return "metadata allows at most 10 pairs";
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)v, key, value) {
        snprintf(field, field_len, "metadata.%s", key);
        if (emu_utf8_length(key) < 3 || emu_utf8_length(key) > 25)
            return "metadata keys must be between 3 and 25 characters";
        if (!json_is_string(value))
            return "metadata values must be strings";
        if (emu_utf8_length(json_string_value(value)) < 1 || emu_utf8_length(json_string_value(value)) > 256)
            return "metadata values must be between 1 and 256 characters";
    }
    return NULL;
}

bool emu_matches(const char *pattern, const char *s)
{
    regex_t re;
    if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
        return false;
    bool ok = regexec(&re, s, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}

static bool in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

/* An int64 as proto3 JSON gives it: a number, or a string of an optional '-' and digits. */
static bool int64_value(const json_t *v, int64_t *out)
{
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return true;
    }
    const char *s = json_string_value(v);
    char *end = NULL;
    if (!s || !*s || strspn(s + (*s == '-'), "0123456789") != strlen(s + (*s == '-')) || !s[*s == '-'])
        return false;
    errno = 0;
    *out = strtoll(s, &end, 10);
    return errno == 0 && *end == '\0';
}

static const char *type_error(const emu_field *f, const json_t *v, char *why, size_t why_len)
{
    static const char *const names[] = {"a string", "an integer", "a boolean", "an RFC 3339 time",
                                        "an object", "an array", "an integer (a decimal string)"};
    int64_t t;
    bool ok = (f->type == EMU_STRING && json_is_string(v)) || (f->type == EMU_INT && json_is_integer(v)) ||
              (f->type == EMU_INT64 && int64_value(v, &t)) ||
              (f->type == EMU_BOOL && json_is_boolean(v)) || (f->type == EMU_OBJECT && json_is_object(v)) ||
              (f->type == EMU_ARRAY && json_is_array(v)) ||
              (f->type == EMU_TIMESTAMP && json_is_string(v) && skit_parse_rfc3339(json_string_value(v), &t));
    if (ok)
        return NULL;
    snprintf(why, why_len, "%s must be %s", f->name, names[f->type]);
    return why;
}

/* The declared constraints of a string value: length, pattern, enum. */
static const char *string_error(const emu_field *f, const char *s, char *why, size_t why_len)
{
    size_t len = emu_utf8_length(s);
    if ((f->min_len && len < f->min_len) || (f->max_len && len > f->max_len)) {
        if (f->message)
            return f->message;
        if (f->min_len && f->max_len)
            snprintf(why, why_len, "%s must be between %zu and %zu characters", f->name, f->min_len, f->max_len);
        else if (f->max_len)
            snprintf(why, why_len, "%s must be at most %zu characters", f->name, f->max_len);
        else
            snprintf(why, why_len, "%s must be at least %zu characters", f->name, f->min_len);
        return why;
    }
    if (f->pattern && !emu_matches(f->pattern, s)) {
        if (f->message)
            return f->message;
        snprintf(why, why_len, "%s must match %s", f->name, f->pattern);
        return why;
    }
    if (f->enum_values && !in_list(f->enum_values, s)) {
        if (f->message)
            return f->message;
        int n = snprintf(why, why_len, "%s must be one of", f->name);
        for (size_t i = 0; f->enum_values[i] && n > 0 && (size_t)n < why_len; i++)
            n += snprintf(why + n, why_len - (size_t)n, "%s %s", i ? "," : "", f->enum_values[i]);
        return why;
    }
    return NULL;
}

const char *emu_fields_validate(const emu_resource *res, const json_t *body, bool create, char *field,
                                size_t field_len)
{
    /* One buffer for generated descriptions: the caller uses the answer before the next call. */
    static _Thread_local char why[256];
    for (const emu_field *f = res->fields; f->name; f++) {
        if (f->flags & EMU_OUTPUT)
            continue;
        snprintf(field, field_len, "%s", f->name);
        const json_t *v = json_object_get(body, f->name);
        if (!v) {
            if (create && (f->flags & EMU_REQUIRED)) {
                snprintf(why, sizeof why, "%s is required", f->name);
                return why;
            }
            continue;
        }
        /* null clears an optional field; a required one must hold a value. */
        if (json_is_null(v) && !(f->flags & EMU_REQUIRED))
            continue;
        const char *bad = type_error(f, v, why, sizeof why);
        if (bad)
            return bad;
        if (json_is_string(v) && f->type != EMU_INT64 &&
            !(!create && (f->flags & EMU_EMPTY_UNSET) && json_string_length(v) == 0) &&
            (bad = string_error(f, json_string_value(v), why, sizeof why)))
            return bad;
        if (f->check && (bad = f->check(v, field, field_len)))
            return bad;
    }
    return NULL;
}

/* The SQL value of a valid body value @p v of @p f (new reference). */
static json_t *sql_value(const emu_field *f, const json_t *v)
{
    int64_t t = 0;
    if (json_is_null(v))
        return f->type == EMU_OBJECT ? json_string("{}") : f->type == EMU_ARRAY ? json_string("[]") : json_null();
    switch (f->type) {
    case EMU_STRING:
        return (f->flags & EMU_EMPTY_UNSET) && json_string_length(v) == 0 ? json_null() : json_copy((json_t *)v);
    case EMU_INT: return json_copy((json_t *)v);
    case EMU_INT64: return int64_value(v, &t) ? json_integer(t) : json_null();
    case EMU_BOOL: return json_integer(json_is_true(v));
    case EMU_TIMESTAMP:
        skit_parse_rfc3339(json_string_value(v), &t);
        return json_integer(t);
    default: {
        char *text = json_dumps(v, JSON_COMPACT);
        json_t *s = text ? json_string(text) : NULL;
        free(text);
        return s;
    }
    }
}

json_t *emu_fields_values(const emu_resource *res, const json_t *body, bool create, int64_t now)
{
    json_t *values = json_object();
    for (const emu_field *f = res->fields; values && f->name; f++) {
        const json_t *v = json_object_get(body, f->name);
        json_t *value = NULL;
        if ((f->flags & EMU_STAMP_UPDATE) || (create && (f->flags & EMU_STAMP_CREATE)))
            value = json_integer(now);
        else if (!(f->flags & EMU_OUTPUT) && v && !(create && json_is_null(v)))
            value = sql_value(f, v);    /* absent on create: the column's default */
        else
            continue;
        if (!value || json_object_set_new(values, column_of(f), value) != 0) {
            json_decref(values);
            return NULL;
        }
    }
    return values;
}

/* The API value of column value @p v; NULL to leave the member out. New reference. */
static json_t *api_value(const emu_field *f, const json_t *v)
{
    json_t *parsed;
    switch (f->type) {
    case EMU_STRING: return json_is_string(v) ? json_copy((json_t *)v) : NULL;
    case EMU_INT: return json_is_integer(v) ? json_copy((json_t *)v) : NULL;
    case EMU_INT64: {
        char text[24];
        snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return json_is_integer(v) ? json_string(text) : NULL;
    }
    case EMU_BOOL: return json_is_integer(v) ? json_boolean(json_integer_value(v) != 0) : NULL;
    case EMU_TIMESTAMP: return json_is_integer(v) ? emu_json_time(json_integer_value(v)) : NULL;
    default:
        parsed = json_is_string(v) ? json_loads(json_string_value(v), 0, NULL) : NULL;
        if (parsed && json_typeof(parsed) == (f->type == EMU_OBJECT ? JSON_OBJECT : JSON_ARRAY))
            return parsed;
        json_decref(parsed);
        return f->type == EMU_OBJECT ? json_object() : json_array();
    }
}

json_t *emu_resource_json(const emu_resource *res, const json_t *row)
{
    return emu_resource_json_in(NULL, res, row);
}

json_t *emu_resource_json_in(emu *e, const emu_resource *res, const json_t *row)
{
    json_t *out = json_object();
    for (const emu_field *f = res->fields; out && f->name; f++) {
        json_t *v = api_value(f, json_object_get(row, column_of(f)));
        if (v)
            json_object_set_new(out, f->name, v);
    }
    if (out && ((res->shape && res->shape(row, out) != 0) ||
                (e && res->shape_store && res->shape_store(e, row, out) != 0))) {
        json_decref(out);
        return NULL;
    }
    return out;
}
