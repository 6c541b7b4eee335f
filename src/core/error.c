/*
 * The last error of each thread. The state lives behind a pthread key whose
 * destructor frees it at thread exit, so threads that die leak nothing.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

struct skit_error_state {
    scalekit_error pub;           /* points into the owned strings below */
    char *message;
    char *error_code;
    char *request_id;
    scalekit_field_violation *violations;   /* each string owned */
    size_t violation_count;
};

static pthread_key_t error_key;
static pthread_once_t error_key_once = PTHREAD_ONCE_INIT;
static bool error_key_ok;
/* When the state itself could not be allocated, report out-of-memory from a constant. */
static _Thread_local bool error_alloc_failed;
static const scalekit_error error_oom_constant = {
    .code = SCALEKIT_ENOMEM, .message = "out of memory",
};
static const scalekit_error error_none_constant = {.code = SCALEKIT_OK};

static void state_clear(skit_error_state *st)
{
    free(st->message);
    free(st->error_code);
    free(st->request_id);
    for (size_t i = 0; i < st->violation_count; i++) {
        free((char *)st->violations[i].field);
        free((char *)st->violations[i].description);
        free((char *)st->violations[i].constraint);
    }
    free(st->violations);
    memset(st, 0, sizeof *st);
}

static void state_destroy(void *p)
{
    if (!p)
        return;
    state_clear(p);
    free(p);
}

static void error_key_create(void)
{
    error_key_ok = pthread_key_create(&error_key, state_destroy) == 0;
}

/* This thread's state, created on first use; NULL when memory ran out. */
static skit_error_state *state_get(bool create)
{
    pthread_once(&error_key_once, error_key_create);
    if (!error_key_ok)
        return NULL;
    skit_error_state *st = pthread_getspecific(error_key);
    if (!st && create) {
        st = calloc(1, sizeof *st);
        if (!st || pthread_setspecific(error_key, st) != 0) {
            free(st);
            return NULL;
        }
    }
    return st;
}

static void state_publish(skit_error_state *st)
{
    st->pub.message = st->message;
    st->pub.error_code = st->error_code;
    st->pub.request_id = st->request_id;
    st->pub.field_violations = st->violations;
    st->pub.field_violation_count = st->violation_count;
}

/* A fresh state for a new failure; NULL (and the out-of-memory flag) when impossible. */
static skit_error_state *state_begin(int code, long http_status)
{
    skit_error_state *st = state_get(true);
    if (!st) {
        error_alloc_failed = true;
        return NULL;
    }
    error_alloc_failed = false;
    state_clear(st);
    st->pub.code = code;
    st->pub.http_status = http_status;
    return st;
}

int skit_error_set(int code, const char *fmt, ...)
{
    skit_error_state *st = state_begin(code, 0);
    if (!st)
        return code;
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    st->message = strdup(text);
    state_publish(st);
    return code;
}

int skit_error_oom(void)
{
    skit_error_state *st = state_begin(SCALEKIT_ENOMEM, 0);
    if (st) {
        /* A static message: allocating now might fail again. */
        state_publish(st);
        st->pub.message = "out of memory";
    }
    return SCALEKIT_ENOMEM;
}

void skit_error_reset(void)
{
    error_alloc_failed = false;
    skit_error_state *st = state_get(false);
    if (st)
        state_clear(st);
}

int skit_error_set_code(int code)
{
    skit_error_state *st = state_get(false);
    if (st && st->pub.code != SCALEKIT_OK)
        st->pub.code = code;
    return code;
}

int skit_error_code_for_status(long status)
{
    switch (status) {
    case 400: return SCALEKIT_EINVALID_REQUEST;
    case 401: return SCALEKIT_EUNAUTHENTICATED;
    case 403: return SCALEKIT_EPERMISSION;
    case 404: return SCALEKIT_ENOTFOUND;
    case 409: return SCALEKIT_EEXISTS;
    case 429: return SCALEKIT_ERATE_LIMITED;
    default:
        return status >= 500 && status <= 599 ? SCALEKIT_ESERVER : SCALEKIT_EHTTP;
    }
}

