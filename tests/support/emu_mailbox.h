/*
 * The emulator's mailbox for the passwordless tests: the newest message to an
 * address, its code, and the environment's passwordless configuration (the
 * /_emulator controls, over plain HTTP). Every call that cannot do its job
 * fails the running cmocka test.
 */
#ifndef EMU_MAILBOX_H
#define EMU_MAILBOX_H

#include <jansson.h>
#include "emu_fixture.h"

/* "<prefix>-<run id>-<n>@example.com": an address no other test run mails. */
void emu_mailbox_unique_address(char *out, size_t n, const char *prefix);
/* The newest message to @p email (GET /_emulator/mailbox), a new reference; NULL when none. */
json_t *emu_mailbox_latest(const emu_fixture *f, const char *email);
/* How many messages went to @p email. */
size_t emu_mailbox_count(const emu_fixture *f, const char *email);
/* The code of a passwordless message ("Your verification code is <code>"), malloc'd;
 * fails the test when the subject holds none. */
char *emu_mailbox_code(const json_t *message);
/* Configure the environment's passwordless connection through the API (/api/v1/connections:
 * created when there is none, its passwordless_config patched, then enabled, or disabled when
 * @p body_json says "enabled": false), as the dashboard would. @p body_json:
 * {"enabled": bool, "passwordless_config": {...}}, both optional. Asserts each step. */
void emu_passwordless_configure(const emu_fixture *f, const char *body_json);
/* POST /_emulator/passwordless/{id}:expire; asserts 200. */
void emu_passwordless_expire(const emu_fixture *f, const char *auth_request_id);

#endif
