#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>

#include "event_check.h"
#include "scalekit/error.h"

/* Whether the typed string @p got equals the JSON member @p name of @p obj (both absent counts). */
static int same_string(const json_t *obj, const char *name, const char *got)
{
    const char *want = json_string_value(json_object_get(obj, name));
    return (!want && !got) || (want && got && strcmp(want, got) == 0);
}

/* The data object the family puts in @p ptr's place, and the member holding its id. */
static const char *check_object(const json_t *obj, const void *typed, const char *id, const char *what)
{
    if (!json_is_object(obj))
        return NULL;
    if (!typed)
        return what;
    return same_string(obj, "id", id) ? NULL : what;
}

const char *event_check_lossless(const char *body, size_t len, const scalekit_event *ev)
{
    json_t *root = json_loadb(body, len, 0, NULL);
    const json_t *data = json_object_get(root, "data");
    const char *why = NULL;
    if (!root)
        why = "the body is not JSON";
    else if (!ev->raw_json || strlen(ev->raw_json) != len || memcmp(ev->raw_json, body, len) != 0)
        why = "raw_json is not the body byte for byte";
    else if (!same_string(root, "id", ev->id) || !same_string(root, "type", ev->type) ||
             !same_string(root, "environment_id", ev->environment_id) ||
             !same_string(root, "organization_id", ev->organization_id) ||
             !same_string(root, "object", ev->object) || !same_string(root, "spec_version", ev->spec_version))
        why = "an envelope member differs";
    else if (ev->event_type == SCALEKIT_EVENT_UNKNOWN)
        why = "the type is not one of the API's 32";
    else if (strcmp(scalekit_event_type_name(ev->event_type), ev->type) != 0)
        why = "the enum does not name the type";
    else if (json_object_get(root, "occurred_at") && ev->occurred_at == 0)
        why = "occurred_at did not decode";
    else if (data && !ev->data_json)
        why = "data_json is missing";
    if (!why) {
        switch (ev->family) {
        case SCALEKIT_EVENT_FAMILY_ORGANIZATION:
            why = check_object(data, ev->organization, ev->organization ? ev->organization->id : NULL, "organization");
            break;
        case SCALEKIT_EVENT_FAMILY_DOMAIN:
            why = check_object(data, ev->domain, ev->domain ? ev->domain->id : NULL, "domain");
            break;
        case SCALEKIT_EVENT_FAMILY_MEMBERSHIP:
            why = check_object(json_object_get(data, "organization"), ev->organization,
                               ev->organization ? ev->organization->id : NULL, "membership organization");
            why = why ? why : check_object(json_object_get(data, "user"), ev->user, ev->user ? ev->user->id : NULL,
                                           "membership user");
            break;
        case SCALEKIT_EVENT_FAMILY_USER_AUTH:
            why = check_object(json_object_get(data, "user"), ev->user, ev->user ? ev->user->id : NULL, "user");
            if (!why && json_is_object(json_object_get(data, "user_session")) &&
                (!ev->session || !same_string(json_object_get(data, "user_session"), "session_id",
                                              ev->session->session_id)))
                why = "user_session";
            break;
        case SCALEKIT_EVENT_FAMILY_DIRECTORY:
            why = check_object(data, ev->directory, ev->directory ? ev->directory->id : NULL, "directory");
            break;
        case SCALEKIT_EVENT_FAMILY_DIRECTORY_USER:
            why = check_object(data, ev->directory_user, ev->directory_user ? ev->directory_user->id : NULL,
                               "directory user");
            if (!why && ev->directory_user && !same_string(data, "email", ev->directory_user->email))
                why = "directory user email";
            break;
        case SCALEKIT_EVENT_FAMILY_DIRECTORY_GROUP:
            why = check_object(data, ev->directory_group, ev->directory_group ? ev->directory_group->id : NULL,
                               "directory group");
            break;
        case SCALEKIT_EVENT_FAMILY_CONNECTION:
            why = check_object(data, ev->connection, ev->connection ? ev->connection->id : NULL, "connection");
            break;
        case SCALEKIT_EVENT_FAMILY_ROLE:
            why = check_object(data, ev->role, ev->role ? ev->role->id : NULL, "role");
            if (!why && ev->role && !same_string(data, "name", ev->role->name))
                why = "role name";
            break;
        case SCALEKIT_EVENT_FAMILY_PERMISSION:
            why = check_object(data, ev->permission, ev->permission ? ev->permission->id : NULL, "permission");
            if (!why && ev->permission && !same_string(data, "name", ev->permission->name))
                why = "permission name";
            break;
        case SCALEKIT_EVENT_FAMILY_UNKNOWN:
            why = "a known type without a family";
            break;
        }
    }
    json_decref(root);
    return why;
}

void event_check_delivery(const char *body, size_t len)
{
    scalekit_event *ev = NULL;
    int rc = scalekit_event_decode(body, len, &ev);
    if (rc != SCALEKIT_OK)
        fail_msg("the delivery does not decode as an event: %d %s: %.*s", rc, scalekit_error_last()->message,
                 (int)(len > 300 ? 300 : len), body);
    const char *why = event_check_lossless(body, len, ev);
    if (why)
        fail_msg("the typed %s event loses or misreads its JSON: %s: %.*s", ev->type ? ev->type : "?", why,
                 (int)(len > 300 ? 300 : len), body);
    scalekit_event_free(ev);

    const char *log = getenv("SCALEKIT_TEST_EVENT_LOG");
    if (!log || !*log || memchr(body, '\n', len))
        return;
    char *line = malloc(len + 1);
    assert_non_null(line);
    memcpy(line, body, len);
    line[len] = '\n';
    /* One write with O_APPEND: lines from parallel test processes do not interleave. */
    int fd = open(log, O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (fd >= 0) {
        ssize_t w = write(fd, line, len + 1);
        (void)w;
        close(fd);
    }
    free(line);
}
