/*
 * The emulator's transport under the attacks of the hostile review (issue 8):
 * NUL truncation of paths, queries and forms; request smuggling with two
 * Content-Length headers or Content-Length with Transfer-Encoding; slow and
 * held connections (idle timeout, per-address cap, 1,100 held at once).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <cmocka.h>

#include "emu_fixture.h"
#include "emu_rawsock.h"
#include "emu_testhttp.h"
#include "core/core.h"

static int port_of(const emu_fixture *f)
{
    return scalekit_emulator_port(f->emu);
}

static long token_form(const emu_fixture *f, const char *form, json_t **body_out)
{
    char url[512];
    emu_fixture_url(f, "/oauth/token", url, sizeof url);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    emu_http_response r;
    emu_http("POST", url, headers, form, &r);
    long status = r.status;
    *body_out = emu_http_json(&r);
    emu_http_response_free(&r);
    return status;
}

/* ---- NUL ------------------------------------------------------------------- */

static void test_nul_in_path_does_not_reach_the_handler(void **state)
{
    emu_raw_fixture *s = *state;
    json_t *org = NULL;
    assert_int_equal(emu_raw_fixture_api(s, "POST", "/api/v1/organizations",
                                         "{\"display_name\":\"Kept\"}", &org), 201);
    const char *id = json_string_value(json_object_get(json_object_get(org, "organization"), "id"));
    assert_non_null(id);
    char path[256];
    snprintf(path, sizeof path, "/api/v1/organizations/%s%%00anything", id);
    json_t *reply = NULL;
    assert_int_equal(emu_raw_fixture_api(s, "DELETE", path, NULL, &reply), 400);
    assert_int_equal(json_integer_value(json_object_get(reply, "code")), 3);
    assert_non_null(strstr(json_string_value(json_object_get(reply, "message")), "NUL"));
    json_decref(reply);
    snprintf(path, sizeof path, "/api/v1/organizations/%s", id);
    assert_int_equal(emu_raw_fixture_api(s, "GET", path, NULL, NULL), 200);   /* still there */
    /* a query value */
    assert_int_equal(emu_raw_fixture_api(s, "GET", "/api/v1/organizations?page_size=1%00x", NULL,
                                         NULL), 400);
    /* an encoded "%00" (%2500) is three ordinary characters, not a NUL */
    assert_int_equal(emu_raw_fixture_api(s, "GET", "/api/v1/organizations/org_%2500", NULL, NULL), 404);
    json_decref(org);
}

static void test_nul_in_form_value_does_not_authenticate(void **state)
{
    emu_raw_fixture *s = *state;
    char form[512];
    json_t *body = NULL;
    snprintf(form, sizeof form, "grant_type=client_credentials&client_id=%s&client_secret=%s%%00junk",
             s->f->client_id, s->f->client_secret);
    assert_int_equal(token_form(s->f, form, &body), 400);
    assert_string_equal(json_string_value(json_object_get(body, "error")), "invalid_request");
    json_decref(body);
    /* a raw NUL byte in the body, Content-Length counting past it */
    skit_buf req = SKIT_BUF_INIT;
    snprintf(form, sizeof form, "grant_type=client_credentials&client_id=%s&client_secret=%s",
             s->f->client_id, s->f->client_secret);
    skit_buf_printf(&req, "POST /oauth/token HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                          "Content-Type: application/x-www-form-urlencoded\r\n"
                          "Content-Length: %zu\r\n\r\n%s", strlen(form) + 5, form);
    skit_buf_put(&req, "\0junk", 5);
    assert_non_null(req.ptr);
    assert_int_equal(raw_exchange(port_of(s->f), req.ptr, req.len, false), 400);
    skit_buf_free(&req);
    /* the same credentials without the NUL work */
    assert_int_equal(token_form(s->f, form, &body), 200);
    json_decref(body);
}

/* ---- smuggling --------------------------------------------------------------- */

