/*
 * The authorization code exchange: POST /oauth/token, then validation of the
 * ID token (signature, issuer = env URL, audience = client id, exp) before
 * the user is read from its claims.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/client_internal.h"
#include "core/decode.h"
#include "scalekit/token.h"
#include "auth_internal.h"

/* The user profile from the ID token's claims (identities are decoded apart). */
static const skit_field user_fields[] = {
    SKIT_FIELD_NAMED(scalekit_user_profile, id, "sub", SKIT_F_STRING, 0),
    SKIT_FIELD(scalekit_user_profile, email, SKIT_F_STRING),
    SKIT_FIELD(scalekit_user_profile, email_verified, SKIT_F_BOOL),
    SKIT_FIELD(scalekit_user_profile, name, SKIT_F_STRING),
    SKIT_FIELD(scalekit_user_profile, given_name, SKIT_F_STRING),
    SKIT_FIELD(scalekit_user_profile, family_name, SKIT_F_STRING),
    SKIT_FIELD(scalekit_user_profile, locale, SKIT_F_STRING),
    SKIT_FIELD(scalekit_user_profile, picture, SKIT_F_STRING),
    SKIT_FIELD(scalekit_user_profile, phone_number, SKIT_F_STRING),
};
static const skit_schema user_schema = SKIT_SCHEMA(scalekit_user_profile, "user", user_fields);

/* identities (an array of objects) as JSON texts; an empty list when absent. */
static int decode_identities(void *result, const json_t *payload, scalekit_user_profile *user)
{
    const json_t *list = json_object_get(payload, "identities");
    size_t n = json_is_array(list) ? json_array_size(list) : 0;
    const char **texts = skit_result_alloc(result, (n + 1) * sizeof *texts);
    if (texts == NULL)
        return skit_error_oom();
    for (size_t i = 0; i < n; i++) {
        char *text = json_dumps(json_array_get(list, i), JSON_COMPACT | JSON_ENCODE_ANY);
        if (text == NULL)
            return skit_error_oom();
        texts[i] = skit_result_strdup(result, text);
        free(text);
        if (texts[i] == NULL)
            return skit_error_oom();
    }
    user->identities_json = texts;
    user->identity_count = n;
    return SCALEKIT_OK;
}

static int decode_user(void *result, const scalekit_claims *claims, scalekit_user_profile *user)
{
    const char *text = scalekit_claims_json(claims);
    json_t *payload = text ? skit_json_parse_object(text, strlen(text)) : NULL;
    if (payload == NULL)
        return skit_error_set(SCALEKIT_ETOKEN_MALFORMED, "ID token payload is not a JSON object");
    int rc = skit_decode(result, &user_schema, payload, user);
    if (rc == SCALEKIT_OK)
        rc = decode_identities(result, payload, user);
    json_decref(payload);
    return rc;
}

/* The ID token must be ours (signature, issuer = env URL, audience = client id,
 * time) and, when the authorization request carried a nonce, answer that nonce:
 * it binds the token to the browser session that started the login. */
static int validate_id_token(scalekit_client *client, const char *id_token, const char *nonce,
                             scalekit_claims **claims)
{
    const char *audiences[] = {skit_core_of(client)->client_id, NULL};
    scalekit_validate_options v = {
        .struct_size = sizeof v,
        .issuer = skit_core_of(client)->env_url,
        .audiences = audiences,
    };
    int rc = scalekit_validate_token(client, id_token, &v, claims);
    if (rc != SCALEKIT_OK || nonce == NULL || nonce[0] == '\0')
        return rc;
    const char *got = scalekit_claims_get_string(*claims, "nonce");
    size_t len = strlen(nonce);
    if (got == NULL || strlen(got) != len || !skit_consttime_equal(got, nonce, len)) {
        scalekit_claims_free(*claims);
        *claims = NULL;
        return skit_error_set(SCALEKIT_ETOKEN_CLAIM, got
                                  ? "ID token nonce does not match the nonce sent"
                                  : "ID token has no nonce although one was sent");
    }
    return SCALEKIT_OK;
}

