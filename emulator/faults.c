/* Injected faults: a list of {path, method, count, ...} consumed by matching requests. */
#include "environment.h"

#include <stdlib.h>
#include <string.h>

static bool path_matches(const char *pattern, const char *path)
{
    size_t n = strlen(pattern);
    if (n > 0 && pattern[n - 1] == '*')
        return strncmp(pattern, path, n - 1) == 0;
    return strcmp(pattern, path) == 0;
}

static void fault_free(emu_fault *f)
{
    free(f->path);
    free(f->method);
}

static void remove_at(emu_faults *fs, size_t i)
{
    fault_free(&fs->items[i]);
    memmove(&fs->items[i], &fs->items[i + 1], (fs->count - i - 1) * sizeof *fs->items);
    fs->count--;
}

bool emu_faults_take(emu *e, const char *method, const char *path, emu_fault *out)
{
    emu_faults *fs = &e->faults;
    bool found = false;
    pthread_mutex_lock(&fs->lock);
    for (size_t i = 0; i < fs->count; i++) {
        emu_fault *f = &fs->items[i];
        if (!path_matches(f->path, path) || (f->method && strcmp(f->method, method) != 0))
            continue;
        *out = *f;
        out->path = NULL;
        out->method = NULL;
        if (--f->count <= 0)
            remove_at(fs, i);
        found = true;
        break;
    }
    pthread_mutex_unlock(&fs->lock);
    return found;
}

void emu_faults_clear(emu *e)
{
    emu_faults *fs = &e->faults;
    pthread_mutex_lock(&fs->lock);
    for (size_t i = 0; i < fs->count; i++)
        fault_free(&fs->items[i]);
    free(fs->items);
    fs->items = NULL;
    fs->count = 0;
    pthread_mutex_unlock(&fs->lock);
}

/* Add a fault; takes ownership of f->path and f->method. 0 or -1 (out of memory). */
int emu_faults_add(emu *e, emu_fault *f)
{
    emu_faults *fs = &e->faults;
    pthread_mutex_lock(&fs->lock);
    emu_fault *items = realloc(fs->items, (fs->count + 1) * sizeof *items);
    if (!items) {
        pthread_mutex_unlock(&fs->lock);
        fault_free(f);
        return -1;
    }
    fs->items = items;
    fs->items[fs->count++] = *f;
    pthread_mutex_unlock(&fs->lock);
    return 0;
}
