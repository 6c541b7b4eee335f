/*
 * scalekit-emulator as a library: a local, stateful Scalekit environment a test
 * or a demo starts in-process and stops cleanly.
 */
#ifndef SCALEKIT_EMULATOR_H
#define SCALEKIT_EMULATOR_H

#include <stdint.h>

typedef struct scalekit_emulator scalekit_emulator;

typedef struct scalekit_emulator_options {
    const char *host;            /* listen address; NULL = "127.0.0.1" */
    int port;                    /* 0 = a free port */
    const char *data_path;       /* SQLite file; NULL = ":memory:" */
    const char *client_id;       /* NULL = generated (or the one stored in data_path) */
    const char *client_secret;   /* NULL = generated (or the one stored in data_path) */
    const char *webhook_url;     /* NULL = no webhook deliveries */
    const char *webhook_secret;  /* "whsec_..."; NULL = generated */
    int64_t key_grace_seconds;   /* how long a rotated-out key stays in /keys (0 = 86400) */
    int64_t access_token_ttl_seconds; /* 0 = 3600 */
    int quiet;                   /* no request log on stderr */
    /* Append one JSON line per /api/v1 exchange to this file (the contract test);
     * NULL = the file named by SCALEKIT_EMULATOR_EXCHANGE_LOG, if any. */
    const char *exchange_log_path;
    /* A connection idle this long (a request sent too slowly, a keep-alive
     * nobody uses) is closed; 0 = 30 seconds. */
    unsigned connection_timeout_seconds;
    /* Connections one client address may hold at once; 0 = 256. */
    unsigned max_connections_per_ip;
    /* The environment URL clients see when they reach the emulator through a
     * reverse proxy or a container's port mapping: "http(s)://host[:port][/path]",
     * no query or fragment; a trailing '/' is dropped. It is the issuer (iss of
     * every token, the discovery document's issuer) and the base of every URL
     * the emulator hands out (discovery, the login form, portal links). The
     * listening address stays host:port. NULL or "" = the listening address. */
    const char *public_url;
    /* Redirect URIs registered for the environment (NULL-terminated; NULL = none),
     * added to those stored in data_path. /oauth/authorize and /oidc/logout accept
     * these (exact match) and loopback http URIs on any port (127.0.0.1, [::1],
     * localhost); a malformed one makes start fail with SCALEKIT_EINVAL. */
    const char *const *redirect_uris;
} scalekit_emulator_options;

/* Start listening; *out receives the running emulator. 0 or a negative error
 * (SCALEKIT_EINVAL for a bad option, named on stderr). */
int scalekit_emulator_start(const scalekit_emulator_options *opts, scalekit_emulator **out);
/* Stop it: closes the socket, joins every thread, frees everything. Safe on NULL. */
void scalekit_emulator_stop(scalekit_emulator *emu);

/* The environment URL clients use: the public URL when one was given, else
 * "http://127.0.0.1:PORT". Owned by @p emu; NULL when @p emu is NULL. */
const char *scalekit_emulator_url(const scalekit_emulator *emu);
/* Where the server listens, "http://HOST:PORT" (the same as the URL without a
 * public URL). Owned by @p emu; NULL when @p emu is NULL. */
const char *scalekit_emulator_listen_url(const scalekit_emulator *emu);
const char *scalekit_emulator_client_id(const scalekit_emulator *emu);
const char *scalekit_emulator_client_secret(const scalekit_emulator *emu);
const char *scalekit_emulator_webhook_secret(const scalekit_emulator *emu);
int scalekit_emulator_port(const scalekit_emulator *emu);

/* The scalekit-emulator program (emulator/program.c), shared by scalekit-emulator
 * and `scalekit emulator`: parse @p argv's options (argv[0] is skipped), start,
 * print the URL and the credentials, run until SIGINT or SIGTERM. @p prog names
 * the program in the usage text and the messages. The exit status: 0, 2 for a
 * bad option (explained on stderr), 1 when the emulator could not start. */
int scalekit_emulator_main(const char *prog, int argc, char **argv);

#endif
