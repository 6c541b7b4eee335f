/*
 * The one table of commands. A service's commands are rows here plus one small
 * adapter each (adapters.h) that turns the parsed flags into the library call.
 * --help, the man page and the bash/zsh completions are all generated from it.
 */
#include "cli.h"
#include "adapters.h"
#include "emulator.h"

/* A row without its own option parser (raw_main NULL). */
#define CMD(...) { __VA_ARGS__, NULL }
#define FLAGS(...) ((const cli_flag *const[]){__VA_ARGS__, NULL})

/* ---- flags shared by several commands ------------------------------------- */
static const cli_flag F_PAGE_SIZE = {"page-size", CLI_INT,
    "items per page (the server's default when absent)"};
static const cli_flag F_PAGE_TOKEN = {"page-token", CLI_STRING, "the page to start from (a next_page_token)"};
static const cli_flag F_PAGE_NUMBER = {"page-number", CLI_INT, "the 0-based page to start from"};
static const cli_flag F_ALL = {"all", CLI_BOOL,
    "every page, as one document (json) or one item per line (jsonl)"};
static const cli_flag F_EXTERNAL_ID = {"external-id", CLI_STRING, "your identifier of it"};
static const cli_flag F_METADATA = {"metadata", CLI_MAP, "a metadata entry (repeatable)"};
static const cli_flag F_DISPLAY_NAME = {"display-name", CLI_STRING, "the display name"};
static const cli_flag F_SLUG = {"slug", CLI_STRING, "a DNS label or host name"};
static const cli_flag F_LOGO_URL = {"logo-url", CLI_STRING, "an https:// URL of the logo"};
static const cli_flag F_ORGANIZATION = {"organization", CLI_STRING, "only within this organization id"};
static const cli_flag F_LOGIN_ORGANIZATION = {"organization", CLI_STRING, "sign in to this organization id"};
static const cli_flag F_ROLE = {"role", CLI_LIST, "a role name (repeatable)"};
static const cli_flag F_INVITE = {"send-invitation-email", CLI_BOOL, "email the user an invitation"};
static const cli_flag F_INVITER = {"inviter-email", CLI_STRING, "who invites the user"};
static const cli_flag F_GIVEN_NAME = {"given-name", CLI_STRING, "the user's given name"};
static const cli_flag F_FAMILY_NAME = {"family-name", CLI_STRING, "the user's family name"};
static const cli_flag F_NAME = {"name", CLI_STRING, "the user's full name"};
static const cli_flag F_CASCADE = {"cascade", CLI_BOOL,
    "also delete the user when this was their last membership"};
static const cli_flag F_NEW_EXTERNAL_ID = {"new-external-id", CLI_STRING, "change the external id to this"};
static const cli_flag F_ENABLE = {"enable", CLI_LIST, "turn a feature on: sso, dir_sync (repeatable)"};
static const cli_flag F_DISABLE = {"disable", CLI_LIST, "turn a feature off (repeatable)"};
static const cli_flag F_MAX = {"max", CLI_INT, "the most users the organization may have (0: no limit)"};
static const cli_flag F_FEATURE = {"feature", CLI_LIST, "a portal feature: sso, dir_sync (repeatable)"};
static const cli_flag F_STATUS = {"status", CLI_LIST,
    "only sessions in this status: active, expired, revoked, logout (repeatable)"};
static const cli_flag F_START_TIME = {"start-time", CLI_INT, "created at or after (Unix seconds)"};
static const cli_flag F_END_TIME = {"end-time", CLI_INT, "created at or before (Unix seconds)"};
static const cli_flag F_DOMAIN_TYPE = {"domain-type", CLI_STRING,
    "ORGANIZATION_DOMAIN or ALLOWED_EMAIL_DOMAIN"};
static const cli_flag F_ISSUER = {"issuer", CLI_STRING, "iss must equal this (default: the environment URL)"};
static const cli_flag F_AUDIENCE = {"audience", CLI_LIST, "aud must contain one of these (repeatable)"};
static const cli_flag F_SCOPE = {"scope", CLI_LIST, "a scope (repeatable)"};
static const cli_flag F_SECRET_FILE = {"secret-file", CLI_STRING,
    "read the whsec_ secret from FILE (else SCALEKIT_WEBHOOK_SECRET)"};
static const cli_flag F_SECRET_STDIN = {"secret-stdin", CLI_BOOL,
    "read the whsec_ secret from standard input"};
static const cli_flag F_HEADERS = {"headers", CLI_STRING,
    "a file of `name: value` lines (webhook-id, webhook-timestamp, webhook-signature)"};
static const cli_flag F_INTERCEPTOR = {"interceptor", CLI_BOOL,
    "an interceptor call (interceptor-id, -timestamp, -signature headers)"};
