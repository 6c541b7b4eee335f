/*
 * bench_validate: the cost of token validation against the physical limit.
 *
 * (a) raw: OpenSSL EVP_DigestVerify (RS256) of the signing inputs of N distinct
 *     tokens with a prepared EVP_PKEY: what any validator must at least spend;
 * (b) warm: scalekit_validate_token() of the same N distinct tokens with the
 *     JWKS already cached (each token seen for the first time: full parse,
 *     key lookup, RSA verify, time checks, verified-token cache insert);
 * (c) hit: scalekit_validate_token() of one token again and again (the
 *     verified-token cache: hash, lookup, exp re-check).
 * (d) for information: the same verifications with one EVP_PKEY_CTX prepared
 *     once (EVP_Digest + EVP_PKEY_verify), as the library does per thread: the
 *     part of (a) that is context setup is not spent by (b) either, so (b)/(d)
 *     shows the library's own overhead over the bare RSA operation.
 * Prints ops/s of each and the ratios (b)/(a) (goal >= 0.85) and (c)/(a)
 * (goal >= 5). Each figure is the best of a few rounds. Not a test: build it
 * with -O2 and no sanitizers (-DCMAKE_BUILD_TYPE=RelWithDebInfo).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "bench_support.h"
#include "core/core.h"
#include "client/client.h"
#include "jose/jose.h"
#include "scalekit/scalekit.h"

#define N 2000
#define ROUNDS 3
#define HITS 200000

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : N;
    if (n <= 0)
        n = N;
    skit_signing_key *key = NULL;
    char *jwks_text = NULL;
    if (bench_key_and_jwks(&key, &jwks_text) != 0)
        return 1;
    skit_jwks *set = NULL;
    if (skit_jwks_parse(jwks_text, strlen(jwks_text), &set) != SCALEKIT_OK)
        return 1;
    EVP_PKEY *pub = set->keys[0].pkey;

    /* N distinct tokens shaped like Scalekit access tokens */
    char **tokens = calloc((size_t)n, sizeof *tokens);
    long long now = (long long)skit_now();
    for (int i = 0; i < n; i++) {
        json_t *p = json_pack("{s:s, s:s, s:[s], s:I, s:I, s:I, s:s, s:s, s:s, s:[s,s], s:s}",
                              "iss", "https://env.example.com", "sub", "usr_1234567890",
                              "aud", "skc_1234567890", "iat", (json_int_t)now,
                              "nbf", (json_int_t)now, "exp", (json_int_t)(now + 3600),
                              "jti", "jti_0000", "sid", "ses_1234567890", "oid", "org_1234567890",
                              "roles", "admin", "member", "scope", "openid profile email");
        json_object_set_new(p, "n", json_integer(i));
        skit_jwt_sign(key, p, &tokens[i]);
        json_decref(p);
    }
    /* decoded signatures and signing inputs for the raw baseline */
    unsigned char **sigs = calloc((size_t)n, sizeof *sigs);
    size_t *sig_lens = calloc((size_t)n, sizeof *sig_lens);
    size_t *input_lens = calloc((size_t)n, sizeof *input_lens);
    for (int i = 0; i < n; i++) {
        const char *dot = strrchr(tokens[i], '.');
        input_lens[i] = (size_t)(dot - tokens[i]);
        skit_base64url_decode(dot + 1, strlen(dot + 1), &sigs[i], &sig_lens[i]);
    }

    EVP_PKEY_CTX *prepared = EVP_PKEY_CTX_new_from_pkey(NULL, pub, NULL);
    if (!prepared || EVP_PKEY_verify_init(prepared) != 1 ||
        EVP_PKEY_CTX_set_signature_md(prepared, EVP_sha256()) != 1)
        return 1;
    double best_raw = 1e9, best_warm = 1e9, best_hit = 1e9, best_prepared = 1e9;
    int failures = 0;
    for (int r = 0; r < ROUNDS; r++) {
        double t0 = bench_now();
        for (int i = 0; i < n; i++) {
            EVP_MD_CTX *md = EVP_MD_CTX_new();
            if (EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pub) != 1 ||
                EVP_DigestVerify(md, sigs[i], sig_lens[i], (const unsigned char *)tokens[i],
                                 input_lens[i]) != 1)
                failures++;
            EVP_MD_CTX_free(md);
        }
        double t_raw = bench_now() - t0;

        t0 = bench_now();
        for (int i = 0; i < n; i++) {
            unsigned char digest[32];
            if (EVP_Digest(tokens[i], input_lens[i], digest, NULL, EVP_sha256(), NULL) != 1 ||
                EVP_PKEY_verify(prepared, sigs[i], sig_lens[i], digest, sizeof digest) != 1)
                failures++;
        }
        double t_prepared = bench_now() - t0;

        scalekit_client *c = NULL;
        scalekit_client_new(&c, "http://127.0.0.1:1", "bench", "bench");
        if (skit_jose_set_jwks(c, jwks_text) != SCALEKIT_OK)
            return 1;
        t0 = bench_now();
        for (int i = 0; i < n; i++)
            if (scalekit_validate_token(c, tokens[i], NULL, NULL) != SCALEKIT_OK)
                failures++;
        double t_warm = bench_now() - t0;

        t0 = bench_now();
        for (int i = 0; i < HITS; i++)
            if (scalekit_validate_token(c, tokens[0], NULL, NULL) != SCALEKIT_OK)
                failures++;
        double t_hit = bench_now() - t0;
        scalekit_client_free(c);

        if (t_raw / n < best_raw) best_raw = t_raw / n;
        if (t_warm / n < best_warm) best_warm = t_warm / n;
        if (t_hit / HITS < best_hit) best_hit = t_hit / HITS;
        if (t_prepared / n < best_prepared) best_prepared = t_prepared / n;
    }
    if (failures) {
        fprintf(stderr, "bench_validate: %d validations failed (%s)\n", failures,
                scalekit_error_last()->message ? scalekit_error_last()->message : "");
        return 1;
    }
    double raw = 1 / best_raw, warm = 1 / best_warm, hit = 1 / best_hit;
    double prepared_rate = 1 / best_prepared;
    printf("bench_validate: %d distinct RS256 tokens (%zu bytes), best of %d rounds\n", n,
           strlen(tokens[0]), ROUNDS);
    printf("  (a) raw EVP_DigestVerify      %10.0f ops/s\n", raw);
    printf("  (b) validate, warm JWKS       %10.0f ops/s   (b)/(a) = %.2f  (goal >= 0.85)\n", warm,
           warm / raw);
    printf("  (c) validate, same token      %10.0f ops/s   (c)/(a) = %.1f   (goal >= 5)\n", hit,
           hit / raw);
    printf("  (d) raw, prepared EVP_PKEY_CTX %10.0f ops/s   (b)/(d) = %.2f  (information)\n",
           prepared_rate, warm / prepared_rate);

    for (int i = 0; i < n; i++) {
        free(tokens[i]);
        free(sigs[i]);
    }
    free(tokens);
    free(sigs);
    free(sig_lens);
    free(input_lens);
    free(jwks_text);
    EVP_PKEY_CTX_free(prepared);
    skit_jwks_release(set);
    skit_signing_key_free(key);
    return 0;
}
