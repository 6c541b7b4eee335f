/*
 * The emulator server under hostile input: lying or huge Content-Length,
 * chunked bodies over the cap, invalid UTF-8, odd form encodings, encoded
 * path separators, very long URLs, many headers; a create race on one
 * external_id; and stop() while requests and webhook deliveries hang.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <cmocka.h>

#include "emu_fixture.h"
#include "emu_rawsock.h"
#include "emu_testhttp.h"
#include "core/core.h"

/* The server still answers: GET /keys is 200. */
static void assert_alive(const emu_raw_fixture *s)
{
    char url[512];
    emu_fixture_url(s->f, "/keys", url, sizeof url);
    emu_http_response r;
    emu_http("GET", url, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    emu_http_response_free(&r);
}

/* ---- hostile requests --------------------------------------------------------- */

static void test_lying_content_length(void **state)
{
    emu_raw_fixture *s = *state;
    /* Announces far more than it sends, then stops sending: no answer, no crash, no hang. */
    static const char lie[] = "POST /api/v1/organizations HTTP/1.1\r\nHost: x\r\n"
                              "Content-Length: 99999999999\r\n\r\n{\"display_name\":\"x\"}";
    int status = raw_exchange(scalekit_emulator_port(s->f->emu), lie, sizeof lie - 1, true);
    assert_true(status == 0 || status == 413 || status == 400);
    /* A Content-Length no integer type holds. */
    static const char huge[] = "POST /api/v1/organizations HTTP/1.1\r\nHost: x\r\n"
                               "Content-Length: 999999999999999999999999999999\r\n\r\n{}";
    status = raw_exchange(scalekit_emulator_port(s->f->emu), huge, sizeof huge - 1, true);
    assert_true(status == 0 || status == 413 || status == 400);
    /* A POST that does not say how long its body is. */
    static const char none[] = "POST /oauth/token HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    status = raw_exchange(scalekit_emulator_port(s->f->emu), none, sizeof none - 1, false);
    assert_true(status >= 400 && status < 500);
    assert_alive(s);
}

static void test_chunked_body_over_cap(void **state)
{
    emu_raw_fixture *s = *state;
    skit_buf req = SKIT_BUF_INIT;
    skit_buf_puts(&req, "POST /api/v1/organizations HTTP/1.1\r\nHost: x\r\n"
                        "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
    char chunk[65536 + 16];
    int head = snprintf(chunk, sizeof chunk, "%x\r\n", 65536);
    memset(chunk + head, 'a', 65536);
    memcpy(chunk + head + 65536, "\r\n", 2);
    for (int i = 0; i < 20; i++)   /* 1.25 MiB > EMU_MAX_BODY */
        skit_buf_put(&req, chunk, (size_t)head + 65536 + 2);
    skit_buf_puts(&req, "0\r\n\r\n");
    assert_non_null(req.ptr);
    assert_int_equal(raw_exchange(scalekit_emulator_port(s->f->emu), req.ptr, req.len, false), 413);
    skit_buf_free(&req);

    /* A small chunked body is read like any other. */
    static const char small[] = "POST /api/v1/organizations HTTP/1.1\r\nHost: x\r\n"
                                "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                                "3\r\n{\"d\r\n0\r\n\r\n";
    assert_int_equal(raw_exchange(scalekit_emulator_port(s->f->emu), small, sizeof small - 1, false), 401);   /* no token */
    assert_alive(s);
}

static void test_invalid_utf8_json(void **state)
{
    emu_raw_fixture *s = *state;
    json_t *reply = NULL;
    assert_int_equal(emu_raw_fixture_api(s, "POST", "/api/v1/organizations", "{\"display_name\":\"\xff\xfe\"}",
                         &reply), 400);
    assert_non_null(reply);
    assert_non_null(json_object_get(reply, "message"));
    json_decref(reply);
    /* an overlong encoding of '/' and a lone surrogate escape */
    assert_int_equal(emu_raw_fixture_api(s, "POST", "/api/v1/organizations",
                         "{\"display_name\":\"\xc0\xaf\"}", NULL), 400);
    assert_int_equal(emu_raw_fixture_api(s, "POST", "/api/v1/organizations",
                         "{\"display_name\":\"\\ud800\"}", NULL), 400);
    assert_alive(s);
}

static long token_form(const emu_raw_fixture *s, const char *form)
{
    char url[512];
    emu_fixture_url(s->f, "/oauth/token", url, sizeof url);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    emu_http_response r;
    emu_http("POST", url, headers, form, &r);
    long status = r.status;
    json_t *body = emu_http_json(&r);
    if (status != 200)   /* every refusal is an OAuth error object */
        assert_non_null(json_object_get(body, "error"));
    json_decref(body);
    emu_http_response_free(&r);
    return status;
}

static void test_odd_form_encodings(void **state)
{
    emu_raw_fixture *s = *state;
    const char *refused[] = {
        "grant_type=client_credentials&client_id=%zz&client_secret=%",
        "grant_type=client_credentials&client_id=%ff%fe&client_secret=%00",
        "=&&=x&&&==",
        "grant_type",
        "%67rant_type=client%5Fcredentials&client_id=a+b&client_secret=c%2",
        "",
    };
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        long status = token_form(s, refused[i]);
        if (status != 400 && status != 401)
            fail_msg("form \"%s\" answered %ld", refused[i], status);
    }
    /* Encoded names and noise around good credentials still work. */
    char form[1024];
    snprintf(form, sizeof form, "&=junk&%%zz=1&%%67rant_type=client%%5Fcredentials&client_id=%s"
                                "&client_secret=%s&",
             s->f->client_id, s->f->client_secret);
    assert_int_equal(token_form(s, form), 200);
}

static void test_encoded_path_params(void **state)
{
    emu_raw_fixture *s = *state;
    const char *paths[] = {
        "/api/v1/organizations/..%2F..%2Fkeys",
        "/api/v1/organizations/%2E%2E",
        "/api/v1/organizations/org_1%2Fusers",
        "/api/v1/organizations/%00",
        "/api/v1/organizations/%zz",
        "/api/v1/organizations/%ff%fe",   /* not UTF-8 once decoded: the message still is */
        "/no/such/route/%c0%af",
    };
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        json_t *reply = NULL;
        long status = emu_raw_fixture_api(s, "GET", paths[i], NULL, &reply);
        if (status != 404 && status != 400)
            fail_msg("GET %s answered %ld", paths[i], status);
        assert_non_null(reply);
        json_decref(reply);
    }
    assert_alive(s);
}

static void test_long_urls_and_many_headers(void **state)
{
    emu_raw_fixture *s = *state;
    size_t n = 200000;
    char *path = malloc(n + 64);
    assert_non_null(path);
    strcpy(path, "/api/v1/organizations/");
    memset(path + strlen(path), 'a', n);
    path[n] = '\0';
    long status = emu_raw_fixture_api(s, "GET", path, NULL, NULL);
    assert_true(status == 414 || status == 404 || status == 400 || status == 431);
    strcpy(path, "/keys?x=");
    memset(path + 8, 'q', n - 8);
    path[n] = '\0';
    char url[512];
    emu_fixture_url(s->f, "", url, sizeof url);
    skit_buf full = SKIT_BUF_INIT;
    skit_buf_printf(&full, "%s%s", url, path);
    emu_http_response r;
    emu_http("GET", full.ptr, NULL, NULL, &r);
    assert_true(r.status == 414 || r.status == 400 || r.status == 431 || r.status == 200);
    emu_http_response_free(&r);
    skit_buf_free(&full);
    free(path);

    skit_buf req = SKIT_BUF_INIT;
    skit_buf_puts(&req, "GET /keys HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
    for (int i = 0; i < 2000; i++)
        skit_buf_printf(&req, "X-Header-%d: %d\r\n", i, i);
    skit_buf_puts(&req, "\r\n");
    assert_non_null(req.ptr);
    int raw = raw_exchange(scalekit_emulator_port(s->f->emu), req.ptr, req.len, false);
    assert_true(raw == 0 || raw == 431 || raw == 413 || raw == 400);
    skit_buf_free(&req);
    assert_alive(s);
}

/* ---- a race on external_id ----------------------------------------------------- */

enum { RACERS = 8 };

typedef struct racer {
    const emu_raw_fixture *s;
    pthread_barrier_t *start;
    long status;
} racer;

static void *create_same(void *arg)
{
    racer *k = arg;
    pthread_barrier_wait(k->start);
    k->status = emu_raw_fixture_api(k->s, "POST", "/api/v1/organizations",
                    "{\"display_name\":\"Race\",\"external_id\":\"race-1\"}", NULL);
    return NULL;
}

static void test_concurrent_creates_one_external_id(void **state)
{
    emu_raw_fixture *s = *state;
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, RACERS);
    racer racers[RACERS];
    pthread_t threads[RACERS];
    for (int i = 0; i < RACERS; i++) {
        racers[i] = (racer){.s = s, .start = &start};
        assert_int_equal(pthread_create(&threads[i], NULL, create_same, &racers[i]), 0);
    }
    int created = 0, conflicts = 0;
    for (int i = 0; i < RACERS; i++) {
        pthread_join(threads[i], NULL);
        created += racers[i].status == 201;
        conflicts += racers[i].status == 409;
    }
    pthread_barrier_destroy(&start);
    assert_int_equal(created, 1);
    assert_int_equal(conflicts, RACERS - 1);
}

/* ---- stopping under load -------------------------------------------------------- */

typedef struct slow_call {
    const char *url;
    long status;
} slow_call;

static void *call_slow(void *arg)
{
    slow_call *c = arg;
    emu_http_response r;
    emu_http("GET", c->url, NULL, NULL, &r);
    c->status = r.status;
    emu_http_response_free(&r);
    return NULL;
}

/* stop() with a half-sent request and a handler in a long injected delay: it
 * returns promptly (the delay is cut short) and leaks nothing. */
static void test_stop_with_requests_in_flight(void **state)
{
    (void)state;
    emu_fixture *f = emu_fixture_start(NULL, NULL);
    emu_fixture_fault(f, "{\"path\":\"/keys\",\"delay_ms\":5000,\"count\":1}");
    char url[512];
    emu_fixture_url(f, "/keys", url, sizeof url);
    slow_call call = {.url = url};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, call_slow, &call), 0);
    int idle = raw_connect(scalekit_emulator_port(f->emu));
    raw_send_all(idle, "GET /keys HTTP/1.1\r\nHost: x\r\n", 29);   /* never finished */
    usleep(150 * 1000);
    int64_t start = skit_monotonic_ms();
    emu_fixture_stop(f);
    int64_t took = skit_monotonic_ms() - start;
    pthread_join(t, NULL);
    close(idle);
    if (took >= 1500)
        fail_msg("stop took %lld ms with a delayed request in flight", (long long)took);
    assert_true(call.status == 200 || call.status == 0);
}

