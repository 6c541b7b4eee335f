/* `scalekit webhook verify` and `scalekit webhook listen`. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <curl/curl.h>
#include <jansson.h>

#include "cli.h"
#include "loopback.h"

#define MAX_BODY (1024 * 1024)

static const char *const hook_headers[] = {"webhook-id", "webhook-timestamp", "webhook-signature"};

/* `name: value` lines into headers (names and values point into @p text, which is changed). */
static size_t parse_headers(char *text, scalekit_header *out, size_t max)
{
    size_t n = 0;
    for (char *save = NULL, *line = strtok_r(text, "\r\n", &save); line && n < max;
         line = strtok_r(NULL, "\r\n", &save)) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        *colon = '\0';
        char *v = colon + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        out[n++] = (scalekit_header){ line, v };
    }
    return n;
}

static int webhook_secret(cli_run *r, char **secret)
{
    int rc = cli_secret(r, "secret", "SCALEKIT_WEBHOOK_SECRET", secret);
    if (rc == SCALEKIT_OK && !*secret) {
        fputs("scalekit: no webhook secret: set SCALEKIT_WEBHOOK_SECRET, or give --secret-file FILE "
              "or --secret-stdin\n", r->io->err);
        return CLI_EXIT(CLI_EXIT_USAGE);
    }
    return rc;
}

int cli_cmd_webhook_verify(cli_run *r)
{
    const char *headers_path = cli_str(r, "headers"), *payload_path = cli_str(r, "payload");
    if (!headers_path) {
        fputs("scalekit: webhook verify needs --headers FILE (webhook-id, webhook-timestamp and "
              "webhook-signature as `name: value` lines)\n", r->io->err);
        return CLI_EXIT(CLI_EXIT_USAGE);
    }
    if ((!payload_path || strcmp(payload_path, "-") == 0) &&
        (strcmp(headers_path, "-") == 0 || cli_bool(r, "secret-stdin"))) {
        fputs("scalekit: only one of --headers, --payload and the secret can come from standard input\n",
              r->io->err);
        return CLI_EXIT(CLI_EXIT_USAGE);
    }
    char *secret = NULL, *htext = NULL, *payload = NULL;
    size_t len = 0;
    int rc = webhook_secret(r, &secret);
    if (rc == SCALEKIT_OK)
        rc = cli_read_input(r, headers_path, &htext, NULL);
    if (rc == SCALEKIT_OK)
        rc = cli_read_input(r, payload_path, &payload, &len);
    if (rc == SCALEKIT_OK) {
        scalekit_header h[32];
        size_t n = parse_headers(htext, h, 32);
        /* An interceptor call is signed the same way under interceptor-* headers. */
        rc = cli_bool(r, "interceptor") ? scalekit_verify_interceptor_payload(NULL, secret, h, n, payload, len)
                                        : scalekit_verify_webhook_payload(NULL, secret, h, n, payload, len);
        if (rc == SCALEKIT_OK) {
            fputs("verified: the signature matches and the timestamp is within 5 minutes\n", r->io->out);
        } else {
            const scalekit_error *e = scalekit_error_last();
            fprintf(r->io->out, "not verified: %s: %s\n", scalekit_strerror(rc), e->message ? e->message : "");
            rc = CLI_EXIT(cli_exit_status(rc));
        }
    }
    free(secret);
    free(htext);
    free(payload);
    return rc;
}

/* ---- listen ---------------------------------------------------------------- */

typedef struct listener {
    cli_run *r;
    const char *secret;        /* NULL: print deliveries unverified */
    const char *forward;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    unsigned long received;
} listener;

typedef struct upload {
    char *body;
    size_t len;
    bool too_big;
    bool delivery;     /* answered as a delivery: counted once the answer is sent */
} upload;

static volatile sig_atomic_t stop_signal;
static void on_stop_signal(int sig) { stop_signal = sig; }

static size_t discard(char *p, size_t size, size_t n, void *u) { (void)p; (void)u; return size * n; }

