/*
 * A domain's verification control and its webhook events: POST
 * /_emulator/domains/{id}:verify moves the state the API shows, and the
 * organization.domain_created / _dns_verification_success / _failed / _deleted
 * events arrive signed, in the OpenAPI's OrganizationDomainEventData shape, and
 * pass scalekit_verify_webhook_payload. Needs the emulator.
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
#include "hook_fixture.h"
#include "core/core.h"
#include "scalekit/domain.h"
#include "scalekit/organization.h"

/* The envelope and OrganizationDomainEventData (its required members and its own names). */
static void assert_domain_event(const json_t *event, const char *type, const scalekit_domain *d,
                                const char *status)
{
    assert_string_equal(skit_json_string(event, "type"), type);
    assert_string_equal(skit_json_string(event, "object"), "Organization");
    assert_string_equal(skit_json_string(event, "organization_id"), d->organization_id);
    assert_string_equal(skit_json_string(event, "environment_id"), d->environment_id);
    json_t *data = json_object_get(event, "data");
    assert_string_equal(skit_json_string(data, "id"), d->id);
    assert_string_equal(skit_json_string(data, "domain"), d->domain);
    assert_string_equal(skit_json_string(data, "domain_type"), d->domain_type);
    assert_string_equal(skit_json_string(data, "organization_id"), d->organization_id);
    assert_string_equal(skit_json_string(data, "environment_id"), d->environment_id);
    assert_string_equal(skit_json_string(data, "verification_status"), status);
    assert_string_equal(skit_json_string(data, "verification_method"), d->verification_method);
    assert_string_equal(skit_json_string(data, "txt_record_key"), "scalekit-domain-verification");
    assert_true(strlen(skit_json_string(data, "txt_record_secret")) >= 16);
    int64_t t;
    assert_true(skit_parse_rfc3339(skit_json_string(data, "updated_at"), &t));
    /* The webhook's names, not the REST resource's. */
    assert_null(json_object_get(data, "create_time"));
}

/* POST /_emulator/domains/{id}:verify with @p body: the HTTP status, and the answer. */
static long verify(hook_fixture *s, const char *id, const char *body, json_t **answer)
{
    char url[512];
    snprintf(url, sizeof url, "%s/_emulator/domains/%s:verify", s->f->url, id);
    const char *headers[] = {"Content-Type: application/json", NULL};
    return emu_http_call("POST", url, headers, body, answer);
}

static scalekit_domain *get(hook_fixture *s, const scalekit_domain *d)
{
    scalekit_domain *got = NULL;
    assert_int_equal(scalekit_domain_get(s->f->client, d->organization_id, d->id, &got), SCALEKIT_OK);
    return got;
}

static void verification_moves_the_state_and_emits_events(void **state)
{
    hook_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "the verification control and its deliveries");
    scalekit_organization *org = NULL;
    assert_int_equal(scalekit_organization_create(s->f->client, "Verified Inc", NULL, &org), SCALEKIT_OK);
    scalekit_domain *d = NULL, *other = NULL;
    assert_int_equal(scalekit_domain_create(s->f->client, org->id, "verified.example", NULL, &d), SCALEKIT_OK);
    assert_int_equal(scalekit_domain_create(s->f->client, org->id, "failing.example", NULL, &other), SCALEKIT_OK);

    json_t *answer = NULL;
    assert_int_equal(verify(s, d->id, "{\"status\":\"VERIFIED\"}", &answer), 200);
    assert_string_equal(skit_json_string(json_object_get(answer, "domain"), "verification_status"), "VERIFIED");
    json_decref(answer);
    assert_int_equal(verify(s, other->id, "{\"status\":\"FAILED\"}", NULL), 200);
    scalekit_domain *now = get(s, d), *failed = get(s, other);
    assert_string_equal(now->verification_status, "VERIFIED");
    assert_string_equal(now->verification_method, "DNS");
    assert_string_equal(failed->verification_status, "FAILED");
    assert_int_equal(scalekit_domain_delete(s->f->client, org->id, d->id), SCALEKIT_OK);

    /* organization.created, two domain_created, success, failed, domain_deleted: in commit order. */
    hook_fixture_wait(s, 6);
    json_t *events[6];
    for (size_t i = 0; i < 6; i++)
        events[i] = hook_fixture_event(s, i);
    assert_string_equal(skit_json_string(events[0], "type"), "organization.created");
    assert_domain_event(events[1], "organization.domain_created", d, "PENDING");
    assert_domain_event(events[2], "organization.domain_created", other, "PENDING");
    assert_domain_event(events[3], "organization.domain_dns_verification_success", d, "VERIFIED");
    assert_domain_event(events[4], "organization.domain_dns_verification_failed", other, "FAILED");
    assert_domain_event(events[5], "organization.domain_deleted", d, "VERIFIED");
    for (size_t i = 0; i < 6; i++)
        json_decref(events[i]);
    scalekit_domain_free(d);
    scalekit_domain_free(other);
    scalekit_domain_free(now);
    scalekit_domain_free(failed);
    assert_int_equal(scalekit_organization_delete(s->f->client, org->id), SCALEKIT_OK);
    hook_fixture_wait(s, 7);   /* organization.deleted, before the next test resets */
    scalekit_organization_free(org);
}

