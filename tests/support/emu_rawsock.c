/* Raw TCP for the emulator's wire-level tests: see emu_rawsock.h. */
#include "emu_rawsock.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <cmocka.h>

int raw_connect_from(const char *from, int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    if (from) {
        struct sockaddr_in me = {.sin_family = AF_INET};
        assert_int_equal(inet_pton(AF_INET, from, &me.sin_addr), 1);
        if (bind(fd, (struct sockaddr *)&me, sizeof me) != 0)
            fail_msg("bind to %s: %s", from, strerror(errno));
    }
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
        fail_msg("connect from %s: %s", from ? from : "127.0.0.1", strerror(errno));
    struct timeval tv = {.tv_sec = 10};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

int raw_connect(int port)
{
    return raw_connect_from(NULL, port);
}

void raw_send_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n <= 0)
            return;   /* the server may close early (413); what it answered is checked */
        data += n;
        len -= (size_t)n;
    }
}

size_t raw_read_all(int fd, char *buf, size_t cap)
{
    size_t got = 0;
    ssize_t n;
    while (got < cap - 1 && (n = recv(fd, buf + got, cap - 1 - got, 0)) > 0)
        got += (size_t)n;
    buf[got] = '\0';
    return got;
}

int raw_exchange(int port, const char *request, size_t len, bool close_write)
{
    int fd = raw_connect(port);
    raw_send_all(fd, request, len);
    if (close_write)
        shutdown(fd, SHUT_WR);
    char buf[512];
    raw_read_all(fd, buf, sizeof buf);
    close(fd);
    int status = 0;
    if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1)
        return 0;
    return status;
}

bool raw_closed_now(int fd)
{
    char c;
    ssize_t n = recv(fd, &c, 1, MSG_DONTWAIT | MSG_PEEK);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}
