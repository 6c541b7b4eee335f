/*
 * Configuration of `scalekit`: the profile file written with mode 0600 and
 * refused when group or others may read it, named profiles, flags over the
 * environment over the file, and secrets refused on argv but taken from a file
 * or standard input.
 */
#include <sys/stat.h>

#include "cli_harness.h"

typedef struct state {
    emu_fixture *f;
    char dir[64];
    char path[128];
} state;

static int setup(void **st)
{
    state *s = calloc(1, sizeof *s);
    s->f = emu_fixture_start(NULL, NULL);
    *st = s;
    return 0;
}

static int teardown(void **st)
{
    state *s = *st;
    emu_fixture_stop(s->f);
    free(s);
    return 0;
}

/* Each test: a fresh configuration directory and none of the three variables set. */
static int each_setup(void **st)
{
    state *s = *st;
    cli_env_for(s->f, s->dir, sizeof s->dir);
    snprintf(s->path, sizeof s->path, "%s/scalekit/config", s->dir);
    unsetenv("SCALEKIT_ENVIRONMENT_URL");
    unsetenv("SCALEKIT_CLIENT_ID");
    unsetenv("SCALEKIT_CLIENT_SECRET");
    return 0;
}

static int each_teardown(void **st)
{
    state *s = *st;
    cli_env_clear(s->dir);
    return 0;
}

/* `scalekit configure` for @p profile with the emulator's credentials, secret on stdin. */
static void configure(const state *s, const char *profile, const char *url)
{
    char secret[256];
    snprintf(secret, sizeof secret, "%s\n", s->f->client_secret);
    cli_result r = CLI(secret, "configure", "--profile", profile, "--environment-url", url,
                       "--client-id", s->f->client_id, "--client-secret-stdin");
    assert_status(r, 0);
    assert_non_null(strstr(r.out, "(mode 0600)"));
    cli_result_free(&r);
}

