/*
 * SCIM discovery (RFC 7644 section 4): /ServiceProviderConfig, /ResourceTypes
 * and /Schemas, the last built from attribute tables in RFC 7643 section 7's
 * form (core User, Group and the enterprise User extension). Served to the
 * directory's bearer secret like every other SCIM endpoint.
 */
#include "scim.h"

#include <string.h>

enum {
    A_MULTI = 1 << 0,
    A_REQUIRED = 1 << 1,
    A_CASE_EXACT = 1 << 2,
    A_READ_ONLY = 1 << 3,
    A_WRITE_ONLY = 1 << 4,
    A_IMMUTABLE = 1 << 5,
    A_UNIQUE = 1 << 6,      /* uniqueness "server" */
    A_NEVER = 1 << 7,       /* returned "never" */
    A_ALWAYS = 1 << 8,      /* returned "always" */
};

typedef struct attr_def {
    const char *name;
    const char *type;       /* string, boolean, complex, reference, dateTime */
    unsigned flags;
    const char *description;
    const struct attr_def *subs;   /* complex: {0}-terminated */
} attr_def;

static const attr_def name_subs[] = {
    {"formatted", "string", 0, "The full name, formatted for display", NULL},
    {"familyName", "string", 0, "The family name", NULL},
    {"givenName", "string", 0, "The given name", NULL},
    {"middleName", "string", 0, "The middle name(s)", NULL},
    {"honorificPrefix", "string", 0, "The honorific prefix", NULL},
    {"honorificSuffix", "string", 0, "The honorific suffix", NULL},
    {0},
};

static const attr_def multi_subs[] = {
    {"value", "string", 0, "The value", NULL},
    {"display", "string", 0, "A label for display", NULL},
    {"type", "string", 0, "A label of the value's function: work, home, other", NULL},
    {"primary", "boolean", 0, "Whether this is the primary value", NULL},
    {0},
};

static const attr_def ref_subs[] = {
    {"value", "string", A_CASE_EXACT | A_IMMUTABLE, "The id of the resource", NULL},
    {"$ref", "reference", A_CASE_EXACT | A_IMMUTABLE, "The URI of the resource", NULL},
    {"display", "string", A_READ_ONLY, "The resource's display name", NULL},
    {0},
};

static const attr_def user_attrs[] = {
    {"userName", "string", A_REQUIRED | A_UNIQUE | A_ALWAYS, "Unique identifier of the user in the directory", NULL},
    {"name", "complex", 0, "The components of the user's name", name_subs},
    {"displayName", "string", 0, "The name of the user, for display", NULL},
    {"nickName", "string", 0, "The casual name of the user", NULL},
    {"profileUrl", "reference", 0, "A URI of the user's online profile", NULL},
    {"title", "string", 0, "The user's title", NULL},
    {"userType", "string", 0, "The relationship of the user to the organization", NULL},
    {"preferredLanguage", "string", 0, "The user's preferred written or spoken language", NULL},
    {"locale", "string", 0, "The user's default location", NULL},
    {"timezone", "string", 0, "The user's time zone (IANA)", NULL},
    {"active", "boolean", 0, "Whether the user may sign in", NULL},
    {"password", "string", A_WRITE_ONLY | A_NEVER, "Never stored by this service", NULL},
    {"emails", "complex", A_MULTI, "Email addresses of the user", multi_subs},
    {"phoneNumbers", "complex", A_MULTI, "Phone numbers of the user", multi_subs},
    {"groups", "complex", A_MULTI | A_READ_ONLY, "The groups the user belongs to", ref_subs},
    {0},
};

static const attr_def group_attrs[] = {
    {"displayName", "string", A_REQUIRED, "The name of the group, for display", NULL},
    {"members", "complex", A_MULTI, "The members of the group (users of the directory)", ref_subs},
    {0},
};

static const attr_def manager_subs[] = {
    {"value", "string", 0, "The id of the manager", NULL},
    {"$ref", "reference", 0, "The URI of the manager", NULL},
    {"displayName", "string", A_READ_ONLY, "The manager's display name", NULL},
    {0},
};

