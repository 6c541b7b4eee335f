/*
 * Running the scalekit command line in-process for the tests: cli_main() with
 * memory streams, its exit status, standard output and standard error; and the
 * environment pointing it at an in-process emulator.
 */
#ifndef CLI_HARNESS_H
#define CLI_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>

#include "cli.h"
#include "emu_fixture.h"
#include "mock_http.h"

typedef struct cli_result {
    int status;
    char *out, *err;
    size_t out_len, err_len;
} cli_result;

static inline void cli_result_free(cli_result *r)
{
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof *r);
}

/* Run `scalekit ARGV...` (NULL-terminated, without the program name) with @p in as standard
 * input, standard output and error a terminal or not as @p out_tty and @p err_tty say. */
static inline cli_result cli_run_tty(const char *in, bool out_tty, bool err_tty, const char *const *argv)
{
    cli_result res;
    memset(&res, 0, sizeof res);
    const char *args[64] = {"scalekit"};
    int argc = 1;
    while (argv[argc - 1] && argc < 63) {
        args[argc] = argv[argc - 1];
        argc++;
    }
    FILE *out = open_memstream(&res.out, &res.out_len), *err = open_memstream(&res.err, &res.err_len);
    FILE *inf = tmpfile();
    assert_non_null(out);
    assert_non_null(err);
    assert_non_null(inf);
    if (in)
        fputs(in, inf);
    rewind(inf);
    cli_io io = { inf, out, err, out_tty, err_tty, false };
    res.status = cli_main(argc, (char **)args, &io);
    fclose(out);
    fclose(err);
    fclose(inf);
    return res;
}

static inline cli_result cli_run_argv(const char *in, const char *const *argv)
{
    return cli_run_tty(in, false, false, argv);
}

#define CLI(in, ...) cli_run_argv((in), (const char *const[]){__VA_ARGS__, NULL})

/* Assert the exit status, printing what the program said when it differs. */
#define assert_status(res, want)                                                              \
    do {                                                                                      \
        if ((res).status != (want))                                                           \
            fail_msg("exit status %d, want %d\nstdout: %s\nstderr: %s", (res).status, (want), \
                     (res).out, (res).err);                                                   \
    } while (0)

/* Standard output parsed as one JSON document (new reference); fails the test otherwise. */
static inline json_t *cli_json(const cli_result *r)
{
    json_error_t e;
    json_t *j = json_loads(r->out, 0, &e);
    if (!j)
        fail_msg("stdout is not one JSON document (%s): %s", e.text, r->out);
    return j;
}

/* Point the program at @p f: the three variables, and an empty configuration directory. */
static inline void cli_env_for(const emu_fixture *f, char *config_dir, size_t n)
{
    setenv("SCALEKIT_ENVIRONMENT_URL", f->url, 1);
    setenv("SCALEKIT_CLIENT_ID", f->client_id, 1);
    setenv("SCALEKIT_CLIENT_SECRET", f->client_secret, 1);
    unsetenv("SCALEKIT_PROFILE");
    snprintf(config_dir, n, "/tmp/scalekit-cli-test-XXXXXX");
    assert_non_null(mkdtemp(config_dir));
    setenv("XDG_CONFIG_HOME", config_dir, 1);
}

/* Remove the configuration directory made by cli_env_for (two levels deep at most). */
static inline void cli_env_clear(const char *config_dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", config_dir);
    assert_int_equal(system(cmd), 0);
}

/* The state of a suite against one in-process emulator, the program pointed at it. */
typedef struct cli_emu_state {
    emu_fixture *f;
    char dir[64];
} cli_emu_state;

static inline int cli_emu_setup(void **st)
{
    cli_emu_state *s = calloc(1, sizeof *s);
    if (!s)
        return -1;
    s->f = emu_fixture_start(NULL, NULL);
    cli_env_for(s->f, s->dir, sizeof s->dir);
    *st = s;
    return 0;
}

static inline int cli_emu_teardown(void **st)
{
    cli_emu_state *s = *st;
    cli_env_clear(s->dir);
    emu_fixture_stop(s->f);
    free(s);
    return 0;
}

/* *st = a scripted server (mock_http.h), the program pointed at it with a client id and
 * secret and no configuration file / its stop. For commands whose routes the emulator lacks. */
static inline int cli_wire_setup(void **st)
{
    mock_http *m = mock_http_start();
    setenv("SCALEKIT_ENVIRONMENT_URL", mock_http_url(m), 1);
    setenv("SCALEKIT_CLIENT_ID", "cid", 1);
    setenv("SCALEKIT_CLIENT_SECRET", "secret", 1);
    setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
    *st = m;
    return 0;
}

static inline int cli_wire_teardown(void **st)
{
    mock_http_stop(*st);
    return 0;
}

#endif
