/* Every passkey method against the scripted mock server: the request on the wire
 * (method, path, query, JSON body), every decoded field, the server's errors, and
 * the C-level refusals that send nothing. */
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

#define CREDS "/api/v1/webauthn/credentials"

#define CRED_JSON(id, name)                                                                                   \
    "{\"id\":\"" id "\",\"credential_id\":\"q83vEjRWeJA=\",\"user_id\":\"usr_1\",\"display_name\":\"" name "\"," \
    "\"attestation_type\":\"none\",\"authenticator\":{\"aaguid\":\"abababab-abab-abab-abab-abababababab\","       \
    "\"attachment\":\"platform\",\"icon_dark\":\"https://i/d.png\",\"icon_light\":\"https://i/l.png\","         \
    "\"name\":\"Touch ID\"},\"authenticator_flags\":{\"backup_eligible\":true,\"backup_state\":false,"           \
    "\"user_present\":true,\"user_verified\":true},\"client_info\":{\"city\":\"Paris\",\"ip\":\"192.0.2.1\","    \
    "\"region\":\"FR\",\"region_subdivision\":\"IDF\"},\"transports\":[\"internal\",\"hybrid\"],"                \
    "\"user_agent\":{\"browser\":\"Chrome\",\"browser_version\":\"120.0\",\"device_model\":\"Pixel\","          \
    "\"device_type\":\"mobile\",\"os\":\"Android\",\"os_version\":\"14\",\"raw\":\"Mozilla/5.0\","               \
    "\"url\":\"https://ua\"},\"created_at\":\"2025-09-01T12:14:43Z\",\"updated_at\":\"2025-09-01T12:14:44Z\"}"

static void check_credential(const scalekit_webauthn_credential *c, const char *id, const char *name)
{
    assert_string_equal(c->id, id);
    assert_string_equal(c->credential_id, "q83vEjRWeJA=");
    assert_string_equal(c->user_id, "usr_1");
    assert_string_equal(c->display_name, name);
    assert_string_equal(c->attestation_type, "none");
    assert_string_equal(c->authenticator->aaguid, "abababab-abab-abab-abab-abababababab");
    assert_string_equal(c->authenticator->attachment, "platform");
    assert_string_equal(c->authenticator->icon_dark, "https://i/d.png");
    assert_string_equal(c->authenticator->icon_light, "https://i/l.png");
    assert_string_equal(c->authenticator->name, "Touch ID");
    assert_true(c->authenticator_flags->backup_eligible);
    assert_false(c->authenticator_flags->backup_state);
    assert_true(c->authenticator_flags->user_present);
    assert_true(c->authenticator_flags->user_verified);
    assert_string_equal(c->client_info->city, "Paris");
    assert_string_equal(c->client_info->ip, "192.0.2.1");
    assert_string_equal(c->client_info->region, "FR");
    assert_string_equal(c->client_info->region_subdivision, "IDF");
    assert_string_equal(c->transports[0], "internal");
    assert_string_equal(c->transports[1], "hybrid");
    assert_null(c->transports[2]);
    assert_string_equal(c->user_agent->browser, "Chrome");
    assert_string_equal(c->user_agent->browser_version, "120.0");
    assert_string_equal(c->user_agent->device_model, "Pixel");
    assert_string_equal(c->user_agent->device_type, "mobile");
    assert_string_equal(c->user_agent->os, "Android");
    assert_string_equal(c->user_agent->os_version, "14");
    assert_string_equal(c->user_agent->raw, "Mozilla/5.0");
    assert_string_equal(c->user_agent->url, "https://ua");
    assert_true(c->created_at == INT64_C(1756728883));
    assert_true(c->updated_at == INT64_C(1756728884));
}

