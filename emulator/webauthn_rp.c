/*
 * The environment as a WebAuthn relying party (webauthn_rp.h): ceremony
 * options, single-use challenges, and the finish of both ceremonies on the
 * checks of webauthn_verify.c.
 */
#include "webauthn_rp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "environment.h"
#include "resources.h"

#define MAX_TRANSPORTS 8

static void fail(emu_wa_failure *f, unsigned status, const char *code)
{
    f->status = status;
    f->code = code;
}

size_t emu_wa_rp_id(emu *e, char *out, size_t n)
{
    const char *host = strstr(e->url, "://");
    host = host ? host + 3 : e->url;
    size_t len = host[0] == '[' ? strcspn(host, "]") + 1 : strcspn(host, ":/");
    if (len >= n)
        return 0;
    memcpy(out, host, len);
    out[len] = '\0';
    return len;
}

/* A base64url text of @p len bytes, malloc'd. */
static char *b64url(const unsigned char *p, size_t len)
{
    char *s = malloc(skit_base64url_encoded_len(len) + 1);
    if (s)
        skit_base64url_encode(p, len, s);
    return s;
}

/* The user handle of @p user_id: its bytes, base64url (what user.id carries). */
static char *user_handle(const char *user_id)
{
    return b64url((const unsigned char *)user_id, strlen(user_id));
}

/* A new challenge of @p ceremony, stored; malloc'd base64url text or NULL. */
static char *challenge_new(emu *e, const char *ceremony, const char *user_id, const char *user_verification,
                           const char *display_name, const char *login_request_id)
{
    unsigned char raw[32];
    if (skit_random_bytes(raw, sizeof raw) != SCALEKIT_OK)
        return NULL;
    char *c = b64url(raw, sizeof raw);
    int64_t now = skit_now();
    /* expired challenges go as new ones come: the table stays small */
    if (!c || emu_db_exec(e->store, "DELETE FROM webauthn_challenges WHERE expires_at <= ?", "i", now) < 0 ||
        emu_db_exec(e->store,
                    "INSERT INTO webauthn_challenges (challenge, ceremony, user_id, login_request_id, "
                    "user_verification, display_name, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    "ssssssi", c, ceremony, user_id, login_request_id, user_verification, display_name,
                    now + EMU_WA_CHALLENGE_TTL) != 1) {
        free(c);
        return NULL;
    }
    return c;
}

static const char *uv_option(const char *v)
{
    return v && (strcmp(v, "required") == 0 || strcmp(v, "discouraged") == 0) ? v : "preferred";
}

/* [{type, id, transports}] of the credentials of @p user_id. */
static json_t *descriptors(emu *e, const char *user_id)
{
    json_t *out = json_array();
    json_t *rows = user_id ? emu_db_rows(e->store, "SELECT credential_id, transports FROM webauthn_credentials "
                                                   "WHERE user_id = ? ORDER BY create_time, rowid", "s", user_id)
                           : json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        json_t *t = json_loads(skit_json_string(row, "transports"), 0, NULL);
        json_array_append_new(out, json_pack("{s:s, s:s, s:o}", "type", "public-key", "id",
                                             skit_json_string(row, "credential_id"), "transports",
                                             json_is_array(t) ? t : json_array()));
        if (!json_is_array(t))
            json_decref(t);
    }
    json_decref(rows);
    return out;
}

json_t *emu_wa_registration_options(emu *e, const json_t *user, const char *user_verification,
                                    const char *display_name, const char *login_request_id)
{
    char rp_id[256];
    const char *user_id = skit_json_string(user, "id"), *email = skit_json_string(user, "email");
    const char *uv = uv_option(user_verification);
    if (!emu_wa_rp_id(e, rp_id, sizeof rp_id) || !user_id)
        return NULL;
    char *c = challenge_new(e, "create", user_id, uv, display_name, login_request_id);
    char *handle = user_handle(user_id);
    const char *name = email ? email : user_id;
    json_t *opts = c && handle ? json_pack(
        "{s:s, s:{s:s, s:s}, s:{s:s, s:s, s:s}, s:[{s:s, s:i}, {s:s, s:i}], s:i, s:s, "
        "s:{s:s, s:b, s:s}, s:o}",
        "challenge", c, "rp", "id", rp_id, "name", "Scalekit emulator", "user", "id", handle, "name", name,
        "displayName", name, "pubKeyCredParams", "type", "public-key", "alg", EMU_COSE_ES256, "type", "public-key",
        "alg", EMU_COSE_RS256, "timeout", EMU_WA_CHALLENGE_TTL * 1000, "attestation", "none",
        "authenticatorSelection", "residentKey", "preferred", "requireResidentKey", 0, "userVerification", uv,
        "excludeCredentials", descriptors(e, user_id)) : NULL;
    free(c);
    free(handle);
    return opts;
}

