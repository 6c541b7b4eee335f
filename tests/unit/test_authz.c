/* The authorization helpers (scalekit/authz.h) and the authorization options of
 * scalekit_validate_token, on signed tokens: exact matches, and hostile claims
 * (a string for the array, non-strings in it, 100,000 entries, case variants,
 * embedded NULs, duplicate members, a foreign organization) that must never grant. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"
#include "jose_testkit.h"
#include "scalekit/authz.h"

typedef jt_fixture fixture;

static int setup(void **state)
{
    scalekit_client_options o = SCALEKIT_CLIENT_OPTIONS_INIT;
    o.max_token_bytes = 8u << 20;   /* room for the 100,000-entry claims */
    return jt_fixture_setup_with(state, &o);
}

/* Validated claims of a token with the standard claims plus @p extra. */
static scalekit_claims *claims_of(fixture *f, const char *extra)
{
    char *t = jt_token(f->key, extra);
    scalekit_claims *c = NULL;
    assert_int_equal(scalekit_validate_token(f->client, t, NULL, &c), SCALEKIT_OK);
    free(t);
    return c;
}

static scalekit_access_token_claims *access_claims_of(fixture *f, const char *extra)
{
    char *t = jt_token(f->key, extra);
    scalekit_access_token_claims *c = NULL;
    assert_int_equal(scalekit_get_access_token_claims(f->client, t, &c), SCALEKIT_OK);
    free(t);
    return c;
}

static int validate_with(fixture *f, const char *extra, const scalekit_validate_options *o)
{
    char *t = jt_token(f->key, extra);
    int rc = scalekit_validate_token(f->client, t, o, NULL);
    free(t);
    return rc;
}

#define MEMBER "{\"oid\":\"org_1\",\"roles\":[\"admin\",\"member\"],\"permissions\":[\"read:content\",\"write:content\",\"users:read\"]}"

static void helpers_grant_exact_names(void **state)
{
    fixture *f = *state;
    scalekit_claims *c = claims_of(f, MEMBER);
    assert_true(scalekit_claims_has_role(c, "admin"));
    assert_true(scalekit_claims_has_role(c, "member"));
    assert_false(scalekit_claims_has_role(c, "owner"));
    assert_false(scalekit_claims_has_role(c, "read:content"));      /* a permission is no role */
    assert_true(scalekit_claims_has_permission(c, "write:content"));
    assert_false(scalekit_claims_has_permission(c, "admin"));        /* a role is no permission */
    assert_false(scalekit_claims_has_permission(c, "read"));         /* no prefix match */
    assert_false(scalekit_claims_has_permission(c, "read:content:x"));
    assert_false(scalekit_claims_has_permission(c, "read:content "));
    const char *three[] = { "read:content", "users:read", "write:content", NULL };
    const char *four[] = { "read:content", "users:read", "write:content", "billing:read", NULL };
    const char *none[] = { NULL };
    const char *with_empty[] = { "read:content", "", NULL };
    assert_true(scalekit_claims_has_all_permissions(c, three));
    assert_false(scalekit_claims_has_all_permissions(c, four));
    assert_true(scalekit_claims_has_all_permissions(c, none));
    assert_false(scalekit_claims_has_all_permissions(c, with_empty));
    assert_false(scalekit_claims_has_all_permissions(c, NULL));
    assert_true(scalekit_claims_is_for_organization(c, "org_1"));
    assert_false(scalekit_claims_is_for_organization(c, "org_2"));
    assert_false(scalekit_claims_is_for_organization(c, "org_"));
    assert_false(scalekit_claims_is_for_organization(c, ""));
    assert_false(scalekit_claims_is_for_organization(c, NULL));
    /* NULL and empty names, NULL claims: never granted, never a crash. */
    assert_false(scalekit_claims_has_role(c, NULL));
    assert_false(scalekit_claims_has_role(c, ""));
    assert_false(scalekit_claims_has_permission(c, ""));
    assert_false(scalekit_claims_has_role(NULL, "admin"));
    assert_false(scalekit_claims_has_permission(NULL, "read:content"));
    assert_false(scalekit_claims_has_all_permissions(NULL, none));
    assert_false(scalekit_claims_is_for_organization(NULL, "org_1"));
    scalekit_claims_free(c);

    scalekit_access_token_claims *a = access_claims_of(f, MEMBER);
    assert_true(scalekit_access_token_claims_has_role(a, "admin"));
    assert_false(scalekit_access_token_claims_has_role(a, "Admin"));
    assert_true(scalekit_access_token_claims_has_permission(a, "users:read"));
    assert_false(scalekit_access_token_claims_has_permission(a, "users"));
    assert_false(scalekit_access_token_claims_has_permission(a, ""));
    assert_true(scalekit_access_token_claims_has_all_permissions(a, three));
    assert_false(scalekit_access_token_claims_has_all_permissions(a, four));
    assert_false(scalekit_access_token_claims_has_all_permissions(a, NULL));
    assert_true(scalekit_access_token_claims_is_for_organization(a, "org_1"));
    assert_false(scalekit_access_token_claims_is_for_organization(a, "ORG_1"));
    assert_false(scalekit_access_token_claims_is_for_organization(a, ""));
    assert_false(scalekit_access_token_claims_has_role(NULL, "admin"));
    assert_false(scalekit_access_token_claims_has_permission(NULL, "users:read"));
    assert_false(scalekit_access_token_claims_is_for_organization(NULL, "org_1"));
    scalekit_access_token_claims_free(a);
}

