/* Adapters of the users and memberships rows. */
#include "adapters.h"

int cli_user_list(cli_run *r)
{
    scalekit_user_list_options o = SCALEKIT_USER_LIST_OPTIONS_INIT;
    CLI_PAGE_OPTS(o, r);
    const char *org = cli_str(r, "organization");
    if (cli_bool(r, "all")) {
        if (org)
            CLI_WALK(r, scalekit_user_iterator, scalekit_user,
                     scalekit_user_organization_users_iterator_new(r->client, org, &o, &it_),
                     scalekit_user_iterator_next, scalekit_user_iterator_free);
        CLI_WALK(r, scalekit_user_iterator, scalekit_user,
                 scalekit_user_iterator_new(r->client, &o, &it_),
                 scalekit_user_iterator_next, scalekit_user_iterator_free);
    }
    if (org)
        CLI_PAGE(r, scalekit_user_page,
                 scalekit_user_list_organization_users(r->client, org, &o, &res_), scalekit_user_page_free);
    CLI_PAGE(r, scalekit_user_page, scalekit_user_list(r->client, &o, &res_), scalekit_user_page_free);
}

int cli_user_search(cli_run *r)
{
    scalekit_user_list_options o = SCALEKIT_USER_LIST_OPTIONS_INIT;
    CLI_PAGE_OPTS(o, r);
    const char *org = cli_str(r, "organization");
    const char *q = r->args[0];
    if (cli_bool(r, "all")) {
        if (org)
            CLI_WALK(r, scalekit_user_iterator, scalekit_user,
                     scalekit_user_search_organization_users_iterator_new(r->client, org, q, &o, &it_),
                     scalekit_user_iterator_next, scalekit_user_iterator_free);
        CLI_WALK(r, scalekit_user_iterator, scalekit_user,
                 scalekit_user_search_iterator_new(r->client, q, &o, &it_),
                 scalekit_user_iterator_next, scalekit_user_iterator_free);
    }
    if (org)
        CLI_PAGE(r, scalekit_user_page,
                 scalekit_user_search_organization_users(r->client, org, q, &o, &res_),
                 scalekit_user_page_free);
    CLI_PAGE(r, scalekit_user_page, scalekit_user_search(r->client, q, &o, &res_), scalekit_user_page_free);
}

int cli_user_get(cli_run *r)
{
    CLI_ONE(r, scalekit_user, scalekit_user_get(r->client, r->args[0], &res_), scalekit_user_free);
}

int cli_user_get_by_external_id(cli_run *r)
{
    CLI_ONE(r, scalekit_user, scalekit_user_get_by_external_id(r->client, r->args[0], &res_),
            scalekit_user_free);
}

/* --given-name, --family-name, --name into a profile; NULL when none was given. */
static const scalekit_user_profile_options *profile_opts(cli_run *r, scalekit_user_profile_options *p)
{
    p->given_name = cli_str(r, "given-name");
    p->family_name = cli_str(r, "family-name");
    p->name = cli_str(r, "name");
    return p->given_name || p->family_name || p->name ? p : NULL;
}

/* --role names as the membership's roles (owned by r); *count 0 and NULL when none. */
static const scalekit_user_role *const *roles_opt(cli_run *r, size_t *count)
{
    const char *const *names = cli_list(r, "role");
    *count = 0;
    if (!names)
        return NULL;
    while (names[*count])
        (*count)++;
    scalekit_user_role *roles = cli_alloc(r, *count * sizeof *roles);
    const scalekit_user_role **ptrs = cli_alloc(r, (*count + 1) * sizeof *ptrs);
    if (!roles || !ptrs)
        return NULL;
    for (size_t i = 0; i < *count; i++) {
        roles[i] = (scalekit_user_role)SCALEKIT_USER_ROLE_INIT;
        roles[i].name = names[i];
        ptrs[i] = &roles[i];
    }
    return ptrs;
}

int cli_user_create(cli_run *r)
{
    scalekit_user_profile_options p = SCALEKIT_USER_PROFILE_OPTIONS_INIT;
    scalekit_user_membership_options m = SCALEKIT_USER_MEMBERSHIP_OPTIONS_INIT;
    scalekit_user_create_options o = SCALEKIT_USER_CREATE_OPTIONS_INIT;
    o.external_id = cli_str(r, "external-id");
    o.user_profile = profile_opts(r, &p);
    m.roles = roles_opt(r, &m.role_count);
    if (m.roles)
        o.membership = &m;
    int rc = cli_map(r, "metadata", &o.metadata);
    if (rc != 0)
        return rc;
    CLI_ONE(r, scalekit_user,
            scalekit_user_create_user_and_membership(r->client, r->args[0], r->args[1], &o,
                                                     cli_bool(r, "send-invitation-email"), &res_),
            scalekit_user_free);
}

