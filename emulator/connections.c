/*
 * SSO and other connections: an organization's (OIDC, SAML, a custom one) and
 * the environment's (organization_id NULL: PASSWORDLESS, WEBAUTHN), with the
 * API's shapes (connectionsConnection, connectionsListConnection), enable and
 * disable, and the organization.sso_created / _enabled / _disabled / _deleted
 * events (ConnectionEventData) of an organization's connections, each in its
 * write's transaction. The configuration members are in connection_config.c.
 *
 * Routes: the organization's as an engine resource (GET, DELETE and a paged list
 * by the engine; create, update (PATCH), :enable, :disable here), and the
 * environment's (POST, GET, PATCH, DELETE /api/v1/connections[/{connection_id}],
 * :enable, :disable), plus GET /api/v1/connections: every connection of the
 * environment, filtered by organization_id, domain (an organization owning that
 * domain in its domains table) and include ("all"; by default only the enabled
 * COMPLETED ones, as the API says). Its body is connectionsConnection's members
 * (CreateConnection/UpdateConnection carry a Connection): type (required, fixed
 * once created), provider (default CUSTOM), provider_key, key_id (default the id),
 * debug_enabled, attribute_mapping, and the configuration member of the type.
 * An environment holds one connection of each type.
 *
 * What the login flow reads (emu_connection_row, emu_connection_for_domain,
 * emu_environment_connection:
 * the row with each JSON column decoded to an object, enabled and debug_enabled
 * as booleans):
 * - type: OIDC, SAML, PASSWORDLESS, WEBAUTHN, or OAUTH for a custom connection
 *   (bring your own auth: provider CUSTOM, static_config {"static_config":
 *   {"login_url": "https://app.example/login"}}, the API's StaticAuthConfig);
 * - enabled: true only when status is COMPLETED (enable refuses an incomplete
 *   configuration; an update may not make an enabled one incomplete);
 * - status: DRAFT (no configuration), IN_PROGRESS, COMPLETED (it has what a login
 *   needs: OIDC client_id, client_secret, issuer, authorize_uri, token_uri,
 *   jwks_uri; SAML idp_entity_id, idp_sso_url; custom static_config.login_url);
 * - oidc_config: the members as set, client_secret in plain (the API masks it);
 *   with a discovery_endpoint, the endpoints its document gives are filled in at
 *   the write (connection_discovery.c), so authorize_uri, token_uri, jwks_uri and
 *   issuer are always there when COMPLETED;
 *   the callback is {public url}/sso/v1/oidc/{id}/callback (the API's redirect_uri);
 * - saml_config: idp_* as set; the SP is {public url}/sso/v1/saml/{id} (entity id),
 *   .../acs, .../metadata;
 * - passwordless_config, webauthn_config: as set (absent: the defaults);
 * - attribute_mapping: IdP claim -> user field.
 */
#include "connection.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const json_columns[] = {"oidc_config", "saml_config", "passwordless_config", "webauthn_config",
                                           "static_config", "attribute_mapping", NULL};

static const char *const providers[] = {"OKTA", "GOOGLE", "MICROSOFT_AD", "AUTH0", "ONELOGIN", "PING_IDENTITY",
    "JUMPCLOUD", "CUSTOM", "GITHUB", "GITLAB", "LINKEDIN", "SALESFORCE", "MICROSOFT", "IDP_SIMULATOR", "SCALEKIT",
    "ADFS", NULL};

/* Members of a connection a body may carry but that the server sets: ignored (a GET's answer can be sent back). */
static const char *const read_only[] = {"id", "organization_id", "status", "enabled", "domains",
    "configuration_type", "test_connection_uri", "mcp_server_url", "organization_name", NULL};

static bool in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; s && list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

/* A JSON column of @p row as an object: stored text parsed, an object kept; NULL when absent. New reference. */
static json_t *column_object(const json_t *row, const char *name)
{
    json_t *v = json_object_get(row, name);
    if (json_is_object(v))
        return json_incref(v);
    json_t *parsed = json_is_string(v) ? json_loads(json_string_value(v), 0, NULL) : NULL;
    if (json_is_object(parsed))
        return parsed;
    json_decref(parsed);
    return NULL;
}

