/* The emulator-plus-client fixture of the SDK integration tests: see emu_fixture.h. */
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
#include "tcp_proxy.h"

emu_fixture *emu_fixture_start(const scalekit_emulator_options *emu_opts,
                               const scalekit_client_options *client_opts)
{
    scalekit_emulator_options o = {0};
    if (emu_opts)
        o = *emu_opts;
    o.quiet = 1;
    emu_fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    const char *via_proxy = getenv("SCALEKIT_TEST_VIA_PROXY");
    char public_url[64];
    if (via_proxy && strcmp(via_proxy, "1") == 0 && !(o.public_url && *o.public_url)) {
        f->proxy = tcp_proxy_listen();
        assert_non_null(f->proxy);
        snprintf(public_url, sizeof public_url, "http://127.0.0.1:%d", tcp_proxy_port(f->proxy));
        o.public_url = public_url;
    }
    assert_int_equal(scalekit_emulator_start(&o, &f->emu), 0);
    if (f->proxy)
        assert_int_equal(tcp_proxy_forward(f->proxy, scalekit_emulator_port(f->emu)), 0);
    f->url = scalekit_emulator_url(f->emu);
    f->client_id = scalekit_emulator_client_id(f->emu);
    f->client_secret = scalekit_emulator_client_secret(f->emu);
    f->client = emu_fixture_client(f, client_opts);
    return f;
}

void emu_fixture_stop(emu_fixture *f)
{
    if (!f)
        return;
    scalekit_client_free(f->client);
    tcp_proxy_stop(f->proxy);
    scalekit_emulator_stop(f->emu);
    free(f);
}

scalekit_client *emu_fixture_client(const emu_fixture *f, const scalekit_client_options *opts)
{
    scalekit_client *c = NULL;
    assert_int_equal(scalekit_client_new_with_options(&c, f->url, f->client_id, f->client_secret, opts),
                     SCALEKIT_OK);
    assert_non_null(c);
    return c;
}

void emu_fixture_url(const emu_fixture *f, const char *path, char *out, size_t n)
{
    snprintf(out, n, "%s%s", f->url, path);
}

/* A control call; the parsed answer (new reference, asserted JSON) after checking the status. */
static json_t *control(const emu_fixture *f, const char *method, const char *path, const char *body,
                       long expect_status)
{
    static const char *const json_header[] = {"Content-Type: application/json", NULL};
    char url[256];
    emu_fixture_url(f, path, url, sizeof url);
    emu_http_response r;
    emu_http(method, url, body ? json_header : NULL, body, &r);
    if (r.status != expect_status)
        fail_msg("%s %s answered %ld (expected %ld): %s", method, path, r.status, expect_status, r.body);
    json_t *j = emu_http_json(&r);
    emu_http_response_free(&r);
    assert_non_null(j);
    return j;
}

void emu_fixture_fault(const emu_fixture *f, const char *fault_json)
{
    json_decref(control(f, "POST", "/_emulator/faults", fault_json, 201));
}

void emu_fixture_clear_faults(const emu_fixture *f)
{
    json_decref(control(f, "DELETE", "/_emulator/faults", NULL, 200));
}

char *emu_fixture_rotate_keys(const emu_fixture *f)
{
    json_t *j = control(f, "POST", "/_emulator/keys:rotate", "{}", 200);
    const char *kid = json_string_value(json_object_get(j, "kid"));
    assert_non_null(kid);
    char *copy = strdup(kid);
    json_decref(j);
    return copy;
}

long emu_fixture_revoke_api_tokens(const emu_fixture *f)
{
    json_t *j = control(f, "POST", "/_emulator/api-tokens:revoke", "{}", 200);
    long n = (long)json_integer_value(json_object_get(j, "revoked"));
    json_decref(j);
    return n;
}

char *emu_fixture_idp_token(const emu_fixture *f, const char *claims_json)
{
    json_t *j = control(f, "POST", "/_emulator/idp-initiated-login", claims_json, 200);
    const char *tok = json_string_value(json_object_get(j, "token"));
    assert_non_null(tok);
    char *copy = strdup(tok);
    json_decref(j);
    return copy;
}

long emu_fixture_tokens_issued(const emu_fixture *f)
{
    json_t *row = emu_db_row(f->emu->store, "SELECT COUNT(*) AS n FROM access_tokens", "");
    assert_non_null(row);
    long n = (long)json_integer_value(json_object_get(row, "n"));
    json_decref(row);
    return n;
}

