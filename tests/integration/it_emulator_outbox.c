/*
 * The durable webhook outbox, through the scalekit-emulator program: events of
 * organization writes wait in the --data file while the receiver answers 503;
 * the process is killed (SIGKILL) with all of them undelivered; restarted on
 * the same file, it delivers every one, in commit order, with its original
 * webhook-id and body, signed so that scalekit_verify_webhook_payload accepts it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "core/core.h"
#include "emu_testhttp.h"
#include "mock_http.h"
#include "scalekit/webhook.h"

#define HOOK "/hooks"
#define SECRET "whsec_b3V0Ym94LXRlc3Qtc2VjcmV0LTAxMjM0NTY3"
#define N_EVENTS 5

typedef struct running {
    pid_t pid;
    char url[256];
    char token[4096];
} running;

/* Start the program on @p data; read its URL and credentials, get a token. */
static void start_program(running *p, const char *data, const char *hook_url)
{
    int out[2];
    assert_int_equal(pipe(out), 0);
    p->pid = fork();
    assert_true(p->pid >= 0);
    if (p->pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        execl(SCALEKIT_EMULATOR_PROGRAM, SCALEKIT_EMULATOR_PROGRAM, "--port", "0", "--data", data,
              "--webhook-url", hook_url, "--webhook-secret", SECRET, "--quiet", (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    FILE *f = fdopen(out[0], "r");
    char id[256], secret[256];
    assert_non_null(fgets(p->url, sizeof p->url, f));
    assert_non_null(fgets(id, sizeof id, f));
    assert_non_null(fgets(secret, sizeof secret, f));
    fclose(f);
    p->url[strcspn(p->url, "\n")] = '\0';
    id[strcspn(id, "\n")] = secret[strcspn(secret, "\n")] = '\0';
    char url[300], form[600];
    snprintf(url, sizeof url, "%s/oauth/token", p->url);
    snprintf(form, sizeof form, "grant_type=client_credentials&client_id=%s&client_secret=%s",
             id + strlen("client_id: "), secret + strlen("client_secret: "));
    emu_http_response r;
    emu_http("POST", url, NULL, form, &r);
    json_t *j = emu_http_json(&r);
    assert_int_equal(r.status, 200);
    snprintf(p->token, sizeof p->token, "%s", json_string_value(json_object_get(j, "access_token")));
    json_decref(j);
    emu_http_response_free(&r);
}

/* One API call; the status, and the organization's id into @p id_out when given. */
static long api(const running *p, const char *method, const char *path, const char *body, char *id_out)
{
    char url[512], auth[4200];
    snprintf(url, sizeof url, "%s%s", p->url, path);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", p->token);
    const char *headers[] = {auth, "Content-Type: application/json", NULL};
    emu_http_response r;
    emu_http(method, url, headers, body, &r);
    json_t *j = emu_http_json(&r);
    if (id_out)
        snprintf(id_out, 64, "%s", json_string_value(json_object_get(json_object_get(j, "organization"), "id")));
    json_decref(j);
    long status = r.status;
    emu_http_response_free(&r);
    return status;
}

static int exit_code(pid_t pid)
{
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The outbox rows of @p data in seq order: [{id, type, body, delivered}]. */
static json_t *read_outbox(const char *data)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(data, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT id, type, body, delivered_at IS NOT NULL FROM outbox "
                                            "ORDER BY seq", -1, &st, NULL), SQLITE_OK);
    json_t *rows = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:b}", "id", sqlite3_column_text(st, 0),
                                              "type", sqlite3_column_text(st, 1),
                                              "body", sqlite3_column_text(st, 2),
                                              "delivered", sqlite3_column_int(st, 3)));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rows;
}

static void wait_for(mock_http *m, size_t n)
{
    for (int i = 0; i < 1500 && mock_http_count(m, HOOK) < n; i++)
        skit_sleep_ms(10);
    if (mock_http_count(m, HOOK) < n)
        fail_msg("%zu deliveries, expected %zu", mock_http_count(m, HOOK), n);
}

