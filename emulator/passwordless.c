/*
 * Passwordless email: the environment's configuration, the requests, their
 * codes and links, and what send, verify and resend do to them (passwordless.h
 * says how codes are made and kept; passwordless_api.c serves the API,
 * passwordless_page.c the hosted page and the magic link's landing).
 */
#include "environment.h"
#include "resources.h"
#include "passwordless.h"

#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

/* ---- configuration ----------------------------------------------------------- */

static int64_t config_int(const json_t *cfg, const char *name, int64_t dflt, int64_t lo, int64_t hi)
{
    int64_t v;
    return skit_json_int64(cfg, name, &v) && v >= lo && v <= hi ? v : dflt;
}

static bool config_bool(const json_t *cfg, const char *name, bool dflt)
{
    json_t *v = json_object_get(cfg, name);
    return json_is_boolean(v) ? json_is_true(v) : dflt;
}

int emu_passwordless_config_get(emu *e, emu_passwordless_config *out)
{
    memset(out, 0, sizeof *out);
    json_t *row = emu_environment_connection(e, "PASSWORDLESS");
    const json_t *cfg = json_object_get(row, "passwordless_config");
    const char *type = skit_json_string(cfg, "type");
    bool known = type && (!strcmp(type, "OTP") || !strcmp(type, "LINK") || !strcmp(type, "LINK_OTP"));
    snprintf(out->type, sizeof out->type, "%s", known ? type : EMU_PASSWORDLESS_DEFAULT_TYPE);
    out->validity = config_int(cfg, "validity", EMU_PASSWORDLESS_DEFAULT_VALIDITY, 1,
                               EMU_PASSWORDLESS_MAX_EXPIRES_IN);
    out->code_length = (int)config_int(cfg, "code_challenge_length", EMU_PASSWORDLESS_DEFAULT_CODE_LENGTH, 4, 10);
    const char *challenge = skit_json_string(cfg, "code_challenge_type");
    out->alphanumeric = challenge && !strcmp(challenge, "ALPHANUMERIC");
    out->frequency = (int)config_int(cfg, "frequency", 1, 1, 100);
    out->regenerate_on_resend = config_bool(cfg, "regenerate_passwordless_credentials_on_resend", true);
    out->enforce_same_browser_origin = config_bool(cfg, "enforce_same_browser_origin", false);
    out->enabled = !row || json_is_true(json_object_get(row, "enabled"));
    if (row)
        snprintf(out->connection_id, sizeof out->connection_id, "%s", skit_json_string(row, "id"));
    json_decref(row);
    return 0;
}

/* ---- codes and link tokens ------------------------------------------------------ */

static unsigned char secret[32];
static bool secret_ok;
static pthread_once_t secret_once = PTHREAD_ONCE_INIT;

static void secret_init(void)
{
    secret_ok = skit_random_bytes(secret, sizeof secret) == SCALEKIT_OK;
}

/* HMAC-SHA256(secret, "<purpose>:<id>:<generation>"). */
static int derive(const char *purpose, const char *id, int64_t generation, unsigned char md[32])
{
    pthread_once(&secret_once, secret_init);
    char input[256];
    int n = snprintf(input, sizeof input, "%s:%s:%lld", purpose, id, (long long)generation);
    unsigned int len = 0;
    return secret_ok && n > 0 && (size_t)n < sizeof input &&
           HMAC(EVP_sha256(), secret, sizeof secret, (const unsigned char *)input, (size_t)n, md, &len) ? 0 : -1;
}

/* The code of generation @p gen: digits, or letters and digits without look-alikes. */
static int make_code(const emu_passwordless_config *c, const char *id, int64_t gen, char out[16])
{
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";   /* 32: no bias */
    unsigned char md[32];
    if (derive("otp", id, gen, md) != 0)
        return -1;
    if (c->alphanumeric) {
        for (int i = 0; i < c->code_length; i++)
            out[i] = alphabet[md[i] % 32];
        out[c->code_length] = '\0';
        return 0;
    }
    uint64_t v = 0, mod = 1;
    for (int i = 0; i < 8; i++)
        v = v << 8 | md[i];
    for (int i = 0; i < c->code_length; i++)
        mod *= 10;
    snprintf(out, 16, "%0*llu", c->code_length, (unsigned long long)(v % mod));
    return 0;
}

