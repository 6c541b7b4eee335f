/*
 * A directory's enable and disable and its SCIM secrets, against the in-process
 * emulator: organization.directory_enabled / _disabled arrive signed in the
 * OpenAPI's DirectoryEventData shape and pass scalekit_verify_webhook_payload,
 * once per change (asking for the state it has sends nothing); a secret is
 * shown once, stored as its SHA-256, accepted by the SCIM bearer check
 * (emu_directory_secret_check) until regenerated away or the directory is gone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hook_fixture.h"
#include "environment.h"
#include "resources.h"
#include "core/core.h"
#include "scalekit/directory.h"
#include "scalekit/organization.h"

static scalekit_directory *new_directory(hook_fixture *s, const char *provider, char **org_id)
{
    scalekit_organization *org = NULL;
    EMU_FIXTURE_OK(scalekit_organization_create(s->f->client, "Directory Events", NULL, &org));
    scalekit_directory_create_options o = SCALEKIT_DIRECTORY_CREATE_OPTIONS_INIT;
    o.directory_provider = provider;
    scalekit_directory *d = NULL;
    EMU_FIXTURE_OK(scalekit_directory_create(s->f->client, org->id, &o, &d));
    *org_id = strdup(org->id);
    scalekit_organization_free(org);
    return d;
}

/* The envelope and DirectoryEventData (its required members and its own names). */
static void assert_directory_event(const json_t *event, const char *type, const scalekit_directory *d, bool enabled)
{
    assert_string_equal(skit_json_string(event, "type"), type);
    assert_string_equal(skit_json_string(event, "object"), "Directory");
    assert_string_equal(skit_json_string(event, "organization_id"), d->organization_id);
    assert_true(strncmp(skit_json_string(event, "environment_id"), "env_", 4) == 0);
    json_t *data = json_object_get(event, "data");
    assert_string_equal(skit_json_string(data, "id"), d->id);
    assert_string_equal(skit_json_string(data, "organization_id"), d->organization_id);
    assert_string_equal(skit_json_string(data, "directory_type"), d->directory_type);
    assert_string_equal(skit_json_string(data, "provider"), d->directory_provider);
    assert_true(json_is_boolean(json_object_get(data, "enabled")));
    assert_int_equal(json_is_true(json_object_get(data, "enabled")), enabled);
    int64_t t;
    assert_true(skit_parse_rfc3339(skit_json_string(data, "updated_at"), &t));
    assert_null(json_object_get(data, "directory_provider"));   /* the webhook's name is provider */
}

static void enable_and_disable_send_their_events(void **state)
{
    hook_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "webhook deliveries");
    hook_fixture_reset(s);
    char *org = NULL;
    scalekit_directory *d = new_directory(s, "OKTA", &org);
    scalekit_directory_toggle *t = NULL;
    EMU_FIXTURE_OK(scalekit_directory_enable(s->f->client, org, d->id, &t));
    assert_true(t->enabled);
    assert_null(t->error_message);
    scalekit_directory_toggle_free(t);
    /* Already enabled: nothing changes, nothing is sent, the answer says why. */
    EMU_FIXTURE_OK(scalekit_directory_enable(s->f->client, org, d->id, &t));
    assert_true(t->enabled);
    assert_string_equal(t->error_message, "The directory is already enabled");
    scalekit_directory_toggle_free(t);
    scalekit_directory *got = NULL;
    EMU_FIXTURE_OK(scalekit_directory_get(s->f->client, org, d->id, &got));
    assert_true(got->enabled);
    scalekit_directory_free(got);
    EMU_FIXTURE_OK(scalekit_directory_disable(s->f->client, org, d->id, &t));
    assert_false(t->enabled);
    scalekit_directory_toggle_free(t);
    EMU_FIXTURE_OK(scalekit_directory_disable(s->f->client, org, d->id, &t));
    assert_string_equal(t->error_message, "The directory is already disabled");
    scalekit_directory_toggle_free(t);
    EMU_FIXTURE_OK(scalekit_directory_get(s->f->client, org, d->id, &got));
    assert_false(got->enabled);
    scalekit_directory_free(got);

    /* organization.created, enabled, disabled: the directory's create has no event in the API. */
    hook_fixture_wait(s, 3);
    json_t *created = hook_fixture_event(s, 0), *on = hook_fixture_event(s, 1), *off = hook_fixture_event(s, 2);
    assert_string_equal(skit_json_string(created, "type"), "organization.created");
    assert_directory_event(on, "organization.directory_enabled", d, true);
    assert_directory_event(off, "organization.directory_disabled", d, false);
    json_decref(created);
    json_decref(on);
    json_decref(off);

    /* A refused toggle sends nothing either. */
    emu_assert_failed(scalekit_directory_enable(s->f->client, org, "dir_missing", &t), SCALEKIT_ENOTFOUND, 404, NULL);
    EMU_FIXTURE_OK(scalekit_organization_delete(s->f->client, org));
    hook_fixture_wait(s, 4);     /* organization.deleted only */
    json_t *deleted = hook_fixture_event(s, 3);
    assert_string_equal(skit_json_string(deleted, "type"), "organization.deleted");
    json_decref(deleted);
    scalekit_directory_free(d);
    free(org);
}

