/*
 * The resource engine: a REST resource declared as data, served by one generic
 * create, get, list, update and delete (resource.c).
 *
 *     static const emu_field fields[] = {
 *         {.name = "id", .flags = EMU_OUTPUT},
 *         {.name = "domain", .flags = EMU_REQUIRED | EMU_UNIQUE, .max_len = 253},
 *         {.name = "create_time", .type = EMU_TIMESTAMP, .flags = EMU_OUTPUT | EMU_STAMP_CREATE},
 *         {0}
 *     };
 *     const emu_resource emu_domain_resource = {
 *         .name = "domain", .table = "domains", .id_prefix = "dom_",
 *         .route = "/api/v1/organizations/{organization_id}/domains",
 *         .single = "domain", .plural = "domains", .fields = fields,
 *         .parent = &emu_organization_resource, .parent_column = "organization_id",
 *         .events = {"domain.created", "domain.updated", "domain.deleted"},
 *     };
 *
 * and the table in schema.sql, the resource in resources.h's list. The engine
 * serves POST and GET on .route, GET, PATCH and DELETE on .route + "/{id}"
 * (.key and .update_method change the item's column and the update's method):
 * - bodies checked against .fields: 400 INVALID_ARGUMENT naming the first bad field;
 * - 404 NOT_FOUND "<name> <id> not found" (the parent's first, for a scoped resource);
 * - 409 ALREADY_EXISTS from the table's UNIQUE constraints, naming field and value;
 * - lists: page_size (1-100, default 10), opaque page_token, total_size, .filters
 *   (or, with .page_numbers, a 0-based page_number), oldest first (.newest_first:
 *   newest first);
 * - each write, its cascade and its event commit in one transaction.
 * .routes adds what is not CRUD; those handlers find the resource in r->resource.
 */
#ifndef EMU_RESOURCE_H
#define EMU_RESOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>

#include "http.h"

typedef enum emu_field_type {
    EMU_STRING,      /* TEXT */
    EMU_INT,         /* INTEGER */
    EMU_BOOL,        /* INTEGER 0/1 */
    EMU_TIMESTAMP,   /* INTEGER Unix seconds; RFC 3339 text in JSON */
    EMU_OBJECT,      /* TEXT holding a JSON object ({} when unset) */
    EMU_ARRAY,       /* TEXT holding a JSON array ([] when unset) */
    EMU_INT64,       /* INTEGER; in JSON a decimal string as proto3 writes an int64 (a number is taken too) */
} emu_field_type;

enum emu_field_flags {
    EMU_REQUIRED = 1 << 0,      /* must be in a create body */
    EMU_UNIQUE = 1 << 1,        /* its column is UNIQUE: a taken value answers 409 */
    EMU_EMPTY_UNSET = 1 << 2,   /* "" stores NULL; on update "" clears without other checks */
    EMU_OUTPUT = 1 << 3,        /* shown, never taken from a body (id, times) */
    EMU_STAMP_CREATE = 1 << 4,  /* set to now on create */
    EMU_STAMP_UPDATE = 1 << 5,  /* set to now on every write */
    EMU_STAMP_ENVIRONMENT = 1 << 6, /* set to the environment's id on create */
};

/*
 * A field's own check, after the type and the declared constraints: NULL when
 * @p value is valid, else the violation's description. It may rewrite @p field
 * (it holds the field's name) to name a member, as "metadata.plan".
 */
typedef const char *(*emu_field_check)(const json_t *value, char *field, size_t field_len);

typedef struct emu_field {
    const char *name;                 /* JSON member */
    const char *column;               /* NULL: same as name */
    emu_field_type type;
    unsigned flags;                   /* enum emu_field_flags */
    size_t min_len, max_len;          /* strings, in characters; 0: no limit */
    const char *pattern;              /* POSIX extended regex the whole string must match */
    const char *const *enum_values;   /* NULL-terminated allowed strings */
    emu_field_check check;
    const char *message;              /* description when length, pattern or enum fail */
} emu_field;

