/*
 * Webhook deliveries (Standard Webhooks) through a durable outbox:
 * emu_event_emit inserts the event into the store's outbox table inside the
 * caller's transaction, so an event exists exactly when its write committed.
 * One background thread, woken by each commit, POSTs the oldest undelivered
 * row to the webhook URL, signed with the webhook secret, retrying it with
 * exponential backoff before it looks at any later row: events reach the
 * receiver in commit order across the whole environment. Rows not yet
 * delivered when the process stops (or dies) are sent after a restart on the
 * same data file, under their original webhook-id.
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

struct emu_events {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    bool stopping;
    uint64_t commits;   /* bumped by each commit: a new row may be pending */
    CURLM *in_flight;   /* the delivery being sent, so stop can wake it */
    uint64_t delivered;
};

/* Wall-clock milliseconds: outbox times outlive the process. */
static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
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
static bool deliver(emu *e, const char *id, const char *body)
{
    int64_t ts = skit_now();
    char sig[128], h_id[160], h_ts[64], h_sig[160];
    if (!sign(e->webhook_secret, id, ts, body, sig, sizeof sig))
        return false;
    snprintf(h_id, sizeof h_id, "webhook-id: %s", id);
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
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
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
        fprintf(stderr, "webhook %s -> %s: %s %ld\n", id, e->webhook_url,
                rc == CURLE_OK ? "HTTP" : curl_easy_strerror(rc), status);
    return rc == CURLE_OK && status >= 200 && status < 300;
}

/* Wait on ev->wake (ev->lock held) until a commit or stop, or at most @p ms (< 0: no limit). */
static void wait_for_commit(emu_events *ev, uint64_t seen, int64_t ms)
{
    if (ev->stopping || ev->commits != seen)
        return;
    if (ms < 0) {
        pthread_cond_wait(&ev->wake, &ev->lock);
        return;
    }
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&ev->wake, &ev->lock, &until);
}

/* Record the outcome of one attempt on outbox row @p seq. */
static void record_attempt(emu *e, const json_t *row, bool ok)
{
    int64_t seq = json_integer_value(json_object_get(row, "seq"));
    int attempts = (int)json_integer_value(json_object_get(row, "attempts")) + 1;
    int64_t now = wall_ms();
    if (ok) {
        emu_db_exec(e->store, "UPDATE outbox SET attempts = ?, delivered_at = ? WHERE seq = ?", "iii",
                    (int64_t)attempts, now, seq);
    } else if (attempts >= MAX_ATTEMPTS) {
        if (!e->quiet)
            fprintf(stderr, "webhook %s abandoned after %d attempts\n", skit_json_string(row, "id"), attempts);
        emu_db_exec(e->store, "UPDATE outbox SET attempts = ?, abandoned_at = ? WHERE seq = ?", "iii",
                    (int64_t)attempts, now, seq);
    } else {
        emu_db_exec(e->store, "UPDATE outbox SET attempts = ?, next_attempt_at = ? WHERE seq = ?", "iii",
                    (int64_t)attempts, now + ((int64_t)FIRST_BACKOFF_MS << (attempts - 1)), seq);
    }
}

static void *run(void *arg)
{
    emu *e = arg;
    emu_events *ev = e->events;
    pthread_mutex_lock(&ev->lock);
    while (!ev->stopping) {
        uint64_t seen = ev->commits;
        pthread_mutex_unlock(&ev->lock);
        /* The oldest undelivered row blocks every later one: no event overtakes another. */
        json_t *row = e->webhook_url
            ? emu_db_row(e->store, "SELECT seq, id, body, attempts, next_attempt_at FROM outbox "
                                   "WHERE delivered_at IS NULL AND abandoned_at IS NULL ORDER BY seq LIMIT 1", "")
            : NULL;
        int64_t wait_ms = row ? json_integer_value(json_object_get(row, "next_attempt_at")) - wall_ms() : -1;
        bool ok = false, attempted = false;
        if (row && wait_ms <= 0) {
            attempted = true;
            ok = deliver(e, skit_json_string(row, "id"), skit_json_string(row, "body"));
        }
        pthread_mutex_lock(&ev->lock);
        /* An attempt cut short by stop does not count: the row is sent again on the next start. */
        if (attempted && (ok || !ev->stopping)) {
            pthread_mutex_unlock(&ev->lock);
            record_attempt(e, row, ok);
            pthread_mutex_lock(&ev->lock);
            ev->delivered += ok;
        } else if (!attempted) {
            wait_for_commit(ev, seen, wait_ms);
        }
        json_decref(row);
    }
    pthread_mutex_unlock(&ev->lock);
    return NULL;
}

/* The store's commit hook: a committed transaction may have added outbox rows. */
static void on_commit(void *arg)
{
    emu_events *ev = arg;
    pthread_mutex_lock(&ev->lock);
    ev->commits++;
    pthread_cond_signal(&ev->wake);
    pthread_mutex_unlock(&ev->lock);
}

int emu_events_start(emu *e)
{
    emu_events *ev = calloc(1, sizeof *ev);
    if (!ev)
        return -1;
    pthread_mutex_init(&ev->lock, NULL);
    pthread_cond_init(&ev->wake, NULL);
    e->events = ev;
    emu_store_set_commit_hook(e->store, on_commit, ev);
    if (pthread_create(&ev->thread, NULL, run, e) != 0) {
        emu_store_set_commit_hook(e->store, NULL, NULL);
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
    emu_store_set_commit_hook(e->store, NULL, NULL);
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
    char object[64];
    object_name(type ? type : "", object, sizeof object);
    return emu_event_emit_object(e, type, object, organization_id, object_data);
}

int emu_event_emit_object(emu *e, const char *type, const char *object, const char *organization_id,
                          json_t *object_data)
{
    if (!e->webhook_url || !e->events || !type)
        return 0;
    char *id = emu_new_id("evt_", 12);
    json_t *event = id ? json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:o}", "spec_version", "1", "id", id,
                                   "type", type, "occurred_at", emu_json_time(skit_now()),
                                   "environment_id", e->environment_id, "object", object,
                                   "data", object_data ? json_deep_copy(object_data) : json_object()) : NULL;
    if (event && organization_id)
        json_object_set_new(event, "organization_id", json_string(organization_id));
    char *body = event ? json_dumps(event, JSON_COMPACT) : NULL;
    json_decref(event);
    /* Inside the caller's transaction this is a savepoint: the row commits with the write. */
    int rc = -1;
    if (body && emu_tx_begin(e->store) == 0) {
        if (emu_db_exec(e->store, "INSERT INTO outbox(id, type, body, next_attempt_at) VALUES (?, ?, ?, ?)",
                        "sssi", id, type, body, wall_ms()) == 1) {
            rc = emu_tx_commit(e->store);
        } else {
            emu_tx_rollback(e->store);
        }
    }
    free(id);
    free(body);
    return rc;
}
