/* Adapters of the organization API client (`clients`) and authentication log (`logs`) rows. */
#include "adapters.h"

/* --description, --scope, --audience, --claim KEY=VALUE and --expiry N into @p o; exit status. */
static int client_options(cli_run *r, scalekit_m2m_client_options *o, int64_t *expiry)
{
    o->description = cli_str(r, "description");
    o->scopes = cli_list(r, "scope");
    o->audience = cli_list(r, "audience");
    scalekit_string_map claims;
    int rc = cli_map(r, "claim", &claims);
    if (rc != 0)
        return rc;
    if (claims.entries) {
        scalekit_m2m_custom_claim *all = cli_alloc(r, (claims.count + 1) * sizeof *all);
        const scalekit_m2m_custom_claim **ptrs = cli_alloc(r, (claims.count + 1) * sizeof *ptrs);
        if (!all || !ptrs)
            return SCALEKIT_ENOMEM;
        for (size_t i = 0; i < claims.count; i++) {
            all[i] = (scalekit_m2m_custom_claim)SCALEKIT_M2M_CUSTOM_CLAIM_INIT;
            all[i].key = claims.entries[i].name;
            all[i].value = claims.entries[i].value;
            ptrs[i] = &all[i];
        }
        o->custom_claims = ptrs;
        o->custom_claim_count = claims.count;
    }
    uint32_t seconds;
    rc = cli_uint(r, "expiry", &seconds);
    if (CLI_IS_EXIT(rc))
        return rc;
    if (rc == 0) {
        *expiry = seconds;
        o->expiry = expiry;
    }
    return 0;
}

int cli_client_create(cli_run *r)
{
    scalekit_m2m_client_options o = SCALEKIT_M2M_CLIENT_OPTIONS_INIT;
    int64_t expiry;
    int rc = client_options(r, &o, &expiry);
    if (rc != 0)
        return rc;
    CLI_ONE(r, scalekit_m2m_client_created,
            scalekit_m2m_client_create(r->client, r->args[0], r->args[1], &o, &res_),
            scalekit_m2m_client_created_free);
}

int cli_client_update(cli_run *r)
{
    scalekit_m2m_client_options o = SCALEKIT_M2M_CLIENT_OPTIONS_INIT;
    int64_t expiry;
    int rc = client_options(r, &o, &expiry);
    if (rc != 0)
        return rc;
    CLI_ONE(r, scalekit_m2m_client,
            scalekit_m2m_client_update(r->client, r->args[0], r->args[1], cli_str(r, "name"), &o, &res_),
            scalekit_m2m_client_free);
}

int cli_client_list(cli_run *r)
{
    scalekit_m2m_client_list_options o = SCALEKIT_M2M_CLIENT_LIST_OPTIONS_INIT;
    CLI_PAGE_OPTS(o, r);
    if (cli_bool(r, "all"))
        CLI_WALK(r, scalekit_m2m_client_iterator, scalekit_m2m_client,
                 scalekit_m2m_client_iterator_new(r->client, r->args[0], &o, &it_),
                 scalekit_m2m_client_iterator_next, scalekit_m2m_client_iterator_free);
    CLI_PAGE(r, scalekit_m2m_client_page, scalekit_m2m_client_list(r->client, r->args[0], &o, &res_),
             scalekit_m2m_client_page_free);
}

int cli_client_get(cli_run *r)
{
    CLI_ONE(r, scalekit_m2m_client, scalekit_m2m_client_get(r->client, r->args[0], r->args[1], &res_),
            scalekit_m2m_client_free);
}

int cli_client_delete(cli_run *r)
{
    return scalekit_m2m_client_delete(r->client, r->args[0], r->args[1]);
}

int cli_client_add_secret(cli_run *r)
{
    CLI_ONE(r, scalekit_m2m_client_secret_created,
            scalekit_m2m_client_add_secret(r->client, r->args[0], r->args[1], &res_),
            scalekit_m2m_client_secret_created_free);
}

int cli_client_remove_secret(cli_run *r)
{
    return scalekit_m2m_client_remove_secret(r->client, r->args[0], r->args[1], r->args[2]);
}

int cli_log_auth(cli_run *r)
{
    scalekit_auth_log_list_options o = SCALEKIT_AUTH_LOG_LIST_OPTIONS_INIT;
    CLI_PAGE_OPTS(o, r);
    o.email = cli_str(r, "email");
    o.statuses = cli_list(r, "status");
    o.resource_id = cli_str(r, "resource-id");
    o.client_id = cli_str(r, "client");
    const char *names[] = {"start-time", "end-time"};
    int64_t *times[] = {&o.start_time, &o.end_time};
    for (size_t i = 0; i < 2; i++) {
        uint32_t t;
        int rc = cli_uint(r, names[i], &t);
        if (CLI_IS_EXIT(rc))
            return rc;
        if (rc == 0)
            *times[i] = t;
    }
    if (cli_bool(r, "all"))
        CLI_WALK(r, scalekit_auth_log_iterator, scalekit_auth_log_request,
                 scalekit_auth_log_iterator_new(r->client, &o, &it_),
                 scalekit_auth_log_iterator_next, scalekit_auth_log_iterator_free);
    CLI_PAGE(r, scalekit_auth_log_request_page, scalekit_auth_log_list_requests(r->client, &o, &res_),
             scalekit_auth_log_request_page_free);
}
