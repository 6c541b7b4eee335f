/*
 * The installed shape of the command line: the built `scalekit` program run as
 * a process. `scalekit emulator` serves (the shared emulator options) and stops
 * cleanly on SIGTERM; the program talks to it, printing JSON when stdout is not
 * a terminal; `scalekit webhook listen` stops cleanly on SIGINT.
 */
#include <signal.h>
#include <sys/wait.h>

#include "cli_harness.h"

/* Run the program with @p args; its pid, stdout and stderr as streams. */
static pid_t spawn(const char *const *args, FILE **out, FILE **err)
{
    int o[2], e[2];
    assert_int_equal(pipe(o), 0);
    assert_int_equal(pipe(e), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(o[1], 1);
        dup2(e[1], 2);
        close(o[0]);
        close(e[0]);
        execv(SCALEKIT_CLI_PROGRAM, (char *const *)args);
        _exit(127);
    }
    close(o[1]);
    close(e[1]);
    *out = fdopen(o[0], "r");
    *err = fdopen(e[0], "r");
    return pid;
}

static int wait_exit(pid_t pid)
{
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* Run to the end; its exit status and stdout (malloc'd). */
static int run(const char *const *args, char **stdout_text)
{
    FILE *out, *err;
    pid_t pid = spawn(args, &out, &err);
    char *text = NULL;
    size_t cap = 0;
    ssize_t n = getdelim(&text, &cap, '\0', out);
    if (n < 0) {
        free(text);
        text = strdup("");
    }
    fclose(out);
    fclose(err);
    *stdout_text = text;
    return wait_exit(pid);
}

static void test_emulator_serves_the_cli_and_stops_on_sigterm(void **st)
{
    (void)st;
    FILE *out, *err;
    pid_t emu = spawn((const char *const[]){"scalekit", "emulator", "--port", "0", "--quiet", NULL}, &out, &err);
    char url[256] = "", id[256] = "", secret[256] = "", line[512];
    assert_non_null(fgets(url, sizeof url, out));
    url[strcspn(url, "\n")] = '\0';
    assert_memory_equal(url, "http://127.0.0.1:", 17);
    while (fgets(line, sizeof line, out) && !(*id && *secret)) {
        sscanf(line, "client_id: %255s", id);
        sscanf(line, "client_secret: %255s", secret);
    }
    assert_true(*id && *secret);
    setenv("SCALEKIT_ENVIRONMENT_URL", url, 1);
    setenv("SCALEKIT_CLIENT_ID", id, 1);
    setenv("SCALEKIT_CLIENT_SECRET", secret, 1);
    setenv("XDG_CONFIG_HOME", "/nonexistent", 1);

    char *text = NULL;
    assert_int_equal(run((const char *const[]){"scalekit", "organizations", "create", "Proc", "--external-id",
                                               "proc-1", NULL}, &text), 0);
    free(text);
    /* stdout is a pipe: JSON by default. */
    assert_int_equal(run((const char *const[]){"scalekit", "organizations", "get-by-external-id", "proc-1", NULL},
                         &text), 0);
    json_t *j = json_loads(text, 0, NULL);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "organization"), "display_name")),
                        "Proc");
    json_decref(j);
    free(text);
    assert_int_equal(run((const char *const[]){"scalekit", "organizations", "get", "org_missing", NULL}, &text),
                     CLI_EXIT_NOT_FOUND);
    free(text);

    assert_int_equal(kill(emu, SIGTERM), 0);
    assert_int_equal(wait_exit(emu), 0);
    fclose(out);
    fclose(err);
}

static void test_webhook_listen_stops_on_sigint(void **st)
{
    (void)st;
    FILE *out, *err;
    setenv("SCALEKIT_WEBHOOK_SECRET", "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", 1);
    pid_t pid = spawn((const char *const[]){"scalekit", "webhook", "listen", "--port", "0", "--timeout", "60", NULL},
                      &out, &err);
    char line[512];
    assert_non_null(fgets(line, sizeof line, err));
    assert_memory_equal(line, "listening on http://127.0.0.1:", 30);
    assert_int_equal(kill(pid, SIGINT), 0);
    assert_int_equal(wait_exit(pid), 0);
    assert_non_null(fgets(line, sizeof line, err));
    assert_string_equal(line, "stopped after 0 deliveries\n");
    fclose(out);
    fclose(err);
    unsetenv("SCALEKIT_WEBHOOK_SECRET");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_emulator_serves_the_cli_and_stops_on_sigterm),
        cmocka_unit_test(test_webhook_listen_stops_on_sigint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
