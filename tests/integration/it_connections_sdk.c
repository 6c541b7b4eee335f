/*
 * SSO connections through the SDK against the emulator: create (DRAFT or
 * IN_PROGRESS until configured), the secret masked and kept when sent back
 * masked, enable refused until the configuration is complete, update, enable,
 * the lists (by organization, by domain, include=all against the enabled-only
 * default), disable, delete; the server's 400 with its field violation, 404s,
 * the C-level refusals; a SAML connection's certificates and service-provider
 * URLs; an OIDC connection configured by its discovery endpoint (another
 * emulator as the IdP); and the emulator's lookups for the login flow.
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
#include "mock_http.h"
#include "core/core.h"
#include "resources.h"
#include "scalekit/scalekit.h"

#define IDP "http://127.0.0.1:9"

static char *new_org(emu_fixture *f, const char *name, const char *domain)
{
    scalekit_organization *org = NULL;
    EMU_FIXTURE_OK(scalekit_organization_create(f->client, name, NULL, &org));
    char *id = strdup(org->id);
    scalekit_organization_free(org);
    if (domain) {
        scalekit_domain *d = NULL;
        EMU_FIXTURE_OK(scalekit_domain_create(f->client, id, domain, NULL, &d));
        scalekit_domain_free(d);
    }
    return id;
}

static scalekit_connection *create_oidc(emu_fixture *f, const char *org, const scalekit_connection_oidc_config_input *oidc)
{
    scalekit_connection_input in = SCALEKIT_CONNECTION_INPUT_INIT;
    in.type = "OIDC";
    in.provider = "OKTA";
    in.oidc_config = oidc;
    scalekit_connection *c = NULL;
    EMU_FIXTURE_OK(scalekit_connection_create(f->client, org, &in, &c));
    return c;
}

static void lifecycle(void **state)
{
    emu_fixture *f = *state;
    char domain[128], label[96];
    emu_fixture_unique(label, sizeof label, "sso");
    snprintf(domain, sizeof domain, "%s.example", label);
    char *org = new_org(f, "Lifecycle Inc", domain);

    scalekit_connection_oidc_config_input oidc = SCALEKIT_CONNECTION_OIDC_CONFIG_INPUT_INIT;
    oidc.client_id = "idp-client";
    oidc.client_secret = "a-secret-of-the-idp-0042";
    oidc.issuer = IDP;
    oidc.scopes = (const char *const[]){"openid", "email", NULL};
    oidc.pkce_enabled = &(bool){true};
    scalekit_connection *c = create_oidc(f, org, &oidc);
    assert_true(strncmp(c->id, "conn_", 5) == 0);
    assert_string_equal(c->organization_id, org);
    assert_string_equal(c->type, "OIDC");
    assert_string_equal(c->provider, "OKTA");
    assert_string_equal(c->status, "IN_PROGRESS");
    assert_false(c->enabled);
    assert_string_equal(c->configuration_type, "MANUAL");
    assert_int_equal(c->domain_count, 1);
    assert_string_equal(c->domains[0]->domain, domain);
    assert_non_null(c->oidc_config);
    assert_string_equal(c->oidc_config->client_id, "idp-client");
    assert_string_equal(c->oidc_config->client_secret, "********0042");
    assert_true(c->oidc_config->pkce_enabled);
    assert_string_equal(c->oidc_config->scopes[1], "email");
    assert_null(c->oidc_config->scopes[2]);
    char callback[512];
    snprintf(callback, sizeof callback, "%s/sso/v1/oidc/%s/callback", f->url, c->id);
    assert_string_equal(c->oidc_config->redirect_uri, callback);
    assert_null(strstr(c->raw_json, "a-secret-of-the-idp"));

    /* Not configured yet: enable names what is missing. */
    scalekit_connection_toggle *t = NULL;
    emu_assert_failed(scalekit_connection_enable(f->client, org, c->id, &t), SCALEKIT_EINVALID_REQUEST, 400, NULL);
    assert_non_null(strstr(scalekit_error_last()->message, "oidc_config.authorize_uri"));

    /* The rest of the endpoints; the secret sent back masked keeps the stored one. */
    scalekit_connection_oidc_config_input more = SCALEKIT_CONNECTION_OIDC_CONFIG_INPUT_INIT;
    more.authorize_uri = IDP "/oauth/authorize";
    more.token_uri = IDP "/oauth/token";
    more.jwks_uri = IDP "/keys";
    more.client_secret = c->oidc_config->client_secret;
    scalekit_connection_input update = SCALEKIT_CONNECTION_INPUT_INIT;
    update.oidc_config = &more;
    update.attribute_mapping = (scalekit_string_map){(const scalekit_header[]){{"email", "mail"}}, 1};
    scalekit_connection *u = NULL;
    EMU_FIXTURE_OK(scalekit_connection_update(f->client, org, c->id, &update, &u));
    assert_string_equal(u->status, "COMPLETED");
    assert_string_equal(u->oidc_config->token_uri, IDP "/oauth/token");
    assert_string_equal(u->oidc_config->client_id, "idp-client");
    assert_string_equal(scalekit_string_map_get(&u->attribute_mapping, "email"), "mail");
    if (f->emu) {
        json_t *row = emu_connection_row(f->emu, c->id);
        assert_string_equal(skit_json_string(json_object_get(row, "oidc_config"), "client_secret"),
                            "a-secret-of-the-idp-0042");
        json_decref(row);
    }

    /* Enabled-only by default: nothing listed until enabled. */
    scalekit_connections *list = NULL;
    EMU_FIXTURE_OK(scalekit_connection_list(f->client, org, NULL, &list));
    assert_int_equal(list->count, 0);
    scalekit_connections_free(list);
    EMU_FIXTURE_OK(scalekit_connection_enable(f->client, org, c->id, &t));
    assert_true(t->enabled);
    assert_null(t->error_message);
    scalekit_connection_toggle_free(t);

    EMU_FIXTURE_OK(scalekit_connection_list_by_domain(f->client, domain, NULL, &list));
    assert_int_equal(list->count, 1);
    assert_string_equal(list->items[0]->id, c->id);
    assert_string_equal(list->items[0]->organization_name, "Lifecycle Inc");
    assert_string_equal(list->items[0]->domains[0], domain);
    assert_true(list->items[0]->enabled);
    assert_string_equal(list->items[0]->status, "COMPLETED");
    scalekit_connections_free(list);
    if (f->emu) {
        json_t *found = emu_connection_for_domain(f->emu, domain);
        assert_string_equal(skit_json_string(found, "id"), c->id);
        assert_true(json_is_true(json_object_get(found, "enabled")));
        json_decref(found);
    }

    scalekit_connection *got = NULL;
    EMU_FIXTURE_OK(scalekit_connection_get(f->client, org, c->id, &got));
    assert_true(got->enabled);
    scalekit_connection_free(got);

    /* An enabled connection keeps what a login needs. */
    scalekit_connection_oidc_config_input clear = SCALEKIT_CONNECTION_OIDC_CONFIG_INPUT_INIT;
    clear.jwks_uri = "";
    update = (scalekit_connection_input)SCALEKIT_CONNECTION_INPUT_INIT;
    update.oidc_config = &clear;
    emu_assert_failed(scalekit_connection_update(f->client, org, c->id, &update, &got),
                      SCALEKIT_EINVALID_REQUEST, 400, NULL);

    EMU_FIXTURE_OK(scalekit_connection_disable(f->client, org, c->id, &t));
    assert_false(t->enabled);
    scalekit_connection_toggle_free(t);
    if (f->emu)
        assert_null(emu_connection_for_domain(f->emu, domain));
    EMU_FIXTURE_OK(scalekit_connection_list(f->client, org, NULL, &list));
    assert_int_equal(list->count, 0);
    scalekit_connections_free(list);
    scalekit_connection_list_options all = SCALEKIT_CONNECTION_LIST_OPTIONS_INIT;
    all.include = "all";
    EMU_FIXTURE_OK(scalekit_connection_list(f->client, org, &all, &list));
    assert_int_equal(list->count, 1);
    assert_false(list->items[0]->enabled);
    scalekit_connections_free(list);

    EMU_FIXTURE_OK(scalekit_connection_delete(f->client, org, c->id));
    emu_assert_failed(scalekit_connection_get(f->client, org, c->id, &got), SCALEKIT_ENOTFOUND, 404, NULL);
    emu_assert_failed(scalekit_connection_delete(f->client, org, c->id), SCALEKIT_ENOTFOUND, 404, NULL);
    scalekit_connection_free(c);
    scalekit_connection_free(u);
    EMU_FIXTURE_OK(scalekit_organization_delete(f->client, org));
    free(org);
}