/* Decode the five entities emu_html_escape writes, in place. */
static void html_decode(char *s)
{
    static const struct { const char *entity; char c; } map[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
    char *w = s;
    for (const char *p = s; *p;) {
        size_t i;
        for (i = 0; i < sizeof map / sizeof map[0]; i++)
            if (strncmp(p, map[i].entity, strlen(map[i].entity)) == 0)
                break;
        if (i < sizeof map / sizeof map[0]) {
            *w++ = map[i].c;
            p += strlen(map[i].entity);
        } else {
            *w++ = *p++;
        }
    }
    *w = '\0';
}

/* The value of attribute @p attr inside the tag [tag, end), copied; NULL when absent. */
static char *attribute(const char *tag, const char *end, const char *attr)
{
    char needle[32];
    snprintf(needle, sizeof needle, " %s=\"", attr);
    for (const char *p = tag; p < end; p++) {
        if (strncmp(p, needle, strlen(needle)) != 0)
            continue;
        const char *v = p + strlen(needle);
        const char *q = memchr(v, '"', (size_t)(end - v));
        if (!q)
            return NULL;
        char *copy = strndup(v, (size_t)(q - v));
        html_decode(copy);
        return copy;
    }
    return NULL;
}

char *emu_fixture_tag_attribute(const char *html, const char *marker, const char *attr)
{
    const char *p = strstr(html, marker);
    const char *start = p;
    while (start && start > html && *start != '<')
        start--;
    const char *end = p ? strchr(p, '>') : NULL;
    return start && end ? attribute(start, end, attr) : NULL;
}

json_t *emu_fixture_form_fields(const char *html)
{
    json_t *fields = json_object();
    for (const char *p = strstr(html, "<input"); p; p = strstr(p + 1, "<input")) {
        const char *end = strchr(p, '>');
        if (!end)
            break;
        char *type = attribute(p, end, "type");
        char *name = attribute(p, end, "name");
        char *value = attribute(p, end, "value");
        if (type && strcmp(type, "hidden") == 0 && name)
            json_object_set_new(fields, name, json_string(value ? value : ""));
        free(type);
        free(name);
        free(value);
    }
    return fields;
}

json_t *emu_fixture_login_request(const emu_fixture *f, const char *login_request_id)
{
    char path[256], url[512];
    snprintf(path, sizeof path, "/_emulator/login-requests/%s", login_request_id);
    emu_fixture_url(f, path, url, sizeof url);
    emu_http_response r;
    emu_http("GET", url, NULL, NULL, &r);
    if (r.status != 200)
        fail_msg("GET %s answered %ld: %s", url, r.status, r.body);
    json_t *row = emu_http_json(&r);
    emu_http_response_free(&r);
    return row;
}

char *emu_fixture_login(const emu_fixture *f, const char *authorization_url, const char *email,
                        json_t **page_fields_out)
{
    emu_http_response page;
    emu_http("GET", authorization_url, NULL, NULL, &page);
    if (page.status != 200 || !strstr(page.body, "<form"))
        fail_msg("GET %s answered %ld: %s", authorization_url, page.status, page.body);
    json_t *fields = emu_fixture_form_fields(page.body);
    emu_http_response_free(&page);

    skit_buf form = SKIT_BUF_INIT;
    const char *name;
    json_t *value;
    json_object_foreach(fields, name, value)
        skit_form_add(&form, name, json_string_value(value));
    skit_form_add(&form, "email", email);
    char url[256];
    emu_fixture_url(f, "/oauth/authorize", url, sizeof url);
    emu_http_response r;
    emu_http("POST", url, NULL, form.ptr, &r);
    skit_buf_free(&form);
    char location[4096];
    if (r.status != 302 || !emu_http_header(&r, "Location", location, sizeof location))
        fail_msg("POST /oauth/authorize answered %ld: %s", r.status, r.body);
    emu_http_response_free(&r);
    if (page_fields_out)
        *page_fields_out = fields;
    else
        json_decref(fields);
    return strdup(location);
}

scalekit_authentication_response *emu_fixture_sign_in(const emu_fixture *f, const char *email)
{
    /* A loopback URI (RFC 8252): the emulator allows it without registration. */
    static const char redirect[] = "http://localhost:8080/callback";
    scalekit_pkce pkce;
    assert_int_equal(scalekit_generate_pkce(&pkce), SCALEKIT_OK);
    scalekit_authorization_url_options o = { .struct_size = sizeof(scalekit_authorization_url_options), .state = "st-fixture", .code_challenge = pkce.code_challenge,
                                            .code_challenge_method = pkce.code_challenge_method};
    char *auth_url = NULL;
    assert_int_equal(scalekit_get_authorization_url(f->client, redirect, &o, &auth_url), SCALEKIT_OK);
    char *location = emu_fixture_login(f, auth_url, email, NULL);
    char *code = emu_test_query_param(location, "code");
    assert_non_null(code);
    scalekit_authentication_options ao = { .struct_size = sizeof(scalekit_authentication_options), .code_verifier = pkce.code_verifier};
    scalekit_authentication_response *resp = NULL;
    int rc = scalekit_authenticate_with_code(f->client, code, redirect, &ao, &resp);
    if (rc != SCALEKIT_OK)
        fail_msg("scalekit_authenticate_with_code: %s: %s", scalekit_strerror(rc),
                 scalekit_error_last()->message ? scalekit_error_last()->message : "");
    assert_non_null(resp);
    scalekit_free(auth_url);
    free(location);
    free(code);
    return resp;
}
