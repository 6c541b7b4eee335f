/*
 * Hostile inputs to the client and the transport: header injection through
 * options, token lifetimes and Retry-After values at the limits, interim
 * 100 responses, oversized bodies, odd environment URLs, and the API token's
 * single flight when the fetch fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <pthread.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "core/client_internal.h"
#include "mock_http.h"

#define API "/api/v1/things"
#define TOKEN "/oauth/token"

static scalekit_client *make_client(const char *url, const scalekit_client_options *extra)
{
    scalekit_client_options o = { .struct_size = sizeof(scalekit_client_options), .retry_base_delay_ms = 1, .retry_max_delay_ms = 5,
                                 .max_retries = 4};
    if (extra)
        o = *extra;
    scalekit_client *c = NULL;
    assert_int_equal(scalekit_client_new_with_options(&c, url, "id", "secret", &o), SCALEKIT_OK);
    return c;
}

/* ---- a one-shot raw HTTP server: answers one connection with canned bytes ---- */

typedef struct raw_server {
    int fd;
    int port;
    const char *answer;
    pthread_t thread;
} raw_server;

static void *raw_serve(void *arg)
{
    raw_server *s = arg;
    int c = accept(s->fd, NULL, NULL);
    if (c < 0)
        return NULL;
    char buf[4096];
    size_t got = 0;
    while (got < sizeof buf - 1) {   /* the request head */
        ssize_t n = recv(c, buf + got, sizeof buf - 1 - got, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
        buf[got] = '\0';
        if (strstr(buf, "\r\n\r\n"))
            break;
    }
    ssize_t unused = send(c, s->answer, strlen(s->answer), MSG_NOSIGNAL);
    (void)unused;
    shutdown(c, SHUT_WR);
    while (recv(c, buf, sizeof buf, 0) > 0) {
    }
    close(c);
    return NULL;
}

static void raw_start(raw_server *s, const char *answer)
{
    s->answer = answer;
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s->fd >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(s->fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(s->fd, 4), 0);
    socklen_t len = sizeof sa;
    assert_int_equal(getsockname(s->fd, (struct sockaddr *)&sa, &len), 0);
    s->port = ntohs(sa.sin_port);
    assert_int_equal(pthread_create(&s->thread, NULL, raw_serve, s), 0);
}

static void raw_stop(raw_server *s)
{
    pthread_join(s->thread, NULL);
    close(s->fd);
}

/* ---- client options ------------------------------------------------------- */

static void expect_suffix_refused(const char *suffix)
{
    scalekit_client_options o = { .struct_size = sizeof(scalekit_client_options), .user_agent_suffix = suffix};
    scalekit_client *c = (scalekit_client *)1;
    assert_int_equal(scalekit_client_new_with_options(&c, "https://example.com", "id", "s", &o),
                     SCALEKIT_EINVAL);
    assert_null(c);
    assert_non_null(strstr(scalekit_error_last()->message, "user_agent_suffix"));
}

/* A suffix with CR/LF would otherwise add a header of the caller's choosing to every request. */
static void test_user_agent_suffix_header_injection(void **state)
{
    (void)state;
    expect_suffix_refused("app/1\r\nX-Injected: yes");
    expect_suffix_refused("app/1\nX-Injected: yes");
    expect_suffix_refused("app/1\r");
    expect_suffix_refused("app\x01");

    /* A printable suffix still reaches the server, with nothing injected. */
    mock_http *m = mock_http_start();
    scalekit_client_options o = { .struct_size = sizeof(scalekit_client_options), .user_agent_suffix = "app/1 (build 7)"};
    scalekit_client *c = make_client(mock_http_url(m), &o);
    mock_http_enqueue(m, "GET", API, 200, "{}");
    assert_int_equal(skit_api_call(c, "GET", API, NULL, NULL, NULL), SCALEKIT_OK);
    const mock_request *r = mock_http_request_for(m, API, 0);
    assert_non_null(r);
    assert_non_null(strstr(mock_request_header(r, "User-Agent"), " app/1 (build 7)"));
    assert_null(mock_request_header(r, "X-Injected"));
    scalekit_client_free(c);
    mock_http_stop(m);
}

/* Timeouts near LONG_MAX must not wrap into "already expired" anywhere. */
static void test_huge_timeouts(void **state)
{
    (void)state;
    mock_http *m = mock_http_start();
    scalekit_client_options o = { .struct_size = sizeof(scalekit_client_options), .timeout_ms = LONG_MAX, .connect_timeout_ms = LONG_MAX,
                                 .retry_base_delay_ms = LONG_MAX, .retry_max_delay_ms = 2,
                                 .max_retries = 3};
    scalekit_client *c = make_client(mock_http_url(m), &o);
    mock_http_enqueue(m, "GET", API, 503, "{}");
    mock_http_enqueue(m, "GET", API, 200, "{\"ok\":true}");
    int64_t start = skit_monotonic_ms();
    assert_int_equal(skit_api_call(c, "GET", API, NULL, NULL, NULL), SCALEKIT_OK);
    assert_true(skit_monotonic_ms() - start < 2000);   /* backoff capped at 2 ms */
    assert_int_equal(mock_http_count(m, API), 2);
    scalekit_client_free(c);
    mock_http_stop(m);
}

static void expect_normalised(const char *url, const char *expect)
{
    scalekit_client *c = NULL;
    assert_int_equal(scalekit_client_new(&c, url, "id", "s"), SCALEKIT_OK);
    assert_string_equal(scalekit_client_env_url(c), expect);
    scalekit_client_free(c);
}

static void expect_refused(const char *url)
{
    scalekit_client *c = NULL;
    assert_int_equal(scalekit_client_new(&c, url, "id", "s"), SCALEKIT_EINVAL);
    assert_null(c);
    assert_non_null(strstr(scalekit_error_last()->message, "env_url"));
}

static void test_env_url_edges(void **state)
{
    (void)state;
    expect_normalised("http://[::1]:8080/base/", "http://[::1]:8080/base");
    expect_normalised("HTTPS://Example.com//", "https://Example.com");
    expect_refused("https://user:pw@example.com");
    expect_refused("https://example.com /x");
    expect_refused("https://exa\tmple.com");
    expect_refused("https://example.com/a\r\nb");
    expect_refused("https:///path");

    /* A path prefix is kept in front of every route, the token endpoint included. */
    mock_http *m = mock_http_start();
    char url[128];
    snprintf(url, sizeof url, "%s/base/", mock_http_url(m));
    mock_response token = {.status = 200,
                           .body = "{\"access_token\":\"t\",\"token_type\":\"Bearer\","
                                   "\"expires_in\":3600}"};
    mock_http_set_default(m, "/base" TOKEN, &token);
    mock_http_enqueue(m, "GET", "/base" API, 200, "{}");
    scalekit_client *c = make_client(url, NULL);
    assert_int_equal(skit_api_call(c, "GET", API, NULL, NULL, NULL), SCALEKIT_OK);
    assert_int_equal(mock_http_count(m, "/base" TOKEN), 1);
    assert_int_equal(mock_http_count(m, "/base" API), 1);
    scalekit_client_free(c);
    mock_http_stop(m);
}

/* ---- the API token -------------------------------------------------------- */

/* expires_in is the server's number: INT64_MAX must not overflow the expiry arithmetic. */
static void test_huge_token_lifetime(void **state)
{
    (void)state;
    mock_http *m = mock_http_start();
    mock_http_set_token(m, "tok", LONG_MAX, 0);
    scalekit_client *c = make_client(mock_http_url(m), NULL);
    mock_http_enqueue(m, "GET", API, 200, "{}");
    mock_http_enqueue(m, "GET", API, 200, "{}");
    assert_int_equal(skit_api_call(c, "GET", API, NULL, NULL, NULL), SCALEKIT_OK);
    assert_int_equal(skit_api_call(c, "GET", API, NULL, NULL, NULL), SCALEKIT_OK);
    assert_int_equal(mock_http_count(m, TOKEN), 1);   /* cached, not refetched */
    assert_string_equal(mock_request_header(mock_http_request_for(m, API, 1), "Authorization"),
                        "Bearer tok-1");
    scalekit_client_free(c);
    mock_http_stop(m);
}

typedef struct caller {
    scalekit_client *client;
    pthread_barrier_t *start;
    int rc;
    long status;
} caller;

static void *call_api(void *arg)
{
    caller *k = arg;
    pthread_barrier_wait(k->start);
    k->rc = skit_api_call(k->client, "GET", API, NULL, NULL, NULL);
    k->status = scalekit_error_last()->http_status;
    return NULL;   /* this thread's error state is freed at its exit (LeakSanitizer checks) */
}

/* Threads waiting on a fetch that fails all get its error, then the next call fetches again. */
static void test_token_failure_reaches_every_waiter(void **state)
{
    (void)state;
    enum { N = 6 };
    mock_http *m = mock_http_start();
    mock_response down = {.status = 500, .body = "{\"message\":\"token service down\"}",
                          .delay_ms = 300};
    mock_http_set_default(m, TOKEN, &down);
    scalekit_client_options o = { .struct_size = sizeof(scalekit_client_options), .max_retries = -1};
    scalekit_client *c = make_client(mock_http_url(m), &o);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, N);
    caller callers[N];
    pthread_t threads[N];
    for (int i = 0; i < N; i++) {
        callers[i] = (caller){.client = c, .start = &start};
        assert_int_equal(pthread_create(&threads[i], NULL, call_api, &callers[i]), 0);
    }
    for (int i = 0; i < N; i++)
        pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&start);
    for (int i = 0; i < N; i++) {
        assert_int_equal(callers[i].rc, SCALEKIT_ESERVER);
        assert_int_equal(callers[i].status, 500);
    }
    /* Single flight: the waiters shared the one failure instead of each fetching. */
    assert_true(mock_http_count(m, TOKEN) <= 2);
    assert_int_equal(mock_http_count(m, API), 0);

    mock_http_reset(m);   /* the token endpoint recovers */
    mock_http_enqueue(m, "GET", API, 200, "{}");
    assert_int_equal(skit_api_call(c, "GET", API, NULL, NULL, NULL), SCALEKIT_OK);
    assert_int_equal(mock_http_count(m, TOKEN), 1);
    scalekit_client_free(c);
    mock_http_stop(m);
}

