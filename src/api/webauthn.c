/* Passkeys (WebAuthnService): field tables and one operation per method (src/core/decode.h). */
#include "api/schemas.h"

#define CRED scalekit_webauthn_credential

static const skit_field authenticator_fields[] = {
    SKIT_FIELD_RO(scalekit_webauthn_authenticator, aaguid, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_webauthn_authenticator, attachment, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_webauthn_authenticator, icon_dark, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_webauthn_authenticator, icon_light, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_webauthn_authenticator, name, SKIT_F_STRING),
};
static const skit_schema authenticator_schema =
    SKIT_SCHEMA(scalekit_webauthn_authenticator, "authenticator", authenticator_fields);

static const skit_field flags_fields[] = {
    SKIT_FIELD_RO(scalekit_webauthn_authenticator_flags, backup_eligible, SKIT_F_BOOL),
    SKIT_FIELD_RO(scalekit_webauthn_authenticator_flags, backup_state, SKIT_F_BOOL),
    SKIT_FIELD_RO(scalekit_webauthn_authenticator_flags, user_present, SKIT_F_BOOL),
    SKIT_FIELD_RO(scalekit_webauthn_authenticator_flags, user_verified, SKIT_F_BOOL),
};
static const skit_schema flags_schema =
    SKIT_SCHEMA(scalekit_webauthn_authenticator_flags, "authenticator_flags", flags_fields);

static const skit_field client_info_fields[] = {
    SKIT_FIELD_RO(scalekit_webauthn_client_info, city, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_webauthn_client_info, ip, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_webauthn_client_info, region, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_webauthn_client_info, region_subdivision, SKIT_F_STRING),
};
static const skit_schema client_info_schema =
    SKIT_SCHEMA(scalekit_webauthn_client_info, "client_info", client_info_fields);

static const skit_field user_agent_fields[] = {
    SKIT_FIELD_RO(scalekit_webauthn_user_agent, browser, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_webauthn_user_agent, browser_version, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_webauthn_user_agent, device_model, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_webauthn_user_agent, device_type, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_webauthn_user_agent, os, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_webauthn_user_agent, os_version, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_webauthn_user_agent, raw, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_webauthn_user_agent, url, SKIT_F_STRING),
};
static const skit_schema user_agent_schema =
    SKIT_SCHEMA(scalekit_webauthn_user_agent, "user_agent", user_agent_fields);

static const skit_field credential_fields[] = {
    SKIT_FIELD_RO(CRED, id, SKIT_F_STRING),
    SKIT_FIELD_RO(CRED, credential_id, SKIT_F_STRING),
    SKIT_FIELD_RO(CRED, user_id, SKIT_F_STRING),
    SKIT_FIELD_RO(CRED, display_name, SKIT_F_STRING),
    SKIT_FIELD_RO(CRED, attestation_type, SKIT_F_STRING),
    SKIT_FIELD_OBJECT(CRED, authenticator, SKIT_F_OBJECT_PTR, authenticator_schema),
    SKIT_FIELD_OBJECT(CRED, authenticator_flags, SKIT_F_OBJECT_PTR, flags_schema),
    SKIT_FIELD_RO(CRED, transports, SKIT_F_STRING_LIST),
    SKIT_FIELD_OBJECT(CRED, user_agent, SKIT_F_OBJECT_PTR, user_agent_schema),
    SKIT_FIELD_OBJECT(CRED, client_info, SKIT_F_OBJECT_PTR, client_info_schema),
    SKIT_FIELD_RO(CRED, created_at, SKIT_F_TIMESTAMP),
    SKIT_FIELD_RO(CRED, updated_at, SKIT_F_TIMESTAMP),
    SKIT_FIELD_SELF(CRED, raw_json),
};
const skit_schema skit_webauthn_credential_schema = SKIT_SCHEMA(CRED, "credential", credential_fields);

#define ACCEPTED scalekit_webauthn_all_accepted_credentials_options
static const skit_field accepted_fields[] = {
    SKIT_FIELD_RO(ACCEPTED, rp_id, SKIT_F_STRING),
    SKIT_FIELD_RO(ACCEPTED, user_id, SKIT_F_STRING),
    SKIT_FIELD_RO(ACCEPTED, all_accepted_credential_ids, SKIT_F_STRING_LIST),
};
static const skit_schema accepted_schema = SKIT_SCHEMA(ACCEPTED, "all_accepted_credentials_options", accepted_fields);