static void undelivered_events_survive_sigkill(void **state)
{
    char data[] = "/tmp/skit-outbox-XXXXXX";
    int fd = mkstemp(data);
    assert_true(fd >= 0);
    close(fd);
    mock_http *m = mock_http_start();
    mock_response busy = {.status = 503, .body = "{}"};
    mock_http_set_default(m, HOOK, &busy);
    char hook_url[300];
    snprintf(hook_url, sizeof hook_url, "%s%s", mock_http_url(m), HOOK);

    running p;
    start_program(&p, data, hook_url);
    char a[64], b[64], path[128];
    assert_int_equal(api(&p, "POST", "/api/v1/organizations", "{\"display_name\":\"Kept A\"}", a), 201);
    snprintf(path, sizeof path, "/api/v1/organizations/%s", a);
    assert_int_equal(api(&p, "PATCH", path, "{\"display_name\":\"Kept A2\"}", NULL), 200);
    assert_int_equal(api(&p, "POST", "/api/v1/organizations", "{\"display_name\":\"Kept B\"}", b), 201);
    assert_int_equal(api(&p, "PATCH", path, "{\"display_name\":\"Kept A3\"}", NULL), 200);
    assert_int_equal(api(&p, "DELETE", path, NULL, NULL), 200);
    wait_for(m, 1);   /* the first event was tried and refused */
    kill(p.pid, SIGKILL);
    assert_int_equal(exit_code(p.pid), 128 + SIGKILL);

    /* What was emitted: every event, none delivered, the first one tried under its id. */
    json_t *outbox = read_outbox(data);
    assert_int_equal(json_array_size(outbox), N_EVENTS);
    const char *types[N_EVENTS] = {"organization.created", "organization.updated", "organization.created",
                                   "organization.updated", "organization.deleted"};
    const char *orgs[N_EVENTS] = {a, a, b, a, a};
    for (size_t i = 0; i < N_EVENTS; i++) {
        json_t *row = json_array_get(outbox, i);
        assert_string_equal(json_string_value(json_object_get(row, "type")), types[i]);
        assert_false(json_is_true(json_object_get(row, "delivered")));
        json_t *event = json_loads(json_string_value(json_object_get(row, "body")), 0, NULL);
        assert_string_equal(json_string_value(json_object_get(event, "organization_id")), orgs[i]);
        json_decref(event);
    }
    const char *first_id = json_string_value(json_object_get(json_array_get(outbox, 0), "id"));
    assert_string_equal(mock_request_header(mock_http_request_for(m, HOOK, 0), "webhook-id"), first_id);

    /* Restarted on the same file with a receiver that accepts: all of it, in order, once. */
    mock_http_reset(m);
    mock_response ok = {.status = 200, .body = "{}"};
    mock_http_set_default(m, HOOK, &ok);
    start_program(&p, data, hook_url);
    wait_for(m, N_EVENTS);
    skit_sleep_ms(300);
    assert_int_equal(mock_http_count(m, HOOK), N_EVENTS);
    for (size_t i = 0; i < N_EVENTS; i++) {
        const mock_request *r = mock_http_request_for(m, HOOK, i);
        json_t *row = json_array_get(outbox, i);
        assert_string_equal(mock_request_header(r, "webhook-id"), json_string_value(json_object_get(row, "id")));
        assert_string_equal(r->body, json_string_value(json_object_get(row, "body")));
        scalekit_header h[3] = {{"webhook-id", mock_request_header(r, "webhook-id")},
                                {"webhook-timestamp", mock_request_header(r, "webhook-timestamp")},
                                {"webhook-signature", mock_request_header(r, "webhook-signature")}};
        assert_int_equal(scalekit_verify_webhook_payload(NULL, SECRET, h, 3, r->body, r->body_len), SCALEKIT_OK);
    }
    kill(p.pid, SIGTERM);
    assert_int_equal(exit_code(p.pid), 0);
    json_t *after = read_outbox(data);
    for (size_t i = 0; i < N_EVENTS; i++)
        assert_true(json_is_true(json_object_get(json_array_get(after, i), "delivered")));
    json_decref(after);
    json_decref(outbox);
    mock_http_stop(m);
    unlink(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(undelivered_events_survive_sigkill),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
