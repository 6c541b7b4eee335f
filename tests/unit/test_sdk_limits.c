/*
 * What the SDK refuses from a hostile server (issue 8): token-endpoint answers
 * whose tokens are not token68 (RFC 6750 section 2.1) never reach a header,
 * an over-large token is reported as one, and a JWKS with more keys than
 * SKIT_JWKS_MAX_KEYS is refused before any key is parsed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/client_internal.h"
#include "jose/jose.h"
#include "jose_testkit.h"
#include "mock_http.h"

#define API "/api/v1/things"
#define TOKEN "/oauth/token"

static scalekit_client *make_client(const char *url)
{
    scalekit_client_options o = SCALEKIT_CLIENT_OPTIONS_INIT;
    o.retry_base_delay_ms = 1;
    o.retry_max_delay_ms = 5;
    scalekit_client *c = NULL;
    assert_int_equal(scalekit_client_new_with_options(&c, url, "id", "secret", &o), SCALEKIT_OK);
    return c;
}

static void answer_tokens_with(mock_http *m, const char *body)
{
    mock_response r = {.status = 200, .body = body};
    mock_http_set_default(m, TOKEN, &r);
}

static void assert_message_has(const char *part)
{
    const char *msg = scalekit_error_last()->message;
    if (!msg || !strstr(msg, part))
        fail_msg("message \"%s\" does not name \"%s\"", msg ? msg : "(null)", part);
}

/* No request the mock received carries a header named @p name. */
static void assert_no_request_has_header(mock_http *m, const char *name)
{
    for (size_t i = 0; i < mock_http_request_count(m); i++)
        if (mock_request_header(mock_http_request(m, i), name))
            fail_msg("request %zu carries %s", i, name);
}

/* ---- token68 ---------------------------------------------------------------- */

static void test_crlf_in_access_token_never_reaches_a_header(void **state)
{
    (void)state;
    mock_http *m = mock_http_start();
    answer_tokens_with(m, "{\"access_token\":\"abc\\r\\nX-Injected: yes\","
                          "\"token_type\":\"Bearer\",\"expires_in\":3600}");
    scalekit_client *c = make_client(mock_http_url(m));
    /* the API token the transport would put in Authorization */
    assert_int_equal(skit_api_call(c, "GET", API, NULL, NULL, NULL), SCALEKIT_EMALFORMED_RESPONSE);
    assert_message_has("access_token");
    assert_int_equal(mock_http_count(m, API), 0);
    /* a second call fetches again (nothing was cached) and is refused again */
    assert_int_equal(skit_api_call(c, "GET", API, NULL, NULL, NULL), SCALEKIT_EMALFORMED_RESPONSE);
    assert_int_equal(mock_http_count(m, API), 0);
    /* the token a caller would put in a header of its own */
    scalekit_token_response *t = NULL;
    assert_int_equal(scalekit_generate_client_token(c, NULL, &t), SCALEKIT_EMALFORMED_RESPONSE);
    assert_null(t);
    assert_message_has("access_token");
    assert_no_request_has_header(m, "X-Injected");
    scalekit_client_free(c);
    mock_http_stop(m);
}

static void expect_refused(const char *body, const char *field)
{
    mock_http *m = mock_http_start();
    answer_tokens_with(m, body);
    scalekit_client *c = make_client(mock_http_url(m));
    scalekit_token_response *t = NULL;
    int rc = scalekit_refresh_access_token(c, "rt_1", &t);
    if (rc != SCALEKIT_EMALFORMED_RESPONSE)
        fail_msg("answer %s gave %d, not EMALFORMED_RESPONSE", body, rc);
    assert_null(t);
    assert_message_has(field);
    scalekit_client_free(c);
    mock_http_stop(m);
}

static void test_every_token_field_is_token68(void **state)
{
    (void)state;
    expect_refused("{\"access_token\":\"ok\",\"refresh_token\":\"a b\"}", "refresh_token");
    expect_refused("{\"access_token\":\"ok\",\"refresh_token\":\"r\\tx\"}", "refresh_token");
    expect_refused("{\"access_token\":\"ok\",\"id_token\":\"x\\ny\"}", "id_token");
    expect_refused("{\"access_token\":\"a=b\"}", "access_token");          /* '=' only at the end */
    expect_refused("{\"access_token\":\"=\"}", "access_token");            /* nothing before it */
    expect_refused("{\"access_token\":\"caf\\u00e9\"}", "access_token");   /* not ASCII */
    expect_refused("{\"access_token\":\"ok\",\"refresh_token\":42}", "refresh_token");

    /* every token68 character, and trailing '=' padding, passes */
    mock_http *m = mock_http_start();
    answer_tokens_with(m, "{\"access_token\":\"AZaz09-._~+/==\",\"refresh_token\":\"r.1\","
                          "\"id_token\":null,\"expires_in\":60}");
    scalekit_client *c = make_client(mock_http_url(m));
    scalekit_token_response *t = NULL;
    assert_int_equal(scalekit_refresh_access_token(c, "rt_1", &t), SCALEKIT_OK);
    assert_string_equal(t->access_token, "AZaz09-._~+/==");
    assert_string_equal(t->refresh_token, "r.1");
    scalekit_token_response_free(t);
    scalekit_client_free(c);
    mock_http_stop(m);
}

/* ---- size ------------------------------------------------------------------- */

