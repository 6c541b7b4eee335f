/* Every organization method against the scripted mock server: the request on the
 * wire (method, path, query, JSON body) and the decoded result, plus failures. */
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

#define ORG_JSON                                                                             \
    "{\"id\":\"org_1\",\"display_name\":\"Acme\",\"external_id\":\"ext_1\","                 \
    "\"region_code\":\"US\",\"slug\":\"acme\",\"logo_url\":\"https://cdn.example.com/l.png\"," \
    "\"metadata\":{\"plan\":\"gold\"},\"settings\":{\"features\":[{\"name\":\"sso\","         \
    "\"enabled\":true},{\"name\":\"dir_sync\",\"enabled\":false}]},"                          \
    "\"create_time\":\"2025-02-15T06:23:44.560000Z\",\"update_time\":\"2025-02-15T06:23:45Z\"," \
    "\"future_field\":1}"

static void assert_acme(const scalekit_organization *org)
{
    assert_string_equal(org->id, "org_1");
    assert_string_equal(org->display_name, "Acme");
    assert_string_equal(org->external_id, "ext_1");
    assert_string_equal(org->region_code, "US");
    assert_string_equal(org->slug, "acme");
    assert_string_equal(org->logo_url, "https://cdn.example.com/l.png");
    assert_string_equal(scalekit_string_map_get(&org->metadata, "plan"), "gold");
    assert_non_null(org->settings);
    assert_int_equal(org->settings->struct_size, sizeof(scalekit_organization_settings));
    assert_int_equal(org->settings->feature_count, 2);
    assert_string_equal(org->settings->features[0]->name, "sso");
    assert_true(org->settings->features[0]->enabled);
    assert_string_equal(org->settings->features[1]->name, "dir_sync");
    assert_false(org->settings->features[1]->enabled);
    assert_true(org->create_time == INT64_C(1739600624));
    assert_true(org->update_time == INT64_C(1739600625));
}

static void create_sends_every_field(void **state)
{
    mock_client *f = *state;
    const char *answer = "{\"organization\":" ORG_JSON "}";
    mock_http_enqueue(f->mock, "POST", "/api/v1/organizations", 201, answer);
    scalekit_header meta[] = { { "plan", "gold" }, { "seats", "10" } };
    scalekit_organization_create_options opts = { .struct_size = sizeof(scalekit_organization_create_options),
        .external_id = "ext_1", .metadata = { meta, 2 }, .slug = "acme",
        .logo_url = "https://cdn.example.com/l.png",
    };
    scalekit_organization *org = NULL;
    assert_int_equal(scalekit_organization_create(f->client, "Acme", &opts, &org), SCALEKIT_OK);
    mock_assert_request(f->mock, "/api/v1/organizations", 0, "POST", "",
                        "{\"display_name\":\"Acme\",\"external_id\":\"ext_1\",\"metadata\":{\"plan\":"
                        "\"gold\",\"seats\":\"10\"},\"slug\":\"acme\",\"logo_url\":"
                        "\"https://cdn.example.com/l.png\"}");
    assert_acme(org);
    assert_string_equal(org->raw_json, answer);
    scalekit_organization_free(org);

    /* Without options only the name is sent. */
    mock_http_enqueue(f->mock, "POST", "/api/v1/organizations", 201, answer);
    assert_int_equal(scalekit_organization_create(f->client, "Acme", NULL, &org), SCALEKIT_OK);
    mock_assert_request(f->mock, "/api/v1/organizations", 1, "POST", "", "{\"display_name\":\"Acme\"}");
    scalekit_organization_free(org);
}

