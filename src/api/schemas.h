/*
 * The result tables of every service (src/api/<service>.c), exported inside
 * the library so the fuzzers and tests can decode canned responses with
 * exactly the tables the methods use. One block per service.
 */
#ifndef SKIT_API_SCHEMAS_H
#define SKIT_API_SCHEMAS_H

#include "core/decode.h"

/* Organizations (organization.c); the response member of each is in quotes. */
extern const skit_schema skit_organization_schema;                  /* "organization" */
extern const skit_schema skit_organization_page_schema;             /* the whole body */
extern const skit_schema skit_organization_portal_link_schema;      /* "link" */
extern const skit_schema skit_organization_user_management_schema;  /* "settings" */
extern const skit_schema skit_organization_session_policy_schema;   /* "policy" */

/* Domains (domain.c). */
extern const skit_schema skit_domain_schema;                        /* "domain" */
extern const skit_schema skit_domain_page_schema;                   /* the whole body */

#endif
