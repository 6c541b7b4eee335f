/*
 * Organization clients on the wire, beyond what the OpenAPI file describes (so
 * outside the contract test): expiry, an int64 that proto3 JSON writes as a
 * decimal string, is also taken as a number, and null clears it, as the real
 * service's JSON parser does; anything else is refused naming the field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "emu_fixture.h"

static void expiry_as_number_or_string(void **state)
{
    emu_raw_fixture *s = *state;
    json_t *out = NULL;
    assert_int_equal(emu_raw_fixture_api(s, "POST", "/api/v1/organizations", "{\"display_name\":\"Raw\"}", &out), 201);
    char path[256], item[320];
    snprintf(path, sizeof path, "/api/v1/organizations/%s/clients",
             json_string_value(json_object_get(json_object_get(out, "organization"), "id")));
    json_decref(out);
    assert_int_equal(emu_raw_fixture_api(s, "POST", path, "{\"name\":\"Raw\",\"expiry\":120}", &out), 201);
    json_t *client = json_object_get(out, "client");
    assert_string_equal(json_string_value(json_object_get(client, "expiry")), "120");
    snprintf(item, sizeof item, "%s/%s", path, json_string_value(json_object_get(client, "client_id")));
    json_decref(out);
    assert_int_equal(emu_raw_fixture_api(s, "PATCH", item, "{\"expiry\":\"60\"}", &out), 200);
    assert_string_equal(json_string_value(json_object_get(json_object_get(out, "client"), "expiry")), "60");
    json_decref(out);
    static const char *const bad[] = {"{\"expiry\":\"1e3\"}", "{\"expiry\":\"\"}", "{\"expiry\":0}",
                                      "{\"expiry\":\"-5\"}", "{\"expiry\":1.5}", "{\"expiry\":\"99999999999999999999\"}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(emu_raw_fixture_api(s, "PATCH", item, bad[i], &out), 400);
        assert_non_null(strstr(json_string_value(json_object_get(out, "message")), "expiry"));
        json_decref(out);
    }
    /* null clears it: the environment's lifetime again. */
    assert_int_equal(emu_raw_fixture_api(s, "PATCH", item, "{\"expiry\":null}", &out), 200);
    assert_null(json_object_get(json_object_get(out, "client"), "expiry"));
    json_decref(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(expiry_as_number_or_string, emu_raw_fixture_setup_env, emu_raw_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
