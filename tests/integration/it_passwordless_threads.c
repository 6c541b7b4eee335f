/*
 * Passwordless under concurrent callers sharing one client: eight threads
 * sending wrong codes to one request get exactly four 400s and four 429s (the
 * limit is counted in the verify's transaction, never passed), and ten threads
 * sending to one address get exactly five emails through the per-minute limit.
 * Runs under ThreadSanitizer too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "emu_fixture.h"
#include "emu_mailbox.h"
#include "scalekit/passwordless.h"

typedef struct worker {
    emu_fixture *f;
    const char *id;
    const char *text;   /* the wrong code, or the address */
    int rc;
} worker;

static void *verify_wrong(void *arg)
{
    worker *w = arg;
    scalekit_passwordless_verify_options o = SCALEKIT_PASSWORDLESS_VERIFY_OPTIONS_INIT;
    o.code = w->text;
    o.auth_request_id = w->id;
    scalekit_passwordless_verify_response *v = NULL;
    w->rc = scalekit_passwordless_verify_email(w->f->client, &o, &v);
    scalekit_passwordless_verify_response_free(v);
    return NULL;
}

static void *send_one(void *arg)
{
    worker *w = arg;
    scalekit_passwordless_send_response *s = NULL;
    w->rc = scalekit_passwordless_send_email(w->f->client, w->text, NULL, &s);
    scalekit_passwordless_send_response_free(s);
    return NULL;
}

/* Run @p fn on @p n workers at once; how many ended with each of the two codes. */
static void run_all(worker *w, size_t n, void *(*fn)(void *), int a, size_t *count_a, int b, size_t *count_b)
{
    pthread_t t[16];
    for (size_t i = 0; i < n; i++)
        assert_int_equal(pthread_create(&t[i], NULL, fn, &w[i]), 0);
    *count_a = *count_b = 0;
    for (size_t i = 0; i < n; i++) {
        pthread_join(t[i], NULL);
        *count_a += w[i].rc == a;
        *count_b += w[i].rc == b;
    }
}

static void the_wrong_code_limit_holds_under_races(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "reading the mailbox");
    char email[128];
    emu_mailbox_unique_address(email, sizeof email, "race-code");
    scalekit_passwordless_send_response *s = NULL;
    EMU_FIXTURE_OK(scalekit_passwordless_send_email(f->client, email, NULL, &s));
    json_t *m = emu_mailbox_latest(f, email);
    char *code = emu_mailbox_code(m), wrong[16];
    json_decref(m);
    snprintf(wrong, sizeof wrong, "%06d", (atoi(code) + 1) % 1000000);
    worker w[8];
    for (size_t i = 0; i < 8; i++)
        w[i] = (worker){ f, s->auth_request_id, wrong, 0 };
    size_t invalid, limited;
    run_all(w, 8, verify_wrong, SCALEKIT_EINVALID_REQUEST, &invalid, SCALEKIT_ERATE_LIMITED, &limited);
    assert_int_equal(invalid, 4);
    assert_int_equal(limited, 4);
    scalekit_passwordless_verify_options o = SCALEKIT_PASSWORDLESS_VERIFY_OPTIONS_INIT;
    o.code = code;
    o.auth_request_id = s->auth_request_id;
    scalekit_passwordless_verify_response *v = NULL;
    assert_int_equal(scalekit_passwordless_verify_email(f->client, &o, &v), SCALEKIT_ERATE_LIMITED);
    free(code);
    scalekit_passwordless_send_response_free(s);
}

static void the_send_limit_holds_under_races(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "a fresh address's limit");
    char email[128];
    emu_mailbox_unique_address(email, sizeof email, "race-send");
    worker w[10];
    for (size_t i = 0; i < 10; i++)
        w[i] = (worker){ f, NULL, email, 0 };
    size_t sent, limited;
    run_all(w, 10, send_one, SCALEKIT_OK, &sent, SCALEKIT_ERATE_LIMITED, &limited);
    assert_int_equal(sent, 5);
    assert_int_equal(limited, 5);
    assert_int_equal(emu_mailbox_count(f, email), 5);
}

#define TEST(t) cmocka_unit_test_setup_teardown(t, emu_fixture_setup, emu_fixture_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(the_wrong_code_limit_holds_under_races),
        TEST(the_send_limit_holds_under_races),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
