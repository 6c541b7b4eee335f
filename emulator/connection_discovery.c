/*
 * An OIDC connection configured by its discovery endpoint (configuration_type
 * DISCOVERY): the emulator reads the identity provider's discovery document
 * (OpenID Connect Discovery 1.0, section 4) when the endpoint is set, and fills
 * the endpoints the body did not give, as the API does, so the login flow reads
 * plain authorize_uri, token_uri, jwks_uri. The read happens before the write's
 * transaction: no store lock is held across the network.
 */
#include "connection.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>

#define DISCOVERY_TIMEOUT_MS 5000
#define DISCOVERY_MAX_BYTES (256 * 1024)
#define WELL_KNOWN "/.well-known/openid-configuration"

typedef struct sink {
    skit_buf body;
    bool too_large;
} sink;

static size_t collect(char *data, size_t size, size_t n, void *arg)
{
    sink *s = arg;
    if (s->body.len + size * n > DISCOVERY_MAX_BYTES) {
        s->too_large = true;
        return 0;
    }
    return skit_buf_put(&s->body, data, size * n) == SCALEKIT_OK ? size * n : 0;
}

/* GET @p url: its JSON object (new reference), or NULL with @p why set. */
static json_t *fetch(const char *url, char *why, size_t why_len)
{
    CURL *curl = curl_easy_init();
    sink s = {SKIT_BUF_INIT, false};
    long status = 0;
    if (!curl) {
        snprintf(why, why_len, "could not be read: out of memory");
        return NULL;
    }
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)DISCOVERY_TIMEOUT_MS);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &s);
    CURLcode code = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    json_t *doc = NULL;
    if (s.too_large)
        snprintf(why, why_len, "could not be read: the document is larger than %d bytes", DISCOVERY_MAX_BYTES);
    else if (code != CURLE_OK)
        snprintf(why, why_len, "could not be read: %s", curl_easy_strerror(code));
    else if (status != 200)
        snprintf(why, why_len, "could not be read: HTTP %ld", status);
    else if (!(doc = s.body.ptr ? json_loads(s.body.ptr, 0, NULL) : NULL) || !json_is_object(doc))
        snprintf(why, why_len, "is not a discovery document: not a JSON object");
    skit_buf_free(&s.body);
    if (doc && !json_is_object(doc)) {
        json_decref(doc);
        doc = NULL;
    }
    return doc;
}

/* The issuer the endpoint @p url was derived from ("https://idp/.well-known/openid-configuration"
 * -> "https://idp"), into @p out; false when @p url is not of that form. */
static bool issuer_prefix(const char *url, char *out, size_t n)
{
    size_t len = strlen(url), tail = strlen(WELL_KNOWN);
    if (len <= tail || strcmp(url + len - tail, WELL_KNOWN) != 0 || len - tail >= n)
        return false;
    memcpy(out, url, len - tail);
    out[len - tail] = '\0';
    return true;
}

int emu_oidc_discover(json_t *config, char *why, size_t why_len)
{
    static const struct { const char *member, *metadata; } endpoints[] = {
        {"issuer", "issuer"}, {"authorize_uri", "authorization_endpoint"}, {"token_uri", "token_endpoint"},
        {"jwks_uri", "jwks_uri"}, {"user_info_uri", "userinfo_endpoint"},
    };
    const char *url = skit_json_string(config, "discovery_endpoint");
    json_t *doc = url ? fetch(url, why, why_len) : NULL;
    if (!doc)
        return url ? 1 : 0;
    /* Section 4.3: the issuer of a document fetched under an issuer's well-known path is that issuer. */
    const char *issuer = skit_json_string(doc, "issuer");
    char prefix[2048];
    int rc = 0;
    if (!issuer || !skit_json_string(doc, "authorization_endpoint") || !skit_json_string(doc, "token_endpoint") ||
        !skit_json_string(doc, "jwks_uri")) {
        snprintf(why, why_len, "is not a discovery document: issuer, authorization_endpoint, token_endpoint "
                               "and jwks_uri are required");
        rc = 1;
    } else if (issuer_prefix(url, prefix, sizeof prefix) && strcmp(prefix, issuer) != 0) {
        snprintf(why, why_len, "names issuer %.200s, not the %.200s it was read under", issuer, prefix);
        rc = 1;
    }
    for (size_t i = 0; rc == 0 && i < sizeof endpoints / sizeof *endpoints; i++) {
        const char *value = skit_json_string(doc, endpoints[i].metadata);
        if (value && !json_object_get(config, endpoints[i].member))
            json_object_set_new(config, endpoints[i].member, json_string(value));
    }
    json_decref(doc);
    return rc;
}
