/* Every connection method against the scripted mock server: the request on the
 * wire (method, path, query, JSON body), the decoded result with each nested
 * configuration (OIDC, SAML with certificates, passwordless, WebAuthn, custom),
 * the server's errors, and the C-level refusals that send nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scalekit/scalekit.h"
#include "mock_client.h"

#define CONNS "/api/v1/organizations/org_1/connections"

static const char oidc_answer[] =
    "{\"connection\":{\"id\":\"conn_1\",\"organization_id\":\"org_1\",\"type\":\"OIDC\",\"provider\":\"OKTA\","
    "\"provider_key\":\"okta\",\"key_id\":\"conn_1\",\"status\":\"COMPLETED\",\"enabled\":true,"
    "\"debug_enabled\":false,\"configuration_type\":\"MANUAL\",\"test_connection_uri\":\"https://t.example/c\","
    "\"attribute_mapping\":{\"email\":\"mail\",\"name\":\"displayName\"},"
    "\"domains\":[{\"id\":\"dom_1\",\"domain\":\"acme.com\",\"domain_type\":\"ORGANIZATION_DOMAIN\"}],"
    "\"oidc_config\":{\"issuer\":\"https://idp.example\",\"authorize_uri\":\"https://idp.example/a\","
    "\"token_uri\":\"https://idp.example/t\",\"user_info_uri\":\"https://idp.example/u\","
    "\"jwks_uri\":\"https://idp.example/k\",\"client_id\":\"cid\",\"client_secret\":\"********abcd\","
    "\"scopes\":[\"openid\",\"email\"],\"pkce_enabled\":true,\"token_auth_type\":\"BASIC_AUTH\","
    "\"idp_logout_required\":true,\"jit_provisioning_with_sso_enabled\":true,"
    "\"sync_user_profile_on_login\":true,\"redirect_uri\":\"https://env.example/sso/v1/oidc/conn_1/callback\","
    "\"backchannel_logout_redirect_uri\":\"https://env.example/b\",\"post_logout_redirect_uri\":\"https://env.example/p\"},"
    "\"oauth_config\":{\"client_id\":\"o\"},\"future\":1}}";

static void get_decodes_every_member(void **state)
{
    mock_client *f = *state;
    mock_http_enqueue(f->mock, "GET", CONNS "/conn_1", 200, oidc_answer);
    scalekit_connection *c = NULL;
    assert_int_equal(scalekit_connection_get(f->client, "org_1", "conn_1", &c), SCALEKIT_OK);
    mock_assert_request(f->mock, CONNS "/conn_1", 0, "GET", "", "");
    assert_string_equal(c->id, "conn_1");
    assert_string_equal(c->organization_id, "org_1");
    assert_string_equal(c->type, "OIDC");
    assert_string_equal(c->provider, "OKTA");
    assert_string_equal(c->provider_key, "okta");
    assert_string_equal(c->key_id, "conn_1");
    assert_string_equal(c->status, "COMPLETED");
    assert_true(c->enabled);
    assert_false(c->debug_enabled);
    assert_string_equal(c->configuration_type, "MANUAL");
    assert_string_equal(c->test_connection_uri, "https://t.example/c");
    assert_null(c->mcp_server_url);
    assert_int_equal(c->attribute_mapping.count, 2);
    assert_string_equal(scalekit_string_map_get(&c->attribute_mapping, "name"), "displayName");
    assert_int_equal(c->domain_count, 1);
    assert_string_equal(c->domains[0]->domain, "acme.com");
    const scalekit_connection_oidc_config *o = c->oidc_config;
    assert_non_null(o);
    assert_string_equal(o->issuer, "https://idp.example");
    assert_string_equal(o->authorize_uri, "https://idp.example/a");
    assert_string_equal(o->token_uri, "https://idp.example/t");
    assert_string_equal(o->user_info_uri, "https://idp.example/u");
    assert_string_equal(o->jwks_uri, "https://idp.example/k");
    assert_string_equal(o->client_id, "cid");
    assert_string_equal(o->client_secret, "********abcd");
    assert_string_equal(o->scopes[0], "openid");
    assert_string_equal(o->scopes[1], "email");
    assert_null(o->scopes[2]);
    assert_true(o->pkce_enabled && o->idp_logout_required && o->jit_provisioning_with_sso_enabled &&
                o->sync_user_profile_on_login);
    assert_string_equal(o->token_auth_type, "BASIC_AUTH");
    assert_string_equal(o->redirect_uri, "https://env.example/sso/v1/oidc/conn_1/callback");
    assert_string_equal(o->backchannel_logout_redirect_uri, "https://env.example/b");
    assert_string_equal(o->post_logout_redirect_uri, "https://env.example/p");
    assert_null(o->discovery_endpoint);
    assert_null(c->saml_config);
    assert_null(c->passwordless_config);
    assert_null(c->webauthn_config);
    assert_null(c->static_config);
    assert_string_equal(c->oauth_config, "{\"client_id\":\"o\"}");
    assert_string_equal(c->raw_json, oidc_answer);
    scalekit_connection_free(c);

    /* The server's 404, and a body without "connection". */
    mock_http_enqueue(f->mock, "GET", CONNS "/conn_2", 404, "{\"code\":5,\"message\":\"connection conn_2 not found\"}");
    assert_int_equal(scalekit_connection_get(f->client, "org_1", "conn_2", &c), SCALEKIT_ENOTFOUND);
    assert_string_equal(scalekit_error_last()->message, "HTTP 404: connection conn_2 not found");
    assert_null(c);
    mock_http_enqueue(f->mock, "GET", CONNS "/conn_3", 200, "{\"domain\":{}}");
    assert_int_equal(scalekit_connection_get(f->client, "org_1", "conn_3", &c), SCALEKIT_EMALFORMED_RESPONSE);
}

