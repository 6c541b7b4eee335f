/*
 * The HTTP transport on libcurl: one share handle per client (DNS cache, TLS
 * sessions, connection pool) and a fresh easy handle per attempt, so threads
 * never contend for a handle yet still reuse connections. skit_http_send runs
 * attempts and asks the retry policy (retry.c, pure) what each one calls for:
 * done, a new API token, another attempt after a delay, or failure.
 */
#include <stdlib.h>
#include <string.h>

#include "client_internal.h"
#include "retry.h"

static pthread_once_t curl_init_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_result = CURLE_FAILED_INIT;

static void curl_init(void)
{
    curl_init_result = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static void share_lock(CURL *handle, curl_lock_data data, curl_lock_access access, void *userptr)
{
    skit_core *core = userptr;
    if (data >= 0 && data < CURL_LOCK_DATA_LAST)
        pthread_mutex_lock(&core->share_locks[data]);
}

static void share_unlock(CURL *handle, curl_lock_data data, void *userptr)
{
    skit_core *core = userptr;
    if (data >= 0 && data < CURL_LOCK_DATA_LAST)
        pthread_mutex_unlock(&core->share_locks[data]);
}

int skit_http_core_init(skit_core *core)
{
    pthread_once(&curl_init_once, curl_init);
    if (curl_init_result != CURLE_OK)
        return skit_error_set(SCALEKIT_EINTERNAL, "curl_global_init failed: %s",
                              curl_easy_strerror(curl_init_result));
    CURLSH *share = curl_share_init();
    if (!share)
        return skit_error_oom();
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_init(&core->share_locks[i], NULL);
    if (curl_share_setopt(share, CURLSHOPT_LOCKFUNC, share_lock) ||
        curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, share_unlock) ||
        curl_share_setopt(share, CURLSHOPT_USERDATA, core) ||
        curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS) ||
        curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION) ||
        curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT)) {
        curl_share_cleanup(share);
        for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
            pthread_mutex_destroy(&core->share_locks[i]);
        return skit_error_set(SCALEKIT_EINTERNAL, "libcurl share setup failed");
    }
    core->share = share;
    return SCALEKIT_OK;
}

void skit_http_core_cleanup(skit_core *core)
{
    if (!core->share)
        return;
    curl_share_cleanup(core->share);
    core->share = NULL;
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_destroy(&core->share_locks[i]);
}

/* ---- one attempt -------------------------------------------------------- */

typedef struct attempt {
    skit_buf body;
    bool too_large;
    bool out_of_memory;
    char *request_id;
    long retry_after_ms;
    long status;
    CURLcode curl_code;
    char curl_error[CURL_ERROR_SIZE];
} attempt;

static void attempt_cleanup(attempt *a)
{
    skit_buf_free(&a->body);
    free(a->request_id);
    a->request_id = NULL;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userp)
{
    attempt *a = userp;
    size_t n = size * nmemb;
    if (n > SKIT_MAX_RESPONSE_BYTES - a->body.len) {
        a->too_large = true;
        return 0;
    }
    if (skit_buf_put(&a->body, data, n)) {
        a->out_of_memory = true;
        return 0;
    }
    return n;
}

/* Retry-After: delay-seconds or an HTTP date (RFC 9110 section 10.2.3). */
static long parse_retry_after(const char *value)
{
    if (*value >= '0' && *value <= '9') {
        char *end;
        long secs = strtol(value, &end, 10);
        if (*end != '\0' || secs < 0)
            return -1;
        return secs > 86400 ? 86400L * 1000 : secs * 1000;
    }
    time_t when = curl_getdate(value, NULL);
    if (when < 0)
        return -1;
    int64_t delta = (int64_t)when - skit_now();
    if (delta < 0)
        delta = 0;
    return delta > 86400 ? 86400L * 1000 : (long)delta * 1000;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *userp)
{
    attempt *a = userp;
    size_t n = size * nmemb;
    if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
        /* A new response (after 100 Continue): forget the headers of the last one. */
        free(a->request_id);
        a->request_id = NULL;
        a->retry_after_ms = -1;
        return n;
    }
    const char *colon = memchr(data, ':', n);
    if (!colon)
        return n;
    size_t name_len = (size_t)(colon - data);
    const char *value = colon + 1;
    size_t value_len = n - name_len - 1;
    while (value_len && (*value == ' ' || *value == '\t')) {
        value++;
        value_len--;
    }
    while (value_len && (value[value_len - 1] == '\r' || value[value_len - 1] == '\n' ||
                         value[value_len - 1] == ' ' || value[value_len - 1] == '\t'))
        value_len--;
    if (name_len == 12 && skit_ascii_iequal_n(data, "x-request-id", 12) && value_len) {
        free(a->request_id);
        a->request_id = strndup(value, value_len);
    } else if (name_len == 11 && skit_ascii_iequal_n(data, "retry-after", 11) && value_len < 64) {
        char text[64];
        memcpy(text, value, value_len);
        text[value_len] = '\0';
        a->retry_after_ms = parse_retry_after(text);
    }
    return n;
}

