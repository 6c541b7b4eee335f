/*
 * bench_authz: what an authorization check costs a gateway, against what it
 * cannot avoid spending on the token anyway.
 *
 * (a) first seen: scalekit_validate_token() of N distinct RS256 access tokens
 *     (JWKS cached; each token new: parse, RSA verify, time checks, cache insert),
 *     the limit every request pays once per token;
 * (b) check: scalekit_claims_has_all_permissions() of three permissions on
 *     claims already held (the roles/permissions tree parsed once per token);
 * (c) for information: three scalekit_claims_has_permission() calls, and
 *     (d) scalekit_validate_token() of a token seen before (verified-token cache
 *     hit) with required_permissions set: the one-call gateway form.
 * Prints the cost of (b), (c) and (d) as a share of (a); the goal is (b) < 1%.
 * Each figure is the best of 3 rounds. Not a test: build it with -O2 and no
 * sanitizers (-DCMAKE_BUILD_TYPE=RelWithDebInfo, as `make bench` does).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_support.h"
#include "core/core.h"
#include "client/client.h"
#include "jose/jose.h"
#include "scalekit/scalekit.h"

#define N 2000
#define ROUNDS 3
#define CHECKS 2000000
#define HITS 200000

/* A Scalekit-shaped access token with a member's usual dozen permissions. */
static char *make_token(const skit_signing_key *key, long long now, int i)
{
    json_t *p = json_pack("{s:s, s:s, s:[s], s:I, s:I, s:I, s:s, s:s, s:s, s:[s,s], s:s, s:I}",
                          "iss", "https://env.example.com", "sub", "usr_1234567890",
                          "aud", "skc_1234567890", "iat", (json_int_t)now, "nbf", (json_int_t)now,
                          "exp", (json_int_t)(now + 3600), "jti", "jti_0000", "sid", "ses_1234567890",
                          "oid", "org_1234567890", "roles", "admin", "member",
                          "scope", "openid profile email", "n", (json_int_t)i);
    json_t *perms = json_array();
    const char *names[] = { "users:read", "users:write", "orgs:read", "orgs:write", "roles:read",
                            "billing:read", "content:read", "content:write", "content:publish",
                            "reports:read", "reports:export", "settings:read", NULL };
    for (const char *const *n = names; *n; n++)
        json_array_append_new(perms, json_string(*n));
    json_object_set_new(p, "permissions", perms);
    char *t = NULL;
    skit_jwt_sign(key, p, &t);
    json_decref(p);
    return t;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : N;
    if (n <= 0)
        n = N;
    skit_signing_key *key = NULL;
    char *jwks_text = NULL;
    if (bench_key_and_jwks(&key, &jwks_text) != 0)
        return 1;

    long long now = (long long)skit_now();
    char **tokens = calloc((size_t)n, sizeof *tokens);
    for (int i = 0; i < n; i++)
        tokens[i] = make_token(key, now, i);
    /* first, middle and last of the list: a scan's average and worst case */
    const char *three[] = { "users:read", "content:write", "settings:read", NULL };

    double best_first = 1e9, best_check = 1e9, best_single = 1e9, best_hit = 1e9;
    int failures = 0;
    volatile unsigned long sink = 0;
    for (int r = 0; r < ROUNDS; r++) {
        scalekit_client *c = NULL;
        scalekit_client_new(&c, "http://127.0.0.1:1", "bench", "bench");
        if (skit_jose_set_jwks(c, jwks_text) != SCALEKIT_OK)
            return 1;
        double t0 = bench_now();
        for (int i = 0; i < n; i++)
            if (scalekit_validate_token(c, tokens[i], NULL, NULL) != SCALEKIT_OK)
                failures++;
        double t_first = (bench_now() - t0) / n;

        scalekit_claims *claims = NULL;
        if (scalekit_validate_token(c, tokens[0], NULL, &claims) != SCALEKIT_OK)
            return 1;
        t0 = bench_now();
        for (int i = 0; i < CHECKS; i++)
            sink += scalekit_claims_has_all_permissions(claims, three);
        double t_check = (bench_now() - t0) / CHECKS;

        t0 = bench_now();
        for (int i = 0; i < CHECKS; i++)
            sink += scalekit_claims_has_permission(claims, three[0]) &&
                    scalekit_claims_has_permission(claims, three[1]) &&
                    scalekit_claims_has_permission(claims, three[2]);
        double t_single = (bench_now() - t0) / CHECKS;
        scalekit_claims_free(claims);

        scalekit_validate_options o = SCALEKIT_VALIDATE_OPTIONS_INIT;
        o.required_permissions = three;
        t0 = bench_now();
        for (int i = 0; i < HITS; i++)
            if (scalekit_validate_token(c, tokens[1], &o, NULL) != SCALEKIT_OK)
                failures++;
        double t_hit = (bench_now() - t0) / HITS;
        scalekit_client_free(c);

        if (t_first < best_first) best_first = t_first;
        if (t_check < best_check) best_check = t_check;
        if (t_single < best_single) best_single = t_single;
        if (t_hit < best_hit) best_hit = t_hit;
    }
    if (failures || sink != (unsigned long)ROUNDS * 2 * CHECKS) {
        fprintf(stderr, "bench_authz: %d validations failed, %lu of %lu checks granted (%s)\n", failures,
                (unsigned long)sink, (unsigned long)ROUNDS * 2 * CHECKS,
                scalekit_error_last()->message ? scalekit_error_last()->message : "");
        return 1;
    }
    printf("bench_authz: %d distinct RS256 access tokens, 12 permissions each, best of %d rounds\n", n, ROUNDS);
    printf("  (a) validate, first seen            %9.0f ns\n", best_first * 1e9);
    printf("  (b) has_all_permissions(3), claims  %9.1f ns   (b)/(a) = %.3f%%  (goal < 1%%)\n",
           best_check * 1e9, 100 * best_check / best_first);
    printf("  (c) has_permission x3, claims       %9.1f ns   (c)/(a) = %.3f%%  (information)\n",
           best_single * 1e9, 100 * best_single / best_first);
    printf("  (d) validate + required_permissions(3), cached token %7.0f ns   (d)/(a) = %.2f%%  (information)\n",
           best_hit * 1e9, 100 * best_hit / best_first);

    for (int i = 0; i < n; i++)
        free(tokens[i]);
    free(tokens);
    free(jwks_text);
    skit_signing_key_free(key);
    return 0;
}
