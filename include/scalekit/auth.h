/**
 * @file scalekit/auth.h
 * OAuth 2.0 / OpenID Connect helpers: authorization and logout URLs, PKCE,
 * the code exchange, refresh, and the client-credentials grant.
 */
#ifndef SCALEKIT_AUTH_H
#define SCALEKIT_AUTH_H

#include <stdbool.h>
#include <stdint.h>
#include "client.h"

SCALEKIT_BEGIN_DECLS

/** Options of scalekit_get_authorization_url(); NULL or "" strings are left out. */
typedef struct scalekit_authorization_url_options {
    /** sizeof the caller's struct; set by the _INIT macro (0 is SCALEKIT_EINVAL). */
    size_t struct_size;
    const char *const *scopes;   /**< NULL-terminated; NULL (or an empty list) means
                                      openid profile email; each entry is one scope:
                                      an empty one or one holding a space is EINVAL */
    const char *state;
    const char *nonce;
    const char *login_hint;
    const char *domain_hint;     /**< sent as domain_hint and as domain */
    const char *connection_id;
    const char *organization_id;
    const char *provider;        /**< social provider: google, github, microsoft ... */
    const char *code_challenge;
    const char *code_challenge_method; /**< "S256" or "plain" */
    const char *prompt;          /**< login, consent, create ... [newest] */
} scalekit_authorization_url_options;

/** The initialiser of scalekit_authorization_url_options: nothing set. */
#define SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_authorization_url_options)

/**
 * Build the URL of the hosted login page (GET /oauth/authorize). No network.
 *
 * @param client       the client (its env URL and client id are used)
 * @param redirect_uri where the user returns with code and state; must not be empty
 * @param opts         NULL or options
 * @param url_out      receives the URL; free with scalekit_free()
 * @return SCALEKIT_OK, SCALEKIT_EINVAL, SCALEKIT_ENOMEM
 */
SCALEKIT_API int scalekit_get_authorization_url(scalekit_client *client, const char *redirect_uri,
        const scalekit_authorization_url_options *opts, char **url_out);

/** Options of scalekit_get_logout_url(); NULL or "" strings are left out. */
typedef struct scalekit_logout_url_options {
    /** sizeof the caller's struct; set by the _INIT macro (0 is SCALEKIT_EINVAL). */
    size_t struct_size;
    const char *id_token_hint;
    const char *post_logout_redirect_uri;
    const char *state;
} scalekit_logout_url_options;

/** The initialiser of scalekit_logout_url_options: nothing set. */
#define SCALEKIT_LOGOUT_URL_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_logout_url_options)

/**
 * Build the URL that ends the user's Scalekit session (GET /oidc/logout). No network.
 * @param opts    NULL or options
 * @param url_out receives the URL; free with scalekit_free()
 * @return SCALEKIT_OK, SCALEKIT_EINVAL, SCALEKIT_ENOMEM
 */
SCALEKIT_API int scalekit_get_logout_url(scalekit_client *client,
        const scalekit_logout_url_options *opts, char **url_out);

/** A PKCE pair (RFC 7636): send the challenge, keep the verifier for the code exchange. */
typedef struct scalekit_pkce {
    char code_verifier[129];         /**< 43 characters of the unreserved alphabet, NUL-terminated */
    char code_challenge[64];         /**< base64url(SHA-256(verifier)), no padding */
    char code_challenge_method[8];   /**< "S256" */
} scalekit_pkce;

/**
 * Generate a PKCE verifier (32 random bytes, base64url) and its S256 challenge.
 * @return SCALEKIT_OK, SCALEKIT_EINVAL (NULL out), SCALEKIT_EINTERNAL (no randomness)
 */
SCALEKIT_API int scalekit_generate_pkce(scalekit_pkce *out);

/**
 * Compute the S256 challenge of a given verifier (RFC 7636 section 4.2).
 * @param verifier  43 to 128 characters of [A-Za-z0-9-._~]
 * @param challenge receives base64url(SHA-256(verifier)), NUL-terminated (caller's buffer)
 * @param size      the size of @p challenge: 44 bytes or more
 * @return SCALEKIT_OK, SCALEKIT_EINVAL (bad verifier, NULL or too small buffer)
 */
SCALEKIT_API int scalekit_pkce_challenge_s256(const char *verifier, char *challenge, size_t size);

/** Options of scalekit_authenticate_with_code(). */
typedef struct scalekit_authentication_options {
    /** sizeof the caller's struct; set by the _INIT macro (0 is SCALEKIT_EINVAL). */
    size_t struct_size;
    const char *code_verifier;   /**< the PKCE verifier, when a challenge was sent */
    /** The nonce sent in the authorization URL, when one was: the ID token's nonce
     *  claim must equal it (OIDC Core 3.1.3.7), else SCALEKIT_ETOKEN_CLAIM. */
    const char *nonce;
} scalekit_authentication_options;

