/**
 * @file scalekit/event.h
 * Typed webhook events: verify a delivery and decode it in one call.
 *
 * Every official SDK hands the app the payload as untyped JSON. Here a
 * delivery becomes a scalekit_event: the envelope's members, an enum of the 32
 * event types of the API description's `webhooks` section, and the data as the
 * same structs the API methods return (scalekit_organization, scalekit_user,
 * scalekit_session, scalekit_domain, scalekit_role, scalekit_permission),
 * decoded by the same field tables, plus four structs for the data shapes no
 * method returns (connection, directory, directory user and group).
 *
 * An event of a type this version does not know is not refused: its type is
 * SCALEKIT_EVENT_UNKNOWN, `type` holds the name, and data_json the data, so an
 * app keeps working when Scalekit adds an event. raw_json is always the whole
 * delivery, byte for byte.
 */
#ifndef SCALEKIT_EVENT_H
#define SCALEKIT_EVENT_H

#include <stddef.h>
#include <stdint.h>
#include "client.h"
#include "domain.h"
#include "organization.h"
#include "permission.h"
#include "role.h"
#include "session.h"
#include "user.h"

SCALEKIT_BEGIN_DECLS

/** The event types; values are stable, new ones are added at the end. */
typedef enum scalekit_event_type {
    SCALEKIT_EVENT_UNKNOWN = 0,                        /**< a type this version does not know */
    SCALEKIT_EVENT_ORGANIZATION_CREATED,               /**< "organization.created" */
    SCALEKIT_EVENT_ORGANIZATION_UPDATED,               /**< "organization.updated" */
    SCALEKIT_EVENT_ORGANIZATION_DELETED,               /**< "organization.deleted" */
    SCALEKIT_EVENT_DOMAIN_CREATED,                     /**< "organization.domain_created" */
    SCALEKIT_EVENT_DOMAIN_DELETED,                     /**< "organization.domain_deleted" */
    SCALEKIT_EVENT_DOMAIN_DNS_VERIFICATION_SUCCESS,    /**< "organization.domain_dns_verification_success" */
    SCALEKIT_EVENT_DOMAIN_DNS_VERIFICATION_FAILED,     /**< "organization.domain_dns_verification_failed" */
    SCALEKIT_EVENT_USER_SIGNUP,                        /**< "user.signup" */
    SCALEKIT_EVENT_USER_LOGIN,                         /**< "user.login" */
    SCALEKIT_EVENT_USER_LOGOUT,                        /**< "user.logout" */
    SCALEKIT_EVENT_USER_ORGANIZATION_INVITATION,       /**< "user.organization_invitation" */
    SCALEKIT_EVENT_MEMBERSHIP_CREATED,                 /**< "user.organization_membership_created" */
    SCALEKIT_EVENT_MEMBERSHIP_DELETED,                 /**< "user.organization_membership_deleted" */
    SCALEKIT_EVENT_MEMBERSHIP_UPDATED,                 /**< "user.organization_membership_updated" */
    SCALEKIT_EVENT_DIRECTORY_ENABLED,                  /**< "organization.directory_enabled" */
    SCALEKIT_EVENT_DIRECTORY_DISABLED,                 /**< "organization.directory_disabled" */
    SCALEKIT_EVENT_DIRECTORY_USER_CREATED,             /**< "organization.directory.user_created" */
    SCALEKIT_EVENT_DIRECTORY_USER_UPDATED,             /**< "organization.directory.user_updated" */
    SCALEKIT_EVENT_DIRECTORY_USER_DELETED,             /**< "organization.directory.user_deleted" */
    SCALEKIT_EVENT_DIRECTORY_GROUP_CREATED,            /**< "organization.directory.group_created" */
    SCALEKIT_EVENT_DIRECTORY_GROUP_UPDATED,            /**< "organization.directory.group_updated" */
    SCALEKIT_EVENT_DIRECTORY_GROUP_DELETED,            /**< "organization.directory.group_deleted" */
    SCALEKIT_EVENT_SSO_CREATED,                        /**< "organization.sso_created" */
    SCALEKIT_EVENT_SSO_ENABLED,                        /**< "organization.sso_enabled" */
    SCALEKIT_EVENT_SSO_DISABLED,                       /**< "organization.sso_disabled" */
    SCALEKIT_EVENT_SSO_DELETED,                        /**< "organization.sso_deleted" */
    SCALEKIT_EVENT_ROLE_CREATED,                       /**< "role.created" */
    SCALEKIT_EVENT_ROLE_UPDATED,                       /**< "role.updated" */
    SCALEKIT_EVENT_ROLE_DELETED,                       /**< "role.deleted" */
    SCALEKIT_EVENT_PERMISSION_CREATED,                 /**< "permission.created" */
    SCALEKIT_EVENT_PERMISSION_UPDATED,                 /**< "permission.updated" */
    SCALEKIT_EVENT_PERMISSION_DELETED                  /**< "permission.deleted" */
} scalekit_event_type;

