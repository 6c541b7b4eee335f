/*
 * The environment's connections over plain HTTP (the passwordless and passkey
 * sign-in read them): POST, GET, PATCH (configuration merged member by member),
 * :enable, :disable, DELETE under /api/v1/connections, one per type (409), an
 * organization's connection not reachable there (404), and GET /api/v1/connections
 * with its organization_id, domain and include filters; a custom connection's login_url.
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
#include "core/core.h"
#include "resources.h"

static json_t *connection_of(json_t *answer)
{
    return json_object_get(answer, "connection");
}

/* The ids of GET /api/v1/connections<query>, space separated, into @p out. */
static void list_ids(emu_raw_fixture *s, const char *query, char *out, size_t n)
{
    char path[256];
    snprintf(path, sizeof path, "/api/v1/connections%s", query);
    json_t *answer = NULL;
    assert_int_equal(emu_raw_fixture_api(s, "GET", path, NULL, &answer), 200);
    out[0] = '\0';
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(answer, "connections"), i, item) {
        size_t used = strlen(out);
        snprintf(out + used, n - used, "%s%s", used ? " " : "", skit_json_string(item, "id"));
    }
    json_decref(answer);
}

static void environment_crud(void **state)
{
    emu_raw_fixture *s = *state;
    json_t *answer = NULL;
    assert_int_equal(emu_raw_fixture_api(s, "POST", "/api/v1/connections",
                                         "{\"type\":\"PASSWORDLESS\",\"passwordless_config\":{\"type\":\"OTP\","
                                         "\"validity\":600,\"code_challenge_length\":6}}", &answer), 200);
    json_t *c = connection_of(answer);
    char id[64], path[128];
    snprintf(id, sizeof id, "%s", skit_json_string(c, "id"));
    assert_null(json_object_get(c, "organization_id"));
    assert_string_equal(skit_json_string(c, "status"), "COMPLETED");
    assert_string_equal(skit_json_string(json_object_get(c, "passwordless_config"), "type"), "OTP");
    json_decref(answer);

    /* One connection of a type per environment. */
    assert_int_equal(emu_raw_fixture_api(s, "POST", "/api/v1/connections", "{\"type\":\"PASSWORDLESS\"}", &answer),
                     409);
    assert_non_null(strstr(skit_json_string(answer, "message"), id));
    json_decref(answer);

    snprintf(path, sizeof path, "/api/v1/connections/%s", id);
    assert_int_equal(emu_raw_fixture_api(s, "PATCH", path, "{\"passwordless_config\":{\"type\":\"LINK_OTP\"}}",
                                         &answer), 200);
    json_t *config = json_object_get(connection_of(answer), "passwordless_config");
    assert_string_equal(skit_json_string(config, "type"), "LINK_OTP");
    assert_int_equal(json_integer_value(json_object_get(config, "validity")), 600);
    json_decref(answer);
    assert_int_equal(emu_raw_fixture_api(s, "PATCH", path, "{\"passwordless_config\":{\"validity\":-1}}", &answer),
                     400);
    json_t *violation = json_array_get(json_object_get(json_object_get(json_array_get(
        json_object_get(answer, "details"), 0), "validation_error_info"), "field_violations"), 0);
    assert_string_equal(skit_json_string(violation, "field"), "passwordless_config.validity");
    json_decref(answer);
    assert_int_equal(emu_raw_fixture_api(s, "PATCH", path, "{\"colour\":\"blue\"}", NULL), 400);

    snprintf(path, sizeof path, "/api/v1/connections/%s:enable", id);
    assert_int_equal(emu_raw_fixture_api(s, "PATCH", path, NULL, &answer), 200);
    assert_true(json_is_true(json_object_get(answer, "enabled")));
    json_decref(answer);
    /* What the passwordless sign-in reads: the decoded row, configuration and all. */
    json_t *row = emu_environment_connection(s->f->emu, "PASSWORDLESS");
    assert_string_equal(skit_json_string(row, "id"), id);
    assert_true(json_is_true(json_object_get(row, "enabled")));
    assert_string_equal(skit_json_string(json_object_get(row, "passwordless_config"), "type"), "LINK_OTP");
    json_decref(row);
    assert_null(emu_environment_connection(s->f->emu, "SAML"));
    snprintf(path, sizeof path, "/api/v1/connections/%s", id);
    assert_int_equal(emu_raw_fixture_api(s, "GET", path, NULL, &answer), 200);
    assert_true(json_is_true(json_object_get(connection_of(answer), "enabled")));
    json_decref(answer);
    snprintf(path, sizeof path, "/api/v1/connections/%s:disable", id);
    assert_int_equal(emu_raw_fixture_api(s, "PATCH", path, NULL, &answer), 200);
    assert_false(json_is_true(json_object_get(answer, "enabled")));
    json_decref(answer);

    snprintf(path, sizeof path, "/api/v1/connections/%s", id);
    assert_int_equal(emu_raw_fixture_api(s, "DELETE", path, NULL, NULL), 200);
    assert_null(emu_environment_connection(s->f->emu, "PASSWORDLESS"));
    assert_int_equal(emu_raw_fixture_api(s, "GET", path, NULL, NULL), 404);
    assert_int_equal(emu_raw_fixture_api(s, "DELETE", path, NULL, NULL), 404);
    assert_int_equal(emu_raw_fixture_api(s, "PATCH", "/api/v1/connections/conn_missing:enable", NULL, NULL), 404);
}