static int make_link_token(const char *id, int64_t gen, char out[65])
{
    unsigned char md[32];
    if (derive("link", id, gen, md) != 0)
        return -1;
    skit_hex_encode(md, sizeof md, out);
    return 0;
}

static void code_hash(const char *id, const char *code, char out[65])
{
    char input[160];
    snprintf(input, sizeof input, "%s:%s", id, code);
    emu_sha256_hex(input, out);
}

/* Constant time over the 64 hex digits: no early exit on the first difference. */
static bool hash_equal(const char *stored, const char hash[65])
{
    return stored && strlen(stored) == 64 && CRYPTO_memcmp(stored, hash, 64) == 0;
}

static bool has_code(const char *type) { return strcmp(type, "LINK") != 0; }
static bool has_link(const char *type) { return strcmp(type, "OTP") != 0; }

/* ---- errors ---------------------------------------------------------------------- */

static json_t *fail(emu_passwordless_error *err, unsigned status, const char *code, const char *field,
                    const char *fmt, ...) SKIT_PRINTF(5, 6);
static json_t *fail(emu_passwordless_error *err, unsigned status, const char *code, const char *field,
                    const char *fmt, ...)
{
    err->status = status;
    err->error_code = code;
    err->field = field;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return NULL;
}

static json_t *oom(emu_passwordless_error *err)
{
    return fail(err, 500, "INTERNAL", NULL, "the emulator ran out of memory or its store failed");
}

/* ---- the email --------------------------------------------------------------------- */

/* Mail request @p row its code and/or link (generation @p gen). 0 or -1. */
static int mail(emu *e, const emu_passwordless_config *c, const json_t *row, int64_t gen)
{
    const char *id = skit_json_string(row, "id"), *type = skit_json_string(row, "passwordless_type");
    const char *tmpl = skit_json_string(row, "template"), *vars = skit_json_string(row, "template_variables");
    char code[16] = "", token[65] = "", kind[32];
    if ((has_code(type) && make_code(c, id, gen, code) != 0) || (has_link(type) && make_link_token(id, gen, token) != 0))
        return -1;
    skit_buf subject = SKIT_BUF_INIT, body = SKIT_BUF_INIT, link = SKIT_BUF_INIT;
    const char *intent = tmpl && !strcmp(tmpl, "SIGNUP") ? "finish signing up" : "sign in";
    if (has_code(type))
        skit_buf_printf(&subject, "Your verification code is %s", code);
    else
        skit_buf_printf(&subject, "Your link to %s", intent);
    int64_t expires_in = json_integer_value(json_object_get(row, "expires_in"));
    if (has_code(type))
        skit_buf_printf(&body, "Enter %s to %s. ", code, intent);
    if (has_link(type)) {
        skit_buf_printf(&link, "%s/passwordless/link?link_token=%s", e->url, token);
        skit_buf_printf(&body, "Open this link to %s: %s ", intent, link.ptr ? link.ptr : "");
    }
    skit_buf_printf(&body, "It expires in %lld seconds.", (long long)expires_in);
    if (vars && strcmp(vars, "{}") != 0)
        skit_buf_printf(&body, " Template variables: %s", vars);
    snprintf(kind, sizeof kind, "passwordless_%s", !strcmp(type, "OTP") ? "otp" : !strcmp(type, "LINK") ? "link"
                                                                                                      : "link_otp");
    int rc = subject.ptr && body.ptr && (!has_link(type) || link.ptr)
                 ? emu_mail_put(e, kind, skit_json_string(row, "email"), subject.ptr, body.ptr, link.ptr, NULL, NULL)
                 : -1;
    if (rc == 0) {
        char otp_hash[65], link_hash[65];
        code_hash(id, code, otp_hash);
        emu_sha256_hex(token, link_hash);
        rc = emu_db_exec(e->store, "UPDATE passwordless_requests SET otp_hash = ?, link_hash = ?, generation = ? "
                                   "WHERE id = ?", "ssis", has_code(type) ? otp_hash : NULL,
                         has_link(type) ? link_hash : NULL, gen, id) == 1 ? 0 : -1;
    }
    skit_buf_free(&subject);
    skit_buf_free(&body);
    skit_buf_free(&link);
    return rc;
}

