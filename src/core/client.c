/* The core part of a client: validated environment URL, credentials, resolved options.
 * The client itself is put together in src/client/client.c. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <openssl/crypto.h>

#include "client_internal.h"
#include "growable.h"

#define DEFAULT_TIMEOUT_MS 10000L
#define DEFAULT_CONNECT_TIMEOUT_MS 5000L
#define DEFAULT_MAX_RETRIES 2
#define DEFAULT_JWKS_TTL_SECONDS 3600L
#define DEFAULT_JWKS_MIN_REFETCH_MS 30000L
#define DEFAULT_RETRY_BASE_DELAY_MS 200L
#define DEFAULT_RETRY_MAX_DELAY_MS 10000L
#define DEFAULT_TOKEN_REFRESH_MARGIN_S 60L
#define DEFAULT_MAX_TOKEN_BYTES 16384
#define DEFAULT_VERIFIED_TOKEN_CACHE 1024L

/* The port of an authority ("host", "host:443", "[::1]:8080"), when it has one,
 * must be 1 to 65535 in decimal; a bad one would only fail at the first request. */
static int check_port(const char *authority, size_t len)
{
    const char *end = authority + len;
    const char *colon;
    if (authority[0] == '[') {
        const char *bracket = memchr(authority, ']', len);
        if (!bracket)
            return SCALEKIT_EINVAL;
        if (bracket + 1 == end)
            return SCALEKIT_OK;
        if (bracket[1] != ':')
            return SCALEKIT_EINVAL;
        colon = bracket + 1;
    } else {
        colon = memchr(authority, ':', len);
        if (!colon)
            return SCALEKIT_OK;
    }
    long port = 0;
    const char *p = colon + 1;
    if (p == end || end - p > 5)
        return SCALEKIT_EINVAL;
    for (; p < end; p++) {
        if (*p < '0' || *p > '9')
            return SCALEKIT_EINVAL;
        port = port * 10 + (*p - '0');
    }
    return port >= 1 && port <= 65535 ? SCALEKIT_OK : SCALEKIT_EINVAL;
}

/* Check and normalise an environment URL: http(s), a host, no query, fragment,
 * credentials or whitespace; trailing slashes dropped. *out is malloc'd. */
static int normalise_env_url(const char *url, char **out)
{
    if (!url || !*url)
        return skit_error_set(SCALEKIT_EINVAL, "env_url must not be empty");
    size_t scheme_len;
    if (skit_ascii_iequal_n(url, "https://", 8))
        scheme_len = 8;
    else if (skit_ascii_iequal_n(url, "http://", 7))
        scheme_len = 7;
    else
        return skit_error_set(SCALEKIT_EINVAL, "env_url \"%s\" must start with http:// or https://",
                              url);
    for (const char *p = url; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= 0x20 || c == 0x7f)
            return skit_error_set(SCALEKIT_EINVAL,
                                  "env_url \"%s\" contains whitespace or a control character", url);
        if (c >= 0x80)
            return skit_error_set(SCALEKIT_EINVAL,
                                  "env_url \"%s\" must be ASCII (write an IDN host in its xn-- form)",
                                  url);
        if (c == '?' || c == '#')
            return skit_error_set(SCALEKIT_EINVAL,
                                  "env_url \"%s\" must not have a query or fragment", url);
    }
    const char *host = url + scheme_len;
    size_t authority_len = strcspn(host, "/");
    if (memchr(host, '@', authority_len))
        return skit_error_set(SCALEKIT_EINVAL, "env_url \"%s\" must not contain credentials", url);
    if (authority_len == 0 || host[0] == ':')
        return skit_error_set(SCALEKIT_EINVAL, "env_url \"%s\" has no host", url);
    if (check_port(host, authority_len) != SCALEKIT_OK)
        return skit_error_set(SCALEKIT_EINVAL, "env_url \"%s\" has a port that is not 1 to 65535",
                              url);
    size_t len = strlen(url);
    while (len > scheme_len + authority_len && url[len - 1] == '/')
        len--;
    char *copy = malloc(len + 1);
    if (!copy)
        return skit_error_oom();
    memcpy(copy, url, len);
    copy[len] = '\0';
    /* Schemes and hosts are case-insensitive; lower-case the scheme for curl. */
    for (size_t i = 0; i < scheme_len - 3; i++)
        copy[i] = (char)tolower((unsigned char)copy[i]);
    *out = copy;
    return SCALEKIT_OK;
}

