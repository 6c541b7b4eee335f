/*
 * Webhook and interceptor verification (Standard Webhooks): HMAC-SHA256 over
 * "<id>.<timestamp>.<payload>" keyed with the decoded "whsec_" secret.
 * The hot path computes one HMAC, compares it against every v1 entry in
 * constant time, never copies the payload, and reuses a per-thread MAC context
 * and decoded key, so a repeated secret costs no allocation.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "auth_internal.h"

#define WEBHOOK_TOLERANCE_SECONDS 300
#define SECRET_PREFIX "whsec_"
#define HMAC_SHA256_LEN 32
#define MAC_B64_LEN 44           /* standard base64 of 32 bytes, padded */

/* ---- the per-thread HMAC state ---------------------------------------------
 * Each thread keeps one HMAC-SHA256 context and the last secret it decoded, so
 * a receiver verifying with the same secret again allocates nothing. The cached
 * key adds no exposure: the keyed context holds the equivalent state anyway. */

#define SECRET_CACHE_MAX 256   /* longer secrets are decoded on every call */

typedef struct thread_mac {
    EVP_MAC_CTX *ctx;
    size_t secret_len;                        /* 0: nothing cached */
    char secret[SECRET_CACHE_MAX];
    unsigned char key[SECRET_CACHE_MAX];
    size_t key_len;
} thread_mac;

static pthread_once_t mac_once = PTHREAD_ONCE_INIT;
static EVP_MAC *hmac_algorithm;   /* fetched once for the process */
static pthread_key_t mac_key;     /* each thread's thread_mac, freed at thread exit */
static bool mac_key_ready;

static void free_thread_mac(void *p)
{
    thread_mac *tm = p;
    EVP_MAC_CTX_free(tm->ctx);
    OPENSSL_cleanse(tm, sizeof *tm);
    free(tm);
}

static void init_mac_once(void)
{
    hmac_algorithm = EVP_MAC_fetch(NULL, OSSL_MAC_NAME_HMAC, NULL);
    mac_key_ready = pthread_key_create(&mac_key, free_thread_mac) == 0;
}

/* This thread's HMAC state, created on first use; NULL (error set) on failure. */
static thread_mac *get_thread_mac(void)
{
    pthread_once(&mac_once, init_mac_once);
    if (hmac_algorithm == NULL || !mac_key_ready) {
        skit_error_set(SCALEKIT_EINTERNAL, "HMAC is not available from OpenSSL");
        return NULL;
    }
    thread_mac *tm = pthread_getspecific(mac_key);
    if (tm != NULL)
        return tm;
    tm = calloc(1, sizeof *tm);
    if (tm == NULL) {
        skit_error_oom();
        return NULL;
    }
    tm->ctx = EVP_MAC_CTX_new(hmac_algorithm);
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0),
        OSSL_PARAM_construct_end(),
    };
    if (tm->ctx == NULL || EVP_MAC_CTX_set_params(tm->ctx, params) != 1 ||
        pthread_setspecific(mac_key, tm) != 0) {
        free_thread_mac(tm);
        skit_error_set(SCALEKIT_EINTERNAL, "cannot create an HMAC-SHA256 context");
        return NULL;
    }
    return tm;
}

/* ".<decimal>." into out (no printf on the hot path); returns its length. */
static size_t format_timestamp_part(int64_t timestamp, char out[24])
{
    char digits[20];
    size_t n = 0;
    uint64_t v = timestamp < 0 ? (uint64_t)0 - (uint64_t)timestamp : (uint64_t)timestamp;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    size_t len = 0;
    out[len++] = '.';
    if (timestamp < 0)
        out[len++] = '-';
    while (n > 0)
        out[len++] = digits[--n];
    out[len++] = '.';
    return len;
}

/* HMAC-SHA256(key, id "." timestamp "." payload) into mac[32]. */
static int compute_mac(EVP_MAC_CTX *ctx, const unsigned char *key, size_t key_len, const char *id,
                       size_t id_len, int64_t timestamp, const char *payload, size_t payload_len,
                       unsigned char mac[HMAC_SHA256_LEN])
{
    char ts_text[24];
    size_t ts_len = format_timestamp_part(timestamp, ts_text);
    size_t mac_len = 0;
    if (EVP_MAC_init(ctx, key, key_len, NULL) != 1 ||
        EVP_MAC_update(ctx, (const unsigned char *)id, id_len) != 1 ||
        EVP_MAC_update(ctx, (const unsigned char *)ts_text, ts_len) != 1 ||
        (payload_len > 0 && EVP_MAC_update(ctx, (const unsigned char *)payload, payload_len) != 1) ||
        EVP_MAC_final(ctx, mac, &mac_len, HMAC_SHA256_LEN) != 1 || mac_len != HMAC_SHA256_LEN)
        return skit_error_set(SCALEKIT_EINTERNAL, "HMAC-SHA256 of the webhook payload failed");
    return SCALEKIT_OK;
}