/* The SDK refuses only what C cannot send; business rules reach the server. */
static void create_refuses_bad_arguments(void **state)
{
    mock_client *f = *state;
    scalekit_organization *org = (scalekit_organization *)&org;
    scalekit_organization_create_options unset = { 0 };
    struct { const char *name; const scalekit_organization_create_options *opts; const char *msg; } cases[] = {
        { "", NULL, "display_name must not be empty" },
        { NULL, NULL, "display_name must not be empty" },
        { "\xc3(", NULL, "organization.display_name is not valid UTF-8" },
        { "A", &unset, "scalekit_organization_create_options.struct_size is 0: initialise the "
                       "struct with SCALEKIT_ORGANIZATION_CREATE_OPTIONS_INIT" },
        { "A", &(scalekit_organization_create_options){ .struct_size = sizeof(scalekit_organization_create_options), .slug = "\xff" },
          "scalekit_organization_create_options.slug is not valid UTF-8" },
        { "A", &(scalekit_organization_create_options){ .struct_size = sizeof(scalekit_organization_create_options),
                 .metadata = { (scalekit_header[]){ { NULL, "v" } }, 1 } },
          "scalekit_organization_create_options.metadata entry 0 has a NULL name" },
        { "A", &(scalekit_organization_create_options){ .struct_size = sizeof(scalekit_organization_create_options),
                 .metadata = { (scalekit_header[]){ { "k", NULL } }, 1 } },
          "scalekit_organization_create_options.metadata entry 0 has a NULL value" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(scalekit_organization_create(f->client, cases[i].name, cases[i].opts, &org),
                         SCALEKIT_EINVAL);
        assert_null(org);
        const char *msg = scalekit_error_last()->message;
        if (strcmp(msg, cases[i].msg) != 0)
            fail_msg("case %zu: \"%s\", not \"%s\"", i, msg, cases[i].msg);
    }
    assert_int_equal(scalekit_organization_create(f->client, "A", NULL, NULL), SCALEKIT_EINVAL);
    assert_int_equal(mock_http_count(f->mock, "/api/v1/organizations"), 0);

    /* What the SDK used to refuse itself (a 201-character name, an uppercase slug,
     * an http logo, an empty metadata name) is sent: the server owns those rules. */
    char long_name[202];
    memset(long_name, 'n', 201);
    long_name[201] = '\0';
    mock_http_enqueue(f->mock, "POST", "/api/v1/organizations", 201, "{\"organization\":{}}");
    scalekit_organization_create_options relaxed = SCALEKIT_ORGANIZATION_CREATE_OPTIONS_INIT;
    relaxed.slug = "Acme_1";
    relaxed.logo_url = "http://cdn.example.com/l.png";
    relaxed.metadata = (scalekit_string_map){ (scalekit_header[]){ { "", "v" } }, 1 };
    assert_int_equal(scalekit_organization_create(f->client, long_name, &relaxed, &org), SCALEKIT_OK);
    scalekit_organization_free(org);
    const mock_request *r = mock_http_request_for(f->mock, "/api/v1/organizations", 0);
    assert_non_null(r);
    assert_non_null(strstr(r->body, "\"slug\":\"Acme_1\",\"logo_url\":\"http://cdn.example.com/l.png\""));
    assert_non_null(strstr(r->body, "\"metadata\":{\"\":\"v\"}"));
}

static void get_encodes_the_id(void **state)
{
    mock_client *f = *state;
    const char *path = "/api/v1/organizations/org%201%2F..%3Fx";
    mock_http_enqueue(f->mock, "GET", path, 200, "{\"organization\":" ORG_JSON "}");
    scalekit_organization *org = NULL;
    assert_int_equal(scalekit_organization_get(f->client, "org 1/..?x", &org), SCALEKIT_OK);
    mock_assert_request(f->mock, path, 0, "GET", "", "");
    assert_acme(org);
    assert_non_null(strstr(org->raw_json, "future_field"));
    scalekit_organization_free(org);

    assert_int_equal(scalekit_organization_get(f->client, "", &org), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "id must not be empty");
    assert_int_equal(scalekit_organization_get(f->client, "..", &org), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_organization_get(NULL, "org_1", &org), SCALEKIT_EINVAL);
    assert_int_equal(mock_http_request_count(f->mock), 2);   /* the token and the one GET */
}

static void get_by_external_id(void **state)
{
    mock_client *f = *state;
    const char *path = "/api/v1/organizations:external/cust%3A12%20a";
    mock_http_enqueue(f->mock, "GET", path, 200, "{\"organization\":" ORG_JSON "}");
    scalekit_organization *org = NULL;
    assert_int_equal(scalekit_organization_get_by_external_id(f->client, "cust:12 a", &org),
                     SCALEKIT_OK);
    mock_assert_request(f->mock, path, 0, "GET", "", "");
    assert_acme(org);
    scalekit_organization_free(org);
    assert_int_equal(scalekit_organization_get_by_external_id(f->client, NULL, &org), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "external_id must not be empty");
}

static void update_sends_only_what_is_set(void **state)
{
    mock_client *f = *state;
    mock_http_enqueue(f->mock, "PATCH", "/api/v1/organizations/org_1", 200,
                      "{\"organization\":" ORG_JSON "}");
    scalekit_organization_update_options up = { .struct_size = sizeof(scalekit_organization_update_options), .display_name = "New", .slug = "" };
    scalekit_organization *org = NULL;
    assert_int_equal(scalekit_organization_update(f->client, "org_1", &up, &org), SCALEKIT_OK);
    mock_assert_request(f->mock, "/api/v1/organizations/org_1", 0, "PATCH", "",
                        "{\"display_name\":\"New\",\"slug\":\"\"}");
    assert_acme(org);
    scalekit_organization_free(org);

    scalekit_organization_update_options bad_utf8 = SCALEKIT_ORGANIZATION_UPDATE_OPTIONS_INIT;
    bad_utf8.external_id = "\xe2\x82";
    assert_int_equal(scalekit_organization_update(f->client, "org_1", &bad_utf8, &org), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message,
                        "scalekit_organization_update_options.external_id is not valid UTF-8");
    scalekit_organization_update_options unset = { 0 };
    assert_int_equal(scalekit_organization_update(f->client, "org_1", &unset, &org), SCALEKIT_EINVAL);
    assert_non_null(strstr(scalekit_error_last()->message,
                           "SCALEKIT_ORGANIZATION_UPDATE_OPTIONS_INIT"));
    assert_int_equal(scalekit_organization_update(f->client, "org_1", NULL, &org), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "update must not be NULL");
    assert_int_equal(scalekit_organization_update(f->client, "", &up, &org), SCALEKIT_EINVAL);
    assert_int_equal(mock_http_count(f->mock, "/api/v1/organizations/org_1"), 1);
}

static void update_by_external_id_resolves_then_patches(void **state)
{
    mock_client *f = *state;
    mock_http_enqueue(f->mock, "GET", "/api/v1/organizations:external/ext_1", 200,
                      "{\"organization\":{\"id\":\"org 9\"}}");
    mock_http_enqueue(f->mock, "PATCH", "/api/v1/organizations/org%209", 200,
                      "{\"organization\":" ORG_JSON "}");
    scalekit_header meta[] = { { "k", "v" } };
    scalekit_organization_update_options up = { .struct_size = sizeof(scalekit_organization_update_options), .external_id = "ext_2", .metadata = { meta, 1 } };
    scalekit_organization *org = NULL;
    assert_int_equal(scalekit_organization_update_by_external_id(f->client, "ext_1", &up, &org),
                     SCALEKIT_OK);
    mock_assert_request(f->mock, "/api/v1/organizations/org%209", 0, "PATCH", "",
                        "{\"external_id\":\"ext_2\",\"metadata\":{\"k\":\"v\"}}");
    assert_acme(org);
    scalekit_organization_free(org);

    /* Not found: no PATCH follows. */
    mock_http_enqueue(f->mock, "GET", "/api/v1/organizations:external/nope", 404,
                      "{\"code\":5,\"message\":\"organization not found\"}");
    assert_int_equal(scalekit_organization_update_by_external_id(f->client, "nope", &up, &org),
                     SCALEKIT_ENOTFOUND);
    assert_null(org);
    assert_int_equal(mock_http_count(f->mock, "/api/v1/organizations/org%209"), 1);
}

static void delete_and_api_errors(void **state)
{
    mock_client *f = *state;
    mock_http_enqueue(f->mock, "DELETE", "/api/v1/organizations/org_1", 200, "");
    assert_int_equal(scalekit_organization_delete(f->client, "org_1"), SCALEKIT_OK);
    mock_assert_request(f->mock, "/api/v1/organizations/org_1", 0, "DELETE", "", "");

    mock_http_enqueue(f->mock, "DELETE", "/api/v1/organizations/org_2", 404,
                      "{\"code\":5,\"message\":\"organization org_2 not found\",\"details\":[{"
                      "\"@type\":\"type.googleapis.com/scalekit.v1.errdetails.ErrorInfo\","
                      "\"error_code\":\"NOT_FOUND\",\"request_info\":{\"request_id\":\"req_9\"}}]}");
    assert_int_equal(scalekit_organization_delete(f->client, "org_2"), SCALEKIT_ENOTFOUND);
    const scalekit_error *e = scalekit_error_last();
    assert_int_equal(e->http_status, 404);
    assert_string_equal(e->error_code, "NOT_FOUND");
    assert_string_equal(e->request_id, "req_9");
    assert_non_null(strstr(e->message, "organization org_2 not found"));

    assert_int_equal(scalekit_organization_delete(f->client, ""), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_organization_delete(f->client, NULL), SCALEKIT_EINVAL);
}

static void invalid_request_with_field_violations(void **state)
{
    mock_client *f = *state;
    mock_http_enqueue(f->mock, "POST", "/api/v1/organizations", 400,
                      "{\"code\":3,\"message\":\"invalid organization\",\"details\":[{"
                      "\"error_code\":\"INVALID_ARGUMENT\",\"validation_error_info\":{"
                      "\"field_violations\":[{\"field\":\"display_name\",\"description\":"
                      "\"too long\",\"constraint\":\"max_len\"}]}}]}");
    scalekit_organization *org = NULL;
    assert_int_equal(scalekit_organization_create(f->client, "Acme", NULL, &org),
                     SCALEKIT_EINVALID_REQUEST);
    assert_null(org);
    const scalekit_error *e = scalekit_error_last();
    assert_int_equal(e->http_status, 400);
    assert_string_equal(e->error_code, "INVALID_ARGUMENT");
    assert_int_equal(e->field_violation_count, 1);
    assert_string_equal(e->field_violations[0].field, "display_name");
    assert_string_equal(e->field_violations[0].description, "too long");
    assert_string_equal(e->field_violations[0].constraint, "max_len");
}

static void malformed_responses(void **state)
{
    mock_client *f = *state;
    scalekit_organization *org = NULL;
    mock_http_enqueue(f->mock, "GET", "/api/v1/organizations/org_1", 200, "{\"organization\":");
    assert_int_equal(scalekit_organization_get(f->client, "org_1", &org),
                     SCALEKIT_EMALFORMED_RESPONSE);
    assert_null(org);
    mock_http_enqueue(f->mock, "GET", "/api/v1/organizations/org_1", 200, "[1,2]");
    assert_int_equal(scalekit_organization_get(f->client, "org_1", &org),
                     SCALEKIT_EMALFORMED_RESPONSE);
    /* Valid JSON without the resource member. */
    mock_http_enqueue(f->mock, "GET", "/api/v1/organizations/org_1", 200, "{\"organization\":7}");
    assert_int_equal(scalekit_organization_get(f->client, "org_1", &org),
                     SCALEKIT_EMALFORMED_RESPONSE);
    assert_non_null(strstr(scalekit_error_last()->message, "\"organization\""));
    assert_null(org);
    /* Members of the wrong type are tolerated. */
    mock_http_enqueue(f->mock, "GET", "/api/v1/organizations/org_1", 200,
                      "{\"organization\":{\"id\":5,\"display_name\":\"A\",\"settings\":[],"
                      "\"metadata\":\"x\",\"create_time\":12}}");
    assert_int_equal(scalekit_organization_get(f->client, "org_1", &org), SCALEKIT_OK);
    assert_null(org->id);
    assert_string_equal(org->display_name, "A");
    assert_null(org->settings);
    assert_int_equal(org->metadata.count, 0);
    assert_true(org->create_time == 0);
    scalekit_organization_free(org);
}

static void list_one_page(void **state)
{
    mock_client *f = *state;
    const char *answer = "{\"organizations\":[" ORG_JSON ",{\"id\":\"org_2\"}],"
                         "\"next_page_token\":\"n1\",\"prev_page_token\":\"p0\",\"total_size\":\"30\"}";
    mock_http_enqueue(f->mock, "GET", "/api/v1/organizations", 200, answer);
    scalekit_organization_list_options opts = { .struct_size = sizeof(scalekit_organization_list_options), .page_size = 2, .page_token = "tok a",
                                                .external_id = "e/1" };
    scalekit_organization_page *page = NULL;
    assert_int_equal(scalekit_organization_list(f->client, &opts, &page), SCALEKIT_OK);
    mock_assert_request(f->mock, "/api/v1/organizations", 0, "GET",
                        "external_id=e%2F1&page_size=2&page_token=tok%20a", "");
    assert_int_equal(page->count, 2);
    assert_acme(page->items[0]);
    assert_string_equal(page->items[1]->id, "org_2");
    assert_string_equal(page->items[1]->raw_json, "{\"id\":\"org_2\"}");
    assert_string_equal(page->next_page_token, "n1");
    assert_string_equal(page->prev_page_token, "p0");
    assert_true(page->total_size == 30);
    assert_string_equal(page->raw_json, answer);
    scalekit_organization_page_free(page);

    mock_http_enqueue(f->mock, "GET", "/api/v1/organizations", 200, "{\"total_size\":0}");
    assert_int_equal(scalekit_organization_list(f->client, NULL, &page), SCALEKIT_OK);
    mock_assert_request(f->mock, "/api/v1/organizations", 1, "GET", "", "");
    assert_int_equal(page->count, 0);
    assert_null(page->items);
    assert_null(page->next_page_token);
    scalekit_organization_page_free(page);
    assert_int_equal(scalekit_organization_list(f->client, NULL, NULL), SCALEKIT_EINVAL);
}

static void iterator_walks_every_page_once(void **state)
{
    mock_client *f = *state;
    mock_http_enqueue(f->mock, "GET", "/api/v1/organizations", 200,
                      "{\"organizations\":[{\"id\":\"o1\"},{\"id\":\"o2\"}],\"next_page_token\":\"t2\"}");
    mock_http_enqueue(f->mock, "GET", "/api/v1/organizations", 200,
                      "{\"organizations\":[],\"next_page_token\":\"t3\"}");
    mock_http_enqueue(f->mock, "GET", "/api/v1/organizations", 200,
                      "{\"organizations\":[{\"id\":\"o3\"}],\"next_page_token\":\"t4\"}");
    mock_http_enqueue(f->mock, "GET", "/api/v1/organizations", 200,
                      "{\"organizations\":[{\"id\":\"o4\"},{\"id\":\"o5\"}],\"next_page_token\":\"\"}");
    scalekit_organization_list_options opts = { .struct_size = sizeof(scalekit_organization_list_options), .page_size = 2, .external_id = "x" };
    scalekit_organization_iterator *it = NULL;
    assert_int_equal(scalekit_organization_iterator_new(f->client, &opts, &it), SCALEKIT_OK);
    assert_int_equal(mock_http_count(f->mock, "/api/v1/organizations"), 0);   /* lazy */
    const char *want[] = { "o1", "o2", "o3", "o4", "o5" };
    const scalekit_organization *org = NULL;
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(scalekit_organization_iterator_next(it, &org), SCALEKIT_OK);
        assert_string_equal(org->id, want[i]);
    }
    assert_int_equal(scalekit_organization_iterator_next(it, &org), SCALEKIT_ITEROVER);
    assert_null(org);
    assert_int_equal(scalekit_organization_iterator_next(it, &org), SCALEKIT_ITEROVER);
    assert_int_equal(mock_http_count(f->mock, "/api/v1/organizations"), 4);
    mock_assert_request(f->mock, "/api/v1/organizations", 0, "GET", "external_id=x&page_size=2", "");
    mock_assert_request(f->mock, "/api/v1/organizations", 1, "GET", "external_id=x&page_size=2&page_token=t2", "");
    mock_assert_request(f->mock, "/api/v1/organizations", 2, "GET", "external_id=x&page_size=2&page_token=t3", "");
    mock_assert_request(f->mock, "/api/v1/organizations", 3, "GET", "external_id=x&page_size=2&page_token=t4", "");
    scalekit_organization_iterator_free(it);
    scalekit_organization_iterator_free(NULL);
}

