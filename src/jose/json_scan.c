/* The strict tree-less JSON scanner (see json_scan.h for what it accepts and why).
 * Iterative, so hostile nesting costs no C stack: the open containers are a byte
 * array, the members of the open objects one growable stack of spans. */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "core/core.h"
#include "jose/json_scan.h"

/* jansson counts every value, the top-level one being at depth 1. */
#define MAX_DEPTH JSON_PARSER_MAX_DEPTH

/* A byte that stands for itself inside a string: ASCII, no control, no '"' or '\\'. */
static bool is_plain(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && is_ws(*p))
        p++;
    return p;
}

static int hex4(const char *p, const char *end)
{
    if (end - p < 4)
        return -1;
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9' ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        v = v << 4 | d;
    }
    return v;
}

/* Length of the strict UTF-8 sequence at @p p (RFC 3629 table), 0 when invalid. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    size_t n;
    unsigned lo = 0x80, hi = 0xbf;   /* range of the second byte */
    if (c >= 0xc2 && c <= 0xdf)
        n = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        if (c == 0xe0) lo = 0xa0;        /* overlong */
        if (c == 0xed) hi = 0x9f;        /* surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        if (c == 0xf0) lo = 0x90;        /* overlong */
        if (c == 0xf4) hi = 0x8f;        /* past U+10FFFF */
    } else
        return 0;
    if ((size_t)(end - p) < n || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    return n;
}

typedef struct scanner {
    skit_json_scan *scan;
    const char *text, *end;
    const char *err;
    const char *err_at;
} scanner;

static bool fail(scanner *s, const char *at, const char *why)
{
    s->err = why;
    s->err_at = at;
    return false;
}

/* Scan a string whose opening quote is at *pp; on success *pp is past the closing one. */
static bool scan_string(scanner *s, const char **pp, bool *escaped)
{
    const char *p = *pp + 1, *end = s->end;
    *escaped = false;
    for (;;) {
        while (p < end && is_plain((unsigned char)*p))
            p++;
        if (p >= end)
            return fail(s, p, "unterminated string");
        unsigned char c = (unsigned char)*p;
        if (c == '"') {
            *pp = p + 1;
            return true;
        }
        if (c == '\\') {
            *escaped = true;
            if (++p >= end)
                return fail(s, p, "unterminated string");
            switch (*p) {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
                p++;
                continue;
            case 'u':
                break;
            default:
                return fail(s, p, "invalid escape in a string");
            }
            int u = hex4(p + 1, end);
            if (u < 0)
                return fail(s, p, "invalid \\u escape");
            p += 5;
            if (u == 0)
                return fail(s, p, "\\u0000 in a string");
            if (u >= 0xdc00 && u <= 0xdfff)
                return fail(s, p, "lone low surrogate escape");
            if (u >= 0xd800 && u <= 0xdbff) {
                int low = end - p >= 2 && p[0] == '\\' && p[1] == 'u' ? hex4(p + 2, end) : -1;
                if (low < 0xdc00 || low > 0xdfff)
                    return fail(s, p, "high surrogate escape without its low half");
                p += 6;
            }
            continue;
        }
        if (c < 0x20)
            return fail(s, p, "control character in a string");
        size_t n = utf8_len((const unsigned char *)p, (const unsigned char *)end);
        if (!n)
            return fail(s, p, "invalid UTF-8 in a string");
        p += n;
    }
}

/* Does the integer in [digits, digits+n) (no sign, no leading zero) fit in int64? */
static bool int64_fits(const char *digits, size_t n, bool negative)
{
    if (n != 19)
        return n < 19;
    return memcmp(digits, negative ? "9223372036854775808" : "9223372036854775807", 19) <= 0;
}

/* strtod of a number span, with the locale's decimal point as jansson does. */
static double span_strtod(const char *p, size_t n, bool *overflow)
{
    char small[64];
    char *buf = n < sizeof small ? small : malloc(n + 1);
    if (!buf) {
        *overflow = false;
        return 0;   /* only the fuzzer's giant reals get here; their value is not used */
    }
    memcpy(buf, p, n);
    buf[n] = '\0';
    const char *point = localeconv()->decimal_point;
    if (point && point[0] && point[0] != '.' && !point[1]) {
        char *dot = strchr(buf, '.');
        if (dot)
            *dot = point[0];
    }
    errno = 0;
    double v = strtod(buf, NULL);
    *overflow = (v == HUGE_VAL || v == -HUGE_VAL) && errno == ERANGE;
    if (buf != small)
        free(buf);
    return v;
}

