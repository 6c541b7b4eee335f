/*
 * Webhook and interceptor verification end to end: the emulator delivers a
 * signed event (Standard Webhooks) to a local receiver, and the SDK verifies
 * the request exactly as it arrived; interceptor calls are signed here with
 * OpenSSL directly, independent of the SDK's own signer.
 * Against an external environment (emu_fixture_start_env) the delivery tests
 * skip (the emulator's events and secret); the locally signed ones still run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/core.h"
#include "emu_fixture.h"
#include "mock_http.h"
#include "environment.h"

#define SECRET "whsec_c2VjcmV0LWtleS1vZi10aGUtd2ViaG9vaw=="

typedef struct fixture {
    mock_http *receiver;
    emu_fixture *f;
} fixture;

static int setup(void **state)
{
    fixture *x = calloc(1, sizeof *x);
    x->receiver = mock_http_start();
    mock_response ok = {.status = 204};
    mock_http_set_default(x->receiver, "/hooks", &ok);
    char url[200];
    snprintf(url, sizeof url, "%s/hooks", mock_http_url(x->receiver));
    scalekit_emulator_options o = {.webhook_url = url, .webhook_secret = SECRET};
    x->f = emu_fixture_start_env(&o, NULL);
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    fixture *x = *state;
    emu_fixture_stop(x->f);
    mock_http_stop(x->receiver);
    free(x);
    return 0;
}

/* The @p nth delivery to /hooks, waiting up to 10 s for it. */
static const mock_request *delivery(fixture *x, size_t nth)
{
    for (int i = 0; i < 1000 && mock_http_count(x->receiver, "/hooks") <= nth; i++)
        skit_sleep_ms(10);
    const mock_request *r = mock_http_request_for(x->receiver, "/hooks", nth);
    if (!r)
        fail_msg("no webhook delivery #%zu arrived", nth);
    return r;
}

/* The request's headers as the SDK takes them; free() the array. */
static scalekit_header *headers_of(const mock_request *r)
{
    scalekit_header *h = calloc(r->header_count, sizeof *h);
    for (size_t i = 0; i < r->header_count; i++)
        h[i] = (scalekit_header){r->header_names[i], r->header_values[i]};
    return h;
}

static void test_emulator_delivery_verifies(void **state)
{
    fixture *x = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(x->f, "emu_event_emit and the emulator's webhook secret");
    assert_string_equal(scalekit_emulator_webhook_secret(x->f->emu), SECRET);
    json_t *data = json_pack("{s:s, s:s}", "id", "org_42", "display_name", "Acme");
    assert_int_equal(emu_event_emit(x->f->emu, "organization.created", "org_42", data), 0);
    json_decref(data);
    const mock_request *r = delivery(x, 0);
    assert_string_equal(r->method, "POST");
    scalekit_header *h = headers_of(r);
    assert_int_equal(scalekit_verify_webhook_payload(x->f->client, SECRET, h, r->header_count, r->body,
                                                     r->body_len), SCALEKIT_OK);
    /* No client needed. */
    assert_int_equal(scalekit_verify_webhook_payload(NULL, SECRET, h, r->header_count, r->body, r->body_len),
                     SCALEKIT_OK);
    json_t *event = json_loadb(r->body, r->body_len, 0, NULL);
    assert_non_null(event);
    assert_string_equal(json_string_value(json_object_get(event, "type")), "organization.created");
    assert_string_equal(json_string_value(json_object_get(event, "id")), mock_request_header(r, "webhook-id"));
    json_decref(event);

    /* One byte changed in the body, or another secret: refused. */
    char *tampered = strdup(r->body);
    tampered[r->body_len / 2] ^= 1;
    assert_int_equal(scalekit_verify_webhook_payload(NULL, SECRET, h, r->header_count, tampered, r->body_len),
                     SCALEKIT_EWEBHOOK_SIGNATURE);
    free(tampered);
    assert_int_equal(scalekit_verify_webhook_payload(NULL, "whsec_b3RoZXItc2VjcmV0", h, r->header_count,
                                                     r->body, r->body_len), SCALEKIT_EWEBHOOK_SIGNATURE);
    assert_int_equal(scalekit_verify_webhook_payload(NULL, "not-a-secret!", h, r->header_count, r->body,
                                                     r->body_len), SCALEKIT_EWEBHOOK_INVALID_SECRET);
    /* Without its signature header. */
    size_t n = 0;
    for (size_t i = 0; i < r->header_count; i++)
        if (strcasecmp(h[i].name, "webhook-signature") != 0)
            h[n++] = h[i];
    assert_int_equal(n, r->header_count - 1);
    assert_int_equal(scalekit_verify_webhook_payload(NULL, SECRET, h, n, r->body, r->body_len),
                     SCALEKIT_EWEBHOOK_MISSING_HEADER);
    free(h);
    for (int i = 0; i < 500 && emu_events_delivered(x->f->emu) < 1; i++)
        skit_sleep_ms(10);
    assert_int_equal(emu_events_delivered(x->f->emu), 1);
}

