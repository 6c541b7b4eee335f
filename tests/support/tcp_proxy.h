/*
 * tcp_proxy: a small TCP forwarding proxy on the loopback interface, so a test
 * can put the emulator behind another address (as a reverse proxy or a
 * container's port mapping would) and check what clients see.
 *
 *   tcp_proxy *p = tcp_proxy_listen();            // 127.0.0.1, a free port
 *   ... start the emulator with public_url "http://127.0.0.1:<tcp_proxy_port(p)>"
 *   tcp_proxy_forward(p, scalekit_emulator_port(emu));
 *   ...
 *   tcp_proxy_stop(p);
 *
 * One thread accepts, one thread per connection copies bytes both ways
 * (half-closes are passed on). At most TCP_PROXY_MAX_CONNECTIONS connections
 * are open at once; a connection beyond that is closed at once. Stopping closes
 * every connection and joins every thread.
 */
#ifndef TCP_PROXY_H
#define TCP_PROXY_H

#include <stdint.h>

#define TCP_PROXY_MAX_CONNECTIONS 64

typedef struct tcp_proxy tcp_proxy;

/* Listen on 127.0.0.1 on a free port; nothing is accepted until tcp_proxy_forward().
 * NULL on failure (the reason on stderr). Free with tcp_proxy_stop(). */
tcp_proxy *tcp_proxy_listen(void);
/* The port it listens on. */
int tcp_proxy_port(const tcp_proxy *p);
/* Start forwarding each connection to 127.0.0.1:@p target_port. 0, or -1 when
 * the accepting thread cannot start or forwarding already started. */
int tcp_proxy_forward(tcp_proxy *p, int target_port);
/* Connections accepted and forwarded so far. */
uint64_t tcp_proxy_connections(const tcp_proxy *p);
/* Stop listening, close every connection, join every thread, free. Safe on NULL. */
void tcp_proxy_stop(tcp_proxy *p);

#endif
