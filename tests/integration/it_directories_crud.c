/*
 * Directories through the SDK against the emulator (or an external environment,
 * see emu_fixture_start_env): create, get, list, the primary directory, update
 * (raw PATCH: the SDK has no update), delete; the server's 400 with its field
 * violation for a missing or unknown provider or type; 404 for an unknown
 * organization or directory. The emulator's own parts need it in-process: the
 * SCIM endpoint URL, what the stats count, and the cascades of a directory's
 * and an organization's delete.
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
#include "environment.h"
#include "core/core.h"
#include "scalekit/directory.h"
#include "scalekit/organization.h"

static char *new_org(emu_fixture *f)
{
    scalekit_organization *org = NULL;
    EMU_FIXTURE_OK(scalekit_organization_create(f->client, "Directory Owner", NULL, &org));
    char *id = strdup(org->id);
    scalekit_organization_free(org);
    return id;
}

static scalekit_directory *create(emu_fixture *f, const char *org, const char *type, const char *provider)
{
    scalekit_directory_create_options o = SCALEKIT_DIRECTORY_CREATE_OPTIONS_INIT;
    o.directory_type = type;
    o.directory_provider = provider;
    scalekit_directory *d = NULL;
    EMU_FIXTURE_OK(scalekit_directory_create(f->client, org, &o, &d));
    return d;
}

static void create_get_list_primary_delete(void **state)
{
    emu_raw_fixture *s = *state;
    emu_fixture *f = s->f;
    char *org = new_org(f);
    scalekit_directory *first = create(f, org, "SCIM", "OKTA"), *second = create(f, org, NULL, "MICROSOFT_AD");
    assert_true(strncmp(first->id, "dir_", 4) == 0);
    assert_string_equal(first->organization_id, org);
    assert_string_equal(first->directory_type, "SCIM");
    assert_string_equal(first->directory_provider, "OKTA");
    assert_string_equal(second->directory_type, "SCIM");   /* the default type */
    assert_false(first->enabled);
    assert_int_equal(first->secret_count, 0);
    assert_non_null(first->stats);
    assert_int_equal(first->stats->total_users, 0);
    assert_non_null(first->directory_endpoint);

    scalekit_directory *got = NULL;
    EMU_FIXTURE_OK(scalekit_directory_get(f->client, org, second->id, &got));
    assert_string_equal(got->id, second->id);
    assert_string_equal(got->directory_provider, "MICROSOFT_AD");
    assert_non_null(strstr(got->raw_json, "\"directory\""));
    scalekit_directory_free(got);

    scalekit_directories *list = NULL;
    EMU_FIXTURE_OK(scalekit_directory_list(f->client, org, &list));
    assert_int_equal(list->count, 2);
    assert_string_equal(list->items[0]->id, first->id);
    assert_string_equal(list->items[1]->id, second->id);
    scalekit_directories_free(list);
    scalekit_directory *primary = NULL;
    EMU_FIXTURE_OK(scalekit_directory_get_primary_by_organization_id(f->client, org, &primary));
    assert_string_equal(primary->id, first->id);
    assert_string_equal(primary->directory_provider, "OKTA");
    scalekit_directory_free(primary);

    /* Update (PATCH, the API's UpdateDirectory body): name and status change, the rest stays. */
    char path[256];
    snprintf(path, sizeof path, "/api/v1/organizations/%s/directories/%s", org, first->id);
    json_t *answer = NULL;
    assert_int_equal(emu_raw_fixture_api(s, "PATCH", path, "{\"name\":\"Okta prod\",\"status\":\"COMPLETED\"}",
                                         &answer), 200);
    json_t *dir = json_object_get(answer, "directory");
    assert_string_equal(skit_json_string(dir, "name"), "Okta prod");
    assert_string_equal(skit_json_string(dir, "status"), "COMPLETED");
    assert_string_equal(skit_json_string(dir, "directory_provider"), "OKTA");
    json_decref(answer);
    assert_int_equal(emu_raw_fixture_api(s, "PATCH", path, "{\"status\":\"FINISHED\"}", &answer), 400);
    assert_non_null(strstr(skit_json_string(answer, "message"), "status"));
    json_decref(answer);

    /* Delete: gone from get and list; the primary is now the other. */
    EMU_FIXTURE_OK(scalekit_directory_delete(f->client, org, first->id));
    emu_assert_failed(scalekit_directory_get(f->client, org, first->id, &got), SCALEKIT_ENOTFOUND, 404, NULL);
    emu_assert_failed(scalekit_directory_delete(f->client, org, first->id), SCALEKIT_ENOTFOUND, 404, NULL);
    EMU_FIXTURE_OK(scalekit_directory_get_primary_by_organization_id(f->client, org, &primary));
    assert_string_equal(primary->id, second->id);
    scalekit_directory_free(primary);
    EMU_FIXTURE_OK(scalekit_directory_delete(f->client, org, second->id));
    emu_assert_failed(scalekit_directory_get_primary_by_organization_id(f->client, org, &primary),
                      SCALEKIT_ENOTFOUND, 0, NULL);
    assert_null(primary);

    scalekit_directory_free(first);
    scalekit_directory_free(second);
    EMU_FIXTURE_OK(scalekit_organization_delete(f->client, org));
    free(org);
}

