/*
 * Organizations: field tables and routes. The mechanism (encoding, calls,
 * decoding, pages, iterators) is src/core/decode.h's.
 */
#include "api/schemas.h"

#include <stdlib.h>
#include <string.h>

/* ---- field tables -------------------------------------------------------- */

static const skit_field feature_fields[] = {
    SKIT_FIELD(scalekit_organization_feature, name, SKIT_F_STRING),
    SKIT_FIELD(scalekit_organization_feature, enabled, SKIT_F_BOOL),
};
static const skit_schema feature_schema =
    SKIT_SCHEMA(scalekit_organization_feature, "feature", feature_fields);

static const skit_field settings_fields[] = {
    SKIT_FIELD_ARRAY(scalekit_organization_settings, features, "features", feature_count,
                     feature_schema),
};
static const skit_schema settings_schema =
    SKIT_SCHEMA(scalekit_organization_settings, "settings", settings_fields);

static const skit_field organization_fields[] = {
    SKIT_FIELD_RO(scalekit_organization, id, SKIT_F_STRING),
    SKIT_FIELD(scalekit_organization, display_name, SKIT_F_STRING),
    SKIT_FIELD(scalekit_organization, external_id, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_organization, region_code, SKIT_F_STRING),
    SKIT_FIELD(scalekit_organization, slug, SKIT_F_STRING),
    SKIT_FIELD(scalekit_organization, logo_url, SKIT_F_STRING),
    SKIT_FIELD(scalekit_organization, metadata, SKIT_F_STRING_MAP),
    SKIT_FIELD_OBJECT(scalekit_organization, settings, SKIT_F_OBJECT, settings_schema),
    SKIT_FIELD_RO(scalekit_organization, create_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD_RO(scalekit_organization, update_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD_SELF(scalekit_organization, raw_json),
};
const skit_schema skit_organization_schema =
    SKIT_SCHEMA(scalekit_organization, "organization", organization_fields);

static const skit_field page_fields[] = {
    SKIT_FIELD_ARRAY(scalekit_organization_page, items, "organizations", count,
                     skit_organization_schema),
    SKIT_FIELD(scalekit_organization_page, next_page_token, SKIT_F_STRING),
    SKIT_FIELD(scalekit_organization_page, prev_page_token, SKIT_F_STRING),
    SKIT_FIELD(scalekit_organization_page, total_size, SKIT_F_INT64),
    SKIT_FIELD_SELF(scalekit_organization_page, raw_json),
};
const skit_schema skit_organization_page_schema =
    SKIT_SCHEMA(scalekit_organization_page, "organization page", page_fields);

static const skit_field create_fields[] = {
    SKIT_FIELD_NAMED(scalekit_organization_create_options, external_id, "external_id",
                     SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD(scalekit_organization_create_options, metadata, SKIT_F_STRING_MAP),
    SKIT_FIELD_NAMED(scalekit_organization_create_options, slug, "slug", SKIT_F_STRING,
                     SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_NAMED(scalekit_organization_create_options, logo_url, "logo_url", SKIT_F_STRING,
                     SKIT_FIELD_OMIT_EMPTY),
};
static const skit_schema create_schema =
    SKIT_SCHEMA(scalekit_organization_create_options, "organization", create_fields);

static const skit_field update_fields[] = {
    SKIT_FIELD(scalekit_organization_update_options, display_name, SKIT_F_STRING),
    SKIT_FIELD(scalekit_organization_update_options, external_id, SKIT_F_STRING),
    SKIT_FIELD(scalekit_organization_update_options, metadata, SKIT_F_STRING_MAP),
    SKIT_FIELD(scalekit_organization_update_options, slug, SKIT_F_STRING),
    SKIT_FIELD(scalekit_organization_update_options, logo_url, SKIT_F_STRING),
};
static const skit_schema update_schema =
    SKIT_SCHEMA(scalekit_organization_update_options, "organization", update_fields);

static const skit_field link_fields[] = {
    SKIT_FIELD(scalekit_organization_portal_link, id, SKIT_F_STRING),
    SKIT_FIELD(scalekit_organization_portal_link, location, SKIT_F_STRING),
    SKIT_FIELD(scalekit_organization_portal_link, expire_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD_SELF(scalekit_organization_portal_link, raw_json),
};
const skit_schema skit_organization_portal_link_schema =
    SKIT_SCHEMA(scalekit_organization_portal_link, "link", link_fields);

static const skit_field user_management_fields[] = {
    SKIT_FIELD(scalekit_organization_user_management_settings, max_allowed_users,
               SKIT_F_OPT_INT32),
    SKIT_FIELD_SELF(scalekit_organization_user_management_settings, raw_json),
};
const skit_schema skit_organization_user_management_schema = SKIT_SCHEMA(
    scalekit_organization_user_management_settings, "settings", user_management_fields);

static const skit_field session_policy_fields[] = {
    SKIT_FIELD(scalekit_organization_session_policy, policy_source, SKIT_F_STRING),
    SKIT_FIELD(scalekit_organization_session_policy, absolute_session_timeout, SKIT_F_OPT_INT32),
    SKIT_FIELD(scalekit_organization_session_policy, absolute_session_timeout_unit, SKIT_F_STRING),
    SKIT_FIELD(scalekit_organization_session_policy, idle_session_timeout_enabled, SKIT_F_OPT_BOOL),
    SKIT_FIELD(scalekit_organization_session_policy, idle_session_timeout, SKIT_F_OPT_INT32),
    SKIT_FIELD(scalekit_organization_session_policy, idle_session_timeout_unit, SKIT_F_STRING),
    SKIT_FIELD_SELF(scalekit_organization_session_policy, raw_json),
};
const skit_schema skit_organization_session_policy_schema =
    SKIT_SCHEMA(scalekit_organization_session_policy, "policy", session_policy_fields);

/* ---- argument checks ----------------------------------------------------- */

/* The API's slug: dot-separated labels of [a-z0-9-], 1..63 each, neither starting
 * nor ending with '-', 253 characters at most. "" is allowed where it clears. */
static int check_slug(const char *slug, bool empty_ok)
{
    if (!slug || (empty_ok && !*slug))
        return SCALEKIT_OK;
    size_t len = strlen(slug), label = 0;
    bool ok = len >= 1 && len <= 253;
    for (size_t i = 0; ok && i <= len; i++) {
        char c = slug[i];
        if (c == '.' || c == '\0') {
            ok = label >= 1 && label <= 63 && slug[i - 1] != '-';
            label = 0;
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && label > 0)) {
            label++;
        } else {
            ok = false;
        }
    }
    if (!ok)
        return skit_error_set(SCALEKIT_EINVAL,
                              "slug \"%s\" is not a lowercase DNS label or host name", slug);
    return SCALEKIT_OK;
}

static int check_logo_url(const char *url)
{
    if (!url)
        return SCALEKIT_OK;
    if (strncmp(url, "https://", 8) != 0 || strlen(url) == 8)
        return skit_error_set(SCALEKIT_EINVAL, "logo_url \"%s\" must be an https:// URL", url);
    return skit_check_length(url, "logo_url", 9, 1024);
}

static int check_fields(const char *display_name, const scalekit_string_map *metadata,
                        const char *slug, bool slug_empty_ok, const char *logo_url)
{
    int rc = skit_check_length(display_name, "display_name", 1, 200);
    if (rc == SCALEKIT_OK)
        rc = skit_check_string_map(metadata, "metadata");
    if (rc == SCALEKIT_OK)
        rc = check_slug(slug, slug_empty_ok);
    if (rc == SCALEKIT_OK)
        rc = check_logo_url(logo_url);
    return rc;
}

/* ---- calls --------------------------------------------------------------- */

/* One call on /api/v1/organizations/{id}<suffix>, decoding @p member with @p schema. */
static int call_on(scalekit_client *client, const char *method, const char *pattern,
                   const char *id, const char *query, const json_t *body, const char *member,
                   const skit_schema *schema, void **out)
{
    char *path = NULL;
    int rc = skit_path(&path, pattern, id);
    if (rc == SCALEKIT_OK) {
        skit_call call = { method, path, query, body, member, schema };
        rc = skit_resource_call(client, &call, out);
    }
    free(path);
    return rc;
}

int scalekit_organization_create(scalekit_client *client, const char *display_name,
                                 const scalekit_organization_create_options *opts,
                                 scalekit_organization **out)
{
    static const scalekit_organization_create_options none;
    if (!opts)
        opts = &none;
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK)
        rc = skit_check_required(display_name, "display_name");
    if (rc == SCALEKIT_OK)
        rc = check_fields(display_name, &opts->metadata, opts->slug, false, opts->logo_url);
    if (rc != SCALEKIT_OK)
        return rc;
    json_t *name = json_string(display_name);
    if (!name)
        return skit_error_set(SCALEKIT_EINVAL, "display_name is not valid UTF-8");
    json_t *body = json_pack("{s:o}", "display_name", name);
    rc = body ? skit_encode_into(&create_schema, opts, body) : skit_error_oom();
    if (rc == SCALEKIT_OK)
        rc = call_on(client, "POST", "/api/v1/organizations", NULL, NULL, body, "organization",
                     &skit_organization_schema, (void **)out);
    json_decref(body);
    return rc;
}

static int list_query(const scalekit_organization_list_options *opts, char **out)
{
    skit_buf q = SKIT_BUF_INIT;
    int rc = skit_form_add(&q, "external_id", opts ? opts->external_id : NULL);
    if (rc != SCALEKIT_OK) {
        skit_buf_free(&q);
        return rc;
    }
    *out = q.ptr;   /* NULL when nothing was put */
    return SCALEKIT_OK;
}

int scalekit_organization_list(scalekit_client *client,
                               const scalekit_organization_list_options *opts,
                               scalekit_organization_page **out)
{
    char *query = NULL;
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK)
        rc = list_query(opts, &query);
    if (rc == SCALEKIT_OK)
        rc = skit_list_page(client, "/api/v1/organizations", query, opts ? opts->page_size : 0,
                            opts ? opts->page_token : NULL, &skit_organization_page_schema,
                            (void **)out);
    free(query);
    return rc;
}

int scalekit_organization_get(scalekit_client *client, const char *id, scalekit_organization **out)
{
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK)
        rc = skit_check_required(id, "id");
    if (rc != SCALEKIT_OK)
        return rc;
    return call_on(client, "GET", "/api/v1/organizations/{}", id, NULL, NULL, "organization",
                   &skit_organization_schema, (void **)out);
}

int scalekit_organization_get_by_external_id(scalekit_client *client, const char *external_id,
                                             scalekit_organization **out)
{
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK)
        rc = skit_check_required(external_id, "external_id");
    if (rc != SCALEKIT_OK)
        return rc;
    return call_on(client, "GET", "/api/v1/organizations:external/{}", external_id, NULL, NULL,
                   "organization", &skit_organization_schema, (void **)out);
}

