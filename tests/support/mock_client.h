/*
 * mock_client: the fixture of a service's unit tests, a scripted mock server
 * (mock_http.h) and a client of it that never retries, plus the check of one
 * request on the wire. Every failure fails the running cmocka test.
 *
 *   cmocka_unit_test_setup_teardown(test, mock_client_setup, mock_client_teardown)
 *   ... mock_client *f = *state; mock_http_enqueue(f->mock, ...); call with f->client ...
 *   mock_assert_request(f->mock, "/api/v1/organizations", 0, "POST", "", "{\"display_name\":\"A\"}");
 */
#ifndef MOCK_CLIENT_H
#define MOCK_CLIENT_H

#include <stddef.h>

#include "mock_http.h"
#include "scalekit/scalekit.h"

typedef struct mock_client {
    mock_http *mock;
    scalekit_client *client;
} mock_client;

/* *state = a mock server and a client of it (no retries) / their stop. */
int mock_client_setup(void **state);
int mock_client_teardown(void **state);

/* The @p nth request to @p path: its method, raw query and body; a JSON
 * Content-Type when it has a body. */
void mock_assert_request(mock_http *m, const char *path, size_t nth, const char *method, const char *query,
                         const char *body);

#endif