/** Which data an event carries, and so which members of scalekit_event are set. */
typedef enum scalekit_event_family {
    SCALEKIT_EVENT_FAMILY_UNKNOWN = 0, /**< only data_json */
    SCALEKIT_EVENT_FAMILY_ORGANIZATION,   /**< organization */
    SCALEKIT_EVENT_FAMILY_DOMAIN,         /**< domain */
    SCALEKIT_EVENT_FAMILY_MEMBERSHIP,     /**< organization and user (signup, invitation, membership_*) */
    SCALEKIT_EVENT_FAMILY_USER_AUTH,      /**< user and session (login, logout) */
    SCALEKIT_EVENT_FAMILY_DIRECTORY,      /**< directory */
    SCALEKIT_EVENT_FAMILY_DIRECTORY_USER, /**< directory_user */
    SCALEKIT_EVENT_FAMILY_DIRECTORY_GROUP,/**< directory_group */
    SCALEKIT_EVENT_FAMILY_CONNECTION,     /**< connection */
    SCALEKIT_EVENT_FAMILY_ROLE,           /**< role */
    SCALEKIT_EVENT_FAMILY_PERMISSION      /**< permission */
} scalekit_event_family;

/** The data of organization.sso_* events (ConnectionEventData). */
typedef struct scalekit_event_connection {
    const char *id;                  /**< "conn_..." */
    const char *organization_id;
    const char *connection_type;     /**< "OIDC", "SAML", ... */
    const char *provider;            /**< "OKTA", ... */
    bool enabled;
    const char *status;              /**< "DRAFT", "IN_PROGRESS", "COMPLETED" */
    const char *raw_json;            /**< the data object's JSON */
} scalekit_event_connection;

/** The data of organization.directory_enabled/_disabled (DirectoryEventData). */
typedef struct scalekit_event_directory {
    const char *id;                  /**< "dir_..." */
    const char *organization_id;
    const char *directory_type;      /**< "SCIM", ... */
    const char *provider;            /**< "OKTA", ... */
    bool enabled;
    int64_t updated_at;              /**< Unix seconds; 0 when absent */
    const char *raw_json;
} scalekit_event_directory;

/** A directory group a directory user belongs to. */
typedef struct scalekit_event_directory_user_group {
    const char *id;
    const char *name;
} scalekit_event_directory_user_group;

/** A role a directory user has through the directory's role mapping. */
typedef struct scalekit_event_directory_user_role {
    const char *role_name;
} scalekit_event_directory_user_role;