#define LIST scalekit_webauthn_credential_list
static const skit_field list_fields[] = {
    SKIT_FIELD_ARRAY(LIST, credentials, "credentials", count, skit_webauthn_credential_schema),
    SKIT_FIELD_OBJECT(LIST, all_accepted_credentials_options, SKIT_F_OBJECT_PTR, accepted_schema),
    SKIT_FIELD_SELF(LIST, raw_json),
};
const skit_schema skit_webauthn_credential_list_schema = SKIT_SCHEMA(LIST, "credential list", list_fields);

#define UNKNOWN scalekit_webauthn_unknown_credential_options
static const skit_field unknown_fields[] = {
    SKIT_FIELD_RO(UNKNOWN, credential_id, SKIT_F_STRING),
    SKIT_FIELD_RO(UNKNOWN, rp_id, SKIT_F_STRING),
};
static const skit_schema unknown_schema = SKIT_SCHEMA(UNKNOWN, "unknown_credential_options", unknown_fields);

#define DELETED scalekit_webauthn_delete_credential_response
static const skit_field deleted_fields[] = {
    SKIT_FIELD_RO(DELETED, success, SKIT_F_BOOL),
    SKIT_FIELD_OBJECT(DELETED, unknown_credential_options, SKIT_F_OBJECT_PTR, unknown_schema),
    SKIT_FIELD_SELF(DELETED, raw_json),
};
const skit_schema skit_webauthn_delete_credential_schema = SKIT_SCHEMA(DELETED, "delete answer", deleted_fields);

static const skit_field options_fields[] = {
    SKIT_FIELD_NAMED(scalekit_webauthn_options, options_json, "options", SKIT_F_RAW_JSON, SKIT_FIELD_READ_ONLY),
    SKIT_FIELD_RO(scalekit_webauthn_options, session_id, SKIT_F_STRING),
    SKIT_FIELD_SELF(scalekit_webauthn_options, raw_json),
};
const skit_schema skit_webauthn_options_schema = SKIT_SCHEMA(scalekit_webauthn_options, "options", options_fields);

#define REG scalekit_webauthn_registration
static const skit_field registration_fields[] = {
    SKIT_FIELD_RO(REG, success, SKIT_F_BOOL),
    SKIT_FIELD_OBJECT(REG, credential, SKIT_F_OBJECT_PTR, skit_webauthn_credential_schema),
    SKIT_FIELD_SELF(REG, raw_json),
};
const skit_schema skit_webauthn_registration_schema = SKIT_SCHEMA(REG, "registration", registration_fields);

#define AUTHN scalekit_webauthn_authentication
static const skit_field authn_fields[] = {
    SKIT_FIELD_RO(AUTHN, success, SKIT_F_BOOL),
    SKIT_FIELD_RO(AUTHN, user_id, SKIT_F_STRING),
    SKIT_FIELD_RO(AUTHN, session_token, SKIT_F_STRING),
    SKIT_FIELD_OBJECT(AUTHN, credential, SKIT_F_OBJECT_PTR, skit_webauthn_credential_schema),
    SKIT_FIELD_OBJECT(AUTHN, user, SKIT_F_OBJECT_PTR, skit_user_schema),
    SKIT_FIELD_SELF(AUTHN, raw_json),
};
const skit_schema skit_webauthn_authentication_schema = SKIT_SCHEMA(AUTHN, "authentication", authn_fields);

/* ---- inputs ------------------------------------------------------------------- */

