/* URL/form/path encoding, base64 and strict base64url (RFC 4648 / RFC 7515), arenas, time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"

static void decode_url_ok(const char *in, const char *expect, size_t expect_len)
{
    unsigned char *out = NULL;
    size_t len = 0;
    assert_int_equal(skit_base64url_decode(in, strlen(in), &out, &len), SCALEKIT_OK);
    assert_int_equal(len, expect_len);
    assert_memory_equal(out, expect, expect_len);
    assert_int_equal(out[len], 0);
    free(out);
}

static void decode_url_fails(const char *in)
{
    unsigned char *out = (unsigned char *)"sentinel";
    size_t len = 99;
    assert_int_equal(skit_base64url_decode(in, strlen(in), &out, &len), SCALEKIT_EINVAL);
    assert_null(out);
    assert_int_equal(scalekit_error_last()->code, SCALEKIT_EINVAL);
    assert_non_null(scalekit_error_last()->message);
}

static void test_base64url_rfc4648_vectors(void **state)
{
    (void)state;
    decode_url_ok("", "", 0);
    decode_url_ok("Zg", "f", 1);
    decode_url_ok("Zm8", "fo", 2);
    decode_url_ok("Zm9v", "foo", 3);
    decode_url_ok("Zm9vYg", "foob", 4);
    decode_url_ok("Zm9vYmE", "fooba", 5);
    decode_url_ok("Zm9vYmFy", "foobar", 6);
    /* the two alphabet differences: 0xfb 0xff -> "-_8" */
    decode_url_ok("-_8", "\xfb\xff", 2);
}

static void test_base64url_refuses_padding_and_foreign_chars(void **state)
{
    (void)state;
    decode_url_fails("Zg==");
    decode_url_fails("Zm8=");
    decode_url_fails("Zm9v\n");
    decode_url_fails(" Zm9v");
    decode_url_fails("Zm+v");   /* standard alphabet */
    decode_url_fails("Zm/v");
    decode_url_fails("Zm9v.");
    decode_url_fails("Zm\x80v");
}

static void test_base64url_refuses_length_1_mod_4(void **state)
{
    (void)state;
    decode_url_fails("Z");
    decode_url_fails("Zm9vY");
    assert_non_null(strstr(scalekit_error_last()->message, "length"));
}

static void test_base64url_refuses_nonzero_trailing_bits(void **state)
{
    (void)state;
    decode_url_fails("Zh");    /* "Zg" is canonical for "f" */
    decode_url_fails("Zm9");   /* "Zm8" is canonical for "fo" */
    assert_non_null(strstr(scalekit_error_last()->message, "unused bits"));
}

static void test_base64url_encode_round_trip(void **state)
{
    (void)state;
    unsigned char data[256];
    for (int i = 0; i < 256; i++)
        data[i] = (unsigned char)(255 - i);
    for (size_t n = 0; n <= sizeof data; n += 7) {
        char text[400];
        size_t len = skit_base64url_encode(data, n, text);
        assert_int_equal(len, skit_base64url_encoded_len(n));
        assert_int_equal(strlen(text), len);
        assert_null(strchr(text, '='));
        unsigned char *back;
        size_t back_len;
        assert_int_equal(skit_base64url_decode(text, len, &back, &back_len), SCALEKIT_OK);
        assert_int_equal(back_len, n);
        assert_memory_equal(back, data, n);
        free(back);
    }
}

static void test_base64_standard(void **state)
{
    (void)state;
    char text[16];
    assert_int_equal(skit_base64_encode((const unsigned char *)"foob", 4, text), 8);
    assert_string_equal(text, "Zm9vYg==");
    assert_int_equal(skit_base64_encoded_len(4), 8);
    assert_int_equal(skit_base64_encode((const unsigned char *)"\xfb\xff", 2, text), 4);
    assert_string_equal(text, "+/8=");

    unsigned char *out;
    size_t len;
    assert_int_equal(skit_base64_decode("Zm9vYg==", 8, &out, &len), SCALEKIT_OK);
    assert_int_equal(len, 4);
    assert_memory_equal(out, "foob", 4);
    free(out);
    assert_int_equal(skit_base64_decode("+/8=", 4, &out, &len), SCALEKIT_OK);
    assert_memory_equal(out, "\xfb\xff", 2);
    free(out);
    /* missing padding, misplaced padding, URL alphabet, whitespace */
    assert_int_equal(skit_base64_decode("Zm9vYg", 6, &out, &len), SCALEKIT_EINVAL);
    assert_int_equal(skit_base64_decode("Zg=v", 4, &out, &len), SCALEKIT_EINVAL);
    assert_int_equal(skit_base64_decode("-_8=", 4, &out, &len), SCALEKIT_EINVAL);
    assert_int_equal(skit_base64_decode("Zm9v\nYg==", 9, &out, &len), SCALEKIT_EINVAL);
    assert_int_equal(skit_base64_decode("Zh==", 4, &out, &len), SCALEKIT_EINVAL);
    assert_int_equal(skit_base64_decode(NULL, 4, &out, &len), SCALEKIT_EINVAL);

    unsigned char data[100];
    for (int i = 0; i < 100; i++)
        data[i] = (unsigned char)(i * 37);
    for (size_t n = 0; n <= sizeof data; n++) {
        char enc[200];
        size_t elen = skit_base64_encode(data, n, enc);
        assert_int_equal(elen % 4, 0);
        assert_int_equal(skit_base64_decode(enc, elen, &out, &len), SCALEKIT_OK);
        assert_int_equal(len, n);
        assert_memory_equal(out, data, n);
        free(out);
    }
}

