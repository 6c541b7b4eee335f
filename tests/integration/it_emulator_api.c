/* The emulator's /api/v1 authentication, test controls (keys, revocation, faults),
 * persistence across a restart, body cap and webhook deliveries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/core.h"
#include "jose/jose.h"
#include "emu_testhttp.h"
#include "emulator.h"
#include "mock_http.h"
#include "scalekit/webhook.h"

/* From the emulator's internal environment.h (whose typedef `emu` would shadow the
 * variables here): the webhook hook other resource files call. */
int emu_event_emit(scalekit_emulator *e, const char *type, const char *organization_id, json_t *object_data);
uint64_t emu_events_delivered(scalekit_emulator *e);

#define REDIRECT "http://localhost:8080/callback"   /* loopback: allowed unregistered */

static scalekit_emulator *start_with(const char *data, int port)
{
    scalekit_emulator_options o = {.quiet = 1, .data_path = data, .port = port};
    scalekit_emulator *emu = NULL;
    assert_int_equal(scalekit_emulator_start(&o, &emu), 0);
    return emu;
}

static void url_of(const scalekit_emulator *emu, const char *path, char *out, size_t n)
{
    snprintf(out, n, "%s%s", scalekit_emulator_url(emu), path);
}

/* GET @p path with a bearer token (NULL: none); the status, the body in *body_out when wanted. */
static long api_get(const scalekit_emulator *emu, const char *path, const char *token, json_t **body_out)
{
    char url[512], auth[4096];
    url_of(emu, path, url, sizeof url);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token ? token : "");
    const char *hdrs[] = {auth, NULL};
    emu_http_response r;
    emu_http("GET", url, token ? hdrs : NULL, NULL, &r);
    long status = r.status;
    if (body_out)
        *body_out = emu_http_json(&r);
    emu_http_response_free(&r);
    return status;
}

static void assert_unauthenticated(const scalekit_emulator *emu, const char *token)
{
    json_t *body = NULL;
    assert_int_equal(api_get(emu, "/api/v1/users/usr_1", token, &body), 401);
    assert_int_equal(json_integer_value(json_object_get(body, "code")), 16);
    assert_non_null(json_string_value(json_object_get(body, "message")));
    json_t *info = json_array_get(json_object_get(body, "details"), 0);
    assert_string_equal(json_string_value(json_object_get(info, "@type")),
                        "type.googleapis.com/scalekit.v1.errdetails.ErrorInfo");
    assert_string_equal(json_string_value(json_object_get(info, "error_code")), "UNAUTHENTICATED");
    assert_non_null(json_string_value(json_object_get(json_object_get(info, "request_info"), "request_id")));
    json_decref(body);
}

static long post(const scalekit_emulator *emu, const char *path, const char *body, emu_http_response *out)
{
    char url[512];
    url_of(emu, path, url, sizeof url);
    emu_http("POST", url, NULL, body, out);
    return out->status;
}

/* The id of a user created by logging in. */
static char *login_user_id(scalekit_emulator *emu, const char *email)
{
    char *code = emu_test_login(emu, email, REDIRECT, NULL);
    assert_non_null(code);
    char form[1024], url[256];
    snprintf(form, sizeof form, "grant_type=authorization_code&client_id=%s&client_secret=%s&code=%s&redirect_uri=%s",
             scalekit_emulator_client_id(emu), scalekit_emulator_client_secret(emu), code, REDIRECT);
    free(code);
    url_of(emu, "/oauth/token", url, sizeof url);
    emu_http_response r;
    emu_http("POST", url, NULL, form, &r);
    assert_int_equal(r.status, 200);
    json_t *j = emu_http_json(&r);
    emu_http_response_free(&r);
    const char *id_token = json_string_value(json_object_get(j, "id_token"));
    const char *dot = strchr(id_token, '.');
    unsigned char *raw = NULL;
    size_t len;
    assert_int_equal(skit_base64url_decode(dot + 1, strcspn(dot + 1, "."), &raw, &len), 0);
    json_t *p = json_loadb((char *)raw, len, 0, NULL);
    char *id = strdup(json_string_value(json_object_get(p, "sub")));
    free(raw);
    json_decref(p);
    json_decref(j);
    return id;
}

