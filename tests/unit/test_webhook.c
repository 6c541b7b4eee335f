/* Webhook and interceptor verification (Standard Webhooks). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "scalekit/scalekit.h"
#include "auth/auth_internal.h"

/* The Standard Webhooks specification's own example. */
#define SPEC_SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define SPEC_ID "msg_p5jXN8AQM9LWM0D4loKWxJek"
#define SPEC_TIMESTAMP 1614265330
#define SPEC_PAYLOAD "{\"test\": 2432232314}"
#define SPEC_SIGNATURE "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

#define SECRET "whsec_c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seQ=="   /* "secret-key-for-tests-only" */
#define OTHER_SECRET "whsec_b3RoZXIta2V5LWZvci10ZXN0cw=="     /* "other-key-for-tests" */
#define MSG_ID "msg_2a9vQ1"
#define PAYLOAD "{\"type\":\"organization.created\",\"id\":\"evt_1\"}"

/* A signed delivery: its headers point into the struct's own buffers. */
typedef struct delivery {
    char names[3][32];
    char timestamp[32];
    char *signature;
    scalekit_header headers[3];
} delivery;

static void sign_delivery(delivery *d, const char *secret, const char *prefix, const char *id,
                          int64_t timestamp, const char *payload, size_t len)
{
    snprintf(d->timestamp, sizeof d->timestamp, "%lld", (long long)timestamp);
    d->signature = NULL;
    assert_int_equal(scalekit_sign_webhook_payload(secret, id, timestamp, payload, len, &d->signature),
                     SCALEKIT_OK);
    snprintf(d->names[0], sizeof d->names[0], "%s-id", prefix);
    snprintf(d->names[1], sizeof d->names[1], "%s-timestamp", prefix);
    snprintf(d->names[2], sizeof d->names[2], "%s-signature", prefix);
    d->headers[0] = (scalekit_header){d->names[0], id};
    d->headers[1] = (scalekit_header){d->names[1], d->timestamp};
    d->headers[2] = (scalekit_header){d->names[2], d->signature};
}

static int64_t now(void)
{
    return (int64_t)time(NULL);
}

static int verify(const char *secret, const scalekit_header *h, size_t n, const char *payload)
{
    return scalekit_verify_webhook_payload(NULL, secret, h, n, payload, strlen(payload));
}

static void spec_example_signature(void **state)
{
    (void)state;
    char *sig = NULL;
    assert_int_equal(scalekit_sign_webhook_payload(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_PAYLOAD,
                                                   strlen(SPEC_PAYLOAD), &sig), SCALEKIT_OK);
    assert_string_equal(sig, SPEC_SIGNATURE);
    scalekit_free(sig);
}

static void valid_signature_and_round_trip(void **state)
{
    (void)state;
    delivery d;
    sign_delivery(&d, SECRET, "webhook", MSG_ID, now(), PAYLOAD, strlen(PAYLOAD));
    assert_int_equal(verify(SECRET, d.headers, 3, PAYLOAD), SCALEKIT_OK);
    assert_int_equal(scalekit_error_last()->code, SCALEKIT_OK);
    /* extra headers and any order */
    scalekit_header more[] = {
        {"content-type", "application/json"}, d.headers[2], {"x-other", "1"}, d.headers[0],
        d.headers[1],
    };
    assert_int_equal(verify(SECRET, more, 5, PAYLOAD), SCALEKIT_OK);
    /* an empty payload signs and verifies too */
    scalekit_free(d.signature);
    sign_delivery(&d, SECRET, "webhook", MSG_ID, now(), NULL, 0);
    assert_int_equal(scalekit_verify_webhook_payload(NULL, SECRET, d.headers, 3, NULL, 0), SCALEKIT_OK);
    scalekit_free(d.signature);
}

static void several_signatures_valid_one_last(void **state)
{
    (void)state;
    delivery d;
    sign_delivery(&d, SECRET, "webhook", MSG_ID, now(), PAYLOAD, strlen(PAYLOAD));
    char header[512];
    snprintf(header, sizeof header,
             "v1,Zm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm8= v1,short  v1a,xyz nocomma %s",
             d.signature);
    d.headers[2].value = header;
    assert_int_equal(verify(SECRET, d.headers, 3, PAYLOAD), SCALEKIT_OK);
    scalekit_free(d.signature);
}