typedef struct user_query {
    const char *user_id;
} user_query;
static const skit_field user_query_fields[] = {
    SKIT_FIELD_NAMED(user_query, user_id, "user_id", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
};
static const skit_schema user_query_schema = SKIT_SCHEMA(user_query, "user_id", user_query_fields);

typedef struct update_body {
    const char *display_name;
} update_body;
static const skit_field update_fields[] = {
    SKIT_FIELD(update_body, display_name, SKIT_F_STRING),
};
static const skit_schema update_schema = SKIT_SCHEMA(update_body, "credential update", update_fields);

#define BEGIN_OPTS scalekit_webauthn_begin_options
static const skit_field begin_opts_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(BEGIN_OPTS, SCALEKIT_WEBAUTHN_BEGIN_OPTIONS_INIT),
    SKIT_FIELD_NAMED(BEGIN_OPTS, user_verification, "user_verification", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_NAMED(BEGIN_OPTS, display_name, "display_name", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_NAMED(BEGIN_OPTS, email, "email", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
};
static const skit_schema begin_opts_schema =
    SKIT_SCHEMA(BEGIN_OPTS, "scalekit_webauthn_begin_options", begin_opts_fields);

/* The begin bodies: the user, then the options inlined. */
typedef struct begin_body {
    const char *user_id;
    const BEGIN_OPTS *opts;
} begin_body;
static const skit_field begin_fields[] = {
    SKIT_FIELD_NAMED(begin_body, user_id, "user_id", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_INLINE(begin_body, opts, begin_opts_schema),
};
static const skit_schema begin_schema = SKIT_SCHEMA(begin_body, "begin", begin_fields);

#define WEBAUTHN "/api/v1/webauthn"
static const skit_op list_op = { "GET", WEBAUTHN "/credentials", &user_query_schema, NULL, NULL, NULL,
                                 &skit_webauthn_credential_list_schema };
static const skit_op update_op = { "PATCH", WEBAUTHN "/credentials/{credential_id}", NULL, &update_schema, NULL,
                                   "credential", &skit_webauthn_credential_schema };
static const skit_op delete_op = { "DELETE", WEBAUTHN "/credentials/{credential_id}", NULL, NULL, NULL, NULL,
                                   &skit_webauthn_delete_credential_schema };
static const skit_op begin_registration_op = { "POST", WEBAUTHN "/registration:begin", NULL, &begin_schema, NULL,
                                               NULL, &skit_webauthn_options_schema };
/* The finish bodies are built from the browser's JSON (finish_body): no input table. */
static const skit_op finish_registration_op = { "POST", WEBAUTHN "/registration:finish", NULL, NULL, NULL, NULL,
                                                &skit_webauthn_registration_schema };
static const skit_op begin_authentication_op = { "POST", WEBAUTHN "/authentication:begin", NULL, &begin_schema,
                                                 NULL, NULL, &skit_webauthn_options_schema };
static const skit_op finish_authentication_op = { "POST", WEBAUTHN "/authentication:finish", NULL, NULL, NULL,
                                                  NULL, &skit_webauthn_authentication_schema };

int scalekit_webauthn_list_credentials(scalekit_client *client, const char *user_id,
                                       scalekit_webauthn_credential_list **out)
{
    user_query q = { user_id };
    return skit_op_call(client, &list_op, &q, (void **)out);
}

int scalekit_webauthn_update_credential(scalekit_client *client, const char *credential_id, const char *display_name,
                                        scalekit_webauthn_credential **out)
{
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK && !display_name)
        rc = skit_error_set(SCALEKIT_EINVAL, "display_name must not be NULL");
    update_body body = { display_name };
    return rc == SCALEKIT_OK ? skit_op_call(client, &update_op, &body, (void **)out, credential_id) : rc;
}

int scalekit_webauthn_delete_credential(scalekit_client *client, const char *credential_id,
                                        scalekit_webauthn_delete_credential_response **out)
{
    return skit_op_call(client, &delete_op, NULL, (void **)out, credential_id);
}

int scalekit_webauthn_begin_registration(scalekit_client *client, const char *user_id, const BEGIN_OPTS *opts,
                                         scalekit_webauthn_options **out)
{
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK)
        rc = skit_check_required(user_id, "user_id");
    begin_body body = { user_id, opts };
    return rc == SCALEKIT_OK ? skit_op_call(client, &begin_registration_op, &body, (void **)out) : rc;
}

int scalekit_webauthn_begin_authentication(scalekit_client *client, const char *user_id, const BEGIN_OPTS *opts,
                                           scalekit_webauthn_options **out)
{
    begin_body body = { user_id, opts };
    return skit_op_call(client, &begin_authentication_op, &body, (void **)out);
}

/* Copy string member @p from of @p src to @p dst as @p to, when it is a string. */
static void copy_string(json_t *dst, const char *to, const json_t *src, const char *from)
{
    const json_t *v = json_object_get(src, from);
    if (json_is_string(v))
        json_object_set(dst, to, (json_t *)v);
}

/*
 * The proto's FinishRegistrationRequest (@p create) or FinishAuthenticationRequest
 * from PublicKeyCredential.toJSON() text: credential_id, type,
 * authenticator_attachment, client_extension_results, and client_data_json,
 * attestation_object, transports or response{authenticator_data,
 * client_data_json, signature, user_handle}. Bytes stay base64url, which proto
 * JSON accepts. SCALEKIT_OK and *body, or EINVAL naming what is missing.
 */
static int finish_body(const char *credential_json, bool create, json_t **body)
{
    int rc = skit_check_required(credential_json, "credential_json");
    if (rc != SCALEKIT_OK)
        return rc;
    json_error_t err;
    json_t *c = json_loads(credential_json, JSON_REJECT_DUPLICATES, &err);
    const json_t *resp = json_object_get(c, "response");
    if (!json_is_object(c) || !json_is_string(json_object_get(c, "rawId")) || !json_is_object(resp) ||
        !json_is_string(json_object_get(resp, "clientDataJSON"))) {
        json_decref(c);
        return skit_error_set(SCALEKIT_EINVAL, "credential_json is not PublicKeyCredential JSON (an object with "
                                               "rawId and response.clientDataJSON)");
    }
    json_t *b = json_object(), *r = create ? b : json_object();
    copy_string(b, "credential_id", c, "rawId");
    copy_string(b, "type", c, "type");
    copy_string(b, "authenticator_attachment", c, "authenticatorAttachment");
    const json_t *ext = json_object_get(c, "clientExtensionResults");
    if (json_is_object(ext))
        json_object_set(b, "client_extension_results", (json_t *)ext);
    copy_string(r, "client_data_json", resp, "clientDataJSON");
    if (create) {
        copy_string(b, "attestation_object", resp, "attestationObject");
        const json_t *transports = json_object_get(resp, "transports");
        if (json_is_array(transports))
            json_object_set(b, "transports", (json_t *)transports);
    } else {
        copy_string(r, "authenticator_data", resp, "authenticatorData");
        copy_string(r, "signature", resp, "signature");
        copy_string(r, "user_handle", resp, "userHandle");
        json_object_set_new(b, "response", r);
    }
    json_decref(c);
    *body = b;
    return SCALEKIT_OK;
}

int scalekit_webauthn_finish_registration(scalekit_client *client, const char *credential_json,
                                          const char *display_name, scalekit_webauthn_registration **out)
{
    json_t *body = NULL;
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK)
        rc = finish_body(credential_json, true, &body);
    if (rc == SCALEKIT_OK && display_name)
        rc = skit_check_utf8(display_name, "display_name");
    if (rc == SCALEKIT_OK && display_name)
        json_object_set_new(body, "display_name", json_string(display_name));
    if (rc == SCALEKIT_OK)
        rc = skit_op_send(client, &finish_registration_op, finish_registration_op.path, NULL, body, (void **)out);
    json_decref(body);
    return rc;
}

int scalekit_webauthn_finish_authentication(scalekit_client *client, const char *session_id,
                                            const char *credential_json, scalekit_webauthn_authentication **out)
{
    json_t *body = NULL;
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK)
        rc = finish_body(credential_json, false, &body);
    if (rc == SCALEKIT_OK && session_id)
        rc = skit_check_utf8(session_id, "session_id");
    if (rc == SCALEKIT_OK && session_id)
        json_object_set_new(body, "session_id", json_string(session_id));
    if (rc == SCALEKIT_OK)
        rc = skit_op_send(client, &finish_authentication_op, finish_authentication_op.path, NULL, body,
                          (void **)out);
    json_decref(body);
    return rc;
}

void scalekit_webauthn_credential_free(scalekit_webauthn_credential *credential) { skit_result_free(credential); }
void scalekit_webauthn_credential_list_free(scalekit_webauthn_credential_list *list) { skit_result_free(list); }
void scalekit_webauthn_delete_credential_response_free(scalekit_webauthn_delete_credential_response *response)
{
    skit_result_free(response);
}
void scalekit_webauthn_options_free(scalekit_webauthn_options *options) { skit_result_free(options); }
void scalekit_webauthn_registration_free(scalekit_webauthn_registration *registration)
{
    skit_result_free(registration);
}
void scalekit_webauthn_authentication_free(scalekit_webauthn_authentication *authentication)
{
    skit_result_free(authentication);
}
