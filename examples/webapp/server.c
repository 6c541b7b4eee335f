/*
 * The HTTP server: libmicrohttpd with a small thread pool. It reads the
 * request (a POST body up to 1 MiB), finds the handler in app_routes, and sends
 * what the handler filled, with the headers every page gets.
 */
#include "app.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_BODY (1024 * 1024)
#define THREADS 4

typedef struct request_ctx {
    char *body;
    size_t len;
    bool too_large;
} request_ctx;

const char *app_query(const app_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *app_cookie(const app_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

const char *app_header(const app_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *app_session_cookie(const webapp *app)
{
    return app->secure ? "__Host-session" : "session";
}

const char *app_login_cookie(const webapp *app)
{
    return app->secure ? "__Host-signin" : "signin";
}

void app_redirect(app_response *res, const char *location)
{
    res->status = 303;
    free(res->location);
    res->location = strdup(location);
}

void app_set_cookie(webapp *app, app_response *res, const char *name, const char *value, long max_age)
{
    /* HttpOnly: page scripts cannot read it. SameSite=Lax: other sites' forms and
     * fetches do not carry it (no CSRF on POST /logout), while the top-level
     * redirect back from the hosted login still does. Secure over https. Max-Age
     * (and Expires for old browsers) bounds it; 0 deletes it. */
    char expires[64];
    time_t t = time(NULL) + (max_age > 0 ? max_age : -86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(expires, sizeof expires, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    for (size_t i = 0; i < APP_MAX_COOKIES; i++) {
        if (res->cookies[i])
            continue;
        size_t n = strlen(name) + strlen(value) + 160;
        res->cookies[i] = malloc(n);
        if (res->cookies[i])
            snprintf(res->cookies[i], n, "%s=%s; Path=/; Max-Age=%ld; Expires=%s; HttpOnly; SameSite=Lax%s",
                     name, value, max_age > 0 ? max_age : 0, expires, app->secure ? "; Secure" : "");
        return;
    }
}

void app_text(app_response *res, unsigned status, const char *text)
{
    res->status = status;
    res->content_type = "text/plain; charset=utf-8";
    free(res->body);
    res->body = strdup(text);
    res->body_len = res->body ? strlen(res->body) : 0;
}

static void not_found(webapp *app, const app_request *req, app_response *res)
{
    page_message(res, 404, "Page not found", "There is no page at this address.", "/", "Home", NULL);
}

static void method_not_allowed(webapp *app, const app_request *req, app_response *res)
{
    page_message(res, 405, "Method not allowed", "This page does not accept that kind of request.", "/",
                 "Home", NULL);
}

static void dispatch(webapp *app, const app_request *req, app_response *res)
{
    bool path_known = false;
    for (const app_route *r = app_routes; r->method; r++) {
        if (strcmp(r->path, req->path) != 0)
            continue;
        path_known = true;
        if (strcmp(r->method, req->method) == 0 ||
            (strcmp(r->method, "GET") == 0 && strcmp(req->method, "HEAD") == 0)) {
            r->handler(app, req, res);
            return;
        }
    }
    (path_known ? method_not_allowed : not_found)(app, req, res);
}

static enum MHD_Result send_response(webapp *app, struct MHD_Connection *conn, const app_request *req,
                                     app_response *res)
{
    if (!res->body && !res->location)
        page_message(res, 500, "Something went wrong", "The server could not answer. Try again.", "/", "Home", NULL);
    if (!res->body)
        res->body = strdup("");
    struct MHD_Response *r = MHD_create_response_from_buffer(res->body ? strlen(res->body) : 0,
                                                             res->body ? res->body : "", MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    unsigned status = res->status ? res->status : 500;
    MHD_add_response_header(r, "Content-Type", res->content_type ? res->content_type : "text/html; charset=utf-8");
    /* Every answer may be personal: never cached, never framed, no script or
     * remote content. The referrer goes to this site only (the callback's URL holds
     * the authorization code); "no-referrer" would also make the browser send
     * "Origin: null" on our own forms, which the sign-out's origin check refuses. */
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                            "frame-ancestors 'none'; base-uri 'none'");
    if (res->location)
        MHD_add_response_header(r, "Location", res->location);
    for (size_t i = 0; i < APP_MAX_COOKIES; i++)
        if (res->cookies[i])
            MHD_add_response_header(r, "Set-Cookie", res->cookies[i]);
    /* The log names the path, never the query: the callback's carries the code. */
    if (!app->config.quiet)
        fprintf(stderr, "webapp: %s %s %u\n", req->method, req->path, status);
    enum MHD_Result ok = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    webapp *app = cls;
    request_ctx *ctx = *con_cls;
    if (!ctx) {
        ctx = calloc(1, sizeof *ctx);
        *con_cls = ctx;
        return ctx ? MHD_YES : MHD_NO;
    }
    if (*upload_data_size) {
        if (!ctx->too_large && ctx->len + *upload_data_size <= MAX_BODY) {
            char *grown = realloc(ctx->body, ctx->len + *upload_data_size + 1);
            if (!grown)
                return MHD_NO;
            memcpy(grown + ctx->len, upload_data, *upload_data_size);
            ctx->body = grown;
            ctx->len += *upload_data_size;
            ctx->body[ctx->len] = '\0';
        } else {
            ctx->too_large = true;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    app_request req = {conn, method, url, ctx->body ? ctx->body : "", ctx->len};
    app_response res = {0};
    if (ctx->too_large)
        app_text(&res, 413, "request body too large\n");
    else
        dispatch(app, &req, &res);
    enum MHD_Result ok = send_response(app, conn, &req, &res);
    free(res.body);
    free(res.location);
    for (size_t i = 0; i < APP_MAX_COOKIES; i++)
        free(res.cookies[i]);
    return ok;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    request_ctx *ctx = *con_cls;
    if (ctx) {
        free(ctx->body);
        free(ctx);
        *con_cls = NULL;
    }
}

static char *joined(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s", a, b);
    return s;
}

/* Copy the config's strings, so the caller's may go away. */
static int copy_config(webapp *app, const webapp_config *c)
{
    app->config = *c;
    const char **fields[] = {&app->config.env_url, &app->config.client_id, &app->config.client_secret,
                             &app->config.webhook_secret, &app->config.organization_id, &app->config.host,
                             &app->config.public_url, &app->config.admin_permission};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        if (!*fields[i])
            continue;
        app->strings[i] = strdup(*fields[i]);
        if (!app->strings[i])
            return -1;
        *fields[i] = app->strings[i];
    }
    if (!app->config.host)
        app->config.host = "127.0.0.1";
    if (!app->config.admin_permission)
        app->config.admin_permission = "members:read";
    if (app->config.session_lifetime_seconds <= 0)
        app->config.session_lifetime_seconds = 8 * 3600;
    if (app->config.refresh_margin_seconds <= 0)
        app->config.refresh_margin_seconds = 30;
    return 0;
}

static int listen_on(webapp *app)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)app->config.port)};
    if (inet_pton(AF_INET, app->config.host, &sa.sin_addr) != 1) {
        fprintf(stderr, "webapp: --host %s is not an IPv4 address\n", app->config.host);
        return -1;
    }
    app->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, (uint16_t)app->config.port,
                                   NULL, NULL, on_request, app,
                                   MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                                   MHD_OPTION_NOTIFY_COMPLETED, on_completed, app,
                                   MHD_OPTION_THREAD_POOL_SIZE, (unsigned)THREADS,
                                   MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
                                   MHD_OPTION_END);
    if (!app->daemon) {
        fprintf(stderr, "webapp: cannot listen on %s port %d\n", app->config.host, app->config.port);
        return -1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(app->daemon, MHD_DAEMON_INFO_BIND_PORT);
    app->port = info ? info->port : app->config.port;
    return 0;
}

int webapp_start(const webapp_config *config, webapp **out)
{
    *out = NULL;
    if (!config || !config->env_url || !config->client_id || !config->client_secret) {
        fprintf(stderr, "webapp: the environment URL, client id and client secret are required\n");
        return -1;
    }
    webapp *app = calloc(1, sizeof *app);
    if (!app)
        return -1;
    pthread_mutex_init(&app->refresh_lock, NULL);
    int rc = copy_config(app, config);
    if (rc == 0 && scalekit_client_new(&app->client, app->config.env_url, app->config.client_id,
                                       app->config.client_secret) != SCALEKIT_OK) {
        fprintf(stderr, "webapp: %s\n", scalekit_error_last()->message);
        rc = -1;
    }
    app->sessions = rc == 0 ? sessions_new(app->config.session_lifetime_seconds) : NULL;
    app->events = app->sessions ? event_log_new() : NULL;
    rc = app->events ? listen_on(app) : -1;
    if (rc == 0) {
        char local[64];
        snprintf(local, sizeof local, "http://%s:%d", app->config.host, app->port);
        const char *base = app->config.public_url ? app->config.public_url : local;
        app->url = strdup(base);
        if (app->url && *app->url && app->url[strlen(app->url) - 1] == '/')
            app->url[strlen(app->url) - 1] = '\0';
        app->secure = strncasecmp(base, "https://", 8) == 0;
        app->callback_url = app->url ? joined(app->url, "/callback") : NULL;
        app->signed_out_url = app->url ? joined(app->url, "/signed-out") : NULL;
        rc = app->callback_url && app->signed_out_url ? 0 : -1;
    }
    if (rc != 0) {
        webapp_stop(app);
        return -1;
    }
    *out = app;
    return 0;
}

void webapp_stop(webapp *app)
{
    if (!app)
        return;
    if (app->daemon)
        MHD_stop_daemon(app->daemon);
    event_log_free(app->events);
    sessions_free(app->sessions);
    scalekit_client_free(app->client);
    pthread_mutex_destroy(&app->refresh_lock);
    for (size_t i = 0; i < sizeof app->strings / sizeof *app->strings; i++)
        free(app->strings[i]);
    free(app->url);
    free(app->callback_url);
    free(app->signed_out_url);
    free(app);
}

const char *webapp_url(const webapp *app)
{
    return app ? app->url : NULL;
}

int webapp_port(const webapp *app)
{
    return app ? app->port : 0;
}