json_t *emu_wa_authentication_options(emu *e, const char *user_id, const char *user_verification,
                                      const char *login_request_id)
{
    char rp_id[256];
    const char *uv = uv_option(user_verification);
    if (!emu_wa_rp_id(e, rp_id, sizeof rp_id))
        return NULL;
    char *c = challenge_new(e, "get", user_id, uv, NULL, login_request_id);
    json_t *opts = c ? json_pack("{s:s, s:s, s:i, s:s, s:o}", "challenge", c, "rpId", rp_id, "timeout",
                                 EMU_WA_CHALLENGE_TTL * 1000, "userVerification", uv, "allowCredentials",
                                 descriptors(e, user_id)) : NULL;
    free(c);
    return opts;
}

/* ---- finishing ------------------------------------------------------------------- */

/* The base64url member @p name of @p obj, strictly decoded, 1 to @p max bytes. */
static int b64_member(const json_t *obj, const char *name, size_t max, unsigned char **out, size_t *len,
                      emu_wa_failure *f)
{
    const json_t *v = json_object_get(obj, name);
    *out = NULL;
    fail(f, 400, "INVALID_ARGUMENT");
    if (!json_is_string(v) || json_string_length(v) == 0)
        return emu_wa_fail(&f->why, "credential: %s missing or not a string", name);
    if (json_string_length(v) > skit_base64url_encoded_len(max))
        return emu_wa_fail(&f->why, "credential: %s is longer than %zu bytes", name, max);
    if (skit_base64url_decode(json_string_value(v), json_string_length(v), out, len) != SCALEKIT_OK || !*len) {
        free(*out);
        *out = NULL;
        return emu_wa_fail(&f->why, "credential: %s is not base64url", name);
    }
    return 0;
}

/* The credential's response object after checking type "public-key", or NULL with @p f. */
static const json_t *response_of(const json_t *credential, emu_wa_failure *f)
{
    fail(f, 400, "INVALID_ARGUMENT");
    const char *type = skit_json_string(credential, "type");
    const json_t *resp = json_object_get(credential, "response");
    if (!json_is_object(credential) || !type || strcmp(type, "public-key") != 0) {
        emu_wa_fail(&f->why, "credential: type must be \"public-key\"");
        return NULL;
    }
    if (!json_is_object(resp)) {
        emu_wa_fail(&f->why, "credential: response missing or not an object");
        return NULL;
    }
    return resp;
}

/* Consume the challenge that @p client_data names, for @p ceremony begun by
 * @p login_request_id (NULL: the API). Its row (new reference), or NULL with @p f. */
static json_t *challenge_take(emu *e, const unsigned char *client_data, size_t len, const char *ceremony,
                              const char *login_request_id, emu_wa_failure *f)
{
    emu_wa_client_data cd;
    fail(f, 400, "INVALID_ARGUMENT");
    if (emu_wa_client_data_parse(client_data, len, &cd, &f->why) != 0)
        return NULL;
    emu_db_lock(e->store);
    json_t *row = emu_db_row(e->store, "SELECT * FROM webauthn_challenges WHERE challenge = ?", "s", cd.challenge);
    if (row && emu_db_exec(e->store, "DELETE FROM webauthn_challenges WHERE challenge = ?", "s", cd.challenge) != 1) {
        json_decref(row);
        row = NULL;
    }
    emu_db_unlock(e->store);
    const char *lr = row ? skit_json_string(row, "login_request_id") : NULL;
    if (!row || strcmp(skit_json_string(row, "ceremony"), ceremony) != 0 ||
        json_integer_value(json_object_get(row, "expires_at")) <= skit_now() || (!lr != !login_request_id) ||
        (lr && strcmp(lr, login_request_id) != 0)) {
        emu_wa_fail(&f->why, "clientDataJSON challenge is not one this environment issued for this ceremony, "
                             "or it was used or expired");
        json_decref(row);
        row = NULL;
    }
    emu_wa_client_data_clear(&cd);
    return row;
}

