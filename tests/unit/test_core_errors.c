/* Error decoding (API and OAuth bodies), status mapping, strerror, thread-locality. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"

static const char api_body[] =
    "{\"code\":3,\"message\":\"invalid organization\",\"details\":[{"
    "\"@type\":\"type.googleapis.com/scalekit.v1.errdetails.ErrorInfo\","
    "\"error_code\":\"INVALID_ARGUMENT\","
    "\"request_info\":{\"request_id\":\"req_123\"},"
    "\"validation_error_info\":{\"field_violations\":["
    "{\"field\":\"display_name\",\"description\":\"must not be empty\",\"constraint\":\"min_len\"},"
    "{\"field\":\"external_id\",\"description\":\"too long\"}]}}]}";

static void test_api_error_body(void **state)
{
    (void)state;
    int rc = skit_error_from_response(400, api_body, strlen(api_body), "hdr_req");
    assert_int_equal(rc, SCALEKIT_EINVALID_REQUEST);
    const scalekit_error *e = scalekit_error_last();
    assert_int_equal(e->code, SCALEKIT_EINVALID_REQUEST);
    assert_int_equal(e->http_status, 400);
    assert_string_equal(e->message, "HTTP 400: invalid organization");
    assert_string_equal(e->error_code, "INVALID_ARGUMENT");
    assert_string_equal(e->request_id, "req_123");   /* the body wins over the header */
    assert_int_equal(e->field_violation_count, 2);
    assert_string_equal(e->field_violations[0].field, "display_name");
    assert_string_equal(e->field_violations[0].description, "must not be empty");
    assert_string_equal(e->field_violations[0].constraint, "min_len");
    assert_string_equal(e->field_violations[1].field, "external_id");
    assert_null(e->field_violations[1].constraint);
}

static void test_request_id_from_header(void **state)
{
    (void)state;
    const char *body = "{\"code\":5,\"message\":\"organization not found\"}";
    assert_int_equal(skit_error_from_response(404, body, strlen(body), "hdr_req"),
                     SCALEKIT_ENOTFOUND);
    const scalekit_error *e = scalekit_error_last();
    assert_string_equal(e->request_id, "hdr_req");
    assert_null(e->error_code);
    assert_int_equal(e->field_violation_count, 0);
    assert_null(e->field_violations);
}

static void test_oauth_error_body(void **state)
{
    (void)state;
    const char *body = "{\"error\":\"invalid_grant\",\"error_description\":\"code expired\"}";
    assert_int_equal(skit_error_from_response(401, body, strlen(body), NULL),
                     SCALEKIT_EUNAUTHENTICATED);
    const scalekit_error *e = scalekit_error_last();
    assert_string_equal(e->error_code, "invalid_grant");
    assert_string_equal(e->message, "HTTP 401: code expired");
    assert_null(e->request_id);

    body = "{\"error\":\"invalid_client\"}";
    skit_error_from_response(400, body, strlen(body), NULL);
    assert_string_equal(scalekit_error_last()->message, "HTTP 400: invalid_client");
}

static void test_non_json_and_empty_bodies(void **state)
{
    (void)state;
    const char *html = "<html>\n<body>Bad Gateway</body></html>";
    assert_int_equal(skit_error_from_response(502, html, strlen(html), NULL), SCALEKIT_ESERVER);
    const scalekit_error *e = scalekit_error_last();
    assert_int_equal(e->http_status, 502);
    assert_non_null(strstr(e->message, "502"));
    assert_non_null(strstr(e->message, "Bad Gateway"));
    assert_null(strchr(e->message, '\n'));
    assert_null(e->error_code);

    assert_int_equal(skit_error_from_response(503, NULL, 0, NULL), SCALEKIT_ESERVER);
    assert_string_equal(scalekit_error_last()->message, "HTTP 503 with an empty body");

    /* JSON but not an object, and an object whose fields have surprising types */
    assert_int_equal(skit_error_from_response(418, "[1,2]", 5, NULL), SCALEKIT_EHTTP);
    assert_non_null(strstr(scalekit_error_last()->message, "418"));
    const char *odd = "{\"message\":7,\"details\":{\"x\":1},\"error\":[]}";
    assert_int_equal(skit_error_from_response(409, odd, strlen(odd), NULL), SCALEKIT_EEXISTS);
    assert_non_null(strstr(scalekit_error_last()->message, "409"));
    const char *odd2 = "{\"details\":[1,\"x\",{\"validation_error_info\":{\"field_violations\":"
                       "[3,{\"field\":1}]}}]}";
    skit_error_from_response(400, odd2, strlen(odd2), NULL);
    assert_int_equal(scalekit_error_last()->field_violation_count, 1);
    assert_null(scalekit_error_last()->field_violations[0].field);
}

