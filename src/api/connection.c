/* Connections: field tables and one operation per method (src/core/decode.h). */
#include "api/schemas.h"

#include <stdbool.h>
#include <stddef.h>

#define CERT scalekit_connection_idp_certificate
static const skit_field certificate_fields[] = {
    SKIT_FIELD_RO(CERT, id, SKIT_F_STRING),
    SKIT_FIELD_RO(CERT, certificate, SKIT_F_STRING),
    SKIT_FIELD_RO(CERT, issuer, SKIT_F_STRING),
    SKIT_FIELD_RO(CERT, create_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD_RO(CERT, expiry_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD_SELF(CERT, raw_json),
};
static const skit_schema certificate_schema = SKIT_SCHEMA(CERT, "idp certificate", certificate_fields);

#define OIDC scalekit_connection_oidc_config
static const skit_field oidc_fields[] = {
    SKIT_FIELD_RO(OIDC, issuer, SKIT_F_STRING),
    SKIT_FIELD_RO(OIDC, discovery_endpoint, SKIT_F_STRING),
    SKIT_FIELD_RO(OIDC, authorize_uri, SKIT_F_STRING),
    SKIT_FIELD_RO(OIDC, token_uri, SKIT_F_STRING),
    SKIT_FIELD_RO(OIDC, user_info_uri, SKIT_F_STRING),
    SKIT_FIELD_RO(OIDC, jwks_uri, SKIT_F_STRING),
    SKIT_FIELD_RO(OIDC, client_id, SKIT_F_STRING),
    SKIT_FIELD_RO(OIDC, client_secret, SKIT_F_STRING),
    SKIT_FIELD_RO(OIDC, scopes, SKIT_F_STRING_LIST),
    SKIT_FIELD_RO(OIDC, pkce_enabled, SKIT_F_BOOL),
    SKIT_FIELD_RO(OIDC, token_auth_type, SKIT_F_STRING),
    SKIT_FIELD_RO(OIDC, idp_logout_required, SKIT_F_BOOL),
    SKIT_FIELD_RO(OIDC, jit_provisioning_with_sso_enabled, SKIT_F_BOOL),
    SKIT_FIELD_RO(OIDC, sync_user_profile_on_login, SKIT_F_BOOL),
    SKIT_FIELD_RO(OIDC, redirect_uri, SKIT_F_STRING),
    SKIT_FIELD_RO(OIDC, backchannel_logout_redirect_uri, SKIT_F_STRING),
    SKIT_FIELD_RO(OIDC, post_logout_redirect_uri, SKIT_F_STRING),
};
static const skit_schema oidc_schema = SKIT_SCHEMA(OIDC, "oidc_config", oidc_fields);

#define SAML scalekit_connection_saml_config
static const skit_field saml_fields[] = {
    SKIT_FIELD_RO(SAML, idp_entity_id, SKIT_F_STRING),
    SKIT_FIELD_RO(SAML, idp_sso_url, SKIT_F_STRING),
    SKIT_FIELD_RO(SAML, idp_slo_url, SKIT_F_STRING),
    SKIT_FIELD_RO(SAML, idp_metadata_url, SKIT_F_STRING),
    SKIT_FIELD_ARRAY(SAML, idp_certificates, "idp_certificates", idp_certificate_count, certificate_schema),
    SKIT_FIELD_RO(SAML, idp_name_id_format, SKIT_F_STRING),
    SKIT_FIELD_RO(SAML, idp_sso_request_binding, SKIT_F_STRING),
    SKIT_FIELD_RO(SAML, idp_slo_request_binding, SKIT_F_STRING),
    SKIT_FIELD_RO(SAML, idp_slo_required, SKIT_F_BOOL),
    SKIT_FIELD_RO(SAML, saml_signing_option, SKIT_F_STRING),
    SKIT_FIELD_RO(SAML, allow_idp_initiated_login, SKIT_F_BOOL),
    SKIT_FIELD_RO(SAML, assertion_encrypted, SKIT_F_BOOL),
    SKIT_FIELD_RO(SAML, force_authn, SKIT_F_BOOL),
    SKIT_FIELD_RO(SAML, want_request_signed, SKIT_F_BOOL),
    SKIT_FIELD_RO(SAML, default_redirect_uri, SKIT_F_STRING),
    SKIT_FIELD_RO(SAML, ui_button_title, SKIT_F_STRING),
    SKIT_FIELD_RO(SAML, jit_provisioning_with_sso_enabled, SKIT_F_BOOL),
    SKIT_FIELD_RO(SAML, sync_user_profile_on_login, SKIT_F_BOOL),
    SKIT_FIELD_RO(SAML, certificate_id, SKIT_F_STRING),
    SKIT_FIELD_RO(SAML, sp_entity_id, SKIT_F_STRING),
    SKIT_FIELD_RO(SAML, sp_assertion_url, SKIT_F_STRING),
    SKIT_FIELD_RO(SAML, sp_metadata_url, SKIT_F_STRING),
    SKIT_FIELD_RO(SAML, sp_slo_url, SKIT_F_STRING),
};
static const skit_schema saml_schema = SKIT_SCHEMA(SAML, "saml_config", saml_fields);

#define PASSWORDLESS scalekit_connection_passwordless_config
static const skit_field passwordless_fields[] = {
    SKIT_FIELD_RO(PASSWORDLESS, type, SKIT_F_STRING),
    SKIT_FIELD_RO(PASSWORDLESS, validity, SKIT_F_INT64),
    SKIT_FIELD_RO(PASSWORDLESS, frequency, SKIT_F_INT64),
    SKIT_FIELD_RO(PASSWORDLESS, code_challenge_length, SKIT_F_INT64),
    SKIT_FIELD_RO(PASSWORDLESS, code_challenge_type, SKIT_F_STRING),
    SKIT_FIELD_RO(PASSWORDLESS, enforce_same_browser_origin, SKIT_F_BOOL),
    SKIT_FIELD_RO(PASSWORDLESS, regenerate_passwordless_credentials_on_resend, SKIT_F_BOOL),
};
static const skit_schema passwordless_schema = SKIT_SCHEMA(PASSWORDLESS, "passwordless_config", passwordless_fields);

#define WEBAUTHN scalekit_connection_webauthn_config
static const skit_field webauthn_fields[] = {
    SKIT_FIELD_RO(WEBAUTHN, enable_auto_registration, SKIT_F_BOOL),
    SKIT_FIELD_RO(WEBAUTHN, enable_conditional_login, SKIT_F_BOOL),
    SKIT_FIELD_RO(WEBAUTHN, show_passkey_button, SKIT_F_BOOL),
    SKIT_FIELD_RO(WEBAUTHN, rp, SKIT_F_RAW_JSON),
    SKIT_FIELD_RO(WEBAUTHN, attestation, SKIT_F_RAW_JSON),
    SKIT_FIELD_RO(WEBAUTHN, authenticator_selection, SKIT_F_RAW_JSON),
    SKIT_FIELD_RO(WEBAUTHN, authenticators, SKIT_F_RAW_JSON),
    SKIT_FIELD_RO(WEBAUTHN, timeout, SKIT_F_RAW_JSON),
};
static const skit_schema webauthn_schema = SKIT_SCHEMA(WEBAUTHN, "webauthn_config", webauthn_fields);

#define CONN scalekit_connection
static const skit_field connection_fields[] = {
    SKIT_FIELD_RO(CONN, id, SKIT_F_STRING),
    SKIT_FIELD_RO(CONN, organization_id, SKIT_F_STRING),
    SKIT_FIELD_RO(CONN, type, SKIT_F_STRING),
    SKIT_FIELD_RO(CONN, provider, SKIT_F_STRING),
    SKIT_FIELD_RO(CONN, provider_key, SKIT_F_STRING),
    SKIT_FIELD_RO(CONN, key_id, SKIT_F_STRING),
    SKIT_FIELD_RO(CONN, status, SKIT_F_STRING),
    SKIT_FIELD_RO(CONN, enabled, SKIT_F_BOOL),
    SKIT_FIELD_RO(CONN, debug_enabled, SKIT_F_BOOL),
    SKIT_FIELD_RO(CONN, configuration_type, SKIT_F_STRING),
    SKIT_FIELD_RO(CONN, test_connection_uri, SKIT_F_STRING),
    SKIT_FIELD_RO(CONN, mcp_server_url, SKIT_F_STRING),
    SKIT_FIELD_RO(CONN, attribute_mapping, SKIT_F_STRING_MAP),
    SKIT_FIELD_ARRAY(CONN, domains, "domains", domain_count, skit_domain_schema),
    SKIT_FIELD_OBJECT(CONN, oidc_config, SKIT_F_OBJECT_PTR, oidc_schema),
    SKIT_FIELD_OBJECT(CONN, saml_config, SKIT_F_OBJECT_PTR, saml_schema),
    SKIT_FIELD_OBJECT(CONN, passwordless_config, SKIT_F_OBJECT_PTR, passwordless_schema),
    SKIT_FIELD_OBJECT(CONN, webauthn_config, SKIT_F_OBJECT_PTR, webauthn_schema),
    SKIT_FIELD_RO(CONN, static_config, SKIT_F_RAW_JSON),
    SKIT_FIELD_RO(CONN, oauth_config, SKIT_F_RAW_JSON),
    SKIT_FIELD_RO(CONN, google_dwd_config, SKIT_F_RAW_JSON),
    SKIT_FIELD_SELF(CONN, raw_json),
};
const skit_schema skit_connection_schema = SKIT_SCHEMA(CONN, "connection", connection_fields);

#define SUMMARY scalekit_connection_summary
static const skit_field summary_fields[] = {
    SKIT_FIELD_RO(SUMMARY, id, SKIT_F_STRING),
    SKIT_FIELD_RO(SUMMARY, organization_id, SKIT_F_STRING),
    SKIT_FIELD_RO(SUMMARY, organization_name, SKIT_F_STRING),
    SKIT_FIELD_RO(SUMMARY, type, SKIT_F_STRING),
    SKIT_FIELD_RO(SUMMARY, provider, SKIT_F_STRING),
    SKIT_FIELD_RO(SUMMARY, provider_key, SKIT_F_STRING),
    SKIT_FIELD_RO(SUMMARY, key_id, SKIT_F_STRING),
    SKIT_FIELD_RO(SUMMARY, status, SKIT_F_STRING),
    SKIT_FIELD_RO(SUMMARY, enabled, SKIT_F_BOOL),
    SKIT_FIELD_RO(SUMMARY, domains, SKIT_F_STRING_LIST),
    SKIT_FIELD_RO(SUMMARY, mcp_server_url, SKIT_F_STRING),
    SKIT_FIELD_SELF(SUMMARY, raw_json),
};
static const skit_schema summary_schema = SKIT_SCHEMA(SUMMARY, "connection", summary_fields);

static const skit_field list_result_fields[] = {
    SKIT_FIELD_ARRAY(scalekit_connections, items, "connections", count, summary_schema),
    SKIT_FIELD_SELF(scalekit_connections, raw_json),
};
const skit_schema skit_connection_list_schema =
    SKIT_SCHEMA(scalekit_connections, "connection list", list_result_fields);

static const skit_field toggle_fields[] = {
    SKIT_FIELD_RO(scalekit_connection_toggle, enabled, SKIT_F_BOOL),
    SKIT_FIELD_RO(scalekit_connection_toggle, error_message, SKIT_F_STRING),
    SKIT_FIELD_SELF(scalekit_connection_toggle, raw_json),
};
const skit_schema skit_connection_toggle_schema =
    SKIT_SCHEMA(scalekit_connection_toggle, "connection toggle", toggle_fields);

/* ---- inputs ----------------------------------------------------------------------------- */

#define OIDC_IN scalekit_connection_oidc_config_input
static const skit_field oidc_input_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(OIDC_IN, SCALEKIT_CONNECTION_OIDC_CONFIG_INPUT_INIT),
    SKIT_FIELD(OIDC_IN, issuer, SKIT_F_STRING),
    SKIT_FIELD(OIDC_IN, discovery_endpoint, SKIT_F_STRING),
    SKIT_FIELD(OIDC_IN, authorize_uri, SKIT_F_STRING),
    SKIT_FIELD(OIDC_IN, token_uri, SKIT_F_STRING),
    SKIT_FIELD(OIDC_IN, user_info_uri, SKIT_F_STRING),
    SKIT_FIELD(OIDC_IN, jwks_uri, SKIT_F_STRING),
    SKIT_FIELD(OIDC_IN, client_id, SKIT_F_STRING),
    SKIT_FIELD(OIDC_IN, client_secret, SKIT_F_STRING),
    SKIT_FIELD(OIDC_IN, scopes, SKIT_F_STRING_LIST),
    SKIT_FIELD(OIDC_IN, pkce_enabled, SKIT_F_OPT_BOOL),
    SKIT_FIELD(OIDC_IN, token_auth_type, SKIT_F_STRING),
    SKIT_FIELD(OIDC_IN, idp_logout_required, SKIT_F_OPT_BOOL),
    SKIT_FIELD(OIDC_IN, jit_provisioning_with_sso_enabled, SKIT_F_OPT_BOOL),
    SKIT_FIELD(OIDC_IN, sync_user_profile_on_login, SKIT_F_OPT_BOOL),
};
static const skit_schema oidc_input_schema =
    SKIT_SCHEMA(OIDC_IN, "scalekit_connection_oidc_config_input", oidc_input_fields);

#define INPUT scalekit_connection_input
static const skit_field input_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(INPUT, SCALEKIT_CONNECTION_INPUT_INIT),
    SKIT_FIELD(INPUT, type, SKIT_F_STRING),
    SKIT_FIELD(INPUT, provider, SKIT_F_STRING),
    SKIT_FIELD(INPUT, provider_key, SKIT_F_STRING),
    SKIT_FIELD(INPUT, key_id, SKIT_F_STRING),
    SKIT_FIELD(INPUT, debug_enabled, SKIT_F_OPT_BOOL),
    SKIT_FIELD_OBJECT(INPUT, oidc_config, SKIT_F_OBJECT_PTR, oidc_input_schema),
    SKIT_FIELD(INPUT, saml_config, SKIT_F_RAW_JSON),
    SKIT_FIELD(INPUT, passwordless_config, SKIT_F_RAW_JSON),
    SKIT_FIELD(INPUT, webauthn_config, SKIT_F_RAW_JSON),
    SKIT_FIELD(INPUT, static_config, SKIT_F_RAW_JSON),
    SKIT_FIELD(INPUT, attribute_mapping, SKIT_F_STRING_MAP),
};
static const skit_schema input_schema = SKIT_SCHEMA(INPUT, "scalekit_connection_input", input_fields);