/* ---- inputs --------------------------------------------------------------- */

/* The HMAC key of "whsec_<base64>"; *key is malloc'd, free it with free(). */
static int decode_secret(const char *secret, unsigned char **key, size_t *key_len)
{
    *key = NULL;
    if (secret == NULL)
        return skit_error_set(SCALEKIT_EINVAL, "secret must not be NULL");
    size_t prefix_len = sizeof SECRET_PREFIX - 1;
    if (strncmp(secret, SECRET_PREFIX, prefix_len) != 0)
        return skit_error_set(SCALEKIT_EWEBHOOK_INVALID_SECRET,
                              "secret must start with \"whsec_\" followed by base64");
    const char *b64 = secret + prefix_len;
    if (skit_base64_decode(b64, strlen(b64), key, key_len) != SCALEKIT_OK) {
        free(*key);
        *key = NULL;
        return skit_error_set(SCALEKIT_EWEBHOOK_INVALID_SECRET,
                              "secret after \"whsec_\" is not valid base64");
    }
    if (*key_len == 0) {
        free(*key);
        *key = NULL;
        return skit_error_set(SCALEKIT_EWEBHOOK_INVALID_SECRET,
                              "secret after \"whsec_\" decodes to an empty key");
    }
    return SCALEKIT_OK;
}

/* The HMAC key of a secret on this thread: the thread's context, the key bytes
 * (from the thread's cache when the secret is the one used last), and the heap
 * copy to wipe when the key was too long to cache. */
typedef struct hmac_key {
    thread_mac *tm;
    const unsigned char *bytes;
    size_t len;
    unsigned char *heap;
} hmac_key;

static int hmac_key_acquire(const char *secret, hmac_key *k)
{
    memset(k, 0, sizeof *k);
    if ((k->tm = get_thread_mac()) == NULL)
        return scalekit_error_last()->code;
    thread_mac *tm = k->tm;
    size_t len = secret ? strnlen(secret, SECRET_CACHE_MAX) : 0;
    if (secret != NULL && tm->secret_len > 0 && len == tm->secret_len &&
        memcmp(secret, tm->secret, len) == 0) {
        k->bytes = tm->key;
        k->len = tm->key_len;
        return SCALEKIT_OK;
    }
    unsigned char *decoded;
    size_t decoded_len;
    int rc = decode_secret(secret, &decoded, &decoded_len);
    if (rc != SCALEKIT_OK)
        return rc;
    if (len < SECRET_CACHE_MAX) {   /* the key is shorter than its text: it fits */
        memcpy(tm->secret, secret, len);
        tm->secret_len = len;
        memcpy(tm->key, decoded, decoded_len);
        tm->key_len = decoded_len;
        OPENSSL_cleanse(decoded, decoded_len);
        free(decoded);
        k->bytes = tm->key;
        k->len = tm->key_len;
        return SCALEKIT_OK;
    }
    k->heap = decoded;
    k->bytes = decoded;
    k->len = decoded_len;
    return SCALEKIT_OK;
}

static void hmac_key_release(hmac_key *k)
{
    if (k->heap != NULL) {
        OPENSSL_cleanse(k->heap, k->len);
        free(k->heap);
        k->heap = NULL;
    }
}

int skit_webhook_parse_timestamp(const char *text, size_t len, int64_t *out)
{
    if (len == 0 || len > 19)
        return skit_error_set(SCALEKIT_EWEBHOOK_MALFORMED_HEADER,
                              "timestamp header must be a decimal integer of 1 to 19 digits");
    int64_t value = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return skit_error_set(SCALEKIT_EWEBHOOK_MALFORMED_HEADER,
                                  "timestamp header \"%.*s\" is not a decimal integer",
                                  (int)(len < 32 ? len : 32), text);
        int digit = text[i] - '0';
        if (value > (INT64_MAX - digit) / 10)
            return skit_error_set(SCALEKIT_EWEBHOOK_MALFORMED_HEADER,
                                  "timestamp header \"%.*s\" is out of range", (int)len, text);
        value = value * 10 + digit;
    }
    *out = value;
    return SCALEKIT_OK;
}

