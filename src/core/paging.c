/*
 * The generic page iterator (see decode.h). It learns where the items, their
 * count and the next page token live from the list operation's result table,
 * so a service's iterator is its list operation and nothing more.
 *
 * Every page token requested is remembered: a server that hands back a token
 * already used (A -> B -> A) would otherwise make the caller loop forever.
 *
 * A list without page tokens whose query has "page_number" pages by number
 * instead: page n + 1 follows page n until a page is empty or shorter than the
 * page size (the one asked for, else the first page's length). A server that
 * answers another page_number than the one asked would loop forever: refused.
 */
#include "decode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct skit_iterator {
    scalekit_client *client;
    const skit_op *op;
    char *path;
    char *base_query;             /* the list options but the page token */
    const skit_field *items;      /* the ARRAY field of the page */
    const skit_field *next_token; /* the "next_page_token" field; NULL when paging by number */
    const skit_field *number;     /* the page's "page_number" field, when it has one */
    bool numbered;                /* pages by page_number */
    int64_t next_number;          /* the page to fetch next, when numbered */
    int64_t page_size;            /* numbered: a shorter page is the last; 0 until known */
    bool more;                    /* numbered: another page may follow */
    void *page;                   /* the current page result */
    size_t index;                 /* next item of the page */
    char *pending;                /* the token of the page to fetch next */
    bool started;
    int failed;                   /* sticky error code, 0 while fine */
    /* tokens already requested: open addressing, power-of-two capacity */
    char **seen;
    size_t seen_count, seen_cap;
};