static void test_status_mapping(void **state)
{
    (void)state;
    assert_int_equal(skit_error_code_for_status(400), SCALEKIT_EINVALID_REQUEST);
    assert_int_equal(skit_error_code_for_status(401), SCALEKIT_EUNAUTHENTICATED);
    assert_int_equal(skit_error_code_for_status(403), SCALEKIT_EPERMISSION);
    assert_int_equal(skit_error_code_for_status(404), SCALEKIT_ENOTFOUND);
    assert_int_equal(skit_error_code_for_status(409), SCALEKIT_EEXISTS);
    assert_int_equal(skit_error_code_for_status(429), SCALEKIT_ERATE_LIMITED);
    assert_int_equal(skit_error_code_for_status(500), SCALEKIT_ESERVER);
    assert_int_equal(skit_error_code_for_status(599), SCALEKIT_ESERVER);
    assert_int_equal(skit_error_code_for_status(302), SCALEKIT_EHTTP);
    assert_int_equal(skit_error_code_for_status(422), SCALEKIT_EHTTP);
    assert_int_equal(skit_error_code_for_status(600), SCALEKIT_EHTTP);
}

static void test_set_reset_clear(void **state)
{
    (void)state;
    assert_int_equal(skit_error_set(SCALEKIT_EINVAL, "organization_id must not be empty (%d)", 1),
                     SCALEKIT_EINVAL);
    const scalekit_error *e = scalekit_error_last();
    assert_int_equal(e->code, SCALEKIT_EINVAL);
    assert_int_equal(e->http_status, 0);
    assert_string_equal(e->message, "organization_id must not be empty (1)");
    skit_error_reset();
    e = scalekit_error_last();
    assert_non_null(e);
    assert_int_equal(e->code, SCALEKIT_OK);
    assert_null(e->message);
    assert_int_equal(skit_error_oom(), SCALEKIT_ENOMEM);
    assert_int_equal(scalekit_error_last()->code, SCALEKIT_ENOMEM);
    assert_string_equal(scalekit_error_last()->message, "out of memory");
    scalekit_error_clear();
    assert_int_equal(scalekit_error_last()->code, SCALEKIT_OK);
    /* set_code keeps the details; it does nothing when no error is recorded */
    assert_int_equal(skit_error_set_code(SCALEKIT_EUNAUTHENTICATED), SCALEKIT_EUNAUTHENTICATED);
    assert_int_equal(scalekit_error_last()->code, SCALEKIT_OK);
    skit_error_from_response(400, api_body, strlen(api_body), NULL);
    skit_error_set_code(SCALEKIT_EUNAUTHENTICATED);
    assert_int_equal(scalekit_error_last()->code, SCALEKIT_EUNAUTHENTICATED);
    assert_string_equal(scalekit_error_last()->error_code, "INVALID_ARGUMENT");
}

static void test_save_restore(void **state)
{
    (void)state;
    skit_error_from_response(400, api_body, strlen(api_body), NULL);
    skit_error_state *saved = skit_error_save();
    assert_non_null(saved);
    skit_error_set(SCALEKIT_EINVAL, "other");
    assert_int_equal(skit_error_restore(saved), SCALEKIT_EINVALID_REQUEST);
    skit_error_state_free(saved);
    const scalekit_error *e = scalekit_error_last();
    assert_int_equal(e->http_status, 400);
    assert_string_equal(e->request_id, "req_123");
    assert_int_equal(e->field_violation_count, 2);
    assert_string_equal(e->field_violations[1].description, "too long");
    assert_int_equal(skit_error_restore(NULL), SCALEKIT_ENOMEM);
}