/* Send @p request on one connection and read until the server closes: exactly
 * one answer, a 400, and the close comes promptly. */
static void expect_one_400_then_close(const emu_fixture *f, const char *request)
{
    int fd = raw_connect(port_of(f));
    raw_send_all(fd, request, strlen(request));
    int64_t start = skit_monotonic_ms();
    char buf[8192];
    raw_read_all(fd, buf, sizeof buf);
    int64_t took = skit_monotonic_ms() - start;
    close(fd);
    int status = 0;
    if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1 || status != 400)
        fail_msg("expected a 400 first, got: %.200s", buf);
    const char *second = strstr(buf + 1, "HTTP/1.");
    if (second)
        fail_msg("the hidden request was answered: %.200s", second);
    if (took > 5000)
        fail_msg("the connection stayed open %lld ms", (long long)took);
}

static void test_conflicting_content_lengths_are_refused(void **state)
{
    emu_raw_fixture *s = *state;
    /* The first length covers "a=b"; the rest would be read as a second request. */
    static const char hidden[] = "GET /keys HTTP/1.1\r\nHost: x\r\n\r\n";
    char req[512];
    snprintf(req, sizeof req, "POST /oauth/token HTTP/1.1\r\nHost: x\r\n"
                              "Content-Type: application/x-www-form-urlencoded\r\n"
                              "Content-Length: 3\r\nContent-Length: %zu\r\n\r\na=b%s",
             3 + strlen(hidden), hidden);
    expect_one_400_then_close(s->f, req);
    /* the other order */
    snprintf(req, sizeof req, "POST /oauth/token HTTP/1.1\r\nHost: x\r\n"
                              "Content-Length: %zu\r\nContent-Length: 3\r\n\r\na=b%s",
             3 + strlen(hidden), hidden);
    expect_one_400_then_close(s->f, req);
}

static void test_content_length_with_transfer_encoding_is_refused(void **state)
{
    emu_raw_fixture *s = *state;
    expect_one_400_then_close(s->f, "POST /oauth/token HTTP/1.1\r\nHost: x\r\n"
                                    "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
                                    "0\r\n\r\nGET /keys HTTP/1.1\r\nHost: x\r\n\r\n");
    expect_one_400_then_close(s->f, "POST /oauth/token HTTP/1.1\r\nHost: x\r\n"
                                    "Content-Length: 40\r\nTransfer-Encoding: chunked\r\n\r\n"
                                    "0\r\n\r\nGET /keys HTTP/1.1\r\nHost: x\r\n\r\n");
}

/* ---- slow and held connections ----------------------------------------------- */

static const char partial[] = "GET /keys HTTP/1.1\r\nHost: x\r\n";   /* never finished */

static void test_slow_request_is_closed_after_the_timeout(void **state)
{
    (void)state;
    scalekit_emulator_options o = {.connection_timeout_seconds = 1};
    emu_fixture *f = emu_fixture_start(&o, NULL);
    int fd = raw_connect(port_of(f));
    raw_send_all(fd, partial, sizeof partial - 1);
    int64_t start = skit_monotonic_ms();
    char buf[512];
    raw_read_all(fd, buf, sizeof buf);   /* returns when the server closes */
    int64_t took = skit_monotonic_ms() - start;
    close(fd);
    if (took < 500 || took > 4000)
        fail_msg("a stalled request was closed after %lld ms (timeout 1 s)", (long long)took);
    emu_fixture_stop(f);
}

/* A normal request from @p from is answered 200. */
static void assert_served_from(const emu_fixture *f, const char *from)
{
    int fd = raw_connect_from(from, port_of(f));
    static const char get[] = "GET /keys HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    raw_send_all(fd, get, sizeof get - 1);
    char buf[8192];
    raw_read_all(fd, buf, sizeof buf);
    close(fd);
    if (strncmp(buf, "HTTP/1.1 200", 12) != 0)
        fail_msg("GET /keys from %s: %.100s", from ? from : "127.0.0.1", buf);
}

