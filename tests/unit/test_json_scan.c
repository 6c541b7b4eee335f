/* The strict JSON scanner (src/jose/json_scan.c): what it accepts and refuses,
 * always checked against jansson's json_loadb(JSON_REJECT_DUPLICATES), the
 * members it records, and its use on the token validation path. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"
#include "jose/json_scan.h"
#include "jose_testkit.h"

/* Scan @p text as an object, check the verdict is @p want_ok and that jansson agrees. */
static void check(const char *text, size_t len, bool want_ok)
{
    skit_json_scan scan;
    int rc = skit_json_scan_object(&scan, text, len);
    json_error_t err;
    json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    bool jansson_ok = json_is_object(j);
    json_decref(j);
    if ((rc == SCALEKIT_OK) != want_ok || jansson_ok != want_ok)
        fprintf(stderr, "%.*s: scanner %d (%s), jansson %d (%s), want %d\n", (int)(len > 80 ? 80 : len),
                text, rc, rc ? scan.error : "", jansson_ok, jansson_ok ? "" : err.text, want_ok);
    assert_int_equal(rc, want_ok ? SCALEKIT_OK : SCALEKIT_EINVAL);
    assert_int_equal(jansson_ok, want_ok);
    if (!want_ok)
        assert_non_null(scan.error);
    skit_json_scan_free(&scan);
}

static void ok(const char *text) { check(text, strlen(text), true); }
static void bad(const char *text) { check(text, strlen(text), false); }

static void test_grammar(void **state)
{
    (void)state;
    ok("{}");
    ok(" \t\r\n{ } \n");
    ok("{\"a\":[1,-2,3.5,-0,0e0,1E+2,1e-2,true,false,null,\"s\",{},[]]}");
    ok("{\"a\":{\"b\":{\"c\":[[[]]]}}}");
    bad("");
    bad("   ");
    bad("[1,2]");              /* valid JSON, but not an object */
    bad("\"s\"");
    bad("{}x");
    bad("{} {}");
    bad("{");
    bad("{\"a\"}");
    bad("{\"a\":}");
    bad("{\"a\":1,}");
    bad("{,}");
    bad("{\"a\":[1,]}");
    bad("{\"a\":[1 2]}");
    bad("{a:1}");
    bad("{'a':1}");
    bad("{\"a\":tru}");
    bad("{\"a\":truex}");
    bad("{\"a\":nul}");
    bad("{\"a\":1}}");
    bad("{\"a\":[}");
    bad("\xef\xbb\xbf{}");     /* a BOM */
    check("{}\0", 3, false);   /* a NUL after the text */
}

static void test_numbers(void **state)
{
    (void)state;
    ok("{\"a\":9223372036854775807}");
    ok("{\"a\":-9223372036854775808}");
    bad("{\"a\":9223372036854775808}");
    bad("{\"a\":-9223372036854775809}");
    bad("{\"a\":100000000000000000000}");
    ok("{\"a\":100000000000000000000.0}");   /* a real: no range limit but overflow */
    ok("{\"a\":1.7976931348623157e308}");
    bad("{\"a\":1.7976931348623159e308}");
    bad("{\"a\":1e309}");
    bad("{\"a\":-1e400}");
    ok("{\"a\":1e-400}");                     /* underflow is zero, not an error */
    bad("{\"a\":01}");
    bad("{\"a\":-01}");
    bad("{\"a\":1.}");
    bad("{\"a\":.5}");
    bad("{\"a\":1e}");
    bad("{\"a\":1e+}");
    bad("{\"a\":-}");
    bad("{\"a\":+1}");
    bad("{\"a\":0x10}");
    bad("{\"a\":NaN}");
    bad("{\"a\":Infinity}");
}

static void test_strings(void **state)
{
    (void)state;
    ok("{\"a\":\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00\"}");
    ok("{\"a\":\"\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbf\xbf \x7f\"}");
    bad("{\"a\":\"\\u0000\"}");
    bad("{\"a\\u0000\":1}");
    bad("{\"a\":\"\\ud800\"}");
    bad("{\"a\":\"\\udc00\"}");
    bad("{\"a\":\"\\ud800\\u0041\"}");
    bad("{\"a\":\"\\ud800\\n\"}");
    bad("{\"a\":\"\\uDBFF\"}");
    bad("{\"a\":\"\\u12\"}");
    bad("{\"a\":\"\\u12g4\"}");
    bad("{\"a\":\"\\x41\"}");
    bad("{\"a\":\"\\'\"}");
    bad("{\"a\":\"tab\there\"}");
    bad("{\"a\":\"nl\nhere\"}");
    bad("{\"a\":\"\x1f\"}");
    bad("{\"a\":\"unterminated}");
    bad("{\"a\":\"\\");
    bad("{\"a\":\"\xff\xfe\"}");
    bad("{\"a\":\"\xc0\x80\"}");              /* overlong NUL */
    bad("{\"a\":\"\xc1\xbf\"}");              /* overlong */
    bad("{\"a\":\"\xe0\x80\xaf\"}");          /* overlong */
    bad("{\"a\":\"\xed\xa0\x80\"}");          /* an encoded surrogate */
    bad("{\"a\":\"\xf4\x90\x80\x80\"}");      /* past U+10FFFF */
    bad("{\"a\":\"\xf5\x80\x80\x80\"}");
    bad("{\"a\":\"\xc3\"}");                  /* truncated sequence */
    bad("{\"a\":\"\xe2\x82\"}");
    bad("{\"a\":\"\x80\"}");                  /* a lone continuation byte */
    bad("{\"\xff\":1}");
}

