/*
 * Typed webhook events (scalekit/event.h). Two tables drive it: the 32 event
 * types with their family, and per family which member of the data goes into
 * which pointer of scalekit_event with which field table. The tables of the
 * API results (src/api/schemas.h) decode the shapes the API shares with its
 * methods; the four shapes only events carry have their tables here.
 */
#include "api/schemas.h"
#include "core/core.h"
#include "core/decode.h"
#include "scalekit/event.h"
#include "scalekit/webhook.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* A delivery is an event, not a bulk export: bigger bodies are refused unread. */
#define EVENT_MAX_BYTES (1024u * 1024u)

static const struct {
    const char *name;
    scalekit_event_type type;
    scalekit_event_family family;
} event_types[] = {
    {"organization.created", SCALEKIT_EVENT_ORGANIZATION_CREATED, SCALEKIT_EVENT_FAMILY_ORGANIZATION},
    {"organization.updated", SCALEKIT_EVENT_ORGANIZATION_UPDATED, SCALEKIT_EVENT_FAMILY_ORGANIZATION},
    {"organization.deleted", SCALEKIT_EVENT_ORGANIZATION_DELETED, SCALEKIT_EVENT_FAMILY_ORGANIZATION},
    {"organization.domain_created", SCALEKIT_EVENT_DOMAIN_CREATED, SCALEKIT_EVENT_FAMILY_DOMAIN},
    {"organization.domain_deleted", SCALEKIT_EVENT_DOMAIN_DELETED, SCALEKIT_EVENT_FAMILY_DOMAIN},
    {"organization.domain_dns_verification_success", SCALEKIT_EVENT_DOMAIN_DNS_VERIFICATION_SUCCESS,
     SCALEKIT_EVENT_FAMILY_DOMAIN},
    {"organization.domain_dns_verification_failed", SCALEKIT_EVENT_DOMAIN_DNS_VERIFICATION_FAILED,
     SCALEKIT_EVENT_FAMILY_DOMAIN},
    {"user.signup", SCALEKIT_EVENT_USER_SIGNUP, SCALEKIT_EVENT_FAMILY_MEMBERSHIP},
    {"user.login", SCALEKIT_EVENT_USER_LOGIN, SCALEKIT_EVENT_FAMILY_USER_AUTH},
    {"user.logout", SCALEKIT_EVENT_USER_LOGOUT, SCALEKIT_EVENT_FAMILY_USER_AUTH},
    {"user.organization_invitation", SCALEKIT_EVENT_USER_ORGANIZATION_INVITATION, SCALEKIT_EVENT_FAMILY_MEMBERSHIP},
    {"user.organization_membership_created", SCALEKIT_EVENT_MEMBERSHIP_CREATED, SCALEKIT_EVENT_FAMILY_MEMBERSHIP},
    {"user.organization_membership_deleted", SCALEKIT_EVENT_MEMBERSHIP_DELETED, SCALEKIT_EVENT_FAMILY_MEMBERSHIP},
    {"user.organization_membership_updated", SCALEKIT_EVENT_MEMBERSHIP_UPDATED, SCALEKIT_EVENT_FAMILY_MEMBERSHIP},
    {"organization.directory_enabled", SCALEKIT_EVENT_DIRECTORY_ENABLED, SCALEKIT_EVENT_FAMILY_DIRECTORY},
    {"organization.directory_disabled", SCALEKIT_EVENT_DIRECTORY_DISABLED, SCALEKIT_EVENT_FAMILY_DIRECTORY},
    {"organization.directory.user_created", SCALEKIT_EVENT_DIRECTORY_USER_CREATED,
     SCALEKIT_EVENT_FAMILY_DIRECTORY_USER},
    {"organization.directory.user_updated", SCALEKIT_EVENT_DIRECTORY_USER_UPDATED,
     SCALEKIT_EVENT_FAMILY_DIRECTORY_USER},
    {"organization.directory.user_deleted", SCALEKIT_EVENT_DIRECTORY_USER_DELETED,
     SCALEKIT_EVENT_FAMILY_DIRECTORY_USER},
    {"organization.directory.group_created", SCALEKIT_EVENT_DIRECTORY_GROUP_CREATED,
     SCALEKIT_EVENT_FAMILY_DIRECTORY_GROUP},
    {"organization.directory.group_updated", SCALEKIT_EVENT_DIRECTORY_GROUP_UPDATED,
     SCALEKIT_EVENT_FAMILY_DIRECTORY_GROUP},
    {"organization.directory.group_deleted", SCALEKIT_EVENT_DIRECTORY_GROUP_DELETED,
     SCALEKIT_EVENT_FAMILY_DIRECTORY_GROUP},
    {"organization.sso_created", SCALEKIT_EVENT_SSO_CREATED, SCALEKIT_EVENT_FAMILY_CONNECTION},
    {"organization.sso_enabled", SCALEKIT_EVENT_SSO_ENABLED, SCALEKIT_EVENT_FAMILY_CONNECTION},
    {"organization.sso_disabled", SCALEKIT_EVENT_SSO_DISABLED, SCALEKIT_EVENT_FAMILY_CONNECTION},
    {"organization.sso_deleted", SCALEKIT_EVENT_SSO_DELETED, SCALEKIT_EVENT_FAMILY_CONNECTION},
    {"role.created", SCALEKIT_EVENT_ROLE_CREATED, SCALEKIT_EVENT_FAMILY_ROLE},
    {"role.updated", SCALEKIT_EVENT_ROLE_UPDATED, SCALEKIT_EVENT_FAMILY_ROLE},
    {"role.deleted", SCALEKIT_EVENT_ROLE_DELETED, SCALEKIT_EVENT_FAMILY_ROLE},
    {"permission.created", SCALEKIT_EVENT_PERMISSION_CREATED, SCALEKIT_EVENT_FAMILY_PERMISSION},
    {"permission.updated", SCALEKIT_EVENT_PERMISSION_UPDATED, SCALEKIT_EVENT_FAMILY_PERMISSION},
    {"permission.deleted", SCALEKIT_EVENT_PERMISSION_DELETED, SCALEKIT_EVENT_FAMILY_PERMISSION},
};
#define EVENT_TYPE_COUNT (sizeof event_types / sizeof event_types[0])

