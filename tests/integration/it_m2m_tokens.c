/*
 * Tokens of organization API clients against the emulator: a second SDK client
 * made with an organization client's id and secret gets client-credentials
 * tokens (scalekit_generate_client_token) carrying oid, the client's scopes
 * (a `scopes` array), its audience, custom claims and lifetime; the SDK's
 * validation accepts and refuses them by required scopes, audience and
 * organization; a requested scope beyond the client's is refused. On the
 * emulator's API such a token reads its own organization only (403 elsewhere);
 * a removed secret is refused at once while the other keeps working; a deleted
 * client or organization ends its tokens at once, cache or not.
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

static char *new_org(emu_fixture *f, const char *name)
{
    scalekit_organization *org = NULL;
    EMU_FIXTURE_OK(scalekit_organization_create(f->client, name, NULL, &org));
    char *id = strdup(org->id);
    scalekit_organization_free(org);
    return id;
}

static const char *const scopes[] = {"deploy:applications", "read:deployments", NULL};
static const char *const audience[] = {"https://deploy.example.com", NULL};

/* An organization client with scopes, audience, a custom claim and a 600 s lifetime. */
static scalekit_m2m_client_created *new_client(emu_fixture *f, const char *org)
{
    scalekit_m2m_custom_claim repo = SCALEKIT_M2M_CUSTOM_CLAIM_INIT;
    repo.key = "github_repository";
    repo.value = "acme/inventory";
    const scalekit_m2m_custom_claim *claims[] = {&repo};
    int64_t expiry = 600;
    scalekit_m2m_client_options o = SCALEKIT_M2M_CLIENT_OPTIONS_INIT;
    o.scopes = scopes;
    o.audience = audience;
    o.custom_claims = claims;
    o.custom_claim_count = 1;
    o.expiry = &expiry;
    scalekit_m2m_client_created *created = NULL;
    EMU_FIXTURE_OK(scalekit_m2m_client_create(f->client, org, "Deployer", &o, &created));
    return created;
}

/* A token of @p id / @p secret by scalekit_generate_client_token; NULL with *rc on failure. */
static char *token_of(emu_fixture *f, const char *id, const char *secret, const char *const *want, int *rc)
{
    scalekit_client_token_options o = SCALEKIT_CLIENT_TOKEN_OPTIONS_INIT;
    o.client_id = id;
    o.client_secret = secret;
    o.scopes = want;
    scalekit_token_response *t = NULL;
    *rc = scalekit_generate_client_token(f->client, &o, &t);
    char *token = *rc == SCALEKIT_OK ? strdup(t->access_token) : NULL;
    scalekit_token_response_free(t);
    return token;
}

static void token_carries_the_client(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "an organization client's token shape");
    char *org = new_org(f, "Acme");
    scalekit_m2m_client_created *c = new_client(f, org);
    int rc;
    char *token = token_of(f, c->client->client_id, c->plain_secret, NULL, &rc);
    assert_non_null(token);

    scalekit_access_token_claims *claims = NULL;
    EMU_FIXTURE_OK(scalekit_get_access_token_claims(f->client, token, &claims));
    assert_string_equal(claims->organization_id, org);
    assert_string_equal(claims->client_id, c->client->client_id);
    assert_string_equal(claims->sub, c->client->client_id);
    assert_string_equal(claims->audiences[0], "https://deploy.example.com");
    assert_string_equal(claims->scopes[0], "deploy:applications");
    assert_string_equal(claims->scopes[1], "read:deployments");
    assert_null(claims->scopes[2]);
    assert_int_equal(claims->exp - claims->iat, 600);
    assert_non_null(strstr(claims->raw_json, "\"scopes\":[\"deploy:applications\",\"read:deployments\"]"));
    scalekit_access_token_claims_free(claims);

    /* The app's check of an incoming token: scopes, audience, organization. */
    const char *const need_read[] = {"read:deployments", NULL};
    const char *const need_admin[] = {"read:deployments", "admin:all", NULL};
    scalekit_validate_options v = SCALEKIT_VALIDATE_OPTIONS_INIT;
    v.required_scopes = need_read;
    v.audiences = audience;
    v.required_organization_id = org;
    scalekit_claims *all = NULL;
    EMU_FIXTURE_OK(scalekit_validate_token(f->client, token, &v, &all));
    assert_string_equal(scalekit_claims_get_string(all, "github_repository"), "acme/inventory");
    assert_string_equal(scalekit_claims_get_string(all, "oid"), org);
    scalekit_claims_free(all);
    v.required_scopes = need_admin;
    assert_int_equal(scalekit_validate_token(f->client, token, &v, NULL), SCALEKIT_ETOKEN_CLAIM);
    assert_non_null(strstr(scalekit_error_last()->message, "admin:all"));
    v.required_scopes = need_read;
    const char *const other_api[] = {"https://billing.example.com", NULL};
    v.audiences = other_api;
    assert_int_equal(scalekit_validate_token(f->client, token, &v, NULL), SCALEKIT_ETOKEN_CLAIM);
    v.audiences = audience;
    v.required_organization_id = "org_someone_else";
    assert_int_equal(scalekit_validate_token(f->client, token, &v, NULL), SCALEKIT_ETOKEN_FORBIDDEN);

    /* A narrower request gets just that scope; a scope the client lacks is refused. */
    char *narrow = token_of(f, c->client->client_id, c->plain_secret, need_read, &rc);
    assert_non_null(narrow);
    EMU_FIXTURE_OK(scalekit_get_access_token_claims(f->client, narrow, &claims));
    assert_string_equal(claims->scopes[0], "read:deployments");
    assert_null(claims->scopes[1]);
    scalekit_access_token_claims_free(claims);
    const char *const beyond[] = {"admin:all", NULL};
    assert_null(token_of(f, c->client->client_id, c->plain_secret, beyond, &rc));
    assert_int_not_equal(rc, SCALEKIT_OK);
    assert_string_equal(scalekit_error_last()->error_code, "invalid_scope");
    free(narrow);
    free(token);
    scalekit_m2m_client_created_free(c);
    free(org);
}