static void only_v1_entries_count(void **state)
{
    (void)state;
    delivery d;
    sign_delivery(&d, SECRET, "webhook", MSG_ID, now(), PAYLOAD, strlen(PAYLOAD));
    char header[512];
    /* the right MAC under another version is ignored */
    snprintf(header, sizeof header, "v2,%s", d.signature + 3);
    d.headers[2].value = header;
    assert_int_equal(verify(SECRET, d.headers, 3, PAYLOAD), SCALEKIT_EWEBHOOK_SIGNATURE);
    /* ... and does not stop a v1 entry after it from matching */
    snprintf(header, sizeof header, "v2,%s %s", d.signature + 3, d.signature);
    assert_int_equal(verify(SECRET, d.headers, 3, PAYLOAD), SCALEKIT_OK);
    scalekit_free(d.signature);
}

static void wrong_and_invalid_secrets(void **state)
{
    (void)state;
    delivery d;
    sign_delivery(&d, SECRET, "webhook", MSG_ID, now(), PAYLOAD, strlen(PAYLOAD));
    assert_int_equal(verify(OTHER_SECRET, d.headers, 3, PAYLOAD), SCALEKIT_EWEBHOOK_SIGNATURE);
    assert_int_equal(scalekit_error_last()->code, SCALEKIT_EWEBHOOK_SIGNATURE);

    const char *invalid[] = {
        "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seQ==",       /* no whsec_ prefix */
        "WHSEC_c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seQ==", /* prefix is case-sensitive */
        "whsec_not base64!",
        "whsec_c2VjcmV",                              /* length not a multiple of 4 */
        "whsec_c2Vj cmV0",                            /* whitespace inside */
        "whsec_",                                     /* empty key */
        "",
    };
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        assert_int_equal(verify(invalid[i], d.headers, 3, PAYLOAD), SCALEKIT_EWEBHOOK_INVALID_SECRET);
        assert_non_null(strstr(scalekit_error_last()->message, "secret"));
        char *sig = (char *)"sentinel";
        assert_int_equal(scalekit_sign_webhook_payload(invalid[i], MSG_ID, now(), PAYLOAD,
                                                       strlen(PAYLOAD), &sig),
                         SCALEKIT_EWEBHOOK_INVALID_SECRET);
        assert_null(sig);
    }
    assert_int_equal(verify(NULL, d.headers, 3, PAYLOAD), SCALEKIT_EINVAL);
    scalekit_free(d.signature);
}

/* The per-thread key cache must never answer for another secret. */
static void alternating_and_long_secrets(void **state)
{
    (void)state;
    delivery a, b;
    sign_delivery(&a, SECRET, "webhook", MSG_ID, now(), PAYLOAD, strlen(PAYLOAD));
    sign_delivery(&b, OTHER_SECRET, "webhook", MSG_ID, now(), PAYLOAD, strlen(PAYLOAD));
    for (int i = 0; i < 3; i++) {
        assert_int_equal(verify(SECRET, a.headers, 3, PAYLOAD), SCALEKIT_OK);
        assert_int_equal(verify(OTHER_SECRET, a.headers, 3, PAYLOAD), SCALEKIT_EWEBHOOK_SIGNATURE);
        assert_int_equal(verify(OTHER_SECRET, b.headers, 3, PAYLOAD), SCALEKIT_OK);
        assert_int_equal(verify(SECRET, b.headers, 3, PAYLOAD), SCALEKIT_EWEBHOOK_SIGNATURE);
        assert_int_equal(verify("whsec_", a.headers, 3, PAYLOAD), SCALEKIT_EWEBHOOK_INVALID_SECRET);
    }
    scalekit_free(a.signature);
    scalekit_free(b.signature);

    /* a secret too long for the cache: 300 base64 characters */
    char long_secret[320] = "whsec_";
    for (int i = 0; i < 75; i++)
        strcat(long_secret, "QUJD");
    delivery l;
    sign_delivery(&l, long_secret, "webhook", MSG_ID, now(), PAYLOAD, strlen(PAYLOAD));
    assert_int_equal(verify(long_secret, l.headers, 3, PAYLOAD), SCALEKIT_OK);
    assert_int_equal(verify(SECRET, l.headers, 3, PAYLOAD), SCALEKIT_EWEBHOOK_SIGNATURE);
    long_secret[strlen(long_secret) - 1] = 'E';   /* same prefix, another key */
    assert_int_equal(verify(long_secret, l.headers, 3, PAYLOAD), SCALEKIT_EWEBHOOK_SIGNATURE);
    scalekit_free(l.signature);
}

