/* Authorization and logout URLs: every option, encoding, defaults, refusals. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scalekit/scalekit.h"

#define ENV "https://acme.scalekit.dev"
#define REDIRECT "https://app.example.com/callback"
#define REDIRECT_ENC "https%3A%2F%2Fapp.example.com%2Fcallback"

static int setup(void **state)
{
    scalekit_client *client = NULL;
    if (scalekit_client_new(&client, ENV "/", "skc_123", "secret") != SCALEKIT_OK)
        return -1;
    *state = client;
    return 0;
}

static int teardown(void **state)
{
    scalekit_client_free(*state);
    return 0;
}

static void expect_auth_url(scalekit_client *client, const scalekit_authorization_url_options *opts,
                            const char *expected)
{
    char *url = NULL;
    assert_int_equal(scalekit_get_authorization_url(client, REDIRECT, opts, &url), SCALEKIT_OK);
    assert_non_null(url);
    assert_string_equal(url, expected);
    scalekit_free(url);
}

static void default_scopes_and_no_options(void **state)
{
    const char *expected = ENV "/oauth/authorize?response_type=code&client_id=skc_123"
                           "&redirect_uri=" REDIRECT_ENC "&scope=openid%20profile%20email";
    expect_auth_url(*state, NULL, expected);
    scalekit_authorization_url_options zero = SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT;
    expect_auth_url(*state, &zero, expected);
    const char *const empty_list[] = {NULL};   /* an empty list means the defaults too */
    scalekit_authorization_url_options empty = { .struct_size = sizeof(scalekit_authorization_url_options), .scopes = empty_list};
    expect_auth_url(*state, &empty, expected);

    /* Not initialised with the macro: refused, naming the macro. */
    scalekit_authorization_url_options unset = {0};
    unset.state = "s";
    char *url = (char *)&url;
    assert_int_equal(scalekit_get_authorization_url(*state, "https://x/cb", &unset, &url),
                     SCALEKIT_EINVAL);
    assert_null(url);
    assert_non_null(strstr(scalekit_error_last()->message,
                           "SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT"));
    scalekit_logout_url_options unset_logout = {0};
    assert_int_equal(scalekit_get_logout_url(*state, &unset_logout, &url), SCALEKIT_EINVAL);
    assert_non_null(strstr(scalekit_error_last()->message, "SCALEKIT_LOGOUT_URL_OPTIONS_INIT"));
}

