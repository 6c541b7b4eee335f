/*
 * PatchOp (RFC 7644 section 3.5.2) applied to a resource's JSON. Also takes
 * what identity providers send beside the RFC: op names in any case (Entra's
 * "Replace"), a path-less replace whose value keys are paths ("name.givenName"),
 * Entra's member removal by a value list instead of a filter, and an add or
 * replace of `attr[sub eq "x"].y` with no such element yet, which creates it
 * (Entra's first work email).
 */
#include "scim.h"

#include <string.h>
#include <strings.h>

enum { OP_ADD, OP_REPLACE, OP_REMOVE };

static bool op_of(const char *name, int *op)
{
    static const char *const names[] = {"add", "replace", "remove"};
    for (int i = 0; i < 3; i++)
        if (name && strcasecmp(name, names[i]) == 0) {
            *op = i;
            return true;
        }
    return false;
}

/* The member @p name of @p obj, keeping the client's spelling of a new one. */
static void set_member(json_t *obj, const char *name, json_t *value)
{
    const char *k = scim_key(obj, name);
    json_object_set_new(obj, k ? k : name, value);
}

static void del_member(json_t *obj, const char *name)
{
    const char *k = scim_key(obj, name);
    if (k)
        json_object_del(obj, k);
}

/* Elements of a multi-valued attribute are the same when equal, or when both are
 * objects whose "value" strings are equal (a member added twice). */
static bool same_element(const json_t *a, const json_t *b)
{
    const char *va = scim_string(a, "value"), *vb = scim_string(b, "value");
    return json_equal((json_t *)a, (json_t *)b) || (va && vb && strcmp(va, vb) == 0);
}

/* Merge object @p value into object @p target (sub-attributes not named stay). */
static void merge(json_t *target, const json_t *value)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)value, k, v) {
        set_member(target, k, json_deep_copy(v));
    }
}

static bool apply_plain(json_t *c, const scim_attr *a, int op, const json_t *value, scim_error *err)
{
    json_t *cur = scim_member(c, a->name);
    if (op == OP_REMOVE) {
        if (a->sub[0]) {
            size_t n = json_is_array(cur) ? json_array_size(cur) : 1;
            for (size_t i = 0; i < n; i++)
                del_member(json_is_array(cur) ? json_array_get(cur, i) : cur, a->sub);
        } else if (json_is_array(cur) && json_is_array(value)) {
            /* Entra: {"op":"Remove","path":"members","value":[{"value":"<id>"}]} */
            for (size_t i = json_array_size(cur); i-- > 0;) {
                size_t j;
                json_t *v;
                json_array_foreach(value, j, v) {
                    if (same_element(json_array_get(cur, i), v)) {
                        json_array_remove(cur, i);
                        break;
                    }
                }
            }
            if (json_array_size(cur) == 0)
                del_member(c, a->name);
        } else {
            del_member(c, a->name);
        }
        return true;
    }
    if (!value)
        return scim_fail(err, 400, "invalidValue", "%s of %s needs a value", op == OP_ADD ? "add" : "replace",
                         a->name);
    if (a->sub[0]) {
        if (!json_is_object(cur) && !json_is_array(cur)) {
            cur = json_object();
            set_member(c, a->name, cur);
        }
        size_t n = json_is_array(cur) ? json_array_size(cur) : 1;
        for (size_t i = 0; i < n; i++) {
            json_t *el = json_is_array(cur) ? json_array_get(cur, i) : cur;
            if (json_is_object(el))
                set_member(el, a->sub, json_deep_copy(value));
        }
        return true;
    }
    if (op == OP_ADD && (json_is_array(cur) || json_is_array(value))) {
        json_t *arr = json_is_array(cur) ? cur : json_array();
        if (arr != cur)
            set_member(c, a->name, arr);
        size_t n = json_is_array(value) ? json_array_size(value) : 1;
        for (size_t i = 0; i < n; i++) {
            const json_t *v = json_is_array(value) ? json_array_get(value, i) : value;
            bool seen = false;
            size_t j;
            json_t *el;
            json_array_foreach(arr, j, el) {
                seen = seen || same_element(el, v);
            }
            if (!seen)
                json_array_append_new(arr, json_deep_copy(v));
        }
        return true;
    }
    if (json_is_object(cur) && json_is_object(value))
        merge(cur, value);
    else
        set_member(c, a->name, json_deep_copy(value));
    return true;
}

