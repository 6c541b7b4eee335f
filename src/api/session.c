/*
 * Sessions: field tables and one operation per method (the machinery is
 * src/core/decode.h's). A revoked session decodes with the session table:
 * its members are a subset of a session's.
 */
#include "api/schemas.h"

/* ---- result tables ------------------------------------------------------- */

#define LOCATION scalekit_session_location
static const skit_field location_fields[] = {
    SKIT_FIELD(LOCATION, region, SKIT_F_STRING),
    SKIT_FIELD(LOCATION, region_subdivision, SKIT_F_STRING),
    SKIT_FIELD(LOCATION, city, SKIT_F_STRING),
    SKIT_FIELD(LOCATION, latitude, SKIT_F_STRING),
    SKIT_FIELD(LOCATION, longitude, SKIT_F_STRING),
};
static const skit_schema location_schema = SKIT_SCHEMA(LOCATION, "location", location_fields);

#define DEVICE scalekit_session_device
static const skit_field device_fields[] = {
    SKIT_FIELD(DEVICE, user_agent, SKIT_F_STRING),
    SKIT_FIELD(DEVICE, ip, SKIT_F_STRING),
    SKIT_FIELD(DEVICE, browser, SKIT_F_STRING),
    SKIT_FIELD(DEVICE, browser_version, SKIT_F_STRING),
    SKIT_FIELD(DEVICE, os, SKIT_F_STRING),
    SKIT_FIELD(DEVICE, os_version, SKIT_F_STRING),
    SKIT_FIELD(DEVICE, device_type, SKIT_F_STRING),
    SKIT_FIELD_OBJECT(DEVICE, location, SKIT_F_OBJECT_PTR, location_schema),
};
static const skit_schema device_schema = SKIT_SCHEMA(DEVICE, "device", device_fields);

#define CLIENT scalekit_session_authenticated_client
static const skit_field client_fields[] = {
    SKIT_FIELD(CLIENT, client_id, SKIT_F_STRING),
    SKIT_FIELD(CLIENT, organization_id, SKIT_F_STRING),
};
static const skit_schema client_schema = SKIT_SCHEMA(CLIENT, "authenticated client", client_fields);

#define SESSION scalekit_session
static const skit_field session_fields[] = {
    SKIT_FIELD(SESSION, session_id, SKIT_F_STRING),
    SKIT_FIELD(SESSION, user_id, SKIT_F_STRING),
    SKIT_FIELD(SESSION, organization_id, SKIT_F_STRING),
    SKIT_FIELD(SESSION, status, SKIT_F_STRING),
    SKIT_FIELD(SESSION, authenticated_organizations, SKIT_F_STRING_LIST),
    SKIT_FIELD_ARRAY(SESSION, authenticated_clients, "authenticated_clients",
                     authenticated_client_count, client_schema),
    SKIT_FIELD_OBJECT(SESSION, device, SKIT_F_OBJECT_PTR, device_schema),
    SKIT_FIELD(SESSION, created_at, SKIT_F_TIMESTAMP),
    SKIT_FIELD(SESSION, updated_at, SKIT_F_TIMESTAMP),
    SKIT_FIELD(SESSION, last_active_at, SKIT_F_TIMESTAMP),
    SKIT_FIELD(SESSION, idle_expires_at, SKIT_F_TIMESTAMP),
    SKIT_FIELD(SESSION, absolute_expires_at, SKIT_F_TIMESTAMP),
    SKIT_FIELD(SESSION, expired_at, SKIT_F_TIMESTAMP),
    SKIT_FIELD(SESSION, logout_at, SKIT_F_TIMESTAMP),
    SKIT_FIELD_SELF(SESSION, raw_json),
};
const skit_schema skit_session_schema = SKIT_SCHEMA(SESSION, "session", session_fields);

static const skit_field page_fields[] = {
    SKIT_FIELD_ARRAY(scalekit_session_page, items, "sessions", count, skit_session_schema),
    SKIT_FIELD(scalekit_session_page, next_page_token, SKIT_F_STRING),
    SKIT_FIELD(scalekit_session_page, prev_page_token, SKIT_F_STRING),
    SKIT_FIELD(scalekit_session_page, total_size, SKIT_F_INT64),
    SKIT_FIELD_SELF(scalekit_session_page, raw_json),
};
const skit_schema skit_session_page_schema =
    SKIT_SCHEMA(scalekit_session_page, "session page", page_fields);