static void test_url_and_form_encoding(void **state)
{
    (void)state;
    skit_buf b = SKIT_BUF_INIT;
    assert_int_equal(skit_url_encode(&b, "a-b_c.d~e f/g?h#i&j=k+l%m"), SCALEKIT_OK);
    assert_string_equal(b.ptr, "a-b_c.d~e%20f%2Fg%3Fh%23i%26j%3Dk%2Bl%25m");
    skit_buf_free(&b);

    assert_int_equal(skit_url_encode(&b, "caf\xc3\xa9"), SCALEKIT_OK);  /* UTF-8 é */
    assert_string_equal(b.ptr, "caf%C3%A9");
    skit_buf_free(&b);

    assert_int_equal(skit_form_add(&b, "redirect_uri", "https://app.example/cb?x=1"), 0);
    assert_int_equal(skit_form_add(&b, "empty", ""), 0);
    assert_int_equal(skit_form_add(&b, "none", NULL), 0);
    assert_int_equal(skit_form_add(&b, "scope", "openid profile"), 0);
    assert_string_equal(b.ptr, "redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1"
                               "&scope=openid%20profile");
    skit_buf_free(&b);

    assert_int_equal(skit_buf_puts(&b, "/api/v1/organizations/"), 0);
    assert_int_equal(skit_path_add(&b, "../org/1?x"), 0);
    assert_string_equal(b.ptr, "/api/v1/organizations/..%2Forg%2F1%3Fx");
    skit_buf_free(&b);
}

static void test_buf(void **state)
{
    (void)state;
    skit_buf b = SKIT_BUF_INIT;
    char *empty = skit_buf_detach(&b);
    assert_string_equal(empty, "");
    free(empty);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(skit_buf_printf(&b, "%d,", i), 0);
    assert_int_equal(strncmp(b.ptr, "0,1,2,", 6), 0);
    char big[600];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    size_t before = b.len;
    assert_int_equal(skit_buf_printf(&b, "[%s]", big), 0);
    assert_int_equal(b.len, before + 601);
    assert_int_equal(b.ptr[b.len], '\0');
    skit_buf_free(&b);
    skit_buf_free(NULL);
}

static void test_consttime_equal(void **state)
{
    (void)state;
    assert_true(skit_consttime_equal("abcdef", "abcdef", 6));
    assert_false(skit_consttime_equal("abcdef", "abcdeg", 6));
    assert_true(skit_consttime_equal("a", "b", 0));
}

static void test_arena(void **state)
{
    (void)state;
    typedef struct { char *a; char *b; int *nums; } thing;
    thing *t = skit_result_new(sizeof *t);
    assert_non_null(t);
    assert_null(t->a);
    t->a = skit_result_strdup(t, "hello");
    t->b = skit_result_strndup(t, "world!!!", 5);
    t->nums = skit_result_alloc(t, 100 * sizeof(int));
    assert_string_equal(t->a, "hello");
    assert_string_equal(t->b, "world");
    assert_int_equal(t->nums[99], 0);
    assert_null(skit_result_strdup(t, NULL));
    assert_int_equal(((uintptr_t)t->nums) % _Alignof(max_align_t), 0);
    skit_result_free(t);   /* LeakSanitizer checks that everything went */
    skit_result_free(NULL);
}

