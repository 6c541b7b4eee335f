/* Every domain method against the scripted mock server: the request on the wire
 * (method, path, query, JSON body), the decoded result, the C-level refusals that
 * send nothing, and the page-number iterator. */
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

#define ORG_DOMAINS "/api/v1/organizations/org_1/domains"

#define DOMAIN_JSON(id, name)                                                                       \
    "{\"id\":\"" id "\",\"domain\":\"" name "\",\"domain_type\":\"ORGANIZATION_DOMAIN\","          \
    "\"organization_id\":\"org_1\",\"environment_id\":\"env_1\",\"verification_method\":\"DNS\","  \
    "\"verification_status\":\"PENDING\",\"create_time\":\"2025-09-01T12:14:43.100000Z\","         \
    "\"update_time\":\"2025-09-01T12:14:44Z\",\"future_field\":1}"

static void create_sends_domain_and_type(void **state)
{
    mock_client *f = *state;
    const char *answer = "{\"domain\":" DOMAIN_JSON("dom_1", "acme.com") "}";
    mock_http_enqueue(f->mock, "POST", ORG_DOMAINS, 200, answer);
    scalekit_domain_create_options opts = SCALEKIT_DOMAIN_CREATE_OPTIONS_INIT;
    opts.domain_type = "ORGANIZATION_DOMAIN";
    scalekit_domain *d = NULL;
    assert_int_equal(scalekit_domain_create(f->client, "org_1", "acme.com", &opts, &d), SCALEKIT_OK);
    mock_assert_request(f->mock, ORG_DOMAINS, 0, "POST", "",
                        "{\"domain\":\"acme.com\",\"domain_type\":\"ORGANIZATION_DOMAIN\"}");
    assert_string_equal(d->id, "dom_1");
    assert_string_equal(d->domain, "acme.com");
    assert_string_equal(d->domain_type, "ORGANIZATION_DOMAIN");
    assert_string_equal(d->organization_id, "org_1");
    assert_string_equal(d->environment_id, "env_1");
    assert_string_equal(d->verification_method, "DNS");
    assert_string_equal(d->verification_status, "PENDING");
    assert_true(d->create_time == INT64_C(1756728883));
    assert_true(d->update_time == INT64_C(1756728884));
    assert_string_equal(d->raw_json, answer);
    scalekit_domain_free(d);

    /* No options, or an empty type: only the domain is sent. */
    mock_http_enqueue(f->mock, "POST", ORG_DOMAINS, 200, answer);
    assert_int_equal(scalekit_domain_create(f->client, "org_1", "acme.com", NULL, &d), SCALEKIT_OK);
    mock_assert_request(f->mock, ORG_DOMAINS, 1, "POST", "", "{\"domain\":\"acme.com\"}");
    scalekit_domain_free(d);
    opts.domain_type = "";
    mock_http_enqueue(f->mock, "POST", ORG_DOMAINS, 200, answer);
    assert_int_equal(scalekit_domain_create(f->client, "org_1", "acme.com", &opts, &d), SCALEKIT_OK);
    mock_assert_request(f->mock, ORG_DOMAINS, 2, "POST", "", "{\"domain\":\"acme.com\"}");
    scalekit_domain_free(d);
}

/* What C cannot send is refused with a message naming it, and nothing is sent. */
static void refusals_send_nothing(void **state)
{
    mock_client *f = *state;
    scalekit_domain *d = (scalekit_domain *)&d;
    scalekit_domain_create_options unset = { 0 };
    scalekit_domain_list_options unset_list = { 0 };
    scalekit_domain_page *page = (scalekit_domain_page *)&page;
    scalekit_domain_iterator *it = NULL;

    assert_int_equal(scalekit_domain_create(f->client, "org_1", "", NULL, &d), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "domain must not be empty");
    assert_null(d);
    assert_int_equal(scalekit_domain_create(f->client, "", "acme.com", NULL, &d), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "organization_id must not be empty");
    assert_int_equal(scalekit_domain_create(f->client, "org_1", "\xc3(", NULL, &d), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "domain.domain is not valid UTF-8");
    assert_int_equal(scalekit_domain_create(f->client, "org_1", "acme.com", &unset, &d), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "scalekit_domain_create_options.struct_size is 0: "
                        "initialise the struct with SCALEKIT_DOMAIN_CREATE_OPTIONS_INIT");
    assert_int_equal(scalekit_domain_create(f->client, "org_1", "acme.com", NULL, NULL), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "out must not be NULL");

    assert_int_equal(scalekit_domain_get(f->client, "org_1", "..", &d), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "id \"..\" is not a valid path segment");
    assert_int_equal(scalekit_domain_get(f->client, NULL, "dom_1", &d), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "organization_id must not be empty");
    assert_int_equal(scalekit_domain_delete(f->client, "org_1", ""), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "id must not be empty");
    assert_int_equal(scalekit_domain_list(f->client, "org_1", &unset_list, &page), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "scalekit_domain_list_options.struct_size is 0: "
                        "initialise the struct with SCALEKIT_DOMAIN_LIST_OPTIONS_INIT");
    assert_null(page);
    assert_int_equal(scalekit_domain_iterator_new(f->client, "", NULL, &it), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "organization_id must not be empty");
    assert_null(it);
    assert_int_equal(scalekit_domain_iterator_new(NULL, "org_1", NULL, &it), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_domain_iterator_next(NULL, NULL), SCALEKIT_EINVAL);
    assert_int_equal(mock_http_request_count(f->mock), 0);
}

