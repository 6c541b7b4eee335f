/*
 * What the emulator serves: the resources declared for the engine (resource.h)
 * in emu_resources, the hand-written route tables in emu_route_tables (server.c),
 * and the calls resources make on each other.
 *
 * Adding a plain CRUD resource: its table in schema.sql; a file declaring its
 * fields and `const emu_resource emu_<name>_resource` (resource.h shows one);
 * its extern line below and its entry in emu_resources (server.c). Anything not
 * CRUD goes in the resource's .routes, whose handlers use the resource.h helpers.
 * At start the emulator refuses ambiguous routes and bad descriptions.
 */
#ifndef EMU_RESOURCES_H
#define EMU_RESOURCES_H

#include <stdbool.h>
#include <jansson.h>

#include "http.h"
#include "resource.h"

/* The route tables (NULL-terminated arrays), one per file; listed in server.c. */
extern const emu_route emu_token_routes[];      /* oauth_token.c: POST /oauth/token */
extern const emu_route emu_oauth_routes[];      /* oauth_authorize.c: the hosted login page */
extern const emu_route emu_login_routes[];      /* login.c: /_emulator/login-requests */
extern const emu_route emu_oidc_routes[];       /* oauth_oidc.c: keys, discovery, logout */
extern const emu_route emu_control_routes[];    /* control.c: /_emulator */
extern const emu_route emu_membership_routes[]; /* memberships.c */
extern const emu_route emu_session_routes[];    /* sessions.c */
extern const emu_route emu_mailbox_routes[];    /* mailbox.c: /_emulator/mailbox, invitation pages */
extern const emu_route emu_passwordless_routes[];      /* passwordless_api.c: the API, test controls */
extern const emu_route emu_passwordless_page_routes[]; /* passwordless_page.c: hosted page, magic link */
extern const emu_route emu_organization_settings_routes[]; /* organization_settings.c */
extern const emu_route emu_role_routes[];         /* roles.c */
extern const emu_route emu_role_access_routes[];  /* role_access.c */
extern const emu_route emu_role_default_routes[]; /* role_defaults.c */
extern const emu_route emu_portal_routes[];       /* portal.c: the admin portal page */
extern const emu_route emu_auth_log_routes[];     /* auth_logs.c: the authentication logs */
extern const emu_route emu_webauthn_routes[];     /* webauthn.c: passkeys API */
extern const emu_route emu_webauthn_page_routes[]; /* webauthn_page.c: passkeys on the hosted page */
/* The hosted page's passkey section (an emu_login_section_fn; webauthn_page.c) and
 * its script (in emu_page_scripts). */
int emu_webauthn_login_section(emu *e, const json_t *lr, skit_buf *out);
extern const char emu_webauthn_script[];
extern const emu_route emu_sso_oidc_routes[];     /* sso_oidc.c: an OIDC connection's callback */
extern const emu_route emu_sso_saml_routes[];     /* sso_saml.c: the SAML stand-in page */
extern const emu_route emu_login_custom_routes[]; /* login_custom.c: bring-your-own-auth */

/* ---- OAuth and users (oauth_token.c, users.c) ------------------------------- */

/* Whether @p client_id names a registered client. */
bool emu_client_known(emu *e, const char *client_id);
/* Store a new authorization code bound to everything the token exchange checks;
 * NULLs (challenge, nonce, organization) mean absent. The code is malloc'd; NULL on failure. */
char *emu_code_issue(emu *e, const char *client_id, const char *redirect_uri, const char *code_challenge,
                     const char *code_challenge_method, const char *nonce, const char *scope,
                     const char *user_id, const char *organization_id, const char *session_id);
/* Record an issued access token's jti for @p client_id, so it can be revoked. 0 or -1. */
int emu_access_token_record(emu *e, const char *jti, const char *client_id);
/* Whether @p jti names an issued access token that was revoked; an unknown jti counts as revoked. */
bool emu_access_token_revoked(emu *e, const char *jti);

