/*
 * Webhook deliveries (Standard Webhooks): events are queued by emu_event_emit
 * and POSTed by one background thread to the webhook URL, signed with the
 * webhook secret, retried with exponential backoff, abandoned on stop.
 */
#include "environment.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>
#include <openssl/hmac.h>

#define MAX_ATTEMPTS 6
#define FIRST_BACKOFF_MS 500
#define DELIVERY_TIMEOUT_MS 5000

typedef struct delivery {
    struct delivery *next;
    char *id;
    char *body;
    int attempts;
    int64_t not_before_ms;
} delivery;

struct emu_events {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    bool stopping;
    CURLM *in_flight;   /* the delivery being sent, so stop can wake it */
    delivery *head;
    uint64_t delivered;
};

static void delivery_free(delivery *d)
{
    if (d) {
        free(d->id);
        free(d->body);
        free(d);
    }
}

/* "v1,<base64 HMAC-SHA256(key, id.timestamp.body)>" into @p out; false on a bad secret. */
static bool sign(const char *secret, const char *id, int64_t ts, const char *body, char *out, size_t outlen)
{
    const char *b64 = strncmp(secret, "whsec_", 6) == 0 ? secret + 6 : secret;
    unsigned char *key = NULL;
    size_t key_len = 0;
    if (skit_base64_decode(b64, strlen(b64), &key, &key_len) != SCALEKIT_OK)
        return false;
    skit_buf content = SKIT_BUF_INIT;
    skit_buf_printf(&content, "%s.%lld.", id, (long long)ts);
    skit_buf_puts(&content, body);
    unsigned char mac[32];
    unsigned int mac_len = 0;
    bool ok = content.ptr && HMAC(EVP_sha256(), key, (int)key_len, (unsigned char *)content.ptr,
                                  content.len, mac, &mac_len) != NULL;
    free(key);
    skit_buf_free(&content);
    if (!ok || outlen < 4 + skit_base64_encoded_len(mac_len) + 1)
        return false;
    memcpy(out, "v1,", 3);
    out[3 + skit_base64_encode(mac, mac_len, out + 3)] = '\0';
    return true;
}

static size_t discard(char *ptr, size_t size, size_t n, void *ud)
{
    return size * n;
}

/* Run @p curl to completion, or until stop: a multi handle that stop can wake,
 * so a receiver that never answers cannot hold stop for the whole timeout. */
static CURLcode perform_unless_stopping(emu_events *ev, CURL *curl)
{
    CURLM *multi = curl_multi_init();
    if (!multi || curl_multi_add_handle(multi, curl) != CURLM_OK) {
        curl_multi_cleanup(multi);
        return CURLE_OUT_OF_MEMORY;
    }
    pthread_mutex_lock(&ev->lock);
    ev->in_flight = multi;
    bool stopping = ev->stopping;
    pthread_mutex_unlock(&ev->lock);
    CURLcode rc = CURLE_ABORTED_BY_CALLBACK;
    int running = 1;
    while (!stopping) {
        if (curl_multi_perform(multi, &running) != CURLM_OK) {
            rc = CURLE_FAILED_INIT;
            break;
        }
        if (!running) {
            int left;
            CURLMsg *msg = curl_multi_info_read(multi, &left);
            rc = msg && msg->msg == CURLMSG_DONE ? msg->data.result : CURLE_FAILED_INIT;
            break;
        }
        curl_multi_poll(multi, NULL, 0, 1000, NULL);
        pthread_mutex_lock(&ev->lock);
        stopping = ev->stopping;
        pthread_mutex_unlock(&ev->lock);
    }
    pthread_mutex_lock(&ev->lock);
    ev->in_flight = NULL;
    pthread_mutex_unlock(&ev->lock);
    curl_multi_remove_handle(multi, curl);
    curl_multi_cleanup(multi);
    return rc;
}

/* One attempt; true when the receiver answered 2xx. */
static bool deliver(emu *e, const delivery *d)
{
    int64_t ts = skit_now();
    char sig[128], h_id[160], h_ts[64], h_sig[160];
    if (!sign(e->webhook_secret, d->id, ts, d->body, sig, sizeof sig))
        return false;
    snprintf(h_id, sizeof h_id, "webhook-id: %s", d->id);
    snprintf(h_ts, sizeof h_ts, "webhook-timestamp: %lld", (long long)ts);
    snprintf(h_sig, sizeof h_sig, "webhook-signature: %s", sig);
    CURL *curl = curl_easy_init();
    if (!curl)
        return false;
    struct curl_slist *headers = NULL, *tmp;
    const char *lines[] = {"Content-Type: application/json", h_id, h_ts, h_sig};
    for (size_t i = 0; i < 4; i++) {
        tmp = curl_slist_append(headers, lines[i]);
        if (!tmp)
            break;
        headers = tmp;
    }
    curl_easy_setopt(curl, CURLOPT_URL, e->webhook_url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, d->body);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(d->body));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)DELIVERY_TIMEOUT_MS);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    long status = 0;
    CURLcode rc = perform_unless_stopping(e->events, curl);
    if (rc == CURLE_OK)
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (!e->quiet)
        fprintf(stderr, "webhook %s -> %s: %s %ld\n", d->id, e->webhook_url,
                rc == CURLE_OK ? "HTTP" : curl_easy_strerror(rc), status);
    return rc == CURLE_OK && status >= 200 && status < 300;
}

