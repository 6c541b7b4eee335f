/*
 * Organizations through the SDK against the emulator (or an external
 * environment, see emu_fixture_start_env): every method's success path and its
 * failures - refused by the SDK before any request, refused by the server with
 * field violations, not found, already exists.
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
#include "core/core.h"
#include "scalekit/organization.h"

static scalekit_organization *create(emu_fixture *f, const char *name,
                                     const scalekit_organization_create_options *o)
{
    scalekit_organization *org = NULL;
    int rc = scalekit_organization_create(f->client, name, o, &org);
    if (rc != SCALEKIT_OK)
        fail_msg("create %s: %d %s", name, rc, scalekit_error_last()->message);
    return org;
}

static void delete_org(emu_fixture *f, scalekit_organization *org)
{
    assert_int_equal(scalekit_organization_delete(f->client, org->id), SCALEKIT_OK);
    scalekit_organization_free(org);
}

static void create_get_and_by_external_id(void **state)
{
    emu_fixture *f = *state;
    char ext[80], slug[80];
    emu_fixture_unique(ext, sizeof ext, "ext");
    emu_fixture_unique(slug, sizeof slug, "acme");
    scalekit_header meta[] = {{"plan", "enterprise"}, {"tier", "gold"}};
    scalekit_organization_create_options o = { .struct_size = sizeof(scalekit_organization_create_options), .external_id = ext, .slug = slug,
                                              .logo_url = "https://example.com/logo.png",
                                              .metadata = {meta, 2}};
    int64_t before = skit_now() - 5;
    scalekit_organization *org = create(f, "Acme Corp", &o);
    assert_true(strncmp(org->id, "org_", 4) == 0);
    assert_string_equal(org->display_name, "Acme Corp");
    assert_string_equal(org->external_id, ext);
    assert_string_equal(org->slug, slug);
    assert_string_equal(org->logo_url, "https://example.com/logo.png");
    assert_string_equal(scalekit_string_map_get(&org->metadata, "plan"), "enterprise");
    assert_string_equal(scalekit_string_map_get(&org->metadata, "tier"), "gold");
    assert_true(org->create_time >= before && org->create_time <= skit_now() + 5);
    assert_non_null(org->region_code);
    assert_non_null(strstr(org->raw_json, "\"organization\""));
    if (!emu_fixture_is_external(f)) {
        /* A new organization starts with SSO and directory sync off. */
        assert_non_null(org->settings);
        assert_int_equal(org->settings->feature_count, 2);
        assert_string_equal(org->settings->features[0]->name, "sso");
        assert_false(org->settings->features[0]->enabled);
        assert_string_equal(org->settings->features[1]->name, "dir_sync");
        assert_false(org->settings->features[1]->enabled);
    }

    scalekit_organization *got = NULL;
    assert_int_equal(scalekit_organization_get(f->client, org->id, &got), SCALEKIT_OK);
    assert_string_equal(got->id, org->id);
    assert_string_equal(got->display_name, "Acme Corp");
    assert_int_equal(got->create_time, org->create_time);
    scalekit_organization_free(got);

    got = NULL;
    assert_int_equal(scalekit_organization_get_by_external_id(f->client, ext, &got), SCALEKIT_OK);
    assert_string_equal(got->id, org->id);
    scalekit_organization_free(got);
    delete_org(f, org);
}

/* Only what C cannot send is refused before a request. */
static void create_refused_by_the_sdk_sends_nothing(void **state)
{
    emu_fixture *f = *state;
    scalekit_organization *org = NULL;
    emu_assert_failed(scalekit_organization_create(f->client, "", NULL, &org), SCALEKIT_EINVAL, 0, NULL);
    emu_assert_failed(scalekit_organization_create(f->client, "x", NULL, NULL), SCALEKIT_EINVAL, 0, NULL);
    emu_assert_failed(scalekit_organization_create(f->client, "bad \xc3", NULL, &org), SCALEKIT_EINVAL, 0, NULL);
    scalekit_organization_create_options unset = {0};
    emu_assert_failed(scalekit_organization_create(f->client, "x", &unset, &org), SCALEKIT_EINVAL, 0, NULL);
    assert_null(org);
}

