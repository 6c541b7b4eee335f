/* An emulator delivering its webhooks to a local receiver: see hook_fixture.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "hook_fixture.h"
#include "event_check.h"
#include "core/core.h"
#include "scalekit/webhook.h"

static void answer_ok(mock_http *m)
{
    mock_response ok = {.status = 200, .body = "{}"};
    mock_http_set_default(m, HOOK_FIXTURE_PATH, &ok);
}

int hook_fixture_setup(void **state)
{
    hook_fixture *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->receiver = mock_http_start();
    answer_ok(s->receiver);
    char url[256];
    snprintf(url, sizeof url, "%s%s", mock_http_url(s->receiver), HOOK_FIXTURE_PATH);
    scalekit_emulator_options o = {.webhook_url = url};
    s->f = emu_fixture_start_env(&o, NULL);
    *state = s;
    return 0;
}

int hook_fixture_teardown(void **state)
{
    hook_fixture *s = *state;
    emu_fixture_stop(s->f);
    mock_http_stop(s->receiver);
    free(s);
    return 0;
}

void hook_fixture_reset(hook_fixture *s)
{
    mock_http_reset(s->receiver);
    answer_ok(s->receiver);
}

void hook_fixture_wait(hook_fixture *s, size_t n)
{
    for (int i = 0; i < 1000 && mock_http_count(s->receiver, HOOK_FIXTURE_PATH) < n; i++)
        skit_sleep_ms(10);
    assert_int_equal(mock_http_count(s->receiver, HOOK_FIXTURE_PATH), n);
}

json_t *hook_fixture_event(hook_fixture *s, size_t nth)
{
    assert_non_null(s->f->emu);
    const mock_request *r = mock_http_request_for(s->receiver, HOOK_FIXTURE_PATH, nth);
    assert_non_null(r);
    scalekit_header headers[32];
    size_t n = r->header_count < 32 ? r->header_count : 32;
    for (size_t i = 0; i < n; i++)
        headers[i] = (scalekit_header){r->header_names[i], r->header_values[i]};
    int rc = scalekit_verify_webhook_payload(NULL, scalekit_emulator_webhook_secret(s->f->emu), headers, n,
                                             r->body, r->body_len);
    if (rc != SCALEKIT_OK)
        fail_msg("delivery %zu does not verify: %d %s", nth, rc, scalekit_error_last()->message);
    /* Every delivery a test reads is also checked as a typed event, and logged for the census. */
    event_check_delivery(r->body, r->body_len);
    json_t *event = json_loadb(r->body, r->body_len, 0, NULL);
    assert_non_null(event);
    return event;
}
