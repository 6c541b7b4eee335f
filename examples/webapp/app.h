/*
 * What the files of the example share: the app, a request, a response, and
 * the handlers the route table (routes.c) names. server.c turns
 * libmicrohttpd's callbacks into these; each handler fills one response.
 */
#ifndef WEBAPP_APP_H
#define WEBAPP_APP_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <scalekit/scalekit.h>

#include "sessions.h"
#include "webapp.h"

typedef struct event_log event_log;

struct webapp {
    webapp_config config;        /* the strings point into the copies below */
    char *strings[8];            /* the config's strings, copied */
    char *url;                   /* what the browser uses, no trailing '/' */
    char *callback_url;          /* url + "/callback": the redirect URI */
    char *signed_out_url;        /* url + "/signed-out": where logout returns */
    bool secure;                 /* served over https: cookies get Secure */
    scalekit_client *client;     /* one client, shared by every thread */
    session_store *sessions;
    event_log *events;
    /* One token refresh at a time (signin.c): refresh tokens rotate, so two
     * threads refreshing one session would present the same token twice, which
     * the server takes as a stolen token and answers by revoking the session. */
    pthread_mutex_t refresh_lock;
    struct MHD_Daemon *daemon;
    int port;
};

typedef struct app_request {
    struct MHD_Connection *conn;
    const char *method;
    const char *path;            /* without the query */
    const char *body;            /* POST bodies; NUL-terminated */
    size_t body_len;
} app_request;

#define APP_MAX_COOKIES 2

typedef struct app_response {
    unsigned status;
    const char *content_type;    /* NULL: text/html */
    char *body;                  /* malloc'd */
    size_t body_len;
    char *location;              /* malloc'd; a redirect's target */
    char *cookies[APP_MAX_COOKIES]; /* malloc'd Set-Cookie values */
} app_response;

typedef void (*app_handler)(webapp *app, const app_request *req, app_response *res);

typedef struct app_route {
    const char *method;
    const char *path;
    app_handler handler;
} app_route;

extern const app_route app_routes[];

/* ---- server.c: request and response helpers ---- */

/* A query argument, cookie or header of the request (NULL when absent). */
const char *app_query(const app_request *req, const char *name);
const char *app_cookie(const app_request *req, const char *name);
const char *app_header(const app_request *req, const char *name);
/* A redirect (303 See Other) to @p location. */
void app_redirect(app_response *res, const char *location);
/* Add a Set-Cookie: @p value with the app's flags, for @p max_age seconds (0: delete it). */
void app_set_cookie(webapp *app, app_response *res, const char *name, const char *value, long max_age);
/* A plain-text answer (webhooks). */
void app_text(app_response *res, unsigned status, const char *text);

/* The cookies' names: the __Host- prefix (RFC 6265bis) when served over https,
 * so the browser refuses them unless Secure, Path=/ and without Domain. */
const char *app_session_cookie(const webapp *app);
const char *app_login_cookie(const webapp *app);

/* ---- pages.c: HTML ---- */

/* Start a page: the caller writes the main content into the returned stream,
 * then calls page_end. @p user names the signed-in user in the header (NULL: signed out). */
FILE *page_begin(app_response *res, unsigned status, const char *title, const session_data *user);
void page_end(FILE *f, app_response *res);
/* Write @p text HTML-escaped. */
void html(FILE *f, const char *text);
/* A UTC time, "2026-12-03 10:42:00 UTC". */
void html_time(FILE *f, int64_t t);
/* A whole page holding one message and, when @p href is set, one link. */
void page_message(app_response *res, unsigned status, const char *title, const char *message,
                  const char *href, const char *link_text, const session_data *user);

/* ---- signin.c: the signed-in user ---- */

/* The session of this request's cookie with tokens that are fresh (refreshed
 * when the access token is about to expire or the session was marked stale).
 * NULL when signed out: then, when the request carried a session cookie that is
 * no longer (or never was) valid, *@p had_cookie is set. Release the result
 * with sessions_release(app->sessions, ...). */
session_data *app_current_user(webapp *app, const app_request *req, session_info *info, bool *had_cookie);
/* For pages that need a signed-in user: that user, or NULL after filling @p res
 * with a redirect to sign-in (no cookie) or a page saying the session ended. */
session_data *app_require_user(webapp *app, const app_request *req, app_response *res, session_info *info);

/* Whether @p list (NULL-terminated) holds @p name. */
bool app_has(char *const *list, const char *name);

/* ---- the handlers ---- */
void handle_home(webapp *app, const app_request *req, app_response *res);
void handle_account(webapp *app, const app_request *req, app_response *res);
void handle_signed_out(webapp *app, const app_request *req, app_response *res);
void handle_login(webapp *app, const app_request *req, app_response *res);
void handle_callback(webapp *app, const app_request *req, app_response *res);
void handle_logout(webapp *app, const app_request *req, app_response *res);
void handle_admin(webapp *app, const app_request *req, app_response *res);
void handle_webhook(webapp *app, const app_request *req, app_response *res);
void handle_events(webapp *app, const app_request *req, app_response *res);

/* ---- webhooks.c: the latest events ---- */
event_log *event_log_new(void);
void event_log_free(event_log *log);

#endif