/* Case variants, a string for the array, non-strings in the array, objects, wrong-typed oid. */
static void hostile_shapes_grant_nothing(void **state)
{
    fixture *f = *state;
    const char *cases[] = {
        "{\"roles\":[\"Admin\",\"ADMIN\"],\"permissions\":[\"Read:Content\",\"READ:CONTENT\"]}",
        "{\"roles\":\"admin\",\"permissions\":\"read:content\"}",
        "{\"roles\":{\"admin\":true},\"permissions\":{\"read:content\":\"read:content\"}}",
        ("{\"roles\":[[\"admin\"],{\"name\":\"admin\"},1,null,true],"
         "\"permissions\":[[\"read:content\"],{\"name\":\"read:content\"},7,null,false]}"),
        "{\"roles\":\"admin member\",\"permissions\":\"read:content write:content\"}",
        "{\"roles\":null,\"permissions\":42,\"oid\":[\"org_1\"]}",
        "{\"role\":[\"admin\"],\"permission\":[\"read:content\"],\"scope\":\"admin read:content\"}",
    };
    const char *one[] = { "read:content", NULL };
    const char *admin[] = { "admin", NULL };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        scalekit_claims *c = claims_of(f, cases[i]);
        assert_false(scalekit_claims_has_role(c, "admin"));
        assert_false(scalekit_claims_has_permission(c, "read:content"));
        assert_false(scalekit_claims_has_all_permissions(c, one));
        assert_false(scalekit_claims_is_for_organization(c, "org_1"));
        scalekit_claims_free(c);
        scalekit_access_token_claims *a = access_claims_of(f, cases[i]);
        assert_false(scalekit_access_token_claims_has_role(a, "admin"));
        assert_false(scalekit_access_token_claims_has_permission(a, "read:content"));
        assert_false(scalekit_access_token_claims_is_for_organization(a, "org_1"));
        scalekit_access_token_claims_free(a);

        scalekit_validate_options o = SCALEKIT_VALIDATE_OPTIONS_INIT;
        o.required_permissions = one;
        assert_int_equal(validate_with(f, cases[i], &o), SCALEKIT_ETOKEN_FORBIDDEN);
        o.required_permissions = NULL;
        o.required_roles = admin;
        assert_int_equal(validate_with(f, cases[i], &o), SCALEKIT_ETOKEN_FORBIDDEN);
        o.required_roles = NULL;
        o.required_organization_id = "org_1";
        assert_int_equal(validate_with(f, cases[i], &o), SCALEKIT_ETOKEN_FORBIDDEN);
    }
    /* Non-strings are skipped, the strings beside them still count. */
    scalekit_claims *c = claims_of(f, "{\"permissions\":[1,{\"a\":\"b\"},\"read:content\",null]}");
    assert_true(scalekit_claims_has_permission(c, "read:content"));
    scalekit_claims_free(c);
    scalekit_access_token_claims *a = access_claims_of(f, "{\"permissions\":[1,{\"a\":\"b\"},\"read:content\",null]}");
    assert_string_equal(a->permissions[0], "read:content");
    assert_null(a->permissions[1]);
    scalekit_access_token_claims_free(a);
}