static void other_configurations_decode(void **state)
{
    mock_client *f = *state;
    const char *saml = "{\"connection\":{\"id\":\"conn_s\",\"type\":\"SAML\",\"saml_config\":{"
        "\"idp_entity_id\":\"urn:idp\",\"idp_sso_url\":\"https://idp/sso\",\"idp_slo_url\":\"https://idp/slo\","
        "\"idp_metadata_url\":\"https://idp/md\",\"idp_name_id_format\":\"EMAIL\",\"idp_sso_request_binding\":"
        "\"HTTP_POST\",\"idp_slo_request_binding\":\"HTTP_REDIRECT\",\"idp_slo_required\":true,"
        "\"saml_signing_option\":\"SAML_ONLY_RESPONSE_SIGNING\",\"allow_idp_initiated_login\":true,"
        "\"assertion_encrypted\":true,\"force_authn\":true,\"want_request_signed\":true,"
        "\"default_redirect_uri\":\"https://app/r\",\"ui_button_title\":\"Sign in\",\"certificate_id\":\"cer_1\","
        "\"sp_entity_id\":\"https://env/sso/v1/saml/conn_s\",\"sp_assertion_url\":\"https://env/acs\","
        "\"sp_metadata_url\":\"https://env/md\",\"sp_slo_url\":\"https://env/slo\","
        "\"idp_certificates\":[{\"id\":\"cert_1\",\"certificate\":\"MIIB\",\"issuer\":\"idp\","
        "\"create_time\":\"2025-09-01T12:14:43Z\",\"expiry_time\":\"2026-09-01T12:14:43Z\"},{\"id\":\"cert_2\"}]}}}";
    mock_http_enqueue(f->mock, "GET", CONNS "/conn_s", 200, saml);
    scalekit_connection *c = NULL;
    assert_int_equal(scalekit_connection_get(f->client, "org_1", "conn_s", &c), SCALEKIT_OK);
    const scalekit_connection_saml_config *s = c->saml_config;
    assert_non_null(s);
    assert_null(c->oidc_config);
    assert_string_equal(s->idp_entity_id, "urn:idp");
    assert_string_equal(s->idp_sso_url, "https://idp/sso");
    assert_string_equal(s->idp_slo_url, "https://idp/slo");
    assert_string_equal(s->idp_metadata_url, "https://idp/md");
    assert_string_equal(s->idp_name_id_format, "EMAIL");
    assert_string_equal(s->idp_sso_request_binding, "HTTP_POST");
    assert_string_equal(s->idp_slo_request_binding, "HTTP_REDIRECT");
    assert_true(s->idp_slo_required && s->allow_idp_initiated_login && s->assertion_encrypted && s->force_authn &&
                s->want_request_signed);
    assert_false(s->jit_provisioning_with_sso_enabled);
    assert_string_equal(s->saml_signing_option, "SAML_ONLY_RESPONSE_SIGNING");
    assert_string_equal(s->default_redirect_uri, "https://app/r");
    assert_string_equal(s->ui_button_title, "Sign in");
    assert_string_equal(s->certificate_id, "cer_1");
    assert_string_equal(s->sp_entity_id, "https://env/sso/v1/saml/conn_s");
    assert_string_equal(s->sp_assertion_url, "https://env/acs");
    assert_string_equal(s->sp_metadata_url, "https://env/md");
    assert_string_equal(s->sp_slo_url, "https://env/slo");
    assert_int_equal(s->idp_certificate_count, 2);
    assert_string_equal(s->idp_certificates[0]->certificate, "MIIB");
    assert_string_equal(s->idp_certificates[0]->issuer, "idp");
    assert_true(s->idp_certificates[0]->create_time == INT64_C(1756728883));
    assert_true(s->idp_certificates[0]->expiry_time == INT64_C(1788264883));
    assert_string_equal(s->idp_certificates[1]->id, "cert_2");
    assert_null(s->idp_certificates[1]->certificate);
    scalekit_connection_free(c);

    const char *env = "{\"connection\":{\"id\":\"conn_p\",\"type\":\"PASSWORDLESS\",\"passwordless_config\":{"
        "\"type\":\"LINK_OTP\",\"validity\":\"600\",\"frequency\":2,\"code_challenge_length\":6,"
        "\"code_challenge_type\":\"NUMERIC\",\"enforce_same_browser_origin\":true,"
        "\"regenerate_passwordless_credentials_on_resend\":true},\"webauthn_config\":{\"enable_auto_registration\":true,"
        "\"show_passkey_button\":true,\"rp\":{\"ids\":[\"a.example\"]},\"timeout\":{\"login\":\"300s\"}},"
        "\"static_config\":{\"static_config\":{\"login_url\":\"https://app/login\"}}}}";
    mock_http_enqueue(f->mock, "GET", CONNS "/conn_p", 200, env);
    assert_int_equal(scalekit_connection_get(f->client, "org_1", "conn_p", &c), SCALEKIT_OK);
    const scalekit_connection_passwordless_config *p = c->passwordless_config;
    assert_string_equal(p->type, "LINK_OTP");
    assert_true(p->validity == 600 && p->frequency == 2 && p->code_challenge_length == 6);
    assert_string_equal(p->code_challenge_type, "NUMERIC");
    assert_true(p->enforce_same_browser_origin && p->regenerate_passwordless_credentials_on_resend);
    const scalekit_connection_webauthn_config *w = c->webauthn_config;
    assert_true(w->enable_auto_registration && w->show_passkey_button);
    assert_false(w->enable_conditional_login);
    assert_string_equal(w->rp, "{\"ids\":[\"a.example\"]}");
    assert_string_equal(w->timeout, "{\"login\":\"300s\"}");
    assert_null(w->attestation);
    assert_string_equal(c->static_config, "{\"static_config\":{\"login_url\":\"https://app/login\"}}");
    scalekit_connection_free(c);
}