/* ---- responses ------------------------------------------------------------ */

static void test_retry_after_hostile_values(void **state)
{
    (void)state;
    mock_http *m = mock_http_start();
    scalekit_client_options o = { .struct_size = sizeof(scalekit_client_options), .retry_base_delay_ms = 1, .retry_max_delay_ms = 300,
                                 .max_retries = 3};
    scalekit_client *c = make_client(mock_http_url(m), &o);
    assert_int_equal(skit_api_call(c, "GET", "/warm", NULL, NULL, NULL), SCALEKIT_ENOTFOUND);

    /* negative and malformed values fall back to the (1 ms) backoff */
    const char *ignored[] = {"Retry-After: -5", "Retry-After: 5abc", "Retry-After: ",
                             "Retry-After: not a date at all"};
    for (size_t i = 0; i < sizeof ignored / sizeof *ignored; i++) {
        mock_response busy = {.status = 429, .headers = ignored[i]};
        mock_http_enqueue_ex(m, "GET", API, &busy);
        mock_http_enqueue(m, "GET", API, 200, "{}");
        int64_t start = skit_monotonic_ms();
        assert_int_equal(skit_api_call(c, "GET", API, NULL, NULL, NULL), SCALEKIT_OK);
        assert_true(skit_monotonic_ms() - start < 250);
    }
    /* a value beyond every integer type is capped at retry_max_delay_ms */
    mock_response huge = {.status = 503,
                          .headers = "Retry-After: 99999999999999999999999999999999"};
    mock_http_enqueue_ex(m, "GET", API, &huge);
    mock_http_enqueue(m, "GET", API, 200, "{}");
    int64_t start = skit_monotonic_ms();
    assert_int_equal(skit_api_call(c, "GET", API, NULL, NULL, NULL), SCALEKIT_OK);
    int64_t waited = skit_monotonic_ms() - start;
    assert_true(waited >= 290 && waited < 900);
    scalekit_client_free(c);
    mock_http_stop(m);
}

