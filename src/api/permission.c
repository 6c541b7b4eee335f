/* Permissions and the permissions of a role: field tables and one operation per
 * method (src/core/decode.h). */
#include "api/schemas.h"

/* ---- result tables ------------------------------------------------------- */

static const skit_field permission_fields[] = {
    SKIT_FIELD_RO(scalekit_permission, id, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_permission, name, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_permission, description, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_permission, is_scalekit_permission, SKIT_F_BOOL),
    SKIT_FIELD_RO(scalekit_permission, create_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD_RO(scalekit_permission, update_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD_SELF(scalekit_permission, raw_json),
};
const skit_schema skit_permission_schema = SKIT_SCHEMA(scalekit_permission, "permission", permission_fields);

static const skit_field list_fields[] = {
    SKIT_FIELD_ARRAY(scalekit_permissions, items, "permissions", count, skit_permission_schema),
    SKIT_FIELD_SELF(scalekit_permissions, raw_json),
};
const skit_schema skit_permission_list_schema =
    SKIT_SCHEMA(scalekit_permissions, "permissions", list_fields);

static const skit_field page_fields[] = {
    SKIT_FIELD_ARRAY(scalekit_permission_page, items, "permissions", count, skit_permission_schema),
    SKIT_FIELD(scalekit_permission_page, next_page_token, SKIT_F_STRING),
    SKIT_FIELD(scalekit_permission_page, prev_page_token, SKIT_F_STRING),
    SKIT_FIELD(scalekit_permission_page, total_size, SKIT_F_INT64),
    SKIT_FIELD_SELF(scalekit_permission_page, raw_json),
};
const skit_schema skit_permission_page_schema =
    SKIT_SCHEMA(scalekit_permission_page, "permission page", page_fields);

/* ---- input tables -------------------------------------------------------- */

#define OPTS scalekit_permission_options
static const skit_field options_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(OPTS, SCALEKIT_PERMISSION_OPTIONS_INIT),
    SKIT_FIELD_NAMED(OPTS, description, "description", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
};
static const skit_schema options_schema = SKIT_SCHEMA(OPTS, "scalekit_permission_options", options_fields);

/* The body of a create or update (v1rolesCreatePermission): the name, then the options inlined. */
typedef struct permission_body {
    const char *name;
    const OPTS *opts;
} permission_body;
static const skit_field body_fields[] = {
    SKIT_FIELD(permission_body, name, SKIT_F_STRING),
    SKIT_FIELD_INLINE(permission_body, opts, options_schema),
};
static const skit_schema body_schema = SKIT_SCHEMA(permission_body, "permission", body_fields);

#define LIST_OPTS scalekit_permission_list_options
static const skit_field list_options_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(LIST_OPTS, SCALEKIT_PERMISSION_LIST_OPTIONS_INIT),
    SKIT_FIELD_NAMED(LIST_OPTS, page_size, "page_size", SKIT_F_UINT32, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_NAMED(LIST_OPTS, page_token, "page_token", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_NAMED(LIST_OPTS, type, "type", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
};
static const skit_schema list_options_schema =
    SKIT_SCHEMA(LIST_OPTS, "scalekit_permission_list_options", list_options_fields);

/* RolesServiceAddPermissionsToRoleBody. */
typedef struct add_in {
    const char *const *permission_names;
} add_in;
static const skit_field add_fields[] = { SKIT_FIELD(add_in, permission_names, SKIT_F_STRING_LIST) };
static const skit_schema add_schema = SKIT_SCHEMA(add_in, "body", add_fields);

/* ---- operations: method, path, query, body, required input, member, result ---- */

#define PERMISSIONS "/api/v1/permissions"
#define ROLE_PERMISSIONS "/api/v1/roles/{role_name}/permissions"
static const skit_op create_op = { "POST", PERMISSIONS, NULL, &body_schema, NULL, "permission",
                                   &skit_permission_schema };
static const skit_op get_op = { "GET", PERMISSIONS "/{permission_name}", NULL, NULL, NULL, "permission",
                                &skit_permission_schema };
static const skit_op list_op = { "GET", PERMISSIONS, &list_options_schema, NULL, NULL, NULL,
                                 &skit_permission_page_schema };
static const skit_op update_op = { "PUT", PERMISSIONS "/{permission_name}", NULL, &body_schema, NULL,
                                   "permission", &skit_permission_schema };
static const skit_op delete_op = { "DELETE", PERMISSIONS "/{permission_name}", NULL, NULL, NULL, NULL, NULL };
static const skit_op list_role_op = { "GET", ROLE_PERMISSIONS, NULL, NULL, NULL, NULL,
                                      &skit_permission_list_schema };
static const skit_op add_op = { "POST", ROLE_PERMISSIONS, NULL, &add_schema, NULL, NULL,
                                &skit_permission_list_schema };
static const skit_op remove_op = { "DELETE", ROLE_PERMISSIONS "/{permission_name}", NULL, NULL, NULL, NULL,
                                   NULL };
static const skit_op effective_op = { "GET", ROLE_PERMISSIONS ":all", NULL, NULL, NULL, NULL,
                                      &skit_permission_list_schema };

int scalekit_permission_create(scalekit_client *client, const char *name, const OPTS *opts,
                               scalekit_permission **out)
{
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK)
        rc = skit_check_required(name, "name");
    permission_body body = { name, opts };
    return rc == SCALEKIT_OK ? skit_op_call(client, &create_op, &body, (void **)out) : rc;
}

int scalekit_permission_get(scalekit_client *client, const char *permission_name, scalekit_permission **out)
{
    return skit_op_call(client, &get_op, NULL, (void **)out, permission_name);
}

int scalekit_permission_list(scalekit_client *client, const LIST_OPTS *opts, scalekit_permission_page **out)
{
    return skit_op_call(client, &list_op, opts, (void **)out);
}

int scalekit_permission_update(scalekit_client *client, const char *permission_name, const OPTS *opts,
                               scalekit_permission **out)
{
    permission_body body = { permission_name, opts };
    return skit_op_call(client, &update_op, &body, (void **)out, permission_name);
}

int scalekit_permission_delete(scalekit_client *client, const char *permission_name)
{
    return skit_op_call(client, &delete_op, NULL, NULL, permission_name);
}

int scalekit_permission_list_role_permissions(scalekit_client *client, const char *role_name,
                                              scalekit_permissions **out)
{
    return skit_op_call(client, &list_role_op, NULL, (void **)out, role_name);
}

int scalekit_permission_add_permissions_to_role(scalekit_client *client, const char *role_name,
                                                const char *const *permission_names,
                                                scalekit_permissions **out)
{
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK && !permission_names)
        rc = skit_error_set(SCALEKIT_EINVAL, "permission_names must not be NULL");
    add_in in = { permission_names };
    return rc == SCALEKIT_OK ? skit_op_call(client, &add_op, &in, (void **)out, role_name) : rc;
}

int scalekit_permission_remove_permission_from_role(scalekit_client *client, const char *role_name,
                                                    const char *permission_name)
{
    return skit_op_call(client, &remove_op, NULL, NULL, role_name, permission_name);
}

int scalekit_permission_list_effective_role_permissions(scalekit_client *client, const char *role_name,
                                                        scalekit_permissions **out)
{
    return skit_op_call(client, &effective_op, NULL, (void **)out, role_name);
}

int scalekit_permission_iterator_new(scalekit_client *client, const LIST_OPTS *opts,
                                     scalekit_permission_iterator **out)
{
    return skit_op_iterator_new(client, &list_op, opts, (skit_iterator **)out);
}

SKIT_ITERATOR_FUNCTIONS(scalekit_permission, scalekit_permission)

void scalekit_permission_free(scalekit_permission *permission) { skit_result_free(permission); }
void scalekit_permissions_free(scalekit_permissions *list) { skit_result_free(list); }
void scalekit_permission_page_free(scalekit_permission_page *page) { skit_result_free(page); }
