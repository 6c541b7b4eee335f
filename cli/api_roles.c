/* Adapters of the roles and permissions rows. A role command acts on an
 * organization's own roles with --organization, else on the environment's. */
#include <inttypes.h>

#include "adapters.h"

/* --display-name, --description, --extends, --permission into create or update options. */
#define ROLE_FIELDS(o, r)                                 \
    do {                                                  \
        (o).display_name = cli_str((r), "display-name");  \
        (o).description = cli_str((r), "description");    \
        (o).extends = cli_str((r), "extends");            \
        (o).permissions = cli_list((r), "permission");    \
    } while (0)

int cli_role_create(cli_run *r)
{
    scalekit_role_create_options o = SCALEKIT_ROLE_CREATE_OPTIONS_INIT;
    ROLE_FIELDS(o, r);
    const char *org = cli_str(r, "organization");
    if (org)
        CLI_ONE(r, scalekit_role, scalekit_role_create_organization_role(r->client, org, r->args[0], &o, &res_),
                scalekit_role_free);
    CLI_ONE(r, scalekit_role, scalekit_role_create(r->client, r->args[0], &o, &res_), scalekit_role_free);
}

int cli_role_get(cli_run *r)
{
    scalekit_role_get_options o = SCALEKIT_ROLE_GET_OPTIONS_INIT;
    o.include = cli_str(r, "include");
    const char *org = cli_str(r, "organization");
    if (org)
        CLI_ONE(r, scalekit_role, scalekit_role_get_organization_role(r->client, org, r->args[0], &o, &res_),
                scalekit_role_free);
    CLI_ONE(r, scalekit_role, scalekit_role_get(r->client, r->args[0], &o, &res_), scalekit_role_free);
}

int cli_role_list(cli_run *r)
{
    scalekit_role_get_options o = SCALEKIT_ROLE_GET_OPTIONS_INIT;
    o.include = cli_str(r, "include");
    const char *org = cli_str(r, "organization");
    if (org)
        CLI_PAGE(r, scalekit_roles, scalekit_role_list_organization_roles(r->client, org, &o, &res_),
                 scalekit_roles_free);
    CLI_PAGE(r, scalekit_roles, scalekit_role_list(r->client, &o, &res_), scalekit_roles_free);
}

int cli_role_update(cli_run *r)
{
    scalekit_role_update_options o = SCALEKIT_ROLE_UPDATE_OPTIONS_INIT;
    ROLE_FIELDS(o, r);
    const char *org = cli_str(r, "organization");
    if (org)
        CLI_ONE(r, scalekit_role, scalekit_role_update_organization_role(r->client, org, r->args[0], &o, &res_),
                scalekit_role_free);
    CLI_ONE(r, scalekit_role, scalekit_role_update(r->client, r->args[0], &o, &res_), scalekit_role_free);
}

int cli_role_delete(cli_run *r)
{
    const char *org = cli_str(r, "organization"), *reassign = cli_str(r, "reassign-to");
    return org ? scalekit_role_delete_organization_role(r->client, org, r->args[0], reassign)
               : scalekit_role_delete(r->client, r->args[0], reassign);
}

int cli_role_users_count(cli_run *r)
{
    const char *org = cli_str(r, "organization");
    int64_t count = 0;
    int rc = org ? scalekit_role_get_organization_role_users_count(r->client, org, r->args[0], &count)
                 : scalekit_role_get_users_count(r->client, r->args[0], &count);
    if (rc != SCALEKIT_OK)
        return rc;
    char json[64];
    snprintf(json, sizeof json, "{\"count\":%" PRId64 "}", count);
    return cli_emit_one(r, json);
}

int cli_role_dependents(cli_run *r)
{
    CLI_PAGE(r, scalekit_roles, scalekit_role_list_dependent_roles(r->client, r->args[0], &res_),
             scalekit_roles_free);
}

int cli_role_defaults(cli_run *r)
{
    const char *org = cli_str(r, "organization"), *member = cli_str(r, "member-role");
    if (org)
        CLI_ONE(r, scalekit_role_defaults,
                scalekit_role_update_default_organization_roles(r->client, org, member, &res_),
                scalekit_role_defaults_free);
    scalekit_role_default_roles_options o = SCALEKIT_ROLE_DEFAULT_ROLES_OPTIONS_INIT;
    o.default_member_role = member;
    o.default_creator_role = cli_str(r, "creator-role");
    CLI_ONE(r, scalekit_role_defaults, scalekit_role_update_default_roles(r->client, &o, &res_),
            scalekit_role_defaults_free);
}

int cli_role_permissions(cli_run *r)
{
    if (cli_bool(r, "effective"))
        CLI_PAGE(r, scalekit_permissions,
                 scalekit_permission_list_effective_role_permissions(r->client, r->args[0], &res_),
                 scalekit_permissions_free);
    CLI_PAGE(r, scalekit_permissions, scalekit_permission_list_role_permissions(r->client, r->args[0], &res_),
             scalekit_permissions_free);
}

int cli_role_add_permissions(cli_run *r)
{
    CLI_PAGE(r, scalekit_permissions,
             scalekit_permission_add_permissions_to_role(r->client, r->args[0], cli_list(r, "permission"), &res_),
             scalekit_permissions_free);
}

int cli_role_remove_permission(cli_run *r)
{
    return scalekit_permission_remove_permission_from_role(r->client, r->args[0], r->args[1]);
}

int cli_permission_create(cli_run *r)
{
    scalekit_permission_options o = SCALEKIT_PERMISSION_OPTIONS_INIT;
    o.description = cli_str(r, "description");
    CLI_ONE(r, scalekit_permission, scalekit_permission_create(r->client, r->args[0], &o, &res_),
            scalekit_permission_free);
}

int cli_permission_get(cli_run *r)
{
    CLI_ONE(r, scalekit_permission, scalekit_permission_get(r->client, r->args[0], &res_),
            scalekit_permission_free);
}

int cli_permission_list(cli_run *r)
{
    scalekit_permission_list_options o = SCALEKIT_PERMISSION_LIST_OPTIONS_INIT;
    CLI_PAGE_OPTS(o, r);
    o.type = cli_str(r, "type");
    if (cli_bool(r, "all"))
        CLI_WALK(r, scalekit_permission_iterator, scalekit_permission,
                 scalekit_permission_iterator_new(r->client, &o, &it_),
                 scalekit_permission_iterator_next, scalekit_permission_iterator_free);
    CLI_PAGE(r, scalekit_permission_page, scalekit_permission_list(r->client, &o, &res_),
             scalekit_permission_page_free);
}

int cli_permission_update(cli_run *r)
{
    scalekit_permission_options o = SCALEKIT_PERMISSION_OPTIONS_INIT;
    o.description = cli_str(r, "description");
    CLI_ONE(r, scalekit_permission, scalekit_permission_update(r->client, r->args[0], &o, &res_),
            scalekit_permission_free);
}

int cli_permission_delete(cli_run *r)
{
    return scalekit_permission_delete(r->client, r->args[0]);
}
