/*
 * Typed webhook events (scalekit/event.h): every type of the API description's
 * webhooks section named and decoded into its family's structs, unknown types
 * kept, hostile bodies refused with a code and a message, and verification
 * before decoding.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "event_check.h"
#include "scalekit/scalekit.h"

#define SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

/* The envelope around @p data for @p type, into @p out. */
static const char *envelope(char *out, size_t n, const char *type, const char *data)
{
    snprintf(out, n,
             "{\"spec_version\":\"1\",\"id\":\"evt_123\",\"type\":\"%s\",\"occurred_at\":\"2024-01-15T10:30:00.123456789Z\","
             "\"environment_id\":\"env_1\",\"organization_id\":\"org_1\",\"object\":\"Thing\",\"data\":%s,"
             "\"display_name\":\"Something Happened\"}",
             type, data);
    return out;
}

static scalekit_event *decode(const char *body)
{
    scalekit_event *ev = NULL;
    int rc = scalekit_event_decode(body, strlen(body), &ev);
    if (rc != SCALEKIT_OK)
        fail_msg("decode: %d %s", rc, scalekit_error_last()->message);
    const char *why = event_check_lossless(body, strlen(body), ev);
    if (why)
        fail_msg("%s: %s", ev->type, why);
    return ev;
}

static void test_every_type_is_named_and_round_trips(void **state)
{
    (void)state;
    /* The 32 types of api/scalekit.openapi.json's webhooks section. */
    static const char *const names[] = {
        "organization.created", "organization.updated", "organization.deleted", "organization.domain_created",
        "organization.domain_deleted", "organization.domain_dns_verification_success",
        "organization.domain_dns_verification_failed", "user.signup", "user.login", "user.logout",
        "user.organization_invitation", "user.organization_membership_created",
        "user.organization_membership_deleted", "user.organization_membership_updated",
        "organization.directory_enabled", "organization.directory_disabled", "organization.directory.user_created",
        "organization.directory.user_updated", "organization.directory.user_deleted",
        "organization.directory.group_created", "organization.directory.group_updated",
        "organization.directory.group_deleted", "organization.sso_created", "organization.sso_enabled",
        "organization.sso_disabled", "organization.sso_deleted", "role.created", "role.updated", "role.deleted",
        "permission.created", "permission.updated", "permission.deleted"};
    assert_int_equal(sizeof names / sizeof names[0], 32);
    bool seen[64] = {false};
    for (size_t i = 0; i < 32; i++) {
        char body[1024];
        envelope(body, sizeof body, names[i], "{\"id\":\"x_1\"}");
        scalekit_event *ev = NULL;
        assert_int_equal(scalekit_event_decode(body, strlen(body), &ev), SCALEKIT_OK);
        assert_int_not_equal(ev->event_type, SCALEKIT_EVENT_UNKNOWN);
        assert_int_not_equal(ev->family, SCALEKIT_EVENT_FAMILY_UNKNOWN);
        assert_true((int)ev->event_type > 0 && (int)ev->event_type < 64);
        assert_false(seen[ev->event_type]);
        seen[ev->event_type] = true;
        assert_string_equal(scalekit_event_type_name(ev->event_type), names[i]);
        assert_string_equal(ev->type, names[i]);
        scalekit_event_free(ev);
    }
    assert_string_equal(scalekit_event_type_name(SCALEKIT_EVENT_UNKNOWN), "unknown");
    assert_string_equal(scalekit_event_type_name((scalekit_event_type)999), "unknown");
}

