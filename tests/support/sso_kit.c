/* The shared steps of the sign-in-through-a-connection suites (sso_kit.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sso_kit.h"
#include "emu_testhttp.h"
#include "environment.h"

int sso_kit_teardown(void **state)
{
    sso_world *w = *state;
    emu_fixture_stop(w->f);
    emu_fixture_stop(w->idp);
    free(w->org);
    free(w->conn);
    free(w);
    return 0;
}

char *sso_kit_org(emu_fixture *f, const char *name, const char *external_id)
{
    scalekit_organization_create_options o = SCALEKIT_ORGANIZATION_CREATE_OPTIONS_INIT;
    o.external_id = external_id;
    scalekit_organization *org = NULL;
    if (scalekit_organization_create(f->client, name, &o, &org) != SCALEKIT_OK)
        fail_msg("organization create: %s", emu_fixture_last_message());
    char *id = strdup(org->id);
    scalekit_organization_free(org);
    return id;
}

void sso_kit_domain(emu_fixture *f, const char *org, const char *domain)
{
    scalekit_domain *d = NULL;
    if (scalekit_domain_create(f->client, org, domain, NULL, &d) != SCALEKIT_OK)
        fail_msg("domain create %s: %s", domain, emu_fixture_last_message());
    scalekit_domain_free(d);
}

char *sso_kit_connection(emu_fixture *f, const char *org, const char *type, const char *provider,
                         const char *config_member, const char *config_json, int enabled)
{
    emu *e = (emu *)f->emu;
    char *id = emu_new_id("conn_", 8);
    char sql[512];
    snprintf(sql, sizeof sql, "INSERT INTO connections(id, organization_id, environment_id, type, provider, status, "
             "enabled, %s, create_time, update_time) VALUES (?, ?, ?, ?, ?, 'COMPLETED', ?, ?, ?, ?)", config_member);
    assert_int_equal(emu_db_exec(e->store, sql, "sssssbsii", id, org, e->environment_id, type, provider, enabled,
                                 config_json, skit_now(), skit_now()), 1);
    return id;
}

void sso_kit_connection_set(emu_fixture *f, const char *id, const char *column, const char *json)
{
    emu *e = (emu *)f->emu;
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE connections SET %s = ? WHERE id = ?", column);
    assert_int_equal(emu_db_exec(e->store, sql, "ss", json, id), 1);
}

void sso_kit_connection_enable(emu_fixture *f, const char *id, int enabled)
{
    emu *e = (emu *)f->emu;
    assert_int_equal(emu_db_exec(e->store, "UPDATE connections SET enabled = ? WHERE id = ?", "bs", enabled, id), 1);
}

char *sso_kit_follow(const char *url)
{
    emu_http_response r;
    emu_http("GET", url, NULL, NULL, &r);
    char location[8192];
    if (r.status != 302 || !emu_http_header(&r, "Location", location, sizeof location))
        fail_msg("GET %s answered %ld, not a redirect: %s", url, r.status, r.body);
    emu_http_response_free(&r);
    return strdup(location);
}

char *sso_kit_authorize(emu_fixture *f, scalekit_authorization_url_options *opts, char verifier[129], char **page)
{
    scalekit_pkce pkce;
    assert_int_equal(scalekit_generate_pkce(&pkce), SCALEKIT_OK);
    memcpy(verifier, pkce.code_verifier, sizeof pkce.code_verifier);
    opts->state = "app-state";
    opts->code_challenge = pkce.code_challenge;
    opts->code_challenge_method = pkce.code_challenge_method;
    char *url = NULL;
    EMU_FIXTURE_OK(scalekit_get_authorization_url(f->client, SSO_KIT_APP_REDIRECT, opts, &url));
    emu_http_response r;
    emu_http("GET", url, NULL, NULL, &r);
    scalekit_free(url);
    char location[8192];
    char *out = NULL;
    if (r.status == 302 && emu_http_header(&r, "Location", location, sizeof location))
        out = strdup(location);
    else if (r.status == 200 && page)
        *page = strdup(r.body);
    else if (r.status != 200)
        fail_msg("GET /oauth/authorize answered %ld: %s", r.status, r.body);
    emu_http_response_free(&r);
    return out;
}

scalekit_authentication_response *sso_kit_exchange(emu_fixture *f, const char *app_location, const char *verifier)
{
    if (strncmp(app_location, SSO_KIT_APP_REDIRECT "?", strlen(SSO_KIT_APP_REDIRECT) + 1) != 0)
        fail_msg("not a redirect to the app: %s", app_location);
    char *state = emu_test_query_param(app_location, "state");
    char *code = emu_test_query_param(app_location, "code");
    if (!code)
        fail_msg("the app got no code: %s", app_location);
    assert_string_equal(state, "app-state");
    scalekit_authentication_options ao = SCALEKIT_AUTHENTICATION_OPTIONS_INIT;
    ao.code_verifier = verifier;
    scalekit_authentication_response *resp = NULL;
    EMU_FIXTURE_OK(scalekit_authenticate_with_code(f->client, code, SSO_KIT_APP_REDIRECT, &ao, &resp));
    free(state);
    free(code);
    return resp;
}

json_t *sso_kit_identity(const scalekit_authentication_response *resp)
{
    assert_true(resp->user->identity_count >= 1);
    json_t *id = json_loads(resp->user->identities_json[0], 0, NULL);
    assert_non_null(id);
    return id;
}
