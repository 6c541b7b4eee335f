/* URL, form and path encoding; base64 and strict base64url; constant-time compare. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#include "core.h"

bool skit_is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

void skit_hex_encode(const unsigned char *in, size_t len, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = hex[in[i] >> 4];
        out[2 * i + 1] = hex[in[i] & 15];
    }
    out[2 * len] = '\0';
}

int skit_url_encode(skit_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    if (!s)
        return SCALEKIT_OK;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int rc;
        if (skit_is_unreserved(*p)) {
            rc = skit_buf_put(b, p, 1);
        } else {
            char esc[3] = {'%', hex[*p >> 4], hex[*p & 0x0f]};
            rc = skit_buf_put(b, esc, 3);
        }
        if (rc)
            return rc;
    }
    if (!b->ptr)
        return skit_buf_put(b, "", 0);
    return SCALEKIT_OK;
}

int skit_form_add(skit_buf *b, const char *name, const char *value)
{
    if (!name || !value || !*value)
        return SCALEKIT_OK;
    int rc = SCALEKIT_OK;
    if (b->len)
        rc = skit_buf_put(b, "&", 1);
    if (!rc)
        rc = skit_url_encode(b, name);
    if (!rc)
        rc = skit_buf_put(b, "=", 1);
    if (!rc)
        rc = skit_url_encode(b, value);
    return rc;
}

int skit_path_add(skit_buf *b, const char *segment)
{
    /* A segment keeps only unreserved characters, so "/", "?", "#" and ".." stay inert. */
    return skit_url_encode(b, segment);
}

/* ---- base64 ------------------------------------------------------------- */

static const char b64_std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static size_t encode_with(const char *alphabet, bool pad, const unsigned char *in, size_t len,
                          char *out)
{
    size_t o = 0, i = 0;
    for (; i + 3 <= len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = alphabet[v >> 18 & 63];
        out[o++] = alphabet[v >> 12 & 63];
        out[o++] = alphabet[v >> 6 & 63];
        out[o++] = alphabet[v & 63];
    }
    size_t rest = len - i;
    if (rest) {
        uint32_t v = (uint32_t)in[i] << 16 | (rest == 2 ? (uint32_t)in[i + 1] << 8 : 0);
        out[o++] = alphabet[v >> 18 & 63];
        out[o++] = alphabet[v >> 12 & 63];
        if (rest == 2)
            out[o++] = alphabet[v >> 6 & 63];
        else if (pad)
            out[o++] = '=';
        if (pad)
            out[o++] = '=';
    }
    out[o] = '\0';
    return o;
}

size_t skit_base64url_encoded_len(size_t len)
{
    return len / 3 * 4 + (len % 3 ? len % 3 + 1 : 0);
}

size_t skit_base64url_encode(const unsigned char *in, size_t len, char *out)
{
    return encode_with(b64_url, false, in, len, out);
}

size_t skit_base64_encoded_len(size_t len)
{
    return (len + 2) / 3 * 4;
}

size_t skit_base64_encode(const unsigned char *in, size_t len, char *out)
{
    return encode_with(b64_std, true, in, len, out);
}

/* Sextet values of each byte for one alphabet, 0xff for "not in the alphabet".
 * A table rather than comparisons: token validation decodes three segments per
 * token and this loop was a visible share of it. */
typedef struct sextet_table {
    unsigned char v[256];
} sextet_table;

static sextet_table url_sextets, std_sextets;
static pthread_once_t sextets_once = PTHREAD_ONCE_INIT;

static void sextets_init(void)
{
    memset(url_sextets.v, 0xff, sizeof url_sextets.v);
    memset(std_sextets.v, 0xff, sizeof std_sextets.v);
    for (unsigned i = 0; i < 64; i++) {
        url_sextets.v[(unsigned char)b64_url[i]] = (unsigned char)i;
        std_sextets.v[(unsigned char)b64_std[i]] = (unsigned char)i;
    }
}

/* Decode @p len data characters (no padding) of one alphabet, refusing any other
 * character, a length of 1 mod 4 and non-zero unused trailing bits. */
static int decode_with(bool url, const char *in, size_t len, unsigned char **out,
                       size_t *out_len)
{
    const char *what = url ? "base64url" : "base64";
    if (len % 4 == 1)
        return skit_error_set(SCALEKIT_EINVAL, "%s input has an impossible length %zu", what, len);
    pthread_once(&sextets_once, sextets_init);
    const unsigned char *t = url ? url_sextets.v : std_sextets.v;
    const unsigned char *s = (const unsigned char *)in;
    size_t cap = len / 4 * 3 + (len % 4 ? len % 4 - 1 : 0);
    unsigned char *buf = malloc(cap + 1);
    if (!buf)
        return skit_error_oom();
    size_t i = 0, o = 0;
    for (; i + 4 <= len; i += 4) {
        unsigned a = t[s[i]], b = t[s[i + 1]], c = t[s[i + 2]], d = t[s[i + 3]];
        if ((a | b | c | d) & 0x80)
            goto bad_char;
        uint32_t q = a << 18 | b << 12 | c << 6 | d;
        buf[o++] = (unsigned char)(q >> 16);
        buf[o++] = (unsigned char)(q >> 8);
        buf[o++] = (unsigned char)q;
    }
    size_t rest = len - i;   /* 0, 2 or 3 characters */
    if (rest) {
        unsigned a = t[s[i]], b = t[s[i + 1]], c = rest == 3 ? t[s[i + 2]] : 0;
        if ((a | b | c) & 0x80)
            goto bad_char;
        uint32_t q = a << 18 | b << 12 | c << 6;
        /* the bits past the last whole byte must be zero (RFC 4648 section 3.5) */
        if (rest == 2 ? (q & 0xffff) != 0 : (q & 0xff) != 0) {
            free(buf);
            return skit_error_set(SCALEKIT_EINVAL, "%s input has non-zero unused bits", what);
        }
        buf[o++] = (unsigned char)(q >> 16);
        if (rest == 3)
            buf[o++] = (unsigned char)(q >> 8);
    }
    buf[o] = '\0';
    *out = buf;
    if (out_len)
        *out_len = o;
    return SCALEKIT_OK;

bad_char:
    free(buf);
    for (; i < len && t[s[i]] != 0xff; i++)
        ;
    return skit_error_set(SCALEKIT_EINVAL, "%s input has an invalid character at %zu", what, i);
}

int skit_base64url_decode(const char *in, size_t len, unsigned char **out, size_t *out_len)
{
    if (!in || !out)
        return skit_error_set(SCALEKIT_EINVAL, "base64url input must not be NULL");
    *out = NULL;
    return decode_with(true, in, len, out, out_len);
}

int skit_base64_decode(const char *in, size_t len, unsigned char **out, size_t *out_len)
{
    if (!in || !out)
        return skit_error_set(SCALEKIT_EINVAL, "base64 input must not be NULL");
    *out = NULL;
    if (len % 4 != 0)
        return skit_error_set(SCALEKIT_EINVAL,
                              "base64 input length %zu is not a multiple of 4", len);
    size_t data = len;
    if (data && in[data - 1] == '=')
        data--;
    if (data && in[data - 1] == '=')
        data--;
    return decode_with(false, in, data, out, out_len);
}

bool skit_consttime_equal(const void *a, const void *b, size_t len)
{
    return CRYPTO_memcmp(a, b, len) == 0;
}