static void test_the_envelope_and_raw_json(void **state)
{
    (void)state;
    /* Whitespace and member order as sent: raw_json is the body, not a re-serialisation. */
    const char *body = "{ \"type\" : \"organization.created\", \"id\":\"evt_9\", \"spec_version\":\"1\","
                       "\"occurred_at\":\"2024-01-15T10:30:00.5Z\", \"environment_id\":\"env_7\","
                       "\"organization_id\":\"org_7\", \"object\":\"Organization\", \"display_name\":\"Organization Created\","
                       "\"data\": {\"id\":\"org_7\",\"display_name\":\"Acme\",\"external_id\":\"ext-7\","
                       "\"metadata\":{\"tier\":\"gold\"},\"create_time\":\"2024-01-15T10:30:00Z\"} }";
    scalekit_event *ev = decode(body);
    assert_int_equal(ev->event_type, SCALEKIT_EVENT_ORGANIZATION_CREATED);
    assert_int_equal(ev->family, SCALEKIT_EVENT_FAMILY_ORGANIZATION);
    assert_string_equal(ev->raw_json, body);
    assert_string_equal(ev->id, "evt_9");
    assert_string_equal(ev->environment_id, "env_7");
    assert_string_equal(ev->display_name, "Organization Created");
    assert_int_equal(ev->occurred_at, 1705314600);
    assert_non_null(ev->organization);
    assert_string_equal(ev->organization->display_name, "Acme");
    assert_string_equal(ev->organization->external_id, "ext-7");
    assert_string_equal(scalekit_string_map_get(&ev->organization->metadata, "tier"), "gold");
    assert_int_equal(ev->organization->create_time, 1705314600);
    assert_non_null(strstr(ev->data_json, "\"Acme\""));
    assert_null(ev->user);
    assert_null(ev->domain);
    scalekit_event_free(ev);
}

static void test_each_family_fills_its_structs(void **state)
{
    (void)state;
    char body[4096];
    scalekit_event *ev = decode(envelope(body, sizeof body, "user.organization_membership_created",
        "{\"organization\":{\"id\":\"org_1\",\"display_name\":\"Acme\"},"
        "\"user\":{\"id\":\"usr_1\",\"email\":\"ada@acme.example\",\"external_id\":\"e1\"}}"));
    assert_int_equal(ev->family, SCALEKIT_EVENT_FAMILY_MEMBERSHIP);
    assert_string_equal(ev->organization->display_name, "Acme");
    assert_string_equal(ev->user->email, "ada@acme.example");
    scalekit_event_free(ev);

    ev = decode(envelope(body, sizeof body, "user.login",
        "{\"user\":{\"id\":\"usr_1\",\"email\":\"ada@acme.example\"},"
        "\"user_session\":{\"session_id\":\"ses_1\",\"user_id\":\"usr_1\",\"status\":\"ACTIVE\"}}"));
    assert_int_equal(ev->family, SCALEKIT_EVENT_FAMILY_USER_AUTH);
    assert_string_equal(ev->session->session_id, "ses_1");
    assert_string_equal(ev->session->status, "ACTIVE");
    assert_string_equal(ev->user->id, "usr_1");
    scalekit_event_free(ev);

    ev = decode(envelope(body, sizeof body, "organization.domain_dns_verification_success",
        "{\"id\":\"dom_1\",\"domain\":\"acme.example\",\"domain_type\":\"ORGANIZATION_DOMAIN\","
        "\"verification_status\":\"VERIFIED\",\"txt_record_key\":\"_scalekit\"}"));
    assert_string_equal(ev->domain->domain, "acme.example");
    assert_string_equal(ev->domain->verification_status, "VERIFIED");
    /* A member only the event has stays in data_json. */
    assert_non_null(strstr(ev->data_json, "_scalekit"));
    scalekit_event_free(ev);

    ev = decode(envelope(body, sizeof body, "organization.directory.user_updated",
        "{\"id\":\"diruser_1\",\"organization_id\":\"org_1\",\"active\":false,\"email\":\"b@acme.example\","
        "\"given_name\":\"Bo\",\"department\":\"R&D\",\"groups\":[{\"id\":\"dirgroup_1\",\"name\":\"Eng\"}],"
        "\"roles\":[{\"role_name\":\"admin\"}],\"custom_attributes\":{\"badge\":7},\"address\":{\"locality\":\"Oslo\"}}"));
    const scalekit_event_directory_user *du = ev->directory_user;
    assert_non_null(du);
    assert_false(du->active);
    assert_string_equal(du->department, "R&D");
    assert_int_equal(du->group_count, 1);
    assert_string_equal(du->groups[0]->name, "Eng");
    assert_int_equal(du->role_count, 1);
    assert_string_equal(du->roles[0]->role_name, "admin");
    assert_string_equal(du->custom_attributes, "{\"badge\":7}");
    assert_string_equal(du->address, "{\"locality\":\"Oslo\"}");
    scalekit_event_free(ev);

    ev = decode(envelope(body, sizeof body, "organization.directory.group_deleted",
        "{\"id\":\"dirgroup_1\",\"organization_id\":\"org_1\",\"directory_id\":\"dir_1\",\"display_name\":\"Eng\","
        "\"raw_attributes\":{\"a\":[1]}}"));
    assert_string_equal(ev->directory_group->directory_id, "dir_1");
    assert_string_equal(ev->directory_group->raw_attributes, "{\"a\":[1]}");
    scalekit_event_free(ev);

    ev = decode(envelope(body, sizeof body, "organization.directory_enabled",
        "{\"id\":\"dir_1\",\"organization_id\":\"org_1\",\"directory_type\":\"SCIM\",\"provider\":\"OKTA\","
        "\"enabled\":true,\"updated_at\":\"2024-01-15T10:30:00Z\"}"));
    assert_true(ev->directory->enabled);
    assert_string_equal(ev->directory->provider, "OKTA");
    assert_int_equal(ev->directory->updated_at, 1705314600);
    scalekit_event_free(ev);

    ev = decode(envelope(body, sizeof body, "organization.sso_disabled",
        "{\"id\":\"conn_1\",\"organization_id\":\"org_1\",\"connection_type\":\"OIDC\",\"provider\":\"OKTA\","
        "\"enabled\":false,\"status\":\"COMPLETED\"}"));
    assert_string_equal(ev->connection->connection_type, "OIDC");
    assert_string_equal(ev->connection->status, "COMPLETED");
    assert_false(ev->connection->enabled);
    scalekit_event_free(ev);

    ev = decode(envelope(body, sizeof body, "role.updated",
        "{\"id\":\"role_1\",\"name\":\"editor\",\"display_name\":\"Editor\",\"extends\":\"viewer\"}"));
    assert_string_equal(ev->role->extends, "viewer");
    scalekit_event_free(ev);

    ev = decode(envelope(body, sizeof body, "permission.deleted", "{\"id\":\"perm_1\",\"name\":\"read:x\"}"));
    assert_string_equal(ev->permission->name, "read:x");
    scalekit_event_free(ev);
}

