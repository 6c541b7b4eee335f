/*
 * The emulator's SCIM filter and PATCH path parser (emulator/scim_path.c,
 * scim_match.c) called directly: attribute paths with and without schema URNs,
 * value paths, refusals that explain themselves, and the comparison rules of
 * RFC 7644 section 3.4.2.2 (case-exactness per attribute, multi-valued
 * attributes, pr, null, numbers, escapes, precedence of and over or).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scim_path.h"

#define ENTERPRISE "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

static json_t *resource;

static int setup(void **state)
{
    resource = json_loads(
        "{\"id\":\"diruser_1\",\"userName\":\"Bjensen\",\"externalId\":\"Ext-1\",\"active\":true,\"title\":\"\","
        "\"nickName\":\"a\\\"b\",\"name\":{\"givenName\":\"Barbara\"},\"loginCount\":3,"
        "\"emails\":[{\"type\":\"work\",\"value\":\"bjensen@example.com\"},{\"type\":\"home\",\"value\":\"babs@jensen.org\"}],"
        "\"members\":[{\"value\":\"Abc\"}],"
        "\"" ENTERPRISE "\":{\"department\":\"Tours\"}}", 0, NULL);
    return resource ? 0 : -1;
}

static int teardown(void **state)
{
    json_decref(resource);
    return 0;
}

static void attribute_paths(void **state)
{
    scim_attr a;
    const char *core = "urn:ietf:params:scim:schemas:core:2.0:User:name.givenName";
    assert_true(scim_attr_parse(core, strlen(core), &a));
    assert_string_equal(a.urn, "");   /* the core schema's URN is the resource itself */
    assert_string_equal(a.name, "name");
    assert_string_equal(a.sub, "givenName");
    const char *manager = ENTERPRISE ":manager.value";
    assert_true(scim_attr_parse(manager, strlen(manager), &a));
    assert_string_equal(a.urn, ENTERPRISE);
    assert_string_equal(a.name, "manager");
    assert_string_equal(a.sub, "value");
    /* The extension's whole object. */
    assert_true(scim_attr_parse(ENTERPRISE, strlen(ENTERPRISE), &a));
    assert_string_equal(a.name, ENTERPRISE);
    assert_true(scim_attr_parse("members.$ref", 12, &a));
    assert_string_equal(a.sub, "$ref");
    static const char *const bad[] = {"", "1abc", "name..x", "name.", "a b", "urn:", "urn:x:", "na:me", "name.given.x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (scim_attr_parse(bad[i], strlen(bad[i]), &a))
            fail_msg("\"%s\" parsed as an attribute path", bad[i]);
}

