/* A scriptable HTTP server for unit tests; see mock_http.h. */
#include "mock_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <microhttpd.h>

typedef struct scripted {
    char *method;      /* NULL: any */
    char *path;
    int status;
    char *body;
    char *headers;
    long delay_ms;
    bool drop;
    struct scripted *next;
} scripted;

struct mock_http {
    struct MHD_Daemon *daemon;
    char url[64];
    pthread_mutex_t mu;
    atomic_bool stopping;
    scripted *queue;        /* FIFO, all paths */
    scripted *defaults;     /* one per path */
    mock_request **requests;
    size_t request_count, request_cap;
    char *token_prefix;
    long token_expires_in;
    long token_delay_ms;
    unsigned tokens_issued;
};

/* Per connection-request state, created by the URI logger with the raw URI. */
typedef struct pending {
    char *uri;
    char *body;
    size_t body_len;
    bool headers_seen;
} pending;

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p) {
        fprintf(stderr, "mock_http: out of memory\n");
        abort();
    }
    return p;
}

static char *xstrdup(const char *s)
{
    if (!s)
        return NULL;
    char *p = strdup(s);
    if (!p) {
        fprintf(stderr, "mock_http: out of memory\n");
        abort();
    }
    return p;
}

static void scripted_free(scripted *s)
{
    if (!s)
        return;
    free(s->method);
    free(s->path);
    free(s->body);
    free(s->headers);
    free(s);
}

static scripted *scripted_new(const char *method, const char *path, const mock_response *r)
{
    scripted *s = xcalloc(1, sizeof *s);
    s->method = xstrdup(method);
    s->path = xstrdup(path);
    s->status = r->status ? r->status : 200;
    s->body = xstrdup(r->body);
    s->headers = xstrdup(r->headers);
    s->delay_ms = r->delay_ms;
    s->drop = r->drop;
    return s;
}

static void request_free(mock_request *r)
{
    if (!r)
        return;
    free(r->method);
    free(r->path);
    free(r->query);
    free(r->body);
    for (size_t i = 0; i < r->header_count; i++) {
        free(r->header_names[i]);
        free(r->header_values[i]);
    }
    free(r->header_names);
    free(r->header_values);
    free(r);
}

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
    mock_request *r = cls;
    r->header_names = realloc(r->header_names, (r->header_count + 1) * sizeof(char *));
    r->header_values = realloc(r->header_values, (r->header_count + 1) * sizeof(char *));
    if (!r->header_names || !r->header_values)
        abort();
    r->header_names[r->header_count] = xstrdup(key);
    r->header_values[r->header_count] = xstrdup(value ? value : "");
    r->header_count++;
    return MHD_YES;
}

/* Sleep up to @p ms, waking early when the server stops. */
static void interruptible_sleep(mock_http *m, long ms)
{
    while (ms > 0 && !atomic_load(&m->stopping)) {
        long step = ms < 5 ? ms : 5;
        struct timespec ts = {0, step * 1000000L};
        nanosleep(&ts, NULL);
        ms -= step;
    }
}

/* Under mu: the first queued answer for this request, unlinked, or NULL. */
static scripted *take_queued(mock_http *m, const char *method, const char *path)
{
    for (scripted **pp = &m->queue; *pp; pp = &(*pp)->next) {
        scripted *s = *pp;
        if (strcmp(s->path, path) == 0 && (!s->method || strcmp(s->method, method) == 0)) {
            *pp = s->next;
            s->next = NULL;
            return s;
        }
    }
    return NULL;
}

/* Under mu: a copy of the default answer for @p path, or the built-in one. */
static scripted *default_answer(mock_http *m, const char *method, const char *path)
{
    for (scripted *s = m->defaults; s; s = s->next) {
        if (strcmp(s->path, path) == 0) {
            mock_response r = {s->status, s->body, s->headers, s->delay_ms, s->drop};
            return scripted_new(s->method, s->path, &r);
        }
    }
    char body[256];
    mock_response r = {0};
    if (strcmp(path, "/oauth/token") == 0 && strcmp(method, "POST") == 0) {
        snprintf(body, sizeof body,
                 "{\"access_token\":\"%s-%u\",\"token_type\":\"Bearer\",\"expires_in\":%ld}",
                 m->token_prefix, ++m->tokens_issued, m->token_expires_in);
        r.status = 200;
        r.delay_ms = m->token_delay_ms;
    } else {
        snprintf(body, sizeof body,
                 "{\"code\":5,\"message\":\"mock_http: nothing scripted for %.40s %.120s\"}",
                 method, path);
        r.status = 404;
    }
    r.body = body;
    return scripted_new(method, path, &r);
}

