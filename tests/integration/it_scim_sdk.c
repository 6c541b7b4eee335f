/*
 * What a SCIM client provisioned, read back through the SDK (directory.h):
 * a directory made with scalekit_directory_create and its secret with
 * scalekit_directory_create_secret, 25 users and 3 groups provisioned over
 * SCIM, then the SDK's listings (iterators over 3 pages, the group filter,
 * the group counts) agree with it, also after a membership patch and a
 * deprovisioning.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"
#include "emu_fixture.h"
#include "emu_testhttp.h"
#include "scalekit/scalekit.h"

#define N_USERS 25

/* A SCIM request with the directory's secret; the status, the body in *out. */
static long scim(const char *base, const char *secret, const char *method, const char *path, const char *body,
                 json_t **out)
{
    char url[1024], auth[512];
    snprintf(url, sizeof url, "%s%s", base, path);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", secret);
    const char *headers[] = {auth, "Content-Type: application/scim+json", NULL};
    return emu_http_call(method, url, headers, body, out);
}

/* How many users the SDK's iterator walks with @p group (NULL: all), page size 10. */
static size_t walk_users(const emu_fixture *f, const char *org, const char *dir, const char *group,
                         char emails[][64])
{
    scalekit_directory_user_list_options o = SCALEKIT_DIRECTORY_USER_LIST_OPTIONS_INIT;
    o.page_size = 10;
    o.directory_group_id = group;
    scalekit_directory_user_iterator *it = NULL;
    assert_int_equal(scalekit_directory_user_iterator_new(f->client, org, dir, &o, &it), SCALEKIT_OK);
    const scalekit_directory_user *u = NULL;
    size_t n = 0;
    int rc;
    while ((rc = scalekit_directory_user_iterator_next(it, &u)) == SCALEKIT_OK) {
        if (emails && n < N_USERS)
            snprintf(emails[n], 64, "%s", u->email ? u->email : "");
        n++;
    }
    assert_int_equal(rc, SCALEKIT_ITEROVER);
    scalekit_directory_user_iterator_free(it);
    return n;
}

