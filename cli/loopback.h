/* The local HTTP servers of `webhook listen` and `login`: libmicrohttpd on 127.0.0.1 only. */
#ifndef SCALEKIT_CLI_LOOPBACK_H
#define SCALEKIT_CLI_LOOPBACK_H

#include <stdint.h>
#include <microhttpd.h>

#include "cli.h"

/* Listen on 127.0.0.1:@p port (0: a free one) with @p handler and @p completed (may be NULL;
 * called once a response is sent, so whoever waits for a request should be woken there,
 * not before the answer is on the wire), both given @p cls; *bound receives the port.
 * NULL on failure (said on r's stderr). */
struct MHD_Daemon *cli_loopback_start(cli_run *r, uint32_t port, MHD_AccessHandlerCallback handler,
                                      void *cls, MHD_RequestCompletedCallback completed, unsigned *bound);
/* Queue a response of static @p text. */
enum MHD_Result cli_http_respond(struct MHD_Connection *conn, unsigned status, const char *content_type,
                                 const char *text);
/* --port into *port, refusing values over 65535; an exit status as cli_uint. */
int cli_port(cli_run *r, uint32_t *port);

#endif
