#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"
#include "jose_testkit.h"

scalekit_client *jt_client(const char *env_url, const scalekit_client_options *opts)
{
    scalekit_client *c = NULL;
    int rc = scalekit_client_new_with_options(&c, env_url ? env_url : "http://127.0.0.1:1",
                                              "client_1", "secret_1", opts);
    assert_int_equal(rc, SCALEKIT_OK);
    assert_non_null(c);
    return c;
}

char *jt_jwks_json(skit_signing_key *const *keys)
{
    json_t *arr = json_array();
    for (; *keys; keys++) {
        json_t *jwk = NULL;
        assert_int_equal(skit_signing_key_public_jwk(*keys, &jwk), SCALEKIT_OK);
        json_array_append_new(arr, jwk);
    }
    json_t *doc = json_pack("{s:o}", "keys", arr);
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    assert_non_null(text);
    return text;
}

scalekit_client *jt_client_with_keys(skit_signing_key *const *keys, const scalekit_client_options *opts)
{
    scalekit_client *c = jt_client(NULL, opts);
    char *jwks = jt_jwks_json(keys);
    assert_int_equal(skit_jose_set_jwks(c, jwks), SCALEKIT_OK);
    free(jwks);
    return c;
}

skit_signing_key *jt_key(const char *alg, const char *kid)
{
    skit_signing_key *k = NULL;
    assert_int_equal(skit_signing_key_generate(alg, kid, &k), SCALEKIT_OK);
    assert_non_null(k);
    return k;
}

char *jt_sign(const skit_signing_key *key, const char *payload_json)
{
    json_error_t err;
    json_t *payload = json_loads(payload_json, 0, &err);
    assert_non_null(payload);
    char *jwt = NULL;
    assert_int_equal(skit_jwt_sign(key, payload, &jwt), SCALEKIT_OK);
    json_decref(payload);
    return jwt;
}

char *jt_claims(const char *extra)
{
    long long now = (long long)skit_now();
    json_t *p = json_pack("{s:s, s:s, s:s, s:I, s:I}", "sub", "user_1", "iss", "https://env",
                          "aud", "client_1", "iat", (json_int_t)now, "exp", (json_int_t)(now + 3600));
    if (extra) {
        json_error_t err;
        json_t *e = json_loads(extra, 0, &err);
        assert_non_null(e);
        json_object_update(p, e);
        json_decref(e);
    }
    char *text = json_dumps(p, JSON_COMPACT);
    json_decref(p);
    return text;
}

char *jt_token(const skit_signing_key *key, const char *extra)
{
    char *claims = jt_claims(extra);
    char *jwt = jt_sign(key, claims);
    free(claims);
    return jwt;
}

int jt_fixture_setup_with(void **state, const scalekit_client_options *opts)
{
    jt_fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->key = jt_key("RS256", "k1");
    skit_signing_key *keys[] = { f->key, NULL };
    f->client = jt_client_with_keys(keys, opts);
    *state = f;
    return 0;
}

int jt_fixture_setup(void **state) { return jt_fixture_setup_with(state, NULL); }

int jt_fixture_teardown(void **state)
{
    jt_fixture *f = *state;
    scalekit_client_free(f->client);
    skit_signing_key_free(f->key);
    free(f);
    return 0;
}
