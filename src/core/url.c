/*
 * Base URLs: an environment URL the SDK calls, and the public URL the emulator
 * hands out. One check for both, so the SDK accepts exactly what the emulator
 * may announce as its issuer.
 */
#include "core.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The port of an authority ("host", "host:443", "[::1]:8080"), when it has one,
 * must be 1 to 65535 in decimal; a bad one would only fail at the first request. */
static bool port_ok(const char *authority, size_t len)
{
    const char *end = authority + len, *colon;
    if (authority[0] == '[') {
        const char *bracket = memchr(authority, ']', len);
        if (!bracket)
            return false;
        if (bracket + 1 == end)
            return true;
        if (bracket[1] != ':')
            return false;
        colon = bracket + 1;
    } else {
        colon = memchr(authority, ':', len);
        if (!colon)
            return true;
    }
    long port = 0;
    const char *p = colon + 1;
    if (p == end || end - p > 5)
        return false;
    for (; p < end; p++) {
        if (*p < '0' || *p > '9')
            return false;
        port = port * 10 + (*p - '0');
    }
    return port >= 1 && port <= 65535;
}

/* A host: a name or IPv4 address of [A-Za-z0-9._-], or "[" IPv6 "]". */
static bool host_ok(const char *authority, size_t len)
{
    if (authority[0] == '[') {
        const char *bracket = memchr(authority, ']', len);
        if (!bracket || bracket == authority + 1)
            return false;
        for (const char *c = authority + 1; c < bracket; c++)
            if (!isxdigit((unsigned char)*c) && *c != ':' && *c != '.')
                return false;
        return true;
    }
    size_t host_len = strcspn(authority, ":/?");
    if (host_len > len)
        host_len = len;
    for (size_t i = 0; i < host_len; i++) {
        unsigned char c = (unsigned char)authority[i];
        if (!isalnum(c) && c != '-' && c != '.' && c != '_')
            return false;
    }
    return host_len > 0;
}

const char *skit_url_problem(const char *url, unsigned flags)
{
    if (!url || !*url)
        return "must not be empty";
    size_t scheme_len = skit_ascii_iequal_n(url, "https://", 8) ? 8
                      : skit_ascii_iequal_n(url, "http://", 7) ? 7 : 0;
    if (!scheme_len)
        return "must start with http:// or https://";
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        if (*p <= 0x20 || *p == 0x7f)
            return "contains whitespace or a control character";
        if (*p >= 0x80)
            return "must be ASCII (write an IDN host in its xn-- form)";
        if (*p == '#' || (*p == '?' && !(flags & SKIT_URL_QUERY)))
            return flags & SKIT_URL_QUERY ? "must not have a fragment"
                                          : "must not have a query or fragment";
        /* Browsers read a backslash as '/', so "http://\\evil" leaves the host. */
        if (*p == '\\')
            return "contains a backslash";
        if (strchr("\"<>^`{|}", *p))
            return "contains a character RFC 3986 forbids (one of \"<>^`{|})";
        if (*p == '%' && !(isxdigit(p[1]) && isxdigit(p[2])))
            return "contains a malformed percent-escape";
    }
    const char *host = url + scheme_len;
    size_t authority_len = strcspn(host, "/?");
    if (memchr(host, '@', authority_len))
        return "must not contain credentials";
    if (authority_len == 0 || host[0] == ':')
        return "has no host";
    if (!port_ok(host, authority_len))
        return "has a port that is not 1 to 65535";
    if (!host_ok(host, authority_len))
        return "has a host that is not a name or an address";
    return NULL;
}

int skit_url_normalise_base(const char *name, const char *url, char **out)
{
    const char *why = skit_url_problem(url, 0);
    if (why)
        return url && *url ? skit_error_set(SCALEKIT_EINVAL, "%s \"%s\" %s", name, url, why)
                           : skit_error_set(SCALEKIT_EINVAL, "%s %s", name, why);
    size_t scheme_len = url[4] == ':' ? 7 : 8;
    size_t authority_len = strcspn(url + scheme_len, "/");
    size_t len = strlen(url);
    while (len > scheme_len + authority_len && url[len - 1] == '/')
        len--;
    char *copy = malloc(len + 1);
    if (!copy)
        return skit_error_oom();
    memcpy(copy, url, len);
    copy[len] = '\0';
    /* Schemes are case-insensitive; write them lower-case (curl, issuer comparisons). */
    for (size_t i = 0; i < scheme_len - 3; i++)
        copy[i] = (char)tolower((unsigned char)copy[i]);
    *out = copy;
    return SCALEKIT_OK;
}
