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

static void control(const emu_fixture *f, const char *method, const char *path, const char *body)
{
    static const char *const json_header[] = {"Content-Type: application/json", NULL};
    char url[512];
    emu_fixture_url(f, path, url, sizeof url);
    emu_http_response r;
    emu_http(method, url, json_header, body, &r);
    if (r.status != 200)
        fail_msg("%s %s answered %ld: %s", method, path, r.status, r.body);
    emu_http_response_free(&r);
}

void emu_passwordless_configure(const emu_fixture *f, const char *body_json)
{
    control(f, "PUT", "/_emulator/passwordless/config", body_json);
}

void emu_passwordless_expire(const emu_fixture *f, const char *auth_request_id)
{
    char path[256];
    snprintf(path, sizeof path, "/_emulator/passwordless/%s:expire", auth_request_id);
    control(f, "POST", path, "{}");
}