static bool method_known(const char *m)
{
    return m && (strcmp(m, "GET") == 0 || strcmp(m, "POST") == 0 || strcmp(m, "PUT") == 0 ||
                 strcmp(m, "PATCH") == 0 || strcmp(m, "DELETE") == 0);
}

static struct curl_slist *add_header(struct curl_slist *list, bool *failed, const char *line)
{
    struct curl_slist *next = curl_slist_append(list, line);
    if (!next) {
        *failed = true;
        return list;
    }
    return next;
}

/* Run one HTTP exchange; fills @p a (status or curl_code). Returns ENOMEM/EINTERNAL
 * only for local failures; network and HTTP outcomes are left to the caller. */
static int run_attempt(const skit_core *core, const skit_request *req, const char *url,
                       const char *bearer, attempt *a)
{
    memset(a, 0, sizeof *a);
    a->retry_after_ms = -1;
    CURL *h = curl_easy_init();
    if (!h)
        return skit_error_oom();

    bool failed = false;
    struct curl_slist *headers = NULL;
    headers = add_header(headers, &failed, "Accept: application/json");
    headers = add_header(headers, &failed, "x-sdk-version: C/" SCALEKIT_VERSION);
    headers = add_header(headers, &failed, "x-api-version: " SKIT_API_VERSION);
    /* No "Expect: 100-continue" round trip for small bodies. */
    headers = add_header(headers, &failed, "Expect:");
    skit_buf line = SKIT_BUF_INIT;
    if (req->body) {
        failed |= skit_buf_printf(&line, "Content-Type: %s",
                                  req->content_type ? req->content_type : "application/json") != 0;
        if (!failed)
            headers = add_header(headers, &failed, line.ptr);
        line.len = 0;
    }
    if (bearer) {
        failed |= skit_buf_printf(&line, "Authorization: Bearer %s", bearer) != 0;
        if (!failed)
            headers = add_header(headers, &failed, line.ptr);
    }
    if (line.ptr)
        memset(line.ptr, 0, line.cap);   /* the bearer token */
    skit_buf_free(&line);
    if (failed) {
        curl_slist_free_all(headers);
        curl_easy_cleanup(h);
        return skit_error_oom();
    }

    const scalekit_client_options *o = &core->opts;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_SHARE, core->share);
    /* libcurl silently resends a request once when a reused connection dies
     * before any answer, which would send a POST twice. Non-idempotent calls
     * therefore take a new connection (it joins the pool afterwards). */
    if (!req->idempotent)
        curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, o->timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (core->ca_bundle_path)
        curl_easy_setopt(h, CURLOPT_CAINFO, core->ca_bundle_path);
    curl_easy_setopt(h, CURLOPT_USERAGENT, core->user_agent);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, a);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, a);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, a->curl_error);

    if (strcmp(req->method, "GET") == 0) {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else {
        if (strcmp(req->method, "POST") != 0)
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method);
        if (req->body || strcmp(req->method, "DELETE") != 0) {
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body ? req->body : "");
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                             (curl_off_t)(req->body ? req->body_len : 0));
        }
    }

    a->curl_code = curl_easy_perform(h);
    if (a->curl_code == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &a->status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
    if (a->out_of_memory)
        return skit_error_oom();
    return SCALEKIT_OK;
}

static int build_url(const skit_core *core, const skit_request *req, skit_buf *url)
{
    int rc = skit_buf_puts(url, core->env_url);
    if (!rc)
        rc = skit_buf_puts(url, req->path);
    if (!rc && req->query && *req->query)
        rc = skit_buf_printf(url, "?%s", req->query);
    return rc;
}

static int check_request(const skit_request *req)
{
    if (!method_known(req->method))
        return skit_error_set(SCALEKIT_EINVAL, "HTTP method \"%s\" is not supported",
                              req->method ? req->method : "(null)");
    if (!req->path || req->path[0] != '/')
        return skit_error_set(SCALEKIT_EINVAL, "request path \"%s\" must start with '/'",
                              req->path ? req->path : "(null)");
    return SCALEKIT_OK;
}