static bool apply_filtered(json_t *c, const scim_path *p, int op, const json_t *value, scim_error *err)
{
    json_t *arr = scim_member(c, p->attr.name);
    size_t matched = 0;
    for (size_t i = json_is_array(arr) ? json_array_size(arr) : 0; i-- > 0;) {
        json_t *el = json_array_get(arr, i);
        if (!scim_filter_match(p->filter, el))
            continue;
        matched++;
        if (op == OP_REMOVE && !p->attr.sub[0])
            json_array_remove(arr, i);
        else if (op == OP_REMOVE)
            del_member(el, p->attr.sub);
        else if (p->attr.sub[0])
            set_member(el, p->attr.sub, json_deep_copy(value));
        else if (json_is_object(value) && json_is_object(el))
            merge(el, value);
        else
            return scim_fail(err, 400, "invalidValue", "%s of %s[...] needs an object value",
                             op == OP_ADD ? "add" : "replace", p->attr.name);
    }
    if (op == OP_REMOVE) {
        if (json_is_array(arr) && json_array_size(arr) == 0)
            del_member(c, p->attr.name);
        return true;
    }
    if (matched)
        return true;
    const char *sub, *want;
    if (!p->attr.sub[0] || !scim_filter_simple_eq(p->filter, &sub, &want))
        return scim_fail(err, 400, "noTarget", "no value of %s matches the path's filter", p->attr.name);
    /* emails[type eq "work"].value with no work email yet: the element is created. */
    if (!json_is_array(arr)) {
        arr = json_array();
        set_member(c, p->attr.name, arr);
    }
    json_t *el = json_pack("{s:s}", sub, want);
    json_object_set_new(el, p->attr.sub, json_deep_copy(value));
    json_array_append_new(arr, el);
    return true;
}

static bool read_only(const scim_kind *kind, const scim_attr *a)
{
    for (const char *const *n = kind->read_only; !a->urn[0] && n && *n; n++)
        if (strcasecmp(a->name, *n) == 0)
            return true;
    return false;
}

static bool apply_path(const scim_kind *kind, json_t *res, int op, const char *text, const json_t *value,
                       scim_error *err)
{
    scim_path p;
    char why[200];
    if (scim_path_parse(text, &p, why, sizeof why) != 0)
        return scim_fail(err, 400, "invalidPath", "path \"%.80s\": %s", text, why);
    bool ok = true;
    if (read_only(kind, &p.attr)) {
        /* Okta's group rename repeats the id: a value equal to the current one is no change. */
        const json_t *cur = scim_attr_get(res, &p.attr);
        if (op == OP_REMOVE || p.filter || p.attr.sub[0] || !value || !cur || !json_equal((json_t *)cur, (json_t *)value))
            ok = scim_fail(err, 400, "mutability", "attribute %s is read-only", p.attr.name);
        scim_path_free(&p);
        return ok;
    }
    json_t *c = res;
    if (p.attr.urn[0]) {
        c = scim_member(res, p.attr.urn);
        if (!json_is_object(c)) {
            if (op == OP_REMOVE) {
                scim_path_free(&p);
                return true;
            }
            c = json_object();
            set_member(res, p.attr.urn, c);
            scim_ensure_schema(res, p.attr.urn);
        }
    }
    ok = p.filter ? apply_filtered(c, &p, op, value, err) : apply_plain(c, &p.attr, op, value, err);
    scim_path_free(&p);
    return ok;
}

static bool apply_op(const scim_kind *kind, json_t *res, const json_t *operation, size_t index, scim_error *err)
{
    if (!json_is_object(operation))
        return scim_fail(err, 400, "invalidSyntax", "Operations[%zu] must be an object", index);
    int op;
    const char *name = scim_string(operation, "op");
    if (!op_of(name, &op))
        return scim_fail(err, 400, "invalidSyntax", "Operations[%zu].op must be add, replace or remove, not %.40s",
                         index, name ? name : "missing");
    const json_t *path = scim_member(operation, "path"), *value = scim_member(operation, "value");
    if (path && !json_is_string(path))
        return scim_fail(err, 400, "invalidPath", "Operations[%zu].path must be a string", index);
    if (path)
        return apply_path(kind, res, op, json_string_value(path), value, err);
    if (op == OP_REMOVE)
        return scim_fail(err, 400, "noTarget", "Operations[%zu]: remove needs a path", index);
    if (!json_is_object(value))
        return scim_fail(err, 400, "invalidValue", "Operations[%zu]: %s without a path needs an object value",
                         index, name);
    /* No path: each member of the value is a path of its own (Okta, Entra). */
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)value, k, v) {
        if (strcasecmp(k, "schemas") != 0 && !apply_path(kind, res, op, k, v, err))
            return false;
    }
    return true;
}

bool scim_patch_apply(const scim_kind *kind, json_t *res, const json_t *body, scim_error *err)
{
    if (!json_is_object(body))
        return scim_fail(err, 400, "invalidSyntax", "the body must be a JSON object (a PatchOp message)");
    const json_t *schemas = scim_member(body, "schemas");
    bool patch_op = false;
    size_t i;
    json_t *s;
    json_array_foreach(schemas, i, s) {
        patch_op = patch_op || (json_is_string(s) && strcmp(json_string_value(s), SCIM_MSG_PATCH) == 0);
    }
    if (!patch_op)
        return scim_fail(err, 400, "invalidSyntax", "schemas must hold %s", SCIM_MSG_PATCH);
    const json_t *ops = scim_member(body, "Operations");
    if (!json_is_array(ops) || json_array_size(ops) == 0)
        return scim_fail(err, 400, "invalidSyntax", "Operations must be a non-empty array");
    json_t *op;
    json_array_foreach(ops, i, op) {
        if (!apply_op(kind, res, op, i, err))
            return false;
    }
    return true;
}