static void test_body_over_cap(void **state)
{
    (void)state;
    mock_http *m = mock_http_start();
    scalekit_client *c = make_client(mock_http_url(m), NULL);
    size_t n = SKIT_MAX_RESPONSE_BYTES + 16;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, 'a', n);
    big[0] = '"';
    big[n - 1] = '"';
    big[n] = '\0';
    mock_http_enqueue(m, "GET", API, 200, big);
    mock_http_enqueue(m, "GET", API, 500, big);
    free(big);
    assert_int_equal(skit_api_call(c, "GET", API, NULL, NULL, NULL), SCALEKIT_EMALFORMED_RESPONSE);
    assert_non_null(strstr(scalekit_error_last()->message, "exceeds"));
    /* too large is final: no retry even for a GET and a 5xx */
    assert_int_equal(skit_api_call(c, "GET", API, NULL, NULL, NULL), SCALEKIT_EMALFORMED_RESPONSE);
    assert_int_equal(mock_http_count(m, API), 2);
    scalekit_client_free(c);
    mock_http_stop(m);
}

/* The headers of an interim 100 response belong to it, not to the final answer. */
static void test_interim_response_headers_forgotten(void **state)
{
    (void)state;
    raw_server s;
    raw_start(&s, "HTTP/1.1 100 Continue\r\n"
                  "x-request-id: req_interim\r\n"
                  "Retry-After: 3600\r\n"
                  "\r\n"
                  "HTTP/1.1 404 Not Found\r\n"
                  "Content-Type: application/json\r\n"
                  "x-request-id:req_final\r\n"
                  "X-Empty:\r\n"
                  "Content-Length: 23\r\n"
                  "Connection: close\r\n"
                  "\r\n"
                  "{\"message\":\"no thing\"}\n");
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", s.port);
    scalekit_client *c = make_client(url, NULL);
    skit_request req = {.method = "GET", .path = API, .idempotent = true};
    skit_response resp;
    assert_int_equal(skit_http_send(c, &req, &resp), SCALEKIT_ENOTFOUND);
    assert_string_equal(scalekit_error_last()->request_id, "req_final");
    assert_non_null(strstr(scalekit_error_last()->message, "no thing"));
    assert_null(resp.body);
    scalekit_client_free(c);
    raw_stop(&s);
}

static void test_free_functions_accept_null(void **state)
{
    (void)state;
    scalekit_free(NULL);
    scalekit_client_free(NULL);
    skit_response_free(NULL);
    skit_response r = {0};
    skit_response_free(&r);
    assert_null(r.body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_user_agent_suffix_header_injection),
        cmocka_unit_test(test_huge_timeouts),
        cmocka_unit_test(test_env_url_edges),
        cmocka_unit_test(test_huge_token_lifetime),
        cmocka_unit_test(test_token_failure_reaches_every_waiter),
        cmocka_unit_test(test_retry_after_hostile_values),
        cmocka_unit_test(test_body_over_cap),
        cmocka_unit_test(test_interim_response_headers_forgotten),
        cmocka_unit_test(test_free_functions_accept_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
