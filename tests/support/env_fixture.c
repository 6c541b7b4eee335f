/* emu_fixture_start_env and friends: the choice between the in-process emulator
 * and an external environment, made in this one place (see emu_fixture.h). */
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
#include "emu_testhttp.h"
#include "core/core.h"

static const char *env(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

emu_fixture *emu_fixture_start_env(const scalekit_emulator_options *emu_opts,
                                   const scalekit_client_options *client_opts)
{
    const char *url = env("SCALEKIT_ENVIRONMENT_URL"), *id = env("SCALEKIT_CLIENT_ID");
    const char *secret = env("SCALEKIT_CLIENT_SECRET");
    if (!url || !id || !secret)
        return emu_fixture_start(emu_opts, client_opts);
    emu_fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->url = url;
    f->client_id = id;
    f->client_secret = secret;
    f->client = emu_fixture_client(f, client_opts);
    return f;
}

int emu_fixture_is_external(const emu_fixture *f)
{
    return f && !f->emu;
}

/* 8 random bytes in hex: one id per test process, shared by every unique name. */
static char run_id[17];
static pthread_once_t run_id_once = PTHREAD_ONCE_INIT;

static void make_run_id(void)
{
    unsigned char raw[8];
    if (skit_random_bytes(raw, sizeof raw) != SCALEKIT_OK)
        memset(raw, 0x5a, sizeof raw);
    skit_hex_encode(raw, sizeof raw, run_id);
}

void emu_fixture_unique(char *out, size_t n, const char *prefix)
{
    static unsigned counter;
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_once(&run_id_once, make_run_id);
    pthread_mutex_lock(&lock);
    unsigned k = ++counter;
    pthread_mutex_unlock(&lock);
    snprintf(out, n, "%s-%s-%u", prefix, run_id, k);
}

int emu_fixture_setup(void **state)
{
    *state = emu_fixture_start_env(NULL, NULL);
    return 0;
}

int emu_fixture_teardown(void **state)
{
    emu_fixture_stop(*state);
    return 0;
}

int emu_raw_fixture_setup(void **state)
{
    emu_raw_fixture *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->f = emu_fixture_start(NULL, NULL);
    s->token = emu_test_client_token(s->f->emu);
    assert_non_null(s->token);
    *state = s;
    return 0;
}

int emu_raw_fixture_setup_env(void **state)
{
    emu_raw_fixture *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->f = emu_fixture_start_env(NULL, NULL);
    s->token = emu_test_client_token_at(s->f->url, s->f->client_id, s->f->client_secret);
    if (!s->token)
        fail_msg("no client-credentials token from %s", s->f->url);
    *state = s;
    return 0;
}

int emu_raw_fixture_teardown(void **state)
{
    emu_raw_fixture *s = *state;
    free(s->token);
    emu_fixture_stop(s->f);
    free(s);
    return 0;
}

long emu_raw_fixture_api(const emu_raw_fixture *s, const char *method, const char *path,
                         const char *body, json_t **out)
{
    char url[512], auth[4096];
    emu_fixture_url(s->f, path, url, sizeof url);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", s->token);
    const char *headers[] = {auth, "Content-Type: application/json", NULL};
    return emu_http_call(method, url, headers, body, out);
}

const char *emu_fixture_last_message(void)
{
    const char *m = scalekit_error_last()->message;
    return m ? m : "";
}

void emu_assert_failed(int rc, int code, long status, const char *field)
{
    const scalekit_error *e = scalekit_error_last();
    assert_int_equal(rc, code);
    assert_int_equal(e->code, code);
    assert_int_equal(e->http_status, status);
    assert_non_null(e->message);
    if (field) {
        assert_true(e->field_violation_count >= 1);
        assert_string_equal(e->field_violations[0].field, field);
        assert_non_null(e->field_violations[0].description);
    }
}
