/* Auth: the user of a custom ("bring your own auth") login (src/core/decode.h). */
#include "api/schemas.h"
#include "scalekit/auth_service.h"

#define USER scalekit_logged_in_user_details
static const skit_field user_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(USER, SCALEKIT_LOGGED_IN_USER_DETAILS_INIT),
    SKIT_FIELD(USER, sub, SKIT_F_STRING),
    SKIT_FIELD(USER, email, SKIT_F_STRING),
    SKIT_FIELD(USER, given_name, SKIT_F_STRING),
    SKIT_FIELD(USER, family_name, SKIT_F_STRING),
    SKIT_FIELD(USER, email_verified, SKIT_F_OPT_BOOL),
    SKIT_FIELD(USER, phone_number, SKIT_F_STRING),
    SKIT_FIELD(USER, phone_number_verified, SKIT_F_OPT_BOOL),
    SKIT_FIELD(USER, name, SKIT_F_STRING),
    SKIT_FIELD(USER, preferred_username, SKIT_F_STRING),
    SKIT_FIELD(USER, picture, SKIT_F_STRING),
    SKIT_FIELD(USER, gender, SKIT_F_STRING),
    SKIT_FIELD(USER, locale, SKIT_F_STRING),
    SKIT_FIELD(USER, groups, SKIT_F_STRING_LIST),
    SKIT_FIELD(USER, custom_attributes, SKIT_F_STRING_MAP),
    SKIT_FIELD(USER, organization_external_id, SKIT_F_STRING),
    SKIT_FIELD(USER, roles, SKIT_F_STRING_LIST),
    SKIT_FIELD(USER, organization_external_name, SKIT_F_STRING),
};
static const skit_schema user_schema = SKIT_SCHEMA(USER, "user", user_fields);

static const skit_op update_op = { "POST", "/api/v1/connections/{connection_id}/auth-requests/{login_request_id}/user",
                                   NULL, &user_schema, "user", NULL, NULL };

int scalekit_auth_update_login_user_details(scalekit_client *client, const char *connection_id,
                                            const char *login_request_id, const USER *user)
{
    return skit_op_call(client, &update_op, user, NULL, connection_id, login_request_id);
}
