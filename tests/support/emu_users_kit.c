/* Helpers of the users, memberships and sessions suites: see emu_users_kit.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <curl/curl.h>

#include "emu_users_kit.h"
#include "emu_testhttp.h"
#include "core/core.h"

void ukit_assert_error(const emu_raw_fixture *s, const char *method, const char *path, const char *body,
                       long status, const char *error_code)
{
    json_t *reply = NULL;
    long got = emu_raw_fixture_api(s, method, path, body, &reply);
    if (got != status)
        fail_msg("%s %s %s answered %ld, not %ld", method, path, body ? body : "", got, status);
    assert_true(json_is_integer(json_object_get(reply, "code")));
    assert_non_null(json_string_value(json_object_get(reply, "message")));
    json_t *info = json_array_get(json_object_get(reply, "details"), 0);
    assert_string_equal(json_string_value(json_object_get(info, "error_code")), error_code);
    json_decref(reply);
}

void ukit_assert_field_error(const emu_raw_fixture *s, const char *method, const char *path, const char *body,
                             const char *field)
{
    json_t *reply = NULL;
    long status = emu_raw_fixture_api(s, method, path, body, &reply);
    if (status != 400)
        fail_msg("%s %s %s answered %ld, not 400", method, path, body ? body : "", status);
    assert_int_equal(json_integer_value(json_object_get(reply, "code")), 3);
    json_t *info = json_array_get(json_object_get(reply, "details"), 0);
    json_t *violation = json_array_get(json_object_get(json_object_get(info, "validation_error_info"),
                                                       "field_violations"), 0);
    if (field && !json_string_value(json_object_get(violation, "field")))
        fail_msg("%s %s %s: no field violation (wanted %s)", method, path, body ? body : "", field);
    if (field)
        assert_string_equal(json_string_value(json_object_get(violation, "field")), field);
    json_decref(reply);
}

char *ukit_id(const json_t *user)
{
    const char *id = json_string_value(json_object_get(user, "id"));
    assert_non_null(id);
    return strdup(id);
}

const char *ukit_unique_email(char *out, size_t n, const char *email)
{
    const char *at = strchr(email, '@');
    assert_non_null(at);
    char local[128];
    snprintf(local, sizeof local, "%.*s", (int)(at - email), email);
    char unique[192];
    emu_fixture_unique(unique, sizeof unique, local);
    snprintf(out, n, "%s%s", unique, at);
    return out;
}

char *ukit_create_org(const emu_raw_fixture *s, const char *name)
{
    char body[256];
    snprintf(body, sizeof body, "{\"display_name\":\"%s\"}", name);
    json_t *reply = NULL;
    assert_int_equal(emu_raw_fixture_api(s, "POST", "/api/v1/organizations", body, &reply), 201);
    char *id = ukit_id(json_object_get(reply, "organization"));
    json_decref(reply);
    return id;
}

json_t *ukit_create_user(const emu_raw_fixture *s, const char *org, const char *email, const char *extra,
                         const char *query)
{
    char path[256], body[1024];
    snprintf(path, sizeof path, "/api/v1/organizations/%s/users%s", org, query ? query : "");
    snprintf(body, sizeof body, "{\"email\":\"%s\"%s%s}", email, extra ? "," : "", extra ? extra : "");
    json_t *reply = NULL;
    long status = emu_raw_fixture_api(s, "POST", path, body, &reply);
    if (status != 201)
        fail_msg("create %s in %s answered %ld", email, org, status);
    json_t *user = json_incref(json_object_get(reply, "user"));
    json_decref(reply);
    assert_non_null(user);
    return user;
}

/* POST a form to /oauth/token with the emulator's client; the status and the answer. */
static long token_request(const emu_raw_fixture *s, const char *form, json_t **out)
{
    char url[256], full[4096];
    emu_fixture_url(s->f, "/oauth/token", url, sizeof url);
    snprintf(full, sizeof full, "%s&client_id=%s&client_secret=%s", form, s->f->client_id, s->f->client_secret);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    return emu_http_call("POST", url, headers, full, out);
}

json_t *ukit_sign_in(const emu_raw_fixture *s, const char *email, const char *org, const char *user_agent)
{
    CURL *c = curl_easy_init();
    char *e_email = curl_easy_escape(c, email, 0);
    char url[256], form[1024], ua[256], location[2048];
    emu_fixture_url(s->f, "/oauth/authorize", url, sizeof url);
    snprintf(form, sizeof form, "response_type=code&client_id=%s&redirect_uri=http%%3A%%2F%%2F127.0.0.1%%2Fcb"
             "&email=%s%s%s", s->f->client_id, e_email, org ? "&organization_id=" : "", org ? org : "");
    curl_free(e_email);
    curl_easy_cleanup(c);
    snprintf(ua, sizeof ua, "User-Agent: %s", user_agent);
    const char *headers[] = {ua, NULL};
    emu_http_response r;
    emu_http("POST", url, headers, form, &r);
    if (r.status != 302 || !emu_http_header(&r, "Location", location, sizeof location))
        fail_msg("sign-in of %s answered %ld: %s", email, r.status, r.body);
    emu_http_response_free(&r);
    char *code = emu_test_query_param(location, "code");
    assert_non_null(code);
    snprintf(form, sizeof form, "grant_type=authorization_code&code=%s&redirect_uri=http%%3A%%2F%%2F127.0.0.1%%2Fcb",
             code);
    free(code);
    json_t *tokens = NULL;
    assert_int_equal(token_request(s, form, &tokens), 200);
    return tokens;
}

long ukit_refresh(const emu_raw_fixture *s, const char *refresh_token, json_t **out)
{
    char form[512];
    snprintf(form, sizeof form, "grant_type=refresh_token&refresh_token=%s", refresh_token);
    return token_request(s, form, out);
}

json_t *ukit_claims(const char *jwt)
{
    json_t *claims = emu_test_jwt_payload(jwt);
    assert_non_null(claims);
    return claims;
}

long ukit_get_page(const emu_raw_fixture *s, const char *method, const char *path, char **out)
{
    char url[512];
    emu_fixture_url(s->f, path, url, sizeof url);
    emu_http_response r;
    emu_http(method, url, NULL, NULL, &r);
    long status = r.status;
    if (out)
        *out = strdup(r.body ? r.body : "");
    emu_http_response_free(&r);
    return status;
}
