/*
 * Injected delays that hold no server thread: the connection is suspended
 * (MHD_suspend_connection) and one timer thread resumes it when its time has
 * come, or at stop. The daemon runs a small thread pool, so a handler that
 * slept would stall every other connection of its thread.
 */
#include "environment.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <microhttpd.h>

typedef struct delayed {
    struct MHD_Connection *conn;
    int64_t due_ms;
} delayed;

struct emu_delays {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;     /* CLOCK_MONOTONIC */
    bool stopping;
    delayed *items;
    size_t count, cap;
};

static void deadline_of(int64_t due_ms, struct timespec *ts)
{
    ts->tv_sec = (time_t)(due_ms / 1000);
    ts->tv_nsec = (long)(due_ms % 1000) * 1000000L;
}

/* Resume every connection whose time has come (all of them when stopping);
 * the earliest remaining due time, or -1. Caller holds the lock. */
static int64_t resume_due(emu_delays *d)
{
    int64_t now = skit_monotonic_ms(), next = -1;
    for (size_t i = 0; i < d->count;) {
        if (d->stopping || d->items[i].due_ms <= now) {
            MHD_resume_connection(d->items[i].conn);
            d->items[i] = d->items[--d->count];
            continue;
        }
        if (next < 0 || d->items[i].due_ms < next)
            next = d->items[i].due_ms;
        i++;
    }
    return next;
}

static void *timer_main(void *arg)
{
    emu_delays *d = arg;
    pthread_mutex_lock(&d->lock);
    while (!d->stopping) {
        int64_t next = resume_due(d);
        if (next < 0) {
            pthread_cond_wait(&d->wake, &d->lock);
        } else {
            struct timespec ts;
            deadline_of(next, &ts);
            pthread_cond_timedwait(&d->wake, &d->lock, &ts);
        }
    }
    resume_due(d);
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

int emu_delays_start(emu *e)
{
    emu_delays *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);   /* skit_monotonic_ms's clock */
    pthread_cond_init(&d->wake, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&d->lock, NULL);
    if (pthread_create(&d->thread, NULL, timer_main, d) != 0) {
        pthread_cond_destroy(&d->wake);
        pthread_mutex_destroy(&d->lock);
        free(d);
        return -1;
    }
    e->delays = d;
    return 0;
}

bool emu_delays_suspend(emu *e, struct MHD_Connection *conn, long ms)
{
    emu_delays *d = e->delays;
    pthread_mutex_lock(&d->lock);
    bool stopping = d->stopping;
    if (!stopping && d->count == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        delayed *items = realloc(d->items, cap * sizeof *items);
        if (!items) {
            pthread_mutex_unlock(&d->lock);
            return false;   /* no memory to wait: answer at once */
        }
        d->items = items;
        d->cap = cap;
    }
    if (stopping) {
        pthread_mutex_unlock(&d->lock);
        return false;
    }
    /* Suspended before the timer can see it: resuming a connection that is not
     * suspended is undefined. Both happen under the lock the timer takes. */
    MHD_suspend_connection(conn);
    d->items[d->count++] = (delayed){conn, skit_monotonic_ms() + ms};
    pthread_cond_signal(&d->wake);
    pthread_mutex_unlock(&d->lock);
    return true;
}

void emu_delays_stop(emu *e)
{
    emu_delays *d = e->delays;
    if (!d)
        return;
    pthread_mutex_lock(&d->lock);
    d->stopping = true;
    pthread_cond_signal(&d->wake);
    pthread_mutex_unlock(&d->lock);
    pthread_join(d->thread, NULL);
}

void emu_delays_free(emu *e)
{
    emu_delays *d = e->delays;
    if (!d)
        return;
    pthread_cond_destroy(&d->wake);
    pthread_mutex_destroy(&d->lock);
    free(d->items);
    free(d);
    e->delays = NULL;
}
