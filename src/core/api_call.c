/* JSON API calls over the transport: serialise, send with the API token, parse. */
#include <stdlib.h>
#include <string.h>

#include "client_internal.h"

int skit_api_call_raw(scalekit_client *client, const char *method, const char *path,
                      const char *query, const json_t *body, json_t **out, char **raw_out)
{
    if (out)
        *out = NULL;
    if (raw_out)
        *raw_out = NULL;
    if (!client)
        return skit_error_set(SCALEKIT_EINVAL, "client must not be NULL");
    if (!method)
        return skit_error_set(SCALEKIT_EINVAL, "HTTP method must not be NULL");
    char *text = NULL;
    if (body) {
        text = json_dumps(body, JSON_COMPACT);
        if (!text)
            return skit_error_set(SCALEKIT_EINVAL, "request body cannot be serialised");
    }
    bool idempotent = strcmp(method, "GET") == 0 || strcmp(method, "PUT") == 0 ||
                      strcmp(method, "DELETE") == 0;
    skit_request req = {
        .method = method, .path = path, .query = query,
        .body = text, .body_len = text ? strlen(text) : 0,
        .content_type = text ? "application/json" : NULL,
        .authenticated = true, .idempotent = idempotent,
    };
    skit_response resp;
    int rc = skit_http_send(client, &req, &resp);
    free(text);
    if (rc)
        return rc;

    /* An empty answer (204, or a DELETE's 200) reads as an empty object. */
    json_t *obj = resp.body_len ? skit_json_parse_object(resp.body, resp.body_len)
                                : json_object();
    if (!obj) {
        rc = resp.body_len ? SCALEKIT_EMALFORMED_RESPONSE : skit_error_oom();
        skit_response_free(&resp);
        return rc;
    }
    if (raw_out) {
        *raw_out = resp.body_len ? resp.body : strdup("{}");
        if (resp.body_len)
            resp.body = NULL;
        if (!*raw_out) {
            json_decref(obj);
            skit_response_free(&resp);
            return skit_error_oom();
        }
    }
    skit_response_free(&resp);
    if (out)
        *out = obj;
    else
        json_decref(obj);
    skit_error_reset();
    return SCALEKIT_OK;
}

int skit_api_call(scalekit_client *client, const char *method, const char *path,
                  const char *query, const json_t *body, json_t **out)
{
    return skit_api_call_raw(client, method, path, query, body, out, NULL);
}