/* ---- the data shapes only events carry ----------------------------------- */

static const skit_field connection_fields[] = {
    SKIT_FIELD(scalekit_event_connection, id, SKIT_F_STRING),
    SKIT_FIELD(scalekit_event_connection, organization_id, SKIT_F_STRING),
    SKIT_FIELD(scalekit_event_connection, connection_type, SKIT_F_STRING),
    SKIT_FIELD(scalekit_event_connection, provider, SKIT_F_STRING),
    SKIT_FIELD(scalekit_event_connection, enabled, SKIT_F_BOOL),
    SKIT_FIELD(scalekit_event_connection, status, SKIT_F_STRING),
    SKIT_FIELD_SELF(scalekit_event_connection, raw_json),
};
static const skit_schema connection_schema = SKIT_SCHEMA(scalekit_event_connection, "connection", connection_fields);

static const skit_field directory_fields[] = {
    SKIT_FIELD(scalekit_event_directory, id, SKIT_F_STRING),
    SKIT_FIELD(scalekit_event_directory, organization_id, SKIT_F_STRING),
    SKIT_FIELD(scalekit_event_directory, directory_type, SKIT_F_STRING),
    SKIT_FIELD(scalekit_event_directory, provider, SKIT_F_STRING),
    SKIT_FIELD(scalekit_event_directory, enabled, SKIT_F_BOOL),
    SKIT_FIELD(scalekit_event_directory, updated_at, SKIT_F_TIMESTAMP),
    SKIT_FIELD_SELF(scalekit_event_directory, raw_json),
};
static const skit_schema directory_schema = SKIT_SCHEMA(scalekit_event_directory, "directory", directory_fields);

static const skit_field user_group_fields[] = {
    SKIT_FIELD(scalekit_event_directory_user_group, id, SKIT_F_STRING),
    SKIT_FIELD(scalekit_event_directory_user_group, name, SKIT_F_STRING),
};
static const skit_schema user_group_schema =
    SKIT_SCHEMA(scalekit_event_directory_user_group, "group", user_group_fields);

static const skit_field user_role_fields[] = {
    SKIT_FIELD(scalekit_event_directory_user_role, role_name, SKIT_F_STRING),
};
static const skit_schema user_role_schema = SKIT_SCHEMA(scalekit_event_directory_user_role, "role", user_role_fields);

