/* Authentication logs: field tables and the list operation (src/core/decode.h). */
#include "api/schemas.h"

#define CONNECTION scalekit_auth_log_connection
static const skit_field connection_fields[] = {
    SKIT_FIELD_RO(CONNECTION, connection_id, SKIT_F_STRING),
    SKIT_FIELD_RO(CONNECTION, connection_type, SKIT_F_STRING),
    SKIT_FIELD_RO(CONNECTION, connection_provider, SKIT_F_STRING),
    SKIT_FIELD_RO(CONNECTION, organization_id, SKIT_F_STRING),
};
static const skit_schema connection_schema = SKIT_SCHEMA(CONNECTION, "connection detail", connection_fields);

#define REQUEST scalekit_auth_log_request
static const skit_field request_fields[] = {
    SKIT_FIELD_RO(REQUEST, auth_request_id, SKIT_F_STRING),
    SKIT_FIELD_RO(REQUEST, status, SKIT_F_STRING),
    SKIT_FIELD_RO(REQUEST, email, SKIT_F_STRING),
    SKIT_FIELD_RO(REQUEST, organization_id, SKIT_F_STRING),
    SKIT_FIELD_RO(REQUEST, environment_id, SKIT_F_STRING),
    SKIT_FIELD_RO(REQUEST, client_id, SKIT_F_STRING),
    SKIT_FIELD_RO(REQUEST, client_name, SKIT_F_STRING),
    SKIT_FIELD_RO(REQUEST, client_type, SKIT_F_STRING),
    SKIT_FIELD_RO(REQUEST, connection_id, SKIT_F_STRING),
    SKIT_FIELD_RO(REQUEST, connection_type, SKIT_F_STRING),
    SKIT_FIELD_RO(REQUEST, connection_provider, SKIT_F_STRING),
    SKIT_FIELD_ARRAY(REQUEST, connection_details, "connection_details", connection_count, connection_schema),
    SKIT_FIELD_RO(REQUEST, resource_id, SKIT_F_STRING),
    SKIT_FIELD_RO(REQUEST, resource_name, SKIT_F_STRING),
    SKIT_FIELD_RO(REQUEST, resource_type, SKIT_F_STRING),
    SKIT_FIELD_RO(REQUEST, workflow, SKIT_F_STRING),
    SKIT_FIELD_RO(REQUEST, timestamp, SKIT_F_TIMESTAMP),
    SKIT_FIELD_SELF(REQUEST, raw_json),
};
static const skit_schema request_schema = SKIT_SCHEMA(REQUEST, "authentication request", request_fields);

static const skit_field page_fields[] = {
    /* The API names this member in camelCase, unlike every other. */
    SKIT_FIELD_ARRAY(scalekit_auth_log_request_page, items, "authRequests", count, request_schema),
    SKIT_FIELD(scalekit_auth_log_request_page, next_page_token, SKIT_F_STRING),
    SKIT_FIELD(scalekit_auth_log_request_page, prev_page_token, SKIT_F_STRING),
    SKIT_FIELD(scalekit_auth_log_request_page, total_size, SKIT_F_INT64),
    SKIT_FIELD_SELF(scalekit_auth_log_request_page, raw_json),
};
const skit_schema skit_auth_log_request_page_schema =
    SKIT_SCHEMA(scalekit_auth_log_request_page, "authentication request page", page_fields);

#define LIST_OPTS scalekit_auth_log_list_options
static const skit_field list_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(LIST_OPTS, SCALEKIT_AUTH_LOG_LIST_OPTIONS_INIT),
    SKIT_FIELD_NAMED(LIST_OPTS, page_size, "page_size", SKIT_F_UINT32, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_NAMED(LIST_OPTS, page_token, "page_token", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_NAMED(LIST_OPTS, email, "email", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_NAMED(LIST_OPTS, statuses, "status", SKIT_F_STRING_LIST, 0),
    SKIT_FIELD_NAMED(LIST_OPTS, start_time, "start_time", SKIT_F_TIMESTAMP, 0),
    SKIT_FIELD_NAMED(LIST_OPTS, end_time, "end_time", SKIT_F_TIMESTAMP, 0),
    SKIT_FIELD_NAMED(LIST_OPTS, resource_id, "resource_id", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_NAMED(LIST_OPTS, client_id, "client_id", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
};
static const skit_schema list_schema = SKIT_SCHEMA(LIST_OPTS, "scalekit_auth_log_list_options", list_fields);

static const skit_op list_op = { "GET", "/api/v1/logs/authentication/requests", &list_schema, NULL, NULL, NULL,
                                 &skit_auth_log_request_page_schema };

int scalekit_auth_log_list_requests(scalekit_client *client, const LIST_OPTS *opts,
                                    scalekit_auth_log_request_page **out)
{
    return skit_op_call(client, &list_op, opts, (void **)out);
}

int scalekit_auth_log_iterator_new(scalekit_client *client, const LIST_OPTS *opts, scalekit_auth_log_iterator **out)
{
    return skit_op_iterator_new(client, &list_op, opts, (skit_iterator **)out);
}

SKIT_ITERATOR_FUNCTIONS(scalekit_auth_log, scalekit_auth_log_request)

void scalekit_auth_log_request_page_free(scalekit_auth_log_request_page *page) { skit_result_free(page); }
