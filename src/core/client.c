/* The core part of a client: validated environment URL, credentials, resolved options.
 * The client itself is put together in src/client/client.c. */
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
    rc = skit_url_normalise_base("env_url", env_url, &core->env_url);
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