static void refusals(void **state)
{
    emu_fixture *f = *state;
    char *org = new_org(f, "Refusals Inc", NULL);
    scalekit_connection *c = NULL;
    scalekit_connection_input in = SCALEKIT_CONNECTION_INPUT_INIT;

    /* C level: nothing sent. */
    assert_int_equal(scalekit_connection_create(f->client, org, NULL, &c), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_connection_create(f->client, org, &in, &c), SCALEKIT_EINVAL);
    assert_non_null(strstr(scalekit_error_last()->message, "in->type"));
    assert_int_equal(scalekit_connection_get(f->client, org, "", &c), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_connection_list_by_domain(f->client, "", NULL, NULL), SCALEKIT_EINVAL);
    in.type = "OIDC";
    in.saml_config = "{not json";
    assert_int_equal(scalekit_connection_create(f->client, org, &in, &c), SCALEKIT_EINVAL);

    /* The server's field violations. */
    in = (scalekit_connection_input)SCALEKIT_CONNECTION_INPUT_INIT;
    in.type = "KERBEROS";
    emu_assert_failed(scalekit_connection_create(f->client, org, &in, &c), SCALEKIT_EINVALID_REQUEST, 400, "type");
    in.type = "OIDC";
    in.provider = "NOBODY";
    emu_assert_failed(scalekit_connection_create(f->client, org, &in, &c), SCALEKIT_EINVALID_REQUEST, 400,
                      "provider");
    scalekit_connection_oidc_config_input oidc = SCALEKIT_CONNECTION_OIDC_CONFIG_INPUT_INIT;
    oidc.token_uri = "http://idp.example/token";
    in.provider = NULL;
    in.oidc_config = &oidc;
    emu_assert_failed(scalekit_connection_create(f->client, org, &in, &c), SCALEKIT_EINVALID_REQUEST, 400,
                      "oidc_config.token_uri");
    /* ... which debug mode allows, as the API's debug_enabled says. */
    in.debug_enabled = &(bool){true};
    EMU_FIXTURE_OK(scalekit_connection_create(f->client, org, &in, &c));
    assert_true(c->debug_enabled);
    oidc.token_uri = NULL;
    oidc.scopes = (const char *const[]){"openid", "everything", NULL};
    assert_int_equal(scalekit_connection_update(f->client, org, c->id, &in, NULL), SCALEKIT_EINVAL);
    scalekit_connection *u = NULL;
    emu_assert_failed(scalekit_connection_update(f->client, org, c->id, &in, &u), SCALEKIT_EINVALID_REQUEST, 400,
                      "oidc_config.scopes[1]");
    in.type = "SAML";
    in.oidc_config = NULL;
    emu_assert_failed(scalekit_connection_update(f->client, org, c->id, &in, &u), SCALEKIT_EINVALID_REQUEST, 400,
                      "type");
    in.type = NULL;
    in.saml_config = "{\"idp_entity_id\":\"x\"}";
    emu_assert_failed(scalekit_connection_update(f->client, org, c->id, &in, &u), SCALEKIT_EINVALID_REQUEST, 400,
                      "saml_config");

    /* 404s: the organization, then the connection. */
    emu_assert_failed(scalekit_connection_get(f->client, "org_missing", c->id, &u), SCALEKIT_ENOTFOUND, 404, NULL);
    emu_assert_failed(scalekit_connection_get(f->client, org, "conn_missing", &u), SCALEKIT_ENOTFOUND, 404, NULL);
    scalekit_connection_toggle *t = NULL;
    emu_assert_failed(scalekit_connection_disable(f->client, org, "conn_missing", &t), SCALEKIT_ENOTFOUND, 404, NULL);
    in = (scalekit_connection_input)SCALEKIT_CONNECTION_INPUT_INIT;
    in.type = "OIDC";
    emu_assert_failed(scalekit_connection_create(f->client, "org_missing", &in, &u), SCALEKIT_ENOTFOUND, 404, NULL);
    /* Another organization's connection is not found under this one. */
    char *other = new_org(f, "Other Inc", NULL);
    emu_assert_failed(scalekit_connection_get(f->client, other, c->id, &u), SCALEKIT_ENOTFOUND, 404, NULL);

    scalekit_connection_free(c);
    EMU_FIXTURE_OK(scalekit_organization_delete(f->client, org));
    EMU_FIXTURE_OK(scalekit_organization_delete(f->client, other));
    free(org);
    free(other);
}

