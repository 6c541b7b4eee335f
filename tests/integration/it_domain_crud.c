/*
 * Domains through the SDK against the emulator (or an external environment, see
 * emu_fixture_start_env): each method's success, the server's 400 with a field
 * violation, 404 for an unknown organization or domain, 409 for a domain taken
 * in the environment, paging by page number with the iterator, and an
 * organization's delete taking its domains with it.
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
#include "core/core.h"
#include "scalekit/domain.h"
#include "scalekit/organization.h"

static char *new_org(emu_fixture *f)
{
    scalekit_organization *org = NULL;
    if (scalekit_organization_create(f->client, "Domain Owner", NULL, &org) != SCALEKIT_OK)
        fail_msg("organization create: %s", emu_fixture_last_message());
    char *id = strdup(org->id);
    scalekit_organization_free(org);
    return id;
}

/* A domain name no other test run holds: "<prefix>-<run>-<n>.example". */
static void unique_domain(char *out, size_t n, const char *prefix)
{
    char label[96];
    emu_fixture_unique(label, sizeof label, prefix);
    snprintf(out, n, "%s.example", label);
}

static scalekit_domain *create(emu_fixture *f, const char *org, const char *name, const char *type)
{
    scalekit_domain_create_options o = SCALEKIT_DOMAIN_CREATE_OPTIONS_INIT;
    o.domain_type = type;
    scalekit_domain *d = NULL;
    if (scalekit_domain_create(f->client, org, name, &o, &d) != SCALEKIT_OK)
        fail_msg("domain create %s: %s", name, emu_fixture_last_message());
    return d;
}

static void create_get_list_delete(void **state)
{
    emu_fixture *f = *state;
    char *org = new_org(f), name[128], allowed[128];
    unique_domain(name, sizeof name, "crud");
    unique_domain(allowed, sizeof allowed, "allowed");
    scalekit_domain *d = create(f, org, name, "ORGANIZATION_DOMAIN");
    assert_true(strncmp(d->id, "dom_", 4) == 0);
    assert_string_equal(d->domain, name);
    assert_string_equal(d->domain_type, "ORGANIZATION_DOMAIN");
    assert_string_equal(d->organization_id, org);
    assert_true(strncmp(d->environment_id, "env_", 4) == 0);
    assert_string_equal(d->verification_method, "DNS");
    assert_string_equal(d->verification_status, "PENDING");
    assert_true(d->create_time > 0 && d->update_time >= d->create_time);
    assert_non_null(strstr(d->raw_json, "\"domain\":{"));
    scalekit_domain *a = create(f, org, allowed, "ALLOWED_EMAIL_DOMAIN");
    assert_string_equal(a->verification_method, "NOT_APPLICABLE");
    assert_string_equal(a->verification_status, "AUTO_VERIFIED");

    scalekit_domain *got = NULL;
    assert_int_equal(scalekit_domain_get(f->client, org, d->id, &got), SCALEKIT_OK);
    assert_string_equal(got->id, d->id);
    assert_string_equal(got->domain, name);
    scalekit_domain_free(got);

    scalekit_domain_page *page = NULL;
    assert_int_equal(scalekit_domain_list(f->client, org, NULL, &page), SCALEKIT_OK);
    assert_int_equal(page->count, 2);
    assert_string_equal(page->items[0]->id, d->id);
    assert_string_equal(page->items[1]->id, a->id);
    assert_int_equal(page->page_number, 0);
    scalekit_domain_page_free(page);
    scalekit_domain_list_options lo = SCALEKIT_DOMAIN_LIST_OPTIONS_INIT;
    lo.domain_type = "ALLOWED_EMAIL_DOMAIN";
    assert_int_equal(scalekit_domain_list(f->client, org, &lo, &page), SCALEKIT_OK);
    assert_int_equal(page->count, 1);
    assert_string_equal(page->items[0]->id, a->id);
    scalekit_domain_page_free(page);

    assert_int_equal(scalekit_domain_delete(f->client, org, d->id), SCALEKIT_OK);
    emu_assert_failed(scalekit_domain_get(f->client, org, d->id, &got), SCALEKIT_ENOTFOUND, 404, NULL);
    assert_null(got);
    emu_assert_failed(scalekit_domain_delete(f->client, org, d->id), SCALEKIT_ENOTFOUND, 404, NULL);
    scalekit_domain_free(d);
    scalekit_domain_free(a);
    assert_int_equal(scalekit_organization_delete(f->client, org), SCALEKIT_OK);
    free(org);
}