static const cli_flag F_PAYLOAD = {"payload", CLI_STRING, "the body's file; - or absent: standard input"};
static const cli_flag F_PORT = {"port", CLI_INT, "the port on 127.0.0.1 (0: a free one)"};
static const cli_flag F_FORWARD = {"forward", CLI_STRING, "POST each verified delivery on to this URL"};
static const cli_flag F_COUNT = {"count", CLI_INT, "stop after N deliveries"};
static const cli_flag F_NO_BROWSER = {"no-browser", CLI_BOOL, "only print the URL, do not run xdg-open"};
static const cli_flag F_SHOW_TOKENS = {"show-tokens", CLI_BOOL, "also print the tokens themselves"};
static const cli_flag F_TIMEOUT = {"timeout", CLI_INT, "give up after N seconds (default 300)"};
static const cli_flag F_LISTEN_TIMEOUT = {"timeout", CLI_INT,
    "stop after N seconds (exit 5 when --count deliveries did not all come)"};

static const cli_flag F_ROLE_ORGANIZATION = {"organization", CLI_STRING,
    "an organization's own role, not the environment's"};
static const cli_flag F_INCLUDE = {"include", CLI_STRING,
    "permissions (the role's own) or permissions:all (with its base roles')"};
static const cli_flag F_DESCRIPTION = {"description", CLI_STRING, "what it is for"};
static const cli_flag F_EXTENDS = {"extends", CLI_STRING, "the base role's name"};
static const cli_flag F_PERMISSION = {"permission", CLI_LIST, "a permission name (repeatable)"};
static const cli_flag F_REASSIGN = {"reassign-to", CLI_STRING, "give the role's users this role instead"};
static const cli_flag F_MEMBER_ROLE = {"member-role", CLI_STRING, "the role new members get"};
static const cli_flag F_CREATOR_ROLE = {"creator-role", CLI_STRING,
    "the role an organization's creator gets (environment only)"};
static const cli_flag F_EFFECTIVE = {"effective", CLI_BOOL, "with the permissions inherited from base roles"};
static const cli_flag F_PERMISSION_TYPE = {"type", CLI_STRING, "ALL, SCALEKIT or ENVIRONMENT"};
static const cli_flag F_DIRECTORY_TYPE = {"directory-type", CLI_STRING, "SCIM (the default), LDAP or POLL"};
static const cli_flag F_DIRECTORY_PROVIDER = {"provider", CLI_STRING,
    "OKTA, GOOGLE, MICROSOFT_AD, AUTH0, ONELOGIN, JUMPCLOUD or PING_IDENTITY"};
static const cli_flag F_DIRECTORY_GROUP = {"group", CLI_STRING, "only members of this directory group id"};
static const cli_flag F_UPDATED_AFTER = {"updated-after", CLI_INT, "only those changed after (Unix seconds)"};
static const cli_flag F_INCLUDE_DETAIL = {"include-detail", CLI_BOOL, "with the provider's full record"};

static const cli_flag F_CONN_TYPE = {"type", CLI_STRING, "OIDC, SAML, PASSWORDLESS, WEBAUTHN or OAUTH (custom)"};
static const cli_flag F_PROVIDER = {"provider", CLI_STRING, "OKTA, GOOGLE, MICROSOFT_AD, ... (default CUSTOM)"};
static const cli_flag F_IDP_ISSUER = {"issuer", CLI_STRING, "OIDC: the identity provider's issuer URL"};
static const cli_flag F_DISCOVERY = {"discovery-endpoint", CLI_STRING, "OIDC: its discovery document's URL"};
static const cli_flag F_AUTHORIZE_URI = {"authorize-uri", CLI_STRING, "OIDC: its authorization endpoint"};
static const cli_flag F_TOKEN_URI = {"token-uri", CLI_STRING, "OIDC: its token endpoint"};
static const cli_flag F_JWKS_URI = {"jwks-uri", CLI_STRING, "OIDC: its JWKS URL"};
static const cli_flag F_USER_INFO_URI = {"user-info-uri", CLI_STRING, "OIDC: its userinfo endpoint"};
static const cli_flag F_IDP_CLIENT_ID = {"idp-client-id", CLI_STRING, "OIDC: your client id at the provider"};
static const cli_flag F_IDP_SECRET_FILE = {"idp-client-secret-file", CLI_STRING,
    "OIDC: read your client secret at the provider from FILE"};
static const cli_flag F_IDP_SECRET_STDIN = {"idp-client-secret-stdin", CLI_BOOL,
    "OIDC: read that secret from standard input"};
static const cli_flag F_CONFIG_FILE = {"config-file", CLI_STRING,
    "JSON of the type's configuration (saml_config, passwordless_config, ...); - is standard input"};
static const cli_flag F_DEBUG = {"debug", CLI_BOOL, "debug mode: allow http identity provider URLs"};
static const cli_flag F_CONN_INCLUDE = {"include", CLI_STRING,
    "all: also the disabled and unconfigured ones (default: the enabled ones)"};