static void refusals(void **state)
{
    emu_raw_fixture *s = *state;
    emu_fixture *f = s->f;
    char *org = new_org(f);
    scalekit_directory *d = NULL;
    scalekit_directory_create_options o = SCALEKIT_DIRECTORY_CREATE_OPTIONS_INIT;
    emu_assert_failed(scalekit_directory_create(f->client, org, NULL, &d), SCALEKIT_EINVALID_REQUEST, 400,
                      "directory_provider");
    o.directory_provider = "ACME_IDP";
    emu_assert_failed(scalekit_directory_create(f->client, org, &o, &d), SCALEKIT_EINVALID_REQUEST, 400,
                      "directory_provider");
    o.directory_provider = "OKTA";
    o.directory_type = "FTP";
    emu_assert_failed(scalekit_directory_create(f->client, org, &o, &d), SCALEKIT_EINVALID_REQUEST, 400,
                      "directory_type");
    assert_null(d);
    scalekit_directories *list = NULL;
    EMU_FIXTURE_OK(scalekit_directory_list(f->client, org, &list));
    assert_int_equal(list->count, 0);          /* nothing refused was stored */
    scalekit_directories_free(list);

    /* Unknown organization, unknown directory, a directory of another organization. */
    o.directory_type = NULL;
    emu_assert_failed(scalekit_directory_create(f->client, "org_missing", &o, &d), SCALEKIT_ENOTFOUND, 404, NULL);
    emu_assert_failed(scalekit_directory_list(f->client, "org_missing", &list), SCALEKIT_ENOTFOUND, 404, NULL);
    emu_assert_failed(scalekit_directory_get_primary_by_organization_id(f->client, "org_missing", &d),
                      SCALEKIT_ENOTFOUND, 404, NULL);
    emu_assert_failed(scalekit_directory_get(f->client, org, "dir_missing", &d), SCALEKIT_ENOTFOUND, 404, NULL);
    assert_non_null(strstr(scalekit_error_last()->message, "dir_missing"));
    char *other = new_org(f);
    scalekit_directory *theirs = create(f, other, "SCIM", "GOOGLE");
    emu_assert_failed(scalekit_directory_get(f->client, org, theirs->id, &d), SCALEKIT_ENOTFOUND, 404, NULL);
    scalekit_directory_toggle *t = NULL;
    emu_assert_failed(scalekit_directory_enable(f->client, org, theirs->id, &t), SCALEKIT_ENOTFOUND, 404, NULL);
    emu_assert_failed(scalekit_directory_disable(f->client, org, "dir_missing", &t), SCALEKIT_ENOTFOUND, 404, NULL);
    scalekit_directory_new_secret *secret = NULL;
    emu_assert_failed(scalekit_directory_create_secret(f->client, org, theirs->id, &secret), SCALEKIT_ENOTFOUND,
                      404, NULL);
    emu_assert_failed(scalekit_directory_regenerate_secret(f->client, "org_missing", theirs->id, &secret),
                      SCALEKIT_ENOTFOUND, 404, NULL);
    assert_null(secret);
    scalekit_directory_free(theirs);
    EMU_FIXTURE_OK(scalekit_organization_delete(f->client, other));
    EMU_FIXTURE_OK(scalekit_organization_delete(f->client, org));
    free(other);
    free(org);
}

/* Count the rows of @p sql (one '?' bound to @p id) in the emulator's store. */
static long count(emu_fixture *f, const char *sql, const char *id)
{
    json_t *row = emu_db_row(f->emu->store, sql, "s", id);
    assert_non_null(row);
    long n = (long)json_integer_value(json_object_get(row, "n"));
    json_decref(row);
    return n;
}