#define DU(member, type) SKIT_FIELD(scalekit_event_directory_user, member, type)
static const skit_field directory_user_fields[] = {
    DU(id, SKIT_F_STRING), DU(organization_id, SKIT_F_STRING), DU(active, SKIT_F_BOOL),
    DU(email, SKIT_F_STRING), DU(given_name, SKIT_F_STRING), DU(family_name, SKIT_F_STRING),
    DU(name, SKIT_F_STRING), DU(preferred_username, SKIT_F_STRING), DU(dp_id, SKIT_F_STRING),
    DU(employee_id, SKIT_F_STRING), DU(department, SKIT_F_STRING), DU(cost_center, SKIT_F_STRING),
    DU(division, SKIT_F_STRING), DU(title, SKIT_F_STRING), DU(user_type, SKIT_F_STRING),
    DU(phone_number, SKIT_F_STRING), DU(language, SKIT_F_STRING), DU(locale, SKIT_F_STRING),
    DU(zoneinfo, SKIT_F_STRING), DU(organization, SKIT_F_STRING), DU(nickname, SKIT_F_STRING),
    DU(profile, SKIT_F_STRING), DU(picture, SKIT_F_STRING),
    SKIT_FIELD_ARRAY(scalekit_event_directory_user, groups, "groups", group_count, user_group_schema),
    SKIT_FIELD_ARRAY(scalekit_event_directory_user, roles, "roles", role_count, user_role_schema),
    DU(custom_attributes, SKIT_F_RAW_JSON), DU(raw_attributes, SKIT_F_RAW_JSON), DU(address, SKIT_F_RAW_JSON),
    SKIT_FIELD_SELF(scalekit_event_directory_user, raw_json),
};
#undef DU
static const skit_schema directory_user_schema =
    SKIT_SCHEMA(scalekit_event_directory_user, "directory user", directory_user_fields);

static const skit_field directory_group_fields[] = {
    SKIT_FIELD(scalekit_event_directory_group, id, SKIT_F_STRING),
    SKIT_FIELD(scalekit_event_directory_group, organization_id, SKIT_F_STRING),
    SKIT_FIELD(scalekit_event_directory_group, directory_id, SKIT_F_STRING),
    SKIT_FIELD(scalekit_event_directory_group, display_name, SKIT_F_STRING),
    SKIT_FIELD(scalekit_event_directory_group, external_id, SKIT_F_STRING),
    SKIT_FIELD(scalekit_event_directory_group, dp_id, SKIT_F_STRING),
    SKIT_FIELD(scalekit_event_directory_group, raw_attributes, SKIT_F_RAW_JSON),
    SKIT_FIELD_SELF(scalekit_event_directory_group, raw_json),
};
static const skit_schema directory_group_schema =
    SKIT_SCHEMA(scalekit_event_directory_group, "directory group", directory_group_fields);

/* ---- which data goes where ------------------------------------------------ */

/* One object of the data: its member (NULL: the data itself), the event's pointer, the table. */
typedef struct data_part {
    const char *member;
    size_t offset;
    const skit_schema *schema;
} data_part;

#define PART(member, field, schema) {(member), offsetof(scalekit_event, field), &(schema)}
static const struct {
    scalekit_event_family family;
    data_part parts[2];
} family_parts[] = {
    {SCALEKIT_EVENT_FAMILY_ORGANIZATION, {PART(NULL, organization, skit_organization_schema)}},
    {SCALEKIT_EVENT_FAMILY_DOMAIN, {PART(NULL, domain, skit_domain_schema)}},
    {SCALEKIT_EVENT_FAMILY_MEMBERSHIP, {PART("organization", organization, skit_organization_schema),
                                        PART("user", user, skit_user_schema)}},
    {SCALEKIT_EVENT_FAMILY_USER_AUTH, {PART("user", user, skit_user_schema),
                                       PART("user_session", session, skit_session_schema)}},
    {SCALEKIT_EVENT_FAMILY_DIRECTORY, {PART(NULL, directory, directory_schema)}},
    {SCALEKIT_EVENT_FAMILY_DIRECTORY_USER, {PART(NULL, directory_user, directory_user_schema)}},
    {SCALEKIT_EVENT_FAMILY_DIRECTORY_GROUP, {PART(NULL, directory_group, directory_group_schema)}},
    {SCALEKIT_EVENT_FAMILY_CONNECTION, {PART(NULL, connection, connection_schema)}},
    {SCALEKIT_EVENT_FAMILY_ROLE, {PART(NULL, role, skit_role_schema)}},
    {SCALEKIT_EVENT_FAMILY_PERMISSION, {PART(NULL, permission, skit_permission_schema)}},
};
#undef PART

static const skit_field envelope_fields[] = {
    SKIT_FIELD(scalekit_event, id, SKIT_F_STRING),
    SKIT_FIELD(scalekit_event, type, SKIT_F_STRING),
    SKIT_FIELD(scalekit_event, spec_version, SKIT_F_STRING),
    SKIT_FIELD(scalekit_event, environment_id, SKIT_F_STRING),
    SKIT_FIELD(scalekit_event, organization_id, SKIT_F_STRING),
    SKIT_FIELD(scalekit_event, object, SKIT_F_STRING),
    SKIT_FIELD(scalekit_event, display_name, SKIT_F_STRING),
    SKIT_FIELD(scalekit_event, occurred_at, SKIT_F_TIMESTAMP),
    SKIT_FIELD_NAMED(scalekit_event, data_json, "data", SKIT_F_RAW_JSON, 0),
    SKIT_FIELD_SELF(scalekit_event, raw_json),
};
static const skit_schema envelope_schema = SKIT_SCHEMA(scalekit_event, "event", envelope_fields);

