/* Every passwordless method against the scripted mock server: the request on
 * the wire (method, path, JSON body byte for byte), every decoded field, the
 * server's errors with their codes, and the C-level refusals that send nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scalekit/scalekit.h"
#include "mock_client.h"

#define SEND "/api/v1/passwordless/email/send"
#define VERIFY "/api/v1/passwordless/email/verify"
#define RESEND "/api/v1/passwordless/email/resend"

#define SEND_ANSWER                                                                             \
    "{\"auth_request_id\":\"h5Y8kT5RVwaea5WEgW4n\",\"expires_at\":\"1748696575\",\"expires_in\":300," \
    "\"passwordless_type\":\"LINK_OTP\",\"future_field\":1}"

static void send_sends_every_option(void **state)
{
    mock_client *f = *state;
    mock_http_enqueue(f->mock, "POST", SEND, 200, SEND_ANSWER);
    const scalekit_header vars[] = { { "employeeID", "EMP523" }, { "teamName", "Alpha \"Team\"" } };
    scalekit_passwordless_send_options o = SCALEKIT_PASSWORDLESS_SEND_OPTIONS_INIT;
    o.template_type = "SIGNUP";
    o.magiclink_auth_uri = "https://app.example/cb?x=1";
    o.state = "st-1";
    o.expires_in = 600;
    o.template_variables.entries = vars;
    o.template_variables.count = 2;
    scalekit_passwordless_send_response *r = NULL;
    assert_int_equal(scalekit_passwordless_send_email(f->client, "john@example.com", &o, &r), SCALEKIT_OK);
    mock_assert_request(f->mock, SEND, 0, "POST", "",
                        "{\"email\":\"john@example.com\",\"template\":\"SIGNUP\","
                        "\"magiclink_auth_uri\":\"https://app.example/cb?x=1\",\"state\":\"st-1\","
                        "\"expires_in\":600,\"template_variables\":{\"employeeID\":\"EMP523\","
                        "\"teamName\":\"Alpha \\\"Team\\\"\"}}");
    assert_string_equal(r->auth_request_id, "h5Y8kT5RVwaea5WEgW4n");
    assert_true(r->expires_at == INT64_C(1748696575));
    assert_true(r->expires_in == 300);
    assert_string_equal(r->passwordless_type, "LINK_OTP");
    assert_string_equal(r->raw_json, SEND_ANSWER);
    scalekit_passwordless_send_response_free(r);

    /* No options, or empty ones: only the email. An empty map is sent as {}. */
    mock_http_enqueue(f->mock, "POST", SEND, 200, SEND_ANSWER);
    assert_int_equal(scalekit_passwordless_send_email(f->client, "a@b.example", NULL, &r), SCALEKIT_OK);
    mock_assert_request(f->mock, SEND, 1, "POST", "", "{\"email\":\"a@b.example\"}");
    scalekit_passwordless_send_response_free(r);
    scalekit_passwordless_send_options empty = SCALEKIT_PASSWORDLESS_SEND_OPTIONS_INIT;
    empty.template_type = "";
    empty.template_variables.entries = vars;
    mock_http_enqueue(f->mock, "POST", SEND, 200, SEND_ANSWER);
    assert_int_equal(scalekit_passwordless_send_email(f->client, "a@b.example", &empty, &r), SCALEKIT_OK);
    mock_assert_request(f->mock, SEND, 2, "POST", "", "{\"email\":\"a@b.example\",\"template_variables\":{}}");
    scalekit_passwordless_send_response_free(r);
}