static void list_filters(void **state)
{
    emu_raw_fixture *s = *state;
    json_t *answer = NULL;
    assert_int_equal(emu_raw_fixture_api(s, "POST", "/api/v1/organizations", "{\"display_name\":\"Listed\"}",
                                         &answer), 201);
    char org[64], path[256], conn[64], env_conn[64], ids[1024];
    snprintf(org, sizeof org, "%s", skit_json_string(json_object_get(answer, "organization"), "id"));
    json_decref(answer);
    snprintf(path, sizeof path, "/api/v1/organizations/%s/domains", org);
    assert_int_equal(emu_raw_fixture_api(s, "POST", path, "{\"domain\":\"listed.example\"}", NULL), 200);
    snprintf(path, sizeof path, "/api/v1/organizations/%s/connections", org);
    assert_int_equal(emu_raw_fixture_api(s, "POST", path, "{\"type\":\"OAUTH\",\"static_config\":{\"static_config\":"
                                         "{\"login_url\":\"https://app.example/login\"}}}", &answer), 200);
    snprintf(conn, sizeof conn, "%s", skit_json_string(connection_of(answer), "id"));
    assert_string_equal(skit_json_string(connection_of(answer), "status"), "COMPLETED");
    json_decref(answer);
    assert_int_equal(emu_raw_fixture_api(s, "POST", "/api/v1/connections", "{\"type\":\"WEBAUTHN\"}", &answer), 200);
    snprintf(env_conn, sizeof env_conn, "%s", skit_json_string(connection_of(answer), "id"));
    json_decref(answer);

    /* An organization's connection is not the environment's. */
    snprintf(path, sizeof path, "/api/v1/connections/%s", conn);
    assert_int_equal(emu_raw_fixture_api(s, "GET", path, NULL, NULL), 404);

    list_ids(s, "", ids, sizeof ids);
    assert_null(strstr(ids, conn));
    list_ids(s, "?include=all", ids, sizeof ids);
    assert_non_null(strstr(ids, conn));
    assert_non_null(strstr(ids, env_conn));
    char query[200];
    snprintf(query, sizeof query, "?include=all&organization_id=%s", org);
    list_ids(s, query, ids, sizeof ids);
    assert_string_equal(ids, conn);
    list_ids(s, "?include=ALL&domain=LISTED.example", ids, sizeof ids);
    assert_string_equal(ids, conn);
    list_ids(s, "?include=all&domain=nobody.example", ids, sizeof ids);
    assert_string_equal(ids, "");
    assert_int_equal(emu_raw_fixture_api(s, "GET", "/api/v1/connections?include=some", NULL, NULL), 400);

    snprintf(path, sizeof path, "/api/v1/connections/%s", env_conn);
    assert_int_equal(emu_raw_fixture_api(s, "DELETE", path, NULL, NULL), 200);
    snprintf(path, sizeof path, "/api/v1/organizations/%s", org);
    assert_int_equal(emu_raw_fixture_api(s, "DELETE", path, NULL, NULL), 200);
    list_ids(s, "?include=all", ids, sizeof ids);
    assert_null(strstr(ids, conn));
}

/* A custom connection (bring your own auth) needs its login_url, an http(s) URL. */
static void custom_connection_login_url(void **state)
{
    emu_raw_fixture *s = *state;
    json_t *answer = NULL;
    assert_int_equal(emu_raw_fixture_api(s, "POST", "/api/v1/organizations", "{\"display_name\":\"Custom\"}",
                                         &answer), 201);
    char path[256];
    snprintf(path, sizeof path, "/api/v1/organizations/%s/connections",
             skit_json_string(json_object_get(answer, "organization"), "id"));
    json_decref(answer);
    assert_int_equal(emu_raw_fixture_api(s, "POST", path, "{\"type\":\"OAUTH\",\"static_config\":{\"static_config\":"
                                         "{\"login_url\":\"ftp://app.example/login\"}}}", &answer), 400);
    json_t *violation = json_array_get(json_object_get(json_object_get(json_array_get(
        json_object_get(answer, "details"), 0), "validation_error_info"), "field_violations"), 0);
    assert_string_equal(skit_json_string(violation, "field"), "static_config.static_config.login_url");
    json_decref(answer);
    assert_int_equal(emu_raw_fixture_api(s, "POST", path, "{\"type\":\"OAUTH\",\"static_config\":{\"static_config\":"
                                         "{\"button\":\"Sign in\"}}}", &answer), 200);
    assert_string_equal(skit_json_string(connection_of(answer), "status"), "IN_PROGRESS");
    char item[300];
    snprintf(item, sizeof item, "%s/%s:enable", path, skit_json_string(connection_of(answer), "id"));
    json_decref(answer);
    assert_int_equal(emu_raw_fixture_api(s, "PATCH", item, NULL, &answer), 400);
    assert_non_null(strstr(skit_json_string(answer, "message"), "static_config.static_config.login_url is required"));
    json_decref(answer);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(environment_crud),
        cmocka_unit_test(list_filters),
        cmocka_unit_test(custom_connection_login_url),
    };
    return cmocka_run_group_tests(tests, emu_raw_fixture_setup, emu_raw_fixture_teardown);
}
