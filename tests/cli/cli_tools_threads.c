/*
 * The commands of `scalekit` that are more than one API call: token decode and
 * validate, webhook verify, webhook listen receiving a delivery from the
 * emulator (and forwarding it), login through the emulator's hosted login with
 * PKCE and a loopback redirect, the emulator's shared options, and the man page
 * and completions generated from the table. Its threads (a listener, a login
 * waiting for its redirect) make it a ThreadSanitizer suite too (the file name).
 */
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>

#include "cli_harness.h"
#include "emu_testhttp.h"
#include "mock_http.h"

#define HOOK_SECRET "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

typedef cli_emu_state state;

/* ---- a command running in a thread, its stderr readable line by line ---------- */

typedef struct bg {
    pthread_t thread;
    const char *argv[16];
    int argc;
    int err_pipe[2];
    FILE *err_read;
    char *out;
    size_t out_len;
    FILE *out_stream;
    int status;
} bg;

static void *bg_main(void *arg)
{
    bg *b = arg;
    FILE *err = fdopen(b->err_pipe[1], "w");
    cli_io io = { stdin, b->out_stream, err, false, false, false };
    b->status = cli_main(b->argc, (char **)b->argv, &io);
    fclose(err);   /* the reader sees end of file */
    return NULL;
}

static void bg_start(bg *b, const char *const *args)
{
    memset(b, 0, sizeof *b);
    b->argv[b->argc++] = "scalekit";
    for (size_t i = 0; args[i]; i++)
        b->argv[b->argc++] = args[i];
    assert_int_equal(pipe(b->err_pipe), 0);
    b->err_read = fdopen(b->err_pipe[0], "r");
    b->out_stream = open_memstream(&b->out, &b->out_len);
    assert_int_equal(pthread_create(&b->thread, NULL, bg_main, b), 0);
}

/* The first line of its stderr that starts with @p prefix (malloc'd), or fail. */
static char *bg_line(bg *b, const char *prefix)
{
    char line[4096];
    while (fgets(line, sizeof line, b->err_read)) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, prefix, strlen(prefix)) == 0)
            return strdup(line);
    }
    fail_msg("the command ended without a line starting with %s", prefix);
    return NULL;
}

static int bg_join(bg *b)
{
    char drain[4096];
    while (fgets(drain, sizeof drain, b->err_read))
        ;
    pthread_join(b->thread, NULL);
    fclose(b->err_read);
    fclose(b->out_stream);
    return b->status;
}

/* ---- token ------------------------------------------------------------------ */

static void test_token_decode(void **st)
{
    state *s = *st;
    char *token = emu_test_client_token(s->f->emu);
    assert_non_null(token);
    cli_result r = CLI(NULL, "token", "decode", token, "--output", "json");
    assert_status(r, 0);
    assert_non_null(strstr(r.err, "NOT VERIFIED"));
    json_t *j = cli_json(&r);
    assert_true(json_is_false(json_object_get(j, "verified")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "header"), "alg")), "RS256");
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "claims"), "iss")), s->f->url);
    /* A fresh token expires within the hour: "in 59 minutes" or "in 1 hour". */
    const char *expires = json_string_value(json_object_get(j, "expires"));
    assert_non_null(expires);
    assert_memory_equal(expires, "in ", 3);
    json_decref(j);
    cli_result_free(&r);

    /* From standard input, as a table. */
    char line[4096];
    snprintf(line, sizeof line, "%s\n", token);
    r = CLI(line, "token", "decode", "-", "--output", "table");
    assert_status(r, 0);
    assert_non_null(strstr(r.out, "claims:\n"));
    assert_non_null(strstr(r.out, "verified             false"));
    cli_result_free(&r);

    r = CLI(NULL, "token", "decode", "not.a-jwt");
    assert_status(r, CLI_EXIT_USAGE);
    assert_non_null(strstr(r.err, "not a JWT"));
    cli_result_free(&r);
    free(token);
}