/* The business rules the SDK no longer copies: the server's 400 names the field. */
static void business_rules_are_the_servers(void **state)
{
    emu_fixture *f = *state;
    scalekit_organization *org = NULL;
    char long_name[202];
    memset(long_name, 'n', 201);
    long_name[201] = '\0';
    bool local = !emu_fixture_is_external(f);   /* field names are the emulator's */
    emu_assert_failed(scalekit_organization_create(f->client, long_name, NULL, &org),
                      SCALEKIT_EINVALID_REQUEST, 400, local ? "display_name" : NULL);
    scalekit_organization_create_options bad_slug = SCALEKIT_ORGANIZATION_CREATE_OPTIONS_INIT;
    bad_slug.slug = "Not A Slug";
    emu_assert_failed(scalekit_organization_create(f->client, "x", &bad_slug, &org),
                      SCALEKIT_EINVALID_REQUEST, 400, local ? "slug" : NULL);
    scalekit_organization_create_options bad_logo = SCALEKIT_ORGANIZATION_CREATE_OPTIONS_INIT;
    bad_logo.logo_url = "http://example.com/l.png";
    emu_assert_failed(scalekit_organization_create(f->client, "x", &bad_logo, &org),
                      SCALEKIT_EINVALID_REQUEST, 400, local ? "logo_url" : NULL);
    assert_null(org);
}

static void create_refused_by_the_server_has_field_violations(void **state)
{
    emu_fixture *f = *state;
    scalekit_organization *org = NULL;
    /* Metadata keys must be 3 to 25 characters: a rule only the server checks. */
    scalekit_header meta[] = {{"ab", "too short a key"}};
    scalekit_organization_create_options o = { .struct_size = sizeof(scalekit_organization_create_options), .metadata = {meta, 1}};
    int rc = scalekit_organization_create(f->client, "Short Keys Inc", &o, &org);
    emu_assert_failed(rc, SCALEKIT_EINVALID_REQUEST, 400, emu_fixture_is_external(f) ? NULL : "metadata.ab");
    assert_non_null(scalekit_error_last()->request_id);
    if (!emu_fixture_is_external(f))
        assert_string_equal(scalekit_error_last()->error_code, "INVALID_ARGUMENT");
    assert_null(org);

    /* A display name over 200 characters, sent past the SDK's own check. */
    char name[260];
    memset(name, 'x', 250);
    name[250] = '\0';
    json_t *body = json_pack("{s:s}", "display_name", name);
    rc = skit_api_call(f->client, "POST", "/api/v1/organizations", NULL, body, NULL);
    json_decref(body);
    emu_assert_failed(rc, SCALEKIT_EINVALID_REQUEST, 400, emu_fixture_is_external(f) ? NULL : "display_name");
}

static void duplicate_external_id_or_slug_is_409(void **state)
{
    emu_fixture *f = *state;
    char ext[80], slug[80];
    emu_fixture_unique(ext, sizeof ext, "dup");
    emu_fixture_unique(slug, sizeof slug, "dup");
    scalekit_organization_create_options o = { .struct_size = sizeof(scalekit_organization_create_options), .external_id = ext, .slug = slug};
    scalekit_organization *first = create(f, "First", &o), *second = NULL;

    scalekit_organization_create_options same_ext = { .struct_size = sizeof(scalekit_organization_create_options), .external_id = ext};
    emu_assert_failed(scalekit_organization_create(f->client, "Second", &same_ext, &second), SCALEKIT_EEXISTS,
                      409, NULL);
    scalekit_organization_create_options same_slug = { .struct_size = sizeof(scalekit_organization_create_options), .slug = slug};
    emu_assert_failed(scalekit_organization_create(f->client, "Second", &same_slug, &second), SCALEKIT_EEXISTS,
                      409, NULL);
    assert_null(second);

    /* Updating another organization onto the taken external id conflicts too. */
    scalekit_organization *other = create(f, "Other", NULL), *updated = NULL;
    scalekit_organization_update_options u = { .struct_size = sizeof(scalekit_organization_update_options), .external_id = ext};
    emu_assert_failed(scalekit_organization_update(f->client, other->id, &u, &updated), SCALEKIT_EEXISTS,
                      409, NULL);
    assert_null(updated);
    delete_org(f, other);
    delete_org(f, first);
}

