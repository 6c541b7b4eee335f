/*
 * The emulator's HTTP server on libmicrohttpd: routing by table, the request /
 * reply API of http.h, bearer authentication of /api/v1, fault injection,
 * body size cap and the request log.
 */
#include "environment.h"
#include "resources.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <microhttpd.h>
#include <openssl/evp.h>

/* Threads serving connections (each runs an epoll loop), and the most
 * connections held at once (libmicrohttpd's default is FD_SETSIZE - 4). */
#define EMU_SERVER_THREADS 4
#define EMU_MAX_CONNECTIONS 4096

/* Every hand-written route table; resources of the engine are in emu_resources. */
const emu_route *const emu_route_tables[] = {
    emu_token_routes,
    emu_oauth_routes,
    emu_oidc_routes,
    emu_control_routes,
    emu_membership_routes,
    emu_session_routes,
    emu_mailbox_routes,
    emu_login_routes,
    emu_organization_settings_routes,
    emu_role_routes,
    emu_role_access_routes,
    emu_role_default_routes,
    emu_connection_routes,
    emu_portal_routes,
    emu_auth_log_routes,
    emu_webauthn_routes,
    emu_webauthn_page_routes,
    emu_scim_routes,
    emu_scim_discovery_routes,
    emu_directory_member_routes,
    emu_sso_oidc_routes,
    emu_sso_saml_routes,
    emu_login_custom_routes,
    emu_passwordless_routes,
    emu_passwordless_page_routes,
    NULL
};

/* Every resource the engine serves: one list (resources.h). */
const emu_resource *const emu_resources[] = {
    &emu_organization_resource,
    &emu_domain_resource,
    &emu_user_resource,
    &emu_permission_resource,
    &emu_connection_resource,
    &emu_org_client_resource,
    &emu_directory_resource,
    NULL
};

/* ---- per-request state ------------------------------------------------------ */

/* Made by on_uri for each request, freed by on_completed. */
typedef struct upload {
    skit_buf body;
    bool too_large;
    bool nul_in_uri;       /* the raw path or query holds %00 */
    bool headers_seen;     /* on_request ran once (headers checked) */
    bool fault_taken;      /* the injected fault (if any) is in fault */
    bool has_fault;
    emu_fault fault;
} upload;

/* ---- routing ------------------------------------------------------------- */

/* Match one pattern segment against one path segment; adds the literal length
 * to *score and records a {param}. */
static bool match_segment(const char *pat, size_t plen, const char *seg, size_t slen,
                          emu_req *r, size_t *score)
{
    const char *open = memchr(pat, '{', plen);
    if (!open) {
        if (plen != slen || memcmp(pat, seg, slen) != 0)
            return false;
        *score += plen + 1;
        return true;
    }
    const char *close = memchr(open, '}', plen - (size_t)(open - pat));
    if (!close)
        return false;
    size_t pre = (size_t)(open - pat);
    size_t suf = plen - (size_t)(close + 1 - pat);
    if (slen <= pre + suf || memcmp(seg, pat, pre) != 0 ||
        memcmp(seg + slen - suf, close + 1, suf) != 0)
        return false;
    if (r->n_params >= EMU_MAX_PARAMS)
        return false;
    /* Names point into the static pattern; values are copies. */
    char *value = strndup(seg + pre, slen - pre - suf);
    if (!value)
        return false;
    r->param_values[r->n_params] = value;
    /* The name is not NUL-terminated in the pattern: emu_path_param compares up to '}'. */
    r->param_names[r->n_params] = open + 1;
    r->n_params++;
    *score += pre + suf;
    return true;
}

static void clear_params(emu_req *r)
{
    for (size_t i = 0; i < r->n_params; i++)
        free(r->param_values[i]);
    r->n_params = 0;
}

/* Does @p pattern match @p path? On success the params are left in @p r. */
static bool match_route(const char *pattern, const char *path, emu_req *r, size_t *score)
{
    clear_params(r);
    *score = 0;
    const char *p = pattern, *s = path;
    for (;;) {
        if (*p != '/' || *s != '/')
            return *p == '\0' && *s == '\0';
        p++, s++;
        size_t plen = strcspn(p, "/"), slen = strcspn(s, "/");
        if (!match_segment(p, plen, s, slen, r, score)) {
            clear_params(r);
            return false;
        }
        p += plen, s += slen;
    }
}

/* ---- the route list ---------------------------------------------------------- */

/* A route with the resource it serves (NULL for hand-written tables). */
typedef struct bound_route {
    emu_route route;
    const emu_resource *resource;
    char pattern[192];    /* the text of an engine route's pattern */
} bound_route;

typedef struct route_list {
    bound_route *items;
    size_t count;
} route_list;