static void test_duplicates_and_depth(void **state)
{
    (void)state;
    bad("{\"a\":1,\"a\":2}");
    bad("{\"a\":1,\"b\":2,\"a\":3}");
    bad("{\"\\u00e9\":1,\"\xc3\xa9\":2}");   /* the same name, escaped and not */
    bad("{\"a\":1,\"\\u0061\":2}");
    bad("{\"x\":{\"b\":1,\"b\":2}}");         /* nested: jansson refuses them too */
    bad("{\"x\":[{\"b\":1},{\"c\":1,\"c\":1}]}");
    ok("{\"x\":{\"a\":1},\"y\":{\"a\":1},\"a\":{\"a\":{\"a\":1}}}");   /* same names, other objects */
    ok("{\"a\":1,\"A\":2,\"a \":3,\"\":4}");

    /* jansson's limit: the value at depth 2048 (the top object is 1) is the last allowed */
    for (int n = 2046; n <= 2049; n++) {
        size_t len = 6 + 2 * (size_t)n + 4;
        char *t = malloc(len + 1), *p = t;
        p += sprintf(p, "{\"a\":");
        for (int i = 0; i < n - 1; i++)
            *p++ = '[';
        for (int i = 0; i < n - 1; i++)
            *p++ = ']';
        *p++ = '}';
        check(t, (size_t)(p - t), n <= 2048);
        free(t);
    }
}

static void test_members(void **state)
{
    (void)state;
    const char *text = "{ \"iss\" : \"https://env\", \"exp\":1700000000, \"nbf\":-12.5e1,"
                       "\"aud\":[\"a\",\"b\"], \"x\":{\"exp\":\"inner\"}, \"t\":true, \"f\":false,"
                       "\"n\":null, \"k\\u00e9y\":\"v\\u00e9\\n\" }";
    skit_json_scan scan;
    assert_int_equal(skit_json_scan_object(&scan, text, strlen(text)), SCALEKIT_OK);
    assert_int_equal(scan.count, 9);
    const skit_json_member *m = skit_json_scan_get(&scan, "iss");
    assert_non_null(m);
    assert_int_equal(m->kind, SKIT_JSON_STRING);
    assert_int_equal(m->value_len, strlen("\"https://env\""));
    assert_memory_equal(m->value, "\"https://env\"", m->value_len);
    double d = 0;
    assert_true(skit_json_member_number(skit_json_scan_get(&scan, "exp"), &d));
    assert_true(d == 1700000000.0);
    m = skit_json_scan_get(&scan, "nbf");
    assert_int_equal(m->kind, SKIT_JSON_REAL);
    assert_true(skit_json_member_number(m, &d));
    assert_true(d == -125.0);
    m = skit_json_scan_get(&scan, "aud");
    assert_int_equal(m->kind, SKIT_JSON_ARRAY);
    assert_memory_equal(m->value, "[\"a\",\"b\"]", m->value_len);
    m = skit_json_scan_get(&scan, "x");
    assert_int_equal(m->kind, SKIT_JSON_OBJECT);
    assert_false(skit_json_member_number(m, &d));
    assert_memory_equal(m->value, "{\"exp\":\"inner\"}", m->value_len);
    assert_int_equal(skit_json_scan_get(&scan, "t")->kind, SKIT_JSON_TRUE);
    assert_int_equal(skit_json_scan_get(&scan, "f")->kind, SKIT_JSON_FALSE);
    assert_int_equal(skit_json_scan_get(&scan, "n")->kind, SKIT_JSON_NULL);
    m = skit_json_scan_get(&scan, "k\xc3\xa9y");   /* found by its decoded name */
    assert_non_null(m);
    char out[32];
    assert_int_equal(skit_json_unescape(m->value + 1, m->value_len - 2, out), 4);
    assert_string_equal(out, "v\xc3\xa9\n");
    assert_null(skit_json_scan_get(&scan, "missing"));
    assert_null(skit_json_scan_get(&scan, "ex"));
    skit_json_scan_free(&scan);
    skit_json_scan_free(&scan);   /* twice is harmless */

    assert_int_equal(skit_json_unescape("\\uD83D\\uDE00\\/\\\"", 16, out), 6);
    assert_memory_equal(out, "\xf0\x9f\x98\x80/\"", 6);

    /* an array at the top is JSON but leaves no member; the object form refuses it */
    assert_int_equal(skit_json_scan_text(&scan, "[{\"a\":1}]", 9), SCALEKIT_OK);
    assert_int_equal(scan.count, 0);
    skit_json_scan_free(&scan);
    assert_int_equal(skit_json_scan_object(&scan, "[{\"a\":1}]", 9), SCALEKIT_EINVAL);
    assert_int_equal(scan.error_offset, 0);
    skit_json_scan_free(&scan);
}

