/* The mailbox and the passwordless controls for tests (emu_mailbox.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "emu_mailbox.h"
#include "emu_testhttp.h"
#include "environment.h"
#include "resources.h"

static json_t *messages(const emu_fixture *f)
{
    char url[512];
    json_t *box = NULL;
    emu_fixture_url(f, "/_emulator/mailbox", url, sizeof url);
    long status = emu_http_call("GET", url, NULL, NULL, &box);
    if (status != 200 || !json_is_array(json_object_get(box, "messages")))
        fail_msg("GET /_emulator/mailbox answered %ld", status);
    return box;
}

void emu_mailbox_unique_address(char *out, size_t n, const char *prefix)
{
    char local[96];
    emu_fixture_unique(local, sizeof local, prefix);
    snprintf(out, n, "%s@example.com", local);
}

json_t *emu_mailbox_latest(const emu_fixture *f, const char *email)
{
    json_t *box = messages(f), *m, *found = NULL;
    size_t i;
    json_array_foreach(json_object_get(box, "messages"), i, m) {
        if (!found && json_is_string(json_object_get(m, "to")) &&
            strcmp(json_string_value(json_object_get(m, "to")), email) == 0)
            found = json_incref(m);
    }
    json_decref(box);
    return found;
}

size_t emu_mailbox_count(const emu_fixture *f, const char *email)
{
    json_t *box = messages(f), *m;
    size_t i, n = 0;
    json_array_foreach(json_object_get(box, "messages"), i, m)
        n += json_is_string(json_object_get(m, "to")) && strcmp(json_string_value(json_object_get(m, "to")), email) == 0;
    json_decref(box);
    return n;
}

char *emu_mailbox_code(const json_t *message)
{
    static const char prefix[] = "Your verification code is ";
    const char *subject = json_string_value(json_object_get(message, "subject"));
    if (!subject || strncmp(subject, prefix, sizeof prefix - 1) != 0)
        fail_msg("no code in the message's subject: %s", subject ? subject : "(none)");
    return strdup(subject + sizeof prefix - 1);
}

/* @p method @p path of the emulator with @p bearer (NULL: none) and @p body; asserts 200. */
static void call(const emu_fixture *f, const char *method, const char *path, const char *bearer, const char *body)
{
    char url[512], auth[1024];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", bearer ? bearer : "");
    const char *const headers[] = {"Content-Type: application/json", bearer ? auth : NULL, NULL};
    emu_fixture_url(f, path, url, sizeof url);
    emu_http_response r;
    emu_http(method, url, headers, body, &r);
    if (r.status != 200)
        fail_msg("%s %s answered %ld: %s", method, path, r.status, r.body);
    emu_http_response_free(&r);
}

void emu_passwordless_configure(const emu_fixture *f, const char *body_json)
{
    json_t *body = json_loads(body_json, 0, NULL), *cfg = json_object_get(body, "passwordless_config");
    assert_non_null(body);
    char *token = emu_test_client_token(f->emu), *cfg_text = cfg ? json_dumps(cfg, JSON_COMPACT) : NULL;
    assert_non_null(token);
    skit_buf b = SKIT_BUF_INIT;
    json_t *row = emu_environment_connection(f->emu, "PASSWORDLESS");
    if (!row) {
        skit_buf_printf(&b, "{\"type\":\"PASSWORDLESS\"%s%s}", cfg_text ? ",\"passwordless_config\":" : "",
                        cfg_text ? cfg_text : "");
        call(f, "POST", "/api/v1/connections", token, b.ptr);
        row = emu_environment_connection(f->emu, "PASSWORDLESS");
        assert_non_null(row);
    } else if (cfg_text) {
        char path[256];
        skit_buf_printf(&b, "{\"passwordless_config\":%s}", cfg_text);
        snprintf(path, sizeof path, "/api/v1/connections/%s", json_string_value(json_object_get(row, "id")));
        call(f, "PATCH", path, token, b.ptr);
    }
    /* As the dashboard: on unless the body says "enabled": false. */
    char path[256];
    snprintf(path, sizeof path, "/api/v1/connections/%s:%s", json_string_value(json_object_get(row, "id")),
             json_is_false(json_object_get(body, "enabled")) ? "disable" : "enable");
    call(f, "PATCH", path, token, NULL);
    skit_buf_free(&b);
    json_decref(row);
    free(cfg_text);
    free(token);
    json_decref(body);
}

void emu_passwordless_expire(const emu_fixture *f, const char *auth_request_id)
{
    char path[256];
    snprintf(path, sizeof path, "/_emulator/passwordless/%s:expire", auth_request_id);
    call(f, "POST", path, NULL, "{}");
}