static json_t *decode_row(json_t *row)
{
    for (size_t i = 0; row && json_columns[i]; i++) {
        json_t *obj = column_object(row, json_columns[i]);
        if (obj)
            json_object_set_new(row, json_columns[i], obj);
        else
            json_object_del(row, json_columns[i]);
    }
    if (row) {
        json_object_set_new(row, "enabled", json_boolean(json_integer_value(json_object_get(row, "enabled"))));
        json_object_set_new(row, "debug_enabled",
                            json_boolean(json_integer_value(json_object_get(row, "debug_enabled"))));
    }
    return row;
}

json_t *emu_connection_row(emu *e, const char *id)
{
    return id ? decode_row(emu_db_row(e->store, "SELECT * FROM connections WHERE id = ?", "s", id)) : NULL;
}

json_t *emu_connection_for_domain(emu *e, const char *domain)
{
    if (!domain)
        return NULL;
    return decode_row(emu_db_row(e->store,
        "SELECT c.* FROM connections c JOIN domains d ON d.organization_id = c.organization_id "
        "WHERE d.domain = ? COLLATE NOCASE AND (d.domain_type IS NULL OR d.domain_type = 'ORGANIZATION_DOMAIN') "
        "AND c.enabled = 1 ORDER BY c.create_time, c.rowid LIMIT 1", "s", domain));
}

json_t *emu_environment_connection(emu *e, const char *type)
{
    return type ? decode_row(emu_db_row(e->store, "SELECT * FROM connections WHERE organization_id IS NULL AND "
                                                  "type = ?", "s", type)) : NULL;
}

/* ---- shapes and events --------------------------------------------------------------- */

/* A boolean column of a stored (0/1) or decoded (true/false) row. */
static bool flag(const json_t *row, const char *name)
{
    json_t *v = json_object_get(row, name);
    return json_is_true(v) || json_integer_value(v) != 0;
}

/* ConnectionEventData. */
static json_t *event_data(const json_t *row)
{
    return json_pack("{s:s?, s:s?, s:s?, s:s?, s:b, s:s?}", "id", skit_json_string(row, "id"),
                     "organization_id", skit_json_string(row, "organization_id"),
                     "connection_type", skit_json_string(row, "type"), "provider", skit_json_string(row, "provider"),
                     "enabled", flag(row, "enabled"),
                     "status", skit_json_string(row, "status"));
}

static int emit(emu *e, const char *type, const json_t *row)
{
    const char *org = skit_json_string(row, "organization_id");
    if (!org)
        return 0;   /* the sso events are an organization's */
    json_t *data = event_data(row);
    int rc = data ? emu_event_emit_object(e, type, "Connection", org, data) : -1;   /* the API names it so */
    json_decref(data);
    return rc;
}

/* The organization's domain rows, oldest first. New reference. */
static json_t *domain_rows(emu *e, const char *org)
{
    return org ? emu_db_rows(e->store, "SELECT * FROM domains WHERE organization_id = ? ORDER BY create_time, rowid",
                             "s", org)
               : json_array();
}

/* connectionsConnection: the configuration of the type, its attribute mapping and the organization's domains. */
static int shape_store(emu *e, const json_t *row, json_t *out)
{
    const emu_connection_kind *kind = emu_connection_kind_of(skit_json_string(row, "type"));
    const char *id = skit_json_string(row, "id");
    json_t *config = kind ? column_object(row, kind->member) : NULL;
    json_t *mapping = column_object(row, "attribute_mapping");
    json_t *rows = domain_rows(e, skit_json_string(row, "organization_id")), *domains = json_array(), *d;
    size_t i;
    json_array_foreach(rows, i, d)
        json_array_append_new(domains, emu_resource_json_in(e, &emu_domain_resource, d));
    int rc = json_object_set_new(out, "enabled", json_boolean(flag(row, "enabled"))) ||
             json_object_set_new(out, "debug_enabled", json_boolean(flag(row, "debug_enabled"))) ||
             json_object_set_new(out, "domains", domains) ||
             json_object_set_new(out, "attribute_mapping", mapping ? mapping : json_object());
    if (kind && rc == 0) {
        json_t *shown = emu_connection_config_json(e, kind, id, config);
        rc = !shown || json_object_set_new(out, kind->member, shown);
        if (strcmp(kind->type, "OIDC") == 0)
            rc |= json_object_set_new(out, "configuration_type",
                                      json_string(skit_json_string(config, "discovery_endpoint") ? "DISCOVERY"
                                                                                                   : "MANUAL"));
    }
    json_decref(config);
    json_decref(rows);
    return rc ? -1 : 0;
}

