/* libFuzzer target: the compact JWS parser, the header/payload checks, key
 * selection and verification, and the time checks, against a fixed JWKS
 * (RFC 7515 A.2's RSA key as "rsa" and A.3's P-256 key as "ec"); and the public
 * validation path (scanner, verified-token cache, lazily built claims) of a
 * client holding the same JWKS. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "client/client.h"
#include "jose/jose.h"

static const char jwks_text[] =
    "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"rsa\","
    "\"n\":\"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1P"
    "t0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5r"
    "exMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFv"
    "UK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ\",\"e\":\"AQAB\"},"
    "{\"kty\":\"EC\",\"kid\":\"ec\",\"crv\":\"P-256\","
    "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
    "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}]}";

static skit_jwks *jwks;
static scalekit_client *client;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!jwks && skit_jwks_parse(jwks_text, strlen(jwks_text), &jwks) != SCALEKIT_OK)
        __builtin_trap();
    skit_jws jws;
    if (skit_jws_parse((const char *)data, size, &jws) == SCALEKIT_OK) {
        const skit_jwk *key = NULL;
        if (skit_jwks_find_key(jwks, &jws, &key) == SCALEKIT_OK)
            (void)skit_jws_verify_signature(key, jws.alg, jws.signing_input,
                                            jws.signing_input_len, jws.signature,
                                            jws.signature_len);
        (void)skit_jwt_check_time(jws.payload, 1300000000, 60);
        skit_jws_clear(&jws);
    }
    json_t *payload = NULL;
    if (skit_jws_verify(jwks, (const char *)data, size, &payload) == SCALEKIT_OK)
        json_decref(payload);

    /* The public path takes a C string: a token is never meant to hold a NUL. */
    if (!client && (scalekit_client_new(&client, "http://127.0.0.1:9", "fuzz", "fuzz") != SCALEKIT_OK ||
                    skit_jose_set_jwks(client, jwks_text) != SCALEKIT_OK))
        __builtin_trap();
    char *token = malloc(size + 1);
    if (!token)
        return 0;
    memcpy(token, data, size);
    token[size] = '\0';
    scalekit_claims *claims = NULL;
    const char *const audiences[] = {"fuzz", NULL};
    scalekit_validate_options opts = { .struct_size = sizeof(scalekit_validate_options), .issuer = "joe", .audiences = audiences};
    if (scalekit_validate_token(client, token, NULL, &claims) == SCALEKIT_OK) {
        (void)scalekit_claims_json(claims);
        (void)scalekit_claims_audiences(claims);
        scalekit_claims_free(claims);
    }
    (void)scalekit_validate_token(client, token, &opts, NULL);
    free(token);
    return 0;
}