/* "admin\u0000x" must never read as "admin": the claims refuse the payload outright. */
static void embedded_nul_never_matches(void **state)
{
    fixture *f = *state;
    json_t *p = json_pack("{s:s, s:s, s:I, s:I, s:[o], s:[o], s:o}", "sub", "user_1", "iss", "https://env",
                          "iat", (json_int_t)skit_now(), "exp", (json_int_t)(skit_now() + 3600),
                          "roles", json_stringn("admin\0x", 7), "permissions", json_stringn("read:content\0", 13),
                          "oid", json_stringn("org_1\0evil", 10));
    char *t = NULL;
    assert_int_equal(skit_jwt_sign(f->key, p, &t), SCALEKIT_OK);
    json_decref(p);
    assert_non_null(strstr(t, "."));
    const char *one[] = { "read:content", NULL };
    const char *admin[] = { "admin", NULL };
    scalekit_validate_options o = SCALEKIT_VALIDATE_OPTIONS_INIT;
    o.required_permissions = one;
    int rc = scalekit_validate_token(f->client, t, &o, NULL);
    assert_int_equal(rc, SCALEKIT_ETOKEN_MALFORMED);
    o.required_permissions = NULL;
    o.required_roles = admin;
    rc = scalekit_validate_token(f->client, t, &o, NULL);
    assert_int_equal(rc, SCALEKIT_ETOKEN_MALFORMED);
    o.required_roles = NULL;
    o.required_organization_id = "org_1";
    rc = scalekit_validate_token(f->client, t, &o, NULL);
    assert_int_equal(rc, SCALEKIT_ETOKEN_MALFORMED);
    /* The signature is good; the payload is refused however it is read. */
    assert_int_equal(scalekit_validate_token(f->client, t, NULL, NULL), SCALEKIT_ETOKEN_MALFORMED);
    scalekit_claims *c = (scalekit_claims *)&c;
    assert_int_equal(scalekit_validate_token(f->client, t, NULL, &c), SCALEKIT_ETOKEN_MALFORMED);
    assert_null(c);
    scalekit_access_token_claims *a = (scalekit_access_token_claims *)&a;
    assert_int_equal(scalekit_get_access_token_claims(f->client, t, &a), SCALEKIT_ETOKEN_MALFORMED);
    assert_null(a);
    free(t);
}

/* Two "permissions" members: whichever a parser keeps, the token is refused, not read two ways. */
static void duplicate_members_are_refused(void **state)
{
    fixture *f = *state;
    char payload[256];
    snprintf(payload, sizeof payload,
             "{\"sub\":\"u\",\"exp\":%lld,\"permissions\":[],\"permissions\":[\"read:content\"]}",
             (long long)skit_now() + 3600);
    char *t = NULL;
    assert_int_equal(skit_jws_sign_raw(f->key, "{\"alg\":\"RS256\",\"kid\":\"k1\"}", payload, &t), SCALEKIT_OK);
    const char *one[] = { "read:content", NULL };
    scalekit_validate_options o = SCALEKIT_VALIDATE_OPTIONS_INIT;
    o.required_permissions = one;
    assert_int_equal(scalekit_validate_token(f->client, t, &o, NULL), SCALEKIT_ETOKEN_MALFORMED);
    free(t);
}

