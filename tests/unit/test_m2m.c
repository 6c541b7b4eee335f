/* Organization API clients and authentication logs against the scripted mock
 * server: each request on the wire (method, path, query, JSON body), every
 * decoded member, the C-level refusals that send nothing, and the iterators. */
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

#define CLIENTS "/api/v1/organizations/org_1/clients"
#define LOGS "/api/v1/logs/authentication/requests"

#define SECRET_JSON(id) \
    "{\"id\":\"" id "\",\"secret_suffix\":\"wxyz\",\"create_time\":\"2025-09-01T12:14:43Z\"," \
    "\"update_time\":\"2025-09-01T12:14:44Z\",\"last_used_time\":\"2025-09-02T00:00:00Z\",\"created_by\":\"usr_1\"}"
#define CLIENT_JSON(id)                                                                                 \
    "{\"client_id\":\"" id "\",\"organization_id\":\"org_1\",\"name\":\"Deployer\",\"description\":\"CI\"," \
    "\"scopes\":[\"a:b\",\"c:d\"],\"audience\":[\"https://api.example.com\"],"                          \
    "\"custom_claims\":[{\"key\":\"env\",\"value\":\"prod\"}],\"expiry\":\"3600\","                     \
    "\"secrets\":[" SECRET_JSON("sec_1") "],\"is_dcr\":false,\"is_cimd\":true,"                       \
    "\"create_time\":\"2025-09-01T12:14:43Z\",\"update_time\":\"2025-09-01T12:14:44Z\",\"future\":1}"

static void create_sends_everything_and_decodes(void **state)
{
    mock_client *f = *state;
    const char *answer = "{\"client\":" CLIENT_JSON("m2morg_1") ",\"plain_secret\":\"sks_secretwxyz\"}";
    mock_http_enqueue(f->mock, "POST", CLIENTS, 201, answer);
    const char *const scopes[] = {"a:b", "c:d", NULL};
    const char *const audience[] = {"https://api.example.com", NULL};
    scalekit_m2m_custom_claim env = SCALEKIT_M2M_CUSTOM_CLAIM_INIT;
    env.key = "env";
    env.value = "prod";
    const scalekit_m2m_custom_claim *claims[] = {&env};
    int64_t expiry = 3600;
    scalekit_m2m_client_options o = SCALEKIT_M2M_CLIENT_OPTIONS_INIT;
    o.description = "CI";
    o.scopes = scopes;
    o.audience = audience;
    o.custom_claims = claims;
    o.custom_claim_count = 1;
    o.expiry = &expiry;
    scalekit_m2m_client_created *created = NULL;
    assert_int_equal(scalekit_m2m_client_create(f->client, "org_1", "Deployer", &o, &created), SCALEKIT_OK);
    mock_assert_request(f->mock, CLIENTS, 0, "POST", "",
                        "{\"name\":\"Deployer\",\"description\":\"CI\",\"scopes\":[\"a:b\",\"c:d\"],"
                        "\"audience\":[\"https://api.example.com\"],"
                        "\"custom_claims\":[{\"key\":\"env\",\"value\":\"prod\"}],\"expiry\":\"3600\"}");
    assert_string_equal(created->plain_secret, "sks_secretwxyz");
    assert_string_equal(created->raw_json, answer);
    const scalekit_m2m_client *c = created->client;
    assert_string_equal(c->client_id, "m2morg_1");
    assert_string_equal(c->organization_id, "org_1");
    assert_string_equal(c->name, "Deployer");
    assert_string_equal(c->description, "CI");
    assert_string_equal(c->scopes[1], "c:d");
    assert_null(c->scopes[2]);
    assert_string_equal(c->audience[0], "https://api.example.com");
    assert_int_equal(c->custom_claim_count, 1);
    assert_string_equal(c->custom_claims[0]->key, "env");
    assert_string_equal(c->custom_claims[0]->value, "prod");
    assert_int_equal(c->expiry, 3600);
    assert_false(c->is_dcr);
    assert_true(c->is_cimd);
    assert_true(c->create_time == INT64_C(1756728883));
    assert_int_equal(c->secret_count, 1);
    assert_string_equal(c->secrets[0]->id, "sec_1");
    assert_string_equal(c->secrets[0]->secret_suffix, "wxyz");
    assert_string_equal(c->secrets[0]->created_by, "usr_1");
    assert_null(c->secrets[0]->status);
    assert_null(c->secrets[0]->plain_secret);
    assert_true(c->secrets[0]->last_used_time == INT64_C(1756771200));
    scalekit_m2m_client_created_free(created);

    /* No options: only the name. */
    mock_http_enqueue(f->mock, "POST", CLIENTS, 201, answer);
    assert_int_equal(scalekit_m2m_client_create(f->client, "org_1", "Deployer", NULL, &created), SCALEKIT_OK);
    mock_assert_request(f->mock, CLIENTS, 1, "POST", "", "{\"name\":\"Deployer\"}");
    scalekit_m2m_client_created_free(created);
}

