/* SCIM filters and PATCH paths parsed (scim_path.h); scim_match.c evaluates them. */
#include "scim_path.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- tokens -------------------------------------------------------------------- */

typedef enum tok_kind { T_END, T_WORD, T_STRING, T_LPAREN, T_RPAREN, T_LBRACKET, T_RBRACKET, T_BAD } tok_kind;

typedef struct parser {
    const char *p;
    tok_kind kind;
    const char *text;   /* T_WORD: the word's start */
    size_t len;
    json_t *string;     /* T_STRING: the decoded string */
    int depth;
    char *why;
    size_t why_len;
} parser;

static int fail(parser *ps, const char *fmt, const char *detail)
{
    if (ps->why && ps->why_len && !ps->why[0])
        snprintf(ps->why, ps->why_len, fmt, detail);
    return -1;
}

static void next(parser *ps)
{
    json_decref(ps->string);
    ps->string = NULL;
    while (*ps->p == ' ' || *ps->p == '\t')
        ps->p++;
    const char *s = ps->p;
    ps->text = s;
    ps->len = 0;
    switch (*s) {
    case '\0': ps->kind = T_END; return;
    case '(': ps->kind = T_LPAREN; ps->p++; return;
    case ')': ps->kind = T_RPAREN; ps->p++; return;
    case '[': ps->kind = T_LBRACKET; ps->p++; return;
    case ']': ps->kind = T_RBRACKET; ps->p++; return;
    case '"': {
        const char *q = s + 1;
        while (*q && *q != '"')
            q += (*q == '\\' && q[1]) ? 2 : 1;
        if (*q != '"') {
            ps->kind = T_BAD;
            return;
        }
        /* JSON's string grammar is SCIM's (RFC 7644 section 3.4.2.2). */
        ps->string = json_loadb(s, (size_t)(q + 1 - s), JSON_DECODE_ANY, NULL);
        ps->kind = json_is_string(ps->string) ? T_STRING : T_BAD;
        ps->p = q + 1;
        return;
    }
    default:
        break;
    }
    const char *q = s;
    while (*q && !strchr(" \t()[]\"", *q))
        q++;
    ps->kind = T_WORD;
    ps->len = (size_t)(q - s);
    ps->p = q;
}

static bool word_is(const parser *ps, const char *w)
{
    return ps->kind == T_WORD && ps->len == strlen(w) && strncasecmp(ps->text, w, ps->len) == 0;
}

/* ---- attribute paths ----------------------------------------------------------- */

static bool name_ok(const char *s, size_t n)
{
    if (n == 0 || n >= SCIM_NAME_MAX)
        return false;
    if (n == 4 && strncmp(s, "$ref", 4) == 0)
        return true;
    if (!isalpha((unsigned char)s[0]))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
            return false;
    return true;
}

static const char *const core_urns[] = {
    "urn:ietf:params:scim:schemas:core:2.0:User",
    "urn:ietf:params:scim:schemas:core:2.0:Group",
    NULL,
};

static const char *const extension_urns[] = {
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    NULL,
};

bool scim_attr_parse(const char *text, size_t len, scim_attr *out)
{
    memset(out, 0, sizeof *out);
    const char *name = text;
    /* An extension's whole object ("path": "urn:...:enterprise:2.0:User"). */
    for (const char *const *u = extension_urns; *u; u++)
        if (len == strlen(*u) && strncasecmp(text, *u, len) == 0) {
            memcpy(out->name, *u, len);
            return true;
        }
    if (len > 4 && strncasecmp(text, "urn:", 4) == 0) {
        /* The URN runs to the last ':' (attribute names hold none). */
        const char *colon = NULL;
        for (const char *c = text; c < text + len; c++)
            if (*c == ':')
                colon = c;
        size_t urn_len = (size_t)(colon - text);
        if (urn_len >= SCIM_URN_MAX)
            return false;
        memcpy(out->urn, text, urn_len);
        name = colon + 1;
        for (const char *const *u = core_urns; *u; u++)
            if (strcasecmp(out->urn, *u) == 0)
                out->urn[0] = '\0';
    }
    size_t rest = len - (size_t)(name - text);
    const char *dot = memchr(name, '.', rest);
    size_t name_len = dot ? (size_t)(dot - name) : rest;
    if (!name_ok(name, name_len))
        return false;
    memcpy(out->name, name, name_len);
    if (dot) {
        size_t sub_len = rest - name_len - 1;
        if (!name_ok(dot + 1, sub_len))
            return false;
        memcpy(out->sub, dot + 1, sub_len);
    }
    return true;
}

const char *scim_key(const json_t *obj, const char *name)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v) {
        if (strcasecmp(k, name) == 0)
            return k;
    }
    return NULL;
}

