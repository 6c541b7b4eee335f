/*
 * Domains of an organization, declared for the resource engine (resource.h):
 * create, list (page_number paging), get and delete with the API's validation
 * (domainsDomain, v1domainsCreateDomain) and the organization.domain_created /
 * _deleted events in the OrganizationDomainEventData shape. A domain is unique
 * in the environment and never a public e-mail provider's. Its DNS check is a
 * test control: POST /_emulator/domains/{id}:verify {"status": "VERIFIED"|"FAILED"}.
 */
#include "environment.h"
#include "resources.h"

#include <string.h>
#include <strings.h>

#define TXT_RECORD_KEY "scalekit-domain-verification"

/* The API blocks public e-mail domains; these stand for that list. */
static const char *const public_domains[] = {
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com",
    "icloud.com", "me.com", "aol.com", "proton.me", "protonmail.com", "gmx.com", "mail.com",
    "yandex.com", "zoho.com", NULL
};

static const char *check_domain(const json_t *v, char *field, size_t field_len)
{
    for (size_t i = 0; public_domains[i]; i++)
        if (strcasecmp(json_string_value(v), public_domains[i]) == 0)
            return "domain must be a business domain: public e-mail domains are blocked";
    return NULL;
}

static bool is_organization_domain(const json_t *row)
{
    const char *type = skit_json_string(row, "domain_type");
    return !type || strcmp(type, "ORGANIZATION_DOMAIN") == 0;
}

/* An allowed e-mail domain needs no check; an organization domain is PENDING until its DNS check. */
static const char *method_of(const json_t *row)
{
    return is_organization_domain(row) ? "DNS" : "NOT_APPLICABLE";
}

static const char *status_of(const json_t *row)
{
    const char *status = skit_json_string(row, "verification_status");
    return status ? status : is_organization_domain(row) ? "PENDING" : "AUTO_VERIFIED";
}

static int shape(const json_t *row, json_t *out)
{
    return json_object_set_new(out, "verification_method", json_string(method_of(row))) ||
           json_object_set_new(out, "verification_status", json_string(status_of(row)));
}

/* OrganizationDomainEventData: the webhook's own names (updated_at, the TXT record). */
static json_t *event_data(const json_t *row)
{
    return json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s, s:s?, s:s, s:s, s:o}",
                     "id", skit_json_string(row, "id"), "domain", skit_json_string(row, "domain"),
                     "domain_type", skit_json_string(row, "domain_type"),
                     "organization_id", skit_json_string(row, "organization_id"),
                     "environment_id", skit_json_string(row, "environment_id"),
                     "txt_record_key", TXT_RECORD_KEY,
                     "txt_record_secret", skit_json_string(row, "txt_record_secret"),
                     "verification_status", status_of(row), "verification_method", method_of(row),
                     "updated_at", emu_json_time(json_integer_value(json_object_get(row, "update_time"))));
}

/* The DNS check's outcome, set by a test: the status and its event, read and
 * written in one transaction (a concurrent delete answers 404, not 500). */
static int post_verify(emu *e, emu_req *r)
{
    const char *status = skit_json_string(emu_json_body(r), "status");
    if (!status || (strcmp(status, "VERIFIED") != 0 && strcmp(status, "FAILED") != 0))
        return emu_reply_field_error(r, "status", "status must be VERIFIED or FAILED");
    const char *type = strcmp(status, "VERIFIED") == 0 ? "organization.domain_dns_verification_success"
                                                        : "organization.domain_dns_verification_failed";
    if (emu_tx_begin(e->store) != 0)
        return -1;
    int rc = 0;
    json_t *row = emu_resource_find(e, r, r->resource, "id", &rc), *data = NULL, *after = NULL;
    if (row && !is_organization_domain(row))
        rc = emu_reply_error(r, 400, "FAILED_PRECONDITION", "domain %s is an ALLOWED_EMAIL_DOMAIN: only an "
                             "ORGANIZATION_DOMAIN is verified by DNS", skit_json_string(row, "id"));
    if (!row || !is_organization_domain(row)) {
        emu_tx_rollback(e->store);
        json_decref(row);
        return rc;
    }
    const char *id = skit_json_string(row, "id");
    json_t *changed = NULL;
    if (emu_db_exec(e->store, "UPDATE domains SET verification_status = ?, update_time = ? WHERE id = ?", "sis",
                    status, skit_now(), id) != 1 || !(changed = emu_resource_row(e, r->resource, id)) ||
        !(data = event_data(changed)) || emu_event_emit(e, type, skit_json_string(row, "organization_id"), data)) {
        emu_tx_rollback(e->store);
        rc = -1;
    } else {
        rc = emu_resource_commit_update(e, r->resource, id, &after) == 0
            ? emu_resource_reply(r, r->resource, 200, after) : -1;
    }
    json_decref(changed);
    json_decref(data);
    json_decref(row);
    json_decref(after);
    return rc;
}

static const char *const domain_types[] = {"ALLOWED_EMAIL_DOMAIN", "ORGANIZATION_DOMAIN", NULL};

static const emu_field fields[] = {
    {.name = "id", .flags = EMU_OUTPUT},
    /* a host name of two or more labels, the last alphabetic */
    {.name = "domain", .flags = EMU_REQUIRED | EMU_UNIQUE, .max_len = 253, .check = check_domain,
     .pattern = "^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$",
     .message = "domain must be a host name such as acme.com, of at most 253 characters"},
    {.name = "domain_type", .enum_values = domain_types},
    {.name = "organization_id", .flags = EMU_OUTPUT},
    {.name = "environment_id", .flags = EMU_OUTPUT | EMU_STAMP_ENVIRONMENT},
    {.name = "create_time", .type = EMU_TIMESTAMP, .flags = EMU_OUTPUT | EMU_STAMP_CREATE},
    {.name = "update_time", .type = EMU_TIMESTAMP, .flags = EMU_OUTPUT | EMU_STAMP_UPDATE},
    {0}
};

static const emu_route routes[] = {
    {"POST", "/_emulator/domains/{id}:verify", post_verify, "id"},
    {NULL, NULL, NULL, NULL}
};

const emu_resource emu_domain_resource = {
    .name = "domain",
    .table = "domains",
    .id_prefix = "dom_",
    .route = "/api/v1/organizations/{organization_id}/domains",
    .single = "domain",
    .plural = "domains",
    .fields = fields,
    .parent = &emu_organization_resource,
    .parent_column = "organization_id",
    .filters = (const emu_filter[]){{.query = "domain_type"}, {0}},
    .events = {"organization.domain_created", NULL, "organization.domain_deleted"},
    .shape = shape,
    .routes = routes,
    .create_status = 200,
    .page_numbers = true,
    .default_page_size = 30,
    .event_data = event_data,
};