#define LIST_OPTS scalekit_connection_list_options
static const skit_field list_option_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(LIST_OPTS, SCALEKIT_CONNECTION_LIST_OPTIONS_INIT),
    SKIT_FIELD_NAMED(LIST_OPTS, include, "include", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
};
static const skit_schema list_options_schema =
    SKIT_SCHEMA(LIST_OPTS, "scalekit_connection_list_options", list_option_fields);

/* GET /api/v1/connections's query: the filter of the method, then the options inlined. */
typedef struct list_query {
    const char *organization_id;
    const char *domain;
    const LIST_OPTS *opts;
} list_query;
static const skit_field list_query_fields[] = {
    SKIT_FIELD_NAMED(list_query, organization_id, "organization_id", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_NAMED(list_query, domain, "domain", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_INLINE(list_query, opts, list_options_schema),
};
static const skit_schema list_query_schema = SKIT_SCHEMA(list_query, "connection list", list_query_fields);

#define CONNECTIONS "/api/v1/organizations/{organization_id}/connections"
static const skit_op get_op = { "GET", CONNECTIONS "/{id}", NULL, NULL, NULL, "connection",
                                &skit_connection_schema };
static const skit_op list_op = { "GET", "/api/v1/connections", &list_query_schema, NULL, NULL, NULL,
                                 &skit_connection_list_schema };
static const skit_op enable_op = { "PATCH", CONNECTIONS "/{id}:enable", NULL, NULL, NULL, NULL,
                                   &skit_connection_toggle_schema };
static const skit_op disable_op = { "PATCH", CONNECTIONS "/{id}:disable", NULL, NULL, NULL, NULL,
                                    &skit_connection_toggle_schema };
static const skit_op create_op = { "POST", CONNECTIONS, NULL, &input_schema, "in", "connection",
                                   &skit_connection_schema };
static const skit_op update_op = { "PATCH", CONNECTIONS "/{id}", NULL, &input_schema, "in", "connection",
                                   &skit_connection_schema };
static const skit_op delete_op = { "DELETE", CONNECTIONS "/{id}", NULL, NULL, NULL, NULL, NULL };

int scalekit_connection_get(scalekit_client *client, const char *organization_id, const char *id,
                            scalekit_connection **out)
{
    return skit_op_call(client, &get_op, NULL, (void **)out, organization_id, id);
}

int scalekit_connection_list_by_domain(scalekit_client *client, const char *domain, const LIST_OPTS *opts,
                                       scalekit_connections **out)
{
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK)
        rc = skit_check_required(domain, "domain");
    list_query q = { NULL, domain, opts };
    return rc == SCALEKIT_OK ? skit_op_call(client, &list_op, &q, (void **)out) : rc;
}

int scalekit_connection_list(scalekit_client *client, const char *organization_id, const LIST_OPTS *opts,
                             scalekit_connections **out)
{
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK)
        rc = skit_check_required(organization_id, "organization_id");
    list_query q = { organization_id, NULL, opts };
    return rc == SCALEKIT_OK ? skit_op_call(client, &list_op, &q, (void **)out) : rc;
}

