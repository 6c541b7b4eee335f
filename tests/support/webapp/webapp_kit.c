/* webapp_kit (webapp_kit.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <cmocka.h>
#include <curl/curl.h>

#include "emu_testhttp.h"
#include "webapp_kit.h"

struct wk_browser {
    CURL *curl;
};

webapp_kit *webapp_kit_start(const webapp_kit_options *opts)
{
    webapp_kit_options none = {0};
    if (!opts)
        opts = &none;
    webapp_kit *kit = calloc(1, sizeof *kit);
    assert_non_null(kit);
    scalekit_emulator_options eo = {.access_token_ttl_seconds = opts->access_token_ttl_seconds};
    kit->f = emu_fixture_start(&eo, NULL);

    scalekit_organization *org = NULL;
    EMU_FIXTURE_OK(scalekit_organization_create(kit->f->client, "Acme", NULL, &org));
    snprintf(kit->organization_id, sizeof kit->organization_id, "%s", org->id);
    scalekit_organization_free(org);
    scalekit_permission *p = NULL;
    EMU_FIXTURE_OK(scalekit_permission_create(kit->f->client, "members:read", NULL, &p));
    scalekit_permission_free(p);
    static const char *const granted[] = {"members:read", NULL};
    scalekit_permissions *ps = NULL;
    EMU_FIXTURE_OK(scalekit_permission_add_permissions_to_role(kit->f->client, "admin", granted, &ps));
    scalekit_permissions_free(ps);

    webapp_config c = {
        .env_url = kit->f->url, .client_id = kit->f->client_id, .client_secret = kit->f->client_secret,
        .webhook_secret = opts->no_webhook_secret ? NULL : WK_WEBHOOK_SECRET, .organization_id = kit->organization_id,
        .public_url = opts->public_url, .refresh_margin_seconds = opts->refresh_margin_seconds, .quiet = 1,
    };
    assert_int_equal(webapp_start(&c, &kit->app), 0);
    kit->url = webapp_url(kit->app);
    return kit;
}

void webapp_kit_stop(webapp_kit *kit)
{
    if (!kit)
        return;
    webapp_stop(kit->app);
    emu_fixture_stop(kit->f);
    free(kit);
}

int wk_setup(void **state)
{
    *state = webapp_kit_start(NULL);
    return 0;
}

int wk_teardown(void **state)
{
    webapp_kit_stop(*state);
    return 0;
}

void wk_assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("expected \"%s\" in:\n%s", part, text);
}

void wk_grant_role(const webapp_kit *kit, const char *user_id, const char *role)
{
    const char *const roles[] = {role, NULL};
    scalekit_user_role_list *list = NULL;
    EMU_FIXTURE_OK(scalekit_user_assign_roles(kit->f->client, kit->organization_id, user_id, roles, &list));
    scalekit_user_role_list_free(list);
}

void wk_assert_session_ended(const wk_response *r, const char *email)
{
    assert_int_equal(r->status, 401);
    wk_assert_contains(r->body, "Please sign in again");
    wk_assert_contains(r->body, "role=\"alert\"");
    assert_null(strstr(r->body, email));
    char *cleared = wk_set_cookie(r, "session");
    assert_non_null(cleared);
    wk_assert_contains(cleared, "Max-Age=0");
    free(cleared);
}

wk_browser *wk_browser_new(void)
{
    wk_browser *b = calloc(1, sizeof *b);
    assert_non_null(b);
    b->curl = curl_easy_init();
    assert_non_null(b->curl);
    curl_easy_setopt(b->curl, CURLOPT_COOKIEFILE, "");   /* the in-memory cookie engine */
    return b;
}

void wk_browser_free(wk_browser *b)
{
    if (!b)
        return;
    curl_easy_cleanup(b->curl);
    free(b);
}

void wk_response_free(wk_response *r)
{
    free(r->body);
    free(r->headers);
    r->body = r->headers = NULL;
}

typedef struct sink {
    char *p;
    size_t n;
} sink;

static size_t collect(char *data, size_t size, size_t nmemb, void *userp)
{
    sink *s = userp;
    size_t len = size * nmemb;
    char *grown = realloc(s->p, s->n + len + 1);
    if (!grown)
        return 0;
    memcpy(grown + s->n, data, len);
    s->p = grown;
    s->n += len;
    s->p[s->n] = '\0';
    return len;
}

long wk_request(wk_browser *b, const webapp_kit *kit, const char *method, const char *url,
                const char *const *headers, const char *body, wk_response *out)
{
    char full[4096];
    if (url[0] == '/')
        snprintf(full, sizeof full, "%s%s", kit->url, url);
    else
        snprintf(full, sizeof full, "%s", url);
    sink bs = {0}, hs = {0};
    struct curl_slist *list = NULL;
    for (size_t i = 0; headers && headers[i]; i++)
        list = curl_slist_append(list, headers[i]);
    CURL *c = b->curl;
    curl_easy_setopt(c, CURLOPT_URL, full);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_NOBODY, strcmp(method, "HEAD") == 0 ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &bs);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &hs);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(list);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, NULL);
    if (rc != CURLE_OK)
        fail_msg("%s %s: %s", method, full, curl_easy_strerror(rc));
    out->status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    out->body = bs.p ? bs.p : strdup("");
    out->headers = hs.p ? hs.p : strdup("");
    return out->status;
}