static int resolve_options(const scalekit_client_options *in, scalekit_client_options *o)
{
    int rc = SKIT_STRUCT_COPY(o, in, scalekit_client_options, SCALEKIT_CLIENT_OPTIONS_INIT);
    if (rc != SCALEKIT_OK)
        return rc;
    if (o->timeout_ms < 0)
        return skit_error_set(SCALEKIT_EINVAL, "timeout_ms must not be negative (%ld)",
                              o->timeout_ms);
    if (o->connect_timeout_ms < 0)
        return skit_error_set(SCALEKIT_EINVAL, "connect_timeout_ms must not be negative (%ld)",
                              o->connect_timeout_ms);
    if (o->max_retries < -1)
        return skit_error_set(SCALEKIT_EINVAL, "max_retries must be -1 or more (%d)",
                              o->max_retries);
    if (o->jwks_ttl_seconds < 0 || o->jwks_min_refetch_interval_ms < 0 ||
        o->retry_base_delay_ms < 0 || o->retry_max_delay_ms < 0 ||
        o->api_token_refresh_margin_seconds < 0)
        return skit_error_set(SCALEKIT_EINVAL, "client option durations must not be negative");
    if (o->verified_token_cache_entries < -1)
        return skit_error_set(SCALEKIT_EINVAL,
                              "verified_token_cache_entries must be -1 or more (%ld)",
                              o->verified_token_cache_entries);
    /* The suffix goes into the User-Agent header verbatim: CR/LF would inject headers. */
    for (const char *p = o->user_agent_suffix; p && *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch < 0x20 || ch == 0x7f)
            return skit_error_set(SCALEKIT_EINVAL,
                                  "user_agent_suffix must not contain control characters "
                                  "(0x%02x at offset %td)", ch, p - o->user_agent_suffix);
    }
    if (o->ca_bundle_path && *o->ca_bundle_path && access(o->ca_bundle_path, R_OK) != 0)
        return skit_error_set(SCALEKIT_EINVAL, "ca_bundle_path \"%s\" cannot be read",
                              o->ca_bundle_path);
    if (!o->timeout_ms)
        o->timeout_ms = DEFAULT_TIMEOUT_MS;
    if (!o->connect_timeout_ms)
        o->connect_timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS;
    if (!o->max_retries)
        o->max_retries = DEFAULT_MAX_RETRIES;
    if (!o->jwks_ttl_seconds)
        o->jwks_ttl_seconds = DEFAULT_JWKS_TTL_SECONDS;
    if (!o->jwks_min_refetch_interval_ms)
        o->jwks_min_refetch_interval_ms = DEFAULT_JWKS_MIN_REFETCH_MS;
    if (!o->retry_base_delay_ms)
        o->retry_base_delay_ms = DEFAULT_RETRY_BASE_DELAY_MS;
    if (!o->retry_max_delay_ms)
        o->retry_max_delay_ms = DEFAULT_RETRY_MAX_DELAY_MS;
    if (!o->api_token_refresh_margin_seconds)
        o->api_token_refresh_margin_seconds = DEFAULT_TOKEN_REFRESH_MARGIN_S;
    if (!o->max_token_bytes)
        o->max_token_bytes = DEFAULT_MAX_TOKEN_BYTES;
    if (!o->verified_token_cache_entries)
        o->verified_token_cache_entries = DEFAULT_VERIFIED_TOKEN_CACHE;
    return SCALEKIT_OK;
}

/* "Scalekit-C/<version> (<os>; <arch>)[ suffix]"; *prefix_len is the length before the suffix. */
static char *build_user_agent(const char *suffix, size_t *prefix_len)
{
    struct utsname u;
    const char *os = "unknown", *arch = "unknown";
    if (uname(&u) == 0) {
        os = u.sysname;
        arch = u.machine;
    }
    skit_buf b = SKIT_BUF_INIT;
    if (skit_buf_printf(&b, "Scalekit-C/%s (%s; %s)", SCALEKIT_VERSION, os, arch)) {
        skit_buf_free(&b);
        return NULL;
    }
    *prefix_len = b.len;
    if (suffix && *suffix && (skit_buf_puts(&b, " ") || skit_buf_puts(&b, suffix))) {
        skit_buf_free(&b);
        return NULL;
    }
    return skit_buf_detach(&b);
}

int skit_core_init(skit_core *core, const char *env_url, const char *client_id,
                   const char *client_secret, const scalekit_client_options *opts)
{
    pthread_mutex_init(&core->token_mu, NULL);
    pthread_cond_init(&core->token_cv, NULL);
    if (!client_id || !*client_id)
        return skit_error_set(SCALEKIT_EINVAL, "client_id must not be empty");
    if (!client_secret || !*client_secret)
        return skit_error_set(SCALEKIT_EINVAL, "client_secret must not be empty");
    scalekit_client_options resolved;
    int rc = resolve_options(opts, &resolved);
    if (rc)
        return rc;
    rc = normalise_env_url(env_url, &core->env_url);
    if (rc)
        return rc;
    core->opts = resolved;
    size_t prefix_len = 0;
    core->client_id = strdup(client_id);
    core->client_secret = strdup(client_secret);
    core->user_agent = build_user_agent(resolved.user_agent_suffix, &prefix_len);
    if (resolved.ca_bundle_path && *resolved.ca_bundle_path)
        core->ca_bundle_path = strdup(resolved.ca_bundle_path);
    if (!core->client_id || !core->client_secret || !core->user_agent ||
        (resolved.ca_bundle_path && *resolved.ca_bundle_path && !core->ca_bundle_path))
        return skit_error_oom();
    /* The options keep no pointer to the caller's strings. */
    core->opts.ca_bundle_path = core->ca_bundle_path;
    core->opts.user_agent_suffix =
        core->user_agent[prefix_len] ? core->user_agent + prefix_len + 1 : NULL;
    return skit_http_core_init(core);
}

void skit_core_cleanup(skit_core *core)
{
    skit_http_core_cleanup(core);
    skit_api_token_cleanup(core);
    pthread_cond_destroy(&core->token_cv);
    pthread_mutex_destroy(&core->token_mu);
    free(core->env_url);
    free(core->client_id);
    if (core->client_secret) {
        OPENSSL_cleanse(core->client_secret, strlen(core->client_secret));
        free(core->client_secret);
    }
    free(core->ca_bundle_path);
    free(core->user_agent);
}

const char *scalekit_client_env_url(const scalekit_client *client)
{
    return client ? skit_core_of(client)->env_url : NULL;
}

void scalekit_free(void *p)
{
    free(p);
}

const char *scalekit_version(void)
{
    return SCALEKIT_VERSION;
}
