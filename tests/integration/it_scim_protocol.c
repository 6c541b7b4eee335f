/*
 * SCIM 2.0 as RFC 7644 describes it, over raw HTTP against the in-process
 * emulator: the RFC's own request examples (sections 3.3, 3.5.1, 3.5.2), meta
 * and ETags, If-Match, filters, paging edges, attribute selection, every
 * refusal with its scimType, bearer authentication, a disabled directory, and
 * the discovery endpoints. Needs the emulator (directories are made in its store).
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
#include "scim_kit.h"
#include "environment.h"
#include "core/core.h"

#define USER_SCHEMA "\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"]"
#define GROUP_SCHEMA "\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"]"
#define PATCH_SCHEMA "\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"]"

/* RFC 7644 section 3.3's example user. */
static const char bjensen[] =
    "{" USER_SCHEMA ",\"userName\":\"bjensen\",\"externalId\":\"bjensen\",\"name\":{\"formatted\":"
    "\"Ms. Barbara J Jensen III\",\"familyName\":\"Jensen\",\"givenName\":\"Barbara\"}}";

static int setup(void **state)
{
    *state = emu_fixture_start(NULL, NULL);
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    emu_fixture_stop(*state);
    return 0;
}

static char *path_of(const char *endpoint, const char *id)
{
    char *p = malloc(256);
    assert_non_null(p);
    snprintf(p, 256, "/%s/%s", endpoint, id);
    return p;
}

static void rfc7644_user_lifecycle(void **state)
{
    scim_kit k;
    scim_kit_start(&k, *state, "Example Inc");
    emu_http_response resp;
    const char *headers[] = {"Content-Type: application/scim+json", NULL};
    assert_int_equal(scim_kit_call_as(&k, k.secret, headers, "POST", "/Users", bjensen, &resp), 201);
    json_t *user = emu_http_json(&resp);
    const char *id = json_string_value(json_object_get(user, "id"));
    assert_non_null(id);
    assert_true(strncmp(id, "diruser_", 8) == 0);
    char header[512], want[640];
    snprintf(want, sizeof want, "%s/Users/%s", k.base, id);
    assert_string_equal(emu_http_header(&resp, "Location", header, sizeof header), want);
    assert_string_equal(emu_http_header(&resp, "ETag", header, sizeof header), "W/\"1\"");
    json_t *meta = json_object_get(user, "meta");
    assert_string_equal(json_string_value(json_object_get(meta, "resourceType")), "User");
    assert_string_equal(json_string_value(json_object_get(meta, "location")), want);
    assert_string_equal(json_string_value(json_object_get(meta, "version")), "W/\"1\"");
    int64_t t;
    assert_true(skit_parse_rfc3339(json_string_value(json_object_get(meta, "created")), &t));
    assert_true(skit_parse_rfc3339(json_string_value(json_object_get(meta, "lastModified")), &t));
    assert_string_equal(json_string_value(json_object_get(json_object_get(user, "name"), "givenName")), "Barbara");
    assert_true(json_is_true(json_object_get(user, "active")));
    assert_int_equal(json_array_size(json_object_get(user, "groups")), 0);
    emu_http_response_free(&resp);

    char *path = path_of("Users", id);
    json_t *got = NULL;
    assert_int_equal(scim_kit_call(&k, "GET", path, NULL, &got), 200);
    assert_string_equal(json_string_value(json_object_get(got, "userName")), "bjensen");
    assert_string_equal(json_string_value(json_object_get(got, "externalId")), "bjensen");
    json_decref(got);

    /* RFC 7644 section 3.5.1: PUT replaces the whole resource. */
    const char *replace = "{" USER_SCHEMA ",\"id\":\"ignored\",\"userName\":\"bjensen\",\"externalId\":\"bjensen\","
                          "\"name\":{\"formatted\":\"Ms. Barbara J Jensen III\",\"familyName\":\"Jensen\","
                          "\"givenName\":\"Barbara\",\"middleName\":\"Jane\"},\"roles\":[],\"emails\":[{\"value\":"
                          "\"bjensen@example.com\"},{\"value\":\"babs@jensen.org\"}]}";
    assert_int_equal(scim_kit_call(&k, "PUT", path, replace, &got), 200);
    assert_string_equal(json_string_value(json_object_get(got, "id")), id);
    assert_string_equal(json_string_value(json_object_get(json_object_get(got, "meta"), "version")), "W/\"2\"");
    assert_string_equal(json_string_value(json_object_get(json_object_get(got, "name"), "middleName")), "Jane");
    assert_int_equal(json_array_size(json_object_get(got, "emails")), 2);
    json_decref(got);

    assert_int_equal(scim_kit_call_as(&k, k.secret, NULL, "DELETE", path, NULL, &resp), 204);
    assert_int_equal(resp.body_len, 0);
    emu_http_response_free(&resp);
    free(scim_kit_assert_error(&k, "GET", path, NULL, 404, NULL));
    free(scim_kit_assert_error(&k, "DELETE", path, NULL, 404, NULL));
    free(path);
    json_decref(user);
    scim_kit_stop(&k);
}

