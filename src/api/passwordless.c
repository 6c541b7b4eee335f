/* Passwordless email: field tables and one operation per method (src/core/decode.h). */
#include "api/schemas.h"

static const skit_field send_response_fields[] = {
    SKIT_FIELD_RO(scalekit_passwordless_send_response, auth_request_id, SKIT_F_STRING),
    /* int64 as a JSON string, as the API sends it */
    SKIT_FIELD_RO(scalekit_passwordless_send_response, expires_at, SKIT_F_INT64),
    SKIT_FIELD_RO(scalekit_passwordless_send_response, expires_in, SKIT_F_INT64),
    SKIT_FIELD_RO(scalekit_passwordless_send_response, passwordless_type, SKIT_F_STRING),
    SKIT_FIELD_SELF(scalekit_passwordless_send_response, raw_json),
};
const skit_schema skit_passwordless_send_response_schema =
    SKIT_SCHEMA(scalekit_passwordless_send_response, "passwordless send response", send_response_fields);

#define VERIFY_RESPONSE scalekit_passwordless_verify_response
static const skit_field verify_response_fields[] = {
    SKIT_FIELD_RO(VERIFY_RESPONSE, email, SKIT_F_STRING),
    SKIT_FIELD_RO(VERIFY_RESPONSE, state, SKIT_F_STRING),
    /* "template" in JSON: a C++ keyword, so not the member's name */
    SKIT_FIELD_NAMED(VERIFY_RESPONSE, template_type, "template", SKIT_F_STRING, SKIT_FIELD_READ_ONLY),
    SKIT_FIELD_RO(VERIFY_RESPONSE, passwordless_type, SKIT_F_STRING),
    SKIT_FIELD_SELF(VERIFY_RESPONSE, raw_json),
};
const skit_schema skit_passwordless_verify_response_schema =
    SKIT_SCHEMA(VERIFY_RESPONSE, "passwordless verify response", verify_response_fields);

#define SEND_OPTS scalekit_passwordless_send_options
static const skit_field send_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(SEND_OPTS, SCALEKIT_PASSWORDLESS_SEND_OPTIONS_INIT),
    SKIT_FIELD_NAMED(SEND_OPTS, template_type, "template", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_NAMED(SEND_OPTS, magiclink_auth_uri, "magiclink_auth_uri", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_NAMED(SEND_OPTS, state, "state", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_NAMED(SEND_OPTS, expires_in, "expires_in", SKIT_F_UINT32, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD(SEND_OPTS, template_variables, SKIT_F_STRING_MAP),
};
static const skit_schema send_schema = SKIT_SCHEMA(SEND_OPTS, "scalekit_passwordless_send_options", send_fields);

/* The send body (passwordlessSendPasswordlessRequest): the required email, then the options inlined. */
typedef struct send_body {
    const char *email;
    const SEND_OPTS *opts;
} send_body;
static const skit_field send_body_fields[] = {
    SKIT_FIELD(send_body, email, SKIT_F_STRING),
    SKIT_FIELD_INLINE(send_body, opts, send_schema),
};
static const skit_schema send_body_schema = SKIT_SCHEMA(send_body, "passwordless", send_body_fields);

#define VERIFY_OPTS scalekit_passwordless_verify_options
static const skit_field verify_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(VERIFY_OPTS, SCALEKIT_PASSWORDLESS_VERIFY_OPTIONS_INIT),
    SKIT_FIELD_NAMED(VERIFY_OPTS, code, "code", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_NAMED(VERIFY_OPTS, link_token, "link_token", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_NAMED(VERIFY_OPTS, auth_request_id, "auth_request_id", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
};
static const skit_schema verify_schema =
    SKIT_SCHEMA(VERIFY_OPTS, "scalekit_passwordless_verify_options", verify_fields);

typedef struct resend_body {
    const char *auth_request_id;
} resend_body;
static const skit_field resend_body_fields[] = {
    SKIT_FIELD(resend_body, auth_request_id, SKIT_F_STRING),
};
static const skit_schema resend_body_schema = SKIT_SCHEMA(resend_body, "passwordless", resend_body_fields);

#define EMAIL "/api/v1/passwordless/email"
static const skit_op send_op = { "POST", EMAIL "/send", NULL, &send_body_schema, NULL, NULL,
                                 &skit_passwordless_send_response_schema };
static const skit_op verify_op = { "POST", EMAIL "/verify", NULL, &verify_schema, "opts", NULL,
                                   &skit_passwordless_verify_response_schema };
static const skit_op resend_op = { "POST", EMAIL "/resend", NULL, &resend_body_schema, NULL, NULL,
                                   &skit_passwordless_send_response_schema };

int scalekit_passwordless_send_email(scalekit_client *client, const char *email, const SEND_OPTS *opts,
                                     scalekit_passwordless_send_response **out)
{
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK)
        rc = skit_check_required(email, "email");
    send_body body = { email, opts };
    return rc == SCALEKIT_OK ? skit_op_call(client, &send_op, &body, (void **)out) : rc;
}

int scalekit_passwordless_verify_email(scalekit_client *client, const VERIFY_OPTS *opts,
                                       scalekit_passwordless_verify_response **out)
{
    return skit_op_call(client, &verify_op, opts, (void **)out);
}

int scalekit_passwordless_resend_email(scalekit_client *client, const char *auth_request_id,
                                       scalekit_passwordless_send_response **out)
{
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK)
        rc = skit_check_required(auth_request_id, "auth_request_id");
    resend_body body = { auth_request_id };
    return rc == SCALEKIT_OK ? skit_op_call(client, &resend_op, &body, (void **)out) : rc;
}

void scalekit_passwordless_send_response_free(scalekit_passwordless_send_response *response)
{
    skit_result_free(response);
}

void scalekit_passwordless_verify_response_free(scalekit_passwordless_verify_response *response)
{
    skit_result_free(response);
}