json_t *emu_wa_origins(emu *e)
{
    char own[EMU_MAX_URL + 1];
    char *related = emu_setting_get(e->store, "webauthn_related_origins");
    json_t *list = related ? json_loads(related, 0, NULL) : json_array();
    free(related);
    if (!json_is_array(list) || !emu_redirect_uri_origin(e->url, own, sizeof own) ||
        json_array_insert_new(list, 0, json_string(own)) != 0) {
        json_decref(list);
        return NULL;
    }
    return list;
}

int emu_wa_set_related_origins(emu *e, const json_t *origins, emu_wa_why *why)
{
    if (!json_is_array(origins) || json_array_size(origins) > EMU_WA_MAX_RELATED_ORIGINS)
        return emu_wa_fail(why, "origins must be an array of at most %d origins", EMU_WA_MAX_RELATED_ORIGINS);
    size_t i;
    const json_t *v;
    json_array_foreach(origins, i, v) {
        char origin[EMU_MAX_URL + 1];
        const char *s = json_string_value(v);
        /* an origin is exactly its own "scheme://host[:port]": no path, query or trailing slash */
        if (!s || strlen(s) > EMU_MAX_URL || emu_redirect_uri_malformed(s) ||
            !emu_redirect_uri_origin(s, origin, sizeof origin) || strcmp(origin, s) != 0)
            return emu_wa_fail(why, "origins[%zu] is not an origin \"scheme://host[:port]\"", i);
    }
    char *text = json_dumps(origins, JSON_COMPACT);
    int rc = text ? emu_setting_set(e->store, "webauthn_related_origins", text) : -1;
    free(text);
    return rc == 0 ? 0 : emu_wa_fail(why, "the origins could not be stored");
}

/* What the ceremony of @p challenge expects; @p origins receives the allowed origins
 * (its strings live in *list: json_decref it after the check). False on failure. */
static bool expect_of(emu *e, const json_t *challenge, char *rp_id, size_t rp_len, json_t **list,
                      const char *origins[EMU_WA_MAX_RELATED_ORIGINS + 2], emu_wa_expect *x)
{
    if (!emu_wa_rp_id(e, rp_id, rp_len) || !(*list = emu_wa_origins(e)))
        return false;
    size_t n = 0;
    for (; n < json_array_size(*list) && n <= EMU_WA_MAX_RELATED_ORIGINS; n++)
        origins[n] = json_string_value(json_array_get(*list, n));
    origins[n] = NULL;
    x->challenge = skit_json_string(challenge, "challenge");
    x->origins = origins;
    x->rp_id = rp_id;
    x->require_uv = strcmp(skit_json_string(challenge, "user_verification"), "required") == 0;
    return true;
}

/* response.transports, when given: up to MAX_TRANSPORTS short strings. */
static char *transports_of(const json_t *resp, emu_wa_failure *f)
{
    const json_t *t = json_object_get(resp, "transports");
    json_t *out = json_array();
    size_t i;
    const json_t *v;
    bool ok = !t || (json_is_array(t) && json_array_size(t) <= MAX_TRANSPORTS);
    json_array_foreach(t, i, v) {
        if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 32)
            ok = false;
        else
            json_array_append(out, (json_t *)v);
    }
    char *text = ok ? json_dumps(out, JSON_COMPACT) : NULL;
    if (!ok)
        emu_wa_fail(&f->why, "credential: response.transports must be at most %d short strings", MAX_TRANSPORTS);
    json_decref(out);
    return text;
}

static void aaguid_text(const unsigned char a[16], char out[37])
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (size_t i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[a[i] >> 4];
        out[o++] = hex[a[i] & 15];
    }
    out[o] = '\0';
}

