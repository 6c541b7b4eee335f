/* Loopback servers (loopback.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "loopback.h"

struct MHD_Daemon *cli_loopback_start(cli_run *r, uint32_t port, MHD_AccessHandlerCallback handler,
                                      void *cls, MHD_RequestCompletedCallback completed, unsigned *bound)
{
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);   /* never reachable from another machine */
    struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, (uint16_t)port, NULL, NULL,
                                            handler, cls, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                                            MHD_OPTION_NOTIFY_COMPLETED, completed, cls,
                                            MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_END);
    if (!d) {
        fprintf(r->io->err, "scalekit: cannot listen on 127.0.0.1:%u: %s\n", port, strerror(errno));
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    *bound = info ? info->port : port;
    return d;
}

enum MHD_Result cli_http_respond(struct MHD_Connection *conn, unsigned status, const char *content_type,
                                 const char *text)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(text), (void *)text,
                                                                MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", content_type);
    enum MHD_Result ret = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

int cli_port(cli_run *r, uint32_t *port)
{
    int rc = cli_uint(r, "port", port);
    if (rc == 0 && *port > 65535) {
        fprintf(r->io->err, "scalekit: --port %u is not a port number (0-65535)\n", *port);
        return CLI_EXIT(CLI_EXIT_USAGE);
    }
    return rc;
}