static void unknown_ids_are_404(void **state)
{
    emu_fixture *f = *state;
    scalekit_organization *org = NULL;
    emu_assert_failed(scalekit_organization_get(f->client, "org_does_not_exist", &org), SCALEKIT_ENOTFOUND,
                      404, NULL);
    assert_non_null(scalekit_error_last()->error_code);
    char ext[80];
    emu_fixture_unique(ext, sizeof ext, "nobody");
    emu_assert_failed(scalekit_organization_get_by_external_id(f->client, ext, &org), SCALEKIT_ENOTFOUND,
                      404, NULL);
    scalekit_organization_update_options u = { .struct_size = sizeof(scalekit_organization_update_options), .display_name = "x"};
    emu_assert_failed(scalekit_organization_update(f->client, "org_does_not_exist", &u, &org),
                      SCALEKIT_ENOTFOUND, 404, NULL);
    emu_assert_failed(scalekit_organization_update_by_external_id(f->client, ext, &u, &org),
                      SCALEKIT_ENOTFOUND, 404, NULL);
    emu_assert_failed(scalekit_organization_delete(f->client, "org_does_not_exist"), SCALEKIT_ENOTFOUND,
                      404, NULL);
    assert_null(org);
    /* Empty ids never reach the server. */
    emu_assert_failed(scalekit_organization_get(f->client, "", &org), SCALEKIT_EINVAL, 0, NULL);
    emu_assert_failed(scalekit_organization_get_by_external_id(f->client, NULL, &org), SCALEKIT_EINVAL, 0, NULL);
    emu_assert_failed(scalekit_organization_delete(f->client, ""), SCALEKIT_EINVAL, 0, NULL);
    emu_assert_failed(scalekit_organization_update(f->client, "org_1", NULL, &org), SCALEKIT_EINVAL, 0, NULL);
}

static void update_changes_only_what_is_set(void **state)
{
    emu_fixture *f = *state;
    char ext[80], slug[80], ext2[80];
    emu_fixture_unique(ext, sizeof ext, "upd");
    emu_fixture_unique(slug, sizeof slug, "upd");
    emu_fixture_unique(ext2, sizeof ext2, "upd-renamed");
    scalekit_header meta[] = {{"plan", "free"}};
    scalekit_organization_create_options o = { .struct_size = sizeof(scalekit_organization_create_options), .external_id = ext, .slug = slug, .metadata = {meta, 1}};
    scalekit_organization *org = create(f, "Before", &o), *updated = NULL;

    scalekit_organization_update_options u = { .struct_size = sizeof(scalekit_organization_update_options), .display_name = "After"};
    assert_int_equal(scalekit_organization_update(f->client, org->id, &u, &updated), SCALEKIT_OK);
    assert_string_equal(updated->display_name, "After");
    assert_string_equal(updated->external_id, ext);
    assert_string_equal(updated->slug, slug);
    assert_string_equal(scalekit_string_map_get(&updated->metadata, "plan"), "free");
    assert_true(updated->update_time >= org->update_time);
    scalekit_organization_free(updated);

    /* By external id: the SDK resolves the id, then patches it; "" clears the slug. */
    scalekit_header meta2[] = {{"plan", "pro"}};
    scalekit_organization_update_options by_ext = { .struct_size = sizeof(scalekit_organization_update_options), .external_id = ext2, .slug = "", .metadata = {meta2, 1}};
    updated = NULL;
    assert_int_equal(scalekit_organization_update_by_external_id(f->client, ext, &by_ext, &updated),
                     SCALEKIT_OK);
    assert_string_equal(updated->id, org->id);
    assert_string_equal(updated->external_id, ext2);
    assert_null(updated->slug);
    assert_string_equal(scalekit_string_map_get(&updated->metadata, "plan"), "pro");
    scalekit_organization_free(updated);

    /* The server refuses what the SDK lets through: a one-character metadata key. */
    scalekit_header bad[] = {{"k", "v"}};
    scalekit_organization_update_options bad_meta = { .struct_size = sizeof(scalekit_organization_update_options), .metadata = {bad, 1}};
    updated = NULL;
    emu_assert_failed(scalekit_organization_update(f->client, org->id, &bad_meta, &updated),
                      SCALEKIT_EINVALID_REQUEST, 400, emu_fixture_is_external(f) ? NULL : "metadata.k");
    scalekit_organization_update_options empty_name = SCALEKIT_ORGANIZATION_UPDATE_OPTIONS_INIT;
    empty_name.display_name = "";
    emu_assert_failed(scalekit_organization_update(f->client, org->id, &empty_name, &updated),
                      SCALEKIT_EINVALID_REQUEST, 400, emu_fixture_is_external(f) ? NULL : "display_name");
    assert_null(updated);
    delete_org(f, org);
}

