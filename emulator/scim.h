/*
 * SCIM 2.0 (RFC 7643, RFC 7644) served per directory at
 * {environment URL}/api/v1/directories/{directory_id}/scim/v2, authenticated by
 * the directory's bearer secret instead of an API token (server.c leaves these
 * paths out of the /api/v1 check and the exchange log).
 *
 *   scim_protocol.c   bearer check, enabled directory, media type, error bodies
 *   scim_resources.c  the generic create / get / list / replace / patch / delete
 *                     of a kind of resource, ETags, paging, attribute selection
 *   scim_users.c      Users: the directory_users table, user events
 *   scim_groups.c     Groups: directory_groups and their members, group events
 *   scim_patch.c      PatchOp (RFC 7644 section 3.5.2) on a resource's JSON
 *   scim_path.c       filters and PATCH paths (pure: fuzzed)
 *   scim_discovery.c  /ServiceProviderConfig, /ResourceTypes, /Schemas
 *   directory_members.c  the REST listing of what SCIM provisioned, event data
 *
 * Stored: each resource's JSON as last written, less what the server owns (id,
 * meta, a user's groups, a group's members: those live in
 * directory_group_members); the columns the REST API lists are copied out of it.
 * Deprovisioning: active=false is a user_updated event with active false;
 * DELETE is user_deleted (and drops the user's group memberships).
 */
#ifndef EMU_SCIM_H
#define EMU_SCIM_H

#include <stdbool.h>
#include <jansson.h>

#include "environment.h"
#include "scim_path.h"

#define SCIM_SCHEMA_USER "urn:ietf:params:scim:schemas:core:2.0:User"
#define SCIM_SCHEMA_GROUP "urn:ietf:params:scim:schemas:core:2.0:Group"
#define SCIM_SCHEMA_ENTERPRISE "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
#define SCIM_MSG_LIST "urn:ietf:params:scim:api:messages:2.0:ListResponse"
#define SCIM_MSG_PATCH "urn:ietf:params:scim:api:messages:2.0:PatchOp"
#define SCIM_MSG_ERROR "urn:ietf:params:scim:api:messages:2.0:Error"
#define SCIM_MEDIA_TYPE "application/scim+json"
#define SCIM_ROUTE "/api/v1/directories/{directory_id}/scim/v2"
/* Most resources one list answers (ServiceProviderConfig filter.maxResults). */
#define SCIM_MAX_RESULTS 200

/* A refusal: the HTTP status, RFC 7644 section 3.12's scimType (or NULL) and detail. */
typedef struct scim_error {
    unsigned status;
    const char *type;
    char detail[256];
} scim_error;

/* Fill @p err; returns false, for `return scim_fail(err, ...)`. */
bool scim_fail(scim_error *err, unsigned status, const char *type, const char *fmt, ...) SKIT_PRINTF(4, 5);

/* The directory a SCIM request addresses, after the checks of scim_begin. */
typedef struct scim_dir {
    json_t *row;                  /* its directories row */
    const char *id;               /* borrowed from row */
    const char *organization_id;  /* borrowed from row */
    char base[EMU_MAX_URL + 128]; /* its SCIM base URL */
} scim_dir;

/*
 * Admit a SCIM request: a bearer secret of the path's directory (else 401 with
 * WWW-Authenticate), the directory enabled (else 403: the caller is who it says,
 * the directory refuses), a body, if any, in application/scim+json or
 * application/json (else 415). False after replying (*rc the reply's result).
 * Free @p d with scim_dir_free.
 */
bool scim_begin(emu *e, emu_req *r, scim_dir *d, int *rc);
void scim_dir_free(scim_dir *d);

/* Reply SCIM's error body ({schemas, status as a string, scimType, detail}). */
int scim_reply_error(emu_req *r, const scim_error *err);
int scim_reply_errorf(emu_req *r, unsigned status, const char *type, const char *fmt, ...) SKIT_PRINTF(4, 5);
/* Reply @p body (stolen) as application/scim+json. */
int scim_reply_json(emu_req *r, unsigned status, json_t *body);

/* A kind of SCIM resource (scim_users.c, scim_groups.c) for the generic handlers. */
typedef struct scim_kind {
    const char *name;        /* "User": meta.resourceType */
    const char *endpoint;    /* "Users" */
    const char *schema;      /* its core schema URN */
    const char *table;       /* directory_users: id, directory_id, resource, version, times */
    const char *id_prefix;   /* "diruser_" */
    const char *const *read_only;   /* top-level attributes a client may not change (NULL-terminated) */
    /* The multi-valued attribute naming other resources (a user's groups, a
     * group's members) and their endpoint: each value gets its "$ref". */
    const char *refs, *refs_endpoint;
    /* Check and normalise @p res, a whole resource from a client (create,
     * replace, or a patched one): false with *err. */
    bool (*check)(json_t *res, scim_error *err);
    /* The resource of @p row as a client sees it, less id and meta (a user's
     * groups, a group's members included). New reference or NULL. */
    json_t *(*load)(emu *e, const json_t *row);
    /* Inside the caller's transaction: store checked @p res as the resource
     * @p id (a create when @p row is NULL, else a write over @p row) and emit
     * its event. 0, or -1 with *err (status 500 when it is no client error). */
    int (*write)(emu *e, const scim_dir *d, const json_t *row, const char *id, json_t *res, scim_error *err);
    /* Inside the caller's transaction: delete @p row and emit its event. 0 or -1. */
    int (*remove)(emu *e, const scim_dir *d, const json_t *row);
} scim_kind;

extern const scim_kind scim_user_kind;
extern const scim_kind scim_group_kind;

/* Apply PatchOp @p body to @p res (a resource as kind->load gives it) in place.
 * False with *err: invalidSyntax, invalidPath, noTarget, invalidValue, mutability. */
bool scim_patch_apply(const scim_kind *kind, json_t *res, const json_t *body, scim_error *err);

/* ---- shared by the kinds --------------------------------------------------- */

/* The members of @p res named in @p read_only (any case) removed. */
void scim_drop_members(json_t *res, const char *const *names);
/* Set "schemas" to hold @p schema (first) when it does not. 0 or -1. */
int scim_ensure_schema(json_t *res, const char *schema);
/* The string member @p name of @p obj (any case), NULL when absent or not a string. */
const char *scim_string(const json_t *obj, const char *name);

/* ---- directory users and groups (directory_members.c) ------------------------- */

/* The groups of directory user @p user_id as {value, display} (new array). */
json_t *emu_directory_user_groups(emu *e, const char *user_id);
/* Emit organization.directory.<@p what> (user_created, group_deleted, ...) for
 * the directory user or group row @p row (read before a delete), inside the
 * caller's transaction. 0 or -1. */
int emu_directory_user_event(emu *e, const char *what, const json_t *row);
int emu_directory_group_event(emu *e, const char *what, const json_t *row);

#endif