static void iterator_detects_a_repeated_token(void **state)
{
    mock_client *f = *state;
    mock_http_enqueue(f->mock, "GET", "/api/v1/organizations", 200,
                      "{\"organizations\":[{\"id\":\"o1\"}],\"next_page_token\":\"t1\"}");
    mock_http_enqueue(f->mock, "GET", "/api/v1/organizations", 200,
                      "{\"organizations\":[{\"id\":\"o2\"}],\"next_page_token\":\"t2\"}");
    mock_http_enqueue(f->mock, "GET", "/api/v1/organizations", 200,
                      "{\"organizations\":[{\"id\":\"o3\"}],\"next_page_token\":\"t1\"}");
    scalekit_organization_iterator *it = NULL;
    assert_int_equal(scalekit_organization_iterator_new(f->client, NULL, &it), SCALEKIT_OK);
    const scalekit_organization *org = NULL;
    for (int i = 0; i < 3; i++)
        assert_int_equal(scalekit_organization_iterator_next(it, &org), SCALEKIT_OK);
    assert_string_equal(org->id, "o3");
    assert_int_equal(scalekit_organization_iterator_next(it, &org), SCALEKIT_EMALFORMED_RESPONSE);
    assert_non_null(strstr(scalekit_error_last()->message, "\"t1\""));
    assert_int_equal(scalekit_organization_iterator_next(it, &org), SCALEKIT_EMALFORMED_RESPONSE);
    assert_int_equal(mock_http_count(f->mock, "/api/v1/organizations"), 3);
    scalekit_organization_iterator_free(it);
}

