/* Per-client JOSE state: the JWKS cache (TTL, refetch on an unknown kid with a
 * cooldown, single flight, stale set kept when a refetch fails) and the
 * verified-token cache, and skit_jose_validate() which uses both. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>

#include "core/core.h"
#include "jose/jose.h"

#define DEFAULT_JWKS_TTL_SECONDS 3600
#define DEFAULT_MIN_REFETCH_MS 30000
#define DEFAULT_MAX_TOKEN_BYTES 16384
#define DEFAULT_TOKEN_CACHE_ENTRIES 1024

struct skit_jose_state {
    scalekit_client *transport;  /* borrowed: its core fetches GET /keys */
    int64_t ttl_ms;              /* a fetched set is trusted this long */
    int64_t cooldown_ms;         /* an unknown kid refetches at most this often */
    size_t max_token_bytes;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    skit_jwks *jwks;            /* current set (one reference held here), NULL before a fetch */
    uint64_t generation;        /* bumped when a fetch changes the set; atomic reads */
    int64_t fetched_ms;         /* monotonic time of the last successful fetch (TTL) */
    int64_t attempt_ms;         /* monotonic time of the last fetch attempt (cooldown) */
    bool has_attempted;
    bool fetching;              /* a thread is fetching: the others wait on cv */
    uint64_t fetch_seq;         /* bumped when a fetch ends, so waiters see it ended */
    int last_fetch_rc;
    uint64_t fetch_count;       /* attempts, for tests */
    skit_token_cache *tokens;
};

static long opt_or(long v, long dflt) { return v > 0 ? v : dflt; }

skit_jose_state *skit_jose_state_new(scalekit_client *transport,
                                     const scalekit_client_options *opts)
{
    struct skit_jose_state *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->transport = transport;
    /* saturated: a "forever" TTL such as LONG_MAX must not overflow into the past */
    int64_t ttl_s = opt_or(opts ? opts->jwks_ttl_seconds : 0, DEFAULT_JWKS_TTL_SECONDS);
    s->ttl_ms = ttl_s > INT64_MAX / 1000 ? INT64_MAX : ttl_s * 1000;
    s->cooldown_ms = opt_or(opts ? opts->jwks_min_refetch_interval_ms : 0, DEFAULT_MIN_REFETCH_MS);
    s->max_token_bytes = opts && opts->max_token_bytes ? opts->max_token_bytes
                                                       : DEFAULT_MAX_TOKEN_BYTES;
    long entries = opts ? opts->verified_token_cache_entries : 0;
    if (entries == 0)
        entries = DEFAULT_TOKEN_CACHE_ENTRIES;
    if (entries > 0 && !(s->tokens = skit_token_cache_new(entries))) {
        free(s);
        return NULL;
    }
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    return s;
}

void skit_jose_state_free(struct skit_jose_state *state)
{
    if (!state)
        return;
    skit_jwks_release(state->jwks);
    skit_token_cache_free(state->tokens);
    pthread_mutex_destroy(&state->mu);
    pthread_cond_destroy(&state->cv);
    free(state);
}

/* Install a freshly fetched set; the caller holds mu. Takes @p set's reference. */
static void install_locked(struct skit_jose_state *s, skit_jwks *set, int64_t now_ms)
{
    s->fetched_ms = now_ms;
    if (s->jwks && memcmp(s->jwks->fingerprint, set->fingerprint, sizeof set->fingerprint) == 0) {
        skit_jwks_release(set);   /* the same keys: tokens verified before stay good */
        return;
    }
    skit_jwks_release(s->jwks);
    s->jwks = set;
    __atomic_add_fetch(&s->generation, 1, __ATOMIC_RELEASE);
}

static int fetch_jwks(scalekit_client *transport, skit_jwks **out)
{
    skit_request req = {.method = "GET", .path = "/keys", .authenticated = false,
                        .idempotent = true};
    skit_response resp;
    memset(&resp, 0, sizeof resp);
    int rc = skit_http_send(transport, &req, &resp);
    if (rc != SCALEKIT_OK)
        return rc;
    rc = skit_jwks_parse(resp.body ? resp.body : "", resp.body_len, out);
    skit_response_free(&resp);
    if (rc != SCALEKIT_OK) {
        /* copied first: setting the new error frees the old message */
        char why[256];
        const char *msg = scalekit_error_last()->message;
        snprintf(why, sizeof why, "%s", msg ? msg : "unusable JWKS");
        return skit_error_set(SCALEKIT_EMALFORMED_RESPONSE, "GET /keys: %s", why);
    }
    return SCALEKIT_OK;
}

/*
 * The set to verify with. @p want_newer asks for a refetch because a kid was
 * unknown in generation @p seen; it is granted at most once per cooldown.
 * *gen_out is the generation of the set handed out (one reference: release it).
 */
