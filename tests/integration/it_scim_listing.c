/*
 * The REST listing of what SCIM provisioned (ListDirectoryUsers and
 * ListDirectoryGroups) over raw HTTP: paging by page_size (at most 30, as the
 * OpenAPI file says) and page tokens both ways, the filters directory_group_id
 * and updated_after, include_detail, and the refusals (bad parameters, unknown
 * organization, directory or group, another organization's directory).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "emu_fixture.h"
#include "emu_testhttp.h"
#include "emu_users_kit.h"
#include "scim_kit.h"
#include "core/core.h"

#define N_USERS 12

typedef struct listing {
    emu_fixture *f;
    scim_kit k;
    char *users[N_USERS];
    char *groups[2];
} listing;

static int setup(void **state)
{
    listing *l = calloc(1, sizeof *l);
    l->f = emu_fixture_start(NULL, NULL);
    if (!l->f)
        return -1;
    scim_kit_start(&l->k, l->f, "Listing Inc");
    for (int i = 0; i < N_USERS; i++) {
        char body[512];
        snprintf(body, sizeof body, "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                 "\"userName\":\"u%02d@listing.example\",\"name\":{\"givenName\":\"G%02d\",\"familyName\":\"F%02d\"},"
                 "\"emails\":[{\"value\":\"u%02d@listing.example\",\"primary\":true},{\"value\":\"alt%02d@listing.example\"}]}",
                 i, i, i, i, i);
        l->users[i] = scim_kit_create(&l->k, "/Users", body);
    }
    /* Group A holds users 0-4; group B none. */
    skit_buf body = SKIT_BUF_INIT;
    skit_buf_puts(&body, "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"A\",\"members\":[");
    for (int i = 0; i < 5; i++)
        skit_buf_printf(&body, "%s{\"value\":\"%s\"}", i ? "," : "", l->users[i]);
    skit_buf_puts(&body, "]}");
    l->groups[0] = scim_kit_create(&l->k, "/Groups", body.ptr);
    skit_buf_free(&body);
    l->groups[1] = scim_kit_create(&l->k, "/Groups", "{\"displayName\":\"B\"}");
    *state = l;
    return 0;
}

static int teardown(void **state)
{
    listing *l = *state;
    for (int i = 0; i < N_USERS; i++)
        free(l->users[i]);
    free(l->groups[0]);
    free(l->groups[1]);
    scim_kit_stop(&l->k);
    emu_fixture_stop(l->f);
    free(l);
    return 0;
}

static json_t *page(const listing *l, const char *what, const char *query, size_t items, long total)
{
    json_t *r = NULL;
    long status = scim_kit_list(&l->k, what, query, &r);
    if (status != 200)
        fail_msg("list %s%s answered %ld", what, query ? query : "", status);
    assert_int_equal(json_array_size(json_object_get(r, what)), items);
    assert_int_equal(json_integer_value(json_object_get(r, "total_size")), total);
    return r;
}

static const char *nth_id(const json_t *r, const char *what, size_t i)
{
    return json_string_value(json_object_get(json_array_get(json_object_get(r, what), i), "id"));
}