static void add_table(route_list *l, const emu_route *table, const emu_resource *res)
{
    for (const emu_route *rt = table; rt && rt->pattern; rt++) {
        if (l->items)
            l->items[l->count] = (bound_route){.route = *rt, .resource = res};
        l->count++;
    }
}

/* Flatten tables and resources into @p l: a first pass with l->items NULL counts. */
static void fill_routes(route_list *l, const emu_route *const *tables, const emu_resource *const *resources)
{
    l->count = 0;
    for (size_t t = 0; tables && tables[t]; t++)
        add_table(l, tables[t], NULL);
    for (size_t i = 0; resources && resources[i]; i++) {
        const emu_resource *res = resources[i];
        for (size_t k = 0; res->route && k < emu_resource_route_count(res); k++, l->count++) {
            if (!l->items)
                continue;
            bound_route *b = &l->items[l->count];
            b->resource = res;
            b->route = emu_resource_route(res, k, b->pattern, sizeof b->pattern);
        }
        add_table(l, res->routes, res);
    }
}

static int build_routes(route_list *l, const emu_route *const *tables, const emu_resource *const *resources)
{
    l->items = NULL;
    fill_routes(l, tables, resources);
    l->items = calloc(l->count ? l->count : 1, sizeof *l->items);
    if (!l->items)
        return -1;
    fill_routes(l, tables, resources);
    return 0;
}

/* One segment of a pattern: literal text, or pre{name}suf. */
typedef struct segment {
    const char *text;
    size_t len, pre, suf;
    bool param;
} segment;

static segment segment_at(const char *p)
{
    segment s = {.text = p, .len = strcspn(p, "/")};
    const char *open = memchr(p, '{', s.len), *close = open ? memchr(open, '}', s.len - (size_t)(open - p)) : NULL;
    if (open && close) {
        s.param = true;
        s.pre = (size_t)(open - p);
        s.suf = s.len - (size_t)(close + 1 - p);
    }
    return s;
}

/* What match_segment adds to a route's score. */
static size_t segment_score(segment s)
{
    return s.param ? s.pre + s.suf : s.len + 1;
}

/* Whether some path segment matches both @p a and @p b. */
static bool segments_meet(segment a, segment b)
{
    if (!a.param && !b.param)
        return a.len == b.len && memcmp(a.text, b.text, a.len) == 0;
    if (a.param && b.param) {
        size_t pre = a.pre < b.pre ? a.pre : b.pre, suf = a.suf < b.suf ? a.suf : b.suf;
        return memcmp(a.text, b.text, pre) == 0 &&
               memcmp(a.text + a.len - suf, b.text + b.len - suf, suf) == 0;
    }
    segment lit = a.param ? b : a, par = a.param ? a : b;
    return lit.len > par.pre + par.suf && memcmp(lit.text, par.text, par.pre) == 0 &&
           memcmp(lit.text + lit.len - par.suf, par.text + par.len - par.suf, par.suf) == 0;
}

/*
 * Whether one path matches patterns @p a and @p b at the same score, so table
 * order alone would pick the route: same number of segments, each pair of
 * segments able to match one text, and equal sums of literal characters.
 */
static bool patterns_tie(const char *a, const char *b)
{
    size_t score_a = 0, score_b = 0;
    for (;;) {
        if (*a != '/' || *b != '/')
            return *a == '\0' && *b == '\0' && score_a == score_b;
        segment sa = segment_at(++a), sb = segment_at(++b);
        if (!segments_meet(sa, sb))
            return false;
        score_a += segment_score(sa);
        score_b += segment_score(sb);
        a += sa.len;
        b += sb.len;
    }
}

bool emu_pattern_has_param(const char *pattern, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strchr(pattern, '{'); p; p = strchr(p + 1, '{'))
        if (strncmp(p + 1, name, n) == 0 && p[1 + n] == '}')
            return true;
    return false;
}

/* Whether the space-separated @p list holds @p name (of @p n bytes). */
static bool list_has(const char *list, const char *name, size_t n)
{
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, " ");
        if (len == n && strncmp(p, name, n) == 0)
            return true;
        p += len + (p[len] == ' ');
    }
    return false;
}

/* A route's declared parameters must all be in its pattern. */
static int check_declared_params(const emu_route *rt, FILE *err)
{
    int rc = 0;
    for (const char *p = rt->params; p && *p;) {
        size_t len = strcspn(p, " ");
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)len, p);
        if (len && !emu_pattern_has_param(rt->pattern, name)) {
            fprintf(err, "scalekit-emulator: route %s %s declares path parameter {%s} its pattern lacks\n",
                    rt->method, rt->pattern, name);
            rc = -1;
        }
        p += len + (p[len] == ' ');
    }
    return rc;
}

