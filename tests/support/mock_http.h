/*
 * mock_http: a scriptable HTTP server for unit tests (libmicrohttpd on
 * 127.0.0.1, an ephemeral port). It answers each request from a queue of
 * scripted responses for its path, records every request for assertions, and
 * serves a default client-credentials answer at /oauth/token, so a test of an
 * API call needs to script only the API route. Thread safe: one thread per
 * connection, every piece of state behind one mutex.
 *
 * Typical use:
 *
 *   mock_http *m = mock_http_start();
 *   scalekit_client *c;
 *   scalekit_client_new(&c, mock_http_url(m), "id", "secret");
 *   mock_http_enqueue(m, "GET", "/api/v1/organizations/org_1", 200, "{\"organization\":{}}");
 *   ... call the SDK ...
 *   assert_int_equal(mock_http_count(m, "/api/v1/organizations/org_1"), 1);
 *   const mock_request *r = mock_http_request(m, 1);   // 0 was the token request
 *   assert_string_equal(mock_request_header(r, "x-api-version"), "20250830");
 *   scalekit_client_free(c);
 *   mock_http_stop(m);
 */
#ifndef MOCK_HTTP_H
#define MOCK_HTTP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct mock_http mock_http;

/** One scripted answer. */
typedef struct mock_response {
    int status;               /**< HTTP status; 0 means 200 */
    const char *body;         /**< NULL means empty */
    /** Extra response headers, "Name: value" lines separated by '\n', e.g.
     *  "Retry-After: 1\nx-request-id: req_1". NULL for none. Content-Type is
     *  application/json unless given here. */
    const char *headers;
    long delay_ms;            /**< wait this long before answering (timeouts, races) */
    bool drop;                /**< close the connection without any answer */
} mock_response;

/** A recorded request. Strings are owned by the mock; valid until mock_http_reset/stop. */
typedef struct mock_request {
    char *method;
    char *path;               /**< as sent (still percent-encoded), without the query */
    char *query;              /**< the raw query after '?' (still encoded), "" if none */
    char *body;               /**< NUL-terminated; "" when empty */
    size_t body_len;
    size_t header_count;
    char **header_names;      /**< as received */
    char **header_values;
} mock_request;

/** Start a server on 127.0.0.1 and a free port. Aborts the test program on failure. */
mock_http *mock_http_start(void);
/** Stop it, join its threads, free everything. Delayed answers are cut short. Safe on NULL. */
void mock_http_stop(mock_http *m);
/** "http://127.0.0.1:PORT": the base URL to give a client as its env_url. */
const char *mock_http_url(const mock_http *m);

/**
 * Queue an answer for the next request to @p path (exact match, query ignored)
 * whose method is @p method (NULL: any method). Answers are used once, in order.
 * When a path's queue is empty, its default answer is used (mock_http_set_default),
 * else /oauth/token gets a token (see mock_http_set_token) and anything else a 404
 * with an API error body. All strings are copied.
 */
void mock_http_enqueue(mock_http *m, const char *method, const char *path, int status,
                       const char *body);
/** As mock_http_enqueue, with headers, a delay or a dropped connection. */
void mock_http_enqueue_ex(mock_http *m, const char *method, const char *path,
                          const mock_response *response);
/** The answer for @p path whenever its queue is empty (copied; replaces an earlier one). */
void mock_http_set_default(mock_http *m, const char *path, const mock_response *response);

/**
 * The default answer of POST /oauth/token: {"access_token":"<prefix>-<n>",
 * "token_type":"Bearer","expires_in":<expires_in>} where n counts the tokens
 * issued (1, 2, ...), after waiting @p delay_ms. Defaults: "mock-token", 3600, 0.
 */
void mock_http_set_token(mock_http *m, const char *prefix, long expires_in, long delay_ms);

/** Number of requests received so far (all paths). */
size_t mock_http_request_count(mock_http *m);
/** Number of requests received for @p path (NULL: all). */
size_t mock_http_count(mock_http *m, const char *path);
/** The @p index-th request received (0-based, arrival order), or NULL. */
const mock_request *mock_http_request(mock_http *m, size_t index);
/** The @p nth (0-based) request received for @p path, or NULL. */
const mock_request *mock_http_request_for(mock_http *m, const char *path, size_t nth);
/** A header of a recorded request, matched case-insensitively; NULL when absent. */
const char *mock_request_header(const mock_request *r, const char *name);

/** Forget recorded requests, queued and default answers; restart the token counter. */
void mock_http_reset(mock_http *m);

#endif
