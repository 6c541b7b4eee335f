/*
 * The emulator's route list: emu_routes_check refuses two routes that tie on
 * some path and a resource whose handlers would read a path parameter its route
 * lacks, naming them; the served list passes; and every served route, walked
 * with made-up parameters, reads no path parameter its pattern lacks. Plus the
 * engine's error answers: 409 naming the UNIQUE field and value, 404 naming the id.
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
#include "environment.h"
#include "resources.h"

/* The SCIM secret of directory walk_1 (its routes answer to that, not to the API token). */
static char *walk_scim_secret;

static int handler(emu *e, emu_req *r) { return 0; }

/* emu_routes_check of @p tables and @p resources: its result, and what it printed in out. */
static int check(const emu_route *const *tables, const emu_resource *const *resources, char *out, size_t n)
{
    FILE *err = tmpfile();
    assert_non_null(err);
    int rc = emu_routes_check(tables, resources, err);
    rewind(err);
    size_t got = fread(out, 1, n - 1, err);
    out[got] = '\0';
    fclose(err);
    return rc;
}

/* Whether the two routes of one table are refused, and the message names both. */
static void assert_tie(const char *a, const char *b, bool tie)
{
    const emu_route table[] = {{"GET", a, handler, NULL}, {"GET", b, handler, NULL}, {NULL, NULL, NULL, NULL}};
    const emu_route *const tables[] = {table, NULL};
    char out[1024];
    int rc = check(tables, NULL, out, sizeof out);
    if (tie != (rc != 0))
        fail_msg("%s and %s: expected %s, got %d: %s", a, b, tie ? "a tie" : "no tie", rc, out);
    if (tie) {
        assert_non_null(strstr(out, a));
        assert_non_null(strstr(out, b));
    } else {
        assert_string_equal(out, "");
    }
}

static void ambiguous_routes_are_refused(void **state)
{
    /* Identical but for parameter names. */
    assert_tie("/api/v1/things/{id}", "/api/v1/things/{thing_id}", true);
    /* Different parameters, same literal characters: "/a/b/c" matches both at score 4. */
    assert_tie("/a/{x}/c", "/a/b/{y}", true);
    /* A literal beats a parameter: no tie. */
    assert_tie("/api/v1/things/{id}", "/api/v1/things/mine", false);
    /* Suffix literals count: "{id}:disable" outscores "{id}". */
    assert_tie("/api/v1/things/{id}", "/api/v1/things/{id}:disable", false);
    /* Parts that can never match one segment. */
    assert_tie("/a/x{id}", "/a/y{id}", false);
    assert_tie("/a/{id}", "/a/{id}/b", false);
    /* Prefix and suffix that one segment can carry at once, at equal score. */
    assert_tie("/a/ab{id}", "/a/{id}yz", true);

    /* Different methods never tie. */
    const emu_route table[] = {{"GET", "/x/{a}", handler, NULL}, {"POST", "/x/{b}", handler, NULL}, {NULL, NULL, NULL, NULL}};
    const emu_route *const tables[] = {table, NULL};
    char out[1024];
    assert_int_equal(check(tables, NULL, out, sizeof out), 0);

    /* A resource's engine routes against a hand-written table. */
    const emu_route clash[] = {{"DELETE", "/api/v1/organizations/{organization_id}", handler, NULL},
                               {NULL, NULL, NULL, NULL}};
    const emu_route *const with_clash[] = {clash, NULL};
    const emu_resource *const resources[] = {&emu_organization_resource, NULL};
    assert_int_equal(check(with_clash, resources, out, sizeof out), -1);
    assert_non_null(strstr(out, "DELETE /api/v1/organizations/{id}"));
    assert_non_null(strstr(out, "DELETE /api/v1/organizations/{organization_id}"));
}

static const emu_field item_fields[] = {{.name = "id", .flags = EMU_OUTPUT}, {0}};

static void a_parameter_the_route_lacks_is_refused(void **state)
{
    /* Scoped by organization_id, but its route names the parameter org_id. */
    const emu_resource bad = {.name = "domain", .table = "domains", .id_prefix = "dom_",
                              .route = "/api/v1/organizations/{org_id}/domains", .single = "domain",
                              .plural = "domains", .fields = item_fields,
                              .parent = &emu_organization_resource, .parent_column = "organization_id"};
    const emu_resource *const resources[] = {&bad, NULL};
    char out[1024];
    assert_int_equal(check(NULL, resources, out, sizeof out), -1);
    assert_non_null(strstr(out, "/api/v1/organizations/{org_id}/domains"));
    assert_non_null(strstr(out, "{organization_id}"));

    const emu_resource good = {.name = "domain", .table = "domains", .id_prefix = "dom_",
                               .route = "/api/v1/organizations/{organization_id}/domains", .single = "domain",
                               .plural = "domains", .fields = item_fields,
                               .parent = &emu_organization_resource, .parent_column = "organization_id"};
    const emu_resource *const fine[] = {&good, &emu_organization_resource, NULL};
    assert_int_equal(check(NULL, fine, out, sizeof out), 0);

    /* A hand-written handler that declares a parameter its pattern lacks. */
    const emu_route lacking[] = {{"GET", "/api/v1/things/{id}", handler, "id external_id"},
                                 {"GET", "/api/v1/others/{other_id}", handler, "other_id"},
                                 {NULL, NULL, NULL, NULL}};
    const emu_route *const lacking_tables[] = {lacking, NULL};
    assert_int_equal(check(lacking_tables, NULL, out, sizeof out), -1);
    assert_non_null(strstr(out, "route GET /api/v1/things/{id} declares path parameter {external_id} its pattern lacks"));
    assert_null(strstr(out, "other_id"));
    const emu_route declared[] = {{"GET", "/api/v1/things/{id}/{part}", handler, "id part"},
                                  {NULL, NULL, NULL, NULL}};
    const emu_route *const declared_tables[] = {declared, NULL};
    assert_int_equal(check(declared_tables, NULL, out, sizeof out), 0);
}

