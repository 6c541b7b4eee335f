/*
 * The fixture of the service unit tests: a mock_http server and a client on it
 * (no retries, so a scripted failure is seen once), plus the assertion on one
 * recorded request that every service test makes.
 */
#ifndef MOCK_FIXTURE_H
#define MOCK_FIXTURE_H

#include <stddef.h>

#include "scalekit/scalekit.h"
#include "mock_http.h"

typedef struct mock_fixture {
    mock_http *mock;
    scalekit_client *client;
} mock_fixture;

/** cmocka setup: *state becomes a mock_fixture. */
int mock_fixture_setup(void **state);
/** cmocka teardown of mock_fixture_setup. */
int mock_fixture_teardown(void **state);

/**
 * The @p nth request to @p path was sent with @p method, the raw @p query and
 * exactly @p body ("" for none; a JSON body also says application/json).
 */
void mock_fixture_assert_request(mock_fixture *f, const char *path, size_t nth,
                                 const char *method, const char *query, const char *body);

#endif
