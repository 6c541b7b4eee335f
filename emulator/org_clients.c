/*
 * Organization API clients (machine-to-machine), declared for the resource
 * engine (resource.h): list, get, update and delete by the engine; create (which
 * answers the first plain secret) and the secrets here (clientsM2MClient, clientsOrganizationClient,
 * clientsClientSecret). No webhook events: the API's webhooks have none.
 *
 * Secrets: the plain secret is answered once, by the create that makes it, and
 * stored as its SHA-256 hex; /oauth/token compares the hash of a presented
 * secret with each of the client's in constant time. A removed secret or a
 * deleted client (or organization) is refused at once.
 *
 * Tokens (client-credentials grant): iss, sub and client_id the client, oid its
 * organization, scopes its scopes as an array (Scalekit's M2M tokens carry
 * `scopes`; a requested `scope` must be a subset of them), aud its audience (or
 * the client id when none), its custom claims at the top level, exp after its
 * expiry (else the environment's token lifetime).
 *
 * The emulator's own API (a choice of the emulator; the real service's
 * management API is for the environment's credentials): an organization
 * client's token may only GET its own organization and what lies under it
 * (/api/v1/organizations/<oid>[/...]); anything else is 403. Its tokens are
 * checked against the store on every request (api_auth.c does not cache them),
 * so deleting the client or its organization ends them at once. Tokens already
 * issued with a secret that is then removed stay valid until they expire:
 * rotating a secret must not cut off the requests in flight.
 */
#include "environment.h"
#include "resources.h"

#include <stdlib.h>
#include <string.h>

#define CLIENT_ID_PREFIX "m2morg_"
#define SECRET_SUFFIX_LEN 4
#define MAX_CLAIM_KEY 128
#define MAX_EXPIRY 999999999

/* Claims a client's custom claims may not replace. */
static const char *const reserved_claims[] = {
    "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "client_id", "oid", "scopes", "scope", "gty",
    "sid", "roles", "permissions", NULL
};

static bool reserved(const char *key)
{
    for (size_t i = 0; reserved_claims[i]; i++)
        if (strcmp(reserved_claims[i], key) == 0)
            return true;
    return false;
}

static const char *check_strings(const json_t *v, char *field, size_t field_len)
{
    size_t i;
    json_t *item;
    char name[64];
    snprintf(name, sizeof name, "%s", field);
    json_array_foreach(v, i, item) {
        snprintf(field, field_len, "%s[%zu]", name, i);
        if (!json_is_string(item) || json_string_length(item) == 0)
            return "every entry must be a non-empty string";
    }
    return NULL;
}

static const char *check_custom_claims(const json_t *v, char *field, size_t field_len)
{
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
        snprintf(field, field_len, "custom_claims[%zu].key", i);
        const char *key = skit_json_string(item, "key");
        if (!key || !*key || emu_utf8_length(key) > MAX_CLAIM_KEY)
            return "custom claim keys must be between 1 and 128 characters";
        if (reserved(key))
            return "custom claim key names a claim the token sets itself";
        snprintf(field, field_len, "custom_claims[%zu].value", i);
        if (!json_is_string(json_object_get(item, "value")))
            return "custom claim values must be strings";
    }
    return NULL;
}

static const char *check_expiry(const json_t *v, char *field, size_t field_len)
{
    const char *s = json_string_value(v);
    json_int_t n = s ? strtoll(s, NULL, 10) : json_integer_value(v);
    return n < 1 || n > MAX_EXPIRY ? "expiry must be a number of seconds from 1 to 999999999" : NULL;
}