static void the_served_list_passes(void **state)
{
    char out[4096];
    if (check(emu_route_tables, emu_resources, out, sizeof out) != 0)
        fail_msg("the served route list is refused: %s", out);
}

/* @p pattern with every {name} replaced by "walk_1" into @p out. */
static void fill_params(const char *pattern, char *out, size_t n)
{
    size_t o = 0;
    for (const char *p = pattern; *p && o + 8 < n; p++) {
        if (*p == '{') {
            o += (size_t)snprintf(out + o, n - o, "walk_1");
            p = strchr(p, '}');
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
}

static void walk(emu_raw_fixture *s, const char *method, const char *pattern, bool control)
{
    if ((strncmp(pattern, "/_emulator", 10) == 0) != control)
        return;
    char path[512], url[700], auth[4096];
    fill_params(pattern, path, sizeof path);
    emu_fixture_url(s->f, path, url, sizeof url);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", strstr(path, "/scim/v2") ? walk_scim_secret : s->token);
    const char *headers[] = {auth, "Content-Type: application/json", NULL};
    emu_http_response r;
    emu_http(method, url, headers, strcmp(method, "GET") == 0 ? NULL : "{}", &r);
    if (r.status == 500 || r.status == 0 || (strncmp(path, "/api/v1", 7) == 0 && r.status == 401))
        fail_msg("%s %s answered %ld: %s", method, pattern, r.status, r.body);
    emu_http_response_free(&r);
}

static void every_route_reads_only_its_parameters(void **state)
{
    emu_raw_fixture *s = *state;
    /* An enabled directory walk_1, so its SCIM handlers run past the bearer check. */
    assert_int_equal(emu_db_exec(s->f->emu->store, "INSERT INTO directories(id, organization_id, environment_id, "
                                 "enabled, create_time, update_time) VALUES ('walk_1', 'walk_1', 'env', 1, 0, 0)", ""),
                     1);
    assert_int_equal(emu_directory_secret_create(s->f->emu, "walk_1", &walk_scim_secret, NULL), 0);
    /* The test controls last: one of them revokes the token the others use. */
    for (int control = 0; control <= 1; control++) {
        for (size_t t = 0; emu_route_tables[t]; t++)
            for (const emu_route *rt = emu_route_tables[t]; rt->pattern; rt++)
                walk(s, rt->method, rt->pattern, control);
        for (size_t i = 0; emu_resources[i]; i++) {
            const emu_resource *res = emu_resources[i];
            char pattern[256];
            for (size_t k = 0; k < emu_resource_route_count(res); k++) {
                emu_route rt = emu_resource_route(res, k, pattern, sizeof pattern);
                walk(s, rt.method, rt.pattern, control);
            }
            for (const emu_route *rt = res->routes; rt && rt->pattern; rt++)
                walk(s, rt->method, rt->pattern, control);
        }
    }
    free(walk_scim_secret);
    walk_scim_secret = NULL;
}

static void conflicts_and_unknown_ids_name_the_thing(void **state)
{
    emu_raw_fixture *s = *state;
    json_t *reply = NULL;
    assert_int_equal(emu_raw_fixture_api(s, "POST", "/api/v1/organizations",
                                         "{\"display_name\":\"A\",\"slug\":\"taken-slug\"}", &reply), 201);
    char path[200];
    snprintf(path, sizeof path, "/api/v1/organizations/%s",
             json_string_value(json_object_get(json_object_get(reply, "organization"), "id")));
    json_decref(reply);
    assert_int_equal(emu_raw_fixture_api(s, "POST", "/api/v1/organizations",
                                         "{\"display_name\":\"B\",\"slug\":\"taken-slug\"}", &reply), 409);
    assert_string_equal(json_string_value(json_object_get(reply, "message")),
                        "an organization with slug taken-slug already exists");
    json_decref(reply);
    /* The refused create left nothing behind. */
    assert_int_equal(emu_raw_fixture_api(s, "GET", "/api/v1/organizations?page_size=100", NULL, &reply), 200);
    assert_int_equal(json_integer_value(json_object_get(reply, "total_size")), 1);
    json_decref(reply);
    assert_int_equal(emu_raw_fixture_api(s, "GET", "/api/v1/organizations/org_nobody", NULL, &reply), 404);
    assert_string_equal(json_string_value(json_object_get(reply, "message")), "organization org_nobody not found");
    json_decref(reply);
    assert_int_equal(emu_raw_fixture_api(s, "GET", "/api/v1/organizations/org_nobody/session-policy", NULL,
                                         &reply), 404);
    assert_string_equal(json_string_value(json_object_get(reply, "message")), "organization org_nobody not found");
    json_decref(reply);
    assert_int_equal(emu_raw_fixture_api(s, "DELETE", path, NULL, NULL), 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ambiguous_routes_are_refused),
        cmocka_unit_test(a_parameter_the_route_lacks_is_refused),
        cmocka_unit_test(the_served_list_passes),
        cmocka_unit_test(conflicts_and_unknown_ids_name_the_thing),
        cmocka_unit_test(every_route_reads_only_its_parameters),
    };
    return cmocka_run_group_tests(tests, emu_raw_fixture_setup, emu_raw_fixture_teardown);
}