/** The initialiser of scalekit_authentication_options: nothing set. */
#define SCALEKIT_AUTHENTICATION_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_authentication_options)

/** The user, from the ID token's claims. */
typedef struct scalekit_user_profile {
    const char *id;              /**< sub */
    const char *email;
    bool email_verified;
    const char *name;
    const char *given_name;
    const char *family_name;
    const char *locale;
    const char *picture;
    const char *phone_number;
    const char *const *identities_json; /**< NULL-terminated; each identity as JSON text */
    size_t identity_count;
} scalekit_user_profile;

/** What the code exchange gives. Free with scalekit_authentication_response_free(). */
typedef struct scalekit_authentication_response {
    /** The user; a pointer so the profile can gain members without moving the ones below. */
    const scalekit_user_profile *user;
    const char *id_token;
    const char *access_token;
    const char *refresh_token;   /**< NULL when the grant gave none */
    int64_t expires_in;          /**< seconds */
    const char *raw_json;        /**< the token endpoint's whole answer */
} scalekit_authentication_response;

/**
 * Exchange an authorization code for tokens (POST /oauth/token, authorization_code).
 * The returned ID token is validated (signature against the JWKS, issuer = env URL,
 * audience = client id, exp) before the user is filled from its claims.
 *
 * @param code         the code from the redirect; must not be empty
 * @param redirect_uri the same redirect URI as in the authorization URL
 * @param opts         NULL or options (code_verifier for PKCE)
 * @param out          receives the response; free with scalekit_authentication_response_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_EINVALID_REQUEST (invalid_grant: bad,
 *         used or expired code, PKCE mismatch; the OAuth error is in error_code);
 *         SCALEKIT_EUNAUTHENTICATED (invalid_client); SCALEKIT_EMALFORMED_RESPONSE
 *         (no access_token or id_token); SCALEKIT_ETOKEN_* (the ID token did not
 *         validate); network errors
 */
SCALEKIT_API int scalekit_authenticate_with_code(scalekit_client *client, const char *code,
        const char *redirect_uri, const scalekit_authentication_options *opts,
        scalekit_authentication_response **out);

/** Free an authentication response. Safe on NULL. */
SCALEKIT_API void scalekit_authentication_response_free(scalekit_authentication_response *r);

/** Tokens from the token endpoint. Free with scalekit_token_response_free(). */
typedef struct scalekit_token_response {
    const char *access_token;
    const char *id_token;        /**< NULL when absent */
    const char *refresh_token;   /**< NULL when absent */
    const char *token_type;
    const char *scope;           /**< NULL when absent */
    int64_t expires_in;
    const char *raw_json;
} scalekit_token_response;

/** Free a token response. Safe on NULL. */
SCALEKIT_API void scalekit_token_response_free(scalekit_token_response *r);

/**
 * Exchange a refresh token for new tokens (POST /oauth/token, refresh_token).
 * Refresh tokens rotate: keep the new one the answer gives.
 * @param refresh_token the refresh token; must not be empty
 * @param out           receives the tokens; free with scalekit_token_response_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_EINVALID_REQUEST (invalid_grant);
 *         SCALEKIT_EMALFORMED_RESPONSE (no access_token); network errors
 */
SCALEKIT_API int scalekit_refresh_access_token(scalekit_client *client, const char *refresh_token,
        scalekit_token_response **out);

/** Options of scalekit_generate_client_token(). NULL fields use the client's own. */
typedef struct scalekit_client_token_options {
    /** sizeof the caller's struct; set by the _INIT macro (0 is SCALEKIT_EINVAL). */
    size_t struct_size;
    const char *client_id;
    const char *client_secret;
    const char *const *scopes;   /**< NULL-terminated; sent space separated as scope;
                                      NULL sends none; an empty or spaced entry is EINVAL */
} scalekit_client_token_options;

/** The initialiser of scalekit_client_token_options: nothing set. */
#define SCALEKIT_CLIENT_TOKEN_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_client_token_options)

/**
 * Run the client-credentials grant (POST /oauth/token) and hand out the token.
 * Useful for machine-to-machine clients. The client's own API token is cached
 * separately and never handed out by this call.
 * @param opts NULL or options (another client's id/secret, scopes)
 * @param out  receives the tokens; free with scalekit_token_response_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_EUNAUTHENTICATED (invalid_client);
 *         SCALEKIT_EMALFORMED_RESPONSE (no access_token); network errors
 */
SCALEKIT_API int scalekit_generate_client_token(scalekit_client *client,
        const scalekit_client_token_options *opts, scalekit_token_response **out);

SCALEKIT_END_DECLS

#endif