/* A secret's API shape (clientsClientSecret) from its row; the plain value only when given. New reference. */
static json_t *secret_json(const json_t *s, const char *plain)
{
    json_t *item = json_pack("{s:s?, s:s?, s:o, s:o}", "id", skit_json_string(s, "id"),
                             "secret_suffix", skit_json_string(s, "secret_suffix"),
                             "create_time", emu_json_time(json_integer_value(json_object_get(s, "create_time"))),
                             "update_time", emu_json_time(json_integer_value(json_object_get(s, "update_time"))));
    json_t *used = json_object_get(s, "last_used_time");
    if (item && json_is_integer(used))
        json_object_set_new(item, "last_used_time", emu_json_time(json_integer_value(used)));
    if (item && plain)
        json_object_set_new(item, "plain_secret", json_string(plain));
    return item;
}

/* The client's secrets (clientsClientSecret, without the plain secret), oldest first. */
static int shape_store(emu *e, const json_t *row, json_t *out)
{
    json_t *rows = emu_db_rows(e->store, "SELECT * FROM org_client_secrets WHERE client_id = ? ORDER BY rowid",
                               "s", skit_json_string(row, "id"));
    json_t *secrets = json_array();
    size_t i;
    json_t *s;
    json_array_foreach(rows, i, s) {
        json_t *item = secret_json(s, NULL);
        if (!item || json_array_append_new(secrets, item) != 0) {
            json_decref(rows);
            json_decref(secrets);
            return -1;
        }
    }
    int rc = rows && secrets ? json_object_set_new(out, "secrets", secrets) : -1;
    if (!rows)
        json_decref(secrets);
    json_decref(rows);
    return rc;
}

static const emu_field fields[] = {
    {.name = "client_id", .column = "id", .flags = EMU_OUTPUT},
    {.name = "organization_id", .flags = EMU_OUTPUT},
    {.name = "name", .flags = EMU_REQUIRED, .min_len = 1, .max_len = 128},
    {.name = "description", .flags = EMU_EMPTY_UNSET},
    {.name = "scopes", .type = EMU_ARRAY, .check = check_strings},
    {.name = "audience", .type = EMU_ARRAY, .check = check_strings},
    {.name = "custom_claims", .type = EMU_ARRAY, .check = check_custom_claims},
    {.name = "expiry", .type = EMU_INT64, .check = check_expiry},
    {.name = "create_time", .type = EMU_TIMESTAMP, .flags = EMU_OUTPUT | EMU_STAMP_CREATE},
    {.name = "update_time", .type = EMU_TIMESTAMP, .flags = EMU_OUTPUT | EMU_STAMP_UPDATE},
    {0}
};

/* The create's body, checked; NULL after a 400. Borrowed. */
static json_t *body_or_400(emu_req *r, int *rc)
{
    json_t *body = emu_json_body(r);
    char field[128];
    const char *why = body ? emu_fields_validate(r->resource, body, true, field, sizeof field) : NULL;
    if (!body)
        *rc = emu_reply_error(r, 400, "INVALID_ARGUMENT", "the request body must be a JSON object");
    else if (why)
        *rc = emu_reply_field_error(r, field, why);
    return body && !why ? body : NULL;
}

/* A new secret of @p client_id, inside the caller's transaction: its row id and
 * plain value through the out parameters (malloc'd). 0 or -1. */
static int secret_insert(emu *e, const char *client_id, char **id_out, char **plain_out)
{
    char *id = emu_new_id("sec_", 8), *plain = emu_new_id("sks_", 24);
    char hash[65];
    int64_t now = skit_now();
    if (id && plain) {
        emu_sha256_hex(plain, hash);
        if (emu_db_exec(e->store, "INSERT INTO org_client_secrets(id, client_id, secret_hash, secret_suffix, "
                                  "create_time, update_time) VALUES (?, ?, ?, ?, ?, ?)", "ssssii", id, client_id,
                        hash, plain + strlen(plain) - SECRET_SUFFIX_LEN, now, now) == 1) {
            *id_out = id;
            *plain_out = plain;
            return 0;
        }
    }
    free(id);
    free(plain);
    return -1;
}

