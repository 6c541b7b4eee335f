/*
 * A connection's webhook events: organization.sso_created, _enabled, _disabled
 * and _deleted arrive signed (each passes scalekit_verify_webhook_payload), in
 * the OpenAPI's ConnectionEventData shape, in commit order; an organization's
 * delete takes its connections with it, each with its sso_deleted before the
 * organization.deleted; a refused enable, a repeated disable and an environment's
 * connection emit nothing. Needs the emulator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "emu_fixture.h"
#include "emu_testhttp.h"
#include "hook_fixture.h"
#include "core/core.h"
#include "scalekit/scalekit.h"

static void assert_sso_event(const json_t *event, const char *type, const scalekit_connection *c, bool enabled,
                             const char *status)
{
    assert_string_equal(skit_json_string(event, "type"), type);
    assert_string_equal(skit_json_string(event, "object"), "Connection");
    assert_string_equal(skit_json_string(event, "organization_id"), c->organization_id);
    assert_true(strncmp(skit_json_string(event, "id"), "evt_", 4) == 0);
    json_t *data = json_object_get(event, "data");
    assert_string_equal(skit_json_string(data, "id"), c->id);
    assert_string_equal(skit_json_string(data, "organization_id"), c->organization_id);
    assert_string_equal(skit_json_string(data, "connection_type"), c->type);
    assert_string_equal(skit_json_string(data, "provider"), c->provider);
    assert_true(json_is_true(json_object_get(data, "enabled")) == enabled);
    assert_string_equal(skit_json_string(data, "status"), status);
}

static scalekit_connection *create_saml(hook_fixture *s, const char *org, bool complete)
{
    scalekit_connection_input in = SCALEKIT_CONNECTION_INPUT_INIT;
    in.type = "SAML";
    in.provider = "ONELOGIN";
    in.saml_config = complete ? "{\"idp_entity_id\":\"urn:idp\",\"idp_sso_url\":\"https://idp.example/sso\"}" : NULL;
    scalekit_connection *c = NULL;
    EMU_FIXTURE_OK(scalekit_connection_create(s->f->client, org, &in, &c));
    return c;
}

static void lifecycle_events(void **state)
{
    hook_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "the webhook deliveries");
    hook_fixture_reset(s);
    scalekit_organization *org = NULL;
    EMU_FIXTURE_OK(scalekit_organization_create(s->f->client, "Events Inc", NULL, &org));
    scalekit_connection *c = create_saml(s, org->id, true), *draft = create_saml(s, org->id, false);
    assert_string_equal(draft->status, "DRAFT");
    scalekit_connection_toggle *t = NULL;
    emu_assert_failed(scalekit_connection_enable(s->f->client, org->id, draft->id, &t), SCALEKIT_EINVALID_REQUEST,
                      400, NULL);
    EMU_FIXTURE_OK(scalekit_connection_enable(s->f->client, org->id, c->id, &t));
    scalekit_connection_toggle_free(t);
    EMU_FIXTURE_OK(scalekit_connection_disable(s->f->client, org->id, c->id, &t));
    scalekit_connection_toggle_free(t);
    /* Already disabled: no change, no event. */
    EMU_FIXTURE_OK(scalekit_connection_disable(s->f->client, org->id, c->id, &t));
    assert_false(t->enabled);
    scalekit_connection_toggle_free(t);
    EMU_FIXTURE_OK(scalekit_connection_delete(s->f->client, org->id, c->id));

    hook_fixture_wait(s, 6);
    json_t *events[6];
    for (size_t i = 0; i < 6; i++)
        events[i] = hook_fixture_event(s, i);
    assert_string_equal(skit_json_string(events[0], "type"), "organization.created");
    assert_sso_event(events[1], "organization.sso_created", c, false, "COMPLETED");
    assert_sso_event(events[2], "organization.sso_created", draft, false, "DRAFT");
    assert_sso_event(events[3], "organization.sso_enabled", c, true, "COMPLETED");
    assert_sso_event(events[4], "organization.sso_disabled", c, false, "COMPLETED");
    assert_sso_event(events[5], "organization.sso_deleted", c, false, "COMPLETED");
    for (size_t i = 0; i < 6; i++)
        json_decref(events[i]);

    /* The organization's delete: its remaining connection's sso_deleted first. */
    EMU_FIXTURE_OK(scalekit_organization_delete(s->f->client, org->id));
    hook_fixture_wait(s, 8);
    json_t *gone = hook_fixture_event(s, 6), *deleted = hook_fixture_event(s, 7);
    assert_sso_event(gone, "organization.sso_deleted", draft, false, "DRAFT");
    assert_string_equal(skit_json_string(deleted, "type"), "organization.deleted");
    json_decref(gone);
    json_decref(deleted);
    scalekit_connection *after = NULL;
    emu_assert_failed(scalekit_connection_get(s->f->client, org->id, draft->id, &after), SCALEKIT_ENOTFOUND, 404,
                      NULL);
    scalekit_connection_list_options all = SCALEKIT_CONNECTION_LIST_OPTIONS_INIT;
    all.include = "all";
    scalekit_connections *list = NULL;
    EMU_FIXTURE_OK(scalekit_connection_list(s->f->client, org->id, &all, &list));
    assert_int_equal(list->count, 0);
    scalekit_connections_free(list);
    scalekit_connection_free(c);
    scalekit_connection_free(draft);
    scalekit_organization_free(org);
}

/* An environment's connection (passwordless) is no organization's: no sso event. */
static void environment_connections_emit_nothing(void **state)
{
    hook_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "the webhook deliveries");
    hook_fixture_reset(s);
    char url[512];
    emu_fixture_url(s->f, "/api/v1/connections", url, sizeof url);
    char *token = emu_test_client_token(s->f->emu);
    char auth[2048];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    const char *headers[] = {auth, "Content-Type: application/json", NULL};
    json_t *answer = NULL;
    assert_int_equal(emu_http_call("POST", url, headers, "{\"type\":\"WEBAUTHN\"}", &answer), 200);
    char item[600];
    snprintf(item, sizeof item, "%s/%s:enable", url,
             skit_json_string(json_object_get(answer, "connection"), "id"));
    assert_int_equal(emu_http_call("PATCH", item, headers, NULL, NULL), 200);
    json_decref(answer);
    free(token);
    skit_sleep_ms(300);
    assert_int_equal(mock_http_count(s->receiver, HOOK_FIXTURE_PATH), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lifecycle_events),
        cmocka_unit_test(environment_connections_emit_nothing),
    };
    return cmocka_run_group_tests(tests, hook_fixture_setup, hook_fixture_teardown);
}