#define REVOCATION scalekit_session_revocation
static const skit_field revocation_fields[] = {
    SKIT_FIELD_ARRAY(REVOCATION, items, "revoked_sessions", count, skit_session_schema),
    SKIT_FIELD(REVOCATION, total_revoked, SKIT_F_INT64),
    SKIT_FIELD_SELF(REVOCATION, raw_json),
};
const skit_schema skit_session_revocation_schema =
    SKIT_SCHEMA(REVOCATION, "revoked sessions", revocation_fields);

/* ---- the list options: paging, then the API's filter.* parameters -------- */

#define LIST_OPTS scalekit_session_list_options
static const skit_field list_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(LIST_OPTS, SCALEKIT_SESSION_LIST_OPTIONS_INIT),
    SKIT_FIELD_NAMED(LIST_OPTS, page_size, "page_size", SKIT_F_UINT32, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD(LIST_OPTS, page_token, SKIT_F_STRING),
    SKIT_FIELD_NAMED(LIST_OPTS, status, "filter.status", SKIT_F_STRING_LIST, 0),
    SKIT_FIELD_NAMED(LIST_OPTS, start_time, "filter.start_time", SKIT_F_TIMESTAMP, 0),
    SKIT_FIELD_NAMED(LIST_OPTS, end_time, "filter.end_time", SKIT_F_TIMESTAMP, 0),
};
static const skit_schema list_schema =
    SKIT_SCHEMA(LIST_OPTS, "scalekit_session_list_options", list_fields);

/* ---- operations: method, path, query, body, required input, member, result ---- */

#define SESSIONS "/api/v1/sessions/{session_id}"
#define USER_SESSIONS "/api/v1/users/{user_id}/sessions"
static const skit_op get_op = { "GET", SESSIONS, NULL, NULL, NULL, NULL, &skit_session_schema };
static const skit_op list_op = { "GET", USER_SESSIONS, &list_schema, NULL, NULL, NULL,
                                 &skit_session_page_schema };
static const skit_op revoke_op = { "POST", SESSIONS "/revoke", NULL, NULL, NULL,
                                   "revoked_session", &skit_session_schema };
static const skit_op revoke_all_op = { "POST", USER_SESSIONS "/revoke", NULL, NULL, NULL, NULL,
                                       &skit_session_revocation_schema };

/* ---- methods ------------------------------------------------------------- */

int scalekit_session_get(scalekit_client *client, const char *session_id, scalekit_session **out)
{
    return skit_op_call(client, &get_op, NULL, (void **)out, session_id);
}

int scalekit_session_get_user_sessions(scalekit_client *client, const char *user_id,
                                       const LIST_OPTS *opts, scalekit_session_page **out)
{
    return skit_op_call(client, &list_op, opts, (void **)out, user_id);
}

int scalekit_session_revoke(scalekit_client *client, const char *session_id,
                            scalekit_session **out)
{
    return skit_op_call(client, &revoke_op, NULL, (void **)out, session_id);
}

int scalekit_session_revoke_all_user_sessions(scalekit_client *client, const char *user_id,
                                              scalekit_session_revocation **out)
{
    return skit_op_call(client, &revoke_all_op, NULL, (void **)out, user_id);
}

int scalekit_session_iterator_new(scalekit_client *client, const char *user_id,
                                  const LIST_OPTS *opts, scalekit_session_iterator **out)
{
    return skit_op_iterator_new(client, &list_op, opts, (skit_iterator **)out, user_id);
}

SKIT_ITERATOR_FUNCTIONS(scalekit_session, scalekit_session)

void scalekit_session_free(scalekit_session *session) { skit_result_free(session); }
void scalekit_session_page_free(scalekit_session_page *page) { skit_result_free(page); }
void scalekit_session_revocation_free(scalekit_session_revocation *revocation)
{
    skit_result_free(revocation);
}