static char *stored_hash(hook_fixture *s, const char *secret_id)
{
    json_t *row = emu_db_row(s->f->emu->store, "SELECT secret_hash FROM directory_secrets WHERE id = ?", "s",
                             secret_id);
    assert_non_null(row);
    char *hash = strdup(skit_json_string(row, "secret_hash"));
    json_decref(row);
    return hash;
}

static void secrets_are_shown_once_and_stored_hashed(void **state)
{
    hook_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "the SCIM bearer check");
    emu *e = s->f->emu;
    char *org = NULL;
    scalekit_directory *d = new_directory(s, "MICROSOFT_AD", &org);
    scalekit_directory_new_secret *first = NULL;
    EMU_FIXTURE_OK(scalekit_directory_create_secret(s->f->client, org, d->id, &first));
    char *plain = strdup(first->plain_secret);
    assert_true(strlen(plain) >= 32);
    assert_string_equal(first->secret->directory_id, d->id);
    assert_null(first->secret->status);                   /* ACTIVE */
    assert_string_equal(first->secret->secret_suffix, plain + strlen(plain) - 4);
    assert_true(first->secret->create_time > 0);
    assert_true(first->secret->last_used_time == 0);

    /* Stored as its SHA-256, never in plain; the directory shows it without the secret. */
    char want[65], *hash = stored_hash(s, first->secret->id);
    emu_sha256_hex(plain, want);
    assert_string_equal(hash, want);
    free(hash);
    json_t *row = emu_db_row(e->store, "SELECT COUNT(*) AS n FROM directory_secrets WHERE secret_hash = ? OR "
                             "secret_suffix = ?", "ss", plain, plain);
    assert_int_equal(json_integer_value(json_object_get(row, "n")), 0);
    json_decref(row);
    scalekit_directory *got = NULL;
    EMU_FIXTURE_OK(scalekit_directory_get(s->f->client, org, d->id, &got));
    assert_int_equal(got->secret_count, 1);
    assert_string_equal(got->secrets[0]->id, first->secret->id);
    assert_null(strstr(got->raw_json, plain));
    scalekit_directory_free(got);

    /* The SCIM bearer check: the secret, for its directory only, and a use is recorded. */
    assert_true(emu_directory_secret_check(e, d->id, plain));
    assert_false(emu_directory_secret_check(e, d->id, "not-the-secret"));
    assert_false(emu_directory_secret_check(e, d->id, ""));
    assert_false(emu_directory_secret_check(e, "dir_other", plain));
    char near[128];
    snprintf(near, sizeof near, "%.*sX", (int)strlen(plain) - 1, plain);
    assert_false(emu_directory_secret_check(e, d->id, near));
    EMU_FIXTURE_OK(scalekit_directory_get(s->f->client, org, d->id, &got));
    assert_true(got->secrets[0]->last_used_time > 0);
    scalekit_directory_free(got);

    /* Regenerated: the old one is INACTIVE and refused, the new one accepted. */
    scalekit_directory_new_secret *second = NULL;
    EMU_FIXTURE_OK(scalekit_directory_regenerate_secret(s->f->client, org, d->id, &second));
    assert_string_not_equal(second->plain_secret, plain);
    assert_false(emu_directory_secret_check(e, d->id, plain));
    assert_true(emu_directory_secret_check(e, d->id, second->plain_secret));
    EMU_FIXTURE_OK(scalekit_directory_get(s->f->client, org, d->id, &got));
    assert_int_equal(got->secret_count, 2);
    assert_string_equal(got->secrets[0]->status, "INACTIVE");
    assert_null(got->secrets[1]->status);
    assert_string_equal(got->secrets[1]->id, second->secret->id);
    scalekit_directory_free(got);

    /* Gone with its directory. */
    char *kept = strdup(second->plain_secret);
    EMU_FIXTURE_OK(scalekit_directory_delete(s->f->client, org, d->id));
    assert_false(emu_directory_secret_check(e, d->id, kept));
    scalekit_directory_new_secret_free(first);
    scalekit_directory_new_secret_free(second);
    EMU_FIXTURE_OK(scalekit_organization_delete(s->f->client, org));
    free(kept);
    free(plain);
    scalekit_directory_free(d);
    free(org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(enable_and_disable_send_their_events),
        cmocka_unit_test(secrets_are_shown_once_and_stored_hashed),
    };
    return cmocka_run_group_tests(tests, hook_fixture_setup, hook_fixture_teardown);
}
