/* The browser-facing URLs: the hosted login page and the logout endpoint. No network. */
#include <string.h>

#include "core/client_internal.h"
#include "auth_internal.h"

int skit_auth_join_scopes(skit_buf *out, const char *const *scopes, const char *what)
{
    for (size_t i = 0; scopes[i] != NULL; i++) {
        const char *scope = scopes[i];
        if (scope[0] == '\0')
            return skit_error_set(SCALEKIT_EINVAL, "%s[%zu] must not be empty", what, i);
        if (strchr(scope, ' ') != NULL)
            return skit_error_set(SCALEKIT_EINVAL,
                                  "%s[%zu] \"%s\" must not contain a space: give one scope per entry",
                                  what, i, scope);
        int rc = skit_buf_printf(out, "%s%s", i > 0 ? " " : "", scope);
        if (rc != SCALEKIT_OK)
            return rc;
    }
    return SCALEKIT_OK;
}

/* The query of /oauth/authorize, in the order of the API description. */
static int build_authorize_query(const scalekit_client *client, const char *redirect_uri,
                                 const scalekit_authorization_url_options *o, skit_buf *q)
{
    skit_buf scope = SKIT_BUF_INIT;
    int rc = SCALEKIT_OK;
    /* An empty list means the defaults too, as in the Go SDK. */
    if (o->scopes != NULL && o->scopes[0] != NULL)
        rc = skit_auth_join_scopes(&scope, o->scopes, "scopes");
    else
        rc = skit_buf_puts(&scope, SKIT_DEFAULT_SCOPES);

    if (rc == SCALEKIT_OK) rc = skit_form_add(q, "response_type", "code");
    if (rc == SCALEKIT_OK) rc = skit_form_add(q, "client_id", skit_core_of(client)->client_id);
    if (rc == SCALEKIT_OK) rc = skit_form_add(q, "redirect_uri", redirect_uri);
    if (rc == SCALEKIT_OK) rc = skit_form_add(q, "scope", scope.ptr);
    skit_buf_free(&scope);

    const struct { const char *name; const char *value; } optional[] = {
        {"state", o->state},
        {"nonce", o->nonce},
        {"login_hint", o->login_hint},
        {"domain_hint", o->domain_hint},
        {"domain", o->domain_hint},   /* older IdP routing reads this name */
        {"connection_id", o->connection_id},
        {"organization_id", o->organization_id},
        {"provider", o->provider},
        {"code_challenge", o->code_challenge},
        {"code_challenge_method", o->code_challenge_method},
        {"prompt", o->prompt},
    };
    for (size_t i = 0; rc == SCALEKIT_OK && i < sizeof optional / sizeof optional[0]; i++)
        rc = skit_form_add(q, optional[i].name, optional[i].value); /* NULL/"" adds nothing */
    return rc;
}

/* "<env><path>[?<query>]" handed out as a malloc'd string. */
static int finish_url(const scalekit_client *client, const char *path, const skit_buf *query,
                      char **url_out)
{
    skit_buf url = SKIT_BUF_INIT;
    int rc = skit_buf_printf(&url, "%s%s", skit_core_of(client)->env_url, path);
    if (rc == SCALEKIT_OK && query->len > 0)
        rc = skit_buf_printf(&url, "?%s", query->ptr);
    if (rc != SCALEKIT_OK) {
        skit_buf_free(&url);
        return rc;
    }
    *url_out = skit_buf_detach(&url);
    if (*url_out == NULL)
        return skit_error_oom();
    skit_error_reset();
    return SCALEKIT_OK;
}

int scalekit_get_authorization_url(scalekit_client *client, const char *redirect_uri,
                                   const scalekit_authorization_url_options *opts, char **url_out)
{
    if (url_out == NULL)
        return skit_error_set(SCALEKIT_EINVAL, "url_out must not be NULL");
    *url_out = NULL;
    if (client == NULL)
        return skit_error_set(SCALEKIT_EINVAL, "client must not be NULL");
    if (skit_is_empty(redirect_uri))
        return skit_error_set(SCALEKIT_EINVAL, "redirect_uri must not be empty");

    scalekit_authorization_url_options o;
    int rc = SKIT_STRUCT_COPY(&o, opts, scalekit_authorization_url_options,
                              SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT);
    if (rc != SCALEKIT_OK)
        return rc;
    skit_buf query = SKIT_BUF_INIT;
    rc = build_authorize_query(client, redirect_uri, &o, &query);
    if (rc == SCALEKIT_OK)
        rc = finish_url(client, "/oauth/authorize", &query, url_out);
    skit_buf_free(&query);
    return rc;
}

int scalekit_get_logout_url(scalekit_client *client, const scalekit_logout_url_options *opts,
                            char **url_out)
{
    if (url_out == NULL)
        return skit_error_set(SCALEKIT_EINVAL, "url_out must not be NULL");
    *url_out = NULL;
    if (client == NULL)
        return skit_error_set(SCALEKIT_EINVAL, "client must not be NULL");

    scalekit_logout_url_options o;
    int rc = SKIT_STRUCT_COPY(&o, opts, scalekit_logout_url_options,
                              SCALEKIT_LOGOUT_URL_OPTIONS_INIT);
    if (rc != SCALEKIT_OK)
        return rc;
    skit_buf query = SKIT_BUF_INIT;
    rc = skit_form_add(&query, "id_token_hint", o.id_token_hint);
    if (rc == SCALEKIT_OK)
        rc = skit_form_add(&query, "post_logout_redirect_uri", o.post_logout_redirect_uri);
    if (rc == SCALEKIT_OK)
        rc = skit_form_add(&query, "state", o.state);
    if (rc == SCALEKIT_OK)
        rc = finish_url(client, "/oidc/logout", &query, url_out);
    skit_buf_free(&query);
    return rc;
}