static void saml_connection(void **state)
{
    emu_fixture *f = *state;
    char *org = new_org(f, "Saml Inc", NULL);
    scalekit_connection_input in = SCALEKIT_CONNECTION_INPUT_INIT;
    in.type = "SAML";
    in.saml_config = "{\"idp_entity_id\":\"https://idp.example/saml\",\"idp_sso_url\":\"https://idp.example/sso\","
                     "\"idp_name_id_format\":\"EMAIL\",\"force_authn\":true,"
                     "\"idp_certificates\":[{\"certificate\":\"MIIBfake\",\"issuer\":\"idp\"}]}";
    scalekit_connection *c = NULL;
    EMU_FIXTURE_OK(scalekit_connection_create(f->client, org, &in, &c));
    assert_string_equal(c->status, "COMPLETED");
    assert_null(c->oidc_config);
    assert_non_null(c->saml_config);
    assert_string_equal(c->saml_config->idp_entity_id, "https://idp.example/saml");
    assert_string_equal(c->saml_config->idp_name_id_format, "EMAIL");
    assert_true(c->saml_config->force_authn);
    assert_int_equal(c->saml_config->idp_certificate_count, 1);
    assert_true(strncmp(c->saml_config->idp_certificates[0]->id, "cert_", 5) == 0);
    assert_string_equal(c->saml_config->idp_certificates[0]->certificate, "MIIBfake");
    assert_true(c->saml_config->idp_certificates[0]->create_time > 0);
    char acs[512];
    snprintf(acs, sizeof acs, "%s/sso/v1/saml/%s/acs", f->url, c->id);
    assert_string_equal(c->saml_config->sp_assertion_url, acs);

    scalekit_connection_toggle *t = NULL;
    EMU_FIXTURE_OK(scalekit_connection_enable(f->client, org, c->id, &t));
    scalekit_connection_toggle_free(t);
    scalekit_connection *got = NULL;
    EMU_FIXTURE_OK(scalekit_connection_get(f->client, org, c->id, &got));
    assert_true(got->enabled);
    /* A bad certificate list is named by its index. */
    in.type = NULL;
    in.saml_config = "{\"idp_certificates\":[{\"certificate\":\"\"}]}";
    scalekit_connection *u = NULL;
    emu_assert_failed(scalekit_connection_update(f->client, org, c->id, &in, &u), SCALEKIT_EINVALID_REQUEST, 400,
                      "saml_config.idp_certificates[0].certificate");
    scalekit_connection_free(c);
    scalekit_connection_free(got);
    EMU_FIXTURE_OK(scalekit_organization_delete(f->client, org));
    free(org);
}