static const cli_flag F_CLIENT_NAME = {"name", CLI_STRING, "the API client's new name"};
static const cli_flag F_CLIENT_AUDIENCE = {"audience", CLI_LIST, "an aud of its tokens (repeatable)"};
static const cli_flag F_CLIENT_SCOPE = {"scope", CLI_LIST, "a scope its tokens carry (repeatable)"};
static const cli_flag F_CLAIM = {"claim", CLI_MAP, "a custom claim of its tokens (repeatable)"};
static const cli_flag F_EXPIRY = {"expiry", CLI_INT, "its tokens' lifetime in seconds"};
static const cli_flag F_EMAIL = {"email", CLI_STRING, "only this end user's requests"};
static const cli_flag F_LOG_STATUS = {"status", CLI_LIST,
    "only requests in this status: INITIATED, PENDING, SUCCESS, FAILED (repeatable)"};
static const cli_flag F_RESOURCE_ID = {"resource-id", CLI_STRING, "only requests for this resource"};
static const cli_flag F_LOG_CLIENT = {"client", CLI_STRING, "only requests of this client id"};

static const cli_flag F_PWL_TEMPLATE = {"template", CLI_STRING, "SIGNIN (an existing user) or SIGNUP (a new one)"};
static const cli_flag F_PWL_URI = {"magiclink-auth-uri", CLI_STRING,
    "your URL the magic link leads to, with link_token added"};
static const cli_flag F_PWL_STATE = {"state", CLI_STRING, "returned unchanged by the verification"};
static const cli_flag F_PWL_EXPIRES_IN = {"expires-in", CLI_INT, "seconds until the code and link expire"};
static const cli_flag F_PWL_VARIABLE = {"template-variable", CLI_MAP,
    "a KEY=VALUE for the email template (repeatable)"};
static const cli_flag F_PWL_CODE = {"code", CLI_STRING, "the code from the email (with --auth-request-id)"};
static const cli_flag F_PWL_LINK_TOKEN = {"link-token", CLI_STRING, "the magic link's link_token"};
static const cli_flag F_PWL_REQUEST = {"auth-request-id", CLI_STRING, "the send's auth_request_id"};

/* Flags every command takes (config.c, output.c). */
static const cli_flag F_PROFILE = {"profile", CLI_STRING,
    "the profile of the configuration file (default: $SCALEKIT_PROFILE, else \"default\")"};
static const cli_flag F_ENV_URL = {"environment-url", CLI_STRING,
    "the environment URL (else $SCALEKIT_ENVIRONMENT_URL, else the profile)"};
static const cli_flag F_CLIENT_ID = {"client-id", CLI_STRING,
    "the client id (else $SCALEKIT_CLIENT_ID, else the profile)"};
static const cli_flag F_SECRET_FROM_FILE = {"client-secret-file", CLI_STRING,
    "read the client secret from FILE (else $SCALEKIT_CLIENT_SECRET, else the profile)"};
static const cli_flag F_SECRET_FROM_STDIN = {"client-secret-stdin", CLI_BOOL,
    "read the client secret from standard input"};
static const cli_flag F_OUTPUT = {"output", CLI_STRING,
    "table, json or jsonl (default: table on a terminal, else json)"};
static const cli_flag F_HELP = {"help", CLI_BOOL, "this help"};

const cli_flag *const cli_global_flags[] = {
    &F_PROFILE, &F_ENV_URL, &F_CLIENT_ID, &F_SECRET_FROM_FILE, &F_SECRET_FROM_STDIN, &F_OUTPUT,
    &F_HELP, NULL
};

#define PAGING &F_PAGE_SIZE, &F_PAGE_TOKEN, &F_ALL
#define ORG_COLUMNS "id display_name external_id create_time"
#define USER_COLUMNS "id email external_id create_time"
#define SESSION_COLUMNS "session_id user_id status created_at last_active_at"
#define ROLE_COLUMNS "name display_name extends description"
#define PERMISSION_COLUMNS "name description"
#define DOMAIN_COLUMNS "id domain domain_type verification_status"
#define CONNECTION_COLUMNS "id type provider status enabled"
#define CONNECTION_FLAGS &F_PROVIDER, &F_IDP_ISSUER, &F_DISCOVERY, &F_AUTHORIZE_URI, &F_TOKEN_URI, &F_JWKS_URI, \
    &F_USER_INFO_URI, &F_IDP_CLIENT_ID, &F_IDP_SECRET_FILE, &F_IDP_SECRET_STDIN, &F_CONFIG_FILE, &F_DEBUG
#define CLIENT_COLUMNS "client_id name scopes create_time"
#define LOG_COLUMNS "auth_request_id status email organization_id timestamp"
#define PASSKEY_COLUMNS "id display_name user_id created_at"
#define DIRECTORY_COLUMNS "id directory_provider directory_type enabled total_users"
#define DIRECTORY_USER_COLUMNS "id email given_name family_name updated_at"
#define DIRECTORY_GROUP_COLUMNS "id display_name total_users updated_at"

