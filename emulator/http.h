/*
 * The emulator's HTTP framework: routes, requests and replies. Knows nothing
 * of any resource; emulator/environment.h is the state, emulator/resources.h
 * the list of what is served.
 *
 * A REST resource is declared as data for the engine (emulator/resource.h),
 * which serves its create, get, list, update and delete. What is not CRUD is a
 * NULL-terminated route table, as a resource's .routes or, for what belongs to
 * no resource (OAuth, test controls), in emu_route_tables (server.c):
 *
 *     static const emu_route routes[] = {
 *         {"POST", "/api/v1/organizations/{organization_id}:disable", disable, "organization_id"},
 *         {NULL, NULL, NULL, NULL}
 *     };
 *
 * Patterns: segments separated by '/'; a segment is literal text, or
 * "prefix{name}suffix" where {name} captures a non-empty value ("{id}:disable").
 * When several routes match, the one with the most literal characters wins;
 * at start the emulator refuses two routes of one method that some path matches
 * at equal score (emu_routes_check), so table order never decides. The last
 * member declares the {name}s the handler reads: at start the emulator refuses
 * a route that declares one its pattern lacks, and a handler that reads a name
 * it did not declare (or its pattern lacks) is answered 500 naming route and
 * name (tests/integration/it_emulator_routes.c walks every route).
 * Every /api/v1 route is authenticated before its handler runs: a bearer token
 * of the client-credentials grant of one of the environment's API clients,
 * issued by this emulator, not revoked, not expired (api_auth.c), or of an
 * organization's API client, which may only GET its own organization
 * (org_clients.c); r->claims holds its payload, read-only (it is shared with
 * other requests).
 * /_emulator, /oauth, /keys, /.well-known and /oidc routes are public.
 * Handlers return the value of one of the emu_reply_* calls (0, or -1 when out
 * of memory; the server then answers 500).
 */
#ifndef EMU_HTTP_H
#define EMU_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "core/core.h"

typedef struct scalekit_emulator emu;
typedef struct emu_req emu_req;
typedef int (*emu_handler)(emu *e, emu_req *r);

typedef struct emu_route {
    const char *method;    /* "GET", "POST", ... */
    const char *pattern;   /* "/api/v1/users/{id}" */
    emu_handler handler;
    /* The path parameters the handler reads, space-separated ("organization_id id").
     * At start-up each must be a {name} of the pattern; a handler that declares
     * them may read no other. NULL: undeclared (only the request-time check). */
    const char *params;
} emu_route;


/* ---- requests and replies (server.c) ---------------------------------------- */

#define EMU_MAX_PARAMS 8
#define EMU_MAX_HEADERS 8
#define EMU_MAX_BODY (1024 * 1024)

struct emu_req {
    emu *e;
    struct MHD_Connection *conn;
    const char *method;
    const char *path;
    const char *body;          /* NUL-terminated, may be "" */
    size_t body_len;
    char request_id[40];
    const json_t *claims;      /* /api/v1: the admitted access token's payload (borrowed) */
    const struct emu_resource *resource;   /* the resource whose route matched (resource.h), or NULL */

    /* private to server.c */
    struct skit_payload *token; /* holds claims: shared with the verified-token cache */
    const char *param_names[EMU_MAX_PARAMS];
    char *param_values[EMU_MAX_PARAMS];
    size_t n_params;
    const char *pattern;       /* the matched route's */
    const char *params;        /* the matched route's declared parameters, or NULL */
    const char *missing_param; /* a name emu_path_param was asked for that the pattern lacks */
    bool param_undeclared;     /* ... or that the route does not declare */
    json_t *json;              /* parsed body, lazily */
    json_t *form;              /* decoded form, lazily */
    bool json_tried;
    unsigned status;
    char *resp_body;
    size_t resp_len;
    const char *content_type;
    char *header_names[EMU_MAX_HEADERS];
    char *header_values[EMU_MAX_HEADERS];
    size_t n_headers;
    bool replied;
};

/* A {name} of the matched pattern. Asking for a name the pattern lacks, or one
 * a route with declared params does not declare, is a bug in the route table:
 * NULL, and the request is answered 500 naming route and name. */
const char *emu_path_param(emu_req *r, const char *name);
/* Whether @p pattern holds the parameter {name}. */
bool emu_pattern_has_param(const char *pattern, const char *name);
/* A query parameter, decoded; NULL when absent. */
const char *emu_query(emu_req *r, const char *name);
/* Every value of a repeated query parameter ("?status=A&status=B"), in order:
 * a new JSON array of strings (empty when absent), NULL when out of memory. */
json_t *emu_query_values(emu_req *r, const char *name);
/* A request header (case-insensitive); NULL when absent. */
const char *emu_header(emu_req *r, const char *name);
/* The client's address as text into @p out (size @p n); "" when unknown. */
void emu_peer_ip(emu_req *r, char *out, size_t n);
/* A parameter of the query or the form body, by name: emu_query or emu_form. */
typedef const char *(*emu_param_fn)(emu_req *r, const char *name);
/* The body as a JSON object (borrowed), or NULL when it is not one. */
json_t *emu_json_body(emu_req *r);
/* A field of an application/x-www-form-urlencoded body, decoded; NULL when absent. */
const char *emu_form(emu_req *r, const char *name);

/* Reply with JSON (steals @p body). */
int emu_reply_json(emu_req *r, unsigned status, json_t *body);
/* Reply with the API's error body: {"code": <gRPC>, "message", "details": [ErrorInfo]}.
 * @p error_code e.g. "NOT_FOUND"; the gRPC code follows from @p status. */
int emu_reply_error(emu_req *r, unsigned status, const char *error_code, const char *fmt, ...)
    SKIT_PRINTF(4, 5);
/* 400 INVALID_ARGUMENT naming one invalid field. */
int emu_reply_field_error(emu_req *r, const char *field, const char *description);
/* RFC 6749 section 5.2: {"error","error_description"}; 401 adds WWW-Authenticate. */
int emu_reply_oauth_error(emu_req *r, unsigned status, const char *error, const char *description);
/* 302 to @p location, with Referrer-Policy: no-referrer. */
int emu_reply_redirect(emu_req *r, const char *location);
/* An HTML page (the text is copied) with the headers every page carries:
 * Content-Security-Policy (nothing loads, no framing, forms post to the emulator
 * and, when @p form_target is not NULL, to that origin "scheme://host[:port]"),
 * X-Frame-Options: DENY, Referrer-Policy: no-referrer, X-Content-Type-Options: nosniff. */
int emu_reply_html(emu_req *r, unsigned status, const char *html, const char *form_target);
/* The one stylesheet a page may carry inline (<style> with exactly this text):
 * emu_reply_html's Content-Security-Policy allows it by its hash. */
extern const char emu_page_style[];
/* The inline scripts a page may carry (<script> with exactly one of these texts),
 * NULL-terminated: the Content-Security-Policy allows each by its hash. */
extern const char *const emu_page_scripts[];
/* Any body of any type (copied). */
int emu_reply_raw(emu_req *r, unsigned status, const char *content_type, const char *body, size_t len);
/* An extra response header (both copied). */
int emu_add_header(emu_req *r, const char *name, const char *value);

/* Start / stop the HTTP daemon of @p e (server.c); start fills e->port and e->url. */
int emu_server_start(emu *e);
void emu_server_stop(emu *e);

#endif