/* Business rules are the server's: each refusal names the field. */
static void server_refuses_bad_domains(void **state)
{
    emu_fixture *f = *state;
    char *org = new_org(f);
    scalekit_domain_create_options o = SCALEKIT_DOMAIN_CREATE_OPTIONS_INIT;
    const char *bad[] = {"no_underscores.example", "localhost", "-lead.example", "trail-.example",
                         "a..b.example", "acme.123", "gmail.com", "Outlook.COM"};
    scalekit_domain *d = NULL;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = scalekit_domain_create(f->client, org, bad[i], NULL, &d);
        if (rc != SCALEKIT_EINVALID_REQUEST)
            fail_msg("%s: %d %s", bad[i], rc, emu_fixture_last_message());
        emu_assert_failed(rc, SCALEKIT_EINVALID_REQUEST, 400, "domain");
        assert_null(d);
    }
    assert_non_null(strstr(scalekit_error_last()->field_violations[0].description, "public e-mail"));
    /* Every label valid, the name 254 characters long: one too many. */
    char longest[300];
    memset(longest, 'a', 254);
    longest[254] = '\0';
    longest[63] = longest[127] = longest[191] = longest[250] = '.';
    memcpy(longest + 251, "com", 3);
    emu_assert_failed(scalekit_domain_create(f->client, org, longest, NULL, &d), SCALEKIT_EINVALID_REQUEST, 400,
                      "domain");
    char name[128];
    unique_domain(name, sizeof name, "typed");
    o.domain_type = "SOMETHING_ELSE";
    emu_assert_failed(scalekit_domain_create(f->client, org, name, &o, &d), SCALEKIT_EINVALID_REQUEST, 400,
                      "domain_type");
    scalekit_domain_list_options lo = SCALEKIT_DOMAIN_LIST_OPTIONS_INIT;
    lo.page_size = 101;
    scalekit_domain_page *page = NULL;
    emu_assert_failed(scalekit_domain_list(f->client, org, &lo, &page), SCALEKIT_EINVALID_REQUEST, 400, "page_size");
    assert_int_equal(scalekit_organization_delete(f->client, org), SCALEKIT_OK);
    free(org);
}

static void unknown_organization_and_domain_are_404(void **state)
{
    emu_fixture *f = *state;
    char *org = new_org(f), name[128];
    unique_domain(name, sizeof name, "lost");
    scalekit_domain *d = NULL;
    scalekit_domain_page *page = NULL;
    emu_assert_failed(scalekit_domain_create(f->client, "org_missing", name, NULL, &d), SCALEKIT_ENOTFOUND, 404, NULL);
    assert_non_null(strstr(scalekit_error_last()->message, "org_missing"));
    emu_assert_failed(scalekit_domain_list(f->client, "org_missing", NULL, &page), SCALEKIT_ENOTFOUND, 404, NULL);
    emu_assert_failed(scalekit_domain_get(f->client, "org_missing", "dom_1", &d), SCALEKIT_ENOTFOUND, 404, NULL);
    emu_assert_failed(scalekit_domain_delete(f->client, "org_missing", "dom_1"), SCALEKIT_ENOTFOUND, 404, NULL);
    emu_assert_failed(scalekit_domain_get(f->client, org, "dom_missing", &d), SCALEKIT_ENOTFOUND, 404, NULL);
    assert_non_null(strstr(scalekit_error_last()->message, "dom_missing"));

    /* A domain is reached only through its own organization. */
    char *other = new_org(f);
    scalekit_domain *mine = create(f, org, name, NULL);
    emu_assert_failed(scalekit_domain_get(f->client, other, mine->id, &d), SCALEKIT_ENOTFOUND, 404, NULL);
    emu_assert_failed(scalekit_domain_delete(f->client, other, mine->id), SCALEKIT_ENOTFOUND, 404, NULL);
    assert_int_equal(scalekit_domain_get(f->client, org, mine->id, &d), SCALEKIT_OK);
    scalekit_domain_free(d);
    scalekit_domain_free(mine);
    assert_int_equal(scalekit_organization_delete(f->client, org), SCALEKIT_OK);
    assert_int_equal(scalekit_organization_delete(f->client, other), SCALEKIT_OK);
    free(org);
    free(other);
}

