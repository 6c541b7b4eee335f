/* The scalekit-emulator program's command line, shared by scalekit-emulator and
 * `scalekit emulator`: the options, the usage text, and running until a stop signal. */
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emulator.h"
#include "scalekit/error.h"

static void usage(FILE *out, const char *prog)
{
    fprintf(out, "usage: %s [options]\n", prog);
    fputs(
          "A local Scalekit environment: OAuth/OIDC endpoints, a hosted login page,\n"
          "the /api/v1 REST API and signed webhook deliveries, stored in SQLite.\n"
          "\n"
          "  --host ADDR             listen address (default 127.0.0.1)\n"
          "  --port N                listen port; 0 picks a free one (default 0)\n"
          "  --public-url URL        the URL clients see (behind a reverse proxy or in a\n"
          "                          container): the issuer and the base of every URL\n"
          "                          handed out; http(s)://host[:port][/path]\n"
          "  --data FILE             SQLite data file (default :memory:, nothing kept)\n"
          "  --client-id ID          the API client id (default: stored one, else generated)\n"
          "  --client-secret SECRET  its secret (default: stored one, else generated)\n"
          "  --webhook-url URL       deliver signed webhook events to URL\n"
          "  --webhook-secret SECRET the whsec_... signing secret (default generated)\n"
          "  --key-grace-seconds N   how long a rotated-out signing key stays in /keys (86400)\n"
          "  --token-ttl-seconds N   access token lifetime (3600)\n"
          "  --connection-timeout-seconds N\n"
          "                          close a connection idle this long (30)\n"
          "  --max-connections-per-ip N\n"
          "                          connections one client address may hold (256)\n"
          "  --redirect-uri URL      register a redirect URI (repeatable); loopback http\n"
          "                          URIs (127.0.0.1, [::1], localhost, any port) need none\n"
          "  --quiet                 no request log on stderr\n"
          "  --help                  this text\n"
          "\n"
          "Prints the environment URL (the public one when given), then \"client_id: ...\",\n"
          "\"client_secret: ...\", \"webhook_secret: ...\" and \"listen_url: ...\".\n"
          "/oauth/authorize and /oidc/logout redirect only to registered or loopback URIs.\n", out);
}

static int parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* Parse the options, run until a stop signal; the exit status. @p redirect_uris
 * has room for one URI per argument and the terminating NULL. */
static int run(const char *prog, int argc, char **argv, const char **redirect_uris)
{
    static const struct option long_opts[] = {
        {"host", required_argument, NULL, 'h'},
        {"port", required_argument, NULL, 'p'},
        {"public-url", required_argument, NULL, 'u'},
        {"data", required_argument, NULL, 'd'},
        {"client-id", required_argument, NULL, 'i'},
        {"client-secret", required_argument, NULL, 's'},
        {"webhook-url", required_argument, NULL, 'w'},
        {"webhook-secret", required_argument, NULL, 'W'},
        {"key-grace-seconds", required_argument, NULL, 'g'},
        {"token-ttl-seconds", required_argument, NULL, 't'},
        {"connection-timeout-seconds", required_argument, NULL, 'T'},
        {"max-connections-per-ip", required_argument, NULL, 'C'},
        {"redirect-uri", required_argument, NULL, 'r'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'H'},
        {NULL, 0, NULL, 0}
    };
    scalekit_emulator_options o;
    memset(&o, 0, sizeof o);
    size_t n_redirect_uris = 0;
    o.redirect_uris = redirect_uris;
    int c;
    long v;
    optind = 0;   /* a full getopt reset: the scalekit CLI may call this more than once */
    while ((c = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
        switch (c) {
        case 'h': o.host = optarg; break;
        case 'p':
            if (parse_long(optarg, 0, 65535, &v) != 0) {
                fprintf(stderr, "%s: --port %s is not a port number (0-65535)\n", prog, optarg);
                usage(stderr, prog);
                return 2;
            }
            o.port = (int)v;
            break;
        case 'u': o.public_url = optarg; break;
        case 'd': o.data_path = optarg; break;
        case 'i': o.client_id = optarg; break;
        case 's': o.client_secret = optarg; break;
        case 'w': o.webhook_url = optarg; break;
        case 'W': o.webhook_secret = optarg; break;
        case 'g':
        case 't':
            if (parse_long(optarg, 1, LONG_MAX, &v) != 0) {
                fprintf(stderr, "%s: --%s %s is not a positive number\n", prog,
                        c == 'g' ? "key-grace-seconds" : "token-ttl-seconds", optarg);
                usage(stderr, prog);
                return 2;
            }
            if (c == 'g')
                o.key_grace_seconds = v;
            else
                o.access_token_ttl_seconds = v;
            break;
        case 'T':
        case 'C':
            if (parse_long(optarg, 1, 1000000, &v) != 0) {
                fprintf(stderr, "%s: --%s %s is not a number from 1 to 1000000\n", prog,
                        c == 'T' ? "connection-timeout-seconds" : "max-connections-per-ip", optarg);
                usage(stderr, prog);
                return 2;
            }
            if (c == 'T')
                o.connection_timeout_seconds = (unsigned)v;
            else
                o.max_connections_per_ip = (unsigned)v;
            break;
        case 'r': redirect_uris[n_redirect_uris++] = optarg; break;
        case 'q': o.quiet = 1; break;
        case 'H': usage(stdout, prog); return 0;
        default: usage(stderr, prog); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "%s: unexpected argument %s\n", prog, argv[optind]);
        usage(stderr, prog);
        return 2;
    }

    /* Block the stop signals before any thread starts, so only sigwait sees them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    scalekit_emulator *emu = NULL;
    int rc = scalekit_emulator_start(&o, &emu);
    if (rc != 0) {
        fprintf(stderr, "%s: could not start\n", prog);
        if (rc == SCALEKIT_EINVAL) {   /* a bad option value, named above */
            usage(stderr, prog);
            return 2;
        }
        return 1;
    }
    printf("%s\nclient_id: %s\nclient_secret: %s\nwebhook_secret: %s\nlisten_url: %s\n",
           scalekit_emulator_url(emu), scalekit_emulator_client_id(emu),
           scalekit_emulator_client_secret(emu), scalekit_emulator_webhook_secret(emu),
           scalekit_emulator_listen_url(emu));
    fflush(stdout);
    int sig = 0;
    sigwait(&stop, &sig);
    scalekit_emulator_stop(emu);
    return 0;
}

int scalekit_emulator_main(const char *prog, int argc, char **argv)
{
    const char **redirect_uris = calloc((size_t)argc + 1, sizeof *redirect_uris);
    if (!redirect_uris) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return 1;
    }
    int status = run(prog, argc, argv, redirect_uris);
    free(redirect_uris);
    return status;
}
