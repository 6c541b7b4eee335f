/**
 * @file scalekit/connection.h
 * SSO connections of an organization: how its users sign in (an OIDC or SAML
 * identity provider, or a custom connection), and whether that is enabled.
 *
 * Routes: GET /api/v1/connections (query organization_id, domain, include);
 * POST /api/v1/organizations/{organization_id}/connections;
 * GET|PATCH|DELETE /api/v1/organizations/{organization_id}/connections/{id};
 * PATCH .../connections/{id}:enable and {id}:disable.
 *
 * Conventions (checks, errors, options): common.h. The server's rules here: the
 * type is OIDC, SAML, PASSWORDLESS, WEBAUTHN or OAUTH (custom) and never changes;
 * configuration members are checked (URLs https, or http on a loopback host or
 * with debug_enabled); a connection is enabled only once its configuration has
 * what a login needs (status "COMPLETED"), else SCALEKIT_EINVALID_REQUEST naming
 * the missing member. The client secret is never sent back in plain: the server
 * masks it, and a masked value sent in an update keeps the stored secret.
 * An OIDC configuration given a discovery_endpoint gets the endpoints its document
 * names (the server reads it; one it cannot read or whose issuer differs from the
 * one it is under is a 400 naming oidc_config.discovery_endpoint).
 * The connection lists are not paged by the API: one call returns them all.
 */
#ifndef SCALEKIT_CONNECTION_H
#define SCALEKIT_CONNECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "export.h"
#include "client.h"
#include "common.h"
#include "domain.h"

SCALEKIT_BEGIN_DECLS

/** An identity provider's SAML signing certificate (connectionsIDPCertificate). */
typedef struct scalekit_connection_idp_certificate {
    const char *id;                  /**< "cert_..." */
    const char *certificate;         /**< PEM or base64 text */
    const char *issuer;
    int64_t create_time;             /**< Unix seconds; 0 when absent */
    int64_t expiry_time;             /**< Unix seconds; 0 when absent */
    const char *raw_json;            /**< this certificate's JSON */
} scalekit_connection_idp_certificate;

/** An OIDC connection's configuration (connectionsOIDCConnectionConfig). Strings NULL when absent. */
typedef struct scalekit_connection_oidc_config {
    const char *issuer;
    const char *discovery_endpoint;
    const char *authorize_uri;
    const char *token_uri;
    const char *user_info_uri;
    const char *jwks_uri;
    const char *client_id;
    const char *client_secret;       /**< masked by the server ("********abcd") */
    const char *const *scopes;       /**< NULL-terminated: "openid", "profile", "email", ... */
    bool pkce_enabled;
    const char *token_auth_type;     /**< "URL_PARAMS" or "BASIC_AUTH" */
    bool idp_logout_required;
    bool jit_provisioning_with_sso_enabled;
    bool sync_user_profile_on_login;
    const char *redirect_uri;        /**< the callback to register at the IdP (server-set) */
    const char *backchannel_logout_redirect_uri; /**< server-set */
    const char *post_logout_redirect_uri;        /**< server-set */
} scalekit_connection_oidc_config;

/** A SAML connection's configuration (connectionsSAMLConnectionConfigResponse). */
typedef struct scalekit_connection_saml_config {
    const char *idp_entity_id;
    const char *idp_sso_url;
    const char *idp_slo_url;
    const char *idp_metadata_url;
    const scalekit_connection_idp_certificate *const *idp_certificates;
    size_t idp_certificate_count;
    const char *idp_name_id_format;      /**< "EMAIL", "PERSISTENT", "TRANSIENT", "UNSPECIFIED" */
    const char *idp_sso_request_binding; /**< "HTTP_POST" or "HTTP_REDIRECT" */
    const char *idp_slo_request_binding;
    bool idp_slo_required;
    const char *saml_signing_option;     /**< "SAML_ONLY_RESPONSE_SIGNING", ... */
    bool allow_idp_initiated_login;
    bool assertion_encrypted;
    bool force_authn;
    bool want_request_signed;
    const char *default_redirect_uri;
    const char *ui_button_title;
    bool jit_provisioning_with_sso_enabled;
    bool sync_user_profile_on_login;
    const char *certificate_id;          /**< server-set */
    const char *sp_entity_id;            /**< server-set: the service provider's entity id */
    const char *sp_assertion_url;        /**< server-set: the ACS URL to give the IdP */
    const char *sp_metadata_url;         /**< server-set */
    const char *sp_slo_url;              /**< server-set */
} scalekit_connection_saml_config;

/** A passwordless connection's configuration (connectionsPasswordLessConfig). */
typedef struct scalekit_connection_passwordless_config {
    const char *type;                    /**< "LINK", "OTP" or "LINK_OTP" */
    int64_t validity;                    /**< seconds; 0 when absent */
    int64_t frequency;
    int64_t code_challenge_length;
    const char *code_challenge_type;     /**< "NUMERIC" or "ALPHANUMERIC" */
    bool enforce_same_browser_origin;
    bool regenerate_passwordless_credentials_on_resend;
} scalekit_connection_passwordless_config;