static void create_and_update_send_the_input(void **state)
{
    mock_client *f = *state;
    scalekit_connection_oidc_config_input oidc = SCALEKIT_CONNECTION_OIDC_CONFIG_INPUT_INIT;
    oidc.issuer = "https://idp.example";
    oidc.client_id = "cid";
    oidc.client_secret = "s3cret";
    oidc.scopes = (const char *const[]){"openid", "email", NULL};
    oidc.pkce_enabled = &(bool){true};
    scalekit_connection_input in = SCALEKIT_CONNECTION_INPUT_INIT;
    in.type = "OIDC";
    in.provider = "OKTA";
    in.debug_enabled = &(bool){false};
    in.oidc_config = &oidc;
    in.attribute_mapping = (scalekit_string_map){(const scalekit_header[]){{"email", "mail"}}, 1};
    mock_http_enqueue(f->mock, "POST", CONNS, 200, oidc_answer);
    scalekit_connection *c = NULL;
    assert_int_equal(scalekit_connection_create(f->client, "org_1", &in, &c), SCALEKIT_OK);
    mock_assert_request(f->mock, CONNS, 0, "POST", "",
                        "{\"type\":\"OIDC\",\"provider\":\"OKTA\",\"debug_enabled\":false,\"oidc_config\":{"
                        "\"issuer\":\"https://idp.example\",\"client_id\":\"cid\",\"client_secret\":\"s3cret\","
                        "\"scopes\":[\"openid\",\"email\"],\"pkce_enabled\":true},"
                        "\"attribute_mapping\":{\"email\":\"mail\"}}");
    assert_string_equal(c->id, "conn_1");
    scalekit_connection_free(c);

    /* An update sends only what is set: here a SAML configuration as JSON text, "" clearing a member. */
    scalekit_connection_input change = SCALEKIT_CONNECTION_INPUT_INIT;
    change.saml_config = "{\"idp_sso_url\": \"\", \"force_authn\": true}";
    mock_http_enqueue(f->mock, "PATCH", CONNS "/conn_1", 200, oidc_answer);
    assert_int_equal(scalekit_connection_update(f->client, "org_1", "conn_1", &change, &c), SCALEKIT_OK);
    mock_assert_request(f->mock, CONNS "/conn_1", 0, "PATCH", "",
                        "{\"saml_config\":{\"idp_sso_url\":\"\",\"force_authn\":true}}");
    scalekit_connection_free(c);

    /* The server's field violation. */
    mock_http_enqueue(f->mock, "POST", CONNS, 400,
                      "{\"code\":3,\"message\":\"type must be ...\",\"details\":[{\"@type\":"
                      "\"type.googleapis.com/scalekit.v1.errdetails.ErrorInfo\",\"error_code\":\"INVALID_ARGUMENT\","
                      "\"validation_error_info\":{\"field_violations\":[{\"field\":\"type\",\"description\":\"bad\"}]}}]}");
    in.type = "NOPE";
    assert_int_equal(scalekit_connection_create(f->client, "org_1", &in, &c), SCALEKIT_EINVALID_REQUEST);
    assert_int_equal(scalekit_error_last()->http_status, 400);
    assert_null(c);
}

