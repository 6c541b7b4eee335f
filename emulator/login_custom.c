/*
 * Bring your own auth: a connection of the custom kind (type OAUTH, provider
 * CUSTOM, static_config {"static_config": {"login_url": "<the app's login
 * page>"}}, the API's StaticAuthConfig) sends the
 * hosted login to the app's own login page with login_request_id,
 * connection_id and state. The app signs the user in itself, hands the user to
 * Scalekit with UpdateLoginUserDetails
 *     POST /api/v1/connections/{connection_id}/auth-requests/{login_request_id}/user
 * (the body is the user object, api/ROUTES.md), then sends the browser back to
 *     GET {environment url}/sso/v1/connections/{connection_id}/partner:callback?state=<state>
 * which finishes the login as that user: the app's code exchange yields tokens
 * with the details (groups, roles, custom_attributes, organization by
 * external id as oid).
 *
 * The details wait in the request's round trip (sso_round_trips.user_details);
 * the state is single use, so a second return, or details for a request that
 * finished, are refused.
 */
#include "environment.h"
#include "resources.h"
#include "sso.h"

#include <stdlib.h>
#include <string.h>

int emu_login_custom_start(emu *e, emu_req *r, const json_t *lr, const json_t *conn)
{
    const char *lr_id = skit_json_string(lr, "id");
    const char *connection_id = skit_json_string(conn, "id");
    /* The API's StaticAuthConfig nests its object: {"static_config": {"login_url": ...}}. */
    const json_t *cfg = emu_sso_config(conn, "static_config");
    const char *login_url = skit_json_string(cfg, EMU_CUSTOM_LOGIN_URL);
    if (!login_url)
        login_url = skit_json_string(json_object_get(cfg, "static_config"), EMU_CUSTOM_LOGIN_URL);
    if (!login_url || emu_redirect_uri_malformed(login_url)) {
        char why[300];
        snprintf(why, sizeof why, "connection %.80s has no valid static_config.%s to send the user to",
                 connection_id, EMU_CUSTOM_LOGIN_URL);
        return emu_login_fail(e, r, lr_id, "server_error", why);
    }
    char *state = emu_sso_round_trip_new(e, lr_id, connection_id, NULL, NULL);
    if (!state)
        return -1;
    skit_buf q = SKIT_BUF_INIT, url = SKIT_BUF_INIT;
    skit_form_add(&q, "login_request_id", lr_id);
    skit_form_add(&q, "connection_id", connection_id);
    skit_form_add(&q, "state", state);
    skit_buf_puts(&url, login_url);
    skit_buf_puts(&url, strchr(login_url, '?') ? "&" : "?");
    int rc = skit_buf_puts(&url, q.ptr ? q.ptr : "") == SCALEKIT_OK ? emu_reply_redirect(r, url.ptr) : -1;
    skit_buf_free(&q);
    skit_buf_free(&url);
    free(state);
    return rc;
}

/* ---- UpdateLoginUserDetails --------------------------------------------------- */

static bool string_array(const json_t *v)
{
    size_t i;
    const json_t *s;
    if (!json_is_array(v))
        return false;
    json_array_foreach(v, i, s) {
        if (!json_is_string(s))
            return false;
    }
    return true;
}

/* Check the user body: NULL when fine, else the field and *why. */
static const char *check_user(emu *e, const json_t *u, const char *org_id, const char **why)
{
    static const char *const strings[] = {
        "sub", "given_name", "family_name", "phone_number", "name", "preferred_username", "picture", "gender",
        "locale", "organization_external_id", "organization_external_name", NULL
    };
    const char *email = skit_json_string(u, "email");
    if (!email || !*email)
        return *why = "is required", "email";
    if (!emu_email_plausible(email))
        return *why = "must be an email address", "email";
    for (size_t i = 0; strings[i]; i++) {
        const json_t *v = json_object_get(u, strings[i]);
        if (v && !json_is_null(v) && !json_is_string(v))
            return *why = "must be a string", strings[i];
    }
    static const char *const bools[] = {"email_verified", "phone_number_verified"};
    for (size_t i = 0; i < 2; i++) {
        const json_t *v = json_object_get(u, bools[i]);
        if (v && !json_is_null(v) && !json_is_boolean(v))
            return *why = "must be true or false", bools[i];
    }
    if (json_object_get(u, "groups") && !string_array(json_object_get(u, "groups")))
        return *why = "must be an array of strings", "groups";
    if (json_object_get(u, "roles") && !string_array(json_object_get(u, "roles")))
        return *why = "must be an array of strings", "roles";
    const json_t *attrs = json_object_get(u, "custom_attributes");
    if (attrs && !json_is_null(attrs) && !json_is_object(attrs))
        return *why = "must be an object", "custom_attributes";
    const char *ext = skit_json_string(u, "organization_external_id");
    json_t *org = ext && *ext ? emu_db_row(e->store, "SELECT id FROM organizations WHERE external_id = ?", "s", ext)
                              : NULL;
    if (ext && *ext && !org)
        return *why = "names no organization of this environment", "organization_external_id";
    /* Roles become the member's roles in the organization signed in to: each must exist there. */
    const char *field = NULL;
    size_t i;
    const json_t *role;
    json_array_foreach(json_object_get(u, "roles"), i, role) {
        json_t *known = emu_role_lookup(e, org ? skit_json_string(org, "id") : org_id, json_string_value(role));
        json_decref(known);
        if (!known) {
            *why = "names a role that does not exist in the organization";
            field = "roles";
            break;
        }
    }
    json_decref(org);
    return field;
}

