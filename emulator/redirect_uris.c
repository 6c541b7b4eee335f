/*
 * Where the emulator may send a browser back to: the redirect_uri of
 * /oauth/authorize and the post_logout_redirect_uri of /oidc/logout.
 *
 * A URI must be well formed (an absolute http(s) URL of visible ASCII, no
 * backslash, no fragment, no userinfo, a plain host name or IP literal) and
 * either a loopback URI (RFC 8252 section 7.3: http on 127.0.0.1, [::1] or
 * localhost, any port, any path) or registered for the environment, compared
 * as an exact string (RFC 9700 section 2.1). The registry lives in the store
 * (table redirect_uris), so it survives a restart on the same data file.
 */
#include "environment.h"
#include "resources.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_URI_LEN 2048

/* Length of the "http://" or "https://" prefix (any case), 0 for another scheme. */
static size_t scheme_len(const char *uri)
{
    return strncasecmp(uri, "https://", 8) == 0 ? 8 : strncasecmp(uri, "http://", 7) == 0 ? 7 : 0;
}

/* Why the authority [a, a+n) is not "host[:port]", or NULL. Host: a DNS-style
 * name or an IP literal in brackets, so an origin built from it is safe to
 * quote in a header (Content-Security-Policy) as it is. */
static const char *authority_problem(const char *a, size_t n)
{
    if (n == 0)
        return "has no host";
    if (memchr(a, '@', n))
        return "has userinfo (user@host)";
    size_t host = 0;
    if (a[0] == '[') {
        const char *close = memchr(a, ']', n);
        if (!close || close == a + 1)
            return "has a malformed IPv6 literal";
        for (const char *p = a + 1; p < close; p++)
            if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.')
                return "has a malformed IPv6 literal";
        host = (size_t)(close - a) + 1;
    } else {
        while (host < n && (isalnum((unsigned char)a[host]) || a[host] == '-' || a[host] == '.'))
            host++;
        if (host == 0)
            return "has no host";
    }
    if (host == n)
        return NULL;
    if (a[host] != ':' || n - host - 1 == 0 || n - host - 1 > 5)
        return "has a malformed host or port";
    long port = 0;
    for (size_t i = host + 1; i < n; i++) {
        if (!isdigit((unsigned char)a[i]))
            return "has a malformed port";
        port = port * 10 + (a[i] - '0');
    }
    return port <= 65535 ? NULL : "has a port above 65535";
}

const char *emu_redirect_uri_malformed(const char *uri)
{
    if (!uri || !*uri)
        return "is empty";
    if (strlen(uri) > MAX_URI_LEN)
        return "is longer than 2048 characters";
    size_t skip = scheme_len(uri);
    if (!skip)
        return "is not an absolute http or https URL";
    for (const unsigned char *p = (const unsigned char *)uri; *p; p++) {
        if (*p <= 0x20 || *p >= 0x7f)
            return "contains a space, a control character or a non-ASCII byte";
        if (*p == '\\')
            return "contains a backslash";
        if (*p == '#')
            return "has a fragment";
        if (strchr("\"<>{}|^`", *p))
            return "contains a character a URL may not hold";
        if (*p == '%' && !(isxdigit(p[1]) && isxdigit(p[2])))
            return "contains a malformed percent-escape";
    }
    const char *authority = uri + skip;
    return authority_problem(authority, strcspn(authority, "/?"));
}

size_t emu_redirect_uri_origin(const char *uri, char *out, size_t n)
{
    size_t len = scheme_len(uri);
    len += strcspn(uri + len, "/?");
    if (len >= n)
        return 0;
    memcpy(out, uri, len);
    out[len] = '\0';
    return len;
}

/* RFC 8252 section 7.3 and 7.4: http on a loopback host, any port. */
static bool loopback(const char *uri)
{
    if (strncasecmp(uri, "http://", 7) != 0)
        return false;
    static const char *const hosts[] = {"127.0.0.1", "[::1]", "localhost"};
    const char *a = uri + 7;
    size_t n = strcspn(a, ":/?");
    if (a[0] == '[')
        n = strcspn(a, "]") + 1;
    for (size_t i = 0; i < sizeof hosts / sizeof *hosts; i++)
        if (n == strlen(hosts[i]) && strncasecmp(a, hosts[i], n) == 0)
            return true;
    return false;
}

static bool registered(emu *e, const char *uri)
{
    json_t *row = emu_db_row(e->store, "SELECT uri FROM redirect_uris WHERE uri = ?", "s", uri);
    json_decref(row);
    return row != NULL;
}

bool emu_redirect_uri_allowed(emu *e, const char *uri, const char **why)
{
    *why = emu_redirect_uri_malformed(uri);
    if (*why)
        return false;
    if (loopback(uri) || registered(e, uri))
        return true;
    *why = "is not registered for this environment (register it with --redirect-uri or "
           "POST /_emulator/redirect-uris; loopback http URIs need no registration)";
    return false;
}

int emu_redirect_uri_add(emu *e, const char *uri)
{
    if (emu_redirect_uri_malformed(uri))
        return -1;
    return emu_db_exec(e->store, "INSERT INTO redirect_uris(uri, created_at) VALUES (?, ?) "
                                 "ON CONFLICT(uri) DO NOTHING", "si", uri, skit_now()) < 0 ? -1 : 0;
}

int emu_redirect_uri_remove(emu *e, const char *uri)
{
    return emu_db_exec(e->store, "DELETE FROM redirect_uris WHERE uri = ?", "s", uri);
}

json_t *emu_redirect_uri_list(emu *e)
{
    json_t *rows = emu_db_rows(e->store, "SELECT uri FROM redirect_uris ORDER BY created_at, rowid", "");
    json_t *list = rows ? json_array() : NULL;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
        json_array_append(list, json_object_get(row, "uri"));
    json_decref(rows);
    return list;
}
