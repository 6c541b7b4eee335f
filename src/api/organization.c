/*
 * Organizations: field tables and one operation per method. The mechanism
 * (checks, paths, encoding, calls, decoding, pages, iterators) is
 * src/core/decode.h's; a method here is its operation plus its result type.
 */
#include "api/schemas.h"

/* ---- field tables -------------------------------------------------------- */

static const skit_field feature_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(scalekit_organization_feature, SCALEKIT_ORGANIZATION_FEATURE_INIT),
    SKIT_FIELD(scalekit_organization_feature, name, SKIT_F_STRING),
    SKIT_FIELD(scalekit_organization_feature, enabled, SKIT_F_BOOL),
};
static const skit_schema feature_schema =
    SKIT_SCHEMA(scalekit_organization_feature, "scalekit_organization_feature", feature_fields);

static const skit_field settings_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(scalekit_organization_settings, SCALEKIT_ORGANIZATION_SETTINGS_INIT),
    SKIT_FIELD_ARRAY(scalekit_organization_settings, features, "features", feature_count,
                     feature_schema),
};
static const skit_schema settings_schema =
    SKIT_SCHEMA(scalekit_organization_settings, "scalekit_organization_settings", settings_fields);

static const skit_field organization_fields[] = {
    SKIT_FIELD_RO(scalekit_organization, id, SKIT_F_STRING),
    SKIT_FIELD(scalekit_organization, display_name, SKIT_F_STRING),
    SKIT_FIELD(scalekit_organization, external_id, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_organization, region_code, SKIT_F_STRING),
    SKIT_FIELD(scalekit_organization, slug, SKIT_F_STRING),
    SKIT_FIELD(scalekit_organization, logo_url, SKIT_F_STRING),
    SKIT_FIELD(scalekit_organization, metadata, SKIT_F_STRING_MAP),
    SKIT_FIELD_OBJECT(scalekit_organization, settings, SKIT_F_OBJECT_PTR, settings_schema),
    SKIT_FIELD_RO(scalekit_organization, create_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD_RO(scalekit_organization, update_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD_SELF(scalekit_organization, raw_json),
};
const skit_schema skit_organization_schema =
    SKIT_SCHEMA(scalekit_organization, "organization", organization_fields);

static const skit_field page_fields[] = {
    SKIT_FIELD_ARRAY(scalekit_organization_page, items, "organizations", count,
                     skit_organization_schema),
    SKIT_FIELD(scalekit_organization_page, next_page_token, SKIT_F_STRING),
    SKIT_FIELD(scalekit_organization_page, prev_page_token, SKIT_F_STRING),
    SKIT_FIELD(scalekit_organization_page, total_size, SKIT_F_INT64),
    SKIT_FIELD_SELF(scalekit_organization_page, raw_json),
};
const skit_schema skit_organization_page_schema =
    SKIT_SCHEMA(scalekit_organization_page, "organization page", page_fields);

#define CREATE_OPTS scalekit_organization_create_options
static const skit_field create_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(CREATE_OPTS, SCALEKIT_ORGANIZATION_CREATE_OPTIONS_INIT),
    SKIT_FIELD_NAMED(CREATE_OPTS, external_id, "external_id", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD(CREATE_OPTS, metadata, SKIT_F_STRING_MAP),
    SKIT_FIELD_NAMED(CREATE_OPTS, slug, "slug", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_NAMED(CREATE_OPTS, logo_url, "logo_url", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
};
static const skit_schema create_schema = SKIT_SCHEMA(CREATE_OPTS, "scalekit_organization_create_options", create_fields);

/* The create body: the required name, then the options' members inlined. */
typedef struct create_body {
    const char *display_name;
    const CREATE_OPTS *opts;
} create_body;
static const skit_field create_body_fields[] = {
    SKIT_FIELD(create_body, display_name, SKIT_F_STRING),
    SKIT_FIELD_INLINE(create_body, opts, create_schema),
};
static const skit_schema create_body_schema =
    SKIT_SCHEMA(create_body, "organization", create_body_fields);

#define UPDATE_OPTS scalekit_organization_update_options
static const skit_field update_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(UPDATE_OPTS, SCALEKIT_ORGANIZATION_UPDATE_OPTIONS_INIT),
    SKIT_FIELD(UPDATE_OPTS, display_name, SKIT_F_STRING),
    SKIT_FIELD(UPDATE_OPTS, external_id, SKIT_F_STRING),
    SKIT_FIELD(UPDATE_OPTS, metadata, SKIT_F_STRING_MAP),
    SKIT_FIELD(UPDATE_OPTS, slug, SKIT_F_STRING),
    SKIT_FIELD(UPDATE_OPTS, logo_url, SKIT_F_STRING),
};
static const skit_schema update_schema = SKIT_SCHEMA(UPDATE_OPTS, "scalekit_organization_update_options", update_fields);

#define LIST_OPTS scalekit_organization_list_options
static const skit_field list_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(LIST_OPTS, SCALEKIT_ORGANIZATION_LIST_OPTIONS_INIT),
    SKIT_FIELD(LIST_OPTS, external_id, SKIT_F_STRING),
    SKIT_FIELD_NAMED(LIST_OPTS, page_size, "page_size", SKIT_F_UINT32, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD(LIST_OPTS, page_token, SKIT_F_STRING),
};
static const skit_schema list_schema = SKIT_SCHEMA(LIST_OPTS, "scalekit_organization_list_options", list_fields);

#define LINK_OPTS scalekit_organization_portal_link_options
static const skit_field link_options_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(LINK_OPTS, SCALEKIT_ORGANIZATION_PORTAL_LINK_OPTIONS_INIT),
    SKIT_FIELD(LINK_OPTS, features, SKIT_F_STRING_LIST),
};
static const skit_schema link_options_schema =
    SKIT_SCHEMA(LINK_OPTS, "scalekit_organization_portal_link_options", link_options_fields);

static const skit_field link_fields[] = {
    SKIT_FIELD(scalekit_organization_portal_link, id, SKIT_F_STRING),
    SKIT_FIELD(scalekit_organization_portal_link, location, SKIT_F_STRING),
    SKIT_FIELD(scalekit_organization_portal_link, expire_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD_SELF(scalekit_organization_portal_link, raw_json),
};
const skit_schema skit_organization_portal_link_schema =
    SKIT_SCHEMA(scalekit_organization_portal_link, "link", link_fields);

#define USER_MGMT scalekit_organization_user_management_settings
static const skit_field user_management_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(USER_MGMT, SCALEKIT_ORGANIZATION_USER_MANAGEMENT_SETTINGS_INIT),
    SKIT_FIELD(USER_MGMT, max_allowed_users, SKIT_F_OPT_INT32),
    SKIT_FIELD_SELF(USER_MGMT, raw_json),
};
const skit_schema skit_organization_user_management_schema =
    SKIT_SCHEMA(USER_MGMT, "scalekit_organization_user_management_settings", user_management_fields);

/* The user management body: {"settings": {...}}. */
typedef struct user_management_body {
    const USER_MGMT *settings;
} user_management_body;
static const skit_field user_management_body_fields[] = {
    SKIT_FIELD_OBJECT(user_management_body, settings, SKIT_F_OBJECT_PTR,
                      skit_organization_user_management_schema),
};
static const skit_schema user_management_body_schema =
    SKIT_SCHEMA(user_management_body, "settings", user_management_body_fields);

#define POLICY scalekit_organization_session_policy
static const skit_field session_policy_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(POLICY, SCALEKIT_ORGANIZATION_SESSION_POLICY_INIT),
    SKIT_FIELD(POLICY, policy_source, SKIT_F_STRING),
    SKIT_FIELD(POLICY, absolute_session_timeout, SKIT_F_OPT_INT32),
    SKIT_FIELD(POLICY, absolute_session_timeout_unit, SKIT_F_STRING),
    SKIT_FIELD(POLICY, idle_session_timeout_enabled, SKIT_F_OPT_BOOL),
    SKIT_FIELD(POLICY, idle_session_timeout, SKIT_F_OPT_INT32),
    SKIT_FIELD(POLICY, idle_session_timeout_unit, SKIT_F_STRING),
    SKIT_FIELD_SELF(POLICY, raw_json),
};
const skit_schema skit_organization_session_policy_schema =
    SKIT_SCHEMA(POLICY, "scalekit_organization_session_policy", session_policy_fields);

/* ---- operations: method, path, query, body, required input, member, result ---- */

#define ORGS "/api/v1/organizations"
static const skit_op create_op = { "POST", ORGS, NULL, &create_body_schema, NULL,
                                   "organization", &skit_organization_schema };
static const skit_op list_op = { "GET", ORGS, &list_schema, NULL, NULL, NULL,
                                 &skit_organization_page_schema };
static const skit_op get_op = { "GET", ORGS "/{id}", NULL, NULL, NULL, "organization",
                                &skit_organization_schema };
static const skit_op get_external_op = { "GET", ORGS ":external/{external_id}", NULL, NULL, NULL,
                                         "organization", &skit_organization_schema };
static const skit_op update_op = { "PATCH", ORGS "/{id}", NULL, &update_schema, "update",
                                   "organization", &skit_organization_schema };
static const skit_op delete_op = { "DELETE", ORGS "/{id}", NULL, NULL, NULL, NULL, NULL };
static const skit_op portal_link_op = { "PUT", ORGS "/{organization_id}/portal_links",
                                        &link_options_schema, NULL, NULL, "link",
                                        &skit_organization_portal_link_schema };
static const skit_op settings_op = { "PATCH", ORGS "/{id}/settings", NULL, &settings_schema,
                                     "settings", "organization", &skit_organization_schema };
static const skit_op user_management_op = {
    "PATCH", ORGS "/{organization_id}/settings/usermanagement", NULL,
    &user_management_body_schema, "settings", "settings",
    &skit_organization_user_management_schema };
static const skit_op get_policy_op = { "GET", ORGS "/{organization_id}/session-policy", NULL,
                                       NULL, NULL, "policy",
                                       &skit_organization_session_policy_schema };
static const skit_op update_policy_op = { "PATCH", ORGS "/{organization_id}/session-policy",
                                          NULL, &skit_organization_session_policy_schema,
                                          "policy", "policy",
                                          &skit_organization_session_policy_schema };

/* ---- methods ------------------------------------------------------------- */

int scalekit_organization_create(scalekit_client *client, const char *display_name,
                                 const CREATE_OPTS *opts, scalekit_organization **out)
{
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK)
        rc = skit_check_required(display_name, "display_name");
    create_body body = { display_name, opts };
    return rc == SCALEKIT_OK ? skit_op_call(client, &create_op, &body, (void **)out) : rc;
}