static void record(mock_http *m, const char *method, const char *uri, pending *p,
                   struct MHD_Connection *conn)
{
    mock_request *r = xcalloc(1, sizeof *r);
    r->method = xstrdup(method);
    const char *q = strchr(uri, '?');
    r->path = q ? strndup(uri, (size_t)(q - uri)) : xstrdup(uri);
    r->query = xstrdup(q ? q + 1 : "");
    r->body = xcalloc(1, p->body_len + 1);
    if (p->body_len)
        memcpy(r->body, p->body, p->body_len);
    r->body_len = p->body_len;
    MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_header, r);
    if (m->request_count == m->request_cap) {
        m->request_cap = m->request_cap ? m->request_cap * 2 : 16;
        m->requests = realloc(m->requests, m->request_cap * sizeof *m->requests);
        if (!m->requests)
            abort();
    }
    m->requests[m->request_count++] = r;
}

static void add_headers(struct MHD_Response *resp, const char *headers, bool *has_type)
{
    if (!headers)
        return;
    char *copy = xstrdup(headers);
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        *colon = '\0';
        char *value = colon + 1;
        while (*value == ' ')
            value++;
        size_t vl = strlen(value);
        if (vl && value[vl - 1] == '\r')
            value[vl - 1] = '\0';
        if (strcasecmp(line, "content-type") == 0)
            *has_type = true;
        MHD_add_response_header(resp, line, value);
    }
    free(copy);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **req_cls)
{
    mock_http *m = cls;
    pending *p = *req_cls;
    if (!p)
        return MHD_NO;
    if (!p->headers_seen) {
        p->headers_seen = true;
        return MHD_YES;
    }
    if (*upload_data_size) {
        p->body = realloc(p->body, p->body_len + *upload_data_size);
        if (!p->body)
            abort();
        memcpy(p->body + p->body_len, upload_data, *upload_data_size);
        p->body_len += *upload_data_size;
        *upload_data_size = 0;
        return MHD_YES;
    }

    pthread_mutex_lock(&m->mu);
    record(m, method, p->uri, p, conn);
    const mock_request *rec = m->requests[m->request_count - 1];
    scripted *s = take_queued(m, method, rec->path);
    if (!s)
        s = default_answer(m, method, rec->path);
    pthread_mutex_unlock(&m->mu);

    interruptible_sleep(m, s->delay_ms);
    if (s->drop || atomic_load(&m->stopping)) {
        scripted_free(s);
        return MHD_NO;   /* closes the connection without an answer */
    }
    const char *body = s->body ? s->body : "";
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
    bool has_type = false;
    add_headers(resp, s->headers, &has_type);
    if (!has_type)
        MHD_add_response_header(resp, "Content-Type", "application/json");
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)s->status, resp);
    MHD_destroy_response(resp);
    scripted_free(s);
    return ret;
}

static void *log_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    pending *p = calloc(1, sizeof *p);
    if (p)
        p->uri = strdup(uri ? uri : "/");
    return p;
}

static void completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                      enum MHD_RequestTerminationCode toe)
{
    pending *p = *req_cls;
    if (!p)
        return;
    free(p->uri);
    free(p->body);
    free(p);
    *req_cls = NULL;
}

mock_http *mock_http_start(void)
{
    mock_http *m = xcalloc(1, sizeof *m);
    pthread_mutex_init(&m->mu, NULL);
    atomic_init(&m->stopping, false);
    m->token_prefix = xstrdup("mock-token");
    m->token_expires_in = 3600;
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = 0;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    m->daemon = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD,
                                 0, NULL, NULL, handle, m,
                                 MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
                                 MHD_OPTION_URI_LOG_CALLBACK, log_uri, m,
                                 MHD_OPTION_NOTIFY_COMPLETED, completed, m,
                                 MHD_OPTION_END);
    if (!m->daemon) {
        fprintf(stderr, "mock_http: cannot start the server\n");
        abort();
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(m->daemon, MHD_DAEMON_INFO_BIND_PORT);
    snprintf(m->url, sizeof m->url, "http://127.0.0.1:%u", info ? (unsigned)info->port : 0u);
    return m;
}