static void list_credentials_sends_the_user(void **state)
{
    mock_client *f = *state;
    const char *answer = "{\"credentials\":[" CRED_JSON("cred_1", "Phone") "," CRED_JSON("cred_2", "Key")
                         "],\"all_accepted_credentials_options\":{\"rp_id\":\"example.com\",\"user_id\":\"usr_1\","
                         "\"all_accepted_credential_ids\":[\"q83vEjRWeJA\",\"AAEC\"]}}";
    mock_http_enqueue(f->mock, "GET", CREDS, 200, answer);
    scalekit_webauthn_credential_list *list = NULL;
    assert_int_equal(scalekit_webauthn_list_credentials(f->client, "usr 1&x", &list), SCALEKIT_OK);
    mock_assert_request(f->mock, CREDS, 0, "GET", "user_id=usr%201%26x", "");
    assert_int_equal(list->count, 2);
    check_credential(list->credentials[0], "cred_1", "Phone");
    check_credential(list->credentials[1], "cred_2", "Key");
    const scalekit_webauthn_all_accepted_credentials_options *all = list->all_accepted_credentials_options;
    assert_string_equal(all->rp_id, "example.com");
    assert_string_equal(all->user_id, "usr_1");
    assert_string_equal(all->all_accepted_credential_ids[0], "q83vEjRWeJA");
    assert_string_equal(all->all_accepted_credential_ids[1], "AAEC");
    assert_null(all->all_accepted_credential_ids[2]);
    assert_string_equal(list->raw_json, answer);
    scalekit_webauthn_credential_list_free(list);

    /* No user: no query (the current user, for a user's token). */
    mock_http_enqueue(f->mock, "GET", CREDS, 200, "{\"credentials\":[]}");
    assert_int_equal(scalekit_webauthn_list_credentials(f->client, NULL, &list), SCALEKIT_OK);
    mock_assert_request(f->mock, CREDS, 1, "GET", "", "");
    assert_int_equal(list->count, 0);
    assert_null(list->all_accepted_credentials_options);
    scalekit_webauthn_credential_list_free(list);

    mock_http_enqueue(f->mock, "GET", CREDS, 404, "{\"code\":5,\"message\":\"user usr_9 not found\"}");
    assert_int_equal(scalekit_webauthn_list_credentials(f->client, "usr_9", &list), SCALEKIT_ENOTFOUND);
    assert_string_equal(scalekit_error_last()->message, "HTTP 404: user usr_9 not found");
    assert_null(list);
}

static void update_and_delete_address_the_credential(void **state)
{
    mock_client *f = *state;
    const char *answer = "{\"credential\":" CRED_JSON("cred_1", "Work phone") "}";
    mock_http_enqueue(f->mock, "PATCH", CREDS "/cred%2F1", 200, answer);
    scalekit_webauthn_credential *c = NULL;
    assert_int_equal(scalekit_webauthn_update_credential(f->client, "cred/1", "Work phone", &c), SCALEKIT_OK);
    mock_assert_request(f->mock, CREDS "/cred%2F1", 0, "PATCH", "", "{\"display_name\":\"Work phone\"}");
    check_credential(c, "cred_1", "Work phone");
    assert_string_equal(c->raw_json, answer);
    scalekit_webauthn_credential_free(c);

    mock_http_enqueue(f->mock, "PATCH", CREDS "/cred_1", 400,
                      "{\"code\":3,\"message\":\"display_name must be 1 to 120 characters\",\"details\":[{\"@type\":"
                      "\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"INVALID_ARGUMENT\"}]}");
    assert_int_equal(scalekit_webauthn_update_credential(f->client, "cred_1", "", &c), SCALEKIT_EINVALID_REQUEST);
    mock_assert_request(f->mock, CREDS "/cred_1", 0, "PATCH", "", "{\"display_name\":\"\"}");
    assert_int_equal(scalekit_error_last()->http_status, 400);
    assert_null(c);

    const char *deleted = "{\"success\":true,\"unknown_credential_options\":{\"credential_id\":\"q83vEjRWeJA\","
                          "\"rp_id\":\"example.com\"}}";
    mock_http_enqueue(f->mock, "DELETE", CREDS "/cred_1", 200, deleted);
    scalekit_webauthn_delete_credential_response *d = NULL;
    assert_int_equal(scalekit_webauthn_delete_credential(f->client, "cred_1", &d), SCALEKIT_OK);
    mock_assert_request(f->mock, CREDS "/cred_1", 1, "DELETE", "", "");
    assert_true(d->success);
    assert_string_equal(d->unknown_credential_options->credential_id, "q83vEjRWeJA");
    assert_string_equal(d->unknown_credential_options->rp_id, "example.com");
    assert_string_equal(d->raw_json, deleted);
    scalekit_webauthn_delete_credential_response_free(d);

    mock_http_enqueue(f->mock, "DELETE", CREDS "/cred_9", 404, "{\"code\":5,\"message\":\"credential cred_9 not found\"}");
    assert_int_equal(scalekit_webauthn_delete_credential(f->client, "cred_9", &d), SCALEKIT_ENOTFOUND);
    assert_null(d);
    /* a body without the credential member */
    mock_http_enqueue(f->mock, "PATCH", CREDS "/cred_2", 200, "{\"user\":{}}");
    assert_int_equal(scalekit_webauthn_update_credential(f->client, "cred_2", "x", &c), SCALEKIT_EMALFORMED_RESPONSE);
}