/* Each header line "Name: value" of @p r named @p name, in turn: *pos advances. */
static char *next_header(const wk_response *r, const char *name, const char **pos)
{
    size_t n = strlen(name);
    for (const char *line = *pos ? *pos : r->headers; line && *line;) {
        const char *end = strstr(line, "\r\n");
        size_t len = end ? (size_t)(end - line) : strlen(line);
        const char *next = end ? end + 2 : line + len;
        if (len > n && strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;
            while (*v == ' ')
                v++;
            *pos = next;
            return strndup(v, len - (size_t)(v - line));
        }
        line = next;
    }
    *pos = NULL;
    return NULL;
}

char *wk_header(const wk_response *r, const char *name)
{
    const char *pos = NULL;
    return next_header(r, name, &pos);
}

char *wk_set_cookie(const wk_response *r, const char *name)
{
    const char *pos = NULL;
    char *v;
    size_t n = strlen(name);
    while ((v = next_header(r, "Set-Cookie", &pos))) {
        if (strncmp(v, name, n) == 0 && v[n] == '=')
            return v;
        free(v);
    }
    return NULL;
}

char *wk_cookie(wk_browser *b, const char *name)
{
    struct curl_slist *cookies = NULL;
    curl_easy_getinfo(b->curl, CURLINFO_COOKIELIST, &cookies);
    char *value = NULL;
    for (struct curl_slist *c = cookies; c && !value; c = c->next) {
        /* Netscape format: domain, tailmatch, path, secure, expires, name, value. */
        char *fields[7] = {0};
        char *copy = strdup(c->data), *save = NULL, *tok = strtok_r(copy, "\t", &save);
        for (size_t i = 0; tok && i < 7; i++, tok = strtok_r(NULL, "\t", &save))
            fields[i] = tok;
        if (fields[5] && strcmp(fields[5], name) == 0)
            value = strdup(fields[6] ? fields[6] : "");
        free(copy);
    }
    curl_slist_free_all(cookies);
    return value;
}

void wk_put_cookie(wk_browser *b, const char *name, const char *value)
{
    char line[1024];
    snprintf(line, sizeof line, "127.0.0.1\tFALSE\t/\tFALSE\t0\t%s\t%s", name, value);
    curl_easy_setopt(b->curl, CURLOPT_COOKIELIST, line);
}

/* /login (or @p login_path) and the hosted login: the callback URL, not visited yet. */
static char *begin(const webapp_kit *kit, wk_browser *b, const char *email, const char *login_path)
{
    wk_response r;
    if (wk_get(b, kit, login_path ? login_path : "/login", &r) != 303)
        fail_msg("GET %s answered %ld", login_path ? login_path : "/login", r.status);
    char *authorize = wk_header(&r, "Location");
    assert_non_null(authorize);
    wk_response_free(&r);
    char *callback = emu_fixture_login(kit->f, authorize, email, NULL);
    free(authorize);
    return callback;
}

char *wk_start_sign_in(const webapp_kit *kit, wk_browser *b, const char *email)
{
    return begin(kit, b, email, NULL);
}

char *wk_sign_in(const webapp_kit *kit, wk_browser *b, const char *email, const char *login_path,
                 const char *expect_location)
{
    char *callback = begin(kit, b, email, login_path);
    wk_response r;
    if (wk_get(b, kit, callback, &r) != 303)
        fail_msg("GET %s answered %ld: %s", callback, r.status, r.body);
    char *location = wk_header(&r, "Location");
    assert_non_null(location);
    assert_string_equal(location, expect_location ? expect_location : "/account");
    free(location);
    wk_response_free(&r);
    return callback;
}

char *wk_user_id(const webapp_kit *kit, const char *email)
{
    scalekit_user_page *page = NULL;
    EMU_FIXTURE_OK(scalekit_user_list_organization_users(kit->f->client, kit->organization_id, NULL, &page));
    char *id = NULL;
    for (size_t i = 0; i < page->count && !id; i++)
        if (strcmp(page->items[i]->email, email) == 0)
            id = strdup(page->items[i]->id);
    scalekit_user_page_free(page);
    if (!id)
        fail_msg("no member %s in %s", email, kit->organization_id);
    return id;
}

long wk_deliver(const webapp_kit *kit, const char *secret, const char *delivery_id, int64_t timestamp,
                const char *type, const char *user_id)
{
    if (!timestamp)
        timestamp = (int64_t)time(NULL);
    char body[512];
    snprintf(body, sizeof body,
             "{\"spec_version\":\"1\",\"id\":\"evt_%s\",\"type\":\"%s\",\"occurred_at\":\"2026-01-01T00:00:00Z\","
             "\"organization_id\":\"%s\",\"object\":\"OrgMembership\",\"data\":{\"user\":{\"id\":\"%s\","
             "\"email\":\"someone@example.com\"}}}", delivery_id, type, kit->organization_id, user_id);
    char *sig = NULL;
    assert_int_equal(scalekit_sign_webhook_payload(secret ? secret : WK_WEBHOOK_SECRET, delivery_id, timestamp,
                                                   body, strlen(body), &sig), SCALEKIT_OK);
    char h_id[128], h_ts[64], h_sig[256];
    snprintf(h_id, sizeof h_id, "webhook-id: %s", delivery_id);
    snprintf(h_ts, sizeof h_ts, "webhook-timestamp: %lld", (long long)timestamp);
    snprintf(h_sig, sizeof h_sig, "webhook-signature: %s", sig);
    scalekit_free(sig);
    const char *headers[] = {"Content-Type: application/json", h_id, h_ts, h_sig, NULL};
    wk_browser *b = wk_browser_new();
    wk_response r;
    long status = wk_request(b, kit, "POST", "/webhooks", headers, body, &r);
    wk_response_free(&r);
    wk_browser_free(b);
    return status;
}
