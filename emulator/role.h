/*
 * What roles.c (the roles' routes) and role_access.c (their permissions, users
 * and the token's claims) share. Names resolve without ambiguity: an
 * organization role never takes an environment role's name (roles.c refuses
 * it), so a name seen from an organization is its own role or the environment's.
 */
#ifndef EMU_ROLE_H
#define EMU_ROLE_H

#include <stdbool.h>
#include <jansson.h>

#include "environment.h"
#include "resources.h"

/* The roles' fields, events and messages for the engine's helpers (not served by it). */
extern const emu_resource emu_role_desc;

/* The role @p name of exactly the scope @p org (NULL: the environment's). New reference or NULL. */
json_t *emu_role_in_scope(emu *e, const char *org, const char *name);
/* The API shape of @p row (v1rolesRole); @p include NULL, "permissions" (its own) or
 * "permissions:all" (with its bases'). New reference, NULL when out of memory. */
json_t *emu_role_json(emu *e, const json_t *row, const char *include);
/*
 * The permissions of role @p row as rows of the permissions table plus role_name
 * (the role that brings each): its own in the order attached, then with @p all
 * its base's, the base's base's, ..., each permission once, where it is nearest.
 * New JSON array, NULL when out of memory.
 */
json_t *emu_role_permissions(emu *e, const json_t *row, bool all);
/* The organization of an organization route ({org_id}) after checking it exists; NULL after a 404. */
const char *emu_role_org(emu *e, emu_req *r, int *rc);
/* 404 NOT_FOUND "role <name> not found". */
int emu_role_not_found(emu_req *r, const char *name);
/* Why @p names is not a list of 1 to 100 permission names (NULL when it is one), the
 * offending member's name written to @p field ("permissions[2]"); an emu_field_check. */
const char *emu_role_permission_names_invalid(const json_t *names, char *field, size_t field_len);
/* Attach the permissions named in @p names (valid names) to @p role, inside the caller's
 * transaction: 0; 1 after replying 400 naming <field>[i] for an unknown one; -1 on a store failure. */
int emu_role_attach(emu *e, emu_req *r, const json_t *role, const json_t *names, const char *field, int *rc);
/* Members holding @p row (distinct users; of its organization for an organization role); -1 on failure. */
int64_t emu_role_users_count(emu *e, const json_t *row);
/* The include query parameter: true with *include NULL or a valid value; false after a 400. */
bool emu_role_include(emu_req *r, const char **include, int *rc);

/* The base of role @p row, resolved from its scope. New reference or NULL. */
json_t *emu_role_base(emu *e, const json_t *row);
/* @p row, its base, the base's base, ... (new JSON array of rows), NULL when out of memory. */
json_t *emu_role_chain(emu *e, const json_t *row);
/* The roles extending @p row (new JSON array of rows, oldest first), NULL on failure. */
json_t *emu_role_dependents(emu *e, const json_t *row);

/* A role's permissions changed, inside the caller's transaction: its update_time and a
 * role.updated event (the webhooks' "a role is updated"; RoleEventData carries no
 * permissions, so the event says which role to re-read). 0 or -1. */
int emu_role_changed(emu *e, const json_t *row);
/* @p each on every row of @p roles (consumed; NULL: a failed query), in order, until one
 * fails. 0 or -1. */
int emu_roles_each(emu *e, json_t *roles, int (*each)(emu *e, const json_t *role));
/* An organization's delete (inside its transaction): a role.deleted event for each of its
 * roles, which the delete takes with it. 0 or -1. */
int emu_organization_roles_end(emu *e, const json_t *organization);

/* SQL condition: the membership's roles array holds the name bound to the next '?'. */
#define EMU_HOLDS_ROLE "EXISTS (SELECT 1 FROM json_each(memberships.roles) WHERE json_each.value = ?)"

/* env_<verb> and org_<verb>: the route handlers calling <verb>_role(e, r, org) with
 * the environment's scope (NULL) or the route's organization, after checking it exists. */
#define ROLE_HANDLERS(verb)                                                  \
    static int env_##verb(emu *e, emu_req *r)                                \
    {                                                                        \
        return verb##_role(e, r, NULL);                                      \
    }                                                                        \
    static int org_##verb(emu *e, emu_req *r)                                \
    {                                                                        \
        int rc = 0;                                                          \
        const char *org = emu_role_org(e, r, &rc);                           \
        return org ? verb##_role(e, r, org) : rc;                            \
    }

#endif
