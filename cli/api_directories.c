/* Adapters of the directories rows. */
#include "adapters.h"

int cli_directory_create(cli_run *r)
{
    scalekit_directory_create_options o = SCALEKIT_DIRECTORY_CREATE_OPTIONS_INIT;
    o.directory_type = cli_str(r, "directory-type");
    o.directory_provider = cli_str(r, "provider");
    CLI_ONE(r, scalekit_directory, scalekit_directory_create(r->client, r->args[0], &o, &res_),
            scalekit_directory_free);
}

int cli_directory_list(cli_run *r)
{
    CLI_PAGE(r, scalekit_directories, scalekit_directory_list(r->client, r->args[0], &res_),
             scalekit_directories_free);
}

int cli_directory_get(cli_run *r)
{
    CLI_ONE(r, scalekit_directory, scalekit_directory_get(r->client, r->args[0], r->args[1], &res_),
            scalekit_directory_free);
}

int cli_directory_primary(cli_run *r)
{
    CLI_ONE(r, scalekit_directory, scalekit_directory_get_primary_by_organization_id(r->client, r->args[0], &res_),
            scalekit_directory_free);
}

int cli_directory_delete(cli_run *r)
{
    return scalekit_directory_delete(r->client, r->args[0], r->args[1]);
}

int cli_directory_enable(cli_run *r)
{
    CLI_ONE(r, scalekit_directory_toggle, scalekit_directory_enable(r->client, r->args[0], r->args[1], &res_),
            scalekit_directory_toggle_free);
}

int cli_directory_disable(cli_run *r)
{
    CLI_ONE(r, scalekit_directory_toggle, scalekit_directory_disable(r->client, r->args[0], r->args[1], &res_),
            scalekit_directory_toggle_free);
}

int cli_directory_create_secret(cli_run *r)
{
    CLI_ONE(r, scalekit_directory_new_secret,
            scalekit_directory_create_secret(r->client, r->args[0], r->args[1], &res_),
            scalekit_directory_new_secret_free);
}

int cli_directory_regenerate_secret(cli_run *r)
{
    CLI_ONE(r, scalekit_directory_new_secret,
            scalekit_directory_regenerate_secret(r->client, r->args[0], r->args[1], &res_),
            scalekit_directory_new_secret_free);
}

/* --updated-after (Unix seconds) into @p at; 1 when absent, an exit status on a bad value. */
static int updated_after(cli_run *r, int64_t *at)
{
    uint32_t t;
    int rc = cli_uint(r, "updated-after", &t);
    if (rc == 0)
        *at = t;
    return rc;
}

int cli_directory_users(cli_run *r)
{
    scalekit_directory_user_list_options o = SCALEKIT_DIRECTORY_USER_LIST_OPTIONS_INIT;
    CLI_PAGE_OPTS(o, r);
    bool detail = cli_bool(r, "include-detail");
    o.include_detail = detail ? &detail : NULL;
    o.directory_group_id = cli_str(r, "group");
    int rc = updated_after(r, &o.updated_after);
    if (CLI_IS_EXIT(rc))
        return rc;
    if (cli_bool(r, "all"))
        CLI_WALK(r, scalekit_directory_user_iterator, scalekit_directory_user,
                 scalekit_directory_user_iterator_new(r->client, r->args[0], r->args[1], &o, &it_),
                 scalekit_directory_user_iterator_next, scalekit_directory_user_iterator_free);
    CLI_PAGE(r, scalekit_directory_user_page,
             scalekit_directory_list_directory_users(r->client, r->args[0], r->args[1], &o, &res_),
             scalekit_directory_user_page_free);
}

int cli_directory_groups(cli_run *r)
{
    scalekit_directory_group_list_options o = SCALEKIT_DIRECTORY_GROUP_LIST_OPTIONS_INIT;
    CLI_PAGE_OPTS(o, r);
    bool detail = cli_bool(r, "include-detail");
    o.include_detail = detail ? &detail : NULL;
    int rc = updated_after(r, &o.updated_after);
    if (CLI_IS_EXIT(rc))
        return rc;
    if (cli_bool(r, "all"))
        CLI_WALK(r, scalekit_directory_group_iterator, scalekit_directory_group,
                 scalekit_directory_group_iterator_new(r->client, r->args[0], r->args[1], &o, &it_),
                 scalekit_directory_group_iterator_next, scalekit_directory_group_iterator_free);
    CLI_PAGE(r, scalekit_directory_group_page,
             scalekit_directory_list_directory_groups(r->client, r->args[0], r->args[1], &o, &res_),
             scalekit_directory_group_page_free);
}
