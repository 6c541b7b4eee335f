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

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_URI_LEN 2048

/* Length of the "http://" or "https://" prefix (any case), 0 for another scheme. */
static size_t scheme_len(const char *uri)
{
    return strncasecmp(uri, "https://", 8) == 0 ? 8 : strncasecmp(uri, "http://", 7) == 0 ? 7 : 0;
}

const char *emu_redirect_uri_malformed(const char *uri)
{
    if (uri && strlen(uri) > MAX_URI_LEN)
        return "is longer than 2048 characters";
    /* The SDK's own URL check, which also keeps the origin safe to quote in a
     * Content-Security-Policy header as it is. */
    return skit_url_problem(uri, SKIT_URL_QUERY);
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
bool emu_uri_loopback(const char *uri)
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
    if (emu_uri_loopback(uri) || registered(e, uri))
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