/** A passkeys connection's configuration (connectionsWebAuthConfiguration). */
typedef struct scalekit_connection_webauthn_config {
    bool enable_auto_registration;
    bool enable_conditional_login;
    bool show_passkey_button;
    const char *rp;                      /**< JSON text of {ids, origins}, or NULL */
    const char *attestation;             /**< JSON text, or NULL */
    const char *authenticator_selection; /**< JSON text, or NULL */
    const char *authenticators;          /**< JSON text, or NULL */
    const char *timeout;                 /**< JSON text, or NULL */
} scalekit_connection_webauthn_config;

/** A connection (connectionsConnection). Strings are NULL when the server did not send them. */
typedef struct scalekit_connection {
    const char *id;                      /**< "conn_..." */
    const char *organization_id;         /**< NULL for an environment's connection */
    const char *type;                    /**< "OIDC", "SAML", "PASSWORDLESS", "WEBAUTHN", "OAUTH", ... */
    const char *provider;                /**< "OKTA", "GOOGLE", "CUSTOM", ... */
    const char *provider_key;
    const char *key_id;
    const char *status;                  /**< "DRAFT", "IN_PROGRESS" or "COMPLETED" */
    bool enabled;
    bool debug_enabled;
    const char *configuration_type;      /**< OIDC: "DISCOVERY" or "MANUAL" */
    const char *test_connection_uri;
    const char *mcp_server_url;
    scalekit_string_map attribute_mapping; /**< IdP attribute -> user field */
    const scalekit_domain *const *domains; /**< the organization's domains */
    size_t domain_count;
    const scalekit_connection_oidc_config *oidc_config;                 /**< NULL when absent */
    const scalekit_connection_saml_config *saml_config;                 /**< NULL when absent */
    const scalekit_connection_passwordless_config *passwordless_config; /**< NULL when absent */
    const scalekit_connection_webauthn_config *webauthn_config;         /**< NULL when absent */
    const char *static_config;           /**< a custom connection's JSON text, or NULL */
    const char *oauth_config;            /**< JSON text of connectionsOAuthConnectionConfig, or NULL */
    const char *google_dwd_config;       /**< JSON text of connectionsGoogleDWDConfig, or NULL */
    const char *raw_json;                /**< a result: the whole response body */
} scalekit_connection;

/** A connection as lists show it (connectionsListConnection). */
typedef struct scalekit_connection_summary {
    const char *id;
    const char *organization_id;
    const char *organization_name;
    const char *type;
    const char *provider;
    const char *provider_key;
    const char *key_id;
    const char *status;
    bool enabled;
    const char *const *domains;          /**< NULL-terminated domain names */
    const char *mcp_server_url;
    const char *raw_json;                /**< this item's JSON */
} scalekit_connection_summary;

/** The connections of a list (all of them: the API does not page this list). */
typedef struct scalekit_connections {
    const scalekit_connection_summary *const *items;
    size_t count;
    const char *raw_json;                /**< the response body */
} scalekit_connections;

/** The state after an enable or disable (connectionsToggleConnectionResponse). */
typedef struct scalekit_connection_toggle {
    bool enabled;
    const char *error_message;           /**< NULL when the server sent none */
    const char *raw_json;
} scalekit_connection_toggle;

/** Options of the connection lists. */
typedef struct scalekit_connection_list_options {
    size_t struct_size;                  /**< set by the _INIT macro; see common.h */
    /** "all": every connection; NULL or "": only the enabled, configured ones (the API's default) */
    const char *include;
} scalekit_connection_list_options;
#define SCALEKIT_CONNECTION_LIST_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_connection_list_options)

/** An OIDC configuration to set. NULL members are not sent (kept); "" clears a member. */
typedef struct scalekit_connection_oidc_config_input {
    size_t struct_size;                  /**< set by the _INIT macro; see common.h */
    const char *issuer;
    const char *discovery_endpoint;
    const char *authorize_uri;
    const char *token_uri;
    const char *user_info_uri;
    const char *jwks_uri;
    const char *client_id;
    const char *client_secret;
    const char *const *scopes;           /**< NULL-terminated; NULL: not sent */
    const bool *pkce_enabled;            /**< NULL: not sent */
    const char *token_auth_type;         /**< "URL_PARAMS" or "BASIC_AUTH" */
    const bool *idp_logout_required;
    const bool *jit_provisioning_with_sso_enabled;
    const bool *sync_user_profile_on_login; /**< [newest] */
} scalekit_connection_oidc_config_input;
#define SCALEKIT_CONNECTION_OIDC_CONFIG_INPUT_INIT SCALEKIT_STRUCT_INIT(scalekit_connection_oidc_config_input)