/* More members than the inline stack, many escaped names: the heap paths. */
static void test_many_members(void **state)
{
    (void)state;
    skit_buf b = SKIT_BUF_INIT;
    skit_buf_puts(&b, "{");
    for (int i = 0; i < 500; i++)
        skit_buf_printf(&b, "%s\"\\u006b%d\":{\"in\":%d}", i ? "," : "", i, i);
    skit_buf_puts(&b, "}");
    skit_json_scan scan;
    assert_int_equal(skit_json_scan_object(&scan, b.ptr, b.len), SCALEKIT_OK);
    assert_int_equal(scan.count, 500);
    const skit_json_member *m = skit_json_scan_get(&scan, "k377");
    assert_non_null(m);
    assert_memory_equal(m->value, "{\"in\":377}", m->value_len);
    skit_json_scan_free(&scan);
    /* the same with the last name repeating the first, unescaped */
    b.len--;
    skit_buf_puts(&b, ",\"k0\":1}");
    check(b.ptr, b.len, false);
    skit_buf_free(&b);
}

/* Through the validation path: a signed payload the scanner refuses is malformed,
 * whether or not claims are read; the claims of an accepted one are all there. */
static void test_validation_path(void **state)
{
    (void)state;
    skit_signing_key *key = jt_key("RS256", "k1");
    skit_signing_key *keys[] = {key, NULL};
    scalekit_client *client = jt_client_with_keys(keys, NULL);
    long long now = (long long)skit_now();
    char payload[256], *t;
    const char *refused[] = {
        "{\"exp\":%lld,\"x\":{\"d\":1,\"d\":2}}",
        "{\"exp\":%lld,\"x\":\"\\ud800\"}",
        "{\"exp\":%lld,\"x\":1e999}",
        "{\"exp\":%lld,\"x\":99999999999999999999}",
        "{\"exp\":%lld} ,",
        "{\"exp\":%lld,\"exp\":1}",
    };
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        snprintf(payload, sizeof payload, refused[i], now + 600);
        t = NULL;   /* signed as is: jt_sign would parse (and refuse) the text */
        assert_int_equal(skit_jws_sign_raw(key, "{\"alg\":\"RS256\",\"kid\":\"k1\"}", payload, &t),
                         SCALEKIT_OK);
        assert_int_equal(scalekit_validate_token(client, t, NULL, NULL), SCALEKIT_ETOKEN_MALFORMED);
        scalekit_claims *c = NULL;
        assert_int_equal(scalekit_validate_token(client, t, NULL, &c), SCALEKIT_ETOKEN_MALFORMED);
        assert_null(c);
        free(t);
    }
    /* exp as a real, and a header kid with an escape */
    snprintf(payload, sizeof payload, "{\"exp\":%lld.5,\"sub\":\"u\\u00e9\"}", now + 600);
    char *raw = NULL;
    assert_int_equal(skit_jws_sign_raw(key, "{\"alg\":\"RS256\",\"kid\":\"\\u006b1\"}", payload, &raw),
                     SCALEKIT_OK);
    scalekit_claims *c = NULL;
    assert_int_equal(scalekit_validate_token(client, raw, NULL, &c), SCALEKIT_OK);
    assert_string_equal(scalekit_claims_subject(c), "u\xc3\xa9");
    assert_int_equal(scalekit_claims_expires_at(c), now + 600);
    scalekit_claims_free(c);
    free(raw);
    /* an expired real exp is still expired */
    snprintf(payload, sizeof payload, "{\"exp\":%lld.5}", now - 600);
    t = jt_sign(key, payload);
    assert_int_equal(scalekit_validate_token(client, t, NULL, NULL), SCALEKIT_ETOKEN_EXPIRED);
    free(t);
    /* a forged payload fails on its signature before its JSON is looked at */
    t = jt_token(key, NULL);
    char *dot = strchr(t, '.');
    char *bogus = malloc(strlen(t) + 8);
    sprintf(bogus, "%.*s.%s%s", (int)(dot - t), t, "e30", strrchr(t, '.'));   /* "{}" */
    assert_int_equal(scalekit_validate_token(client, bogus, NULL, NULL), SCALEKIT_ETOKEN_SIGNATURE);
    sprintf(bogus, "%.*s.%s%s", (int)(dot - t), t, "bm90IGpzb24", strrchr(t, '.'));  /* "not json" */
    assert_int_equal(scalekit_validate_token(client, bogus, NULL, NULL), SCALEKIT_ETOKEN_SIGNATURE);
    free(bogus);
    free(t);
    scalekit_client_free(client);
    skit_signing_key_free(key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grammar),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_duplicates_and_depth),
        cmocka_unit_test(test_members),
        cmocka_unit_test(test_many_members),
        cmocka_unit_test(test_validation_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