int emu_routes_check(const emu_route *const *tables, const emu_resource *const *resources, FILE *err)
{
    int rc = 0;
    for (size_t i = 0; resources && resources[i]; i++)
        if (emu_resource_check(resources[i], err) != 0)
            rc = -1;
    route_list l;
    if (build_routes(&l, tables, resources) != 0)
        return -1;
    for (size_t i = 0; i < l.count; i++) {
        if (check_declared_params(&l.items[i].route, err) != 0)
            rc = -1;
        for (size_t j = i + 1; j < l.count; j++) {
            const emu_route *a = &l.items[i].route, *b = &l.items[j].route;
            if (strcmp(a->method, b->method) == 0 && patterns_tie(a->pattern, b->pattern)) {
                fprintf(err, "scalekit-emulator: routes %s %s and %s %s match the same requests\n",
                        a->method, a->pattern, b->method, b->pattern);
                rc = -1;
            }
        }
    }
    free(l.items);
    return rc;
}

/* The served route list, built once: its inputs are static data. */
static route_list served;
static int served_rc;
static pthread_once_t served_once = PTHREAD_ONCE_INIT;

static void build_served(void)
{
    served_rc = build_routes(&served, emu_route_tables, emu_resources);
}

/* The best route for the request; *path_matched tells 405 from 404. */
static const bound_route *find_route(emu_req *r, bool *path_matched)
{
    const bound_route *best = NULL;
    size_t best_score = 0;
    *path_matched = false;
    for (size_t i = 0; i < served.count; i++) {
        const bound_route *b = &served.items[i];
        size_t score;
        if (!match_route(b->route.pattern, r->path, r, &score))
            continue;
        *path_matched = true;
        if (strcmp(b->route.method, r->method) == 0 && (!best || score > best_score)) {
            best = b;
            best_score = score;
        }
    }
    clear_params(r);
    if (best) {
        size_t score;
        match_route(best->route.pattern, r->path, r, &score);
        r->pattern = best->route.pattern;
        r->params = best->route.params;
        r->resource = best->resource;
    }
    return best;
}

const char *emu_path_param(emu_req *r, const char *name)
{
    size_t n = strlen(name);
    if (r->params && !list_has(r->params, name, n)) {
        if (!r->missing_param) {
            r->missing_param = name;
            r->param_undeclared = true;
        }
        return NULL;
    }
    for (size_t i = 0; i < r->n_params; i++)
        if (strncmp(r->param_names[i], name, n) == 0 && r->param_names[i][n] == '}')
            return r->param_values[i];
    if (!r->missing_param)
        r->missing_param = name;
    return NULL;
}

const char *emu_query(emu_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

typedef struct query_scan {
    const char *name;
    json_t *values;
} query_scan;

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    query_scan *scan = cls;
    if (strcmp(key, scan->name) != 0)
        return MHD_YES;
    /* A value that is not UTF-8 is kept as "": no filter accepts it, so it is refused, not dropped. */
    json_t *v = json_string(value ? value : "");
    return json_array_append_new(scan->values, v ? v : json_string("")) == 0 ? MHD_YES : MHD_NO;
}

json_t *emu_query_values(emu_req *r, const char *name)
{
    query_scan scan = {name, json_array()};
    if (scan.values)
        MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, collect_query, &scan);
    return scan.values;
}

const char *emu_header(emu_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

void emu_peer_ip(emu_req *r, char *out, size_t n)
{
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    out[0] = '\0';
    const struct sockaddr *sa = info ? info->client_addr : NULL;
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)n);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)n);
}

json_t *emu_json_body(emu_req *r)
{
    if (!r->json_tried) {
        r->json_tried = true;
        r->json = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, NULL);
        if (r->json && !json_is_object(r->json)) {
            json_decref(r->json);
            r->json = NULL;
        }
    }
    return r->json;
}

/* Decode one form component: '+' is a space, then %XX. NULL when it holds a
 * NUL (%00), which would cut the value short (dispatch refuses such forms). */
static char *form_decode(const char *s, size_t len)
{
    char *out = strndup(s, len);
    if (!out)
        return NULL;
    for (char *c = out; *c; c++)
        if (*c == '+')
            *c = ' ';
    size_t n = MHD_http_unescape(out);
    if (strlen(out) != n) {
        free(out);
        return NULL;
    }
    return out;
}

const char *emu_form(emu_req *r, const char *name)
{
    if (!r->form) {
        r->form = json_object();
        const char *p = r->body;
        while (r->form && p && *p) {
            size_t len = strcspn(p, "&");
            const char *eq = memchr(p, '=', len);
            char *k = form_decode(p, eq ? (size_t)(eq - p) : len);
            char *v = eq ? form_decode(eq + 1, len - (size_t)(eq + 1 - p)) : strdup("");
            /* The first occurrence wins; a value that is not UTF-8 is dropped. */
            if (k && v && !json_object_get(r->form, k))
                json_object_set_new(r->form, k, json_string(v));
            free(k);
            free(v);
            p += len;
            if (*p == '&')
                p++;
        }
    }
    return json_string_value(json_object_get(r->form, name));
}