/* Create users whose userName, email and active vary, for filters and paging. */
static char *add_user(const scim_kit *k, const char *user_name, const char *external_id, const char *work_email,
                      bool active)
{
    char body[1024];
    snprintf(body, sizeof body,
             "{" USER_SCHEMA ",\"userName\":\"%s\",\"externalId\":\"%s\",\"active\":%s,\"displayName\":\"%s\","
             "\"emails\":[{\"type\":\"work\",\"value\":\"%s\",\"primary\":true},{\"type\":\"home\","
             "\"value\":\"home-%s\"}]}",
             user_name, external_id, active ? "true" : "false", user_name, work_email, work_email);
    return scim_kit_create(k, "/Users", body);
}

/* GET /Users?<query>: the ListResponse, checked for its schema and counts. */
static json_t *list(const scim_kit *k, const char *query, long total, long start, long items)
{
    char path[1024];
    snprintf(path, sizeof path, "/Users?%s", query);
    json_t *reply = NULL;
    long status = scim_kit_call(k, "GET", path, NULL, &reply);
    if (status != 200)
        fail_msg("GET %s answered %ld", path, status);
    assert_string_equal(json_string_value(json_array_get(json_object_get(reply, "schemas"), 0)),
                        "urn:ietf:params:scim:api:messages:2.0:ListResponse");
    if (json_integer_value(json_object_get(reply, "totalResults")) != total)
        fail_msg("GET %s: totalResults %lld, not %ld", path,
                 (long long)json_integer_value(json_object_get(reply, "totalResults")), total);
    assert_int_equal(json_integer_value(json_object_get(reply, "startIndex")), start);
    assert_int_equal(json_integer_value(json_object_get(reply, "itemsPerPage")), items);
    assert_int_equal(json_array_size(json_object_get(reply, "Resources")), items);
    return reply;
}

static const char *nth_user_name(const json_t *reply, size_t i)
{
    return json_string_value(json_object_get(json_array_get(json_object_get(reply, "Resources"), i), "userName"));
}

/* GET /Users?<query> finds exactly the user @p user_name. */
static void assert_finds(const scim_kit *k, const char *query, const char *user_name)
{
    json_t *r = list(k, query, 1, 1, 1);
    assert_string_equal(nth_user_name(r, 0), user_name);
    json_decref(r);
}