/* The id of the user with @p email, created when unknown (a sign-up, with its
 * user.signup event), made a member of @p organization_id when that is given
 * (emu_membership_join). malloc'd; NULL on failure. */
char *emu_user_ensure(emu *e, const char *email, const char *organization_id);
/* The user row, or NULL. New reference. */
json_t *emu_user_row(emu *e, const char *user_id);
/* The API shape of a user row (usersUser, with memberships). New reference. */
json_t *emu_user_json(emu *e, const json_t *row);
/* Delete user @p user_id with their memberships (each with its deleted event),
 * sessions and refresh tokens, inside the caller's transaction. 0 or -1. */
int emu_user_delete(emu *e, const char *user_id);

/* ---- memberships (memberships.c) ----------------------------------------------- */

/* A membership body (v1usersCreateMembership / v1usersUpdateMembership), checked. */
typedef struct emu_membership_input {
    json_t *roles;              /* array of role names, or NULL when absent */
    json_t *metadata;           /* object, or NULL when absent */
    const char *inviter_email;  /* borrowed from the body, or NULL */
} emu_membership_input;
/* Read @p body (may be NULL: nothing set) into @p in; false after a 400 naming the
 * field with @p prefix ("membership."). Free with emu_membership_input_free. */
bool emu_membership_input_read(emu_req *r, const json_t *body, const char *prefix, emu_membership_input *in, int *rc);
void emu_membership_input_free(emu_membership_input *in);
/* Inside the caller's transaction: make @p user_id a member of @p org (roles
 * default ["member"]); with ?send_invitation_email=true of @p r, a pending
 * invitation mailed to them. Emits the created (and invitation) events. 0 or -1. */
int emu_membership_create(emu *e, emu_req *r, const char *org, const char *user_id, const emu_membership_input *in);
/* Signing in to @p org: a new membership (roles ["member"]), or a pending invitation accepted. 0 or -1. */
int emu_membership_join(emu *e, const char *org, const char *user_id);
/* A pending invitation accepted: the membership ACTIVE, its updated event. 0 or -1. */
int emu_membership_accept(emu *e, const char *org, const char *user_id);
/* The user's memberships (commonsOrganizationMembership), new array; NULL on failure. */
json_t *emu_user_memberships(emu *e, const char *user_id);
/* An organization's delete (its before_delete): each membership's deleted event. 0 or -1. */
int emu_organization_memberships_end(emu *e, const json_t *organization);
/* Emit @p type (a user.* event whose data is {organization, user}, object
 * OrgMembership) inside the caller's transaction. 0 or -1. */
int emu_user_event(emu *e, const char *type, const char *organization_id, const char *user_id);

/* ---- sessions and the mailbox (sessions.c, mailbox.c) ----------------------------- */

/* A new session of the signed-in user (the request's User-Agent and IP, expiry by
 * the organization's session policy) and its user.login event. malloc'd id, or NULL. */
char *emu_session_start(emu *e, emu_req *r, const char *user_id, const char *org, const char *client_id);
/* Whether session @p session_id is active (not ended, not expired); when it is,
 * a use: last_active_at now and the idle limit pushed on. */
bool emu_session_use(emu *e, const char *session_id);
/* End session @p session_id, when active, for @p reason ("logout", "revoked"): its
 * refresh tokens revoked, its user.logout event. 0 or -1. */
int emu_session_end(emu *e, const char *session_id, const char *reason);
/* The browser, OS, their versions and device_type read from User-Agent @p ua, set
 * on @p device (the API's names: "Chrome", "macOS", "desktop"; sessions, passkeys). */
void emu_device_from_user_agent(json_t *device, const char *ua);
/* Put a message of @p kind ("invitation", "passwordless_otp", ...) to @p to in the
 * mailbox; @p link, @p org and @p user_id may be NULL. 0 or -1. */