/* Whether @p email may be sent another email now (EMU_PASSWORDLESS_SENDS_PER_MINUTE). */
static json_t *check_rate(emu *e, const char *email, emu_passwordless_error *err, bool *ok)
{
    json_t *n = emu_db_row(e->store, "SELECT count(*) AS n FROM mailbox WHERE to_email = ? "
                                     "AND kind LIKE 'passwordless%' AND created_at > ?", "si", email, skit_now() - 60);
    *ok = n && json_integer_value(json_object_get(n, "n")) < EMU_PASSWORDLESS_SENDS_PER_MINUTE;
    json_decref(n);
    return *ok ? NULL : fail(err, 429, "RESOURCE_EXHAUSTED", NULL,
                             "too many passwordless emails to %s: at most %d a minute", email,
                             EMU_PASSWORDLESS_SENDS_PER_MINUTE);
}

/* ---- send, resend, verify ------------------------------------------------------------- */

static bool email_valid(const char *s)
{
    const char *at = s ? strchr(s, '@') : NULL;
    if (!at || at == s || !at[1] || strchr(at + 1, '@') || !strchr(at + 1, '.') || strlen(s) > 320)
        return false;
    for (; *s; s++)
        if (isspace((unsigned char)*s) || iscntrl((unsigned char)*s))
            return false;
    return true;
}

static const char *template_variables_problem(const json_t *vars, char *field, size_t n)
{
    static const char *const reserved[] = { "otp", "expiry_time_relative", "link", "expire_time", "expiry_time" };
    const char *k;
    json_t *v;
    if (json_object_size(vars) > 30)
        return "at most 30 template variables";
    json_object_foreach((json_t *)vars, k, v) {
        snprintf(field, n, "template_variables.%s", k);
        if (!json_is_string(v))
            return "must be a string";
        for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
            if (!strcmp(k, reserved[i]))
                return "is a reserved variable name";
    }
    snprintf(field, n, "template_variables");
    return NULL;
}

json_t *emu_passwordless_issue(emu *e, const emu_passwordless_send *in, emu_passwordless_error *err)
{
    emu_passwordless_config c;
    const char *why;
    bool ok;
    if (emu_passwordless_config_get(e, &c) != 0)
        return oom(err);
    if (!c.enabled)
        return fail(err, 400, "FAILED_PRECONDITION", NULL, "passwordless sign-in is not enabled in this environment");
    if (!email_valid(in->email))
        return fail(err, 400, "INVALID_ARGUMENT", "email", "must be a valid email address");
    if (in->template_type && strcmp(in->template_type, "SIGNIN") && strcmp(in->template_type, "SIGNUP"))
        return fail(err, 400, "INVALID_ARGUMENT", "template", "must be SIGNIN or SIGNUP");
    if (in->expires_in < 0 || in->expires_in > EMU_PASSWORDLESS_MAX_EXPIRES_IN)
        return fail(err, 400, "INVALID_ARGUMENT", "expires_in", "must be between 1 and 86400 seconds");
    const char *uri = in->magiclink_auth_uri && *in->magiclink_auth_uri ? in->magiclink_auth_uri : NULL;
    if (uri && (why = emu_redirect_uri_malformed(uri)) != NULL)
        return fail(err, 400, "INVALID_ARGUMENT", "magiclink_auth_uri", "%s", why);
    if (uri && !emu_redirect_uri_allowed(e, uri, &why))
        return fail(err, 400, "INVALID_ARGUMENT", "magiclink_auth_uri", "the URI %s", why);
    /* A headless send without a URI has nowhere to take the link: a code only. */
    const char *type = c.type;
    if (!uri && !in->login_request_id && !strcmp(type, "LINK"))
        return fail(err, 400, "INVALID_ARGUMENT", "magiclink_auth_uri", "is required: the passwordless type is LINK");
    if (!uri && !in->login_request_id)
        type = "OTP";
    const char *problem = in->template_variables ? template_variables_problem(in->template_variables,
                                                    err->field_name, sizeof err->field_name) : NULL;
    if (problem)
        return fail(err, 400, "INVALID_ARGUMENT", err->field_name, "%s", problem);

    char *id = emu_new_id("pwl_", 16), *vars = in->template_variables ? json_dumps(in->template_variables,
                                                                                  JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    int64_t now = skit_now(), expires_in = in->expires_in ? in->expires_in : c.validity;
    json_t *row = NULL;
    if (id && (!in->template_variables || vars) && emu_tx_begin(e->store) == 0) {
        /* Counted inside the transaction: two racing sends cannot both take the last one. */
        if (check_rate(e, in->email, err, &ok), !ok) {
            emu_tx_rollback(e->store);
            free(id);
            free(vars);
            return NULL;
        }
        bool done = emu_db_exec(e->store, "INSERT INTO passwordless_requests(id, email, passwordless_type, template, "
                                          "state, magiclink_auth_uri, template_variables, expires_in, expires_at, "
                                          "login_request_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                                          "?, ?, ?, ?)", "sssssssiisii", id, in->email, type, in->template_type,
                                in->state && *in->state ? in->state : NULL, uri, vars, expires_in, now + expires_in,
                                in->login_request_id, now, now) == 1;
        row = done ? emu_db_row(e->store, "SELECT * FROM passwordless_requests WHERE id = ?", "s", id) : NULL;
        if (emu_tx_end(e->store, row && mail(e, &c, row, 0) == 0) != 0) {
            json_decref(row);
            row = NULL;
        }
    }
    free(id);
    free(vars);
    return row ? row : oom(err);
}