static int post_user_details(emu *e, emu_req *r)
{
    const char *connection_id = emu_path_param(r, "connection_id");
    const char *lr_id = emu_path_param(r, "login_request_id");
    json_t *conn = emu_connection_row(e, connection_id);
    const char *why = NULL;
    json_t *lr = conn ? emu_login_request_get(e, lr_id, &why) : NULL;
    const char *routed = skit_json_string(lr, "connection_id");
    json_t *body = emu_json_body(r);
    const char *field = NULL, *problem = NULL;
    int rc;
    if (!conn) {
        rc = emu_reply_error(r, 404, "NOT_FOUND", "connection %s not found", connection_id);
    } else if (!lr && (!why || strcmp(why, "unknown") == 0)) {
        rc = emu_reply_error(r, 404, "NOT_FOUND", "login request %s not found", lr_id);
    } else if (!lr) {
        rc = emu_reply_error(r, 400, "INVALID_ARGUMENT", "login request %s is %s: it no longer takes user details",
                             lr_id, why);
    } else if (!routed || strcmp(routed, connection_id) != 0) {
        rc = emu_reply_error(r, 404, "NOT_FOUND", "login request %s is not a login through connection %s", lr_id,
                             connection_id);
    } else if (!body) {
        rc = emu_reply_error(r, 400, "INVALID_ARGUMENT", "the body must be the user as a JSON object");
    } else if ((field = check_user(e, body, skit_json_string(conn, "organization_id"), &problem)) != NULL) {
        rc = emu_reply_field_error(r, field, problem);
    } else {
        char *text = json_dumps(body, JSON_COMPACT);
        int n = text ? emu_db_exec(e->store, "UPDATE sso_round_trips SET user_details = ? WHERE login_request_id = ? "
                                             "AND connection_id = ?", "sss", text, lr_id, connection_id) : -1;
        free(text);
        rc = n < 0 ? -1 : n == 0 ? emu_reply_error(r, 400, "INVALID_ARGUMENT", "login request %s has already "
                                                   "returned from the app", lr_id)
                                 : emu_reply_json(r, 200, json_object());
    }
    json_decref(lr);
    json_decref(conn);
    return rc;
}

/* ---- the browser's return ------------------------------------------------------ */

/* The members of the user details that go into the tokens as they are. */
static const char *const carried_claims[] = {
    "groups", "roles", "custom_attributes", "phone_number", "phone_number_verified", "preferred_username",
    "picture", "gender", "locale", NULL
};

static int finish(emu *e, emu_req *r, const char *lr_id, const json_t *conn, const json_t *user)
{
    emu_login_identity who = {0};
    who.email = skit_json_string(user, "email");
    who.given_name = skit_json_string(user, "given_name");
    who.family_name = skit_json_string(user, "family_name");
    who.name = skit_json_string(user, "name");
    who.connection_id = skit_json_string(conn, "id");
    who.connection_type = skit_json_string(conn, "type");
    who.connection_provider = skit_json_string(conn, "provider");
    who.provider_user_id = skit_json_string(user, "sub");
    const char *ext = skit_json_string(user, "organization_external_id");
    json_t *org = ext && *ext ? emu_db_row(e->store, "SELECT id FROM organizations WHERE external_id = ?", "s", ext)
                              : NULL;
    who.organization_id = org ? skit_json_string(org, "id") : skit_json_string(conn, "organization_id");
    json_t *extra = json_object();
    for (size_t i = 0; extra && carried_claims[i]; i++) {
        json_t *v = json_object_get(user, carried_claims[i]);
        if (v && !json_is_null(v))
            json_object_set(extra, carried_claims[i], v);
    }
    who.extra_claims = extra;
    int rc = extra ? emu_login_finish(e, r, lr_id, &who) : -1;
    /* The roles the app gave are the member's roles from now on (the access token's roles). */
    json_t *done = emu_db_row(e->store, "SELECT user_id, organization_id FROM login_requests WHERE id = ? "
                                        "AND status = 'SUCCESS'", "s", lr_id);
    const json_t *roles = json_object_get(user, "roles");
    char *roles_text = done && json_is_array(roles) ? json_dumps(roles, JSON_COMPACT) : NULL;
    if (roles_text)
        emu_db_exec(e->store, "UPDATE memberships SET roles = ? WHERE organization_id = ? AND user_id = ?", "sss",
                    roles_text, skit_json_string(done, "organization_id"), skit_json_string(done, "user_id"));
    free(roles_text);
    json_decref(done);
    json_decref(extra);
    json_decref(org);
    return rc;
}

static int partner_callback(emu *e, emu_req *r)
{
    json_t *trip, *conn;
    int rc;
    if (emu_sso_return(e, r, "The app sent the browser back", &trip, &conn, &rc))
        return rc;
    const char *lr_id = skit_json_string(trip, "login_request_id");
    const char *details = skit_json_string(trip, "user_details");
    json_t *user = details ? json_loads(details, 0, NULL) : NULL;
    if (!user)
        rc = emu_login_fail(e, r, lr_id, "access_denied", "the app sent the browser back before handing over the "
                            "user (UpdateLoginUserDetails)");
    else
        rc = finish(e, r, lr_id, conn, user);
    json_decref(user);
    json_decref(conn);
    json_decref(trip);
    return rc;
}

const emu_route emu_login_custom_routes[] = {
    {"POST", "/api/v1/connections/{connection_id}/auth-requests/{login_request_id}/user", post_user_details,
     "connection_id login_request_id"},
    {"GET", "/sso/v1/connections/{connection_id}/partner:callback", partner_callback, "connection_id"},
    {NULL, NULL, NULL, NULL}
};
