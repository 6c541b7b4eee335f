/*
 * The organization.created / .updated / .deleted webhook events: the emulator
 * delivers them to a local receiver (mock_http), signed per Standard Webhooks,
 * in the OpenAPI's OrganizationCreatedEvent shape; scalekit_verify_webhook_payload
 * accepts them; a receiver that fails the first delivery gets it again.
 * Needs the emulator (an external environment's deliveries are not ours to see).
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
#include "hook_fixture.h"
#include "core/core.h"
#include "scalekit/organization.h"
#include "scalekit/webhook.h"

/* The OrganizationCreatedEvent shape: envelope and OrganizationEventData. */
static void assert_event(const json_t *event, const char *type, const char *org_id, const char *name)
{
    assert_string_equal(skit_json_string(event, "type"), type);
    assert_string_equal(skit_json_string(event, "spec_version"), "1");
    assert_true(strncmp(skit_json_string(event, "id"), "evt_", 4) == 0);
    assert_true(strncmp(skit_json_string(event, "environment_id"), "env_", 4) == 0);
    assert_string_equal(skit_json_string(event, "object"), "Organization");
    assert_string_equal(skit_json_string(event, "organization_id"), org_id);
    int64_t t;
    assert_true(skit_parse_rfc3339(skit_json_string(event, "occurred_at"), &t));
    json_t *data = json_object_get(event, "data");
    assert_string_equal(skit_json_string(data, "id"), org_id);
    assert_string_equal(skit_json_string(data, "display_name"), name);
    assert_true(skit_parse_rfc3339(skit_json_string(data, "create_time"), &t));
    assert_true(json_is_array(json_object_get(json_object_get(data, "settings"), "features")));
}

static void create_update_delete_are_delivered_signed(void **state)
{
    hook_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "receiving webhook deliveries");
    char ext[80];
    emu_fixture_unique(ext, sizeof ext, "hook");
    scalekit_organization_create_options o = { .struct_size = sizeof(scalekit_organization_create_options), .external_id = ext};
    scalekit_organization *org = NULL, *updated = NULL;
    assert_int_equal(scalekit_organization_create(s->f->client, "Hooked", &o, &org), SCALEKIT_OK);
    scalekit_organization_update_options u = { .struct_size = sizeof(scalekit_organization_update_options), .display_name = "Hooked Again"};
    assert_int_equal(scalekit_organization_update(s->f->client, org->id, &u, &updated), SCALEKIT_OK);
    assert_int_equal(scalekit_organization_delete(s->f->client, org->id), SCALEKIT_OK);
    hook_fixture_wait(s, 3);

    json_t *created = hook_fixture_event(s, 0);
    assert_event(created, "organization.created", org->id, "Hooked");
    assert_string_equal(skit_json_string(json_object_get(created, "data"), "external_id"), ext);
    json_t *changed = hook_fixture_event(s, 1);
    assert_event(changed, "organization.updated", org->id, "Hooked Again");
    json_t *deleted = hook_fixture_event(s, 2);
    assert_event(deleted, "organization.deleted", org->id, "Hooked Again");
    int64_t t;
    assert_true(skit_parse_rfc3339(skit_json_string(json_object_get(deleted, "data"), "deleted_at"), &t));
    /* Each delivery has its own event id. */
    assert_string_not_equal(skit_json_string(created, "id"), skit_json_string(changed, "id"));

    /* A wrong secret does not verify the same delivery. */
    const mock_request *r = mock_http_request_for(s->receiver, HOOK_FIXTURE_PATH, 0);
    scalekit_header h[3] = {{"webhook-id", mock_request_header(r, "webhook-id")},
                            {"webhook-timestamp", mock_request_header(r, "webhook-timestamp")},
                            {"webhook-signature", mock_request_header(r, "webhook-signature")}};
    assert_int_equal(scalekit_verify_webhook_payload(NULL, "whsec_c2VjcmV0LW5vdC10aGUtb25l", h, 3, r->body,
                                                     r->body_len),
                     SCALEKIT_EWEBHOOK_SIGNATURE);
    json_decref(created);
    json_decref(changed);
    json_decref(deleted);
    scalekit_organization_free(org);
    scalekit_organization_free(updated);
}

static void a_failed_delivery_is_retried(void **state)
{
    hook_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "a receiver that fails on purpose");
    hook_fixture_reset(s);
    mock_http_enqueue(s->receiver, "POST", HOOK_FIXTURE_PATH, 503, "{\"busy\":true}");

    scalekit_organization *org = NULL;
    assert_int_equal(scalekit_organization_create(s->f->client, "Retried", NULL, &org), SCALEKIT_OK);
    hook_fixture_wait(s, 2);
    json_t *first = hook_fixture_event(s, 0), *second = hook_fixture_event(s, 1);
    assert_event(second, "organization.created", org->id, "Retried");
    /* The same event, delivered again under the same webhook-id. */
    assert_string_equal(skit_json_string(first, "id"), skit_json_string(second, "id"));
    assert_string_equal(mock_request_header(mock_http_request_for(s->receiver, HOOK_FIXTURE_PATH, 0), "webhook-id"),
                        mock_request_header(mock_http_request_for(s->receiver, HOOK_FIXTURE_PATH, 1), "webhook-id"));
    json_decref(first);
    json_decref(second);

    hook_fixture_reset(s);
    assert_int_equal(scalekit_organization_delete(s->f->client, org->id), SCALEKIT_OK);
    hook_fixture_wait(s, 1);
    scalekit_organization_free(org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_update_delete_are_delivered_signed),
        cmocka_unit_test(a_failed_delivery_is_retried),
    };
    return cmocka_run_group_tests(tests, hook_fixture_setup, hook_fixture_teardown);
}
