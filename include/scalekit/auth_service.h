/**
 * @file scalekit/auth_service.h
 * The Auth service: "bring your own auth". An organization's connection of the
 * custom kind sends the hosted login to the app's own login page with a
 * `login_request_id`; the app signs the user in itself, hands the user's details
 * to Scalekit with scalekit_auth_update_login_user_details(), then sends the
 * browser back to Scalekit, which finishes the login: the app's code exchange
 * yields tokens for that user.
 *
 * Route: POST /api/v1/connections/{connection_id}/auth-requests/{login_request_id}/user
 * (the body is the user object; the answer is empty).
 *
 * Conventions (checks, errors, struct_size): common.h.
 */
#ifndef SCALEKIT_AUTH_SERVICE_H
#define SCALEKIT_AUTH_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include "export.h"
#include "client.h"
#include "common.h"

SCALEKIT_BEGIN_DECLS

/**
 * The user the app signed in (the API's LoggedInUserDetails). Every member is
 * optional for C (NULL is not sent); the server requires at least `email`.
 */
typedef struct scalekit_logged_in_user_details {
    size_t struct_size;                 /**< set by the _INIT macro; see common.h */
    const char *sub;                    /**< the user's id in the app (provider_user_id) */
    const char *email;
    const char *given_name;
    const char *family_name;
    const bool *email_verified;         /**< NULL: not sent */
    const char *phone_number;
    const bool *phone_number_verified;  /**< NULL: not sent */
    const char *name;
    const char *preferred_username;
    const char *picture;
    const char *gender;
    const char *locale;
    const char *const *groups;          /**< NULL-terminated; NULL: not sent */
    scalekit_string_map custom_attributes; /**< entries NULL: not sent */
    /** the organization the user signs in to, by its external id */
    const char *organization_external_id;
    const char *const *roles;           /**< role names, NULL-terminated; NULL: not sent */
    const char *organization_external_name; /**< [newest] */
} scalekit_logged_in_user_details;
#define SCALEKIT_LOGGED_IN_USER_DETAILS_INIT SCALEKIT_STRUCT_INIT(scalekit_logged_in_user_details)

/**
 * Hand Scalekit the user of a pending custom login (Auth().UpdateLoginUserDetails).
 *
 * @param client           the client
 * @param connection_id    the custom connection that sent the user to the app ("conn_...")
 * @param login_request_id the `login_request_id` the app's login page received
 * @param user             the user's details (borrowed; required)
 * @return SCALEKIT_OK; SCALEKIT_EINVAL for an empty id, a NULL @p user or an
 *         uninitialised struct_size (nothing sent); SCALEKIT_ENOTFOUND when the
 *         connection or the login request is unknown; SCALEKIT_EINVALID_REQUEST
 *         when the server refuses the details or the request is no longer
 *         pending; or a code of common.h.
 */
SCALEKIT_API int scalekit_auth_update_login_user_details(scalekit_client *client, const char *connection_id,
                                                         const char *login_request_id,
                                                         const scalekit_logged_in_user_details *user);

SCALEKIT_END_DECLS

#endif