static void timestamp_tolerance(void **state)
{
    (void)state;
    const struct { int64_t offset; int expected; } cases[] = {
        {-360, SCALEKIT_EWEBHOOK_TIMESTAMP_TOO_OLD},
        {+360, SCALEKIT_EWEBHOOK_TIMESTAMP_TOO_NEW},
        {-240, SCALEKIT_OK},
        {+240, SCALEKIT_OK},
        {-(int64_t)time(NULL), SCALEKIT_EWEBHOOK_TIMESTAMP_TOO_OLD},   /* 0 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        delivery d;
        sign_delivery(&d, SECRET, "webhook", MSG_ID, now() + cases[i].offset, PAYLOAD, strlen(PAYLOAD));
        assert_int_equal(verify(SECRET, d.headers, 3, PAYLOAD), cases[i].expected);
        scalekit_free(d.signature);
    }
}

static void malformed_timestamps(void **state)
{
    (void)state;
    delivery d;
    sign_delivery(&d, SECRET, "webhook", MSG_ID, now(), PAYLOAD, strlen(PAYLOAD));
    const char *bad[] = {"12a", "abc", " 1700000000", "1700000000 ", "-5", "+5", "1.5", "0x10",
                         "99999999999999999999", "9223372036854775808"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        d.headers[1].value = bad[i];
        assert_int_equal(verify(SECRET, d.headers, 3, PAYLOAD), SCALEKIT_EWEBHOOK_MALFORMED_HEADER);
        assert_non_null(strstr(scalekit_error_last()->message, "timestamp"));
    }
    scalekit_free(d.signature);
}

static void each_missing_header_is_named(void **state)
{
    (void)state;
    delivery d;
    sign_delivery(&d, SECRET, "webhook", MSG_ID, now(), PAYLOAD, strlen(PAYLOAD));
    const char *names[] = {"webhook-id", "webhook-timestamp", "webhook-signature"};
    for (size_t missing = 0; missing < 3; missing++) {
        scalekit_header h[2];
        size_t n = 0;
        for (size_t i = 0; i < 3; i++)
            if (i != missing)
                h[n++] = d.headers[i];
        assert_int_equal(verify(SECRET, h, n, PAYLOAD), SCALEKIT_EWEBHOOK_MISSING_HEADER);
        assert_non_null(strstr(scalekit_error_last()->message, names[missing]));
        /* an empty value counts as missing */
        scalekit_header with_empty[3] = {d.headers[0], d.headers[1], d.headers[2]};
        with_empty[missing].value = "";
        assert_int_equal(verify(SECRET, with_empty, 3, PAYLOAD), SCALEKIT_EWEBHOOK_MISSING_HEADER);
    }
    assert_int_equal(verify(SECRET, NULL, 0, PAYLOAD), SCALEKIT_EWEBHOOK_MISSING_HEADER);
    assert_int_equal(verify(SECRET, NULL, 3, PAYLOAD), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_verify_webhook_payload(NULL, SECRET, d.headers, 3, NULL, 5), SCALEKIT_EINVAL);
    /* webhook verification does not read interceptor-* names */
    scalekit_free(d.signature);
    sign_delivery(&d, SECRET, "interceptor", MSG_ID, now(), PAYLOAD, strlen(PAYLOAD));
    assert_int_equal(verify(SECRET, d.headers, 3, PAYLOAD), SCALEKIT_EWEBHOOK_MISSING_HEADER);
    scalekit_free(d.signature);
}

static void header_names_in_any_case(void **state)
{
    (void)state;
    delivery d;
    sign_delivery(&d, SECRET, "webhook", MSG_ID, now(), PAYLOAD, strlen(PAYLOAD));
    scalekit_header upper[] = {
        {"WEBHOOK-ID", d.headers[0].value},
        {"Webhook-Timestamp", d.headers[1].value},
        {"WebHook-SIGNATURE", d.headers[2].value},
    };
    assert_int_equal(verify(SECRET, upper, 3, PAYLOAD), SCALEKIT_OK);
    assert_int_equal(scalekit_verify_interceptor_payload(NULL, SECRET, upper, 3, PAYLOAD,
                                                         strlen(PAYLOAD)), SCALEKIT_OK);
    scalekit_free(d.signature);
}

