/* Helpers for the JOSE and token tests: clients with a preloaded JWKS,
 * key sets, and tokens signed with test keys. */
#ifndef JOSE_TESTKIT_H
#define JOSE_TESTKIT_H

#include <jansson.h>
#include "client/client.h"
#include "jose/jose.h"

/* A client for @p env_url ("http://127.0.0.1:1" when NULL) with @p opts (may be NULL). */
scalekit_client *jt_client(const char *env_url, const scalekit_client_options *opts);
/* {"keys":[public JWK of each key]} for NULL-terminated @p keys; free(). */
char *jt_jwks_json(skit_signing_key *const *keys);
/* A client whose JWKS holds the public halves of @p keys (NULL-terminated). */
scalekit_client *jt_client_with_keys(skit_signing_key *const *keys, const scalekit_client_options *opts);
/* A key for @p alg with @p kid; fails the test on error. */
skit_signing_key *jt_key(const char *alg, const char *kid);
/* A JWT of the JSON object text @p payload_json (may use %lld for now-relative
 * times via jt_claims) signed by @p key; free(). */
char *jt_sign(const skit_signing_key *key, const char *payload_json);
/* {"sub":"user_1","iss":"https://env","aud":"client_1","iat":now,"exp":now+3600} with
 * @p extra members merged in (JSON object text or NULL); free(). */
char *jt_claims(const char *extra);
/* A signed token with standard claims plus @p extra. free(). */
char *jt_token(const skit_signing_key *key, const char *extra);

/* A cmocka group's state: an RS256 key "k1" and a client whose JWKS holds it. */
typedef struct jt_fixture {
    skit_signing_key *key;
    scalekit_client *client;
} jt_fixture;
/* *state = a jt_fixture with a client of @p opts (may be NULL) / its free. */
int jt_fixture_setup_with(void **state, const scalekit_client_options *opts);
int jt_fixture_setup(void **state);
int jt_fixture_teardown(void **state);

#endif
