/* The scalekit-emulator program: flags, exit codes, what it prints, clean stop on SIGTERM. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "emu_testhttp.h"

static char program[PATH_MAX];

/* The program sits in the build directory, one level above the tests. */
static int find_program(void **state)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return -1;
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    *slash = '\0';
    int len = snprintf(program, sizeof program, "%s/../scalekit-emulator", self);
    if (len < 0 || (size_t)len >= sizeof program)
        return -1;
    return access(program, X_OK) == 0 ? 0 : -1;
}

/* Run the program with @p args; its stdout and stderr pipes and pid. */
static pid_t spawn(char *const args[], int *out_fd, int *err_fd)
{
    int out[2], err[2];
    assert_int_equal(pipe(out), 0);
    assert_int_equal(pipe(err), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(err[1], 2);
        close(out[0]);
        close(err[0]);
        execv(program, args);
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    *out_fd = out[0];
    *err_fd = err[0];
    return pid;
}

static size_t read_all(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    ssize_t got;
    while (n + 1 < cap && (got = read(fd, buf + n, cap - 1 - n)) > 0)
        n += (size_t)got;
    buf[n] = '\0';
    return n;
}

static int exit_code(pid_t pid)
{
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void test_bad_flag_exits_2(void **state)
{
    char *const args[] = {program, "--no-such-flag", NULL};
    int out, err;
    pid_t pid = spawn(args, &out, &err);
    char buf[4096];
    read_all(err, buf, sizeof buf);
    assert_non_null(strstr(buf, "usage: scalekit-emulator"));
    assert_int_equal(exit_code(pid), 2);
    close(out);
    close(err);

    char *const bad_port[] = {program, "--port", "99999", NULL};
    pid = spawn(bad_port, &out, &err);
    read_all(err, buf, sizeof buf);
    assert_non_null(strstr(buf, "99999"));
    assert_int_equal(exit_code(pid), 2);
    close(out);
    close(err);

    char *const bad_cap[] = {program, "--max-connections-per-ip", "0", NULL};
    pid = spawn(bad_cap, &out, &err);
    read_all(err, buf, sizeof buf);
    assert_non_null(strstr(buf, "--max-connections-per-ip 0 is not a number"));
    assert_int_equal(exit_code(pid), 2);
    close(out);
    close(err);

    char *const bad_timeout[] = {program, "--connection-timeout-seconds", "1s", NULL};
    pid = spawn(bad_timeout, &out, &err);
    read_all(err, buf, sizeof buf);
    assert_non_null(strstr(buf, "--connection-timeout-seconds 1s is not a number"));
    assert_int_equal(exit_code(pid), 2);
    close(out);
    close(err);
}

static void test_public_url_flag(void **state)
{
    char *const bad[] = {program, "--public-url", "http://example.com/?q=1", "--quiet", NULL};
    int out, err;
    pid_t pid = spawn(bad, &out, &err);
    char buf[4096];
    read_all(err, buf, sizeof buf);
    assert_non_null(strstr(buf, "http://example.com/?q=1"));
    assert_non_null(strstr(buf, "query"));
    assert_int_equal(exit_code(pid), 2);
    close(out);
    close(err);

    /* The public URL comes first (what clients use); the listening address last. */
    char *const good[] = {program, "--port", "0", "--public-url", "https://auth.example.test/env/", "--quiet", NULL};
    pid = spawn(good, &out, &err);
    FILE *f = fdopen(out, "r");
    char url[256], line[256], listen[256] = "";
    assert_non_null(fgets(url, sizeof url, f));
    assert_string_equal(url, "https://auth.example.test/env\n");
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "listen_url: ", 12) == 0) {
            snprintf(listen, sizeof listen, "%s", line + 12);
            listen[strcspn(listen, "\n")] = '\0';
            break;
        }
    assert_true(strncmp(listen, "http://127.0.0.1:", 17) == 0);
    char discovery[300];
    snprintf(discovery, sizeof discovery, "%s/.well-known/openid-configuration", listen);
    emu_http_response r;
    emu_http("GET", discovery, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    json_t *d = emu_http_json(&r);
    assert_string_equal(json_string_value(json_object_get(d, "issuer")), "https://auth.example.test/env");
    json_decref(d);
    emu_http_response_free(&r);
    kill(pid, SIGTERM);
    assert_int_equal(exit_code(pid), 0);
    fclose(f);
    close(err);
}

static void test_help(void **state)
{
    char *const args[] = {program, "--help", NULL};
    int out, err;
    pid_t pid = spawn(args, &out, &err);
    char buf[4096];
    read_all(out, buf, sizeof buf);
    const char *flags[] = {"--host", "--port", "--data", "--client-id", "--client-secret",
                           "--webhook-url", "--webhook-secret", "--public-url", "--redirect-uri", NULL};
    for (size_t i = 0; flags[i]; i++)
        assert_non_null(strstr(buf, flags[i]));
    assert_int_equal(exit_code(pid), 0);
    close(out);
    close(err);
}

static void test_prints_url_and_serves(void **state)
{
    char *const args[] = {program, "--port", "0", "--client-id", "skc_cli", "--client-secret", "s3cret",
                          "--quiet", NULL};
    int out, err;
    pid_t pid = spawn(args, &out, &err);
    FILE *f = fdopen(out, "r");
    char url[256], id_line[256], secret_line[256];
    assert_non_null(fgets(url, sizeof url, f));
    assert_non_null(fgets(id_line, sizeof id_line, f));
    assert_non_null(fgets(secret_line, sizeof secret_line, f));
    url[strcspn(url, "\n")] = '\0';
    assert_true(strncmp(url, "http://127.0.0.1:", 17) == 0);
    assert_string_equal(id_line, "client_id: skc_cli\n");
    assert_string_equal(secret_line, "client_secret: s3cret\n");

    char health[300];
    snprintf(health, sizeof health, "%s/_emulator/health", url);
    emu_http_response r;
    emu_http("GET", health, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    emu_http_response_free(&r);

    kill(pid, SIGTERM);
    assert_int_equal(exit_code(pid), 0);
    fclose(f);
    close(err);
}

/* --redirect-uri registers each of its values; a malformed one stops the start. */
static void test_redirect_uri_flag(void **state)
{
    char *const args[] = {program, "--redirect-uri", "https://a.example/cb", "--redirect-uri",
                          "https://b.example/cb?x=1", "--quiet", NULL};
    int out, err;
    pid_t pid = spawn(args, &out, &err);
    FILE *f = fdopen(out, "r");
    char url[256], list[300];
    assert_non_null(fgets(url, sizeof url, f));
    url[strcspn(url, "\n")] = '\0';
    snprintf(list, sizeof list, "%s/_emulator/redirect-uris", url);
    emu_http_response r;
    emu_http("GET", list, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "{\"redirect_uris\":[\"https://a.example/cb\",\"https://b.example/cb?x=1\"]}");
    emu_http_response_free(&r);
    kill(pid, SIGTERM);
    assert_int_equal(exit_code(pid), 0);
    fclose(f);
    close(err);

    char *const bad[] = {program, "--redirect-uri", "http://\\evil.example", "--quiet", NULL};
    pid = spawn(bad, &out, &err);
    char buf[4096];
    read_all(err, buf, sizeof buf);
    assert_non_null(strstr(buf, "--redirect-uri http://\\evil.example contains a backslash"));
    assert_int_equal(exit_code(pid), 2);   /* a bad option value, as for --port */
    close(out);
    close(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_flag_exits_2),
        cmocka_unit_test(test_public_url_flag),
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_prints_url_and_serves),
        cmocka_unit_test(test_redirect_uri_flag),
    };
    return cmocka_run_group_tests(tests, find_program, NULL);
}
