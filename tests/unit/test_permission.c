/* Every permission method against the scripted mock server: the request on the
 * wire, the decoded result, the C-level refusals that send nothing, the server's
 * 400, 404 and 409, and the page-token iterator over four pages. */
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

#define PERMISSIONS "/api/v1/permissions"
#define ROLE_PERMISSIONS "/api/v1/roles/editor/permissions"

/* Every rolesPermission member, a true boolean, and one unknown member. */
#define PERMISSION_JSON(name)                                                                     \
    "{\"id\":\"perm_" name "\",\"name\":\"" name "\",\"description\":\"Read content\","          \
    "\"is_scalekit_permission\":true,\"create_time\":\"2025-09-01T12:14:43Z\","                  \
    "\"update_time\":\"2025-09-01T12:14:44Z\",\"future_field\":[1]}"

static void assert_full_permission(const scalekit_permission *p, const char *name)
{
    char id[64];
    snprintf(id, sizeof id, "perm_%s", name);
    assert_string_equal(p->id, id);
    assert_string_equal(p->name, name);
    assert_string_equal(p->description, "Read content");
    assert_true(p->is_scalekit_permission);
    assert_true(p->create_time == INT64_C(1756728883));
    assert_true(p->update_time == INT64_C(1756728884));
}

static void create_get_update_delete(void **state)
{
    mock_client *f = *state;
    const char *answer = "{\"permission\":" PERMISSION_JSON("read:content") "}";
    scalekit_permission_options opts = SCALEKIT_PERMISSION_OPTIONS_INIT;
    opts.description = "Read content";
    scalekit_permission *p = NULL;
    mock_http_enqueue(f->mock, "POST", PERMISSIONS, 201, answer);
    assert_int_equal(scalekit_permission_create(f->client, "read:content", &opts, &p), SCALEKIT_OK);
    mock_assert_request(f->mock, PERMISSIONS, 0, "POST", "",
                        "{\"name\":\"read:content\",\"description\":\"Read content\"}");
    assert_full_permission(p, "read:content");
    assert_string_equal(p->raw_json, answer);
    scalekit_permission_free(p);
    mock_http_enqueue(f->mock, "POST", PERMISSIONS, 201, answer);
    assert_int_equal(scalekit_permission_create(f->client, "read:content", NULL, &p), SCALEKIT_OK);
    mock_assert_request(f->mock, PERMISSIONS, 1, "POST", "", "{\"name\":\"read:content\"}");
    scalekit_permission_free(p);

    /* The name is one path segment: its ':' and '/' cannot reach another route. */
    const char *at = PERMISSIONS "/read%3Acontent";
    mock_http_enqueue(f->mock, "GET", at, 200, answer);
    assert_int_equal(scalekit_permission_get(f->client, "read:content", &p), SCALEKIT_OK);
    mock_assert_request(f->mock, at, 0, "GET", "", "");
    assert_full_permission(p, "read:content");
    scalekit_permission_free(p);
    mock_http_enqueue(f->mock, "PUT", at, 200, answer);
    assert_int_equal(scalekit_permission_update(f->client, "read:content", &opts, &p), SCALEKIT_OK);
    mock_assert_request(f->mock, at, 1, "PUT", "", "{\"name\":\"read:content\",\"description\":\"Read content\"}");
    scalekit_permission_free(p);
    mock_http_enqueue(f->mock, "DELETE", PERMISSIONS "/a%2Fb", 200, "{}");
    assert_int_equal(scalekit_permission_delete(f->client, "a/b"), SCALEKIT_OK);
    mock_assert_request(f->mock, PERMISSIONS "/a%2Fb", 0, "DELETE", "", "");
}

