/**
 * @file scalekit/domain.h
 * Domains of an organization: the e-mail domains that route its users to its
 * SSO connection (ORGANIZATION_DOMAIN, verified by a DNS TXT record) or
 * suggest the organization at sign-in (ALLOWED_EMAIL_DOMAIN).
 *
 * Routes: POST|GET /api/v1/organizations/{organization_id}/domains,
 * GET|DELETE /api/v1/organizations/{organization_id}/domains/{id}.
 *
 * Conventions (checks, errors, options, iterators): common.h. The server's rules
 * here: a host name, no public e-mail domain, unique in the environment. Lists
 * page by a 0-based page number, not by page tokens.
 */
#ifndef SCALEKIT_DOMAIN_H
#define SCALEKIT_DOMAIN_H

#include <stddef.h>
#include <stdint.h>
#include "export.h"
#include "client.h"
#include "common.h"

SCALEKIT_BEGIN_DECLS

/** A domain. Strings are NULL when the server did not send them. */
typedef struct scalekit_domain {
    const char *id;                  /**< "dom_..." */
    const char *domain;              /**< "acme.com" */
    const char *domain_type;         /**< "ORGANIZATION_DOMAIN" or "ALLOWED_EMAIL_DOMAIN" */
    const char *organization_id;
    const char *environment_id;
    const char *verification_method; /**< "DNS", "ADMIN" or "NOT_APPLICABLE" */
    /** "PENDING", "VERIFIED", "FAILED" or "AUTO_VERIFIED" */
    const char *verification_status;
    int64_t create_time;             /**< Unix seconds; 0 when absent */
    int64_t update_time;             /**< Unix seconds; 0 when absent */
    /** A result: the whole response body; an item of a page: that item's JSON. */
    const char *raw_json;
} scalekit_domain;

/** Optional fields of scalekit_domain_create(). */
typedef struct scalekit_domain_create_options {
    size_t struct_size;              /**< set by the _INIT macro; see common.h */
    /** "ORGANIZATION_DOMAIN" or "ALLOWED_EMAIL_DOMAIN"; NULL or "": the server's default */
    const char *domain_type;
} scalekit_domain_create_options;
#define SCALEKIT_DOMAIN_CREATE_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_domain_create_options)

/** Options of scalekit_domain_list() and the iterator. */
typedef struct scalekit_domain_list_options {
    size_t struct_size;              /**< set by the _INIT macro; see common.h */
    uint32_t page_size;              /**< 0: the server's default (30); at most 100 */
    uint32_t page_number;            /**< 0-based; the iterator starts there */
    const char *domain_type;         /**< only domains of this type; NULL or "": all */
    /** comma-separated extra fields ("verification_details"); NULL or "": none */
    const char *include;
} scalekit_domain_list_options;
#define SCALEKIT_DOMAIN_LIST_OPTIONS_INIT SCALEKIT_STRUCT_INIT(scalekit_domain_list_options)

/** One page of domains. */
typedef struct scalekit_domain_page {
    /** count pointers (pointers, so a domain can gain members). */
    const scalekit_domain *const *items;
    size_t count;
    int32_t page_number;             /**< the page's number, as the server answered */
    int32_t page_size;               /**< domains on this page */
    const char *raw_json;            /**< the response body */
} scalekit_domain_page;

/** Every page of a list, on demand; see SCALEKIT_DECLARE_ITERATOR in common.h. */
SCALEKIT_DECLARE_ITERATOR(scalekit_domain, scalekit_domain);

/**
 * Add a domain to an organization.
 *
 * @param client          the client
 * @param organization_id the organization ("org_..."); must not be empty
 * @param domain          the domain name ("acme.com"); must not be empty
 * @param opts            the domain type (SCALEKIT_DOMAIN_CREATE_OPTIONS_INIT); NULL for the default
 * @param out             receives the new domain; free with scalekit_domain_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (an empty id or domain, opts not initialised,
 *         a string not UTF-8, out NULL); SCALEKIT_ENOTFOUND (no such organization);
 *         SCALEKIT_EEXISTS (the domain is taken in the environment);
 *         SCALEKIT_EINVALID_REQUEST (not a host name, a public e-mail domain, a bad type)
 */
SCALEKIT_API int scalekit_domain_create(scalekit_client *client, const char *organization_id,
        const char *domain, const scalekit_domain_create_options *opts, scalekit_domain **out);

/**
 * Get a domain of an organization.
 *
 * @param client          the client
 * @param organization_id the organization; must not be empty
 * @param id              the domain id ("dom_..."); must not be empty
 * @param out             receives the domain; free with scalekit_domain_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND (no such organization, or no
 *         such domain in it); see the file comment
 */
SCALEKIT_API int scalekit_domain_get(scalekit_client *client, const char *organization_id,
        const char *id, scalekit_domain **out);

/**
 * List one page of an organization's domains, oldest first.
 *
 * @param client          the client
 * @param organization_id the organization; must not be empty
 * @param opts            page size and number, type filter, include; NULL for the first page
 * @param out             receives the page; free with scalekit_domain_page_free()
 * @return SCALEKIT_OK (an empty page past the last); SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND;
 *         see the file comment
 */
SCALEKIT_API int scalekit_domain_list(scalekit_client *client, const char *organization_id,
        const scalekit_domain_list_options *opts, scalekit_domain_page **out);

/**
 * Delete a domain of an organization.
 *
 * @param client          the client
 * @param organization_id the organization; must not be empty
 * @param id              the domain id; must not be empty
 * @return SCALEKIT_OK; SCALEKIT_EINVAL; SCALEKIT_ENOTFOUND; see the file comment
 */
SCALEKIT_API int scalekit_domain_delete(scalekit_client *client, const char *organization_id,
        const char *id);

/**
 * An iterator over an organization's domains, from opts->page_number on, fetching
 * pages on demand (none before the first _next call). A page shorter than the
 * page size (the requested one, else the first page's) or an empty page is the last.
 *
 * @param client          the client; must outlive the iterator
 * @param organization_id the organization; must not be empty. Copied.
 * @param opts            as for scalekit_domain_list(); NULL for all. Copied.
 * @param out             receives the iterator; free with scalekit_domain_iterator_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (client, out NULL, an empty organization_id); SCALEKIT_ENOMEM
 */
SCALEKIT_API int scalekit_domain_iterator_new(scalekit_client *client, const char *organization_id,
        const scalekit_domain_list_options *opts, scalekit_domain_iterator **out);

/** Free a domain result. Safe on NULL. */
SCALEKIT_API void scalekit_domain_free(scalekit_domain *domain);
/** Free a page of domains. Safe on NULL. */
SCALEKIT_API void scalekit_domain_page_free(scalekit_domain_page *page);

SCALEKIT_END_DECLS

#endif