/** The data of organization.directory.user_* (DirectoryUserEventData). */
typedef struct scalekit_event_directory_user {
    const char *id;                  /**< "diruser_..." */
    const char *organization_id;
    bool active;
    const char *email;
    const char *given_name;
    const char *family_name;
    const char *name;
    const char *preferred_username;
    const char *dp_id;               /**< the directory provider's id of the user */
    const char *employee_id;
    const char *department;
    const char *cost_center;
    const char *division;
    const char *title;
    const char *user_type;
    const char *phone_number;
    const char *language;
    const char *locale;
    const char *zoneinfo;
    const char *organization;        /**< the organization attribute the provider sent */
    const char *nickname;
    const char *profile;
    const char *picture;
    const scalekit_event_directory_user_group *const *groups;  /**< group_count pointers */
    size_t group_count;
    const scalekit_event_directory_user_role *const *roles;    /**< role_count pointers */
    size_t role_count;
    const char *custom_attributes;   /**< JSON object text; NULL when absent */
    const char *raw_attributes;      /**< JSON object text; NULL when absent */
    const char *address;             /**< JSON object text; NULL when absent */
    const char *raw_json;
} scalekit_event_directory_user;

/** The data of organization.directory.group_* (DirectoryGroupEventData). */
typedef struct scalekit_event_directory_group {
    const char *id;                  /**< "dirgroup_..." */
    const char *organization_id;
    const char *directory_id;
    const char *display_name;
    const char *external_id;
    const char *dp_id;
    const char *raw_attributes;      /**< JSON object text; NULL when absent */
    const char *raw_json;
} scalekit_event_directory_group;

/**
 * A decoded delivery. Members of the envelope the sender left out are NULL (or
 * 0); of the data pointers only those of the event's family are set (and only
 * when the data holds that object).
 */
typedef struct scalekit_event {
    scalekit_event_type event_type;
    scalekit_event_family family;
    const char *id;                  /**< "evt_..." (also the webhook-id header) */
    const char *type;                /**< the type's name, also for an unknown type */
    const char *spec_version;        /**< "1" */
    const char *environment_id;
    const char *organization_id;
    const char *object;              /**< "Organization", "User", ... */
    const char *display_name;        /**< "Organization Created" */
    int64_t occurred_at;             /**< Unix seconds; 0 when absent */
    const scalekit_organization *organization;
    const scalekit_user *user;
    const scalekit_session *session;
    const scalekit_domain *domain;
    const scalekit_role *role;
    const scalekit_permission *permission;
    const scalekit_event_connection *connection;
    const scalekit_event_directory *directory;
    const scalekit_event_directory_user *directory_user;
    const scalekit_event_directory_group *directory_group;
    const char *data_json;           /**< the data member's JSON text; NULL when absent */
    const char *raw_json;            /**< the delivery's body, byte for byte */
} scalekit_event;

/**
 * Decode a delivery already verified (or from a trusted source) into *out.
 *
 * @param payload     the body; need not be NUL-terminated
 * @param payload_len its length (at most 1 MiB)
 * @param out         receives the event; free with scalekit_event_free()
 * @return SCALEKIT_OK; SCALEKIT_EINVAL (NULL argument, empty or over 1 MiB);
 *         SCALEKIT_EMALFORMED_RESPONSE when the body is not a JSON object with a
 *         string "type" (the message says what is wrong); SCALEKIT_ENOMEM
 */
SCALEKIT_API int scalekit_event_decode(const char *payload, size_t payload_len, scalekit_event **out);

/**
 * Verify a webhook delivery as scalekit_verify_webhook_payload() does, then
 * decode it: the one call an app's webhook endpoint needs.
 *
 * @return SCALEKIT_OK with *out set; any code of scalekit_verify_webhook_payload()
 *         (nothing decoded, *out NULL); then those of scalekit_event_decode()
 */
SCALEKIT_API int scalekit_event_verify_and_decode(scalekit_client *client, const char *secret,
        const scalekit_header *headers, size_t n_headers, const char *payload, size_t payload_len,
        scalekit_event **out);

/** The name of @p type ("organization.created"); "unknown" for SCALEKIT_EVENT_UNKNOWN or a bad value. */
SCALEKIT_API const char *scalekit_event_type_name(scalekit_event_type type);

/** Free an event and everything in it. Safe on NULL. */
SCALEKIT_API void scalekit_event_free(scalekit_event *event);

SCALEKIT_END_DECLS

#endif