static void update_get_delete_and_secrets(void **state)
{
    mock_client *f = *state;
    mock_http_enqueue(f->mock, "PATCH", CLIENTS "/m2morg_1", 200, "{\"client\":" CLIENT_JSON("m2morg_1") "}");
    scalekit_m2m_client_options o = SCALEKIT_M2M_CLIENT_OPTIONS_INIT;
    const char *const none[] = {NULL};
    o.scopes = none;
    scalekit_m2m_client *c = NULL;
    /* No name: unchanged, not sent; an empty list is sent (it clears). */
    assert_int_equal(scalekit_m2m_client_update(f->client, "org_1", "m2morg_1", NULL, &o, &c), SCALEKIT_OK);
    mock_assert_request(f->mock, CLIENTS "/m2morg_1", 0, "PATCH", "", "{\"scopes\":[]}");
    assert_string_equal(c->name, "Deployer");
    scalekit_m2m_client_free(c);
    mock_http_enqueue(f->mock, "PATCH", CLIENTS "/m2morg_1", 200, "{\"client\":" CLIENT_JSON("m2morg_1") "}");
    assert_int_equal(scalekit_m2m_client_update(f->client, "org_1", "m2morg_1", "New", NULL, &c), SCALEKIT_OK);
    mock_assert_request(f->mock, CLIENTS "/m2morg_1", 1, "PATCH", "", "{\"name\":\"New\"}");
    scalekit_m2m_client_free(c);

    mock_http_enqueue(f->mock, "GET", CLIENTS "/m2morg_1", 200, "{\"client\":" CLIENT_JSON("m2morg_1") "}");
    assert_int_equal(scalekit_m2m_client_get(f->client, "org_1", "m2morg_1", &c), SCALEKIT_OK);
    mock_assert_request(f->mock, CLIENTS "/m2morg_1", 2, "GET", "", "");
    scalekit_m2m_client_free(c);
    mock_http_enqueue(f->mock, "GET", CLIENTS "/m2morg_2", 404, "{\"code\":5,\"message\":\"organization client m2morg_2 not found\"}");
    assert_int_equal(scalekit_m2m_client_get(f->client, "org_1", "m2morg_2", &c), SCALEKIT_ENOTFOUND);
    assert_null(c);
    mock_http_enqueue(f->mock, "GET", CLIENTS "/m2morg_3", 200, "{\"secret\":{}}");
    assert_int_equal(scalekit_m2m_client_get(f->client, "org_1", "m2morg_3", &c), SCALEKIT_EMALFORMED_RESPONSE);

    mock_http_enqueue(f->mock, "DELETE", CLIENTS "/m2morg_1", 200, "{}");
    assert_int_equal(scalekit_m2m_client_delete(f->client, "org_1", "m2morg_1"), SCALEKIT_OK);
    mock_assert_request(f->mock, CLIENTS "/m2morg_1", 3, "DELETE", "", "");

    const char *added = "{\"secret\":" SECRET_JSON("sec_2") ",\"plain_secret\":\"sks_newwxyz\"}";
    mock_http_enqueue(f->mock, "POST", CLIENTS "/m2morg_1/secrets", 201, added);
    scalekit_m2m_client_secret_created *s = NULL;
    assert_int_equal(scalekit_m2m_client_add_secret(f->client, "org_1", "m2morg_1", &s), SCALEKIT_OK);
    mock_assert_request(f->mock, CLIENTS "/m2morg_1/secrets", 0, "POST", "", "");
    assert_string_equal(s->plain_secret, "sks_newwxyz");
    assert_string_equal(s->secret->id, "sec_2");
    assert_string_equal(s->raw_json, added);
    scalekit_m2m_client_secret_created_free(s);
    mock_http_enqueue(f->mock, "DELETE", CLIENTS "/m2morg_1/secrets/sec%2F2", 200, "{}");
    assert_int_equal(scalekit_m2m_client_remove_secret(f->client, "org_1", "m2morg_1", "sec/2"), SCALEKIT_OK);
}

