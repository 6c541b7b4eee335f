/* OpenID Connect metadata: GET /keys, GET /.well-known/openid-configuration, GET /oidc/logout. */
#include "environment.h"
#include "resources.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int get_keys(emu *e, emu_req *r)
{
    return emu_reply_json(r, 200, emu_keys_jwks(e));
}

/* @p path on the environment URL clients see (the public URL when there is one). */
static json_t *endpoint(const emu *e, const char *path)
{
    char url[EMU_MAX_URL + 64];
    snprintf(url, sizeof url, "%s%s", e->url, path);
    return json_string(url);
}

static int get_discovery(emu *e, emu_req *r)
{
    json_t *d = json_pack("{s:s, s:o, s:o, s:o, s:o, s:[s], s:[s], s:[s], s:[s,s], s:[s,s,s,s],"
                          " s:[s,s,s], s:[s,s], s:[s,s]}",
                          "issuer", e->url,
                          "authorization_endpoint", endpoint(e, "/oauth/authorize"),
                          "token_endpoint", endpoint(e, "/oauth/token"),
                          "jwks_uri", endpoint(e, "/keys"),
                          "end_session_endpoint", endpoint(e, "/oidc/logout"),
                          "response_types_supported", "code",
                          "subject_types_supported", "public",
                          "id_token_signing_alg_values_supported", "RS256",
                          "code_challenge_methods_supported", "S256", "plain",
                          "scopes_supported", "openid", "profile", "email", "offline_access",
                          "grant_types_supported", "authorization_code", "refresh_token", "client_credentials",
                          "token_endpoint_auth_methods_supported", "client_secret_post", "client_secret_basic",
                          "response_modes_supported", "query", "form_post");
    return emu_reply_json(r, 200, d);
}

static int signed_out_page(emu_req *r)
{
    skit_buf inner = SKIT_BUF_INIT;
    int rc = skit_buf_puts(&inner, "<p>You are signed out of the Scalekit emulator.</p>\n");
    rc = rc == SCALEKIT_OK ? emu_reply_page(r, 200, "Signed out", &inner, NULL) : -1;
    skit_buf_free(&inner);
    return rc;
}

/* The redirect target is checked before the session ends: a refused logout changes nothing. */
static int get_logout(emu *e, emu_req *r)
{
    const char *hint = emu_query(r, "id_token_hint");
    const char *target = emu_query(r, "post_logout_redirect_uri");
    const char *state = emu_query(r, "state");
    const char *why = NULL;
    if (target && *target && !emu_redirect_uri_allowed(e, target, &why))
        return emu_reply_error_page(r, "Sign-out error", "post_logout_redirect_uri %.200s %s", target, why);
    if (hint && *hint) {
        /* An expired ID token still names the session to end. */
        json_t *claims = NULL;
        if (emu_keys_verify(e, hint, false, &claims, &why) != 0)
            return emu_reply_error_page(r, "Sign-out error", "id_token_hint is not an ID token of this "
                                                             "environment: %s", why);
        const char *sid = skit_json_string(claims, "sid");
        if (sid)
            emu_session_end(e, sid, "logout");
        json_decref(claims);
    }
    if (!target || !*target)
        return signed_out_page(r);
    skit_buf url = SKIT_BUF_INIT;
    skit_buf_puts(&url, target);
    if (state && *state) {
        skit_buf_puts(&url, strchr(target, '?') ? "&" : "?");
        skit_buf_puts(&url, "state=");
        skit_url_encode(&url, state);
    }
    int rc = url.ptr ? emu_reply_redirect(r, url.ptr) : -1;
    skit_buf_free(&url);
    return rc;
}

const emu_route emu_oidc_routes[] = {
    {"GET", "/keys", get_keys, NULL},
    {"GET", "/.well-known/openid-configuration", get_discovery, NULL},
    {"GET", "/oidc/logout", get_logout, NULL},
    {NULL, NULL, NULL, NULL}
};