static const emu_field fields[] = {
    {.name = "id", .flags = EMU_OUTPUT},
    {.name = "organization_id", .flags = EMU_OUTPUT},
    {.name = "type", .flags = EMU_OUTPUT},
    {.name = "provider", .flags = EMU_OUTPUT},
    {.name = "provider_key", .flags = EMU_OUTPUT},
    {.name = "key_id", .flags = EMU_OUTPUT},
    {.name = "status", .flags = EMU_OUTPUT},
    {.name = "enabled", .type = EMU_BOOL, .flags = EMU_OUTPUT},
    {.name = "debug_enabled", .type = EMU_BOOL, .flags = EMU_OUTPUT},
    {0}
};

static int refuse(emu_connection_error *err, unsigned status, const char *code, const char *field,
                  const char *fmt, ...) SKIT_PRINTF(5, 6);
static int refuse(emu_connection_error *err, unsigned status, const char *code, const char *field,
                  const char *fmt, ...)
{
    err->status = status;
    err->code = code;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return 1;
}

int emu_connection_reply_error(emu_req *r, const emu_connection_error *err)
{
    return err->field[0] ? emu_reply_field_error(r, err->field, err->message)
                         : emu_reply_error(r, err->status, err->code, "%s", err->message);
}

/* ---- writes -------------------------------------------------------------------------- */

/* The first problem of body member @p name (not a configuration member); its field in @p field. */
static const char *check_top(const char *name, const json_t *v, char *field, size_t len)
{
    snprintf(field, len, "%s", name);
    if (strcmp(name, "type") == 0)
        return emu_connection_kind_of(json_string_value(v)) ? NULL
             : "type must be OIDC, SAML, PASSWORDLESS, WEBAUTHN or OAUTH (a custom connection)";
    if (strcmp(name, "provider") == 0)
        return in_list(providers, json_string_value(v)) ? NULL : "provider is not a connectionsConnectionProvider";
    if (strcmp(name, "provider_key") == 0 || strcmp(name, "key_id") == 0)
        return json_is_string(v) && json_string_length(v) <= 255 ? NULL : "must be a string of at most 255 characters";
    if (strcmp(name, "debug_enabled") == 0)
        return json_is_boolean(v) ? NULL : "debug_enabled must be a boolean";
    if (strcmp(name, "attribute_mapping") == 0) {
        const char *key;
        json_t *value;
        if (!json_is_object(v) || json_object_size(v) > 50)
            return "attribute_mapping must be an object of at most 50 strings";
        json_object_foreach((json_t *)v, key, value) {
            snprintf(field, len, "attribute_mapping.%s", key);
            if (!json_is_string(value) || json_string_length(value) > 255 || strlen(key) > 255)
                return "each attribute mapping must be a string of at most 255 characters";
        }
        return NULL;
    }
    if (in_list(read_only, name))
        return NULL;
    for (size_t i = 0; json_columns[i + 1]; i++)
        if (strcmp(name, json_columns[i]) == 0)
            return NULL;   /* checked against the type by the caller */
    return "is not a member of a connection";
}