static void clear_scripts(mock_http *m)
{
    for (scripted *s = m->queue, *n; s; s = n) {
        n = s->next;
        scripted_free(s);
    }
    for (scripted *s = m->defaults, *n; s; s = n) {
        n = s->next;
        scripted_free(s);
    }
    m->queue = m->defaults = NULL;
}

static void clear_requests(mock_http *m)
{
    for (size_t i = 0; i < m->request_count; i++)
        request_free(m->requests[i]);
    m->request_count = 0;
}

void mock_http_stop(mock_http *m)
{
    if (!m)
        return;
    atomic_store(&m->stopping, true);
    MHD_stop_daemon(m->daemon);
    clear_scripts(m);
    clear_requests(m);
    free(m->requests);
    free(m->token_prefix);
    pthread_mutex_destroy(&m->mu);
    free(m);
}

const char *mock_http_url(const mock_http *m)
{
    return m->url;
}

void mock_http_enqueue_ex(mock_http *m, const char *method, const char *path,
                          const mock_response *response)
{
    scripted *s = scripted_new(method, path, response);
    pthread_mutex_lock(&m->mu);
    scripted **pp = &m->queue;
    while (*pp)
        pp = &(*pp)->next;
    *pp = s;
    pthread_mutex_unlock(&m->mu);
}

void mock_http_enqueue(mock_http *m, const char *method, const char *path, int status,
                       const char *body)
{
    mock_response r = {.status = status, .body = body};
    mock_http_enqueue_ex(m, method, path, &r);
}

void mock_http_set_default(mock_http *m, const char *path, const mock_response *response)
{
    scripted *s = scripted_new(NULL, path, response);
    pthread_mutex_lock(&m->mu);
    for (scripted **pp = &m->defaults; *pp; pp = &(*pp)->next) {
        if (strcmp((*pp)->path, path) == 0) {
            scripted *old = *pp;
            *pp = old->next;
            scripted_free(old);
            break;
        }
    }
    s->next = m->defaults;
    m->defaults = s;
    pthread_mutex_unlock(&m->mu);
}

void mock_http_set_token(mock_http *m, const char *prefix, long expires_in, long delay_ms)
{
    pthread_mutex_lock(&m->mu);
    free(m->token_prefix);
    m->token_prefix = xstrdup(prefix ? prefix : "mock-token");
    m->token_expires_in = expires_in;
    m->token_delay_ms = delay_ms;
    pthread_mutex_unlock(&m->mu);
}

size_t mock_http_request_count(mock_http *m)
{
    pthread_mutex_lock(&m->mu);
    size_t n = m->request_count;
    pthread_mutex_unlock(&m->mu);
    return n;
}

size_t mock_http_count(mock_http *m, const char *path)
{
    size_t n = 0;
    pthread_mutex_lock(&m->mu);
    for (size_t i = 0; i < m->request_count; i++)
        if (!path || strcmp(m->requests[i]->path, path) == 0)
            n++;
    pthread_mutex_unlock(&m->mu);
    return n;
}

const mock_request *mock_http_request(mock_http *m, size_t index)
{
    pthread_mutex_lock(&m->mu);
    const mock_request *r = index < m->request_count ? m->requests[index] : NULL;
    pthread_mutex_unlock(&m->mu);
    return r;
}

const mock_request *mock_http_request_for(mock_http *m, const char *path, size_t nth)
{
    const mock_request *found = NULL;
    pthread_mutex_lock(&m->mu);
    for (size_t i = 0; i < m->request_count && !found; i++)
        if (strcmp(m->requests[i]->path, path) == 0 && nth-- == 0)
            found = m->requests[i];
    pthread_mutex_unlock(&m->mu);
    return found;
}

const char *mock_request_header(const mock_request *r, const char *name)
{
    if (!r)
        return NULL;
    for (size_t i = 0; i < r->header_count; i++)
        if (strcasecmp(r->header_names[i], name) == 0)
            return r->header_values[i];
    return NULL;
}

void mock_http_reset(mock_http *m)
{
    pthread_mutex_lock(&m->mu);
    clear_scripts(m);
    clear_requests(m);
    m->tokens_issued = 0;
    pthread_mutex_unlock(&m->mu);
}