static uint64_t hash_text(const char *s)
{
    uint64_t h = 1469598103934665603ULL;   /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* Inserts @p token; *repeated tells whether it was there already. */
static int seen_add(skit_iterator *it, const char *token, bool *repeated)
{
    *repeated = false;
    if (2 * (it->seen_count + 1) > it->seen_cap) {
        size_t cap = it->seen_cap ? 2 * it->seen_cap : 16;
        char **table = calloc(cap, sizeof *table);
        if (!table)
            return skit_error_oom();
        for (size_t i = 0; i < it->seen_cap; i++) {
            if (!it->seen[i])
                continue;
            size_t j = hash_text(it->seen[i]) & (cap - 1);
            while (table[j])
                j = (j + 1) & (cap - 1);
            table[j] = it->seen[i];
        }
        free(it->seen);
        it->seen = table;
        it->seen_cap = cap;
    }
    size_t j = hash_text(token) & (it->seen_cap - 1);
    for (; it->seen[j]; j = (j + 1) & (it->seen_cap - 1)) {
        if (strcmp(it->seen[j], token) == 0) {
            *repeated = true;
            return SCALEKIT_OK;
        }
    }
    if (!(it->seen[j] = strdup(token)))
        return skit_error_oom();
    it->seen_count++;
    return SCALEKIT_OK;
}

/* The list options @p in as a query without the page's position, which the
 * iterator takes: its first page token, or its first page number and page size. */
static int split_options(skit_iterator *it, const void *in)
{
    json_t *q = NULL;
    int rc = in ? skit_encode(it->op->query, in, &q) : SCALEKIT_OK;
    skit_buf b = SKIT_BUF_INIT;
    const char *token = skit_json_string(q, "page_token");
    if (rc == SCALEKIT_OK && !it->numbered && token && *token && !(it->pending = strdup(token)))
        rc = skit_error_oom();
    it->next_number = json_integer_value(json_object_get(q, "page_number"));
    it->page_size = json_integer_value(json_object_get(q, "page_size"));
    if (rc == SCALEKIT_OK && q) {
        json_object_del(q, it->numbered ? "page_number" : "page_token");
        rc = skit_query_from_json(q, &b);
    }
    json_decref(q);
    it->base_query = b.ptr;   /* NULL when empty */
    if (rc != SCALEKIT_OK)
        skit_buf_free(&b);
    return rc;
}

int skit_op_iterator_new(scalekit_client *client, const skit_op *op, const void *in,
                         skit_iterator **out, ...)
{
    int rc = skit_check_out(out, "out");
    if (rc != SCALEKIT_OK)
        return rc;
    if (!client)
        return skit_error_set(SCALEKIT_EINVAL, "client must not be NULL");
    skit_iterator *it = calloc(1, sizeof *it);
    if (!it)
        return skit_error_oom();
    const skit_schema *list_schema = op->result;
    for (size_t i = 0; i < list_schema->field_count; i++) {
        const skit_field *f = &list_schema->fields[i];
        if (f->type == SKIT_F_ARRAY)
            it->items = f;
        else if (f->type == SKIT_F_STRING && strcmp(f->json_name, "next_page_token") == 0)
            it->next_token = f;
        else if (f->type == SKIT_F_INT32 && strcmp(f->json_name, "page_number") == 0)
            it->number = f;
    }
    for (size_t i = 0; !it->next_token && op->query && i < op->query->field_count; i++)
        it->numbered = it->numbered || (op->query->fields[i].json_name &&
                                        strcmp(op->query->fields[i].json_name, "page_number") == 0);
    if (!it->items || (!it->next_token && !it->numbered)) {
        free(it);
        return skit_error_set(SCALEKIT_EINTERNAL, "list table %s has no items, next_page_token or page_number",
                              list_schema->name);
    }
    it->client = client;
    it->op = op;
    va_list ap;
    va_start(ap, out);
    rc = skit_op_path(&it->path, op->path, ap);
    va_end(ap);
    if (rc == SCALEKIT_OK)
        rc = split_options(it, in);
    if (rc != SCALEKIT_OK) {
        skit_iterator_free(it);
        return rc;
    }
    *out = it;
    return SCALEKIT_OK;
}

static int fail(skit_iterator *it, int rc)
{
    it->failed = rc;
    return rc;
}

static size_t page_count(const skit_iterator *it)
{
    size_t count;
    memcpy(&count, (const char *)it->page + it->items->count_offset, sizeof count);
    return count;
}

/* After page it->next_number arrived: whether another follows, and its number. */
static int numbered_page_done(skit_iterator *it)
{
    int32_t answered = 0;
    if (it->number)
        memcpy(&answered, (const char *)it->page + it->number->offset, sizeof answered);
    if (it->number && answered != it->next_number)
        return skit_error_set(SCALEKIT_EMALFORMED_RESPONSE, "%s: asked for page_number %lld, the server "
                              "answered page %ld", it->path, (long long)it->next_number, (long)answered);
    size_t count = page_count(it);
    if (!it->page_size)
        it->page_size = (int64_t)count;
    it->more = count > 0 && (int64_t)count >= it->page_size && it->next_number < INT32_MAX;
    it->next_number++;
    return SCALEKIT_OK;
}

/* Fetches the page of it->pending (the first page when not started). */
static int fetch_next_page(skit_iterator *it)
{
    if (it->pending) {
        bool repeated;
        int rc = seen_add(it, it->pending, &repeated);
        if (rc != SCALEKIT_OK)
            return rc;
        if (repeated)
            return skit_error_set(SCALEKIT_EMALFORMED_RESPONSE,
                                  "the server repeated page_token \"%s\" of %s", it->pending,
                                  it->path);
    }
    skit_result_free(it->page);
    it->page = NULL;
    it->index = 0;
    skit_buf q = SKIT_BUF_INIT;
    int rc = it->base_query ? skit_buf_puts(&q, it->base_query) : SCALEKIT_OK;
    char number[24];
    snprintf(number, sizeof number, "%lld", (long long)it->next_number);
    if (rc == SCALEKIT_OK)
        rc = skit_form_add(&q, it->numbered ? "page_number" : "page_token", it->numbered ? number : it->pending);
    if (rc == SCALEKIT_OK)
        rc = skit_op_send(it->client, it->op, it->path, q.ptr, NULL, &it->page);
    skit_buf_free(&q);
    if (rc != SCALEKIT_OK)
        return rc;
    it->started = true;
    if (it->numbered)
        return numbered_page_done(it);
    free(it->pending);
    it->pending = NULL;
    const char *next;
    memcpy(&next, (const char *)it->page + it->next_token->offset, sizeof next);
    if (next && *next && !(it->pending = strdup(next)))
        return skit_error_oom();
    return SCALEKIT_OK;
}

int skit_iterator_next(skit_iterator *it, const void **item)
{
    if (!it || !item)
        return skit_error_set(SCALEKIT_EINVAL, "%s must not be NULL", it ? "item" : "iterator");
    *item = NULL;
    if (it->failed)
        return skit_error_set(it->failed, "the iterator failed earlier (%s)",
                              scalekit_strerror(it->failed));
    for (;;) {
        if (it->page) {
            const void *const *items;
            memcpy(&items, (const char *)it->page + it->items->offset, sizeof items);
            if (it->index < page_count(it)) {
                *item = items[it->index++];
                skit_error_reset();
                return SCALEKIT_OK;
            }
        }
        if (it->started && !(it->numbered ? it->more : it->pending != NULL)) {
            skit_error_reset();
            return SCALEKIT_ITEROVER;
        }
        int rc = fetch_next_page(it);
        if (rc != SCALEKIT_OK)
            return fail(it, rc);
    }
}

void skit_iterator_free(skit_iterator *it)
{
    if (!it)
        return;
    skit_result_free(it->page);
    for (size_t i = 0; i < it->seen_cap; i++)
        free(it->seen[i]);
    free(it->seen);
    free(it->path);
    free(it->base_query);
    free(it->pending);
    free(it);
}