static void every_option(void **state)
{
    const char *const scopes[] = {"openid", "offline_access", NULL};
    scalekit_authorization_url_options o = { .struct_size = sizeof(scalekit_authorization_url_options),
        .scopes = scopes,
        .state = "st1",
        .nonce = "n0",
        .login_hint = "user@acme.com",
        .domain_hint = "acme.com",
        .connection_id = "conn_1",
        .organization_id = "org_2",
        .provider = "google",
        .code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        .code_challenge_method = "S256",
        .prompt = "login",
    };
    expect_auth_url(*state, &o,
        ENV "/oauth/authorize?response_type=code&client_id=skc_123&redirect_uri=" REDIRECT_ENC
        "&scope=openid%20offline_access&state=st1&nonce=n0&login_hint=user%40acme.com"
        "&domain_hint=acme.com&domain=acme.com&connection_id=conn_1&organization_id=org_2"
        "&provider=google&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        "&code_challenge_method=S256&prompt=login");
}

static void domain_hint_is_sent_twice(void **state)
{
    scalekit_authorization_url_options o = { .struct_size = sizeof(scalekit_authorization_url_options), .domain_hint = "example.org"};
    char *url = NULL;
    assert_int_equal(scalekit_get_authorization_url(*state, REDIRECT, &o, &url), SCALEKIT_OK);
    assert_non_null(strstr(url, "&domain_hint=example.org&domain=example.org"));
    scalekit_free(url);
}

static void reserved_and_non_ascii_are_percent_encoded(void **state)
{
    scalekit_authorization_url_options o = { .struct_size = sizeof(scalekit_authorization_url_options),
        .state = "a b+c&d=e/f?g#h%i",
        .login_hint = "j\xc3\xb6hn@example.com",   /* "jöhn" in UTF-8 */
        .nonce = "AZaz09-._~",                       /* unreserved: kept as is */
    };
    char *url = NULL;
    assert_int_equal(scalekit_get_authorization_url(*state, "http://x/cb?a=1 2", &o, &url),
                     SCALEKIT_OK);
    assert_string_equal(url,
        ENV "/oauth/authorize?response_type=code&client_id=skc_123"
        "&redirect_uri=http%3A%2F%2Fx%2Fcb%3Fa%3D1%202&scope=openid%20profile%20email"
        "&state=a%20b%2Bc%26d%3De%2Ff%3Fg%23h%25i&nonce=AZaz09-._~&login_hint=j%C3%B6hn%40example.com");
    assert_null(strchr(url, '+'));
    scalekit_free(url);
}

static void empty_options_are_left_out(void **state)
{
    scalekit_authorization_url_options o = { .struct_size = sizeof(scalekit_authorization_url_options),
        .state = "", .nonce = "", .login_hint = "", .domain_hint = "", .connection_id = "",
        .organization_id = "", .provider = "", .code_challenge = "", .code_challenge_method = "",
        .prompt = "",
    };
    expect_auth_url(*state, &o,
        ENV "/oauth/authorize?response_type=code&client_id=skc_123&redirect_uri=" REDIRECT_ENC
        "&scope=openid%20profile%20email");
}

static void bad_scopes_are_refused(void **state)
{
    const char *const with_space[] = {"openid", "profile email", NULL};
    const char *const with_empty[] = {"openid", "", NULL};
    const char *const *cases[] = {with_space, with_empty};
    for (size_t i = 0; i < 2; i++) {
        scalekit_authorization_url_options o = { .struct_size = sizeof(scalekit_authorization_url_options), .scopes = cases[i]};
        char *url = (char *)"sentinel";
        assert_int_equal(scalekit_get_authorization_url(*state, REDIRECT, &o, &url), SCALEKIT_EINVAL);
        assert_null(url);
        assert_int_equal(scalekit_error_last()->code, SCALEKIT_EINVAL);
        assert_non_null(strstr(scalekit_error_last()->message, "scopes[1]"));
    }
}

static void bad_arguments_are_refused(void **state)
{
    char *url = (char *)"sentinel";
    assert_int_equal(scalekit_get_authorization_url(*state, NULL, NULL, &url), SCALEKIT_EINVAL);
    assert_null(url);
    assert_non_null(strstr(scalekit_error_last()->message, "redirect_uri"));
    url = (char *)"sentinel";
    assert_int_equal(scalekit_get_authorization_url(*state, "", NULL, &url), SCALEKIT_EINVAL);
    assert_null(url);
    assert_non_null(strstr(scalekit_error_last()->message, "redirect_uri"));
    assert_int_equal(scalekit_get_authorization_url(NULL, REDIRECT, NULL, &url), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_get_authorization_url(*state, REDIRECT, NULL, NULL), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_get_logout_url(NULL, NULL, &url), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_get_logout_url(*state, NULL, NULL), SCALEKIT_EINVAL);
}

static void expect_logout_url(scalekit_client *client, const scalekit_logout_url_options *opts,
                              const char *expected)
{
    char *url = NULL;
    assert_int_equal(scalekit_get_logout_url(client, opts, &url), SCALEKIT_OK);
    assert_string_equal(url, expected);
    scalekit_free(url);
}

static void logout_url_variants(void **state)
{
    expect_logout_url(*state, NULL, ENV "/oidc/logout");
    scalekit_logout_url_options empty = { .struct_size = sizeof(scalekit_logout_url_options), .id_token_hint = "", .post_logout_redirect_uri = "", .state = ""};
    expect_logout_url(*state, &empty, ENV "/oidc/logout");
    scalekit_logout_url_options only_state = { .struct_size = sizeof(scalekit_logout_url_options), .state = "s 1"};
    expect_logout_url(*state, &only_state, ENV "/oidc/logout?state=s%201");
    scalekit_logout_url_options all = { .struct_size = sizeof(scalekit_logout_url_options),
        .id_token_hint = "eyJ.a.b",
        .post_logout_redirect_uri = "https://app.example.com/bye?x=1",
        .state = "xyz",
    };
    expect_logout_url(*state, &all,
        ENV "/oidc/logout?id_token_hint=eyJ.a.b"
        "&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2Fbye%3Fx%3D1&state=xyz");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(default_scopes_and_no_options, setup, teardown),
        cmocka_unit_test_setup_teardown(every_option, setup, teardown),
        cmocka_unit_test_setup_teardown(domain_hint_is_sent_twice, setup, teardown),
        cmocka_unit_test_setup_teardown(reserved_and_non_ascii_are_percent_encoded, setup, teardown),
        cmocka_unit_test_setup_teardown(empty_options_are_left_out, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_scopes_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_arguments_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(logout_url_variants, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