/* ---- replies ------------------------------------------------------------- */

int emu_reply_raw(emu_req *r, unsigned status, const char *content_type, const char *body, size_t len)
{
    free(r->resp_body);
    r->resp_body = malloc(len + 1);
    if (!r->resp_body)
        return -1;
    memcpy(r->resp_body, body, len);
    r->resp_body[len] = '\0';
    r->resp_len = len;
    r->status = status;
    r->content_type = content_type;
    r->replied = true;
    return 0;
}

int emu_reply_json(emu_req *r, unsigned status, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!text)
        return -1;
    int rc = emu_reply_raw(r, status, "application/json", text, strlen(text));
    free(text);
    return rc;
}

static int grpc_code_for_status(unsigned status)
{
    switch (status) {
    case 400: return 3;   /* INVALID_ARGUMENT */
    case 401: return 16;  /* UNAUTHENTICATED */
    case 403: return 7;   /* PERMISSION_DENIED */
    case 404: return 5;   /* NOT_FOUND */
    case 405: return 12;  /* UNIMPLEMENTED */
    case 409: return 6;   /* ALREADY_EXISTS */
    case 412: return 9;   /* FAILED_PRECONDITION */
    case 413: return 8;   /* RESOURCE_EXHAUSTED */
    case 429: return 8;   /* RESOURCE_EXHAUSTED */
    case 500: return 13;  /* INTERNAL */
    case 501: return 12;  /* UNIMPLEMENTED */
    case 503: return 14;  /* UNAVAILABLE */
    case 504: return 4;   /* DEADLINE_EXCEEDED */
    default: return 2;    /* UNKNOWN */
    }
}

/* Length of the valid UTF-8 sequence at @p p, 0 when it is not one (RFC 3629). */
static size_t utf8_sequence_len(const unsigned char *p)
{
    unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    /* no overlong forms, no surrogates, nothing above U+10FFFF */
    if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f) ||
        (c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] > 0x8f))
        return 0;
    return n;
}

/* Messages quote request values (decoded paths, truncated at a byte limit), and
 * JSON strings must be UTF-8: replace each byte that is not part of UTF-8 by '?'. */
static void utf8_scrub(char *s)
{
    unsigned char *p = (unsigned char *)s;
    while (*p) {
        size_t n = utf8_sequence_len(p);
        if (n == 0)
            *p++ = '?';
        else
            p += n;
    }
}

static int reply_api_error(emu_req *r, unsigned status, const char *error_code,
                           const char *message, const char *field, const char *description)
{
    json_t *info = json_pack("{s:s, s:s, s:{s:s}}",
                             "@type", "type.googleapis.com/scalekit.v1.errdetails.ErrorInfo",
                             "error_code", error_code, "request_info", "request_id", r->request_id);
    if (info && field)
        json_object_set_new(info, "validation_error_info",
                            json_pack("{s:[{s:s, s:s}]}", "field_violations", "field", field,
                                      "description", description));
    json_t *body = json_pack("{s:i, s:s, s:[o]}", "code", grpc_code_for_status(status),
                             "message", message, "details", info);
    return emu_reply_json(r, status, body);
}

int emu_reply_error(emu_req *r, unsigned status, const char *error_code, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    utf8_scrub(message);
    return reply_api_error(r, status, error_code, message, NULL, NULL);
}

int emu_reply_field_error(emu_req *r, const char *field, const char *description)
{
    char message[512], said[512];
    snprintf(message, sizeof message, "%s: %s", field, description);
    snprintf(said, sizeof said, "%s", description);
    utf8_scrub(message);
    utf8_scrub(said);
    return reply_api_error(r, 400, "INVALID_ARGUMENT", message, field, said);
}

int emu_reply_oauth_error(emu_req *r, unsigned status, const char *error, const char *description)
{
    if (status == 401 && emu_add_header(r, "WWW-Authenticate", "Basic realm=\"scalekit-emulator\"") < 0)
        return -1;
    return emu_reply_json(r, status, json_pack("{s:s, s:s}", "error", error,
                                               "error_description", description));
}

int emu_reply_redirect(emu_req *r, const char *location)
{
    /* The redirected request must not name the page that sent it (codes, state). */
    if (emu_add_header(r, "Location", location) < 0 || emu_add_header(r, "Referrer-Policy", "no-referrer") < 0)
        return -1;
    return emu_reply_raw(r, 302, "text/plain", "", 0);
}

