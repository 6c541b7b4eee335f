/**
 * @file scalekit/webauthn.h
 * Passkeys (WebAuthn): the credentials users registered, and, for apps that
 * run their own passkey UI, the begin and finish of both ceremonies.
 *
 * Routes: GET /api/v1/webauthn/credentials, PATCH|DELETE
 * /api/v1/webauthn/credentials/{credential_id}; POST
 * /api/v1/webauthn/registration:begin|finish and authentication:begin|finish.
 *
 * A credential is addressed by its id ("cred_..."); credential_id is the
 * authenticator's own credential id (standard base64). The ceremonies exchange
 * WebAuthn's JSON as text: the begin calls hand out the options for
 * navigator.credentials.create() / get() (PublicKeyCredentialCreationOptionsJSON
 * / RequestOptionsJSON), the finish calls take the browser's
 * PublicKeyCredential.toJSON() and send it as the proto's FinishRegistrationRequest
 * / FinishAuthenticationRequest (credential_id, client_data_json, ...). The server
 * verifies everything (clientDataJSON, challenge, origin, RP ID, flags,
 * attestation, signature, counter).
 *
 * Conventions (checks, errors, options): common.h.
 */
#ifndef SCALEKIT_WEBAUTHN_H
#define SCALEKIT_WEBAUTHN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "export.h"
#include "client.h"
#include "common.h"
#include "user.h"

SCALEKIT_BEGIN_DECLS

/** The authenticator model of a credential. Strings are NULL when absent. */
typedef struct scalekit_webauthn_authenticator {
    const char *aaguid;              /**< "01234567-89ab-..." */
    const char *attachment;          /**< "platform" or "cross-platform" */
    const char *icon_dark;           /**< icon URL for dark themes */
    const char *icon_light;          /**< icon URL for light themes */
    const char *name;                /**< "Apple Touch ID" */
} scalekit_webauthn_authenticator;

/** The authenticator data flags of a credential. */
typedef struct scalekit_webauthn_authenticator_flags {
    bool backup_eligible;            /**< the credential may be synced (BE) */
    bool backup_state;               /**< it is synced (BS) */
    bool user_present;               /**< the user was present (UP) */
    bool user_verified;              /**< the user was verified (UV) */
} scalekit_webauthn_authenticator_flags;

/** Where a credential was registered from. */
typedef struct scalekit_webauthn_client_info {
    const char *city;
    const char *ip;
    const char *region;              /**< "US" */
    const char *region_subdivision;  /**< "CA" */
} scalekit_webauthn_client_info;

/** The browser and device a credential was registered with. */
typedef struct scalekit_webauthn_user_agent {
    const char *browser;             /**< "Chrome" */
    const char *browser_version;
    const char *device_model;
    const char *device_type;         /**< "desktop", "mobile", "tablet" */
    const char *os;                  /**< "macOS" */
    const char *os_version;
    const char *raw;                 /**< the User-Agent header */
    const char *url;
} scalekit_webauthn_user_agent;

/** A registered passkey. Pointers are NULL when the server sent no such member. */
typedef struct scalekit_webauthn_credential {
    const char *id;                  /**< "cred_..." */
    const char *credential_id;       /**< the authenticator's credential id, standard base64 */
    const char *user_id;
    const char *display_name;        /**< the user's name for it */
    const char *attestation_type;    /**< "none", "self", ... */
    const scalekit_webauthn_authenticator *authenticator;
    const scalekit_webauthn_authenticator_flags *authenticator_flags;
    const char *const *transports;   /**< NULL-terminated: "internal", "usb", "hybrid", ... */
    const scalekit_webauthn_user_agent *user_agent;
    const scalekit_webauthn_client_info *client_info;
    int64_t created_at;              /**< Unix seconds; 0 when absent */
    int64_t updated_at;              /**< Unix seconds; 0 when absent */
    /** A result: the whole response body; an item of a list: that item's JSON. */
    const char *raw_json;
} scalekit_webauthn_credential;

/** What a client needs for PublicKeyCredential.signalAllAcceptedCredentials(). */
typedef struct scalekit_webauthn_all_accepted_credentials_options {
    const char *rp_id;
    const char *user_id;
    const char *const *all_accepted_credential_ids;   /**< NULL-terminated, base64url */
} scalekit_webauthn_all_accepted_credentials_options;