static void test_each_delivery_has_its_own_id_and_signature(void **state)
{
    fixture *x = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(x->f, "emu_event_emit and the emulator's webhook secret");
    size_t before = mock_http_count(x->receiver, "/hooks");
    assert_int_equal(emu_event_emit(x->f->emu, "organization.updated", "org_42", NULL), 0);
    assert_int_equal(emu_event_emit(x->f->emu, "organization.deleted", "org_42", NULL), 0);
    const mock_request *a = delivery(x, before);
    const mock_request *b = delivery(x, before + 1);
    assert_string_not_equal(mock_request_header(a, "webhook-id"), mock_request_header(b, "webhook-id"));
    for (const mock_request *r = a; r; r = r == a ? b : NULL) {
        scalekit_header *h = headers_of(r);
        assert_int_equal(scalekit_verify_webhook_payload(NULL, SECRET, h, r->header_count, r->body, r->body_len),
                         SCALEKIT_OK);
        free(h);
    }
    /* a's headers do not vouch for b's body. */
    scalekit_header *h = headers_of(a);
    assert_int_equal(scalekit_verify_webhook_payload(NULL, SECRET, h, a->header_count, b->body, b->body_len),
                     SCALEKIT_EWEBHOOK_SIGNATURE);
    free(h);
}

/* "v1,<base64 HMAC-SHA256>" of id.ts.payload with the secret's key, computed here. */
static void sign(const char *id, int64_t ts, const char *payload, char out[128])
{
    unsigned char *key = NULL;
    size_t key_len = 0;
    const char *b64 = &SECRET[6];
    assert_int_equal(skit_base64_decode(b64, strlen(b64), &key, &key_len), SCALEKIT_OK);
    char content[1024];
    snprintf(content, sizeof content, "%s.%lld.%s", id, (long long)ts, payload);
    unsigned char mac[32];
    unsigned int mac_len = 0;
    assert_non_null(HMAC(EVP_sha256(), key, (int)key_len, (unsigned char *)content, strlen(content), mac,
                         &mac_len));
    free(key);
    memcpy(out, "v1,", 3);
    out[3 + skit_base64_encode(mac, mac_len, out + 3)] = '\0';
}

