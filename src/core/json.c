/* Typed JSON field reads that never fail on a surprise type. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

const char *skit_json_string(const json_t *obj, const char *name)
{
    if (!json_is_object(obj) || !name)
        return NULL;
    const json_t *v = json_object_get(obj, name);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

bool skit_json_bool(const json_t *obj, const char *name, bool dflt)
{
    if (!json_is_object(obj) || !name)
        return dflt;
    const json_t *v = json_object_get(obj, name);
    return json_is_boolean(v) ? json_is_true(v) : dflt;
}

/* A JSON integer, or a string of decimal digits with an optional '-' (the API sends
 * 64-bit integers as strings). Reals, blanks, signs like '+' and overflow are refused. */
bool skit_json_value_int64(const json_t *v, int64_t *out)
{
    if (json_is_integer(v)) {
        *out = (int64_t)json_integer_value(v);
        return true;
    }
    if (!json_is_string(v))
        return false;
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    const char *digits = s[0] == '-' ? s + 1 : s;
    if (*digits < '0' || *digits > '9' || strlen(s) != len)
        return false;
    errno = 0;
    char *end = NULL;
    long long n = strtoll(s, &end, 10);
    if (errno != 0 || end != s + len)
        return false;
    *out = (int64_t)n;
    return true;
}

bool skit_json_int64(const json_t *obj, const char *name, int64_t *out)
{
    if (!json_is_object(obj) || !name || !out)
        return false;
    return skit_json_value_int64(json_object_get(obj, name), out);
}

json_t *skit_json_parse_object(const char *body, size_t len)
{
    json_error_t err;
    json_t *root = json_loadb(body ? body : "", body ? len : 0, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        skit_error_set(SCALEKIT_EMALFORMED_RESPONSE, "response is not JSON: %s (line %d)",
                       err.text, err.line);
        return NULL;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        skit_error_set(SCALEKIT_EMALFORMED_RESPONSE, "response is JSON but not an object");
        return NULL;
    }
    return root;
}