static int check_update(const scalekit_organization_update_options *update)
{
    if (!update)
        return skit_error_set(SCALEKIT_EINVAL, "update must not be NULL");
    return check_fields(update->display_name, &update->metadata, update->slug, true,
                        update->logo_url);
}

int scalekit_organization_update(scalekit_client *client, const char *id,
                                 const scalekit_organization_update_options *update,
                                 scalekit_organization **out)
{
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK)
        rc = skit_check_required(id, "id");
    if (rc == SCALEKIT_OK)
        rc = check_update(update);
    if (rc != SCALEKIT_OK)
        return rc;
    json_t *body = NULL;
    rc = skit_encode(&update_schema, update, &body);
    if (rc == SCALEKIT_OK)
        rc = call_on(client, "PATCH", "/api/v1/organizations/{}", id, NULL, body, "organization",
                     &skit_organization_schema, (void **)out);
    json_decref(body);
    return rc;
}

int scalekit_organization_update_by_external_id(scalekit_client *client, const char *external_id,
                                                const scalekit_organization_update_options *update,
                                                scalekit_organization **out)
{
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK)
        rc = skit_check_required(external_id, "external_id");
    if (rc == SCALEKIT_OK)
        rc = check_update(update);
    if (rc != SCALEKIT_OK)
        return rc;
    scalekit_organization *found = NULL;
    rc = scalekit_organization_get_by_external_id(client, external_id, &found);
    if (rc != SCALEKIT_OK)
        return rc;
    if (!found->id || !*found->id)
        rc = skit_error_set(SCALEKIT_EMALFORMED_RESPONSE,
                            "the organization with external_id \"%s\" came without an id",
                            external_id);
    else
        rc = scalekit_organization_update(client, found->id, update, out);
    skit_result_free(found);
    return rc;
}

