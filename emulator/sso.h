/*
 * Signing in through a connection (issue 11 part 3, issue 12 part 4): what
 * sso_route.c, sso_oidc.c, sso_saml.c and login_custom.c share.
 *
 * sso_route.c is the hosted login's router (login.h, emu_login_router_fn): it
 * picks the connection of a login request (its connection_id, its
 * organization_id, its domain_hint, or the domain of the email) and hands the
 * browser to that connection's kind: an OIDC identity provider (sso_oidc.c), the
 * SAML stand-in page (sso_saml.c), or the app's own login page (login_custom.c).
 * Each kind comes back to the emulator and ends with emu_login_finish or
 * emu_login_fail. Round trips that leave the emulator carry a state stored in
 * sso_round_trips (schema.sql): random, kept as its hash, single use.
 *
 * Columns read from a connection row (emu_connection_row, decoded: *_config and
 * attribute_mapping are JSON objects): id, organization_id, type, provider,
 * enabled, oidc_config, static_config, attribute_mapping.
 */
#ifndef EMU_SSO_H
#define EMU_SSO_H

#include <stdbool.h>
#include <jansson.h>

#include "http.h"
#include "login.h"

/* The connection type of a bring-your-own-auth connection, and the member of
 * its static_config that holds the app's login URL. */
#define EMU_CUSTOM_CONNECTION_TYPE "OAUTH"
#define EMU_CUSTOM_CONNECTION_PROVIDER "CUSTOM"
#define EMU_CUSTOM_LOGIN_URL "login_url"

/* Send the browser of login request @p lr to the connection @p conn (a row):
 * records the connection on the request, then its kind's first step. Returns
 * the handler's result; a connection of no kind the emulator signs in through
 * fails the request. */
int emu_sso_start(emu *e, emu_req *r, const json_t *lr, const json_t *conn);

/* The first steps of each kind (the request already names the connection). */
int emu_sso_oidc_start(emu *e, emu_req *r, const json_t *lr, const json_t *conn);
int emu_sso_saml_start(emu *e, emu_req *r, const json_t *lr, const json_t *conn);
int emu_login_custom_start(emu *e, emu_req *r, const json_t *lr, const json_t *conn);

/* A new round trip of login request @p lr_id through @p connection_id: the
 * state to send (malloc'd), NULL on failure. @p nonce, @p verifier may be NULL. */
char *emu_sso_round_trip_new(emu *e, const char *lr_id, const char *connection_id, const char *nonce,
                             const char *verifier);
/* Take the round trip of @p state for @p connection_id: its row, deleted in
 * the same step so a state works once (new reference), NULL when unknown. */
json_t *emu_sso_round_trip_take(emu *e, const char *state, const char *connection_id);

/* The return of a round trip (an IdP's callback, the app's return) to a route
 * with {connection_id}: the query's state taken, its login request pending and
 * its connection enabled. 0 with *trip and *conn (new references); 1 after
 * replying (*rc): an error page, or the login failed when the connection went
 * away. @p sender completes the error page ("The identity provider answered"). */
int emu_sso_return(emu *e, emu_req *r, const char *sender, json_t **trip, json_t **conn, int *rc);

/* Whether the decoded connection row @p conn is enabled. */
bool emu_sso_enabled(const json_t *conn);
/* The object member @p name of a decoded connection row (borrowed), NULL when absent. */
const json_t *emu_sso_config(const json_t *conn, const char *name);


#endif