static void test_unknown_types_are_kept_not_refused(void **state)
{
    (void)state;
    char body[1024];
    envelope(body, sizeof body, "organization.something_new", "{\"id\":\"x_1\",\"n\":[1,2]}");
    scalekit_event *ev = NULL;
    assert_int_equal(scalekit_event_decode(body, strlen(body), &ev), SCALEKIT_OK);
    assert_int_equal(ev->event_type, SCALEKIT_EVENT_UNKNOWN);
    assert_int_equal(ev->family, SCALEKIT_EVENT_FAMILY_UNKNOWN);
    assert_string_equal(ev->type, "organization.something_new");
    assert_string_equal(ev->data_json, "{\"id\":\"x_1\",\"n\":[1,2]}");
    assert_string_equal(ev->raw_json, body);
    assert_null(ev->organization);
    scalekit_event_free(ev);

    /* A known type whose data is not an object: the envelope decodes, no typed data. */
    envelope(body, sizeof body, "role.created", "\"surprise\"");
    assert_int_equal(scalekit_event_decode(body, strlen(body), &ev), SCALEKIT_OK);
    assert_int_equal(ev->event_type, SCALEKIT_EVENT_ROLE_CREATED);
    assert_null(ev->role);
    assert_string_equal(ev->data_json, "\"surprise\"");
    scalekit_event_free(ev);
}