static void test_strerror_every_code(void **state)
{
    (void)state;
    static const int codes[] = {
        SCALEKIT_OK, SCALEKIT_EINVAL, SCALEKIT_ENOMEM, SCALEKIT_ENETWORK, SCALEKIT_ETIMEOUT,
        SCALEKIT_EUNAUTHENTICATED, SCALEKIT_EPERMISSION, SCALEKIT_ENOTFOUND, SCALEKIT_EEXISTS,
        SCALEKIT_EINVALID_REQUEST, SCALEKIT_ERATE_LIMITED, SCALEKIT_ESERVER,
        SCALEKIT_EMALFORMED_RESPONSE, SCALEKIT_EHTTP, SCALEKIT_EINTERNAL,
        SCALEKIT_ETOKEN_MALFORMED, SCALEKIT_ETOKEN_SIGNATURE, SCALEKIT_ETOKEN_EXPIRED,
        SCALEKIT_ETOKEN_NOT_YET_VALID, SCALEKIT_ETOKEN_CLAIM, SCALEKIT_ETOKEN_UNKNOWN_KEY,
        SCALEKIT_ETOKEN_ALGORITHM, SCALEKIT_ETOKEN_TOO_LARGE, SCALEKIT_EWEBHOOK_MISSING_HEADER,
        SCALEKIT_EWEBHOOK_INVALID_SECRET, SCALEKIT_EWEBHOOK_TIMESTAMP_TOO_OLD,
        SCALEKIT_EWEBHOOK_TIMESTAMP_TOO_NEW, SCALEKIT_EWEBHOOK_SIGNATURE,
        SCALEKIT_EWEBHOOK_MALFORMED_HEADER, SCALEKIT_ITEROVER,
    };
    size_t n = sizeof codes / sizeof codes[0];
    for (size_t i = 0; i < n; i++) {
        const char *s = scalekit_strerror(codes[i]);
        assert_non_null(s);
        assert_string_not_equal(s, "unknown error");
        for (size_t j = 0; j < i; j++)   /* every name is distinct */
            assert_string_not_equal(s, scalekit_strerror(codes[j]));
    }
    assert_string_equal(scalekit_strerror(SCALEKIT_ENOTFOUND), "not found");
    assert_string_equal(scalekit_strerror(-1000), "unknown error");
    assert_string_equal(scalekit_strerror(5), "unknown error");
}

/* Each thread records its own failure; neither sees the other's. */
typedef struct {
    pthread_barrier_t *barrier;
    int code;
    char name[32];
    bool ok;
} thread_arg;

static void *error_thread(void *p)
{
    thread_arg *a = p;
    bool fresh = scalekit_error_last()->code == SCALEKIT_OK;   /* no cmocka assert off-thread */
    skit_error_set(a->code, "%s", a->name);
    pthread_barrier_wait(a->barrier);   /* both have set theirs */
    const scalekit_error *e = scalekit_error_last();
    a->ok = fresh && e->code == a->code && e->message && strcmp(e->message, a->name) == 0;
    pthread_barrier_wait(a->barrier);
    /* left set on purpose: the key destructor must free it at thread exit */
    return NULL;
}

static void test_thread_local(void **state)
{
    (void)state;
    skit_error_set(SCALEKIT_EHTTP, "main");
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, 2);
    thread_arg a = {&barrier, SCALEKIT_ENOTFOUND, "thread one", false};
    thread_arg b = {&barrier, SCALEKIT_ETIMEOUT, "thread two", false};
    pthread_t t1, t2;
    pthread_create(&t1, NULL, error_thread, &a);
    pthread_create(&t2, NULL, error_thread, &b);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    pthread_barrier_destroy(&barrier);
    assert_true(a.ok);
    assert_true(b.ok);
    assert_int_equal(scalekit_error_last()->code, SCALEKIT_EHTTP);
    assert_string_equal(scalekit_error_last()->message, "main");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_error_body),
        cmocka_unit_test(test_request_id_from_header),
        cmocka_unit_test(test_oauth_error_body),
        cmocka_unit_test(test_non_json_and_empty_bodies),
        cmocka_unit_test(test_status_mapping),
        cmocka_unit_test(test_set_reset_clear),
        cmocka_unit_test(test_save_restore),
        cmocka_unit_test(test_strerror_every_code),
        cmocka_unit_test(test_thread_local),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    scalekit_error_clear();
    return rc;
}
