/* The loopback TCP forwarding proxy of the tests: see tcp_proxy.h. */
#include "tcp_proxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct proxy_link {
    struct tcp_proxy *proxy;
    pthread_t thread;
    int client, upstream;       /* closed only after the thread is joined */
    bool used;
    bool done;                  /* atomic: the thread has finished */
} proxy_link;

struct tcp_proxy {
    int listen_fd;
    int port;
    int target_port;
    int wake[2];                /* a pipe: written once to stop every thread */
    pthread_t acceptor;
    bool forwarding;
    uint64_t accepted;          /* atomic */
    proxy_link links[TCP_PROXY_MAX_CONNECTIONS];
};

/* Write all of @p len bytes; false when the peer is gone. */
static bool write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        buf += n;
        len -= (size_t)n;
    }
    return true;
}

/* Copy bytes both ways until both directions have ended or the proxy stops. */
static void *pump(void *arg)
{
    proxy_link *l = arg;
    int fds[2] = {l->client, l->upstream};
    bool open[2] = {true, true};     /* open[i]: fds[i] may still send to us */
    char buf[16384];
    while (open[0] || open[1]) {
        struct pollfd pfd[3] = {{fds[0], open[0] ? POLLIN : 0, 0}, {fds[1], open[1] ? POLLIN : 0, 0},
                                {l->proxy->wake[0], POLLIN, 0}};
        if (poll(pfd, 3, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (pfd[2].revents)
            break;
        bool failed = false;
        for (int i = 0; i < 2 && !failed; i++) {
            if (!open[i] || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t n = recv(fds[i], buf, sizeof buf, 0);
            if (n < 0 && errno == EINTR)
                continue;
            if (n > 0) {
                failed = !write_all(fds[1 - i], buf, (size_t)n);
            } else if (n == 0) {         /* pass the half-close on */
                open[i] = false;
                shutdown(fds[1 - i], SHUT_WR);
            } else {
                failed = true;
            }
        }
        if (failed)
            break;
    }
    __atomic_store_n(&l->done, true, __ATOMIC_RELEASE);
    return NULL;
}

static void close_link(proxy_link *l)
{
    shutdown(l->client, SHUT_RDWR);     /* unblocks a send() stuck on a full buffer */
    shutdown(l->upstream, SHUT_RDWR);
    pthread_join(l->thread, NULL);
    close(l->client);
    close(l->upstream);
    l->used = false;
}

/* A free slot, reaping the links whose threads have finished; NULL when all are busy. */
static proxy_link *free_link(tcp_proxy *p)
{
    proxy_link *found = NULL;
    for (size_t i = 0; i < TCP_PROXY_MAX_CONNECTIONS; i++) {
        proxy_link *l = &p->links[i];
        if (l->used && __atomic_load_n(&l->done, __ATOMIC_ACQUIRE))
            close_link(l);
        if (!l->used && !found)
            found = l;
    }
    return found;
}

static int connect_upstream(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
        return fd;
    if (fd >= 0)
        close(fd);
    return -1;
}

static void *accept_loop(void *arg)
{
    tcp_proxy *p = arg;
    for (;;) {
        struct pollfd pfd[2] = {{p->listen_fd, POLLIN, 0}, {p->wake[0], POLLIN, 0}};
        if (poll(pfd, 2, -1) < 0 && errno != EINTR)
            break;
        if (pfd[1].revents)
            break;
        if (!(pfd[0].revents & POLLIN))
            continue;
        int client = accept(p->listen_fd, NULL, NULL);
        if (client < 0)
            continue;
        fcntl(client, F_SETFD, FD_CLOEXEC);   /* tests fork programs: keep our sockets out of them */
        proxy_link *l = free_link(p);
        int upstream = l ? connect_upstream(p->target_port) : -1;
        if (upstream < 0) {            /* over the bound, or the target is down: refuse */
            close(client);
            continue;
        }
        *l = (proxy_link){.proxy = p, .client = client, .upstream = upstream, .used = true};
        if (pthread_create(&l->thread, NULL, pump, l) != 0) {
            close(client);
            close(upstream);
            l->used = false;
            continue;
        }
        __atomic_add_fetch(&p->accepted, 1, __ATOMIC_RELAXED);
    }
    return NULL;
}

tcp_proxy *tcp_proxy_listen(void)
{
    tcp_proxy *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    if (p->listen_fd < 0 || bind(p->listen_fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        listen(p->listen_fd, 64) != 0 || getsockname(p->listen_fd, (struct sockaddr *)&sa, &len) != 0 ||
        pipe(p->wake) != 0) {
        fprintf(stderr, "tcp_proxy: cannot listen on 127.0.0.1: %s\n", strerror(errno));
        if (p->listen_fd >= 0)
            close(p->listen_fd);
        free(p);
        return NULL;
    }
    fcntl(p->wake[0], F_SETFD, FD_CLOEXEC);
    fcntl(p->wake[1], F_SETFD, FD_CLOEXEC);
    p->port = ntohs(sa.sin_port);
    return p;
}

int tcp_proxy_port(const tcp_proxy *p)
{
    return p->port;
}

int tcp_proxy_forward(tcp_proxy *p, int target_port)
{
    if (p->forwarding)
        return -1;
    p->target_port = target_port;
    if (pthread_create(&p->acceptor, NULL, accept_loop, p) != 0)
        return -1;
    p->forwarding = true;
    return 0;
}

uint64_t tcp_proxy_connections(const tcp_proxy *p)
{
    return __atomic_load_n(&p->accepted, __ATOMIC_RELAXED);
}

void tcp_proxy_stop(tcp_proxy *p)
{
    if (!p)
        return;
    /* One byte, never read: every poll() sees the pipe readable from now on. */
    while (write(p->wake[1], "x", 1) < 0 && errno == EINTR) {
    }
    if (p->forwarding)
        pthread_join(p->acceptor, NULL);
    for (size_t i = 0; i < TCP_PROXY_MAX_CONNECTIONS; i++)
        if (p->links[i].used)
            close_link(&p->links[i]);
    close(p->listen_fd);
    close(p->wake[0]);
    close(p->wake[1]);
    free(p);
}
