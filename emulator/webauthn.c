/*
 * WebAuthnService (the official proto's routes): begin and finish of
 * registration and authentication for apps with their own passkey UI, and
 * ListCredentials, UpdateCredential (display name), DeleteCredential on the
 * credentials of webauthn_credentials; GET /.well-known/webauthn (related
 * origins, set with PUT /_emulator/webauthn/related-origins). The ceremonies
 * themselves are webauthn_rp.c.
 *
 * Bodies (the official proto's messages, documented in include/scalekit/
 * webauthn.h and the contract supplement): registration:begin {user_id,
 * display_name?, user_verification?} -> {options} (an API client has no
 * current user: user_id names one); registration:finish, the proto's flat
 * FinishRegistrationRequest or {credential: PublicKeyCredential JSON,
 * display_name?} -> {success, credential}; authentication:begin {email? |
 * user_id?, user_verification?} -> {session_id, options};
 * authentication:finish, FinishAuthenticationRequest or {credential} ->
 * {success, user_id, credential, user}.
 */
#include "environment.h"
#include "resources.h"
#include "webauthn_rp.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DISPLAY_NAME 120

static int reply_failure(emu_req *r, const emu_wa_failure *f)
{
    return emu_reply_error(r, f->status, f->code, "%s", f->why.text);
}

/* The optional string member @p name of @p body; false after replying 400. */
static bool optional_string(emu_req *r, const json_t *body, const char *name, const char **out, int *rc)
{
    const json_t *v = json_object_get(body, name);
    *out = json_is_string(v) && json_string_length(v) ? json_string_value(v) : NULL;
    if (v && !json_is_string(v) && !json_is_null(v)) {
        *rc = emu_reply_field_error(r, name, "must be a string");
        return false;
    }
    return true;
}

static bool uv_valid(emu_req *r, const char *uv, int *rc)
{
    if (!uv || strcmp(uv, "required") == 0 || strcmp(uv, "preferred") == 0 || strcmp(uv, "discouraged") == 0)
        return true;
    *rc = emu_reply_field_error(r, "user_verification", "must be required, preferred or discouraged");
    return false;
}

static bool display_name_valid(emu_req *r, const char *name, bool required, int *rc)
{
    size_t n = name ? emu_utf8_length(name) : 0;
    if ((!name && !required) || (n >= 1 && n <= MAX_DISPLAY_NAME))
        return true;
    *rc = emu_reply_field_error(r, "display_name", "must be 1 to 120 characters");
    return false;
}

/* The user named by @p user_id; NULL after replying 404. */
static json_t *user_or_404(emu *e, emu_req *r, const char *user_id, int *rc)
{
    json_t *user = emu_user_row(e, user_id);
    if (!user)
        *rc = emu_reply_error(r, 404, "NOT_FOUND", "user %s not found", user_id);
    return user;
}

static int post_registration_begin(emu *e, emu_req *r)
{
    json_t *body = emu_json_body(r);
    const char *user_id, *name, *uv;
    int rc;
    if (!body)
        return emu_reply_error(r, 400, "INVALID_ARGUMENT", "the body must be a JSON object");
    if (!optional_string(r, body, "user_id", &user_id, &rc) || !optional_string(r, body, "display_name", &name, &rc) ||
        !optional_string(r, body, "user_verification", &uv, &rc) || !uv_valid(r, uv, &rc) ||
        !display_name_valid(r, name, false, &rc))
        return rc;
    if (!user_id)
        return emu_reply_field_error(r, "user_id", "is required");
    json_t *user = user_or_404(e, r, user_id, &rc);
    if (!user)
        return rc;
    json_t *opts = emu_wa_registration_options(e, user, uv, name, NULL);
    json_decref(user);
    return opts ? emu_reply_json(r, 200, json_pack("{s:o}", "options", opts)) : -1;
}