/** A user's passkeys (ListCredentials). */
typedef struct scalekit_webauthn_credential_list {
    const scalekit_webauthn_credential *const *credentials;   /**< count pointers */
    size_t count;
    const scalekit_webauthn_all_accepted_credentials_options *all_accepted_credentials_options;
    const char *raw_json;            /**< the response body */
} scalekit_webauthn_credential_list;

/** What a client needs for PublicKeyCredential.signalUnknownCredential(). */
typedef struct scalekit_webauthn_unknown_credential_options {
    const char *credential_id;       /**< the deleted credential's id, base64url */
    const char *rp_id;
} scalekit_webauthn_unknown_credential_options;

/** The answer of DeleteCredential. */
typedef struct scalekit_webauthn_delete_credential_response {
    bool success;
    const scalekit_webauthn_unknown_credential_options *unknown_credential_options;
    const char *raw_json;            /**< the response body */
} scalekit_webauthn_delete_credential_response;

/** The options a begin call hands out for the browser. */
typedef struct scalekit_webauthn_options {
    /** The WebAuthn options as JSON text: pass it to PublicKeyCredential.parseCreationOptionsFromJSON()
     *  or parseRequestOptionsFromJSON() in the browser. */
    const char *options_json;
    /** authentication: the ceremony's session, for scalekit_webauthn_finish_authentication(); NULL otherwise */
    const char *session_id;
    const char *raw_json;            /**< the response body */
} scalekit_webauthn_options;

/** The answer of a finished registration. */
typedef struct scalekit_webauthn_registration {
    bool success;
    /** the stored credential; NULL when the server sends only success (the API's own answer) */
    const scalekit_webauthn_credential *credential;
    const char *raw_json;            /**< the response body */
} scalekit_webauthn_registration;

/** The answer of a finished authentication: who signed in, with which passkey. */
typedef struct scalekit_webauthn_authentication {
    bool success;
    const char *user_id;
    const char *session_token;       /**< NULL when the server issues none */
    const scalekit_webauthn_credential *credential;   /**< after the use; NULL when not sent */
    const scalekit_user *user;       /**< NULL when not sent */
    const char *raw_json;            /**< the response body */
} scalekit_webauthn_authentication;

/** Optional fields of the begin calls. */
typedef struct scalekit_webauthn_begin_options {
    size_t struct_size;              /**< set by the _INIT macro; see common.h */
    /** "required", "preferred" or "discouraged"; NULL or "": the server's default (preferred) */
    const char *user_verification;
    /** registration only: the new credential's display name; NULL or "": none */
    const char *display_name;
    /** authentication only: the user by email (the proto's way to name them); NULL or "": none */
    const char *email;               /**< [newest] */
} scalekit_webauthn_begin_options;
#define SCALEKIT_WEBAUTHN_BEGIN_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_webauthn_begin_options)

/**
 * List a user's passkeys, oldest first.
 *
 * @param client  the client
 * @param user_id the user ("usr_..."); NULL or "": the current user (an API client
 *                has none: the server answers 400)
 * @param out     receives the list; free with scalekit_webauthn_credential_list_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (out NULL, user_id not UTF-8);
 *         SCALEKIT_ENOTFOUND (no such user); SCALEKIT_EINVALID_REQUEST (no user named)
 */
SCALEKIT_API int scalekit_webauthn_list_credentials(scalekit_client *client, const char *user_id,
        scalekit_webauthn_credential_list **out);

/**
 * Rename a passkey.
 *
 * @param client        the client
 * @param credential_id the credential's id ("cred_..."); must not be empty
 * @param display_name  the new name (1 to 120 characters, the server checks); must not be NULL
 * @param out           receives the credential; free with scalekit_webauthn_credential_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND (no such credential);
 *         SCALEKIT_EINVALID_REQUEST (a bad display name)
 */
SCALEKIT_API int scalekit_webauthn_update_credential(scalekit_client *client, const char *credential_id,
        const char *display_name, scalekit_webauthn_credential **out);

