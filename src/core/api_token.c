/*
 * The client-credentials API token: cached until shortly before it expires,
 * fetched once for every thread that misses at the same time (single flight:
 * one fetcher, the others wait on the condition variable and share its result
 * or its error).
 */
#include <stdlib.h>
#include <string.h>

#include "client_internal.h"

/* RFC 6749 makes expires_in optional; without it, trust a token only briefly. */
#define TOKEN_DEFAULT_LIFETIME_S 300
/* expires_in comes from the server; a cap keeps now + lifetime from overflowing. */
#define TOKEN_MAX_LIFETIME_S (366L * 24 * 3600)

static bool is_token68_char(unsigned char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '.' || ch == '_' || ch == '~' || ch == '+' || ch == '/';
}

int skit_token_answer_check(const scalekit_client *client, const json_t *answer,
                            const char *name, bool required)
{
    const json_t *v = json_object_get(answer, name);
    if (v == NULL || json_is_null(v)) {
        if (!required)
            return SCALEKIT_OK;
        return skit_error_set(SCALEKIT_EMALFORMED_RESPONSE, "token endpoint answer has no %s", name);
    }
    if (!json_is_string(v))
        return skit_error_set(SCALEKIT_EMALFORMED_RESPONSE,
                              "token endpoint answer: %s is not a string", name);
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    size_t max = skit_core_of(client)->opts.max_token_bytes;
    if (len > max)
        return skit_error_set(SCALEKIT_EMALFORMED_RESPONSE,
                              "token endpoint answer: %s is %zu bytes, more than "
                              "max_token_bytes (%zu)", name, len, max);
    size_t body = 0;
    while (body < len && is_token68_char((unsigned char)s[body]))
        body++;
    size_t pad = body;
    while (pad < len && s[pad] == '=')
        pad++;
    if (len == 0 && required)
        return skit_error_set(SCALEKIT_EMALFORMED_RESPONSE, "token endpoint answer has no %s", name);
    if (pad != len || (body == 0 && len > 0))
        return skit_error_set(SCALEKIT_EMALFORMED_RESPONSE,
                              "token endpoint answer: %s has a character outside token68 "
                              "(RFC 6750) at offset %zu", name, pad < len ? pad : (size_t)0);
    return SCALEKIT_OK;
}

static int fetch_token(scalekit_client *client, char **token, int64_t *lifetime)
{
    const skit_core *core = skit_core_of(client);
    skit_buf form = SKIT_BUF_INIT;
    int rc = skit_form_add(&form, "grant_type", "client_credentials");
    if (!rc)
        rc = skit_form_add(&form, "client_id", core->client_id);
    if (!rc)
        rc = skit_form_add(&form, "client_secret", core->client_secret);
    if (rc) {
        skit_buf_free_secret(&form);
        return rc;
    }
    /* Asking for a token again changes nothing on the server, so it may be retried. */
    skit_request req = {
        .method = "POST", .path = "/oauth/token", .body = form.ptr, .body_len = form.len,
        .content_type = "application/x-www-form-urlencoded",
        .authenticated = false, .idempotent = true,
    };
    skit_response resp;
    rc = skit_http_send(client, &req, &resp);
    skit_buf_free_secret(&form);
    if (rc) {
        long status = scalekit_error_last()->http_status;
        if (status == 400 || status == 401)
            return skit_error_set_code(SCALEKIT_EUNAUTHENTICATED);
        return rc;
    }
    json_t *root = skit_json_parse_object(resp.body, resp.body_len);
    skit_response_free(&resp);
    if (!root)
        return SCALEKIT_EMALFORMED_RESPONSE;
    rc = skit_token_answer_check(client, root, "access_token", true);
    if (rc) {
        json_decref(root);
        return rc;
    }
    const char *access = skit_json_string(root, "access_token");
    int64_t expires_in = 0;
    if (!skit_json_int64(root, "expires_in", &expires_in) || expires_in <= 0)
        expires_in = TOKEN_DEFAULT_LIFETIME_S;
    if (expires_in > TOKEN_MAX_LIFETIME_S)
        expires_in = TOKEN_MAX_LIFETIME_S;
    *token = strdup(access);
    json_decref(root);
    if (!*token)
        return skit_error_oom();
    *lifetime = expires_in;
    return SCALEKIT_OK;
}

/* Under token_mu: the cached token, copied, when still fresh. */
static int take_cached(skit_core *core, char **token, uint64_t *generation, bool *found)
{
    *found = false;
    if (!core->api_token || skit_now() >= core->api_token_refresh_at)
        return SCALEKIT_OK;
    *found = true;
    *token = strdup(core->api_token);
    if (!*token)
        return skit_error_oom();
    if (generation)
        *generation = core->api_token_generation;
    return SCALEKIT_OK;
}

static void install_token(skit_core *core, char *token, int64_t lifetime)
{
    int64_t now = skit_now();
    /* A short-lived token is renewed halfway through rather than on every call. */
    int64_t margin = core->opts.api_token_refresh_margin_seconds;
    if (margin > lifetime / 2)
        margin = lifetime / 2;
    skit_free_secret(core->api_token);
    core->api_token = token;
    core->api_token_expires_at = now + lifetime;
    core->api_token_refresh_at = now + lifetime - margin;
    core->api_token_generation++;
}

int skit_api_token_get(scalekit_client *client, char **token, uint64_t *generation)
{
    skit_core *core = skit_core_of(client);
    *token = NULL;
    bool found;
    pthread_mutex_lock(&core->token_mu);
    for (;;) {
        int rc = take_cached(core, token, generation, &found);
        if (found || rc) {
            pthread_mutex_unlock(&core->token_mu);
            return rc;
        }
        if (!core->token_fetching)
            break;
        uint64_t seq = core->token_fetch_seq;
        while (core->token_fetching && seq == core->token_fetch_seq)
            pthread_cond_wait(&core->token_cv, &core->token_mu);
        if (seq != core->token_fetch_seq && core->token_fetch_error) {
            rc = skit_error_restore(core->token_fetch_error);
            pthread_mutex_unlock(&core->token_mu);
            return rc;
        }
    }
    core->token_fetching = true;
    pthread_mutex_unlock(&core->token_mu);

    char *fresh = NULL;
    int64_t lifetime = 0;
    int rc = fetch_token(client, &fresh, &lifetime);
    skit_error_state *failure = rc ? skit_error_save() : NULL;

    pthread_mutex_lock(&core->token_mu);
    core->token_fetching = false;
    core->token_fetch_seq++;
    skit_error_state_free(core->token_fetch_error);
    core->token_fetch_error = failure;
    if (!rc) {
        install_token(core, fresh, lifetime);
        *token = strdup(core->api_token);
        if (generation)
            *generation = core->api_token_generation;
        if (!*token)
            rc = skit_error_oom();
    }
    pthread_cond_broadcast(&core->token_cv);
    pthread_mutex_unlock(&core->token_mu);
    return rc;
}

void skit_api_token_invalidate(scalekit_client *client, uint64_t generation)
{
    skit_core *core = skit_core_of(client);
    pthread_mutex_lock(&core->token_mu);
    if (core->api_token && core->api_token_generation == generation) {
        skit_free_secret(core->api_token);
        core->api_token = NULL;
    }
    pthread_mutex_unlock(&core->token_mu);
}

void skit_api_token_cleanup(skit_core *core)
{
    skit_free_secret(core->api_token);
    core->api_token = NULL;
    skit_error_state_free(core->token_fetch_error);
    core->token_fetch_error = NULL;
}