static int post_authentication_begin(emu *e, emu_req *r)
{
    json_t *body = emu_json_body(r);
    const char *user_id, *uv, *email;
    int rc;
    if (!body)
        return emu_reply_error(r, 400, "INVALID_ARGUMENT", "the body must be a JSON object");
    if (!optional_string(r, body, "user_id", &user_id, &rc) || !optional_string(r, body, "email", &email, &rc) ||
        !optional_string(r, body, "user_verification", &uv, &rc) || !uv_valid(r, uv, &rc))
        return rc;
    json_t *user = NULL;
    if (user_id && !(user = user_or_404(e, r, user_id, &rc)))
        return rc;
    /* the proto's way to name the user: an email (a user by that email, or 404) */
    if (!user && email && !(user = emu_db_row(e->store, "SELECT * FROM users WHERE email = ?", "s", email)))
        return emu_reply_error(r, 404, "NOT_FOUND", "user with email %.200s not found", email);
    json_t *opts = emu_wa_authentication_options(e, user ? skit_json_string(user, "id") : NULL, uv, NULL);
    json_decref(user);
    /* the proto's session_id names the ceremony: its challenge */
    return opts ? emu_reply_json(r, 200, json_pack("{s:s, s:o}", "session_id", skit_json_string(opts, "challenge"),
                                                   "options", opts))
                : -1;
}

/* A proto bytes member (standard or URL-safe base64, padded or not, as proto
 * JSON accepts) as base64url without padding: a new JSON string, or NULL. */
static json_t *b64url_of(const json_t *v)
{
    const char *s = json_string_value(v);
    if (!s)
        return NULL;
    char *t = strdup(s);
    if (!t)
        return NULL;
    size_t n = strlen(t);
    while (n > 0 && t[n - 1] == '=')
        t[--n] = '\0';
    for (char *c = t; *c; c++)
        *c = *c == '+' ? '-' : *c == '/' ? '_' : *c;
    json_t *out = json_string(t);
    free(t);
    return out;
}

/* Copy the bytes member @p from of @p src into @p dst as @p to (base64url), when present. */
static void move_bytes(json_t *dst, const char *to, const json_t *src, const char *from)
{
    json_t *v = b64url_of(json_object_get(src, from));
    if (v)
        json_object_set_new(dst, to, v);
}

/*
 * The credential of a finish body as PublicKeyCredential JSON (what the ceremony
 * code reads): the body's "credential" member (the browser's toJSON(), this
 * emulator's form), or the proto's flat FinishRegistrationRequest /
 * FinishAuthenticationRequest (credential_id, client_data_json, attestation_object
 * or response{authenticator_data, client_data_json, signature, user_handle}, type,
 * transports, authenticator_attachment) converted. New reference; NULL after 400.
 */
static json_t *credential_of(emu_req *r, bool create, int *rc)
{
    json_t *body = emu_json_body(r);
    const json_t *c = json_object_get(body, "credential");
    if (json_is_object(c))
        return json_incref((json_t *)c);
    if (!body || !json_is_string(json_object_get(body, "credential_id"))) {
        *rc = emu_reply_field_error(r, "credential_id", "is required (or credential: the PublicKeyCredential as JSON)");
        return NULL;
    }
    json_t *out = json_object(), *resp = json_object();
    move_bytes(out, "id", body, "credential_id");
    move_bytes(out, "rawId", body, "credential_id");
    const char *type = skit_json_string(body, "type");
    json_object_set_new(out, "type", json_string(type ? type : "public-key"));
    const json_t *attachment = json_object_get(body, "authenticator_attachment");
    if (json_is_string(attachment))
        json_object_set(out, "authenticatorAttachment", (json_t *)attachment);
    const json_t *src = create ? body : json_object_get(body, "response");
    move_bytes(resp, "clientDataJSON", src, "client_data_json");
    if (create) {
        move_bytes(resp, "attestationObject", src, "attestation_object");
        const json_t *transports = json_object_get(body, "transports");
        if (transports)
            json_object_set(resp, "transports", (json_t *)transports);
    } else {
        move_bytes(resp, "authenticatorData", src, "authenticator_data");
        move_bytes(resp, "signature", src, "signature");
        move_bytes(resp, "userHandle", src, "user_handle");
    }
    json_object_set_new(out, "response", resp);
    return out;
}