/* 100,000 permissions: the one at the end is found, a missing one is not, nothing crashes;
 * with the default size limit the token is refused unparsed. */
static void very_long_lists(void **state)
{
    fixture *f = *state;
    size_t n = 100000;
    json_t *perms = json_array();
    for (size_t i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "perm:%zu", i);
        json_array_append_new(perms, json_string(name));
    }
    json_t *p = json_pack("{s:s, s:I, s:I, s:o, s:[s]}", "sub", "user_1", "iat", (json_int_t)skit_now(),
                          "exp", (json_int_t)(skit_now() + 3600), "permissions", perms, "roles", "member");
    char *t = NULL;
    assert_int_equal(skit_jwt_sign(f->key, p, &t), SCALEKIT_OK);
    json_decref(p);
    scalekit_claims *c = NULL;
    assert_int_equal(scalekit_validate_token(f->client, t, NULL, &c), SCALEKIT_OK);
    assert_true(scalekit_claims_has_permission(c, "perm:99999"));
    assert_true(scalekit_claims_has_permission(c, "perm:0"));
    assert_false(scalekit_claims_has_permission(c, "perm:100000"));
    assert_false(scalekit_claims_has_permission(c, "PERM:1"));
    const char *want[] = { "perm:1", "perm:50000", "perm:99999", NULL };
    const char *want_missing[] = { "perm:1", "perm:-1", NULL };
    assert_true(scalekit_claims_has_all_permissions(c, want));
    assert_false(scalekit_claims_has_all_permissions(c, want_missing));
    scalekit_claims_free(c);
    scalekit_validate_options o = SCALEKIT_VALIDATE_OPTIONS_INIT;
    o.required_permissions = want;
    assert_int_equal(scalekit_validate_token(f->client, t, &o, NULL), SCALEKIT_OK);
    o.required_permissions = want_missing;
    assert_int_equal(scalekit_validate_token(f->client, t, &o, NULL), SCALEKIT_ETOKEN_FORBIDDEN);
    assert_string_equal(scalekit_error_last()->message, "token lacks the required permission \"perm:-1\"");
    scalekit_access_token_claims *a = NULL;
    assert_int_equal(scalekit_get_access_token_claims(f->client, t, &a), SCALEKIT_OK);
    assert_string_equal(a->permissions[99999], "perm:99999");
    assert_null(a->permissions[100000]);
    assert_true(scalekit_access_token_claims_has_all_permissions(a, want));
    scalekit_access_token_claims_free(a);

    scalekit_client *strict = NULL;
    skit_signing_key *keys[] = { f->key, NULL };
    strict = jt_client_with_keys(keys, NULL);
    assert_int_equal(scalekit_validate_token(strict, t, &o, NULL), SCALEKIT_ETOKEN_TOO_LARGE);
    scalekit_client_free(strict);
    free(t);
}