static void test_the_sdk_lists_what_scim_provisioned(void **state)
{
    (void)state;
    emu_fixture *f = emu_fixture_start(NULL, NULL);
    assert_non_null(f);
    char *org = emu_test_create_organization(f->emu, "Provisioned Inc");
    assert_non_null(org);
    scalekit_directory_create_options co = SCALEKIT_DIRECTORY_CREATE_OPTIONS_INIT;
    co.directory_provider = "OKTA";
    scalekit_directory *dir = NULL;
    assert_int_equal(scalekit_directory_create(f->client, org, &co, &dir), SCALEKIT_OK);
    scalekit_directory_toggle *toggle = NULL;
    assert_int_equal(scalekit_directory_enable(f->client, org, dir->id, &toggle), SCALEKIT_OK);
    scalekit_directory_toggle_free(toggle);
    scalekit_directory_new_secret *secret = NULL;
    assert_int_equal(scalekit_directory_create_secret(f->client, org, dir->id, &secret), SCALEKIT_OK);
    const char *base = dir->directory_endpoint;
    assert_non_null(base);

    char *users[N_USERS];
    for (int i = 0; i < N_USERS; i++) {
        char body[512];
        snprintf(body, sizeof body, "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                 "\"userName\":\"p%02d@provisioned.example\",\"name\":{\"givenName\":\"G%02d\",\"familyName\":\"F\"},"
                 "\"emails\":[{\"value\":\"p%02d@provisioned.example\",\"primary\":true}],\"active\":true}", i, i, i);
        json_t *created = NULL;
        assert_int_equal(scim(base, secret->plain_secret, "POST", "/Users", body, &created), 201);
        users[i] = strdup(json_string_value(json_object_get(created, "id")));
        json_decref(created);
    }
    /* Three groups: Eng holds users 0-9, Ops 10-11, Empty nobody. */
    char *groups[3];
    const char *names[] = {"Eng", "Ops", "Empty"};
    for (int g = 0; g < 3; g++) {
        skit_buf body = SKIT_BUF_INIT;
        skit_buf_printf(&body, "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],"
                               "\"displayName\":\"%s\",\"members\":[", names[g]);
        int from = g == 0 ? 0 : 10, to = g == 0 ? 10 : g == 1 ? 12 : 10;
        for (int i = from; i < to; i++)
            skit_buf_printf(&body, "%s{\"value\":\"%s\"}", i > from ? "," : "", users[i]);
        skit_buf_puts(&body, "]}");
        json_t *created = NULL;
        assert_int_equal(scim(base, secret->plain_secret, "POST", "/Groups", body.ptr, &created), 201);
        groups[g] = strdup(json_string_value(json_object_get(created, "id")));
        json_decref(created);
        skit_buf_free(&body);
    }

    /* Every user, over three pages of the SDK's iterator, with the emails SCIM sent. */
    char emails[N_USERS][64];
    assert_int_equal(walk_users(f, org, dir->id, NULL, emails), N_USERS);
    for (int i = 0; i < N_USERS; i++) {
        char want[64];
        snprintf(want, sizeof want, "p%02d@provisioned.example", i);
        bool found = false;
        for (int j = 0; j < N_USERS; j++)
            found = found || strcmp(emails[j], want) == 0;
        if (!found)
            fail_msg("%s is missing from the SDK's listing", want);
    }
    assert_int_equal(walk_users(f, org, dir->id, groups[0], NULL), 10);
    assert_int_equal(walk_users(f, org, dir->id, groups[1], NULL), 2);
    assert_int_equal(walk_users(f, org, dir->id, groups[2], NULL), 0);

    /* The groups with their member counts. */
    scalekit_directory_group_page *page = NULL;
    assert_int_equal(scalekit_directory_list_directory_groups(f->client, org, dir->id, NULL, &page), SCALEKIT_OK);
    assert_int_equal(page->count, 3);
    for (size_t i = 0; i < page->count; i++) {
        const scalekit_directory_group *g = page->items[i];
        int want = strcmp(g->display_name, "Eng") == 0 ? 10 : strcmp(g->display_name, "Ops") == 0 ? 2 : 0;
        assert_int_equal(g->total_users, want);
    }
    scalekit_directory_group_page_free(page);

    /* Okta moves user 0 out of Eng by member path; Entra deprovisions user 1. */
    char patch[512];
    snprintf(patch, sizeof patch, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
             "\"Operations\":[{\"op\":\"remove\",\"path\":\"members[value eq \\\"%s\\\"]\"}]}", users[0]);
    char path[256];
    snprintf(path, sizeof path, "/Groups/%s", groups[0]);
    assert_int_equal(scim(base, secret->plain_secret, "PATCH", path, patch, NULL) / 100, 2);
    snprintf(path, sizeof path, "/Users/%s", users[1]);
    assert_int_equal(scim(base, secret->plain_secret, "DELETE", path, NULL, NULL), 204);
    assert_int_equal(walk_users(f, org, dir->id, groups[0], NULL), 8);
    assert_int_equal(walk_users(f, org, dir->id, NULL, NULL), N_USERS - 1);

    /* The directory's stats say the same. */
    scalekit_directory *again = NULL;
    assert_int_equal(scalekit_directory_get(f->client, org, dir->id, &again), SCALEKIT_OK);
    assert_int_equal(again->total_users, N_USERS - 1);
    assert_int_equal(again->total_groups, 3);
    scalekit_directory_free(again);

    for (int i = 0; i < N_USERS; i++)
        free(users[i]);
    for (int g = 0; g < 3; g++)
        free(groups[g]);
    scalekit_directory_new_secret_free(secret);
    scalekit_directory_free(dir);
    free(org);
    emu_fixture_stop(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_sdk_lists_what_scim_provisioned),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