/* POST the delivery on to the user's app; its HTTP status, or 0 when unreachable. */
static long forward(const char *url, const scalekit_header *h, size_t n, const upload *u)
{
    CURL *c = curl_easy_init();
    if (!c)
        return 0;
    struct curl_slist *list = curl_slist_append(NULL, "Content-Type: application/json");
    for (size_t i = 0; i < n; i++) {
        char line[1024];
        snprintf(line, sizeof line, "%s: %s", h[i].name, h[i].value);
        list = curl_slist_append(list, line);
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, u->body ? u->body : "");
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)u->len);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(list);
    curl_easy_cleanup(c);
    return status;
}

static void print_delivery(listener *l, const scalekit_header *h, const upload *u, int rc, long fwd)
{
    cli_run *r = l->r;
    json_t *payload = json_loadb(u->body ? u->body : "", u->len, 0, NULL);
    json_t *d = json_object();
    json_object_set_new(d, "id", json_string(h[0].value ? h[0].value : ""));
    json_object_set_new(d, "type", json_incref(json_object_get(payload, "type")));
    json_object_set_new(d, "verified", json_boolean(l->secret && rc == SCALEKIT_OK));
    if (l->secret && rc != SCALEKIT_OK)
        json_object_set_new(d, "why", json_string(scalekit_strerror(rc)));
    if (l->forward)
        json_object_set_new(d, "forwarded_status", json_integer(fwd));
    json_object_set_new(d, "payload", payload ? payload : json_stringn(u->body ? u->body : "", u->len));
    if (r->mode == CLI_TABLE) {
        char *body = json_dumps(json_object_get(d, "payload"), JSON_INDENT(2) | JSON_ENCODE_ANY);
        fprintf(r->io->out, "%s  %s  %s%s\n%s\n", json_string_value(json_object_get(d, "type")) ?
                json_string_value(json_object_get(d, "type")) : "(no type)", h[0].value ? h[0].value : "-",
                !l->secret ? "unverified (no secret)" : rc == SCALEKIT_OK ? "verified" : "NOT VERIFIED: ",
                l->secret && rc != SCALEKIT_OK ? scalekit_strerror(rc) : "", body ? body : "");
        if (l->forward)
            fprintf(r->io->out, "  -> %s: %ld\n", l->forward, fwd);
        free(body);
    } else {
        json_dumpf(d, r->io->out, r->mode == CLI_JSON ? JSON_INDENT(2) : JSON_COMPACT);
        fputc('\n', r->io->out);
    }
    fflush(r->io->out);
    json_decref(d);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *data_size, void **con_cls)
{
    listener *l = cls;
    upload *u = *con_cls;
    if (!u) {
        if (strcmp(method, "POST") != 0)
            return cli_http_respond(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain",
                                    "POST webhook deliveries here\n");
        if (!(u = calloc(1, sizeof *u)))
            return MHD_NO;
        *con_cls = u;
        return MHD_YES;
    }
    if (*data_size) {
        if (u->len + *data_size > MAX_BODY) {
            u->too_big = true;
        } else {
            char *grown = realloc(u->body, u->len + *data_size + 1);
            if (!grown)
                return MHD_NO;
            u->body = grown;
            memcpy(u->body + u->len, data, *data_size);
            u->len += *data_size;
            u->body[u->len] = '\0';
        }
        *data_size = 0;
        return MHD_YES;
    }
    if (u->too_big)
        return cli_http_respond(conn, MHD_HTTP_CONTENT_TOO_LARGE, "text/plain", "payload too large\n");
    scalekit_header h[3];
    for (size_t i = 0; i < 3; i++)
        h[i] = (scalekit_header){ hook_headers[i],
                                  MHD_lookup_connection_value(conn, MHD_HEADER_KIND, hook_headers[i]) };
    size_t n = 0;
    scalekit_header present[3];
    for (size_t i = 0; i < 3; i++)
        if (h[i].value)
            present[n++] = h[i];
    const char *body = u->body ? u->body : "";
    int rc = l->secret ? scalekit_verify_webhook_payload(NULL, l->secret, present, n, body, u->len) : SCALEKIT_OK;
    long fwd = (rc == SCALEKIT_OK && l->forward) ? forward(l->forward, present, n, u) : 0;
    pthread_mutex_lock(&l->lock);
    print_delivery(l, h, u, rc, fwd);
    pthread_mutex_unlock(&l->lock);
    u->delivery = true;
    return rc == SCALEKIT_OK ? cli_http_respond(conn, MHD_HTTP_OK, "text/plain", "ok\n")
                             : cli_http_respond(conn, MHD_HTTP_BAD_REQUEST, "text/plain",
                                                "signature does not verify\n");
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    listener *l = cls;
    upload *u = *con_cls;
    if (u && u->delivery) {
        pthread_mutex_lock(&l->lock);
        l->received++;
        pthread_cond_broadcast(&l->cond);
        pthread_mutex_unlock(&l->lock);
    }
    if (u) {
        free(u->body);
        free(u);
        *con_cls = NULL;
    }
}