static void test_api_requires_our_token(void **state)
{
    scalekit_emulator *emu = start_with(NULL, 0);
    assert_unauthenticated(emu, NULL);
    assert_unauthenticated(emu, "garbage");
    assert_unauthenticated(emu, "a.b.c");

    /* Well formed, right issuer, but signed by a key that is not the emulator's. */
    skit_signing_key *foreign = NULL;
    assert_int_equal(skit_signing_key_generate("RS256", "foreign", &foreign), 0);
    json_t *claims = json_pack("{s:s, s:s, s:I, s:I}", "iss", scalekit_emulator_url(emu), "sub", "x",
                               "iat", (json_int_t)skit_now(), "exp", (json_int_t)skit_now() + 600);
    char *jwt = NULL;
    assert_int_equal(skit_jwt_sign(foreign, claims, &jwt), 0);
    assert_unauthenticated(emu, jwt);
    free(jwt);
    json_decref(claims);
    skit_signing_key_free(foreign);

    /* A Basic header is not a bearer token. */
    char url[256];
    url_of(emu, "/api/v1/users/usr_1", url, sizeof url);
    const char *hdrs[] = {"Authorization: Basic eDp5", NULL};
    emu_http_response r;
    emu_http("GET", url, hdrs, NULL, &r);
    assert_int_equal(r.status, 401);
    emu_http_response_free(&r);

    /* Our own token passes; an unknown user is a 404 with the API error body. */
    char *token = emu_test_client_token(emu);
    assert_non_null(token);
    json_t *body = NULL;
    assert_int_equal(api_get(emu, "/api/v1/users/usr_missing", token, &body), 404);
    assert_int_equal(json_integer_value(json_object_get(body, "code")), 5);
    json_decref(body);

    char *user_id = login_user_id(emu, "hopper@example.com");
    char path[256];
    snprintf(path, sizeof path, "/api/v1/users/%s", user_id);
    assert_int_equal(api_get(emu, path, token, &body), 200);
    json_t *user = json_object_get(body, "user");
    assert_string_equal(json_string_value(json_object_get(user, "id")), user_id);
    assert_string_equal(json_string_value(json_object_get(user, "email")), "hopper@example.com");
    assert_non_null(json_string_value(json_object_get(user, "create_time")));
    assert_true(json_is_object(json_object_get(user, "user_profile")));
    json_decref(body);

    /* Unknown route and wrong method. */
    assert_int_equal(api_get(emu, "/api/v1/nothing-here", token, NULL), 404);
    emu_http("PUT", url, NULL, NULL, &r);
    assert_int_equal(r.status, 405);
    emu_http_response_free(&r);

    /* Revocation: every token issued so far stops working; a new one works. */
    assert_int_equal(post(emu, "/_emulator/api-tokens:revoke", "", &r), 200);
    emu_http_response_free(&r);
    assert_unauthenticated(emu, token);
    free(token);
    token = emu_test_client_token(emu);
    assert_int_equal(api_get(emu, path, token, NULL), 200);
    free(token);
    free(user_id);
    scalekit_emulator_stop(emu);
}

static void test_key_rotation(void **state)
{
    scalekit_emulator *emu = start_with(NULL, 0);
    char *before = emu_test_client_token(emu);
    json_t *keys = NULL;
    assert_int_equal(api_get(emu, "/keys", NULL, &keys), 200);
    char *old_kid = strdup(json_string_value(json_object_get(json_array_get(json_object_get(keys, "keys"), 0), "kid")));
    json_decref(keys);

    emu_http_response r;
    assert_int_equal(post(emu, "/_emulator/keys:rotate", "", &r), 200);
    json_t *j = emu_http_json(&r);
    char *new_kid = strdup(json_string_value(json_object_get(j, "kid")));
    json_decref(j);
    emu_http_response_free(&r);
    assert_string_not_equal(old_kid, new_kid);

    assert_int_equal(api_get(emu, "/keys", NULL, &keys), 200);
    json_t *arr = json_object_get(keys, "keys");
    assert_int_equal(json_array_size(arr), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(arr, 0), "kid")), new_kid);
    assert_string_equal(json_string_value(json_object_get(json_array_get(arr, 1), "kid")), old_kid);
    json_decref(keys);

    /* The old token still passes within the grace period; new tokens use the new key. */
    assert_int_equal(api_get(emu, "/api/v1/users/usr_x", before, NULL), 404);
    char *after = emu_test_client_token(emu);
    unsigned char *raw = NULL;
    size_t len;
    assert_int_equal(skit_base64url_decode(after, strcspn(after, "."), &raw, &len), 0);
    json_t *hdr = json_loadb((char *)raw, len, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(hdr, "kid")), new_kid);
    json_decref(hdr);
    free(raw);
    free(after);
    free(before);
    free(old_kid);
    free(new_kid);
    scalekit_emulator_stop(emu);
}

static void test_rotated_key_expires_after_grace(void **state)
{
    scalekit_emulator_options o = {.quiet = 1, .key_grace_seconds = 1};
    scalekit_emulator *emu = NULL;
    assert_int_equal(scalekit_emulator_start(&o, &emu), 0);
    char *before = emu_test_client_token(emu);
    emu_http_response r;
    assert_int_equal(post(emu, "/_emulator/keys:rotate", "", &r), 200);
    emu_http_response_free(&r);
    skit_sleep_ms(2100);
    json_t *keys = NULL;
    assert_int_equal(api_get(emu, "/keys", NULL, &keys), 200);
    assert_int_equal(json_array_size(json_object_get(keys, "keys")), 1);
    json_decref(keys);
    assert_unauthenticated(emu, before);
    free(before);
    scalekit_emulator_stop(emu);
}