/**
 * Delete a passkey: it can no longer sign in.
 *
 * @param client        the client
 * @param credential_id the credential's id ("cred_..."); must not be empty
 * @param out           receives the answer; free with scalekit_webauthn_delete_credential_response_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND (no such credential)
 */
SCALEKIT_API int scalekit_webauthn_delete_credential(scalekit_client *client, const char *credential_id,
        scalekit_webauthn_delete_credential_response **out);

/**
 * Begin registering a passkey for a user: the options for navigator.credentials.create().
 *
 * @param client  the client
 * @param user_id the user ("usr_..."); must not be empty
 * @param opts    user verification, display name (SCALEKIT_WEBAUTHN_BEGIN_OPTIONS_INIT); NULL: defaults
 * @param out     receives the options; free with scalekit_webauthn_options_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND (no such user);
 *         SCALEKIT_EINVALID_REQUEST (a bad option)
 */
SCALEKIT_API int scalekit_webauthn_begin_registration(scalekit_client *client, const char *user_id,
        const scalekit_webauthn_begin_options *opts, scalekit_webauthn_options **out);

/**
 * Finish a registration with the browser's answer.
 *
 * @param client          the client
 * @param credential_json PublicKeyCredential.toJSON() of the new credential: a JSON object
 *                        with rawId and response.clientDataJSON, response.attestationObject
 * @param display_name    the credential's name; NULL: the begin's, if any
 * @param out             receives the answer; free with scalekit_webauthn_registration_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (not such JSON, ...); SCALEKIT_EINVALID_REQUEST (the
 *         response does not verify: the message says which check failed);
 *         SCALEKIT_EEXISTS (the credential is registered already)
 */
SCALEKIT_API int scalekit_webauthn_finish_registration(scalekit_client *client, const char *credential_json,
        const char *display_name, scalekit_webauthn_registration **out);

/**
 * Begin a sign-in with a passkey: the options for navigator.credentials.get().
 *
 * @param client  the client
 * @param user_id the user whose passkeys may answer; NULL or "": any discoverable passkey
 *                (or the user of opts->email)
 * @param opts    user verification, email (SCALEKIT_WEBAUTHN_BEGIN_OPTIONS_INIT); NULL: defaults
 * @param out     receives the options; free with scalekit_webauthn_options_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND (no such user, or none with that email)
 */
SCALEKIT_API int scalekit_webauthn_begin_authentication(scalekit_client *client, const char *user_id,
        const scalekit_webauthn_begin_options *opts, scalekit_webauthn_options **out);

/**
 * Finish a sign-in with the browser's answer.
 *
 * @param client          the client
 * @param session_id      the begin's session_id; NULL: none sent
 * @param credential_json PublicKeyCredential.toJSON() of the assertion: a JSON object with
 *                        rawId and response.clientDataJSON, authenticatorData, signature
 * @param out             receives who signed in; free with scalekit_webauthn_authentication_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_EINVALID_REQUEST (the assertion does not
 *         verify, or its counter went back); SCALEKIT_ENOTFOUND (the credential is not registered)
 */
SCALEKIT_API int scalekit_webauthn_finish_authentication(scalekit_client *client, const char *session_id,
        const char *credential_json, scalekit_webauthn_authentication **out);

/** Free a credential. Safe on NULL. */
SCALEKIT_API void scalekit_webauthn_credential_free(scalekit_webauthn_credential *credential);
/** Free a list of credentials. Safe on NULL. */
SCALEKIT_API void scalekit_webauthn_credential_list_free(scalekit_webauthn_credential_list *list);
/** Free a delete answer. Safe on NULL. */
SCALEKIT_API void scalekit_webauthn_delete_credential_response_free(
        scalekit_webauthn_delete_credential_response *response);
/** Free ceremony options. Safe on NULL. */
SCALEKIT_API void scalekit_webauthn_options_free(scalekit_webauthn_options *options);
/** Free a registration answer. Safe on NULL. */
SCALEKIT_API void scalekit_webauthn_registration_free(scalekit_webauthn_registration *registration);
/** Free an authentication answer. Safe on NULL. */
SCALEKIT_API void scalekit_webauthn_authentication_free(scalekit_webauthn_authentication *authentication);

SCALEKIT_END_DECLS

#endif