/* Unique in the environment, whatever the organization or the case. */
static void a_taken_domain_is_409(void **state)
{
    emu_fixture *f = *state;
    char *org = new_org(f), *other = new_org(f), name[128], upper[128];
    unique_domain(name, sizeof name, "taken");
    scalekit_domain *d = create(f, org, name, NULL), *again = NULL;
    for (size_t i = 0; (upper[i] = (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 32 : name[i])); i++)
        ;
    emu_assert_failed(scalekit_domain_create(f->client, org, name, NULL, &again), SCALEKIT_EEXISTS, 409, NULL);
    assert_non_null(strstr(scalekit_error_last()->message, name));
    emu_assert_failed(scalekit_domain_create(f->client, other, upper, NULL, &again), SCALEKIT_EEXISTS, 409, NULL);
    assert_null(again);
    /* Once deleted, it is free again. */
    assert_int_equal(scalekit_domain_delete(f->client, org, d->id), SCALEKIT_OK);
    again = create(f, other, name, NULL);
    scalekit_domain_free(again);
    scalekit_domain_free(d);
    assert_int_equal(scalekit_organization_delete(f->client, org), SCALEKIT_OK);
    assert_int_equal(scalekit_organization_delete(f->client, other), SCALEKIT_OK);
    free(org);
    free(other);
}

/* Seven domains, pages of two: four pages by number, and the iterator walks them all. */
static void pages_by_number_and_the_iterator(void **state)
{
    emu_fixture *f = *state;
    char *org = new_org(f), ids[7][40];
    for (int i = 0; i < 7; i++) {
        char name[128];
        unique_domain(name, sizeof name, "paged");
        scalekit_domain *d = create(f, org, name, i % 3 == 2 ? "ALLOWED_EMAIL_DOMAIN" : NULL);
        snprintf(ids[i], sizeof ids[i], "%s", d->id);
        scalekit_domain_free(d);
    }
    scalekit_domain_list_options lo = SCALEKIT_DOMAIN_LIST_OPTIONS_INIT;
    lo.page_size = 2;
    scalekit_domain_page *page = NULL;
    for (uint32_t n = 0; n < 5; n++) {
        lo.page_number = n;
        assert_int_equal(scalekit_domain_list(f->client, org, &lo, &page), SCALEKIT_OK);
        assert_int_equal(page->page_number, (int32_t)n);
        assert_int_equal(page->count, n < 3 ? 2 : n == 3 ? 1 : 0);
        if (page->count)
            assert_string_equal(page->items[0]->id, ids[2 * n]);
        scalekit_domain_page_free(page);
    }

    lo.page_number = 0;
    scalekit_domain_iterator *it = NULL;
    assert_int_equal(scalekit_domain_iterator_new(f->client, org, &lo, &it), SCALEKIT_OK);
    const scalekit_domain *d = NULL;
    int seen = 0, rc;
    while ((rc = scalekit_domain_iterator_next(it, &d)) == SCALEKIT_OK) {
        assert_true(seen < 7);
        assert_string_equal(d->id, ids[seen++]);
    }
    assert_int_equal(rc, SCALEKIT_ITEROVER);
    assert_int_equal(seen, 7);
    scalekit_domain_iterator_free(it);

    /* The filter holds across pages: five organization domains, from page 1 (the third on). */
    lo.domain_type = "ORGANIZATION_DOMAIN";
    lo.page_number = 1;
    assert_int_equal(scalekit_domain_iterator_new(f->client, org, &lo, &it), SCALEKIT_OK);
    const int expected[] = {3, 4, 6};
    for (seen = 0; (rc = scalekit_domain_iterator_next(it, &d)) == SCALEKIT_OK; seen++) {
        assert_true(seen < 3);
        assert_string_equal(d->id, ids[expected[seen]]);
        assert_string_equal(d->domain_type, "ORGANIZATION_DOMAIN");
    }
    assert_int_equal(rc, SCALEKIT_ITEROVER);
    assert_int_equal(seen, 3);
    scalekit_domain_iterator_free(it);
    assert_int_equal(scalekit_organization_delete(f->client, org), SCALEKIT_OK);
    free(org);
}

