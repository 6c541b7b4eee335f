/* A growable, always NUL-terminated byte buffer, and small string helpers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core.h"

static int buf_reserve(skit_buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1)
        return skit_error_oom();
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return SCALEKIT_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->ptr, cap);
    if (!p)
        return skit_error_oom();
    b->ptr = p;
    b->cap = cap;
    return SCALEKIT_OK;
}

int skit_buf_put(skit_buf *b, const void *data, size_t len)
{
    int rc = buf_reserve(b, len);
    if (rc)
        return rc;
    if (len)
        memcpy(b->ptr + b->len, data, len);
    b->len += len;
    b->ptr[b->len] = '\0';
    return SCALEKIT_OK;
}

int skit_buf_puts(skit_buf *b, const char *s)
{
    return skit_buf_put(b, s ? s : "", s ? strlen(s) : 0);
}

int skit_buf_printf(skit_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return skit_error_set(SCALEKIT_EINTERNAL, "formatting failed");
    if ((size_t)n < sizeof small)
        return skit_buf_put(b, small, (size_t)n);
    int rc = buf_reserve(b, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return SCALEKIT_OK;
}

char *skit_buf_detach(skit_buf *b)
{
    char *p = b->ptr;
    if (!p) {
        p = malloc(1);
        if (!p) {
            skit_error_oom();
            return NULL;
        }
        p[0] = '\0';
    }
    b->ptr = NULL;
    b->len = b->cap = 0;
    return p;
}

void skit_buf_free(skit_buf *b)
{
    if (!b)
        return;
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

bool skit_ascii_iequal_n(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int ca = ascii_lower((unsigned char)a[i]), cb = ascii_lower((unsigned char)b[i]);
        if (ca != cb)
            return false;
        if (ca == '\0')
            return true;
    }
    return true;
}

bool skit_ascii_iequal(const char *a, const char *b)
{
    return skit_ascii_iequal_n(a, b, SIZE_MAX);
}

void skit_buf_free_secret(skit_buf *b)
{
    if (b && b->ptr)
        OPENSSL_cleanse(b->ptr, b->cap);
    skit_buf_free(b);
}

void skit_free_secret(char *s)
{
    if (s) {
        OPENSSL_cleanse(s, strlen(s));
        free(s);
    }
}

bool skit_is_empty(const char *s)
{
    return s == NULL || s[0] == '\0';
}

char *skit_strdup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}