/* The attempt as the retry policy sees it. Random bits are drawn only for a
 * failed attempt: a 2xx needs no jitter, and it is the hot path. */
static void describe_attempt(const attempt *a, skit_attempt_result *r)
{
    r->outcome = a->too_large ? SKIT_OUTCOME_TOO_LARGE : skit_outcome_of_curl(a->curl_code);
    r->status = a->status;
    r->retry_after_ms = a->retry_after_ms;
    r->random = 0;
    bool success = r->outcome == SKIT_OUTCOME_ANSWER && a->status >= 200 && a->status <= 299;
    if (!success && skit_random_bytes((unsigned char *)&r->random, sizeof r->random))
        r->random = UINT64_MAX;   /* no randomness: still a delay within the bounds */
}

/* Move a 2xx answer into @p resp. */
static int hand_out(attempt *a, skit_response *resp)
{
    resp->status = a->status;
    resp->body_len = a->body.len;
    resp->body = skit_buf_detach(&a->body);
    resp->request_id = a->request_id;
    resp->retry_after_ms = a->retry_after_ms;
    a->request_id = NULL;
    if (!resp->body)
        return skit_error_oom();
    skit_error_reset();
    return SCALEKIT_OK;
}

/* Record why the call failed (@p code, from the policy); returns the code recorded. */
static int record_failure(const skit_core *core, const skit_request *req, const attempt *a,
                          const skit_attempt_result *r, int code)
{
    if (r->outcome == SKIT_OUTCOME_ANSWER)
        return skit_error_from_response(a->status, a->body.ptr, a->body.len, a->request_id);
    if (r->outcome == SKIT_OUTCOME_TOO_LARGE)
        return skit_error_set(code, "%s %s: response body exceeds %zu bytes", req->method,
                              req->path, SKIT_MAX_RESPONSE_BYTES);
    const char *why = a->curl_error[0] ? a->curl_error : curl_easy_strerror(a->curl_code);
    return skit_error_set(code, "%s %s%s failed after %d attempt(s): %s", req->method,
                          core->env_url, req->path, r->retries_done + 1, why);
}

int skit_http_send(scalekit_client *client, const skit_request *req, skit_response *resp)
{
    if (resp) {
        memset(resp, 0, sizeof *resp);
        resp->retry_after_ms = -1;
    }
    if (!client || !req || !resp)
        return skit_error_set(SCALEKIT_EINVAL, "client, request and response must not be NULL");
    int rc = check_request(req);
    if (rc)
        return rc;
    const skit_core *core = skit_core_of(client);
    skit_buf url = SKIT_BUF_INIT;
    rc = build_url(core, req, &url);
    if (rc)
        return rc;

    const skit_retry_policy policy = {
        .max_retries = core->opts.max_retries,
        .base_delay_ms = core->opts.retry_base_delay_ms,
        .max_delay_ms = core->opts.retry_max_delay_ms,
    };
    skit_attempt_result r = {.idempotent = req->idempotent, .authenticated = req->authenticated};
    char *token = NULL;
    uint64_t generation = 0;
    attempt a;
    for (bool finished = false; !finished;) {
        if (req->authenticated && !token) {
            rc = skit_api_token_get(client, &token, &generation);
            if (rc)
                break;
        }
        rc = run_attempt(core, req, url.ptr, token, &a);
        if (rc) {
            attempt_cleanup(&a);
            break;
        }
        describe_attempt(&a, &r);
        skit_decision d = skit_retry_decide(&policy, &r);
        switch (d.next) {
        case SKIT_NEXT_DONE:
            rc = hand_out(&a, resp);
            finished = true;
            break;
        case SKIT_NEXT_FAIL:
            rc = record_failure(core, req, &a, &r, d.code);
            finished = true;
            break;
        case SKIT_NEXT_REFRESH_TOKEN:
            r.token_refreshed = true;
            skit_api_token_invalidate(client, generation);
            skit_free_secret(token);
            token = NULL;
            break;
        case SKIT_NEXT_RETRY:
            skit_sleep_ms(d.delay_ms);
            r.retries_done++;
            break;
        }
        attempt_cleanup(&a);
    }
    skit_free_secret(token);
    skit_buf_free(&url);
    return rc;
}

void skit_response_free(skit_response *resp)
{
    if (!resp)
        return;
    free(resp->body);
    free(resp->request_id);
    resp->body = NULL;
    resp->request_id = NULL;
    resp->body_len = 0;
}
