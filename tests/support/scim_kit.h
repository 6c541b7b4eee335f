/*
 * Helpers of the SCIM suites (it_scim_*.c): an organization with an enabled
 * SCIM directory and its bearer secret, SCIM requests over raw HTTP
 * (emu_testhttp.h), the REST listing of what SCIM provisioned, and checks of
 * SCIM error bodies. Every call that cannot do its job fails the running test.
 *
 * The directory is made in the store (the directories row, enabled, and a
 * secret from emu_directory_secret_create) because the directories API is
 * not there yet; only scim_kit_directory knows that.
 */
#ifndef SCIM_KIT_H
#define SCIM_KIT_H

#include <stdbool.h>
#include <jansson.h>

#include "emu_fixture.h"
#include "emu_testhttp.h"

typedef struct scim_kit {
    const emu_fixture *f;
    emu_raw_fixture api;     /* the API token, for the REST listing */
    char *organization_id;
    char *directory_id;
    char *secret;            /* the directory's SCIM bearer secret */
    char base[512];          /* the directory's SCIM base URL */
} scim_kit;

/* A new organization named @p name with an enabled SCIM directory and a secret. */
void scim_kit_start(scim_kit *k, const emu_fixture *f, const char *name);
void scim_kit_stop(scim_kit *k);
/* Enable or disable the kit's directory. */
void scim_kit_set_enabled(const scim_kit *k, bool enabled);
/* Another ACTIVE secret of directory @p directory_id (malloc'd). */
char *scim_kit_new_secret(const scim_kit *k, const char *directory_id);

/* A SCIM request to the kit's base URL + @p path with the kit's secret, as
 * application/scim+json: the HTTP status, the body as JSON in *out (may be NULL). */
long scim_kit_call(const scim_kit *k, const char *method, const char *path, const char *body, json_t **out);
/* The same with bearer @p bearer (NULL: no Authorization header) and extra
 * @p headers (NULL-terminated, may be NULL); the whole response in @p resp
 * (free with emu_http_response_free). */
long scim_kit_call_as(const scim_kit *k, const char *bearer, const char *const *headers, const char *method,
                      const char *path, const char *body, emu_http_response *resp);
/* @p method @p path with @p body must answer @p status with SCIM's error body:
 * schemas Error, status as that string, a detail, and scimType @p scim_type
 * (NULL: none). Returns the detail (malloc'd) for further checks. */
char *scim_kit_assert_error(const scim_kit *k, const char *method, const char *path, const char *body,
                            long status, const char *scim_type);

/* POST /Users with @p body (201): the new user's id (malloc'd). */
char *scim_kit_create(const scim_kit *k, const char *endpoint, const char *body);
/* GET the REST listing /api/v1/organizations/{org}/directories/{dir}/<what><query>
 * ("users", "?page_size=30"): the status and the answer in *out. */
long scim_kit_list(const scim_kit *k, const char *what, const char *query, json_t **out);

#endif
