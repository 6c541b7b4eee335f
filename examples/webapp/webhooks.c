/*
 * POST /webhooks receives Scalekit's signed deliveries; GET /events shows the
 * latest ones. A delivery is trusted only after scalekit_verify_webhook_payload
 * has checked its signature and timestamp over the raw body; then its event
 * is recorded once (Scalekit retries, so one event can arrive twice), and an
 * event that can change someone's roles or permissions marks their sessions
 * stale so their next request refreshes the tokens (signin.c).
 */
#include "app.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KEEP 50   /* events shown; also the window of duplicate detection */

typedef struct event {
    char *delivery_id;        /* webhook-id */
    char *type;
    char *event_id;
    char *organization_id;
    char *user_email;
    int64_t received_at;
} event;

struct event_log {
    pthread_mutex_t lock;
    event items[KEEP];        /* a ring: next is the oldest slot */
    size_t next;
    size_t count;
};

event_log *event_log_new(void)
{
    event_log *log = calloc(1, sizeof *log);
    if (log && pthread_mutex_init(&log->lock, NULL) != 0) {
        free(log);
        return NULL;
    }
    return log;
}

static void event_clear(event *ev)
{
    free(ev->delivery_id);
    free(ev->type);
    free(ev->event_id);
    free(ev->organization_id);
    free(ev->user_email);
    memset(ev, 0, sizeof *ev);
}

void event_log_free(event_log *log)
{
    if (!log)
        return;
    for (size_t i = 0; i < KEEP; i++)
        event_clear(&log->items[i]);
    pthread_mutex_destroy(&log->lock);
    free(log);
}

static char *copy(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Record @p ev (taking its strings) unless its delivery was seen; false when it was. */
static bool record(event_log *log, event *ev)
{
    pthread_mutex_lock(&log->lock);
    bool seen = false;
    for (size_t i = 0; i < log->count && !seen; i++)
        seen = strcmp(log->items[i].delivery_id, ev->delivery_id) == 0;
    if (!seen) {
        event_clear(&log->items[log->next]);
        log->items[log->next] = *ev;
        log->next = (log->next + 1) % KEEP;
        if (log->count < KEEP)
            log->count++;
    }
    pthread_mutex_unlock(&log->lock);
    if (seen)
        event_clear(ev);
    return !seen;
}

/* Events after which a user's token may no longer say the truth about them. */
static bool changes_access(const char *type)
{
    return strncmp(type, "user.organization_membership_", 29) == 0 || strncmp(type, "role.", 5) == 0 ||
           strncmp(type, "permission.", 11) == 0 || strcmp(type, "user.deleted") == 0;
}

void handle_webhook(webapp *app, const app_request *req, app_response *res)
{
    if (!app->config.webhook_secret) {
        app_text(res, 503, "no webhook secret configured: deliveries cannot be verified\n");
        return;
    }
    static const char *const names[] = {"webhook-id", "webhook-timestamp", "webhook-signature"};
    scalekit_header headers[3];
    size_t n = 0;
    for (size_t i = 0; i < 3; i++) {
        const char *v = app_header(req, names[i]);
        if (v)
            headers[n++] = (scalekit_header){names[i], v};
    }
    int rc = scalekit_verify_webhook_payload(NULL, app->config.webhook_secret, headers, n, req->body, req->body_len);
    if (rc != SCALEKIT_OK) {
        /* Nothing of an unverified body is read, stored or shown. */
        char why[160];
        snprintf(why, sizeof why, "delivery refused: %s\n", scalekit_strerror(rc));
        app_text(res, 401, why);
        return;
    }
    json_error_t err;
    json_t *body = json_loadb(req->body, req->body_len, 0, &err);
    const char *type = json_string_value(json_object_get(body, "type"));
    if (!type) {
        json_decref(body);
        app_text(res, 400, "the event has no type\n");
        return;
    }
    json_t *user = json_object_get(json_object_get(body, "data"), "user");
    const char *user_id = json_string_value(json_object_get(user, "id"));
    event ev = {copy(app_header(req, "webhook-id")), copy(type),
                copy(json_string_value(json_object_get(body, "id"))),
                copy(json_string_value(json_object_get(body, "organization_id"))),
                copy(json_string_value(json_object_get(user, "email"))), (int64_t)time(NULL)};
    if (!ev.delivery_id || !ev.type) {
        event_clear(&ev);
        json_decref(body);
        app_text(res, 500, "out of memory\n");
        return;
    }
    if (record(app->events, &ev) && changes_access(type)) {
        /* A membership event names its user; a role or permission event may touch anyone. */
        bool one_user = strncmp(type, "user.", 5) == 0 && user_id;
        sessions_mark_stale(app->sessions, one_user ? user_id : NULL);
    }
    json_decref(body);
    app_text(res, 200, "ok\n");
}

void handle_events(webapp *app, const app_request *req, app_response *res)
{
    session_info info;
    session_data *user = app_require_user(app, req, res, &info);
    if (!user)
        return;
    FILE *f = page_begin(res, 200, "Latest events", user);
    if (f) {
        fputs("<section>\n<p class=\"muted\">Webhook deliveries whose signature verified, newest first.</p>\n", f);
        pthread_mutex_lock(&app->events->lock);
        event_log *log = app->events;
        /* A list rather than a table: four columns do not fit a phone. */
        fputs(log->count ? "<ol id=\"events\" class=\"items\">\n" : "<p id=\"no-events\">No events yet.</p>\n", f);
        for (size_t i = 0; i < log->count; i++) {
            const event *ev = &log->items[(log->next + KEEP - 1 - i) % KEEP];
            fputs("<li><strong>", f);
            html(f, ev->type);
            fputs("</strong><br><span class=\"muted\">", f);
            html_time(f, ev->received_at);
            if (ev->user_email) {
                fputs(" · ", f);
                html(f, ev->user_email);
            }
            if (ev->organization_id) {
                fputs(" · ", f);
                html(f, ev->organization_id);
            }
            fputs("</span></li>\n", f);
        }
        if (log->count)
            fputs("</ol>\n", f);
        pthread_mutex_unlock(&app->events->lock);
        fputs("</section>\n", f);
    }
    page_end(f, res);
    sessions_release(app->sessions, user);
}
