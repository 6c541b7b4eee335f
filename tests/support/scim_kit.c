/* Helpers of the SCIM suites: see scim_kit.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scim_kit.h"
#include "emu_testhttp.h"
#include "emu_users_kit.h"
#include "environment.h"
#include "resources.h"

void scim_kit_start(scim_kit *k, const emu_fixture *f, const char *name)
{
    memset(k, 0, sizeof *k);
    k->f = f;
    k->api.f = (emu_fixture *)f;
    k->api.token = emu_test_client_token(f->emu);
    assert_non_null(k->api.token);
    k->organization_id = ukit_create_org(&k->api, name);
    emu *e = f->emu;
    k->directory_id = emu_new_id("dir_", 12);
    assert_non_null(k->directory_id);
    int64_t now = skit_now();
    assert_int_equal(emu_db_exec(e->store,
                                 "INSERT INTO directories(id, organization_id, environment_id, name, directory_provider, "
                                 "status, enabled, create_time, update_time) VALUES (?, ?, ?, ?, 'OKTA', 'COMPLETED', 1, ?, ?)",
                                 "ssssii", k->directory_id, k->organization_id, e->environment_id, name, now, now),
                     1);
    k->secret = scim_kit_new_secret(k, k->directory_id);
    snprintf(k->base, sizeof k->base, "%s/api/v1/directories/%s/scim/v2", f->url, k->directory_id);
}

void scim_kit_stop(scim_kit *k)
{
    free(k->api.token);
    free(k->organization_id);
    free(k->directory_id);
    free(k->secret);
    memset(k, 0, sizeof *k);
}

void scim_kit_set_enabled(const scim_kit *k, bool enabled)
{
    assert_int_equal(emu_db_exec(k->f->emu->store, "UPDATE directories SET enabled = ? WHERE id = ?", "bs",
                                 enabled ? 1 : 0, k->directory_id),
                     1);
}

char *scim_kit_new_secret(const scim_kit *k, const char *directory_id)
{
    char *plain = NULL;
    json_t *secret = NULL;
    assert_int_equal(emu_directory_secret_create(k->f->emu, directory_id, &plain, &secret), 0);
    assert_non_null(plain);
    /* The API shape shows only the suffix of the secret. */
    assert_string_equal(json_string_value(json_object_get(secret, "secret_suffix")), plain + strlen(plain) - 4);
    json_decref(secret);
    return plain;
}

long scim_kit_call_as(const scim_kit *k, const char *bearer, const char *const *headers, const char *method,
                      const char *path, const char *body, emu_http_response *resp)
{
    char url[1024], auth[512];
    const char *all[12];
    size_t n = 0;
    snprintf(url, sizeof url, "%s%s", k->base, path);
    if (bearer) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", bearer);
        all[n++] = auth;
    }
    for (size_t i = 0; headers && headers[i] && n < 10; i++)
        all[n++] = headers[i];
    all[n] = NULL;
    emu_http(method, url, all, body, resp);
    return resp->status;
}

long scim_kit_call(const scim_kit *k, const char *method, const char *path, const char *body, json_t **out)
{
    emu_http_response resp;
    const char *headers[] = {"Content-Type: application/scim+json", NULL};
    long status = scim_kit_call_as(k, k->secret, headers, method, path, body, &resp);
    if (out)
        *out = emu_http_json(&resp);
    char type[128];
    /* Every SCIM answer with a body is application/scim+json (RFC 7644 section 3.1). */
    if (resp.body_len > 0)
        assert_string_equal(emu_http_header(&resp, "Content-Type", type, sizeof type), "application/scim+json");
    emu_http_response_free(&resp);
    return status;
}

char *scim_kit_assert_error(const scim_kit *k, const char *method, const char *path, const char *body, long status,
                            const char *scim_type)
{
    json_t *reply = NULL;
    long got = scim_kit_call(k, method, path, body, &reply);
    if (got != status)
        fail_msg("%s %s %s answered %ld, not %ld", method, path, body ? body : "", got, status);
    assert_string_equal(json_string_value(json_array_get(json_object_get(reply, "schemas"), 0)),
                        "urn:ietf:params:scim:api:messages:2.0:Error");
    char want[8];
    snprintf(want, sizeof want, "%ld", status);
    assert_string_equal(json_string_value(json_object_get(reply, "status")), want);
    const char *detail = json_string_value(json_object_get(reply, "detail"));
    assert_non_null(detail);
    assert_true(strlen(detail) > 0);
    if (scim_type)
        assert_string_equal(json_string_value(json_object_get(reply, "scimType")), scim_type);
    else
        assert_null(json_object_get(reply, "scimType"));
    char *copy = strdup(detail);
    json_decref(reply);
    return copy;
}

char *scim_kit_create(const scim_kit *k, const char *endpoint, const char *body)
{
    json_t *reply = NULL;
    long status = scim_kit_call(k, "POST", endpoint, body, &reply);
    if (status != 201)
        fail_msg("POST %s %s answered %ld", endpoint, body, status);
    const char *id = json_string_value(json_object_get(reply, "id"));
    assert_non_null(id);
    char *copy = strdup(id);
    json_decref(reply);
    return copy;
}

long scim_kit_list(const scim_kit *k, const char *what, const char *query, json_t **out)
{
    char path[512];
    snprintf(path, sizeof path, "/api/v1/organizations/%s/directories/%s/%s%s", k->organization_id,
             k->directory_id, what, query ? query : "");
    return emu_raw_fixture_api(&k->api, "GET", path, NULL, out);
}