int skit_webhook_parse_signature_header(const char *header, size_t len,
                                        skit_webhook_signature *out, size_t *n_out)
{
    *n_out = 0;
    if (len > SKIT_WEBHOOK_MAX_HEADER_BYTES)
        return skit_error_set(SCALEKIT_EWEBHOOK_MALFORMED_HEADER,
                              "signature header of %zu bytes exceeds %d", len,
                              SKIT_WEBHOOK_MAX_HEADER_BYTES);
    size_t entries = 0;
    size_t i = 0;
    while (i < len) {
        while (i < len && header[i] == ' ')
            i++;
        if (i == len)
            break;
        size_t start = i;
        while (i < len && header[i] != ' ')
            i++;
        if (++entries > SKIT_WEBHOOK_MAX_SIGNATURES)
            return skit_error_set(SCALEKIT_EWEBHOOK_MALFORMED_HEADER,
                                  "signature header holds more than %d entries",
                                  SKIT_WEBHOOK_MAX_SIGNATURES);
        const char *entry = header + start;
        size_t entry_len = i - start;
        if (entry_len > 3 && memcmp(entry, "v1,", 3) == 0) {
            out[*n_out].b64 = entry + 3;
            out[*n_out].len = entry_len - 3;
            (*n_out)++;
        }
    }
    return SCALEKIT_OK;
}

/* A header's value by @p name (lower case; matched case-insensitively), first match; NULL when absent. */
static const char *find_header(const scalekit_header *headers, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        /* the first-letter check skips most unrelated headers cheaply (names are lower case) */
        if (headers[i].name != NULL && headers[i].value != NULL &&
            (headers[i].name[0] | 0x20) == name[0] && skit_ascii_iequal(headers[i].name, name))
            return headers[i].value;
    }
    return NULL;
}

/* One of the three headers: @p primary, else @p fallback (may be NULL). */
static int required_header(const scalekit_header *headers, size_t n, const char *primary,
                           const char *fallback, const char **value, size_t *len)
{
    const char *v = find_header(headers, n, primary);
    if ((v == NULL || v[0] == '\0') && fallback != NULL)
        v = find_header(headers, n, fallback);
    if (v == NULL || v[0] == '\0') {
        if (fallback != NULL)
            return skit_error_set(SCALEKIT_EWEBHOOK_MISSING_HEADER,
                                  "header %s (or %s) is missing", primary, fallback);
        return skit_error_set(SCALEKIT_EWEBHOOK_MISSING_HEADER, "header %s is missing", primary);
    }
    *len = strnlen(v, SKIT_WEBHOOK_MAX_HEADER_BYTES + 1);
    if (*len > SKIT_WEBHOOK_MAX_HEADER_BYTES)
        return skit_error_set(SCALEKIT_EWEBHOOK_MALFORMED_HEADER,
                              "header %s is longer than %d bytes", primary,
                              SKIT_WEBHOOK_MAX_HEADER_BYTES);
    *value = v;
    return SCALEKIT_OK;
}

/* ---- verification ---------------------------------------------------------- */

typedef struct header_names {
    const char *id, *timestamp, *signature;
    const char *id_fallback, *timestamp_fallback, *signature_fallback;
} header_names;

static const header_names webhook_names = {
    "webhook-id", "webhook-timestamp", "webhook-signature", NULL, NULL, NULL,
};
static const header_names interceptor_names = {
    "interceptor-id", "interceptor-timestamp", "interceptor-signature",
    "webhook-id", "webhook-timestamp", "webhook-signature",
};

