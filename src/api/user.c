/*
 * Users and memberships: field tables and one operation per method (the
 * machinery is src/core/decode.h's). A route with a by-id and a by-external-id
 * form is two operations sharing their tables.
 */
#include "api/schemas.h"

#include <stdlib.h>

/* ---- result tables ------------------------------------------------------- */

#define ROLE scalekit_user_role
static const skit_field role_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(ROLE, SCALEKIT_USER_ROLE_INIT),
    SKIT_FIELD_RO(ROLE, id, SKIT_F_STRING),
    SKIT_FIELD(ROLE, name, SKIT_F_STRING),
    SKIT_FIELD_NAMED(ROLE, display_name, "display_name", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
};
static const skit_schema role_schema = SKIT_SCHEMA(ROLE, "scalekit_user_role", role_fields);

#define IDENTITY scalekit_user_external_identity
static const skit_field identity_fields[] = {
    SKIT_FIELD(IDENTITY, connection_id, SKIT_F_STRING),
    SKIT_FIELD(IDENTITY, connection_provider, SKIT_F_STRING),
    SKIT_FIELD(IDENTITY, connection_type, SKIT_F_STRING),
    SKIT_FIELD(IDENTITY, connection_user_id, SKIT_F_STRING),
    SKIT_FIELD(IDENTITY, is_social, SKIT_F_BOOL),
    SKIT_FIELD(IDENTITY, created_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD(IDENTITY, last_login_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD(IDENTITY, last_synced_time, SKIT_F_TIMESTAMP),
};
static const skit_schema identity_schema = SKIT_SCHEMA(IDENTITY, "external identity", identity_fields);

#define PROFILE scalekit_user_profile_details
static const skit_field profile_fields[] = {
    SKIT_FIELD(PROFILE, id, SKIT_F_STRING),
    SKIT_FIELD(PROFILE, given_name, SKIT_F_STRING),
    SKIT_FIELD(PROFILE, family_name, SKIT_F_STRING),
    SKIT_FIELD(PROFILE, name, SKIT_F_STRING),
    SKIT_FIELD(PROFILE, locale, SKIT_F_STRING),
    SKIT_FIELD(PROFILE, email_verified, SKIT_F_BOOL),
    SKIT_FIELD(PROFILE, phone_number, SKIT_F_STRING),
    SKIT_FIELD(PROFILE, phone_number_verified, SKIT_F_BOOL),
    SKIT_FIELD(PROFILE, picture, SKIT_F_STRING),
    SKIT_FIELD(PROFILE, preferred_username, SKIT_F_STRING),
    SKIT_FIELD(PROFILE, gender, SKIT_F_STRING),
    SKIT_FIELD(PROFILE, groups, SKIT_F_STRING_LIST),
    SKIT_FIELD(PROFILE, custom_attributes, SKIT_F_STRING_MAP),
    SKIT_FIELD(PROFILE, metadata, SKIT_F_STRING_MAP),
    SKIT_FIELD_ARRAY(PROFILE, external_identities, "external_identities",
                     external_identity_count, identity_schema),
};
static const skit_schema profile_schema = SKIT_SCHEMA(PROFILE, "user profile", profile_fields);

#define MEMBERSHIP scalekit_user_membership
static const skit_field membership_fields[] = {
    SKIT_FIELD(MEMBERSHIP, organization_id, SKIT_F_STRING),
    SKIT_FIELD(MEMBERSHIP, name, SKIT_F_STRING),
    SKIT_FIELD(MEMBERSHIP, display_name, SKIT_F_STRING),
    SKIT_FIELD(MEMBERSHIP, membership_status, SKIT_F_STRING),
    SKIT_FIELD_ARRAY(MEMBERSHIP, roles, "roles", role_count, role_schema),
    SKIT_FIELD(MEMBERSHIP, permissions, SKIT_F_STRING_LIST),
    SKIT_FIELD(MEMBERSHIP, metadata, SKIT_F_STRING_MAP),
    SKIT_FIELD(MEMBERSHIP, inviter_email, SKIT_F_STRING),
    SKIT_FIELD(MEMBERSHIP, provisioning_method, SKIT_F_STRING),
    SKIT_FIELD(MEMBERSHIP, created_at, SKIT_F_TIMESTAMP),
    SKIT_FIELD(MEMBERSHIP, accepted_at, SKIT_F_TIMESTAMP),
    SKIT_FIELD(MEMBERSHIP, expires_at, SKIT_F_TIMESTAMP),
    SKIT_FIELD(MEMBERSHIP, join_time, SKIT_F_TIMESTAMP),
};
static const skit_schema membership_schema = SKIT_SCHEMA(MEMBERSHIP, "membership", membership_fields);

static const skit_field user_fields[] = {
    SKIT_FIELD_RO(scalekit_user, id, SKIT_F_STRING),
    SKIT_FIELD(scalekit_user, email, SKIT_F_STRING),
    SKIT_FIELD(scalekit_user, external_id, SKIT_F_STRING),
    SKIT_FIELD_OBJECT(scalekit_user, user_profile, SKIT_F_OBJECT_PTR, profile_schema),
    SKIT_FIELD(scalekit_user, metadata, SKIT_F_STRING_MAP),
    SKIT_FIELD_ARRAY(scalekit_user, memberships, "memberships", membership_count,
                     membership_schema),
    SKIT_FIELD_RO(scalekit_user, create_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD_RO(scalekit_user, update_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD_RO(scalekit_user, last_login_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD_SELF(scalekit_user, raw_json),
};
const skit_schema skit_user_schema = SKIT_SCHEMA(scalekit_user, "user", user_fields);

static const skit_field page_fields[] = {
    SKIT_FIELD_ARRAY(scalekit_user_page, items, "users", count, skit_user_schema),
    SKIT_FIELD(scalekit_user_page, next_page_token, SKIT_F_STRING),
    SKIT_FIELD(scalekit_user_page, prev_page_token, SKIT_F_STRING),
    SKIT_FIELD(scalekit_user_page, total_size, SKIT_F_INT64),
    SKIT_FIELD_SELF(scalekit_user_page, raw_json),
};
const skit_schema skit_user_page_schema = SKIT_SCHEMA(scalekit_user_page, "user page", page_fields);

#define INVITE scalekit_user_invite
static const skit_field invite_fields[] = {
    SKIT_FIELD(INVITE, organization_id, SKIT_F_STRING),
    SKIT_FIELD(INVITE, user_id, SKIT_F_STRING),
    SKIT_FIELD(INVITE, inviter_email, SKIT_F_STRING),
    SKIT_FIELD(INVITE, status, SKIT_F_STRING),
    SKIT_FIELD(INVITE, resent_count, SKIT_F_INT32),
    SKIT_FIELD(INVITE, created_at, SKIT_F_TIMESTAMP),
    SKIT_FIELD(INVITE, expires_at, SKIT_F_TIMESTAMP),
    SKIT_FIELD(INVITE, resent_at, SKIT_F_TIMESTAMP),
    SKIT_FIELD_SELF(INVITE, raw_json),
};
const skit_schema skit_user_invite_schema = SKIT_SCHEMA(INVITE, "invite", invite_fields);

static const skit_field role_list_fields[] = {
    SKIT_FIELD_ARRAY(scalekit_user_role_list, items, "roles", count, role_schema),
    SKIT_FIELD_SELF(scalekit_user_role_list, raw_json),
};
const skit_schema skit_user_role_list_schema =
    SKIT_SCHEMA(scalekit_user_role_list, "roles", role_list_fields);

#define PERMISSION scalekit_user_permission
static const skit_field permission_fields[] = {
    SKIT_FIELD(PERMISSION, id, SKIT_F_STRING),
    SKIT_FIELD(PERMISSION, name, SKIT_F_STRING),
    SKIT_FIELD(PERMISSION, description, SKIT_F_STRING),
    SKIT_FIELD(PERMISSION, tags, SKIT_F_STRING_LIST),
};
static const skit_schema permission_schema = SKIT_SCHEMA(PERMISSION, "permission", permission_fields);

static const skit_field permission_list_fields[] = {
    SKIT_FIELD_ARRAY(scalekit_user_permission_list, items, "permissions", count, permission_schema),
    SKIT_FIELD_SELF(scalekit_user_permission_list, raw_json),
};
const skit_schema skit_user_permission_list_schema =
    SKIT_SCHEMA(scalekit_user_permission_list, "permissions", permission_list_fields);

/* ---- input tables -------------------------------------------------------- */

#define PROFILE_OPTS scalekit_user_profile_options
static const skit_field profile_options_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(PROFILE_OPTS, SCALEKIT_USER_PROFILE_OPTIONS_INIT),
    SKIT_FIELD(PROFILE_OPTS, given_name, SKIT_F_STRING),
    SKIT_FIELD(PROFILE_OPTS, family_name, SKIT_F_STRING),
    SKIT_FIELD(PROFILE_OPTS, name, SKIT_F_STRING),
    SKIT_FIELD(PROFILE_OPTS, locale, SKIT_F_STRING),
    SKIT_FIELD(PROFILE_OPTS, phone_number, SKIT_F_STRING),
    SKIT_FIELD(PROFILE_OPTS, picture, SKIT_F_STRING),
    SKIT_FIELD(PROFILE_OPTS, preferred_username, SKIT_F_STRING),
    SKIT_FIELD(PROFILE_OPTS, gender, SKIT_F_STRING),
    SKIT_FIELD(PROFILE_OPTS, groups, SKIT_F_STRING_LIST),
    SKIT_FIELD(PROFILE_OPTS, custom_attributes, SKIT_F_STRING_MAP),
    SKIT_FIELD(PROFILE_OPTS, metadata, SKIT_F_STRING_MAP),
};
static const skit_schema profile_options_schema =
    SKIT_SCHEMA(PROFILE_OPTS, "scalekit_user_profile_options", profile_options_fields);

#define MEMBERSHIP_OPTS scalekit_user_membership_options
static const skit_field membership_options_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(MEMBERSHIP_OPTS, SCALEKIT_USER_MEMBERSHIP_OPTIONS_INIT),
    SKIT_FIELD_ARRAY(MEMBERSHIP_OPTS, roles, "roles", role_count, role_schema),
    SKIT_FIELD(MEMBERSHIP_OPTS, metadata, SKIT_F_STRING_MAP),
    SKIT_FIELD(MEMBERSHIP_OPTS, inviter_email, SKIT_F_STRING),
};
static const skit_schema membership_options_schema =
    SKIT_SCHEMA(MEMBERSHIP_OPTS, "scalekit_user_membership_options", membership_options_fields);

#define MEMBERSHIP_UPDATE scalekit_user_membership_update_options
static const skit_field membership_update_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(MEMBERSHIP_UPDATE, SCALEKIT_USER_MEMBERSHIP_UPDATE_OPTIONS_INIT),
    SKIT_FIELD_ARRAY(MEMBERSHIP_UPDATE, roles, "roles", role_count, role_schema),
    SKIT_FIELD(MEMBERSHIP_UPDATE, metadata, SKIT_F_STRING_MAP),
};
static const skit_schema membership_update_schema = SKIT_SCHEMA(
    MEMBERSHIP_UPDATE, "scalekit_user_membership_update_options", membership_update_fields);

#define CREATE_OPTS scalekit_user_create_options
static const skit_field create_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(CREATE_OPTS, SCALEKIT_USER_CREATE_OPTIONS_INIT),
    SKIT_FIELD_NAMED(CREATE_OPTS, external_id, "external_id", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD(CREATE_OPTS, metadata, SKIT_F_STRING_MAP),
    SKIT_FIELD_OBJECT(CREATE_OPTS, user_profile, SKIT_F_OBJECT_PTR, profile_options_schema),
    SKIT_FIELD_OBJECT(CREATE_OPTS, membership, SKIT_F_OBJECT_PTR, membership_options_schema),
};
static const skit_schema create_schema =
    SKIT_SCHEMA(CREATE_OPTS, "scalekit_user_create_options", create_fields);

#define UPDATE_OPTS scalekit_user_update_options
static const skit_field update_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(UPDATE_OPTS, SCALEKIT_USER_UPDATE_OPTIONS_INIT),
    SKIT_FIELD(UPDATE_OPTS, external_id, SKIT_F_STRING),
    SKIT_FIELD(UPDATE_OPTS, metadata, SKIT_F_STRING_MAP),
    SKIT_FIELD_OBJECT(UPDATE_OPTS, user_profile, SKIT_F_OBJECT_PTR, profile_options_schema),
};
static const skit_schema update_schema =
    SKIT_SCHEMA(UPDATE_OPTS, "scalekit_user_update_options", update_fields);

#define LIST_OPTS scalekit_user_list_options
static const skit_field list_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(LIST_OPTS, SCALEKIT_USER_LIST_OPTIONS_INIT),
    SKIT_FIELD_NAMED(LIST_OPTS, page_size, "page_size", SKIT_F_UINT32, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD(LIST_OPTS, page_token, SKIT_F_STRING),
};
static const skit_schema list_schema = SKIT_SCHEMA(LIST_OPTS, "scalekit_user_list_options", list_fields);

/* A search: the required query text, then the paging options inlined. */
typedef struct search_in {
    const char *query;
    const LIST_OPTS *opts;
} search_in;
static const skit_field search_fields[] = {
    SKIT_FIELD(search_in, query, SKIT_F_STRING),
    SKIT_FIELD_INLINE(search_in, opts, list_schema),
};
static const skit_schema search_schema = SKIT_SCHEMA(search_in, "search", search_fields);

/* A create: send_invitation_email goes in the query, the rest is the body. */
typedef struct create_in {
    bool send_invitation_email;
    const char *email;               /* NULL for a membership */
    const void *opts;                /* CREATE_OPTS or MEMBERSHIP_OPTS */
} create_in;
static const skit_field invitation_fields[] = {
    SKIT_FIELD(create_in, send_invitation_email, SKIT_F_BOOL),
};
static const skit_schema invitation_schema = SKIT_SCHEMA(create_in, "query", invitation_fields);
static const skit_field create_user_body_fields[] = {
    SKIT_FIELD(create_in, email, SKIT_F_STRING),
    SKIT_FIELD_INLINE(create_in, opts, create_schema),
};
static const skit_schema create_user_body_schema =
    SKIT_SCHEMA(create_in, "user", create_user_body_fields);
static const skit_field create_membership_body_fields[] = {
    SKIT_FIELD_INLINE(create_in, opts, membership_options_schema),
};
static const skit_schema create_membership_body_schema =
    SKIT_SCHEMA(create_in, "membership", create_membership_body_fields);

typedef struct cascade_in {
    bool cascade;
} cascade_in;
static const skit_field cascade_fields[] = { SKIT_FIELD(cascade_in, cascade, SKIT_F_BOOL) };
static const skit_schema cascade_schema = SKIT_SCHEMA(cascade_in, "query", cascade_fields);

/* ResendInvite's body is the empty object of UserServiceResendInviteBody. */
typedef struct empty_in {
    char unused;
} empty_in;
static const skit_schema empty_schema = { "body", sizeof(empty_in), NULL, 0 };

/* ---- operations: method, path, query, body, required input, member, result ---- */

#define USERS "/api/v1/users"
#define ORG_USERS "/api/v1/organizations/{organization_id}/users"
#define MEMBERS "/api/v1/memberships/organizations/{organization_id}/users"
#define MEMBER ORG_USERS "/{user_id}"
static const skit_op list_org_users_op = { "GET", ORG_USERS, &list_schema, NULL, NULL, NULL,
                                           &skit_user_page_schema };
static const skit_op list_op = { "GET", USERS, &list_schema, NULL, NULL, NULL,
                                 &skit_user_page_schema };
static const skit_op search_op = { "GET", USERS ":search", &search_schema, NULL, NULL, NULL,
                                   &skit_user_page_schema };
static const skit_op search_org_users_op = { "GET", ORG_USERS ":search", &search_schema, NULL,
                                             NULL, NULL, &skit_user_page_schema };
static const skit_op get_op = { "GET", USERS "/{id}", NULL, NULL, NULL, "user", &skit_user_schema };
static const skit_op get_external_op = { "GET", USERS ":external/{external_id}", NULL, NULL, NULL,
                                         "user", &skit_user_schema };
static const skit_op update_op = { "PATCH", USERS "/{id}", NULL, &update_schema, "update", "user",
                                   &skit_user_schema };
static const skit_op update_external_op = { "PATCH", USERS ":external/{external_id}", NULL,
                                            &update_schema, "update", "user", &skit_user_schema };
static const skit_op create_op = { "POST", ORG_USERS, &invitation_schema,
                                   &create_user_body_schema, NULL, "user", &skit_user_schema };
static const skit_op delete_op = { "DELETE", USERS "/{id}", NULL, NULL, NULL, NULL, NULL };
static const skit_op delete_external_op = { "DELETE", USERS ":external/{external_id}", NULL, NULL,
                                            NULL, NULL, NULL };
static const skit_op create_membership_op = { "POST", MEMBERS "/{id}", &invitation_schema,
                                              &create_membership_body_schema, NULL, "user",
                                              &skit_user_schema };
static const skit_op create_membership_external_op = {
    "POST", MEMBERS ":external/{external_id}", &invitation_schema,
    &create_membership_body_schema, NULL, "user", &skit_user_schema };
static const skit_op update_membership_op = { "PATCH", MEMBERS "/{id}", NULL,
                                              &membership_update_schema, "update", "user",
                                              &skit_user_schema };
static const skit_op update_membership_external_op = {
    "PATCH", MEMBERS ":external/{external_id}", NULL, &membership_update_schema, "update", "user",
    &skit_user_schema };
static const skit_op delete_membership_op = { "DELETE", MEMBERS "/{id}", &cascade_schema, NULL,
                                              NULL, NULL, NULL };
static const skit_op delete_membership_external_op = {
    "DELETE", MEMBERS ":external/{external_id}", &cascade_schema, NULL, NULL, NULL, NULL };
static const skit_op resend_invite_op = {
    "PATCH", "/api/v1/invites/organizations/{organization_id}/users/{id}/resend", NULL,
    &empty_schema, NULL, "invite", &skit_user_invite_schema };
static const skit_op list_roles_op = { "GET", MEMBER "/roles", NULL, NULL, NULL, NULL,
                                       &skit_user_role_list_schema };
static const skit_op assign_roles_op = { "POST", MEMBER "/roles", NULL, NULL, NULL, NULL,
                                         &skit_user_role_list_schema };
static const skit_op remove_role_op = { "DELETE", MEMBER "/roles/{role_name}", NULL, NULL, NULL,
                                        NULL, NULL };
static const skit_op list_permissions_op = { "GET", MEMBER "/permissions", NULL, NULL, NULL, NULL,
                                             &skit_user_permission_list_schema };

/* ---- users --------------------------------------------------------------- */

/* The checks of a call whose required @p value is not a path argument. */
static int check_out_and_required(void *out, const char *value, const char *name)
{
    int rc = skit_check_out(out, "out");
    return rc == SCALEKIT_OK ? skit_check_required(value, name) : rc;
}

int scalekit_user_list_organization_users(scalekit_client *client, const char *organization_id,
                                          const LIST_OPTS *opts, scalekit_user_page **out)
{
    return skit_op_call(client, &list_org_users_op, opts, (void **)out, organization_id);
}

int scalekit_user_list(scalekit_client *client, const LIST_OPTS *opts, scalekit_user_page **out)
{
    return skit_op_call(client, &list_op, opts, (void **)out);
}

int scalekit_user_search(scalekit_client *client, const char *query, const LIST_OPTS *opts,
                         scalekit_user_page **out)
{
    int rc = check_out_and_required(out, query, "query");
    search_in in = { query, opts };
    return rc == SCALEKIT_OK ? skit_op_call(client, &search_op, &in, (void **)out) : rc;
}

int scalekit_user_search_organization_users(scalekit_client *client, const char *organization_id,
                                            const char *query, const LIST_OPTS *opts,
                                            scalekit_user_page **out)
{
    int rc = check_out_and_required(out, query, "query");
    search_in in = { query, opts };
    return rc == SCALEKIT_OK
               ? skit_op_call(client, &search_org_users_op, &in, (void **)out, organization_id)
               : rc;
}

int scalekit_user_get(scalekit_client *client, const char *id, scalekit_user **out)
{
    return skit_op_call(client, &get_op, NULL, (void **)out, id);
}

int scalekit_user_get_by_external_id(scalekit_client *client, const char *external_id,
                                     scalekit_user **out)
{
    return skit_op_call(client, &get_external_op, NULL, (void **)out, external_id);
}

int scalekit_user_update(scalekit_client *client, const char *id, const UPDATE_OPTS *update,
                         scalekit_user **out)
{
    return skit_op_call(client, &update_op, update, (void **)out, id);
}

int scalekit_user_update_by_external_id(scalekit_client *client, const char *external_id,
                                        const UPDATE_OPTS *update, scalekit_user **out)
{
    return skit_op_call(client, &update_external_op, update, (void **)out, external_id);
}

int scalekit_user_create_user_and_membership(scalekit_client *client, const char *organization_id,
                                             const char *email, const CREATE_OPTS *opts,
                                             bool send_invitation_email, scalekit_user **out)
{
    int rc = check_out_and_required(out, email, "email");
    create_in in = { send_invitation_email, email, opts };
    return rc == SCALEKIT_OK ? skit_op_call(client, &create_op, &in, (void **)out, organization_id)
                             : rc;
}

int scalekit_user_delete(scalekit_client *client, const char *id)
{
    return skit_op_call(client, &delete_op, NULL, NULL, id);
}

int scalekit_user_delete_by_external_id(scalekit_client *client, const char *external_id)
{
    return skit_op_call(client, &delete_external_op, NULL, NULL, external_id);
}

/* ---- memberships --------------------------------------------------------- */

int scalekit_user_create_membership(scalekit_client *client, const char *organization_id,
                                    const char *id, const MEMBERSHIP_OPTS *opts,
                                    bool send_invitation_email, scalekit_user **out)
{
    create_in in = { send_invitation_email, NULL, opts };
    return skit_op_call(client, &create_membership_op, &in, (void **)out, organization_id, id);
}

int scalekit_user_create_membership_by_external_id(scalekit_client *client,
        const char *organization_id, const char *external_id, const MEMBERSHIP_OPTS *opts,
        bool send_invitation_email, scalekit_user **out)
{
    create_in in = { send_invitation_email, NULL, opts };
    return skit_op_call(client, &create_membership_external_op, &in, (void **)out,
                        organization_id, external_id);
}

int scalekit_user_update_membership(scalekit_client *client, const char *organization_id,
                                    const char *id, const MEMBERSHIP_UPDATE *update,
                                    scalekit_user **out)
{
    return skit_op_call(client, &update_membership_op, update, (void **)out, organization_id, id);
}

int scalekit_user_update_membership_by_external_id(scalekit_client *client,
        const char *organization_id, const char *external_id, const MEMBERSHIP_UPDATE *update,
        scalekit_user **out)
{
    return skit_op_call(client, &update_membership_external_op, update, (void **)out,
                        organization_id, external_id);
}

int scalekit_user_delete_membership(scalekit_client *client, const char *organization_id,
                                    const char *id, bool cascade)
{
    cascade_in in = { cascade };
    return skit_op_call(client, &delete_membership_op, &in, NULL, organization_id, id);
}

int scalekit_user_delete_membership_by_external_id(scalekit_client *client,
        const char *organization_id, const char *external_id, bool cascade)
{
    cascade_in in = { cascade };
    return skit_op_call(client, &delete_membership_external_op, &in, NULL, organization_id,
                        external_id);
}

int scalekit_user_resend_invite(scalekit_client *client, const char *organization_id,
                                const char *id, scalekit_user_invite **out)
{
    empty_in in = { 0 };
    return skit_op_call(client, &resend_invite_op, &in, (void **)out, organization_id, id);
}

int scalekit_user_list_roles(scalekit_client *client, const char *organization_id,
                             const char *user_id, scalekit_user_role_list **out)
{
    return skit_op_call(client, &list_roles_op, NULL, (void **)out, organization_id, user_id);
}

int scalekit_user_list_permissions(scalekit_client *client, const char *organization_id,
                                   const char *user_id, scalekit_user_permission_list **out)
{
    return skit_op_call(client, &list_permissions_op, NULL, (void **)out, organization_id,
                        user_id);
}

/* The body of AssignUserRoles is its `roles` field: [{"role_name": ...}, ...]. */
static int role_names_body(const char *const *role_names, json_t **out)
{
    if (!role_names)
        return skit_error_set(SCALEKIT_EINVAL, "role_names must not be NULL");
    json_t *a = json_array();
    int rc = a ? SCALEKIT_OK : skit_error_oom();
    for (size_t i = 0; rc == SCALEKIT_OK && role_names[i]; i++) {
        if (!skit_utf8_valid(role_names[i])) {
            rc = skit_error_set(SCALEKIT_EINVAL, "role_names item %zu is not valid UTF-8", i);
            break;
        }
        if (json_array_append_new(a, json_pack("{ss}", "role_name", role_names[i])) != 0)
            rc = skit_error_oom();
    }
    if (rc != SCALEKIT_OK) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return SCALEKIT_OK;
}

static int op_path(char **out, const char *pattern, ...)
{
    va_list ap;
    va_start(ap, pattern);
    int rc = skit_op_path(out, pattern, ap);
    va_end(ap);
    return rc;
}

int scalekit_user_assign_roles(scalekit_client *client, const char *organization_id,
                               const char *user_id, const char *const *role_names,
                               scalekit_user_role_list **out)
{
    int rc = skit_check_out(out, "out");
    char *path = NULL;
    json_t *body = NULL;
    if (rc == SCALEKIT_OK)
        rc = op_path(&path, assign_roles_op.path, organization_id, user_id);
    if (rc == SCALEKIT_OK)
        rc = role_names_body(role_names, &body);
    if (rc == SCALEKIT_OK)
        rc = skit_op_send(client, &assign_roles_op, path, NULL, body, (void **)out);
    json_decref(body);
    free(path);
    return rc;
}

int scalekit_user_remove_role(scalekit_client *client, const char *organization_id,
                              const char *user_id, const char *role_name)
{
    return skit_op_call(client, &remove_role_op, NULL, NULL, organization_id, user_id, role_name);
}

/* ---- iterators: the generic one under the user name (decode.h) ---------- */

int scalekit_user_organization_users_iterator_new(scalekit_client *client,
        const char *organization_id, const LIST_OPTS *opts, scalekit_user_iterator **out)
{
    return skit_op_iterator_new(client, &list_org_users_op, opts, (skit_iterator **)out,
                                organization_id);
}

int scalekit_user_iterator_new(scalekit_client *client, const LIST_OPTS *opts,
                               scalekit_user_iterator **out)
{
    return skit_op_iterator_new(client, &list_op, opts, (skit_iterator **)out);
}

int scalekit_user_search_iterator_new(scalekit_client *client, const char *query,
                                      const LIST_OPTS *opts, scalekit_user_iterator **out)
{
    int rc = check_out_and_required(out, query, "query");
    search_in in = { query, opts };
    return rc == SCALEKIT_OK ? skit_op_iterator_new(client, &search_op, &in, (skit_iterator **)out)
                             : rc;
}

int scalekit_user_search_organization_users_iterator_new(scalekit_client *client,
        const char *organization_id, const char *query, const LIST_OPTS *opts,
        scalekit_user_iterator **out)
{
    int rc = check_out_and_required(out, query, "query");
    search_in in = { query, opts };
    return rc == SCALEKIT_OK ? skit_op_iterator_new(client, &search_org_users_op, &in,
                                                    (skit_iterator **)out, organization_id)
                             : rc;
}

SKIT_ITERATOR_FUNCTIONS(scalekit_user, scalekit_user)

void scalekit_user_free(scalekit_user *user) { skit_result_free(user); }
void scalekit_user_page_free(scalekit_user_page *page) { skit_result_free(page); }
void scalekit_user_invite_free(scalekit_user_invite *invite) { skit_result_free(invite); }
void scalekit_user_role_list_free(scalekit_user_role_list *roles) { skit_result_free(roles); }
void scalekit_user_permission_list_free(scalekit_user_permission_list *permissions)
{
    skit_result_free(permissions);
}