const cli_service cli_services[] = {
    {"organizations", "the organizations of the environment"},
    {"users", "users, across or within organizations"},
    {"memberships", "a user's membership of an organization, its roles and invitation"},
    {"sessions", "a user's sessions: list, inspect, revoke"},
    {"domains", "an organization's domains"},
    {"directories", "an organization's SCIM directories, their secrets, users and groups"},
    {"roles", "the environment's and organizations' roles, and the permissions they grant"},
    {"permissions", "the environment's permissions"},
    {"connections", "an organization's SSO connections: configure, enable, disable"},
    {"clients", "an organization's API clients (machine to machine) and their secrets"},
    {"logs", "the environment's authentication logs"},
    {"passkeys", "a user's passkeys (WebAuthn credentials): list, rename, delete"},
    {"passwordless", "email a one-time code or magic link, verify what the user brings back"},
    {"token", "look inside a JWT, validate it against the environment's keys"},
    {"webhook", "verify a delivery, or receive deliveries locally"},
};
const size_t cli_service_count = sizeof cli_services / sizeof cli_services[0];

const cli_command cli_commands[] = {
    /* service, verb, args, flags, adapter, output, items_key, columns, needs_client, help */
    CMD("organizations", "create", "DISPLAY_NAME", FLAGS(&F_EXTERNAL_ID, &F_SLUG, &F_LOGO_URL, &F_METADATA),
     cli_org_create, CLI_OUT_ONE, NULL, NULL, true, "create an organization"),
    CMD("organizations", "list", "", FLAGS(&F_EXTERNAL_ID, PAGING),
     cli_org_list, CLI_OUT_PAGE, "organizations", ORG_COLUMNS, true, "list organizations"),
    CMD("organizations", "get", "ID", NULL,
     cli_org_get, CLI_OUT_ONE, NULL, NULL, true, "show an organization"),
    CMD("organizations", "get-by-external-id", "EXTERNAL_ID", NULL,
     cli_org_get_by_external_id, CLI_OUT_ONE, NULL, NULL, true, "show the organization with your identifier"),
    CMD("organizations", "update", "ID", FLAGS(&F_DISPLAY_NAME, &F_EXTERNAL_ID, &F_SLUG, &F_LOGO_URL, &F_METADATA),
     cli_org_update, CLI_OUT_ONE, NULL, NULL, true, "change an organization's fields"),
    CMD("organizations", "update-by-external-id", "EXTERNAL_ID",
     FLAGS(&F_DISPLAY_NAME, &F_EXTERNAL_ID, &F_SLUG, &F_LOGO_URL, &F_METADATA),
     cli_org_update_by_external_id, CLI_OUT_ONE, NULL, NULL, true,
     "change the fields of the organization with your identifier"),
    CMD("organizations", "features", "ID", FLAGS(&F_ENABLE, &F_DISABLE),
     cli_org_features, CLI_OUT_ONE, NULL, NULL, true,
     "turn an organization's features (sso, dir_sync) on or off"),
    CMD("organizations", "max-users", "ID", FLAGS(&F_MAX),
     cli_org_max_users, CLI_OUT_ONE, NULL, NULL, true, "limit how many users an organization may have"),
    CMD("organizations", "session-policy", "ID", NULL,
     cli_org_session_policy, CLI_OUT_ONE, NULL, NULL, true, "show an organization's session policy"),
    CMD("organizations", "delete", "ID", NULL,
     cli_org_delete, CLI_OUT_NONE, NULL, NULL, true, "delete an organization"),
    CMD("organizations", "portal-link", "ID", FLAGS(&F_FEATURE),
     cli_org_portal_link, CLI_OUT_ONE, NULL, NULL, true, "a link to the organization's admin portal"),

    CMD("users", "list", "", FLAGS(&F_ORGANIZATION, PAGING),
     cli_user_list, CLI_OUT_PAGE, "users", USER_COLUMNS, true,
     "list users (of the environment or one organization)"),
    CMD("users", "search", "QUERY", FLAGS(&F_ORGANIZATION, PAGING),
     cli_user_search, CLI_OUT_PAGE, "users", USER_COLUMNS, true, "find users by email, name or id"),
    CMD("users", "get", "ID", NULL,
     cli_user_get, CLI_OUT_ONE, NULL, NULL, true, "show a user"),
    CMD("users", "get-by-external-id", "EXTERNAL_ID", NULL,
     cli_user_get_by_external_id, CLI_OUT_ONE, NULL, NULL, true, "show the user with your identifier"),
    CMD("users", "create", "ORGANIZATION_ID EMAIL",
     FLAGS(&F_EXTERNAL_ID, &F_GIVEN_NAME, &F_FAMILY_NAME, &F_NAME, &F_ROLE, &F_METADATA, &F_INVITE),
     cli_user_create, CLI_OUT_ONE, NULL, NULL, true, "create a user with a membership of an organization"),
    CMD("users", "update", "ID", FLAGS(&F_EXTERNAL_ID, &F_GIVEN_NAME, &F_FAMILY_NAME, &F_NAME, &F_METADATA),
     cli_user_update, CLI_OUT_ONE, NULL, NULL, true, "change a user's fields"),
    CMD("users", "update-by-external-id", "EXTERNAL_ID",
     FLAGS(&F_NEW_EXTERNAL_ID, &F_GIVEN_NAME, &F_FAMILY_NAME, &F_NAME, &F_METADATA),
     cli_user_update_by_external_id, CLI_OUT_ONE, NULL, NULL, true,
     "change the fields of the user with your identifier"),
    CMD("users", "delete-by-external-id", "EXTERNAL_ID", NULL,
     cli_user_delete_by_external_id, CLI_OUT_NONE, NULL, NULL, true, "delete the user with your identifier"),
    CMD("users", "delete", "ID", NULL,
     cli_user_delete, CLI_OUT_NONE, NULL, NULL, true, "delete a user"),

    CMD("memberships", "create", "ORGANIZATION_ID USER_ID", FLAGS(&F_ROLE, &F_METADATA, &F_INVITER, &F_INVITE),
     cli_membership_create, CLI_OUT_ONE, NULL, NULL, true, "add a user to an organization"),
    CMD("memberships", "update", "ORGANIZATION_ID USER_ID", FLAGS(&F_ROLE, &F_METADATA),
     cli_membership_update, CLI_OUT_ONE, NULL, NULL, true, "replace a membership's roles or metadata"),
    CMD("memberships", "delete", "ORGANIZATION_ID USER_ID", FLAGS(&F_CASCADE),
     cli_membership_delete, CLI_OUT_NONE, NULL, NULL, true, "remove a user from an organization"),
    CMD("memberships", "create-by-external-id", "ORGANIZATION_ID EXTERNAL_ID",
     FLAGS(&F_ROLE, &F_METADATA, &F_INVITER, &F_INVITE),
     cli_membership_create_by_external_id, CLI_OUT_ONE, NULL, NULL, true,
     "add the user with your identifier to an organization"),
    CMD("memberships", "update-by-external-id", "ORGANIZATION_ID EXTERNAL_ID", FLAGS(&F_ROLE, &F_METADATA),
     cli_membership_update_by_external_id, CLI_OUT_ONE, NULL, NULL, true,
     "replace the membership's roles or metadata, by your identifier"),
    CMD("memberships", "delete-by-external-id", "ORGANIZATION_ID EXTERNAL_ID", FLAGS(&F_CASCADE),
     cli_membership_delete_by_external_id, CLI_OUT_NONE, NULL, NULL, true,
     "remove the user with your identifier from an organization"),
    CMD("memberships", "resend-invite", "ORGANIZATION_ID USER_ID", NULL,
     cli_membership_resend_invite, CLI_OUT_ONE, NULL, NULL, true, "send the invitation again"),
    CMD("memberships", "roles", "ORGANIZATION_ID USER_ID", NULL,
     cli_membership_roles, CLI_OUT_PAGE, "roles", "id name display_name", true,
     "the user's roles in the organization"),
    CMD("memberships", "permissions", "ORGANIZATION_ID USER_ID", NULL,
     cli_membership_permissions, CLI_OUT_PAGE, "permissions", "id name description", true,
     "the user's effective permissions in the organization"),
    CMD("memberships", "assign-roles", "ORGANIZATION_ID USER_ID", FLAGS(&F_ROLE),
     cli_membership_assign_roles, CLI_OUT_PAGE, "roles", "id name display_name", true, "give the user roles"),
    CMD("memberships", "remove-role", "ORGANIZATION_ID USER_ID ROLE", NULL,
     cli_membership_remove_role, CLI_OUT_NONE, NULL, NULL, true, "take a role from the user"),

    CMD("sessions", "list", "USER_ID", FLAGS(&F_STATUS, &F_START_TIME, &F_END_TIME, PAGING),
     cli_session_list, CLI_OUT_PAGE, "sessions", SESSION_COLUMNS, true, "a user's sessions"),
    CMD("sessions", "get", "SESSION_ID", NULL,
     cli_session_get, CLI_OUT_ONE, NULL, NULL, true, "show a session"),
    CMD("sessions", "revoke", "SESSION_ID", NULL,
     cli_session_revoke, CLI_OUT_ONE, NULL, NULL, true, "end a session"),
    CMD("sessions", "revoke-all", "USER_ID", NULL,
     cli_session_revoke_all, CLI_OUT_PAGE, "revoked_sessions", SESSION_COLUMNS, true,
     "end every session of a user"),

    CMD("domains", "create", "ORGANIZATION_ID DOMAIN", FLAGS(&F_DOMAIN_TYPE),
     cli_domain_create, CLI_OUT_ONE, NULL, NULL, true, "add a domain to an organization"),
    CMD("domains", "list", "ORGANIZATION_ID", FLAGS(&F_DOMAIN_TYPE, &F_PAGE_SIZE, &F_PAGE_NUMBER, &F_ALL),
     cli_domain_list, CLI_OUT_PAGE, "domains", DOMAIN_COLUMNS, true, "an organization's domains"),
    CMD("domains", "get", "ORGANIZATION_ID ID", NULL,
     cli_domain_get, CLI_OUT_ONE, NULL, NULL, true, "show a domain"),
    CMD("domains", "delete", "ORGANIZATION_ID ID", NULL,
     cli_domain_delete, CLI_OUT_NONE, NULL, NULL, true, "remove a domain"),

    CMD("passkeys", "list", "USER_ID", NULL,
     cli_passkey_list, CLI_OUT_PAGE, "credentials", PASSKEY_COLUMNS, true, "a user's passkeys"),
    CMD("passkeys", "rename", "CREDENTIAL_ID DISPLAY_NAME", NULL,
     cli_passkey_rename, CLI_OUT_ONE, NULL, NULL, true, "give a passkey a new display name"),
    CMD("passkeys", "delete", "CREDENTIAL_ID", NULL,
     cli_passkey_delete, CLI_OUT_ONE, NULL, NULL, true, "delete a passkey: it can no longer sign in"),
    CMD("directories", "create", "ORGANIZATION_ID", FLAGS(&F_DIRECTORY_PROVIDER, &F_DIRECTORY_TYPE),
     cli_directory_create, CLI_OUT_ONE, NULL, NULL, true, "create a directory in an organization"),
    CMD("directories", "list", "ORGANIZATION_ID", NULL,
     cli_directory_list, CLI_OUT_PAGE, "directories", DIRECTORY_COLUMNS, true, "an organization's directories"),
    CMD("directories", "get", "ORGANIZATION_ID ID", NULL,
     cli_directory_get, CLI_OUT_ONE, NULL, NULL, true, "show a directory, its stats and secrets"),
    CMD("directories", "primary", "ORGANIZATION_ID", NULL,
     cli_directory_primary, CLI_OUT_ONE, NULL, NULL, true, "show an organization's first directory"),
    CMD("directories", "delete", "ORGANIZATION_ID ID", NULL,
     cli_directory_delete, CLI_OUT_NONE, NULL, NULL, true, "delete a directory and what it provisioned"),
    CMD("directories", "enable", "ORGANIZATION_ID ID", NULL,
     cli_directory_enable, CLI_OUT_ONE, NULL, NULL, true, "turn a directory's sync on"),
    CMD("directories", "disable", "ORGANIZATION_ID ID", NULL,
     cli_directory_disable, CLI_OUT_ONE, NULL, NULL, true, "turn a directory's sync off"),
    CMD("directories", "create-secret", "ORGANIZATION_ID ID", NULL,
     cli_directory_create_secret, CLI_OUT_ONE, NULL, NULL, true,
     "a new SCIM bearer secret, shown this once"),
    CMD("directories", "regenerate-secret", "ORGANIZATION_ID ID", NULL,
     cli_directory_regenerate_secret, CLI_OUT_ONE, NULL, NULL, true,
     "a new SCIM bearer secret; the active ones stop working"),
    CMD("directories", "users", "ORGANIZATION_ID DIRECTORY_ID",
     FLAGS(&F_DIRECTORY_GROUP, &F_UPDATED_AFTER, &F_INCLUDE_DETAIL, PAGING),
     cli_directory_users, CLI_OUT_PAGE, "users", DIRECTORY_USER_COLUMNS, true, "the users a directory provisioned"),
    CMD("directories", "groups", "ORGANIZATION_ID DIRECTORY_ID", FLAGS(&F_UPDATED_AFTER, &F_INCLUDE_DETAIL, PAGING),
     cli_directory_groups, CLI_OUT_PAGE, "groups", DIRECTORY_GROUP_COLUMNS, true,
     "the groups a directory provisioned"),

    CMD("roles", "create", "NAME", FLAGS(&F_ROLE_ORGANIZATION, &F_DISPLAY_NAME, &F_DESCRIPTION, &F_EXTENDS,
                                         &F_PERMISSION),
     cli_role_create, CLI_OUT_ONE, NULL, NULL, true, "create a role"),
    CMD("roles", "list", "", FLAGS(&F_ROLE_ORGANIZATION, &F_INCLUDE),
     cli_role_list, CLI_OUT_PAGE, "roles", ROLE_COLUMNS, true, "list roles"),
    CMD("roles", "get", "NAME", FLAGS(&F_ROLE_ORGANIZATION, &F_INCLUDE),
     cli_role_get, CLI_OUT_ONE, NULL, NULL, true, "show a role"),
    CMD("roles", "update", "NAME", FLAGS(&F_ROLE_ORGANIZATION, &F_DISPLAY_NAME, &F_DESCRIPTION, &F_EXTENDS,
                                         &F_PERMISSION),
     cli_role_update, CLI_OUT_ONE, NULL, NULL, true, "change a role"),
    CMD("roles", "delete", "NAME", FLAGS(&F_ROLE_ORGANIZATION, &F_REASSIGN),
     cli_role_delete, CLI_OUT_NONE, NULL, NULL, true, "delete a role"),
    CMD("roles", "users-count", "NAME", FLAGS(&F_ROLE_ORGANIZATION),
     cli_role_users_count, CLI_OUT_ONE, NULL, NULL, true, "how many users have a role"),
    CMD("roles", "dependents", "NAME", NULL,
     cli_role_dependents, CLI_OUT_PAGE, "roles", ROLE_COLUMNS, true, "the roles that extend a role"),
    CMD("roles", "set-defaults", "", FLAGS(&F_ROLE_ORGANIZATION, &F_MEMBER_ROLE, &F_CREATOR_ROLE),
     cli_role_defaults, CLI_OUT_ONE, NULL, NULL, true, "choose the roles new members and creators get"),
    CMD("roles", "permissions", "NAME", FLAGS(&F_EFFECTIVE),
     cli_role_permissions, CLI_OUT_PAGE, "permissions", PERMISSION_COLUMNS, true, "the permissions a role grants"),
    CMD("roles", "add-permissions", "NAME", FLAGS(&F_PERMISSION),
     cli_role_add_permissions, CLI_OUT_PAGE, "permissions", PERMISSION_COLUMNS, true,
     "grant permissions to a role"),
    CMD("roles", "remove-permission", "NAME PERMISSION", NULL,
     cli_role_remove_permission, CLI_OUT_NONE, NULL, NULL, true, "take a permission from a role"),

    CMD("permissions", "create", "NAME", FLAGS(&F_DESCRIPTION),
     cli_permission_create, CLI_OUT_ONE, NULL, NULL, true, "create a permission"),
    CMD("permissions", "list", "", FLAGS(&F_PERMISSION_TYPE, PAGING),
     cli_permission_list, CLI_OUT_PAGE, "permissions", PERMISSION_COLUMNS, true, "list permissions"),
    CMD("permissions", "get", "NAME", NULL,
     cli_permission_get, CLI_OUT_ONE, NULL, NULL, true, "show a permission"),
    CMD("permissions", "update", "NAME", FLAGS(&F_DESCRIPTION),
     cli_permission_update, CLI_OUT_ONE, NULL, NULL, true, "change a permission's description"),
    CMD("permissions", "delete", "NAME", NULL,
     cli_permission_delete, CLI_OUT_NONE, NULL, NULL, true, "delete a permission"),

    CMD("connections", "list", "ORGANIZATION_ID", FLAGS(&F_CONN_INCLUDE),
     cli_connection_list, CLI_OUT_PAGE, "connections", CONNECTION_COLUMNS, true, "an organization's connections"),
    CMD("connections", "list-by-domain", "DOMAIN", FLAGS(&F_CONN_INCLUDE),
     cli_connection_list_by_domain, CLI_OUT_PAGE, "connections", CONNECTION_COLUMNS, true,
     "the connections of the organization owning a domain"),
    CMD("connections", "get", "ORGANIZATION_ID ID", NULL,
     cli_connection_get, CLI_OUT_ONE, NULL, NULL, true, "show a connection and its configuration"),
    CMD("connections", "create", "ORGANIZATION_ID", FLAGS(&F_CONN_TYPE, CONNECTION_FLAGS),
     cli_connection_create, CLI_OUT_ONE, NULL, NULL, true, "create a connection (disabled)"),
    CMD("connections", "update", "ORGANIZATION_ID ID", FLAGS(CONNECTION_FLAGS),
     cli_connection_update, CLI_OUT_ONE, NULL, NULL, true, "change a connection's configuration"),
    CMD("connections", "enable", "ORGANIZATION_ID ID", NULL,
     cli_connection_enable, CLI_OUT_ONE, NULL, NULL, true, "let the organization's users sign in through it"),
    CMD("connections", "disable", "ORGANIZATION_ID ID", NULL,
     cli_connection_disable, CLI_OUT_ONE, NULL, NULL, true, "stop sign-ins through it"),
    CMD("connections", "delete", "ORGANIZATION_ID ID", NULL,
     cli_connection_delete, CLI_OUT_NONE, NULL, NULL, true, "delete a connection"),

    CMD("clients", "create", "ORGANIZATION_ID NAME",
     FLAGS(&F_DESCRIPTION, &F_CLIENT_SCOPE, &F_CLIENT_AUDIENCE, &F_CLAIM, &F_EXPIRY),
     cli_client_create, CLI_OUT_ONE, NULL, NULL, true,
     "create an organization's API client; prints its secret, shown only once"),
    CMD("clients", "list", "ORGANIZATION_ID", FLAGS(PAGING),
     cli_client_list, CLI_OUT_PAGE, "clients", CLIENT_COLUMNS, true, "an organization's API clients"),
    CMD("clients", "get", "ORGANIZATION_ID CLIENT_ID", NULL,
     cli_client_get, CLI_OUT_ONE, NULL, NULL, true, "show an API client and its secrets' suffixes"),
    CMD("clients", "update", "ORGANIZATION_ID CLIENT_ID",
     FLAGS(&F_CLIENT_NAME, &F_DESCRIPTION, &F_CLIENT_SCOPE, &F_CLIENT_AUDIENCE, &F_CLAIM, &F_EXPIRY),
     cli_client_update, CLI_OUT_ONE, NULL, NULL, true, "change an API client"),
    CMD("clients", "delete", "ORGANIZATION_ID CLIENT_ID", NULL,
     cli_client_delete, CLI_OUT_NONE, NULL, NULL, true, "delete an API client; its secrets stop working"),
    CMD("clients", "add-secret", "ORGANIZATION_ID CLIENT_ID", NULL,
     cli_client_add_secret, CLI_OUT_ONE, NULL, NULL, true,
     "add a secret to an API client; prints it, shown only once"),
    CMD("clients", "remove-secret", "ORGANIZATION_ID CLIENT_ID SECRET_ID", NULL,
     cli_client_remove_secret, CLI_OUT_NONE, NULL, NULL, true, "remove a secret; it stops working at once"),
    CMD("logs", "auth", "",
     FLAGS(&F_EMAIL, &F_LOG_STATUS, &F_START_TIME, &F_END_TIME, &F_RESOURCE_ID, &F_LOG_CLIENT, PAGING),
     cli_log_auth, CLI_OUT_PAGE, "authRequests", LOG_COLUMNS, true, "authentication requests, newest first"),

    CMD("passwordless", "send", "EMAIL", FLAGS(&F_PWL_TEMPLATE, &F_PWL_URI, &F_PWL_STATE, &F_PWL_EXPIRES_IN,
                                              &F_PWL_VARIABLE),
     cli_passwordless_send, CLI_OUT_ONE, NULL, NULL, true, "email a code and/or magic link"),
    CMD("passwordless", "verify", "", FLAGS(&F_PWL_CODE, &F_PWL_REQUEST, &F_PWL_LINK_TOKEN),
     cli_passwordless_verify, CLI_OUT_ONE, NULL, NULL, true, "verify a code or a magic link's token"),
    CMD("passwordless", "resend", "AUTH_REQUEST_ID", NULL,
     cli_passwordless_resend, CLI_OUT_ONE, NULL, NULL, true, "email a request's code and/or link again"),

    CMD("token", "decode", "JWT|-", NULL,
     cli_cmd_token_decode, CLI_OUT_SELF, NULL, NULL, false,
     "header and claims of a JWT, expiry in words; does NOT verify the signature"),
    CMD("token", "validate", "JWT|-", FLAGS(&F_ISSUER, &F_AUDIENCE, &F_SCOPE),
     cli_cmd_token_validate, CLI_OUT_SELF, NULL, NULL, true,
     "verify a JWT against the environment's JWKS and say why it is (in)valid"),
    CMD("webhook", "verify", "", FLAGS(&F_SECRET_FILE, &F_SECRET_STDIN, &F_HEADERS, &F_PAYLOAD, &F_INTERCEPTOR),
     cli_cmd_webhook_verify, CLI_OUT_SELF, NULL, NULL, false,
     "verify a webhook delivery's (or an interceptor call's) signature"),
    CMD("webhook", "listen", "", FLAGS(&F_PORT, &F_FORWARD, &F_COUNT, &F_LISTEN_TIMEOUT, &F_SECRET_FILE),
     cli_cmd_webhook_listen, CLI_OUT_SELF, NULL, NULL, false,
     "receive deliveries on 127.0.0.1, verify and print each, optionally forward it"),

    CMD(NULL, "login", "", FLAGS(&F_PORT, &F_NO_BROWSER, &F_SHOW_TOKENS, &F_SCOPE, &F_LOGIN_ORGANIZATION, &F_TIMEOUT),
     cli_cmd_login, CLI_OUT_SELF, NULL, NULL, true,
     "sign in through the hosted login (authorization code + PKCE, loopback redirect) and show the claims"),
    CMD(NULL, "configure", "", NULL,
     cli_cmd_configure, CLI_OUT_SELF, NULL, NULL, false,
     "store --environment-url, --client-id and the secret (--client-secret-stdin/-file) as --profile"),
    {NULL, "emulator", "", NULL, NULL, CLI_OUT_SELF, NULL, NULL, false,
     "run a local Scalekit environment (the options of scalekit-emulator; see scalekit emulator --help)",
     scalekit_emulator_main_cli},
};
const size_t cli_command_count = sizeof cli_commands / sizeof cli_commands[0];