/* Collect error_code, request id and field violations from the API's details[]. */
static void decode_details(skit_error_state *st, const json_t *details)
{
    size_t i;
    const json_t *item;
    json_array_foreach(details, i, item) {
        if (!json_is_object(item))
            continue;
        const char *code = skit_json_string(item, "error_code");
        if (code && !st->error_code)
            st->error_code = strdup(code);
        const char *rid = skit_json_string(json_object_get(item, "request_info"), "request_id");
        if (rid && !st->request_id)
            st->request_id = strdup(rid);
        const json_t *fvs = json_object_get(json_object_get(item, "validation_error_info"),
                                            "field_violations");
        if (!json_is_array(fvs) || json_array_size(fvs) == 0 || st->violations)
            continue;
        st->violations = calloc(json_array_size(fvs), sizeof *st->violations);
        if (!st->violations)
            continue;
        size_t j;
        const json_t *fv;
        json_array_foreach(fvs, j, fv) {
            if (!json_is_object(fv))
                continue;
            scalekit_field_violation *out = &st->violations[st->violation_count++];
            out->field = skit_strdup_or_null(skit_json_string(fv, "field"));
            out->description = skit_strdup_or_null(skit_json_string(fv, "description"));
            out->constraint = skit_strdup_or_null(skit_json_string(fv, "constraint"));
        }
    }
}

/* A printable, bounded excerpt of a body that is not JSON. */
static void body_excerpt(const char *body, size_t len, char out[201])
{
    size_t n = len < 200 ? len : 200;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)body[i];
        out[i] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
    }
    out[n] = '\0';
}

int skit_error_from_response(long status, const char *body, size_t body_len,
                             const char *request_id_header)
{
    int code = skit_error_code_for_status(status);
    skit_error_state *st = state_begin(code, status);
    if (!st)
        return code;

    const char *said = NULL;
    json_t *root = NULL;
    if (body && body_len)
        root = json_loadb(body, body_len, 0, NULL);
    if (json_is_object(root)) {
        said = skit_json_string(root, "message");
        const json_t *details = json_object_get(root, "details");
        if (json_is_array(details))
            decode_details(st, details);
        const char *oauth_error = skit_json_string(root, "error");
        if (oauth_error && !st->error_code)
            st->error_code = strdup(oauth_error);
        if (!said)
            said = skit_json_string(root, "error_description");
        if (!said)
            said = oauth_error;
    }

    char text[512];
    if (said) {
        snprintf(text, sizeof text, "HTTP %ld: %s", status, said);
    } else if (body && body_len) {
        char excerpt[201];
        body_excerpt(body, body_len, excerpt);
        snprintf(text, sizeof text, "HTTP %ld: %s", status, excerpt);
    } else {
        snprintf(text, sizeof text, "HTTP %ld with an empty body", status);
    }
    st->message = strdup(text);
    if (!st->request_id && request_id_header)
        st->request_id = strdup(request_id_header);
    json_decref(root);
    state_publish(st);
    return code;
}

/* A deep copy of @p cur as a detached state; NULL on out of memory. */
static skit_error_state *state_copy(const scalekit_error *cur)
{
    skit_error_state *copy = calloc(1, sizeof *copy);
    if (!copy)
        return NULL;
    copy->pub.code = cur->code;
    copy->pub.http_status = cur->http_status;
    copy->message = skit_strdup_or_null(cur->message);
    copy->error_code = skit_strdup_or_null(cur->error_code);
    copy->request_id = skit_strdup_or_null(cur->request_id);
    if (cur->field_violation_count) {
        copy->violations = calloc(cur->field_violation_count, sizeof *copy->violations);
        if (copy->violations) {
            copy->violation_count = cur->field_violation_count;
            for (size_t i = 0; i < cur->field_violation_count; i++) {
                copy->violations[i].field = skit_strdup_or_null(cur->field_violations[i].field);
                copy->violations[i].description =
                    skit_strdup_or_null(cur->field_violations[i].description);
                copy->violations[i].constraint = skit_strdup_or_null(cur->field_violations[i].constraint);
            }
        }
    }
    state_publish(copy);
    return copy;
}

