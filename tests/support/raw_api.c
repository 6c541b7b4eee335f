/* raw_api: see raw_api.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "raw_api.h"
#include "emu_users_kit.h"

static long vcall(const emu_raw_fixture *s, const char *method, const char *body, json_t **out, const char *fmt,
                  va_list ap)
{
    char path[512];
    int n = vsnprintf(path, sizeof path, fmt, ap);
    assert_true(n > 0 && (size_t)n < sizeof path);
    return emu_raw_fixture_api(s, method, path, body, out);
}

long raw_api(const emu_raw_fixture *s, const char *method, const char *body, json_t **out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    long status = vcall(s, method, body, out, fmt, ap);
    va_end(ap);
    return status;
}

json_t *raw_api_expect(const emu_raw_fixture *s, long status, const char *method, const char *body,
                       const char *fmt, ...)
{
    json_t *out = NULL;
    va_list ap;
    va_start(ap, fmt);
    long got = vcall(s, method, body, &out, fmt, ap);
    va_end(ap);
    if (got != status) {
        char *text = out ? json_dumps(out, JSON_COMPACT) : NULL;
        fail_msg("%s %s answered %ld, not %ld: %s", method, fmt, got, status, text ? text : "(no JSON)");
    }
    return out ? out : json_null();
}

void raw_assert_error(const json_t *reply, const char *error_code, const char *text)
{
    json_t *info = json_array_get(json_object_get(reply, "details"), 0);
    assert_string_equal(json_string_value(json_object_get(info, "error_code")), error_code);
    const char *message = json_string_value(json_object_get(reply, "message"));
    assert_non_null(message);
    if (text && !strstr(message, text))
        fail_msg("message \"%s\" lacks \"%s\"", message, text);
}

void raw_assert_violation(const json_t *reply, const char *field)
{
    assert_int_equal(json_integer_value(json_object_get(reply, "code")), 3);
    raw_assert_error(reply, "INVALID_ARGUMENT", NULL);
    json_t *info = json_array_get(json_object_get(reply, "details"), 0);
    json_t *violation = json_array_get(json_object_get(json_object_get(info, "validation_error_info"),
                                                       "field_violations"), 0);
    const char *got = json_string_value(json_object_get(violation, "field"));
    if (!got || strcmp(got, field) != 0)
        fail_msg("the violation names %s, not %s", got ? got : "(none)", field);
    assert_non_null(json_string_value(json_object_get(violation, "description")));
}

const char *raw_names(const json_t *items)
{
    static _Thread_local char out[1024];
    out[0] = '\0';
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item) {
        size_t n = strlen(out);
        snprintf(out + n, sizeof out - n, "%s%s", n ? " " : "", json_string_value(json_object_get(item, "name")));
    }
    return out;
}

json_t *raw_refresh(const emu_raw_fixture *s, json_t *tokens)
{
    json_t *out = NULL;
    assert_int_equal(ukit_refresh(s, json_string_value(json_object_get(tokens, "refresh_token")), &out), 200);
    json_decref(tokens);
    return out;
}

const char *raw_claim_names(const json_t *tokens, const char *name)
{
    static _Thread_local char out[1024];
    json_t *payload = ukit_claims(json_string_value(json_object_get(tokens, "access_token")));
    json_t *list = json_object_get(payload, name);
    assert_true(json_is_array(list));
    out[0] = '\0';
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        size_t n = strlen(out);
        snprintf(out + n, sizeof out - n, "%s%s", n ? " " : "", json_string_value(v));
    }
    json_decref(payload);
    return out;
}

const char *raw_unique_name(char *out, size_t n, const char *prefix)
{
    emu_fixture_unique(out, n, prefix);
    for (char *p = out; *p; p++)
        *p = *p == '-' ? '_' : *p;
    return out;
}
