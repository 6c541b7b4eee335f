/* Adapters of the connections rows. */
#include "adapters.h"

#include <stdlib.h>
#include <string.h>

int cli_connection_list(cli_run *r)
{
    scalekit_connection_list_options o = SCALEKIT_CONNECTION_LIST_OPTIONS_INIT;
    o.include = cli_str(r, "include");
    CLI_PAGE(r, scalekit_connections, scalekit_connection_list(r->client, r->args[0], &o, &res_),
             scalekit_connections_free);
}

int cli_connection_list_by_domain(cli_run *r)
{
    scalekit_connection_list_options o = SCALEKIT_CONNECTION_LIST_OPTIONS_INIT;
    o.include = cli_str(r, "include");
    CLI_PAGE(r, scalekit_connections, scalekit_connection_list_by_domain(r->client, r->args[0], &o, &res_),
             scalekit_connections_free);
}

int cli_connection_get(cli_run *r)
{
    CLI_ONE(r, scalekit_connection, scalekit_connection_get(r->client, r->args[0], r->args[1], &res_),
            scalekit_connection_free);
}

int cli_connection_enable(cli_run *r)
{
    CLI_ONE(r, scalekit_connection_toggle, scalekit_connection_enable(r->client, r->args[0], r->args[1], &res_),
            scalekit_connection_toggle_free);
}

int cli_connection_disable(cli_run *r)
{
    CLI_ONE(r, scalekit_connection_toggle, scalekit_connection_disable(r->client, r->args[0], r->args[1], &res_),
            scalekit_connection_toggle_free);
}

int cli_connection_delete(cli_run *r)
{
    return scalekit_connection_delete(r->client, r->args[0], r->args[1]);
}

/*
 * The create and update flags into @p in: the OIDC flags, and --config-file's
 * JSON as the configuration member of @p type (the connection's). Strings it
 * reads are kept in @p r. 0 or an exit status.
 */
static int input_of(cli_run *r, const char *type, scalekit_connection_input *in,
                    scalekit_connection_oidc_config_input *oidc)
{
    in->provider = cli_str(r, "provider");
    static const bool debug = true;   /* static: in outlives this call */
    if (cli_bool(r, "debug"))
        in->debug_enabled = &debug;
    oidc->issuer = cli_str(r, "issuer");
    oidc->discovery_endpoint = cli_str(r, "discovery-endpoint");
    oidc->authorize_uri = cli_str(r, "authorize-uri");
    oidc->token_uri = cli_str(r, "token-uri");
    oidc->jwks_uri = cli_str(r, "jwks-uri");
    oidc->user_info_uri = cli_str(r, "user-info-uri");
    oidc->client_id = cli_str(r, "idp-client-id");
    char *secret = NULL;
    int rc = cli_secret(r, "idp-client-secret", NULL, &secret);
    if (rc != SCALEKIT_OK)
        return rc;
    oidc->client_secret = secret ? cli_strdup(r, secret) : NULL;
    free(secret);
    if (oidc->issuer || oidc->discovery_endpoint || oidc->authorize_uri || oidc->token_uri || oidc->jwks_uri ||
        oidc->user_info_uri || oidc->client_id || oidc->client_secret)
        in->oidc_config = oidc;
    const char *file = cli_str(r, "config-file");
    if (!file)
        return SCALEKIT_OK;
    char *json = NULL;
    if ((rc = cli_read_input(r, file, &json, NULL)) != SCALEKIT_OK)
        return rc;
    const char *text = cli_strdup(r, json);
    free(json);
    if (!type || strcmp(type, "OIDC") == 0) {
        fprintf(r->io->err, "scalekit: --config-file is for SAML, PASSWORDLESS, WEBAUTHN and OAUTH connections; "
                            "an OIDC connection takes --issuer, --authorize-uri, ... \n");
        return CLI_EXIT(CLI_EXIT_USAGE);
    }
    if (strcmp(type, "SAML") == 0)
        in->saml_config = text;
    else if (strcmp(type, "PASSWORDLESS") == 0)
        in->passwordless_config = text;
    else if (strcmp(type, "WEBAUTHN") == 0)
        in->webauthn_config = text;
    else
        in->static_config = text;
    return SCALEKIT_OK;
}

int cli_connection_create(cli_run *r)
{
    scalekit_connection_input in = SCALEKIT_CONNECTION_INPUT_INIT;
    scalekit_connection_oidc_config_input oidc = SCALEKIT_CONNECTION_OIDC_CONFIG_INPUT_INIT;
    in.type = cli_str(r, "type");
    int rc = input_of(r, in.type, &in, &oidc);
    if (rc != SCALEKIT_OK)
        return rc;
    CLI_ONE(r, scalekit_connection, scalekit_connection_create(r->client, r->args[0], &in, &res_),
            scalekit_connection_free);
}

int cli_connection_update(cli_run *r)
{
    scalekit_connection_input in = SCALEKIT_CONNECTION_INPUT_INIT;
    scalekit_connection_oidc_config_input oidc = SCALEKIT_CONNECTION_OIDC_CONFIG_INPUT_INIT;
    /* --config-file goes to the member of the connection's type: ask the server which. */
    scalekit_connection *now = NULL;
    int rc = cli_str(r, "config-file") ? scalekit_connection_get(r->client, r->args[0], r->args[1], &now)
                                       : SCALEKIT_OK;
    if (rc == SCALEKIT_OK)
        rc = input_of(r, now ? now->type : NULL, &in, &oidc);
    scalekit_connection_free(now);
    if (rc != SCALEKIT_OK)
        return rc;
    CLI_ONE(r, scalekit_connection, scalekit_connection_update(r->client, r->args[0], r->args[1], &in, &res_),
            scalekit_connection_free);
}