/* The body checked and merged over @p before (the row before, or NULL), into @p after's columns: 0, or 1 refused (*err). */
static int merge_body(const json_t *body, const json_t *before, json_t *after, emu_connection_error *err)
{
    char field[160];
    const char *name, *why = NULL;
    json_t *v;
    json_object_foreach((json_t *)body, name, v)
        if ((why = check_top(name, v, field, sizeof field)))
            break;
    const char *type = before ? skit_json_string(before, "type") : skit_json_string(body, "type");
    if (!why) {
        snprintf(field, sizeof field, "type");
        if (!type)
            why = "type is required: OIDC, SAML, PASSWORDLESS, WEBAUTHN or OAUTH";
        else if (before && json_object_get(body, "type") && strcmp(skit_json_string(body, "type"), type) != 0)
            why = "type cannot change once the connection is created";
    }
    const emu_connection_kind *kind = emu_connection_kind_of(type);
    for (size_t i = 0; !why && json_columns[i + 1]; i++) {
        if (json_object_get(body, json_columns[i]) && strcmp(json_columns[i], kind->member) != 0) {
            snprintf(field, sizeof field, "%s", json_columns[i]);
            why = "this configuration is not the one of the connection's type";
        }
    }
    if (why)
        return refuse(err, 400, "INVALID_ARGUMENT", field, "%s", why);
    static const char *const plain[] = {"type", "provider", "provider_key", "key_id", "debug_enabled", NULL};
    for (size_t i = 0; plain[i]; i++)
        if ((v = json_object_get(body, plain[i])))
            json_object_set(after, plain[i], v);
    if ((v = json_object_get(body, "attribute_mapping")))
        json_object_set(after, "attribute_mapping", v);
    json_t *config = column_object(after, kind->member);
    if (!config)
        config = json_object();
    json_t *in = json_object_get(body, kind->member);
    why = in ? emu_connection_config_merge(kind, config, in, json_is_true(json_object_get(after, "debug_enabled")),
                                           field, sizeof field) : NULL;
    json_object_set_new(after, kind->member, config);
    if (why)
        return refuse(err, 400, "INVALID_ARGUMENT", field, "%s", why);
    const char *missing = emu_connection_config_missing(kind, config);
    json_object_set_new(after, "status", json_string(!missing ? "COMPLETED"
                                                     : json_object_size(config) ? "IN_PROGRESS" : "DRAFT"));
    if (missing && json_is_true(json_object_get(after, "enabled")))
        return refuse(err, 400, "FAILED_PRECONDITION", NULL, "connection %s is enabled: %s.%s cannot be removed "
                      "(disable it first)", skit_json_string(after, "id"), kind->member, missing);
    return 0;
}

/* A JSON column's text for the store, NULL when absent. malloc'd. */
static char *column_text(const json_t *row, const char *name)
{
    json_t *v = json_object_get(row, name);
    return json_is_object(v) ? json_dumps(v, JSON_COMPACT) : NULL;
}

static int store_row(emu *e, const json_t *row, bool create)
{
    char *texts[6] = {0};
    for (size_t i = 0; json_columns[i]; i++)
        texts[i] = column_text(row, json_columns[i]);
    const char *key_id = skit_json_string(row, "key_id");
    int64_t now = skit_now();
    int n = create
        ? emu_db_exec(e->store, "INSERT INTO connections(id, organization_id, environment_id, type, provider, "
                      "provider_key, key_id, status, debug_enabled, oidc_config, saml_config, passwordless_config, "
                      "webauthn_config, static_config, attribute_mapping, create_time, update_time) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "ssssssssbssssssii",
                      skit_json_string(row, "id"), skit_json_string(row, "organization_id"), e->environment_id,
                      skit_json_string(row, "type"), skit_json_string(row, "provider"),
                      skit_json_string(row, "provider_key"), key_id ? key_id : skit_json_string(row, "id"),
                      skit_json_string(row, "status"), json_is_true(json_object_get(row, "debug_enabled")),
                      texts[0], texts[1], texts[2], texts[3], texts[4], texts[5], now, now)
        : emu_db_exec(e->store, "UPDATE connections SET provider = ?, provider_key = ?, key_id = ?, status = ?, "
                      "debug_enabled = ?, oidc_config = ?, saml_config = ?, passwordless_config = ?, "
                      "webauthn_config = ?, static_config = ?, attribute_mapping = ?, update_time = ? WHERE id = ?",
                      "ssssbssssssis", skit_json_string(row, "provider"), skit_json_string(row, "provider_key"),
                      key_id, skit_json_string(row, "status"), json_is_true(json_object_get(row, "debug_enabled")),
                      texts[0], texts[1], texts[2], texts[3], texts[4], texts[5], now, skit_json_string(row, "id"));
    for (size_t i = 0; i < 6; i++)
        free(texts[i]);
    return n == 1 ? 0 : -1;
}