static int check_signed_headers(EVP_MAC_CTX *ctx, const unsigned char *key, size_t key_len,
                                const scalekit_header *headers, size_t n_headers,
                                const char *payload, size_t payload_len, const header_names *names)
{
    const char *id, *ts_text, *sig_header;
    size_t id_len, ts_len, sig_len;
    int rc = required_header(headers, n_headers, names->id, names->id_fallback, &id, &id_len);
    if (rc == SCALEKIT_OK)
        rc = required_header(headers, n_headers, names->timestamp, names->timestamp_fallback,
                             &ts_text, &ts_len);
    if (rc == SCALEKIT_OK)
        rc = required_header(headers, n_headers, names->signature, names->signature_fallback,
                             &sig_header, &sig_len);
    if (rc != SCALEKIT_OK)
        return rc;

    int64_t timestamp;
    if ((rc = skit_webhook_parse_timestamp(ts_text, ts_len, &timestamp)) != SCALEKIT_OK)
        return rc;
    int64_t now = skit_now();
    if (timestamp < now - WEBHOOK_TOLERANCE_SECONDS)
        return skit_error_set(SCALEKIT_EWEBHOOK_TIMESTAMP_TOO_OLD,
                              "timestamp %" PRId64 " is %" PRId64 " seconds old (tolerance %d)",
                              timestamp, now - timestamp, WEBHOOK_TOLERANCE_SECONDS);
    if (timestamp > now + WEBHOOK_TOLERANCE_SECONDS)
        return skit_error_set(SCALEKIT_EWEBHOOK_TIMESTAMP_TOO_NEW,
                              "timestamp %" PRId64 " is %" PRId64 " seconds ahead (tolerance %d)",
                              timestamp, timestamp - now, WEBHOOK_TOLERANCE_SECONDS);

    skit_webhook_signature sigs[SKIT_WEBHOOK_MAX_SIGNATURES];
    size_t n_sigs;
    if ((rc = skit_webhook_parse_signature_header(sig_header, sig_len, sigs, &n_sigs)) != SCALEKIT_OK)
        return rc;
    if (n_sigs == 0)
        return skit_error_set(SCALEKIT_EWEBHOOK_SIGNATURE, "signature header holds no v1 signature");

    unsigned char mac[HMAC_SHA256_LEN];
    if ((rc = compute_mac(ctx, key, key_len, id, id_len, timestamp, payload, payload_len, mac)) != SCALEKIT_OK)
        return rc;
    char expected[MAC_B64_LEN + 1];
    size_t expected_len = skit_base64_encode(mac, sizeof mac, expected);

    /* Every entry is compared, in constant time each: which one matched leaks nothing. */
    bool matched = false;
    for (size_t i = 0; i < n_sigs; i++) {
        if (sigs[i].len == expected_len && CRYPTO_memcmp(sigs[i].b64, expected, expected_len) == 0)
            matched = true;
    }
    if (!matched)
        return skit_error_set(SCALEKIT_EWEBHOOK_SIGNATURE,
                              "none of the %zu v1 signatures matches the payload", n_sigs);
    return SCALEKIT_OK;
}

static int verify(const char *secret, const scalekit_header *headers, size_t n_headers,
                  const char *payload, size_t payload_len, const header_names *names)
{
    if (headers == NULL && n_headers > 0)
        return skit_error_set(SCALEKIT_EINVAL, "headers must not be NULL when n_headers is %zu",
                              n_headers);
    if (payload == NULL && payload_len > 0)
        return skit_error_set(SCALEKIT_EINVAL, "payload must not be NULL when payload_len is %zu",
                              payload_len);
    hmac_key key;
    int rc = hmac_key_acquire(secret, &key);
    if (rc == SCALEKIT_OK)
        rc = check_signed_headers(key.tm->ctx, key.bytes, key.len, headers, n_headers, payload,
                                  payload_len, names);
    hmac_key_release(&key);
    if (rc == SCALEKIT_OK)
        skit_error_reset();
    return rc;
}

int scalekit_verify_webhook_payload(scalekit_client *client, const char *secret,
                                    const scalekit_header *headers, size_t n_headers,
                                    const char *payload, size_t payload_len)
{
    (void)client;   /* no network, nothing cached: the client may be NULL */
    return verify(secret, headers, n_headers, payload, payload_len, &webhook_names);
}

int scalekit_verify_interceptor_payload(scalekit_client *client, const char *secret,
                                        const scalekit_header *headers, size_t n_headers,
                                        const char *payload, size_t payload_len)
{
    (void)client;
    return verify(secret, headers, n_headers, payload, payload_len, &interceptor_names);
}

int scalekit_sign_webhook_payload(const char *secret, const char *id, int64_t timestamp,
                                  const char *payload, size_t payload_len, char **signature_out)
{
    if (signature_out == NULL)
        return skit_error_set(SCALEKIT_EINVAL, "signature_out must not be NULL");
    *signature_out = NULL;
    if (id == NULL || id[0] == '\0')
        return skit_error_set(SCALEKIT_EINVAL, "id must not be empty");
    if (payload == NULL && payload_len > 0)
        return skit_error_set(SCALEKIT_EINVAL, "payload must not be NULL when payload_len is %zu",
                              payload_len);
    hmac_key key;
    unsigned char mac[HMAC_SHA256_LEN];
    int rc = hmac_key_acquire(secret, &key);
    if (rc == SCALEKIT_OK)
        rc = compute_mac(key.tm->ctx, key.bytes, key.len, id, strlen(id), timestamp, payload,
                         payload_len, mac);
    hmac_key_release(&key);
    if (rc != SCALEKIT_OK)
        return rc;

    char *out = malloc(3 + MAC_B64_LEN + 1);
    if (out == NULL)
        return skit_error_oom();
    memcpy(out, "v1,", 3);
    size_t n = skit_base64_encode(mac, sizeof mac, out + 3);
    out[3 + n] = '\0';
    *signature_out = out;
    skit_error_reset();
    return SCALEKIT_OK;
}