int scalekit_organization_list(scalekit_client *client, const LIST_OPTS *opts,
                               scalekit_organization_page **out)
{
    return skit_op_call(client, &list_op, opts, (void **)out);
}

int scalekit_organization_get(scalekit_client *client, const char *id, scalekit_organization **out)
{
    return skit_op_call(client, &get_op, NULL, (void **)out, id);
}

int scalekit_organization_get_by_external_id(scalekit_client *client, const char *external_id,
                                             scalekit_organization **out)
{
    return skit_op_call(client, &get_external_op, NULL, (void **)out, external_id);
}

int scalekit_organization_update(scalekit_client *client, const char *id,
                                 const UPDATE_OPTS *update, scalekit_organization **out)
{
    return skit_op_call(client, &update_op, update, (void **)out, id);
}

int scalekit_organization_update_by_external_id(scalekit_client *client, const char *external_id,
                                                const UPDATE_OPTS *update,
                                                scalekit_organization **out)
{
    /* The API has no route of its own: find the id, then update by id. */
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK && !update)
        rc = skit_error_set(SCALEKIT_EINVAL, "update must not be NULL");
    scalekit_organization *found = NULL;
    if (rc == SCALEKIT_OK)
        rc = scalekit_organization_get_by_external_id(client, external_id, &found);
    if (rc == SCALEKIT_OK && (!found->id || !*found->id))
        rc = skit_error_set(SCALEKIT_EMALFORMED_RESPONSE,
                            "the organization with external_id \"%s\" came without an id",
                            external_id);
    if (rc == SCALEKIT_OK)
        rc = scalekit_organization_update(client, found->id, update, out);
    skit_result_free(found);
    return rc;
}

