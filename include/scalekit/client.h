/**
 * @file scalekit/client.h
 * The client: one per Scalekit environment, shared by any number of threads.
 */
#ifndef SCALEKIT_CLIENT_H
#define SCALEKIT_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include "export.h"
#include "error.h"
#include "version.h"

SCALEKIT_BEGIN_DECLS

/** An opaque client. Thread-safe: create once, share, free once. */
typedef struct scalekit_client scalekit_client;

/** A name/value pair: an HTTP header, or one entry of a string map. */
typedef struct scalekit_header {
    const char *name;
    const char *value;
} scalekit_header;

/**
 * Options of a client. Initialise with SCALEKIT_CLIENT_OPTIONS_INIT, then set
 * what you need; every member left zero takes its default (NULL options: all
 * defaults). New members are only ever added at the end (see docs/abi.md).
 *
 *     scalekit_client_options opts = SCALEKIT_CLIENT_OPTIONS_INIT;
 *     opts.timeout_ms = 3000;
 */
typedef struct scalekit_client_options {
    /** sizeof the struct the caller was compiled with; set by the _INIT macro.
     *  0 is SCALEKIT_EINVAL. Lets a newer library read an older caller's struct. */
    size_t struct_size;
    long timeout_ms;                  /**< total time of one HTTP attempt (10000) */
    long connect_timeout_ms;          /**< TCP + TLS connect time (5000) */
    int max_retries;                  /**< retries after the first attempt (2); -1 disables */
    const char *ca_bundle_path;       /**< PEM CA bundle instead of the system's; NULL = system */
    const char *user_agent_suffix;    /**< appended to the User-Agent, e.g. "myapp/1.2"; printable */
    long jwks_ttl_seconds;            /**< how long a fetched JWKS is trusted (3600) */
    long jwks_min_refetch_interval_ms;/**< unknown kid refetches at most this often (30000) */
    long retry_base_delay_ms;         /**< first backoff step (200); doubles, full jitter */
    long retry_max_delay_ms;          /**< cap of one backoff sleep and of Retry-After (10000) */
    long api_token_refresh_margin_seconds; /**< renew the API token this long before exp (60) */
    size_t max_token_bytes;           /**< longer JWTs are refused unparsed (16384) */
    long verified_token_cache_entries;/**< verified-token cache size (1024); -1 disables [newest] */
} scalekit_client_options;

/** The initialiser of scalekit_client_options: every default. */
#define SCALEKIT_CLIENT_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_client_options)

/**
 * Create a client with the default options.
 *
 * @param out           receives the client; free with scalekit_client_free()
 * @param env_url       the environment URL: http:// or https://, ASCII, a host, an optional
 *                      port (1 to 65535) and path, no query, fragment or credentials;
 *                      trailing slashes are dropped
 * @param client_id     the API client id (must not be empty)
 * @param client_secret the API client secret (must not be empty)
 * @return SCALEKIT_OK, SCALEKIT_EINVAL (bad URL or empty credential), SCALEKIT_ENOMEM
 */
SCALEKIT_API int scalekit_client_new(scalekit_client **out, const char *env_url,
                                     const char *client_id, const char *client_secret);

/**
 * Create a client with options; see scalekit_client_new(). @p opts may be NULL.
 * Options are copied; the caller keeps ownership of @p opts and its strings.
 * @return as scalekit_client_new(), and SCALEKIT_EINVAL for a struct_size of 0 (not
 *         initialised with SCALEKIT_CLIENT_OPTIONS_INIT), a negative timeout, a
 *         user_agent_suffix with a control character or a CA bundle path that cannot be read.
 */
SCALEKIT_API int scalekit_client_new_with_options(scalekit_client **out, const char *env_url,
                                                  const char *client_id, const char *client_secret,
                                                  const scalekit_client_options *opts);

/** Free a client and everything it caches. Safe on NULL. No call may be in flight. */
SCALEKIT_API void scalekit_client_free(scalekit_client *client);

/** The environment URL of a client, normalised (no trailing slash). */
SCALEKIT_API const char *scalekit_client_env_url(const scalekit_client *client);

/** Free a string or buffer the library handed out alone (URLs). Safe on NULL. */
SCALEKIT_API void scalekit_free(void *p);

/** The library's version, e.g. "0.1.0" (the same as SCALEKIT_VERSION at build time). */
SCALEKIT_API const char *scalekit_version(void);

SCALEKIT_END_DECLS

#endif
