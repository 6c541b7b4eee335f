/* Every directory method against the scripted mock server: the request on the wire
 * (method, path, query, JSON body), every decoded member, the C-level refusals that
 * send nothing, the server's 400 and 404, the primary directory, and the users and
 * groups iterators over several pages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scalekit/scalekit.h"
#include "mock_client.h"

#define DIRS "/api/v1/organizations/org_1/directories"
#define USERS DIRS "/dir_1/users"
#define GROUPS DIRS "/dir_1/groups"

#define SECRET_JSON(id, suffix, extra)                                                              \
    "{\"id\":\"" id "\",\"directory_id\":\"dir_1\",\"secret_suffix\":\"" suffix "\","              \
    "\"create_time\":\"2024-10-01T00:00:00Z\"" extra "}"

#define DIRECTORY_JSON(id)                                                                          \
    "{\"id\":\"" id "\",\"name\":\"Okta\",\"directory_type\":\"SCIM\",\"directory_provider\":\"OKTA\"," \
    "\"organization_id\":\"org_1\",\"enabled\":true,\"status\":\"IN_PROGRESS\",\"email\":\"it@acme.example\"," \
    "\"groups_tracked\":\"ALL\",\"directory_endpoint\":\"https://env.example/api/v1/directories/" id      \
    "/scim/v2\",\"total_users\":\"25\",\"total_groups\":3,\"last_synced_at\":\"2024-10-01T00:00:10Z\","   \
    "\"stats\":{\"total_users\":25,\"total_groups\":3,\"user_updated_at\":\"2024-10-01T00:00:10Z\","      \
    "\"group_updated_at\":\"2024-10-01T00:00:05Z\"},\"secrets\":["                                       \
    SECRET_JSON("dirsec_1", "a1b2", ",\"status\":\"INACTIVE\",\"last_used_time\":\"2024-10-01T00:00:09Z\"") \
    "," SECRET_JSON("dirsec_2", "c3d4", ",\"expire_time\":\"2025-10-01T00:00:00Z\"") "],"                \
    "\"attribute_mappings\":{\"attributes\":[{\"key\":\"email\",\"map_to\":\"emails[0].value\"}]},"       \
    "\"role_assignments\":{\"assignments\":[{\"group_id\":\"dirgroup_1\",\"role_name\":\"admin\"},"        \
    "{\"group_id\":\"dirgroup_2\",\"role_name\":\"member\"}]},\"future_member\":{\"x\":1}}"

#define GROUP_JSON(id) "{\"id\":\"" id "\",\"display_name\":\"Admins\",\"total_users\":2," \
    "\"updated_at\":\"2024-10-01T00:00:05Z\"}"
#define USER_JSON(id) "{\"id\":\"" id "\",\"email\":\"ann@acme.example\"}"

static void get_decodes_every_member(void **state)
{
    mock_client *f = *state;
    const char *answer = "{\"directory\":" DIRECTORY_JSON("dir_1") "}";
    mock_http_enqueue(f->mock, "GET", DIRS "/dir_1", 200, answer);
    scalekit_directory *d = NULL;
    assert_int_equal(scalekit_directory_get(f->client, "org_1", "dir_1", &d), SCALEKIT_OK);
    mock_assert_request(f->mock, DIRS "/dir_1", 0, "GET", "", "");
    assert_string_equal(d->id, "dir_1");
    assert_string_equal(d->name, "Okta");
    assert_string_equal(d->directory_type, "SCIM");
    assert_string_equal(d->directory_provider, "OKTA");
    assert_string_equal(d->organization_id, "org_1");
    assert_true(d->enabled);
    assert_string_equal(d->status, "IN_PROGRESS");
    assert_string_equal(d->email, "it@acme.example");
    assert_string_equal(d->groups_tracked, "ALL");
    assert_string_equal(d->directory_endpoint, "https://env.example/api/v1/directories/dir_1/scim/v2");
    assert_int_equal(d->total_users, 25);     /* sent as a string: the API's int64 habit */
    assert_int_equal(d->total_groups, 3);
    assert_true(d->last_synced_at == INT64_C(1727740810));
    assert_non_null(d->stats);
    assert_int_equal(d->stats->total_users, 25);
    assert_int_equal(d->stats->total_groups, 3);
    assert_true(d->stats->user_updated_at == INT64_C(1727740810));
    assert_true(d->stats->group_updated_at == INT64_C(1727740805));
    assert_int_equal(d->secret_count, 2);
    assert_string_equal(d->secrets[0]->id, "dirsec_1");
    assert_string_equal(d->secrets[0]->directory_id, "dir_1");
    assert_string_equal(d->secrets[0]->secret_suffix, "a1b2");
    assert_string_equal(d->secrets[0]->status, "INACTIVE");
    assert_true(d->secrets[0]->create_time == INT64_C(1727740800));
    assert_true(d->secrets[0]->last_used_time == INT64_C(1727740809));
    assert_true(d->secrets[0]->expire_time == 0);
    assert_null(d->secrets[1]->status);       /* ACTIVE: the enum's zero value is left out */
    assert_true(d->secrets[1]->expire_time == INT64_C(1759276800));
    assert_non_null(strstr(d->secrets[1]->raw_json, "\"c3d4\""));
    assert_int_equal(d->attribute_mappings->count, 1);
    assert_string_equal(d->attribute_mappings->attributes[0]->key, "email");
    assert_string_equal(d->attribute_mappings->attributes[0]->map_to, "emails[0].value");
    assert_int_equal(d->role_assignments->count, 2);
    assert_string_equal(d->role_assignments->assignments[1]->group_id, "dirgroup_2");
    assert_string_equal(d->role_assignments->assignments[1]->role_name, "member");
    assert_string_equal(d->raw_json, answer);
    scalekit_directory_free(d);

    /* A directory without the nested members: NULL pointers and zero counts. */
    mock_http_enqueue(f->mock, "GET", DIRS "/dir_2", 200, "{\"directory\":{\"id\":\"dir_2\"}}");
    assert_int_equal(scalekit_directory_get(f->client, "org_1", "dir_2", &d), SCALEKIT_OK);
    assert_null(d->stats);
    assert_null(d->attribute_mappings);
    assert_int_equal(d->secret_count, 0);
    assert_false(d->enabled);
    scalekit_directory_free(d);
}