static void payload_with_nul_byte(void **state)
{
    (void)state;
    const char payload[] = "{\"a\":\"x\0y\"}";
    size_t len = sizeof payload - 1;
    delivery d;
    sign_delivery(&d, SECRET, "webhook", MSG_ID, now(), payload, len);
    assert_int_equal(scalekit_verify_webhook_payload(NULL, SECRET, d.headers, 3, payload, len),
                     SCALEKIT_OK);
    assert_int_equal(scalekit_verify_webhook_payload(NULL, SECRET, d.headers, 3, payload,
                                                     strlen(payload)), SCALEKIT_EWEBHOOK_SIGNATURE);
    scalekit_free(d.signature);
}

static void tampering_is_detected(void **state)
{
    (void)state;
    delivery d;
    sign_delivery(&d, SECRET, "webhook", MSG_ID, now(), PAYLOAD, strlen(PAYLOAD));
    char tampered[] = PAYLOAD;
    tampered[10] ^= 1;
    assert_int_equal(verify(SECRET, d.headers, 3, tampered), SCALEKIT_EWEBHOOK_SIGNATURE);
    d.headers[0].value = "msg_2a9vQ2";
    assert_int_equal(verify(SECRET, d.headers, 3, PAYLOAD), SCALEKIT_EWEBHOOK_SIGNATURE);
    d.headers[0].value = MSG_ID;
    char other_ts[32];
    snprintf(other_ts, sizeof other_ts, "%lld", (long long)now() - 1);
    d.headers[1].value = other_ts;
    assert_int_equal(verify(SECRET, d.headers, 3, PAYLOAD), SCALEKIT_EWEBHOOK_SIGNATURE);
    d.headers[1].value = d.timestamp;
    d.signature[10] = d.signature[10] == 'A' ? 'B' : 'A';
    assert_int_equal(verify(SECRET, d.headers, 3, PAYLOAD), SCALEKIT_EWEBHOOK_SIGNATURE);
    scalekit_free(d.signature);
}

static int verify_interceptor(const scalekit_header *h, size_t n)
{
    return scalekit_verify_interceptor_payload(NULL, SECRET, h, n, PAYLOAD, strlen(PAYLOAD));
}

static void interceptor_headers_and_fallback(void **state)
{
    (void)state;
    delivery good, bad;
    sign_delivery(&good, SECRET, "interceptor", MSG_ID, now(), PAYLOAD, strlen(PAYLOAD));
    assert_int_equal(verify_interceptor(good.headers, 3), SCALEKIT_OK);

    /* webhook-* names alone are accepted for interceptor calls */
    delivery as_webhook;
    sign_delivery(&as_webhook, SECRET, "webhook", MSG_ID, now(), PAYLOAD, strlen(PAYLOAD));
    assert_int_equal(verify_interceptor(as_webhook.headers, 3), SCALEKIT_OK);

    /* a mix: interceptor-id with webhook-timestamp and webhook-signature */
    scalekit_header mixed[] = {good.headers[0], as_webhook.headers[1], as_webhook.headers[2]};
    assert_int_equal(verify_interceptor(mixed, 3), SCALEKIT_OK);

    /* interceptor-* takes precedence over webhook-* */
    sign_delivery(&bad, OTHER_SECRET, "webhook", "msg_other", now(), PAYLOAD, strlen(PAYLOAD));
    scalekit_header both[] = {bad.headers[0], bad.headers[1], bad.headers[2],
                              good.headers[0], good.headers[1], good.headers[2]};
    assert_int_equal(verify_interceptor(both, 6), SCALEKIT_OK);
    scalekit_header reversed[] = {good.headers[0], good.headers[1], bad.headers[2],
                                  {"interceptor-signature", bad.headers[2].value},
                                  {"webhook-signature", good.headers[2].value}};
    assert_int_equal(verify_interceptor(reversed, 5), SCALEKIT_EWEBHOOK_SIGNATURE);

    /* missing: both names are in the message */
    assert_int_equal(verify_interceptor(good.headers, 2), SCALEKIT_EWEBHOOK_MISSING_HEADER);
    assert_non_null(strstr(scalekit_error_last()->message, "interceptor-signature"));
    assert_non_null(strstr(scalekit_error_last()->message, "webhook-signature"));

    scalekit_free(good.signature);
    scalekit_free(bad.signature);
    scalekit_free(as_webhook.signature);
}