json_t *scim_member(const json_t *obj, const char *name)
{
    const char *k = json_is_object(obj) ? scim_key(obj, name) : NULL;
    return k ? json_object_get(obj, k) : NULL;
}

json_t *scim_attr_get(const json_t *obj, const scim_attr *a)
{
    const json_t *scope = a->urn[0] ? scim_member(obj, a->urn) : obj;
    return scim_member(scope, a->name);
}

bool scim_attr_case_exact(const scim_attr *a)
{
    if (!a->sub[0])
        return strcasecmp(a->name, "id") == 0 || strcasecmp(a->name, "externalId") == 0;
    return (strcasecmp(a->name, "members") == 0 || strcasecmp(a->name, "groups") == 0) &&
           (strcasecmp(a->sub, "value") == 0 || strcasecmp(a->sub, "$ref") == 0);
}

/* ---- parsing ------------------------------------------------------------------- */

static scim_filter *node(scim_node_kind kind)
{
    scim_filter *n = calloc(1, sizeof *n);
    if (n)
        n->kind = kind;
    return n;
}

void scim_filter_free(scim_filter *f)
{
    if (!f)
        return;
    scim_filter_free(f->left);
    scim_filter_free(f->right);
    json_decref(f->value);
    free(f);
}

static const char *const op_names[] = {"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr", NULL};

static int parse_or(parser *ps, scim_filter **out);

/* op value (or pr) after an attribute path, into n. */
static int parse_comparison(parser *ps, scim_filter *n)
{
    int op = -1;
    for (int i = 0; op_names[i]; i++)
        if (word_is(ps, op_names[i]))
            op = i;
    if (op < 0)
        return fail(ps, "expected a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after %s",
                    n->attr.name);
    n->op = (scim_cmp_op)op;
    next(ps);
    if (n->op == SCIM_OP_PR)
        return 0;
    if (ps->kind == T_STRING) {
        n->value = json_incref(ps->string);
    } else if (word_is(ps, "true") || word_is(ps, "false")) {
        n->value = json_boolean(word_is(ps, "true"));
    } else if (word_is(ps, "null")) {
        n->value = json_null();
    } else if (ps->kind == T_WORD) {
        char num[64];
        if (ps->len >= sizeof num)
            return fail(ps, "comparison value of %s is too long", n->attr.name);
        memcpy(num, ps->text, ps->len);
        num[ps->len] = '\0';
        char *end = NULL;
        double d = strtod(num, &end);
        if (!*num || *end)
            return fail(ps, "comparison value of %s must be a quoted string, a number, true, false or null",
                        n->attr.name);
        n->value = json_real(d);
    } else {
        return fail(ps, "missing comparison value after %s", op_names[op]);
    }
    next(ps);
    return 0;
}

static int parse_unary(parser *ps, scim_filter **out)
{
    if (++ps->depth > SCIM_FILTER_MAX_DEPTH)
        return fail(ps, "filter nests deeper than %s levels", "16");
    int rc = -1;
    if (word_is(ps, "not") || ps->kind == T_LPAREN) {
        bool negate = ps->kind == T_WORD;
        if (negate) {
            next(ps);
            if (ps->kind != T_LPAREN)
                return fail(ps, "expected '(' after %s", "not");
        }
        next(ps);
        scim_filter *inner = NULL;
        if (parse_or(ps, &inner) != 0)
            return -1;
        if (ps->kind != T_RPAREN) {
            scim_filter_free(inner);
            return fail(ps, "expected %s", "')'");
        }
        next(ps);
        if (negate) {
            *out = node(SCIM_F_NOT);
            if (!*out) {
                scim_filter_free(inner);
                return fail(ps, "%s", "out of memory");
            }
            (*out)->left = inner;
        } else {
            *out = inner;
        }
        ps->depth--;
        return 0;
    }
    if (ps->kind != T_WORD)
        return fail(ps, "expected an attribute name%s", ps->kind == T_END ? " (filter ends early)" : "");
    scim_filter *n = node(SCIM_F_CMP);
    if (!n)
        return fail(ps, "%s", "out of memory");
    const char *attr_text = ps->text;
    size_t attr_len = ps->len;
    if (!scim_attr_parse(attr_text, attr_len, &n->attr)) {
        char name[80];
        snprintf(name, sizeof name, "%.*s", (int)(attr_len > 60 ? 60 : attr_len), attr_text);
        scim_filter_free(n);
        return fail(ps, "invalid attribute path \"%s\"", name);
    }
    next(ps);
    if (ps->kind == T_LBRACKET && !n->attr.sub[0]) {
        n->kind = SCIM_F_VALUEPATH;
        next(ps);
        if (parse_or(ps, &n->left) != 0)
            goto out;
        if (ps->kind != T_RBRACKET) {
            fail(ps, "expected %s", "']'");
            goto out;
        }
        next(ps);
        /* attr[filter].sub op value: the sub-attribute of a matching element */
        if (ps->kind == T_WORD && ps->text[0] == '.') {
            if (!name_ok(ps->text + 1, ps->len - 1)) {
                fail(ps, "invalid sub-attribute after %s[...]", n->attr.name);
                goto out;
            }
            memcpy(n->attr.sub, ps->text + 1, ps->len - 1);
            n->attr.sub[ps->len - 1] = '\0';
            next(ps);
            if (parse_comparison(ps, n) != 0)
                goto out;
        }
        rc = 0;
    } else {
        rc = parse_comparison(ps, n);
        if (rc == 0 && n->op == SCIM_OP_PR)
            n->kind = SCIM_F_PRESENT;
    }
out:
    if (rc != 0) {
        scim_filter_free(n);
        return -1;
    }
    *out = n;
    ps->depth--;
    return 0;
}