int scalekit_organization_delete(scalekit_client *client, const char *id)
{
    int rc = skit_check_required(id, "id");
    if (rc != SCALEKIT_OK)
        return rc;
    return call_on(client, "DELETE", "/api/v1/organizations/{}", id, NULL, NULL, NULL, NULL, NULL);
}

int scalekit_organization_generate_portal_link(scalekit_client *client,
        const char *organization_id, const scalekit_organization_portal_link_options *opts,
        scalekit_organization_portal_link **out)
{
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK)
        rc = skit_check_required(organization_id, "organization_id");
    if (rc != SCALEKIT_OK)
        return rc;
    skit_buf q = SKIT_BUF_INIT;
    for (size_t i = 0; rc == SCALEKIT_OK && opts && opts->features && opts->features[i]; i++)
        rc = skit_form_add(&q, "features", opts->features[i]);
    if (rc == SCALEKIT_OK)
        rc = call_on(client, "PUT", "/api/v1/organizations/{}/portal_links", organization_id,
                     q.ptr, NULL, "link", &skit_organization_portal_link_schema, (void **)out);
    skit_buf_free(&q);
    return rc;
}

int scalekit_organization_update_settings(scalekit_client *client, const char *id,
                                          const scalekit_organization_settings *settings,
                                          scalekit_organization **out)
{
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK)
        rc = skit_check_required(id, "id");
    if (rc == SCALEKIT_OK && !settings)
        rc = skit_error_set(SCALEKIT_EINVAL, "settings must not be NULL");
    for (size_t i = 0; rc == SCALEKIT_OK && settings->features && i < settings->feature_count; i++) {
        if (!settings->features[i].name || !*settings->features[i].name)
            rc = skit_error_set(SCALEKIT_EINVAL, "settings feature %zu has an empty name", i);
    }
    if (rc != SCALEKIT_OK)
        return rc;
    json_t *body = NULL;
    rc = skit_encode(&settings_schema, settings, &body);
    if (rc == SCALEKIT_OK)
        rc = call_on(client, "PATCH", "/api/v1/organizations/{}/settings", id, NULL, body,
                     "organization", &skit_organization_schema, (void **)out);
    json_decref(body);
    return rc;
}