static void test_token_validate(void **st)
{
    state *s = *st;
    char *token = emu_test_client_token(s->f->emu);
    cli_result r = CLI(NULL, "token", "validate", token, "--output", "json");
    assert_status(r, 0);
    json_t *j = cli_json(&r);
    assert_true(json_is_true(json_object_get(j, "valid")));
    assert_non_null(strstr(json_string_value(json_object_get(j, "why")), "/keys"));
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "claims"), "iss")), s->f->url);
    json_decref(j);
    cli_result_free(&r);

    /* A signature that does not verify: exit 4 and the reason. */
    size_t n = strlen(token);
    token[n - 3] = token[n - 3] == 'A' ? 'B' : 'A';
    r = CLI(NULL, "token", "validate", token);
    assert_status(r, CLI_EXIT_REFUSED);
    assert_non_null(strstr(r.out, "invalid: "));
    cli_result_free(&r);
    token[n - 3] = token[n - 3] == 'A' ? 'B' : 'A';

    /* Another issuer demanded: a claim mismatch, also exit 4. */
    r = CLI(NULL, "token", "validate", token, "--issuer", "https://elsewhere.example");
    assert_status(r, CLI_EXIT_REFUSED);
    assert_non_null(strstr(r.out, "invalid: "));
    cli_result_free(&r);
    free(token);
}

/* ---- webhook verify ------------------------------------------------------------ */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_webhook_verify(void **st)
{
    state *s = *st;
    const char *payload = "{\"type\":\"organization.created\",\"data\":{\"id\":\"org_1\"}}";
    char *sig = NULL;
    int64_t now = (int64_t)time(NULL);
    assert_int_equal(scalekit_sign_webhook_payload(HOOK_SECRET, "msg_1", now, payload, strlen(payload), &sig),
                     SCALEKIT_OK);
    char headers[512], hpath[128], ppath[128], spath[128];
    snprintf(headers, sizeof headers, "webhook-id: msg_1\nwebhook-timestamp: %lld\nwebhook-signature: %s\n",
             (long long)now, sig);
    snprintf(hpath, sizeof hpath, "%s/headers", s->dir);
    snprintf(ppath, sizeof ppath, "%s/payload", s->dir);
    snprintf(spath, sizeof spath, "%s/secret", s->dir);
    write_file(hpath, headers);
    write_file(ppath, payload);
    write_file(spath, HOOK_SECRET "\n");

    setenv("SCALEKIT_WEBHOOK_SECRET", HOOK_SECRET, 1);
    cli_result r = CLI(payload, "webhook", "verify", "--headers", hpath);   /* payload on stdin */
    assert_status(r, 0);
    assert_non_null(strstr(r.out, "verified"));
    cli_result_free(&r);
    unsetenv("SCALEKIT_WEBHOOK_SECRET");

    r = CLI(NULL, "webhook", "verify", "--headers", hpath, "--payload", ppath, "--secret-file", spath);
    assert_status(r, 0);
    cli_result_free(&r);

    /* A secret file others may read: used, with a warning. */
    assert_int_equal(chmod(spath, 0644), 0);
    r = CLI(NULL, "webhook", "verify", "--headers", hpath, "--payload", ppath, "--secret-file", spath);
    assert_status(r, 0);
    assert_non_null(strstr(r.err, "warning: "));
    assert_non_null(strstr(r.err, "chmod 600"));
    cli_result_free(&r);
    assert_int_equal(chmod(spath, 0600), 0);

    /* An interceptor call: the same signature under interceptor-* names, with --interceptor only. */
    char ipath[128];
    snprintf(ipath, sizeof ipath, "%s/iheaders", s->dir);
    snprintf(headers, sizeof headers, "interceptor-id: msg_1\ninterceptor-timestamp: %lld\n"
             "interceptor-signature: %s\n", (long long)now, sig);
    write_file(ipath, headers);
    r = CLI(NULL, "webhook", "verify", "--interceptor", "--headers", ipath, "--payload", ppath, "--secret-file", spath);
    assert_status(r, 0);
    cli_result_free(&r);
    r = CLI(NULL, "webhook", "verify", "--headers", ipath, "--payload", ppath, "--secret-file", spath);
    assert_status(r, CLI_EXIT_REFUSED);   /* a webhook needs webhook-* headers */
    assert_non_null(strstr(r.out, "not verified: "));
    cli_result_free(&r);

    /* One byte changed: refused, exit 4, the reason named. */
    r = CLI("{\"type\":\"organization.deleted\",\"data\":{\"id\":\"org_1\"}}", "webhook", "verify",
            "--headers", hpath, "--secret-file", spath);
    assert_status(r, CLI_EXIT_REFUSED);
    assert_non_null(strstr(r.out, "not verified: "));
    cli_result_free(&r);

    /* No secret anywhere: a usage error naming where it may come from. */
    r = CLI(payload, "webhook", "verify", "--headers", hpath);
    assert_status(r, CLI_EXIT_USAGE);
    assert_non_null(strstr(r.err, "SCALEKIT_WEBHOOK_SECRET"));
    cli_result_free(&r);

    r = CLI(payload, "webhook", "verify", "--secret-file", spath);
    assert_status(r, CLI_EXIT_USAGE);
    assert_non_null(strstr(r.err, "--headers"));
    cli_result_free(&r);
    scalekit_free(sig);
}

