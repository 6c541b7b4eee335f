/*
 * webapp: the example web application as a program. Secrets come from the
 * environment (never from the command line, where ps would show them):
 *   SCALEKIT_ENVIRONMENT_URL, SCALEKIT_CLIENT_ID, SCALEKIT_CLIENT_SECRET,
 *   SCALEKIT_WEBHOOK_SECRET (optional: without it /webhooks refuses deliveries).
 * Runs until SIGINT or SIGTERM.
 */
#include "webapp.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

static void usage(FILE *to)
{
    fputs("usage: webapp [options]\n"
          "  --host ADDR             listen address (default 127.0.0.1)\n"
          "  --port N                listen port; 0 picks a free one (default 3000)\n"
          "  --public-url URL        the URL the browser uses (default http://HOST:PORT);\n"
          "                          https makes the cookies Secure\n"
          "  --organization ID       the organization users sign in to\n"
          "  --admin-permission P    the permission the members page needs (members:read)\n"
          "  --session-lifetime N    seconds a session lasts (28800)\n"
          "  --quiet                 no request log\n"
          "environment: SCALEKIT_ENVIRONMENT_URL, SCALEKIT_CLIENT_ID, SCALEKIT_CLIENT_SECRET,\n"
          "             SCALEKIT_WEBHOOK_SECRET\n", to);
}

int main(int argc, char **argv)
{
    webapp_config c = {.port = 3000};
    c.env_url = getenv("SCALEKIT_ENVIRONMENT_URL");
    c.client_id = getenv("SCALEKIT_CLIENT_ID");
    c.client_secret = getenv("SCALEKIT_CLIENT_SECRET");
    c.webhook_secret = getenv("SCALEKIT_WEBHOOK_SECRET");
    static const struct option opts[] = {
        {"host", required_argument, NULL, 'h'}, {"port", required_argument, NULL, 'p'},
        {"public-url", required_argument, NULL, 'u'}, {"organization", required_argument, NULL, 'o'},
        {"admin-permission", required_argument, NULL, 'a'}, {"session-lifetime", required_argument, NULL, 'l'},
        {"quiet", no_argument, NULL, 'q'}, {"help", no_argument, NULL, 'H'}, {NULL, 0, NULL, 0}};
    int o;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end = NULL;
        switch (o) {
        case 'h': c.host = optarg; break;
        case 'p':
            c.port = (int)strtol(optarg, &end, 10);
            if (*end || c.port < 0 || c.port > 65535) {
                fprintf(stderr, "webapp: --port %s is not a port number\n", optarg);
                return 2;
            }
            break;
        case 'u': c.public_url = optarg; break;
        case 'o': c.organization_id = optarg; break;
        case 'a': c.admin_permission = optarg; break;
        case 'l':
            c.session_lifetime_seconds = strtol(optarg, &end, 10);
            if (*end || c.session_lifetime_seconds <= 0) {
                fprintf(stderr, "webapp: --session-lifetime %s is not a positive number\n", optarg);
                return 2;
            }
            break;
        case 'q': c.quiet = 1; break;
        case 'H': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (!c.env_url || !c.client_id || !c.client_secret) {
        fputs("webapp: set SCALEKIT_ENVIRONMENT_URL, SCALEKIT_CLIENT_ID and SCALEKIT_CLIENT_SECRET\n", stderr);
        return 2;
    }
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);   /* before any thread starts: only sigwait sees them */
    signal(SIGPIPE, SIG_IGN);
    webapp *app = NULL;
    if (webapp_start(&c, &app) != 0)
        return 1;
    printf("webapp: open %s\n", webapp_url(app));
    fflush(stdout);
    int sig = 0;
    sigwait(&stop, &sig);
    webapp_stop(app);
    return 0;
}
