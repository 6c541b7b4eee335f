/*
 * Listing organizations through the SDK: 17 organizations walked in pages of 5,
 * page by page (forward and back) and with the iterator, each seen exactly once;
 * the external_id filter; refused page sizes and tokens. Runs against the
 * emulator or an external environment (emu_fixture_start_env), where other
 * organizations may exist: only this run's are counted there.
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
#include "scalekit/organization.h"

#define N_ORGS 17
#define PAGE 5

typedef struct list_state {
    emu_fixture *f;
    char ids[N_ORGS][64];
    char external_ids[N_ORGS][80];
} list_state;

static int setup(void **state)
{
    list_state *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->f = emu_fixture_start_env(NULL, NULL);
    for (int i = 0; i < N_ORGS; i++) {
        char name[32];
        snprintf(name, sizeof name, "Listed %02d", i);
        emu_fixture_unique(s->external_ids[i], sizeof s->external_ids[i], "list");
        scalekit_organization_create_options o = { .struct_size = sizeof(scalekit_organization_create_options), .external_id = s->external_ids[i]};
        scalekit_organization *org = NULL;
        assert_int_equal(scalekit_organization_create(s->f->client, name, &o, &org), SCALEKIT_OK);
        snprintf(s->ids[i], sizeof s->ids[i], "%s", org->id);
        scalekit_organization_free(org);
    }
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    list_state *s = *state;
    for (int i = 0; i < N_ORGS; i++)
        assert_int_equal(scalekit_organization_delete(s->f->client, s->ids[i]), SCALEKIT_OK);
    emu_fixture_stop(s->f);
    free(s);
    return 0;
}

/* Count @p id as seen: its index among ours, or -1 when it is not one of ours. */
static int mark_seen(const list_state *s, const char *id, int *seen)
{
    for (int i = 0; i < N_ORGS; i++) {
        if (strcmp(s->ids[i], id) == 0) {
            seen[i]++;
            return i;
        }
    }
    return -1;
}

static void assert_each_seen_once(const int *seen)
{
    for (int i = 0; i < N_ORGS; i++)
        if (seen[i] != 1)
            fail_msg("organization %d seen %d times", i, seen[i]);
}

static void page_by_page(void **state)
{
    list_state *s = *state;
    int seen[N_ORGS] = {0};
    char token[512] = "", second_page_prev[512] = "", first_page_first[64] = "";
    size_t pages = 0, items = 0;
    for (;;) {
        scalekit_organization_list_options o = { .struct_size = sizeof(scalekit_organization_list_options), .page_size = PAGE, .page_token = token};
        scalekit_organization_page *page = NULL;
        assert_int_equal(scalekit_organization_list(s->f->client, &o, &page), SCALEKIT_OK);
        assert_true(page->count <= PAGE);
        assert_true(page->total_size >= N_ORGS);
        for (size_t i = 0; i < page->count; i++)
            mark_seen(s, page->items[i]->id, seen);
        if (pages == 0 && page->count)
            snprintf(first_page_first, sizeof first_page_first, "%s", page->items[0]->id);
        if (pages == 1 && page->prev_page_token)
            snprintf(second_page_prev, sizeof second_page_prev, "%s", page->prev_page_token);
        pages++;
        items += page->count;
        bool last = !page->next_page_token || !*page->next_page_token;
        if (!last)
            snprintf(token, sizeof token, "%s", page->next_page_token);
        if (!emu_fixture_is_external(s->f)) {
            /* The emulator holds exactly our 17: pages of 5, 5, 5 and 2. */
            assert_int_equal(page->total_size, N_ORGS);
            assert_int_equal(page->count, pages < 4 ? PAGE : N_ORGS - 3 * PAGE);
        }
        scalekit_organization_page_free(page);
        if (last)
            break;
        assert_true(pages < 10000);
    }
    assert_each_seen_once(seen);
    if (!emu_fixture_is_external(s->f))
        assert_int_equal(pages, 4);
    assert_true(items >= N_ORGS);

    /* The second page's prev_page_token leads back to the first page. */
    assert_true(second_page_prev[0] != '\0');
    scalekit_organization_list_options back = { .struct_size = sizeof(scalekit_organization_list_options), .page_size = PAGE, .page_token = second_page_prev};
    scalekit_organization_page *page = NULL;
    assert_int_equal(scalekit_organization_list(s->f->client, &back, &page), SCALEKIT_OK);
    assert_int_equal(page->count, PAGE);
    assert_string_equal(page->items[0]->id, first_page_first);
    scalekit_organization_page_free(page);
}

static void iterator_walks_every_one_once(void **state)
{
    list_state *s = *state;
    int seen[N_ORGS] = {0};
    scalekit_organization_list_options o = { .struct_size = sizeof(scalekit_organization_list_options), .page_size = PAGE};
    scalekit_organization_iterator *it = NULL;
    assert_int_equal(scalekit_organization_iterator_new(s->f->client, &o, &it), SCALEKIT_OK);
    const scalekit_organization *org;
    int rc;
    size_t n = 0;
    while ((rc = scalekit_organization_iterator_next(it, &org)) == SCALEKIT_OK) {
        assert_non_null(org->id);
        assert_non_null(org->display_name);
        int i = mark_seen(s, org->id, seen);
        if (i >= 0)
            assert_string_equal(org->external_id, s->external_ids[i]);
        n++;
    }
    assert_int_equal(rc, SCALEKIT_ITEROVER);
    assert_int_equal(scalekit_organization_iterator_next(it, &org), SCALEKIT_ITEROVER);
    scalekit_organization_iterator_free(it);
    assert_each_seen_once(seen);
    if (!emu_fixture_is_external(s->f))
        assert_int_equal(n, N_ORGS);
}

static void filter_by_external_id(void **state)
{
    list_state *s = *state;
    scalekit_organization_list_options o = { .struct_size = sizeof(scalekit_organization_list_options), .external_id = s->external_ids[3]};
    scalekit_organization_page *page = NULL;
    assert_int_equal(scalekit_organization_list(s->f->client, &o, &page), SCALEKIT_OK);
    assert_int_equal(page->count, 1);
    assert_string_equal(page->items[0]->id, s->ids[3]);
    assert_true(page->next_page_token == NULL || *page->next_page_token == '\0');
    scalekit_organization_page_free(page);
}

static void refused_page_size_and_token(void **state)
{
    list_state *s = *state;
    scalekit_organization_page *page = NULL;
    scalekit_organization_list_options big = { .struct_size = sizeof(scalekit_organization_list_options), .page_size = 1000};
    assert_int_equal(scalekit_organization_list(s->f->client, &big, &page), SCALEKIT_EINVALID_REQUEST);
    assert_int_equal(scalekit_error_last()->http_status, 400);
    if (!emu_fixture_is_external(s->f)) {
        assert_int_equal(scalekit_error_last()->field_violation_count, 1);
        assert_string_equal(scalekit_error_last()->field_violations[0].field, "page_size");
    }
    scalekit_organization_list_options junk = { .struct_size = sizeof(scalekit_organization_list_options), .page_token = "not-a-token"};
    assert_int_equal(scalekit_organization_list(s->f->client, &junk, &page), SCALEKIT_EINVALID_REQUEST);
    assert_int_equal(scalekit_error_last()->http_status, 400);
    assert_int_equal(scalekit_organization_list(s->f->client, NULL, NULL), SCALEKIT_EINVAL);
    assert_null(page);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(page_by_page),
        cmocka_unit_test(iterator_walks_every_one_once),
        cmocka_unit_test(filter_by_external_id),
        cmocka_unit_test(refused_page_size_and_token),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
