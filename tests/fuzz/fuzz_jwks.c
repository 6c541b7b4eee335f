/* libFuzzer target: the JWKS parser (every JWK member, strict base64url, RSA
 * and P-256 key construction). */
#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "jose/jose.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    skit_jwks *set = NULL;
    if (skit_jwks_parse((const char *)data, size, &set) == SCALEKIT_OK) {
        for (size_t i = 0; i < set->count; i++)
            if (!set->keys[i].pkey || !skit_jws_alg_name(set->keys[i].alg))
                __builtin_trap();
        skit_jwks_release(set);
    } else if (set) {
        __builtin_trap();
    }
    return 0;
}