static void ceremonies_carry_webauthn_json(void **state)
{
    mock_client *f = *state;
    const char *options = "{\"options\":{\"challenge\":\"abc\",\"rp\":{\"id\":\"example.com\",\"name\":\"E\"}}}";
    mock_http_enqueue(f->mock, "POST", "/api/v1/webauthn/registration:begin", 200, options);
    scalekit_webauthn_begin_options opts = SCALEKIT_WEBAUTHN_BEGIN_OPTIONS_INIT;
    opts.user_verification = "required";
    opts.display_name = "Laptop";
    scalekit_webauthn_options *o = NULL;
    assert_int_equal(scalekit_webauthn_begin_registration(f->client, "usr_1", &opts, &o), SCALEKIT_OK);
    mock_assert_request(f->mock, "/api/v1/webauthn/registration:begin", 0, "POST", "",
                        "{\"user_id\":\"usr_1\",\"user_verification\":\"required\",\"display_name\":\"Laptop\"}");
    assert_string_equal(o->options_json, "{\"challenge\":\"abc\",\"rp\":{\"id\":\"example.com\",\"name\":\"E\"}}");
    assert_string_equal(o->raw_json, options);
    scalekit_webauthn_options_free(o);

    mock_http_enqueue(f->mock, "POST", "/api/v1/webauthn/authentication:begin", 200,
                      "{\"session_id\":\"ses-1\",\"options\":{\"rpId\":\"x\"}}");
    assert_int_equal(scalekit_webauthn_begin_authentication(f->client, NULL, NULL, &o), SCALEKIT_OK);
    mock_assert_request(f->mock, "/api/v1/webauthn/authentication:begin", 0, "POST", "", "{}");
    scalekit_webauthn_options_free(o);
    mock_http_enqueue(f->mock, "POST", "/api/v1/webauthn/authentication:begin", 200,
                      "{\"session_id\":\"ses-1\",\"options\":{\"rpId\":\"x\"}}");
    scalekit_webauthn_begin_options by_email = SCALEKIT_WEBAUTHN_BEGIN_OPTIONS_INIT;
    by_email.email = "a@example.com";
    assert_int_equal(scalekit_webauthn_begin_authentication(f->client, NULL, &by_email, &o), SCALEKIT_OK);
    mock_assert_request(f->mock, "/api/v1/webauthn/authentication:begin", 1, "POST", "", "{\"email\":\"a@example.com\"}");
    assert_string_equal(o->options_json, "{\"rpId\":\"x\"}");
    assert_string_equal(o->session_id, "ses-1");
    scalekit_webauthn_options_free(o);

    /* the browser's toJSON() goes out as the proto's FinishRegistrationRequest */
    const char *created = "{\"id\":\"AAEC\",\"rawId\":\"AAEC\",\"type\":\"public-key\",\"authenticatorAttachment\":"
                          "\"platform\",\"clientExtensionResults\":{\"credProps\":{\"rk\":true}},\"response\":{"
                          "\"clientDataJSON\":\"Y2Q\",\"attestationObject\":\"YXR0\",\"transports\":[\"internal\"]}}";
    mock_http_enqueue(f->mock, "POST", "/api/v1/webauthn/registration:finish", 200,
                      "{\"success\":true,\"credential\":" CRED_JSON("cred_1", "Laptop") "}");
    scalekit_webauthn_registration *reg = NULL;
    assert_int_equal(scalekit_webauthn_finish_registration(f->client, created, "Laptop", &reg), SCALEKIT_OK);
    mock_assert_request(f->mock, "/api/v1/webauthn/registration:finish", 0, "POST", "",
                        "{\"credential_id\":\"AAEC\",\"type\":\"public-key\",\"authenticator_attachment\":\"platform\","
                        "\"client_extension_results\":{\"credProps\":{\"rk\":true}},\"client_data_json\":\"Y2Q\","
                        "\"attestation_object\":\"YXR0\",\"transports\":[\"internal\"],\"display_name\":\"Laptop\"}");
    assert_true(reg->success);
    check_credential(reg->credential, "cred_1", "Laptop");
    scalekit_webauthn_registration_free(reg);
    /* the API's own answer: success alone */
    mock_http_enqueue(f->mock, "POST", "/api/v1/webauthn/registration:finish", 200, "{\"success\":true}");
    assert_int_equal(scalekit_webauthn_finish_registration(f->client, created, NULL, &reg), SCALEKIT_OK);
    assert_true(reg->success);
    assert_null(reg->credential);
    scalekit_webauthn_registration_free(reg);

    const char *asserted = "{\"id\":\"AAEC\",\"rawId\":\"AAEC\",\"type\":\"public-key\",\"response\":{"
                           "\"clientDataJSON\":\"Y2Q\",\"authenticatorData\":\"YWQ\",\"signature\":\"c2ln\","
                           "\"userHandle\":\"dXNy\"}}";
    mock_http_enqueue(f->mock, "POST", "/api/v1/webauthn/authentication:finish", 200,
                      "{\"success\":true,\"user_id\":\"usr_1\",\"session_token\":\"tok\",\"credential\":"
                      CRED_JSON("cred_1", "Laptop") ",\"user\":{\"id\":\"usr_1\",\"email\":\"a@example.com\"}}");
    scalekit_webauthn_authentication *a = NULL;
    assert_int_equal(scalekit_webauthn_finish_authentication(f->client, "ses-1", asserted, &a), SCALEKIT_OK);
    mock_assert_request(f->mock, "/api/v1/webauthn/authentication:finish", 0, "POST", "",
                        "{\"credential_id\":\"AAEC\",\"type\":\"public-key\",\"response\":{\"client_data_json\":\"Y2Q\","
                        "\"authenticator_data\":\"YWQ\",\"signature\":\"c2ln\",\"user_handle\":\"dXNy\"},"
                        "\"session_id\":\"ses-1\"}");
    assert_true(a->success);
    assert_string_equal(a->user_id, "usr_1");
    assert_string_equal(a->session_token, "tok");
    check_credential(a->credential, "cred_1", "Laptop");
    assert_string_equal(a->user->id, "usr_1");
    assert_string_equal(a->user->email, "a@example.com");
    scalekit_webauthn_authentication_free(a);

    mock_http_enqueue(f->mock, "POST", "/api/v1/webauthn/authentication:finish", 400,
                      "{\"code\":3,\"message\":\"assertion signature does not verify\"}");
    assert_int_equal(scalekit_webauthn_finish_authentication(f->client, NULL, asserted, &a), SCALEKIT_EINVALID_REQUEST);
    assert_string_equal(scalekit_error_last()->message, "HTTP 400: assertion signature does not verify");
    assert_null(a);
}

