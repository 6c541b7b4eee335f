/*
 * What the emulator serves: one route table per resource file, and the calls
 * resources make on each other. server.c lists the tables in `route_tables`.
 */
#ifndef EMU_RESOURCES_H
#define EMU_RESOURCES_H

#include <stdbool.h>
#include <jansson.h>

#include "http.h"

/* The route tables (NULL-terminated arrays), one per file; listed in server.c. */
extern const emu_route emu_token_routes[];      /* oauth_token.c: POST /oauth/token */
extern const emu_route emu_oauth_routes[];      /* oauth_authorize.c: the hosted login page */
extern const emu_route emu_oidc_routes[];       /* oauth_oidc.c: keys, discovery, logout */
extern const emu_route emu_control_routes[];    /* control.c: /_emulator */
extern const emu_route emu_user_routes[];       /* users.c */
extern const emu_route emu_organization_routes[];          /* organizations.c */
extern const emu_route emu_organization_settings_routes[]; /* organization_settings.c */

/* ---- OAuth and users (oauth_token.c, users.c) ------------------------------- */

/* Whether @p client_id names a registered client. */
bool emu_client_known(emu *e, const char *client_id);
/* Store a new authorization code bound to everything the token exchange checks;
 * NULLs (challenge, nonce, organization) mean absent. The code is malloc'd; NULL on failure. */
char *emu_code_issue(emu *e, const char *client_id, const char *redirect_uri, const char *code_challenge,
                     const char *code_challenge_method, const char *nonce, const char *scope,
                     const char *user_id, const char *organization_id, const char *session_id);
/* The id of the user with @p email, created when unknown (a sign-up), with a
 * membership in @p organization_id when that is given. malloc'd; NULL on failure. */
char *emu_user_ensure(emu *e, const char *email, const char *organization_id);
/* The user row, or NULL. New reference. */
json_t *emu_user_row(emu *e, const char *user_id);
/* The API shape of a user (usersUser): id, email, external_id, create_time,
 * update_time, last_login_time, metadata, user_profile, memberships. New reference. */
json_t *emu_user_json(emu *e, const json_t *row);

/* ---- organizations (organizations.c) ----------------------------------------- */

/* The organization row, or NULL. New reference. */
json_t *emu_organization_row(emu *e, const char *id);
/* The API shape of an organization (organizationsOrganization). New reference. */
json_t *emu_organization_json(const json_t *row);
/* Reply {"organization": <shape of row>}. */
int emu_reply_organization(emu_req *r, unsigned status, const json_t *row);
/* Emit organization.<created|updated|deleted> with the row as its data
 * (OrganizationEventData); @p deleted_at (0: none) adds deleted_at. */
int emu_organization_event(emu *e, const char *type, const json_t *row, int64_t deleted_at);

#endif