static void create_sends_type_and_provider(void **state)
{
    mock_client *f = *state;
    const char *answer = "{\"directory\":" DIRECTORY_JSON("dir_1") "}";
    mock_http_enqueue(f->mock, "POST", DIRS, 200, answer);
    scalekit_directory_create_options o = SCALEKIT_DIRECTORY_CREATE_OPTIONS_INIT;
    o.directory_type = "SCIM";
    o.directory_provider = "OKTA";
    scalekit_directory *d = NULL;
    assert_int_equal(scalekit_directory_create(f->client, "org_1", &o, &d), SCALEKIT_OK);
    mock_assert_request(f->mock, DIRS, 0, "POST", "", "{\"directory_type\":\"SCIM\",\"directory_provider\":\"OKTA\"}");
    assert_string_equal(d->id, "dir_1");
    assert_string_equal(d->raw_json, answer);
    scalekit_directory_free(d);

    /* NULL options send an empty object: the provider is the server's to require. */
    mock_http_enqueue(f->mock, "POST", DIRS, 400,
                      "{\"code\":3,\"message\":\"directory_provider: directory_provider is required\",\"details\":[{"
                      "\"error_code\":\"INVALID_ARGUMENT\",\"validation_error_info\":{\"field_violations\":[{"
                      "\"field\":\"directory_provider\",\"description\":\"directory_provider is required\"}]}}]}");
    assert_int_equal(scalekit_directory_create(f->client, "org_1", NULL, &d), SCALEKIT_EINVALID_REQUEST);
    mock_assert_request(f->mock, DIRS, 1, "POST", "", "{}");
    assert_null(d);
    const scalekit_error *e = scalekit_error_last();
    assert_int_equal(e->http_status, 400);
    assert_int_equal(e->field_violation_count, 1);
    assert_string_equal(e->field_violations[0].field, "directory_provider");
}

