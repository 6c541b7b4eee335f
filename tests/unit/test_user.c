/* Every user and membership method against the scripted mock server: the
 * request on the wire (method, path, query, JSON body) and the decoded
 * result, the C-level refusals (nothing sent), and the server's errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mock_client.h"

#define USER_JSON                                                                              \
    "{\"id\":\"usr_1\",\"email\":\"ada@example.com\",\"external_id\":\"ext_1\","              \
    "\"user_profile\":{\"id\":\"prof_1\",\"given_name\":\"Ada\",\"family_name\":\"Lovelace\","  \
    "\"name\":\"Ada Lovelace\",\"locale\":\"en-GB\",\"email_verified\":true,"                  \
    "\"phone_number\":\"+441234567890\",\"phone_number_verified\":true,"                      \
    "\"picture\":\"https://img.example.com/ada.png\",\"preferred_username\":\"ada\","          \
    "\"gender\":\"female\",\"groups\":[\"eng\",\"math\"],\"custom_attributes\":{\"team\":"       \
    "\"analytics\"},\"metadata\":{\"idp\":\"okta\"},\"external_identities\":[{"                \
    "\"connection_id\":\"conn_1\",\"connection_provider\":\"OKTA\",\"connection_type\":"       \
    "\"OIDC\",\"connection_user_id\":\"okta|42\",\"is_social\":true,\"created_time\":"         \
    "\"2025-01-01T00:00:00Z\",\"last_login_time\":\"2025-01-02T00:00:00Z\","                    \
    "\"last_synced_time\":\"2025-01-03T00:00:00Z\"}]},\"metadata\":{\"plan\":\"gold\"},"        \
    "\"memberships\":[{\"organization_id\":\"org_1\",\"name\":\"acme\",\"display_name\":"      \
    "\"Acme\",\"membership_status\":\"PENDING_INVITE\",\"roles\":[{\"id\":\"role_1\","          \
    "\"name\":\"admin\",\"display_name\":\"Admin\"}],\"permissions\":[\"read\",\"write\"],"     \
    "\"metadata\":{\"seat\":\"7\"},\"inviter_email\":\"boss@example.com\","                    \
    "\"provisioning_method\":\"invitation\",\"created_at\":\"2025-02-01T00:00:00Z\","          \
    "\"accepted_at\":\"2025-02-02T00:00:00Z\",\"expires_at\":\"2025-02-08T00:00:00Z\","         \
    "\"join_time\":\"2025-02-02T00:00:01Z\"}],\"create_time\":\"2025-02-15T06:23:44Z\","       \
    "\"update_time\":\"2025-02-15T06:23:45Z\",\"last_login_time\":\"2025-02-16T00:00:00Z\","   \
    "\"future_field\":1}"

#define T_2025_01_01 INT64_C(1735689600)
#define DAY INT64_C(86400)

static void assert_ada(const scalekit_user *u)
{
    assert_string_equal(u->id, "usr_1");
    assert_string_equal(u->email, "ada@example.com");
    assert_string_equal(u->external_id, "ext_1");
    assert_string_equal(scalekit_string_map_get(&u->metadata, "plan"), "gold");
    assert_true(u->create_time == INT64_C(1739600624));
    assert_true(u->update_time == INT64_C(1739600625));
    assert_true(u->last_login_time == T_2025_01_01 + 46 * DAY);

    const scalekit_user_profile_details *p = u->user_profile;
    assert_non_null(p);
    assert_string_equal(p->id, "prof_1");
    assert_string_equal(p->given_name, "Ada");
    assert_string_equal(p->family_name, "Lovelace");
    assert_string_equal(p->name, "Ada Lovelace");
    assert_string_equal(p->locale, "en-GB");
    assert_true(p->email_verified);
    assert_string_equal(p->phone_number, "+441234567890");
    assert_true(p->phone_number_verified);
    assert_string_equal(p->picture, "https://img.example.com/ada.png");
    assert_string_equal(p->preferred_username, "ada");
    assert_string_equal(p->gender, "female");
    assert_string_equal(p->groups[0], "eng");
    assert_string_equal(p->groups[1], "math");
    assert_null(p->groups[2]);
    assert_string_equal(scalekit_string_map_get(&p->custom_attributes, "team"), "analytics");
    assert_string_equal(scalekit_string_map_get(&p->metadata, "idp"), "okta");
    assert_int_equal(p->external_identity_count, 1);
    const scalekit_user_external_identity *x = p->external_identities[0];
    assert_string_equal(x->connection_id, "conn_1");
    assert_string_equal(x->connection_provider, "OKTA");
    assert_string_equal(x->connection_type, "OIDC");
    assert_string_equal(x->connection_user_id, "okta|42");
    assert_true(x->is_social);
    assert_true(x->created_time == T_2025_01_01);
    assert_true(x->last_login_time == T_2025_01_01 + DAY);
    assert_true(x->last_synced_time == T_2025_01_01 + 2 * DAY);

    assert_int_equal(u->membership_count, 1);
    const scalekit_user_membership *m = u->memberships[0];
    assert_string_equal(m->organization_id, "org_1");
    assert_string_equal(m->name, "acme");
    assert_string_equal(m->display_name, "Acme");
    assert_string_equal(m->membership_status, "PENDING_INVITE");
    assert_int_equal(m->role_count, 1);
    assert_int_equal(m->roles[0]->struct_size, sizeof(scalekit_user_role));
    assert_string_equal(m->roles[0]->id, "role_1");
    assert_string_equal(m->roles[0]->name, "admin");
    assert_string_equal(m->roles[0]->display_name, "Admin");
    assert_string_equal(m->permissions[0], "read");
    assert_string_equal(m->permissions[1], "write");
    assert_null(m->permissions[2]);
    assert_string_equal(scalekit_string_map_get(&m->metadata, "seat"), "7");
    assert_string_equal(m->inviter_email, "boss@example.com");
    assert_string_equal(m->provisioning_method, "invitation");
    assert_true(m->created_at == T_2025_01_01 + 31 * DAY);
    assert_true(m->accepted_at == T_2025_01_01 + 32 * DAY);
    assert_true(m->expires_at == T_2025_01_01 + 38 * DAY);
    assert_true(m->join_time == T_2025_01_01 + 32 * DAY + 1);
}

#define assert_request(f, ...) mock_assert_request((f)->mock, __VA_ARGS__)

static void create_user_and_membership_sends_every_field(void **state)
{
    mock_client *f = *state;
    const char *path = "/api/v1/organizations/org_1/users";
    const char *answer = "{\"user\":" USER_JSON "}";
    mock_http_enqueue(f->mock, "POST", path, 201, answer);
    const char *groups[] = { "eng", NULL };
    scalekit_user_profile_options profile = SCALEKIT_USER_PROFILE_OPTIONS_INIT;
    profile.given_name = "Ada";
    profile.family_name = "Lovelace";
    profile.locale = "en-GB";
    profile.groups = groups;
    profile.custom_attributes = (scalekit_string_map){ (scalekit_header[]){ { "team", "a" } }, 1 };
    scalekit_user_role admin = SCALEKIT_USER_ROLE_INIT;
    admin.name = "admin";
    const scalekit_user_role *roles[] = { &admin };
    scalekit_user_membership_options membership = SCALEKIT_USER_MEMBERSHIP_OPTIONS_INIT;
    membership.roles = roles;
    membership.role_count = 1;
    membership.inviter_email = "boss@example.com";
    scalekit_user_create_options opts = SCALEKIT_USER_CREATE_OPTIONS_INIT;
    opts.external_id = "ext_1";
    opts.metadata = (scalekit_string_map){ (scalekit_header[]){ { "plan", "gold" } }, 1 };
    opts.user_profile = &profile;
    opts.membership = &membership;
    scalekit_user *u = NULL;
    assert_int_equal(scalekit_user_create_user_and_membership(f->client, "org_1",
                                                              "ada@example.com", &opts, true, &u),
                     SCALEKIT_OK);
    assert_request(f, path, 0, "POST", "send_invitation_email=true",
                   "{\"email\":\"ada@example.com\",\"external_id\":\"ext_1\",\"metadata\":{\"plan\":"
                   "\"gold\"},\"user_profile\":{\"given_name\":\"Ada\",\"family_name\":\"Lovelace\","
                   "\"locale\":\"en-GB\",\"groups\":[\"eng\"],\"custom_attributes\":{\"team\":\"a\"}},"
                   "\"membership\":{\"roles\":[{\"name\":\"admin\"}],\"inviter_email\":"
                   "\"boss@example.com\"}}");
    assert_ada(u);
    assert_string_equal(u->raw_json, answer);
    scalekit_user_free(u);

    /* Without options: the email alone, and the flag says false. */
    mock_http_enqueue(f->mock, "POST", path, 201, answer);
    assert_int_equal(scalekit_user_create_user_and_membership(f->client, "org_1", "a@b.c", NULL,
                                                              false, &u), SCALEKIT_OK);
    assert_request(f, path, 1, "POST", "send_invitation_email=false", "{\"email\":\"a@b.c\"}");
    scalekit_user_free(u);
}