static void get_and_delete_address_the_domain(void **state)
{
    mock_client *f = *state;
    mock_http_enqueue(f->mock, "GET", ORG_DOMAINS "/dom_1", 200, "{\"domain\":" DOMAIN_JSON("dom_1", "acme.com") "}");
    scalekit_domain *d = NULL;
    assert_int_equal(scalekit_domain_get(f->client, "org_1", "dom_1", &d), SCALEKIT_OK);
    mock_assert_request(f->mock, ORG_DOMAINS "/dom_1", 0, "GET", "", "");
    assert_string_equal(d->domain, "acme.com");
    scalekit_domain_free(d);

    mock_http_enqueue(f->mock, "DELETE", ORG_DOMAINS "/dom_1", 200, "{}");
    assert_int_equal(scalekit_domain_delete(f->client, "org_1", "dom_1"), SCALEKIT_OK);
    mock_assert_request(f->mock, ORG_DOMAINS "/dom_1", 1, "DELETE", "", "");

    /* Segments are percent-encoded: an id cannot reach another route. */
    mock_http_enqueue(f->mock, "GET", "/api/v1/organizations/org%2F1/domains/a%20b", 200,
                      "{\"domain\":" DOMAIN_JSON("a b", "acme.com") "}");
    assert_int_equal(scalekit_domain_get(f->client, "org/1", "a b", &d), SCALEKIT_OK);
    scalekit_domain_free(d);

    /* The server's 404 and a body without "domain". */
    mock_http_enqueue(f->mock, "GET", ORG_DOMAINS "/dom_2", 404,
                      "{\"code\":5,\"message\":\"domain dom_2 not found\"}");
    assert_int_equal(scalekit_domain_get(f->client, "org_1", "dom_2", &d), SCALEKIT_ENOTFOUND);
    assert_string_equal(scalekit_error_last()->message, "HTTP 404: domain dom_2 not found");
    assert_int_equal(scalekit_error_last()->http_status, 404);
    assert_null(d);
    mock_http_enqueue(f->mock, "GET", ORG_DOMAINS "/dom_3", 200, "{\"organization\":{}}");
    assert_int_equal(scalekit_domain_get(f->client, "org_1", "dom_3", &d), SCALEKIT_EMALFORMED_RESPONSE);
}

static void list_sends_options_and_decodes_the_page(void **state)
{
    mock_client *f = *state;
    const char *answer = "{\"domains\":[" DOMAIN_JSON("dom_1", "a.example") "," DOMAIN_JSON("dom_2", "b.example")
                         "],\"page_number\":2,\"page_size\":2}";
    mock_http_enqueue(f->mock, "GET", ORG_DOMAINS, 200, answer);
    scalekit_domain_list_options opts = SCALEKIT_DOMAIN_LIST_OPTIONS_INIT;
    opts.page_size = 2;
    opts.page_number = 2;
    opts.domain_type = "ORGANIZATION_DOMAIN";
    opts.include = "verification_details";
    scalekit_domain_page *page = NULL;
    assert_int_equal(scalekit_domain_list(f->client, "org_1", &opts, &page), SCALEKIT_OK);
    mock_assert_request(f->mock, ORG_DOMAINS, 0, "GET",
                        "page_size=2&page_number=2&domain_type=ORGANIZATION_DOMAIN&include=verification_details", "");
    assert_int_equal(page->count, 2);
    assert_string_equal(page->items[0]->id, "dom_1");
    assert_string_equal(page->items[1]->domain, "b.example");
    assert_int_equal(page->page_number, 2);
    assert_int_equal(page->page_size, 2);
    assert_string_equal(page->raw_json, answer);
    scalekit_domain_page_free(page);

    /* NULL options: no query at all. */
    mock_http_enqueue(f->mock, "GET", ORG_DOMAINS, 200, "{\"domains\":[],\"page_number\":0,\"page_size\":0}");
    assert_int_equal(scalekit_domain_list(f->client, "org_1", NULL, &page), SCALEKIT_OK);
    mock_assert_request(f->mock, ORG_DOMAINS, 1, "GET", "", "");
    assert_int_equal(page->count, 0);
    scalekit_domain_page_free(page);
}

