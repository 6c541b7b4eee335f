/*
 * Result arenas: a result is the first block of a chain of allocations, so
 * one skit_result_free() releases the struct and every string inside it.
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"

/* Each block starts with this header; the caller's memory follows it, aligned
 * for any type. The result's own header links every later block. */
typedef union skit_arena_block {
    struct {
        union skit_arena_block *next;
    } link;
    max_align_t align;
} skit_arena_block;

static skit_arena_block *block_of(void *user)
{
    return (skit_arena_block *)user - 1;
}

void *skit_result_new(size_t size)
{
    if (size > SIZE_MAX - sizeof(skit_arena_block)) {
        skit_error_oom();
        return NULL;
    }
    skit_arena_block *head = calloc(1, sizeof *head + size);
    if (!head) {
        skit_error_oom();
        return NULL;
    }
    head->link.next = NULL;
    return head + 1;
}

void *skit_result_alloc(void *result, size_t size)
{
    if (!result || size > SIZE_MAX - sizeof(skit_arena_block)) {
        skit_error_oom();
        return NULL;
    }
    skit_arena_block *block = calloc(1, sizeof *block + size);
    if (!block) {
        skit_error_oom();
        return NULL;
    }
    skit_arena_block *head = block_of(result);
    block->link.next = head->link.next;
    head->link.next = block;
    return block + 1;
}

char *skit_result_strndup(void *result, const char *s, size_t n)
{
    if (!s)
        return NULL;
    size_t len = strnlen(s, n);
    char *copy = skit_result_alloc(result, len + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

char *skit_result_strdup(void *result, const char *s)
{
    if (!s)
        return NULL;
    return skit_result_strndup(result, s, strlen(s));
}

void skit_result_free(void *result)
{
    if (!result)
        return;
    skit_arena_block *head = block_of(result);
    skit_arena_block *block = head->link.next;
    while (block) {
        skit_arena_block *next = block->link.next;
        free(block);
        block = next;
    }
    free(head);
}