const char emu_page_style[] =
    "*{box-sizing:border-box}"
    "body{font:1rem/1.5 system-ui,sans-serif;margin:0;color:#1b1b1f;background:#f4f5f8}"
    "main{max-width:28rem;margin:2rem auto;padding:1.5rem;background:#fff;border:1px solid #d5d7de;"
    "border-radius:.75rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}"
    "h1{font-size:1.5rem;margin:0 0 1rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}"
    "p{margin:.5rem 0}a{color:#0b57d0}"
    "article,fieldset{border:1px solid #c4c7cf;border-radius:.5rem;padding:1rem;margin:1rem 0;overflow-wrap:anywhere}"
    "legend{font-weight:600;padding:0 .25rem}"
    "label{display:block;font-weight:600;margin:.75rem 0 .25rem}"
    "input,select,textarea{font:inherit;width:100%;padding:.6rem .7rem;border:1px solid #767676;border-radius:.4rem}"
    "input:focus,button:focus,select:focus,textarea:focus,a:focus{outline:3px solid #0b57d0;outline-offset:2px}"
    "button{font:inherit;font-weight:600;margin-top:1rem;padding:.6rem 1rem;border:1px solid #0b57d0;"
    "border-radius:.4rem;background:#0b57d0;color:#fff;cursor:pointer;max-width:100%}"
    "button.secondary{background:#fff;color:#0b57d0}"
    "[role=alert]{color:#b3261e;font-weight:600}.note{color:#4a4d55;font-size:.9rem}"
    "@media (max-width:32rem){main{margin:0;border:0;border-radius:0;box-shadow:none}}";

/* The inline scripts a page may carry, each allowed by its hash; NULL-terminated. */
const char *const emu_page_scripts[] = {
    emu_webauthn_script,
    NULL
};

/* "'sha256-<base64>'" of @p text into @p out (at least 56 bytes). */
static bool csp_hash(const char *text, char *out)
{
    unsigned char md[32];
    unsigned int md_len = 0;
    if (!EVP_Digest(text, strlen(text), md, &md_len, EVP_sha256(), NULL))
        return false;
    memcpy(out, "'sha256-", 8);
    size_t n = skit_base64_encode(md, sizeof md, out + 8);
    memcpy(out + 8 + n, "'", 2);
    return true;
}

int emu_reply_html(emu_req *r, unsigned status, const char *html, const char *form_target)
{
    /* The pages need nothing but their own markup: no image or frame loads,
     * no script but emu_page_scripts and no style but emu_page_style (by
     * their hashes: no injected markup can run), no framing
     * (clickjacking), forms only to the emulator and the app the login
     * redirects to (browsers check form-action on the redirect). */
    if (form_target && strpbrk(form_target, " \t\r\n;,'\""))
        return -1;
    char style_hash[64], scripts[256] = "";
    if (!csp_hash(emu_page_style, style_hash))
        return -1;
    for (size_t i = 0; emu_page_scripts[i]; i++) {
        char h[64];
        size_t used = strlen(scripts);
        if (!csp_hash(emu_page_scripts[i], h) || used + strlen(h) + 2 > sizeof scripts)
            return -1;
        snprintf(scripts + used, sizeof scripts - used, " %s", h);
    }
    char csp[768];
    int n = snprintf(csp, sizeof csp, "default-src 'none'; style-src %s; script-src%s; form-action 'self'%s%s; "
                                      "frame-ancestors 'none'; base-uri 'none'", style_hash,
                     scripts[0] ? scripts : " 'none'", form_target ? " " : "", form_target ? form_target : "");
    if (n < 0 || (size_t)n >= sizeof csp || emu_add_header(r, "Content-Security-Policy", csp) < 0 ||
        emu_add_header(r, "X-Frame-Options", "DENY") < 0 ||
        emu_add_header(r, "Referrer-Policy", "no-referrer") < 0 ||
        emu_add_header(r, "X-Content-Type-Options", "nosniff") < 0)
        return -1;
    return emu_reply_raw(r, status, "text/html; charset=utf-8", html, strlen(html));
}

int emu_add_header(emu_req *r, const char *name, const char *value)
{
    if (r->n_headers >= EMU_MAX_HEADERS)
        return -1;
    char *n = strdup(name), *v = strdup(value);
    if (!n || !v) {
        free(n);
        free(v);
        return -1;
    }
    r->header_names[r->n_headers] = n;
    r->header_values[r->n_headers] = v;
    r->n_headers++;
    return 0;
}

/* ---- the request pipeline ---------------------------------------------------- */

/* /api/v1/directories/{id}/scim/...: SCIM, authenticated by the directory's
 * own secret (scim_protocol.c), and no JSON API exchange. */
static bool is_scim_path(const char *path)
{
    static const char prefix[] = "/api/v1/directories/";
    if (strncmp(path, prefix, sizeof prefix - 1) != 0)
        return false;
    const char *rest = strchr(path + sizeof prefix - 1, '/');
    return rest && strncmp(rest, "/scim/", 6) == 0;
}