static void patch_paths(void **state)
{
    scim_path p;
    char why[200];
    assert_int_equal(scim_path_parse("members[value eq \"2819c223\"]", &p, why, sizeof why), 0);
    assert_string_equal(p.attr.name, "members");
    const char *sub, *value;
    assert_true(scim_filter_simple_eq(p.filter, &sub, &value));
    assert_string_equal(sub, "value");
    assert_string_equal(value, "2819c223");
    scim_path_free(&p);
    assert_int_equal(scim_path_parse("emails[type eq \"work\"].value", &p, why, sizeof why), 0);
    assert_string_equal(p.attr.sub, "value");
    assert_true(scim_filter_match(p.filter, json_array_get(json_object_get(resource, "emails"), 0)));
    assert_false(scim_filter_match(p.filter, json_array_get(json_object_get(resource, "emails"), 1)));
    scim_path_free(&p);
    assert_int_equal(scim_path_parse("emails[type eq \"work\" and value ew \".com\"]", &p, why, sizeof why), 0);
    assert_false(scim_filter_simple_eq(p.filter, &sub, &value));
    scim_path_free(&p);

    static const struct { const char *path, *why; } bad[] = {
        {"", "empty"},
        {"emails[type eq \"work\"", "expected ']'"},
        {"emails[type eq \"work\"]x", "unexpected text after ']'"},
        {"emails[]", "expected an attribute name"},
        {"name.givenName[type eq \"x\"]", "invalid attribute path"},
        {"emails[type zz \"work\"]", "comparison operator"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (scim_path_parse(bad[i].path, &p, why, sizeof why) == 0)
            fail_msg("\"%s\" parsed as a path", bad[i].path);
        if (!strstr(why, bad[i].why))
            fail_msg("\"%s\": \"%s\" does not say \"%s\"", bad[i].path, why, bad[i].why);
        assert_null(p.filter);
    }
}

/* Whether @p text parses and matches the sample resource. */
static bool matches(const char *text)
{
    scim_filter *f = NULL;
    char why[200];
    if (scim_filter_parse(text, &f, why, sizeof why) != 0)
        fail_msg("filter %s refused: %s", text, why);
    bool m = scim_filter_match(f, resource);
    scim_filter_free(f);
    return m;
}

static void comparisons(void **state)
{
    /* userName is case-insensitive; id and externalId are case-exact (RFC 7643). */
    assert_true(matches("userName eq \"BJENSEN\""));
    assert_true(matches("USERNAME Eq \"bjensen\""));   /* names and operators in any case */
    assert_true(matches("externalId eq \"Ext-1\""));
    assert_false(matches("externalId eq \"ext-1\""));
    assert_false(matches("id eq \"DIRUSER_1\""));
    assert_true(matches("members.value eq \"Abc\""));
    assert_false(matches("members.value eq \"abc\""));
    /* Multi-valued: one value matching is enough; ne means no value equals. */
    assert_true(matches("emails.value eq \"babs@jensen.org\""));
    assert_true(matches("emails eq \"BABS@jensen.org\""));     /* a complex value compares its value */
    assert_false(matches("emails.value ne \"babs@jensen.org\""));
    assert_true(matches("emails.value ne \"nobody@example.com\""));
    assert_true(matches("emails.type co \"om\" and emails.value sw \"BJ\""));
    assert_true(matches("emails[type eq \"home\" and value ew \".org\"]"));
    assert_false(matches("emails[type eq \"home\" and value ew \".com\"]"));
    /* pr: present and not empty; null: absent. */
    assert_true(matches("name.givenName pr"));
    assert_false(matches("title pr"));
    assert_false(matches("nickName eq null"));
    assert_true(matches("profileUrl eq null"));
    /* Booleans and numbers by type; a string never equals a number. */
    assert_true(matches("active eq true"));
    assert_false(matches("active eq false"));
    assert_true(matches("loginCount gt 2 and loginCount le 3"));
    assert_false(matches("loginCount eq \"3\""));
    /* A quoted value's escapes. */
    assert_true(matches("nickName eq \"a\\\"b\""));
    /* Extension attributes by their URN. */
    assert_true(matches(ENTERPRISE ":department eq \"tours\""));
    /* and binds tighter than or; not and parentheses. */
    assert_true(matches("userName eq \"x\" and active eq true or title eq \"\""));
    assert_false(matches("userName eq \"x\" and (active eq true or title eq \"\")"));
    assert_true(matches("not (userName eq \"x\")"));
    assert_false(matches("not(userName eq \"bjensen\")"));
}

static void refused_filters_say_why(void **state)
{
    static const struct { const char *text, *why; } bad[] = {
        {"", "empty"},
        {"userName eq", "missing comparison value"},
        {"userName", "comparison operator"},
        {"userName eq \"a\" and", "ends early"},
        {"userName eq \"a\" xor title pr", "unexpected text"},
        {"userName eq bjensen", "quoted string"},
        {"not userName pr", "expected '(' after not"},
        {"userName eq \"a", "missing comparison value"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        scim_filter *f = NULL;
        char why[200];
        if (scim_filter_parse(bad[i].text, &f, why, sizeof why) == 0)
            fail_msg("filter \"%s\" parsed", bad[i].text);
        assert_null(f);
        if (!strstr(why, bad[i].why))
            fail_msg("\"%s\": \"%s\" does not say \"%s\"", bad[i].text, why, bad[i].why);
    }
    /* The limits: nesting and length. */
    char deep[200] = "", longer[SCIM_FILTER_MAX_LEN + 16];
    for (int i = 0; i < SCIM_FILTER_MAX_DEPTH + 1; i++)
        strcat(deep, "(");
    strcat(deep, "title pr");
    for (int i = 0; i < SCIM_FILTER_MAX_DEPTH + 1; i++)
        strcat(deep, ")");
    scim_filter *f = NULL;
    char why[200];
    assert_int_equal(scim_filter_parse(deep, &f, why, sizeof why), -1);
    assert_non_null(strstr(why, "nests deeper"));
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_int_equal(scim_filter_parse(longer, &f, why, sizeof why), -1);
    assert_non_null(strstr(why, "longer than"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(attribute_paths),
        cmocka_unit_test(patch_paths),
        cmocka_unit_test(comparisons),
        cmocka_unit_test(refused_filters_say_why),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
