/*
 * SCIM filters and PATCH paths (RFC 7644 sections 3.4.2.2 and 3.5.2): parsed
 * into a small tree and evaluated against RFC 7643 JSON resources in memory.
 * Pure functions of their input (no store, no request), so a fuzzer can drive
 * them directly (tests/fuzz/fuzz_scim_filter.c).
 *
 * Filters: attrPath op value, attrPath pr, and / or / not (...), grouping
 * parentheses, valuePath attr[filter] (optionally followed by .sub op value,
 * as `emails[type eq "work"].value eq "x"`), ops eq ne co sw ew gt ge lt le pr.
 * Attribute names match case-insensitively (RFC 7643 section 2.1); strings
 * compare case-insensitively except id, externalId and the value / $ref of
 * members and groups (caseExact in RFC 7643's schemas).
 */
#ifndef EMU_SCIM_PATH_H
#define EMU_SCIM_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#define SCIM_NAME_MAX 64
#define SCIM_URN_MAX 128
/* The longest filter or path text accepted, and the deepest nesting. */
#define SCIM_FILTER_MAX_LEN 4096
#define SCIM_FILTER_MAX_DEPTH 16

/* An attribute path: [urn ":"] name ["." sub]. A core schema's URN is dropped. */
typedef struct scim_attr {
    char urn[SCIM_URN_MAX];    /* "" for the resource's core schema */
    char name[SCIM_NAME_MAX];
    char sub[SCIM_NAME_MAX];   /* "" when none */
} scim_attr;

typedef struct scim_filter scim_filter;

/* The parsed tree: built by scim_path.c, evaluated by scim_match.c. */
typedef enum scim_node_kind {
    SCIM_F_AND, SCIM_F_OR, SCIM_F_NOT, SCIM_F_CMP, SCIM_F_PRESENT, SCIM_F_VALUEPATH } scim_node_kind;

typedef enum scim_cmp_op { SCIM_OP_EQ, SCIM_OP_NE, SCIM_OP_CO, SCIM_OP_SW, SCIM_OP_EW, SCIM_OP_GT, SCIM_OP_GE, SCIM_OP_LT, SCIM_OP_LE, SCIM_OP_PR } scim_cmp_op;

struct scim_filter {
    scim_node_kind kind;
    scim_filter *left, *right;   /* AND, OR; NOT and VALUEPATH use left */
    scim_attr attr;              /* CMP, PRESENT, VALUEPATH */
    scim_cmp_op op;                   /* CMP; VALUEPATH with attr.sub set */
    json_t *value;               /* CMP's comparison value */
};

/* A PATCH path: attrPath, or valuePath attr[filter] with an optional ".sub". */
typedef struct scim_path {
    scim_attr attr;            /* attr.sub: the sub-attribute after '.' or after ']' */
    scim_filter *filter;       /* the valuePath's filter, or NULL */
} scim_path;

/* Parse filter @p text. 0 and *out (free with scim_filter_free), or -1 with the
 * reason in @p why (NUL-terminated, truncated to @p why_len). */
int scim_filter_parse(const char *text, scim_filter **out, char *why, size_t why_len);
/* Whether @p resource (a JSON object) matches @p f. */
bool scim_filter_match(const scim_filter *f, const json_t *resource);
void scim_filter_free(scim_filter *f);   /* safe on NULL */

/* Parse PATCH path @p text. 0 and *out (free with scim_path_free), or -1 with why. */
int scim_path_parse(const char *text, scim_path *out, char *why, size_t why_len);
void scim_path_free(scim_path *p);

/* Parse attribute path @p text of @p len bytes into @p out; false when it is not one. */
bool scim_attr_parse(const char *text, size_t len, scim_attr *out);
/* The member of object @p obj whose name equals @p name in any case, or NULL. */
const char *scim_key(const json_t *obj, const char *name);
/* Its value (borrowed), NULL when absent or @p obj is no object. */
json_t *scim_member(const json_t *obj, const char *name);
/* The value of @p a's urn and name (not its sub) in @p obj (borrowed), or NULL. */
json_t *scim_attr_get(const json_t *obj, const scim_attr *a);
/* Whether RFC 7643 compares the values of @p a as case-exact strings. */
bool scim_attr_case_exact(const scim_attr *a);
/* Whether @p f is exactly `sub eq "string"`: its sub-attribute name and value (borrowed). */
bool scim_filter_simple_eq(const scim_filter *f, const char **sub, const char **value);

#endif