static int parse_binary(parser *ps, scim_filter **out, const char *word, scim_node_kind kind,
                        int (*operand)(parser *, scim_filter **))
{
    scim_filter *left = NULL;
    if (operand(ps, &left) != 0)
        return -1;
    while (word_is(ps, word)) {
        next(ps);
        scim_filter *right = NULL, *n = NULL;
        if (operand(ps, &right) != 0 || !(n = node(kind))) {
            scim_filter_free(left);
            scim_filter_free(right);
            return fail(ps, "%s", "out of memory");
        }
        n->left = left;
        n->right = right;
        left = n;
    }
    *out = left;
    return 0;
}

static int parse_and(parser *ps, scim_filter **out)
{
    return parse_binary(ps, out, "and", SCIM_F_AND, parse_unary);
}

static int parse_or(parser *ps, scim_filter **out)
{
    return parse_binary(ps, out, "or", SCIM_F_OR, parse_and);
}

static int begin(parser *ps, const char *text, char *why, size_t why_len)
{
    memset(ps, 0, sizeof *ps);
    ps->why = why;
    ps->why_len = why_len;
    if (why && why_len)
        why[0] = '\0';
    if (!text || !*text)
        return fail(ps, "%s is empty", "the filter");
    if (strlen(text) > SCIM_FILTER_MAX_LEN)
        return fail(ps, "the filter is longer than %s characters", "4096");
    ps->p = text;
    next(ps);
    return 0;
}

int scim_filter_parse(const char *text, scim_filter **out, char *why, size_t why_len)
{
    parser ps;
    *out = NULL;
    if (begin(&ps, text, why, why_len) != 0)
        return -1;
    scim_filter *f = NULL;
    int rc = parse_or(&ps, &f);
    if (rc == 0 && ps.kind != T_END) {
        rc = fail(&ps, "unexpected text at \"%.40s\"", ps.text);
        scim_filter_free(f);
        f = NULL;
    }
    json_decref(ps.string);
    *out = f;
    return rc;
}

int scim_path_parse(const char *text, scim_path *out, char *why, size_t why_len)
{
    memset(out, 0, sizeof *out);
    parser ps;
    if (begin(&ps, text, why, why_len) != 0)
        return -1;
    /* The same grammar as a filter's valuePath, without the comparison after it. */
    const char *bracket = strchr(text, '[');
    size_t attr_len = bracket ? (size_t)(bracket - text) : strlen(text);
    int rc = -1;
    if (!scim_attr_parse(text, attr_len, &out->attr) || (bracket && out->attr.sub[0])) {
        fail(&ps, "invalid attribute path \"%.60s\"", text);
    } else if (!bracket) {
        rc = 0;
    } else {
        ps.p = bracket + 1;
        next(&ps);
        if (parse_or(&ps, &out->filter) != 0) {
            rc = -1;
        } else if (ps.kind != T_RBRACKET) {
            fail(&ps, "expected %s", "']'");
        } else {
            const char *rest = ps.p;
            size_t rest_len = strlen(rest);
            if (rest_len == 0) {
                rc = 0;
            } else if (rest[0] == '.' && name_ok(rest + 1, rest_len - 1)) {
                memcpy(out->attr.sub, rest + 1, rest_len - 1);
                rc = 0;
            } else {
                fail(&ps, "unexpected text after ']': \"%.40s\"", rest);
            }
        }
    }
    json_decref(ps.string);
    if (rc != 0)
        scim_path_free(out);
    return rc;
}

void scim_path_free(scim_path *p)
{
    scim_filter_free(p->filter);
    p->filter = NULL;
}

bool scim_filter_simple_eq(const scim_filter *f, const char **sub, const char **value)
{
    if (!f || f->kind != SCIM_F_CMP || f->op != SCIM_OP_EQ || !json_is_string(f->value) || f->attr.urn[0] || f->attr.sub[0])
        return false;
    *sub = f->attr.name;
    *value = json_string_value(f->value);
    return true;
}