static void lists_toggles_and_delete(void **state)
{
    mock_client *f = *state;
    const char *list = "{\"connections\":[{\"id\":\"conn_1\",\"organization_id\":\"org_1\",\"organization_name\":"
        "\"Acme\",\"type\":\"OIDC\",\"provider\":\"OKTA\",\"provider_key\":\"okta\",\"key_id\":\"k1\",\"status\":"
        "\"COMPLETED\",\"enabled\":true,\"domains\":[\"acme.com\",\"acme.org\"]},{\"id\":\"conn_2\"}]}";
    mock_http_enqueue(f->mock, "GET", "/api/v1/connections", 200, list);
    scalekit_connections *l = NULL;
    assert_int_equal(scalekit_connection_list_by_domain(f->client, "acme.com", NULL, &l), SCALEKIT_OK);
    mock_assert_request(f->mock, "/api/v1/connections", 0, "GET", "domain=acme.com", "");
    assert_int_equal(l->count, 2);
    const scalekit_connection_summary *s = l->items[0];
    assert_string_equal(s->id, "conn_1");
    assert_string_equal(s->organization_id, "org_1");
    assert_string_equal(s->organization_name, "Acme");
    assert_string_equal(s->type, "OIDC");
    assert_string_equal(s->provider, "OKTA");
    assert_string_equal(s->provider_key, "okta");
    assert_string_equal(s->key_id, "k1");
    assert_string_equal(s->status, "COMPLETED");
    assert_true(s->enabled);
    assert_string_equal(s->domains[1], "acme.org");
    assert_null(s->domains[2]);
    assert_false(l->items[1]->enabled);
    assert_string_equal(l->raw_json, list);
    scalekit_connections_free(l);

    scalekit_connection_list_options o = SCALEKIT_CONNECTION_LIST_OPTIONS_INIT;
    o.include = "all";
    mock_http_enqueue(f->mock, "GET", "/api/v1/connections", 200, "{\"connections\":[]}");
    assert_int_equal(scalekit_connection_list(f->client, "org_1", &o, &l), SCALEKIT_OK);
    mock_assert_request(f->mock, "/api/v1/connections", 1, "GET", "organization_id=org_1&include=all", "");
    assert_int_equal(l->count, 0);
    scalekit_connections_free(l);

    mock_http_enqueue(f->mock, "PATCH", CONNS "/conn_1:enable", 200, "{\"enabled\":true}");
    scalekit_connection_toggle *t = NULL;
    assert_int_equal(scalekit_connection_enable(f->client, "org_1", "conn_1", &t), SCALEKIT_OK);
    mock_assert_request(f->mock, CONNS "/conn_1:enable", 0, "PATCH", "", "");
    assert_true(t->enabled);
    assert_null(t->error_message);
    scalekit_connection_toggle_free(t);
    mock_http_enqueue(f->mock, "PATCH", CONNS "/conn_1:disable", 200,
                      "{\"enabled\":false,\"error_message\":\"placeholder\"}");
    assert_int_equal(scalekit_connection_disable(f->client, "org_1", "conn_1", &t), SCALEKIT_OK);
    assert_false(t->enabled);
    assert_string_equal(t->error_message, "placeholder");
    scalekit_connection_toggle_free(t);
    mock_http_enqueue(f->mock, "PATCH", CONNS "/conn_2:enable", 400,
                      "{\"code\":9,\"message\":\"connection conn_2 is not configured\"}");
    assert_int_equal(scalekit_connection_enable(f->client, "org_1", "conn_2", &t), SCALEKIT_EINVALID_REQUEST);
    assert_null(t);

    mock_http_enqueue(f->mock, "DELETE", CONNS "/conn_1", 200, "{}");
    assert_int_equal(scalekit_connection_delete(f->client, "org_1", "conn_1"), SCALEKIT_OK);
    mock_assert_request(f->mock, CONNS "/conn_1", 0, "DELETE", "", "");
}