static void work_is_bounded(void **state)
{
    (void)state;
    delivery d;
    sign_delivery(&d, SECRET, "webhook", MSG_ID, now(), PAYLOAD, strlen(PAYLOAD));
    /* 32 entries with the valid one last: accepted; 33: refused */
    char header[4096] = "";
    for (int i = 0; i < 31; i++)
        strcat(header, "v1,AAAA ");
    strcat(header, d.signature);
    d.headers[2].value = header;
    assert_int_equal(verify(SECRET, d.headers, 3, PAYLOAD), SCALEKIT_OK);
    char more[4096] = "v1,AAAA ";
    strcat(more, header);
    d.headers[2].value = more;
    assert_int_equal(verify(SECRET, d.headers, 3, PAYLOAD), SCALEKIT_EWEBHOOK_MALFORMED_HEADER);

    size_t big = SKIT_WEBHOOK_MAX_HEADER_BYTES + 1;
    char *huge = malloc(big + 1);
    assert_non_null(huge);
    memset(huge, 'v', big);
    huge[big] = '\0';
    d.headers[2].value = huge;
    assert_int_equal(verify(SECRET, d.headers, 3, PAYLOAD), SCALEKIT_EWEBHOOK_MALFORMED_HEADER);
    d.headers[2].value = d.signature;
    d.headers[0].value = huge;
    assert_int_equal(verify(SECRET, d.headers, 3, PAYLOAD), SCALEKIT_EWEBHOOK_MALFORMED_HEADER);
    free(huge);
    scalekit_free(d.signature);
}

static void signature_header_parser(void **state)
{
    (void)state;
    skit_webhook_signature sigs[SKIT_WEBHOOK_MAX_SIGNATURES];
    size_t n = 99;
    const char *h = "  v1,abc=  v2,def v1,ghi v1, v1 x,y v1,j";
    assert_int_equal(skit_webhook_parse_signature_header(h, strlen(h), sigs, &n), SCALEKIT_OK);
    assert_int_equal(n, 3);
    assert_int_equal(sigs[0].len, 4);
    assert_memory_equal(sigs[0].b64, "abc=", 4);
    assert_memory_equal(sigs[1].b64, "ghi", 3);
    assert_memory_equal(sigs[2].b64, "j", 1);
    assert_int_equal(skit_webhook_parse_signature_header("", 0, sigs, &n), SCALEKIT_OK);
    assert_int_equal(n, 0);

    int64_t ts = 0;
    assert_int_equal(skit_webhook_parse_timestamp("1614265330", 10, &ts), SCALEKIT_OK);
    assert_int_equal(ts, 1614265330);
    assert_int_equal(skit_webhook_parse_timestamp("9223372036854775807", 19, &ts), SCALEKIT_OK);
    assert_true(ts == INT64_MAX);
    assert_int_equal(skit_webhook_parse_timestamp("", 0, &ts), SCALEKIT_EWEBHOOK_MALFORMED_HEADER);
}

static void sign_refuses_bad_arguments(void **state)
{
    (void)state;
    char *sig = (char *)"sentinel";
    assert_int_equal(scalekit_sign_webhook_payload(SECRET, "", now(), PAYLOAD, 1, &sig), SCALEKIT_EINVAL);
    assert_null(sig);
    assert_int_equal(scalekit_sign_webhook_payload(SECRET, NULL, now(), PAYLOAD, 1, &sig), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_sign_webhook_payload(SECRET, MSG_ID, now(), NULL, 1, &sig), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_sign_webhook_payload(SECRET, MSG_ID, now(), PAYLOAD, 1, NULL), SCALEKIT_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spec_example_signature),
        cmocka_unit_test(valid_signature_and_round_trip),
        cmocka_unit_test(several_signatures_valid_one_last),
        cmocka_unit_test(only_v1_entries_count),
        cmocka_unit_test(wrong_and_invalid_secrets),
        cmocka_unit_test(alternating_and_long_secrets),
        cmocka_unit_test(timestamp_tolerance),
        cmocka_unit_test(malformed_timestamps),
        cmocka_unit_test(each_missing_header_is_named),
        cmocka_unit_test(header_names_in_any_case),
        cmocka_unit_test(payload_with_nul_byte),
        cmocka_unit_test(tampering_is_detected),
        cmocka_unit_test(interceptor_headers_and_fallback),
        cmocka_unit_test(work_is_bounded),
        cmocka_unit_test(signature_header_parser),
        cmocka_unit_test(sign_refuses_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
