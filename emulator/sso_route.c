/*
 * Which connection signs a login request in (the hosted login's router,
 * login.h): in order of precision, the request's connection_id, its
 * organization_id, its domain_hint, then the domain of the email (login_hint or
 * the one typed on the hosted page).
 *
 * A connection named by id that is unknown, disabled or of another
 * organization fails the request (error=connection_not_found, the code
 * Scalekit's troubleshooting guide names, with a description saying which); an
 * organization or a domain whose connection is missing or disabled falls back
 * to the environment's default login, as an organization without SSO does.
 */
#include "environment.h"
#include "resources.h"
#include "sso.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Connection types the router sends a browser to (an environment's
 * passwordless or passkey connection is a section of the hosted page instead). */
static bool is_login_connection(const json_t *conn)
{
    const char *type = skit_json_string(conn, "type");
    return type && (strcmp(type, "OIDC") == 0 || strcmp(type, "SAML") == 0 ||
                    strcmp(type, EMU_CUSTOM_CONNECTION_TYPE) == 0);
}

bool emu_sso_enabled(const json_t *conn)
{
    const json_t *v = json_object_get(conn, "enabled");
    return json_is_true(v) || (json_is_integer(v) && json_integer_value(v) != 0);
}

const json_t *emu_sso_config(const json_t *conn, const char *name)
{
    const json_t *v = json_object_get(conn, name);
    return json_is_object(v) ? v : NULL;
}

/* ---- the router ------------------------------------------------------------- */

/* The enabled sign-in connection of organization @p org (decoded), NULL when none. */
static json_t *organization_connection(emu *e, const char *org)
{
    json_t *found = emu_db_row(e->store, "SELECT id FROM connections WHERE organization_id = ? AND enabled = 1 "
                                         "AND type IN ('OIDC', 'SAML', '" EMU_CUSTOM_CONNECTION_TYPE "') "
                                         "ORDER BY create_time, id LIMIT 1", "s", org);
    json_t *conn = found ? emu_connection_row(e, skit_json_string(found, "id")) : NULL;
    json_decref(found);
    return conn;
}

static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

int emu_sso_start(emu *e, emu_req *r, const json_t *lr, const json_t *conn)
{
    const char *lr_id = skit_json_string(lr, "id");
    const char *type = skit_json_string(conn, "type");
    if (emu_db_exec(e->store, "UPDATE login_requests SET connection_id = ?, connection_type = ?, "
                              "connection_provider = ?, updated_at = ? WHERE id = ?", "sssis",
                    skit_json_string(conn, "id"), type, skit_json_string(conn, "provider"), skit_now(), lr_id) < 0)
        return -1;
    if (strcmp(type, "OIDC") == 0)
        return emu_sso_oidc_start(e, r, lr, conn);
    if (strcmp(type, "SAML") == 0)
        return emu_sso_saml_start(e, r, lr, conn);
    if (strcmp(type, EMU_CUSTOM_CONNECTION_TYPE) == 0)
        return emu_login_custom_start(e, r, lr, conn);
    char why[300];
    snprintf(why, sizeof why, "connection %.60s is of type %.40s, which does not sign users in through a browser",
             skit_json_string(conn, "id"), type);
    return emu_login_fail(e, r, lr_id, "connection_not_found", why);
}