/* The SDK refuses only what C cannot send, and then sends nothing. */
static void create_user_refuses_bad_arguments(void **state)
{
    mock_client *f = *state;
    scalekit_user *u = (scalekit_user *)&u;
    scalekit_user_create_options unset = { 0 };
    scalekit_user_profile_options bad_profile = SCALEKIT_USER_PROFILE_OPTIONS_INIT;
    bad_profile.name = "\xc3(";
    scalekit_user_create_options with_bad_profile = SCALEKIT_USER_CREATE_OPTIONS_INIT;
    with_bad_profile.user_profile = &bad_profile;
    scalekit_user_role unset_role = { 0 };
    const scalekit_user_role *roles[] = { &unset_role };
    scalekit_user_membership_options membership = SCALEKIT_USER_MEMBERSHIP_OPTIONS_INIT;
    membership.roles = roles;
    membership.role_count = 1;
    scalekit_user_create_options with_bad_role = SCALEKIT_USER_CREATE_OPTIONS_INIT;
    with_bad_role.membership = &membership;
    struct {
        const char *org, *email;
        const scalekit_user_create_options *opts;
        const char *msg;
    } cases[] = {
        { "org_1", "", NULL, "email must not be empty" },
        { "org_1", NULL, NULL, "email must not be empty" },
        { "", "a@b.c", NULL, "organization_id must not be empty" },
        { "..", "a@b.c", NULL, "organization_id \"..\" is not a valid path segment" },
        { "org_1", "\xff", NULL, "user.email is not valid UTF-8" },
        { "org_1", "a@b.c", &unset, "scalekit_user_create_options.struct_size is 0: initialise "
                                   "the struct with SCALEKIT_USER_CREATE_OPTIONS_INIT" },
        { "org_1", "a@b.c", &with_bad_profile,
          "scalekit_user_profile_options.name is not valid UTF-8" },
        { "org_1", "a@b.c", &with_bad_role, "scalekit_user_role.struct_size is 0: initialise "
                                           "the struct with SCALEKIT_USER_ROLE_INIT" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(scalekit_user_create_user_and_membership(f->client, cases[i].org,
                                 cases[i].email, cases[i].opts, false, &u), SCALEKIT_EINVAL);
        assert_null(u);
        const char *msg = scalekit_error_last()->message;
        if (strcmp(msg, cases[i].msg) != 0)
            fail_msg("case %zu: \"%s\", not \"%s\"", i, msg, cases[i].msg);
    }
    assert_int_equal(scalekit_user_create_user_and_membership(f->client, "org_1", "a@b.c", NULL,
                                                              false, NULL), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "out must not be NULL");
    assert_int_equal(mock_http_request_count(f->mock), 0);
}

static void get_and_get_by_external_id(void **state)
{
    mock_client *f = *state;
    const char *path = "/api/v1/users/usr%201%2F..%3Fx";
    mock_http_enqueue(f->mock, "GET", path, 200, "{\"user\":" USER_JSON "}");
    scalekit_user *u = NULL;
    assert_int_equal(scalekit_user_get(f->client, "usr 1/..?x", &u), SCALEKIT_OK);
    assert_request(f, path, 0, "GET", "", "");
    assert_ada(u);
    assert_non_null(strstr(u->raw_json, "future_field"));
    scalekit_user_free(u);

    const char *ext = "/api/v1/users:external/cust%3A12";
    mock_http_enqueue(f->mock, "GET", ext, 200, "{\"user\":" USER_JSON "}");
    assert_int_equal(scalekit_user_get_by_external_id(f->client, "cust:12", &u), SCALEKIT_OK);
    assert_request(f, ext, 0, "GET", "", "");
    assert_ada(u);
    scalekit_user_free(u);

    size_t sent = mock_http_request_count(f->mock);
    assert_int_equal(scalekit_user_get(f->client, "", &u), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "id must not be empty");
    assert_int_equal(scalekit_user_get(f->client, "\xe2\x82", &u), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "id is not valid UTF-8");
    assert_int_equal(scalekit_user_get(f->client, "usr_1", NULL), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_user_get_by_external_id(f->client, NULL, &u), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "external_id must not be empty");
    assert_int_equal(scalekit_user_get(NULL, "usr_1", &u), SCALEKIT_EINVAL);
    assert_int_equal(mock_http_request_count(f->mock), sent);
}

static void update_and_update_by_external_id(void **state)
{
    mock_client *f = *state;
    mock_http_enqueue(f->mock, "PATCH", "/api/v1/users/usr_1", 200, "{\"user\":" USER_JSON "}");
    scalekit_user_profile_options profile = SCALEKIT_USER_PROFILE_OPTIONS_INIT;
    profile.name = "Ada L";
    profile.phone_number = "";
    scalekit_user_update_options up = SCALEKIT_USER_UPDATE_OPTIONS_INIT;
    up.external_id = "ext_2";
    up.user_profile = &profile;
    scalekit_user *u = NULL;
    assert_int_equal(scalekit_user_update(f->client, "usr_1", &up, &u), SCALEKIT_OK);
    assert_request(f, "/api/v1/users/usr_1", 0, "PATCH", "",
                   "{\"external_id\":\"ext_2\",\"user_profile\":{\"name\":\"Ada L\","
                   "\"phone_number\":\"\"}}");
    assert_ada(u);
    scalekit_user_free(u);

    const char *ext = "/api/v1/users:external/ext%2F1";
    mock_http_enqueue(f->mock, "PATCH", ext, 200, "{\"user\":" USER_JSON "}");
    scalekit_user_update_options meta = SCALEKIT_USER_UPDATE_OPTIONS_INIT;
    meta.metadata = (scalekit_string_map){ (scalekit_header[]){ { "k", "v" } }, 1 };
    assert_int_equal(scalekit_user_update_by_external_id(f->client, "ext/1", &meta, &u),
                     SCALEKIT_OK);
    assert_request(f, ext, 0, "PATCH", "", "{\"metadata\":{\"k\":\"v\"}}");
    scalekit_user_free(u);

    assert_int_equal(scalekit_user_update(f->client, "usr_1", NULL, &u), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "update must not be NULL");
    assert_null(u);
    meta.metadata = (scalekit_string_map){ (scalekit_header[]){ { "k", NULL } }, 1 };
    assert_int_equal(scalekit_user_update_by_external_id(f->client, "ext/1", &meta, &u),
                     SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message,
                        "scalekit_user_update_options.metadata entry 0 has a NULL value");
    assert_int_equal(mock_http_count(f->mock, "/api/v1/users/usr_1"), 1);
    assert_int_equal(mock_http_count(f->mock, ext), 1);
}

static void delete_and_delete_by_external_id(void **state)
{
    mock_client *f = *state;
    mock_http_enqueue(f->mock, "DELETE", "/api/v1/users/usr_1", 200, "{}");
    assert_int_equal(scalekit_user_delete(f->client, "usr_1"), SCALEKIT_OK);
    assert_request(f, "/api/v1/users/usr_1", 0, "DELETE", "", "");
    mock_http_enqueue(f->mock, "DELETE", "/api/v1/users:external/e1", 200, "");
    assert_int_equal(scalekit_user_delete_by_external_id(f->client, "e1"), SCALEKIT_OK);
    assert_request(f, "/api/v1/users:external/e1", 0, "DELETE", "", "");

    mock_http_enqueue(f->mock, "DELETE", "/api/v1/users/usr_2", 404,
                      "{\"code\":5,\"message\":\"user usr_2 not found\",\"details\":[{"
                      "\"@type\":\"type.googleapis.com/scalekit.v1.errdetails.ErrorInfo\","
                      "\"error_code\":\"NOT_FOUND\",\"request_info\":{\"request_id\":\"req_7\"}}]}");
    assert_int_equal(scalekit_user_delete(f->client, "usr_2"), SCALEKIT_ENOTFOUND);
    const scalekit_error *e = scalekit_error_last();
    assert_int_equal(e->http_status, 404);
    assert_string_equal(e->error_code, "NOT_FOUND");
    assert_string_equal(e->request_id, "req_7");
    assert_non_null(strstr(e->message, "user usr_2 not found"));

    size_t sent = mock_http_request_count(f->mock);
    assert_int_equal(scalekit_user_delete(f->client, ""), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_user_delete_by_external_id(f->client, "."), SCALEKIT_EINVAL);
    assert_int_equal(mock_http_request_count(f->mock), sent);
}

static void server_400_with_field_violation(void **state)
{
    mock_client *f = *state;
    mock_http_enqueue(f->mock, "POST", "/api/v1/organizations/org_1/users", 400,
                      "{\"code\":3,\"message\":\"invalid user\",\"details\":[{"
                      "\"error_code\":\"INVALID_ARGUMENT\",\"validation_error_info\":{"
                      "\"field_violations\":[{\"field\":\"email\",\"description\":"
                      "\"not an email address\"}]}}]}");
    scalekit_user *u = NULL;
    assert_int_equal(scalekit_user_create_user_and_membership(f->client, "org_1", "nope", NULL,
                                                              false, &u),
                     SCALEKIT_EINVALID_REQUEST);
    assert_null(u);
    const scalekit_error *e = scalekit_error_last();
    assert_int_equal(e->http_status, 400);
    assert_string_equal(e->error_code, "INVALID_ARGUMENT");
    assert_int_equal(e->field_violation_count, 1);
    assert_string_equal(e->field_violations[0].field, "email");
    assert_string_equal(e->field_violations[0].description, "not an email address");

    /* A 409 on a taken email. */
    mock_http_enqueue(f->mock, "POST", "/api/v1/organizations/org_1/users", 409,
                      "{\"code\":6,\"message\":\"email exists\"}");
    assert_int_equal(scalekit_user_create_user_and_membership(f->client, "org_1", "a@b.c", NULL,
                                                              false, &u), SCALEKIT_EEXISTS);
}

static void malformed_responses(void **state)
{
    mock_client *f = *state;
    scalekit_user *u = NULL;
    mock_http_enqueue(f->mock, "GET", "/api/v1/users/usr_1", 200, "{\"user\":");
    assert_int_equal(scalekit_user_get(f->client, "usr_1", &u), SCALEKIT_EMALFORMED_RESPONSE);
    mock_http_enqueue(f->mock, "GET", "/api/v1/users/usr_1", 200, "{\"users\":{}}");
    assert_int_equal(scalekit_user_get(f->client, "usr_1", &u), SCALEKIT_EMALFORMED_RESPONSE);
    assert_non_null(strstr(scalekit_error_last()->message, "\"user\""));
    assert_null(u);
    /* Members of the wrong type are tolerated. */
    mock_http_enqueue(f->mock, "GET", "/api/v1/users/usr_1", 200,
                      "{\"user\":{\"id\":\"usr_1\",\"email\":3,\"user_profile\":[],"
                      "\"memberships\":{},\"create_time\":true}}");
    assert_int_equal(scalekit_user_get(f->client, "usr_1", &u), SCALEKIT_OK);
    assert_string_equal(u->id, "usr_1");
    assert_null(u->email);
    assert_null(u->user_profile);
    assert_int_equal(u->membership_count, 0);
    assert_true(u->create_time == 0);
    scalekit_user_free(u);
}

/* ---- memberships --------------------------------------------------------- */

static void create_membership_by_id_and_external_id(void **state)
{
    mock_client *f = *state;
    const char *path = "/api/v1/memberships/organizations/org_1/users/usr_1";
    mock_http_enqueue(f->mock, "POST", path, 201, "{\"user\":" USER_JSON "}");
    scalekit_user_role admin = SCALEKIT_USER_ROLE_INIT;
    admin.name = "admin";
    admin.display_name = "Admin";
    scalekit_user_role member = SCALEKIT_USER_ROLE_INIT;
    member.name = "member";
    const scalekit_user_role *roles[] = { &admin, &member };
    scalekit_user_membership_options opts = SCALEKIT_USER_MEMBERSHIP_OPTIONS_INIT;
    opts.roles = roles;
    opts.role_count = 2;
    opts.metadata = (scalekit_string_map){ (scalekit_header[]){ { "seat", "7" } }, 1 };
    scalekit_user *u = NULL;
    assert_int_equal(scalekit_user_create_membership(f->client, "org_1", "usr_1", &opts, true, &u),
                     SCALEKIT_OK);
    assert_request(f, path, 0, "POST", "send_invitation_email=true",
                   "{\"roles\":[{\"name\":\"admin\",\"display_name\":\"Admin\"},{\"name\":"
                   "\"member\"}],\"metadata\":{\"seat\":\"7\"}}");
    assert_ada(u);
    scalekit_user_free(u);

    /* A returned membership's roles go back as they are (struct_size is set). */
    const char *ext = "/api/v1/memberships/organizations/org_1/users:external/cust%201";
    mock_http_enqueue(f->mock, "POST", ext, 201, "{\"user\":" USER_JSON "}");
    mock_http_enqueue(f->mock, "GET", "/api/v1/users/usr_1", 200, "{\"user\":" USER_JSON "}");
    assert_int_equal(scalekit_user_get(f->client, "usr_1", &u), SCALEKIT_OK);
    scalekit_user_membership_options again = SCALEKIT_USER_MEMBERSHIP_OPTIONS_INIT;
    again.roles = u->memberships[0]->roles;
    again.role_count = u->memberships[0]->role_count;
    scalekit_user *v = NULL;
    assert_int_equal(scalekit_user_create_membership_by_external_id(f->client, "org_1", "cust 1",
                                                                    &again, false, &v),
                     SCALEKIT_OK);
    assert_request(f, ext, 0, "POST", "send_invitation_email=false",
                   "{\"roles\":[{\"name\":\"admin\",\"display_name\":\"Admin\"}]}");
    scalekit_user_free(v);
    scalekit_user_free(u);

    /* No options: an empty membership object is the body. */
    mock_http_enqueue(f->mock, "POST", path, 201, "{\"user\":{\"id\":\"usr_1\"}}");
    assert_int_equal(scalekit_user_create_membership(f->client, "org_1", "usr_1", NULL, false, &u),
                     SCALEKIT_OK);
    assert_request(f, path, 1, "POST", "send_invitation_email=false", "{}");
    scalekit_user_free(u);

    const scalekit_user_role *holey[] = { &admin, NULL };
    opts.roles = holey;
    assert_int_equal(scalekit_user_create_membership(f->client, "org_1", "usr_1", &opts, false, &u),
                     SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message,
                        "scalekit_user_membership_options.roles item 1 is NULL");
    assert_int_equal(scalekit_user_create_membership(f->client, "org_1", "", NULL, false, &u),
                     SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "id must not be empty");
    assert_int_equal(scalekit_user_create_membership_by_external_id(f->client, NULL, "x", NULL,
                                                                    false, &u), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "organization_id must not be empty");
    assert_int_equal(mock_http_count(f->mock, path), 2);
    assert_int_equal(mock_http_count(f->mock, ext), 1);
}

static void update_membership_by_id_and_external_id(void **state)
{
    mock_client *f = *state;
    const char *path = "/api/v1/memberships/organizations/org_1/users/usr_1";
    mock_http_enqueue(f->mock, "PATCH", path, 200, "{\"user\":" USER_JSON "}");
    scalekit_user_role member = SCALEKIT_USER_ROLE_INIT;
    member.name = "member";
    const scalekit_user_role *roles[] = { &member };
    scalekit_user_membership_update_options up = SCALEKIT_USER_MEMBERSHIP_UPDATE_OPTIONS_INIT;
    up.roles = roles;
    up.role_count = 1;
    scalekit_user *u = NULL;
    assert_int_equal(scalekit_user_update_membership(f->client, "org_1", "usr_1", &up, &u),
                     SCALEKIT_OK);
    assert_request(f, path, 0, "PATCH", "", "{\"roles\":[{\"name\":\"member\"}]}");
    assert_ada(u);
    scalekit_user_free(u);

    const char *ext = "/api/v1/memberships/organizations/org_1/users:external/e1";
    mock_http_enqueue(f->mock, "PATCH", ext, 200, "{\"user\":" USER_JSON "}");
    scalekit_user_membership_update_options none = SCALEKIT_USER_MEMBERSHIP_UPDATE_OPTIONS_INIT;
    none.roles = roles;   /* an empty role list is sent as one: it clears the roles */
    none.role_count = 0;
    assert_int_equal(scalekit_user_update_membership_by_external_id(f->client, "org_1", "e1",
                                                                    &none, &u), SCALEKIT_OK);
    assert_request(f, ext, 0, "PATCH", "", "{\"roles\":[]}");
    scalekit_user_free(u);

    assert_int_equal(scalekit_user_update_membership(f->client, "org_1", "usr_1", NULL, &u),
                     SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "update must not be NULL");
    assert_int_equal(mock_http_count(f->mock, path), 1);
}

static void delete_membership_sends_cascade(void **state)
{
    mock_client *f = *state;
    const char *path = "/api/v1/memberships/organizations/org_1/users/usr_1";
    mock_http_enqueue(f->mock, "DELETE", path, 200, "{}");
    mock_http_enqueue(f->mock, "DELETE", path, 200, "{}");
    assert_int_equal(scalekit_user_delete_membership(f->client, "org_1", "usr_1", false),
                     SCALEKIT_OK);
    assert_int_equal(scalekit_user_delete_membership(f->client, "org_1", "usr_1", true),
                     SCALEKIT_OK);
    assert_request(f, path, 0, "DELETE", "cascade=false", "");
    assert_request(f, path, 1, "DELETE", "cascade=true", "");

    const char *ext = "/api/v1/memberships/organizations/org_1/users:external/e%3A1";
    mock_http_enqueue(f->mock, "DELETE", ext, 404, "{\"code\":5,\"message\":\"no membership\"}");
    assert_int_equal(scalekit_user_delete_membership_by_external_id(f->client, "org_1", "e:1",
                                                                    true), SCALEKIT_ENOTFOUND);
    assert_request(f, ext, 0, "DELETE", "cascade=true", "");
    assert_int_equal(scalekit_user_delete_membership(f->client, "org_1", NULL, false),
                     SCALEKIT_EINVAL);
    assert_int_equal(mock_http_count(f->mock, path), 2);
}

static void resend_invite(void **state)
{
    mock_client *f = *state;
    const char *path = "/api/v1/invites/organizations/org_1/users/usr_1/resend";
    const char *answer = "{\"invite\":{\"organization_id\":\"org_1\",\"user_id\":\"usr_1\","
                         "\"inviter_email\":\"boss@example.com\",\"status\":\"pending\","
                         "\"resent_count\":2,\"created_at\":\"2025-01-01T00:00:00Z\","
                         "\"expires_at\":\"2025-01-08T00:00:00Z\",\"resent_at\":"
                         "\"2025-01-02T00:00:00Z\"}}";
    mock_http_enqueue(f->mock, "PATCH", path, 200, answer);
    scalekit_user_invite *inv = NULL;
    assert_int_equal(scalekit_user_resend_invite(f->client, "org_1", "usr_1", &inv), SCALEKIT_OK);
    assert_request(f, path, 0, "PATCH", "", "{}");
    assert_string_equal(inv->organization_id, "org_1");
    assert_string_equal(inv->user_id, "usr_1");
    assert_string_equal(inv->inviter_email, "boss@example.com");
    assert_string_equal(inv->status, "pending");
    assert_int_equal(inv->resent_count, 2);
    assert_true(inv->created_at == T_2025_01_01);
    assert_true(inv->expires_at == T_2025_01_01 + 7 * DAY);
    assert_true(inv->resent_at == T_2025_01_01 + DAY);
    assert_string_equal(inv->raw_json, answer);
    scalekit_user_invite_free(inv);

    mock_http_enqueue(f->mock, "PATCH", path, 400,
                      "{\"code\":9,\"message\":\"no pending invitation\"}");
    assert_int_equal(scalekit_user_resend_invite(f->client, "org_1", "usr_1", &inv),
                     SCALEKIT_EINVALID_REQUEST);
    assert_null(inv);
    assert_int_equal(scalekit_user_resend_invite(f->client, "org_1", "usr_1", NULL),
                     SCALEKIT_EINVAL);
    assert_int_equal(mock_http_count(f->mock, path), 2);
}

static void member_roles_and_permissions(void **state)
{
    mock_client *f = *state;
    const char *roles_path = "/api/v1/organizations/org_1/users/usr_1/roles";
    const char *roles_answer = "{\"roles\":[{\"id\":\"r1\",\"name\":\"admin\",\"display_name\":"
                               "\"Admin\"},{\"name\":\"viewer\"}]}";
    mock_http_enqueue(f->mock, "GET", roles_path, 200, roles_answer);
    scalekit_user_role_list *roles = NULL;
    assert_int_equal(scalekit_user_list_roles(f->client, "org_1", "usr_1", &roles), SCALEKIT_OK);
    assert_request(f, roles_path, 0, "GET", "", "");
    assert_int_equal(roles->count, 2);
    assert_string_equal(roles->items[0]->id, "r1");
    assert_string_equal(roles->items[0]->name, "admin");
    assert_string_equal(roles->items[0]->display_name, "Admin");
    assert_string_equal(roles->items[1]->name, "viewer");
    assert_string_equal(roles->raw_json, roles_answer);
    scalekit_user_role_list_free(roles);

    mock_http_enqueue(f->mock, "POST", roles_path, 200, roles_answer);
    const char *names[] = { "admin", "viewer", NULL };
    assert_int_equal(scalekit_user_assign_roles(f->client, "org_1", "usr_1", names, &roles),
                     SCALEKIT_OK);
    assert_request(f, roles_path, 1, "POST", "",
                   "[{\"role_name\":\"admin\"},{\"role_name\":\"viewer\"}]");
    assert_int_equal(roles->count, 2);
    scalekit_user_role_list_free(roles);

    const char *bad[] = { "admin", "\xff", NULL };
    assert_int_equal(scalekit_user_assign_roles(f->client, "org_1", "usr_1", bad, &roles),
                     SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "role_names item 1 is not valid UTF-8");
    assert_int_equal(scalekit_user_assign_roles(f->client, "org_1", "usr_1", NULL, &roles),
                     SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "role_names must not be NULL");
    assert_int_equal(scalekit_user_assign_roles(f->client, "org_1", "", names, &roles),
                     SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "user_id must not be empty");
    assert_int_equal(scalekit_user_assign_roles(f->client, "org_1", "usr_1", names, NULL),
                     SCALEKIT_EINVAL);
    assert_int_equal(scalekit_user_assign_roles(NULL, "org_1", "usr_1", names, &roles),
                     SCALEKIT_EINVAL);
    assert_null(roles);
    assert_int_equal(mock_http_count(f->mock, roles_path), 2);

    const char *role_path = "/api/v1/organizations/org_1/users/usr_1/roles/team%20lead";
    mock_http_enqueue(f->mock, "DELETE", role_path, 200, "{}");
    assert_int_equal(scalekit_user_remove_role(f->client, "org_1", "usr_1", "team lead"),
                     SCALEKIT_OK);
    assert_request(f, role_path, 0, "DELETE", "", "");
    assert_int_equal(scalekit_user_remove_role(f->client, "org_1", "usr_1", ""), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "role_name must not be empty");

    const char *perm_path = "/api/v1/organizations/org_1/users/usr_1/permissions";
    mock_http_enqueue(f->mock, "GET", perm_path, 200,
                      "{\"permissions\":[{\"id\":\"p1\",\"name\":\"read:reports\",\"description\":"
                      "\"Read reports\",\"tags\":[\"reports\"]}]}");
    scalekit_user_permission_list *perms = NULL;
    assert_int_equal(scalekit_user_list_permissions(f->client, "org_1", "usr_1", &perms),
                     SCALEKIT_OK);
    assert_request(f, perm_path, 0, "GET", "", "");
    assert_int_equal(perms->count, 1);
    assert_string_equal(perms->items[0]->id, "p1");
    assert_string_equal(perms->items[0]->name, "read:reports");
    assert_string_equal(perms->items[0]->description, "Read reports");
    assert_string_equal(perms->items[0]->tags[0], "reports");
    scalekit_user_permission_list_free(perms);
    assert_int_equal(scalekit_user_list_permissions(f->client, "", "usr_1", &perms),
                     SCALEKIT_EINVAL);
    assert_int_equal(mock_http_count(f->mock, perm_path), 1);
}

/* ---- lists, searches and iterators --------------------------------------- */

static void list_pages(void **state)
{
    mock_client *f = *state;
    const char *path = "/api/v1/organizations/org_1/users";
    const char *answer = "{\"users\":[" USER_JSON ",{\"id\":\"usr_2\"}],\"next_page_token\":"
                         "\"n1\",\"prev_page_token\":\"p0\",\"total_size\":\"30\"}";
    mock_http_enqueue(f->mock, "GET", path, 200, answer);
    scalekit_user_list_options opts = SCALEKIT_USER_LIST_OPTIONS_INIT;
    opts.page_size = 2;
    opts.page_token = "tok a";
    scalekit_user_page *page = NULL;
    assert_int_equal(scalekit_user_list_organization_users(f->client, "org_1", &opts, &page),
                     SCALEKIT_OK);
    assert_request(f, path, 0, "GET", "page_size=2&page_token=tok%20a", "");
    assert_int_equal(page->count, 2);
    assert_ada(page->items[0]);
    assert_string_equal(page->items[1]->id, "usr_2");
    assert_string_equal(page->items[1]->raw_json, "{\"id\":\"usr_2\"}");
    assert_string_equal(page->next_page_token, "n1");
    assert_string_equal(page->prev_page_token, "p0");
    assert_true(page->total_size == 30);
    assert_string_equal(page->raw_json, answer);
    scalekit_user_page_free(page);

    mock_http_enqueue(f->mock, "GET", "/api/v1/users", 200, "{\"users\":[],\"total_size\":0}");
    assert_int_equal(scalekit_user_list(f->client, NULL, &page), SCALEKIT_OK);
    assert_request(f, "/api/v1/users", 0, "GET", "", "");
    assert_int_equal(page->count, 0);
    scalekit_user_page_free(page);

    mock_http_enqueue(f->mock, "GET", "/api/v1/users:search", 200, "{\"users\":[{\"id\":\"u\"}]}");
    assert_int_equal(scalekit_user_search(f->client, "ada@ex", &opts, &page), SCALEKIT_OK);
    assert_request(f, "/api/v1/users:search", 0, "GET",
                   "query=ada%40ex&page_size=2&page_token=tok%20a", "");
    assert_string_equal(page->items[0]->id, "u");
    scalekit_user_page_free(page);

    const char *org_search = "/api/v1/organizations/org_1/users:search";
    mock_http_enqueue(f->mock, "GET", org_search, 200, "{\"users\":[]}");
    assert_int_equal(scalekit_user_search_organization_users(f->client, "org_1", "ada", NULL,
                                                             &page), SCALEKIT_OK);
    assert_request(f, org_search, 0, "GET", "query=ada", "");
    scalekit_user_page_free(page);

    size_t sent = mock_http_request_count(f->mock);
    assert_int_equal(scalekit_user_search(f->client, "", NULL, &page), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "query must not be empty");
    assert_int_equal(scalekit_user_search_organization_users(f->client, "", "a", NULL, &page),
                     SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "organization_id must not be empty");
    assert_int_equal(scalekit_user_list_organization_users(f->client, "org_1", NULL, NULL),
                     SCALEKIT_EINVAL);
    scalekit_user_list_options unset = { 0 };
    assert_int_equal(scalekit_user_list(f->client, &unset, &page), SCALEKIT_EINVAL);
    assert_non_null(strstr(scalekit_error_last()->message, "SCALEKIT_USER_LIST_OPTIONS_INIT"));
    assert_int_equal(mock_http_request_count(f->mock), sent);
}

/* Four pages, one empty; each fetched once, in order, with the options kept. */
static void walk_four_pages(mock_client *f, const char *path, scalekit_user_iterator *it)
{
    mock_http_enqueue(f->mock, "GET", path, 200,
                      "{\"users\":[{\"id\":\"u1\"},{\"id\":\"u2\"}],\"next_page_token\":\"t2\"}");
    mock_http_enqueue(f->mock, "GET", path, 200, "{\"users\":[],\"next_page_token\":\"t3\"}");
    mock_http_enqueue(f->mock, "GET", path, 200,
                      "{\"users\":[{\"id\":\"u3\"}],\"next_page_token\":\"t4\"}");
    mock_http_enqueue(f->mock, "GET", path, 200,
                      "{\"users\":[{\"id\":\"u4\"},{\"id\":\"u5\"}],\"next_page_token\":\"\"}");
    assert_int_equal(mock_http_count(f->mock, path), 0);   /* lazy */
    const char *want[] = { "u1", "u2", "u3", "u4", "u5" };
    const scalekit_user *u = NULL;
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(scalekit_user_iterator_next(it, &u), SCALEKIT_OK);
        assert_string_equal(u->id, want[i]);
    }
    assert_int_equal(scalekit_user_iterator_next(it, &u), SCALEKIT_ITEROVER);
    assert_null(u);
    assert_int_equal(scalekit_user_iterator_next(it, &u), SCALEKIT_ITEROVER);
    assert_int_equal(mock_http_count(f->mock, path), 4);
    scalekit_user_iterator_free(it);
}