static int create_client(emu *e, emu_req *r)
{
    int rc = 0;
    json_t *body = body_or_400(r, &rc);
    if (!body)
        return rc;
    const char *org = emu_path_param(r, "organization_id");
    json_t *parent = emu_resource_find(e, r, &emu_organization_resource, "organization_id", &rc);
    if (!parent)
        return rc;
    json_decref(parent);
    char *id = emu_new_id(CLIENT_ID_PREFIX, 8), *secret_id = NULL, *plain = NULL;
    json_t *values = id ? emu_fields_values(r->resource, body, true, skit_now()) : NULL;
    json_t *row = NULL, *client = NULL;
    rc = -1;
    if (values && emu_tx_begin(e->store) == 0) {
        json_t *params = json_pack("[s, s, O?, O?, O?, O?, O?, O?, O, O]", id, org, json_object_get(values, "name"),
                                   json_object_get(values, "description"), json_object_get(values, "scopes"),
                                   json_object_get(values, "audience"), json_object_get(values, "custom_claims"),
                                   json_object_get(values, "expiry"), json_object_get(values, "create_time"),
                                   json_object_get(values, "update_time"));
        bool ok = params && emu_db_exec_json(e->store, "INSERT INTO org_clients(id, organization_id, name, description, "
                                             "scopes, audience, custom_claims, expiry, create_time, update_time) "
                                             "VALUES (?, ?, ?, ?, coalesce(?, '[]'), coalesce(?, '[]'), "
                                             "coalesce(?, '[]'), ?, ?, ?)", params) == 1 &&
                  secret_insert(e, id, &secret_id, &plain) == 0;
        json_decref(params);
        if (emu_tx_end(e->store, ok) == 0 && (row = emu_resource_row(e, r->resource, id)) &&
            (client = emu_resource_json_in(e, r->resource, row)))
            rc = emu_reply_json(r, 201, json_pack("{s:o, s:s}", "client", client, "plain_secret", plain));
    }
    json_decref(values);
    json_decref(row);
    free(id);
    free(secret_id);
    free(plain);
    return rc;
}

/* The client named by the path in the organization named by it; NULL after a 404. */
static json_t *client_or_404(emu *e, emu_req *r, int *rc)
{
    json_t *parent = emu_resource_find(e, r, &emu_organization_resource, "organization_id", rc);
    if (!parent)
        return NULL;
    json_decref(parent);
    const char *id = emu_path_param(r, "client_id");
    json_t *row = emu_db_row(e->store, "SELECT * FROM org_clients WHERE id = ? AND organization_id = ?", "ss",
                             id, emu_path_param(r, "organization_id"));
    if (!row)
        *rc = emu_reply_error(r, 404, "NOT_FOUND", "organization client %s not found", id ? id : "");
    return row;
}

static int add_secret(emu *e, emu_req *r)
{
    int rc = 0;
    json_t *row = client_or_404(e, r, &rc);
    if (!row)
        return rc;
    char *id = NULL, *plain = NULL;
    rc = -1;
    if (emu_tx_begin(e->store) == 0) {
        bool ok = secret_insert(e, skit_json_string(row, "id"), &id, &plain) == 0;
        json_t *s = ok ? emu_db_row(e->store, "SELECT * FROM org_client_secrets WHERE id = ?", "s", id) : NULL;
        if (emu_tx_end(e->store, s != NULL) == 0) {
            json_t *secret = secret_json(s, plain);
            rc = secret ? emu_reply_json(r, 201, json_pack("{s:o, s:s}", "secret", secret, "plain_secret", plain)) : -1;
        }
        json_decref(s);
    }
    free(id);
    free(plain);
    json_decref(row);
    return rc;
}

static int remove_secret(emu *e, emu_req *r)
{
    int rc = 0;
    json_t *row = client_or_404(e, r, &rc);
    if (!row)
        return rc;
    const char *secret_id = emu_path_param(r, "secret_id");
    int n = emu_db_exec(e->store, "DELETE FROM org_client_secrets WHERE id = ? AND client_id = ?", "ss",
                        secret_id, skit_json_string(row, "id"));
    json_decref(row);
    if (n < 0)
        return -1;
    return n == 0 ? emu_reply_error(r, 404, "NOT_FOUND", "client secret %s not found", secret_id)
                  : emu_reply_json(r, 200, json_object());
}

