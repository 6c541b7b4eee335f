/*
 * Authentication logs through the SDK against the emulator, driven by real
 * sign-ins on the hosted login: a successful one, one failed back to the app
 * (an unknown organization), one opened and never finished (INITIATED) and one
 * left to expire (FAILED); each request's members; the filters (email in any
 * case, statuses, time range, client, resource) and their refusals; newest-first
 * paging with next and previous tokens and the iterator.
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
#include "environment.h"
#include "scalekit/scalekit.h"

#define REDIRECT "http://localhost:8080/callback"

/* Open the hosted page of an authorization request with @p org (may be NULL) and,
 * when @p email is not NULL, sign in: the Location the app is sent to (malloc'd), or NULL. */
static char *authorize(emu_fixture *f, const char *org, const char *email)
{
    scalekit_authorization_url_options o = SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT;
    o.organization_id = org;
    o.state = "st";
    char *url = NULL;
    EMU_FIXTURE_OK(scalekit_get_authorization_url(f->client, REDIRECT, &o, &url));
    char *location = NULL;
    if (email) {
        location = emu_fixture_login(f, url, email, NULL);
    } else {
        emu_http_response r;
        emu_http("GET", url, NULL, NULL, &r);
        assert_int_equal(r.status, 200);
        emu_http_response_free(&r);
    }
    scalekit_free(url);
    return location;
}

static scalekit_auth_log_request_page *list(emu_fixture *f, const scalekit_auth_log_list_options *o)
{
    scalekit_auth_log_request_page *page = NULL;
    EMU_FIXTURE_OK(scalekit_auth_log_list_requests(f->client, o, &page));
    return page;
}

static char *new_org(emu_fixture *f)
{
    scalekit_organization *org = NULL;
    EMU_FIXTURE_OK(scalekit_organization_create(f->client, "Logged", NULL, &org));
    char *id = strdup(org->id);
    scalekit_organization_free(org);
    return id;
}

static void every_outcome_is_logged(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "sign-ins on the hosted login");
    int64_t before = skit_now();
    char *org = new_org(f);
    free(authorize(f, org, "ada@logs.example"));
    char *failed = authorize(f, "org_nowhere", "bob@logs.example");
    assert_non_null(strstr(failed, "error=invalid_request"));
    free(failed);
    free(authorize(f, NULL, NULL));

    scalekit_auth_log_request_page *page = list(f, NULL);
    assert_int_equal(page->count, 3);
    assert_int_equal(page->total_size, 3);
    assert_string_equal(page->next_page_token, "");
    assert_string_equal(page->prev_page_token, "");
    /* Newest first. */
    const scalekit_auth_log_request *open = page->items[0], *bob = page->items[1], *ada = page->items[2];
    assert_string_equal(open->status, "INITIATED");
    assert_null(open->email);
    assert_string_equal(bob->status, "FAILED");
    assert_string_equal(bob->email, "bob@logs.example"); /* who tried is logged with the failure */
    assert_string_equal(bob->organization_id, "org_nowhere");
    assert_string_equal(ada->status, "SUCCESS");
    assert_string_equal(ada->email, "ada@logs.example");
    assert_string_equal(ada->organization_id, org);
    for (size_t i = 0; i < 3; i++) {
        const scalekit_auth_log_request *r = page->items[i];
        assert_true(strncmp(r->auth_request_id, "lri_", 4) == 0);
        assert_string_equal(r->client_id, f->client_id);
        assert_string_equal(r->client_type, "ENV");
        assert_non_null(r->environment_id);
        assert_true(r->timestamp >= before && r->timestamp <= skit_now());
        assert_null(r->connection_id);
    }
    scalekit_auth_log_request_page_free(page);

    /* A request left pending past its lifetime can no longer finish: FAILED. */
    assert_int_equal(emu_db_exec(f->emu->store, "UPDATE login_requests SET expires_at = ? WHERE status = 'PENDING'",
                                 "i", skit_now() - 1), 1);
    page = list(f, NULL);
    assert_string_equal(page->items[0]->status, "FAILED");
    scalekit_auth_log_request_page_free(page);
    free(org);
}