/* What C cannot send is refused with a message naming it, and nothing is sent. */
static void refusals_send_nothing(void **state)
{
    mock_client *f = *state;
    scalekit_directory *d = (scalekit_directory *)&d;
    scalekit_directory_create_options unset = { 0 };
    scalekit_directory_user_list_options unset_users = { 0 };
    scalekit_directory_user_page *users = NULL;
    scalekit_directory_group_page *groups = NULL;
    scalekit_directory_toggle *t = NULL;
    scalekit_directory_new_secret *s = NULL;
    scalekit_directories *list = NULL;
    scalekit_directory_user_iterator *it = NULL;

    assert_int_equal(scalekit_directory_create(f->client, "org_1", &unset, &d), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "scalekit_directory_create_options.struct_size is 0: "
                        "initialise the struct with SCALEKIT_DIRECTORY_CREATE_OPTIONS_INIT");
    assert_null(d);
    assert_int_equal(scalekit_directory_create(f->client, "", NULL, &d), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "organization_id must not be empty");
    assert_int_equal(scalekit_directory_get(f->client, "org_1", "..", &d), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "id \"..\" is not a valid path segment");
    assert_int_equal(scalekit_directory_get(f->client, "org_1", "dir_1", NULL), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "out must not be NULL");
    assert_int_equal(scalekit_directory_list(f->client, NULL, &list), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_directory_get_primary_by_organization_id(f->client, "", &d), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "organization_id must not be empty");
    assert_int_equal(scalekit_directory_get_primary_by_organization_id(f->client, "org_1", NULL), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_directory_delete(f->client, "org_1", ""), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "id must not be empty");
    assert_int_equal(scalekit_directory_enable(f->client, "org_1", "\xc3(", &t), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_directory_disable(f->client, "org_1", "dir_1", NULL), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_directory_list_directory_users(f->client, "org_1", "", NULL, &users), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "directory_id must not be empty");
    assert_int_equal(scalekit_directory_list_directory_users(f->client, "org_1", "dir_1", &unset_users, &users),
                     SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "scalekit_directory_user_list_options.struct_size is 0: "
                        "initialise the struct with SCALEKIT_DIRECTORY_USER_LIST_OPTIONS_INIT");
    assert_int_equal(scalekit_directory_list_directory_groups(f->client, "", "dir_1", NULL, &groups), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_directory_create_secret(f->client, "org_1", "", &s), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_directory_regenerate_secret(f->client, "org_1", "dir_1", NULL), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_directory_user_iterator_new(f->client, "org_1", "", NULL, &it), SCALEKIT_EINVAL);
    assert_null(it);
    assert_int_equal(scalekit_directory_user_iterator_new(NULL, "org_1", "dir_1", NULL, &it), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_directory_group_iterator_next(NULL, NULL), SCALEKIT_EINVAL);
    assert_int_equal(mock_http_request_count(f->mock), 0);
}