static bool scan_number(scanner *s, const char **pp, skit_json_kind *kind)
{
    const char *start = *pp, *p = start, *end = s->end;
    bool negative = *p == '-';
    if (negative)
        p++;
    const char *digits = p;
    if (p >= end || *p < '0' || *p > '9')
        return fail(s, p, "invalid number");
    if (*p == '0')
        p++;
    else
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    size_t n_digits = (size_t)(p - digits);
    bool real = false;
    if (p < end && *p == '.') {
        real = true;
        if (++p >= end || *p < '0' || *p > '9')
            return fail(s, p, "invalid number");
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        real = true;
        if (++p < end && (*p == '+' || *p == '-'))
            p++;
        if (p >= end || *p < '0' || *p > '9')
            return fail(s, p, "invalid number");
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    if (!real && !int64_fits(digits, n_digits, negative))
        return fail(s, start, "integer out of the int64 range");
    if (real) {
        bool overflow;
        (void)span_strtod(start, (size_t)(p - start), &overflow);
        if (overflow)
            return fail(s, start, "real number overflow");
    }
    *kind = real ? SKIT_JSON_REAL : SKIT_JSON_INTEGER;
    *pp = p;
    return true;
}

static bool scan_literal(scanner *s, const char **pp, const char *word, size_t n)
{
    if ((size_t)(s->end - *pp) < n || memcmp(*pp, word, n) != 0)
        return fail(s, *pp, "invalid literal");
    *pp += n;
    return true;
}

/* ---- the member stack ---------------------------------------------------- */

static skit_json_member *push(scanner *s)
{
    skit_json_scan *sc = s->scan;
    if (sc->top == sc->cap) {
        size_t cap = sc->cap * 2;
        skit_json_member *bigger = sc->stack == sc->inline_stack ? malloc(cap * sizeof *bigger)
                                                                : realloc(sc->stack, cap * sizeof *bigger);
        if (!bigger)
            return NULL;
        if (sc->stack == sc->inline_stack)
            memcpy(bigger, sc->inline_stack, sc->top * sizeof *bigger);
        sc->stack = bigger;
        sc->cap = cap;
    }
    skit_json_member *m = &sc->stack[sc->top++];
    memset(m, 0, sizeof *m);
    return m;
}

static uint32_t fnv1a(const char *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 16777619u;
    return h;
}

static const char *decoded_name(const skit_json_scan *sc, const skit_json_member *m)
{
    return m->escaped ? sc->names + m->aux : m->name;
}

/* Keep the decoded form of an escaped name; returns false on out of memory. */
static bool keep_decoded(skit_json_scan *sc, skit_json_member *m)
{
    if (sc->names_cap - sc->names_len < m->name_len + 1) {
        size_t cap = sc->names_cap ? sc->names_cap : 64;
        while (cap - sc->names_len < m->name_len + 1)
            cap *= 2;
        char *bigger = realloc(sc->names, cap);
        if (!bigger)
            return false;
        sc->names = bigger;
        sc->names_cap = cap;
    }
    m->aux = sc->names_len;
    m->decoded_len = skit_json_unescape(m->name, m->name_len, sc->names + sc->names_len);
    sc->names_len += m->decoded_len + 1;
    return true;
}

/* ---- the scan ------------------------------------------------------------ */

typedef enum { OOM = -1, BAD = 0, GOOD = 1 } outcome;

static outcome scan(scanner *s, bool object_only)
{
    skit_json_scan *sc = s->scan;
    unsigned char kinds[MAX_DEPTH];    /* 'o' or 'a' per open container */
    size_t depth = 0;                  /* open containers */
    size_t frame = 0;                  /* index of the innermost open object's marker */
    size_t current = 0;                /* index of the top-level member being read, 0: none */
    const char *p = skip_ws(s->text, s->end), *end = s->end;
    skit_json_kind kind = SKIT_JSON_NONE;
    if (p >= end || (*p != '{' && (object_only || *p != '[')))
        return fail(s, p, object_only ? "a JSON object expected" : "'[' or '{' expected");

value:
    p = skip_ws(p, end);
    if (depth + 1 > MAX_DEPTH)
        return fail(s, p, "nesting too deep");
    if (p >= end)
        return fail(s, p, "premature end of input");
    switch (*p) {
    case '{': {
        p++;
        skit_json_member *m = push(s);
        if (!m)
            return OOM;
        m->frame = true;
        m->aux = frame;
        frame = sc->top - 1;
        kinds[depth++] = 'o';
        p = skip_ws(p, end);
        if (p < end && *p == '}') {
            p++;
            goto close_object;
        }
        goto member;
    }
    case '[':
        p++;
        kinds[depth++] = 'a';
        p = skip_ws(p, end);
        if (p < end && *p == ']') {
            p++;
            depth--;
            kind = SKIT_JSON_ARRAY;
            goto after_value;
        }
        goto value;
    case '"': {
        bool escaped;
        if (!scan_string(s, &p, &escaped))
            return BAD;
        kind = SKIT_JSON_STRING;
        break;
    }
    case 't':
        if (!scan_literal(s, &p, "true", 4))
            return BAD;
        kind = SKIT_JSON_TRUE;
        break;
    case 'f':
        if (!scan_literal(s, &p, "false", 5))
            return BAD;
        kind = SKIT_JSON_FALSE;
        break;
    case 'n':
        if (!scan_literal(s, &p, "null", 4))
            return BAD;
        kind = SKIT_JSON_NULL;
        break;
    default:
        if (*p != '-' && (*p < '0' || *p > '9'))
            return fail(s, p, "unexpected character");
        if (!scan_number(s, &p, &kind))
            return BAD;
        break;
    }
    goto after_value;

close_object:
    depth--;
    kind = SKIT_JSON_OBJECT;
    if (depth > 0) {
        sc->top = frame;           /* the members of a closed inner object are done with */
        frame = sc->stack[frame].aux;
    }
    goto after_value;

member: {
    if (p >= end || *p != '"')
        return fail(s, p, "object member name expected");
    const char *name = p + 1;
    bool escaped;
    if (!scan_string(s, &p, &escaped))
        return BAD;
    skit_json_member *m = push(s);
    if (!m)
        return OOM;
    m->name = name;
    m->name_len = (size_t)(p - 1 - name);
    m->escaped = escaped;
    m->decoded_len = m->name_len;
    if (escaped && !keep_decoded(sc, m))
        return OOM;
    const char *dn = decoded_name(sc, m);
    m->hash = fnv1a(dn, m->decoded_len);
    for (size_t i = frame + 1; i + 1 < sc->top; i++) {
        const skit_json_member *o = &sc->stack[i];
        if (o->hash == m->hash && o->decoded_len == m->decoded_len &&
            memcmp(decoded_name(sc, o), dn, m->decoded_len) == 0)
            return fail(s, name - 1, "duplicate object member name");
    }
    p = skip_ws(p, end);
    if (p >= end || *p != ':')
        return fail(s, p, "':' expected");
    p = skip_ws(p + 1, end);
    if (depth == 1) {
        current = sc->top - 1;
        m->value = p;
    }
    goto value;
}

after_value:
    if (depth == 0) {
        p = skip_ws(p, end);
        if (p != end)
            return fail(s, p, "garbage after the JSON text");
        return GOOD;
    }
    if (depth == 1 && current) {
        skit_json_member *m = &sc->stack[current];
        m->value_len = (size_t)(p - m->value);
        m->kind = kind;
        current = 0;
    }
    p = skip_ws(p, end);
    if (p >= end)
        return fail(s, p, "premature end of input");
    if (kinds[depth - 1] == 'o') {
        if (*p == ',') {
            p = skip_ws(p + 1, end);
            goto member;
        }
        if (*p == '}') {
            p++;
            goto close_object;
        }
        return fail(s, p, "',' or '}' expected");
    }
    if (*p == ',') {
        p++;
        goto value;
    }
    if (*p == ']') {
        p++;
        depth--;
        kind = SKIT_JSON_ARRAY;
        goto after_value;
    }
    return fail(s, p, "',' or ']' expected");
}

static int scan_entry(skit_json_scan *sc, const char *text, size_t len, bool object_only)
{
    memset(sc, 0, offsetof(skit_json_scan, inline_stack));
    sc->stack = sc->inline_stack;
    sc->cap = SKIT_JSON_SCAN_INLINE;
    scanner s = {.scan = sc, .text = text ? text : "", .end = (text ? text : "") + len};
    if (!text)
        s.end = s.text;
    outcome o = scan(&s, object_only);
    if (o == OOM)
        return skit_error_oom();
    if (o == BAD) {
        sc->error = s.err;
        sc->error_offset = (size_t)(s.err_at - s.text);
        return SCALEKIT_EINVAL;
    }
    /* the top-level object's marker is stack[0]; an array leaves no member */
    if (sc->top > 0 && sc->stack[0].frame) {
        sc->members = sc->stack + 1;
        sc->count = sc->top - 1;
    }
    return SCALEKIT_OK;
}

int skit_json_scan_object(skit_json_scan *scan, const char *text, size_t len)
{
    return scan_entry(scan, text, len, true);
}

int skit_json_scan_text(skit_json_scan *scan, const char *text, size_t len)
{
    return scan_entry(scan, text, len, false);
}

void skit_json_scan_free(skit_json_scan *scan)
{
    if (!scan)
        return;
    if (scan->stack != scan->inline_stack)
        free(scan->stack);
    free(scan->names);
    scan->stack = scan->inline_stack;
    scan->names = NULL;
    scan->members = NULL;
    scan->count = scan->top = scan->names_len = scan->names_cap = 0;
}

const skit_json_member *skit_json_scan_get(const skit_json_scan *scan, const char *name)
{
    if (!scan || !name)
        return NULL;
    size_t n = strlen(name);
    for (size_t i = 0; i < scan->count; i++) {
        const skit_json_member *m = &scan->members[i];
        if (m->decoded_len == n && memcmp(decoded_name(scan, m), name, n) == 0)
            return m;
    }
    return NULL;
}

static size_t put_utf8(char *out, unsigned cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

size_t skit_json_unescape(const char *raw, size_t raw_len, char *out)
{
    const char *p = raw, *end = raw + raw_len;
    size_t o = 0;
    while (p < end) {
        if (*p != '\\' || end - p < 2) {
            out[o++] = *p++;
            continue;
        }
        char c = p[1];
        p += 2;
        switch (c) {
        case 'b': out[o++] = '\b'; break;
        case 'f': out[o++] = '\f'; break;
        case 'n': out[o++] = '\n'; break;
        case 'r': out[o++] = '\r'; break;
        case 't': out[o++] = '\t'; break;
        case 'u': {
            int u = hex4(p, end);
            if (u < 0) {   /* not from the scanner: keep the text as it is */
                out[o++] = '\\';
                out[o++] = 'u';
                break;
            }
            p += 4;
            unsigned cp = (unsigned)u;
            int low = -1;
            if (cp >= 0xd800 && cp <= 0xdbff && end - p >= 6 && p[0] == '\\' && p[1] == 'u')
                low = hex4(p + 2, end);
            if (low >= 0xdc00 && low <= 0xdfff) {
                cp = 0x10000 + ((cp - 0xd800) << 10) + ((unsigned)low - 0xdc00);
                p += 6;
            }
            o += put_utf8(out + o, cp);
            break;
        }
        default: out[o++] = c; break;   /* '"', '\\', '/' */
        }
    }
    out[o] = '\0';
    return o;
}

bool skit_json_member_number(const skit_json_member *m, double *out)
{
    if (!m || (m->kind != SKIT_JSON_INTEGER && m->kind != SKIT_JSON_REAL))
        return false;
    if (m->kind == SKIT_JSON_REAL) {
        bool overflow;
        *out = span_strtod(m->value, m->value_len, &overflow);
        return true;
    }
    /* an int64 (the scanner checked the range), converted as jansson's caller would */
    const char *p = m->value, *end = p + m->value_len;
    bool negative = *p == '-';
    if (negative)
        p++;
    uint64_t v = 0;
    for (; p < end; p++)
        v = v * 10 + (uint64_t)(*p - '0');
    *out = negative ? -(double)v : (double)v;
    return true;
}
