/* Organization API clients: field tables and one operation per method (src/core/decode.h). */
#include "api/schemas.h"

#define CLAIM scalekit_m2m_custom_claim
static const skit_field claim_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(CLAIM, SCALEKIT_M2M_CUSTOM_CLAIM_INIT),
    SKIT_FIELD(CLAIM, key, SKIT_F_STRING),
    SKIT_FIELD(CLAIM, value, SKIT_F_STRING),
};
static const skit_schema claim_schema = SKIT_SCHEMA(CLAIM, "scalekit_m2m_custom_claim", claim_fields);

#define SECRET scalekit_m2m_client_secret
static const skit_field secret_fields[] = {
    SKIT_FIELD_RO(SECRET, id, SKIT_F_STRING),
    SKIT_FIELD_RO(SECRET, secret_suffix, SKIT_F_STRING),
    SKIT_FIELD_RO(SECRET, status, SKIT_F_STRING),
    SKIT_FIELD_RO(SECRET, created_by, SKIT_F_STRING),
    SKIT_FIELD_RO(SECRET, plain_secret, SKIT_F_STRING),
    SKIT_FIELD_RO(SECRET, create_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD_RO(SECRET, update_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD_RO(SECRET, expire_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD_RO(SECRET, last_used_time, SKIT_F_TIMESTAMP),
};
const skit_schema skit_m2m_client_secret_schema = SKIT_SCHEMA(SECRET, "client secret", secret_fields);

#define CLIENT scalekit_m2m_client
static const skit_field client_fields[] = {
    SKIT_FIELD_RO(CLIENT, client_id, SKIT_F_STRING),
    SKIT_FIELD_RO(CLIENT, organization_id, SKIT_F_STRING),
    SKIT_FIELD_RO(CLIENT, name, SKIT_F_STRING),
    SKIT_FIELD_RO(CLIENT, description, SKIT_F_STRING),
    SKIT_FIELD_RO(CLIENT, scopes, SKIT_F_STRING_LIST),
    SKIT_FIELD_RO(CLIENT, audience, SKIT_F_STRING_LIST),
    SKIT_FIELD_ARRAY(CLIENT, custom_claims, "custom_claims", custom_claim_count, claim_schema),
    SKIT_FIELD_RO(CLIENT, expiry, SKIT_F_INT64),
    SKIT_FIELD_ARRAY(CLIENT, secrets, "secrets", secret_count, skit_m2m_client_secret_schema),
    SKIT_FIELD_RO(CLIENT, redirect_uris, SKIT_F_STRING_LIST),
    SKIT_FIELD_RO(CLIENT, resource_id, SKIT_F_STRING),
    SKIT_FIELD_RO(CLIENT, metadata_uri, SKIT_F_STRING),
    SKIT_FIELD_RO(CLIENT, is_dcr, SKIT_F_BOOL),
    SKIT_FIELD_RO(CLIENT, is_cimd, SKIT_F_BOOL),
    SKIT_FIELD_RO(CLIENT, create_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD_RO(CLIENT, update_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD_SELF(CLIENT, raw_json),
};
const skit_schema skit_m2m_client_schema = SKIT_SCHEMA(CLIENT, "organization client", client_fields);

static const skit_field created_fields[] = {
    SKIT_FIELD_OBJECT(scalekit_m2m_client_created, client, SKIT_F_OBJECT_PTR, skit_m2m_client_schema),
    SKIT_FIELD(scalekit_m2m_client_created, plain_secret, SKIT_F_STRING),
    SKIT_FIELD_SELF(scalekit_m2m_client_created, raw_json),
};
const skit_schema skit_m2m_client_created_schema =
    SKIT_SCHEMA(scalekit_m2m_client_created, "created organization client", created_fields);

static const skit_field secret_created_fields[] = {
    SKIT_FIELD_OBJECT(scalekit_m2m_client_secret_created, secret, SKIT_F_OBJECT_PTR, skit_m2m_client_secret_schema),
    SKIT_FIELD(scalekit_m2m_client_secret_created, plain_secret, SKIT_F_STRING),
    SKIT_FIELD_SELF(scalekit_m2m_client_secret_created, raw_json),
};
const skit_schema skit_m2m_client_secret_created_schema =
    SKIT_SCHEMA(scalekit_m2m_client_secret_created, "created client secret", secret_created_fields);

static const skit_field page_fields[] = {
    SKIT_FIELD_ARRAY(scalekit_m2m_client_page, items, "clients", count, skit_m2m_client_schema),
    SKIT_FIELD(scalekit_m2m_client_page, next_page_token, SKIT_F_STRING),
    SKIT_FIELD(scalekit_m2m_client_page, prev_page_token, SKIT_F_STRING),
    SKIT_FIELD(scalekit_m2m_client_page, total_size, SKIT_F_INT64),
    SKIT_FIELD_SELF(scalekit_m2m_client_page, raw_json),
};
const skit_schema skit_m2m_client_page_schema =
    SKIT_SCHEMA(scalekit_m2m_client_page, "organization client page", page_fields);

#define OPTS scalekit_m2m_client_options
static const skit_field options_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(OPTS, SCALEKIT_M2M_CLIENT_OPTIONS_INIT),
    SKIT_FIELD(OPTS, description, SKIT_F_STRING),
    SKIT_FIELD(OPTS, scopes, SKIT_F_STRING_LIST),
    SKIT_FIELD(OPTS, audience, SKIT_F_STRING_LIST),
    SKIT_FIELD_ARRAY(OPTS, custom_claims, "custom_claims", custom_claim_count, claim_schema),
    SKIT_FIELD(OPTS, expiry, SKIT_F_OPT_INT64),
};
static const skit_schema options_schema = SKIT_SCHEMA(OPTS, "scalekit_m2m_client_options", options_fields);

/* The body (clientsOrganizationClient): the name (not sent when NULL or "", an
 * update's "unchanged"), then the options inlined. */
typedef struct client_body {
    const char *name;
    const OPTS *opts;
} client_body;
static const skit_field body_fields[] = {
    SKIT_FIELD_NAMED(client_body, name, "name", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_INLINE(client_body, opts, options_schema),
};
static const skit_schema body_schema = SKIT_SCHEMA(client_body, "organization client", body_fields);

#define LIST_OPTS scalekit_m2m_client_list_options
static const skit_field list_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(LIST_OPTS, SCALEKIT_M2M_CLIENT_LIST_OPTIONS_INIT),
    SKIT_FIELD_NAMED(LIST_OPTS, page_size, "page_size", SKIT_F_UINT32, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_NAMED(LIST_OPTS, page_token, "page_token", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
};
static const skit_schema list_schema = SKIT_SCHEMA(LIST_OPTS, "scalekit_m2m_client_list_options", list_fields);

#define CLIENTS "/api/v1/organizations/{organization_id}/clients"
static const skit_op create_op = { "POST", CLIENTS, NULL, &body_schema, NULL, NULL,
                                   &skit_m2m_client_created_schema };
static const skit_op get_op = { "GET", CLIENTS "/{client_id}", NULL, NULL, NULL, "client", &skit_m2m_client_schema };
static const skit_op update_op = { "PATCH", CLIENTS "/{client_id}", NULL, &body_schema, NULL, "client",
                                   &skit_m2m_client_schema };
static const skit_op delete_op = { "DELETE", CLIENTS "/{client_id}", NULL, NULL, NULL, NULL, NULL };
static const skit_op list_op = { "GET", CLIENTS, &list_schema, NULL, NULL, NULL, &skit_m2m_client_page_schema };
static const skit_op add_secret_op = { "POST", CLIENTS "/{client_id}/secrets", NULL, NULL, NULL, NULL,
                                       &skit_m2m_client_secret_created_schema };
static const skit_op remove_secret_op = { "DELETE", CLIENTS "/{client_id}/secrets/{secret_id}", NULL, NULL, NULL,
                                          NULL, NULL };

int scalekit_m2m_client_create(scalekit_client *client, const char *organization_id, const char *name,
                               const OPTS *opts, scalekit_m2m_client_created **out)
{
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK)
        rc = skit_check_required(name, "name");
    client_body body = { name, opts };
    return rc == SCALEKIT_OK ? skit_op_call(client, &create_op, &body, (void **)out, organization_id) : rc;
}

int scalekit_m2m_client_get(scalekit_client *client, const char *organization_id, const char *client_id,
                            scalekit_m2m_client **out)
{
    return skit_op_call(client, &get_op, NULL, (void **)out, organization_id, client_id);
}

int scalekit_m2m_client_update(scalekit_client *client, const char *organization_id, const char *client_id,
                               const char *name, const OPTS *opts, scalekit_m2m_client **out)
{
    client_body body = { name, opts };
    return skit_op_call(client, &update_op, &body, (void **)out, organization_id, client_id);
}

int scalekit_m2m_client_delete(scalekit_client *client, const char *organization_id, const char *client_id)
{
    return skit_op_call(client, &delete_op, NULL, NULL, organization_id, client_id);
}

int scalekit_m2m_client_list(scalekit_client *client, const char *organization_id, const LIST_OPTS *opts,
                             scalekit_m2m_client_page **out)
{
    return skit_op_call(client, &list_op, opts, (void **)out, organization_id);
}

int scalekit_m2m_client_iterator_new(scalekit_client *client, const char *organization_id, const LIST_OPTS *opts,
                                     scalekit_m2m_client_iterator **out)
{
    return skit_op_iterator_new(client, &list_op, opts, (skit_iterator **)out, organization_id);
}

SKIT_ITERATOR_FUNCTIONS(scalekit_m2m_client, scalekit_m2m_client)

int scalekit_m2m_client_add_secret(scalekit_client *client, const char *organization_id, const char *client_id,
                                   scalekit_m2m_client_secret_created **out)
{
    return skit_op_call(client, &add_secret_op, NULL, (void **)out, organization_id, client_id);
}

int scalekit_m2m_client_remove_secret(scalekit_client *client, const char *organization_id, const char *client_id,
                                      const char *secret_id)
{
    return skit_op_call(client, &remove_secret_op, NULL, NULL, organization_id, client_id, secret_id);
}

void scalekit_m2m_client_free(scalekit_m2m_client *m2m_client) { skit_result_free(m2m_client); }
void scalekit_m2m_client_created_free(scalekit_m2m_client_created *created) { skit_result_free(created); }
void scalekit_m2m_client_secret_created_free(scalekit_m2m_client_secret_created *created)
{
    skit_result_free(created);
}
void scalekit_m2m_client_page_free(scalekit_m2m_client_page *page) { skit_result_free(page); }
