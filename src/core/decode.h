/*
 * The resource-API machinery shared by every service of src/api:
 *
 * - field tables (skit_schema): one per struct, {json name, type, offset,
 *   nested schema}, driving both JSON -> struct decoding (into a result arena)
 *   and struct -> JSON encoding (request bodies);
 * - the C-level argument checks, recording a message naming the parameter;
 * - operations (skit_op): one static description per method (method, path
 *   template, query/body table, response member, result table) and one
 *   generic call that checks, encodes, sends and decodes;
 * - a generic page iterator over a list operation.
 *
 * A service file is then a list of tables and thin functions; see
 * docs/adding-a-service.md.
 */
#ifndef SKIT_DECODE_H
#define SKIT_DECODE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "core.h"

/* ---- field tables -------------------------------------------------------- */

typedef enum skit_field_type {
    SKIT_F_STRING,      /* const char *                  JSON string */
    SKIT_F_BOOL,        /* bool                          JSON true/false */
    SKIT_F_INT32,       /* int32_t                       number or decimal string, in range */
    SKIT_F_UINT32,      /* uint32_t                      number or decimal string, in range */
    SKIT_F_INT64,       /* int64_t                       number or decimal string; encoded as string */
    SKIT_F_TIMESTAMP,   /* int64_t Unix seconds          RFC 3339 string; 0 is not encoded */
    SKIT_F_OPT_BOOL,    /* const bool *     NULL = absent */
    SKIT_F_OPT_INT32,   /* const int32_t *  NULL = absent */
    SKIT_F_OPT_INT64,   /* const int64_t *  NULL = absent */
    SKIT_F_STRING_LIST, /* const char *const *           array of strings, NULL-terminated */
    SKIT_F_STRING_MAP,  /* scalekit_string_map (embedded) object of strings */
    SKIT_F_OBJECT,      /* a struct embedded at offset    nested object (schema) */
    SKIT_F_OBJECT_PTR,  /* const T *        NULL = absent nested object (schema); with no
                           json name its members are inlined into the parent object */
    SKIT_F_ARRAY,       /* const T *const * + size_t count  array of nested objects (schema):
                           pointers, so T can grow without changing a caller's stride */
    SKIT_F_RAW_JSON,    /* const char *     the member's JSON text, compact; any JSON type */
    SKIT_F_SELF_JSON,   /* const char *     the whole object's JSON text (json name unused);
                           a top-level result gets the response body instead */
    SKIT_F_STRUCT_SIZE  /* size_t struct_size, the first member of a struct callers fill
                           (growable.h): encoding reads the caller's struct through
                           skit_struct_copy; decoding sets it to sizeof the struct */
} skit_field_type;

/* Encoding flag: a NULL or "" string, or a 0 UINT32, is not sent (default: only NULL is not sent). */
#define SKIT_FIELD_OMIT_EMPTY 1u
/* Decoding only: never encoded (server-set fields such as id, create_time). */
#define SKIT_FIELD_READ_ONLY 2u

struct skit_schema;

typedef struct skit_field {
    const char *json_name;
    skit_field_type type;
    size_t offset;                   /* offsetof(struct, member) */
    size_t count_offset;             /* SKIT_F_ARRAY: offsetof the size_t count */
    const struct skit_schema *schema;/* OBJECT, OBJECT_PTR, ARRAY: the element's table */
    unsigned flags;
} skit_field;

typedef struct skit_schema {
    const char *name;                /* for messages: "organization" */
    size_t size;                     /* sizeof the struct */
    const skit_field *fields;
    size_t field_count;
} skit_schema;

