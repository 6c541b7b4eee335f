/* Adapters of the organizations rows. */
#include "adapters.h"

int cli_org_create(cli_run *r)
{
    scalekit_organization_create_options o = SCALEKIT_ORGANIZATION_CREATE_OPTIONS_INIT;
    o.external_id = cli_str(r, "external-id");
    o.slug = cli_str(r, "slug");
    o.logo_url = cli_str(r, "logo-url");
    int rc = cli_map(r, "metadata", &o.metadata);
    if (rc != 0)
        return rc;
    CLI_ONE(r, scalekit_organization, scalekit_organization_create(r->client, r->args[0], &o, &res_),
            scalekit_organization_free);
}

int cli_org_list(cli_run *r)
{
    scalekit_organization_list_options o = SCALEKIT_ORGANIZATION_LIST_OPTIONS_INIT;
    CLI_PAGE_OPTS(o, r);
    o.external_id = cli_str(r, "external-id");
    if (cli_bool(r, "all"))
        CLI_WALK(r, scalekit_organization_iterator, scalekit_organization,
                 scalekit_organization_iterator_new(r->client, &o, &it_),
                 scalekit_organization_iterator_next, scalekit_organization_iterator_free);
    CLI_PAGE(r, scalekit_organization_page, scalekit_organization_list(r->client, &o, &res_),
             scalekit_organization_page_free);
}

int cli_org_get(cli_run *r)
{
    CLI_ONE(r, scalekit_organization, scalekit_organization_get(r->client, r->args[0], &res_),
            scalekit_organization_free);
}

int cli_org_get_by_external_id(cli_run *r)
{
    CLI_ONE(r, scalekit_organization,
            scalekit_organization_get_by_external_id(r->client, r->args[0], &res_),
            scalekit_organization_free);
}

int cli_org_update(cli_run *r)
{
    scalekit_organization_update_options o = SCALEKIT_ORGANIZATION_UPDATE_OPTIONS_INIT;
    o.display_name = cli_str(r, "display-name");
    o.external_id = cli_str(r, "external-id");
    o.slug = cli_str(r, "slug");
    o.logo_url = cli_str(r, "logo-url");
    int rc = cli_map(r, "metadata", &o.metadata);
    if (rc != 0)
        return rc;
    CLI_ONE(r, scalekit_organization, scalekit_organization_update(r->client, r->args[0], &o, &res_),
            scalekit_organization_free);
}

int cli_org_delete(cli_run *r)
{
    return scalekit_organization_delete(r->client, r->args[0]);
}

int cli_org_portal_link(cli_run *r)
{
    scalekit_organization_portal_link_options o = SCALEKIT_ORGANIZATION_PORTAL_LINK_OPTIONS_INIT;
    o.features = cli_list(r, "feature");
    CLI_ONE(r, scalekit_organization_portal_link,
            scalekit_organization_generate_portal_link(r->client, r->args[0], &o, &res_),
            scalekit_organization_portal_link_free);
}