typedef struct emu_filter {
    const char *query;    /* list query parameter */
    const char *column;   /* equality on this column; NULL: same as query */
    const char *any;      /* a value meaning no filter ("ALL"), or NULL */
} emu_filter;

typedef struct emu_cascade {
    const char *table;    /* rows of table whose column holds the deleted id */
    const char *column;
} emu_cascade;

typedef struct emu_resource emu_resource;
struct emu_resource {
    const char *name;          /* "organization": messages */
    const char *table;
    const char *id_prefix;     /* "org_" */
    const char *route;         /* collection route; a scoped one holds {<parent_column>} */
    const char *single;        /* response member of one item: "organization" */
    const char *plural;        /* response member of a list: "organizations" */
    const emu_field *fields;   /* {0}-terminated */
    const emu_resource *parent;    /* scoped resources: the parent resource ... */
    const char *parent_column;     /* ... and the column (and route parameter) holding its id */
    const emu_filter *filters;     /* {0}-terminated, may be NULL */
    const emu_cascade *cascade;    /* {0}-terminated, may be NULL: deleted with a row */
    const char *events[3];         /* created, updated, deleted event types; NULL: none */
    const char *event_organization; /* column giving events' organization_id (NULL: parent_column) */
    /* Adds the special members to @p out, the generic shape of @p row. 0 or -1. */
    int (*shape)(const json_t *row, json_t *out);
    const emu_route *routes;       /* extra routes, NULL-terminated; may be NULL */
    unsigned create_status;        /* a create's status; 0: 201 */
    /* Lists page by a 0-based page_number and answer {<plural>, page_number,
     * page_size (items on the page)} instead of page tokens. */
    bool page_numbers;
    unsigned default_page_size;    /* 0: 10 */
    /* The data of the resource's events for @p row, new reference (NULL when out of
     * memory); a NULL hook: the API shape, plus deleted_at on delete. */
    json_t *(*event_data)(const json_t *row);
    /* As shape, for a shape that reads other tables (a user's memberships). */
    int (*shape_store)(emu *e, const json_t *row, json_t *out);
    unsigned omit_routes;          /* EMU_ROUTE_* the engine does not serve (items created elsewhere) */
    /* Called inside a delete's transaction before the cascade (the dependants'
     * events, say): 0, or -1 to fail the delete. May be NULL. */
    int (*before_delete)(emu *e, const json_t *row);
    /* The column (a unique one) that addresses an item in its routes, and their
     * path parameter: "name", "permission_name" serve .route + "/{permission_name}".
     * NULL: "id", and the column's name. */
    const char *key;
    const char *key_param;
    /* The method of an item's update: "PUT" where the API replaces; NULL: "PATCH". */
    const char *update_method;
    /* Lists walk from the newest row (a log); false: from the oldest. */
    bool newest_first;
};

/* Bits of emu_resource.omit_routes. */
enum { EMU_ROUTE_CREATE = 1 << 0, EMU_ROUTE_UPDATE = 1 << 1, EMU_ROUTE_DELETE = 1 << 2 };

enum { EMU_EVENT_CREATED, EMU_EVENT_UPDATED, EMU_EVENT_DELETED };

/* The engine's routes of @p res: how many (5), and the i-th, whose pattern is
 * written to @p pattern (the route points to it). */
size_t emu_resource_route_count(const emu_resource *res);
/* (How many: 5 less the omitted ones.) */
emu_route emu_resource_route(const emu_resource *res, size_t i, char *pattern, size_t pattern_len);
/*
 * Check the description of @p res: a scoped route must hold {<parent_column>},
 * every field a name. 0, or -1 after printing each problem to @p err.
 */
int emu_resource_check(const emu_resource *res, FILE *err);

/* ---- for a resource's extra routes --------------------------------------------- */