/* Pages 0, 1, 2 of two, one short: the iterator stops after the short page. */
static void iterator_walks_page_numbers(void **state)
{
    mock_client *f = *state;
    mock_http_enqueue(f->mock, "GET", ORG_DOMAINS, 200, "{\"domains\":[" DOMAIN_JSON("dom_1", "a.example") ","
                      DOMAIN_JSON("dom_2", "b.example") "],\"page_number\":0,\"page_size\":2}");
    mock_http_enqueue(f->mock, "GET", ORG_DOMAINS, 200, "{\"domains\":[" DOMAIN_JSON("dom_3", "c.example") ","
                      DOMAIN_JSON("dom_4", "d.example") "],\"page_number\":1,\"page_size\":2}");
    mock_http_enqueue(f->mock, "GET", ORG_DOMAINS, 200, "{\"domains\":[" DOMAIN_JSON("dom_5", "e.example")
                      "],\"page_number\":2,\"page_size\":1}");
    scalekit_domain_list_options opts = SCALEKIT_DOMAIN_LIST_OPTIONS_INIT;
    opts.page_size = 2;
    opts.domain_type = "ORGANIZATION_DOMAIN";
    scalekit_domain_iterator *it = NULL;
    assert_int_equal(scalekit_domain_iterator_new(f->client, "org_1", &opts, &it), SCALEKIT_OK);
    assert_int_equal(mock_http_request_count(f->mock), 0);
    const scalekit_domain *d = NULL;
    char seen[64] = "";
    int rc;
    while ((rc = scalekit_domain_iterator_next(it, &d)) == SCALEKIT_OK)
        strcat(seen, d->id + 4);
    assert_int_equal(rc, SCALEKIT_ITEROVER);
    assert_string_equal(seen, "12345");
    assert_int_equal(mock_http_count(f->mock, ORG_DOMAINS), 3);
    for (size_t n = 0; n < 3; n++) {
        char query[96];
        snprintf(query, sizeof query, "page_size=2&domain_type=ORGANIZATION_DOMAIN&page_number=%zu", n);
        mock_assert_request(f->mock, ORG_DOMAINS, n, "GET", query, "");
    }
    assert_int_equal(scalekit_domain_iterator_next(it, &d), SCALEKIT_ITEROVER);
    scalekit_domain_iterator_free(it);
}

/* Without a page size the first page's length is the size: a full last page
 * costs one more request, which answers empty. A start page is honoured. */
static void iterator_without_page_size_ends_on_an_empty_page(void **state)
{
    mock_client *f = *state;
    mock_http_enqueue(f->mock, "GET", ORG_DOMAINS, 200, "{\"domains\":[" DOMAIN_JSON("dom_1", "a.example")
                      "],\"page_number\":3,\"page_size\":1}");
    mock_http_enqueue(f->mock, "GET", ORG_DOMAINS, 200, "{\"domains\":[],\"page_number\":4,\"page_size\":0}");
    scalekit_domain_list_options opts = SCALEKIT_DOMAIN_LIST_OPTIONS_INIT;
    opts.page_number = 3;
    scalekit_domain_iterator *it = NULL;
    assert_int_equal(scalekit_domain_iterator_new(f->client, "org_1", &opts, &it), SCALEKIT_OK);
    const scalekit_domain *d = NULL;
    assert_int_equal(scalekit_domain_iterator_next(it, &d), SCALEKIT_OK);
    assert_string_equal(d->id, "dom_1");
    assert_int_equal(scalekit_domain_iterator_next(it, &d), SCALEKIT_ITEROVER);
    assert_null(d);
    mock_assert_request(f->mock, ORG_DOMAINS, 0, "GET", "page_number=3", "");
    mock_assert_request(f->mock, ORG_DOMAINS, 1, "GET", "page_number=4", "");
    scalekit_domain_iterator_free(it);
}

/* A server that ignores page_number would loop the caller forever: refused, and sticky. */
static void iterator_refuses_a_page_it_did_not_ask_for(void **state)
{
    mock_client *f = *state;
    const char *page0 = "{\"domains\":[" DOMAIN_JSON("dom_1", "a.example") "],\"page_number\":0,\"page_size\":1}";
    mock_http_enqueue(f->mock, "GET", ORG_DOMAINS, 200, page0);
    mock_http_enqueue(f->mock, "GET", ORG_DOMAINS, 200, page0);
    scalekit_domain_iterator *it = NULL;
    assert_int_equal(scalekit_domain_iterator_new(f->client, "org_1", NULL, &it), SCALEKIT_OK);
    const scalekit_domain *d = NULL;
    assert_int_equal(scalekit_domain_iterator_next(it, &d), SCALEKIT_OK);
    assert_int_equal(scalekit_domain_iterator_next(it, &d), SCALEKIT_EMALFORMED_RESPONSE);
    assert_string_equal(scalekit_error_last()->message, "/api/v1/organizations/org_1/domains: asked for "
                        "page_number 1, the server answered page 0");
    assert_int_equal(scalekit_domain_iterator_next(it, &d), SCALEKIT_EMALFORMED_RESPONSE);
    assert_int_equal(mock_http_count(f->mock, ORG_DOMAINS), 2);
    scalekit_domain_iterator_free(it);
}

#define TEST(t) cmocka_unit_test_setup_teardown(t, mock_client_setup, mock_client_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(create_sends_domain_and_type),
        TEST(refusals_send_nothing),
        TEST(get_and_delete_address_the_domain),
        TEST(list_sends_options_and_decodes_the_page),
        TEST(iterator_walks_page_numbers),
        TEST(iterator_without_page_size_ends_on_an_empty_page),
        TEST(iterator_refuses_a_page_it_did_not_ask_for),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
