/* Client construction: URL validation and normalisation, credentials, options. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "client/client.h"

static void expect_bad_url(const char *url, const char *fragment)
{
    scalekit_client *c = (scalekit_client *)1;
    assert_int_equal(scalekit_client_new(&c, url, "id", "secret"), SCALEKIT_EINVAL);
    assert_null(c);
    const scalekit_error *e = scalekit_error_last();
    assert_int_equal(e->code, SCALEKIT_EINVAL);
    assert_non_null(e->message);
    assert_non_null(strstr(e->message, fragment));
}

static void test_url_validation(void **state)
{
    (void)state;
    expect_bad_url("ftp://example.com", "http:// or https://");
    expect_bad_url("example.com", "http:// or https://");
    expect_bad_url("https://", "no host");
    expect_bad_url("https:///path", "no host");
    expect_bad_url("http://:8080", "no host");
    expect_bad_url("https://example.com?x=1", "query or fragment");
    expect_bad_url("https://example.com/#frag", "query or fragment");
    expect_bad_url("https://exa mple.com", "whitespace");
    expect_bad_url("https://user:pw@example.com", "credentials");
    expect_bad_url("", "must not be empty");
    expect_bad_url(NULL, "must not be empty");
    expect_bad_url("https://example.com:0", "port");
    expect_bad_url("https://example.com:65536", "port");
    expect_bad_url("https://example.com:80a", "port");
    expect_bad_url("https://example.com:", "port");
    expect_bad_url("http://[::1]x", "port");
    expect_bad_url("http://[::1", "port");
    expect_bad_url("https://b\xc3\xbc" "cher.example", "ASCII");
    /* the emulator's --public-url goes through the same check */
    expect_bad_url("http://\\evil.example", "backslash");
    expect_bad_url("https://example.com/<x>", "RFC 3986 forbids");
    expect_bad_url("https://example.com/%zz", "percent-escape");
    expect_bad_url("https://exa!mple.com", "host");
    expect_bad_url("http://[zz]:80", "host");
    expect_bad_url("http://[]", "host");
}

static void expect_normalised(const char *url, const char *expect)
{
    scalekit_client *c = NULL;
    assert_int_equal(scalekit_client_new(&c, url, "id", "secret"), SCALEKIT_OK);
    assert_non_null(c);
    assert_string_equal(scalekit_client_env_url(c), expect);
    assert_int_equal(scalekit_error_last()->code, SCALEKIT_OK);
    scalekit_client_free(c);
}

static void test_url_normalisation(void **state)
{
    (void)state;
    expect_normalised("https://acme.scalekit.dev", "https://acme.scalekit.dev");
    expect_normalised("https://acme.scalekit.dev/", "https://acme.scalekit.dev");
    expect_normalised("https://acme.scalekit.dev///", "https://acme.scalekit.dev");
    expect_normalised("http://127.0.0.1:8080/base/", "http://127.0.0.1:8080/base");
    expect_normalised("HTTPS://Acme.example", "https://Acme.example");
    expect_normalised("https://acme.example:443/", "https://acme.example:443");
    expect_normalised("http://[::1]:65535", "http://[::1]:65535");
    expect_normalised("http://[::1]/", "http://[::1]");
    assert_null(scalekit_client_env_url(NULL));
}

static void test_credentials_required(void **state)
{
    (void)state;
    scalekit_client *c = NULL;
    assert_int_equal(scalekit_client_new(&c, "https://a.example", "", "s"), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "client_id must not be empty");
    assert_int_equal(scalekit_client_new(&c, "https://a.example", NULL, "s"), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_client_new(&c, "https://a.example", "id", ""), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "client_secret must not be empty");
    assert_int_equal(scalekit_client_new(&c, "https://a.example", "id", NULL), SCALEKIT_EINVAL);
    assert_null(c);
    assert_int_equal(scalekit_client_new(NULL, "https://a.example", "id", "s"), SCALEKIT_EINVAL);
}