static bool is_api_path(const char *path)
{
    return (strncmp(path, "/api/v1/", 8) == 0 || strcmp(path, "/api/v1") == 0) && !is_scim_path(path);
}

/* Check the bearer token of an /api/v1 request (api_auth.c decides who is
 * admitted); replies 401 with the API's error body itself on failure. */
static bool authenticate(emu *e, emu_req *r)
{
    const char *auth = emu_header(r, "Authorization");
    const char *why = "missing bearer token";
    if (auth && strncasecmp(auth, "Bearer ", 7) == 0 && auth[7] &&
        emu_api_auth_check(e, auth + 7, &r->token, &why) == 0) {
        if (skit_payload_json(r->token, &r->claims) != SCALEKIT_OK) {
            why = "token payload unreadable";
        } else if (!emu_org_client_may_call(r)) {
            emu_reply_error(r, 403, "PERMISSION_DENIED", "an organization API client's token may only read "
                            "its own organization (%s)", skit_json_string(r->claims, "oid"));
            return false;
        } else {
            return true;
        }
    }
    emu_add_header(r, "WWW-Authenticate", "Bearer");
    emu_reply_error(r, 401, "UNAUTHENTICATED", "unauthenticated: %s", why);
    return false;
}

/* Take the injected fault of this request, if any. The fault controls
 * themselves are never faulted, so a test can always clear. */
static bool take_fault(emu *e, const char *method, const char *path, emu_fault *f)
{
    return strcmp(path, "/_emulator/faults") != 0 && emu_faults_take(e, method, path, f);
}

/* Apply an injected fault (its delay is served already). Returns 1 when the
 * request is answered (or dropped: *drop), 0 to continue normally. */
static int apply_fault(emu_req *r, const emu_fault *fault, bool *drop)
{
    if (!fault)
        return 0;
    emu_fault f = *fault;
    if (f.drop) {
        *drop = true;
        return 1;
    }
    if (f.malformed) {
        static const char broken[] = "{\"this is\": not json";
        emu_reply_raw(r, f.status ? f.status : 200, "application/json", broken, sizeof broken - 1);
        return 1;
    }
    if (f.status == 0)
        return 0;
    if (f.retry_after >= 0) {
        char v[32];
        snprintf(v, sizeof v, "%ld", f.retry_after);
        emu_add_header(r, "Retry-After", v);
    }
    emu_reply_error(r, f.status, f.status == 429 ? "RESOURCE_EXHAUSTED" : "INJECTED_FAULT",
                    "injected fault: status %u", f.status);
    return 1;
}

static void clear_headers(emu_req *r)
{
    for (size_t i = 0; i < r->n_headers; i++) {
        free(r->header_names[i]);
        free(r->header_values[i]);
    }
    r->n_headers = 0;
}

/* A form body with a NUL in it (raw, or %00 once decoded): every value after
 * it would be cut short or change meaning, so such a form is refused whole. */
static bool form_has_nul(emu_req *r)
{
    const char *type = emu_header(r, "Content-Type");
    if (!type || !skit_ascii_iequal_n(type, "application/x-www-form-urlencoded", 33))
        return false;
    return memchr(r->body, '\0', r->body_len) || strstr(r->body, "%00");
}

static void refuse_nul(emu_req *r, const char *where)
{
    if (strncmp(r->path, "/oauth/", 7) == 0) {
        char why[96];
        snprintf(why, sizeof why, "NUL character (%%00) in the %s", where);
        emu_reply_oauth_error(r, 400, "invalid_request", why);
    } else {
        emu_reply_error(r, 400, "INVALID_ARGUMENT", "NUL character (%%00) in the %s", where);
    }
}

static void dispatch(emu *e, emu_req *r, const upload *up, bool *drop)
{
    if (apply_fault(r, up->has_fault ? &up->fault : NULL, drop))
        return;
    if (up->too_large) {
        emu_reply_error(r, 413, "REQUEST_TOO_LARGE", "request body exceeds %d bytes", EMU_MAX_BODY);
        return;
    }
    /* MHD hands out the path and query decoded: a %00 would end the value early
     * ("org_1%00x" read as "org_1"). */
    if (up->nul_in_uri) {
        refuse_nul(r, "path or query");
        return;
    }
    if (form_has_nul(r)) {
        refuse_nul(r, "form body");
        return;
    }
    bool path_matched;
    const bound_route *route = find_route(r, &path_matched);
    if (!route) {
        if (path_matched)
            emu_reply_error(r, 405, "METHOD_NOT_ALLOWED", "method %s not allowed on %s", r->method, r->path);
        else
            emu_reply_error(r, 404, "NOT_FOUND", "no route for %s %s", r->method, r->path);
        return;
    }
    if (is_api_path(r->path) && !authenticate(e, r))
        return;
    int rc = route->route.handler(e, r);
    if (r->missing_param) {
        /* A route table bug, never the client's: loud, so a test walking the routes catches it. */
        const char *why = r->param_undeclared ? "it does not declare" : "its pattern lacks";
        fprintf(stderr, "scalekit-emulator: route %s %s reads path parameter {%s} %s\n",
                route->route.method, route->route.pattern, r->missing_param, why);
        clear_headers(r);
        emu_reply_error(r, 500, "INTERNAL", "route %s %s reads path parameter {%s} %s",
                        route->route.method, route->route.pattern, r->missing_param, why);
    } else if (rc < 0 || !r->replied) {
        clear_headers(r);
        emu_reply_error(r, 500, "INTERNAL", "internal error handling %s %s", r->method, r->path);
    }
}