static void test_restart_keeps_state(void **state)
{
    char path[] = "/tmp/it_emulator_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    scalekit_emulator *emu = start_with(path, 0);
    int port = scalekit_emulator_port(emu);
    char *client_id = strdup(scalekit_emulator_client_id(emu));
    char *secret = strdup(scalekit_emulator_client_secret(emu));
    char *token = emu_test_client_token(emu);
    char *user_id = login_user_id(emu, "lovelace@example.com");
    json_t *keys_before = NULL;
    api_get(emu, "/keys", NULL, &keys_before);
    scalekit_emulator_stop(emu);

    /* Same data file and the same environment URL (the token's issuer). */
    emu = start_with(path, port);
    assert_string_equal(scalekit_emulator_client_id(emu), client_id);
    assert_string_equal(scalekit_emulator_client_secret(emu), secret);
    json_t *keys_after = NULL;
    api_get(emu, "/keys", NULL, &keys_after);
    assert_true(json_equal(keys_before, keys_after));
    char p[256];
    snprintf(p, sizeof p, "/api/v1/users/%s", user_id);
    json_t *body = NULL;
    assert_int_equal(api_get(emu, p, token, &body), 200);
    assert_string_equal(json_string_value(json_object_get(json_object_get(body, "user"), "email")),
                        "lovelace@example.com");
    json_decref(body);
    json_decref(keys_before);
    json_decref(keys_after);
    scalekit_emulator_stop(emu);
    free(client_id);
    free(secret);
    free(token);
    free(user_id);
    unlink(path);

    /* A data file that cannot be opened fails the start cleanly. */
    scalekit_emulator_options o = {.quiet = 1, .data_path = "/nonexistent-dir/x.db"};
    scalekit_emulator *none = NULL;
    assert_int_not_equal(scalekit_emulator_start(&o, &none), 0);
    assert_null(none);
}

static void add_fault(scalekit_emulator *emu, const char *json)
{
    emu_http_response r;
    assert_int_equal(post(emu, "/_emulator/faults", json, &r), 201);
    emu_http_response_free(&r);
}