static void test_interceptor_payload(void **state)
{
    fixture *x = *state;
    const char *payload = "{\"trigger_point\":\"PRE_SIGNUP\",\"user\":{\"email\":\"ada@example.com\"}}";
    int64_t now = skit_now();
    char ts[32], sig[128], both[300];
    snprintf(ts, sizeof ts, "%lld", (long long)now);
    sign("int_1", now, payload, sig);
    snprintf(both, sizeof both, "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= %s", sig);
    scalekit_header h[] = {{"Interceptor-Id", "int_1"}, {"INTERCEPTOR-TIMESTAMP", ts},
                           {"interceptor-signature", both}, {"content-type", "application/json"}};
    assert_int_equal(scalekit_verify_interceptor_payload(x->f->client, SECRET, h, 4, payload, strlen(payload)),
                     SCALEKIT_OK);
    /* The webhook-* names are the fallback. */
    scalekit_header w[] = {{"webhook-id", "int_1"}, {"webhook-timestamp", ts}, {"webhook-signature", sig}};
    assert_int_equal(scalekit_verify_interceptor_payload(NULL, SECRET, w, 3, payload, strlen(payload)),
                     SCALEKIT_OK);
    /* A webhook verifier does not read interceptor-* headers. */
    assert_int_equal(scalekit_verify_webhook_payload(NULL, SECRET, h, 4, payload, strlen(payload)),
                     SCALEKIT_EWEBHOOK_MISSING_HEADER);

    /* Outside the 5 minute tolerance, each way (signed correctly for that time). */
    char old_ts[32], old_sig[128];
    snprintf(old_ts, sizeof old_ts, "%lld", (long long)(now - 600));
    sign("int_1", now - 600, payload, old_sig);
    scalekit_header old[] = {{"interceptor-id", "int_1"}, {"interceptor-timestamp", old_ts},
                             {"interceptor-signature", old_sig}};
    assert_int_equal(scalekit_verify_interceptor_payload(NULL, SECRET, old, 3, payload, strlen(payload)),
                     SCALEKIT_EWEBHOOK_TIMESTAMP_TOO_OLD);
    snprintf(old_ts, sizeof old_ts, "%lld", (long long)(now + 600));
    sign("int_1", now + 600, payload, old_sig);
    assert_int_equal(scalekit_verify_interceptor_payload(NULL, SECRET, old, 3, payload, strlen(payload)),
                     SCALEKIT_EWEBHOOK_TIMESTAMP_TOO_NEW);
    scalekit_header bad_ts[] = {{"interceptor-id", "int_1"}, {"interceptor-timestamp", "yesterday"},
                                {"interceptor-signature", sig}};
    assert_int_equal(scalekit_verify_interceptor_payload(NULL, SECRET, bad_ts, 3, payload, strlen(payload)),
                     SCALEKIT_EWEBHOOK_MALFORMED_HEADER);
    assert_int_equal(scalekit_verify_interceptor_payload(NULL, SECRET, h, 4, NULL, 5), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_verify_interceptor_payload(NULL, NULL, h, 4, payload, strlen(payload)),
                     SCALEKIT_EINVAL);
}

/* A webhook signed here, as Scalekit signs its deliveries: accepted, and refused
 * when the body, the secret or a header is not the signed one. */
static void test_locally_signed_webhook(void **state)
{
    fixture *x = *state;
    const char *payload = "{\"type\":\"organization.created\",\"data\":{\"id\":\"org_1\"}}";
    int64_t now = skit_now();
    char ts[32], sig[128];
    snprintf(ts, sizeof ts, "%lld", (long long)now);
    sign("msg_1", now, payload, sig);
    scalekit_header h[] = {{"Webhook-Id", "msg_1"}, {"webhook-timestamp", ts}, {"webhook-signature", sig}};
    assert_int_equal(scalekit_verify_webhook_payload(x->f->client, SECRET, h, 3, payload, strlen(payload)),
                     SCALEKIT_OK);
    assert_int_equal(scalekit_verify_webhook_payload(NULL, SECRET, h, 3, payload, strlen(payload)), SCALEKIT_OK);

    char *tampered = strdup(payload);
    tampered[10] ^= 1;
    assert_int_equal(scalekit_verify_webhook_payload(NULL, SECRET, h, 3, tampered, strlen(tampered)),
                     SCALEKIT_EWEBHOOK_SIGNATURE);
    free(tampered);
    assert_int_equal(scalekit_verify_webhook_payload(NULL, "whsec_b3RoZXItc2VjcmV0", h, 3, payload,
                                                     strlen(payload)), SCALEKIT_EWEBHOOK_SIGNATURE);
    assert_int_equal(scalekit_verify_webhook_payload(NULL, "not-a-secret!", h, 3, payload, strlen(payload)),
                     SCALEKIT_EWEBHOOK_INVALID_SECRET);
    /* The id is part of what is signed. */
    scalekit_header other_id[] = {{"webhook-id", "msg_2"}, {"webhook-timestamp", ts}, {"webhook-signature", sig}};
    assert_int_equal(scalekit_verify_webhook_payload(NULL, SECRET, other_id, 3, payload, strlen(payload)),
                     SCALEKIT_EWEBHOOK_SIGNATURE);
    /* Without its signature header. */
    assert_int_equal(scalekit_verify_webhook_payload(NULL, SECRET, h, 2, payload, strlen(payload)),
                     SCALEKIT_EWEBHOOK_MISSING_HEADER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_emulator_delivery_verifies),
        cmocka_unit_test(test_each_delivery_has_its_own_id_and_signature),
        cmocka_unit_test(test_interceptor_payload),
        cmocka_unit_test(test_locally_signed_webhook),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