/* Every request gets an answer, even when building the proper one failed. */
static void dispatch_or_fail(emu *e, emu_req *r, const upload *up, bool *drop)
{
    dispatch(e, r, up, drop);
    if (!*drop && !r->replied) {
        static const char body[] = "{\"code\":13,\"message\":\"internal error\"}";
        clear_headers(r);
        emu_reply_raw(r, 500, "application/json", body, sizeof body - 1);
    }
}

static void free_request(emu_req *r)
{
    clear_params(r);
    json_decref(r->json);
    json_decref(r->form);
    skit_payload_release(r->token);
    free(r->resp_body);
    clear_headers(r);
}

static enum MHD_Result send_reply(emu_req *r)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(r->resp_len, r->resp_body,
                                                                MHD_RESPMEM_MUST_FREE);
    if (!resp)
        return MHD_NO;
    r->resp_body = NULL;   /* owned by the response now */
    MHD_add_response_header(resp, "Content-Type", r->content_type ? r->content_type : "text/plain");
    MHD_add_response_header(resp, "x-request-id", r->request_id);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    for (size_t i = 0; i < r->n_headers; i++)
        MHD_add_response_header(resp, r->header_names[i], r->header_values[i]);
    enum MHD_Result ret = MHD_queue_response(r->conn, r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* ---- request framing ------------------------------------------------------ */

typedef struct framing {
    const char *content_length;   /* the first value */
    bool conflicting_lengths;
    bool transfer_encoding;
} framing;

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    framing *f = cls;
    if (skit_ascii_iequal(key, "Content-Length")) {
        if (!f->content_length)
            f->content_length = value;
        else if (strcmp(f->content_length, value) != 0)
            f->conflicting_lengths = true;
    } else if (skit_ascii_iequal(key, "Transfer-Encoding")) {
        f->transfer_encoding = true;
    }
    return MHD_YES;
}

/* Why the body's length is ambiguous, or NULL. libmicrohttpd takes the first
 * Content-Length and lets Transfer-Encoding win over it; a proxy in front may
 * read it the other way, and the rest would be a second, smuggled request
 * (RFC 9112 section 6.3). So both are refused, and the connection closed. */
static const char *framing_problem(struct MHD_Connection *conn)
{
    framing f = {0};
    MHD_get_connection_values(conn, MHD_HEADER_KIND, count_framing, &f);
    if (f.conflicting_lengths)
        return "conflicting Content-Length headers";
    if (f.transfer_encoding && f.content_length)
        return "both Content-Length and Transfer-Encoding";
    return NULL;
}

/* ---- the access handler ------------------------------------------------------ */