static void refusals_send_nothing(void **state)
{
    mock_client *f = *state;
    scalekit_webauthn_credential *c = NULL;
    scalekit_webauthn_options *o = NULL;
    scalekit_webauthn_authentication *a = NULL;
    scalekit_webauthn_delete_credential_response *d = NULL;
    scalekit_webauthn_begin_options unset = { 0 };
    assert_int_equal(scalekit_webauthn_update_credential(f->client, "", "x", &c), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "credential_id must not be empty");
    assert_int_equal(scalekit_webauthn_update_credential(f->client, "cred_1", NULL, &c), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "display_name must not be NULL");
    assert_int_equal(scalekit_webauthn_update_credential(f->client, "cred_1", "x", NULL), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_webauthn_delete_credential(f->client, "..", &d), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_webauthn_delete_credential(f->client, "cred_1", NULL), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_webauthn_list_credentials(f->client, "usr_1", NULL), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_webauthn_begin_registration(f->client, "", NULL, &o), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "user_id must not be empty");
    assert_int_equal(scalekit_webauthn_begin_registration(f->client, "usr_1", &unset, &o), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "scalekit_webauthn_begin_options.struct_size is 0: "
                        "initialise the struct with SCALEKIT_WEBAUTHN_BEGIN_OPTIONS_INIT");
    scalekit_webauthn_registration *reg = NULL;
    assert_int_equal(scalekit_webauthn_finish_registration(f->client, "", NULL, &reg), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "credential_json must not be empty");
    assert_int_equal(scalekit_webauthn_finish_authentication(f->client, NULL, "{not json", &a), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "credential_json is not PublicKeyCredential JSON (an object "
                        "with rawId and response.clientDataJSON)");
    assert_null(a);
    assert_int_equal(scalekit_webauthn_finish_authentication(f->client, NULL, "{\"rawId\":\"AA\"}", &a), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_webauthn_finish_registration(f->client, "{\"rawId\":\"AA\",\"response\":{"
                     "\"clientDataJSON\":\"x\"}}", "\xc3(", &reg), SCALEKIT_EINVAL);
    assert_int_equal(mock_http_request_count(f->mock), 0);
}

#define TEST(t) cmocka_unit_test_setup_teardown(t, mock_client_setup, mock_client_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(list_credentials_sends_the_user),
        TEST(update_and_delete_address_the_credential),
        TEST(ceremonies_carry_webauthn_json),
        TEST(refusals_send_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
