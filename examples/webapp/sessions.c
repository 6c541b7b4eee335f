/* The server-side session store (sessions.h). */
#include "sessions.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOGIN_TTL_SECONDS 600     /* a sign-in must finish within 10 minutes */
#define MAX_PENDING_LOGINS 10000  /* a flood of /login requests cannot grow memory forever */

/* Entries are found by SHA-256(cookie value), so the store never holds a live
 * cookie value, and comparing keys leaks nothing about one. */
typedef struct entry {
    struct entry *next;
    char key[65];
    int64_t created_at;
    int64_t expires_at;
    bool stale;
    pending_login *login;    /* a pending sign-in, or ... */
    session_data *data;      /* ... a session */
} entry;

struct session_store {
    pthread_mutex_t lock;
    entry *logins;
    entry *sessions;
    size_t n_logins;
    long lifetime;
};

static int64_t now(void)
{
    return (int64_t)time(NULL);
}

/* 32 bytes as 64 hex digits and a NUL. */
static void hex32(const unsigned char bytes[32], char out[65])
{
    for (size_t i = 0; i < 32; i++) {
        out[2 * i] = "0123456789abcdef"[bytes[i] >> 4];
        out[2 * i + 1] = "0123456789abcdef"[bytes[i] & 15];
    }
    out[64] = '\0';
}

int webapp_random_id(char out[WEBAPP_ID_SIZE])
{
    unsigned char bytes[32];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        return -1;
    hex32(bytes, out);
    return 0;
}

/* The key of cookie value @p id; false when @p id is not shaped as ours (then no lookup). */
static bool key_of(const char *id, char key[65])
{
    if (!id || strlen(id) != 64 || strspn(id, "0123456789abcdef") != 64)
        return false;
    unsigned char md[32];
    unsigned int len = 0;
    if (!EVP_Digest(id, 64, md, &len, EVP_sha256(), NULL))
        return false;
    hex32(md, key);
    return true;
}