/* The row @p id of @p res, or NULL. New reference. */
json_t *emu_resource_row(emu *e, const emu_resource *res, const char *id);
/* The row of @p res named by path parameter @p param; NULL after replying 404. */
json_t *emu_resource_find(emu *e, emu_req *r, const emu_resource *res, const char *param, int *rc);
/* The API shape of @p row: its fields, then the shape hook. New reference, NULL when out of memory. */
json_t *emu_resource_json(const emu_resource *res, const json_t *row);
/* As emu_resource_json, running the shape_store hook too (the engine's own replies use this). */
json_t *emu_resource_json_in(emu *e, const emu_resource *res, const json_t *row);
/*
 * Reply a page of @p res's rows (the engine's list: page_size, page_token,
 * total_size, .filters, the parent from the path) narrowed by the SQL condition
 * @p where (NULL: none) whose '?' take the elements of @p params (may be NULL).
 * For a list with conditions the filters cannot say (members of an organization, a search).
 */
int emu_resource_list(emu *e, emu_req *r, const emu_resource *res, const char *where, const json_t *params);
/* A list's opaque page token, base64url of "next:<seq>" (the rows after seq in the
 * walk's order) or "prev:<seq>" (the rows before it), seq a SQLite rowid; malloc'd. */
char *emu_page_token(const char *direction, int64_t seq);
/* Read a token of emu_page_token: *before true for "prev". False when it is none. */
bool emu_page_token_parse(const char *token, bool *before, int64_t *seq);
/* Reply {<single>: shape of row}. */
int emu_resource_reply(emu_req *r, const emu_resource *res, unsigned status, const json_t *row);
/* Emit res->events[which] with the event data of @p row (the shape plus deleted_at
 * when non-zero, or res->event_data's); call inside the write's transaction. 0 or -1. */
int emu_resource_emit(emu *e, const emu_resource *res, int which, const json_t *row, int64_t deleted_at);
/*
 * Finish an extra route's update of row @p id, inside the caller's transaction:
 * emit the updated event, commit, and hand the row after the write out through
 * *after (new reference). On failure the transaction is rolled back; 0 or -1.
 */
int emu_resource_commit_update(emu *e, const emu_resource *res, const char *id, json_t **after);
/* A failed INSERT/UPDATE of @p body (@p n its emu_db_exec result, the transaction
 * still open): 409 ALREADY_EXISTS naming the UNIQUE field and the value tried, or
 * -1 (500) for any other failure. Rolls back. */
int emu_resource_reply_conflict(emu *e, emu_req *r, const emu_resource *res, const json_t *body, int n);
/* Reply the row whose @p field (a unique column) equals path parameter @p field, or 404. */
int emu_resource_reply_by(emu *e, emu_req *r, const emu_resource *res, const char *field);

/* ---- the engine's fields (resource_fields.c) ------------------------------------ */

/* The first violation of @p body against res->fields (a create when @p create):
 * its description, the field's name written to @p field; NULL when valid. */
const char *emu_fields_validate(const emu_resource *res, const json_t *body, bool create, char *field,
                                size_t field_len);
/* The SQL values of a valid @p body's fields plus the stamps at @p now: a new object
 * of column -> value (string, integer or null), NULL when out of memory. */
json_t *emu_fields_values(const emu_resource *res, const json_t *body, bool create, int64_t now);
/* The API's metadata rule (an emu_field_check): at most 10 pairs, keys of 3 to
 * 25 characters, string values of 1 to 256. */
const char *emu_check_metadata(const json_t *v, char *field, size_t field_len);
/* Whether all of @p s matches POSIX extended regex @p pattern. */
bool emu_matches(const char *pattern, const char *s);
/* Characters (code points) of UTF-8 text @p s (jansson strings are valid UTF-8). */
size_t emu_utf8_length(const char *s);
/* The field stored in @p column, or NULL. */
const emu_field *emu_field_by_column(const emu_resource *res, const char *column);

#endif
