/* scalekit_emulator_start / _stop: the public face of the emulator library. */
#include "environment.h"
#include "resources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A "whsec_" secret over 24 random bytes. */
static char *new_webhook_secret(void)
{
    unsigned char raw[24];
    char b64[64];
    if (skit_random_bytes(raw, sizeof raw) != SCALEKIT_OK)
        return NULL;
    size_t n = skit_base64_encode(raw, sizeof raw, b64);
    b64[n] = '\0';
    char *out = malloc(strlen("whsec_") + n + 1);
    if (out)
        sprintf(out, "whsec_%s", b64);
    return out;
}

/* A stored text value, copied; NULL (and a message) when the row holds none.
 * The store refuses mistyped files at open; this keeps a loader safe alone. */
static char *stored_text(const json_t *row, const char *table, const char *column)
{
    const char *v = skit_json_string(row, column);
    if (!v || !*v) {
        fprintf(stderr, "scalekit-emulator: the data file's %s.%s is not a text value\n", table,
                column);
        return NULL;
    }
    return strdup(v);
}

/* Check and keep the public URL: the SDK's own base-URL check, so a client
 * accepts exactly the issuer the emulator announces. 0, or -1 with the reason
 * on stderr. */
static int set_public_url(emu *e, const char *url)
{
    char *normal = NULL;
    if (skit_url_normalise_base("public URL", url, &normal) != SCALEKIT_OK) {
        fprintf(stderr, "scalekit-emulator: %s\n", scalekit_error_last()->message);
        return -1;
    }
    int fits = strlen(normal) <= EMU_MAX_URL;
    if (fits)
        snprintf(e->url, sizeof e->url, "%s", normal);
    else
        fprintf(stderr, "scalekit-emulator: the public URL is longer than %d characters\n",
                EMU_MAX_URL);
    free(normal);
    return fits ? 0 : -1;
}

/* The client: the one given, else the one stored, else a new one (stored). */
static int setup_client(emu *e, const scalekit_emulator_options *o)
{
    if (o->client_id && *o->client_id) {
        e->client_id = strdup(o->client_id);
        json_t *row = emu_db_row(e->store, "SELECT secret FROM clients WHERE id = ?", "s", o->client_id);
        if (o->client_secret && *o->client_secret)
            e->client_secret = strdup(o->client_secret);
        else if (row)
            e->client_secret = stored_text(row, "clients", "secret");
        else
            e->client_secret = emu_new_id("test_", 24);
        json_decref(row);
    } else {
        json_t *row = emu_db_row(e->store, "SELECT id, secret FROM clients ORDER BY created_at, rowid", "");
        if (row) {
            e->client_id = stored_text(row, "clients", "id");
            e->client_secret = o->client_secret && *o->client_secret
                ? strdup(o->client_secret) : stored_text(row, "clients", "secret");
        } else {
            e->client_id = emu_new_id("skc_", 10);
            e->client_secret = o->client_secret && *o->client_secret
                ? strdup(o->client_secret) : emu_new_id("test_", 24);
        }
        json_decref(row);
    }
    if (!e->client_id || !e->client_secret)
        return -1;
    return emu_db_exec(e->store, "INSERT INTO clients(id, secret, created_at) VALUES (?, ?, ?) "
                                 "ON CONFLICT(id) DO UPDATE SET secret = excluded.secret",
                       "ssi", e->client_id, e->client_secret, skit_now()) < 0 ? -1 : 0;
}

/* Register the redirect URIs of the options (kept in the store with earlier ones). */
static int setup_redirect_uris(emu *e, const scalekit_emulator_options *o)
{
    for (size_t i = 0; o->redirect_uris && o->redirect_uris[i]; i++) {
        const char *why = emu_redirect_uri_malformed(o->redirect_uris[i]);
        if (why) {
            fprintf(stderr, "scalekit-emulator: --redirect-uri %s %s\n", o->redirect_uris[i], why);
            return SCALEKIT_EINVAL;
        }
        if (emu_redirect_uri_add(e, o->redirect_uris[i]) != 0)
            return SCALEKIT_EINTERNAL;
    }
    return SCALEKIT_OK;
}

/* The environment id, stable across restarts on the same data file. */
static int setup_environment(emu *e)
{
    e->environment_id = emu_setting_get(e->store, "environment_id");
    if (e->environment_id)
        return 0;
    e->environment_id = emu_new_id("env_", 8);
    return e->environment_id ? emu_setting_set(e->store, "environment_id", e->environment_id) : -1;
}