skit_error_state *skit_error_save(void)
{
    return state_copy(scalekit_error_last());
}

int skit_error_restore(const skit_error_state *saved)
{
    if (!saved)
        return skit_error_oom();
    skit_error_state *st = state_begin(saved->pub.code, saved->pub.http_status);
    if (!st)
        return saved->pub.code;
    skit_error_state *tmp = state_copy(&saved->pub);
    if (tmp) {
        *st = *tmp;
        free(tmp);
    }
    st->pub.code = saved->pub.code;
    st->pub.http_status = saved->pub.http_status;
    state_publish(st);
    return saved->pub.code;
}

void skit_error_state_free(skit_error_state *saved)
{
    state_destroy(saved);
}

const scalekit_error *scalekit_error_last(void)
{
    if (error_alloc_failed)
        return &error_oom_constant;
    skit_error_state *st = state_get(false);
    return st ? &st->pub : &error_none_constant;
}

void scalekit_error_clear(void)
{
    skit_error_reset();
}

const char *scalekit_strerror(int code)
{
    switch (code) {
    case SCALEKIT_OK: return "success";
    case SCALEKIT_EINVAL: return "invalid argument";
    case SCALEKIT_ENOMEM: return "out of memory";
    case SCALEKIT_ENETWORK: return "network error";
    case SCALEKIT_ETIMEOUT: return "timed out";
    case SCALEKIT_EUNAUTHENTICATED: return "unauthenticated";
    case SCALEKIT_EPERMISSION: return "permission denied";
    case SCALEKIT_ENOTFOUND: return "not found";
    case SCALEKIT_EEXISTS: return "already exists";
    case SCALEKIT_EINVALID_REQUEST: return "invalid request";
    case SCALEKIT_ERATE_LIMITED: return "rate limited";
    case SCALEKIT_ESERVER: return "server error";
    case SCALEKIT_EMALFORMED_RESPONSE: return "malformed response";
    case SCALEKIT_EHTTP: return "unexpected HTTP status";
    case SCALEKIT_EINTERNAL: return "internal error";
    case SCALEKIT_ETOKEN_MALFORMED: return "malformed token";
    case SCALEKIT_ETOKEN_SIGNATURE: return "token signature does not verify";
    case SCALEKIT_ETOKEN_EXPIRED: return "token expired";
    case SCALEKIT_ETOKEN_NOT_YET_VALID: return "token not yet valid";
    case SCALEKIT_ETOKEN_CLAIM: return "token claim mismatch";
    case SCALEKIT_ETOKEN_UNKNOWN_KEY: return "token signed by an unknown key";
    case SCALEKIT_ETOKEN_ALGORITHM: return "token algorithm refused";
    case SCALEKIT_ETOKEN_TOO_LARGE: return "token too large";
    case SCALEKIT_ETOKEN_FORBIDDEN: return "token lacks a required role, permission or organization";
    case SCALEKIT_EWEBHOOK_MISSING_HEADER: return "webhook header missing";
    case SCALEKIT_EWEBHOOK_INVALID_SECRET: return "invalid webhook secret";
    case SCALEKIT_EWEBHOOK_TIMESTAMP_TOO_OLD: return "webhook timestamp too old";
    case SCALEKIT_EWEBHOOK_TIMESTAMP_TOO_NEW: return "webhook timestamp too new";
    case SCALEKIT_EWEBHOOK_SIGNATURE: return "webhook signature mismatch";
    case SCALEKIT_EWEBHOOK_MALFORMED_HEADER: return "malformed webhook header";
    case SCALEKIT_ITEROVER: return "no more items";
    default: return "unknown error";
    }
}
