/*
 * The emulator's public URL (issue 7 part 7): behind a forwarding proxy, the
 * issuer, the discovery document, the login form and portal links name the URL
 * clients see, not the listening address; the SDK validates its tokens only
 * when its environment URL is that public one. And the option's validation.
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
#include "tcp_proxy.h"

typedef struct proxied {
    tcp_proxy *proxy;
    scalekit_emulator *emu;
    char public_url[64];
} proxied;

static int setup(void **state)
{
    proxied *p = calloc(1, sizeof *p);
    assert_non_null(p);
    p->proxy = tcp_proxy_listen();
    assert_non_null(p->proxy);
    /* Given with a trailing '/', which the emulator drops. */
    char given[80];
    snprintf(p->public_url, sizeof p->public_url, "http://127.0.0.1:%d", tcp_proxy_port(p->proxy));
    snprintf(given, sizeof given, "%s/", p->public_url);
    scalekit_emulator_options o = {.quiet = 1, .public_url = given};
    assert_int_equal(scalekit_emulator_start(&o, &p->emu), 0);
    assert_int_equal(tcp_proxy_forward(p->proxy, scalekit_emulator_port(p->emu)), 0);
    *state = p;
    return 0;
}

static int teardown(void **state)
{
    proxied *p = *state;
    tcp_proxy_stop(p->proxy);
    scalekit_emulator_stop(p->emu);
    free(p);
    return 0;
}

