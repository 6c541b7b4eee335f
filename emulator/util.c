/* Small helpers shared by the emulator's handlers. */
#include "environment.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

char *emu_new_id(const char *prefix, size_t nbytes)
{
    unsigned char raw[32];
    if (nbytes > sizeof raw || skit_random_bytes(raw, nbytes) != SCALEKIT_OK)
        return NULL;
    size_t plen = strlen(prefix);
    char *out = malloc(plen + 2 * nbytes + 1);
    if (!out)
        return NULL;
    memcpy(out, prefix, plen);
    skit_hex_encode(raw, nbytes, out + plen);
    return out;
}

void emu_sha256_hex(const char *s, char out[65])
{
    unsigned char md[32];
    unsigned int len = 0;
    if (!EVP_Digest(s, strlen(s), md, &len, EVP_sha256(), NULL))
        memset(md, 0, sizeof md);
    skit_hex_encode(md, sizeof md, out);
}

int emu_html_escape(skit_buf *b, const char *s)
{
    for (; s && *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: break;
        }
        int rc = rep ? skit_buf_puts(b, rep) : skit_buf_put(b, s, 1);
        if (rc != SCALEKIT_OK)
            return rc;
    }
    return SCALEKIT_OK;
}

json_t *emu_json_time(int64_t t)
{
    char text[32];
    skit_format_rfc3339(t, text);
    return json_string(text);
}

bool emu_email_plausible(const char *email)
{
    const char *at = email ? strchr(email, '@') : NULL;
    return at && at != email && at[1] && !strpbrk(email, " \t\r\n<>\"(),;:");
}