static void refusals_send_nothing(void **state)
{
    mock_client *f = *state;
    scalekit_m2m_client_created *created = (scalekit_m2m_client_created *)&created;
    scalekit_m2m_client_options unset = {0};
    scalekit_m2m_custom_claim bare = {0};
    const scalekit_m2m_custom_claim *claims[] = {&bare};
    scalekit_m2m_client_options with_bare = SCALEKIT_M2M_CLIENT_OPTIONS_INIT;
    with_bare.custom_claims = claims;
    with_bare.custom_claim_count = 1;
    scalekit_m2m_client *c = NULL;

    assert_int_equal(scalekit_m2m_client_create(f->client, "org_1", "", NULL, &created), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "name must not be empty");
    assert_null(created);
    assert_int_equal(scalekit_m2m_client_create(f->client, "", "N", NULL, &created), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "organization_id must not be empty");
    assert_int_equal(scalekit_m2m_client_create(f->client, "org_1", "N", &unset, &created), SCALEKIT_EINVAL);
    assert_non_null(strstr(scalekit_error_last()->message, "SCALEKIT_M2M_CLIENT_OPTIONS_INIT"));
    assert_int_equal(scalekit_m2m_client_create(f->client, "org_1", "N", &with_bare, &created), SCALEKIT_EINVAL);
    assert_non_null(strstr(scalekit_error_last()->message, "SCALEKIT_M2M_CUSTOM_CLAIM_INIT"));
    assert_int_equal(scalekit_m2m_client_create(f->client, "org_1", "N", NULL, NULL), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_m2m_client_get(f->client, "org_1", "..", &c), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_m2m_client_update(f->client, "org_1", "", "N", NULL, &c), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "client_id must not be empty");
    assert_int_equal(scalekit_m2m_client_remove_secret(f->client, "org_1", "m2morg_1", ""), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "secret_id must not be empty");
    scalekit_auth_log_list_options unset_logs = {0};
    scalekit_auth_log_request_page *page = NULL;
    assert_int_equal(scalekit_auth_log_list_requests(f->client, &unset_logs, &page), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_auth_log_list_requests(f->client, NULL, NULL), SCALEKIT_EINVAL);
    scalekit_auth_log_iterator *it = NULL;
    assert_int_equal(scalekit_auth_log_iterator_new(NULL, NULL, &it), SCALEKIT_EINVAL);
    assert_int_equal(mock_http_request_count(f->mock), 0);
}

static void client_iterator_follows_tokens(void **state)
{
    mock_client *f = *state;
    mock_http_enqueue(f->mock, "GET", CLIENTS, 200, "{\"clients\":[" CLIENT_JSON("m2morg_1") "," CLIENT_JSON("m2morg_2")
                      "],\"next_page_token\":\"t1\",\"prev_page_token\":\"\",\"total_size\":3}");
    mock_http_enqueue(f->mock, "GET", CLIENTS, 200, "{\"clients\":[" CLIENT_JSON("m2morg_3")
                      "],\"next_page_token\":\"\",\"prev_page_token\":\"t0\",\"total_size\":3}");
    scalekit_m2m_client_list_options o = SCALEKIT_M2M_CLIENT_LIST_OPTIONS_INIT;
    o.page_size = 2;
    scalekit_m2m_client_iterator *it = NULL;
    assert_int_equal(scalekit_m2m_client_iterator_new(f->client, "org_1", &o, &it), SCALEKIT_OK);
    const scalekit_m2m_client *c;
    char seen[16] = "";
    int rc;
    while ((rc = scalekit_m2m_client_iterator_next(it, &c)) == SCALEKIT_OK)
        strcat(seen, c->client_id + 7);
    assert_int_equal(rc, SCALEKIT_ITEROVER);
    assert_string_equal(seen, "123");
    mock_assert_request(f->mock, CLIENTS, 0, "GET", "page_size=2", "");
    mock_assert_request(f->mock, CLIENTS, 1, "GET", "page_size=2&page_token=t1", "");
    scalekit_m2m_client_iterator_free(it);
}

#define LOG_JSON(id, status)                                                                          \
    "{\"auth_request_id\":\"" id "\",\"status\":\"" status "\",\"email\":\"a@acme.com\","            \
    "\"organization_id\":\"org_1\",\"environment_id\":\"env_1\",\"client_id\":\"skc_1\","            \
    "\"client_type\":\"ENV\",\"connection_id\":\"conn_1\",\"connection_type\":\"OIDC\","             \
    "\"connection_provider\":\"OKTA\",\"connection_details\":[{\"connection_id\":\"conn_1\","        \
    "\"connection_type\":\"OIDC\",\"connection_provider\":\"OKTA\",\"organization_id\":\"org_1\"}]," \
    "\"workflow\":\"sso\",\"timestamp\":\"2025-09-01T12:14:43Z\"}"

