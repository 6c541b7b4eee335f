/* Domains: field tables and one operation per method (src/core/decode.h). */
#include "api/schemas.h"

static const skit_field domain_fields[] = {
    SKIT_FIELD_RO(scalekit_domain, id, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_domain, domain, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_domain, domain_type, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_domain, organization_id, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_domain, environment_id, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_domain, verification_method, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_domain, verification_status, SKIT_F_STRING),
    SKIT_FIELD_RO(scalekit_domain, create_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD_RO(scalekit_domain, update_time, SKIT_F_TIMESTAMP),
    SKIT_FIELD_SELF(scalekit_domain, raw_json),
};
const skit_schema skit_domain_schema = SKIT_SCHEMA(scalekit_domain, "domain", domain_fields);

static const skit_field page_fields[] = {
    SKIT_FIELD_ARRAY(scalekit_domain_page, items, "domains", count, skit_domain_schema),
    SKIT_FIELD(scalekit_domain_page, page_number, SKIT_F_INT32),
    SKIT_FIELD(scalekit_domain_page, page_size, SKIT_F_INT32),
    SKIT_FIELD_SELF(scalekit_domain_page, raw_json),
};
const skit_schema skit_domain_page_schema = SKIT_SCHEMA(scalekit_domain_page, "domain page", page_fields);

#define CREATE_OPTS scalekit_domain_create_options
static const skit_field create_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(CREATE_OPTS, SCALEKIT_DOMAIN_CREATE_OPTIONS_INIT),
    SKIT_FIELD_NAMED(CREATE_OPTS, domain_type, "domain_type", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
};
static const skit_schema create_schema = SKIT_SCHEMA(CREATE_OPTS, "scalekit_domain_create_options", create_fields);

/* The create body (v1domainsCreateDomain): the required name, then the options inlined. */
typedef struct create_body {
    const char *domain;
    const CREATE_OPTS *opts;
} create_body;
static const skit_field create_body_fields[] = {
    SKIT_FIELD(create_body, domain, SKIT_F_STRING),
    SKIT_FIELD_INLINE(create_body, opts, create_schema),
};
static const skit_schema create_body_schema = SKIT_SCHEMA(create_body, "domain", create_body_fields);

#define LIST_OPTS scalekit_domain_list_options
static const skit_field list_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(LIST_OPTS, SCALEKIT_DOMAIN_LIST_OPTIONS_INIT),
    SKIT_FIELD_NAMED(LIST_OPTS, page_size, "page_size", SKIT_F_UINT32, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_NAMED(LIST_OPTS, page_number, "page_number", SKIT_F_UINT32, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_NAMED(LIST_OPTS, domain_type, "domain_type", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
    SKIT_FIELD_NAMED(LIST_OPTS, include, "include", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
};
static const skit_schema list_schema = SKIT_SCHEMA(LIST_OPTS, "scalekit_domain_list_options", list_fields);

#define DOMAINS "/api/v1/organizations/{organization_id}/domains"
static const skit_op create_op = { "POST", DOMAINS, NULL, &create_body_schema, NULL, "domain",
                                   &skit_domain_schema };
static const skit_op list_op = { "GET", DOMAINS, &list_schema, NULL, NULL, NULL, &skit_domain_page_schema };
static const skit_op get_op = { "GET", DOMAINS "/{id}", NULL, NULL, NULL, "domain", &skit_domain_schema };
static const skit_op delete_op = { "DELETE", DOMAINS "/{id}", NULL, NULL, NULL, NULL, NULL };

int scalekit_domain_create(scalekit_client *client, const char *organization_id, const char *domain,
                           const CREATE_OPTS *opts, scalekit_domain **out)
{
    int rc = skit_check_out(out, "out");
    if (rc == SCALEKIT_OK)
        rc = skit_check_required(domain, "domain");
    create_body body = { domain, opts };
    return rc == SCALEKIT_OK ? skit_op_call(client, &create_op, &body, (void **)out, organization_id) : rc;
}

int scalekit_domain_get(scalekit_client *client, const char *organization_id, const char *id,
                        scalekit_domain **out)
{
    return skit_op_call(client, &get_op, NULL, (void **)out, organization_id, id);
}

int scalekit_domain_list(scalekit_client *client, const char *organization_id, const LIST_OPTS *opts,
                         scalekit_domain_page **out)
{
    return skit_op_call(client, &list_op, opts, (void **)out, organization_id);
}

int scalekit_domain_delete(scalekit_client *client, const char *organization_id, const char *id)
{
    return skit_op_call(client, &delete_op, NULL, NULL, organization_id, id);
}

int scalekit_domain_iterator_new(scalekit_client *client, const char *organization_id, const LIST_OPTS *opts,
                                 scalekit_domain_iterator **out)
{
    return skit_op_iterator_new(client, &list_op, opts, (skit_iterator **)out, organization_id);
}

SKIT_ITERATOR_FUNCTIONS(scalekit_domain, scalekit_domain)

void scalekit_domain_free(scalekit_domain *domain) { skit_result_free(domain); }
void scalekit_domain_page_free(scalekit_domain_page *page) { skit_result_free(page); }
