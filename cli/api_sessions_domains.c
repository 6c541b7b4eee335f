/* Adapters of the sessions and domains rows. */
#include "adapters.h"

int cli_session_list(cli_run *r)
{
    scalekit_session_list_options o = SCALEKIT_SESSION_LIST_OPTIONS_INIT;
    CLI_PAGE_OPTS(o, r);
    o.status = cli_list(r, "status");
    uint32_t t;
    int rc;
    if ((rc = cli_uint(r, "start-time", &t)) == 0)
        o.start_time = t;
    else if (rc != 1)
        return rc;
    if ((rc = cli_uint(r, "end-time", &t)) == 0)
        o.end_time = t;
    else if (rc != 1)
        return rc;
    if (cli_bool(r, "all"))
        CLI_WALK(r, scalekit_session_iterator, scalekit_session,
                 scalekit_session_iterator_new(r->client, r->args[0], &o, &it_),
                 scalekit_session_iterator_next, scalekit_session_iterator_free);
    CLI_PAGE(r, scalekit_session_page, scalekit_session_get_user_sessions(r->client, r->args[0], &o, &res_),
             scalekit_session_page_free);
}

int cli_session_get(cli_run *r)
{
    CLI_ONE(r, scalekit_session, scalekit_session_get(r->client, r->args[0], &res_), scalekit_session_free);
}

int cli_session_revoke(cli_run *r)
{
    CLI_ONE(r, scalekit_session, scalekit_session_revoke(r->client, r->args[0], &res_), scalekit_session_free);
}

int cli_session_revoke_all(cli_run *r)
{
    CLI_PAGE(r, scalekit_session_revocation,
             scalekit_session_revoke_all_user_sessions(r->client, r->args[0], &res_),
             scalekit_session_revocation_free);
}

int cli_domain_create(cli_run *r)
{
    scalekit_domain_create_options o = SCALEKIT_DOMAIN_CREATE_OPTIONS_INIT;
    o.domain_type = cli_str(r, "domain-type");
    CLI_ONE(r, scalekit_domain, scalekit_domain_create(r->client, r->args[0], r->args[1], &o, &res_),
            scalekit_domain_free);
}

int cli_domain_list(cli_run *r)
{
    scalekit_domain_list_options o = SCALEKIT_DOMAIN_LIST_OPTIONS_INIT;
    int rc = cli_uint(r, "page-size", &o.page_size);
    if (CLI_IS_EXIT(rc))
        return rc;
    rc = cli_uint(r, "page-number", &o.page_number);
    if (CLI_IS_EXIT(rc))
        return rc;
    o.domain_type = cli_str(r, "domain-type");
    if (cli_bool(r, "all"))
        CLI_WALK(r, scalekit_domain_iterator, scalekit_domain,
                 scalekit_domain_iterator_new(r->client, r->args[0], &o, &it_),
                 scalekit_domain_iterator_next, scalekit_domain_iterator_free);
    CLI_PAGE(r, scalekit_domain_page, scalekit_domain_list(r->client, r->args[0], &o, &res_),
             scalekit_domain_page_free);
}

int cli_domain_get(cli_run *r)
{
    CLI_ONE(r, scalekit_domain, scalekit_domain_get(r->client, r->args[0], r->args[1], &res_),
            scalekit_domain_free);
}

int cli_domain_delete(cli_run *r)
{
    return scalekit_domain_delete(r->client, r->args[0], r->args[1]);
}