/* The proto's session_id, when given, must be the challenge of the assertion's clientDataJSON. */
static bool session_matches(emu_req *r, const json_t *credential, int *rc)
{
    const char *session = skit_json_string(emu_json_body(r), "session_id");
    const char *cdj = skit_json_string(json_object_get(credential, "response"), "clientDataJSON");
    if (!session || !*session || !cdj)
        return true;
    unsigned char *raw = NULL;
    size_t len = 0;
    emu_wa_client_data cd;
    emu_wa_why why;
    bool ok = skit_base64url_decode(cdj, strlen(cdj), &raw, &len) == SCALEKIT_OK &&
              emu_wa_client_data_parse(raw, len, &cd, &why) == 0;
    if (ok) {
        ok = strcmp(cd.challenge, session) == 0;
        emu_wa_client_data_clear(&cd);
    }
    free(raw);
    if (!ok)
        *rc = emu_reply_field_error(r, "session_id", "is not the session of this assertion's challenge");
    return ok;
}

static int post_registration_finish(emu *e, emu_req *r)
{
    int rc;
    const char *name;
    if (!optional_string(r, emu_json_body(r), "display_name", &name, &rc) || !display_name_valid(r, name, false, &rc))
        return rc;
    json_t *c = credential_of(r, true, &rc);
    if (!c)
        return rc;
    emu_wa_failure f;
    json_t *row = emu_wa_register(e, r, c, name, NULL, &f);
    json_decref(c);
    if (!row)
        return reply_failure(r, &f);
    json_t *out = json_pack("{s:b, s:o}", "success", 1, "credential", emu_wa_credential_json(row));
    json_decref(row);
    return emu_reply_json(r, 200, out);
}

static int post_authentication_finish(emu *e, emu_req *r)
{
    int rc;
    json_t *c = credential_of(r, false, &rc);
    if (!c)
        return rc;
    if (!session_matches(r, c, &rc)) {
        json_decref(c);
        return rc;
    }
    emu_wa_failure f;
    json_t *row = emu_wa_authenticate(e, c, NULL, &f);
    json_decref(c);
    if (!row)
        return reply_failure(r, &f);
    json_t *user = emu_user_row(e, skit_json_string(row, "user_id"));
    json_t *out = json_pack("{s:b, s:s, s:o, s:o}", "success", 1, "user_id", skit_json_string(row, "user_id"),
                            "credential", emu_wa_credential_json(row), "user",
                            user ? emu_user_json(e, user) : json_object());
    json_decref(row);
    json_decref(user);
    return emu_reply_json(r, 200, out);
}

static int get_credentials(emu *e, emu_req *r)
{
    const char *user_id = emu_query(r, "user_id");
    int rc;
    if (!user_id || !*user_id)
        return emu_reply_field_error(r, "user_id", "is required: an API client has no current user");
    json_t *user = user_or_404(e, r, user_id, &rc);
    if (!user)
        return rc;
    json_decref(user);
    json_t *rows = emu_db_rows(e->store, "SELECT * FROM webauthn_credentials WHERE user_id = ? "
                                         "ORDER BY create_time, rowid", "s", user_id);
    char rp_id[256];
    if (!rows || !emu_wa_rp_id(e, rp_id, sizeof rp_id)) {
        json_decref(rows);
        return -1;
    }
    json_t *items = json_array(), *ids = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        json_array_append_new(items, emu_wa_credential_json(row));
        json_array_append_new(ids, json_string(skit_json_string(row, "credential_id")));
    }
    json_decref(rows);
    return emu_reply_json(r, 200, json_pack("{s:o, s:{s:s, s:s, s:o}}", "credentials", items,
                                            "all_accepted_credentials_options", "rp_id", rp_id, "user_id", user_id,
                                            "all_accepted_credential_ids", ids));
}