static void test_connections_per_address_are_capped(void **state)
{
    (void)state;
    scalekit_emulator_options o = {.max_connections_per_ip = 3};
    emu_fixture *f = emu_fixture_start(&o, NULL);
    int held[3];
    for (int i = 0; i < 3; i++) {
        held[i] = raw_connect(port_of(f));
        raw_send_all(held[i], partial, sizeof partial - 1);
    }
    /* the fourth from the same address is closed at once, unanswered */
    int fd = raw_connect(port_of(f));
    static const char get[] = "GET /keys HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    raw_send_all(fd, get, sizeof get - 1);
    char buf[512];
    assert_int_equal(raw_read_all(fd, buf, sizeof buf), 0);
    close(fd);
    /* another address is not affected */
    assert_served_from(f, "127.0.0.2");
    /* one of the three gone, the address may connect again */
    close(held[0]);
    usleep(200 * 1000);
    assert_served_from(f, NULL);
    close(held[1]);
    close(held[2]);
    emu_fixture_stop(f);
}

enum { HELD = 1100, PER_ADDRESS = 100 };

static void test_served_while_many_slow_connections_are_held(void **state)
{
    (void)state;
    struct rlimit rl;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_cur < 2 * HELD + 256) {   /* both ends live in this process */
        rl.rlim_cur = rl.rlim_max;
        assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
    }
    assert_true(rl.rlim_cur >= 2 * HELD + 256);
    scalekit_emulator_options o = {.connection_timeout_seconds = 4};
    emu_fixture *f = emu_fixture_start(&o, NULL);
    static int fds[HELD];
    int64_t opened = skit_monotonic_ms();
    for (int i = 0; i < HELD; i++) {
        char from[32];   /* 127.0.0.2 ... : under the per-address cap */
        snprintf(from, sizeof from, "127.0.0.%d", 2 + i / PER_ADDRESS);
        fds[i] = raw_connect_from(from, port_of(f));
        raw_send_all(fds[i], partial, sizeof partial - 1);
    }
    int64_t start = skit_monotonic_ms();
    char url[512];
    emu_fixture_url(f, "/keys", url, sizeof url);
    emu_http_response r;
    emu_http("GET", url, NULL, NULL, &r);
    int64_t took = skit_monotonic_ms() - start;
    assert_int_equal(r.status, 200);
    emu_http_response_free(&r);
    if (took > 2000)
        fail_msg("GET /keys took %lld ms with %d slow connections held", (long long)took, HELD);
    /* they were all still held while it was served (opened within the timeout) */
    if (skit_monotonic_ms() - opened < 3500) {
        for (int i = 0; i < HELD; i++)
            if (raw_closed_now(fds[i]))
                fail_msg("slow connection %d was closed before its timeout", i);
    }
    /* and each is closed once the timeout has passed */
    int64_t deadline = skit_monotonic_ms() + 10000;
    for (int i = 0; i < HELD; i++) {
        while (!raw_closed_now(fds[i]) && skit_monotonic_ms() < deadline)
            usleep(50 * 1000);
        if (!raw_closed_now(fds[i]))
            fail_msg("slow connection %d still open 10 s after its timeout", i);
        close(fds[i]);
    }
    emu_fixture_stop(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_nul_in_path_does_not_reach_the_handler,
                                        emu_raw_fixture_setup, emu_raw_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_nul_in_form_value_does_not_authenticate,
                                        emu_raw_fixture_setup, emu_raw_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_conflicting_content_lengths_are_refused,
                                        emu_raw_fixture_setup, emu_raw_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_content_length_with_transfer_encoding_is_refused,
                                        emu_raw_fixture_setup, emu_raw_fixture_teardown),
        cmocka_unit_test(test_slow_request_is_closed_after_the_timeout),
        cmocka_unit_test(test_connections_per_address_are_capped),
        cmocka_unit_test(test_served_while_many_slow_connections_are_held),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
