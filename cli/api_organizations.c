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

/* The update rows' flags into @p o; 0 or an adapter's return. */
static int update_opts(cli_run *r, scalekit_organization_update_options *o)
{
    o->display_name = cli_str(r, "display-name");
    o->external_id = cli_str(r, "external-id");
    o->slug = cli_str(r, "slug");
    o->logo_url = cli_str(r, "logo-url");
    return cli_map(r, "metadata", &o->metadata);
}

int cli_org_update(cli_run *r)
{
    scalekit_organization_update_options o = SCALEKIT_ORGANIZATION_UPDATE_OPTIONS_INIT;
    int rc = update_opts(r, &o);
    if (rc != 0)
        return rc;
    CLI_ONE(r, scalekit_organization, scalekit_organization_update(r->client, r->args[0], &o, &res_),
            scalekit_organization_free);
}

int cli_org_update_by_external_id(cli_run *r)
{
    scalekit_organization_update_options o = SCALEKIT_ORGANIZATION_UPDATE_OPTIONS_INIT;
    int rc = update_opts(r, &o);
    if (rc != 0)
        return rc;
    CLI_ONE(r, scalekit_organization,
            scalekit_organization_update_by_external_id(r->client, r->args[0], &o, &res_),
            scalekit_organization_free);
}

int cli_org_features(cli_run *r)
{
    const char *const *on = cli_list(r, "enable"), *const *off = cli_list(r, "disable");
    size_t n = 0;
    for (size_t i = 0; on && on[i]; i++)
        n++;
    for (size_t i = 0; off && off[i]; i++)
        n++;
    if (n == 0) {
        fputs("scalekit: organizations features needs --enable NAME or --disable NAME\n", r->io->err);
        return CLI_EXIT(CLI_EXIT_USAGE);
    }
    scalekit_organization_feature *f = cli_alloc(r, n * sizeof *f);
    const scalekit_organization_feature **ptrs = cli_alloc(r, n * sizeof *ptrs);
    if (!f || !ptrs)
        return SCALEKIT_ENOMEM;
    size_t k = 0;
    for (int pass = 0; pass < 2; pass++)
        for (const char *const *names = pass ? off : on; names && *names; names++, k++) {
            f[k] = (scalekit_organization_feature)SCALEKIT_ORGANIZATION_FEATURE_INIT;
            f[k].name = *names;
            f[k].enabled = pass == 0;
            ptrs[k] = &f[k];
        }
    scalekit_organization_settings settings = SCALEKIT_ORGANIZATION_SETTINGS_INIT;
    settings.features = ptrs;
    settings.feature_count = n;
    CLI_ONE(r, scalekit_organization,
            scalekit_organization_update_settings(r->client, r->args[0], &settings, &res_),
            scalekit_organization_free);
}

int cli_org_max_users(cli_run *r)
{
    uint32_t max = 0;
    int rc = cli_uint(r, "max", &max);
    if (rc != 0 || max > INT32_MAX) {
        fputs("scalekit: organizations max-users needs --max N (0: no limit)\n", r->io->err);
        return CLI_IS_EXIT(rc) ? rc : CLI_EXIT(CLI_EXIT_USAGE);
    }
    int32_t value = (int32_t)max;
    scalekit_organization_user_management_settings s = SCALEKIT_ORGANIZATION_USER_MANAGEMENT_SETTINGS_INIT;
    s.max_allowed_users = &value;
    CLI_ONE(r, scalekit_organization_user_management_settings,
            scalekit_organization_upsert_user_management_settings(r->client, r->args[0], &s, &res_),
            scalekit_organization_user_management_settings_free);
}

int cli_org_session_policy(cli_run *r)
{
    CLI_ONE(r, scalekit_organization_session_policy,
            scalekit_organization_get_session_policy(r->client, r->args[0], &res_),
            scalekit_organization_session_policy_free);
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