/* Store a verified registration for @p user_id. The row, or NULL with @p f. */
static json_t *store_credential(emu *e, emu_req *r, const json_t *credential, const char *user_id,
                                const emu_wa_registration *reg, const char *transports, const char *display_name,
                                emu_wa_failure *f)
{
    char *cred_id = b64url(reg->credential_id, reg->credential_id_len);
    char *key = b64url(reg->public_key_der, reg->public_key_der_len);
    char *id = emu_new_id("cred_", 8), aaguid[37], ip[64];
    aaguid_text(reg->aaguid, aaguid);
    emu_peer_ip(r, ip, sizeof ip);
    const char *attachment = skit_json_string(credential, "authenticatorAttachment");
    if (attachment && strcmp(attachment, "platform") != 0 && strcmp(attachment, "cross-platform") != 0)
        attachment = NULL;
    const char *ua = emu_header(r, "User-Agent");
    int64_t now = skit_now();
    json_t *row = NULL;
    int n = -1;
    if (cred_id && key && id)
        n = emu_db_exec(e->store,
                        "INSERT INTO webauthn_credentials (id, credential_id, user_id, environment_id, public_key, "
                        "alg, sign_count, aaguid, attachment, transports, fmt, user_present, user_verified, "
                        "backup_eligible, backup_state, display_name, user_agent, ip, create_time, update_time) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        "sssssiissssbbbbsssii", id, cred_id, user_id, e->environment_id, key, (int64_t)reg->alg,
                        (int64_t)reg->sign_count, aaguid, attachment, transports, reg->fmt,
                        (reg->flags & EMU_WA_UP) != 0, (reg->flags & EMU_WA_UV) != 0, (reg->flags & EMU_WA_BE) != 0,
                        (reg->flags & EMU_WA_BS) != 0, display_name, ua, ip[0] ? ip : NULL, now, now);
    if (n == EMU_DB_CONSTRAINT) {
        fail(f, 409, "ALREADY_EXISTS");
        emu_wa_fail(&f->why, "credential %.200s is already registered", cred_id);
    } else if (n != 1) {
        fail(f, 500, "INTERNAL");
        emu_wa_fail(&f->why, "the credential could not be stored");
    } else {
        row = emu_db_row(e->store, "SELECT * FROM webauthn_credentials WHERE id = ?", "s", id);
    }
    free(cred_id);
    free(key);
    free(id);
    return row;
}

json_t *emu_wa_register(emu *e, emu_req *r, const json_t *credential, const char *display_name,
                        const char *login_request_id, emu_wa_failure *f)
{
    const json_t *resp = response_of(credential, f);
    unsigned char *cdj = NULL, *att = NULL, *raw = NULL;
    size_t cdj_len = 0, att_len = 0, raw_len = 0;
    json_t *challenge = NULL, *row = NULL, *user = NULL, *origin_list = NULL;
    char *transports = NULL;
    emu_wa_registration reg;
    memset(&reg, 0, sizeof reg);
    if (!resp || b64_member(resp, "clientDataJSON", EMU_WA_MAX_CLIENT_DATA, &cdj, &cdj_len, f) != 0 ||
        b64_member(resp, "attestationObject", EMU_WA_MAX_ATTESTATION, &att, &att_len, f) != 0 ||
        b64_member(credential, "rawId", EMU_WA_MAX_CREDENTIAL_ID, &raw, &raw_len, f) != 0 ||
        !(transports = transports_of(resp, f)) ||
        !(challenge = challenge_take(e, cdj, cdj_len, "create", login_request_id, f)))
        goto done;
    char rp_id[256];
    const char *origins[EMU_WA_MAX_RELATED_ORIGINS + 2];
    emu_wa_expect x;
    if (!expect_of(e, challenge, rp_id, sizeof rp_id, &origin_list, origins, &x)) {
        fail(f, 500, "INTERNAL");
        emu_wa_fail(&f->why, "the environment's origins could not be read");
        goto done;
    }
    if (emu_wa_verify_registration(&x, cdj, cdj_len, att, att_len, &reg, &f->why) != 0)
        goto done;
    const char *id = skit_json_string(credential, "id");
    if (raw_len != reg.credential_id_len || memcmp(raw, reg.credential_id, raw_len) != 0 || !id ||
        !skit_json_string(credential, "rawId") || strcmp(id, skit_json_string(credential, "rawId")) != 0) {
        emu_wa_fail(&f->why, "credential: id and rawId must be the credential id of the authenticator data");
        goto done;
    }
    const char *user_id = skit_json_string(challenge, "user_id");
    if (!(user = emu_user_row(e, user_id))) {
        fail(f, 404, "NOT_FOUND");
        emu_wa_fail(&f->why, "user %.100s not found", user_id);
        goto done;
    }
    const char *name = display_name && *display_name ? display_name : skit_json_string(challenge, "display_name");
    row = store_credential(e, r, credential, user_id, &reg, transports, name, f);
done:
    emu_wa_registration_clear(&reg);
    json_decref(origin_list);
    json_decref(challenge);
    json_decref(user);
    free(transports);
    free(cdj);
    free(att);
    free(raw);
    return row;
}