static void strv_free(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

void session_data_free(session_data *d)
{
    if (!d)
        return;
    free(d->user_id);
    free(d->email);
    free(d->name);
    free(d->organization_id);
    free(d->sid);
    strv_free(d->roles);
    strv_free(d->permissions);
    /* The tokens are secrets: clear them before the memory goes back. */
    if (d->access_token)
        memset(d->access_token, 0, strlen(d->access_token));
    if (d->refresh_token)
        memset(d->refresh_token, 0, strlen(d->refresh_token));
    free(d->access_token);
    free(d->refresh_token);
    free(d);
}

/* Drop a reference; the caller holds the lock. */
static void unref_locked(session_data *d)
{
    if (d && --d->refs == 0)
        session_data_free(d);
}

static void entry_free(entry *e)
{
    if (e->login)
        memset(e->login, 0, sizeof *e->login);
    free(e->login);
    unref_locked(e->data);
    free(e);
}

/* Unlink and free the entries of @p list that expired; the caller holds the lock. */
static size_t purge_locked(entry **list)
{
    size_t n = 0;
    int64_t t = now();
    for (entry **p = list; *p;) {
        if ((*p)->expires_at <= t) {
            entry *dead = *p;
            *p = dead->next;
            entry_free(dead);
            n++;
        } else {
            p = &(*p)->next;
        }
    }
    return n;
}

static entry **find_locked(entry **list, const char *key)
{
    entry **p = list;
    while (*p && strcmp((*p)->key, key) != 0)
        p = &(*p)->next;
    return p;
}

session_store *sessions_new(long lifetime_seconds)
{
    session_store *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    if (pthread_mutex_init(&s->lock, NULL) != 0) {
        free(s);
        return NULL;
    }
    s->lifetime = lifetime_seconds;
    return s;
}

void sessions_free(session_store *s)
{
    if (!s)
        return;
    entry *lists[2] = {s->logins, s->sessions};
    for (size_t i = 0; i < 2; i++) {
        while (lists[i]) {
            entry *next = lists[i]->next;
            entry_free(lists[i]);
            lists[i] = next;
        }
    }
    pthread_mutex_destroy(&s->lock);
    free(s);
}

/* A new entry under a fresh random id, linked into @p list; the caller holds the lock. */
static entry *add_locked(entry **list, long ttl, char id_out[WEBAPP_ID_SIZE])
{
    entry *e = calloc(1, sizeof *e);
    if (!e || webapp_random_id(id_out) != 0 || !key_of(id_out, e->key)) {
        free(e);
        return NULL;
    }
    e->created_at = now();
    e->expires_at = e->created_at + ttl;
    e->next = *list;
    *list = e;
    return e;
}

int logins_begin(session_store *s, const pending_login *login, char id_out[WEBAPP_ID_SIZE])
{
    pending_login *copy = malloc(sizeof *copy);
    if (!copy)
        return -1;
    *copy = *login;
    pthread_mutex_lock(&s->lock);
    s->n_logins -= purge_locked(&s->logins);
    entry *e = s->n_logins < MAX_PENDING_LOGINS ? add_locked(&s->logins, LOGIN_TTL_SECONDS, id_out) : NULL;
    if (e) {
        e->login = copy;
        s->n_logins++;
    }
    pthread_mutex_unlock(&s->lock);
    if (!e)
        free(copy);
    return e ? 0 : -1;
}

int logins_take(session_store *s, const char *id, pending_login *out)
{
    char key[65];
    if (!key_of(id, key))
        return -1;
    pthread_mutex_lock(&s->lock);
    s->n_logins -= purge_locked(&s->logins);
    entry **p = find_locked(&s->logins, key);
    entry *e = *p;
    if (e) {
        /* Unlinked before it is used: a replayed callback finds nothing. */
        *p = e->next;
        s->n_logins--;
        *out = *e->login;
        entry_free(e);
    }
    pthread_mutex_unlock(&s->lock);
    return e ? 0 : -1;
}

session_data *session_data_new(void)
{
    session_data *d = calloc(1, sizeof *d);
    if (d)
        d->refs = 1;
    return d;
}

int sessions_create(session_store *s, session_data *data, char id_out[WEBAPP_ID_SIZE])
{
    pthread_mutex_lock(&s->lock);
    purge_locked(&s->sessions);
    entry *e = add_locked(&s->sessions, s->lifetime, id_out);
    if (e)
        e->data = data;
    else
        unref_locked(data);
    pthread_mutex_unlock(&s->lock);
    return e ? 0 : -1;
}

session_data *sessions_get(session_store *s, const char *id, session_info *info)
{
    char key[65];
    if (!key_of(id, key))
        return NULL;
    pthread_mutex_lock(&s->lock);
    purge_locked(&s->sessions);
    entry *e = *find_locked(&s->sessions, key);
    session_data *d = e ? e->data : NULL;
    if (d) {
        d->refs++;
        if (info)
            *info = (session_info){e->created_at, e->expires_at, e->stale};
    }
    pthread_mutex_unlock(&s->lock);
    return d;
}

void sessions_release(session_store *s, session_data *data)
{
    if (!data)
        return;
    pthread_mutex_lock(&s->lock);
    unref_locked(data);
    pthread_mutex_unlock(&s->lock);
}

int sessions_replace(session_store *s, const char *id, const session_data *expected, session_data *data)
{
    char key[65];
    int rc = -1;
    pthread_mutex_lock(&s->lock);
    entry *e = key_of(id, key) ? *find_locked(&s->sessions, key) : NULL;
    if (e && e->data == expected && e->expires_at > now()) {
        unref_locked(e->data);
        e->data = data;
        e->stale = false;
        rc = 0;
    } else {
        unref_locked(data);
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

void sessions_destroy(session_store *s, const char *id)
{
    char key[65];
    if (!key_of(id, key))
        return;
    pthread_mutex_lock(&s->lock);
    entry **p = find_locked(&s->sessions, key);
    entry *e = *p;
    if (e) {
        *p = e->next;
        entry_free(e);
    }
    pthread_mutex_unlock(&s->lock);
}

int sessions_mark_stale(session_store *s, const char *user_id)
{
    int n = 0;
    pthread_mutex_lock(&s->lock);
    for (entry *e = s->sessions; e; e = e->next) {
        if (!user_id || (e->data->user_id && strcmp(e->data->user_id, user_id) == 0)) {
            e->stale = true;
            n++;
        }
    }
    pthread_mutex_unlock(&s->lock);
    return n;
}
