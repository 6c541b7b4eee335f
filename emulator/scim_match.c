/* SCIM filters evaluated against a resource's JSON (scim_path.h). */
#include "scim_path.h"

#include <string.h>
#include <strings.h>

/* ---- evaluation ---------------------------------------------------------------- */

static bool ends_with(const char *s, const char *suffix, bool exact)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && (exact ? strcmp(s + n - m, suffix) : strcasecmp(s + n - m, suffix)) == 0;
}

static bool contains(const char *s, const char *needle, bool exact)
{
    if (exact)
        return strstr(s, needle) != NULL;
    size_t m = strlen(needle);
    for (; *s; s++)
        if (strncasecmp(s, needle, m) == 0)
            return true;
    return m == 0;
}

/* One value against the comparison (op, want). */
static bool compare(const json_t *have, scim_cmp_op op, const json_t *want, bool exact)
{
    if (json_is_null(want))
        return (op == SCIM_OP_EQ) == (!have || json_is_null(have));
    if (!have || json_is_null(have))
        return op == SCIM_OP_NE;
    if (json_is_string(have) && json_is_string(want)) {
        const char *a = json_string_value(have), *b = json_string_value(want);
        int c = exact ? strcmp(a, b) : strcasecmp(a, b);
        switch (op) {
        case SCIM_OP_EQ: return c == 0;
        case SCIM_OP_NE: return c != 0;
        case SCIM_OP_CO: return contains(a, b, exact);
        case SCIM_OP_SW: return (exact ? strncmp(a, b, strlen(b)) : strncasecmp(a, b, strlen(b))) == 0;
        case SCIM_OP_EW: return ends_with(a, b, exact);
        case SCIM_OP_GT: return c > 0;
        case SCIM_OP_GE: return c >= 0;
        case SCIM_OP_LT: return c < 0;
        case SCIM_OP_LE: return c <= 0;
        default: return false;
        }
    }
    if (json_is_boolean(have) && json_is_boolean(want)) {
        bool same = json_is_true(have) == json_is_true(want);
        return op == SCIM_OP_EQ ? same : op == SCIM_OP_NE ? !same : false;
    }
    if (json_is_number(have) && json_is_number(want)) {
        double a = json_number_value(have), b = json_number_value(want);
        switch (op) {
        case SCIM_OP_EQ: return a == b;
        case SCIM_OP_NE: return a != b;
        case SCIM_OP_GT: return a > b;
        case SCIM_OP_GE: return a >= b;
        case SCIM_OP_LT: return a < b;
        case SCIM_OP_LE: return a <= b;
        default: return false;
        }
    }
    return op == SCIM_OP_NE;
}

/* The compared value of one element: its sub-attribute, or a complex value's "value". */
static const json_t *element_value(const json_t *el, const char *sub)
{
    if (sub[0])
        return scim_member(el, sub);
    return json_is_object(el) ? scim_member(el, "value") : el;
}

static bool match_cmp(const scim_filter *f, const json_t *res)
{
    const json_t *v = scim_attr_get(res, &f->attr);
    bool exact = scim_attr_case_exact(&f->attr);
    if (!json_is_array(v))
        return compare(f->attr.sub[0] ? scim_member(v, f->attr.sub) : v, f->op, f->value, exact);
    /* A multi-valued attribute matches when one of its values does; ne when none equals. */
    bool negated = f->op == SCIM_OP_NE;
    size_t i;
    json_t *el;
    json_array_foreach(v, i, el) {
        bool eq = compare(element_value(el, f->attr.sub), negated ? SCIM_OP_EQ : f->op, f->value, exact);
        if (eq)
            return !negated;
    }
    return negated;
}

static bool present(const json_t *v)
{
    if (!v || json_is_null(v))
        return false;
    if (json_is_string(v))
        return json_string_length(v) > 0;
    if (json_is_array(v))
        return json_array_size(v) > 0;
    if (json_is_object(v))
        return json_object_size(v) > 0;
    return true;
}

static bool match_present(const scim_filter *f, const json_t *res)
{
    const json_t *v = scim_attr_get(res, &f->attr);
    if (!f->attr.sub[0])
        return present(v);
    if (!json_is_array(v))
        return present(scim_member(v, f->attr.sub));
    size_t i;
    json_t *el;
    json_array_foreach(v, i, el) {
        if (present(scim_member(el, f->attr.sub)))
            return true;
    }
    return false;
}

static bool match_valuepath(const scim_filter *f, const json_t *res)
{
    const json_t *v = scim_attr_get(res, &f->attr);
    size_t n = json_is_array(v) ? json_array_size(v) : v ? 1 : 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *el = json_is_array(v) ? json_array_get(v, i) : v;
        if (!scim_filter_match(f->left, el))
            continue;
        if (!f->attr.sub[0])
            return true;
        scim_attr sub = {.sub = ""};
        snprintf(sub.name, sizeof sub.name, "%s", f->attr.name);
        snprintf(sub.sub, sizeof sub.sub, "%s", f->attr.sub);
        if (compare(scim_member(el, f->attr.sub), f->op, f->value, scim_attr_case_exact(&sub)))
            return true;
    }
    return false;
}

bool scim_filter_match(const scim_filter *f, const json_t *resource)
{
    if (!f)
        return true;
    switch (f->kind) {
    case SCIM_F_AND: return scim_filter_match(f->left, resource) && scim_filter_match(f->right, resource);
    case SCIM_F_OR: return scim_filter_match(f->left, resource) || scim_filter_match(f->right, resource);
    case SCIM_F_NOT: return !scim_filter_match(f->left, resource);
    case SCIM_F_CMP: return match_cmp(f, resource);
    case SCIM_F_PRESENT: return match_present(f, resource);
    case SCIM_F_VALUEPATH: return match_valuepath(f, resource);
    }
    return false;
}