static void test_time(void **state)
{
    (void)state;
    int64_t t;
    assert_true(skit_parse_rfc3339("2025-02-15T06:23:44.560Z", &t));
    assert_int_equal(t, 1739600624);
    assert_true(skit_parse_rfc3339("1970-01-01T00:00:00Z", &t));
    assert_int_equal(t, 0);
    assert_true(skit_parse_rfc3339("2025-02-15T08:23:44+02:00", &t));
    assert_int_equal(t, 1739600624);
    assert_false(skit_parse_rfc3339("2025-02-15", &t));
    assert_false(skit_parse_rfc3339("2025-13-15T06:23:44Z", &t));
    assert_false(skit_parse_rfc3339("2025-02-15T06:23:44", &t));
    assert_false(skit_parse_rfc3339("2025-02-15T06:23:44Zjunk", &t));
    assert_false(skit_parse_rfc3339(NULL, &t));
    char out[32];
    skit_format_rfc3339(1739600624, out);
    assert_string_equal(out, "2025-02-15T06:23:44.000000Z");
    skit_format_rfc3339(0, out);
    assert_string_equal(out, "1970-01-01T00:00:00.000000Z");
    assert_true(skit_now() > 1700000000);
    int64_t a = skit_monotonic_ms();
    skit_sleep_ms(20);
    assert_true(skit_monotonic_ms() - a >= 20);
    unsigned char r1[16] = {0}, r2[16] = {0};
    assert_int_equal(skit_random_bytes(r1, sizeof r1), 0);
    assert_int_equal(skit_random_bytes(r2, sizeof r2), 0);
    assert_memory_not_equal(r1, r2, sizeof r1);
}

static void test_json_helpers(void **state)
{
    (void)state;
    json_t *o = json_loads("{\"s\":\"x\",\"n\":5,\"big\":\"9007199254740993\",\"b\":true,"
                           "\"bad\":\"12x\",\"f\":1.5}", 0, NULL);
    assert_non_null(o);
    assert_string_equal(skit_json_string(o, "s"), "x");
    assert_null(skit_json_string(o, "n"));
    assert_null(skit_json_string(o, "missing"));
    assert_null(skit_json_string(NULL, "s"));
    assert_true(skit_json_bool(o, "b", false));
    assert_false(skit_json_bool(o, "s", false));
    int64_t v = 0;
    assert_true(skit_json_int64(o, "n", &v));
    assert_int_equal(v, 5);
    assert_true(skit_json_int64(o, "big", &v));
    assert_int_equal(v, 9007199254740993LL);
    assert_false(skit_json_int64(o, "bad", &v));
    assert_false(skit_json_int64(o, "f", &v));
    assert_false(skit_json_int64(o, "missing", &v));
    json_decref(o);

    o = skit_json_parse_object("{\"a\":1}", 7);
    assert_non_null(o);
    json_decref(o);
    assert_null(skit_json_parse_object("[1]", 3));
    assert_int_equal(scalekit_error_last()->code, SCALEKIT_EMALFORMED_RESPONSE);
    assert_null(skit_json_parse_object("<html>", 6));
    assert_int_equal(scalekit_error_last()->code, SCALEKIT_EMALFORMED_RESPONSE);
    assert_null(skit_json_parse_object("", 0));
}

static void test_ascii_case_insensitive_equality(void **state)
{
    (void)state;
    assert_true(skit_ascii_iequal("Webhook-ID", "webhook-id"));
    assert_true(skit_ascii_iequal("", ""));
    assert_false(skit_ascii_iequal("webhook-id", "webhook-i"));
    assert_false(skit_ascii_iequal("webhook-i", "webhook-id"));
    assert_false(skit_ascii_iequal("[", "{"));   /* 0x5b and 0x7b differ only in bit 5 */
    assert_false(skit_ascii_iequal("\xc4\xb0", "i"));   /* no Unicode folding: U+0130 is not 'i' */
    assert_true(skit_ascii_iequal_n("HTTPS://x", "https://", 8));
    assert_false(skit_ascii_iequal_n("http", "https://", 8));
    assert_true(skit_ascii_iequal_n("abc", "ABD", 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_case_insensitive_equality),
        cmocka_unit_test(test_base64url_rfc4648_vectors),
        cmocka_unit_test(test_base64url_refuses_padding_and_foreign_chars),
        cmocka_unit_test(test_base64url_refuses_length_1_mod_4),
        cmocka_unit_test(test_base64url_refuses_nonzero_trailing_bits),
        cmocka_unit_test(test_base64url_encode_round_trip),
        cmocka_unit_test(test_base64_standard),
        cmocka_unit_test(test_url_and_form_encoding),
        cmocka_unit_test(test_buf),
        cmocka_unit_test(test_consttime_equal),
        cmocka_unit_test(test_arena),
        cmocka_unit_test(test_time),
        cmocka_unit_test(test_json_helpers),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    scalekit_error_clear();
    return rc;
}
