/* The small helpers kept once in core (core.h): emptiness, NULL-passing strdup,
 * the int64 reader shared by the decoder and the JSON helpers, hex, secrets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"

static void test_is_empty(void **state)
{
    (void)state;
    assert_true(skit_is_empty(NULL));
    assert_true(skit_is_empty(""));
    assert_false(skit_is_empty(" "));
    assert_false(skit_is_empty("x"));
}

static void test_strdup_or_null(void **state)
{
    (void)state;
    assert_null(skit_strdup_or_null(NULL));
    const char *text = "org_1";
    char *copy = skit_strdup_or_null(text);
    assert_non_null(copy);
    assert_ptr_not_equal(copy, text);
    assert_string_equal(copy, "org_1");
    free(copy);
    char *empty = skit_strdup_or_null("");
    assert_non_null(empty);   /* "" is a value here, unlike skit_is_empty */
    assert_string_equal(empty, "");
    free(empty);
}

static void test_value_int64(void **state)
{
    (void)state;
    static const struct { const char *json; bool ok; int64_t want; } cases[] = {
        {"42", true, 42},
        {"-7", true, -7},
        {"\"1739600624\"", true, 1739600624},
        {"\"-9223372036854775808\"", true, INT64_MIN},
        {"\"9223372036854775807\"", true, INT64_MAX},
        {"\"9223372036854775808\"", false, 0},    /* overflow */
        {"\"+5\"", false, 0},
        {"\" 5\"", false, 0},
        {"\"5 \"", false, 0},
        {"\"-\"", false, 0},
        {"\"\"", false, 0},
        {"\"12a\"", false, 0},
        {"\"1\\u00002\"", false, 0},              /* an embedded NUL */
        {"1.5", false, 0},
        {"true", false, 0},
        {"null", false, 0},
        {"[1]", false, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_error_t err;
        json_t *v = json_loads(cases[i].json, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
        assert_non_null(v);
        int64_t got = 99;
        bool ok = skit_json_value_int64(v, &got);
        if (ok != cases[i].ok || (ok && got != cases[i].want) || (!ok && got != 99))
            fail_msg("%s: ok=%d value=%lld", cases[i].json, ok, (long long)got);
        json_t *obj = json_pack("{sO}", "n", v);
        got = 99;
        assert_int_equal(skit_json_int64(obj, "n", &got), cases[i].ok);
        if (cases[i].ok)
            assert_int_equal(got, cases[i].want);
        json_decref(obj);
        json_decref(v);
    }
    assert_false(skit_json_value_int64(NULL, &(int64_t){0}));
}

static void test_hex_encode(void **state)
{
    (void)state;
    const unsigned char in[] = {0x00, 0x0f, 0xa5, 0xff};
    char out[2 * sizeof in + 1];
    memset(out, 'x', sizeof out);
    skit_hex_encode(in, sizeof in, out);
    assert_string_equal(out, "000fa5ff");
    char none[1] = {'x'};
    skit_hex_encode(in, 0, none);
    assert_string_equal(none, "");
}

static void test_is_unreserved(void **state)
{
    (void)state;
    const char *ok = "AZaz09-._~";
    for (const char *p = ok; *p; p++)
        assert_true(skit_is_unreserved((unsigned char)*p));
    const char *bad = " !\"#$%&'()*+,/:;<=>?@[\\]^`{|}";
    for (const char *p = bad; *p; p++)
        assert_false(skit_is_unreserved((unsigned char)*p));
    assert_false(skit_is_unreserved(0x80));
    assert_false(skit_is_unreserved(0));
}

static void test_free_secret(void **state)
{
    (void)state;
    skit_free_secret(NULL);   /* safe on NULL */
    char *token = strdup("eyJhbGciOiJSUzI1NiJ9.secret");
    assert_non_null(token);
    skit_free_secret(token);  /* LeakSanitizer fails the test should it leak */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_is_empty),
        cmocka_unit_test(test_strdup_or_null),
        cmocka_unit_test(test_value_int64),
        cmocka_unit_test(test_hex_encode),
        cmocka_unit_test(test_is_unreserved),
        cmocka_unit_test(test_free_secret),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