static void test_faults(void **state)
{
    scalekit_emulator *emu = start_with(NULL, 0);
    char url[256], v[64];
    url_of(emu, "/_emulator/health", url, sizeof url);
    emu_http_response r;

    /* A status with Retry-After, twice, then normal again. */
    add_fault(emu, "{\"path\":\"/_emulator/health\",\"status\":429,\"retry_after\":7,\"count\":2}");
    for (int i = 0; i < 2; i++) {
        emu_http("GET", url, NULL, NULL, &r);
        assert_int_equal(r.status, 429);
        assert_string_equal(emu_http_header(&r, "Retry-After", v, sizeof v), "7");
        json_t *j = emu_http_json(&r);
        assert_int_equal(json_integer_value(json_object_get(j, "code")), 8);
        json_decref(j);
        emu_http_response_free(&r);
    }
    emu_http("GET", url, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    emu_http_response_free(&r);

    /* Method filter and prefix match. */
    add_fault(emu, "{\"path\":\"/oauth/*\",\"method\":\"POST\",\"status\":503}");
    char turl[256];
    url_of(emu, "/oauth/token", turl, sizeof turl);
    emu_http("GET", url, NULL, NULL, &r);   /* another path: untouched */
    assert_int_equal(r.status, 200);
    emu_http_response_free(&r);
    emu_http("POST", turl, NULL, "grant_type=client_credentials", &r);
    assert_int_equal(r.status, 503);
    emu_http_response_free(&r);

    /* Delay. */
    add_fault(emu, "{\"path\":\"/_emulator/health\",\"delay_ms\":300}");
    int64_t t0 = skit_monotonic_ms();
    emu_http("GET", url, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_true(skit_monotonic_ms() - t0 >= 300);
    emu_http_response_free(&r);

    /* Drop: no answer at all. */
    add_fault(emu, "{\"path\":\"/_emulator/health\",\"drop\":true}");
    emu_http("GET", url, NULL, NULL, &r);
    assert_int_equal(r.status, 0);
    assert_int_not_equal(r.curl_code, 0);
    emu_http_response_free(&r);

    /* Malformed: 200 with a body that is not JSON. */
    add_fault(emu, "{\"path\":\"/_emulator/health\",\"malformed\":true}");
    emu_http("GET", url, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    json_t *j = emu_http_json(&r);
    assert_null(j);
    emu_http_response_free(&r);

    /* DELETE clears what is left. */
    add_fault(emu, "{\"path\":\"/_emulator/health\",\"status\":500,\"count\":5}");
    char furl[256];
    url_of(emu, "/_emulator/faults", furl, sizeof furl);
    emu_http("DELETE", furl, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    emu_http_response_free(&r);
    emu_http("GET", url, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    emu_http_response_free(&r);

    /* Bad fault definitions. */
    assert_int_equal(post(emu, "/_emulator/faults", "{\"path\":\"x\",\"status\":500}", &r), 400);
    json_t *err = emu_http_json(&r);
    json_t *fv = json_array_get(json_object_get(json_object_get(json_array_get(json_object_get(err, "details"), 0),
                                                                "validation_error_info"), "field_violations"), 0);
    assert_string_equal(json_string_value(json_object_get(fv, "field")), "path");
    json_decref(err);
    emu_http_response_free(&r);
    assert_int_equal(post(emu, "/_emulator/faults", "{\"path\":\"/x\",\"status\":\"500\"}", &r), 400);
    emu_http_response_free(&r);
    assert_int_equal(post(emu, "/_emulator/faults", "{\"path\":\"/x\"}", &r), 400);
    emu_http_response_free(&r);
    assert_int_equal(post(emu, "/_emulator/faults", "[]", &r), 400);
    emu_http_response_free(&r);
    scalekit_emulator_stop(emu);
}

static void test_body_cap(void **state)
{
    scalekit_emulator *emu = start_with(NULL, 0);
    size_t n = 1024 * 1024 + 10;
    char *big = malloc(n + 1);
    memset(big, 'a', n);
    big[n] = '\0';
    emu_http_response r;
    assert_int_equal(post(emu, "/oauth/token", big, &r), 413);
    emu_http_response_free(&r);
    free(big);
    scalekit_emulator_stop(emu);
}

static void test_webhook_delivery(void **state)
{
    mock_http *m = mock_http_start();
    char hook[256];
    snprintf(hook, sizeof hook, "%s/hooks", mock_http_url(m));
    mock_http_enqueue(m, "POST", "/hooks", 500, "{}");   /* first attempt fails: retried */
    mock_http_enqueue(m, "POST", "/hooks", 200, "{}");
    scalekit_emulator_options o = {.quiet = 1, .webhook_url = hook};
    scalekit_emulator *emu = NULL;
    assert_int_equal(scalekit_emulator_start(&o, &emu), 0);
    json_t *data = json_pack("{s:s}", "id", "org_1");
    assert_int_equal(emu_event_emit(emu, "organization.created", "org_1", data), 0);
    json_decref(data);
    for (int i = 0; i < 100 && emu_events_delivered(emu) < 1; i++)
        skit_sleep_ms(50);
    assert_int_equal(emu_events_delivered(emu), 1);
    assert_int_equal(mock_http_count(m, "/hooks"), 2);
    const mock_request *req = mock_http_request_for(m, "/hooks", 1);
    scalekit_header h[3] = {
        {"webhook-id", mock_request_header(req, "webhook-id")},
        {"webhook-timestamp", mock_request_header(req, "webhook-timestamp")},
        {"webhook-signature", mock_request_header(req, "webhook-signature")},
    };
    assert_int_equal(scalekit_verify_webhook_payload(NULL, scalekit_emulator_webhook_secret(emu), h, 3,
                                                     req->body, req->body_len), 0);
    json_t *ev = json_loadb(req->body, req->body_len, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(ev, "type")), "organization.created");
    assert_string_equal(json_string_value(json_object_get(ev, "object")), "Organization");
    assert_string_equal(json_string_value(json_object_get(ev, "organization_id")), "org_1");
    assert_string_equal(json_string_value(json_object_get(ev, "spec_version")), "1");
    assert_non_null(json_string_value(json_object_get(ev, "environment_id")));
    assert_string_equal(json_string_value(json_object_get(ev, "id")), h[0].value);
    assert_string_equal(json_string_value(json_object_get(json_object_get(ev, "data"), "id")), "org_1");
    json_decref(ev);
    /* Stop with a delivery still queued: abandoned, nothing leaked. */
    mock_http_enqueue(m, "POST", "/hooks", 500, "{}");
    assert_int_equal(emu_event_emit(emu, "organization.deleted", "org_1", NULL), 0);
    scalekit_emulator_stop(emu);
    mock_http_stop(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_requires_our_token),
        cmocka_unit_test(test_key_rotation),
        cmocka_unit_test(test_rotated_key_expires_after_grace),
        cmocka_unit_test(test_restart_keeps_state),
        cmocka_unit_test(test_faults),
        cmocka_unit_test(test_body_cap),
        cmocka_unit_test(test_webhook_delivery),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