static scalekit_connection_input discovery_input(scalekit_connection_oidc_config_input *oidc, const char *url)
{
    *oidc = (scalekit_connection_oidc_config_input)SCALEKIT_CONNECTION_OIDC_CONFIG_INPUT_INIT;
    oidc->discovery_endpoint = url;
    oidc->client_id = "discovered-client";
    oidc->client_secret = "discovered-secret";
    scalekit_connection_input in = SCALEKIT_CONNECTION_INPUT_INIT;
    in.type = "OIDC";
    in.oidc_config = oidc;
    return in;
}

/* A discovery endpoint: the emulator reads the IdP's document (here another
 * emulator's) and fills the endpoints; a document that is not one, an issuer
 * other than the one it was read under, and an unreachable one are refused. */
static void discovery(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "an identity provider on a loopback port");
    emu_fixture *idp = emu_fixture_start(NULL, NULL);
    char url[512];
    emu_fixture_url(idp, "/.well-known/openid-configuration", url, sizeof url);
    json_t *doc = NULL;
    assert_int_equal(emu_http_call("GET", url, NULL, NULL, &doc), 200);
    char *org = new_org(f, "Discovery Inc", NULL);
    scalekit_connection_oidc_config_input oidc;
    scalekit_connection_input in = discovery_input(&oidc, url);
    scalekit_connection *c = NULL;
    EMU_FIXTURE_OK(scalekit_connection_create(f->client, org, &in, &c));
    assert_string_equal(c->status, "COMPLETED");
    assert_string_equal(c->configuration_type, "DISCOVERY");
    assert_string_equal(c->oidc_config->discovery_endpoint, url);
    assert_string_equal(c->oidc_config->issuer, skit_json_string(doc, "issuer"));
    assert_string_equal(c->oidc_config->authorize_uri, skit_json_string(doc, "authorization_endpoint"));
    assert_string_equal(c->oidc_config->token_uri, skit_json_string(doc, "token_endpoint"));
    assert_string_equal(c->oidc_config->jwks_uri, skit_json_string(doc, "jwks_uri"));
    scalekit_connection_free(c);
    json_decref(doc);

    /* Not a discovery document: the IdP's JWKS. */
    char keys[512];
    emu_fixture_url(idp, "/keys", keys, sizeof keys);
    in = discovery_input(&oidc, keys);
    emu_assert_failed(scalekit_connection_create(f->client, org, &in, &c), SCALEKIT_EINVALID_REQUEST, 400,
                      "oidc_config.discovery_endpoint");
    assert_non_null(strstr(scalekit_error_last()->message, "not a discovery document"));
    emu_fixture_stop(idp);
    /* Gone: unreachable. */
    in = discovery_input(&oidc, url);
    emu_assert_failed(scalekit_connection_create(f->client, org, &in, &c), SCALEKIT_EINVALID_REQUEST, 400,
                      "oidc_config.discovery_endpoint");
    assert_non_null(strstr(scalekit_error_last()->message, "could not be read"));

    /* A document naming another issuer than the one it was read under (section 4.3). */
    mock_http *m = mock_http_start();
    mock_http_enqueue(m, "GET", "/.well-known/openid-configuration", 200,
                      "{\"issuer\":\"https://elsewhere.example\",\"authorization_endpoint\":\"https://e/a\","
                      "\"token_endpoint\":\"https://e/t\",\"jwks_uri\":\"https://e/k\"}");
    snprintf(url, sizeof url, "%s/.well-known/openid-configuration", mock_http_url(m));
    in = discovery_input(&oidc, url);
    emu_assert_failed(scalekit_connection_create(f->client, org, &in, &c), SCALEKIT_EINVALID_REQUEST, 400,
                      "oidc_config.discovery_endpoint");
    assert_non_null(strstr(scalekit_error_last()->message, "names issuer https://elsewhere.example"));
    mock_http_stop(m);

    scalekit_connection_list_options all = SCALEKIT_CONNECTION_LIST_OPTIONS_INIT;
    all.include = "all";
    scalekit_connections *list = NULL;
    EMU_FIXTURE_OK(scalekit_connection_list(f->client, org, &all, &list));
    assert_int_equal(list->count, 1);   /* only the good one */
    scalekit_connections_free(list);
    EMU_FIXTURE_OK(scalekit_organization_delete(f->client, org));
    free(org);
}