static void test_option_defaults(void **state)
{
    (void)state;
    scalekit_client *c = NULL;
    scalekit_client_options zero = SCALEKIT_CLIENT_OPTIONS_INIT;
    for (int pass = 0; pass < 2; pass++) {
        assert_int_equal(scalekit_client_new_with_options(&c, "https://a.example", "id", "s",
                                                          pass ? &zero : NULL),
                         SCALEKIT_OK);
        const scalekit_client_options *o = &c->core.opts;
        assert_int_equal(o->timeout_ms, 10000);
        assert_int_equal(o->connect_timeout_ms, 5000);
        assert_int_equal(o->max_retries, 2);
        assert_null(o->ca_bundle_path);
        assert_null(o->user_agent_suffix);
        assert_int_equal(o->jwks_ttl_seconds, 3600);
        assert_int_equal(o->jwks_min_refetch_interval_ms, 30000);
        assert_int_equal(o->retry_base_delay_ms, 200);
        assert_int_equal(o->retry_max_delay_ms, 10000);
        assert_int_equal(o->api_token_refresh_margin_seconds, 60);
        assert_int_equal(o->max_token_bytes, 16384);
        assert_int_equal(o->verified_token_cache_entries, 1024);
        assert_non_null(c->core.share);
        assert_non_null(c->jose);
        assert_string_equal(c->core.client_id, "id");
        assert_string_equal(c->core.client_secret, "s");
        assert_non_null(strstr(c->core.user_agent, "Scalekit-C/" SCALEKIT_VERSION " ("));
        scalekit_client_free(c);
    }
}

static void test_options_copied_and_honoured(void **state)
{
    (void)state;
    char suffix[] = "myapp/1.2";
    char ca[] = "/etc/hostname";   /* any readable file: existence is all that is checked */
    scalekit_client_options o = { .struct_size = sizeof(scalekit_client_options),
        .timeout_ms = 1234, .connect_timeout_ms = 567, .max_retries = -1,
        .ca_bundle_path = ca, .user_agent_suffix = suffix, .jwks_ttl_seconds = 10,
        .jwks_min_refetch_interval_ms = 20, .retry_base_delay_ms = 3, .retry_max_delay_ms = 40,
        .api_token_refresh_margin_seconds = 5, .max_token_bytes = 999,
        .verified_token_cache_entries = -1,
    };
    scalekit_client *c = NULL;
    assert_int_equal(scalekit_client_new_with_options(&c, "https://a.example", "id", "s", &o),
                     SCALEKIT_OK);
    memset(suffix, 'X', sizeof suffix - 1);   /* the client must hold its own copies */
    memset(ca, 'X', sizeof ca - 1);
    assert_int_equal(c->core.opts.timeout_ms, 1234);
    assert_int_equal(c->core.opts.connect_timeout_ms, 567);
    assert_int_equal(c->core.opts.max_retries, -1);
    assert_string_equal(c->core.opts.ca_bundle_path, "/etc/hostname");
    assert_string_equal(c->core.ca_bundle_path, "/etc/hostname");
    assert_string_equal(c->core.opts.user_agent_suffix, "myapp/1.2");
    assert_int_equal(c->core.opts.jwks_ttl_seconds, 10);
    assert_int_equal(c->core.opts.jwks_min_refetch_interval_ms, 20);
    assert_int_equal(c->core.opts.retry_base_delay_ms, 3);
    assert_int_equal(c->core.opts.retry_max_delay_ms, 40);
    assert_int_equal(c->core.opts.api_token_refresh_margin_seconds, 5);
    assert_int_equal(c->core.opts.max_token_bytes, 999);
    assert_int_equal(c->core.opts.verified_token_cache_entries, -1);
    size_t n = strlen(c->core.user_agent);
    assert_true(n > 10);
    assert_string_equal(c->core.user_agent + n - strlen(" myapp/1.2"), " myapp/1.2");
    scalekit_client_free(c);
}