int scalekit_organization_upsert_user_management_settings(scalekit_client *client,
        const char *organization_id,
        const scalekit_organization_user_management_settings *settings,
        scalekit_organization_user_management_settings **out)
{
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK)
        rc = skit_check_required(organization_id, "organization_id");
    if (rc == SCALEKIT_OK && !settings)
        rc = skit_error_set(SCALEKIT_EINVAL, "settings must not be NULL");
    if (rc == SCALEKIT_OK && settings->max_allowed_users && *settings->max_allowed_users < 0)
        rc = skit_error_set(SCALEKIT_EINVAL, "max_allowed_users must not be negative, not %d",
                            (int)*settings->max_allowed_users);
    if (rc != SCALEKIT_OK)
        return rc;
    json_t *inner = NULL, *body = NULL;
    rc = skit_encode(&skit_organization_user_management_schema, settings, &inner);
    if (rc == SCALEKIT_OK && !(body = json_pack("{s:o}", "settings", inner)))
        rc = skit_error_oom();
    if (rc == SCALEKIT_OK)
        rc = call_on(client, "PATCH", "/api/v1/organizations/{}/settings/usermanagement",
                     organization_id, NULL, body, "settings", &skit_organization_user_management_schema,
                     (void **)out);
    json_decref(body);
    return rc;
}