static int get_jwks(struct skit_jose_state *s, bool want_newer, uint64_t seen,
                    skit_jwks **out, uint64_t *gen_out)
{
    const int64_t ttl_ms = s->ttl_ms, cooldown_ms = s->cooldown_ms;
    int rc = SCALEKIT_OK;
    *out = NULL;
    pthread_mutex_lock(&s->mu);
    uint64_t seq_at_entry = s->fetch_seq;
    for (;;) {
        if (s->fetching) {
            pthread_cond_wait(&s->cv, &s->mu);
            continue;
        }
        int64_t now = skit_monotonic_ms();
        bool fetch;
        if (s->fetch_seq != seq_at_entry) {
            fetch = false;   /* a fetch ended while we waited: its outcome is ours too */
        } else if (!s->jwks) {
            fetch = !s->has_attempted || now - s->attempt_ms >= cooldown_ms || !want_newer;
        } else if (want_newer) {
            fetch = s->generation == seen && now - s->attempt_ms >= cooldown_ms;
        } else {
            fetch = now - s->fetched_ms >= ttl_ms && now - s->attempt_ms >= cooldown_ms;
        }
        if (!fetch)
            break;
        s->fetching = true;
        s->fetch_count++;
        pthread_mutex_unlock(&s->mu);
        skit_jwks *fresh = NULL;
        int frc = fetch_jwks(s->transport, &fresh);
        pthread_mutex_lock(&s->mu);
        s->fetching = false;
        s->has_attempted = true;
        s->attempt_ms = skit_monotonic_ms();
        s->last_fetch_rc = frc;
        s->fetch_seq++;
        seq_at_entry = s->fetch_seq;
        if (frc == SCALEKIT_OK)
            install_locked(s, fresh, s->attempt_ms);
        pthread_cond_broadcast(&s->cv);
        break;
    }
    if (s->jwks) {
        *out = skit_jwks_retain(s->jwks);
        *gen_out = s->generation;
    } else {
        rc = s->last_fetch_rc ? s->last_fetch_rc : SCALEKIT_ENETWORK;
    }
    pthread_mutex_unlock(&s->mu);
    if (rc != SCALEKIT_OK && scalekit_error_last()->code != rc)
        skit_error_set(rc, "the JWKS (GET /keys) could not be fetched");
    return rc;
}

int skit_jose_state_set_jwks(skit_jose_state *s, const char *jwks_json)
{
    if (!s || !jwks_json)
        return skit_error_set(SCALEKIT_EINVAL, "client and jwks_json must not be NULL");
    skit_jwks *set = NULL;
    int rc = skit_jwks_parse(jwks_json, strlen(jwks_json), &set);
    if (rc != SCALEKIT_OK)
        return rc;
    pthread_mutex_lock(&s->mu);
    s->has_attempted = true;
    s->attempt_ms = skit_monotonic_ms();
    install_locked(s, set, s->attempt_ms);
    pthread_mutex_unlock(&s->mu);
    return SCALEKIT_OK;
}

uint64_t skit_jose_state_generation(skit_jose_state *s)
{
    return s ? __atomic_load_n(&s->generation, __ATOMIC_ACQUIRE) : 0;
}

uint64_t skit_jose_state_fetch_count(skit_jose_state *s)
{
    if (!s)
        return 0;
    pthread_mutex_lock(&s->mu);
    uint64_t n = s->fetch_count;
    pthread_mutex_unlock(&s->mu);
    return n;
}

/* Verify the signature of a parsed token, refetching the JWKS once when its kid is unknown. */
static int verify_parsed(struct skit_jose_state *s, const skit_jws *jws, uint64_t *gen_out)
{
    skit_jwks *set = NULL;
    uint64_t gen = 0;
    const skit_jwk *key = NULL;
    int rc = get_jwks(s, false, 0, &set, &gen);
    if (rc != SCALEKIT_OK)
        return rc;
    rc = skit_jwks_find_key(set, jws, &key);
    if (rc == SCALEKIT_ETOKEN_UNKNOWN_KEY) {
        skit_jwks_release(set);
        set = NULL;
        rc = get_jwks(s, true, gen, &set, &gen);
        if (rc == SCALEKIT_OK)
            rc = skit_jwks_find_key(set, jws, &key);
    }
    if (rc == SCALEKIT_OK)
        rc = skit_jws_verify_signature(key, jws->alg, jws->signing_input, jws->signing_input_len,
                                       jws->signature, jws->signature_len);
    skit_jwks_release(set);
    *gen_out = gen;
    return rc;
}

int skit_jose_state_validate(skit_jose_state *s, const char *token, long leeway_seconds,
                             skit_payload **payload_out)
{
    if (payload_out)
        *payload_out = NULL;
    if (!s)
        return skit_error_set(SCALEKIT_EINVAL, "client must not be NULL");
    if (!token || !*token)
        return skit_error_set(SCALEKIT_EINVAL, "token must not be empty");
    size_t max = s->max_token_bytes;
    /* max + 1 would wrap to 0 for a "no limit" SIZE_MAX and read no byte at all */
    size_t len = strnlen(token, max < SIZE_MAX ? max + 1 : max);
    if (len > max)
        return skit_error_set(SCALEKIT_ETOKEN_TOO_LARGE,
                              "token is longer than max_token_bytes (%zu)", max);
    /* 0 is "the default" (a zeroed options struct); a negative value asks for none. */
    if (leeway_seconds == 0)
        leeway_seconds = SKIT_DEFAULT_LEEWAY_SECONDS;
    else if (leeway_seconds < 0)
        leeway_seconds = 0;

    unsigned char digest[32];
    skit_payload *payload = NULL;
    if (s->tokens) {
        SHA256((const unsigned char *)token, len, digest);
        payload = skit_token_cache_get(s->tokens, digest, skit_jose_state_generation(s));
    }
    if (!payload) {
        skit_jws_lite lite;
        uint64_t gen = 0;
        int rc = skit_jws_parse_lite(token, len, &lite);
        if (rc == SCALEKIT_OK)
            rc = verify_parsed(s, &lite.jws, &gen);
        if (rc == SCALEKIT_OK)   /* the payload's JSON only now: it is signed */
            rc = skit_payload_new(lite.payload, lite.payload_len, &payload);
        skit_jws_lite_clear(&lite);
        if (rc != SCALEKIT_OK)
            return rc;
        skit_token_cache_put(s->tokens, digest, gen, payload);
    }
    int rc = skit_jwt_check_times(&payload->times, skit_now(), leeway_seconds);
    if (rc == SCALEKIT_OK && payload_out)
        *payload_out = payload;
    else
        skit_payload_release(payload);
    return rc;
}
