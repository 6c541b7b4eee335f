/*
 * Raw TCP for tests that must put exact bytes on the wire (smuggling, slow or
 * held connections): connect from a chosen loopback address, send, read what
 * comes back. Every call that cannot do its job fails the running cmocka test.
 */
#ifndef EMU_RAWSOCK_H
#define EMU_RAWSOCK_H

#include <stdbool.h>
#include <stddef.h>

/* A connected socket to 127.0.0.1:@p port from 127.0.0.1 (@p from NULL) or from
 * the loopback address @p from ("127.0.0.2"); reads time out after 10 s. */
int raw_connect_from(const char *from, int port);
int raw_connect(int port);
/* Send all of @p data; stops quietly when the server has closed. */
void raw_send_all(int fd, const char *data, size_t len);
/* Read until the server closes (or the read times out) into @p buf (NUL-terminated);
 * the number of bytes read. */
size_t raw_read_all(int fd, char *buf, size_t cap);
/* Send @p request on a new connection, read the answer; its status, 0 when none. */
int raw_exchange(int port, const char *request, size_t len, bool close_write);
/* Whether the server has closed @p fd (EOF or reset), without waiting. */
bool raw_closed_now(int fd);

#endif