int cli_user_update(cli_run *r)
{
    scalekit_user_profile_options p = SCALEKIT_USER_PROFILE_OPTIONS_INIT;
    scalekit_user_update_options o = SCALEKIT_USER_UPDATE_OPTIONS_INIT;
    o.external_id = cli_str(r, "external-id");
    o.user_profile = profile_opts(r, &p);
    int rc = cli_map(r, "metadata", &o.metadata);
    if (rc != 0)
        return rc;
    CLI_ONE(r, scalekit_user, scalekit_user_update(r->client, r->args[0], &o, &res_), scalekit_user_free);
}

int cli_user_update_by_external_id(cli_run *r)
{
    scalekit_user_profile_options p = SCALEKIT_USER_PROFILE_OPTIONS_INIT;
    scalekit_user_update_options o = SCALEKIT_USER_UPDATE_OPTIONS_INIT;
    o.external_id = cli_str(r, "new-external-id");
    o.user_profile = profile_opts(r, &p);
    int rc = cli_map(r, "metadata", &o.metadata);
    if (rc != 0)
        return rc;
    CLI_ONE(r, scalekit_user, scalekit_user_update_by_external_id(r->client, r->args[0], &o, &res_),
            scalekit_user_free);
}

int cli_user_delete_by_external_id(cli_run *r)
{
    return scalekit_user_delete_by_external_id(r->client, r->args[0]);
}

int cli_user_delete(cli_run *r)
{
    return scalekit_user_delete(r->client, r->args[0]);
}

/* Create (by the user's id or external id): the membership flags and the call. */
static int membership_create(cli_run *r, bool by_external_id)
{
    scalekit_user_membership_options o = SCALEKIT_USER_MEMBERSHIP_OPTIONS_INIT;
    o.roles = roles_opt(r, &o.role_count);
    o.inviter_email = cli_str(r, "inviter-email");
    int rc = cli_map(r, "metadata", &o.metadata);
    if (rc != 0)
        return rc;
    bool invite = cli_bool(r, "send-invitation-email");
    CLI_ONE(r, scalekit_user,
            by_external_id ? scalekit_user_create_membership_by_external_id(r->client, r->args[0], r->args[1], &o,
                                                                            invite, &res_)
                           : scalekit_user_create_membership(r->client, r->args[0], r->args[1], &o, invite, &res_),
            scalekit_user_free);
}

static int membership_update(cli_run *r, bool by_external_id)
{
    scalekit_user_membership_update_options o = SCALEKIT_USER_MEMBERSHIP_UPDATE_OPTIONS_INIT;
    o.roles = roles_opt(r, &o.role_count);
    int rc = cli_map(r, "metadata", &o.metadata);
    if (rc != 0)
        return rc;
    CLI_ONE(r, scalekit_user,
            by_external_id
                ? scalekit_user_update_membership_by_external_id(r->client, r->args[0], r->args[1], &o, &res_)
                : scalekit_user_update_membership(r->client, r->args[0], r->args[1], &o, &res_),
            scalekit_user_free);
}

int cli_membership_create(cli_run *r) { return membership_create(r, false); }
int cli_membership_create_by_external_id(cli_run *r) { return membership_create(r, true); }
int cli_membership_update(cli_run *r) { return membership_update(r, false); }
int cli_membership_update_by_external_id(cli_run *r) { return membership_update(r, true); }

int cli_membership_delete(cli_run *r)
{
    return scalekit_user_delete_membership(r->client, r->args[0], r->args[1], cli_bool(r, "cascade"));
}

int cli_membership_delete_by_external_id(cli_run *r)
{
    return scalekit_user_delete_membership_by_external_id(r->client, r->args[0], r->args[1],
                                                          cli_bool(r, "cascade"));
}

int cli_membership_resend_invite(cli_run *r)
{
    CLI_ONE(r, scalekit_user_invite, scalekit_user_resend_invite(r->client, r->args[0], r->args[1], &res_),
            scalekit_user_invite_free);
}

int cli_membership_roles(cli_run *r)
{
    CLI_PAGE(r, scalekit_user_role_list, scalekit_user_list_roles(r->client, r->args[0], r->args[1], &res_),
             scalekit_user_role_list_free);
}

int cli_membership_permissions(cli_run *r)
{
    CLI_PAGE(r, scalekit_user_permission_list,
             scalekit_user_list_permissions(r->client, r->args[0], r->args[1], &res_),
             scalekit_user_permission_list_free);
}

int cli_membership_assign_roles(cli_run *r)
{
    CLI_PAGE(r, scalekit_user_role_list,
             scalekit_user_assign_roles(r->client, r->args[0], r->args[1], cli_list(r, "role"), &res_),
             scalekit_user_role_list_free);
}

int cli_membership_remove_role(cli_run *r)
{
    return scalekit_user_remove_role(r->client, r->args[0], r->args[1], r->args[2]);
}