/* Decode the family's objects of @p data into @p ev's pointers (an absent or non-object one stays NULL). */
static int decode_data(scalekit_event *ev, const json_t *data)
{
    for (size_t i = 0; i < sizeof family_parts / sizeof family_parts[0]; i++) {
        if (family_parts[i].family != ev->family)
            continue;
        for (size_t p = 0; p < 2 && family_parts[i].parts[p].schema; p++) {
            const data_part *part = &family_parts[i].parts[p];
            const json_t *obj = part->member ? json_object_get(data, part->member) : data;
            if (!json_is_object(obj))
                continue;
            void *item = skit_result_alloc(ev, part->schema->size);
            if (!item || skit_decode(ev, part->schema, obj, item) != SCALEKIT_OK)
                return skit_error_oom();
            memcpy((char *)ev + part->offset, &item, sizeof item);
        }
    }
    return SCALEKIT_OK;
}

int scalekit_event_decode(const char *payload, size_t payload_len, scalekit_event **out)
{
    skit_error_reset();
    if (skit_check_out(out, "out") != SCALEKIT_OK)
        return SCALEKIT_EINVAL;
    if (!payload || payload_len == 0)
        return skit_error_set(SCALEKIT_EINVAL, "payload must not be empty");
    if (payload_len > EVENT_MAX_BYTES)
        return skit_error_set(SCALEKIT_EINVAL, "payload is %zu bytes; an event is at most %u",
                              payload_len, EVENT_MAX_BYTES);
    /* JSON text holds no NUL byte; jansson would stop reading at one and accept
     * the prefix, and raw_json could then not be the body byte for byte. */
    if (memchr(payload, '\0', payload_len))
        return skit_error_set(SCALEKIT_EMALFORMED_RESPONSE, "the event is not JSON: it holds a NUL byte");
    json_error_t jerr;
    json_t *root = json_loadb(payload, payload_len, JSON_REJECT_DUPLICATES, &jerr);
    const json_t *type = json_object_get(root, "type");
    if (!json_is_object(root) || !json_is_string(type)) {
        int rc = skit_error_set(SCALEKIT_EMALFORMED_RESPONSE, "the event is %s",
                                !root ? "not JSON" : !json_is_object(root) ? "not a JSON object"
                                                                              : "missing its string \"type\"");
        json_decref(root);
        return rc;
    }
    /* raw_json is the body as delivered, not re-serialised. */
    char *raw = malloc(payload_len + 1);
    if (raw) {
        memcpy(raw, payload, payload_len);
        raw[payload_len] = '\0';
    }
    scalekit_event *ev = NULL;
    int rc = raw ? skit_decode_new(&envelope_schema, root, raw, (void **)&ev) : skit_error_oom();
    free(raw);
    if (rc == SCALEKIT_OK) {
        for (size_t i = 0; i < EVENT_TYPE_COUNT; i++) {
            if (strcmp(event_types[i].name, json_string_value(type)) == 0) {
                ev->event_type = event_types[i].type;
                ev->family = event_types[i].family;
                break;
            }
        }
        rc = decode_data(ev, json_object_get(root, "data"));
    }
    json_decref(root);
    if (rc != SCALEKIT_OK) {
        skit_result_free(ev);
        return rc;
    }
    *out = ev;
    return SCALEKIT_OK;
}

int scalekit_event_verify_and_decode(scalekit_client *client, const char *secret, const scalekit_header *headers,
                                     size_t n_headers, const char *payload, size_t payload_len,
                                     scalekit_event **out)
{
    if (skit_check_out(out, "out") != SCALEKIT_OK)
        return SCALEKIT_EINVAL;
    int rc = scalekit_verify_webhook_payload(client, secret, headers, n_headers, payload, payload_len);
    return rc == SCALEKIT_OK ? scalekit_event_decode(payload, payload_len, out) : rc;
}

const char *scalekit_event_type_name(scalekit_event_type type)
{
    for (size_t i = 0; i < EVENT_TYPE_COUNT; i++)
        if (event_types[i].type == type)
            return event_types[i].name;
    return "unknown";
}

void scalekit_event_free(scalekit_event *event)
{
    skit_result_free(event);
}
