/*
 * The admin portal page a portal link opens, driven as a browser would (GET the
 * page, POST its forms with their hidden fields): it shows the organization's
 * domains, SSO connection and directory; its OIDC form saves the configuration
 * the API then returns (and a refused one shows the API's reason, the values
 * kept); enable and disable emit their signed events; "create SCIM secret" shows
 * the secret once and stores only its SHA-256 and last four characters; a form
 * without the page's token, an unknown link and an expired one are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "emu_fixture.h"
#include "emu_testhttp.h"
#include "hook_fixture.h"
#include "core/core.h"
#include "environment.h"
#include "scalekit/scalekit.h"

#define IDP "http://127.0.0.1:9"

typedef struct page {
    long status;
    char *html;
    char location[512];
} page;

static page fetch(const char *method, const char *url, const char *form)
{
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    emu_http_response resp;
    emu_http(method, url, form ? headers : NULL, form, &resp);
    page p = {resp.status, strdup(resp.body ? resp.body : ""), ""};
    if (!emu_http_header(&resp, "Location", p.location, sizeof p.location))
        p.location[0] = '\0';
    emu_http_response_free(&resp);
    return p;
}

static char *new_link(hook_fixture *s, const char *org, const char *const *features)
{
    scalekit_organization_portal_link_options o = SCALEKIT_ORGANIZATION_PORTAL_LINK_OPTIONS_INIT;
    o.features = features;
    scalekit_organization_portal_link *link = NULL;
    EMU_FIXTURE_OK(scalekit_organization_generate_portal_link(s->f->client, org, &o, &link));
    char *url = strdup(link->location);
    scalekit_organization_portal_link_free(link);
    return url;
}

/* The page's CSRF token (every form carries the same). */
static char *csrf_of(const char *html)
{
    json_t *fields = emu_fixture_form_fields(html);
    const char *token = skit_json_string(fields, "csrf_token");
    assert_non_null(token);
    char *copy = strdup(token);
    json_decref(fields);
    return copy;
}

static page post(const char *link, const char *action, const char *csrf, const char *more)
{
    char url[600], form[2048];
    snprintf(url, sizeof url, "%s/%s", link, action);
    snprintf(form, sizeof form, "csrf_token=%s%s%s", csrf, more ? "&" : "", more ? more : "");
    return fetch("POST", url, form);
}

