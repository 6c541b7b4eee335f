/*
 * The client as a whole: its core part (transport, credentials, API token)
 * and its JOSE state (JWKS cache, verified-token cache). This layer sits above
 * src/core and src/jose and wires them together; src/auth and the tests reach
 * the JOSE state through it. Not exported.
 */
#ifndef SKIT_CLIENT_H
#define SKIT_CLIENT_H

#include <stddef.h>

#include "core/client_internal.h"
#include "jose/jose.h"

struct scalekit_client {
    skit_core core;             /* first: core finds it with skit_core_of() */
    skit_jose_state *jose;
};

_Static_assert(offsetof(struct scalekit_client, core) == 0,
               "skit_core_of() needs the core part first");

/*
 * Validate @p token (a compact JWS) with the client's JWKS: signature, exp, nbf,
 * iat with @p leeway_seconds (0: the default, negative: none). On success
 * *payload_out (when not NULL) holds one reference to the verified payload.
 * Returns SCALEKIT_OK, EINVAL (NULL client, empty token) or a token error.
 */
int skit_jose_validate(scalekit_client *client, const char *token, long leeway_seconds,
                       skit_payload **payload_out);
/* Install @p jwks_json as the client's JWKS, as if fetched now (tests, benchmarks). */
int skit_jose_set_jwks(scalekit_client *client, const char *jwks_json);
/* The generation of the client's JWKS: bumped when a fetch changes the keys. 0 for NULL. */
uint64_t skit_jose_jwks_generation(scalekit_client *client);
/* How many times the client fetched GET /keys (for tests). 0 for NULL. */
uint64_t skit_jose_fetch_count(scalekit_client *client);

#endif