/* The stored credential named by rawId, belonging to the challenge's user when it names one. */
static json_t *credential_for(emu *e, const json_t *credential, const unsigned char *raw, size_t raw_len,
                              const json_t *challenge, emu_wa_failure *f)
{
    char *cred_id = b64url(raw, raw_len);
    json_t *row = cred_id ? emu_db_row(e->store, "SELECT * FROM webauthn_credentials WHERE credential_id = ?", "s",
                                       cred_id) : NULL;
    const char *want_user = skit_json_string(challenge, "user_id");
    const char *handle = skit_json_string(json_object_get(credential, "response"), "userHandle");
    char *expected_handle = row ? user_handle(skit_json_string(row, "user_id")) : NULL;
    if (!row) {
        fail(f, 404, "NOT_FOUND");
        emu_wa_fail(&f->why, "credential %.200s is not registered", cred_id ? cred_id : "");
    } else if (want_user && strcmp(want_user, skit_json_string(row, "user_id")) != 0) {
        fail(f, 400, "INVALID_ARGUMENT");
        emu_wa_fail(&f->why, "credential %.200s is not one of user %.100s", cred_id, want_user);
    } else if (handle && *handle && (!expected_handle || strcmp(handle, expected_handle) != 0)) {
        fail(f, 400, "INVALID_ARGUMENT");
        emu_wa_fail(&f->why, "credential: userHandle is not the handle of the credential's user");
    } else {
        free(cred_id);
        free(expected_handle);
        return row;
    }
    json_decref(row);
    free(cred_id);
    free(expected_handle);
    return NULL;
}

/* Record a verified use: counter, flags, time; refused when another use of the
 * credential changed the counter meanwhile. */
static json_t *record_use(emu *e, const json_t *row, unsigned flags, uint32_t count, emu_wa_failure *f)
{
    const char *id = skit_json_string(row, "id");
    int n = emu_db_exec(e->store,
                        "UPDATE webauthn_credentials SET sign_count = ?, user_present = ?, user_verified = ?, "
                        "backup_state = ?, last_used_time = ? WHERE id = ? AND sign_count = ?",
                        "ibbbisi", (int64_t)count, (flags & EMU_WA_UP) != 0, (flags & EMU_WA_UV) != 0,
                        (flags & EMU_WA_BS) != 0, skit_now(), id,
                        (int64_t)json_integer_value(json_object_get(row, "sign_count")));
    if (n != 1) {
        fail(f, 400, "INVALID_ARGUMENT");
        emu_wa_fail(&f->why, "credential %.100s was used concurrently; sign in again", id);
        return NULL;
    }
    return emu_db_row(e->store, "SELECT * FROM webauthn_credentials WHERE id = ?", "s", id);
}