/* ---- webhook listen ------------------------------------------------------------ */

static void test_webhook_listen_receives_the_emulators_delivery(void **st)
{
    (void)st;
    mock_http *app = mock_http_start();
    mock_response ok = { .status = 204 };
    mock_http_set_default(app, "/app/hooks", &ok);
    char forward[128];
    snprintf(forward, sizeof forward, "%s/app/hooks", mock_http_url(app));

    setenv("SCALEKIT_WEBHOOK_SECRET", HOOK_SECRET, 1);
    bg b;
    bg_start(&b, (const char *const[]){"webhook", "listen", "--port", "0", "--count", "1", "--forward", forward,
                                       "--timeout", "30", "--output", "jsonl", NULL});
    char *listening = bg_line(&b, "listening on ");
    unsetenv("SCALEKIT_WEBHOOK_SECRET");
    char url[64];
    assert_int_equal(sscanf(listening, "listening on %63s", url), 1);
    free(listening);

    /* An emulator delivering to the listener, signing with the same secret. */
    scalekit_emulator_options o = { .webhook_url = url, .webhook_secret = HOOK_SECRET };
    emu_fixture *hooked = emu_fixture_start(&o, NULL);
    scalekit_organization *org = NULL;
    assert_int_equal(scalekit_organization_create(hooked->client, "Hooked", NULL, &org), SCALEKIT_OK);

    assert_int_equal(bg_join(&b), 0);
    json_t *d = json_loads(b.out, JSON_DISABLE_EOF_CHECK, NULL);
    if (!d)
        fail_msg("not a JSON line: %s", b.out);
    assert_true(json_is_true(json_object_get(d, "verified")));
    assert_string_equal(json_string_value(json_object_get(d, "type")), "organization.created");
    assert_non_null(strstr(b.out, org->id));
    assert_int_equal(json_integer_value(json_object_get(d, "forwarded_status")), 204);
    json_decref(d);

    /* The app got the same body with the signature headers, so it can verify it too. */
    const mock_request *fwd = mock_http_request_for(app, "/app/hooks", 0);
    assert_non_null(fwd);
    assert_non_null(strstr(fwd->body, org->id));
    const char *h[3] = {"webhook-id", "webhook-timestamp", "webhook-signature"};
    scalekit_header hs[3];
    for (int i = 0; i < 3; i++)
        hs[i] = (scalekit_header){ h[i], mock_request_header(fwd, h[i]) };
    assert_int_equal(scalekit_verify_webhook_payload(NULL, HOOK_SECRET, hs, 3, fwd->body, fwd->body_len),
                     SCALEKIT_OK);

    scalekit_organization_free(org);
    free(b.out);
    emu_fixture_stop(hooked);
    mock_http_stop(app);
}

