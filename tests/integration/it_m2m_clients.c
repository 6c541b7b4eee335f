/*
 * Organization API clients through the SDK against the emulator (or an external
 * environment, see emu_fixture_start_env): create with every member, get (no
 * plain secret, the secret's suffix), update, delete; secrets added and removed;
 * the server's 400 naming the field, 404 for an unknown organization, client or
 * secret; a list paged with the iterator holding only its organization's clients.
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
#include "scalekit/scalekit.h"

static char *new_org(emu_fixture *f)
{
    scalekit_organization *org = NULL;
    EMU_FIXTURE_OK(scalekit_organization_create(f->client, "M2M Owner", NULL, &org));
    char *id = strdup(org->id);
    scalekit_organization_free(org);
    return id;
}

static const char *const scopes[] = {"deploy:applications", "read:deployments", NULL};
static const char *const audience[] = {"https://api.example.com", NULL};

static void create_get_update_delete(void **state)
{
    emu_fixture *f = *state;
    char *org = new_org(f);
    scalekit_m2m_custom_claim env = SCALEKIT_M2M_CUSTOM_CLAIM_INIT, team = SCALEKIT_M2M_CUSTOM_CLAIM_INIT;
    env.key = "environment";
    env.value = "production";
    team.key = "team";
    team.value = "platform";
    const scalekit_m2m_custom_claim *claims[] = {&env, &team};
    int64_t expiry = 1800;
    scalekit_m2m_client_options o = SCALEKIT_M2M_CLIENT_OPTIONS_INIT;
    o.description = "GitHub Actions deploys";
    o.scopes = scopes;
    o.audience = audience;
    o.custom_claims = claims;
    o.custom_claim_count = 2;
    o.expiry = &expiry;
    scalekit_m2m_client_created *created = NULL;
    EMU_FIXTURE_OK(scalekit_m2m_client_create(f->client, org, "Deployer", &o, &created));
    const scalekit_m2m_client *c = created->client;
    assert_non_null(c);
    assert_true(strncmp(c->client_id, "m2morg_", 7) == 0);
    assert_string_equal(c->organization_id, org);
    assert_string_equal(c->name, "Deployer");
    assert_string_equal(c->description, "GitHub Actions deploys");
    assert_string_equal(c->scopes[0], "deploy:applications");
    assert_string_equal(c->scopes[1], "read:deployments");
    assert_null(c->scopes[2]);
    assert_string_equal(c->audience[0], "https://api.example.com");
    assert_int_equal(c->custom_claim_count, 2);
    assert_string_equal(c->custom_claims[1]->key, "team");
    assert_string_equal(c->custom_claims[1]->value, "platform");
    assert_int_equal(c->expiry, 1800);
    assert_true(c->create_time > 0);
    assert_non_null(created->plain_secret);
    assert_true(strlen(created->plain_secret) >= 16);
    assert_int_equal(c->secret_count, 1);
    /* The suffix names the secret without revealing it; no plain value is listed. */
    const char *plain = created->plain_secret;
    assert_string_equal(c->secrets[0]->secret_suffix, plain + strlen(plain) - strlen(c->secrets[0]->secret_suffix));
    assert_null(c->secrets[0]->plain_secret);
    char *id = strdup(c->client_id);

    scalekit_m2m_client *got = NULL;
    EMU_FIXTURE_OK(scalekit_m2m_client_get(f->client, org, id, &got));
    assert_string_equal(got->name, "Deployer");
    assert_int_equal(got->secret_count, 1);
    assert_null(strstr(got->raw_json, plain));
    scalekit_m2m_client_free(got);

    const char *const fewer[] = {"read:deployments", NULL};
    scalekit_m2m_client_options u = SCALEKIT_M2M_CLIENT_OPTIONS_INIT;
    u.scopes = fewer;
    scalekit_m2m_client *updated = NULL;
    EMU_FIXTURE_OK(scalekit_m2m_client_update(f->client, org, id, "Deployer v2", &u, &updated));
    assert_string_equal(updated->name, "Deployer v2");
    assert_string_equal(updated->scopes[0], "read:deployments");
    assert_null(updated->scopes[1]);
    /* What the update did not name stays. */
    assert_string_equal(updated->description, "GitHub Actions deploys");
    assert_int_equal(updated->expiry, 1800);
    assert_int_equal(updated->custom_claim_count, 2);
    scalekit_m2m_client_free(updated);

    EMU_FIXTURE_OK(scalekit_m2m_client_delete(f->client, org, id));
    emu_assert_failed(scalekit_m2m_client_get(f->client, org, id, &got), SCALEKIT_ENOTFOUND, 404, NULL);
    assert_null(got);
    emu_assert_failed(scalekit_m2m_client_delete(f->client, org, id), SCALEKIT_ENOTFOUND, 404, NULL);
    scalekit_m2m_client_created_free(created);
    free(id);
    free(org);
}

