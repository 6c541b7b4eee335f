/*
 * `scalekit login`: the authorization-code flow with PKCE (RFC 7636) and a
 * loopback redirect on 127.0.0.1 (RFC 8252 section 7.3): a one-shot local
 * server receives the code, the client exchanges it, and we print the claims.
 */
#include <pthread.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include <openssl/rand.h>

#include "cli.h"
#include "loopback.h"

extern char **environ;

#define HTML "text/html; charset=utf-8"

typedef struct callback {
    const char *state;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    char *code;          /* set once by the redirect */
    char *error;         /* or the authorization server's error */
    bool answered;       /* the redirect's page was sent: the server may stop */
} callback;

static enum MHD_Result on_redirect(void *cls, struct MHD_Connection *conn, const char *url,
                                   const char *method, const char *version, const char *data,
                                   size_t *data_size, void **con_cls)
{
    callback *cb = cls;
    if (strcmp(method, "GET") != 0 || strcmp(url, "/callback") != 0)
        return cli_http_respond(conn, MHD_HTTP_NOT_FOUND, HTML, "<p>Not the login callback.</p>");
    const char *state = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "state");
    const char *code = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "code");
    const char *error = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "error");
    /* Another page's request to our port must not end the login: the state proves it is ours. */
    if (!state || strcmp(state, cb->state) != 0)
        return cli_http_respond(conn, MHD_HTTP_BAD_REQUEST, HTML,
                                "<p>This redirect is not for this login (state).</p>");
    pthread_mutex_lock(&cb->lock);
    if (!cb->code && !cb->error) {
        if (code)
            cb->code = strdup(code);
        else
            cb->error = strdup(error ? error : "no code in the redirect");
        *con_cls = cb;   /* on_completed wakes the waiter once this page is sent */
    }
    pthread_mutex_unlock(&cb->lock);
    return cli_http_respond(conn, MHD_HTTP_OK, HTML,
                            code ? "<p>Signed in. You can close this tab and return to the terminal.</p>"
                                 : "<p>Sign-in failed; see the terminal.</p>");
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    callback *cb = cls;
    if (*con_cls == cb) {
        pthread_mutex_lock(&cb->lock);
        cb->answered = true;
        pthread_cond_broadcast(&cb->cond);
        pthread_mutex_unlock(&cb->lock);
    }
}

/* Open @p url in a desktop browser when there is one; failing quietly is fine: the URL is printed. */
static void open_browser(const char *url)
{
    if (!getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY"))
        return;
    char *argv[] = {"xdg-open", (char *)url, NULL};
    pid_t pid;
    posix_spawnp(&pid, "xdg-open", NULL, NULL, argv, environ);
}

static void add_string(json_t *o, const char *key, const char *v)
{
    if (v)
        json_object_set_new(o, key, json_string(v));
}

static int print_result(cli_run *r, const scalekit_authentication_response *resp)
{
    json_t *doc = json_object(), *user = json_object();
    const scalekit_user_profile *u = resp->user;
    if (u) {
        add_string(user, "id", u->id);
        add_string(user, "email", u->email);
        json_object_set_new(user, "email_verified", json_boolean(u->email_verified));
        add_string(user, "name", u->name);
        add_string(user, "given_name", u->given_name);
        add_string(user, "family_name", u->family_name);
    }
    json_object_set_new(doc, "user", user);
    scalekit_access_token_claims *claims = NULL;
    int rc = scalekit_get_access_token_claims(r->client, resp->access_token, &claims);
    if (rc == SCALEKIT_OK) {
        json_t *c = json_loads(claims->raw_json, 0, NULL);
        json_object_set_new(doc, "access_token_claims", c ? c : json_null());
    }
    scalekit_access_token_claims_free(claims);
    json_object_set_new(doc, "expires_in", json_integer((json_int_t)resp->expires_in));
    if (cli_bool(r, "show-tokens")) {
        json_t *t = json_object();
        add_string(t, "access_token", resp->access_token);
        add_string(t, "id_token", resp->id_token);
        add_string(t, "refresh_token", resp->refresh_token);
        json_object_set_new(doc, "tokens", t);
    }
    if (rc == SCALEKIT_OK)
        cli_print_doc(r, doc);
    json_decref(doc);
    return rc;
}

int cli_cmd_login(cli_run *r)
{
    uint32_t port = 0, timeout = 300;
    int rc = cli_port(r, &port);
    if (CLI_IS_EXIT(rc) || CLI_IS_EXIT(rc = cli_uint(r, "timeout", &timeout)))
        return rc;
    unsigned char raw[16];
    char state[33];
    if (RAND_bytes(raw, sizeof raw) != 1)
        return SCALEKIT_EINTERNAL;
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(state + 2 * i, 3, "%02x", raw[i]);
    scalekit_pkce pkce;
    if ((rc = scalekit_generate_pkce(&pkce)) != SCALEKIT_OK)
        return rc;

    callback cb = { .state = state };
    pthread_mutex_init(&cb.lock, NULL);
    pthread_cond_init(&cb.cond, NULL);
    unsigned bound = 0;
    struct MHD_Daemon *d = cli_loopback_start(r, port, on_redirect, &cb, on_completed, &bound);
    char *url = NULL;
    scalekit_authentication_response *resp = NULL;
    if (!d) {
        rc = CLI_EXIT(CLI_EXIT_NETWORK);
        goto out;
    }
    char redirect_uri[64];
    snprintf(redirect_uri, sizeof redirect_uri, "http://127.0.0.1:%u/callback", bound);
    scalekit_authorization_url_options ao = SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT;
    ao.state = state;
    ao.code_challenge = pkce.code_challenge;
    ao.code_challenge_method = pkce.code_challenge_method;
    ao.scopes = cli_list(r, "scope");
    ao.organization_id = cli_str(r, "organization");
    if ((rc = scalekit_get_authorization_url(r->client, redirect_uri, &ao, &url)) != SCALEKIT_OK)
        goto out;
    fprintf(r->io->err, "Open this URL in a browser to sign in:\n%s\n", url);
    fflush(r->io->err);
    if (!cli_bool(r, "no-browser"))
        open_browser(url);

    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout;
    pthread_mutex_lock(&cb.lock);
    int wait = 0;
    while (!cb.answered && wait == 0)
        wait = pthread_cond_timedwait(&cb.cond, &cb.lock, &until);
    bool got_code = cb.answered && cb.code;
    pthread_mutex_unlock(&cb.lock);
    if (!got_code) {
        pthread_mutex_lock(&cb.lock);
        fprintf(r->io->err, "scalekit: login %s\n", cb.error ? cb.error : "timed out waiting for the redirect");
        rc = CLI_EXIT(cb.error ? CLI_EXIT_REFUSED : CLI_EXIT_NETWORK);
        pthread_mutex_unlock(&cb.lock);
        goto out;
    }
    scalekit_authentication_options xo = SCALEKIT_AUTHENTICATION_OPTIONS_INIT;
    xo.code_verifier = pkce.code_verifier;
    if ((rc = scalekit_authenticate_with_code(r->client, cb.code, redirect_uri, &xo, &resp)) == SCALEKIT_OK)
        rc = print_result(r, resp);
out:
    if (d)
        MHD_stop_daemon(d);
    scalekit_authentication_response_free(resp);
    scalekit_free(url);
    free(cb.code);
    free(cb.error);
    pthread_cond_destroy(&cb.cond);
    pthread_mutex_destroy(&cb.lock);
    return rc;
}