/* What the SDK cannot send (its page_number is unsigned) the emulator still refuses. */
static void the_emulator_refuses_a_bad_page_number(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "raw requests to the emulator");
    char *org = new_org(f), *token = emu_test_client_token(f->emu), auth[4096], url[512];
    assert_non_null(token);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    const char *headers[] = {auth, NULL};
    const char *bad[] = {"-1", "x", "2147483648", "1.5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(url, sizeof url, "%s/api/v1/organizations/%s/domains?page_number=%s", f->url, org, bad[i]);
        json_t *answer = NULL;
        assert_int_equal(emu_http_call("GET", url, headers, NULL, &answer), 400);
        json_t *info = json_array_get(json_object_get(answer, "details"), 0);
        json_t *violations = json_object_get(json_object_get(info, "validation_error_info"), "field_violations");
        assert_string_equal(skit_json_string(json_array_get(violations, 0), "field"), "page_number");
        json_decref(answer);
    }
    free(token);
    assert_int_equal(scalekit_organization_delete(f->client, org), SCALEKIT_OK);
    free(org);
}

/* Deleting an organization deletes its domains: their names are free again. */
static void an_organization_takes_its_domains_along(void **state)
{
    emu_fixture *f = *state;
    char *org = new_org(f), name[128], second[128];
    unique_domain(name, sizeof name, "cascade");
    unique_domain(second, sizeof second, "cascade");
    scalekit_domain *d = create(f, org, name, NULL), *e = create(f, org, second, "ALLOWED_EMAIL_DOMAIN");
    assert_int_equal(scalekit_organization_delete(f->client, org), SCALEKIT_OK);
    scalekit_domain *got = NULL;
    emu_assert_failed(scalekit_domain_get(f->client, org, d->id, &got), SCALEKIT_ENOTFOUND, 404, NULL);
    char *next = new_org(f);
    scalekit_domain *again = create(f, next, name, NULL), *again2 = create(f, next, second, NULL);
    scalekit_domain_page *page = NULL;
    assert_int_equal(scalekit_domain_list(f->client, next, NULL, &page), SCALEKIT_OK);
    assert_int_equal(page->count, 2);
    scalekit_domain_page_free(page);
    scalekit_domain_free(d);
    scalekit_domain_free(e);
    scalekit_domain_free(again);
    scalekit_domain_free(again2);
    assert_int_equal(scalekit_organization_delete(f->client, next), SCALEKIT_OK);
    free(org);
    free(next);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_get_list_delete),
        cmocka_unit_test(server_refuses_bad_domains),
        cmocka_unit_test(unknown_organization_and_domain_are_404),
        cmocka_unit_test(a_taken_domain_is_409),
        cmocka_unit_test(pages_by_number_and_the_iterator),
        cmocka_unit_test(the_emulator_refuses_a_bad_page_number),
        cmocka_unit_test(an_organization_takes_its_domains_along),
    };
    return cmocka_run_group_tests(tests, emu_fixture_setup, emu_fixture_teardown);
}