/* Answer one request (or drop it); *upload is complete. */
static enum MHD_Result answer(emu *e, struct MHD_Connection *conn, const char *url,
                              const char *method, upload *up, const char *refusal)
{
    int64_t started = skit_monotonic_ms();
    emu_req r;
    memset(&r, 0, sizeof r);
    r.e = e;
    r.conn = conn;
    r.method = method;
    r.path = url;
    r.body = up->body.ptr ? up->body.ptr : "";
    r.body_len = up->body.len;
    char *rid = emu_new_id("req_", 12);
    snprintf(r.request_id, sizeof r.request_id, "%s", rid ? rid : "req_unknown");
    free(rid);

    bool drop = false;
    if (refusal) {
        emu_reply_error(&r, 400, "INVALID_ARGUMENT", "malformed request: %s", refusal);
        emu_add_header(&r, "Connection", "close");
    } else {
        dispatch_or_fail(e, &r, up, &drop);
    }
    if (!drop && is_api_path(url))
        emu_exchange_log_write(e, &r);
    enum MHD_Result ret = drop ? MHD_NO : send_reply(&r);
    if (!e->quiet)
        fprintf(stderr, "%s %s %u %lldms%s\n", method, url, drop ? 0 : r.status,
                (long long)(skit_monotonic_ms() - started), drop ? " (dropped)" : "");
    free_request(&r);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    emu *e = cls;
    upload *up = *con_cls;   /* made by on_uri */
    if (!up)
        return MHD_NO;
    if (!up->headers_seen) {
        up->headers_seen = true;
        const char *refusal = framing_problem(conn);
        if (refusal)   /* answered before any of the body is read */
            return answer(e, conn, url, method, up, refusal);
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        if (!up->too_large && up->body.len + *upload_data_size > EMU_MAX_BODY) {
            up->too_large = true;
            skit_buf_free(&up->body);
        }
        if (!up->too_large && skit_buf_put(&up->body, upload_data, *upload_data_size) != SCALEKIT_OK)
            return MHD_NO;
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (!up->fault_taken) {
        up->fault_taken = true;
        up->has_fault = take_fault(e, method, url, &up->fault);
        /* called again once the delay is over */
        if (up->has_fault && up->fault.delay_ms > 0 &&
            emu_delays_suspend(e, conn, up->fault.delay_ms))
            return MHD_YES;
    }
    return answer(e, conn, url, method, up, NULL);
}

/* The first callback of each request, with the URI still percent-encoded: the
 * only place a %00 that decoding turns into an early end can be seen. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    upload *up = calloc(1, sizeof *up);
    if (up)
        up->nul_in_uri = strstr(uri, "%00") != NULL;
    return up;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    upload *up = *con_cls;
    if (up) {
        skit_buf_free(&up->body);
        free(up);
        *con_cls = NULL;
    }
}

int emu_server_start(emu *e)
{
    pthread_once(&served_once, build_served);
    if (served_rc != 0 || emu_routes_check(emu_route_tables, emu_resources, stderr) != 0) {
        fprintf(stderr, "scalekit-emulator: the route list is refused\n");
        return -1;
    }
    struct sockaddr_in sa4;
    struct sockaddr_in6 sa6;
    struct sockaddr *sa;
    /* A small pool of epoll threads rather than a thread per connection, so
     * idle or slow connections cost a socket, not a thread; handlers never
     * sleep (injected delays suspend the connection: delays.c). */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME;
    const char *host = strcmp(e->host, "localhost") == 0 ? "127.0.0.1" : e->host;
    memset(&sa4, 0, sizeof sa4);
    memset(&sa6, 0, sizeof sa6);
    if (inet_pton(AF_INET, host, &sa4.sin_addr) == 1) {
        sa4.sin_family = AF_INET;
        sa4.sin_port = htons((uint16_t)e->port);
        sa = (struct sockaddr *)&sa4;
    } else if (inet_pton(AF_INET6, host, &sa6.sin6_addr) == 1) {
        sa6.sin6_family = AF_INET6;
        sa6.sin6_port = htons((uint16_t)e->port);
        sa = (struct sockaddr *)&sa6;
        flags |= MHD_USE_IPv6;
    } else {
        fprintf(stderr, "scalekit-emulator: --host %s is not an IP address\n", e->host);
        return -1;
    }
    if (emu_delays_start(e) != 0)
        return -1;
    e->daemon = MHD_start_daemon(flags, (uint16_t)e->port, NULL, NULL, on_request, e,
                                 MHD_OPTION_SOCK_ADDR, sa,
                                 MHD_OPTION_URI_LOG_CALLBACK, on_uri, e,
                                 MHD_OPTION_NOTIFY_COMPLETED, on_completed, e,
                                 MHD_OPTION_THREAD_POOL_SIZE, (unsigned)EMU_SERVER_THREADS,
                                 MHD_OPTION_CONNECTION_TIMEOUT, e->connection_timeout,
                                 MHD_OPTION_PER_IP_CONNECTION_LIMIT, e->max_connections_per_ip,
                                 MHD_OPTION_CONNECTION_LIMIT, (unsigned)EMU_MAX_CONNECTIONS,
                                 MHD_OPTION_END);
    if (!e->daemon) {
        fprintf(stderr, "scalekit-emulator: cannot listen on %s port %d\n", e->host, e->port);
        return -1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(e->daemon, MHD_DAEMON_INFO_BIND_PORT);
    if (info)
        e->port = info->port;
    if (sa == (struct sockaddr *)&sa6)
        snprintf(e->listen_url, sizeof e->listen_url, "http://[%s]:%d", host, e->port);
    else
        snprintf(e->listen_url, sizeof e->listen_url, "http://%s:%d", host, e->port);
    if (!e->url[0])   /* no public URL: clients see the listening address */
        snprintf(e->url, sizeof e->url, "%s", e->listen_url);
    return 0;
}

void emu_server_stop(emu *e)
{
    emu_delays_stop(e);   /* no connection may stay suspended through MHD_stop_daemon */
    if (e->daemon) {
        MHD_stop_daemon(e->daemon);
        e->daemon = NULL;
    }
    emu_delays_free(e);
}