/* The pending, unexpired request @p id inside the caller's transaction, or NULL with *err. */
static json_t *pending(emu *e, const char *id, emu_passwordless_error *err)
{
    if (!id || !*id)
        return fail(err, 400, "INVALID_ARGUMENT", "auth_request_id", "is required");
    json_t *row = emu_db_row(e->store, "SELECT * FROM passwordless_requests WHERE id = ?", "s", id);
    const char *status = skit_json_string(row, "status");
    if (!row)
        return fail(err, 404, "NOT_FOUND", NULL, "auth request %s not found", id);
    if (!strcmp(status, "FAILED"))
        fail(err, 429, "RESOURCE_EXHAUSTED", NULL, "auth request %s is finished: too many wrong codes; "
             "send a new email", id);
    else if (strcmp(status, "PENDING") != 0)
        fail(err, 400, "FAILED_PRECONDITION", NULL, "auth request %s is finished: it was verified", id);
    else if (json_integer_value(json_object_get(row, "expires_at")) <= skit_now())
        fail(err, 400, "FAILED_PRECONDITION", NULL, "auth request %s has expired; send a new email", id);
    else
        return row;
    json_decref(row);
    return NULL;
}

/* Reread @p id after a write and end the transaction: the row, or NULL (rolled back). */
static json_t *finish(emu *e, const char *id, bool ok, emu_passwordless_error *err)
{
    json_t *row = ok ? emu_db_row(e->store, "SELECT * FROM passwordless_requests WHERE id = ?", "s", id) : NULL;
    if (emu_tx_end(e->store, row != NULL) != 0) {
        json_decref(row);
        return oom(err);
    }
    return row;
}

json_t *emu_passwordless_resend(emu *e, const char *id, emu_passwordless_error *err)
{
    emu_passwordless_config c;
    bool ok = true;
    if (emu_passwordless_config_get(e, &c) != 0 || emu_tx_begin(e->store) != 0)
        return oom(err);
    json_t *row = pending(e, id, err);
    if (row)
        check_rate(e, skit_json_string(row, "email"), err, &ok);
    if (!row || !ok) {
        emu_tx_rollback(e->store);
        json_decref(row);
        return NULL;
    }
    int64_t gen = json_integer_value(json_object_get(row, "generation"));
    char code[16], hash[65];
    /* Without regeneration the same code again, unless this process cannot derive it (a restart). */
    bool same = !c.regenerate_on_resend;
    if (same && has_code(skit_json_string(row, "passwordless_type"))) {
        same = make_code(&c, id, gen, code) == 0;
        code_hash(id, code, hash);
        same = same && hash_equal(skit_json_string(row, "otp_hash"), hash);
    }
    int64_t next = same ? gen : gen + 1, now = skit_now();
    ok = emu_db_exec(e->store, "UPDATE passwordless_requests SET expires_at = ?, updated_at = ?, "
                               "attempts = CASE WHEN ? THEN attempts ELSE 0 END, "
                               "link_uses = CASE WHEN ? THEN link_uses ELSE 0 END WHERE id = ?", "iibbs",
                     now + json_integer_value(json_object_get(row, "expires_in")), now, same, same, id) == 1 &&
         mail(e, &c, row, next) == 0;
    json_decref(row);
    return finish(e, id, ok, err);
}