/** A connection to create, or the members of one to change. NULL members are not sent. */
typedef struct scalekit_connection_input {
    size_t struct_size;                  /**< set by the _INIT macro; see common.h */
    const char *type;                    /**< required to create; never changes */
    const char *provider;                /**< NULL: "CUSTOM" on create */
    const char *provider_key;
    const char *key_id;
    const bool *debug_enabled;           /**< allows http IdP URLs */
    const scalekit_connection_oidc_config_input *oidc_config;
    const char *saml_config;             /**< JSON text of the SAML members to set */
    const char *passwordless_config;     /**< JSON text */
    const char *webauthn_config;         /**< JSON text */
    const char *static_config;           /**< JSON text: {"static_config": {...}} of a custom connection */
    /** the attribute mapping to set (replaces the stored one); count 0: not sent */
    scalekit_string_map attribute_mapping; /**< [newest] */
} scalekit_connection_input;
#define SCALEKIT_CONNECTION_INPUT_INIT SCALEKIT_STRUCT_INIT(scalekit_connection_input)

/**
 * Get a connection of an organization.
 *
 * @param client          the client
 * @param organization_id the organization ("org_..."); must not be empty
 * @param id              the connection ("conn_..."); must not be empty
 * @param out             receives the connection; free with scalekit_connection_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND (no such organization, or no
 *         such connection in it); see the file comment
 */
SCALEKIT_API int scalekit_connection_get(scalekit_client *client, const char *organization_id,
        const char *id, scalekit_connection **out);

/**
 * List the connections of the organizations owning an e-mail domain (SSO discovery).
 *
 * @param client  the client
 * @param domain  the domain ("acme.com"); must not be empty
 * @param opts    include (SCALEKIT_CONNECTION_LIST_OPTIONS_INIT); NULL: the enabled ones
 * @param out     receives the list; free with scalekit_connections_free()
 * @return SCALEKIT_OK (an empty list when none); SCALEKIT_EINVAL; see the file comment
 */
SCALEKIT_API int scalekit_connection_list_by_domain(scalekit_client *client, const char *domain,
        const scalekit_connection_list_options *opts, scalekit_connections **out);

/**
 * List the connections of an organization.
 *
 * @param client          the client
 * @param organization_id the organization; must not be empty
 * @param opts            include; NULL: the enabled ones (the API's default)
 * @param out             receives the list; free with scalekit_connections_free()
 * @return SCALEKIT_OK (an empty list when none); SCALEKIT_EINVAL; see the file comment
 */
SCALEKIT_API int scalekit_connection_list(scalekit_client *client, const char *organization_id,
        const scalekit_connection_list_options *opts, scalekit_connections **out);

/**
 * Enable a connection: its organization's users may sign in through it.
 *
 * @param client          the client
 * @param organization_id the organization; must not be empty
 * @param id              the connection; must not be empty
 * @param out             receives the new state; free with scalekit_connection_toggle_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; SCALEKIT_EINVALID_REQUEST (its
 *         configuration lacks what a login needs: the message names the member)
 */
SCALEKIT_API int scalekit_connection_enable(scalekit_client *client, const char *organization_id,
        const char *id, scalekit_connection_toggle **out);

/**
 * Disable a connection.
 *
 * @param client          the client
 * @param organization_id the organization; must not be empty
 * @param id              the connection; must not be empty
 * @param out             receives the new state; free with scalekit_connection_toggle_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND
 */
SCALEKIT_API int scalekit_connection_disable(scalekit_client *client, const char *organization_id,
        const char *id, scalekit_connection_toggle **out);

/**
 * Create a connection in an organization (disabled; enable it once configured).
 *
 * @param client          the client
 * @param organization_id the organization; must not be empty
 * @param in              the connection (SCALEKIT_CONNECTION_INPUT_INIT); in->type must not be empty
 * @param out             receives the connection; free with scalekit_connection_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (NULL or uninitialised input, no type, JSON text that
 *         does not parse); SCALEKIT_ENOTFOUND (no such organization); SCALEKIT_EINVALID_REQUEST
 *         (a bad type, provider or configuration member: the field is named)
 */
SCALEKIT_API int scalekit_connection_create(scalekit_client *client, const char *organization_id,
        const scalekit_connection_input *in, scalekit_connection **out);

/**
 * Change members of a connection (its configuration merged member by member).
 *
 * @param client          the client
 * @param organization_id the organization; must not be empty
 * @param id              the connection; must not be empty
 * @param in              the members to change (SCALEKIT_CONNECTION_INPUT_INIT)
 * @param out             receives the connection after the change; free with scalekit_connection_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; SCALEKIT_EINVALID_REQUEST (as for
 *         create; also a change of type, or removing what an enabled connection needs)
 */
SCALEKIT_API int scalekit_connection_update(scalekit_client *client, const char *organization_id,
        const char *id, const scalekit_connection_input *in, scalekit_connection **out);

/**
 * Delete a connection of an organization.
 *
 * @param client          the client
 * @param organization_id the organization; must not be empty
 * @param id              the connection; must not be empty
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND
 */
SCALEKIT_API int scalekit_connection_delete(scalekit_client *client, const char *organization_id,
        const char *id);

/** Free a connection. Safe on NULL. */
SCALEKIT_API void scalekit_connection_free(scalekit_connection *connection);
/** Free a connection list. Safe on NULL. */
SCALEKIT_API void scalekit_connections_free(scalekit_connections *list);
/** Free an enable or disable result. Safe on NULL. */
SCALEKIT_API void scalekit_connection_toggle_free(scalekit_connection_toggle *toggle);

SCALEKIT_END_DECLS

#endif