static void filters(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "sign-ins on the hosted login");
    free(authorize(f, NULL, "ada@filters.example"));
    free(authorize(f, NULL, "eve@filters.example"));
    free(authorize(f, "org_nowhere", "ada@filters.example"));
    free(authorize(f, NULL, NULL));

    scalekit_auth_log_list_options o = SCALEKIT_AUTH_LOG_LIST_OPTIONS_INIT;
    o.email = "ADA@Filters.Example";
    scalekit_auth_log_request_page *page = list(f, &o);
    /* Her sign-in and her failed one (newest first); not eve's. */
    assert_int_equal(page->count, 2);
    assert_int_equal(page->total_size, 2);
    assert_string_equal(page->items[0]->email, "ada@filters.example");
    assert_string_equal(page->items[0]->status, "FAILED");
    assert_string_equal(page->items[1]->email, "ada@filters.example");
    assert_string_equal(page->items[1]->status, "SUCCESS");
    scalekit_auth_log_request_page_free(page);

    const char *const done[] = {"success", "FAILED", NULL};
    o = (scalekit_auth_log_list_options)SCALEKIT_AUTH_LOG_LIST_OPTIONS_INIT;
    o.statuses = done;
    page = list(f, &o);
    assert_int_equal(page->count, 3);
    assert_string_equal(page->items[0]->status, "FAILED");
    assert_string_equal(page->items[1]->status, "SUCCESS");
    scalekit_auth_log_request_page_free(page);
    const char *const initiated[] = {"INITIATED", NULL};
    o.statuses = initiated;
    page = list(f, &o);
    assert_int_equal(page->count, 1);
    scalekit_auth_log_request_page_free(page);

    o = (scalekit_auth_log_list_options)SCALEKIT_AUTH_LOG_LIST_OPTIONS_INIT;
    o.client_id = f->client_id;
    page = list(f, &o);
    assert_int_equal(page->count, 4);
    scalekit_auth_log_request_page_free(page);
    o.client_id = "skc_someone_else";
    page = list(f, &o);
    assert_int_equal(page->count, 0);
    assert_int_equal(page->total_size, 0);
    scalekit_auth_log_request_page_free(page);
    o.client_id = NULL;
    o.resource_id = "res_1";
    page = list(f, &o);
    assert_int_equal(page->count, 0);
    scalekit_auth_log_request_page_free(page);

    o = (scalekit_auth_log_list_options)SCALEKIT_AUTH_LOG_LIST_OPTIONS_INIT;
    o.start_time = skit_now() - 300;
    o.end_time = skit_now() + 1;
    page = list(f, &o);
    assert_int_equal(page->count, 4);
    scalekit_auth_log_request_page_free(page);
    o.start_time = skit_now() + 3600;
    o.end_time = 0;
    page = list(f, &o);
    assert_int_equal(page->count, 0);
    scalekit_auth_log_request_page_free(page);

    o.start_time = skit_now();
    o.end_time = skit_now() - 60;
    emu_assert_failed(scalekit_auth_log_list_requests(f->client, &o, &page), SCALEKIT_EINVALID_REQUEST, 400,
                      "end_time");
    const char *const unknown[] = {"SUCCESS", "DONE", NULL};
    o = (scalekit_auth_log_list_options)SCALEKIT_AUTH_LOG_LIST_OPTIONS_INIT;
    o.statuses = unknown;
    emu_assert_failed(scalekit_auth_log_list_requests(f->client, &o, &page), SCALEKIT_EINVALID_REQUEST, 400, "status");
    o.statuses = NULL;
    o.page_token = "not-a-token";
    emu_assert_failed(scalekit_auth_log_list_requests(f->client, &o, &page), SCALEKIT_EINVALID_REQUEST, 400,
                      "page_token");
    assert_null(page);
}

static void pages_newest_first(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "sign-ins on the hosted login");
    char email[64];
    for (int i = 0; i < 5; i++) {
        snprintf(email, sizeof email, "user%d@pages.example", i);
        free(authorize(f, NULL, email));
    }
    scalekit_auth_log_list_options o = SCALEKIT_AUTH_LOG_LIST_OPTIONS_INIT;
    o.page_size = 2;
    scalekit_auth_log_request_page *first = list(f, &o);
    assert_int_equal(first->count, 2);
    assert_int_equal(first->total_size, 5);
    assert_string_equal(first->items[0]->email, "user4@pages.example");
    assert_string_equal(first->items[1]->email, "user3@pages.example");
    assert_string_equal(first->prev_page_token, "");
    o.page_token = first->next_page_token;
    scalekit_auth_log_request_page *second = list(f, &o);
    assert_string_equal(second->items[0]->email, "user2@pages.example");
    assert_string_equal(second->items[1]->email, "user1@pages.example");
    /* Back from the second page: the first again. */
    o.page_token = second->prev_page_token;
    scalekit_auth_log_request_page *back = list(f, &o);
    assert_int_equal(back->count, 2);
    assert_string_equal(back->items[0]->email, "user4@pages.example");
    assert_string_equal(back->items[1]->email, "user3@pages.example");
    assert_string_equal(back->prev_page_token, "");
    scalekit_auth_log_request_page_free(back);
    scalekit_auth_log_request_page_free(second);
    scalekit_auth_log_request_page_free(first);

    o = (scalekit_auth_log_list_options)SCALEKIT_AUTH_LOG_LIST_OPTIONS_INIT;
    o.page_size = 2;
    scalekit_auth_log_iterator *it = NULL;
    EMU_FIXTURE_OK(scalekit_auth_log_iterator_new(f->client, &o, &it));
    const scalekit_auth_log_request *r;
    int n = 4, rc;
    while ((rc = scalekit_auth_log_iterator_next(it, &r)) == SCALEKIT_OK) {
        snprintf(email, sizeof email, "user%d@pages.example", n--);
        assert_string_equal(r->email, email);
    }
    assert_int_equal(rc, SCALEKIT_ITEROVER);
    assert_int_equal(n, -1);
    scalekit_auth_log_iterator_free(it);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_outcome_is_logged, emu_fixture_setup, emu_fixture_teardown),
        cmocka_unit_test_setup_teardown(filters, emu_fixture_setup, emu_fixture_teardown),
        cmocka_unit_test_setup_teardown(pages_newest_first, emu_fixture_setup, emu_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