static void test_webhook_listen_refuses_a_forged_delivery(void **st)
{
    (void)st;
    setenv("SCALEKIT_WEBHOOK_SECRET", HOOK_SECRET, 1);
    bg b;
    bg_start(&b, (const char *const[]){"webhook", "listen", "--port", "0", "--count", "1", "--timeout", "30",
                                       "--output", "jsonl", NULL});
    char *listening = bg_line(&b, "listening on ");
    unsetenv("SCALEKIT_WEBHOOK_SECRET");
    char url[64];
    assert_int_equal(sscanf(listening, "listening on %63s", url), 1);
    free(listening);
    char ts[32], hid[] = "webhook-id: msg_x", hts[64];
    snprintf(ts, sizeof ts, "%lld", (long long)time(NULL));
    snprintf(hts, sizeof hts, "webhook-timestamp: %s", ts);
    const char *headers[] = {hid, hts, "webhook-signature: v1,AAAA", "Content-Type: application/json", NULL};
    emu_http_response resp;
    emu_http("POST", url, headers, "{\"type\":\"x\"}", &resp);
    assert_int_equal(resp.status, 400);
    emu_http_response_free(&resp);
    assert_int_equal(bg_join(&b), 0);
    json_t *d = json_loads(b.out, JSON_DISABLE_EOF_CHECK, NULL);
    assert_non_null(d);
    assert_true(json_is_false(json_object_get(d, "verified")));
    assert_non_null(json_string_value(json_object_get(d, "why")));
    json_decref(d);
    free(b.out);
}

static void test_webhook_listen_times_out_without_its_deliveries(void **st)
{
    (void)st;
    cli_result r = CLI(NULL, "webhook", "listen", "--port", "0", "--count", "1", "--timeout", "1");
    assert_status(r, CLI_EXIT_NETWORK);
    assert_non_null(strstr(r.err, "stopped after 0 deliveries (--timeout)"));
    cli_result_free(&r);
    r = CLI(NULL, "webhook", "listen", "--port", "0", "--timeout", "1");   /* no --count: a timed listen */
    assert_status(r, 0);
    assert_non_null(strstr(r.err, "NOT verifying"));
    cli_result_free(&r);
    r = CLI(NULL, "webhook", "listen", "--port", "65536");
    assert_status(r, CLI_EXIT_USAGE);
    cli_result_free(&r);
}

/* ---- login ---------------------------------------------------------------------- */

/* Run `scalekit login` (with --show-tokens when @p show_tokens), sign in as @p email on the
 * hosted login with plain HTTP, follow the redirect to the loopback: the printed JSON. */
static json_t *login_as(const state *s, const char *email, bool show_tokens)
{
    bg b;
    bg_start(&b, (const char *const[]){"login", "--no-browser", "--port", "0", "--timeout", "20",
                                       "--output", "json", show_tokens ? "--show-tokens" : NULL, NULL});
    char *url = bg_line(&b, "http");
    assert_non_null(strstr(url, "code_challenge_method=S256"));
    assert_non_null(strstr(url, "redirect_uri=http%3A%2F%2F127.0.0.1%3A"));
    char *location = emu_fixture_login(s->f, url, email, NULL);
    assert_memory_equal(location, "http://127.0.0.1:", 17);
    emu_http_response resp;
    assert_int_equal(emu_http("GET", location, NULL, NULL, &resp), 0);
    assert_int_equal(resp.status, 200);
    assert_non_null(strstr(resp.body, "Signed in"));
    emu_http_response_free(&resp);

    assert_int_equal(bg_join(&b), 0);
    json_t *j = json_loads(b.out, 0, NULL);
    if (!j)
        fail_msg("login output is not JSON: %s", b.out);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "user"), "email")), email);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "access_token_claims"), "iss")),
                        s->f->url);
    /* Tokens only with --show-tokens. */
    assert_true((strstr(b.out, "eyJ") != NULL) == show_tokens);
    free(b.out);
    free(location);
    free(url);
    return j;
}

static void test_login_with_pkce_and_a_loopback_redirect(void **st)
{
    state *s = *st;
    json_t *j = login_as(s, "cli-login@example.com", false);
    assert_null(json_object_get(j, "tokens"));
    json_decref(j);

    /* --show-tokens: the access token is the one whose claims were shown, and it validates. */
    j = login_as(s, "cli-login@example.com", true);
    const char *access = json_string_value(json_object_get(json_object_get(j, "tokens"), "access_token"));
    assert_non_null(access);
    assert_int_equal(scalekit_validate_access_token(s->f->client, access), SCALEKIT_OK);
    json_decref(j);
}