static int write_row(emu *e, const char *org, const char *id, const json_t *body, json_t **out,
                     emu_connection_error *err);

/* An OIDC body with a discovery endpoint: a copy with the endpoints the document gives
 * (*expanded, new reference); 0 (nothing to read: *expanded NULL), 1 refused, -1. */
static int discover(emu *e, const char *id, const json_t *body, json_t **expanded, emu_connection_error *err)
{
    const char *url = skit_json_string(json_object_get(body, "oidc_config"), "discovery_endpoint");
    if (!url || !*url)
        return 0;
    json_t *before = id ? emu_connection_row(e, id) : NULL;
    const char *type = before ? skit_json_string(before, "type") : skit_json_string(body, "type");
    json_t *debug = json_object_get(body, "debug_enabled");
    bool debug_on = debug ? json_is_true(debug) : json_is_true(json_object_get(before, "debug_enabled"));
    const char *why = type && strcmp(type, "OIDC") == 0 ? emu_connection_url_problem(url, debug_on) : NULL;
    bool oidc = type && strcmp(type, "OIDC") == 0;
    json_decref(before);
    if (!oidc)
        return 0;   /* the merge refuses it with the right field */
    if (why)
        return refuse(err, 400, "INVALID_ARGUMENT", "oidc_config.discovery_endpoint", "%s", why);
    *expanded = json_deep_copy(body);
    if (!*expanded)
        return -1;
    char detail[512];
    if (emu_oidc_discover(json_object_get(*expanded, "oidc_config"), detail, sizeof detail) == 0)
        return 0;
    json_decref(*expanded);
    *expanded = NULL;
    return refuse(err, 400, "INVALID_ARGUMENT", "oidc_config.discovery_endpoint", "%s", detail);
}

int emu_connection_write(emu *e, const char *org, const char *id, const json_t *body, json_t **out,
                         emu_connection_error *err)
{
    *out = NULL;
    if (!json_is_object(body))
        return refuse(err, 400, "INVALID_ARGUMENT", NULL, "the request body must be a JSON object");
    json_t *discovered = NULL;
    int found = discover(e, id, body, &discovered, err);
    if (found != 0)
        return found;
    int result = write_row(e, org, id, discovered ? discovered : body, out, err);
    json_decref(discovered);
    return result;
}

static int write_row(emu *e, const char *org, const char *id, const json_t *body, json_t **out,
                     emu_connection_error *err)
{
    if (emu_tx_begin(e->store) != 0)
        return -1;
    json_t *before = id ? emu_connection_row(e, id) : NULL;
    char *new_id = id ? NULL : emu_new_id("conn_", 8);
    json_t *after = before ? json_deep_copy(before)
                  : json_pack("{s:s?, s:s?, s:s, s:b}", "id", new_id, "organization_id", org, "provider", "CUSTOM",
                              "enabled", 0);
    int result = -1;
    if (id && !before)
        result = refuse(err, 404, "NOT_FOUND", NULL, "connection %s not found", id);
    else if (after && (id || new_id))
        result = merge_body(body, before, after, err);
    json_t *taken = result == 0 && !id && !org
        ? emu_db_row(e->store, "SELECT id FROM connections WHERE organization_id IS NULL AND type = ?", "s",
                     skit_json_string(after, "type")) : NULL;
    if (taken) {
        result = refuse(err, 409, "ALREADY_EXISTS", NULL, "the environment already has a %s connection: %s",
                        skit_json_string(after, "type"), skit_json_string(taken, "id"));
        json_decref(taken);
    }
    if (result == 0) {
        result = store_row(e, after, !id) == 0 && (id || emit(e, "organization.sso_created", after) == 0) ? 0 : -1;
        json_decref(after);
        after = result == 0 ? emu_connection_row(e, id ? id : new_id) : NULL;
        result = after ? 0 : -1;
    }
    if (result != 0)
        emu_tx_rollback(e->store);
    else if (emu_tx_commit(e->store) != 0)
        result = -1;
    if (result == 0) {
        *out = after;
        after = NULL;
    }
    json_decref(before);
    json_decref(after);
    free(new_id);
    return result;
}