json_t *emu_passwordless_verify_code(emu *e, const char *id, const char *code, emu_passwordless_error *err)
{
    if (emu_tx_begin(e->store) != 0)
        return oom(err);
    json_t *row = pending(e, id, err);
    if (row && !has_code(skit_json_string(row, "passwordless_type"))) {
        json_decref(row);
        row = fail(err, 400, "INVALID_ARGUMENT", "code", "this request was sent a link, no code");
    }
    if (!row) {
        emu_tx_rollback(e->store);
        return NULL;
    }
    char upper[64], hash[65];
    size_t i = 0;
    for (; code[i] && i + 1 < sizeof upper; i++)
        upper[i] = (char)toupper((unsigned char)code[i]);
    upper[i] = '\0';
    code_hash(id, upper, hash);
    bool right = hash_equal(skit_json_string(row, "otp_hash"), hash);
    int64_t attempts = json_integer_value(json_object_get(row, "attempts")) + (right ? 0 : 1);
    const char *status = right ? "VERIFIED" : attempts >= EMU_PASSWORDLESS_MAX_ATTEMPTS ? "FAILED" : "PENDING";
    json_decref(row);
    bool ok = emu_db_exec(e->store, "UPDATE passwordless_requests SET attempts = ?, status = ?, updated_at = ? "
                                    "WHERE id = ?", "isis", attempts, status, skit_now(), id) == 1;
    row = finish(e, id, ok, err);
    if (row && !right) {
        json_decref(row);
        return attempts >= EMU_PASSWORDLESS_MAX_ATTEMPTS
                   ? fail(err, 429, "RESOURCE_EXHAUSTED", NULL, "too many wrong codes: auth request %s is finished; "
                          "send a new email", id)
                   : fail(err, 400, "INVALID_ARGUMENT", "code", "the code is not valid (%lld of %d attempts left)",
                          (long long)(EMU_PASSWORDLESS_MAX_ATTEMPTS - attempts), EMU_PASSWORDLESS_MAX_ATTEMPTS);
    }
    return row;
}

json_t *emu_passwordless_by_link(emu *e, const char *token)
{
    char hash[65];
    emu_sha256_hex(token ? token : "", hash);
    return emu_db_row(e->store, "SELECT * FROM passwordless_requests WHERE link_hash = ?", "s", hash);
}

json_t *emu_passwordless_verify_link(emu *e, const char *token, const char *id, emu_passwordless_error *err)
{
    emu_passwordless_config c;
    if (emu_passwordless_config_get(e, &c) != 0 || emu_tx_begin(e->store) != 0)
        return oom(err);
    json_t *found = emu_passwordless_by_link(e, token), *row = NULL;
    const char *rid = skit_json_string(found, "id");
    if (!found)
        fail(err, 400, "INVALID_ARGUMENT", "link_token", "the link token is not valid");
    else if ((id && *id && strcmp(id, rid) != 0) || (c.enforce_same_browser_origin && (!id || !*id)))
        fail(err, 400, "INVALID_ARGUMENT", "auth_request_id", id && *id ? "does not match the link token"
             : "is required: the environment enforces the same browser origin");
    else
        row = pending(e, rid, err);
    if (!row) {
        emu_tx_rollback(e->store);
        json_decref(found);
        return NULL;
    }
    int64_t uses = json_integer_value(json_object_get(row, "link_uses")) + 1;
    bool ok = emu_db_exec(e->store, "UPDATE passwordless_requests SET link_uses = ?, status = ?, updated_at = ? "
                                    "WHERE id = ?", "isis", uses, uses >= c.frequency ? "VERIFIED" : "PENDING",
                          skit_now(), rid) == 1;
    json_decref(row);
    row = finish(e, rid, ok, err);
    json_decref(found);
    return row;
}
