/*
 * Organizations, declared for the resource engine (resource.h): create, list,
 * get, update and delete with the API's validation (organizationsOrganization,
 * v1organizationsCreateOrganization, v1organizationsUpdateOrganization) and the
 * organization.created / .updated / .deleted events; plus get by external id.
 * Settings, session policy and portal links are in organization_settings.c.
 */
#include "environment.h"
#include "resources.h"
#include "role.h"

#include <stdio.h>
#include <string.h>

static const char *check_logo_url(const json_t *v, char *field, size_t field_len)
{
    return strncmp(json_string_value(v), "https://", 8) != 0 || json_string_length(v) <= 8
        ? "logo_url must be an https URL" : NULL;
}

/* settings.features, from the features column (organization_settings.c writes it). */
static int shape(const json_t *row, json_t *out)
{
    const char *text = skit_json_string(row, "features");
    json_t *features = text ? json_loads(text, 0, NULL) : NULL;
    if (!json_is_array(features)) {
        json_decref(features);
        features = json_array();
    }
    return json_object_set_new(out, "settings", json_pack("{s:o}", "features", features));
}

static int get_by_external_id(emu *e, emu_req *r)
{
    return emu_resource_reply_by(e, r, &emu_organization_resource, "external_id");
}

static const emu_field fields[] = {
    {.name = "id", .flags = EMU_OUTPUT},
    {.name = "display_name", .flags = EMU_REQUIRED, .min_len = 1, .max_len = 200},
    {.name = "external_id", .flags = EMU_UNIQUE | EMU_EMPTY_UNSET},
    {.name = "region_code", .flags = EMU_OUTPUT},
    /* dot-separated labels of [a-z0-9-], 1 to 63 long, not starting or ending with '-' */
    {.name = "slug", .flags = EMU_UNIQUE | EMU_EMPTY_UNSET, .max_len = 253,
     .pattern = "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$",
     .message = "slug must be a lowercase DNS label or host name of at most 253 characters"},
    {.name = "logo_url", .max_len = 1024, .check = check_logo_url},
    {.name = "metadata", .type = EMU_OBJECT, .check = emu_check_metadata},
    {.name = "create_time", .type = EMU_TIMESTAMP, .flags = EMU_OUTPUT | EMU_STAMP_CREATE},
    {.name = "update_time", .type = EMU_TIMESTAMP, .flags = EMU_OUTPUT | EMU_STAMP_UPDATE},
    {0}
};

static const emu_route routes[] = {
    {"GET", "/api/v1/organizations:external/{external_id}", get_by_external_id, "external_id"},
    {NULL, NULL, NULL, NULL}
};

/* Each membership's end is a user.organization_membership_deleted event, each role's a role.deleted,
 * each connection's an organization.sso_deleted; its directories go with what SCIM provisioned into them. */
static int end_dependants(emu *e, const json_t *organization)
{
    return emu_organization_memberships_end(e, organization) == 0 && emu_organization_roles_end(e, organization) == 0 &&
           emu_organization_connections_end(e, organization) == 0 &&
           emu_organization_directories_end(e, organization) == 0 ? 0 : -1;
}

const emu_resource emu_organization_resource = {
    .name = "organization",
    .table = "organizations",
    .id_prefix = "org_",
    .route = "/api/v1/organizations",
    .single = "organization",
    .plural = "organizations",
    .fields = fields,
    .filters = (const emu_filter[]){{.query = "external_id"}, {0}},
    /* An organization takes its memberships, portal links, domains and roles with it. */
    .cascade = (const emu_cascade[]){{"memberships", "organization_id"}, {"portal_links", "organization_id"},
                                     {"domains", "organization_id"}, {"roles", "organization_id"},
                                     {"role_defaults", "organization_id"},
                                     {"connections", "organization_id"}, {"portal_sessions", "organization_id"},
                                     {0}},
    .before_delete = end_dependants,
    .events = {"organization.created", "organization.updated", "organization.deleted"},
    .event_organization = "id",
    .shape = shape,
    .routes = routes,
};