static void secrets_added_and_removed(void **state)
{
    emu_fixture *f = *state;
    char *org = new_org(f);
    scalekit_m2m_client_created *created = NULL;
    EMU_FIXTURE_OK(scalekit_m2m_client_create(f->client, org, "Rotating", NULL, &created));
    const char *id = created->client->client_id;
    const char *first = created->client->secrets[0]->id;

    scalekit_m2m_client_secret_created *added = NULL;
    EMU_FIXTURE_OK(scalekit_m2m_client_add_secret(f->client, org, id, &added));
    assert_non_null(added->plain_secret);
    assert_string_not_equal(added->plain_secret, created->plain_secret);
    assert_true(strncmp(added->secret->id, "sec_", 4) == 0);
    assert_string_not_equal(added->secret->id, first);
    const char *suffix = added->secret->secret_suffix;
    assert_string_equal(suffix, added->plain_secret + strlen(added->plain_secret) - strlen(suffix));

    scalekit_m2m_client *got = NULL;
    EMU_FIXTURE_OK(scalekit_m2m_client_get(f->client, org, id, &got));
    assert_int_equal(got->secret_count, 2);
    assert_string_equal(got->secrets[0]->id, first);
    assert_string_equal(got->secrets[1]->id, added->secret->id);
    scalekit_m2m_client_free(got);
    char *second = strdup(added->secret->id);
    scalekit_m2m_client_secret_created_free(added);

    EMU_FIXTURE_OK(scalekit_m2m_client_remove_secret(f->client, org, id, first));
    EMU_FIXTURE_OK(scalekit_m2m_client_get(f->client, org, id, &got));
    assert_int_equal(got->secret_count, 1);
    assert_string_equal(got->secrets[0]->id, second);
    scalekit_m2m_client_free(got);
    free(second);
    emu_assert_failed(scalekit_m2m_client_remove_secret(f->client, org, id, first), SCALEKIT_ENOTFOUND, 404, NULL);
    emu_assert_failed(scalekit_m2m_client_add_secret(f->client, org, "m2morg_nosuch", &added),
                      SCALEKIT_ENOTFOUND, 404, NULL);
    assert_null(added);
    scalekit_m2m_client_created_free(created);
    free(org);
}