static void list_primary_and_not_found(void **state)
{
    mock_client *f = *state;
    const char *answer = "{\"directories\":[" DIRECTORY_JSON("dir_1") "," DIRECTORY_JSON("dir_2") "]}";
    mock_http_enqueue(f->mock, "GET", DIRS, 200, answer);
    scalekit_directories *list = NULL;
    assert_int_equal(scalekit_directory_list(f->client, "org_1", &list), SCALEKIT_OK);
    mock_assert_request(f->mock, DIRS, 0, "GET", "", "");
    assert_int_equal(list->count, 2);
    assert_string_equal(list->items[1]->id, "dir_2");
    assert_int_equal(list->items[1]->secret_count, 2);
    assert_string_equal(list->raw_json, answer);
    scalekit_directories_free(list);

    /* The primary directory is the first of the list, freed as any directory. */
    mock_http_enqueue(f->mock, "GET", DIRS, 200, answer);
    scalekit_directory *d = NULL;
    assert_int_equal(scalekit_directory_get_primary_by_organization_id(f->client, "org_1", &d), SCALEKIT_OK);
    mock_assert_request(f->mock, DIRS, 1, "GET", "", "");
    assert_string_equal(d->id, "dir_1");
    assert_string_equal(d->raw_json, DIRECTORY_JSON("dir_1"));
    assert_string_equal(d->role_assignments->assignments[0]->role_name, "admin");
    scalekit_directory_free(d);

    /* None: not found, said by the SDK; the server's 404 passes through. */
    mock_http_enqueue(f->mock, "GET", DIRS, 200, "{\"directories\":[]}");
    d = (scalekit_directory *)&d;
    assert_int_equal(scalekit_directory_get_primary_by_organization_id(f->client, "org_1", &d), SCALEKIT_ENOTFOUND);
    assert_null(d);
    assert_string_equal(scalekit_error_last()->message, "organization org_1 has no directory");
    mock_http_enqueue(f->mock, "GET", "/api/v1/organizations/org_2/directories", 404,
                      "{\"code\":5,\"message\":\"organization org_2 not found\"}");
    assert_int_equal(scalekit_directory_get_primary_by_organization_id(f->client, "org_2", &d), SCALEKIT_ENOTFOUND);
    assert_int_equal(scalekit_error_last()->http_status, 404);
    mock_http_enqueue(f->mock, "GET", DIRS, 200, "{\"directories\":[");
    assert_int_equal(scalekit_directory_list(f->client, "org_1", &list), SCALEKIT_EMALFORMED_RESPONSE);
    assert_null(list);
}

static void delete_toggle_and_secrets(void **state)
{
    mock_client *f = *state;
    mock_http_enqueue(f->mock, "DELETE", DIRS "/dir%201", 200, "{}");
    assert_int_equal(scalekit_directory_delete(f->client, "org_1", "dir 1"), SCALEKIT_OK);
    mock_assert_request(f->mock, DIRS "/dir%201", 0, "DELETE", "", "");

    mock_http_enqueue(f->mock, "PATCH", DIRS "/dir_1:enable", 200, "{\"enabled\":true}");
    scalekit_directory_toggle *t = NULL;
    assert_int_equal(scalekit_directory_enable(f->client, "org_1", "dir_1", &t), SCALEKIT_OK);
    mock_assert_request(f->mock, DIRS "/dir_1:enable", 0, "PATCH", "", "");
    assert_true(t->enabled);
    assert_null(t->error_message);
    scalekit_directory_toggle_free(t);
    const char *already = "{\"enabled\":false,\"error_message\":\"The directory is already disabled\"}";
    mock_http_enqueue(f->mock, "PATCH", DIRS "/dir_1:disable", 200, already);
    assert_int_equal(scalekit_directory_disable(f->client, "org_1", "dir_1", &t), SCALEKIT_OK);
    mock_assert_request(f->mock, DIRS "/dir_1:disable", 0, "PATCH", "", "");
    assert_false(t->enabled);
    assert_string_equal(t->error_message, "The directory is already disabled");
    assert_string_equal(t->raw_json, already);
    scalekit_directory_toggle_free(t);
    mock_http_enqueue(f->mock, "PATCH", DIRS "/dir_9:disable", 404, "{\"code\":5,\"message\":\"directory dir_9 not found\"}");
    assert_int_equal(scalekit_directory_disable(f->client, "org_1", "dir_9", &t), SCALEKIT_ENOTFOUND);
    assert_null(t);

    const char *secret = "{\"plain_secret\":\"s3cr3t-plain\",\"secret\":" SECRET_JSON("dirsec_3", "lain", "") "}";
    mock_http_enqueue(f->mock, "POST", DIRS "/dir_1/secrets", 200, secret);
    scalekit_directory_new_secret *s = NULL;
    assert_int_equal(scalekit_directory_create_secret(f->client, "org_1", "dir_1", &s), SCALEKIT_OK);
    mock_assert_request(f->mock, DIRS "/dir_1/secrets", 0, "POST", "", "");
    assert_string_equal(s->plain_secret, "s3cr3t-plain");
    assert_string_equal(s->secret->id, "dirsec_3");
    assert_string_equal(s->secret->secret_suffix, "lain");
    assert_null(s->secret->status);
    assert_string_equal(s->raw_json, secret);
    scalekit_directory_new_secret_free(s);
    mock_http_enqueue(f->mock, "POST", DIRS "/dir_1/secrets:regenerate", 200, secret);
    assert_int_equal(scalekit_directory_regenerate_secret(f->client, "org_1", "dir_1", &s), SCALEKIT_OK);
    mock_assert_request(f->mock, DIRS "/dir_1/secrets:regenerate", 0, "POST", "", "");
    assert_string_equal(s->plain_secret, "s3cr3t-plain");
    scalekit_directory_new_secret_free(s);
    scalekit_directory_new_secret_free(NULL);
}

