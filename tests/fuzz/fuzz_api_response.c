/*
 * Arbitrary bytes as an API response body, decoded with every service's result
 * table exactly as the methods do (member lookup, then the table-driven
 * decoder), then every decoded field is read back through the same table so
 * ASan sees any dangling or unterminated value, and re-encoded. The same bytes
 * also go through the error-body decoder, as the answer of a failed call.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/schemas.h"

static size_t sink;

static void touch_string(const void *base, size_t offset)
{
    const char *s;
    memcpy(&s, (const char *)base + offset, sizeof s);
    if (s)
        sink += strlen(s);
}

static void touch(const skit_schema *schema, const void *obj)
{
    for (size_t i = 0; i < schema->field_count; i++) {
        const skit_field *f = &schema->fields[i];
        const char *at = (const char *)obj + f->offset;
        /* Only pointer members are read as a pointer: a bool at a struct's end has no 8 bytes after it. */
        const void *p = NULL;
        if (f->type == SKIT_F_OPT_BOOL || f->type == SKIT_F_OPT_INT32 || f->type == SKIT_F_OPT_INT64 ||
            f->type == SKIT_F_STRING_LIST || f->type == SKIT_F_OBJECT_PTR || f->type == SKIT_F_ARRAY)
            memcpy(&p, at, sizeof p);
        switch (f->type) {
        case SKIT_F_STRING:
        case SKIT_F_RAW_JSON:
        case SKIT_F_SELF_JSON:
            touch_string(obj, f->offset);
            break;
        case SKIT_F_BOOL:
            sink += *(const bool *)at;
            break;
        case SKIT_F_OPT_BOOL:
            sink += p ? *(const bool *)p : 0;
            break;
        case SKIT_F_OPT_INT32:
            sink += p ? (size_t)*(const int32_t *)p : 0;
            break;
        case SKIT_F_OPT_INT64:
            sink += p ? (size_t)*(const int64_t *)p : 0;
            break;
        case SKIT_F_INT32:
        case SKIT_F_UINT32:
        case SKIT_F_STRUCT_SIZE:
        case SKIT_F_INT64:
        case SKIT_F_TIMESTAMP:
            sink += (unsigned char)*at;
            break;
        case SKIT_F_STRING_LIST:
            for (const char *const *l = p; l && *l; l++)
                sink += strlen(*l);
            break;
        case SKIT_F_STRING_MAP: {
            scalekit_string_map map;
            memcpy(&map, at, sizeof map);
            for (size_t j = 0; j < map.count; j++)
                sink += strlen(map.entries[j].name) + strlen(map.entries[j].value);
            break;
        }
        case SKIT_F_OBJECT:
            touch(f->schema, at);
            break;
        case SKIT_F_OBJECT_PTR:
            if (p)
                touch(f->schema, p);
            break;
        case SKIT_F_ARRAY: {
            size_t count;
            memcpy(&count, (const char *)obj + f->count_offset, sizeof count);
            for (size_t j = 0; j < count; j++)
                touch(f->schema, ((const void *const *)p)[j]);
            break;
        }
        }
    }
}

static void decode_member(const json_t *body, const char *raw, const char *member,
                          const skit_schema *schema)
{
    const json_t *obj = member ? json_object_get(body, member) : body;
    if (!json_is_object(obj))
        return;
    void *result = NULL;
    if (skit_decode_new(schema, obj, raw, &result) != SCALEKIT_OK)
        return;
    touch(schema, result);
    json_t *again = NULL;
    if (skit_encode(schema, result, &again) == SCALEKIT_OK)
        json_decref(again);
    skit_result_free(result);
}