int emu_connection_toggle(emu *e, const char *id, bool enable, emu_connection_error *err)
{
    if (emu_tx_begin(e->store) != 0)
        return -1;
    json_t *now = emu_connection_row(e, id);
    const emu_connection_kind *kind = emu_connection_kind_of(skit_json_string(now, "type"));
    json_t *config = now && kind ? json_object_get(now, kind->member) : NULL;
    const char *missing = kind ? emu_connection_config_missing(kind, config) : "type";
    int result = 0;
    if (!now)
        result = refuse(err, 404, "NOT_FOUND", NULL, "connection %s not found", id);
    else if (enable && missing)
        result = refuse(err, 400, "FAILED_PRECONDITION", NULL, "connection %s is not configured: %s.%s is required "
                        "to enable it", id, kind ? kind->member : "connection", missing);
    else if (json_is_true(json_object_get(now, "enabled")) != enable) {
        json_object_set_new(now, "enabled", json_boolean(enable));
        result = emu_db_exec(e->store, "UPDATE connections SET enabled = ?, update_time = ? WHERE id = ?", "bis",
                             enable, skit_now(), id) == 1 &&
                 emit(e, enable ? "organization.sso_enabled" : "organization.sso_disabled", now) == 0 ? 0 : -1;
    }
    json_decref(now);
    if (result != 0) {
        emu_tx_rollback(e->store);
        return result;
    }
    return emu_tx_commit(e->store) == 0 ? 0 : -1;
}

int emu_organization_connections_end(emu *e, const json_t *organization)
{
    json_t *rows = emu_db_rows(e->store, "SELECT * FROM connections WHERE organization_id = ?", "s",
                               skit_json_string(organization, "id")), *row;
    size_t i;
    int rc = rows ? 0 : -1;
    json_array_foreach(rows, i, row)
        if (rc == 0)
            rc = emit(e, "organization.sso_deleted", row);
    json_decref(rows);
    return rc;
}

static int delete_event(emu *e, const json_t *row)
{
    return emit(e, "organization.sso_deleted", row);
}

/* ---- the organization's routes ------------------------------------------------------- */

static int reply_connection(emu *e, emu_req *r, const json_t *row)
{
    json_t *item = emu_resource_json_in(e, &emu_connection_resource, row);
    return item ? emu_reply_json(r, 200, json_pack("{s:o}", "connection", item)) : -1;
}

/* Reply the written connection (0 from emu_connection_write), or its refusal. */
static int finish(emu *e, emu_req *r, int result, json_t *row, const emu_connection_error *err)
{
    int rc = result == 0 ? reply_connection(e, r, row) : result == 1 ? emu_connection_reply_error(r, err) : -1;
    json_decref(row);
    return rc;
}

static int toggle(emu *e, emu_req *r, json_t *found, bool enable)
{
    emu_connection_error err;
    int result = emu_connection_toggle(e, skit_json_string(found, "id"), enable, &err);
    json_decref(found);
    return result == 0 ? emu_reply_json(r, 200, json_pack("{s:b}", "enabled", enable))
         : result == 1 ? emu_connection_reply_error(r, &err) : -1;
}

/* The organization's connection of the route's {id}; NULL after a 404. */
static json_t *org_connection(emu *e, emu_req *r, int *rc)
{
    json_t *org = emu_resource_find(e, r, &emu_organization_resource, "organization_id", rc);
    const char *id = emu_path_param(r, "id");
    json_t *row = org ? emu_connection_row(e, id) : NULL;
    if (org && (!row || strcmp(skit_json_string(row, "organization_id") ? skit_json_string(row, "organization_id")
                                                                           : "", skit_json_string(org, "id")) != 0)) {
        *rc = emu_reply_error(r, 404, "NOT_FOUND", "connection %s not found", id ? id : "");
        json_decref(row);
        row = NULL;
    }
    json_decref(org);
    return row;
}

