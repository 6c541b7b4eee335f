/*
 * The passwordless API, POST /api/v1/passwordless/email/{send,verify,resend}
 * (the requests themselves: passwordless.c), and its test control
 * /_emulator/passwordless/{auth_request_id}:expire. The environment's
 * passwordless connection is set through /api/v1/connections (connections.c).
 */
#include "environment.h"
#include "resources.h"
#include "passwordless.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int emu_passwordless_reply_error(emu_req *r, const emu_passwordless_error *err)
{
    if (err->status == 500)
        return -1;
    if (err->field)
        return emu_reply_field_error(r, err->field, err->message);
    return emu_reply_error(r, err->status, err->error_code, "%s", err->message);
}

/* ---- the API -------------------------------------------------------------------------- */

static int reply_sent(emu_req *r, const json_t *row)
{
    int64_t at = json_integer_value(json_object_get(row, "expires_at")), left = at - skit_now();
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)at);
    return emu_reply_json(r, 200, json_pack("{s:s, s:s, s:I, s:s}", "auth_request_id", skit_json_string(row, "id"),
                                            "expires_at", text, "expires_in", (json_int_t)(left > 0 ? left : 0),
                                            "passwordless_type", skit_json_string(row, "passwordless_type")));
}

/* Member @p name of the body: absent (NULL, true), a string, or the wrong type (false). */
static bool body_string(const json_t *body, const char *name, const char **out)
{
    json_t *v = json_object_get(body, name);
    *out = json_string_value(v);
    return !v || json_is_null(v) || json_is_string(v);
}

static int post_send(emu *e, emu_req *r)
{
    json_t *body = emu_json_body(r), *vars = json_object_get(body, "template_variables"), *exp;
    emu_passwordless_send in = { 0 };
    emu_passwordless_error err = { 0 };
    if (!body)
        return emu_reply_error(r, 400, "INVALID_ARGUMENT", "the body must be a JSON object");
    static const char *const strings[] = { "email", "template", "state", "magiclink_auth_uri" };
    const char **slots[] = { &in.email, &in.template_type, &in.state, &in.magiclink_auth_uri };
    for (size_t i = 0; i < 4; i++)
        if (!body_string(body, strings[i], slots[i]))
            return emu_reply_field_error(r, strings[i], "must be a string");
    if (vars && !json_is_null(vars) && !json_is_object(vars))
        return emu_reply_field_error(r, "template_variables", "must be an object of strings");
    in.template_variables = json_is_object(vars) ? vars : NULL;
    exp = json_object_get(body, "expires_in");
    if (exp && !json_is_null(exp) && !skit_json_int64(body, "expires_in", &in.expires_in))
        return emu_reply_field_error(r, "expires_in", "must be an integer");
    if (in.template_type && !*in.template_type)
        in.template_type = NULL;
    json_t *row = emu_passwordless_issue(e, &in, &err);
    int rc = row ? reply_sent(r, row) : emu_passwordless_reply_error(r, &err);
    json_decref(row);
    return rc;
}

static int post_resend(emu *e, emu_req *r)
{
    json_t *body = emu_json_body(r);
    const char *id = NULL;
    emu_passwordless_error err = { 0 };
    if (!body)
        return emu_reply_error(r, 400, "INVALID_ARGUMENT", "the body must be a JSON object");
    if (!body_string(body, "auth_request_id", &id))
        return emu_reply_field_error(r, "auth_request_id", "must be a string");
    json_t *row = emu_passwordless_resend(e, id, &err);
    int rc = row ? reply_sent(r, row) : emu_passwordless_reply_error(r, &err);
    json_decref(row);
    return rc;
}

static int post_verify(emu *e, emu_req *r)
{
    json_t *body = emu_json_body(r);
    const char *code = NULL, *token = NULL, *id = NULL;
    emu_passwordless_error err = { 0 };
    if (!body)
        return emu_reply_error(r, 400, "INVALID_ARGUMENT", "the body must be a JSON object");
    if (!body_string(body, "code", &code) || !body_string(body, "link_token", &token) ||
        !body_string(body, "auth_request_id", &id))
        return emu_reply_error(r, 400, "INVALID_ARGUMENT", "code, link_token and auth_request_id must be strings");
    bool by_code = code && *code;
    if (!by_code && !(token && *token))
        return emu_reply_field_error(r, "code", "a code (with auth_request_id) or a link_token is required");
    json_t *row = by_code ? emu_passwordless_verify_code(e, id, code, &err)
                          : emu_passwordless_verify_link(e, token, id, &err);
    if (!row)
        return emu_passwordless_reply_error(r, &err);
    json_t *out = json_pack("{s:s, s:s}", "email", skit_json_string(row, "email"), "passwordless_type",
                            by_code ? "OTP" : "LINK");
    if (out && skit_json_string(row, "state"))
        json_object_set_new(out, "state", json_string(skit_json_string(row, "state")));
    if (out && skit_json_string(row, "template"))
        json_object_set_new(out, "template", json_string(skit_json_string(row, "template")));
    json_decref(row);
    return out ? emu_reply_json(r, 200, out) : -1;
}

/* ---- test controls ---------------------------------------------------------------------- */

/* Let request {auth_request_id} expire now. */
static int expire_request(emu *e, emu_req *r)
{
    const char *id = emu_path_param(r, "auth_request_id");
    int n = emu_db_exec(e->store, "UPDATE passwordless_requests SET expires_at = ? WHERE id = ?", "is",
                        skit_now() - 1, id);
    if (n < 0)
        return -1;
    return n ? emu_reply_json(r, 200, json_object())
             : emu_reply_error(r, 404, "NOT_FOUND", "auth request %s not found", id ? id : "");
}

const emu_route emu_passwordless_routes[] = {
    {"POST", "/api/v1/passwordless/email/send", post_send, ""},
    {"POST", "/api/v1/passwordless/email/verify", post_verify, ""},
    {"POST", "/api/v1/passwordless/email/resend", post_resend, ""},
    {"POST", "/_emulator/passwordless/{auth_request_id}:expire", expire_request, "auth_request_id"},
    {NULL, NULL, NULL, NULL}
};