static void verify_by_code_and_by_link(void **state)
{
    mock_client *f = *state;
    const char *answer = "{\"email\":\"john@example.com\",\"state\":\"st-1\",\"template\":\"SIGNIN\","
                         "\"passwordless_type\":\"OTP\"}";
    mock_http_enqueue(f->mock, "POST", VERIFY, 200, answer);
    scalekit_passwordless_verify_options o = SCALEKIT_PASSWORDLESS_VERIFY_OPTIONS_INIT;
    o.code = "123456";
    o.auth_request_id = "req_1";
    scalekit_passwordless_verify_response *v = NULL;
    assert_int_equal(scalekit_passwordless_verify_email(f->client, &o, &v), SCALEKIT_OK);
    mock_assert_request(f->mock, VERIFY, 0, "POST", "", "{\"code\":\"123456\",\"auth_request_id\":\"req_1\"}");
    assert_string_equal(v->email, "john@example.com");
    assert_string_equal(v->state, "st-1");
    assert_string_equal(v->template_type, "SIGNIN");
    assert_string_equal(v->passwordless_type, "OTP");
    assert_string_equal(v->raw_json, answer);
    scalekit_passwordless_verify_response_free(v);

    scalekit_passwordless_verify_options link = SCALEKIT_PASSWORDLESS_VERIFY_OPTIONS_INIT;
    link.link_token = "afe9d61c-d80d";
    link.code = "";
    mock_http_enqueue(f->mock, "POST", VERIFY, 200, "{\"email\":\"j@x.example\",\"passwordless_type\":\"LINK\"}");
    assert_int_equal(scalekit_passwordless_verify_email(f->client, &link, &v), SCALEKIT_OK);
    mock_assert_request(f->mock, VERIFY, 1, "POST", "", "{\"link_token\":\"afe9d61c-d80d\"}");
    assert_string_equal(v->passwordless_type, "LINK");
    assert_null(v->state);
    assert_null(v->template_type);
    scalekit_passwordless_verify_response_free(v);
}

static void resend_names_the_request(void **state)
{
    mock_client *f = *state;
    mock_http_enqueue(f->mock, "POST", RESEND, 200, SEND_ANSWER);
    scalekit_passwordless_send_response *r = NULL;
    assert_int_equal(scalekit_passwordless_resend_email(f->client, "req \"1\"", &r), SCALEKIT_OK);
    mock_assert_request(f->mock, RESEND, 0, "POST", "", "{\"auth_request_id\":\"req \\\"1\\\"\"}");
    assert_string_equal(r->auth_request_id, "h5Y8kT5RVwaea5WEgW4n");
    assert_true(r->expires_at == INT64_C(1748696575));
    scalekit_passwordless_send_response_free(r);
}

static void server_errors_keep_their_codes(void **state)
{
    mock_client *f = *state;
    scalekit_passwordless_verify_options o = SCALEKIT_PASSWORDLESS_VERIFY_OPTIONS_INIT;
    o.code = "000000";
    o.auth_request_id = "req_1";
    scalekit_passwordless_verify_response *v = (scalekit_passwordless_verify_response *)&v;
    mock_http_enqueue(f->mock, "POST", VERIFY, 400,
                      "{\"code\":3,\"message\":\"invalid code\",\"details\":[{\"error_code\":\"INVALID_ARGUMENT\","
                      "\"validation_error_info\":{\"field_violations\":[{\"field\":\"code\","
                      "\"description\":\"the code is not valid\"}]}}]}");
    assert_int_equal(scalekit_passwordless_verify_email(f->client, &o, &v), SCALEKIT_EINVALID_REQUEST);
    assert_null(v);
    const scalekit_error *e = scalekit_error_last();
    assert_int_equal(e->http_status, 400);
    assert_string_equal(e->error_code, "INVALID_ARGUMENT");
    assert_int_equal(e->field_violation_count, 1);
    assert_string_equal(e->field_violations[0].field, "code");

    mock_http_enqueue(f->mock, "POST", VERIFY, 429,
                      "{\"code\":8,\"message\":\"too many attempts\",\"details\":[{\"error_code\":"
                      "\"RESOURCE_EXHAUSTED\"}]}");
    assert_int_equal(scalekit_passwordless_verify_email(f->client, &o, &v), SCALEKIT_ERATE_LIMITED);
    assert_string_equal(scalekit_error_last()->error_code, "RESOURCE_EXHAUSTED");

    scalekit_passwordless_send_response *r = NULL;
    mock_http_enqueue(f->mock, "POST", RESEND, 404,
                      "{\"code\":5,\"message\":\"auth request req_9 not found\",\"details\":[{\"error_code\":"
                      "\"NOT_FOUND\"}]}");
    assert_int_equal(scalekit_passwordless_resend_email(f->client, "req_9", &r), SCALEKIT_ENOTFOUND);
    assert_string_equal(scalekit_error_last()->message, "HTTP 404: auth request req_9 not found");
    assert_string_equal(scalekit_error_last()->error_code, "NOT_FOUND");
    assert_null(r);

    /* An answer that is not an object is malformed. */
    mock_http_enqueue(f->mock, "POST", SEND, 200, "[1]");
    assert_int_equal(scalekit_passwordless_send_email(f->client, "a@b.example", NULL, &r),
                     SCALEKIT_EMALFORMED_RESPONSE);
    assert_null(r);
}

