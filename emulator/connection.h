/*
 * What connections.c (routes, events, lookups) and connection_config.c (the
 * per-type configuration members: their checks, merge and API shape) share,
 * and what portal.c writes through. See connections.c for the columns.
 */
#ifndef EMU_CONNECTION_H
#define EMU_CONNECTION_H

#include <stdbool.h>
#include <jansson.h>

#include "environment.h"
#include "resources.h"

/* The connection types the emulator serves and the column of each one's configuration. */
typedef struct emu_connection_kind {
    const char *type;     /* "OIDC" */
    const char *member;   /* "oidc_config": the API member and the column */
} emu_connection_kind;

/* The kind of @p type, or NULL for a type the emulator does not serve. */
const emu_connection_kind *emu_connection_kind_of(const char *type);
/* "OIDC, SAML, ...": the served types, for messages. */
extern const char emu_connection_types_text[];

/*
 * Merge the body's configuration member @p in (an object; "" or null values
 * remove a member, read-only members and a masked secret are ignored) into
 * @p config (the stored one, changed in place), checking each member: NULL, or
 * the violation's description with its field ("oidc_config.token_uri") in @p field.
 * @p debug: the connection's debug_enabled (http URLs allowed beyond loopback).
 */
const char *emu_connection_config_merge(const emu_connection_kind *kind, json_t *config, const json_t *in,
                                        bool debug, char *field, size_t field_len);
/* Why @p url cannot be an identity provider's endpoint: an absolute http(s) URL,
 * https unless on a loopback host or @p debug (the API's debug_enabled). NULL when it can. */
const char *emu_connection_url_problem(const char *url, bool debug);
/*
 * Read the OIDC discovery document at @p config's discovery_endpoint (connection_discovery.c)
 * and set the endpoints @p config lacks (issuer, authorize_uri, token_uri, jwks_uri,
 * user_info_uri). 0 (also when there is no endpoint), or 1 with @p why completing
 * "oidc_config.discovery_endpoint ...". Does network I/O: call it outside a transaction.
 */
int emu_oidc_discover(json_t *config, char *why, size_t why_len);
/* The first member a login through @p kind still needs in @p config ("client_id"),
 * or NULL when it has what a login needs (status COMPLETED). */
const char *emu_connection_config_missing(const emu_connection_kind *kind, const json_t *config);
/* The API shape of stored @p config of connection @p id: secrets masked, the
 * emulator's own URLs (redirect_uri, sp_* ...) added. New reference. */
json_t *emu_connection_config_json(emu *e, const emu_connection_kind *kind, const char *id, const json_t *config);

/* Why a write was refused: the status, the API's error code, the field (or ""), the message. */
typedef struct emu_connection_error {
    unsigned status;
    const char *code;      /* "INVALID_ARGUMENT", "NOT_FOUND", ... (static) */
    char field[160];
    char message[512];
} emu_connection_error;

/*
 * Apply @p body (a connection create or update body, connectionsConnection's
 * members) to connection @p id (NULL: create one in organization @p org, NULL
 * for an environment connection), in one transaction with its event. 0 and
 * *out (the decoded row after the write, new reference), 1 with *err filled
 * (400, 404, 409), or -1 on a store failure.
 */
int emu_connection_write(emu *e, const char *org, const char *id, const json_t *body, json_t **out,
                         emu_connection_error *err);
/* Enable or disable connection @p id with its event (none when unchanged): as emu_connection_write, no out. */
int emu_connection_toggle(emu *e, const char *id, bool enable, emu_connection_error *err);
/* Reply @p err as the API does (a field violation when it names a field). */
int emu_connection_reply_error(emu_req *r, const emu_connection_error *err);

#endif