static void *run(void *arg)
{
    emu *e = arg;
    emu_events *ev = e->events;
    pthread_mutex_lock(&ev->lock);
    while (!ev->stopping) {
        delivery *d = ev->head;
        if (!d) {
            pthread_cond_wait(&ev->wake, &ev->lock);
            continue;
        }
        int64_t wait_ms = d->not_before_ms - skit_monotonic_ms();
        if (wait_ms > 0) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += wait_ms / 1000;
            until.tv_nsec += (wait_ms % 1000) * 1000000L;
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&ev->wake, &ev->lock, &until);
            continue;
        }
        ev->head = d->next;
        pthread_mutex_unlock(&ev->lock);
        bool ok = deliver(e, d);
        pthread_mutex_lock(&ev->lock);
        if (ok) {
            ev->delivered++;
            delivery_free(d);
        } else if (++d->attempts >= MAX_ATTEMPTS || ev->stopping) {
            if (!e->quiet)
                fprintf(stderr, "webhook %s abandoned after %d attempts\n", d->id, d->attempts);
            delivery_free(d);
        } else {
            /* Back to the end of the queue, with exponential backoff. */
            d->not_before_ms = skit_monotonic_ms() + ((int64_t)FIRST_BACKOFF_MS << (d->attempts - 1));
            d->next = NULL;
            delivery **tail = &ev->head;
            while (*tail)
                tail = &(*tail)->next;
            *tail = d;
        }
    }
    pthread_mutex_unlock(&ev->lock);
    return NULL;
}

int emu_events_start(emu *e)
{
    emu_events *ev = calloc(1, sizeof *ev);
    if (!ev)
        return -1;
    pthread_mutex_init(&ev->lock, NULL);
    pthread_cond_init(&ev->wake, NULL);
    e->events = ev;
    if (pthread_create(&ev->thread, NULL, run, e) != 0) {
        pthread_cond_destroy(&ev->wake);
        pthread_mutex_destroy(&ev->lock);
        free(ev);
        e->events = NULL;
        return -1;
    }
    return 0;
}

void emu_events_stop(emu *e)
{
    emu_events *ev = e->events;
    if (!ev)
        return;
    pthread_mutex_lock(&ev->lock);
    ev->stopping = true;
    if (ev->in_flight)
        curl_multi_wakeup(ev->in_flight);
    pthread_cond_broadcast(&ev->wake);
    pthread_mutex_unlock(&ev->lock);
    pthread_join(ev->thread, NULL);
    while (ev->head) {
        delivery *d = ev->head;
        ev->head = d->next;
        delivery_free(d);
    }
    pthread_cond_destroy(&ev->wake);
    pthread_mutex_destroy(&ev->lock);
    free(ev);
    e->events = NULL;
}

uint64_t emu_events_delivered(emu *e)
{
    if (!e->events)
        return 0;
    pthread_mutex_lock(&e->events->lock);
    uint64_t n = e->events->delivered;
    pthread_mutex_unlock(&e->events->lock);
    return n;
}

/* "organization.created" -> "Organization"; "directory_user.updated" -> "DirectoryUser". */
static void object_name(const char *type, char *out, size_t outlen)
{
    size_t n = 0;
    bool upper = true;
    for (const char *p = type; *p && *p != '.' && n + 1 < outlen; p++) {
        if (*p == '_') {
            upper = true;
            continue;
        }
        out[n++] = upper ? (char)toupper((unsigned char)*p) : *p;
        upper = false;
    }
    out[n] = '\0';
}

int emu_event_emit(emu *e, const char *type, const char *organization_id, json_t *object_data)
{
    if (!e->webhook_url || !e->events || !type)
        return 0;
    char object[64];
    object_name(type, object, sizeof object);
    char *id = emu_new_id("evt_", 12);
    json_t *event = id ? json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:o}", "spec_version", "1", "id", id,
                                   "type", type, "occurred_at", emu_json_time(skit_now()),
                                   "environment_id", e->environment_id, "object", object,
                                   "data", object_data ? json_deep_copy(object_data) : json_object()) : NULL;
    if (event && organization_id)
        json_object_set_new(event, "organization_id", json_string(organization_id));
    char *body = event ? json_dumps(event, JSON_COMPACT) : NULL;
    json_decref(event);
    delivery *d = body ? calloc(1, sizeof *d) : NULL;
    if (!d) {
        free(id);
        free(body);
        return -1;
    }
    d->id = id;
    d->body = body;
    d->not_before_ms = skit_monotonic_ms();
    pthread_mutex_lock(&e->events->lock);
    delivery **tail = &e->events->head;
    while (*tail)
        tail = &(*tail)->next;
    *tail = d;
    pthread_cond_signal(&e->events->wake);
    pthread_mutex_unlock(&e->events->lock);
    return 0;
}