static void delete_makes_it_gone(void **state)
{
    emu_fixture *f = *state;
    scalekit_organization *org = create(f, "Short Lived", NULL), *got = NULL;
    char id[96];
    snprintf(id, sizeof id, "%s", org->id);
    delete_org(f, org);
    emu_assert_failed(scalekit_organization_get(f->client, id, &got), SCALEKIT_ENOTFOUND, 404, NULL);
    emu_assert_failed(scalekit_organization_delete(f->client, id), SCALEKIT_ENOTFOUND, 404, NULL);
}

static void portal_link_expires_soon(void **state)
{
    emu_fixture *f = *state;
    scalekit_organization *org = create(f, "Portal Co", NULL);
    scalekit_organization_portal_link *link = NULL;
    const char *features[] = {"sso", "dir_sync", NULL};
    scalekit_organization_portal_link_options o = { .struct_size = sizeof(scalekit_organization_portal_link_options), .features = features};
    assert_int_equal(scalekit_organization_generate_portal_link(f->client, org->id, &o, &link), SCALEKIT_OK);
    assert_non_null(link->id);
    assert_true(strncmp(link->location, "http", 4) == 0);
    assert_true(link->expire_time > skit_now() - 5);
    assert_true(link->expire_time <= skit_now() + 7 * 86400);
    scalekit_organization_portal_link_free(link);

    link = NULL;
    emu_assert_failed(scalekit_organization_generate_portal_link(f->client, "org_does_not_exist", NULL, &link),
                      SCALEKIT_ENOTFOUND, 404, NULL);
    emu_assert_failed(scalekit_organization_generate_portal_link(f->client, "", NULL, &link), SCALEKIT_EINVAL,
                      0, NULL);
    assert_null(link);
    delete_org(f, org);
}

static void settings_toggle_features(void **state)
{
    emu_fixture *f = *state;
    scalekit_organization *org = create(f, "Settings Co", NULL), *updated = NULL;
    scalekit_organization_feature sso = SCALEKIT_ORGANIZATION_FEATURE_INIT;
    scalekit_organization_feature dir_sync = SCALEKIT_ORGANIZATION_FEATURE_INIT;
    sso.name = "sso";
    dir_sync.name = "dir_sync";
    sso.enabled = dir_sync.enabled = true;
    const scalekit_organization_feature *on[] = {&sso, &dir_sync};
    scalekit_organization_settings s = SCALEKIT_ORGANIZATION_SETTINGS_INIT;
    s.features = on;
    s.feature_count = 2;
    assert_int_equal(scalekit_organization_update_settings(f->client, org->id, &s, &updated), SCALEKIT_OK);
    size_t enabled = 0;
    for (size_t i = 0; i < updated->settings->feature_count; i++)
        if (updated->settings->features[i]->enabled)
            enabled++;
    assert_int_equal(enabled, 2);
    scalekit_organization_free(updated);

    /* A feature the API does not know is the server's to refuse. */
    scalekit_organization_feature teleportation = SCALEKIT_ORGANIZATION_FEATURE_INIT;
    teleportation.name = "teleportation";
    const scalekit_organization_feature *unknown[] = {&teleportation};
    scalekit_organization_settings bad = SCALEKIT_ORGANIZATION_SETTINGS_INIT;
    bad.features = unknown;
    bad.feature_count = 1;
    updated = NULL;
    emu_assert_failed(scalekit_organization_update_settings(f->client, org->id, &bad, &updated),
                      SCALEKIT_EINVALID_REQUEST, 400, emu_fixture_is_external(f) ? NULL : "features[0].name");
    emu_assert_failed(scalekit_organization_update_settings(f->client, "org_does_not_exist", &s, &updated),
                      SCALEKIT_ENOTFOUND, 404, NULL);
    emu_assert_failed(scalekit_organization_update_settings(f->client, org->id, NULL, &updated), SCALEKIT_EINVAL,
                      0, NULL);
    assert_null(updated);
    delete_org(f, org);
}