int scalekit_emulator_start(const scalekit_emulator_options *opts, scalekit_emulator **out)
{
    static const scalekit_emulator_options defaults;
    const scalekit_emulator_options *o = opts ? opts : &defaults;
    if (!out)
        return SCALEKIT_EINVAL;
    *out = NULL;
    if (o->port < 0 || o->port > 65535) {
        fprintf(stderr, "scalekit-emulator: port %d out of range\n", o->port);
        return SCALEKIT_EINVAL;
    }
    emu *e = calloc(1, sizeof *e);
    if (!e)
        return SCALEKIT_ENOMEM;
    pthread_mutex_init(&e->faults.lock, NULL);
    emu_auth_limit_init(e);
    e->host = strdup(o->host && *o->host ? o->host : "127.0.0.1");
    e->port = o->port;
    e->webhook_url = skit_is_empty(o->webhook_url) ? NULL : strdup(o->webhook_url);
    e->webhook_secret = o->webhook_secret && *o->webhook_secret ? strdup(o->webhook_secret)
                                                                  : new_webhook_secret();
    e->key_grace_seconds = o->key_grace_seconds > 0 ? o->key_grace_seconds : 86400;
    e->access_token_ttl = o->access_token_ttl_seconds > 0 ? o->access_token_ttl_seconds : 3600;
    e->quiet = o->quiet != 0;
    e->connection_timeout = o->connection_timeout_seconds ? o->connection_timeout_seconds : 30;
    e->max_connections_per_ip = o->max_connections_per_ip ? o->max_connections_per_ip : 256;
    int rc = SCALEKIT_EINTERNAL;
    if (o->public_url && *o->public_url && set_public_url(e, o->public_url) != 0) {
        rc = SCALEKIT_EINVAL;
        goto fail;
    }
    if (!e->host || !e->webhook_secret || (o->webhook_url && *o->webhook_url && !e->webhook_url)) {
        rc = SCALEKIT_ENOMEM;
        goto fail;
    }
    if (emu_store_open(o->data_path, &e->store) != 0 || setup_client(e, o) != 0 ||
        setup_environment(e) != 0)
        goto fail;
    if (emu_api_auth_start(e) != 0) {
        rc = SCALEKIT_ENOMEM;
        goto fail;
    }
    if ((rc = setup_redirect_uris(e, o)) != SCALEKIT_OK)
        goto fail;
    rc = SCALEKIT_EINTERNAL;
    if (emu_keys_load(e) != 0) {
        fprintf(stderr, "scalekit-emulator: cannot set up the signing keys\n");
        goto fail;
    }
    if (emu_events_start(e) != 0 || emu_exchange_log_open(e, o->exchange_log_path) != 0)
        goto fail;
    if (emu_server_start(e) != 0) {
        rc = SCALEKIT_ENETWORK;
        goto fail;
    }
    *out = e;
    return SCALEKIT_OK;
fail:
    scalekit_emulator_stop(e);
    return rc;
}

void scalekit_emulator_stop(scalekit_emulator *e)
{
    if (!e)
        return;
    emu_server_stop(e);      /* first: no handler runs after this */
    emu_events_stop(e);
    emu_exchange_log_close(e);
    emu_faults_clear(e);
    pthread_mutex_destroy(&e->faults.lock);
    emu_auth_limit_destroy(e);
    if (e->keys.keys || e->keys.jwks)
        emu_keys_free(e);
    emu_api_auth_stop(e);
    emu_store_close(e->store);
    free(e->host);
    free(e->client_id);
    free(e->client_secret);
    free(e->webhook_url);
    free(e->webhook_secret);
    free(e->environment_id);
    free(e);
}

const char *scalekit_emulator_url(const scalekit_emulator *e) { return e ? e->url : NULL; }
const char *scalekit_emulator_listen_url(const scalekit_emulator *e) { return e ? e->listen_url : NULL; }
const char *scalekit_emulator_client_id(const scalekit_emulator *e) { return e ? e->client_id : NULL; }
const char *scalekit_emulator_client_secret(const scalekit_emulator *e) { return e ? e->client_secret : NULL; }
const char *scalekit_emulator_webhook_secret(const scalekit_emulator *e) { return e ? e->webhook_secret : NULL; }
int scalekit_emulator_port(const scalekit_emulator *e) { return e ? e->port : -1; }