static void options_refuse_in_one_call(void **state)
{
    fixture *f = *state;
    const char *perms[] = { "read:content", "users:read", NULL };
    const char *roles[] = { "member", NULL };
    scalekit_validate_options o = SCALEKIT_VALIDATE_OPTIONS_INIT;
    o.required_permissions = perms;
    o.required_roles = roles;
    o.required_organization_id = "org_1";
    assert_int_equal(validate_with(f, MEMBER, &o), SCALEKIT_OK);
    assert_int_equal(scalekit_error_last()->code, SCALEKIT_OK);

    /* Each missing thing is named. */
    const char *more[] = { "read:content", "billing:write", NULL };
    o.required_permissions = more;
    assert_int_equal(validate_with(f, MEMBER, &o), SCALEKIT_ETOKEN_FORBIDDEN);
    assert_string_equal(scalekit_error_last()->message, "token lacks the required permission \"billing:write\"");
    assert_string_equal(scalekit_strerror(SCALEKIT_ETOKEN_FORBIDDEN),
                        "token lacks a required role, permission or organization");
    o.required_permissions = perms;
    const char *owner[] = { "member", "owner", NULL };
    o.required_roles = owner;
    assert_int_equal(validate_with(f, MEMBER, &o), SCALEKIT_ETOKEN_FORBIDDEN);
    assert_string_equal(scalekit_error_last()->message, "token lacks the required role \"owner\"");
    o.required_roles = roles;
    o.required_organization_id = "org_2";
    assert_int_equal(validate_with(f, MEMBER, &o), SCALEKIT_ETOKEN_FORBIDDEN);
    assert_string_equal(scalekit_error_last()->message, "token is for organization \"org_1\", not \"org_2\"");
    assert_int_equal(validate_with(f, "{\"roles\":[\"member\"]}", &o), SCALEKIT_ETOKEN_FORBIDDEN);
    assert_string_equal(scalekit_error_last()->message, "token is for organization \"(none)\", not \"org_2\"");

    /* A token that is not valid, or not ours, fails as such first (401 before 403). */
    o.required_organization_id = "org_1";
    assert_int_equal(validate_with(f, "{\"exp\":1000}", &o), SCALEKIT_ETOKEN_EXPIRED);
    o.issuer = "https://other";
    assert_int_equal(validate_with(f, "{}", &o), SCALEKIT_ETOKEN_CLAIM);
    o.issuer = NULL;

    /* An empty required name is the caller's mistake, refused before the token is looked at. */
    const char *empty[] = { "read:content", "", NULL };
    o.required_permissions = empty;
    assert_int_equal(scalekit_validate_token(f->client, "not.a.token", &o, NULL), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "required_permissions[1] must not be empty");
    o.required_permissions = perms;
    const char *bad_utf8[] = { "\xc3(", NULL };
    o.required_roles = bad_utf8;
    assert_int_equal(scalekit_validate_token(f->client, "not.a.token", &o, NULL), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "required_roles is not valid UTF-8");

    /* With claims handed out, the claims answer the same as the options. */
    o.required_roles = roles;
    char *t = jt_token(f->key, MEMBER);
    scalekit_claims *c = NULL;
    assert_int_equal(scalekit_validate_token(f->client, t, &o, &c), SCALEKIT_OK);
    assert_true(scalekit_claims_has_all_permissions(c, perms));
    scalekit_claims_free(c);
    /* The same token again comes from the verified-token cache and is checked again. */
    o.required_permissions = more;
    assert_int_equal(scalekit_validate_token(f->client, t, &o, &c), SCALEKIT_ETOKEN_FORBIDDEN);
    assert_null(c);
    free(t);
}

/* A program built before the authorization members: its struct ends at leeway_seconds,
 * and what follows in its memory (poison here) is never read. */
static void older_options_struct_is_honoured(void **state)
{
    fixture *f = *state;
    size_t old_size = offsetof(scalekit_validate_options, required_permissions);
    unsigned char *mem = malloc(sizeof(scalekit_validate_options));
    memset(mem, 0xA5, sizeof(scalekit_validate_options));
    scalekit_validate_options old;
    memset(&old, 0, sizeof old);
    old.struct_size = old_size;
    old.issuer = "https://env";
    memcpy(mem, &old, old_size);
    assert_int_equal(validate_with(f, MEMBER, (const scalekit_validate_options *)mem), SCALEKIT_OK);
    free(mem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(helpers_grant_exact_names),
        cmocka_unit_test(hostile_shapes_grant_nothing),
        cmocka_unit_test(embedded_nul_never_matches),
        cmocka_unit_test(duplicate_members_are_refused),
        cmocka_unit_test(very_long_lists),
        cmocka_unit_test(options_refuse_in_one_call),
        cmocka_unit_test(older_options_struct_is_honoured),
    };
    return cmocka_run_group_tests(tests, setup, jt_fixture_teardown);
}