static void iterators_walk_every_page_once(void **state)
{
    mock_client *f = *state;
    scalekit_user_list_options opts = SCALEKIT_USER_LIST_OPTIONS_INIT;
    opts.page_size = 2;
    scalekit_user_iterator *it = NULL;
    const char *path = "/api/v1/organizations/org%201/users";
    assert_int_equal(scalekit_user_organization_users_iterator_new(f->client, "org 1", &opts, &it),
                     SCALEKIT_OK);
    walk_four_pages(f, path, it);
    assert_request(f, path, 0, "GET", "page_size=2", "");
    assert_request(f, path, 1, "GET", "page_size=2&page_token=t2", "");
    assert_request(f, path, 3, "GET", "page_size=2&page_token=t4", "");

    assert_int_equal(scalekit_user_iterator_new(f->client, NULL, &it), SCALEKIT_OK);
    walk_four_pages(f, "/api/v1/users", it);
    assert_request(f, "/api/v1/users", 2, "GET", "page_token=t3", "");

    assert_int_equal(scalekit_user_search_iterator_new(f->client, "ada", &opts, &it), SCALEKIT_OK);
    walk_four_pages(f, "/api/v1/users:search", it);
    assert_request(f, "/api/v1/users:search", 0, "GET", "query=ada&page_size=2", "");
    assert_request(f, "/api/v1/users:search", 1, "GET", "query=ada&page_size=2&page_token=t2", "");

    const char *org_search = "/api/v1/organizations/org_1/users:search";
    assert_int_equal(scalekit_user_search_organization_users_iterator_new(f->client, "org_1", "a b",
                                                                          NULL, &it), SCALEKIT_OK);
    walk_four_pages(f, org_search, it);
    assert_request(f, org_search, 3, "GET", "query=a%20b&page_token=t4", "");
    scalekit_user_iterator_free(NULL);
}