static void filters(void **state)
{
    scim_kit k;
    scim_kit_start(&k, *state, "Filters Inc");
    char *ids[4] = {
        add_user(&k, "ada@example.com", "EXT-ada", "ada@work.example", true),
        add_user(&k, "bob@example.com", "EXT-bob", "bob@work.example", false),
        add_user(&k, "alan@example.org", "EXT-alan", "alan@work.example", true),
        add_user(&k, "grace@example.org", "EXT-grace", "grace@work.example", true),
    };
    /* userName is caseExact false (RFC 7643 section 4.1.1); externalId is case-exact. */
    assert_finds(&k, "filter=userName%20eq%20%22ADA@EXAMPLE.COM%22", "ada@example.com");
    json_decref(list(&k, "filter=externalId%20eq%20%22ext-ada%22", 0, 1, 0));
    json_decref(list(&k, "filter=externalId%20eq%20%22EXT-ada%22", 1, 1, 1));
    assert_finds(&k, "filter=emails.value%20eq%20%22bob@work.example%22", "bob@example.com");
    assert_finds(&k, "filter=emails%5Btype%20eq%20%22work%22%20and%20value%20co%20%22grace%22%5D", "grace@example.org");
    assert_finds(&k, "filter=emails%5Btype%20eq%20%22work%22%5D.value%20eq%20%22alan@work.example%22", "alan@example.org");
    json_decref(list(&k, "filter=userName%20sw%20%22a%22%20and%20active%20eq%20true", 2, 1, 2));
    json_decref(list(&k, "filter=userName%20ew%20%22.org%22%20or%20active%20eq%20false", 3, 1, 3));
    json_decref(list(&k, "filter=not%20(userName%20sw%20%22a%22)", 2, 1, 2));
    json_decref(list(&k, "filter=displayName%20pr", 4, 1, 4));
    json_decref(list(&k, "filter=meta.lastModified%20gt%20%222000-01-01T00:00:00Z%22", 4, 1, 4));
    json_decref(list(&k, "filter=meta.resourceType%20eq%20%22User%22", 4, 1, 4));
    json_decref(list(&k, "filter=nickName%20eq%20%22nobody%22", 0, 1, 0));
    /* Entra's probe: a userName filter on an unknown value gives an empty ListResponse. */
    json_decref(list(&k, "filter=userName%20eq%20%22Test_User_00000000-0000-0000-0000-000000000000%22", 0, 1, 0));

    static const char *const bad[] = {
        "userName%20eq",                       /* no value */
        "userName%20xx%20%22a%22",             /* no such operator */
        "(userName%20eq%20%22a%22",            /* unbalanced */
        "userName%20eq%20%22a%22%20and",       /* ends early */
        "emails%5Btype%20eq%20%22work%22",     /* no ] */
        "userName%20eq%20%22unterminated",
        "userName%20eq%20%22a%22%20trailing",
        "1bad%20eq%20%22a%22",                 /* not an attribute name */
        "((((((((((((((((((userName%20pr))))))))))))))))))",   /* nests too deep */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "/Users?filter=%s", bad[i]);
        free(scim_kit_assert_error(&k, "GET", path, NULL, 400, "invalidFilter"));
    }
    /* Groups filter by displayName (Entra's and Okta's lookup before a create). */
    char *g = scim_kit_create(&k, "/Groups", "{" GROUP_SCHEMA ",\"displayName\":\"Engineering\"}");
    json_t *groups = NULL;
    assert_int_equal(scim_kit_call(&k, "GET", "/Groups?filter=displayName%20eq%20%22engineering%22&excludedAttributes=members",
                                   NULL, &groups), 200);
    assert_int_equal(json_integer_value(json_object_get(groups, "totalResults")), 1);
    json_t *first = json_array_get(json_object_get(groups, "Resources"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "id")), g);
    assert_null(json_object_get(first, "members"));
    json_decref(groups);
    free(g);
    for (size_t i = 0; i < 4; i++)
        free(ids[i]);
    scim_kit_stop(&k);
}

static void paging_edges(void **state)
{
    scim_kit k;
    scim_kit_start(&k, *state, "Paging Inc");
    char *ids[5];
    for (int i = 0; i < 5; i++) {
        char name[64], email[64], ext[16];
        snprintf(name, sizeof name, "user%d@example.com", i);
        snprintf(email, sizeof email, "user%d@work.example", i);
        snprintf(ext, sizeof ext, "e%d", i);
        ids[i] = add_user(&k, name, ext, email, true);
    }
    json_t *r = list(&k, "startIndex=2&count=2", 5, 2, 2);
    assert_string_equal(nth_user_name(r, 0), "user1@example.com");
    assert_string_equal(nth_user_name(r, 1), "user2@example.com");
    json_decref(r);
    /* RFC 7644 section 3.4.2.4: a startIndex below 1 is 1; a count of 0 (or below) returns none. */
    r = list(&k, "startIndex=0&count=1", 5, 1, 1);
    assert_string_equal(nth_user_name(r, 0), "user0@example.com");
    json_decref(r);
    json_decref(list(&k, "startIndex=-7", 5, 1, 5));
    json_decref(list(&k, "count=0", 5, 1, 0));
    json_decref(list(&k, "count=-3", 5, 1, 0));
    json_decref(list(&k, "startIndex=6", 5, 6, 0));
    json_decref(list(&k, "startIndex=99&count=10", 5, 99, 0));
    r = list(&k, "startIndex=5&count=10", 5, 5, 1);
    assert_string_equal(nth_user_name(r, 0), "user4@example.com");
    json_decref(r);
    /* count and a filter together: totalResults counts the matches, not the page. */
    json_decref(list(&k, "filter=userName%20sw%20%22user%22&count=2", 5, 1, 2));
    free(scim_kit_assert_error(&k, "GET", "/Users?startIndex=abc", NULL, 400, "invalidValue"));
    free(scim_kit_assert_error(&k, "GET", "/Users?count=1x", NULL, 400, "invalidValue"));
    /* attributes selection: id, schemas and meta always come. */
    r = list(&k, "attributes=userName&count=1", 5, 1, 1);
    json_t *u = json_array_get(json_object_get(r, "Resources"), 0);
    assert_non_null(json_object_get(u, "userName"));
    assert_non_null(json_object_get(u, "id"));
    assert_non_null(json_object_get(u, "meta"));
    assert_null(json_object_get(u, "emails"));
    json_decref(r);
    for (int i = 0; i < 5; i++)
        free(ids[i]);
    scim_kit_stop(&k);
}