static void iterator_stops_on_errors(void **state)
{
    mock_client *f = *state;
    mock_http_enqueue(f->mock, "GET", "/api/v1/organizations", 200,
                      "{\"organizations\":[{\"id\":\"o1\"}],\"next_page_token\":\"t1\"}");
    mock_http_enqueue(f->mock, "GET", "/api/v1/organizations", 400,
                      "{\"code\":3,\"message\":\"invalid page token\"}");
    scalekit_organization_list_options opts = { .struct_size = sizeof(scalekit_organization_list_options), .page_token = "t0" };
    scalekit_organization_iterator *it = NULL;
    assert_int_equal(scalekit_organization_iterator_new(f->client, &opts, &it), SCALEKIT_OK);
    const scalekit_organization *org = NULL;
    assert_int_equal(scalekit_organization_iterator_next(it, &org), SCALEKIT_OK);
    assert_int_equal(scalekit_organization_iterator_next(it, &org), SCALEKIT_EINVALID_REQUEST);
    assert_null(org);
    assert_int_equal(scalekit_organization_iterator_next(it, &org), SCALEKIT_EINVALID_REQUEST);
    assert_int_equal(mock_http_count(f->mock, "/api/v1/organizations"), 2);
    mock_assert_request(f->mock, "/api/v1/organizations", 0, "GET", "page_token=t0", "");
    assert_int_equal(scalekit_organization_iterator_next(it, NULL), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_organization_iterator_next(NULL, &org), SCALEKIT_EINVAL);
    scalekit_organization_iterator_free(it);

    assert_int_equal(scalekit_organization_iterator_new(f->client, NULL, NULL), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_organization_iterator_new(NULL, NULL, &it), SCALEKIT_EINVAL);
    assert_null(it);
}

