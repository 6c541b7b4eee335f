/*
 * Typed webhook event decoding against its floor, measured in the same run.
 *
 * (a) the floor: json_loadb() of the same delivery and json_decref(): parsing
 *     the body is what any app does with an untyped payload;
 * (b) scalekit_event_decode(): the same parse plus the envelope, the type
 *     lookup, the family's structs through the field tables, raw_json and
 *     data_json, all in one arena, then scalekit_event_free().
 * Two deliveries: a user.login (user and session) and a directory user with
 * groups and attributes. Prints both rates (best of alternating rounds) and
 * (a)/(b): the share of decoding that is parsing; the goal is >= 0.4 (typed
 * data costs at most 2.5x the parse an app cannot avoid).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bench_support.h"
#include "scalekit/scalekit.h"

#define ROUNDS 5
#define ROUND_SECONDS 0.3

static const char login[] =
    "{\"spec_version\":\"1\",\"id\":\"evt_5f2b7c1d9e3a4b6c\",\"type\":\"user.login\","
    "\"occurred_at\":\"2026-12-03T10:30:00.123456789Z\",\"environment_id\":\"env_53879494091473415\","
    "\"organization_id\":\"org_53879494091473415\",\"object\":\"User\",\"display_name\":\"User Login\","
    "\"data\":{\"user\":{\"id\":\"usr_53891546960887884\",\"email\":\"ada.lovelace@acme.example\","
    "\"external_id\":\"ext-1842\",\"create_time\":\"2026-01-15T10:30:00Z\",\"update_time\":\"2026-11-15T10:30:00Z\","
    "\"last_login_time\":\"2026-12-03T10:30:00Z\",\"metadata\":{\"plan\":\"enterprise\",\"region\":\"eu\"},"
    "\"user_profile\":{\"given_name\":\"Ada\",\"family_name\":\"Lovelace\",\"name\":\"Ada Lovelace\","
    "\"email_verified\":true,\"locale\":\"en-GB\"}},\"user_session\":{\"session_id\":\"ses_98127364512\","
    "\"user_id\":\"usr_53891546960887884\",\"organization_id\":\"org_53879494091473415\",\"status\":\"ACTIVE\","
    "\"created_at\":\"2026-12-03T10:30:00Z\",\"updated_at\":\"2026-12-03T10:30:00Z\","
    "\"last_active_at\":\"2026-12-03T10:30:00Z\",\"absolute_expires_at\":\"2026-12-10T10:30:00Z\","
    "\"idle_expires_at\":\"2026-12-03T11:00:00Z\"}}}";

static const char directory_user[] =
    "{\"spec_version\":\"1\",\"id\":\"evt_6a3c8d2e0f4b5c7d\",\"type\":\"organization.directory.user_updated\","
    "\"occurred_at\":\"2026-12-03T10:30:00Z\",\"environment_id\":\"env_53879494091473415\","
    "\"organization_id\":\"org_53879494091473415\",\"object\":\"DirectoryUser\",\"display_name\":\"Directory User Updated\","
    "\"data\":{\"id\":\"diruser_53891546960887884\",\"organization_id\":\"org_53879494091473415\",\"active\":true,"
    "\"email\":\"grace.hopper@acme.example\",\"given_name\":\"Grace\",\"family_name\":\"Hopper\","
    "\"name\":\"Grace Hopper\",\"preferred_username\":\"ghopper\",\"dp_id\":\"00u1abcd2EFGH3ijk4l5\","
    "\"employee_id\":\"E-1906\",\"department\":\"Engineering\",\"cost_center\":\"CC-42\",\"division\":\"R&D\","
    "\"title\":\"Rear Admiral\",\"user_type\":\"Employee\",\"phone_number\":\"+1 555 0100\",\"locale\":\"en-US\","
    "\"groups\":[{\"id\":\"dirgroup_1\",\"name\":\"Engineering\"},{\"id\":\"dirgroup_2\",\"name\":\"Admins\"}],"
    "\"roles\":[{\"role_name\":\"admin\"}],\"custom_attributes\":{\"badge\":1906,\"clearance\":\"top\"},"
    "\"address\":{\"locality\":\"Arlington\",\"region\":\"VA\",\"country\":\"US\"}}}";

static double rate_parse(const char *body, size_t len)
{
    long n = 0;
    double start = bench_now(), now;
    do {
        for (int i = 0; i < 200; i++) {
            json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
            if (!root)
                abort();
            json_decref(root);
        }
        n += 200;
        now = bench_now();
    } while (now - start < ROUND_SECONDS);
    return (double)n / (now - start);
}

static double rate_decode(const char *body, size_t len)
{
    long n = 0;
    double start = bench_now(), now;
    do {
        for (int i = 0; i < 200; i++) {
            scalekit_event *ev = NULL;
            if (scalekit_event_decode(body, len, &ev) != SCALEKIT_OK || ev->family == SCALEKIT_EVENT_FAMILY_UNKNOWN)
                abort();
            scalekit_event_free(ev);
        }
        n += 200;
        now = bench_now();
    } while (now - start < ROUND_SECONDS);
    return (double)n / (now - start);
}

static void measure(const char *name, const char *body)
{
    size_t len = strlen(body);
    double best_parse = 0, best_decode = 0;
    for (int r = 0; r < ROUNDS; r++) {
        double p = rate_parse(body, len), d = rate_decode(body, len);
        best_parse = p > best_parse ? p : best_parse;
        best_decode = d > best_decode ? d : best_decode;
    }
    printf("bench_event %-15s %5zu bytes: json_loadb %9.0f/s, scalekit_event_decode %9.0f/s, "
           "parse share of decoding %.2f (goal >= 0.40)\n",
           name, len, best_parse, best_decode, best_decode / best_parse);
}

int main(void)
{
    measure("user.login", login);
    measure("directory user", directory_user);
    return 0;
}