static void test_configure_writes_0600_and_the_profile_is_used(void **st)
{
    state *s = *st;
    configure(s, "default", s->f->url);
    struct stat sb;
    assert_int_equal(stat(s->path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    char dir[128];
    snprintf(dir, sizeof dir, "%s/scalekit", s->dir);
    assert_int_equal(stat(dir, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);

    /* Nothing in the environment: the default profile alone is enough. */
    cli_result r = CLI(NULL, "organizations", "list");
    assert_status(r, 0);
    cli_result_free(&r);

    /* A second profile keeps the first; --profile picks it. */
    configure(s, "broken", "http://127.0.0.1:9");
    r = CLI(NULL, "organizations", "list", "--profile", "broken");
    assert_status(r, CLI_EXIT_NETWORK);
    cli_result_free(&r);
    r = CLI(NULL, "organizations", "list", "--profile", "default");
    assert_status(r, 0);
    cli_result_free(&r);
    setenv("SCALEKIT_PROFILE", "broken", 1);
    r = CLI(NULL, "organizations", "list");
    assert_status(r, CLI_EXIT_NETWORK);
    cli_result_free(&r);
    unsetenv("SCALEKIT_PROFILE");

    r = CLI(NULL, "organizations", "list", "--profile", "nosuch");
    assert_status(r, CLI_EXIT_USAGE);
    assert_non_null(strstr(r.err, "no profile [nosuch]"));
    cli_result_free(&r);
}

static void test_group_readable_file_is_refused(void **st)
{
    state *s = *st;
    configure(s, "default", s->f->url);
    assert_int_equal(chmod(s->path, 0640), 0);
    cli_result r = CLI(NULL, "organizations", "list");
    assert_status(r, CLI_EXIT_OTHER);
    assert_non_null(strstr(r.err, "readable by group or others (mode 0640)"));
    assert_non_null(strstr(r.err, "chmod 600"));
    cli_result_free(&r);

    /* Rewriting the profile puts the mode back. */
    configure(s, "default", s->f->url);
    struct stat sb;
    assert_int_equal(stat(s->path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
}

static void test_flags_override_environment_override_file(void **st)
{
    state *s = *st;
    configure(s, "default", "http://127.0.0.1:9");   /* the file's URL goes nowhere */
    cli_result r = CLI(NULL, "organizations", "list");
    assert_status(r, CLI_EXIT_NETWORK);
    cli_result_free(&r);

    setenv("SCALEKIT_ENVIRONMENT_URL", s->f->url, 1);   /* the environment beats the file */
    r = CLI(NULL, "organizations", "list");
    assert_status(r, 0);
    cli_result_free(&r);

    /* ... and a flag beats the environment. */
    r = CLI(NULL, "organizations", "list", "--environment-url", "http://127.0.0.1:9");
    assert_status(r, CLI_EXIT_NETWORK);
    cli_result_free(&r);

    setenv("SCALEKIT_CLIENT_ID", "skc_wrong", 1);
    r = CLI(NULL, "organizations", "list");
    assert_status(r, CLI_EXIT_REFUSED);   /* 401: the environment's id was used */
    cli_result_free(&r);
    r = CLI(NULL, "organizations", "list", "--client-id", s->f->client_id);
    assert_status(r, 0);
    cli_result_free(&r);
}

static void test_missing_configuration_says_what_is_missing(void **st)
{
    (void)st;
    cli_result r = CLI(NULL, "organizations", "list");
    assert_status(r, CLI_EXIT_USAGE);
    assert_non_null(strstr(r.err, "no environment URL"));
    assert_non_null(strstr(r.err, "SCALEKIT_ENVIRONMENT_URL"));
    cli_result_free(&r);
}

static void test_secret_on_argv_is_refused(void **st)
{
    state *s = *st;
    const char *const cases[][6] = {
        {"organizations", "list", "--client-secret", "s3cr3t-value", NULL},
        {"organizations", "list", "--client-secret=s3cr3t-value", NULL},
        {"configure", "--client-secret", "s3cr3t-value", NULL},
        {"webhook", "verify", "--secret", "s3cr3t-value", NULL},
        {"webhook", "listen", "--webhook-secret=s3cr3t-value", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cli_result r = cli_run_argv(NULL, cases[i]);
        assert_status(r, CLI_EXIT_USAGE);
        assert_non_null(strstr(r.err, "is refused"));
        assert_non_null(strstr(r.err, "environment"));
        assert_non_null(strstr(r.err, i < 3 ? "--client-secret-file" : "--secret-file"));
        assert_non_null(strstr(r.err, i < 3 ? "--client-secret-stdin" : "--secret-stdin"));
        assert_null(strstr(r.err, "s3cr3t-value"));   /* and it is not echoed */
        cli_result_free(&r);
    }
    (void)s;
}

static void test_secret_from_stdin_and_file(void **st)
{
    state *s = *st;
    setenv("SCALEKIT_ENVIRONMENT_URL", s->f->url, 1);
    setenv("SCALEKIT_CLIENT_ID", s->f->client_id, 1);
    char line[256];
    snprintf(line, sizeof line, "%s\n", s->f->client_secret);
    cli_result r = CLI(line, "organizations", "list", "--client-secret-stdin");
    assert_status(r, 0);
    cli_result_free(&r);

    r = CLI("wrong-secret\n", "organizations", "list", "--client-secret-stdin");
    assert_status(r, CLI_EXIT_REFUSED);
    cli_result_free(&r);

    char file[160];
    snprintf(file, sizeof file, "%s/secret", s->dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs(line, f);
    fclose(f);
    r = CLI(NULL, "organizations", "list", "--client-secret-file", file);
    assert_status(r, 0);
    cli_result_free(&r);

    r = CLI(NULL, "organizations", "list", "--client-secret-file", "/nonexistent/secret");
    assert_status(r, CLI_EXIT_USAGE);
    assert_non_null(strstr(r.err, "/nonexistent/secret"));
    cli_result_free(&r);

    r = CLI("\n", "organizations", "list", "--client-secret-stdin");
    assert_status(r, CLI_EXIT_USAGE);
    assert_non_null(strstr(r.err, "empty"));
    cli_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_configure_writes_0600_and_the_profile_is_used, each_setup, each_teardown),
        cmocka_unit_test_setup_teardown(test_group_readable_file_is_refused, each_setup, each_teardown),
        cmocka_unit_test_setup_teardown(test_flags_override_environment_override_file, each_setup, each_teardown),
        cmocka_unit_test_setup_teardown(test_missing_configuration_says_what_is_missing, each_setup, each_teardown),
        cmocka_unit_test_setup_teardown(test_secret_on_argv_is_refused, each_setup, each_teardown),
        cmocka_unit_test_setup_teardown(test_secret_from_stdin_and_file, each_setup, each_teardown),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
