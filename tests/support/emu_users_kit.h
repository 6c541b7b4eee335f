/*
 * Helpers of the users, memberships and sessions suites (it_emu_users_*.c),
 * over raw HTTP (emu_testhttp.h) against the in-process emulator: make an
 * organization and users, sign in on the hosted page as a browser would (with
 * its User-Agent), refresh tokens, read a JWT's claims. Every call that cannot
 * do its job fails the running cmocka test.
 */
#ifndef EMU_USERS_KIT_H
#define EMU_USERS_KIT_H

#include <jansson.h>
#include "emu_fixture.h"

/* @p method @p path with @p body must answer 400 INVALID_ARGUMENT whose first field
 * violation names @p field (NULL: any). */
void ukit_assert_field_error(const emu_raw_fixture *s, const char *method, const char *path, const char *body,
                             const char *field);
/* @p method @p path with @p body must answer @p status with the API's error body
 * (code, message, ErrorInfo naming @p error_code). */
void ukit_assert_error(const emu_raw_fixture *s, const char *method, const char *path, const char *body,
                       long status, const char *error_code);
/* A new organization named @p name; its id (malloc'd). */
char *ukit_create_org(const emu_raw_fixture *s, const char *name);
/* CreateUserAndMembership in @p org of @p email with the extra JSON members @p extra
 * ("\"external_id\":\"x\"" or NULL) and @p query ("?send_invitation_email=true" or "");
 * the answer's user (new reference). */
json_t *ukit_create_user(const emu_raw_fixture *s, const char *org, const char *email, const char *extra,
                         const char *query);
/* @p email made unique to this run and call ("ada@example.com" -> "ada-<run>-<n>@example.com",
 * emu_fixture_unique), so a suite can run again against the same external environment. */
const char *ukit_unique_email(char *out, size_t n, const char *email);
/* The "id" of @p user as a malloc'd copy. */
char *ukit_id(const json_t *user);
/* Sign in on the hosted page as @p email into @p org (NULL: none) sending @p user_agent,
 * and exchange the code: the token answer (new reference). */
json_t *ukit_sign_in(const emu_raw_fixture *s, const char *email, const char *org, const char *user_agent);
/* POST /oauth/token with grant_type=refresh_token: the HTTP status, the answer in *out. */
long ukit_refresh(const emu_raw_fixture *s, const char *refresh_token, json_t **out);
/* The claims of a JWT (not verified: the emulator signed it). New reference. */
json_t *ukit_claims(const char *jwt);
/* GET a public emulator path (no token); the status, the body in *out (a copy, malloc'd) when wanted. */
long ukit_get_page(const emu_raw_fixture *s, const char *method, const char *path, char **out);

#endif