static void user_management_settings(void **state)
{
    emu_fixture *f = *state;
    scalekit_organization *org = create(f, "Seats Co", NULL);
    scalekit_organization_user_management_settings in = { .struct_size = sizeof(scalekit_organization_user_management_settings), .max_allowed_users = &(int32_t){25}}, *out = NULL;
    assert_int_equal(scalekit_organization_upsert_user_management_settings(f->client, org->id, &in, &out),
                     SCALEKIT_OK);
    assert_non_null(out->max_allowed_users);
    assert_int_equal(*out->max_allowed_users, 25);
    scalekit_organization_user_management_settings_free(out);

    out = NULL;
    scalekit_organization_user_management_settings negative = { .struct_size = sizeof(scalekit_organization_user_management_settings), .max_allowed_users = &(int32_t){-1}};
    emu_assert_failed(scalekit_organization_upsert_user_management_settings(f->client, org->id, &negative, &out),
                      SCALEKIT_EINVALID_REQUEST, 400,
                      emu_fixture_is_external(f) ? NULL : "settings.max_allowed_users");
    emu_assert_failed(scalekit_organization_upsert_user_management_settings(f->client, "org_does_not_exist", &in,
                                                                        &out),
                      SCALEKIT_ENOTFOUND, 404, NULL);
    assert_null(out);
    delete_org(f, org);
}

static void session_policy(void **state)
{
    emu_fixture *f = *state;
    scalekit_organization *org = create(f, "Policy Co", NULL);
    scalekit_organization_session_policy *p = NULL;
    assert_int_equal(scalekit_organization_get_session_policy(f->client, org->id, &p), SCALEKIT_OK);
    assert_string_equal(p->policy_source, "APPLICATION");
    scalekit_organization_session_policy_free(p);

    scalekit_organization_session_policy custom = { .struct_size = sizeof(scalekit_organization_session_policy),
        .policy_source = "CUSTOM", .absolute_session_timeout = &(int32_t){2},
        .absolute_session_timeout_unit = "HOURS", .idle_session_timeout_enabled = &(bool){true},
        .idle_session_timeout = &(int32_t){30}, .idle_session_timeout_unit = "MINUTES"};
    p = NULL;
    assert_int_equal(scalekit_organization_update_session_policy(f->client, org->id, &custom, &p), SCALEKIT_OK);
    assert_string_equal(p->policy_source, "CUSTOM");
    assert_non_null(p->absolute_session_timeout);
    assert_int_equal(*p->absolute_session_timeout, 120);   /* answered in minutes */
    assert_string_equal(p->absolute_session_timeout_unit, "MINUTES");
    assert_true(*p->idle_session_timeout_enabled);
    assert_int_equal(*p->idle_session_timeout, 30);
    scalekit_organization_session_policy_free(p);

    p = NULL;
    assert_int_equal(scalekit_organization_get_session_policy(f->client, org->id, &p), SCALEKIT_OK);
    assert_int_equal(*p->absolute_session_timeout, 120);
    scalekit_organization_session_policy_free(p);

    p = NULL;
    /* A custom policy without its absolute timeout: the server's rule. */
    scalekit_organization_session_policy no_timeout = { .struct_size = sizeof(scalekit_organization_session_policy), .policy_source = "CUSTOM"};
    int rc = scalekit_organization_update_session_policy(f->client, org->id, &no_timeout, &p);
    emu_assert_failed(rc, SCALEKIT_EINVALID_REQUEST, 400,
                      emu_fixture_is_external(f) ? NULL : "absolute_session_timeout");
    emu_assert_failed(scalekit_organization_get_session_policy(f->client, "org_does_not_exist", &p),
                      SCALEKIT_ENOTFOUND, 404, NULL);
    scalekit_organization_session_policy negative = { .struct_size = sizeof(scalekit_organization_session_policy), .absolute_session_timeout = &(int32_t){-5}};
    emu_assert_failed(scalekit_organization_update_session_policy(f->client, org->id, &negative, &p),
                      SCALEKIT_EINVALID_REQUEST, 400,
                      emu_fixture_is_external(f) ? NULL : "absolute_session_timeout");
    assert_null(p);
    delete_org(f, org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_get_and_by_external_id),
        cmocka_unit_test(create_refused_by_the_sdk_sends_nothing),
        cmocka_unit_test(business_rules_are_the_servers),
        cmocka_unit_test(create_refused_by_the_server_has_field_violations),
        cmocka_unit_test(duplicate_external_id_or_slug_is_409),
        cmocka_unit_test(unknown_ids_are_404),
        cmocka_unit_test(update_changes_only_what_is_set),
        cmocka_unit_test(delete_makes_it_gone),
        cmocka_unit_test(portal_link_expires_soon),
        cmocka_unit_test(settings_toggle_features),
        cmocka_unit_test(user_management_settings),
        cmocka_unit_test(session_policy),
    };
    return cmocka_run_group_tests(tests, emu_fixture_setup, emu_fixture_teardown);
}
