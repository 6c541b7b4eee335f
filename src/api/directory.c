/* Directories: field tables and one operation per method (src/core/decode.h). */
#include "api/schemas.h"

#include <string.h>
#include <openssl/crypto.h>

static const skit_field secret_fields[] = {
    SKIT_FIELD_RO(scalekit_directory_secret, id, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_directory_secret, directory_id, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_directory_secret, secret_suffix, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_directory_secret, status, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_directory_secret, create_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD_RO(scalekit_directory_secret, expire_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD_RO(scalekit_directory_secret, last_used_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD_SELF(scalekit_directory_secret, raw_json),
};
static const skit_schema secret_schema = SKIT_SCHEMA(scalekit_directory_secret, "directory secret", secret_fields);

static const skit_field stats_fields[] = {
    SKIT_FIELD_RO(scalekit_directory_stats, total_users, SKIT_F_INT32),
    SKIT_FIELD_RO(scalekit_directory_stats, total_groups, SKIT_F_INT32),
    SKIT_FIELD_RO(scalekit_directory_stats, user_updated_at, SKIT_F_TIMESTAMP),
    SKIT_FIELD_RO(scalekit_directory_stats, group_updated_at, SKIT_F_TIMESTAMP),
};
static const skit_schema stats_schema = SKIT_SCHEMA(scalekit_directory_stats, "directory stats", stats_fields);

static const skit_field mapping_fields[] = {
    SKIT_FIELD_RO(scalekit_directory_attribute_mapping, key, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_directory_attribute_mapping, map_to, SKIT_F_STRING),
};
static const skit_schema mapping_schema = SKIT_SCHEMA(scalekit_directory_attribute_mapping, "attribute mapping",
                                                      mapping_fields);
static const skit_field mappings_fields[] = {
    SKIT_FIELD_ARRAY(scalekit_directory_attribute_mappings, attributes, "attributes", count, mapping_schema),
};
static const skit_schema mappings_schema = SKIT_SCHEMA(scalekit_directory_attribute_mappings, "attribute mappings",
                                                       mappings_fields);

static const skit_field assignment_fields[] = {
    SKIT_FIELD_RO(scalekit_directory_role_assignment, group_id, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_directory_role_assignment, role_name, SKIT_F_STRING),
};
static const skit_schema assignment_schema = SKIT_SCHEMA(scalekit_directory_role_assignment, "role assignment",
                                                         assignment_fields);
static const skit_field assignments_fields[] = {
    SKIT_FIELD_ARRAY(scalekit_directory_role_assignments, assignments, "assignments", count, assignment_schema),
};
static const skit_schema assignments_schema = SKIT_SCHEMA(scalekit_directory_role_assignments, "role assignments",
                                                          assignments_fields);

#define DIR scalekit_directory
static const skit_field directory_fields[] = {
    SKIT_FIELD_RO(DIR, id, SKIT_F_STRING),
    SKIT_FIELD_RO(DIR, name, SKIT_F_STRING),
    SKIT_FIELD_RO(DIR, directory_type, SKIT_F_STRING),
    SKIT_FIELD_RO(DIR, directory_provider, SKIT_F_STRING),
    SKIT_FIELD_RO(DIR, organization_id, SKIT_F_STRING),
    SKIT_FIELD_RO(DIR, enabled, SKIT_F_BOOL),
    SKIT_FIELD_RO(DIR, status, SKIT_F_STRING),
    SKIT_FIELD_RO(DIR, email, SKIT_F_STRING),
    SKIT_FIELD_RO(DIR, groups_tracked, SKIT_F_STRING),
    SKIT_FIELD_RO(DIR, directory_endpoint, SKIT_F_STRING),
    SKIT_FIELD_RO(DIR, total_users, SKIT_F_INT32),
    SKIT_FIELD_RO(DIR, total_groups, SKIT_F_INT32),
    SKIT_FIELD_RO(DIR, last_synced_at, SKIT_F_TIMESTAMP),
    SKIT_FIELD_OBJECT(DIR, stats, SKIT_F_OBJECT_PTR, stats_schema),
    SKIT_FIELD_ARRAY(DIR, secrets, "secrets", secret_count, secret_schema),
    SKIT_FIELD_OBJECT(DIR, attribute_mappings, SKIT_F_OBJECT_PTR, mappings_schema),
    SKIT_FIELD_OBJECT(DIR, role_assignments, SKIT_F_OBJECT_PTR, assignments_schema),
    SKIT_FIELD_RO(DIR, create_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD_RO(DIR, update_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD_SELF(DIR, raw_json),
};
const skit_schema skit_directory_schema = SKIT_SCHEMA(DIR, "directory", directory_fields);

static const skit_field directories_fields[] = {
    SKIT_FIELD_ARRAY(scalekit_directories, items, "directories", count, skit_directory_schema),
    SKIT_FIELD_SELF(scalekit_directories, raw_json),
};
const skit_schema skit_directories_schema = SKIT_SCHEMA(scalekit_directories, "directories", directories_fields);

static const skit_field group_fields[] = {
    SKIT_FIELD_RO(scalekit_directory_group, id, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_directory_group, display_name, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_directory_group, total_users, SKIT_F_INT32),
    SKIT_FIELD_RO(scalekit_directory_group, updated_at, SKIT_F_TIMESTAMP),
    SKIT_FIELD_NAMED(scalekit_directory_group, group_detail, "group_detail", SKIT_F_RAW_JSON, SKIT_FIELD_READ_ONLY),
    SKIT_FIELD_SELF(scalekit_directory_group, raw_json),
};
const skit_schema skit_directory_group_schema = SKIT_SCHEMA(scalekit_directory_group, "directory group",
                                                            group_fields);

static const skit_field user_fields[] = {
    SKIT_FIELD_RO(scalekit_directory_user, id, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_directory_user, email, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_directory_user, preferred_username, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_directory_user, given_name, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_directory_user, family_name, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_directory_user, updated_at, SKIT_F_TIMESTAMP),
    SKIT_FIELD_RO(scalekit_directory_user, emails, SKIT_F_STRING_LIST),
    SKIT_FIELD_ARRAY(scalekit_directory_user, groups, "groups", group_count, skit_directory_group_schema),
    SKIT_FIELD_NAMED(scalekit_directory_user, user_detail, "user_detail", SKIT_F_RAW_JSON, SKIT_FIELD_READ_ONLY),
    SKIT_FIELD_SELF(scalekit_directory_user, raw_json),
};
const skit_schema skit_directory_user_schema = SKIT_SCHEMA(scalekit_directory_user, "directory user", user_fields);

#define USER_PAGE scalekit_directory_user_page
static const skit_field user_page_fields[] = {
    SKIT_FIELD_ARRAY(USER_PAGE, items, "users", count, skit_directory_user_schema),
    SKIT_FIELD(USER_PAGE, next_page_token, SKIT_F_STRING),
    SKIT_FIELD(USER_PAGE, prev_page_token, SKIT_F_STRING),
    SKIT_FIELD(USER_PAGE, total_size, SKIT_F_INT64),
    SKIT_FIELD_SELF(USER_PAGE, raw_json),
};
const skit_schema skit_directory_user_page_schema = SKIT_SCHEMA(USER_PAGE, "directory user page", user_page_fields);

#define GROUP_PAGE scalekit_directory_group_page
static const skit_field group_page_fields[] = {
    SKIT_FIELD_ARRAY(GROUP_PAGE, items, "groups", count, skit_directory_group_schema),
    SKIT_FIELD(GROUP_PAGE, next_page_token, SKIT_F_STRING),
    SKIT_FIELD(GROUP_PAGE, prev_page_token, SKIT_F_STRING),
    SKIT_FIELD(GROUP_PAGE, total_size, SKIT_F_INT64),
    SKIT_FIELD_SELF(GROUP_PAGE, raw_json),
};
const skit_schema skit_directory_group_page_schema = SKIT_SCHEMA(GROUP_PAGE, "directory group page",
                                                                 group_page_fields);

static const skit_field toggle_fields[] = {
    SKIT_FIELD_RO(scalekit_directory_toggle, enabled, SKIT_F_BOOL),
    SKIT_FIELD_RO(scalekit_directory_toggle, error_message, SKIT_F_STRING),
    SKIT_FIELD_SELF(scalekit_directory_toggle, raw_json),
};
const skit_schema skit_directory_toggle_schema = SKIT_SCHEMA(scalekit_directory_toggle, "directory toggle",
                                                             toggle_fields);

static const skit_field new_secret_fields[] = {
    SKIT_FIELD_RO(scalekit_directory_new_secret, plain_secret, SKIT_F_STRING),
    SKIT_FIELD_OBJECT(scalekit_directory_new_secret, secret, SKIT_F_OBJECT_PTR, secret_schema),
    SKIT_FIELD_SELF(scalekit_directory_new_secret, raw_json),
};
const skit_schema skit_directory_new_secret_schema = SKIT_SCHEMA(scalekit_directory_new_secret,
                                                                 "directory secret", new_secret_fields);

/* ---- inputs ---------------------------------------------------------------------- */

#define CREATE_OPTS scalekit_directory_create_options
static const skit_field create_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(CREATE_OPTS, SCALEKIT_DIRECTORY_CREATE_OPTIONS_INIT),
    SKIT_FIELD_NAMED(CREATE_OPTS, directory_type, "directory_type", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_NAMED(CREATE_OPTS, directory_provider, "directory_provider", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
};
static const skit_schema create_schema = SKIT_SCHEMA(CREATE_OPTS, "scalekit_directory_create_options",
                                                     create_fields);

#define USER_OPTS scalekit_directory_user_list_options
static const skit_field user_list_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(USER_OPTS, SCALEKIT_DIRECTORY_USER_LIST_OPTIONS_INIT),
    SKIT_FIELD_NAMED(USER_OPTS, page_size, "page_size", SKIT_F_UINT32, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_NAMED(USER_OPTS, page_token, "page_token", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD(USER_OPTS, include_detail, SKIT_F_OPT_BOOL),
    SKIT_FIELD_NAMED(USER_OPTS, directory_group_id, "directory_group_id", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD(USER_OPTS, updated_after, SKIT_F_TIMESTAMP),
};
static const skit_schema user_list_schema = SKIT_SCHEMA(USER_OPTS, "scalekit_directory_user_list_options",
                                                        user_list_fields);

#define GROUP_OPTS scalekit_directory_group_list_options
static const skit_field group_list_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(GROUP_OPTS, SCALEKIT_DIRECTORY_GROUP_LIST_OPTIONS_INIT),
    SKIT_FIELD_NAMED(GROUP_OPTS, page_size, "page_size", SKIT_F_UINT32, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_NAMED(GROUP_OPTS, page_token, "page_token", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD(GROUP_OPTS, updated_after, SKIT_F_TIMESTAMP),
    SKIT_FIELD(GROUP_OPTS, include_detail, SKIT_F_OPT_BOOL),
    SKIT_FIELD(GROUP_OPTS, include_external_groups, SKIT_F_OPT_BOOL),
};
static const skit_schema group_list_schema = SKIT_SCHEMA(GROUP_OPTS, "scalekit_directory_group_list_options",
                                                         group_list_fields);

/* ---- operations ------------------------------------------------------------------ */

#define DIRECTORIES "/api/v1/organizations/{organization_id}/directories"
static const skit_op create_op = { "POST", DIRECTORIES, NULL, &create_schema, NULL, "directory",
                                   &skit_directory_schema };
static const skit_op list_op = { "GET", DIRECTORIES, NULL, NULL, NULL, NULL, &skit_directories_schema };
static const skit_op get_op = { "GET", DIRECTORIES "/{id}", NULL, NULL, NULL, "directory", &skit_directory_schema };
static const skit_op delete_op = { "DELETE", DIRECTORIES "/{id}", NULL, NULL, NULL, NULL, NULL };
static const skit_op enable_op = { "PATCH", DIRECTORIES "/{id}:enable", NULL, NULL, NULL, NULL,
                                   &skit_directory_toggle_schema };
static const skit_op disable_op = { "PATCH", DIRECTORIES "/{id}:disable", NULL, NULL, NULL, NULL,
                                    &skit_directory_toggle_schema };
static const skit_op users_op = { "GET", DIRECTORIES "/{directory_id}/users", &user_list_schema, NULL, NULL, NULL,
                                  &skit_directory_user_page_schema };
static const skit_op groups_op = { "GET", DIRECTORIES "/{directory_id}/groups", &group_list_schema, NULL, NULL,
                                   NULL, &skit_directory_group_page_schema };
static const skit_op secret_op = { "POST", DIRECTORIES "/{directory_id}/secrets", NULL, NULL, NULL, NULL,
                                   &skit_directory_new_secret_schema };
static const skit_op regenerate_op = { "POST", DIRECTORIES "/{directory_id}/secrets:regenerate", NULL, NULL, NULL,
                                       NULL, &skit_directory_new_secret_schema };

int scalekit_directory_create(scalekit_client *client, const char *organization_id, const CREATE_OPTS *opts,
                              scalekit_directory **out)
{
    /* NULL options still send a body: {} is the server's to refuse. */
    static const CREATE_OPTS none = SCALEKIT_DIRECTORY_CREATE_OPTIONS_INIT;
    return skit_op_call(client, &create_op, opts ? opts : &none, (void **)out, organization_id);
}

int scalekit_directory_get(scalekit_client *client, const char *organization_id, const char *id,
                           scalekit_directory **out)
{
    return skit_op_call(client, &get_op, NULL, (void **)out, organization_id, id);
}

int scalekit_directory_list(scalekit_client *client, const char *organization_id, scalekit_directories **out)
{
    return skit_op_call(client, &list_op, NULL, (void **)out, organization_id);
}

int scalekit_directory_get_primary_by_organization_id(scalekit_client *client, const char *organization_id,
                                                      scalekit_directory **out)
{
    scalekit_directories *list = NULL;
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK)
        rc = scalekit_directory_list(client, organization_id, &list);
    if (rc != SCALEKIT_OK)
        return rc;
    if (list->count == 0) {
        scalekit_directories_free(list);
        return skit_error_set(SCALEKIT_ENOTFOUND, "organization %s has no directory", organization_id);
    }
    /* The first item decoded on its own, so the caller frees it as any directory. */
    const char *raw = list->items[0]->raw_json;
    json_t *item = raw ? json_loads(raw, 0, NULL) : NULL;
    rc = item ? skit_decode_new(&skit_directory_schema, item, raw, (void **)out) : skit_error_oom();
    json_decref(item);
    scalekit_directories_free(list);
    return rc;
}

int scalekit_directory_delete(scalekit_client *client, const char *organization_id, const char *id)
{
    return skit_op_call(client, &delete_op, NULL, NULL, organization_id, id);
}

int scalekit_directory_enable(scalekit_client *client, const char *organization_id, const char *id,
                              scalekit_directory_toggle **out)
{
    return skit_op_call(client, &enable_op, NULL, (void **)out, organization_id, id);
}

int scalekit_directory_disable(scalekit_client *client, const char *organization_id, const char *id,
                               scalekit_directory_toggle **out)
{
    return skit_op_call(client, &disable_op, NULL, (void **)out, organization_id, id);
}

int scalekit_directory_list_directory_users(scalekit_client *client, const char *organization_id,
                                            const char *directory_id, const USER_OPTS *opts,
                                            scalekit_directory_user_page **out)
{
    return skit_op_call(client, &users_op, opts, (void **)out, organization_id, directory_id);
}

int scalekit_directory_list_directory_groups(scalekit_client *client, const char *organization_id,
                                             const char *directory_id, const GROUP_OPTS *opts,
                                             scalekit_directory_group_page **out)
{
    return skit_op_call(client, &groups_op, opts, (void **)out, organization_id, directory_id);
}

int scalekit_directory_user_iterator_new(scalekit_client *client, const char *organization_id,
                                         const char *directory_id, const USER_OPTS *opts,
                                         scalekit_directory_user_iterator **out)
{
    return skit_op_iterator_new(client, &users_op, opts, (skit_iterator **)out, organization_id, directory_id);
}

int scalekit_directory_group_iterator_new(scalekit_client *client, const char *organization_id,
                                          const char *directory_id, const GROUP_OPTS *opts,
                                          scalekit_directory_group_iterator **out)
{
    return skit_op_iterator_new(client, &groups_op, opts, (skit_iterator **)out, organization_id, directory_id);
}

SKIT_ITERATOR_FUNCTIONS(scalekit_directory_user, scalekit_directory_user)
SKIT_ITERATOR_FUNCTIONS(scalekit_directory_group, scalekit_directory_group)

int scalekit_directory_create_secret(scalekit_client *client, const char *organization_id,
                                     const char *directory_id, scalekit_directory_new_secret **out)
{
    return skit_op_call(client, &secret_op, NULL, (void **)out, organization_id, directory_id);
}

int scalekit_directory_regenerate_secret(scalekit_client *client, const char *organization_id,
                                         const char *directory_id, scalekit_directory_new_secret **out)
{
    return skit_op_call(client, &regenerate_op, NULL, (void **)out, organization_id, directory_id);
}

void scalekit_directory_free(scalekit_directory *directory) { skit_result_free(directory); }
void scalekit_directories_free(scalekit_directories *list) { skit_result_free(list); }
void scalekit_directory_user_page_free(scalekit_directory_user_page *page) { skit_result_free(page); }
void scalekit_directory_group_page_free(scalekit_directory_group_page *page) { skit_result_free(page); }
void scalekit_directory_toggle_free(scalekit_directory_toggle *toggle) { skit_result_free(toggle); }

void scalekit_directory_new_secret_free(scalekit_directory_new_secret *secret)
{
    /* The plain secret is in the member and in the body text, both in the result's arena. */
    if (secret && secret->plain_secret)
        OPENSSL_cleanse((char *)secret->plain_secret, strlen(secret->plain_secret));
    if (secret && secret->raw_json)
        OPENSSL_cleanse((char *)secret->raw_json, strlen(secret->raw_json));
    skit_result_free(secret);
}
