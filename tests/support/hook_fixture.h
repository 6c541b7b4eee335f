/*
 * hook_fixture: an emulator whose webhook deliveries go to a local receiver
 * (mock_http answering 200 at HOOK_FIXTURE_PATH), for the tests of a resource's
 * events; each delivery is read back verified by scalekit_verify_webhook_payload
 * with the emulator's webhook secret. Every failure fails the running cmocka test.
 *
 *   cmocka_run_group_tests(tests, hook_fixture_setup, hook_fixture_teardown);
 *   ... in a test: hook_fixture *s = *state; ... hook_fixture_wait(s, 2);
 *   json_t *event = hook_fixture_event(s, 0);
 */
#ifndef HOOK_FIXTURE_H
#define HOOK_FIXTURE_H

#include <stddef.h>
#include <jansson.h>

#include "emu_fixture.h"
#include "mock_http.h"

#define HOOK_FIXTURE_PATH "/webhooks"

typedef struct hook_fixture {
    mock_http *receiver;
    emu_fixture *f;     /* emu_fixture_start_env: f->emu is NULL against an external environment */
} hook_fixture;

/* *state = a receiver and an emulator delivering to it / their stop. */
int hook_fixture_setup(void **state);
int hook_fixture_teardown(void **state);
/* Forget the deliveries received so far (and answer 200 again to those to come). */
void hook_fixture_reset(hook_fixture *s);
/* Wait (at most 10 s) until the receiver has had exactly @p n deliveries. */
void hook_fixture_wait(hook_fixture *s, size_t n);
/* Delivery @p nth (0-based), verified with the SDK: its payload (new reference). */
json_t *hook_fixture_event(hook_fixture *s, size_t nth);

#endif