static void refusals(void **state)
{
    scim_kit k;
    scim_kit_start(&k, *state, "Refusals Inc");
    char *id = scim_kit_create(&k, "/Users", bjensen);
    char *path = path_of("Users", id);
    /* userName is unique in the directory whatever its case. */
    char *detail = scim_kit_assert_error(&k, "POST", "/Users", "{" USER_SCHEMA ",\"userName\":\"BJensen\"}", 409,
                                         "uniqueness");
    assert_non_null(strstr(detail, "BJensen"));
    free(detail);
    free(scim_kit_assert_error(&k, "POST", "/Users", "{" USER_SCHEMA ",\"name\":{}}", 400, "invalidValue"));
    free(scim_kit_assert_error(&k, "POST", "/Users", "{" USER_SCHEMA ",\"userName\":\"x\",\"active\":\"maybe\"}",
                               400, "invalidValue"));
    free(scim_kit_assert_error(&k, "POST", "/Users", "{" USER_SCHEMA ",\"userName\":\"x\",\"emails\":[{}]}", 400,
                               "invalidValue"));
    free(scim_kit_assert_error(&k, "POST", "/Users", "not json", 400, "invalidSyntax"));
    free(scim_kit_assert_error(&k, "POST", "/Groups", "{" GROUP_SCHEMA "}", 400, "invalidValue"));
    detail = scim_kit_assert_error(&k, "POST", "/Groups",
                                   "{" GROUP_SCHEMA ",\"displayName\":\"G\",\"members\":[{\"value\":\"diruser_nobody\"}]}",
                                   400, "invalidValue");
    assert_non_null(strstr(detail, "diruser_nobody"));
    free(detail);

    /* PATCH refusals (RFC 7644 section 3.12). */
    static const struct { const char *body; const char *type; } bad[] = {
        {"{\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}", "invalidSyntax"},
        {"{" PATCH_SCHEMA ",\"Operations\":[]}", "invalidSyntax"},
        {"{" PATCH_SCHEMA ",\"Operations\":[{\"op\":\"move\",\"path\":\"active\",\"value\":false}]}", "invalidSyntax"},
        {"{" PATCH_SCHEMA ",\"Operations\":[{\"op\":\"remove\"}]}", "noTarget"},
        {"{" PATCH_SCHEMA ",\"Operations\":[{\"op\":\"replace\",\"path\":\"emails[type eq \\\"work\\\"\"}]}",
         "invalidPath"},
        {"{" PATCH_SCHEMA ",\"Operations\":[{\"op\":\"replace\",\"path\":\"name..givenName\",\"value\":\"x\"}]}",
         "invalidPath"},
        {"{" PATCH_SCHEMA ",\"Operations\":[{\"op\":\"replace\",\"path\":\"id\",\"value\":\"other\"}]}", "mutability"},
        {"{" PATCH_SCHEMA ",\"Operations\":[{\"op\":\"add\",\"path\":\"groups\",\"value\":[{\"value\":\"g\"}]}]}",
         "mutability"},
        {"{" PATCH_SCHEMA ",\"Operations\":[{\"op\":\"replace\",\"path\":\"emails[type eq \\\"home\\\"]\","
         "\"value\":{\"value\":\"x@example.com\"}}]}", "noTarget"},
        {"{" PATCH_SCHEMA ",\"Operations\":[{\"op\":\"replace\",\"value\":\"not an object\"}]}", "invalidValue"},
        {"{" PATCH_SCHEMA ",\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":\"maybe\"}]}",
         "invalidValue"},
        {"{" PATCH_SCHEMA ",\"Operations\":[{\"op\":\"remove\",\"path\":\"userName\"}]}", "invalidValue"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        free(scim_kit_assert_error(&k, "PATCH", path, bad[i].body, 400, bad[i].type));
    /* Renaming another user onto a taken userName, by PATCH or PUT, is a conflict too. */
    char *other = scim_kit_create(&k, "/Users", "{" USER_SCHEMA ",\"userName\":\"other\"}");
    char *other_path = path_of("Users", other);
    free(scim_kit_assert_error(&k, "PATCH", other_path, "{" PATCH_SCHEMA ",\"Operations\":[{\"op\":\"replace\","
                               "\"path\":\"userName\",\"value\":\"BJENSEN\"}]}", 409, "uniqueness"));
    free(scim_kit_assert_error(&k, "PUT", other_path, "{" USER_SCHEMA ",\"userName\":\"bJensen\"}", 409,
                               "uniqueness"));
    free(other_path);
    free(other);
    /* Nothing of the refused patches was kept. */
    json_t *got = NULL;
    assert_int_equal(scim_kit_call(&k, "GET", path, NULL, &got), 200);
    assert_string_equal(json_string_value(json_object_get(json_object_get(got, "meta"), "version")), "W/\"1\"");
    assert_string_equal(json_string_value(json_object_get(got, "userName")), "bjensen");
    json_decref(got);

    static const char *const unknown[] = {"/Users/diruser_nobody", "/Groups/dirgroup_nobody"};
    for (size_t i = 0; i < 2; i++) {
        detail = scim_kit_assert_error(&k, "GET", unknown[i], NULL, 404, NULL);
        assert_non_null(strstr(detail, "nobody"));
        free(detail);
        free(scim_kit_assert_error(&k, "PUT", unknown[i], "{" USER_SCHEMA ",\"userName\":\"x\",\"displayName\":\"x\"}",
                                   404, NULL));
        free(scim_kit_assert_error(&k, "PATCH", unknown[i],
                                   "{" PATCH_SCHEMA ",\"Operations\":[{\"op\":\"replace\",\"path\":\"active\","
                                   "\"value\":false}]}", 404, NULL));
        free(scim_kit_assert_error(&k, "DELETE", unknown[i], NULL, 404, NULL));
    }
    free(path);
    free(id);
    scim_kit_stop(&k);
}

static void etags(void **state)
{
    scim_kit k;
    scim_kit_start(&k, *state, "Etags Inc");
    char *id = scim_kit_create(&k, "/Users", bjensen);
    char *path = path_of("Users", id);
    const char *patch = "{" PATCH_SCHEMA ",\"Operations\":[{\"op\":\"replace\",\"path\":\"displayName\","
                        "\"value\":\"Babs\"}]}";
    emu_http_response resp;
    const char *stale[] = {"Content-Type: application/scim+json", "If-Match: W/\"7\"", NULL};
    assert_int_equal(scim_kit_call_as(&k, k.secret, stale, "PATCH", path, patch, &resp), 412);
    json_t *err = emu_http_json(&resp);
    assert_string_equal(json_string_value(json_object_get(err, "status")), "412");
    json_decref(err);
    emu_http_response_free(&resp);
    const char *current[] = {"Content-Type: application/scim+json", "If-Match: W/\"0\", W/\"1\"", NULL};
    assert_int_equal(scim_kit_call_as(&k, k.secret, current, "PATCH", path, patch, &resp), 200);
    char etag[32];
    assert_string_equal(emu_http_header(&resp, "ETag", etag, sizeof etag), "W/\"2\"");
    emu_http_response_free(&resp);
    /* If-None-Match on a GET: 304 while the tag is current, the resource once it is not. */
    const char *fresh[] = {"If-None-Match: W/\"2\"", NULL}, *old_tag[] = {"If-None-Match: W/\"1\"", NULL};
    assert_int_equal(scim_kit_call_as(&k, k.secret, fresh, "GET", path, NULL, &resp), 304);
    assert_int_equal(resp.body_len, 0);
    assert_string_equal(emu_http_header(&resp, "ETag", etag, sizeof etag), "W/\"2\"");
    emu_http_response_free(&resp);
    assert_int_equal(scim_kit_call_as(&k, k.secret, old_tag, "GET", path, NULL, &resp), 200);
    json_t *body = emu_http_json(&resp);
    assert_string_equal(json_string_value(json_object_get(body, "displayName")), "Babs");
    json_decref(body);
    emu_http_response_free(&resp);
    const char *any[] = {"If-Match: *", NULL};
    assert_int_equal(scim_kit_call_as(&k, k.secret, current, "DELETE", path, NULL, &resp), 412);
    emu_http_response_free(&resp);
    assert_int_equal(scim_kit_call_as(&k, k.secret, any, "DELETE", path, NULL, &resp), 204);
    emu_http_response_free(&resp);
    free(path);
    free(id);
    scim_kit_stop(&k);
}

static void authentication(void **state)
{
    emu_fixture *f = *state;
    scim_kit k, other;
    scim_kit_start(&k, f, "Auth Inc");
    scim_kit_start(&other, f, "Other Inc");
    emu_http_response resp;
    char header[128];
    /* No bearer, a wrong one, an API access token, another directory's secret. */
    const char *bearers[] = {NULL, "wrong", k.api.token, other.secret};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(scim_kit_call_as(&k, bearers[i], NULL, "GET", "/Users", NULL, &resp), 401);
        assert_non_null(emu_http_header(&resp, "WWW-Authenticate", header, sizeof header));
        assert_true(strncmp(header, "Bearer", 6) == 0);
        json_t *body = emu_http_json(&resp);
        assert_string_equal(json_string_value(json_object_get(body, "status")), "401");
        assert_string_equal(json_string_value(json_array_get(json_object_get(body, "schemas"), 0)),
                            "urn:ietf:params:scim:api:messages:2.0:Error");
        json_decref(body);
        emu_http_response_free(&resp);
    }
    /* An unknown directory is refused the same way: a secret matches no such directory. */
    char url[512];
    snprintf(url, sizeof url, "%s/api/v1/directories/dir_nobody/scim/v2/Users", f->url);
    char auth[256];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", k.secret);
    const char *h[] = {auth, NULL};
    assert_int_equal(emu_http_call("GET", url, h, NULL, NULL), 401);
    /* A second secret works as well as the first. */
    char *second = scim_kit_new_secret(&k, k.directory_id);
    assert_int_equal(scim_kit_call_as(&k, second, NULL, "GET", "/Users", NULL, &resp), 200);
    emu_http_response_free(&resp);
    /* An INACTIVE secret, and an expired one, are refused. */
    char hash[65];
    emu_sha256_hex(second, hash);
    assert_int_equal(emu_db_exec(f->emu->store, "UPDATE directory_secrets SET status = 'INACTIVE' WHERE secret_hash = ?",
                                 "s", hash), 1);
    assert_int_equal(scim_kit_call_as(&k, second, NULL, "GET", "/Users", NULL, &resp), 401);
    emu_http_response_free(&resp);
    assert_int_equal(emu_db_exec(f->emu->store, "UPDATE directory_secrets SET status = 'ACTIVE', expire_time = ? "
                                 "WHERE secret_hash = ?", "is", skit_now() - 1, hash), 1);
    assert_int_equal(scim_kit_call_as(&k, second, NULL, "GET", "/Users", NULL, &resp), 401);
    emu_http_response_free(&resp);
    free(second);

    /* A disabled directory refuses its own valid secret: 403, and provisions nothing. */
    scim_kit_set_enabled(&k, false);
    free(scim_kit_assert_error(&k, "GET", "/Users", NULL, 403, NULL));
    free(scim_kit_assert_error(&k, "POST", "/Users", bjensen, 403, NULL));
    free(scim_kit_assert_error(&k, "GET", "/ServiceProviderConfig", NULL, 403, NULL));
    scim_kit_set_enabled(&k, true);
    json_decref(list(&k, "", 0, 1, 0));

    /* Bodies in application/json are taken (identity providers send it); others are not. */
    const char *json_type[] = {"Content-Type: application/json; charset=utf-8", NULL};
    assert_int_equal(scim_kit_call_as(&k, k.secret, json_type, "POST", "/Users", bjensen, &resp), 201);
    emu_http_response_free(&resp);
    const char *text_type[] = {"Content-Type: text/plain", NULL};
    assert_int_equal(scim_kit_call_as(&k, k.secret, text_type, "POST", "/Users", bjensen, &resp), 415);
    emu_http_response_free(&resp);
    scim_kit_stop(&k);
    scim_kit_stop(&other);
}

static void discovery(void **state)
{
    scim_kit k;
    scim_kit_start(&k, *state, "Discovery Inc");
    json_t *r = NULL;
    assert_int_equal(scim_kit_call(&k, "GET", "/ServiceProviderConfig", NULL, &r), 200);
    assert_true(json_is_true(json_object_get(json_object_get(r, "patch"), "supported")));
    assert_true(json_is_true(json_object_get(json_object_get(r, "etag"), "supported")));
    assert_true(json_is_true(json_object_get(json_object_get(r, "filter"), "supported")));
    assert_true(json_is_false(json_object_get(json_object_get(r, "bulk"), "supported")));
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(r, "authenticationSchemes"), 0),
                                                          "type")), "oauthbearertoken");
    json_decref(r);

    assert_int_equal(scim_kit_call(&k, "GET", "/ResourceTypes", NULL, &r), 200);
    assert_int_equal(json_integer_value(json_object_get(r, "totalResults")), 2);
    json_t *user = json_array_get(json_object_get(r, "Resources"), 0);
    assert_string_equal(json_string_value(json_object_get(user, "endpoint")), "/Users");
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(user, "schemaExtensions"), 0),
                                                          "schema")),
                        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
    json_decref(r);
    assert_int_equal(scim_kit_call(&k, "GET", "/ResourceTypes/Group", NULL, &r), 200);
    assert_string_equal(json_string_value(json_object_get(r, "schema")), "urn:ietf:params:scim:schemas:core:2.0:Group");
    json_decref(r);
    free(scim_kit_assert_error(&k, "GET", "/ResourceTypes/Device", NULL, 404, NULL));

    assert_int_equal(scim_kit_call(&k, "GET", "/Schemas", NULL, &r), 200);
    assert_int_equal(json_integer_value(json_object_get(r, "totalResults")), 3);
    json_decref(r);
    assert_int_equal(scim_kit_call(&k, "GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", NULL, &r), 200);
    json_t *first = json_array_get(json_object_get(r, "attributes"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "name")), "userName");
    assert_string_equal(json_string_value(json_object_get(first, "uniqueness")), "server");
    assert_true(json_is_true(json_object_get(first, "required")));
    json_decref(r);
    free(scim_kit_assert_error(&k, "GET", "/Schemas/urn:example:nothing", NULL, 404, NULL));
    scim_kit_stop(&k);
}

