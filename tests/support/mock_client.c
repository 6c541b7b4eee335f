/* The fixture of a service's unit tests: see mock_client.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "mock_client.h"

int mock_client_setup(void **state)
{
    mock_client *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->mock = mock_http_start();
    scalekit_client_options opts = SCALEKIT_CLIENT_OPTIONS_INIT;
    opts.max_retries = -1;
    opts.retry_base_delay_ms = 1;
    if (scalekit_client_new_with_options(&f->client, mock_http_url(f->mock), "cid", "secret", &opts) != SCALEKIT_OK) {
        mock_http_stop(f->mock);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

int mock_client_teardown(void **state)
{
    mock_client *f = *state;
    scalekit_client_free(f->client);
    mock_http_stop(f->mock);
    free(f);
    return 0;
}

void mock_assert_request(mock_http *m, const char *path, size_t nth, const char *method, const char *query,
                         const char *body)
{
    const mock_request *r = mock_http_request_for(m, path, nth);
    assert_non_null(r);
    assert_string_equal(r->method, method);
    assert_string_equal(r->query, query);
    assert_string_equal(r->body, body);
    if (*body)
        assert_string_equal(mock_request_header(r, "content-type"), "application/json");
}