int scalekit_organization_delete(scalekit_client *client, const char *id)
{
    return skit_op_call(client, &delete_op, NULL, NULL, id);
}

int scalekit_organization_generate_portal_link(scalekit_client *client,
        const char *organization_id, const LINK_OPTS *opts,
        scalekit_organization_portal_link **out)
{
    return skit_op_call(client, &portal_link_op, opts, (void **)out, organization_id);
}

int scalekit_organization_update_settings(scalekit_client *client, const char *id,
                                          const scalekit_organization_settings *settings,
                                          scalekit_organization **out)
{
    return skit_op_call(client, &settings_op, settings, (void **)out, id);
}

int scalekit_organization_upsert_user_management_settings(scalekit_client *client,
        const char *organization_id, const USER_MGMT *settings, USER_MGMT **out)
{
    user_management_body body = { settings };
    return skit_op_call(client, &user_management_op, settings ? &body : NULL, (void **)out,
                        organization_id);
}

int scalekit_organization_get_session_policy(scalekit_client *client, const char *organization_id,
                                             POLICY **out)
{
    return skit_op_call(client, &get_policy_op, NULL, (void **)out, organization_id);
}

int scalekit_organization_update_session_policy(scalekit_client *client,
        const char *organization_id, const POLICY *policy, POLICY **out)
{
    return skit_op_call(client, &update_policy_op, policy, (void **)out, organization_id);
}

/* The public iterator is the generic one under a service-specific name, so a
 * caller cannot hand an organization iterator to another service's _next. */
int scalekit_organization_iterator_new(scalekit_client *client, const LIST_OPTS *opts,
                                       scalekit_organization_iterator **out)
{
    return skit_op_iterator_new(client, &list_op, opts, (skit_iterator **)out);
}

SKIT_ITERATOR_FUNCTIONS(scalekit_organization, scalekit_organization)

void scalekit_organization_free(scalekit_organization *org) { skit_result_free(org); }
void scalekit_organization_page_free(scalekit_organization_page *page) { skit_result_free(page); }
void scalekit_organization_portal_link_free(scalekit_organization_portal_link *link)
{
    skit_result_free(link);
}
void scalekit_organization_user_management_settings_free(USER_MGMT *settings)
{
    skit_result_free(settings);
}
void scalekit_organization_session_policy_free(POLICY *policy) { skit_result_free(policy); }
