/*
 * The emulator's signing keys: loaded from (and saved to) the store, the newest
 * one signs, retired ones stay published in /keys for key_grace_seconds and keep
 * verifying until then. After that they are dropped from the ring and the store
 * (at start, on rotation and on /keys reads), so the ring holds the current key
 * plus the keys rotated out within one grace period, however often keys rotate.
 */
#include "environment.h"

#include <stdlib.h>
#include <string.h>

/* Whether @p k is still published (and accepted) at @p now. */
static bool key_published(const emu *e, const emu_key *k, int64_t now)
{
    return k->retired_at == 0 || now < k->retired_at + e->key_grace_seconds;
}

/* Rebuild the parsed set of every key we hold (published or not: callers filter). */
static int rebuild_jwks(emu_keyring *kr)
{
    json_t *doc = json_pack("{s:[]}", "keys");
    json_t *arr = json_object_get(doc, "keys");
    for (size_t i = 0; doc && i < kr->count; i++) {
        json_t *jwk = NULL;
        if (skit_signing_key_public_jwk(kr->keys[i].key, &jwk) != SCALEKIT_OK) {
            json_decref(doc);
            return -1;
        }
        json_array_append_new(arr, jwk);
    }
    skit_jwks *set = NULL;
    int rc = doc ? skit_jwks_from_json(doc, &set) : -1;
    json_decref(doc);
    if (rc != SCALEKIT_OK)
        return -1;
    skit_jwks_release(kr->jwks);
    kr->jwks = set;
    return 0;
}

/* Drop the keys whose grace period has passed, from the ring and the store.
 * Returns whether any was dropped. Caller holds the lock (or is loading). */
static bool prune_expired(emu *e, int64_t now)
{
    emu_keyring *kr = &e->keys;
    size_t kept = 0;
    for (size_t i = 0; i < kr->count; i++) {
        emu_key k = kr->keys[i];
        if (key_published(e, &k, now)) {
            kr->keys[kept++] = k;
            continue;
        }
        /* A failed delete only leaves the row for the next start to prune. */
        emu_db_exec(e->store, "DELETE FROM signing_keys WHERE kid = ?", "s", skit_signing_key_kid(k.key));
        skit_signing_key_free(k.key);
    }
    bool dropped = kept != kr->count;
    kr->count = kept;
    return dropped;
}

static int append_key(emu_keyring *kr, skit_signing_key *key, int64_t created, int64_t retired)
{
    emu_key *keys = realloc(kr->keys, (kr->count + 1) * sizeof *keys);
    if (!keys)
        return -1;
    kr->keys = keys;
    kr->keys[kr->count++] = (emu_key){key, created, retired};
    return 0;
}

/* A new key, stored and appended as the current one. Caller holds the lock. */
static int add_new_key(emu *e, char **kid_out)
{
    char *kid = emu_new_id("snk_", 8);
    skit_signing_key *key = NULL;
    char *pem = NULL;
    int rc = -1;
    if (kid && skit_signing_key_generate("RS256", kid, &key) == SCALEKIT_OK &&
        skit_signing_key_to_pem(key, &pem) == SCALEKIT_OK &&
        emu_db_exec(e->store, "INSERT INTO signing_keys(kid, alg, pem, created_at) VALUES (?, ?, ?, ?)",
                    "sssi", kid, "RS256", pem, skit_now()) == 1 &&
        append_key(&e->keys, key, skit_now(), 0) == 0) {
        key = NULL;
        rc = 0;
        if (kid_out) {
            *kid_out = kid;
            kid = NULL;
        }
    }
    if (pem) {
        OPENSSL_cleanse(pem, strlen(pem));
        free(pem);
    }
    skit_signing_key_free(key);
    free(kid);
    return rc;
}

int emu_keys_load(emu *e)
{
    emu_keyring *kr = &e->keys;
    pthread_mutex_init(&kr->lock, NULL);
    json_t *rows = emu_db_rows(e->store, "SELECT kid, alg, pem, created_at, retired_at "
                                         "FROM signing_keys ORDER BY retired_at = 0, created_at, rowid", "");
    if (!rows)
        return -1;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        skit_signing_key *key = NULL;
        const char *pem = skit_json_string(row, "pem"), *kid = skit_json_string(row, "kid");
        const char *alg = skit_json_string(row, "alg");
        /* the store checks types at open; a loader stays safe on its own */
        if (!pem || !kid || !alg ||
            skit_signing_key_from_pem(pem, kid, alg, &key) != SCALEKIT_OK ||
            append_key(kr, key, json_integer_value(json_object_get(row, "created_at")),
                       json_integer_value(json_object_get(row, "retired_at"))) != 0) {
            fprintf(stderr, "scalekit-emulator: cannot load signing key %s\n", kid ? kid : "(no kid)");
            skit_signing_key_free(key);
            json_decref(rows);
            return -1;
        }
    }
    json_decref(rows);
    prune_expired(e, skit_now());
    if (kr->count == 0 || kr->keys[kr->count - 1].retired_at != 0) {
        if (add_new_key(e, NULL) != 0)
            return -1;
    }
    return rebuild_jwks(kr);
}