#define CLIENTS "/api/v1/organizations/{organization_id}/clients"
static const emu_route routes[] = {
    {"POST", CLIENTS, create_client, "organization_id"},
    {"POST", CLIENTS "/{client_id}/secrets", add_secret, "organization_id client_id"},
    {"DELETE", CLIENTS "/{client_id}/secrets/{secret_id}", remove_secret, "organization_id client_id secret_id"},
    {NULL, NULL, NULL, NULL}
};

const emu_resource emu_org_client_resource = {
    .name = "organization client",
    .table = "org_clients",
    .id_prefix = CLIENT_ID_PREFIX,
    .route = CLIENTS,
    .single = "client",
    .plural = "clients",
    .fields = fields,
    .parent = &emu_organization_resource,
    .parent_column = "organization_id",
    .key_param = "client_id",
    .shape_store = shape_store,
    .routes = routes,
    .omit_routes = EMU_ROUTE_CREATE,
};

/* ---- /oauth/token and /api/v1 --------------------------------------------------- */

bool emu_org_client_known(emu *e, const char *client_id)
{
    json_t *row = client_id ? emu_db_row(e->store, "SELECT id FROM org_clients WHERE id = ?", "s", client_id) : NULL;
    json_decref(row);
    return row != NULL;
}

bool emu_org_client_secret_ok(emu *e, const char *client_id, const char *secret)
{
    char hash[65];
    emu_sha256_hex(secret, hash);
    json_t *rows = emu_db_rows(e->store, "SELECT id, secret_hash FROM org_client_secrets WHERE client_id = ?", "s",
                               client_id);
    const char *match = NULL;
    size_t i;
    json_t *s;
    /* Every secret is compared, in constant time, whatever matched before. */
    json_array_foreach(rows, i, s) {
        const char *stored = skit_json_string(s, "secret_hash");
        if (stored && strlen(stored) == 64 && skit_consttime_equal(stored, hash, 64))
            match = skit_json_string(s, "id");
    }
    if (match)
        emu_db_exec(e->store, "UPDATE org_client_secrets SET last_used_time = ? WHERE id = ?", "is", skit_now(), match);
    json_decref(rows);
    return match != NULL;
}

/* The array of the JSON array text of @p column of @p row ([] when unreadable). New reference. */
static json_t *array_column(const json_t *row, const char *column)
{
    const char *text = skit_json_string(row, column);
    json_t *a = text ? json_loads(text, 0, NULL) : NULL;
    if (json_is_array(a))
        return a;
    json_decref(a);
    return json_array();
}

/* The granted scopes: all of the client's, or the requested ones when each is the client's.
 * New array, or NULL with *bad naming the first scope the client lacks. */
static json_t *granted_scopes(const json_t *allowed, const char *requested, char *bad, size_t bad_len)
{
    if (!requested || !*requested)
        return json_copy((json_t *)allowed);
    json_t *out = json_array();
    char *copy = strdup(requested), *save = NULL;
    for (char *s = copy ? strtok_r(copy, " ", &save) : NULL; s && out; s = strtok_r(NULL, " ", &save)) {
        bool found = false;
        size_t i;
        json_t *v;
        json_array_foreach(allowed, i, v)
            found = found || strcmp(json_string_value(v), s) == 0;
        if (!found) {
            snprintf(bad, bad_len, "%s", s);
            json_decref(out);
            out = NULL;
        } else {
            json_array_append_new(out, json_string(s));
        }
    }
    free(copy);
    return out;
}