static void pages_both_ways(void **state)
{
    listing *l = *state;
    json_t *first = page(l, "users", NULL, 10, N_USERS);   /* default page size 10 */
    json_decref(first);
    first = page(l, "users", "?page_size=5", 5, N_USERS);
    assert_string_equal(nth_id(first, "users", 0), l->users[0]);
    assert_string_equal(json_string_value(json_object_get(first, "prev_page_token")), "");
    char query[256];
    snprintf(query, sizeof query, "?page_size=5&page_token=%s",
             json_string_value(json_object_get(first, "next_page_token")));
    json_t *second = page(l, "users", query, 5, N_USERS);
    assert_string_equal(nth_id(second, "users", 0), l->users[5]);
    snprintf(query, sizeof query, "?page_size=5&page_token=%s",
             json_string_value(json_object_get(second, "next_page_token")));
    json_t *third = page(l, "users", query, 2, N_USERS);
    assert_string_equal(nth_id(third, "users", 1), l->users[11]);
    assert_string_equal(json_string_value(json_object_get(third, "next_page_token")), "");
    snprintf(query, sizeof query, "?page_size=5&page_token=%s",
             json_string_value(json_object_get(third, "prev_page_token")));
    json_t *back = page(l, "users", query, 5, N_USERS);
    assert_string_equal(nth_id(back, "users", 0), l->users[5]);
    json_decref(first);
    json_decref(second);
    json_decref(third);
    json_decref(back);
    json_decref(page(l, "users", "?page_size=30", N_USERS, N_USERS));
}

static void user_and_group_shapes(void **state)
{
    listing *l = *state;
    json_t *r = page(l, "users", "?page_size=1", 1, N_USERS);
    json_t *u = json_array_get(json_object_get(r, "users"), 0);
    assert_string_equal(json_string_value(json_object_get(u, "email")), "u00@listing.example");
    assert_string_equal(json_string_value(json_object_get(u, "preferred_username")), "u00@listing.example");
    assert_string_equal(json_string_value(json_object_get(u, "given_name")), "G00");
    assert_string_equal(json_string_value(json_object_get(u, "family_name")), "F00");
    assert_int_equal(json_array_size(json_object_get(u, "emails")), 2);
    assert_string_equal(json_string_value(json_array_get(json_object_get(u, "emails"), 1)), "alt00@listing.example");
    json_t *g = json_array_get(json_object_get(u, "groups"), 0);
    assert_string_equal(json_string_value(json_object_get(g, "id")), l->groups[0]);
    assert_string_equal(json_string_value(json_object_get(g, "display_name")), "A");
    assert_int_equal(json_integer_value(json_object_get(g, "total_users")), 5);
    int64_t t;
    assert_true(skit_parse_rfc3339(json_string_value(json_object_get(u, "updated_at")), &t));
    assert_null(json_object_get(u, "user_detail"));
    json_decref(r);

    r = page(l, "users", "?page_size=1&include_detail=true", 1, N_USERS);
    json_t *detail = json_object_get(json_array_get(json_object_get(r, "users"), 0), "user_detail");
    assert_string_equal(json_string_value(json_object_get(detail, "userName")), "u00@listing.example");
    assert_string_equal(json_string_value(json_object_get(detail, "id")), l->users[0]);
    json_decref(r);

    r = page(l, "groups", NULL, 2, 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(r, "groups"), 1), "total_users")), 0);
    assert_null(json_object_get(json_array_get(json_object_get(r, "groups"), 0), "group_detail"));
    json_decref(r);
    r = page(l, "groups", "?include_detail=true&include_external_groups=false", 2, 2);
    detail = json_object_get(json_array_get(json_object_get(r, "groups"), 0), "group_detail");
    assert_string_equal(json_string_value(json_object_get(detail, "displayName")), "A");
    assert_int_equal(json_array_size(json_object_get(detail, "members")), 5);
    json_decref(r);
}

