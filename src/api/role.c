/* Roles: field tables and one operation per method (src/core/decode.h). The
 * environment's and an organization's roles share every table; only the paths differ. */
#include "api/schemas.h"
#include "core/growable.h"

/* ---- result tables ------------------------------------------------------- */

#define ROLE_PERMISSION scalekit_role_permission
static const skit_field role_permission_fields[] = {
    SKIT_FIELD_RO(ROLE_PERMISSION, id, SKIT_F_STRING),
    SKIT_FIELD_RO(ROLE_PERMISSION, name, SKIT_F_STRING),
    SKIT_FIELD_RO(ROLE_PERMISSION, description, SKIT_F_STRING),
    SKIT_FIELD_RO(ROLE_PERMISSION, role_name, SKIT_F_STRING),
    SKIT_FIELD_RO(ROLE_PERMISSION, create_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD_RO(ROLE_PERMISSION, update_time, SKIT_F_TIMESTAMP),
};
static const skit_schema role_permission_schema =
    SKIT_SCHEMA(ROLE_PERMISSION, "role permission", role_permission_fields);

static const skit_field role_fields[] = {
    SKIT_FIELD_RO(scalekit_role, id, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_role, name, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_role, display_name, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_role, description, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_role, extends, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_role, default_creator, SKIT_F_BOOL),
    SKIT_FIELD_RO(scalekit_role, default_member, SKIT_F_BOOL),
    SKIT_FIELD_RO(scalekit_role, is_org_role, SKIT_F_BOOL),
    SKIT_FIELD_RO(scalekit_role, dependent_roles_count, SKIT_F_INT32),
    SKIT_FIELD_ARRAY(scalekit_role, permissions, "permissions", permission_count,
                     role_permission_schema),
    SKIT_FIELD_SELF(scalekit_role, raw_json),
};
const skit_schema skit_role_schema = SKIT_SCHEMA(scalekit_role, "role", role_fields);

static const skit_field role_list_fields[] = {
    SKIT_FIELD_ARRAY(scalekit_roles, items, "roles", count, skit_role_schema),
    SKIT_FIELD_SELF(scalekit_roles, raw_json),
};
const skit_schema skit_role_list_schema = SKIT_SCHEMA(scalekit_roles, "roles", role_list_fields);

static const skit_field defaults_fields[] = {
    SKIT_FIELD_OBJECT(scalekit_role_defaults, default_creator, SKIT_F_OBJECT_PTR, skit_role_schema),
    SKIT_FIELD_OBJECT(scalekit_role_defaults, default_member, SKIT_F_OBJECT_PTR, skit_role_schema),
    SKIT_FIELD_SELF(scalekit_role_defaults, raw_json),
};
const skit_schema skit_role_defaults_schema =
    SKIT_SCHEMA(scalekit_role_defaults, "default roles", defaults_fields);

/* {"count": "<int64 as a string>"}: optional, so an answer without it is told apart from 0. */
typedef struct users_count {
    const int64_t *count;
    const char *raw_json;
} users_count;
static const skit_field users_count_fields[] = {
    SKIT_FIELD(users_count, count, SKIT_F_OPT_INT64),
    SKIT_FIELD_SELF(users_count, raw_json),
};
const skit_schema skit_role_users_count_schema =
    SKIT_SCHEMA(users_count, "users count", users_count_fields);

/* ---- input tables -------------------------------------------------------- */

#define CREATE_OPTS scalekit_role_create_options
static const skit_field create_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(CREATE_OPTS, SCALEKIT_ROLE_CREATE_OPTIONS_INIT),
    SKIT_FIELD_NAMED(CREATE_OPTS, display_name, "display_name", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_NAMED(CREATE_OPTS, description, "description", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_NAMED(CREATE_OPTS, extends, "extends", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD(CREATE_OPTS, permissions, SKIT_F_STRING_LIST),
};
static const skit_schema create_schema = SKIT_SCHEMA(CREATE_OPTS, "scalekit_role_create_options", create_fields);

/* The create body: the required name, then the options inlined. */
typedef struct create_body {
    const char *name;
    const CREATE_OPTS *opts;
} create_body;
static const skit_field create_body_fields[] = {
    SKIT_FIELD(create_body, name, SKIT_F_STRING),
    SKIT_FIELD_INLINE(create_body, opts, create_schema),
};
static const skit_schema create_body_schema = SKIT_SCHEMA(create_body, "role", create_body_fields);

#define UPDATE_OPTS scalekit_role_update_options
static const skit_field update_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(UPDATE_OPTS, SCALEKIT_ROLE_UPDATE_OPTIONS_INIT),
    SKIT_FIELD(UPDATE_OPTS, display_name, SKIT_F_STRING),
    SKIT_FIELD(UPDATE_OPTS, description, SKIT_F_STRING),
    SKIT_FIELD(UPDATE_OPTS, extends, SKIT_F_STRING),
    SKIT_FIELD(UPDATE_OPTS, permissions, SKIT_F_STRING_LIST),
};
static const skit_schema update_schema = SKIT_SCHEMA(UPDATE_OPTS, "scalekit_role_update_options", update_fields);

#define GET_OPTS scalekit_role_get_options
static const skit_field get_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(GET_OPTS, SCALEKIT_ROLE_GET_OPTIONS_INIT),
    SKIT_FIELD_NAMED(GET_OPTS, include, "include", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
};
static const skit_schema get_schema = SKIT_SCHEMA(GET_OPTS, "scalekit_role_get_options", get_fields);

typedef struct reassign_in {
    const char *reassign_role_name;
} reassign_in;
static const skit_field reassign_fields[] = {
    SKIT_FIELD_NAMED(reassign_in, reassign_role_name, "reassign_role_name", SKIT_F_STRING,
                     SKIT_FIELD_OMIT_EMPTY),
};
static const skit_schema reassign_schema = SKIT_SCHEMA(reassign_in, "query", reassign_fields);

typedef struct org_defaults_in {
    const char *default_member_role;
} org_defaults_in;
static const skit_field org_defaults_fields[] = {
    SKIT_FIELD(org_defaults_in, default_member_role, SKIT_F_STRING),
};
static const skit_schema org_defaults_schema = SKIT_SCHEMA(org_defaults_in, "defaults", org_defaults_fields);

#define DEFAULTS_OPTS scalekit_role_default_roles_options
static const skit_field defaults_in_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(DEFAULTS_OPTS, SCALEKIT_ROLE_DEFAULT_ROLES_OPTIONS_INIT),
    SKIT_FIELD_NAMED(DEFAULTS_OPTS, default_creator_role, "default_creator_role", SKIT_F_STRING,
                     SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_NAMED(DEFAULTS_OPTS, default_member_role, "default_member_role", SKIT_F_STRING,
                     SKIT_FIELD_OMIT_EMPTY),
};
static const skit_schema defaults_in_schema =
    SKIT_SCHEMA(DEFAULTS_OPTS, "scalekit_role_default_roles_options", defaults_in_fields);

/* ---- operations: method, path, query, body, required input, member, result ---- */

#define ROLES "/api/v1/roles"
#define ORG_ROLES "/api/v1/organizations/{org_id}/roles"
static const skit_op create_op = { "POST", ROLES, NULL, &create_body_schema, NULL, "role", &skit_role_schema };
static const skit_op get_op = { "GET", ROLES "/{role_name}", &get_schema, NULL, NULL, "role", &skit_role_schema };
static const skit_op list_op = { "GET", ROLES, &get_schema, NULL, NULL, NULL, &skit_role_list_schema };
static const skit_op update_op = { "PUT", ROLES "/{role_name}", NULL, &update_schema, "update", "role",
                                   &skit_role_schema };
static const skit_op delete_op = { "DELETE", ROLES "/{role_name}", &reassign_schema, NULL, NULL, NULL, NULL };
static const skit_op users_count_op = { "GET", ROLES "/{role_name}/users:count", NULL, NULL, NULL, NULL,
                                        &skit_role_users_count_schema };
static const skit_op org_create_op = { "POST", ORG_ROLES, NULL, &create_body_schema, NULL, "role",
                                       &skit_role_schema };
static const skit_op org_get_op = { "GET", ORG_ROLES "/{role_name}", &get_schema, NULL, NULL, "role",
                                    &skit_role_schema };
static const skit_op org_list_op = { "GET", ORG_ROLES, &get_schema, NULL, NULL, NULL, &skit_role_list_schema };
static const skit_op org_update_op = { "PUT", ORG_ROLES "/{role_name}", NULL, &update_schema, "update", "role",
                                       &skit_role_schema };
static const skit_op org_delete_op = { "DELETE", ORG_ROLES "/{role_name}", &reassign_schema, NULL, NULL, NULL,
                                       NULL };
static const skit_op org_users_count_op = { "GET", ORG_ROLES "/{role_name}/users:count", NULL, NULL, NULL, NULL,
                                            &skit_role_users_count_schema };
static const skit_op org_defaults_op = { "PATCH", ORG_ROLES ":set_defaults", NULL, &org_defaults_schema, NULL,
                                         NULL, &skit_role_defaults_schema };
static const skit_op org_delete_base_op = { "DELETE", ORG_ROLES "/{role_name}/base", NULL, NULL, NULL, NULL,
                                            NULL };
static const skit_op defaults_op = { "PATCH", ROLES ":set_defaults", NULL, &defaults_in_schema, "opts", NULL,
                                     &skit_role_defaults_schema };
static const skit_op dependents_op = { "GET", ROLES "/{role_name}/dependents", NULL, NULL, NULL, NULL,
                                       &skit_role_list_schema };
static const skit_op delete_base_op = { "DELETE", ROLES "/{role_name}/base", NULL, NULL, NULL, NULL, NULL };

/* ---- environment roles ---------------------------------------------------- */

/* The checks of a call whose required @p value is not a path argument. */
static int check_out_and_required(void *out, const char *value, const char *name)
{
    int rc = skit_check_out(out, "out");
    return rc == SCALEKIT_OK ? skit_check_required(value, name) : rc;
}

int scalekit_role_create(scalekit_client *client, const char *name, const CREATE_OPTS *opts,
                         scalekit_role **out)
{
    int rc = check_out_and_required(out, name, "name");
    create_body body = { name, opts };
    return rc == SCALEKIT_OK ? skit_op_call(client, &create_op, &body, (void **)out) : rc;
}

int scalekit_role_get(scalekit_client *client, const char *role_name, const GET_OPTS *opts,
                      scalekit_role **out)
{
    return skit_op_call(client, &get_op, opts, (void **)out, role_name);
}

int scalekit_role_list(scalekit_client *client, const GET_OPTS *opts, scalekit_roles **out)
{
    return skit_op_call(client, &list_op, opts, (void **)out);
}

int scalekit_role_update(scalekit_client *client, const char *role_name, const UPDATE_OPTS *update,
                         scalekit_role **out)
{
    return skit_op_call(client, &update_op, update, (void **)out, role_name);
}

int scalekit_role_delete(scalekit_client *client, const char *role_name, const char *reassign_role_name)
{
    reassign_in in = { reassign_role_name };
    return skit_op_call(client, &delete_op, &in, NULL, role_name);
}

/* GET a users:count route (@p op; its path arguments @p first and, for an
 * organization role, @p second) into *count; the answer's "count" is required. */
static int users_count_call(scalekit_client *client, const skit_op *op, int64_t *count, const char *first,
                            const char *second)
{
    if (!count)
        return skit_error_set(SCALEKIT_EINVAL, "count must not be NULL");
    *count = 0;
    users_count *result = NULL;
    /* skit_op_call reads one argument per path hole: the environment's route ignores @p second */
    int rc = skit_op_call(client, op, NULL, (void **)&result, first, second);
    if (rc == SCALEKIT_OK && !result->count)
        rc = skit_error_set(SCALEKIT_EMALFORMED_RESPONSE, "users:count answer has no count");
    if (rc == SCALEKIT_OK)
        *count = *result->count;
    skit_result_free(result);
    return rc;
}

int scalekit_role_get_users_count(scalekit_client *client, const char *role_name, int64_t *count)
{
    return users_count_call(client, &users_count_op, count, role_name, NULL);
}

/* ---- organization roles --------------------------------------------------- */

int scalekit_role_create_organization_role(scalekit_client *client, const char *org_id, const char *name,
                                           const CREATE_OPTS *opts, scalekit_role **out)
{
    int rc = check_out_and_required(out, name, "name");
    create_body body = { name, opts };
    return rc == SCALEKIT_OK ? skit_op_call(client, &org_create_op, &body, (void **)out, org_id) : rc;
}

int scalekit_role_get_organization_role(scalekit_client *client, const char *org_id, const char *role_name,
                                        const GET_OPTS *opts, scalekit_role **out)
{
    return skit_op_call(client, &org_get_op, opts, (void **)out, org_id, role_name);
}

int scalekit_role_list_organization_roles(scalekit_client *client, const char *org_id, const GET_OPTS *opts,
                                          scalekit_roles **out)
{
    return skit_op_call(client, &org_list_op, opts, (void **)out, org_id);
}

int scalekit_role_update_organization_role(scalekit_client *client, const char *org_id,
                                           const char *role_name, const UPDATE_OPTS *update,
                                           scalekit_role **out)
{
    return skit_op_call(client, &org_update_op, update, (void **)out, org_id, role_name);
}

int scalekit_role_delete_organization_role(scalekit_client *client, const char *org_id,
                                           const char *role_name, const char *reassign_role_name)
{
    reassign_in in = { reassign_role_name };
    return skit_op_call(client, &org_delete_op, &in, NULL, org_id, role_name);
}

int scalekit_role_get_organization_role_users_count(scalekit_client *client, const char *org_id,
                                                    const char *role_name, int64_t *count)
{
    return users_count_call(client, &org_users_count_op, count, org_id, role_name);
}

int scalekit_role_update_default_organization_roles(scalekit_client *client, const char *org_id,
                                                    const char *default_member_role,
                                                    scalekit_role_defaults **out)
{
    int rc = check_out_and_required(out, default_member_role, "default_member_role");
    org_defaults_in in = { default_member_role };
    return rc == SCALEKIT_OK ? skit_op_call(client, &org_defaults_op, &in, (void **)out, org_id) : rc;
}

int scalekit_role_delete_organization_role_base(scalekit_client *client, const char *org_id,
                                                const char *role_name)
{
    return skit_op_call(client, &org_delete_base_op, NULL, NULL, org_id, role_name);
}

/* ---- beyond the reference ------------------------------------------------- */

int scalekit_role_update_default_roles(scalekit_client *client, const DEFAULTS_OPTS *opts,
                                       scalekit_role_defaults **out)
{
    int rc = skit_check_out(out, "out");
    DEFAULTS_OPTS o;
    if (rc == SCALEKIT_OK && opts)
        rc = SKIT_STRUCT_COPY(&o, opts, DEFAULTS_OPTS, SCALEKIT_ROLE_DEFAULT_ROLES_OPTIONS_INIT);
    /* an update naming no role would be a request that changes nothing */
    if (rc == SCALEKIT_OK && opts && !(o.default_creator_role && *o.default_creator_role) &&
        !(o.default_member_role && *o.default_member_role))
        rc = skit_error_set(SCALEKIT_EINVAL, "opts must set default_creator_role or default_member_role");
    return rc == SCALEKIT_OK ? skit_op_call(client, &defaults_op, opts, (void **)out) : rc;
}

int scalekit_role_list_dependent_roles(scalekit_client *client, const char *role_name, scalekit_roles **out)
{
    return skit_op_call(client, &dependents_op, NULL, (void **)out, role_name);
}

int scalekit_role_delete_base(scalekit_client *client, const char *role_name)
{
    return skit_op_call(client, &delete_base_op, NULL, NULL, role_name);
}

void scalekit_role_free(scalekit_role *role) { skit_result_free(role); }
void scalekit_roles_free(scalekit_roles *list) { skit_result_free(list); }
void scalekit_role_defaults_free(scalekit_role_defaults *defaults) { skit_result_free(defaults); }