static void refusals_send_nothing(void **state)
{
    mock_client *f = *state;
    scalekit_connection *c = (scalekit_connection *)&c;
    scalekit_connections *l = (scalekit_connections *)&l;
    scalekit_connection_toggle *t = (scalekit_connection_toggle *)&t;
    scalekit_connection_input in = SCALEKIT_CONNECTION_INPUT_INIT, unset = {0};
    scalekit_connection_list_options unset_list = {0};

    assert_int_equal(scalekit_connection_create(f->client, "org_1", NULL, &c), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "in must not be NULL");
    assert_null(c);
    assert_int_equal(scalekit_connection_create(f->client, "org_1", &in, &c), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "in->type must not be empty");
    assert_int_equal(scalekit_connection_create(f->client, "org_1", &unset, &c), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "scalekit_connection_input.struct_size is 0: "
                        "initialise the struct with SCALEKIT_CONNECTION_INPUT_INIT");
    in.type = "OIDC";
    assert_int_equal(scalekit_connection_create(f->client, "", &in, &c), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "organization_id must not be empty");
    in.saml_config = "{oops";
    assert_int_equal(scalekit_connection_create(f->client, "org_1", &in, &c), SCALEKIT_EINVAL);
    in.saml_config = NULL;
    scalekit_connection_oidc_config_input oidc = {0};
    in.oidc_config = &oidc;
    assert_int_equal(scalekit_connection_update(f->client, "org_1", "conn_1", &in, &c), SCALEKIT_EINVAL);
    assert_non_null(strstr(scalekit_error_last()->message, "SCALEKIT_CONNECTION_OIDC_CONFIG_INPUT_INIT"));
    assert_int_equal(scalekit_connection_update(f->client, "org_1", "conn_1", NULL, &c), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_connection_get(f->client, "org_1", "..", &c), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_connection_get(f->client, "org_1", "conn_1", NULL), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_connection_list_by_domain(f->client, "", NULL, &l), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "domain must not be empty");
    assert_null(l);
    assert_int_equal(scalekit_connection_list(f->client, NULL, NULL, &l), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "organization_id must not be empty");
    assert_int_equal(scalekit_connection_list(f->client, "org_1", &unset_list, &l), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_connection_enable(f->client, "org_1", "", &t), SCALEKIT_EINVAL);
    assert_null(t);
    assert_int_equal(scalekit_connection_disable(f->client, "", "conn_1", &t), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_connection_delete(f->client, "org_1", NULL), SCALEKIT_EINVAL);
    assert_int_equal(mock_http_request_count(f->mock), 0);
    scalekit_connection_free(NULL);
    scalekit_connections_free(NULL);
    scalekit_connection_toggle_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(get_decodes_every_member, mock_client_setup, mock_client_teardown),
        cmocka_unit_test_setup_teardown(other_configurations_decode, mock_client_setup, mock_client_teardown),
        cmocka_unit_test_setup_teardown(create_and_update_send_the_input, mock_client_setup, mock_client_teardown),
        cmocka_unit_test_setup_teardown(lists_toggles_and_delete, mock_client_setup, mock_client_teardown),
        cmocka_unit_test_setup_teardown(refusals_send_nothing, mock_client_setup, mock_client_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