static void portal_link(void **state)
{
    mock_client *f = *state;
    const char *path = "/api/v1/organizations/org_1/portal_links";
    mock_http_enqueue(f->mock, "PUT", path, 200,
                      "{\"link\":{\"id\":\"lnk_1\",\"location\":\"https://x/portal/lnk_1\","
                      "\"expire_time\":\"2024-02-06T14:48:00Z\"}}");
    const char *features[] = { "sso", "dir_sync", NULL };
    scalekit_organization_portal_link_options opts = { .struct_size = sizeof(scalekit_organization_portal_link_options), .features = features };
    scalekit_organization_portal_link *link = NULL;
    assert_int_equal(scalekit_organization_generate_portal_link(f->client, "org_1", &opts, &link),
                     SCALEKIT_OK);
    mock_assert_request(f->mock, path, 0, "PUT", "features=sso&features=dir_sync", "");
    assert_string_equal(link->id, "lnk_1");
    assert_string_equal(link->location, "https://x/portal/lnk_1");
    assert_true(link->expire_time == INT64_C(1707230880));
    scalekit_organization_portal_link_free(link);

    mock_http_enqueue(f->mock, "PUT", path, 200, "{\"link\":{\"id\":\"lnk_2\"}}");
    assert_int_equal(scalekit_organization_generate_portal_link(f->client, "org_1", NULL, &link),
                     SCALEKIT_OK);
    mock_assert_request(f->mock, path, 1, "PUT", "", "");
    scalekit_organization_portal_link_free(link);
    assert_int_equal(scalekit_organization_generate_portal_link(f->client, "", NULL, &link),
                     SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "organization_id must not be empty");
}