int emu_mail_put(emu *e, const char *kind, const char *to, const char *subject, const char *body,
                 const char *link, const char *org, const char *user_id);
/* Put the invitation of @p user_id to @p org, with link /invitations/<token>, in the mailbox. 0 or -1. */
int emu_mail_invitation(emu *e, const char *org, const char *user_id, const char *token);

/* ---- redirect URIs (redirect_uris.c) ------------------------------------------ */

/* Why @p uri is not a well-formed absolute http(s) redirect URI (a static text
 * completing "redirect_uri ..."), or NULL when it is one. */
const char *emu_redirect_uri_malformed(const char *uri);
/* Whether the browser may be sent to @p uri: well formed, and loopback (RFC 8252)
 * or registered (exact match). When not, *why is a static text completing "... uri ...". */
bool emu_redirect_uri_allowed(emu *e, const char *uri, const char **why);
/* Whether @p uri is an http URI of a loopback host (127.0.0.1, [::1], localhost; RFC 8252). */
bool emu_uri_loopback(const char *uri);
/* Register @p uri (idempotent). 0, or -1 when it is malformed or the store fails. */
int emu_redirect_uri_add(emu *e, const char *uri);
/* Unregister @p uri: 1 when it was registered, 0 when not, -1 on a store failure. */
int emu_redirect_uri_remove(emu *e, const char *uri);
/* The registered URIs, oldest first (new JSON array), NULL on failure. */
json_t *emu_redirect_uri_list(emu *e);
/* "scheme://host[:port]" of a well-formed @p uri into @p out: its length, 0 when it does not fit. */
size_t emu_redirect_uri_origin(const char *uri, char *out, size_t n);

/* ---- HTML pages (oauth_authorize.c) --------------------------------------------- */

/* Reply a page titled @p title around @p inner (HTML, copied). @p form_target: the
 * origin a form on the page may lead to besides the emulator itself (CSP form-action), or NULL. */
int emu_reply_page(emu_req *r, unsigned status, const char *title, const skit_buf *inner,
                   const char *form_target);
/* Reply 400 with a page titled @p title showing the printf-style message (escaped,
 * at most 511 bytes); never a redirect. */
int emu_reply_error_page(emu_req *r, const char *title, const char *fmt, ...) SKIT_PRINTF(3, 4);

/* ---- the resources served by the engine (resource.h) --------------------------- */

extern const emu_resource emu_organization_resource;   /* organizations.c */
extern const emu_resource emu_domain_resource;         /* domains.c */
extern const emu_resource emu_user_resource;           /* users.c */
extern const emu_resource emu_permission_resource;     /* permissions.c */
extern const emu_resource emu_directory_resource;      /* directories.c */

/* ---- connections (connections.c; its header comment says what each column means) ---- */

extern const emu_resource emu_connection_resource;     /* an organization's connections */
extern const emu_route emu_connection_routes[];        /* /api/v1/connections: the environment's, and the list */
/* Connection @p id as a row with its JSON columns decoded (*_config, attribute_mapping
 * objects; enabled, debug_enabled booleans), NULL when none. New reference. */
json_t *emu_connection_row(emu *e, const char *id);
/* The enabled connection (decoded as above) of the organization owning ORGANIZATION_DOMAIN
 * @p domain (any case; verified or not), the oldest when several; NULL when none. New reference. */
json_t *emu_connection_for_domain(emu *e, const char *domain);
/* The environment's connection of @p type ("PASSWORDLESS", "WEBAUTHN"; one at most),
 * decoded as above, enabled or not; NULL when none. New reference. */
json_t *emu_environment_connection(emu *e, const char *type);
/* An organization's delete (its before_delete): each connection's organization.sso_deleted. 0 or -1. */
int emu_organization_connections_end(emu *e, const json_t *organization);

/* ---- organization API clients (org_clients.c) ------------------------------------ */