static void test_login_ignores_a_redirect_with_another_state(void **st)
{
    (void)st;
    bg b;
    bg_start(&b, (const char *const[]){"login", "--no-browser", "--timeout", "2", NULL});
    char *url = bg_line(&b, "http");
    char *redirect = emu_test_query_param(url, "redirect_uri");
    char forged[512];
    snprintf(forged, sizeof forged, "%s?code=stolen&state=not-ours", redirect);
    emu_http_response resp;
    emu_http("GET", forged, NULL, NULL, &resp);
    assert_int_equal(resp.status, 400);
    emu_http_response_free(&resp);
    /* Still waiting for its own redirect: it times out instead of exchanging "stolen". */
    assert_int_equal(bg_join(&b), CLI_EXIT_NETWORK);
    assert_string_equal(b.out, "");
    free(b.out);
    free(redirect);
    free(url);
}

/* ---- emulator, man page, completions -------------------------------------------- */

static void test_emulator_shares_the_emulators_options(void **st)
{
    (void)st;
    cli_result r = CLI(NULL, "emulator", "--port", "70000");
    assert_int_equal(r.status, 2);   /* the same refusal as scalekit-emulator's */
    cli_result_free(&r);
    r = CLI(NULL, "emulator", "--no-such-option");
    assert_int_equal(r.status, 2);
    cli_result_free(&r);
    r = CLI(NULL, "emulator", "--help");
    assert_int_equal(r.status, 0);
    cli_result_free(&r);
}

static void test_man_page_and_completions_come_from_the_table(void **st)
{
    (void)st;
    cli_result man = CLI(NULL, "--man");
    assert_status(man, 0);
    assert_memory_equal(man.out, ".TH SCALEKIT 1", 14);
    cli_result bash = CLI(NULL, "--completion", "bash");
    assert_status(bash, 0);
    cli_result zsh = CLI(NULL, "--completion", "zsh");
    assert_status(zsh, 0);
    assert_memory_equal(zsh.out, "#compdef scalekit", 17);
    for (size_t i = 0; i < cli_command_count; i++) {
        const cli_command *c = &cli_commands[i];
        assert_non_null(strstr(bash.out, c->verb));
        assert_non_null(strstr(zsh.out, c->verb));
        for (size_t k = 0; c->flags && c->flags[k]; k++) {
            char roff_name[128] = "\\-\\-", plain[128];
            size_t n = 4;
            for (const char *p = c->flags[k]->name; *p && n < sizeof roff_name - 3; p++) {
                if (*p == '-')
                    roff_name[n++] = '\\';
                roff_name[n++] = *p;
            }
            roff_name[n] = '\0';
            snprintf(plain, sizeof plain, "--%s ", c->flags[k]->name);
            assert_non_null(strstr(man.out, roff_name));
            assert_non_null(strstr(bash.out, plain));
        }
    }
    assert_non_null(strstr(man.out, ".SH EXIT STATUS"));
    cli_result_free(&man);
    cli_result_free(&bash);
    cli_result_free(&zsh);

    cli_result bad = CLI(NULL, "--completion", "fish");
    assert_status(bad, CLI_EXIT_USAGE);
    cli_result_free(&bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token_decode),
        cmocka_unit_test(test_token_validate),
        cmocka_unit_test(test_webhook_verify),
        cmocka_unit_test(test_webhook_listen_receives_the_emulators_delivery),
        cmocka_unit_test(test_webhook_listen_refuses_a_forged_delivery),
        cmocka_unit_test(test_webhook_listen_times_out_without_its_deliveries),
        cmocka_unit_test(test_login_with_pkce_and_a_loopback_redirect),
        cmocka_unit_test(test_login_ignores_a_redirect_with_another_state),
        cmocka_unit_test(test_emulator_shares_the_emulators_options),
        cmocka_unit_test(test_man_page_and_completions_come_from_the_table),
    };
    return cmocka_run_group_tests(tests, cli_emu_setup, cli_emu_teardown);
}