static int create_in_org(emu *e, emu_req *r)
{
    int rc = 0;
    json_t *org = emu_resource_find(e, r, &emu_organization_resource, "organization_id", &rc), *row = NULL;
    if (!org)
        return rc;
    emu_connection_error err;
    int result = emu_connection_write(e, skit_json_string(org, "id"), NULL, emu_json_body(r), &row, &err);
    json_decref(org);
    return finish(e, r, result, row, &err);
}

/* The update of @p found (the organization's or the environment's connection of the route). */
static int update(emu *e, emu_req *r, json_t *found)
{
    json_t *row = NULL;
    emu_connection_error err;
    int result = emu_connection_write(e, NULL, skit_json_string(found, "id"), emu_json_body(r), &row, &err);
    json_decref(found);
    return finish(e, r, result, row, &err);
}

static int update_in_org(emu *e, emu_req *r)
{
    int rc = 0;
    json_t *found = org_connection(e, r, &rc);
    return found ? update(e, r, found) : rc;
}

static int toggle_in_org(emu *e, emu_req *r, bool enable)
{
    int rc = 0;
    json_t *found = org_connection(e, r, &rc);
    return found ? toggle(e, r, found, enable) : rc;
}

static int enable_in_org(emu *e, emu_req *r) { return toggle_in_org(e, r, true); }
static int disable_in_org(emu *e, emu_req *r) { return toggle_in_org(e, r, false); }

#define ORG_CONNECTIONS "/api/v1/organizations/{organization_id}/connections"
static const emu_route org_routes[] = {
    {"POST", ORG_CONNECTIONS, create_in_org, "organization_id"},
    {"PATCH", ORG_CONNECTIONS "/{id}", update_in_org, "organization_id id"},
    {"PATCH", ORG_CONNECTIONS "/{id}:enable", enable_in_org, "organization_id id"},
    {"PATCH", ORG_CONNECTIONS "/{id}:disable", disable_in_org, "organization_id id"},
    {NULL, NULL, NULL, NULL}
};

const emu_resource emu_connection_resource = {
    .name = "connection",
    .table = "connections",
    .id_prefix = "conn_",
    .route = ORG_CONNECTIONS,
    .single = "connection",
    .plural = "connections",
    .fields = fields,
    .parent = &emu_organization_resource,
    .parent_column = "organization_id",
    .before_delete = delete_event,   /* not .events: the engine's would be object "Organization" */
    .shape_store = shape_store,
    .routes = org_routes,
    .omit_routes = EMU_ROUTE_CREATE | EMU_ROUTE_UPDATE,
};

/* ---- the environment's routes ------------------------------------------------------- */

/* The environment connection of the route's {connection_id}; NULL after a 404. */
static json_t *env_connection(emu *e, emu_req *r, int *rc)
{
    const char *id = emu_path_param(r, "connection_id");
    json_t *row = emu_connection_row(e, id);
    if (!row || skit_json_string(row, "organization_id")) {
        *rc = emu_reply_error(r, 404, "NOT_FOUND", "connection %s not found", id ? id : "");
        json_decref(row);
        return NULL;
    }
    return row;
}

static int create_in_env(emu *e, emu_req *r)
{
    json_t *row = NULL;
    emu_connection_error err;
    int result = emu_connection_write(e, NULL, NULL, emu_json_body(r), &row, &err);
    return finish(e, r, result, row, &err);
}

static int get_in_env(emu *e, emu_req *r)
{
    int rc = 0;
    json_t *row = env_connection(e, r, &rc);
    return row ? finish(e, r, 0, row, NULL) : rc;
}

static int update_in_env(emu *e, emu_req *r)
{
    int rc = 0;
    json_t *found = env_connection(e, r, &rc);
    return found ? update(e, r, found) : rc;
}