/* The control refuses what a DNS check could not produce, and changes nothing;
 * no refusal (the control's or the API's) emits an event. */
static void verification_control_refusals(void **state)
{
    hook_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "the verification control");
    hook_fixture_reset(s);
    scalekit_organization *org = NULL;
    assert_int_equal(scalekit_organization_create(s->f->client, "Refused Inc", NULL, &org), SCALEKIT_OK);
    scalekit_domain *d = NULL, *allowed = NULL;
    scalekit_domain_create_options o = SCALEKIT_DOMAIN_CREATE_OPTIONS_INIT;
    o.domain_type = "ALLOWED_EMAIL_DOMAIN";
    assert_int_equal(scalekit_domain_create(s->f->client, org->id, "refused.example", NULL, &d), SCALEKIT_OK);
    assert_int_equal(scalekit_domain_create(s->f->client, org->id, "allowed.example", &o, &allowed), SCALEKIT_OK);
    hook_fixture_wait(s, 3);

    json_t *answer = NULL;
    assert_int_equal(verify(s, d->id, "{\"status\":\"AUTO_VERIFIED\"}", &answer), 400);
    json_t *violation = json_array_get(json_object_get(json_object_get(json_array_get(
        json_object_get(answer, "details"), 0), "validation_error_info"), "field_violations"), 0);
    assert_string_equal(skit_json_string(violation, "field"), "status");
    json_decref(answer);
    assert_int_equal(verify(s, d->id, "not json", NULL), 400);
    assert_int_equal(verify(s, "dom_missing", "{\"status\":\"VERIFIED\"}", &answer), 404);
    assert_non_null(strstr(skit_json_string(answer, "message"), "dom_missing"));
    json_decref(answer);
    assert_int_equal(verify(s, allowed->id, "{\"status\":\"VERIFIED\"}", &answer), 400);
    assert_non_null(strstr(skit_json_string(answer, "message"), "ALLOWED_EMAIL_DOMAIN"));
    json_decref(answer);

    /* A refused create emits nothing either: its event would have been in its transaction. */
    scalekit_domain *taken = NULL;
    emu_assert_failed(scalekit_domain_create(s->f->client, org->id, "refused.example", NULL, &taken),
                      SCALEKIT_EEXISTS, 409, NULL);

    scalekit_domain *same = get(s, d), *still = get(s, allowed);
    assert_string_equal(same->verification_status, "PENDING");
    assert_string_equal(still->verification_status, "AUTO_VERIFIED");
    skit_sleep_ms(200);
    assert_int_equal(mock_http_count(s->receiver, HOOK_FIXTURE_PATH), 3);
    scalekit_domain_free(d);
    scalekit_domain_free(allowed);
    scalekit_domain_free(same);
    scalekit_domain_free(still);
    assert_int_equal(scalekit_organization_delete(s->f->client, org->id), SCALEKIT_OK);
    scalekit_organization_free(org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(verification_moves_the_state_and_emits_events),
        cmocka_unit_test(verification_control_refusals),
    };
    return cmocka_run_group_tests(tests, hook_fixture_setup, hook_fixture_teardown);
}