static void role_permissions(void **state)
{
    mock_client *f = *state;
    const char *list = "{\"permissions\":[" PERMISSION_JSON("read") "," PERMISSION_JSON("write") "]}";
    scalekit_permissions *ps = NULL;
    mock_http_enqueue(f->mock, "GET", ROLE_PERMISSIONS, 200, list);
    assert_int_equal(scalekit_permission_list_role_permissions(f->client, "editor", &ps), SCALEKIT_OK);
    mock_assert_request(f->mock, ROLE_PERMISSIONS, 0, "GET", "", "");
    assert_int_equal(ps->count, 2);
    assert_full_permission(ps->items[0], "read");
    assert_full_permission(ps->items[1], "write");
    assert_string_equal(ps->raw_json, list);
    scalekit_permissions_free(ps);

    const char *names[] = { "read", "write", NULL };
    mock_http_enqueue(f->mock, "POST", ROLE_PERMISSIONS, 200, list);
    assert_int_equal(scalekit_permission_add_permissions_to_role(f->client, "editor", names, &ps), SCALEKIT_OK);
    mock_assert_request(f->mock, ROLE_PERMISSIONS, 1, "POST", "", "{\"permission_names\":[\"read\",\"write\"]}");
    assert_int_equal(ps->count, 2);
    scalekit_permissions_free(ps);

    mock_http_enqueue(f->mock, "DELETE", ROLE_PERMISSIONS "/write", 200, "{}");
    assert_int_equal(scalekit_permission_remove_permission_from_role(f->client, "editor", "write"), SCALEKIT_OK);
    mock_assert_request(f->mock, ROLE_PERMISSIONS "/write", 0, "DELETE", "", "");

    mock_http_enqueue(f->mock, "GET", ROLE_PERMISSIONS ":all", 200, list);
    assert_int_equal(scalekit_permission_list_effective_role_permissions(f->client, "editor", &ps), SCALEKIT_OK);
    mock_assert_request(f->mock, ROLE_PERMISSIONS ":all", 0, "GET", "", "");
    assert_string_equal(ps->items[1]->name, "write");
    scalekit_permissions_free(ps);
}

static void list_sends_options_and_decodes_the_page(void **state)
{
    mock_client *f = *state;
    const char *answer = "{\"permissions\":[" PERMISSION_JSON("read") "],\"next_page_token\":\"n1\","
                         "\"prev_page_token\":\"p0\",\"total_size\":41}";
    scalekit_permission_list_options o = SCALEKIT_PERMISSION_LIST_OPTIONS_INIT;
    o.page_size = 1;
    o.page_token = "tok a";
    o.type = "ENVIRONMENT";
    scalekit_permission_page *page = NULL;
    mock_http_enqueue(f->mock, "GET", PERMISSIONS, 200, answer);
    assert_int_equal(scalekit_permission_list(f->client, &o, &page), SCALEKIT_OK);
    mock_assert_request(f->mock, PERMISSIONS, 0, "GET", "page_size=1&page_token=tok%20a&type=ENVIRONMENT", "");
    assert_int_equal(page->count, 1);
    assert_full_permission(page->items[0], "read");
    assert_string_equal(page->next_page_token, "n1");
    assert_string_equal(page->prev_page_token, "p0");
    assert_true(page->total_size == 41);
    assert_string_equal(page->raw_json, answer);
    scalekit_permission_page_free(page);
    mock_http_enqueue(f->mock, "GET", PERMISSIONS, 200, "{\"permissions\":[]}");
    assert_int_equal(scalekit_permission_list(f->client, NULL, &page), SCALEKIT_OK);
    mock_assert_request(f->mock, PERMISSIONS, 1, "GET", "", "");
    assert_int_equal(page->count, 0);
    scalekit_permission_page_free(page);
}

