/* libcurl helpers of the emulator integration tests: see emu_testhttp.h. */
#include "emu_testhttp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <curl/curl.h>

#include "core/core.h"

typedef struct grow {
    char *p;
    size_t n;
} grow;

static size_t append(char *data, size_t size, size_t n, void *ud)
{
    grow *g = ud;
    char *p = realloc(g->p, g->n + size * n + 1);
    if (!p)
        return 0;
    memcpy(p + g->n, data, size * n);
    g->n += size * n;
    p[g->n] = '\0';
    g->p = p;
    return size * n;
}

int emu_http(const char *method, const char *url, const char *const *headers, const char *body,
             emu_http_response *out)
{
    memset(out, 0, sizeof *out);
    grow b = {NULL, 0}, h = {NULL, 0};
    CURL *c = curl_easy_init();
    if (!c)
        return CURLE_FAILED_INIT;
    struct curl_slist *list = NULL;
    for (size_t i = 0; headers && headers[i]; i++)
        list = curl_slist_append(list, headers[i]);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, append);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, append);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    }
    CURLcode rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    double total = 0;
    curl_easy_getinfo(c, CURLINFO_TOTAL_TIME, &total);
    out->elapsed_ms = (long)(total * 1000);
    out->curl_code = (int)rc;
    out->body = b.p ? b.p : strdup("");
    out->body_len = b.n;
    out->headers = h.p ? h.p : strdup("");
    curl_slist_free_all(list);
    curl_easy_cleanup(c);
    return (int)rc;
}

void emu_http_response_free(emu_http_response *r)
{
    free(r->body);
    free(r->headers);
    memset(r, 0, sizeof *r);
}

const char *emu_http_header(const emu_http_response *r, const char *name, char *out, size_t outlen)
{
    size_t n = strlen(name);
    for (const char *line = r->headers; line && *line;) {
        const char *end = strstr(line, "\r\n");
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len > n && strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;
            while (*v == ' ')
                v++;
            snprintf(out, outlen, "%.*s", (int)(len - (size_t)(v - line)), v);
            return out;
        }
        line = end ? end + 2 : line + len;
    }
    return NULL;
}

json_t *emu_http_json(const emu_http_response *r)
{
    return json_loadb(r->body, r->body_len, 0, NULL);
}

long emu_http_call(const char *method, const char *url, const char *const *headers, const char *body,
                   json_t **out)
{
    emu_http_response r;
    emu_http(method, url, headers, body, &r);
    long status = r.status;
    if (out)
        *out = emu_http_json(&r);
    emu_http_response_free(&r);
    return status;
}

char *emu_test_client_token(const scalekit_emulator *emu)
{
    return emu_test_client_token_at(scalekit_emulator_url(emu), scalekit_emulator_client_id(emu),
                                    scalekit_emulator_client_secret(emu));
}

char *emu_test_create_organization(const scalekit_emulator *emu, const char *display_name)
{
    char *token = emu_test_client_token(emu);
    if (!token)
        return NULL;
    char url[512], auth[4096];
    snprintf(url, sizeof url, "%s/api/v1/organizations", scalekit_emulator_url(emu));
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    free(token);
    const char *headers[] = {auth, "Content-Type: application/json", NULL};
    json_t *body = json_pack("{s:s}", "display_name", display_name);
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    json_t *answer = NULL;
    long status = text ? emu_http_call("POST", url, headers, text, &answer) : 0;
    free(text);
    const char *id = json_string_value(json_object_get(json_object_get(answer, "organization"), "id"));
    char *copy = status == 201 && id ? strdup(id) : NULL;
    json_decref(answer);
    return copy;
}

char *emu_test_client_token_at(const char *env_url, const char *client_id, const char *secret)
{
    char url[512], form[1024];
    snprintf(url, sizeof url, "%s/oauth/token", env_url);
    snprintf(form, sizeof form, "grant_type=client_credentials&client_id=%s&client_secret=%s", client_id,
             secret);
    emu_http_response r;
    emu_http("POST", url, NULL, form, &r);
    json_t *j = emu_http_json(&r);
    const char *tok = json_string_value(json_object_get(j, "access_token"));
    char *copy = r.status == 200 && tok ? strdup(tok) : NULL;
    json_decref(j);
    emu_http_response_free(&r);
    return copy;
}

char *emu_test_query_param(const char *url, const char *name)
{
    const char *q = strchr(url, '?');
    size_t n = strlen(name);
    for (const char *p = q ? q + 1 : NULL; p && *p;) {
        size_t len = strcspn(p, "&#");
        if (len > n && strncmp(p, name, n) == 0 && p[n] == '=') {
            CURL *c = curl_easy_init();
            int outlen = 0;
            char *dec = c ? curl_easy_unescape(c, p + n + 1, (int)(len - n - 1), &outlen) : NULL;
            char *copy = dec ? strdup(dec) : NULL;
            curl_free(dec);
            curl_easy_cleanup(c);
            return copy;
        }
        p += len;
        if (*p != '&')
            break;
        p++;
    }
    return NULL;
}

char *emu_test_login(const scalekit_emulator *emu, const char *email, const char *redirect_uri,
                     const char *extra_form)
{
    CURL *c = curl_easy_init();
    char *e_email = curl_easy_escape(c, email, 0), *e_redirect = curl_easy_escape(c, redirect_uri, 0);
    char url[256], form[4096];
    snprintf(url, sizeof url, "%s/oauth/authorize", scalekit_emulator_url(emu));
    snprintf(form, sizeof form, "response_type=code&client_id=%s&redirect_uri=%s&email=%s%s%s",
             scalekit_emulator_client_id(emu), e_redirect, e_email,
             extra_form ? "&" : "", extra_form ? extra_form : "");
    curl_free(e_email);
    curl_free(e_redirect);
    curl_easy_cleanup(c);
    emu_http_response r;
    emu_http("POST", url, NULL, form, &r);
    char location[2048];
    char *code = NULL;
    if (r.status == 302 && emu_http_header(&r, "Location", location, sizeof location))
        code = emu_test_query_param(location, "code");
    emu_http_response_free(&r);
    return code;
}

json_t *emu_test_user_tokens(const scalekit_emulator *emu, const char *email, const char *redirect_uri)
{
    char *code = emu_test_login(emu, email, redirect_uri, NULL);
    if (!code)
        return NULL;
    skit_buf form = SKIT_BUF_INIT;
    skit_form_add(&form, "grant_type", "authorization_code");
    skit_form_add(&form, "client_id", scalekit_emulator_client_id(emu));
    skit_form_add(&form, "client_secret", scalekit_emulator_client_secret(emu));
    skit_form_add(&form, "code", code);
    skit_form_add(&form, "redirect_uri", redirect_uri);
    free(code);
    char url[512];
    snprintf(url, sizeof url, "%s/oauth/token", scalekit_emulator_url(emu));
    emu_http_response r;
    emu_http("POST", url, NULL, form.ptr, &r);
    skit_buf_free(&form);
    json_t *j = r.status == 200 ? emu_http_json(&r) : NULL;
    emu_http_response_free(&r);
    return j;
}

json_t *emu_test_jwt_payload(const char *jwt)
{
    const char *dot1 = jwt ? strchr(jwt, '.') : NULL;
    const char *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    unsigned char *raw = NULL;
    size_t len = 0;
    if (!dot2 || skit_base64url_decode(dot1 + 1, (size_t)(dot2 - dot1 - 1), &raw, &len) != SCALEKIT_OK)
        return NULL;
    json_t *j = json_loadb((char *)raw, len, 0, NULL);
    free(raw);
    return j;
}