static void page_forms_configure_sso(void **state)
{
    hook_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "the portal page");
    hook_fixture_reset(s);
    scalekit_organization *org = NULL;
    EMU_FIXTURE_OK(scalekit_organization_create(s->f->client, "Portal & Co", NULL, &org));
    scalekit_domain *d = NULL;
    EMU_FIXTURE_OK(scalekit_domain_create(s->f->client, org->id, "portal.example", NULL, &d));
    char *link = new_link(s, org->id, NULL);

    page p = fetch("GET", link, NULL);
    assert_int_equal(p.status, 200);
    assert_non_null(strstr(p.html, "Portal &amp; Co"));
    assert_non_null(strstr(p.html, "portal.example"));
    assert_non_null(strstr(p.html, "<legend>OIDC settings</legend>"));
    assert_non_null(strstr(p.html, "<label for=\"client_id\">"));
    assert_non_null(strstr(p.html, "No directory is set up"));
    char *csrf = csrf_of(p.html);
    free(p.html);

    /* Without the page's token nothing changes. */
    p = post(link, "sso", "forged", "client_id=x");
    assert_int_equal(p.status, 403);
    free(p.html);
    scalekit_connection_list_options all = SCALEKIT_CONNECTION_LIST_OPTIONS_INIT;
    all.include = "all";
    scalekit_connections *list = NULL;
    EMU_FIXTURE_OK(scalekit_connection_list(s->f->client, org->id, &all, &list));
    assert_int_equal(list->count, 0);
    scalekit_connections_free(list);

    /* A refused setting: the API's reason, the entered values kept. */
    p = post(link, "sso", csrf, "issuer=http%3A%2F%2Fidp.example&client_id=kept-id");
    assert_int_equal(p.status, 400);
    assert_non_null(strstr(p.html, "role=\"alert\">oidc_config.issuer: must be an https URL"));
    assert_non_null(strstr(p.html, "value=\"kept-id\""));
    free(p.html);

    p = post(link, "sso", csrf, "issuer=" IDP "&client_id=portal-client&client_secret=portal-secret-9876"
                                "&authorize_uri=" IDP "%2Fauthorize&token_uri=" IDP "%2Ftoken&jwks_uri=" IDP "%2Fkeys");
    assert_int_equal(p.status, 302);
    assert_non_null(strstr(p.location, "?done=saved"));
    free(p.html);
    EMU_FIXTURE_OK(scalekit_connection_list(s->f->client, org->id, &all, &list));
    assert_int_equal(list->count, 1);
    scalekit_connection *c = NULL;
    EMU_FIXTURE_OK(scalekit_connection_get(s->f->client, org->id, list->items[0]->id, &c));
    scalekit_connections_free(list);
    assert_string_equal(c->type, "OIDC");
    assert_string_equal(c->status, "COMPLETED");
    assert_string_equal(c->oidc_config->client_id, "portal-client");
    assert_string_equal(c->oidc_config->token_uri, IDP "/token");
    assert_string_equal(c->oidc_config->client_secret, "********9876");

    /* The page now shows the connection and its callback, the secret never. */
    p = fetch("GET", p.location, NULL);
    assert_int_equal(p.status, 200);
    assert_non_null(strstr(p.html, "The SSO settings are saved."));
    assert_non_null(strstr(p.html, c->oidc_config->redirect_uri));
    assert_non_null(strstr(p.html, "value=\"portal-client\""));
    assert_null(strstr(p.html, "portal-secret"));
    free(p.html);

    p = post(link, "sso:enable", csrf, NULL);
    assert_int_equal(p.status, 302);
    free(p.html);
    scalekit_connection *now = NULL;
    EMU_FIXTURE_OK(scalekit_connection_get(s->f->client, org->id, c->id, &now));
    assert_true(now->enabled);
    scalekit_connection_free(now);
    p = post(link, "sso:disable", csrf, NULL);
    assert_int_equal(p.status, 302);
    free(p.html);

    /* organization.created, domain_created, sso_created, sso_enabled, sso_disabled. */
    hook_fixture_wait(s, 5);
    const char *types[] = {"organization.created", "organization.domain_created", "organization.sso_created",
                           "organization.sso_enabled", "organization.sso_disabled"};
    for (size_t i = 0; i < 5; i++) {
        json_t *event = hook_fixture_event(s, i);
        assert_string_equal(skit_json_string(event, "type"), types[i]);
        if (i >= 2)
            assert_string_equal(skit_json_string(json_object_get(event, "data"), "id"), c->id);
        json_decref(event);
    }
    scalekit_connection_free(c);
    scalekit_domain_free(d);
    free(csrf);
    free(link);
    EMU_FIXTURE_OK(scalekit_organization_delete(s->f->client, org->id));
    scalekit_organization_free(org);
}