/* Four pages (one empty), each fetched once, in order; ITEROVER twice at the end. */
static void iterator_walks_every_page_once(void **state)
{
    mock_client *f = *state;
    mock_http_enqueue(f->mock, "GET", PERMISSIONS, 200,
                      "{\"permissions\":[" PERMISSION_JSON("p1") "," PERMISSION_JSON("p2") "],\"next_page_token\":\"t2\"}");
    mock_http_enqueue(f->mock, "GET", PERMISSIONS, 200, "{\"permissions\":[],\"next_page_token\":\"t3\"}");
    mock_http_enqueue(f->mock, "GET", PERMISSIONS, 200,
                      "{\"permissions\":[" PERMISSION_JSON("p3") "],\"next_page_token\":\"t4\"}");
    mock_http_enqueue(f->mock, "GET", PERMISSIONS, 200,
                      "{\"permissions\":[" PERMISSION_JSON("p4") "],\"next_page_token\":\"\"}");
    scalekit_permission_list_options o = SCALEKIT_PERMISSION_LIST_OPTIONS_INIT;
    o.page_size = 2;
    o.type = "ALL";
    scalekit_permission_iterator *it = NULL;
    assert_int_equal(scalekit_permission_iterator_new(f->client, &o, &it), SCALEKIT_OK);
    assert_int_equal(mock_http_request_count(f->mock), 0);   /* lazy */
    const scalekit_permission *p = NULL;
    char seen[32] = "";
    int rc;
    while ((rc = scalekit_permission_iterator_next(it, &p)) == SCALEKIT_OK)
        strcat(seen, p->name + 1);
    assert_int_equal(rc, SCALEKIT_ITEROVER);
    assert_null(p);
    assert_string_equal(seen, "1234");
    assert_int_equal(scalekit_permission_iterator_next(it, &p), SCALEKIT_ITEROVER);
    assert_int_equal(mock_http_count(f->mock, PERMISSIONS), 4);
    mock_assert_request(f->mock, PERMISSIONS, 0, "GET", "page_size=2&type=ALL", "");
    mock_assert_request(f->mock, PERMISSIONS, 1, "GET", "page_size=2&type=ALL&page_token=t2", "");
    mock_assert_request(f->mock, PERMISSIONS, 3, "GET", "page_size=2&type=ALL&page_token=t4", "");
    scalekit_permission_iterator_free(it);

    /* A server repeating a token is caught, and the iterator stays failed. */
    mock_http_enqueue(f->mock, "GET", PERMISSIONS, 200,
                      "{\"permissions\":[" PERMISSION_JSON("p1") "],\"next_page_token\":\"t1\"}");
    mock_http_enqueue(f->mock, "GET", PERMISSIONS, 200,
                      "{\"permissions\":[" PERMISSION_JSON("p2") "],\"next_page_token\":\"t1\"}");
    assert_int_equal(scalekit_permission_iterator_new(f->client, NULL, &it), SCALEKIT_OK);
    assert_int_equal(scalekit_permission_iterator_next(it, &p), SCALEKIT_OK);
    assert_int_equal(scalekit_permission_iterator_next(it, &p), SCALEKIT_OK);
    assert_int_equal(scalekit_permission_iterator_next(it, &p), SCALEKIT_EMALFORMED_RESPONSE);
    assert_int_equal(scalekit_permission_iterator_next(it, &p), SCALEKIT_EMALFORMED_RESPONSE);
    assert_int_equal(mock_http_count(f->mock, PERMISSIONS), 6);
    scalekit_permission_iterator_free(it);

    /* An error page stays failed without asking again. */
    mock_http_enqueue(f->mock, "GET", PERMISSIONS, 500, "{\"code\":13,\"message\":\"boom\"}");
    assert_int_equal(scalekit_permission_iterator_new(f->client, NULL, &it), SCALEKIT_OK);
    assert_int_equal(scalekit_permission_iterator_next(it, &p), SCALEKIT_ESERVER);
    assert_int_equal(scalekit_permission_iterator_next(it, &p), SCALEKIT_ESERVER);
    assert_int_equal(mock_http_count(f->mock, PERMISSIONS), 7);
    scalekit_permission_iterator_free(it);
}