static void refusals(void **state)
{
    emu_fixture *f = *state;
    char *org = new_org(f);
    scalekit_m2m_client_created *created = NULL;
    char long_name[140];
    memset(long_name, 'n', 129);
    long_name[129] = '\0';
    emu_assert_failed(scalekit_m2m_client_create(f->client, org, long_name, NULL, &created),
                      SCALEKIT_EINVALID_REQUEST, 400, "name");
    scalekit_m2m_custom_claim oid = SCALEKIT_M2M_CUSTOM_CLAIM_INIT;
    oid.key = "oid";
    oid.value = "org_someone_else";
    const scalekit_m2m_custom_claim *claims[] = {&oid};
    scalekit_m2m_client_options o = SCALEKIT_M2M_CLIENT_OPTIONS_INIT;
    o.custom_claims = claims;
    o.custom_claim_count = 1;
    emu_assert_failed(scalekit_m2m_client_create(f->client, org, "Claims", &o, &created),
                      SCALEKIT_EINVALID_REQUEST, 400, "custom_claims[0].key");
    int64_t zero = 0;
    scalekit_m2m_client_options z = SCALEKIT_M2M_CLIENT_OPTIONS_INIT;
    z.expiry = &zero;
    emu_assert_failed(scalekit_m2m_client_create(f->client, org, "Zero", &z, &created),
                      SCALEKIT_EINVALID_REQUEST, 400, "expiry");
    emu_assert_failed(scalekit_m2m_client_create(f->client, "org_nosuch", "Orphan", NULL, &created),
                      SCALEKIT_ENOTFOUND, 404, NULL);
    assert_null(created);
    scalekit_m2m_client *got = NULL;
    emu_assert_failed(scalekit_m2m_client_get(f->client, org, "m2morg_nosuch", &got), SCALEKIT_ENOTFOUND, 404, NULL);
    /* C-level checks: nothing is sent. */
    assert_int_equal(scalekit_m2m_client_create(f->client, org, "", NULL, &created), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_m2m_client_get(f->client, org, "", &got), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_m2m_client_remove_secret(f->client, org, "m2morg_x", NULL), SCALEKIT_EINVAL);

    /* A client of one organization is not found under another. */
    char *other = new_org(f);
    EMU_FIXTURE_OK(scalekit_m2m_client_create(f->client, org, "Mine", NULL, &created));
    emu_assert_failed(scalekit_m2m_client_get(f->client, other, created->client->client_id, &got),
                      SCALEKIT_ENOTFOUND, 404, NULL);
    emu_assert_failed(scalekit_m2m_client_delete(f->client, other, created->client->client_id),
                      SCALEKIT_ENOTFOUND, 404, NULL);
    EMU_FIXTURE_OK(scalekit_m2m_client_get(f->client, org, created->client->client_id, &got));
    scalekit_m2m_client_free(got);
    scalekit_m2m_client_created_free(created);
    free(other);
    free(org);
}

static void list_pages_with_iterator(void **state)
{
    emu_fixture *f = *state;
    char *org = new_org(f), *other = new_org(f);
    /* page_size 10: the API's smallest (the OpenAPI file: 10 to 100). */
    char names[28][32];
    for (int i = 0; i < 28; i++) {
        snprintf(names[i], sizeof names[i], "client-%02d", i);
        scalekit_m2m_client_created *c = NULL;
        EMU_FIXTURE_OK(scalekit_m2m_client_create(f->client, i % 4 == 3 ? other : org, names[i], NULL, &c));
        scalekit_m2m_client_created_free(c);
    }
    scalekit_m2m_client_list_options o = SCALEKIT_M2M_CLIENT_LIST_OPTIONS_INIT;
    o.page_size = 10;
    scalekit_m2m_client_page *page = NULL;
    EMU_FIXTURE_OK(scalekit_m2m_client_list(f->client, org, &o, &page));
    assert_int_equal(page->count, 10);
    assert_int_equal(page->total_size, 21);
    assert_string_equal(page->items[0]->name, "client-00");
    assert_true(page->next_page_token && *page->next_page_token);
    scalekit_m2m_client_page_free(page);

    scalekit_m2m_client_iterator *it = NULL;
    EMU_FIXTURE_OK(scalekit_m2m_client_iterator_new(f->client, org, &o, &it));
    const scalekit_m2m_client *c;
    int n = 0, rc;
    while ((rc = scalekit_m2m_client_iterator_next(it, &c)) == SCALEKIT_OK) {
        assert_string_equal(c->organization_id, org);
        assert_int_equal(c->secret_count, 1);
        n++;
    }
    assert_int_equal(rc, SCALEKIT_ITEROVER);
    assert_int_equal(n, 21);
    scalekit_m2m_client_iterator_free(it);
    emu_assert_failed(scalekit_m2m_client_list(f->client, "org_nosuch", NULL, &page), SCALEKIT_ENOTFOUND, 404, NULL);
    free(org);
    free(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(create_get_update_delete, emu_fixture_setup, emu_fixture_teardown),
        cmocka_unit_test_setup_teardown(secrets_added_and_removed, emu_fixture_setup, emu_fixture_teardown),
        cmocka_unit_test_setup_teardown(refusals, emu_fixture_setup, emu_fixture_teardown),
        cmocka_unit_test_setup_teardown(list_pages_with_iterator, emu_fixture_setup, emu_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
