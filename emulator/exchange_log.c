/*
 * The exchange log: when SCALEKIT_EMULATOR_EXCHANGE_LOG (or the option
 * exchange_log_path) names a file, every /api/v1 exchange is appended to it as
 * one JSON line, so tests/contract/validate_openapi.py can check each request
 * and response body against the OpenAPI description.
 */
#include "environment.h"

#include <stdlib.h>
#include <string.h>

int emu_exchange_log_open(emu *e, const char *path)
{
    if (!path || !*path)
        path = getenv("SCALEKIT_EMULATOR_EXCHANGE_LOG");
    if (!path || !*path)
        return 0;
    e->exchange_log = fopen(path, "a");
    if (!e->exchange_log) {
        fprintf(stderr, "scalekit-emulator: cannot open the exchange log %s\n", path);
        return -1;
    }
    pthread_mutex_init(&e->exchange_log_lock, NULL);
    return 0;
}

void emu_exchange_log_close(emu *e)
{
    if (!e->exchange_log)
        return;
    fclose(e->exchange_log);
    e->exchange_log = NULL;
    pthread_mutex_destroy(&e->exchange_log_lock);
}

/* A body as JSON (any JSON value), or JSON null when it is empty or not JSON. */
static json_t *body_json(const char *body, size_t len)
{
    json_t *v = body && len ? json_loadb(body, len, JSON_DECODE_ANY, NULL) : NULL;
    return v ? v : json_null();
}

void emu_exchange_log_write(emu *e, const emu_req *r)
{
    if (!e->exchange_log || !r->replied)
        return;
    bool json_reply = r->content_type && strncmp(r->content_type, "application/json", 16) == 0;
    json_t *line = json_pack("{s:s, s:s, s:i, s:o, s:o}", "method", r->method, "path", r->path,
                             "status", (int)r->status, "request", body_json(r->body, r->body_len),
                             "response", json_reply ? body_json(r->resp_body, r->resp_len) : json_null());
    char *text = line ? json_dumps(line, JSON_COMPACT) : NULL;
    json_decref(line);
    if (!text)
        return;
    pthread_mutex_lock(&e->exchange_log_lock);
    fprintf(e->exchange_log, "%s\n", text);
    fflush(e->exchange_log);
    pthread_mutex_unlock(&e->exchange_log_lock);
    free(text);
}
