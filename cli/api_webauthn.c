/* Adapters of the passkeys rows. */
#include "adapters.h"

int cli_passkey_list(cli_run *r)
{
    CLI_PAGE(r, scalekit_webauthn_credential_list, scalekit_webauthn_list_credentials(r->client, r->args[0], &res_),
             scalekit_webauthn_credential_list_free);
}

int cli_passkey_rename(cli_run *r)
{
    CLI_ONE(r, scalekit_webauthn_credential,
            scalekit_webauthn_update_credential(r->client, r->args[0], r->args[1], &res_),
            scalekit_webauthn_credential_free);
}

int cli_passkey_delete(cli_run *r)
{
    CLI_ONE(r, scalekit_webauthn_delete_credential_response,
            scalekit_webauthn_delete_credential(r->client, r->args[0], &res_),
            scalekit_webauthn_delete_credential_response_free);
}
