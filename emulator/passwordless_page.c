/*
 * Passwordless in the browser: the magic link's landing, GET
 * /passwordless/link?link_token=..., and the hosted page's "Email me a code /
 * link" (the section, the code form, resend).
 *
 * A link of a headless send (the API's, with magiclink_auth_uri) redirects to
 * that URI with link_token added; the app then verifies it through the API.
 * Opening the link verifies nothing, so a mail scanner's fetch costs nothing.
 */
#include "environment.h"
#include "resources.h"
#include "passwordless.h"

#include <stdlib.h>
#include <string.h>

static int link_landing(emu *e, emu_req *r)
{
    const char *token = emu_query(r, "link_token");
    json_t *row = token && *token ? emu_passwordless_by_link(e, token) : NULL;
    const char *uri = skit_json_string(row, "magiclink_auth_uri");
    int rc;
    if (!row || strcmp(skit_json_string(row, "status"), "PENDING") != 0 ||
        json_integer_value(json_object_get(row, "expires_at")) <= skit_now()) {
        rc = emu_reply_error_page(r, "Link not valid",
                                  "This sign-in link is not valid: it was used, expired or replaced by a newer one.");
    } else if (uri) {
        skit_buf to = SKIT_BUF_INIT;
        skit_buf_printf(&to, "%s%slink_token=", uri, strchr(uri, '?') ? "&" : "?");
        skit_url_encode(&to, token);
        rc = to.ptr ? emu_reply_redirect(r, to.ptr) : -1;
        skit_buf_free(&to);
    } else {
        rc = emu_reply_error_page(r, "Link not valid", "This sign-in link leads nowhere: its request has no "
                                                       "magiclink_auth_uri.");
    }
    json_decref(row);
    return rc;
}

const emu_route emu_passwordless_page_routes[] = {
    {"GET", "/passwordless/link", link_landing, ""},
    {NULL, NULL, NULL, NULL}
};