static void list_users_sends_filters_and_decodes_users(void **state)
{
    mock_client *f = *state;
    const char *answer =
        "{\"users\":[{\"id\":\"diruser_1\",\"email\":\"ann@acme.example\",\"preferred_username\":\"ann\","
        "\"given_name\":\"Ann\",\"family_name\":\"Lee\",\"updated_at\":\"2024-10-01T00:00:10Z\","
        "\"emails\":[\"ann@acme.example\",\"ann.lee@acme.example\"],\"groups\":[" GROUP_JSON("dirgroup_1") "],"
        "\"user_detail\":{\"userName\":\"ann\",\"active\":true}},{\"id\":\"diruser_2\"}],"
        "\"next_page_token\":\"p2\",\"prev_page_token\":\"\",\"total_size\":\"26\"}";
    mock_http_enqueue(f->mock, "GET", USERS, 200, answer);
    scalekit_directory_user_list_options o = SCALEKIT_DIRECTORY_USER_LIST_OPTIONS_INIT;
    o.page_size = 2;
    o.page_token = "p1";
    o.include_detail = &(bool){true};
    o.directory_group_id = "dirgroup_1";
    o.updated_after = 1729851960;
    scalekit_directory_user_page *page = NULL;
    assert_int_equal(scalekit_directory_list_directory_users(f->client, "org_1", "dir_1", &o, &page), SCALEKIT_OK);
    mock_assert_request(f->mock, USERS, 0, "GET", "page_size=2&page_token=p1&include_detail=true&"
                        "directory_group_id=dirgroup_1&updated_after=2024-10-25T10%3A26%3A00.000000Z", "");
    assert_int_equal(page->count, 2);
    const scalekit_directory_user *u = page->items[0];
    assert_string_equal(u->id, "diruser_1");
    assert_string_equal(u->email, "ann@acme.example");
    assert_string_equal(u->preferred_username, "ann");
    assert_string_equal(u->given_name, "Ann");
    assert_string_equal(u->family_name, "Lee");
    assert_true(u->updated_at == INT64_C(1727740810));
    assert_string_equal(u->emails[0], "ann@acme.example");
    assert_string_equal(u->emails[1], "ann.lee@acme.example");
    assert_null(u->emails[2]);
    assert_int_equal(u->group_count, 1);
    assert_string_equal(u->groups[0]->id, "dirgroup_1");
    assert_string_equal(u->groups[0]->display_name, "Admins");
    assert_string_equal(u->user_detail, "{\"userName\":\"ann\",\"active\":true}");
    assert_null(page->items[1]->user_detail);
    assert_null(page->items[1]->emails);
    assert_string_equal(page->next_page_token, "p2");
    assert_true(page->total_size == 26);
    assert_string_equal(page->raw_json, answer);
    scalekit_directory_user_page_free(page);

    /* NULL options: no query. include_detail false is sent, not left out. */
    mock_http_enqueue(f->mock, "GET", USERS, 200, "{\"users\":[]}");
    assert_int_equal(scalekit_directory_list_directory_users(f->client, "org_1", "dir_1", NULL, &page), SCALEKIT_OK);
    mock_assert_request(f->mock, USERS, 1, "GET", "", "");
    scalekit_directory_user_page_free(page);
    scalekit_directory_user_list_options off = SCALEKIT_DIRECTORY_USER_LIST_OPTIONS_INIT;
    off.include_detail = &(bool){false};
    mock_http_enqueue(f->mock, "GET", USERS, 200, "{\"users\":[]}");
    assert_int_equal(scalekit_directory_list_directory_users(f->client, "org_1", "dir_1", &off, &page), SCALEKIT_OK);
    mock_assert_request(f->mock, USERS, 2, "GET", "include_detail=false", "");
    scalekit_directory_user_page_free(page);

    /* The server's 400 on a bad token, with its field violation. */
    mock_http_enqueue(f->mock, "GET", USERS, 400,
                      "{\"code\":3,\"message\":\"page_token: invalid page token\",\"details\":[{"
                      "\"error_code\":\"INVALID_ARGUMENT\",\"validation_error_info\":{\"field_violations\":[{"
                      "\"field\":\"page_token\",\"description\":\"invalid page token\"}]}}]}");
    o.page_token = "bad";
    assert_int_equal(scalekit_directory_list_directory_users(f->client, "org_1", "dir_1", &o, &page),
                     SCALEKIT_EINVALID_REQUEST);
    assert_string_equal(scalekit_error_last()->field_violations[0].field, "page_token");
}