static void update_settings(void **state)
{
    mock_client *f = *state;
    const char *path = "/api/v1/organizations/org_1/settings";
    mock_http_enqueue(f->mock, "PATCH", path, 200, "{\"organization\":" ORG_JSON "}");
    scalekit_organization_feature sso = SCALEKIT_ORGANIZATION_FEATURE_INIT;
    sso.name = "sso";
    sso.enabled = true;
    scalekit_organization_feature dir_sync = SCALEKIT_ORGANIZATION_FEATURE_INIT;
    dir_sync.name = "dir_sync";
    const scalekit_organization_feature *features[] = { &sso, &dir_sync };
    scalekit_organization_settings settings = SCALEKIT_ORGANIZATION_SETTINGS_INIT;
    settings.features = features;
    settings.feature_count = 2;
    scalekit_organization *org = NULL;
    assert_int_equal(scalekit_organization_update_settings(f->client, "org_1", &settings, &org),
                     SCALEKIT_OK);
    mock_assert_request(f->mock, path, 0, "PATCH", "",
                        "{\"features\":[{\"name\":\"sso\",\"enabled\":true},"
                        "{\"name\":\"dir_sync\",\"enabled\":false}]}");
    assert_acme(org);

    /* A returned organization's settings go back as they are (struct_size is set). */
    mock_http_enqueue(f->mock, "PATCH", path, 200, "{\"organization\":" ORG_JSON "}");
    scalekit_organization *again = NULL;
    assert_int_equal(scalekit_organization_update_settings(f->client, "org_1", org->settings,
                                                           &again), SCALEKIT_OK);
    mock_assert_request(f->mock, path, 1, "PATCH", "",
                        "{\"features\":[{\"name\":\"sso\",\"enabled\":true},"
                        "{\"name\":\"dir_sync\",\"enabled\":false}]}");
    scalekit_organization_free(again);
    scalekit_organization_free(org);

    const scalekit_organization_feature *holey[] = { &sso, NULL };
    settings.features = holey;
    assert_int_equal(scalekit_organization_update_settings(f->client, "org_1", &settings, &org),
                     SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message,
                        "scalekit_organization_settings.features item 1 is NULL");
    scalekit_organization_feature unset = { 0 };
    const scalekit_organization_feature *uninitialised[] = { &unset };
    settings.features = uninitialised;
    settings.feature_count = 1;
    assert_int_equal(scalekit_organization_update_settings(f->client, "org_1", &settings, &org),
                     SCALEKIT_EINVAL);
    assert_non_null(strstr(scalekit_error_last()->message, "SCALEKIT_ORGANIZATION_FEATURE_INIT"));
    assert_int_equal(scalekit_organization_update_settings(f->client, "org_1", NULL, &org),
                     SCALEKIT_EINVAL);
    assert_int_equal(mock_http_count(f->mock, path), 2);
}