static void refusals_send_nothing(void **state)
{
    mock_client *f = *state;
    scalekit_passwordless_send_response *r = (scalekit_passwordless_send_response *)&r;
    scalekit_passwordless_verify_response *v = (scalekit_passwordless_verify_response *)&v;
    scalekit_passwordless_send_options unset = { 0 };
    scalekit_passwordless_verify_options unset_v = { 0 };

    assert_int_equal(scalekit_passwordless_send_email(f->client, "", NULL, &r), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "email must not be empty");
    assert_null(r);
    assert_int_equal(scalekit_passwordless_send_email(f->client, NULL, NULL, &r), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_passwordless_send_email(f->client, "a@b.example", NULL, NULL), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "out must not be NULL");
    assert_int_equal(scalekit_passwordless_send_email(f->client, "\xc3(", NULL, &r), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "passwordless.email is not valid UTF-8");
    assert_int_equal(scalekit_passwordless_send_email(f->client, "a@b.example", &unset, &r), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message,
                        "scalekit_passwordless_send_options.struct_size is 0: initialise the struct with "
                        "SCALEKIT_PASSWORDLESS_SEND_OPTIONS_INIT");
    const scalekit_header bad[] = { { "teamName", NULL } };
    scalekit_passwordless_send_options o = SCALEKIT_PASSWORDLESS_SEND_OPTIONS_INIT;
    o.template_variables.entries = bad;
    o.template_variables.count = 1;
    assert_int_equal(scalekit_passwordless_send_email(f->client, "a@b.example", &o, &r), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message,
                        "scalekit_passwordless_send_options.template_variables entry 0 has a NULL value");

    assert_int_equal(scalekit_passwordless_verify_email(f->client, NULL, &v), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "opts must not be NULL");
    assert_null(v);
    assert_int_equal(scalekit_passwordless_verify_email(f->client, &unset_v, &v), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message,
                        "scalekit_passwordless_verify_options.struct_size is 0: initialise the struct with "
                        "SCALEKIT_PASSWORDLESS_VERIFY_OPTIONS_INIT");
    scalekit_passwordless_verify_options vo = SCALEKIT_PASSWORDLESS_VERIFY_OPTIONS_INIT;
    vo.link_token = "\xff";
    assert_int_equal(scalekit_passwordless_verify_email(f->client, &vo, &v), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_passwordless_verify_email(f->client, &vo, NULL), SCALEKIT_EINVAL);

    assert_int_equal(scalekit_passwordless_resend_email(f->client, "", &r), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "auth_request_id must not be empty");
    assert_int_equal(scalekit_passwordless_resend_email(f->client, "req_1", NULL), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_passwordless_resend_email(NULL, "req_1", &r), SCALEKIT_EINVAL);
    assert_int_equal(mock_http_request_count(f->mock), 0);
    scalekit_passwordless_send_response_free(NULL);
    scalekit_passwordless_verify_response_free(NULL);
}

#define TEST(t) cmocka_unit_test_setup_teardown(t, mock_client_setup, mock_client_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(send_sends_every_option),
        TEST(verify_by_code_and_by_link),
        TEST(resend_names_the_request),
        TEST(server_errors_keep_their_codes),
        TEST(refusals_send_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