int cli_cmd_webhook_listen(cli_run *r)
{
    uint32_t port = 0, count = 0, timeout = 0;
    int rc = cli_port(r, &port);
    if (CLI_IS_EXIT(rc) || CLI_IS_EXIT(rc = cli_uint(r, "timeout", &timeout)))
        return rc;
    if (CLI_IS_EXIT(rc = cli_uint(r, "count", &count)))
        return rc;
    char *secret = NULL;
    if ((rc = cli_secret(r, "secret", "SCALEKIT_WEBHOOK_SECRET", &secret)) != SCALEKIT_OK)
        return rc;
    listener l = { .r = r, .secret = secret, .forward = cli_str(r, "forward") };
    /* libcurl's global state, before the server's thread may first forward (it is reference counted). */
    if (l.forward && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        free(secret);
        return SCALEKIT_EINTERNAL;
    }
    pthread_mutex_init(&l.lock, NULL);
    pthread_cond_init(&l.cond, NULL);

    unsigned bound = 0;
    struct MHD_Daemon *d = cli_loopback_start(r, port, on_request, &l, on_completed, &bound);
    if (!d) {
        rc = CLI_EXIT(CLI_EXIT_NETWORK);
        goto out;
    }
    /* Catch the stop signals before saying we listen, so a signal sent on that line stops us cleanly. */
    struct sigaction sa_stop, old_int, old_term;
    memset(&sa_stop, 0, sizeof sa_stop);
    sa_stop.sa_handler = on_stop_signal;
    stop_signal = 0;
    sigaction(SIGINT, &sa_stop, &old_int);
    sigaction(SIGTERM, &sa_stop, &old_term);
    fprintf(r->io->err, "listening on http://127.0.0.1:%u/ (%s)%s%s; Ctrl-C stops\n",
            bound, secret ? "verifying signatures" : "no secret: NOT verifying",
            l.forward ? ", forwarding to " : "", l.forward ? l.forward : "");
    fflush(r->io->err);

    time_t deadline = timeout ? time(NULL) + (time_t)timeout : 0;
    bool timed_out = false;
    pthread_mutex_lock(&l.lock);
    while (!stop_signal && (count == 0 || l.received < count) &&
           !(timed_out = deadline && time(NULL) >= deadline)) {
        /* Wake up now and then to notice a signal; a delivery wakes us at once. */
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 200 * 1000000L;
        if (until.tv_nsec >= 1000000000L)
            until.tv_sec++, until.tv_nsec -= 1000000000L;
        pthread_cond_timedwait(&l.cond, &l.lock, &until);
    }
    pthread_mutex_unlock(&l.lock);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    MHD_stop_daemon(d);
    fprintf(r->io->err, "stopped after %lu deliver%s%s\n", l.received, l.received == 1 ? "y" : "ies",
            timed_out ? " (--timeout)" : "");
    /* Waiting for --count deliveries that did not all come is a failure a script must see. */
    rc = timed_out && count ? CLI_EXIT(CLI_EXIT_NETWORK) : SCALEKIT_OK;
out:
    if (l.forward)
        curl_global_cleanup();
    pthread_cond_destroy(&l.cond);
    pthread_mutex_destroy(&l.lock);
    free(secret);
    return rc;
}