/* Build the response from a decoded, successful token answer. */
static int build_response(scalekit_client *client, const json_t *json, const char *raw,
                          const char *nonce, scalekit_authentication_response **out)
{
    int rc = skit_auth_check_tokens(client, json, true);
    if (rc != SCALEKIT_OK)
        return rc;
    const char *access_token = skit_json_string(json, "access_token");
    const char *id_token = skit_json_string(json, "id_token");

    scalekit_claims *claims = NULL;
    rc = validate_id_token(client, id_token, nonce, &claims);
    if (rc != SCALEKIT_OK)
        return rc;

    scalekit_authentication_response *r = skit_result_new(sizeof *r);
    if (r == NULL) {
        scalekit_claims_free(claims);
        return SCALEKIT_ENOMEM;
    }
    scalekit_user_profile *user = skit_result_alloc(r, sizeof *user);
    rc = user ? decode_user(r, claims, user) : skit_error_oom();
    r->user = user;
    scalekit_claims_free(claims);
    const char *refresh_token = skit_json_string(json, "refresh_token");
    if (rc == SCALEKIT_OK &&
        ((r->access_token = skit_result_strdup(r, access_token)) == NULL ||
         (r->id_token = skit_result_strdup(r, id_token)) == NULL ||
         (refresh_token && (r->refresh_token = skit_result_strdup(r, refresh_token)) == NULL) ||
         (r->raw_json = skit_result_strdup(r, raw)) == NULL))
        rc = skit_error_oom();
    if (rc != SCALEKIT_OK) {
        skit_result_free(r);
        return rc;
    }
    if (!skit_json_int64(json, "expires_in", &r->expires_in))
        r->expires_in = 0;
    *out = r;
    return SCALEKIT_OK;
}

int scalekit_authenticate_with_code(scalekit_client *client, const char *code,
                                    const char *redirect_uri,
                                    const scalekit_authentication_options *opts,
                                    scalekit_authentication_response **out)
{
    if (out == NULL)
        return skit_error_set(SCALEKIT_EINVAL, "out must not be NULL");
    *out = NULL;
    if (client == NULL)
        return skit_error_set(SCALEKIT_EINVAL, "client must not be NULL");
    if (code == NULL || code[0] == '\0')
        return skit_error_set(SCALEKIT_EINVAL, "code must not be empty");
    if (redirect_uri == NULL || redirect_uri[0] == '\0')
        return skit_error_set(SCALEKIT_EINVAL, "redirect_uri must not be empty");

    scalekit_authentication_options o;
    int rc = SKIT_STRUCT_COPY(&o, opts, scalekit_authentication_options,
                              SCALEKIT_AUTHENTICATION_OPTIONS_INIT);
    if (rc != SCALEKIT_OK)
        return rc;
    skit_buf form = SKIT_BUF_INIT;
    rc = skit_form_add(&form, "grant_type", "authorization_code");
    if (rc == SCALEKIT_OK) rc = skit_form_add(&form, "code", code);
    if (rc == SCALEKIT_OK) rc = skit_form_add(&form, "redirect_uri", redirect_uri);
    if (rc == SCALEKIT_OK) rc = skit_auth_add_credentials(&form, client);
    if (rc == SCALEKIT_OK)
        rc = skit_form_add(&form, "code_verifier", o.code_verifier);
    if (rc != SCALEKIT_OK) {
        skit_buf_free_secret(&form);
        return rc;
    }

    json_t *json;
    char *raw;
    rc = skit_auth_post_token_form(client, &form, &json, &raw);
    skit_buf_free_secret(&form);
    if (rc != SCALEKIT_OK)
        return rc;
    rc = build_response(client, json, raw, o.nonce, out);
    json_decref(json);
    free(raw);
    if (rc == SCALEKIT_OK)
        skit_error_reset();
    return rc;
}

void scalekit_authentication_response_free(scalekit_authentication_response *r)
{
    skit_result_free(r);
}