static const attr_def enterprise_attrs[] = {
    {"employeeNumber", "string", 0, "The user's number in the organization", NULL},
    {"costCenter", "string", 0, "The user's cost center", NULL},
    {"organization", "string", 0, "The user's organization", NULL},
    {"division", "string", 0, "The user's division", NULL},
    {"department", "string", 0, "The user's department", NULL},
    {"manager", "complex", 0, "The user's manager", manager_subs},
    {0},
};

static json_t *attributes_json(const attr_def *defs)
{
    json_t *out = json_array();
    for (const attr_def *a = defs; out && a->name; a++) {
        unsigned f = a->flags;
        const char *mutability = f & A_READ_ONLY ? "readOnly" : f & A_WRITE_ONLY ? "writeOnly"
                                 : f & A_IMMUTABLE ? "immutable" : "readWrite";
        const char *returned = f & A_NEVER ? "never" : f & A_ALWAYS ? "always" : "default";
        json_t *j = json_pack("{s:s, s:s, s:b, s:s, s:b, s:b, s:s, s:s, s:s}", "name", a->name, "type", a->type,
                              "multiValued", (f & A_MULTI) != 0, "description", a->description,
                              "required", (f & A_REQUIRED) != 0, "caseExact", (f & A_CASE_EXACT) != 0,
                              "mutability", mutability, "returned", returned, "uniqueness",
                              f & A_UNIQUE ? "server" : "none");
        if (j && a->subs)
            json_object_set_new(j, "subAttributes", attributes_json(a->subs));
        if (j && strcmp(a->type, "reference") == 0)
            json_object_set_new(j, "referenceTypes", json_pack("[s, s, s]", "User", "Group", "external"));
        json_array_append_new(out, j);
    }
    return out;
}

static const struct schema_def {
    const char *id, *name, *description;
    const attr_def *attrs;
} schemas[] = {
    {SCIM_SCHEMA_USER, "User", "User Account", user_attrs},
    {SCIM_SCHEMA_GROUP, "Group", "Group", group_attrs},
    {SCIM_SCHEMA_ENTERPRISE, "EnterpriseUser", "Enterprise User", enterprise_attrs},
};

static json_t *meta(const scim_dir *d, const char *type, const char *path, const char *id)
{
    char location[sizeof d->base + 160];
    snprintf(location, sizeof location, "%s/%s/%s", d->base, path, id);
    return json_pack("{s:s, s:s}", "resourceType", type, "location", location);
}

static json_t *schema_json(const scim_dir *d, const struct schema_def *s)
{
    return json_pack("{s:[s], s:s, s:s, s:s, s:o, s:o}", "schemas", "urn:ietf:params:scim:schemas:core:2.0:Schema",
                     "id", s->id, "name", s->name, "description", s->description, "attributes",
                     attributes_json(s->attrs), "meta", meta(d, "Schema", "Schemas", s->id));
}

static json_t *resource_type_json(const scim_dir *d, const scim_kind *k)
{
    char endpoint[32];
    snprintf(endpoint, sizeof endpoint, "/%s", k->endpoint);
    json_t *rt = json_pack("{s:[s], s:s, s:s, s:s, s:s, s:s, s:o}", "schemas",
                           "urn:ietf:params:scim:schemas:core:2.0:ResourceType", "id", k->name, "name", k->name,
                           "endpoint", endpoint, "description", k->name, "schema", k->schema, "meta",
                           meta(d, "ResourceType", "ResourceTypes", k->name));
    if (rt && k == &scim_user_kind)
        json_object_set_new(rt, "schemaExtensions",
                            json_pack("[{s:s, s:b}]", "schema", SCIM_SCHEMA_ENTERPRISE, "required", 0));
    return rt;
}

static const scim_kind *const kinds[] = {&scim_user_kind, &scim_group_kind};

static json_t *list_response(json_t *items)
{
    size_t n = json_array_size(items);
    return json_pack("{s:[s], s:I, s:i, s:I, s:o}", "schemas", SCIM_MSG_LIST, "totalResults", (json_int_t)n,
                     "startIndex", 1, "itemsPerPage", (json_int_t)n, "Resources", items);
}