/* What SCIM would have provisioned (the scim files write these tables). */
static void provision(emu_fixture *f, const scalekit_directory *d, const char *suffix, int64_t at)
{
    char user[64], group[64];
    snprintf(user, sizeof user, "diruser_%s", suffix);
    snprintf(group, sizeof group, "dirgroup_%s", suffix);
    assert_int_equal(emu_db_exec(f->emu->store, "INSERT INTO directory_users(id, directory_id, organization_id, "
                                 "user_name, resource, create_time, update_time) VALUES (?, ?, ?, ?, '{}', ?, ?)",
                                 "ssssii", user, d->id, d->organization_id, user, at, at), 1);
    assert_int_equal(emu_db_exec(f->emu->store, "INSERT INTO directory_groups(id, directory_id, organization_id, "
                                 "display_name, resource, create_time, update_time) VALUES (?, ?, ?, ?, '{}', ?, ?)",
                                 "ssssii", group, d->id, d->organization_id, group, at - 5, at - 5), 1);
    assert_int_equal(emu_db_exec(f->emu->store, "INSERT INTO directory_group_members(group_id, user_id) VALUES (?, ?)",
                                 "ss", group, user), 1);
}

#define COUNT_USERS "SELECT COUNT(*) AS n FROM directory_users WHERE directory_id = ?"
#define COUNT_GROUPS "SELECT COUNT(*) AS n FROM directory_groups WHERE directory_id = ?"
#define COUNT_SECRETS "SELECT COUNT(*) AS n FROM directory_secrets WHERE directory_id = ?"
#define COUNT_MEMBERS "SELECT COUNT(*) AS n FROM directory_group_members WHERE user_id = ?"
#define COUNT_DIRECTORIES "SELECT COUNT(*) AS n FROM directories WHERE organization_id = ?"

static void endpoint_stats_and_cascades(void **state)
{
    emu_raw_fixture *s = *state;
    emu_fixture *f = s->f;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "the store's provisioned rows");
    char *org = new_org(f);
    scalekit_directory *d = create(f, org, "SCIM", "OKTA"), *kept = create(f, org, "SCIM", "AUTH0");
    char want[512];
    snprintf(want, sizeof want, "%s/api/v1/directories/%s/scim/v2", f->url, d->id);
    assert_string_equal(d->directory_endpoint, want);
    assert_int_equal(d->total_users, 0);
    assert_true(d->last_synced_at == 0);

    provision(f, d, "a1", 1727740810);
    provision(f, d, "a2", 1727740820);
    provision(f, kept, "b1", 1727740830);
    scalekit_directory_new_secret *secret = NULL;
    EMU_FIXTURE_OK(scalekit_directory_create_secret(f->client, org, d->id, &secret));
    scalekit_directory_new_secret_free(secret);
    scalekit_directory *got = NULL;
    EMU_FIXTURE_OK(scalekit_directory_get(f->client, org, d->id, &got));
    assert_int_equal(got->total_users, 2);
    assert_int_equal(got->total_groups, 2);
    assert_int_equal(got->stats->total_users, 2);
    assert_int_equal(got->stats->total_groups, 2);
    assert_true(got->stats->user_updated_at == 1727740820);
    assert_true(got->stats->group_updated_at == 1727740815);
    assert_true(got->last_synced_at == 1727740820);
    assert_int_equal(got->secret_count, 1);
    scalekit_directory_free(got);

    /* A directory's delete takes its secrets, users, groups and memberships, nobody else's. */
    EMU_FIXTURE_OK(scalekit_directory_delete(f->client, org, d->id));
    assert_int_equal(count(f, COUNT_USERS, d->id), 0);
    assert_int_equal(count(f, COUNT_GROUPS, d->id), 0);
    assert_int_equal(count(f, COUNT_SECRETS, d->id), 0);
    assert_int_equal(count(f, COUNT_MEMBERS, "diruser_a1"), 0);
    assert_int_equal(count(f, COUNT_MEMBERS, "diruser_a2"), 0);
    assert_int_equal(count(f, COUNT_USERS, kept->id), 1);
    assert_int_equal(count(f, COUNT_MEMBERS, "diruser_b1"), 1);

    /* An organization's delete takes its directories with theirs. */
    EMU_FIXTURE_OK(scalekit_directory_create_secret(f->client, org, kept->id, &secret));
    scalekit_directory_new_secret_free(secret);
    EMU_FIXTURE_OK(scalekit_organization_delete(f->client, org));
    assert_int_equal(count(f, COUNT_DIRECTORIES, org), 0);
    assert_int_equal(count(f, COUNT_USERS, kept->id), 0);
    assert_int_equal(count(f, COUNT_GROUPS, kept->id), 0);
    assert_int_equal(count(f, COUNT_SECRETS, kept->id), 0);
    assert_int_equal(count(f, COUNT_MEMBERS, "diruser_b1"), 0);
    scalekit_directory_free(d);
    scalekit_directory_free(kept);
    free(org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_get_list_primary_delete),
        cmocka_unit_test(refusals),
        cmocka_unit_test(endpoint_stats_and_cascades),
    };
    return cmocka_run_group_tests(tests, emu_raw_fixture_setup_env, emu_raw_fixture_teardown);
}