int scalekit_connection_enable(scalekit_client *client, const char *organization_id, const char *id,
                               scalekit_connection_toggle **out)
{
    return skit_op_call(client, &enable_op, NULL, (void **)out, organization_id, id);
}

int scalekit_connection_disable(scalekit_client *client, const char *organization_id, const char *id,
                                scalekit_connection_toggle **out)
{
    return skit_op_call(client, &disable_op, NULL, (void **)out, organization_id, id);
}

int scalekit_connection_create(scalekit_client *client, const char *organization_id, const INPUT *in,
                               scalekit_connection **out)
{
    int rc = skit_check_out(out, "out");
    /* type is required; an uninitialised struct is the generic check's to name */
    if (rc == SCALEKIT_OK && in && in->struct_size >= offsetof(INPUT, type) + sizeof in->type)
        rc = skit_check_required(in->type, "in->type");
    return rc == SCALEKIT_OK ? skit_op_call(client, &create_op, in, (void **)out, organization_id) : rc;
}

int scalekit_connection_update(scalekit_client *client, const char *organization_id, const char *id,
                               const INPUT *in, scalekit_connection **out)
{
    return skit_op_call(client, &update_op, in, (void **)out, organization_id, id);
}

int scalekit_connection_delete(scalekit_client *client, const char *organization_id, const char *id)
{
    return skit_op_call(client, &delete_op, NULL, NULL, organization_id, id);
}

void scalekit_connection_free(scalekit_connection *connection) { skit_result_free(connection); }
void scalekit_connections_free(scalekit_connections *list) { skit_result_free(list); }
void scalekit_connection_toggle_free(scalekit_connection_toggle *toggle) { skit_result_free(toggle); }
