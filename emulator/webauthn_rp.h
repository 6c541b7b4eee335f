/*
 * The environment as a WebAuthn relying party (webauthn_rp.c): its RP ID and
 * origins, the begin and finish of both ceremonies on the stored challenges
 * and credentials, shared by the API routes (webauthn.c) and the hosted page
 * (webauthn_page.c).
 *
 * RP ID: the host of the environment URL (the public URL when one is set);
 * origin: that URL's "scheme://host[:port]". A challenge is 32 random bytes,
 * single use (the finish deletes it before verifying), valid for
 * EMU_WA_CHALLENGE_TTL seconds, and bound to the login request that began it
 * (or to none, for the API).
 */
#ifndef EMU_WEBAUTHN_RP_H
#define EMU_WEBAUTHN_RP_H

#include <jansson.h>

#include "http.h"
#include "webauthn.h"

#define EMU_WA_CHALLENGE_TTL 300     /* seconds; the options' timeout is the same */
#define EMU_WA_MAX_RELATED_ORIGINS 10

/* The origins a ceremony may come from: the environment's own, then the related
 * origins configured with PUT /_emulator/webauthn/related-origins (WebAuthn L3
 * 5.11.1). New JSON array of strings, NULL on failure. */
json_t *emu_wa_origins(emu *e);
/* Replace the related origins with @p origins (a JSON array of "scheme://host[:port]"
 * strings, at most EMU_WA_MAX_RELATED_ORIGINS). 0, or -1 with @p why. */
int emu_wa_set_related_origins(emu *e, const json_t *origins, emu_wa_why *why);

/* Why a finish failed: the HTTP status, the API's error code, the sentence. */
typedef struct emu_wa_failure {
    unsigned status;                 /* 400, 404, 409; 500 when the store failed */
    const char *code;                /* "INVALID_ARGUMENT", "NOT_FOUND", "ALREADY_EXISTS" */
    emu_wa_why why;
} emu_wa_failure;

/* Registration options (PublicKeyCredentialCreationOptionsJSON) for user row
 * @p user, its challenge stored. @p user_verification "required", "preferred"
 * (NULL) or "discouraged". New reference, NULL on failure. */
json_t *emu_wa_registration_options(emu *e, const json_t *user, const char *user_verification,
                                    const char *display_name, const char *login_request_id);
/* Authentication options (PublicKeyCredentialRequestOptionsJSON): allowCredentials
 * the credentials of @p user_id, or empty (any discoverable credential) when NULL. */
json_t *emu_wa_authentication_options(emu *e, const char *user_id, const char *user_verification,
                                      const char *login_request_id);

/* Finish a registration: @p credential is the RegistrationResponseJSON
 * (id, rawId, type, response{clientDataJSON, attestationObject, transports},
 * authenticatorAttachment). The stored row (new reference), or NULL with @p f. */
json_t *emu_wa_register(emu *e, emu_req *r, const json_t *credential, const char *display_name,
                        const char *login_request_id, emu_wa_failure *f);
/* Finish an authentication: @p credential is the AuthenticationResponseJSON
 * (id, rawId, type, response{clientDataJSON, authenticatorData, signature,
 * userHandle}). The credential's row after the use (new reference), or NULL with @p f. */
json_t *emu_wa_authenticate(emu *e, const json_t *credential, const char *login_request_id, emu_wa_failure *f);

/* The API shape of a credential row (webauthnWebAuthnCredential). New reference. */
json_t *emu_wa_credential_json(const json_t *row);
/* The RP ID of @p e into @p out (its length; 0 when it does not fit). */
size_t emu_wa_rp_id(emu *e, char *out, size_t n);

#endif