static void filters(void **state)
{
    listing *l = *state;
    char query[256];
    snprintf(query, sizeof query, "?directory_group_id=%s", l->groups[0]);
    json_t *r = page(l, "users", query, 5, 5);
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(nth_id(r, "users", i), l->users[i]);
    json_decref(r);
    snprintf(query, sizeof query, "?directory_group_id=%s", l->groups[1]);
    json_decref(page(l, "users", query, 0, 0));

    /* updated_after: only what changed after the instant (whole seconds). */
    skit_sleep_ms(1100);
    int64_t mark = skit_now();
    skit_sleep_ms(1100);
    char path[128];
    snprintf(path, sizeof path, "/Users/%s", l->users[7]);
    assert_int_equal(scim_kit_call(&l->k, "PATCH", path, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                                   "\"Operations\":[{\"op\":\"replace\",\"path\":\"name.givenName\",\"value\":\"New\"}]}",
                                   NULL), 200);
    snprintf(path, sizeof path, "/Groups/%s", l->groups[1]);
    assert_int_equal(scim_kit_call(&l->k, "PATCH", path, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                                   "\"Operations\":[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"B2\"}]}",
                                   NULL), 200);
    char when[32];
    skit_format_rfc3339(mark, when);
    snprintf(query, sizeof query, "?updated_after=%s", when);
    r = page(l, "users", query, 1, 1);
    assert_string_equal(nth_id(r, "users", 0), l->users[7]);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(r, "users"), 0), "given_name")),
                        "New");
    json_decref(r);
    r = page(l, "groups", query, 1, 1);
    assert_string_equal(nth_id(r, "groups", 0), l->groups[1]);
    json_decref(r);
    /* Both filters at once. */
    snprintf(query, sizeof query, "?updated_after=%s&directory_group_id=%s", when, l->groups[0]);
    json_decref(page(l, "users", query, 0, 0));
}

static void refusals(void **state)
{
    listing *l = *state;
    char path[512];
    snprintf(path, sizeof path, "/api/v1/organizations/%s/directories/%s/users", l->k.organization_id,
             l->k.directory_id);
    static const struct { const char *query, *field; } bad[] = {
        {"?page_size=31", "page_size"},
        {"?page_size=abc", "page_size"},
        {"?page_size=-1", "page_size"},
        {"?page_token=not-a-token", "page_token"},
        {"?include_detail=maybe", "include_detail"},
        {"?updated_after=yesterday", "updated_after"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char url[600];
        snprintf(url, sizeof url, "%s%s", path, bad[i].query);
        ukit_assert_field_error(&l->k.api, "GET", url, NULL, bad[i].field);
    }
    snprintf(path, sizeof path, "/api/v1/organizations/%s/directories/%s/groups?include_external_groups=perhaps",
             l->k.organization_id, l->k.directory_id);
    ukit_assert_field_error(&l->k.api, "GET", path, NULL, "include_external_groups");

    snprintf(path, sizeof path, "/api/v1/organizations/%s/directories/%s/users?directory_group_id=dirgroup_nobody",
             l->k.organization_id, l->k.directory_id);
    ukit_assert_error(&l->k.api, "GET", path, NULL, 404, "NOT_FOUND");
    snprintf(path, sizeof path, "/api/v1/organizations/org_nobody/directories/%s/users", l->k.directory_id);
    ukit_assert_error(&l->k.api, "GET", path, NULL, 404, "NOT_FOUND");
    snprintf(path, sizeof path, "/api/v1/organizations/%s/directories/dir_nobody/groups", l->k.organization_id);
    ukit_assert_error(&l->k.api, "GET", path, NULL, 404, "NOT_FOUND");
    /* Another organization cannot reach this directory through its own path. */
    char *other = ukit_create_org(&l->k.api, "Other Listing Inc");
    snprintf(path, sizeof path, "/api/v1/organizations/%s/directories/%s/users", other, l->k.directory_id);
    ukit_assert_error(&l->k.api, "GET", path, NULL, 404, "NOT_FOUND");
    free(other);
    /* The listing is the API's: the directory's SCIM secret is no API token. */
    char url[600], auth[256];
    snprintf(url, sizeof url, "%s/api/v1/organizations/%s/directories/%s/users", l->f->url, l->k.organization_id,
             l->k.directory_id);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", l->k.secret);
    const char *headers[] = {auth, NULL};
    assert_int_equal(emu_http_call("GET", url, headers, NULL, NULL), 401);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pages_both_ways),
        cmocka_unit_test(user_and_group_shapes),
        cmocka_unit_test(filters),
        cmocka_unit_test(refusals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
