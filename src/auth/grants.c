/*
 * The token endpoint (POST /oauth/token): authorization code, refresh token and
 * client credentials grants. The answers become arena results that keep the raw JSON.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/client_internal.h"
#include "core/decode.h"
#include "auth_internal.h"

int skit_auth_add_credentials(skit_buf *form, const scalekit_client *client)
{
    const skit_core *core = skit_core_of(client);
    int rc = skit_form_add(form, "client_id", core->client_id);
    return rc == SCALEKIT_OK ? skit_form_add(form, "client_secret", core->client_secret) : rc;
}

int skit_auth_post_token_form(scalekit_client *client, const skit_buf *form, json_t **json,
                           char **raw_out)
{
    *json = NULL;
    *raw_out = NULL;
    skit_request req = {
        .method = "POST",
        .path = "/oauth/token",
        .body = form->ptr ? form->ptr : "",
        .body_len = form->len,
        .content_type = "application/x-www-form-urlencoded",
        .authenticated = false,   /* the form carries the credentials */
        .idempotent = false,      /* codes and refresh tokens are single use */
    };
    skit_response resp = {0};
    int rc = skit_http_send(client, &req, &resp);
    if (rc != SCALEKIT_OK)
        return rc;
    *json = skit_json_parse_object(resp.body, resp.body_len);
    if (*json == NULL) {
        skit_response_free(&resp);
        return SCALEKIT_EMALFORMED_RESPONSE;
    }
    *raw_out = resp.body;   /* handed over: the response no longer owns it */
    resp.body = NULL;
    skit_response_free(&resp);
    return SCALEKIT_OK;
}

static const skit_field token_response_fields[] = {
    SKIT_FIELD(scalekit_token_response, access_token, SKIT_F_STRING),
    SKIT_FIELD(scalekit_token_response, id_token, SKIT_F_STRING),
    SKIT_FIELD(scalekit_token_response, refresh_token, SKIT_F_STRING),
    SKIT_FIELD(scalekit_token_response, token_type, SKIT_F_STRING),
    SKIT_FIELD(scalekit_token_response, scope, SKIT_F_STRING),
    SKIT_FIELD(scalekit_token_response, expires_in, SKIT_F_INT64),
    SKIT_FIELD_SELF(scalekit_token_response, raw_json),
};
static const skit_schema token_response_schema =
    SKIT_SCHEMA(scalekit_token_response, "token response", token_response_fields);

int skit_auth_check_tokens(const scalekit_client *client, const json_t *json, bool id_token)
{
    int rc = skit_token_answer_check(client, json, "access_token", true);
    if (rc == SCALEKIT_OK)
        rc = skit_token_answer_check(client, json, "id_token", id_token);
    if (rc == SCALEKIT_OK)
        rc = skit_token_answer_check(client, json, "refresh_token", false);
    return rc;
}

static int exchange_for_tokens(scalekit_client *client, const skit_buf *form,
                               scalekit_token_response **out)
{
    json_t *json;
    char *raw;
    int rc = skit_auth_post_token_form(client, form, &json, &raw);
    if (rc != SCALEKIT_OK)
        return rc;
    rc = skit_auth_check_tokens(client, json, false);
    if (rc == SCALEKIT_OK)
        rc = skit_decode_new(&token_response_schema, json, raw, (void **)out);
    json_decref(json);
    free(raw);
    if (rc == SCALEKIT_OK)
        skit_error_reset();
    return rc;
}

void scalekit_token_response_free(scalekit_token_response *r)
{
    skit_result_free(r);
}

int scalekit_refresh_access_token(scalekit_client *client, const char *refresh_token,
                                  scalekit_token_response **out)
{
    if (out == NULL)
        return skit_error_set(SCALEKIT_EINVAL, "out must not be NULL");
    *out = NULL;
    if (client == NULL)
        return skit_error_set(SCALEKIT_EINVAL, "client must not be NULL");
    if (skit_is_empty(refresh_token))
        return skit_error_set(SCALEKIT_EINVAL, "refresh_token must not be empty");

    skit_buf form = SKIT_BUF_INIT;
    int rc = skit_form_add(&form, "grant_type", "refresh_token");
    if (rc == SCALEKIT_OK) rc = skit_form_add(&form, "refresh_token", refresh_token);
    if (rc == SCALEKIT_OK) rc = skit_auth_add_credentials(&form, client);
    if (rc == SCALEKIT_OK)
        rc = exchange_for_tokens(client, &form, out);
    skit_buf_free_secret(&form);
    return rc;
}

int scalekit_generate_client_token(scalekit_client *client,
                                   const scalekit_client_token_options *opts,
                                   scalekit_token_response **out)
{
    if (out == NULL)
        return skit_error_set(SCALEKIT_EINVAL, "out must not be NULL");
    *out = NULL;
    if (client == NULL)
        return skit_error_set(SCALEKIT_EINVAL, "client must not be NULL");
    scalekit_client_token_options o;
    int rc = SKIT_STRUCT_COPY(&o, opts, scalekit_client_token_options,
                              SCALEKIT_CLIENT_TOKEN_OPTIONS_INIT);
    if (rc != SCALEKIT_OK)
        return rc;
    const char *client_id = skit_is_empty(o.client_id) ? skit_core_of(client)->client_id
                                                       : o.client_id;
    const char *client_secret = skit_is_empty(o.client_secret)
                                    ? skit_core_of(client)->client_secret : o.client_secret;

    skit_buf scope = SKIT_BUF_INIT;
    skit_buf form = SKIT_BUF_INIT;
    if (o.scopes != NULL)
        rc = skit_auth_join_scopes(&scope, o.scopes, "scopes");
    if (rc == SCALEKIT_OK) rc = skit_form_add(&form, "grant_type", "client_credentials");
    if (rc == SCALEKIT_OK) rc = skit_form_add(&form, "client_id", client_id);
    if (rc == SCALEKIT_OK) rc = skit_form_add(&form, "client_secret", client_secret);
    if (rc == SCALEKIT_OK) rc = skit_form_add(&form, "scope", scope.ptr);
    if (rc == SCALEKIT_OK)
        rc = exchange_for_tokens(client, &form, out);
    skit_buf_free(&scope);
    skit_buf_free_secret(&form);
    return rc;
}