/* Table rows, e.g. SKIT_FIELD(scalekit_organization, display_name, SKIT_F_STRING). */
#define SKIT_FIELD(st, member, type) \
    { #member, (type), offsetof(st, member), 0, NULL, 0 }
#define SKIT_FIELD_NAMED(st, member, json, type, flags) \
    { (json), (type), offsetof(st, member), 0, NULL, (flags) }
#define SKIT_FIELD_RO(st, member, type) \
    { #member, (type), offsetof(st, member), 0, NULL, SKIT_FIELD_READ_ONLY }
#define SKIT_FIELD_OBJECT(st, member, type, sub) \
    { #member, (type), offsetof(st, member), 0, &(sub), 0 }
#define SKIT_FIELD_ARRAY(st, member, json, count_member, sub) \
    { (json), SKIT_F_ARRAY, offsetof(st, member), offsetof(st, count_member), &(sub), 0 }
#define SKIT_FIELD_SELF(st, member) \
    { NULL, SKIT_F_SELF_JSON, offsetof(st, member), 0, NULL, SKIT_FIELD_READ_ONLY }
/* The first row of a caller-filled struct's table; @p init names its _INIT macro for messages. */
#define SKIT_FIELD_STRUCT_SIZE(st, init) \
    { #init, SKIT_F_STRUCT_SIZE, offsetof(st, struct_size), 0, NULL, SKIT_FIELD_READ_ONLY }
/* The members of the struct @p member points to, encoded into the parent object. */
#define SKIT_FIELD_INLINE(st, member, sub) \
    { NULL, SKIT_F_OBJECT_PTR, offsetof(st, member), 0, &(sub), 0 }
#define SKIT_SCHEMA(st, label, table) \
    { (label), sizeof(st), (table), sizeof(table) / sizeof((table)[0]) }

/*
 * Fill @p out (a zeroed struct of schema->size bytes) from the JSON object @p obj,
 * allocating every string and array inside @p result's arena. Missing members,
 * members of the wrong type and out-of-range numbers are left zero/NULL;
 * unknown members are ignored. A non-object @p obj leaves @p out untouched.
 * Returns SCALEKIT_OK or SCALEKIT_ENOMEM (error set).
 */
int skit_decode(void *result, const skit_schema *schema, const json_t *obj, void *out);

/*
 * Decode @p obj into a fresh result of schema->size bytes; *out is freed with
 * skit_result_free. @p raw (may be NULL) becomes its SKIT_F_SELF_JSON member.
 */
int skit_decode_new(const skit_schema *schema, const json_t *obj, const char *raw, void **out);

/*
 * Build a JSON object from @p in (a struct described by @p schema): NULL
 * pointers and NULL strings are left out, READ_ONLY and SELF_JSON fields are
 * skipped. Returns SCALEKIT_OK with *out (json_decref it), SCALEKIT_EINVAL for
 * an invalid input (a map entry without a name, raw JSON that does not parse;
 * the message names the field) or SCALEKIT_ENOMEM.
 */
int skit_encode(const skit_schema *schema, const void *in, json_t **out);
/* The same, adding the members to the existing object @p obj (after what it holds). */
int skit_encode_into(const skit_schema *schema, const void *in, json_t *obj);
/*
 * Append the members of @p obj (as skit_encode made it) to the query @p q as
 * name=value pairs: strings, integers and booleans as text, an array of
 * strings as one pair per entry; other members are skipped.
 */
int skit_query_from_json(const json_t *obj, skit_buf *q);

/* ---- argument checks (each records "<name> ..." and returns EINVAL) ---- */

/* @p value must be a non-empty string. */
int skit_check_required(const char *value, const char *name);
/* Whether @p s is well-formed UTF-8 (RFC 3629: no overlongs, surrogates or > U+10FFFF). */
bool skit_utf8_valid(const char *s);
/* @p value (when not NULL) must be valid UTF-8: "<name> is not valid UTF-8". */
int skit_check_utf8(const char *value, const char *name);
/* @p out (a T **) must not be NULL ("out must not be NULL"); clears *out, so a
 * failed call never leaves the caller's pointer dangling. */
int skit_check_out(void *out, const char *name);

/* ---- operations ---------------------------------------------------------- */

/*
 * One method of a service, as data. A path argument "{name}" takes the next
 * const char * argument of skit_op_call: NULL or empty is SCALEKIT_EINVAL
 * "<name> must not be empty"; it must be valid UTF-8 and not "." or ".."
 * (which would address another resource); it is percent-encoded as one segment.
 */
typedef struct skit_op {
    const char *method;          /* "GET", "POST", ... */
    const char *path;            /* "/api/v1/organizations/{id}/settings" */
    const skit_schema *query;    /* encodes the input into the query; NULL: no query */
    const skit_schema *body;     /* encodes the input as the JSON body; NULL: no body */
    const char *input;           /* the input's parameter name when it is required
                                    (NULL input is EINVAL "<input> must not be NULL") */
    const char *member;          /* response member holding the result ("organization");
                                    NULL: the whole body */
    const skit_schema *result;   /* the result's table; NULL: no result, out unused */
} skit_op;

/*
 * Run @p op: check out (when the op has a result), the path arguments (the
 * variadic const char *s, one per "{name}") and the input; encode the input
 * @p in (may be NULL unless op->input) as query and/or body; send; decode the
 * answer into a new result *out (skit_result_free) whose SELF_JSON field holds
 * the response text. A missing or non-object member is SCALEKIT_EMALFORMED_RESPONSE.
 */
int skit_op_call(scalekit_client *client, const skit_op *op, const void *in, void **out, ...);

/* The path of @p pattern with its "{name}" holes filled from @p ap, checked as above. */
int skit_op_path(char **out, const char *pattern, va_list ap);

/* The same as skit_op_call with an explicit path and query (for the iterator). */
int skit_op_send(scalekit_client *client, const skit_op *op, const char *path, const char *query,
                 const json_t *body, void **out);

/* ---- the generic page iterator (paging.c) -------------------------------- */

typedef struct skit_iterator skit_iterator;

/*
 * An iterator over every item of the list operation @p op (its result table:
 * exactly one SKIT_F_ARRAY field, the items, and a "next_page_token" string),
 * with the list options @p in (may be NULL; a "page_token" member is the first
 * page) and the op's path arguments. Fetches pages on demand; copies what it keeps.
 * A list without "next_page_token" whose query table has "page_number" pages by
 * number from the options' page_number (paging.c says when it stops).
 */
int skit_op_iterator_new(scalekit_client *client, const skit_op *op, const void *in,
                         skit_iterator **out, ...);
/* SCALEKIT_OK with *item (valid until the next call or free), SCALEKIT_ITEROVER, or an error.
 * After an error the iterator stays failed: every later call returns the same code. */
int skit_iterator_next(skit_iterator *it, const void **item);
void skit_iterator_free(skit_iterator *it);

/*
 * A service's public iterator is the generic one under its own type, so a
 * caller cannot hand one service's iterator to another's _next. This defines
 * <prefix>_iterator_next and <prefix>_iterator_free for the public types
 * <prefix>_iterator and @p item (the iterator's _new is the service's own).
 */
#define SKIT_ITERATOR_FUNCTIONS(prefix, item)                                          \
    int prefix##_iterator_next(prefix##_iterator *it, const item **out)                \
    {                                                                                  \
        const void *found = NULL;                                                      \
        int rc = skit_iterator_next((skit_iterator *)it, out ? &found : NULL);         \
        if (out)                                                                       \
            *out = found;                                                              \
        return rc;                                                                     \
    }                                                                                  \
    void prefix##_iterator_free(prefix##_iterator *it)                                 \
    {                                                                                  \
        skit_iterator_free((skit_iterator *)it);                                       \
    }

#endif
