/* What the benchmarks share: a precise clock and an RS256 key with its JWKS. */
#ifndef BENCH_SUPPORT_H
#define BENCH_SUPPORT_H

#include <time.h>

#include "jose/jose.h"

/* Monotonic seconds, to the nanosecond. */
static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A new RS256 signing key (kid "bench-key") and {"keys":[its public JWK]} (free()).
 * Returns 0, or -1 when either could not be made. */
static inline int bench_key_and_jwks(skit_signing_key **key, char **jwks_text)
{
    *jwks_text = NULL;
    if (skit_signing_key_generate("RS256", "bench-key", key) != SCALEKIT_OK)
        return -1;
    json_t *jwk = NULL;
    skit_signing_key_public_jwk(*key, &jwk);
    json_t *doc = jwk ? json_pack("{s:[O]}", "keys", jwk) : NULL;
    *jwks_text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    json_decref(jwk);
    return *jwks_text ? 0 : -1;
}

#endif