/* @p scopes joined by spaces (malloc'd). */
static char *joined(const json_t *scopes)
{
    skit_buf b = SKIT_BUF_INIT;
    size_t i;
    json_t *v;
    skit_buf_puts(&b, "");
    json_array_foreach(scopes, i, v)
        skit_buf_printf(&b, "%s%s", i ? " " : "", json_string_value(v));
    return b.ptr;
}

/* The claims of a token for @p client (a row of org_clients); NULL when out of memory. */
static json_t *token_claims(emu *e, const json_t *client, json_t *scopes, int64_t ttl, char **jti_out)
{
    const char *id = skit_json_string(client, "id");
    int64_t now = skit_now();
    json_t *aud = array_column(client, "audience"), *custom = array_column(client, "custom_claims");
    if (json_array_size(aud) == 0)
        json_array_append_new(aud, json_string(id));
    char *jti = emu_new_id("tkn_", 12);
    json_t *c = jti ? json_pack("{s:s, s:s, s:O, s:I, s:I, s:I, s:s, s:s, s:s?, s:O, s:s}", "iss", e->url, "sub", id,
                                "aud", aud, "exp", (json_int_t)(now + ttl), "iat", (json_int_t)now,
                                "nbf", (json_int_t)now, "jti", jti, "client_id", id,
                                "oid", skit_json_string(client, "organization_id"), "scopes", scopes,
                                "gty", EMU_GTY_CLIENT_CREDENTIALS) : NULL;
    size_t i;
    json_t *claim;
    json_array_foreach(custom, i, claim) {
        const char *key = skit_json_string(claim, "key"), *value = skit_json_string(claim, "value");
        if (c && key && value && !reserved(key))
            json_object_set_new(c, key, json_string(value));
    }
    json_decref(aud);
    json_decref(custom);
    if (!c) {
        free(jti);
        return NULL;
    }
    *jti_out = jti;
    return c;
}

int emu_org_client_grant(emu *e, emu_req *r, const char *client_id)
{
    json_t *client = emu_db_row(e->store, "SELECT * FROM org_clients WHERE id = ?", "s", client_id);
    if (!client)
        return emu_reply_oauth_error(r, 401, "invalid_client", "client authentication failed");
    int64_t expiry = json_integer_value(json_object_get(client, "expiry"));
    int64_t ttl = expiry > 0 ? expiry : e->access_token_ttl;
    char bad[128] = "", *jti = NULL, *jwt = NULL, *scope = NULL;
    json_t *allowed = array_column(client, "scopes");
    json_t *scopes = granted_scopes(allowed, emu_form(r, "scope"), bad, sizeof bad);
    json_t *claims = scopes ? token_claims(e, client, scopes, ttl, &jti) : NULL;
    int rc = -1;
    if (!scopes) {
        char why[192];
        snprintf(why, sizeof why, "scope %s is not granted to this client", bad);
        rc = emu_reply_oauth_error(r, 400, "invalid_scope", why);
    } else if (claims && (scope = joined(scopes)) && emu_keys_sign(e, claims, &jwt) == 0 &&
               emu_access_token_record(e, jti, client_id) == 0) {
        rc = emu_reply_json(r, 200, json_pack("{s:s, s:s, s:I, s:s}", "access_token", jwt, "token_type", "Bearer",
                                              "expires_in", (json_int_t)ttl, "scope", scope));
    }
    json_decref(client);
    json_decref(allowed);
    json_decref(scopes);
    json_decref(claims);
    free(jti);
    free(jwt);
    free(scope);
    return rc;
}

bool emu_org_client_may_call(const emu_req *r)
{
    const char *oid = skit_json_string(r->claims, "oid");
    if (!oid)
        return true;    /* an environment client's token */
    static const char prefix[] = "/api/v1/organizations/";
    if (strcmp(r->method, "GET") != 0 || strncmp(r->path, prefix, sizeof prefix - 1) != 0)
        return false;
    const char *rest = r->path + sizeof prefix - 1;
    size_t n = strlen(oid);
    return strncmp(rest, oid, n) == 0 && (rest[n] == '\0' || rest[n] == '/');
}