static int delete_in_env(emu *e, emu_req *r)
{
    int rc = 0;
    json_t *found = env_connection(e, r, &rc);
    if (!found)
        return rc;
    int n = emu_db_exec(e->store, "DELETE FROM connections WHERE id = ? AND organization_id IS NULL", "s",
                        skit_json_string(found, "id"));
    json_decref(found);
    return n < 0 ? -1 : n == 0 ? emu_reply_error(r, 404, "NOT_FOUND", "connection %s not found",
                                                 emu_path_param(r, "connection_id"))
                               : emu_reply_json(r, 200, json_object());
}

static int toggle_in_env(emu *e, emu_req *r, bool enable)
{
    int rc = 0;
    json_t *found = env_connection(e, r, &rc);
    return found ? toggle(e, r, found, enable) : rc;
}

static int enable_in_env(emu *e, emu_req *r) { return toggle_in_env(e, r, true); }
static int disable_in_env(emu *e, emu_req *r) { return toggle_in_env(e, r, false); }

/* connectionsListConnection. */
static json_t *list_item(emu *e, const json_t *row)
{
    json_t *item = emu_resource_json(&emu_connection_resource, row);
    json_t *rows = domain_rows(e, skit_json_string(row, "organization_id")), *domains = json_array(), *d;
    size_t i;
    json_array_foreach(rows, i, d)
        json_array_append_new(domains, json_string(skit_json_string(d, "domain")));
    json_decref(rows);
    json_object_del(item, "debug_enabled");
    json_object_set_new(item, "domains", domains);
    if (skit_json_string(row, "organization_name"))
        json_object_set_new(item, "organization_name", json_string(skit_json_string(row, "organization_name")));
    return item;
}

static int list_connections(emu *e, emu_req *r)
{
    const char *org = emu_query(r, "organization_id"), *domain = emu_query(r, "domain");
    const char *include = emu_query(r, "include");
    if (include && *include && strcasecmp(include, "all") != 0)
        return emu_reply_field_error(r, "include", "include must be all, or absent for the enabled connections");
    skit_buf sql = SKIT_BUF_INIT;
    json_t *params = json_array();
    skit_buf_puts(&sql, "SELECT c.*, o.display_name AS organization_name FROM connections c "
                        "LEFT JOIN organizations o ON o.id = c.organization_id WHERE 1 = 1");
    if (org && *org) {
        skit_buf_puts(&sql, " AND c.organization_id = ?");
        json_array_append_new(params, json_string(org));
    }
    if (domain && *domain) {
        skit_buf_puts(&sql, " AND c.organization_id IN (SELECT organization_id FROM domains WHERE domain = ? "
                            "COLLATE NOCASE)");
        json_array_append_new(params, json_string(domain));
    }
    if (!include || !*include)
        skit_buf_puts(&sql, " AND c.enabled = 1 AND c.status = 'COMPLETED'");
    skit_buf_puts(&sql, " ORDER BY c.create_time, c.rowid");
    json_t *rows = sql.ptr && params ? emu_db_rows_json(e->store, sql.ptr, params) : NULL, *row;
    json_t *items = rows ? json_array() : NULL;
    size_t i;
    json_array_foreach(rows, i, row)
        json_array_append_new(items, list_item(e, row));
    skit_buf_free(&sql);
    json_decref(params);
    json_decref(rows);
    return items ? emu_reply_json(r, 200, json_pack("{s:o}", "connections", items)) : -1;
}

#define ENV_CONNECTIONS "/api/v1/connections"
const emu_route emu_connection_routes[] = {
    {"GET", ENV_CONNECTIONS, list_connections, ""},
    {"POST", ENV_CONNECTIONS, create_in_env, ""},
    {"GET", ENV_CONNECTIONS "/{connection_id}", get_in_env, "connection_id"},
    {"PATCH", ENV_CONNECTIONS "/{connection_id}", update_in_env, "connection_id"},
    {"DELETE", ENV_CONNECTIONS "/{connection_id}", delete_in_env, "connection_id"},
    {"PATCH", ENV_CONNECTIONS "/{connection_id}:enable", enable_in_env, "connection_id"},
    {"PATCH", ENV_CONNECTIONS "/{connection_id}:disable", disable_in_env, "connection_id"},
    {NULL, NULL, NULL, NULL}
};
