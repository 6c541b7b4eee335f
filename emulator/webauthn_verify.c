/*
 * The relying party's checks of a WebAuthn registration and assertion
 * (W3C WebAuthn Level 3, 7.1 and 7.2), on the parsers of webauthn_parse.c.
 */
#include "webauthn.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

bool emu_wa_signature_ok(EVP_PKEY *key, int alg, const unsigned char *data, size_t len, const unsigned char *sig,
                         size_t sig_len)
{
    bool want_ec = alg == EMU_COSE_ES256, want_rsa = alg == EMU_COSE_RS256;
    /* the key's type must be the algorithm's: no RSA key verifying as ES256 or the reverse */
    if (!key || (!want_ec && !want_rsa) || (want_ec && !EVP_PKEY_is_a(key, "EC")) ||
        (want_rsa && !EVP_PKEY_is_a(key, "RSA")) || sig_len == 0 || sig_len > EMU_WA_MAX_SIGNATURE)
        return false;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    bool ok = ctx && EVP_DigestVerifyInit_ex(ctx, &pctx, "SHA256", NULL, NULL, key, NULL) == 1 &&
              (!want_rsa || EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1) &&
              EVP_DigestVerify(ctx, sig, sig_len, data, len) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

static bool sha256(const void *p, size_t n, unsigned char out[32])
{
    unsigned int len = 0;
    return EVP_Digest(p, n, out, &len, EVP_sha256(), NULL) == 1 && len == 32;
}

/* clientDataJSON's type, challenge and origin as @p x expects (7.1 steps 7-9). */
static int check_client_data(const emu_wa_expect *x, const char *type, const emu_wa_client_data *cd,
                             emu_wa_why *why)
{
    if (strcmp(cd->type, type) != 0)
        return emu_wa_fail(why, "clientDataJSON type is \"%.40s\", expected \"%s\"", cd->type, type);
    size_t n = strlen(x->challenge);
    if (strlen(cd->challenge) != n || CRYPTO_memcmp(cd->challenge, x->challenge, n) != 0)
        return emu_wa_fail(why, "clientDataJSON challenge does not match the ceremony's challenge");
    bool origin_ok = false;
    for (size_t i = 0; x->origins && x->origins[i] && !origin_ok; i++)
        origin_ok = strcmp(cd->origin, x->origins[i]) == 0;
    if (!origin_ok)
        return emu_wa_fail(why, "clientDataJSON origin \"%.120s\" is not an origin of this environment",
                           cd->origin);
    if (cd->cross_origin)
        return emu_wa_fail(why, "clientDataJSON crossOrigin is true: the ceremony ran in a cross-origin frame");
    return 0;
}

/* rpIdHash and the user flags of @p ad (7.1 steps 13-15, 7.2 steps 15-17). */
static int check_auth_data(const emu_wa_expect *x, const emu_wa_auth_data *ad, emu_wa_why *why)
{
    unsigned char want[32];
    if (!sha256(x->rp_id, strlen(x->rp_id), want))
        return emu_wa_fail(why, "SHA-256 failed");
    if (CRYPTO_memcmp(ad->rp_id_hash, want, 32) != 0)
        return emu_wa_fail(why, "authenticator data rpIdHash is not SHA-256 of the RP ID \"%s\"", x->rp_id);
    if (!(ad->flags & EMU_WA_UP))
        return emu_wa_fail(why, "authenticator data: the user-present (UP) flag is not set");
    if (x->require_uv && !(ad->flags & EMU_WA_UV))
        return emu_wa_fail(why, "authenticator data: the user-verified (UV) flag is not set and "
                                "user verification is required");
    if (!(ad->flags & EMU_WA_BE) && (ad->flags & EMU_WA_BS))
        return emu_wa_fail(why, "authenticator data: backup state (BS) set without backup eligibility (BE)");
    return 0;
}

void emu_wa_registration_clear(emu_wa_registration *r)
{
    if (!r)
        return;
    free(r->credential_id);
    OPENSSL_free(r->public_key_der);
    memset(r, 0, sizeof *r);
}

/* The attestation statement (8.7 none, 8.2 packed without x5c: self attestation). */
static int check_statement(const emu_wa_attestation *att, const emu_wa_auth_data *ad, const unsigned char cdh[32],
                           emu_wa_why *why)
{
    if (strcmp(att->fmt, "none") == 0) {
        if (att->stmt_members != 0)
            return emu_wa_fail(why, "attestation format none with a non-empty attStmt");
        return 0;
    }
    if (strcmp(att->fmt, "packed") != 0)
        return emu_wa_fail(why, "attestation format \"%s\" is not supported (only none and packed self "
                                "attestation)", att->fmt);
    if (att->has_x5c)
        return emu_wa_fail(why, "packed attestation with a certificate chain (x5c) is not supported "
                                "(only self attestation)");
    if (!att->has_alg || !att->sig)
        return emu_wa_fail(why, "packed attestation: attStmt needs alg and sig");
    if (att->alg != ad->alg)
        return emu_wa_fail(why, "packed self attestation: alg %lld is not the credential key's %d",
                           (long long)att->alg, ad->alg);
    size_t n = att->auth_data_len + 32;
    unsigned char *signed_data = malloc(n);
    if (!signed_data)
        return emu_wa_fail(why, "out of memory");
    memcpy(signed_data, att->auth_data, att->auth_data_len);
    memcpy(signed_data + att->auth_data_len, cdh, 32);
    bool ok = emu_wa_signature_ok(ad->public_key, ad->alg, signed_data, n, att->sig, att->sig_len);
    free(signed_data);
    return ok ? 0 : emu_wa_fail(why, "packed self attestation: the signature does not verify with the credential key");
}

int emu_wa_verify_registration(const emu_wa_expect *x, const unsigned char *client_data, size_t client_data_len,
                               const unsigned char *attestation, size_t attestation_len,
                               emu_wa_registration *out, emu_wa_why *why)
{
    memset(out, 0, sizeof *out);
    emu_wa_client_data cd;
    emu_wa_attestation att;
    emu_wa_auth_data ad;
    memset(&att, 0, sizeof att);
    memset(&ad, 0, sizeof ad);
    unsigned char cdh[32];
    int rc = emu_wa_client_data_parse(client_data, client_data_len, &cd, why);
    if (rc == 0)
        rc = check_client_data(x, "webauthn.create", &cd, why);
    if (rc == 0)
        rc = emu_wa_attestation_parse(attestation, attestation_len, &att, why);
    if (rc == 0)
        rc = emu_wa_auth_data_parse(att.auth_data, att.auth_data_len, &ad, why);
    if (rc == 0)
        rc = check_auth_data(x, &ad, why);
    if (rc == 0 && !(ad.flags & EMU_WA_AT))
        rc = emu_wa_fail(why, "authenticator data of a registration without attested credential data (AT)");
    if (rc == 0 && !sha256(client_data, client_data_len, cdh))
        rc = emu_wa_fail(why, "SHA-256 failed");
    if (rc == 0)
        rc = check_statement(&att, &ad, cdh, why);
    if (rc == 0) {
        int der_len = i2d_PUBKEY(ad.public_key, &out->public_key_der);
        out->credential_id = malloc(ad.credential_id_len);
        if (der_len <= 0 || !out->credential_id) {
            rc = emu_wa_fail(why, "out of memory");
        } else {
            out->public_key_der_len = (size_t)der_len;
            memcpy(out->credential_id, ad.credential_id, ad.credential_id_len);
            out->credential_id_len = ad.credential_id_len;
            memcpy(out->aaguid, ad.aaguid, 16);
            memcpy(out->fmt, att.fmt, sizeof out->fmt);
            out->flags = ad.flags;
            out->sign_count = ad.sign_count;
            out->alg = ad.alg;
        }
    }
    emu_wa_client_data_clear(&cd);
    emu_wa_auth_data_clear(&ad);
    emu_wa_attestation_clear(&att);
    if (rc != 0)
        emu_wa_registration_clear(out);
    return rc;
}

int emu_wa_verify_assertion(const emu_wa_expect *x, const emu_wa_stored *cred, const unsigned char *client_data,
                            size_t client_data_len, const unsigned char *auth_data, size_t auth_data_len,
                            const unsigned char *sig, size_t sig_len, unsigned *flags, uint32_t *sign_count,
                            emu_wa_why *why)
{
    emu_wa_client_data cd;
    emu_wa_auth_data ad;
    memset(&ad, 0, sizeof ad);
    EVP_PKEY *key = NULL;
    unsigned char *signed_data = NULL;
    int rc = emu_wa_client_data_parse(client_data, client_data_len, &cd, why);
    if (rc == 0)
        rc = check_client_data(x, "webauthn.get", &cd, why);
    if (rc == 0)
        rc = emu_wa_auth_data_parse(auth_data, auth_data_len, &ad, why);
    if (rc == 0)
        rc = check_auth_data(x, &ad, why);
    if (rc == 0) {
        const unsigned char *p = cred->public_key_der;
        key = d2i_PUBKEY(NULL, &p, (long)cred->public_key_der_len);
        signed_data = malloc(auth_data_len + 32);
        if (!key || !signed_data)
            rc = emu_wa_fail(why, "the stored credential key could not be read");
    }
    if (rc == 0) {
        memcpy(signed_data, auth_data, auth_data_len);
        if (!sha256(client_data, client_data_len, signed_data + auth_data_len))
            rc = emu_wa_fail(why, "SHA-256 failed");
        else if (!emu_wa_signature_ok(key, cred->alg, signed_data, auth_data_len + 32, sig, sig_len))
            rc = emu_wa_fail(why, "assertion signature does not verify with the credential's public key");
    }
    /* 7.2 step 22: a counter that does not grow means a cloned authenticator, unless both are 0 */
    if (rc == 0 && (ad.sign_count != 0 || cred->sign_count != 0) && ad.sign_count <= cred->sign_count)
        rc = emu_wa_fail(why, "signature counter %u is not greater than the stored %u: possibly a cloned "
                              "authenticator", (unsigned)ad.sign_count, (unsigned)cred->sign_count);
    if (rc == 0) {
        *flags = ad.flags;
        *sign_count = ad.sign_count;
    }
    free(signed_data);
    EVP_PKEY_free(key);
    emu_wa_auth_data_clear(&ad);
    emu_wa_client_data_clear(&cd);
    return rc;
}
