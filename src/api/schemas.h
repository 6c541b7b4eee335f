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

/* Users (user.c). */
extern const skit_schema skit_user_schema;                          /* "user" */
extern const skit_schema skit_user_page_schema;                     /* the whole body */
extern const skit_schema skit_user_invite_schema;                   /* "invite" */
extern const skit_schema skit_user_role_list_schema;                /* the whole body */
extern const skit_schema skit_user_permission_list_schema;          /* the whole body */

/* Sessions (session.c). */
extern const skit_schema skit_session_schema;            /* the whole body; "revoked_session" */
extern const skit_schema skit_session_page_schema;       /* the whole body */
extern const skit_schema skit_session_revocation_schema; /* the whole body */
/* Domains (domain.c). */
extern const skit_schema skit_domain_schema;                        /* "domain" */
extern const skit_schema skit_domain_page_schema;                   /* the whole body */

/* Roles (role.c). */
extern const skit_schema skit_role_schema;                          /* "role" */
extern const skit_schema skit_role_list_schema;                     /* the whole body */
extern const skit_schema skit_role_defaults_schema;                 /* the whole body */
extern const skit_schema skit_role_users_count_schema;              /* the whole body */

/* Permissions (permission.c). */
extern const skit_schema skit_permission_schema;                    /* "permission" */
extern const skit_schema skit_permission_list_schema;               /* the whole body */
extern const skit_schema skit_permission_page_schema;               /* the whole body */

/* Connections (connection.c). */
extern const skit_schema skit_connection_schema;                    /* "connection" */
extern const skit_schema skit_connection_list_schema;               /* the whole body */
extern const skit_schema skit_connection_toggle_schema;             /* the whole body */

/* Organization API clients (m2m.c). */
extern const skit_schema skit_m2m_client_schema;                    /* "client" */
extern const skit_schema skit_m2m_client_page_schema;               /* the whole body */
extern const skit_schema skit_m2m_client_created_schema;            /* the whole body */
extern const skit_schema skit_m2m_client_secret_schema;             /* in "secret" */
extern const skit_schema skit_m2m_client_secret_created_schema;     /* the whole body */

/* Authentication logs (auth_log.c). */
extern const skit_schema skit_auth_log_request_page_schema;         /* the whole body */
/* Passkeys (webauthn.c). */
extern const skit_schema skit_webauthn_credential_schema;           /* "credential" */
extern const skit_schema skit_webauthn_credential_list_schema;      /* the whole body */
extern const skit_schema skit_webauthn_delete_credential_schema;    /* the whole body */
extern const skit_schema skit_webauthn_options_schema;              /* the whole body */
extern const skit_schema skit_webauthn_registration_schema;         /* the whole body */
extern const skit_schema skit_webauthn_authentication_schema;       /* the whole body */

/* Passwordless email (passwordless.c). */
extern const skit_schema skit_passwordless_send_response_schema;   /* the whole body */
extern const skit_schema skit_passwordless_verify_response_schema; /* the whole body */

/* Directories (directory.c). */
extern const skit_schema skit_directory_schema;                     /* "directory" */
extern const skit_schema skit_directories_schema;                   /* the whole body */
extern const skit_schema skit_directory_user_schema;                /* an item of "users" */
extern const skit_schema skit_directory_group_schema;               /* an item of "groups" */
extern const skit_schema skit_directory_user_page_schema;           /* the whole body */
extern const skit_schema skit_directory_group_page_schema;          /* the whole body */
extern const skit_schema skit_directory_toggle_schema;              /* the whole body */
extern const skit_schema skit_directory_new_secret_schema;          /* the whole body */

#endif
