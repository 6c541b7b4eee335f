/* Auth().UpdateLoginUserDetails against the scripted mock server: the request on
 * the wire byte for byte (every member of the user, ids needing escapes), the
 * C-level refusals that send nothing, and the server's errors decoded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "scalekit/scalekit.h"
#include "mock_client.h"

#define USER_PATH "/api/v1/connections/conn_1/auth-requests/lr_1/user"

static void sends_every_member_in_order(void **state)
{
    mock_client *f = *state;
    mock_http_enqueue(f->mock, "POST", USER_PATH, 200, "{}");
    static const char *const groups[] = {"engineering", "admins", NULL};
    static const char *const roles[] = {"admin", NULL};
    static const scalekit_header attrs[] = {{"employee_id", "E-42"}, {"team", "core"}};
    bool verified = true, phone_verified = false;
    scalekit_logged_in_user_details u = SCALEKIT_LOGGED_IN_USER_DETAILS_INIT;
    u.sub = "app-user-7";
    u.email = "ada@acme.example";
    u.given_name = "Ada";
    u.family_name = "Lovelace";
    u.email_verified = &verified;
    u.phone_number = "+15550100";
    u.phone_number_verified = &phone_verified;
    u.name = "Ada Lovelace";
    u.preferred_username = "ada";
    u.picture = "https://acme.example/ada.png";
    u.gender = "female";
    u.locale = "en-GB";
    u.groups = groups;
    u.custom_attributes = (scalekit_string_map){attrs, 2};
    u.organization_external_id = "acme-1";
    u.roles = roles;
    u.organization_external_name = "Acme";
    assert_int_equal(scalekit_auth_update_login_user_details(f->client, "conn_1", "lr_1", &u), SCALEKIT_OK);
    mock_assert_request(f->mock, USER_PATH, 0, "POST", "",
                        "{\"sub\":\"app-user-7\",\"email\":\"ada@acme.example\",\"given_name\":\"Ada\","
                        "\"family_name\":\"Lovelace\",\"email_verified\":true,\"phone_number\":\"+15550100\","
                        "\"phone_number_verified\":false,\"name\":\"Ada Lovelace\",\"preferred_username\":\"ada\","
                        "\"picture\":\"https://acme.example/ada.png\",\"gender\":\"female\",\"locale\":\"en-GB\","
                        "\"groups\":[\"engineering\",\"admins\"],"
                        "\"custom_attributes\":{\"employee_id\":\"E-42\",\"team\":\"core\"},"
                        "\"organization_external_id\":\"acme-1\",\"roles\":[\"admin\"],"
                        "\"organization_external_name\":\"Acme\"}");

    /* Only what is set is sent; ids are one escaped path segment each. */
    const char *odd = "/api/v1/connections/conn%201/auth-requests/lr%2F2%3Ax/user";
    mock_http_enqueue(f->mock, "POST", odd, 200, "{}");
    scalekit_logged_in_user_details min = SCALEKIT_LOGGED_IN_USER_DETAILS_INIT;
    min.email = "bob@acme.example";
    assert_int_equal(scalekit_auth_update_login_user_details(f->client, "conn 1", "lr/2:x", &min), SCALEKIT_OK);
    mock_assert_request(f->mock, odd, 0, "POST", "", "{\"email\":\"bob@acme.example\"}");
}

static void refusals_send_nothing(void **state)
{
    mock_client *f = *state;
    scalekit_logged_in_user_details u = SCALEKIT_LOGGED_IN_USER_DETAILS_INIT;
    u.email = "ada@acme.example";
    scalekit_logged_in_user_details unset = {0};
    assert_int_equal(scalekit_auth_update_login_user_details(f->client, "", "lr_1", &u), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "connection_id must not be empty");
    assert_int_equal(scalekit_auth_update_login_user_details(f->client, "conn_1", NULL, &u), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "login_request_id must not be empty");
    assert_int_equal(scalekit_auth_update_login_user_details(f->client, "conn_1", "..", &u), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_auth_update_login_user_details(f->client, "conn_1", "lr_1", NULL), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "user must not be NULL");
    assert_int_equal(scalekit_auth_update_login_user_details(f->client, "conn_1", "lr_1", &unset), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "user.struct_size is 0: "
                        "initialise the struct with SCALEKIT_LOGGED_IN_USER_DETAILS_INIT");
    u.email = "\xc3(";
    assert_int_equal(scalekit_auth_update_login_user_details(f->client, "conn_1", "lr_1", &u), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "user.email is not valid UTF-8");
    assert_int_equal(mock_http_request_count(f->mock), 0);
}

static void server_errors_are_decoded(void **state)
{
    mock_client *f = *state;
    mock_http_enqueue(f->mock, "POST", USER_PATH, 404,
                      "{\"code\":5,\"message\":\"login request lr_1 not found\",\"details\":[{\"@type\":"
                      "\"type.googleapis.com/scalekit.v1.errdetails.ErrorInfo\",\"error_code\":\"NOT_FOUND\"}]}");
    mock_http_enqueue(f->mock, "POST", USER_PATH, 400,
                      "{\"code\":3,\"message\":\"email is required\",\"details\":[{\"@type\":"
                      "\"type.googleapis.com/scalekit.v1.errdetails.ErrorInfo\",\"error_code\":\"INVALID_ARGUMENT\"}]}");
    scalekit_logged_in_user_details u = SCALEKIT_LOGGED_IN_USER_DETAILS_INIT;
    u.email = "ada@acme.example";
    assert_int_equal(scalekit_auth_update_login_user_details(f->client, "conn_1", "lr_1", &u), SCALEKIT_ENOTFOUND);
    assert_int_equal(scalekit_error_last()->http_status, 404);
    assert_string_equal(scalekit_error_last()->error_code, "NOT_FOUND");
    assert_string_equal(scalekit_error_last()->message, "HTTP 404: login request lr_1 not found");
    assert_int_equal(scalekit_auth_update_login_user_details(f->client, "conn_1", "lr_1", &u),
                     SCALEKIT_EINVALID_REQUEST);
    assert_string_equal(scalekit_error_last()->error_code, "INVALID_ARGUMENT");
}

#define TEST(t) cmocka_unit_test_setup_teardown(t, mock_client_setup, mock_client_teardown)
int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(sends_every_member_in_order),
        TEST(refusals_send_nothing),
        TEST(server_errors_are_decoded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