static void list_groups_sends_filters_and_decodes_groups(void **state)
{
    mock_client *f = *state;
    const char *answer = "{\"groups\":[{\"id\":\"dirgroup_1\",\"display_name\":\"Admins\",\"total_users\":\"2\","
                         "\"updated_at\":\"2024-10-01T00:00:05Z\",\"group_detail\":{\"displayName\":\"Admins\","
                         "\"members\":[]}}],\"next_page_token\":\"\",\"total_size\":1}";
    mock_http_enqueue(f->mock, "GET", GROUPS, 200, answer);
    scalekit_directory_group_list_options o = SCALEKIT_DIRECTORY_GROUP_LIST_OPTIONS_INIT;
    o.page_size = 5;
    o.updated_after = 1729851960;
    o.include_detail = &(bool){true};
    o.include_external_groups = &(bool){false};
    scalekit_directory_group_page *page = NULL;
    assert_int_equal(scalekit_directory_list_directory_groups(f->client, "org_1", "dir_1", &o, &page), SCALEKIT_OK);
    mock_assert_request(f->mock, GROUPS, 0, "GET", "page_size=5&updated_after=2024-10-25T10%3A26%3A00.000000Z&"
                        "include_detail=true&include_external_groups=false", "");
    assert_int_equal(page->count, 1);
    assert_string_equal(page->items[0]->id, "dirgroup_1");
    assert_string_equal(page->items[0]->display_name, "Admins");
    assert_int_equal(page->items[0]->total_users, 2);
    assert_true(page->items[0]->updated_at == INT64_C(1727740805));
    assert_string_equal(page->items[0]->group_detail, "{\"displayName\":\"Admins\",\"members\":[]}");
    assert_true(page->total_size == 1);
    assert_string_equal(page->raw_json, answer);
    scalekit_directory_group_page_free(page);

    mock_http_enqueue(f->mock, "GET", GROUPS, 404, "{\"code\":5,\"message\":\"directory dir_1 not found\"}");
    assert_int_equal(scalekit_directory_list_directory_groups(f->client, "org_1", "dir_1", NULL, &page),
                     SCALEKIT_ENOTFOUND);
    assert_null(page);
    mock_http_enqueue(f->mock, "GET", GROUPS, 200, "{\"groups\":");
    assert_int_equal(scalekit_directory_list_directory_groups(f->client, "org_1", "dir_1", NULL, &page),
                     SCALEKIT_EMALFORMED_RESPONSE);
}

