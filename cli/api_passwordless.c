/* Adapters of the passwordless rows. */
#include "adapters.h"

int cli_passwordless_send(cli_run *r)
{
    scalekit_passwordless_send_options o = SCALEKIT_PASSWORDLESS_SEND_OPTIONS_INIT;
    o.template_type = cli_str(r, "template");
    o.magiclink_auth_uri = cli_str(r, "magiclink-auth-uri");
    o.state = cli_str(r, "state");
    int rc = cli_uint(r, "expires-in", &o.expires_in);
    if (CLI_IS_EXIT(rc))
        return rc;
    if ((rc = cli_map(r, "template-variable", &o.template_variables)) != 0)
        return rc;
    CLI_ONE(r, scalekit_passwordless_send_response,
            scalekit_passwordless_send_email(r->client, r->args[0], &o, &res_),
            scalekit_passwordless_send_response_free);
}

int cli_passwordless_verify(cli_run *r)
{
    scalekit_passwordless_verify_options o = SCALEKIT_PASSWORDLESS_VERIFY_OPTIONS_INIT;
    o.code = cli_str(r, "code");
    o.link_token = cli_str(r, "link-token");
    o.auth_request_id = cli_str(r, "auth-request-id");
    CLI_ONE(r, scalekit_passwordless_verify_response, scalekit_passwordless_verify_email(r->client, &o, &res_),
            scalekit_passwordless_verify_response_free);
}

int cli_passwordless_resend(cli_run *r)
{
    CLI_ONE(r, scalekit_passwordless_send_response,
            scalekit_passwordless_resend_email(r->client, r->args[0], &res_),
            scalekit_passwordless_send_response_free);
}