static char *token_answer_of_size(size_t n)
{
    char *body = malloc(n + 64);
    assert_non_null(body);
    int head = sprintf(body, "{\"access_token\":\"");
    memset(body + head, 'a', n);
    strcpy(body + head + n, "\",\"expires_in\":3600}");
    return body;
}

static void test_seven_megabyte_token_is_reported_as_too_large(void **state)
{
    (void)state;
    mock_http *m = mock_http_start();
    char *body = token_answer_of_size((size_t)7 << 20);
    answer_tokens_with(m, body);
    free(body);
    scalekit_client *c = make_client(mock_http_url(m));
    assert_int_equal(skit_api_call(c, "GET", API, NULL, NULL, NULL), SCALEKIT_EMALFORMED_RESPONSE);
    assert_message_has("max_token_bytes (16384)");
    assert_message_has("access_token");
    assert_int_equal(mock_http_count(m, API), 0);
    scalekit_token_response *t = NULL;
    assert_int_equal(scalekit_generate_client_token(c, NULL, &t), SCALEKIT_EMALFORMED_RESPONSE);
    assert_message_has("max_token_bytes (16384)");
    scalekit_client_free(c);

    /* the limit is the client's: raised, the same token is taken */
    scalekit_client_options o = SCALEKIT_CLIENT_OPTIONS_INIT;
    o.max_token_bytes = (size_t)8 << 20;
    assert_int_equal(scalekit_client_new_with_options(&c, mock_http_url(m), "id", "secret", &o),
                     SCALEKIT_OK);
    assert_int_equal(scalekit_generate_client_token(c, NULL, &t), SCALEKIT_OK);
    assert_int_equal(strlen(t->access_token), (size_t)7 << 20);
    scalekit_token_response_free(t);
    scalekit_client_free(c);
    mock_http_stop(m);
}

/* A whole answer over the transport's cap names the cap, not "Out of memory". */
static void test_response_over_the_cap_names_the_cap(void **state)
{
    (void)state;
    mock_http *m = mock_http_start();
    char *body = token_answer_of_size(SKIT_MAX_RESPONSE_BYTES);
    answer_tokens_with(m, body);
    free(body);
    scalekit_client *c = make_client(mock_http_url(m));
    scalekit_token_response *t = NULL;
    assert_int_equal(scalekit_generate_client_token(c, NULL, &t), SCALEKIT_EMALFORMED_RESPONSE);
    char limit[32];
    snprintf(limit, sizeof limit, "%zu bytes", SKIT_MAX_RESPONSE_BYTES);
    assert_message_has(limit);
    scalekit_client_free(c);
    mock_http_stop(m);
}

/* ---- JWKS key count ----------------------------------------------------------- */

/* {"keys":[<jwk> x n]} */
static char *jwks_repeating(const char *jwk, size_t n)
{
    skit_buf b = SKIT_BUF_INIT;
    skit_buf_puts(&b, "{\"keys\":[");
    for (size_t i = 0; i < n; i++)
        skit_buf_printf(&b, "%s%s", i ? "," : "", jwk);
    skit_buf_puts(&b, "]}");
    assert_non_null(b.ptr);
    return skit_buf_detach(&b);
}

static void test_jwks_key_cap(void **state)
{
    (void)state;
    skit_signing_key *key = jt_key("RS256", "k1");
    json_t *jwk = NULL;
    assert_int_equal(skit_signing_key_public_jwk(key, &jwk), SCALEKIT_OK);
    char *one = json_dumps(jwk, JSON_COMPACT);
    json_decref(jwk);

    char *at_cap = jwks_repeating(one, SKIT_JWKS_MAX_KEYS);
    skit_jwks *set = NULL;
    assert_int_equal(skit_jwks_parse(at_cap, strlen(at_cap), &set), SCALEKIT_OK);
    assert_int_equal(set->count, SKIT_JWKS_MAX_KEYS);
    skit_jwks_release(set);

    char *over = jwks_repeating(one, SKIT_JWKS_MAX_KEYS + 1);
    assert_int_equal(skit_jwks_parse(over, strlen(over), &set), SCALEKIT_EMALFORMED_RESPONSE);
    assert_null(set);
    char want[64];
    snprintf(want, sizeof want, "%d keys, more than %d", SKIT_JWKS_MAX_KEYS + 1, SKIT_JWKS_MAX_KEYS);
    assert_message_has(want);

    /* counted before any key is looked at: 10,000 broken keys get the count's
     * message, not the first broken key's */
    char *many = jwks_repeating("{}", 10000);
    assert_int_equal(skit_jwks_parse(many, strlen(many), &set), SCALEKIT_EMALFORMED_RESPONSE);
    assert_message_has("more than");

    /* and through a client: GET /keys with too many keys is refused */
    mock_http *m = mock_http_start();
    mock_response keys = {.status = 200, .body = over};
    mock_http_set_default(m, "/keys", &keys);
    scalekit_client *c = make_client(mock_http_url(m));
    char *token = jt_token(key, NULL);
    assert_int_not_equal(scalekit_validate_access_token(c, token), SCALEKIT_OK);
    assert_message_has("more than");
    free(token);
    scalekit_client_free(c);
    mock_http_stop(m);

    free(many);
    free(over);
    free(at_cap);
    free(one);
    skit_signing_key_free(key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crlf_in_access_token_never_reaches_a_header),
        cmocka_unit_test(test_every_token_field_is_token68),
        cmocka_unit_test(test_seven_megabyte_token_is_reported_as_too_large),
        cmocka_unit_test(test_response_over_the_cap_names_the_cap),
        cmocka_unit_test(test_jwks_key_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