static void user_management_settings(void **state)
{
    mock_client *f = *state;
    const char *path = "/api/v1/organizations/org_1/settings/usermanagement";
    mock_http_enqueue(f->mock, "PATCH", path, 200, "{\"settings\":{\"max_allowed_users\":150}}");
    int32_t max = 150;
    scalekit_organization_user_management_settings in = { .struct_size = sizeof(scalekit_organization_user_management_settings), .max_allowed_users = &max };
    scalekit_organization_user_management_settings *out = NULL;
    assert_int_equal(scalekit_organization_upsert_user_management_settings(f->client, "org_1", &in,
                                                                           &out), SCALEKIT_OK);
    mock_assert_request(f->mock, path, 0, "PATCH", "", "{\"settings\":{\"max_allowed_users\":150}}");
    assert_non_null(out->max_allowed_users);
    assert_int_equal(*out->max_allowed_users, 150);
    scalekit_organization_user_management_settings_free(out);

    mock_http_enqueue(f->mock, "PATCH", path, 200, "{\"settings\":{}}");
    scalekit_organization_user_management_settings unset = SCALEKIT_ORGANIZATION_USER_MANAGEMENT_SETTINGS_INIT;
    assert_int_equal(scalekit_organization_upsert_user_management_settings(f->client, "org_1",
                                                                           &unset, &out), SCALEKIT_OK);
    mock_assert_request(f->mock, path, 1, "PATCH", "", "{\"settings\":{}}");
    assert_null(out->max_allowed_users);
    scalekit_organization_user_management_settings_free(out);

    /* A negative limit is representable: the server decides. */
    mock_http_enqueue(f->mock, "PATCH", path, 400, "{\"code\":3,\"message\":\"bad limit\"}");
    int32_t negative = -1;
    in.max_allowed_users = &negative;
    assert_int_equal(scalekit_organization_upsert_user_management_settings(f->client, "org_1", &in,
                                                                           &out), SCALEKIT_EINVALID_REQUEST);
    mock_assert_request(f->mock, path, 2, "PATCH", "", "{\"settings\":{\"max_allowed_users\":-1}}");
    assert_int_equal(scalekit_organization_upsert_user_management_settings(f->client, "org_1",
                                                                           NULL, &out), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "settings must not be NULL");
    assert_int_equal(mock_http_count(f->mock, path), 3);
}