/* The error decoder reads the API's and OAuth's error bodies, or any other text. */
static void decode_error(const uint8_t *data, size_t size)
{
    (void)skit_error_from_response(400, (const char *)data, size, "req-fuzz");
    const scalekit_error *e = scalekit_error_last();
    if (e->message)
        sink += strlen(e->message);
    if (e->error_code)
        sink += strlen(e->error_code);
    if (e->request_id)
        sink += strlen(e->request_id);
    for (size_t i = 0; i < e->field_violation_count; i++) {
        const scalekit_field_violation *v = &e->field_violations[i];
        sink += (v->field ? strlen(v->field) : 0) + (v->description ? strlen(v->description) : 0) +
                (v->constraint ? strlen(v->constraint) : 0);
    }
    scalekit_error_clear();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    decode_error(data, size);
    json_t *body = skit_json_parse_object((const char *)data, size);
    if (!body) {
        scalekit_error_clear();
        return 0;
    }
    char *raw = malloc(size + 1);
    if (raw) {
        memcpy(raw, data, size);
        raw[size] = '\0';
    }
    decode_member(body, raw, "organization", &skit_organization_schema);
    decode_member(body, raw, NULL, &skit_organization_page_schema);
    decode_member(body, NULL, "link", &skit_organization_portal_link_schema);
    decode_member(body, raw, "settings", &skit_organization_user_management_schema);
    decode_member(body, NULL, "policy", &skit_organization_session_policy_schema);
    decode_member(body, raw, "user", &skit_user_schema);
    decode_member(body, raw, NULL, &skit_user_page_schema);
    decode_member(body, NULL, "invite", &skit_user_invite_schema);
    decode_member(body, raw, NULL, &skit_user_role_list_schema);
    decode_member(body, NULL, NULL, &skit_user_permission_list_schema);
    decode_member(body, raw, NULL, &skit_session_schema);
    decode_member(body, NULL, "revoked_session", &skit_session_schema);
    decode_member(body, raw, NULL, &skit_session_page_schema);
    decode_member(body, raw, NULL, &skit_session_revocation_schema);
    decode_member(body, raw, "domain", &skit_domain_schema);
    decode_member(body, raw, NULL, &skit_domain_page_schema);
    decode_member(body, raw, "role", &skit_role_schema);
    decode_member(body, raw, NULL, &skit_role_list_schema);
    decode_member(body, raw, NULL, &skit_role_defaults_schema);
    decode_member(body, raw, NULL, &skit_role_users_count_schema);
    decode_member(body, raw, "permission", &skit_permission_schema);
    decode_member(body, raw, NULL, &skit_permission_list_schema);
    decode_member(body, raw, NULL, &skit_permission_page_schema);
    decode_member(body, raw, "connection", &skit_connection_schema);
    decode_member(body, raw, NULL, &skit_connection_list_schema);
    decode_member(body, raw, NULL, &skit_connection_toggle_schema);
    decode_member(body, raw, "client", &skit_m2m_client_schema);
    decode_member(body, raw, NULL, &skit_m2m_client_page_schema);
    decode_member(body, raw, NULL, &skit_m2m_client_created_schema);
    decode_member(body, raw, NULL, &skit_m2m_client_secret_created_schema);
    decode_member(body, NULL, "secret", &skit_m2m_client_secret_schema);
    decode_member(body, raw, NULL, &skit_auth_log_request_page_schema);
    decode_member(body, raw, "credential", &skit_webauthn_credential_schema);
    decode_member(body, raw, NULL, &skit_webauthn_credential_list_schema);
    decode_member(body, raw, NULL, &skit_webauthn_delete_credential_schema);
    decode_member(body, raw, NULL, &skit_webauthn_options_schema);
    decode_member(body, raw, NULL, &skit_webauthn_registration_schema);
    decode_member(body, raw, NULL, &skit_webauthn_authentication_schema);
    decode_member(body, raw, NULL, &skit_passwordless_send_response_schema);
    decode_member(body, raw, NULL, &skit_passwordless_verify_response_schema);
    decode_member(body, raw, "directory", &skit_directory_schema);
    decode_member(body, raw, NULL, &skit_directories_schema);
    decode_member(body, raw, NULL, &skit_directory_user_page_schema);
    decode_member(body, raw, NULL, &skit_directory_group_page_schema);
    decode_member(body, raw, NULL, &skit_directory_toggle_schema);
    decode_member(body, raw, NULL, &skit_directory_new_secret_schema);
    free(raw);
    json_decref(body);
    scalekit_error_clear();
    return 0;
}
