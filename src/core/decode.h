/*
 * The resource-API machinery shared by every service of src/api:
 *
 * - field tables (skit_schema): one per struct, {json name, type, offset,
 *   nested schema}, driving both JSON -> struct decoding (into a result arena)
 *   and struct -> JSON encoding (request bodies);
 * - argument checks that record a message naming the parameter;
 * - path building with percent-encoded segments;
 * - "one call, one decoded result" (skit_resource_call) and list pages;
 * - a generic page iterator each service wraps in a few lines.
 *
 * A service file is then a list of tables and thin functions; see
 * docs/adding-a-service.md.
 */
#ifndef SKIT_DECODE_H
#define SKIT_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "core.h"

/* ---- field tables -------------------------------------------------------- */

typedef enum skit_field_type {
    SKIT_F_STRING,      /* const char *                  JSON string */
    SKIT_F_BOOL,        /* bool                          JSON true/false */
    SKIT_F_INT32,       /* int32_t                       number or decimal string, in range */
    SKIT_F_INT64,       /* int64_t                       number or decimal string; encoded as string */
    SKIT_F_TIMESTAMP,   /* int64_t Unix seconds          RFC 3339 string; 0 is not encoded */
    SKIT_F_OPT_BOOL,    /* const bool *     NULL = absent */
    SKIT_F_OPT_INT32,   /* const int32_t *  NULL = absent */
    SKIT_F_OPT_INT64,   /* const int64_t *  NULL = absent */
    SKIT_F_STRING_LIST, /* const char *const *           array of strings, NULL-terminated */
    SKIT_F_STRING_MAP,  /* scalekit_string_map (embedded) object of strings */
    SKIT_F_OBJECT,      /* a struct embedded at offset    nested object (schema) */
    SKIT_F_OBJECT_PTR,  /* const T *        NULL = absent nested object (schema) */
    SKIT_F_ARRAY,       /* const T * + size_t count       array of nested objects (schema) */
    SKIT_F_RAW_JSON,    /* const char *     the member's JSON text, compact; any JSON type */
    SKIT_F_SELF_JSON    /* const char *     the whole object's JSON text (json name unused);
                           a top-level result gets the response body instead */
} skit_field_type;

/* Encoding flag: a NULL or "" string is not sent (default: only NULL is not sent). */
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

/* ---- argument checks (each records "<name> ..." and returns EINVAL) ---- */

/* @p value must be a non-empty string. */
int skit_check_required(const char *value, const char *name);
/* @p value (when not NULL) must have min..max characters (UTF-8 code points). */
int skit_check_length(const char *value, const char *name, size_t min, size_t max);
/* @p out (a T **) must not be NULL ("out must not be NULL"); clears *out, so a
 * failed call never leaves the caller's pointer dangling. */
int skit_check_out(void *out, const char *name);
/* Every entry needs a non-empty name and a non-NULL value. */
int skit_check_string_map(const scalekit_string_map *map, const char *name);

/* ---- paths --------------------------------------------------------------- */

/*
 * A path from @p pattern where every "{}" is replaced by the next const char *
 * argument, percent-encoded as one path segment (skit_path_add). An empty,
 * "." or ".." segment is SCALEKIT_EINVAL (it would address another resource).
 * skit_path(&p, "/api/v1/organizations/{}/settings", id). *out is malloc'd.
 */
int skit_path(char **out, const char *pattern, ...);

/* ---- calls --------------------------------------------------------------- */

typedef struct skit_call {
    const char *method;          /* "GET", "POST", ... */
    const char *path;            /* encoded (skit_path) */
    const char *query;           /* encoded, without '?'; NULL for none */
    const json_t *body;          /* NULL for none */
    const char *member;          /* the response member holding the resource
                                    ("organization"); NULL: the whole body */
    const skit_schema *schema;   /* the result's table; NULL: no result */
} skit_call;

/*
 * Send @p call and decode its answer: with a schema, *out receives a new result
 * (skit_result_free) whose SELF_JSON field holds the whole response text.
 * A missing or non-object member is SCALEKIT_EMALFORMED_RESPONSE.
 * Returns SCALEKIT_OK or the transport's / decoder's error (recorded).
 */
int skit_resource_call(scalekit_client *client, const skit_call *call, void **out);

/*
 * One page of a list: GET @p path with @p base_query (may be NULL) plus
 * page_size (when not 0) and page_token (when not NULL or ""), decoded with
 * @p list_schema (the page struct: an ARRAY field of the items and a
 * "next_page_token" string).
 */
int skit_list_page(scalekit_client *client, const char *path, const char *base_query,
                   uint32_t page_size, const char *page_token,
                   const skit_schema *list_schema, void **out);

/* ---- the generic page iterator (paging.c) -------------------------------- */

typedef struct skit_iterator skit_iterator;

/*
 * An iterator over every item of a list: fetches pages of @p path (with
 * @p base_query, @p page_size) on demand, starting at @p first_page_token (may
 * be NULL). @p list_schema must have exactly one SKIT_F_ARRAY field (the items)
 * and a "next_page_token" string field. Copies every argument it keeps.
 */
int skit_iterator_new(scalekit_client *client, const char *path, const char *base_query,
                      uint32_t page_size, const char *first_page_token,
                      const skit_schema *list_schema, skit_iterator **out);
/* SCALEKIT_OK with *item (valid until the next call or free), SCALEKIT_ITEROVER, or an error.
 * After an error the iterator stays failed: every later call returns the same code. */
int skit_iterator_next(skit_iterator *it, const void **item);
void skit_iterator_free(skit_iterator *it);

#endif