static int service_provider_config(emu *e, emu_req *r)
{
    scim_dir d;
    int rc;
    if (!scim_begin(e, r, &d, &rc))
        return rc;
    char location[sizeof d.base + 32];
    snprintf(location, sizeof location, "%s/ServiceProviderConfig", d.base);
    rc = scim_reply_json(r, 200, json_pack(
        "{s:[s], s:s, s:{s:b}, s:{s:b, s:i}, s:{s:b}, s:{s:b, s:i, s:i}, s:{s:b}, s:{s:b},"
        " s:[{s:s, s:s, s:s, s:b}], s:{s:s, s:s}}",
        "schemas", "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig",
        "documentationUri", "https://datatracker.ietf.org/doc/html/rfc7644",
        "patch", "supported", 1,
        "bulk", "supported", 0, "maxOperations", 0,
        "sort", "supported", 0,
        "filter", "supported", 1, "maxResults", SCIM_MAX_RESULTS, "maxPayloadSize", EMU_MAX_BODY,
        "changePassword", "supported", 0,
        "etag", "supported", 1,
        "authenticationSchemes", "type", "oauthbearertoken", "name", "Bearer token",
        "description", "The directory's SCIM secret as an Authorization: Bearer token", "primary", 1,
        "meta", "resourceType", "ServiceProviderConfig", "location", location));
    scim_dir_free(&d);
    return rc;
}

/* One discovery collection: its @p n entries as a ListResponse, or (a route with
 * {id}) the entry whose id is the path's, 404 naming @p what when none is. */
static int reply_entries(emu *e, emu_req *r, const char *what, size_t n, const char *(*id_of)(size_t),
                         json_t *(*make)(const scim_dir *, size_t))
{
    scim_dir d;
    int rc;
    if (!scim_begin(e, r, &d, &rc))
        return rc;
    const char *id = emu_pattern_has_param(r->pattern, "id") ? emu_path_param(r, "id") : NULL;
    json_t *items = json_array();
    for (size_t i = 0; items && i < n; i++)
        if (!id || strcmp(id, id_of(i)) == 0)
            json_array_append_new(items, make(&d, i));
    if (id && json_array_size(items) == 0)
        rc = scim_reply_errorf(r, 404, NULL, "%s %s not found", what, id);
    else
        rc = scim_reply_json(r, 200, id ? json_incref(json_array_get(items, 0)) : list_response(json_incref(items)));
    json_decref(items);
    scim_dir_free(&d);
    return rc;
}

static const char *kind_id(size_t i)
{
    return kinds[i]->name;
}

static json_t *kind_entry(const scim_dir *d, size_t i)
{
    return resource_type_json(d, kinds[i]);
}

static const char *schema_id(size_t i)
{
    return schemas[i].id;
}

static json_t *schema_entry(const scim_dir *d, size_t i)
{
    return schema_json(d, &schemas[i]);
}

static int resource_types(emu *e, emu_req *r)
{
    return reply_entries(e, r, "ResourceType", sizeof kinds / sizeof kinds[0], kind_id, kind_entry);
}

static int schemas_list(emu *e, emu_req *r)
{
    return reply_entries(e, r, "Schema", sizeof schemas / sizeof schemas[0], schema_id, schema_entry);
}

const emu_route emu_scim_discovery_routes[] = {
    {"GET", SCIM_ROUTE "/ServiceProviderConfig", service_provider_config, "directory_id"},
    {"GET", SCIM_ROUTE "/ResourceTypes", resource_types, "directory_id"},
    {"GET", SCIM_ROUTE "/ResourceTypes/{id}", resource_types, "directory_id id"},
    {"GET", SCIM_ROUTE "/Schemas", schemas_list, "directory_id"},
    {"GET", SCIM_ROUTE "/Schemas/{id}", schemas_list, "directory_id id"},
    {NULL, NULL, NULL, NULL},
};