json_t *emu_wa_authenticate(emu *e, const json_t *credential, const char *login_request_id, emu_wa_failure *f)
{
    const json_t *resp = response_of(credential, f);
    unsigned char *cdj = NULL, *ad = NULL, *sig = NULL, *raw = NULL, *key = NULL;
    size_t cdj_len = 0, ad_len = 0, sig_len = 0, raw_len = 0, key_len = 0;
    json_t *challenge = NULL, *row = NULL, *after = NULL, *origin_list = NULL;
    if (!resp || b64_member(resp, "clientDataJSON", EMU_WA_MAX_CLIENT_DATA, &cdj, &cdj_len, f) != 0 ||
        b64_member(resp, "authenticatorData", EMU_WA_MAX_AUTH_DATA, &ad, &ad_len, f) != 0 ||
        b64_member(resp, "signature", EMU_WA_MAX_SIGNATURE, &sig, &sig_len, f) != 0 ||
        b64_member(credential, "rawId", EMU_WA_MAX_CREDENTIAL_ID, &raw, &raw_len, f) != 0 ||
        !(challenge = challenge_take(e, cdj, cdj_len, "get", login_request_id, f)) ||
        !(row = credential_for(e, credential, raw, raw_len, challenge, f)))
        goto done;
    fail(f, 400, "INVALID_ARGUMENT");
    if (skit_base64url_decode(skit_json_string(row, "public_key"), strlen(skit_json_string(row, "public_key")), &key,
                              &key_len) != SCALEKIT_OK) {
        fail(f, 500, "INTERNAL");
        emu_wa_fail(&f->why, "the stored key of credential %.100s is damaged", skit_json_string(row, "id"));
        goto done;
    }
    char rp_id[256];
    const char *origins[EMU_WA_MAX_RELATED_ORIGINS + 2];
    emu_wa_expect x;
    if (!expect_of(e, challenge, rp_id, sizeof rp_id, &origin_list, origins, &x)) {
        fail(f, 500, "INTERNAL");
        emu_wa_fail(&f->why, "the environment's origins could not be read");
        goto done;
    }
    emu_wa_stored stored = {key, key_len, (int)json_integer_value(json_object_get(row, "alg")),
                            (uint32_t)json_integer_value(json_object_get(row, "sign_count"))};
    unsigned flags = 0;
    uint32_t count = 0;
    if (emu_wa_verify_assertion(&x, &stored, cdj, cdj_len, ad, ad_len, sig, sig_len, &flags, &count, &f->why) == 0)
        after = record_use(e, row, flags, count, f);
done:
    json_decref(origin_list);
    json_decref(challenge);
    json_decref(row);
    free(cdj);
    free(ad);
    free(sig);
    free(raw);
    free(key);
    return after;
}

/* ---- the API shape --------------------------------------------------------------- */

static void set_string(json_t *obj, const char *name, const char *v)
{
    if (v && *v)
        json_object_set_new(obj, name, json_string(v));
}

json_t *emu_wa_credential_json(const json_t *row)
{
    json_t *out = json_object();
    set_string(out, "id", skit_json_string(row, "id"));
    /* the API's credential_id is bytes: standard base64 in JSON */
    const char *cred = skit_json_string(row, "credential_id");
    unsigned char *raw = NULL;
    size_t raw_len = 0;
    if (cred && skit_base64url_decode(cred, strlen(cred), &raw, &raw_len) == SCALEKIT_OK) {
        char *b64 = malloc(skit_base64_encoded_len(raw_len) + 1);
        if (b64) {
            skit_base64_encode(raw, raw_len, b64);
            set_string(out, "credential_id", b64);
        }
        free(b64);
    }
    free(raw);
    set_string(out, "user_id", skit_json_string(row, "user_id"));
    set_string(out, "display_name", skit_json_string(row, "display_name"));
    const char *fmt = skit_json_string(row, "fmt");
    set_string(out, "attestation_type", fmt && strcmp(fmt, "packed") == 0 ? "self" : "none");
    json_t *auth = json_object();
    set_string(auth, "aaguid", skit_json_string(row, "aaguid"));
    set_string(auth, "attachment", skit_json_string(row, "attachment"));
    json_object_set_new(out, "authenticator", auth);
    json_object_set_new(out, "authenticator_flags",
                        json_pack("{s:b, s:b, s:b, s:b}", "user_present",
                                  (int)json_integer_value(json_object_get(row, "user_present")), "user_verified",
                                  (int)json_integer_value(json_object_get(row, "user_verified")), "backup_eligible",
                                  (int)json_integer_value(json_object_get(row, "backup_eligible")), "backup_state",
                                  (int)json_integer_value(json_object_get(row, "backup_state"))));
    json_t *t = json_loads(skit_json_string(row, "transports"), 0, NULL);
    json_object_set_new(out, "transports", json_is_array(t) ? t : json_array());
    if (!json_is_array(t))
        json_decref(t);
    json_t *ua = json_object();
    const char *raw_ua = skit_json_string(row, "user_agent");
    if (raw_ua) {
        set_string(ua, "raw", raw_ua);
        emu_device_from_user_agent(ua, raw_ua);
    }
    json_object_set_new(out, "user_agent", ua);
    json_t *client = json_object();
    set_string(client, "ip", skit_json_string(row, "ip"));
    json_object_set_new(out, "client_info", client);
    json_object_set_new(out, "created_at", emu_json_time(json_integer_value(json_object_get(row, "create_time"))));
    json_object_set_new(out, "updated_at", emu_json_time(json_integer_value(json_object_get(row, "update_time"))));
    return out;
}