/* The login flow's lookup by domain: an ORGANIZATION_DOMAIN in any case, verified or
 * not; never an ALLOWED_EMAIL_DOMAIN; only an enabled connection. */
static void lookup_by_domain(void **state)
{
    emu_fixture *f = *state;
    EMU_FIXTURE_REQUIRE_EMULATOR(f, "the emulator's own lookup");
    char label[96], owned[128], allowed[128], upper[128];
    emu_fixture_unique(label, sizeof label, "lookup");
    snprintf(owned, sizeof owned, "%s.example", label);
    snprintf(allowed, sizeof allowed, "allowed-%s.example", label);
    char *org = new_org(f, "Lookup Inc", owned);
    scalekit_domain_create_options o = SCALEKIT_DOMAIN_CREATE_OPTIONS_INIT;
    o.domain_type = "ALLOWED_EMAIL_DOMAIN";
    scalekit_domain *d = NULL;
    EMU_FIXTURE_OK(scalekit_domain_create(f->client, org, allowed, &o, &d));
    scalekit_domain_free(d);
    scalekit_connection_input in = SCALEKIT_CONNECTION_INPUT_INIT;
    in.type = "SAML";
    in.saml_config = "{\"idp_entity_id\":\"urn:lookup\",\"idp_sso_url\":\"https://idp.example/sso\"}";
    scalekit_connection *c = NULL;
    EMU_FIXTURE_OK(scalekit_connection_create(f->client, org, &in, &c));
    assert_null(emu_connection_for_domain(f->emu, owned));   /* not enabled yet */
    scalekit_connection_toggle *t = NULL;
    EMU_FIXTURE_OK(scalekit_connection_enable(f->client, org, c->id, &t));
    scalekit_connection_toggle_free(t);
    for (size_t i = 0; owned[i]; i++)
        upper[i] = (char)(owned[i] >= 'a' && owned[i] <= 'z' ? owned[i] - 32 : owned[i]);
    upper[strlen(owned)] = '\0';
    json_t *found = emu_connection_for_domain(f->emu, upper);
    assert_non_null(found);
    assert_string_equal(skit_json_string(found, "id"), c->id);
    assert_string_equal(skit_json_string(json_object_get(found, "saml_config"), "idp_entity_id"), "urn:lookup");
    json_decref(found);
    assert_null(emu_connection_for_domain(f->emu, allowed));
    assert_null(emu_connection_for_domain(f->emu, "nobody.example"));
    assert_null(emu_connection_for_domain(f->emu, NULL));
    json_t *row = emu_connection_row(f->emu, c->id);
    assert_string_equal(skit_json_string(row, "organization_id"), org);
    json_decref(row);
    assert_null(emu_connection_row(f->emu, "conn_missing"));
    scalekit_connection_free(c);
    EMU_FIXTURE_OK(scalekit_organization_delete(f->client, org));
    assert_null(emu_connection_for_domain(f->emu, owned));
    free(org);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lifecycle),
        cmocka_unit_test(refusals),
        cmocka_unit_test(saml_connection),
        cmocka_unit_test(discovery),
        cmocka_unit_test(lookup_by_domain),
    };
    return cmocka_run_group_tests(tests, emu_fixture_setup, emu_fixture_teardown);
}