static void iterator_errors(void **state)
{
    mock_client *f = *state;
    scalekit_user_iterator *it = (scalekit_user_iterator *)&it;
    assert_int_equal(scalekit_user_search_iterator_new(f->client, "", NULL, &it), SCALEKIT_EINVAL);
    assert_null(it);
    assert_int_equal(scalekit_user_search_organization_users_iterator_new(f->client, "org_1", NULL,
                                                                          NULL, &it),
                     SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "query must not be empty");
    assert_int_equal(scalekit_user_organization_users_iterator_new(f->client, "", NULL, &it),
                     SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "organization_id must not be empty");
    assert_int_equal(scalekit_user_iterator_new(NULL, NULL, &it), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_user_iterator_new(f->client, NULL, NULL), SCALEKIT_EINVAL);
    assert_int_equal(mock_http_request_count(f->mock), 0);

    /* An error page stays failed; a repeated token is caught. */
    mock_http_enqueue(f->mock, "GET", "/api/v1/users", 200,
                      "{\"users\":[{\"id\":\"u1\"}],\"next_page_token\":\"t1\"}");
    mock_http_enqueue(f->mock, "GET", "/api/v1/users", 200,
                      "{\"users\":[{\"id\":\"u2\"}],\"next_page_token\":\"t1\"}");
    assert_int_equal(scalekit_user_iterator_new(f->client, NULL, &it), SCALEKIT_OK);
    const scalekit_user *u = NULL;
    assert_int_equal(scalekit_user_iterator_next(it, &u), SCALEKIT_OK);
    assert_int_equal(scalekit_user_iterator_next(it, &u), SCALEKIT_OK);
    assert_int_equal(scalekit_user_iterator_next(it, &u), SCALEKIT_EMALFORMED_RESPONSE);
    assert_int_equal(scalekit_user_iterator_next(it, &u), SCALEKIT_EMALFORMED_RESPONSE);
    assert_int_equal(scalekit_user_iterator_next(it, NULL), SCALEKIT_EINVAL);
    scalekit_user_iterator_free(it);
    assert_int_equal(mock_http_count(f->mock, "/api/v1/users"), 2);
}

static void frees_are_safe_on_null(void **state)
{
    (void)state;
    scalekit_user_free(NULL);
    scalekit_user_page_free(NULL);
    scalekit_user_invite_free(NULL);
    scalekit_user_role_list_free(NULL);
    scalekit_user_permission_list_free(NULL);
}

#define T(name) cmocka_unit_test_setup_teardown(name, mock_client_setup, mock_client_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(create_user_and_membership_sends_every_field),
        T(create_user_refuses_bad_arguments),
        T(get_and_get_by_external_id),
        T(update_and_update_by_external_id),
        T(delete_and_delete_by_external_id),
        T(server_400_with_field_violation),
        T(malformed_responses),
        T(create_membership_by_id_and_external_id),
        T(update_membership_by_id_and_external_id),
        T(delete_membership_sends_cascade),
        T(resend_invite),
        T(member_roles_and_permissions),
        T(list_pages),
        T(iterators_walk_every_page_once),
        T(iterator_errors),
        cmocka_unit_test(frees_are_safe_on_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