static void reads_only_its_own_organization(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "the emulator's rule for organization clients on its API");
    char *org = new_org(f, "Acme"), *other = new_org(f, "Globex");
    scalekit_m2m_client_created *c = new_client(f, org);
    scalekit_client *m2m = NULL;
    EMU_FIXTURE_OK(scalekit_client_new(&m2m, f->url, c->client->client_id, c->plain_secret));
    scalekit_organization *got = NULL;
    EMU_FIXTURE_OK(scalekit_organization_get(m2m, org, &got));
    assert_string_equal(got->id, org);
    scalekit_organization_free(got);
    scalekit_m2m_client_page *page = NULL;
    EMU_FIXTURE_OK(scalekit_m2m_client_list(m2m, org, NULL, &page));
    assert_int_equal(page->count, 1);
    scalekit_m2m_client_page_free(page);

    emu_assert_failed(scalekit_organization_get(m2m, other, &got), SCALEKIT_EPERMISSION, 403, NULL);
    assert_non_null(strstr(scalekit_error_last()->message, org));
    scalekit_organization_page *orgs = NULL;
    emu_assert_failed(scalekit_organization_list(m2m, NULL, &orgs), SCALEKIT_EPERMISSION, 403, NULL);
    emu_assert_failed(scalekit_organization_delete(m2m, org), SCALEKIT_EPERMISSION, 403, NULL);
    emu_assert_failed(scalekit_m2m_client_delete(m2m, org, c->client->client_id), SCALEKIT_EPERMISSION, 403, NULL);
    scalekit_client_free(m2m);
    scalekit_m2m_client_created_free(c);
    free(org);
    free(other);
}

static void removed_secret_refused_at_once(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "tokens of organization clients");
    char *org = new_org(f, "Acme");
    scalekit_m2m_client_created *c = new_client(f, org);
    const char *id = c->client->client_id;
    scalekit_m2m_client_secret_created *second = NULL;
    EMU_FIXTURE_OK(scalekit_m2m_client_add_secret(f->client, org, id, &second));
    int rc;
    char *old_token = token_of(f, id, c->plain_secret, NULL, &rc), *t = NULL;
    assert_non_null(old_token);
    assert_non_null(t = token_of(f, id, second->plain_secret, NULL, &rc));
    free(t);
    assert_null(token_of(f, id, "sks_wrong", NULL, &rc));
    assert_int_equal(rc, SCALEKIT_EUNAUTHENTICATED);

    EMU_FIXTURE_OK(scalekit_m2m_client_remove_secret(f->client, org, id, c->client->secrets[0]->id));
    assert_null(token_of(f, id, c->plain_secret, NULL, &rc));
    assert_int_equal(rc, SCALEKIT_EUNAUTHENTICATED);
    assert_non_null(t = token_of(f, id, second->plain_secret, NULL, &rc));
    free(t);
    /* A token issued before the rotation lives on until it expires (rotation must not cut requests off). */
    EMU_FIXTURE_OK(scalekit_validate_access_token(f->client, old_token));
    free(old_token);
    scalekit_m2m_client_secret_created_free(second);
    scalekit_m2m_client_created_free(c);
    free(org);
}

static void deleted_client_or_organization_ends_its_tokens(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "the emulator's rule for organization clients on its API");
    for (int delete_org = 0; delete_org < 2; delete_org++) {
        char *org = new_org(f, "Acme");
        scalekit_m2m_client_created *c = new_client(f, org);
        scalekit_client *m2m = NULL;
        EMU_FIXTURE_OK(scalekit_client_new(&m2m, f->url, c->client->client_id, c->plain_secret));
        scalekit_organization *got = NULL;
        /* Twice: the second call is served with the token the first one fetched. */
        for (int i = 0; i < 2; i++) {
            EMU_FIXTURE_OK(scalekit_organization_get(m2m, org, &got));
            scalekit_organization_free(got);
        }
        if (delete_org)
            EMU_FIXTURE_OK(scalekit_organization_delete(f->client, org));
        else
            EMU_FIXTURE_OK(scalekit_m2m_client_delete(f->client, org, c->client->client_id));
        /* The token is refused (401); the SDK's one retry with a fresh token is refused too. */
        emu_assert_failed(scalekit_organization_get(m2m, org, &got), SCALEKIT_EUNAUTHENTICATED, 401, NULL);
        int rc;
        assert_null(token_of(f, c->client->client_id, c->plain_secret, NULL, &rc));
        assert_int_equal(rc, SCALEKIT_EUNAUTHENTICATED);
        scalekit_client_free(m2m);
        scalekit_m2m_client_created_free(c);
        free(org);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(token_carries_the_client, emu_fixture_setup, emu_fixture_teardown),
        cmocka_unit_test_setup_teardown(reads_only_its_own_organization, emu_fixture_setup, emu_fixture_teardown),
        cmocka_unit_test_setup_teardown(removed_secret_refused_at_once, emu_fixture_setup, emu_fixture_teardown),
        cmocka_unit_test_setup_teardown(deleted_client_or_organization_ends_its_tokens, emu_fixture_setup,
                                        emu_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
