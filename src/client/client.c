/* The client put together: its core part (src/core) and its JOSE state (src/jose). */
#include <stdlib.h>

#include "client/client.h"

int scalekit_client_new_with_options(scalekit_client **out, const char *env_url,
                                     const char *client_id, const char *client_secret,
                                     const scalekit_client_options *opts)
{
    if (!out)
        return skit_error_set(SCALEKIT_EINVAL, "out must not be NULL");
    *out = NULL;
    scalekit_client *c = calloc(1, sizeof *c);
    if (!c)
        return skit_error_oom();
    int rc = skit_core_init(&c->core, env_url, client_id, client_secret, opts);
    if (rc)
        goto fail;
    c->jose = skit_jose_state_new(c, &c->core.opts);
    if (!c->jose) {
        rc = skit_error_oom();
        goto fail;
    }
    *out = c;
    skit_error_reset();
    return SCALEKIT_OK;
fail:
    scalekit_client_free(c);
    return rc;
}

int scalekit_client_new(scalekit_client **out, const char *env_url, const char *client_id,
                        const char *client_secret)
{
    return scalekit_client_new_with_options(out, env_url, client_id, client_secret, NULL);
}

void scalekit_client_free(scalekit_client *client)
{
    if (!client)
        return;
    skit_jose_state_free(client->jose);   /* first: it borrows the core's transport */
    skit_core_cleanup(&client->core);
    free(client);
}

int skit_jose_validate(scalekit_client *client, const char *token, long leeway_seconds,
                       skit_payload **payload_out)
{
    return skit_jose_state_validate(client ? client->jose : NULL, token, leeway_seconds,
                                    payload_out);
}

int skit_jose_set_jwks(scalekit_client *client, const char *jwks_json)
{
    return skit_jose_state_set_jwks(client ? client->jose : NULL, jwks_json);
}

uint64_t skit_jose_jwks_generation(scalekit_client *client)
{
    return skit_jose_state_generation(client ? client->jose : NULL);
}

uint64_t skit_jose_fetch_count(scalekit_client *client)
{
    return skit_jose_state_fetch_count(client ? client->jose : NULL);
}