static void refusals_send_nothing(void **state)
{
    mock_client *f = *state;
    scalekit_permission *p = (scalekit_permission *)&p;
    scalekit_permissions *ps = (scalekit_permissions *)&ps;
    scalekit_permission_page *page = (scalekit_permission_page *)&page;
    scalekit_permission_iterator *it = (scalekit_permission_iterator *)&it;
    scalekit_permission_options unset = { 0 };
    scalekit_permission_list_options unset_list = { 0 };
    const char *bad_names[] = { "read", "\xc3(", NULL };

    assert_int_equal(scalekit_permission_create(f->client, "", NULL, &p), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "name must not be empty");
    assert_null(p);
    assert_int_equal(scalekit_permission_create(f->client, "read", &unset, &p), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "scalekit_permission_options.struct_size is 0: "
                        "initialise the struct with SCALEKIT_PERMISSION_OPTIONS_INIT");
    assert_int_equal(scalekit_permission_create(f->client, "read", NULL, NULL), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "out must not be NULL");
    assert_int_equal(scalekit_permission_get(f->client, "..", &p), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "permission_name \"..\" is not a valid path segment");
    assert_int_equal(scalekit_permission_update(f->client, "", NULL, &p), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "permission_name must not be empty");
    assert_int_equal(scalekit_permission_delete(f->client, NULL), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_permission_list(f->client, &unset_list, &page), SCALEKIT_EINVAL);
    assert_null(page);
    assert_int_equal(scalekit_permission_list_role_permissions(f->client, "", &ps), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "role_name must not be empty");
    assert_null(ps);
    assert_int_equal(scalekit_permission_add_permissions_to_role(f->client, "editor", NULL, &ps), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "permission_names must not be NULL");
    assert_int_equal(scalekit_permission_add_permissions_to_role(f->client, "editor", bad_names, &ps),
                     SCALEKIT_EINVAL);
    assert_non_null(strstr(scalekit_error_last()->message, "not valid UTF-8"));
    assert_int_equal(scalekit_permission_remove_permission_from_role(f->client, "editor", ""), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "permission_name must not be empty");
    assert_int_equal(scalekit_permission_list_effective_role_permissions(f->client, ".", &ps), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_permission_iterator_new(NULL, NULL, &it), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_permission_iterator_new(f->client, &unset_list, &it), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_permission_iterator_next(NULL, NULL), SCALEKIT_EINVAL);
    assert_int_equal(mock_http_request_count(f->mock), 0);
}

static void server_errors_are_decoded(void **state)
{
    mock_client *f = *state;
    scalekit_permission *p = NULL;
    mock_http_enqueue(f->mock, "POST", PERMISSIONS, 400,
                      "{\"code\":3,\"message\":\"invalid permission\",\"details\":[{"
                      "\"error_code\":\"INVALID_ARGUMENT\",\"validation_error_info\":{"
                      "\"field_violations\":[{\"field\":\"name\",\"description\":\"bad pattern\"}]}}]}");
    assert_int_equal(scalekit_permission_create(f->client, "no spaces please", NULL, &p), SCALEKIT_EINVALID_REQUEST);
    const scalekit_error *e = scalekit_error_last();
    assert_int_equal(e->http_status, 400);
    assert_int_equal(e->field_violation_count, 1);
    assert_string_equal(e->field_violations[0].field, "name");
    assert_string_equal(e->field_violations[0].description, "bad pattern");
    mock_http_enqueue(f->mock, "POST", PERMISSIONS, 409, "{\"code\":6,\"message\":\"permission read exists\"}");
    assert_int_equal(scalekit_permission_create(f->client, "read", NULL, &p), SCALEKIT_EEXISTS);
    assert_string_equal(scalekit_error_last()->message, "HTTP 409: permission read exists");
    mock_http_enqueue(f->mock, "GET", PERMISSIONS "/ghost", 404, "{\"code\":5,\"message\":\"no ghost\"}");
    assert_int_equal(scalekit_permission_get(f->client, "ghost", &p), SCALEKIT_ENOTFOUND);
    assert_null(p);
    mock_http_enqueue(f->mock, "GET", PERMISSIONS "/odd", 200, "{\"role\":{}}");
    assert_int_equal(scalekit_permission_get(f->client, "odd", &p), SCALEKIT_EMALFORMED_RESPONSE);
}

static void frees_are_safe_on_null(void **state)
{
    (void)state;
    scalekit_permission_free(NULL);
    scalekit_permissions_free(NULL);
    scalekit_permission_page_free(NULL);
    scalekit_permission_iterator_free(NULL);
}

#define TEST(t) cmocka_unit_test_setup_teardown(t, mock_client_setup, mock_client_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(create_get_update_delete),
        TEST(role_permissions),
        TEST(list_sends_options_and_decodes_the_page),
        TEST(iterator_walks_every_page_once),
        TEST(refusals_send_nothing),
        TEST(server_errors_are_decoded),
        cmocka_unit_test(frees_are_safe_on_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