static void test_hostile_bodies_are_refused_with_a_reason(void **state)
{
    (void)state;
    scalekit_event *ev = (scalekit_event *)(uintptr_t)1;
    const struct { const char *body; int code; const char *says; } cases[] = {
        {"not json", SCALEKIT_EMALFORMED_RESPONSE, "not JSON"},
        {"[1,2]", SCALEKIT_EMALFORMED_RESPONSE, "not a JSON object"},
        {"{\"id\":\"evt_1\"}", SCALEKIT_EMALFORMED_RESPONSE, "type"},
        {"{\"type\":7}", SCALEKIT_EMALFORMED_RESPONSE, "type"},
        {"{\"type\":\"role.created\",\"type\":\"role.deleted\"}", SCALEKIT_EMALFORMED_RESPONSE, "not JSON"},
        {"{\"type\":\"role.created\"", SCALEKIT_EMALFORMED_RESPONSE, "not JSON"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ev = (scalekit_event *)(uintptr_t)1;
        assert_int_equal(scalekit_event_decode(cases[i].body, strlen(cases[i].body), &ev), cases[i].code);
        assert_null(ev);
        assert_non_null(strstr(scalekit_error_last()->message, cases[i].says));
    }
    /* A NUL byte after a whole object (found by fuzz_event_decode): refused, not read up to the NUL. */
    const char nul[] = "{\"type\":\"role.created\",\"data\":{}}\0trailing";
    ev = (scalekit_event *)(uintptr_t)1;
    assert_int_equal(scalekit_event_decode(nul, sizeof nul - 1, &ev), SCALEKIT_EMALFORMED_RESPONSE);
    assert_null(ev);
    assert_non_null(strstr(scalekit_error_last()->message, "NUL"));
    /* Truncated: the length, not the NUL, bounds the read. */
    const char *whole = "{\"type\":\"role.created\",\"data\":{}}";
    assert_int_equal(scalekit_event_decode(whole, 10, &ev), SCALEKIT_EMALFORMED_RESPONSE);
    /* Oversized, empty, NULL. */
    size_t big = 1024 * 1024 + 1;
    char *huge = malloc(big);
    assert_non_null(huge);
    memset(huge, ' ', big);
    assert_int_equal(scalekit_event_decode(huge, big, &ev), SCALEKIT_EINVAL);
    assert_non_null(strstr(scalekit_error_last()->message, "at most"));
    free(huge);
    assert_int_equal(scalekit_event_decode("", 0, &ev), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_event_decode(NULL, 5, &ev), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_event_decode(whole, strlen(whole), NULL), SCALEKIT_EINVAL);
    /* Deeply nested data: refused or decoded, never a crash. */
    char deep[8192];
    size_t n = (size_t)snprintf(deep, sizeof deep, "{\"type\":\"role.created\",\"data\":");
    for (int i = 0; i < 3000; i++)
        deep[n++] = '[';
    deep[n] = '\0';
    int rc = scalekit_event_decode(deep, n, &ev);
    assert_int_equal(rc, SCALEKIT_EMALFORMED_RESPONSE);
}

static void test_verify_then_decode(void **state)
{
    (void)state;
    char body[1024];
    envelope(body, sizeof body, "permission.created", "{\"id\":\"perm_1\",\"name\":\"read:x\"}");
    int64_t now = (int64_t)time(NULL);
    char *sig = NULL;
    assert_int_equal(scalekit_sign_webhook_payload(SECRET, "msg_1", now, body, strlen(body), &sig), SCALEKIT_OK);
    char ts[32];
    snprintf(ts, sizeof ts, "%lld", (long long)now);
    scalekit_header h[3] = {{"webhook-id", "msg_1"}, {"webhook-timestamp", ts}, {"webhook-signature", sig}};
    scalekit_event *ev = NULL;
    assert_int_equal(scalekit_event_verify_and_decode(NULL, SECRET, h, 3, body, strlen(body), &ev), SCALEKIT_OK);
    assert_int_equal(ev->event_type, SCALEKIT_EVENT_PERMISSION_CREATED);
    assert_string_equal(ev->permission->name, "read:x");
    scalekit_event_free(ev);

    /* A tampered body: the signature's error, nothing decoded. */
    body[strlen(body) - 3] = 'y';
    ev = (scalekit_event *)(uintptr_t)1;
    assert_int_equal(scalekit_event_verify_and_decode(NULL, SECRET, h, 3, body, strlen(body), &ev),
                     SCALEKIT_EWEBHOOK_SIGNATURE);
    assert_null(ev);
    assert_int_equal(scalekit_event_verify_and_decode(NULL, SECRET, h, 2, body, strlen(body), &ev),
                     SCALEKIT_EWEBHOOK_MISSING_HEADER);
    assert_null(ev);
    assert_int_equal(scalekit_event_verify_and_decode(NULL, SECRET, h, 3, body, strlen(body), NULL), SCALEKIT_EINVAL);
    scalekit_free(sig);
    scalekit_event_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_type_is_named_and_round_trips),
        cmocka_unit_test(test_the_envelope_and_raw_json),
        cmocka_unit_test(test_each_family_fills_its_structs),
        cmocka_unit_test(test_unknown_types_are_kept_not_refused),
        cmocka_unit_test(test_hostile_bodies_are_refused_with_a_reason),
        cmocka_unit_test(test_verify_then_decode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