/* The credential of path parameter credential_id (its "cred_..." id); NULL after 404. */
static json_t *credential_or_404(emu *e, emu_req *r, int *rc)
{
    const char *id = emu_path_param(r, "credential_id");
    json_t *row = id ? emu_db_row(e->store, "SELECT * FROM webauthn_credentials WHERE id = ?", "s", id) : NULL;
    if (!row)
        *rc = id ? emu_reply_error(r, 404, "NOT_FOUND", "credential %s not found", id) : -1;
    return row;
}

static int patch_credential(emu *e, emu_req *r)
{
    json_t *body = emu_json_body(r);
    const char *name;
    int rc;
    if (!body)
        return emu_reply_error(r, 400, "INVALID_ARGUMENT", "the body must be a JSON object");
    if (!optional_string(r, body, "display_name", &name, &rc) || !display_name_valid(r, name, true, &rc))
        return rc;
    json_t *row = credential_or_404(e, r, &rc);
    if (!row)
        return rc;
    const char *id = skit_json_string(row, "id");
    json_t *after = NULL;
    if (emu_db_exec(e->store, "UPDATE webauthn_credentials SET display_name = ?, update_time = ? WHERE id = ?",
                    "sis", name, skit_now(), id) == 1)
        after = emu_db_row(e->store, "SELECT * FROM webauthn_credentials WHERE id = ?", "s", id);
    json_decref(row);
    if (!after)
        return -1;
    json_t *out = json_pack("{s:o}", "credential", emu_wa_credential_json(after));
    json_decref(after);
    return emu_reply_json(r, 200, out);
}

static int delete_credential(emu *e, emu_req *r)
{
    int rc;
    json_t *row = credential_or_404(e, r, &rc);
    if (!row)
        return rc;
    char rp_id[256];
    int n = emu_db_exec(e->store, "DELETE FROM webauthn_credentials WHERE id = ?", "s", skit_json_string(row, "id"));
    json_t *out = n == 1 && emu_wa_rp_id(e, rp_id, sizeof rp_id)
                      ? json_pack("{s:b, s:{s:s, s:s}}", "success", 1, "unknown_credential_options", "credential_id",
                                  skit_json_string(row, "credential_id"), "rp_id", rp_id)
                      : NULL;
    json_decref(row);
    return out ? emu_reply_json(r, 200, out) : -1;
}

/* Related origins (WebAuthn L3 5.11.1): the environment's own, then the configured ones. */
static int get_related_origins(emu *e, emu_req *r)
{
    json_t *origins = emu_wa_origins(e);
    return origins ? emu_reply_json(r, 200, json_pack("{s:o}", "origins", origins)) : -1;
}

/* PUT /_emulator/webauthn/related-origins {"origins": [...]}: the other origins
 * passkey ceremonies may come from (an app on its own domain, say). */
static int put_related_origins(emu *e, emu_req *r)
{
    emu_wa_why why;
    if (emu_wa_set_related_origins(e, json_object_get(emu_json_body(r), "origins"), &why) != 0)
        return emu_reply_field_error(r, "origins", why.text);
    return get_related_origins(e, r);
}

#define WEBAUTHN "/api/v1/webauthn"
const emu_route emu_webauthn_routes[] = {
    {"POST", WEBAUTHN "/registration:begin", post_registration_begin, ""},
    {"POST", WEBAUTHN "/registration:finish", post_registration_finish, ""},
    {"POST", WEBAUTHN "/authentication:begin", post_authentication_begin, ""},
    {"POST", WEBAUTHN "/authentication:finish", post_authentication_finish, ""},
    {"GET", WEBAUTHN "/credentials", get_credentials, ""},
    {"PATCH", WEBAUTHN "/credentials/{credential_id}", patch_credential, "credential_id"},
    {"DELETE", WEBAUTHN "/credentials/{credential_id}", delete_credential, "credential_id"},
    {"GET", "/.well-known/webauthn", get_related_origins, ""},
    {"PUT", "/_emulator/webauthn/related-origins", put_related_origins, ""},
    {NULL, NULL, NULL, NULL}
};