extern const emu_resource emu_org_client_resource;
/* Whether @p client_id names an organization API client. */
bool emu_org_client_known(emu *e, const char *client_id);
/* Whether @p secret is one of the secrets of organization client @p client_id (each
 * compared in constant time); a match records its last use. */
bool emu_org_client_secret_ok(emu *e, const char *client_id, const char *secret);
/* The client-credentials grant of authenticated organization client @p client_id:
 * replies with the token (oid, scopes, audience, custom claims) or the OAuth error. */
int emu_org_client_grant(emu *e, emu_req *r, const char *client_id);
/* Whether the admitted token of /api/v1 request @p r may call it: an environment
 * client's always; an organization client's only GET on its own organization. */
bool emu_org_client_may_call(const emu_req *r);

/* ---- roles (roles.c, role_access.c, role_defaults.c) ---------------------------- */

/* The role @p name as seen from organization @p org: its own role, else the
 * environment's (NULL @p org: the environment's only). New reference or NULL. */
json_t *emu_role_lookup(emu *e, const char *org, const char *name);
/* The `permissions` claim of a member of @p org holding @p role_names (a JSON array
 * of names): each role's effective permissions in turn, each name once; unknown
 * roles grant nothing. New JSON array of strings, NULL when out of memory. */
json_t *emu_roles_permissions(emu *e, const char *org, const json_t *role_names);
/* The same as rows of the permissions table (id, name, description, ...) plus
 * role_name, the role that brings each (for ListUserPermissions). */
json_t *emu_roles_permission_rows(emu *e, const char *org, const json_t *role_names);
/* The roles a new membership of @p org gets, as the JSON text of memberships.roles:
 * the organization's default member role, else the environment's, or [] when
 * neither is set. malloc'd; NULL when out of memory. */
char *emu_role_default_roles(emu *e, const char *org);

/* ---- directory secrets (directory_secrets.c) ---------------------------------- */

/*
 * A new ACTIVE SCIM bearer secret of directory @p directory_id (not checked: the
 * caller found it), stored as its SHA-256 hex and last four characters; call it
 * inside the caller's transaction to commit with its write. 0 with *secret the
 * plain secret (malloc'd, to show once) and, when @p row is not NULL, *row the
 * stored row without the hash (id, directory_id, secret_suffix, status,
 * create_time, expire_time, last_used_time; new reference); -1 on failure.
 */
int emu_directory_secret_create(emu *e, const char *directory_id, char **secret, json_t **row);
/* Whether @p bearer is an ACTIVE, unexpired secret of @p directory_id, compared in
 * constant time (a match records its last_used_time): SCIM's bearer check. */
bool emu_directory_secret_check(emu *e, const char *directory_id, const char *bearer);

/* ---- SCIM (scim*.c) and what it provisioned (directory_members.c) -------------- */

extern const emu_route emu_scim_routes[];             /* scim_resources.c: Users, Groups */
extern const emu_route emu_scim_discovery_routes[];   /* scim_discovery.c */
extern const emu_route emu_directory_member_routes[]; /* directory_members.c: the REST listing */

/* ---- directories (directories.c) ------------------------------------------------ */

/* An organization's delete (its before_delete): its directories with their secrets,
 * users, groups and memberships, inside the caller's transaction. 0 or -1. */
int emu_organization_directories_end(emu *e, const json_t *organization);

/* Every hand-written route table, NULL-terminated (server.c). */
extern const emu_route *const emu_route_tables[];
/* Every resource the engine serves, NULL-terminated (server.c). */
extern const emu_resource *const emu_resources[];

/*
 * Check a route list before serving it: @p tables (NULL-terminated list of
 * route tables) and @p resources (NULL-terminated; their engine routes and
 * extra routes). Refuses two routes of one method that can match the same path
 * at equal score, and a resource whose handlers would read a path parameter its
 * route lacks (emu_resource_check). 0, or -1 after naming each problem on @p err.
 */
int emu_routes_check(const emu_route *const *tables, const emu_resource *const *resources, FILE *err);

#endif