static void auth_log_filters_and_pages(void **state)
{
    mock_client *f = *state;
    const char *first = "{\"authRequests\":[" LOG_JSON("ar_2", "FAILED") "," LOG_JSON("ar_1", "SUCCESS")
                        "],\"next_page_token\":\"n1\",\"prev_page_token\":\"\",\"total_size\":3}";
    mock_http_enqueue(f->mock, "GET", LOGS, 200, first);
    scalekit_auth_log_list_options o = SCALEKIT_AUTH_LOG_LIST_OPTIONS_INIT;
    const char *const statuses[] = {"SUCCESS", "FAILED", NULL};
    o.page_size = 2;
    o.email = "a@acme.com";
    o.statuses = statuses;
    o.start_time = INT64_C(1756728883);
    o.end_time = INT64_C(1756728884);
    o.resource_id = "res_1";
    o.client_id = "skc_1";
    scalekit_auth_log_request_page *page = NULL;
    assert_int_equal(scalekit_auth_log_list_requests(f->client, &o, &page), SCALEKIT_OK);
    mock_assert_request(f->mock, LOGS, 0, "GET",
                        "page_size=2&email=a%40acme.com&status=SUCCESS&status=FAILED&start_time=2025-09-01T12%3A14%3A43.000000Z"
                        "&end_time=2025-09-01T12%3A14%3A44.000000Z&resource_id=res_1&client_id=skc_1", "");
    assert_int_equal(page->count, 2);
    assert_int_equal(page->total_size, 3);
    assert_string_equal(page->next_page_token, "n1");
    const scalekit_auth_log_request *r = page->items[0];
    assert_string_equal(r->auth_request_id, "ar_2");
    assert_string_equal(r->status, "FAILED");
    assert_string_equal(r->email, "a@acme.com");
    assert_string_equal(r->organization_id, "org_1");
    assert_string_equal(r->environment_id, "env_1");
    assert_string_equal(r->client_id, "skc_1");
    assert_string_equal(r->client_type, "ENV");
    assert_string_equal(r->connection_id, "conn_1");
    assert_string_equal(r->connection_type, "OIDC");
    assert_string_equal(r->connection_provider, "OKTA");
    assert_int_equal(r->connection_count, 1);
    assert_string_equal(r->connection_details[0]->organization_id, "org_1");
    assert_string_equal(r->workflow, "sso");
    assert_true(r->timestamp == INT64_C(1756728883));
    assert_string_equal(page->raw_json, first);
    scalekit_auth_log_request_page_free(page);

    /* The iterator: the same filters on every page, the token of the last. */
    mock_http_enqueue(f->mock, "GET", LOGS, 200, first);
    mock_http_enqueue(f->mock, "GET", LOGS, 200, "{\"authRequests\":[" LOG_JSON("ar_0", "SUCCESS")
                      "],\"next_page_token\":\"\",\"prev_page_token\":\"p\",\"total_size\":3}");
    scalekit_auth_log_list_options only = SCALEKIT_AUTH_LOG_LIST_OPTIONS_INIT;
    only.client_id = "skc_1";
    scalekit_auth_log_iterator *it = NULL;
    assert_int_equal(scalekit_auth_log_iterator_new(f->client, &only, &it), SCALEKIT_OK);
    const scalekit_auth_log_request *item;
    char seen[16] = "";
    int rc;
    while ((rc = scalekit_auth_log_iterator_next(it, &item)) == SCALEKIT_OK)
        strcat(seen, item->auth_request_id + 3);
    assert_int_equal(rc, SCALEKIT_ITEROVER);
    assert_string_equal(seen, "210");
    mock_assert_request(f->mock, LOGS, 1, "GET", "client_id=skc_1", "");
    mock_assert_request(f->mock, LOGS, 2, "GET", "client_id=skc_1&page_token=n1", "");
    scalekit_auth_log_iterator_free(it);

    /* The server's 400 for a status it does not know. */
    mock_http_enqueue(f->mock, "GET", LOGS, 400, "{\"code\":3,\"message\":\"each status must be INITIATED, PENDING, "
                      "SUCCESS or FAILED\"}");
    const char *const bad[] = {"DONE", NULL};
    o.statuses = bad;
    assert_int_equal(scalekit_auth_log_list_requests(f->client, &o, &page), SCALEKIT_EINVALID_REQUEST);
    assert_null(page);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(create_sends_everything_and_decodes, mock_client_setup, mock_client_teardown),
        cmocka_unit_test_setup_teardown(update_get_delete_and_secrets, mock_client_setup, mock_client_teardown),
        cmocka_unit_test_setup_teardown(refusals_send_nothing, mock_client_setup, mock_client_teardown),
        cmocka_unit_test_setup_teardown(client_iterator_follows_tokens, mock_client_setup, mock_client_teardown),
        cmocka_unit_test_setup_teardown(auth_log_filters_and_pages, mock_client_setup, mock_client_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