int emu_sso_router(emu *e, emu_req *r, const json_t *lr, const char *email, int *rc)
{
    const char *lr_id = skit_json_string(lr, "id");
    const char *connection_id = nonempty(skit_json_string(lr, "connection_id"));
    const char *org = nonempty(skit_json_string(lr, "organization_id"));
    json_t *conn = NULL;
    if (connection_id) {
        conn = emu_connection_row(e, connection_id);
        const char *conn_org = skit_json_string(conn, "organization_id");
        char why[400];
        why[0] = '\0';
        if (!conn)
            snprintf(why, sizeof why, "connection %.80s not found", connection_id);
        else if (!emu_sso_enabled(conn))
            snprintf(why, sizeof why, "connection %.80s is disabled", connection_id);
        else if (org && (!conn_org || strcmp(conn_org, org) != 0))
            snprintf(why, sizeof why, "connection %.80s is not a connection of organization %.80s", connection_id, org);
        else if (!is_login_connection(conn))
            snprintf(why, sizeof why, "connection %.80s (%.20s) does not sign users in through a browser",
                     connection_id, skit_json_string(conn, "type"));
        if (why[0]) {
            json_decref(conn);
            *rc = emu_login_fail(e, r, lr_id, "connection_not_found", why);
            return 1;
        }
    } else if (org) {
        conn = organization_connection(e, org);
    } else {
        const char *domain = nonempty(skit_json_string(lr, "domain_hint"));
        const char *at = email ? strrchr(email, '@') : NULL;
        conn = emu_connection_for_domain(e, domain ? domain : at ? at + 1 : NULL);
    }
    if (!conn)
        return 0;
    *rc = emu_sso_start(e, r, lr, conn);
    json_decref(conn);
    return 1;
}

/* ---- round trips ------------------------------------------------------------- */

char *emu_sso_round_trip_new(emu *e, const char *lr_id, const char *connection_id, const char *nonce,
                             const char *verifier)
{
    char *state = emu_new_id("", 32);
    char hash[65];
    /* Round trips never taken (an abandoned sign-in) go once they could no longer be. */
    emu_db_exec(e->store, "DELETE FROM sso_round_trips WHERE created_at <= ?", "i",
                skit_now() - EMU_LOGIN_REQUEST_TTL_SECONDS);
    if (state) {
        emu_sha256_hex(state, hash);
        if (emu_db_exec(e->store, "INSERT INTO sso_round_trips(state_hash, login_request_id, connection_id, nonce, "
                                  "code_verifier, created_at) VALUES (?, ?, ?, ?, ?, ?)", "sssssi", hash, lr_id,
                        connection_id, nonce, verifier, skit_now()) != 1) {
            free(state);
            state = NULL;
        }
    }
    return state;
}

json_t *emu_sso_round_trip_take(emu *e, const char *state, const char *connection_id)
{
    char hash[65];
    emu_sha256_hex(state, hash);
    /* Read and delete under the lock: two racing callbacks cannot both use one state. */
    emu_db_lock(e->store);
    json_t *trip = emu_db_row(e->store, "SELECT * FROM sso_round_trips WHERE state_hash = ? AND connection_id = ? "
                                        "AND created_at > ?", "ssi", hash, connection_id,
                              skit_now() - EMU_LOGIN_REQUEST_TTL_SECONDS);
    if (trip && emu_db_exec(e->store, "DELETE FROM sso_round_trips WHERE state_hash = ?", "s", hash) != 1) {
        json_decref(trip);
        trip = NULL;
    }
    emu_db_unlock(e->store);
    return trip;
}

int emu_sso_return(emu *e, emu_req *r, const char *sender, json_t **trip, json_t **conn, int *rc)
{
    const char *connection_id = emu_path_param(r, "connection_id");
    const char *state = emu_query(r, "state");
    *conn = NULL;
    *trip = state && *state ? emu_sso_round_trip_take(e, state, connection_id) : NULL;
    if (!*trip) {
        *rc = emu_reply_error_page(r, "Sign-in error", "%s with a state this emulator did not send, or one already "
                                   "used: start the sign-in again.", sender);
        return 1;
    }
    const char *lr_id = skit_json_string(*trip, "login_request_id");
    const char *why = NULL;
    json_t *lr = emu_login_request_get(e, lr_id, &why);
    *conn = lr ? emu_connection_row(e, connection_id) : NULL;
    json_decref(lr);
    if (!lr) {
        *rc = emu_login_refused_page(r, why);
    } else if (!*conn || !emu_sso_enabled(*conn)) {
        char description[200];
        snprintf(description, sizeof description, "connection %.80s was disabled or deleted during the sign-in",
                 connection_id);
        *rc = emu_login_fail(e, r, lr_id, "connection_not_found", description);
    } else {
        return 0;
    }
    json_decref(*trip);
    json_decref(*conn);
    *trip = *conn = NULL;
    return 1;
}
