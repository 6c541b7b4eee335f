/*
 * sso_kit: what the sign-in-through-a-connection suites (it_sso_*, it_byoa_*)
 * share: an organization with a domain and a connection, and the browser's
 * steps through /oauth/authorize and back. Every failure fails the running
 * cmocka test.
 */
#ifndef SSO_KIT_H
#define SSO_KIT_H

#include <jansson.h>
#include "emu_fixture.h"

/* What a suite's tests share: the environment, an identity provider (another
 * emulator, or NULL), the organization and its connection under test. */
typedef struct sso_world {
    emu_fixture *f;
    emu_fixture *idp;
    char *org;
    char *conn;
} sso_world;
/* cmocka teardown of a sso_world in *state: stops both emulators, frees it. */
int sso_kit_teardown(void **state);

/* The loopback redirect URI of the app in these suites. */
#define SSO_KIT_APP_REDIRECT "http://127.0.0.1:9/callback"

/* A new organization (its id, malloc'd); @p external_id may be NULL. */
char *sso_kit_org(emu_fixture *f, const char *name, const char *external_id);
/* Add ORGANIZATION_DOMAIN @p domain to @p org. */
void sso_kit_domain(emu_fixture *f, const char *org, const char *domain);
/*
 * A connection of @p org stored in the emulator's connections table as the
 * schema describes it (type, provider, @p config_member = @p config_json,
 * enabled or not): until the connections API lands the suites write the row.
 * Its id, malloc'd.
 */
char *sso_kit_connection(emu_fixture *f, const char *org, const char *type, const char *provider,
                         const char *config_member, const char *config_json, int enabled);
/* Set the JSON column @p column (attribute_mapping, ...) of connection @p id. */
void sso_kit_connection_set(emu_fixture *f, const char *id, const char *column, const char *json);
/* Enable or disable connection @p id. */
void sso_kit_connection_enable(emu_fixture *f, const char *id, int enabled);

/* The app's sign-in through the SDK: the authorization URL (with @p opts,
 * state "app-state", PKCE S256 whose verifier goes to @p verifier[129]) fetched
 * like a browser; the Location it redirects to (malloc'd), or NULL when it
 * answered 200 (a page), whose body then goes to *page (malloc'd) when not NULL. */
char *sso_kit_authorize(emu_fixture *f, scalekit_authorization_url_options *opts, char verifier[129], char **page);
/* GET @p url expecting a 302: its Location (malloc'd). */
char *sso_kit_follow(const char *url);
/* The app's code exchange of the code in @p app_location (the redirect to
 * SSO_KIT_APP_REDIRECT) with @p verifier; asserts state "app-state". */
scalekit_authentication_response *sso_kit_exchange(emu_fixture *f, const char *app_location, const char *verifier);
/* identities[0] of @p resp's user as JSON (new reference). */
json_t *sso_kit_identity(const scalekit_authentication_response *resp);

#endif