static void scim_secret_shown_once(void **state)
{
    hook_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "the portal page");
    scalekit_organization *org = NULL;
    EMU_FIXTURE_OK(scalekit_organization_create(s->f->client, "Directory Co", NULL, &org));
    /* The directories table as the directories API fills it. */
    assert_int_equal(emu_db_exec(s->f->emu->store, "INSERT INTO directories(id, organization_id, environment_id, "
                                                   "name, directory_provider, create_time, update_time) VALUES "
                                                   "('dir_portal', ?, 'env_test', 'Okta SCIM', 'OKTA', 1, 1)", "s",
                                 org->id), 1);
    char *link = new_link(s, org->id, (const char *const[]){"dir_sync", NULL});
    page p = fetch("GET", link, NULL);
    assert_int_equal(p.status, 200);
    assert_non_null(strstr(p.html, "Okta SCIM"));
    assert_null(strstr(p.html, "Single sign-on"));   /* the link's features only */
    char *csrf = csrf_of(p.html);
    free(p.html);

    p = post(link, "directory/secrets", csrf, NULL);
    assert_int_equal(p.status, 200);
    const char *code = strstr(p.html, "<code id=\"scim-secret\">");
    assert_non_null(code);
    code += strlen("<code id=\"scim-secret\">");
    char secret[128];
    size_t n = strcspn(code, "<");
    assert_true(n > 32 && n < sizeof secret);
    memcpy(secret, code, n);
    secret[n] = '\0';
    free(p.html);

    char hash[65];
    emu_sha256_hex(secret, hash);
    json_t *row = emu_db_row(s->f->emu->store, "SELECT * FROM directory_secrets WHERE directory_id = 'dir_portal'",
                             "");
    assert_non_null(row);
    assert_string_equal(skit_json_string(row, "secret_hash"), hash);
    assert_string_equal(skit_json_string(row, "secret_suffix"), secret + n - 4);
    assert_string_equal(skit_json_string(row, "status"), "ACTIVE");
    json_decref(row);

    /* Shown once: the page lists it by its last four characters only. */
    p = fetch("GET", link, NULL);
    assert_null(strstr(p.html, secret));
    char suffix[64];
    snprintf(suffix, sizeof suffix, "ending in <code>%s</code>", secret + n - 4);
    assert_non_null(strstr(p.html, suffix));
    free(p.html);
    free(csrf);
    free(link);
    EMU_FIXTURE_OK(scalekit_organization_delete(s->f->client, org->id));
    scalekit_organization_free(org);
    /* The organization's delete took its directory and the directory's secret with it. */
    assert_int_equal(emu_db_exec(s->f->emu->store, "DELETE FROM directories WHERE id = 'dir_portal'", ""), 0);
    assert_int_equal(emu_db_exec(s->f->emu->store, "DELETE FROM directory_secrets WHERE directory_id = 'dir_portal'",
                                 ""), 0);
}

static void links_refused(void **state)
{
    hook_fixture *s = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(s->f, "the portal page");
    scalekit_organization *org = NULL;
    EMU_FIXTURE_OK(scalekit_organization_create(s->f->client, "Expired Co", NULL, &org));
    char url[512];
    emu_fixture_url(s->f, "/portal/lnk_unknown", url, sizeof url);
    page p = fetch("GET", url, NULL);
    assert_int_equal(p.status, 404);
    assert_non_null(strstr(p.html, "not valid"));
    free(p.html);

    /* Never opened within its minute: expired. */
    char *link = new_link(s, org->id, NULL);
    const char *id = strrchr(link, '/') + 1;
    assert_int_equal(emu_db_exec(s->f->emu->store, "UPDATE portal_links SET expire_time = 0 WHERE id = ?", "s", id), 1);
    p = fetch("GET", link, NULL);
    assert_int_equal(p.status, 410);
    assert_non_null(strstr(p.html, "expired"));
    free(p.html);
    free(link);

    /* Opened: usable past the link's minute, until the portal session's hour ends. */
    link = new_link(s, org->id, NULL);
    id = strrchr(link, '/') + 1;
    p = fetch("GET", link, NULL);
    char *csrf = csrf_of(p.html);
    free(p.html);
    assert_int_equal(emu_db_exec(s->f->emu->store, "UPDATE portal_links SET expire_time = 0 WHERE id = ?", "s", id), 1);
    p = fetch("GET", link, NULL);
    assert_int_equal(p.status, 200);
    free(p.html);
    assert_int_equal(emu_db_exec(s->f->emu->store, "UPDATE portal_sessions SET opened_time = 0 WHERE link_id = ?",
                                 "s", id), 1);
    p = fetch("GET", link, NULL);
    assert_int_equal(p.status, 410);
    free(p.html);
    p = post(link, "sso", csrf, "client_id=late");
    assert_int_equal(p.status, 410);
    free(p.html);
    /* A form needs POST: a GET of its action changes nothing. */
    char get_form[600];
    snprintf(get_form, sizeof get_form, "%s/sso:enable?csrf_token=%s", link, csrf);
    p = fetch("GET", get_form, NULL);
    assert_int_equal(p.status, 405);
    free(p.html);
    free(csrf);
    free(link);
    EMU_FIXTURE_OK(scalekit_organization_delete(s->f->client, org->id));
    scalekit_organization_free(org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(page_forms_configure_sso),
        cmocka_unit_test(scim_secret_shown_once),
        cmocka_unit_test(links_refused),
    };
    return cmocka_run_group_tests(tests, hook_fixture_setup, hook_fixture_teardown);
}