/* A webhook receiver that accepts the connection and never answers must not hold up stop(). */
static void test_stop_with_hanging_webhook_receiver(void **state)
{
    (void)state;
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(listener >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(listener, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(listener, 8), 0);   /* the kernel completes connects; nobody reads */
    socklen_t len = sizeof sa;
    assert_int_equal(getsockname(listener, (struct sockaddr *)&sa, &len), 0);
    char hook[128];
    snprintf(hook, sizeof hook, "http://127.0.0.1:%d/hook", ntohs(sa.sin_port));
    scalekit_emulator_options o = {.webhook_url = hook};
    emu_fixture *f = emu_fixture_start(&o, NULL);
    emu_raw_fixture s = {.f = f, .token = emu_test_client_token(f->emu)};
    assert_non_null(s.token);
    assert_int_equal(emu_raw_fixture_api(&s, "POST", "/api/v1/organizations", "{\"display_name\":\"Hook\"}", NULL),
                     201);
    usleep(300 * 1000);   /* the delivery is now waiting on the receiver */
    int64_t start = skit_monotonic_ms();
    emu_fixture_stop(f);
    int64_t took = skit_monotonic_ms() - start;
    free(s.token);
    close(listener);
    if (took >= 1000)
        fail_msg("stop took %lld ms with a hanging webhook receiver", (long long)took);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lying_content_length, emu_raw_fixture_setup,
                                        emu_raw_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_chunked_body_over_cap, emu_raw_fixture_setup,
                                        emu_raw_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8_json, emu_raw_fixture_setup,
                                        emu_raw_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_odd_form_encodings, emu_raw_fixture_setup,
                                        emu_raw_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_encoded_path_params, emu_raw_fixture_setup,
                                        emu_raw_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_long_urls_and_many_headers, emu_raw_fixture_setup,
                                        emu_raw_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_creates_one_external_id, emu_raw_fixture_setup,
                                        emu_raw_fixture_teardown),
        cmocka_unit_test(test_stop_with_requests_in_flight),
        cmocka_unit_test(test_stop_with_hanging_webhook_receiver),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