int scalekit_organization_get_session_policy(scalekit_client *client, const char *organization_id,
                                             scalekit_organization_session_policy **out)
{
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK)
        rc = skit_check_required(organization_id, "organization_id");
    if (rc != SCALEKIT_OK)
        return rc;
    return call_on(client, "GET", "/api/v1/organizations/{}/session-policy", organization_id,
                   NULL, NULL, "policy", &skit_organization_session_policy_schema, (void **)out);
}

static int check_timeout(const int32_t *value, const char *name)
{
    if (value && *value < 0)
        return skit_error_set(SCALEKIT_EINVAL, "%s must not be negative, not %d", name, (int)*value);
    return SCALEKIT_OK;
}

int scalekit_organization_update_session_policy(scalekit_client *client,
        const char *organization_id, const scalekit_organization_session_policy *policy,
        scalekit_organization_session_policy **out)
{
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK)
        rc = skit_check_required(organization_id, "organization_id");
    if (rc == SCALEKIT_OK && !policy)
        rc = skit_error_set(SCALEKIT_EINVAL, "policy must not be NULL");
    if (rc == SCALEKIT_OK)
        rc = check_timeout(policy->absolute_session_timeout, "absolute_session_timeout");
    if (rc == SCALEKIT_OK)
        rc = check_timeout(policy->idle_session_timeout, "idle_session_timeout");
    if (rc != SCALEKIT_OK)
        return rc;
    json_t *body = NULL;
    rc = skit_encode(&skit_organization_session_policy_schema, policy, &body);
    if (rc == SCALEKIT_OK)
        rc = call_on(client, "PATCH", "/api/v1/organizations/{}/session-policy", organization_id,
                     NULL, body, "policy", &skit_organization_session_policy_schema, (void **)out);
    json_decref(body);
    return rc;
}

/* ---- iterator ------------------------------------------------------------ */

/* The public iterator is the generic one under a service-specific name, so a
 * caller cannot hand an organization iterator to another service's _next. */
int scalekit_organization_iterator_new(scalekit_client *client,
                                       const scalekit_organization_list_options *opts,
                                       scalekit_organization_iterator **out)
{
    char *query = NULL;
    skit_iterator *it = NULL;
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK)
        rc = list_query(opts, &query);
    if (rc == SCALEKIT_OK)
        rc = skit_iterator_new(client, "/api/v1/organizations", query,
                               opts ? opts->page_size : 0, opts ? opts->page_token : NULL,
                               &skit_organization_page_schema, &it);
    free(query);
    if (out)
        *out = (scalekit_organization_iterator *)it;
    return rc;
}

int scalekit_organization_iterator_next(scalekit_organization_iterator *it,
                                        const scalekit_organization **out)
{
    const void *item = NULL;
    int rc = skit_iterator_next((skit_iterator *)it, out ? &item : NULL);
    if (out)
        *out = item;
    return rc;
}

void scalekit_organization_iterator_free(scalekit_organization_iterator *it)
{
    skit_iterator_free((skit_iterator *)it);
}

void scalekit_organization_free(scalekit_organization *org) { skit_result_free(org); }
void scalekit_organization_page_free(scalekit_organization_page *page) { skit_result_free(page); }
void scalekit_organization_portal_link_free(scalekit_organization_portal_link *link)
{
    skit_result_free(link);
}
void scalekit_organization_user_management_settings_free(
    scalekit_organization_user_management_settings *settings)
{
    skit_result_free(settings);
}
void scalekit_organization_session_policy_free(scalekit_organization_session_policy *policy)
{
    skit_result_free(policy);
}