void emu_keys_free(emu *e)
{
    emu_keyring *kr = &e->keys;
    for (size_t i = 0; i < kr->count; i++)
        skit_signing_key_free(kr->keys[i].key);
    free(kr->keys);
    skit_jwks_release(kr->jwks);
    pthread_mutex_destroy(&kr->lock);
    memset(kr, 0, sizeof *kr);
}

int emu_keys_rotate(emu *e, char **new_kid_out)
{
    emu_keyring *kr = &e->keys;
    pthread_mutex_lock(&kr->lock);
    int64_t now = skit_now();
    prune_expired(e, now);
    emu_key *current = &kr->keys[kr->count - 1];
    int rc = emu_db_exec(e->store, "UPDATE signing_keys SET retired_at = ? WHERE kid = ?", "is",
                         now, skit_signing_key_kid(current->key)) == 1 ? 0 : -1;
    if (rc == 0) {
        current->retired_at = now;
        rc = add_new_key(e, new_kid_out);
        if (rc != 0) {   /* keep signing with the old key rather than with none */
            current->retired_at = 0;
            emu_db_exec(e->store, "UPDATE signing_keys SET retired_at = 0 WHERE kid = ?", "s",
                        skit_signing_key_kid(current->key));
        }
    }
    if (rc == 0)
        rc = rebuild_jwks(kr);
    pthread_mutex_unlock(&kr->lock);
    /* Outside the keyring lock: the bearer check takes its own lock, then this one. */
    emu_api_auth_invalidate(e);
    return rc;
}

int64_t emu_keys_next_retirement(emu *e, int64_t now)
{
    int64_t next = INT64_MAX;
    pthread_mutex_lock(&e->keys.lock);
    for (size_t i = 0; i < e->keys.count; i++) {
        const emu_key *k = &e->keys.keys[i];
        if (k->retired_at != 0 && key_published(e, k, now) && k->retired_at + e->key_grace_seconds < next)
            next = k->retired_at + e->key_grace_seconds;
    }
    pthread_mutex_unlock(&e->keys.lock);
    return next;
}

int emu_keys_sign(emu *e, const json_t *payload, char **jwt_out)
{
    pthread_mutex_lock(&e->keys.lock);
    int rc = skit_jwt_sign(e->keys.keys[e->keys.count - 1].key, payload, jwt_out);
    pthread_mutex_unlock(&e->keys.lock);
    return rc == SCALEKIT_OK ? 0 : -1;
}

json_t *emu_keys_jwks(emu *e)
{
    json_t *keys = json_array();
    int64_t now = skit_now();
    pthread_mutex_lock(&e->keys.lock);
    if (prune_expired(e, now) && rebuild_jwks(&e->keys) != 0) {
        json_decref(keys);
        keys = NULL;
    }
    /* Newest first: clients that take the first key get the current one. */
    for (size_t i = e->keys.count; keys && i-- > 0;) {
        json_t *jwk = NULL;
        if (key_published(e, &e->keys.keys[i], now) &&
            skit_signing_key_public_jwk(e->keys.keys[i].key, &jwk) == SCALEKIT_OK)
            json_array_append_new(keys, jwk);
    }
    pthread_mutex_unlock(&e->keys.lock);
    return keys ? json_pack("{s:o}", "keys", keys) : NULL;
}

int emu_keys_verify(emu *e, const char *token, bool check_time, json_t **payload_out,
                    const char **why)
{
    *payload_out = NULL;
    skit_jws jws;
    if (skit_jws_parse(token, strlen(token), &jws) != SCALEKIT_OK) {
        *why = "malformed token";
        return -1;
    }
    int64_t now = skit_now();
    bool published = false;
    pthread_mutex_lock(&e->keys.lock);
    for (size_t i = 0; jws.kid && i < e->keys.count; i++)
        if (strcmp(skit_signing_key_kid(e->keys.keys[i].key), jws.kid) == 0)
            published = key_published(e, &e->keys.keys[i], now);
    skit_jwks *set = skit_jwks_retain(e->keys.jwks);
    pthread_mutex_unlock(&e->keys.lock);

    const skit_jwk *key = NULL;
    int rc = -1;
    if (!published || skit_jwks_find_key(set, &jws, &key) != SCALEKIT_OK)
        *why = "token signed by an unknown key";
    else if (skit_jws_verify_signature(key, jws.alg, jws.signing_input, jws.signing_input_len,
                                       jws.signature, jws.signature_len) != SCALEKIT_OK)
        *why = "bad token signature";
    else if (check_time && skit_jwt_check_time(jws.payload, now, 0) != SCALEKIT_OK)
        *why = "token expired or not yet valid";
    else if (!skit_json_string(jws.payload, "iss") || strcmp(skit_json_string(jws.payload, "iss"), e->url) != 0)
        *why = "token issued by another issuer";
    else {
        *payload_out = json_incref(jws.payload);
        rc = 0;
    }
    skit_jwks_release(set);
    skit_jws_clear(&jws);
    return rc;
}