/* GET @p base @p path; asserts 200 and JSON; new reference. */
static json_t *get_json(const char *base, const char *path)
{
    char url[512];
    snprintf(url, sizeof url, "%s%s", base, path);
    emu_http_response r;
    emu_http("GET", url, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    json_t *j = emu_http_json(&r);
    emu_http_response_free(&r);
    assert_non_null(j);
    return j;
}

static void assert_on(const char *url, const char *base, const char *path)
{
    char want[512];
    snprintf(want, sizeof want, "%s%s", base, path);
    assert_non_null(url);
    assert_string_equal(url, want);
}

static void test_urls_name_the_public_url(void **state)
{
    proxied *p = *state;
    assert_string_equal(scalekit_emulator_url(p->emu), p->public_url);
    char listen[64];
    snprintf(listen, sizeof listen, "http://127.0.0.1:%d", scalekit_emulator_port(p->emu));
    assert_string_equal(scalekit_emulator_listen_url(p->emu), listen);

    /* The same document whichever way it is reached: the listening address stays
     * reachable, but every URL it hands out is the public one. */
    const char *bases[] = {p->public_url, listen};
    for (size_t i = 0; i < 2; i++) {
        json_t *d = get_json(bases[i], "/.well-known/openid-configuration");
        assert_on(json_string_value(json_object_get(d, "issuer")), p->public_url, "");
        assert_on(json_string_value(json_object_get(d, "authorization_endpoint")), p->public_url, "/oauth/authorize");
        assert_on(json_string_value(json_object_get(d, "token_endpoint")), p->public_url, "/oauth/token");
        assert_on(json_string_value(json_object_get(d, "jwks_uri")), p->public_url, "/keys");
        assert_on(json_string_value(json_object_get(d, "end_session_endpoint")), p->public_url, "/oidc/logout");
        json_decref(d);
    }

    /* The token's issuer. */
    char *token = emu_test_client_token(p->emu);
    json_t *claims = emu_test_jwt_payload(token);
    assert_string_equal(json_string_value(json_object_get(claims, "iss")), p->public_url);
    json_decref(claims);

    /* The hosted login posts back through the public URL. */
    char url[512], action[512];
    snprintf(url, sizeof url, "%s/oauth/authorize?response_type=code&client_id=%s&redirect_uri=%s",
             p->public_url, scalekit_emulator_client_id(p->emu), "http%3A%2F%2F127.0.0.1%3A9%2Fcb");
    emu_http_response r;
    emu_http("GET", url, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    snprintf(action, sizeof action, "action=\"%s/oauth/authorize\"", p->public_url);
    assert_non_null(strstr(r.body, action));
    emu_http_response_free(&r);

    /* Portal links. */
    char auth[4096];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    const char *hdrs[] = {auth, "Content-Type: application/json", NULL};
    snprintf(url, sizeof url, "%s/api/v1/organizations", p->public_url);
    emu_http("POST", url, hdrs, "{\"display_name\":\"Proxied\"}", &r);
    assert_int_equal(r.status, 201);
    json_t *org = emu_http_json(&r);
    emu_http_response_free(&r);
    snprintf(url, sizeof url, "%s/api/v1/organizations/%s/portal_links", p->public_url,
             json_string_value(json_object_get(json_object_get(org, "organization"), "id")));
    json_decref(org);
    emu_http("PUT", url, hdrs, NULL, &r);
    assert_int_equal(r.status, 200);
    json_t *link = emu_http_json(&r);
    emu_http_response_free(&r);
    char portal[128];
    snprintf(portal, sizeof portal, "%s/portal/", p->public_url);
    const char *location = json_string_value(json_object_get(json_object_get(link, "link"), "location"));
    assert_non_null(location);
    assert_true(strncmp(location, portal, strlen(portal)) == 0);
    json_decref(link);
    free(token);
    assert_true(tcp_proxy_connections(p->proxy) >= 4);
}

/* Validate @p token as a client of @p env_url does: its keys, and the issuer = its environment URL. */
static int validate_as(scalekit_client *c, const char *env_url, const char *token)
{
    scalekit_validate_options o = SCALEKIT_VALIDATE_OPTIONS_INIT;
    o.issuer = env_url;
    return scalekit_validate_token(c, token, &o, NULL);
}

static void test_sdk_validates_only_with_the_public_url(void **state)
{
    proxied *p = *state;
    const char *id = scalekit_emulator_client_id(p->emu), *secret = scalekit_emulator_client_secret(p->emu);
    const char *listen = scalekit_emulator_listen_url(p->emu);
    scalekit_client *public = NULL, *direct = NULL;
    assert_int_equal(scalekit_client_new(&public, p->public_url, id, secret), SCALEKIT_OK);
    assert_int_equal(scalekit_client_new(&direct, listen, id, secret), SCALEKIT_OK);
    /* Tokens fetched either way are the same environment's: issued by the public URL. */
    for (int way = 0; way < 2; way++) {
        scalekit_token_response *t = NULL;
        assert_int_equal(scalekit_generate_client_token(way ? direct : public, NULL, &t), SCALEKIT_OK);
        int rc = validate_as(public, p->public_url, t->access_token);
        if (rc != SCALEKIT_OK)
            fail_msg("validation through the public URL: %s", emu_fixture_last_message());
        /* A client configured with the listening address expects another issuer. */
        assert_int_equal(validate_as(direct, listen, t->access_token), SCALEKIT_ETOKEN_CLAIM);
        assert_non_null(strstr(emu_fixture_last_message(), p->public_url));
        scalekit_token_response_free(t);
    }
    scalekit_client_free(public);
    scalekit_client_free(direct);
}

static void test_public_url_is_validated(void **state)
{
    static const char *const bad[] = {
        "ftp://example.com", "example.com", "http://", "http:///path", "http://example.com?x=1",
        "http://example.com/#top", "http://user@example.com", "http://example.com:0",
        "http://example.com:99999", "http://example.com:", "http://example.com:8x",
        "http://exa mple.com", "http://example.com/a b", "http://[zz]:80", "http://[]",
        "http://example.com/<x>",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        scalekit_emulator_options o = {.quiet = 1, .public_url = bad[i]};
        scalekit_emulator *emu = NULL;
        if (scalekit_emulator_start(&o, &emu) != SCALEKIT_EINVAL)
            fail_msg("public_url %s was not refused", bad[i]);
        assert_null(emu);
    }
    char too_long[600] = "http://example.com/";
    memset(too_long + strlen(too_long), 'a', sizeof too_long - strlen(too_long) - 1);
    too_long[sizeof too_long - 1] = '\0';
    scalekit_emulator_options o = {.quiet = 1, .public_url = too_long};
    scalekit_emulator *emu = NULL;
    assert_int_equal(scalekit_emulator_start(&o, &emu), SCALEKIT_EINVAL);

    /* Accepted: the scheme written lower-case, trailing slashes dropped, a path kept. */
    static const struct { const char *given, *url; } good[] = {
        {"HTTPS://Example.com:8443/scalekit//", "https://Example.com:8443/scalekit"},
        {"http://[::1]:8080", "http://[::1]:8080"},
        {"https://auth.example.com", "https://auth.example.com"},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        scalekit_emulator_options g = {.quiet = 1, .public_url = good[i].given};
        assert_int_equal(scalekit_emulator_start(&g, &emu), 0);
        assert_string_equal(scalekit_emulator_url(emu), good[i].url);
        json_t *d = get_json(scalekit_emulator_listen_url(emu), "/.well-known/openid-configuration");
        assert_on(json_string_value(json_object_get(d, "token_endpoint")), good[i].url, "/oauth/token");
        json_decref(d);
        scalekit_emulator_stop(emu);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_urls_name_the_public_url),
        cmocka_unit_test(test_sdk_validates_only_with_the_public_url),
        cmocka_unit_test(test_public_url_is_validated),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
