/*
 * The emulator's organization validation over raw HTTP, for what the SDK never
 * sends (so these requests stay out of the contract test): bad slugs, logo URLs,
 * metadata types, bodies that are not JSON; and the cascade of a delete to the
 * organization's memberships.
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
#include "emu_testhttp.h"

/* From the emulator's internal resources.h (whose typedef `emu` would clash here). */
char *emu_user_ensure(scalekit_emulator *e, const char *email, const char *organization_id);

/* POST @p body; assert a 400 whose field violation names @p field. */
static void assert_rejected(emu_raw_fixture *s, const char *method, const char *path, const char *body,
                            const char *field)
{
    json_t *reply = NULL;
    long status = emu_raw_fixture_api(s, method, path, body, &reply);
    if (status != 400)
        fail_msg("%s %s %s answered %ld", method, path, body, status);
    assert_int_equal(json_integer_value(json_object_get(reply, "code")), 3);
    json_t *info = json_array_get(json_object_get(reply, "details"), 0);
    assert_string_equal(json_string_value(json_object_get(info, "error_code")), "INVALID_ARGUMENT");
    json_t *violation = json_array_get(json_object_get(json_object_get(info, "validation_error_info"),
                                                       "field_violations"), 0);
    if (field)
        assert_string_equal(json_string_value(json_object_get(violation, "field")), field);
    json_decref(reply);
}

static void create_validation(void **state)
{
    emu_raw_fixture *s = *state;
    const char *p = "/api/v1/organizations";
    assert_rejected(s, "POST", p, "{}", "display_name");
    assert_rejected(s, "POST", p, "{\"display_name\":\"\"}", "display_name");
    assert_rejected(s, "POST", p, "{\"display_name\":42}", "display_name");
    assert_rejected(s, "POST", p, "{\"display_name\":\"a\",\"slug\":\"Upper\"}", "slug");
    assert_rejected(s, "POST", p, "{\"display_name\":\"a\",\"slug\":\"-dash\"}", "slug");
    assert_rejected(s, "POST", p, "{\"display_name\":\"a\",\"slug\":\"dash-.x\"}", "slug");
    assert_rejected(s, "POST", p, "{\"display_name\":\"a\",\"slug\":\"\"}", "slug");
    assert_rejected(s, "POST", p, "{\"display_name\":\"a\",\"logo_url\":\"http://x.io/l.png\"}", "logo_url");
    assert_rejected(s, "POST", p, "{\"display_name\":\"a\",\"metadata\":{\"plan\":7}}", "metadata.plan");
    assert_rejected(s, "POST", p, "{\"display_name\":\"a\",\"metadata\":[]}", "metadata");
    assert_rejected(s, "POST", p, "{\"display_name\":\"a\",\"external_id\":5}", "external_id");
    assert_rejected(s, "POST", p, "not json", NULL);
    /* A 253-character host name of 63-character labels is a valid slug; 254 is not. */
    char body[400], slug[300];
    memset(slug, 'a', 253);
    slug[63] = slug[127] = slug[191] = '.';
    slug[253] = '\0';
    snprintf(body, sizeof body, "{\"display_name\":\"long slug\",\"slug\":\"%s\"}", slug);
    json_t *reply = NULL;
    assert_int_equal(emu_raw_fixture_api(s, "POST", p, body, &reply), 201);
    json_decref(reply);
    slug[253] = 'a';
    slug[254] = '\0';
    snprintf(body, sizeof body, "{\"display_name\":\"longer slug\",\"slug\":\"%s\"}", slug);
    assert_rejected(s, "POST", p, body, "slug");
}

static void update_and_settings_validation(void **state)
{
    emu_raw_fixture *s = *state;
    json_t *reply = NULL;
    assert_int_equal(emu_raw_fixture_api(s, "POST", "/api/v1/organizations", "{\"display_name\":\"Valid\"}", &reply), 201);
    char path[256], settings[300];
    snprintf(path, sizeof path, "/api/v1/organizations/%s",
             json_string_value(json_object_get(json_object_get(reply, "organization"), "id")));
    snprintf(settings, sizeof settings, "%s/settings", path);
    json_decref(reply);
    assert_rejected(s, "PATCH", path, "{\"display_name\":\"\"}", "display_name");
    assert_rejected(s, "PATCH", path, "{\"logo_url\":\"ftp://x\"}", "logo_url");
    assert_rejected(s, "PATCH", settings, "{\"features\":{}}", "features");
    assert_rejected(s, "PATCH", settings, "{\"features\":[{\"name\":\"sso\"}]}", "features[0].enabled");
    /* "" clears a slug on update. */
    assert_int_equal(emu_raw_fixture_api(s, "PATCH", path, "{\"slug\":\"\"}", NULL), 200);
    assert_int_equal(emu_raw_fixture_api(s, "GET", "/api/v1/organizations?page_size=abc", NULL, NULL), 400);
}

static void delete_takes_the_memberships(void **state)
{
    emu_raw_fixture *s = *state;
    json_t *reply = NULL;
    assert_int_equal(emu_raw_fixture_api(s, "POST", "/api/v1/organizations", "{\"display_name\":\"Members\"}", &reply), 201);
    char org_id[96], path[256];
    snprintf(org_id, sizeof org_id, "%s",
             json_string_value(json_object_get(json_object_get(reply, "organization"), "id")));
    json_decref(reply);
    char *user_id = emu_user_ensure(s->f->emu, "member@example.com", org_id);
    assert_non_null(user_id);
    snprintf(path, sizeof path, "/api/v1/users/%s", user_id);
    assert_int_equal(emu_raw_fixture_api(s, "GET", path, NULL, &reply), 200);
    json_t *memberships = json_object_get(json_object_get(reply, "user"), "memberships");
    assert_int_equal(json_array_size(memberships), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(memberships, 0), "organization_id")),
                        org_id);
    json_decref(reply);

    char org_path[256];
    snprintf(org_path, sizeof org_path, "/api/v1/organizations/%s", org_id);
    assert_int_equal(emu_raw_fixture_api(s, "DELETE", org_path, NULL, NULL), 200);
    assert_int_equal(emu_raw_fixture_api(s, "GET", path, NULL, &reply), 200);
    assert_int_equal(json_array_size(json_object_get(json_object_get(reply, "user"), "memberships")), 0);
    json_decref(reply);
    free(user_id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_validation),
        cmocka_unit_test(update_and_settings_validation),
        cmocka_unit_test(delete_takes_the_memberships),
    };
    return cmocka_run_group_tests(tests, emu_raw_fixture_setup, emu_raw_fixture_teardown);
}