/* RFC 7644 section 3.5.2's PATCH examples on a group, and on a user's attributes. */
static void rfc7644_patch(void **state)
{
    scim_kit k;
    scim_kit_start(&k, *state, "Patch Inc");
    char *u1 = scim_kit_create(&k, "/Users", bjensen);
    char *u2 = scim_kit_create(&k, "/Users", "{" USER_SCHEMA ",\"userName\":\"jsmith\",\"displayName\":\"John Smith\"}");
    char *g = scim_kit_create(&k, "/Groups", "{" GROUP_SCHEMA ",\"displayName\":\"Tour Guides\"}");
    char *gp = path_of("Groups", g), *up = path_of("Users", u1);
    char body[1024];
    json_t *r = NULL;
    /* 3.5.2.1: add a member (twice: the second changes nothing). */
    snprintf(body, sizeof body, "{" PATCH_SCHEMA ",\"Operations\":[{\"op\":\"add\",\"path\":\"members\","
             "\"value\":[{\"display\":\"Babs Jensen\",\"$ref\":\"%s/Users/%s\",\"value\":\"%s\"}]}]}", k.base, u1, u1);
    assert_int_equal(scim_kit_call(&k, "PATCH", gp, body, NULL), 200);
    assert_int_equal(scim_kit_call(&k, "PATCH", gp, body, &r), 200);
    assert_int_equal(json_array_size(json_object_get(r, "members")), 1);
    json_decref(r);
    /* The user shows the group (read-only groups attribute). */
    assert_int_equal(scim_kit_call(&k, "GET", up, NULL, &r), 200);
    json_t *membership = json_array_get(json_object_get(r, "groups"), 0);
    assert_string_equal(json_string_value(json_object_get(membership, "value")), g);
    assert_string_equal(json_string_value(json_object_get(membership, "display")), "Tour Guides");
    char ref[640];
    snprintf(ref, sizeof ref, "%s/Groups/%s", k.base, g);
    assert_string_equal(json_string_value(json_object_get(membership, "$ref")), ref);
    assert_string_equal(json_string_value(json_object_get(json_object_get(r, "meta"), "location")) + strlen(k.base),
                        up);
    json_decref(r);
    /* 3.5.2.3: replace all members. */
    snprintf(body, sizeof body, "{" PATCH_SCHEMA ",\"Operations\":[{\"op\":\"replace\",\"path\":\"members\","
             "\"value\":[{\"value\":\"%s\"},{\"value\":\"%s\"}]}]}", u1, u2);
    assert_int_equal(scim_kit_call(&k, "PATCH", gp, body, &r), 200);
    assert_int_equal(json_array_size(json_object_get(r, "members")), 2);
    json_decref(r);
    /* 3.5.2.2: remove one member by a value filter. */
    snprintf(body, sizeof body, "{" PATCH_SCHEMA ",\"Operations\":[{\"op\":\"remove\",\"path\":"
             "\"members[value eq \\\"%s\\\"]\"}]}", u1);
    assert_int_equal(scim_kit_call(&k, "PATCH", gp, body, &r), 200);
    assert_int_equal(json_array_size(json_object_get(r, "members")), 1);
    json_t *member = json_array_get(json_object_get(r, "members"), 0);
    assert_string_equal(json_string_value(json_object_get(member, "value")), u2);
    assert_string_equal(json_string_value(json_object_get(member, "display")), "John Smith");
    snprintf(ref, sizeof ref, "%s/Users/%s", k.base, u2);
    assert_string_equal(json_string_value(json_object_get(member, "$ref")), ref);
    json_decref(r);
    /* 3.5.2.2: remove all members. */
    assert_int_equal(scim_kit_call(&k, "PATCH", gp, "{" PATCH_SCHEMA ",\"Operations\":[{\"op\":\"remove\","
                                   "\"path\":\"members\"}]}", &r), 200);
    assert_int_equal(json_array_size(json_object_get(r, "members")), 0);
    json_decref(r);

    /* A user's attributes: a sub-attribute, a filtered multi-valued one, an extension's. */
    const char *user_patch =
        "{" PATCH_SCHEMA ",\"Operations\":[{\"op\":\"replace\",\"path\":\"name.givenName\",\"value\":\"Babs\"},"
        "{\"op\":\"add\",\"path\":\"emails\",\"value\":[{\"type\":\"work\",\"value\":\"bjensen@example.com\"}]},"
        "{\"op\":\"replace\",\"path\":\"emails[type eq \\\"work\\\"].value\",\"value\":\"babs@example.com\"},"
        "{\"op\":\"add\",\"path\":\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department\","
        "\"value\":\"Tours\"},"
        "{\"op\":\"remove\",\"path\":\"externalId\"}]}";
    assert_int_equal(scim_kit_call(&k, "PATCH", up, user_patch, &r), 200);
    assert_string_equal(json_string_value(json_object_get(json_object_get(r, "name"), "givenName")), "Babs");
    assert_string_equal(json_string_value(json_object_get(json_object_get(r, "name"), "familyName")), "Jensen");
    assert_int_equal(json_array_size(json_object_get(r, "emails")), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(r, "emails"), 0), "value")),
                        "babs@example.com");
    assert_string_equal(json_string_value(json_object_get(json_object_get(r,
                        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"), "department")), "Tours");
    assert_null(json_object_get(r, "externalId"));
    json_t *schemas = json_object_get(r, "schemas");
    assert_int_equal(json_array_size(schemas), 2);
    json_decref(r);
    free(gp);
    free(up);
    free(u1);
    free(u2);
    free(g);
    scim_kit_stop(&k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rfc7644_user_lifecycle),
        cmocka_unit_test(filters),
        cmocka_unit_test(paging_edges),
        cmocka_unit_test(refusals),
        cmocka_unit_test(etags),
        cmocka_unit_test(authentication),
        cmocka_unit_test(discovery),
        cmocka_unit_test(rfc7644_patch),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