/* The client reads its options by their struct_size (src/core/growable.c). */
static void test_options_struct_size(void **state)
{
    (void)state;
    scalekit_client *c = NULL;
    scalekit_client_options unset = {0};
    unset.timeout_ms = 1;
    assert_int_equal(scalekit_client_new_with_options(&c, "https://a.example", "id", "s", &unset),
                     SCALEKIT_EINVAL);
    assert_null(c);
    assert_string_equal(scalekit_error_last()->message,
                        "scalekit_client_options.struct_size is 0: initialise the struct with "
                        "SCALEKIT_CLIENT_OPTIONS_INIT");

    /* An older caller's struct ends before verified_token_cache_entries: the bytes
     * after it (here an invalid -5) are not read, the member takes its default. */
    struct { scalekit_client_options o; } old = { SCALEKIT_CLIENT_OPTIONS_INIT };
    old.o.timeout_ms = 1234;
    old.o.verified_token_cache_entries = -5;
    old.o.struct_size = offsetof(scalekit_client_options, verified_token_cache_entries);
    assert_int_equal(scalekit_client_new_with_options(&c, "https://a.example", "id", "s", &old.o),
                     SCALEKIT_OK);
    assert_int_equal(c->core.opts.timeout_ms, 1234);
    assert_int_equal(c->core.opts.verified_token_cache_entries, 1024);
    scalekit_client_free(c);
    c = NULL;

    /* A newer caller's struct: unknown members must be zero. */
    struct { scalekit_client_options o; long newer; } big = { SCALEKIT_CLIENT_OPTIONS_INIT, 0 };
    big.o.struct_size = sizeof big;
    assert_int_equal(scalekit_client_new_with_options(&c, "https://a.example", "id", "s", &big.o),
                     SCALEKIT_OK);
    scalekit_client_free(c);
    c = NULL;
    big.newer = 7;
    assert_int_equal(scalekit_client_new_with_options(&c, "https://a.example", "id", "s", &big.o),
                     SCALEKIT_EINVAL);
    assert_non_null(strstr(scalekit_error_last()->message, "sets a member unknown to libscalekit"));
}

static void test_bad_options(void **state)
{
    (void)state;
    scalekit_client *c = NULL;
    scalekit_client_options o = { .struct_size = sizeof(scalekit_client_options), .timeout_ms = -1};
    assert_int_equal(scalekit_client_new_with_options(&c, "https://a.example", "id", "s", &o),
                     SCALEKIT_EINVAL);
    assert_non_null(strstr(scalekit_error_last()->message, "timeout_ms"));
    o = (scalekit_client_options){ .struct_size = sizeof(scalekit_client_options), .connect_timeout_ms = -5};
    assert_int_equal(scalekit_client_new_with_options(&c, "https://a.example", "id", "s", &o),
                     SCALEKIT_EINVAL);
    o = (scalekit_client_options){ .struct_size = sizeof(scalekit_client_options), .max_retries = -2};
    assert_int_equal(scalekit_client_new_with_options(&c, "https://a.example", "id", "s", &o),
                     SCALEKIT_EINVAL);
    o = (scalekit_client_options){ .struct_size = sizeof(scalekit_client_options), .ca_bundle_path = "/nonexistent/ca.pem"};
    assert_int_equal(scalekit_client_new_with_options(&c, "https://a.example", "id", "s", &o),
                     SCALEKIT_EINVAL);
    assert_non_null(strstr(scalekit_error_last()->message, "/nonexistent/ca.pem"));
    o = (scalekit_client_options){ .struct_size = sizeof(scalekit_client_options), .retry_max_delay_ms = -1};
    assert_int_equal(scalekit_client_new_with_options(&c, "https://a.example", "id", "s", &o),
                     SCALEKIT_EINVAL);
    assert_null(c);
}

static void test_free_null_and_version(void **state)
{
    (void)state;
    scalekit_client_free(NULL);
    scalekit_free(NULL);
    assert_string_equal(scalekit_version(), SCALEKIT_VERSION);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_validation),
        cmocka_unit_test(test_url_normalisation),
        cmocka_unit_test(test_credentials_required),
        cmocka_unit_test(test_option_defaults),
        cmocka_unit_test(test_options_copied_and_honoured),
        cmocka_unit_test(test_options_struct_size),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_free_null_and_version),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    scalekit_error_clear();
    return rc;
}