/* Three pages of users with the filters kept on every request; the groups
 * iterator stops on a repeated token rather than loop. */
static void iterators_walk_pages(void **state)
{
    mock_client *f = *state;
    mock_http_enqueue(f->mock, "GET", USERS, 200, "{\"users\":[" USER_JSON("diruser_1") "," USER_JSON("diruser_2")
                      "],\"next_page_token\":\"t2\"}");
    mock_http_enqueue(f->mock, "GET", USERS, 200, "{\"users\":[" USER_JSON("diruser_3") "," USER_JSON("diruser_4")
                      "],\"next_page_token\":\"t3\"}");
    mock_http_enqueue(f->mock, "GET", USERS, 200, "{\"users\":[" USER_JSON("diruser_5") "],\"next_page_token\":\"\"}");
    scalekit_directory_user_list_options o = SCALEKIT_DIRECTORY_USER_LIST_OPTIONS_INIT;
    o.page_size = 2;
    o.directory_group_id = "dirgroup_1";
    scalekit_directory_user_iterator *it = NULL;
    assert_int_equal(scalekit_directory_user_iterator_new(f->client, "org_1", "dir_1", &o, &it), SCALEKIT_OK);
    assert_int_equal(mock_http_request_count(f->mock), 0);
    const scalekit_directory_user *u = NULL;
    char seen[64] = "";
    int rc;
    while ((rc = scalekit_directory_user_iterator_next(it, &u)) == SCALEKIT_OK)
        strcat(seen, u->id + 8);
    assert_int_equal(rc, SCALEKIT_ITEROVER);
    assert_string_equal(seen, "12345");
    assert_int_equal(mock_http_count(f->mock, USERS), 3);
    mock_assert_request(f->mock, USERS, 0, "GET", "page_size=2&directory_group_id=dirgroup_1", "");
    mock_assert_request(f->mock, USERS, 1, "GET", "page_size=2&directory_group_id=dirgroup_1&page_token=t2", "");
    mock_assert_request(f->mock, USERS, 2, "GET", "page_size=2&directory_group_id=dirgroup_1&page_token=t3", "");
    scalekit_directory_user_iterator_free(it);

    mock_http_enqueue(f->mock, "GET", GROUPS, 200, "{\"groups\":[" GROUP_JSON("dirgroup_1") "],\"next_page_token\":\"g1\"}");
    mock_http_enqueue(f->mock, "GET", GROUPS, 200, "{\"groups\":[" GROUP_JSON("dirgroup_2") "],\"next_page_token\":\"g1\"}");
    scalekit_directory_group_iterator *git = NULL;
    assert_int_equal(scalekit_directory_group_iterator_new(f->client, "org_1", "dir_1", NULL, &git), SCALEKIT_OK);
    const scalekit_directory_group *g = NULL;
    assert_int_equal(scalekit_directory_group_iterator_next(git, &g), SCALEKIT_OK);
    assert_string_equal(g->id, "dirgroup_1");
    assert_int_equal(scalekit_directory_group_iterator_next(git, &g), SCALEKIT_OK);
    assert_int_equal(scalekit_directory_group_iterator_next(git, &g), SCALEKIT_EMALFORMED_RESPONSE);
    assert_int_equal(scalekit_directory_group_iterator_next(git, &g), SCALEKIT_EMALFORMED_RESPONSE);
    assert_int_equal(mock_http_count(f->mock, GROUPS), 2);
    scalekit_directory_group_iterator_free(git);
    scalekit_directory_group_iterator_free(NULL);
}

#define TEST(t) cmocka_unit_test_setup_teardown(t, mock_client_setup, mock_client_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(get_decodes_every_member),
        TEST(create_sends_type_and_provider),
        TEST(refusals_send_nothing),
        TEST(list_primary_and_not_found),
        TEST(delete_toggle_and_secrets),
        TEST(list_users_sends_filters_and_decodes_users),
        TEST(list_groups_sends_filters_and_decodes_groups),
        TEST(iterators_walk_pages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