static void session_policy(void **state)
{
    mock_client *f = *state;
    const char *path = "/api/v1/organizations/org_1/session-policy";
    mock_http_enqueue(f->mock, "GET", path, 200,
                      "{\"policy\":{\"policy_source\":\"CUSTOM\",\"absolute_session_timeout\":360,"
                      "\"absolute_session_timeout_unit\":\"MINUTES\",\"idle_session_timeout_enabled\":true,"
                      "\"idle_session_timeout\":84,\"idle_session_timeout_unit\":\"MINUTES\"}}");
    scalekit_organization_session_policy *p = NULL;
    assert_int_equal(scalekit_organization_get_session_policy(f->client, "org_1", &p), SCALEKIT_OK);
    mock_assert_request(f->mock, path, 0, "GET", "", "");
    assert_string_equal(p->policy_source, "CUSTOM");
    assert_int_equal(*p->absolute_session_timeout, 360);
    assert_string_equal(p->absolute_session_timeout_unit, "MINUTES");
    assert_true(*p->idle_session_timeout_enabled);
    assert_int_equal(*p->idle_session_timeout, 84);
    scalekit_organization_session_policy_free(p);

    mock_http_enqueue(f->mock, "PATCH", path, 200, "{\"policy\":{\"policy_source\":\"APPLICATION\"}}");
    scalekit_organization_session_policy in = { .struct_size = sizeof(scalekit_organization_session_policy),
        .policy_source = "CUSTOM", .absolute_session_timeout = &(int32_t){ 2 },
        .absolute_session_timeout_unit = "HOURS", .idle_session_timeout_enabled = &(bool){ false },
    };
    assert_int_equal(scalekit_organization_update_session_policy(f->client, "org_1", &in, &p),
                     SCALEKIT_OK);
    mock_assert_request(f->mock, path, 1, "PATCH", "",
                        "{\"policy_source\":\"CUSTOM\",\"absolute_session_timeout\":2,"
                        "\"absolute_session_timeout_unit\":\"HOURS\",\"idle_session_timeout_enabled\":false}");
    assert_string_equal(p->policy_source, "APPLICATION");
    assert_null(p->absolute_session_timeout);
    assert_null(p->idle_session_timeout_enabled);
    scalekit_organization_session_policy_free(p);

    /* A negative timeout is representable: it is sent, and the server decides. */
    mock_http_enqueue(f->mock, "PATCH", path, 400, "{\"code\":3,\"message\":\"bad timeout\"}");
    scalekit_organization_session_policy negative = SCALEKIT_ORGANIZATION_SESSION_POLICY_INIT;
    negative.idle_session_timeout = &(int32_t){ -5 };
    assert_int_equal(scalekit_organization_update_session_policy(f->client, "org_1", &negative, &p),
                     SCALEKIT_EINVALID_REQUEST);
    mock_assert_request(f->mock, path, 2, "PATCH", "", "{\"idle_session_timeout\":-5}");
    assert_int_equal(scalekit_organization_update_session_policy(f->client, "org_1", NULL, &p),
                     SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "policy must not be NULL");
    assert_int_equal(scalekit_organization_get_session_policy(f->client, "", &p), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "organization_id must not be empty");
    assert_int_equal(mock_http_count(f->mock, path), 3);
}

static void frees_are_safe_on_null(void **state)
{
    (void)state;
    scalekit_organization_free(NULL);
    scalekit_organization_page_free(NULL);
    scalekit_organization_portal_link_free(NULL);
    scalekit_organization_user_management_settings_free(NULL);
    scalekit_organization_session_policy_free(NULL);
}

#define T(name) cmocka_unit_test_setup_teardown(name, mock_client_setup, mock_client_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(create_sends_every_field),
        T(create_refuses_bad_arguments),
        T(get_encodes_the_id),
        T(get_by_external_id),
        T(update_sends_only_what_is_set),
        T(update_by_external_id_resolves_then_patches),
        T(delete_and_api_errors),
        T(invalid_request_with_field_violations),
        T(malformed_responses),
        T(list_one_page),
        T(iterator_walks_every_page_once),
        T(iterator_detects_a_repeated_token),
        T(iterator_stops_on_errors),
        T(portal_link),
        T(update_settings),
        T(user_management_settings),
        T(session_policy),
        cmocka_unit_test(frees_are_safe_on_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
