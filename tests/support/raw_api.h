/*
 * raw_api: shortcuts for the emulator suites that speak raw HTTP through an
 * emu_raw_fixture (emu_fixture.h): a request whose path is printf-formatted,
 * and the assertions on the API's error body. Every failure fails the running
 * cmocka test.
 */
#ifndef RAW_API_H
#define RAW_API_H

#include <jansson.h>

#include "emu_fixture.h"

/*
 * @p method to the path formatted from @p fmt (at most 511 bytes), with JSON
 * @p body (NULL: none): the HTTP status, and the answer in *out when @p out is
 * not NULL (json_decref it).
 */
long raw_api(const emu_raw_fixture *s, const char *method, const char *body, json_t **out, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* As raw_api, asserting the status is @p status; the answer (new reference, never NULL). */
json_t *raw_api_expect(const emu_raw_fixture *s, long status, const char *method, const char *body,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Assert @p reply is the API's 400 body (gRPC code 3, INVALID_ARGUMENT) whose first
 * field violation names @p field with a description. */
void raw_assert_violation(const json_t *reply, const char *field);
/* Assert @p reply is an error body whose ErrorInfo error_code is @p error_code and whose
 * message contains @p text (NULL: any). */
void raw_assert_error(const json_t *reply, const char *error_code, const char *text);

/* emu_fixture_unique(@p prefix) with '_' for '-': a role or permission name no
 * other run or call takes, so a suite runs again on the same environment. @p out. */
const char *raw_unique_name(char *out, size_t n, const char *prefix);

/* The "name" members of the objects of array @p items, joined by spaces (a
 * thread-local buffer, valid until the next call). */
const char *raw_names(const json_t *items);

/* ---- a member's tokens ------------------------------------------------------------ */

/* (Sign-in: ukit_sign_in, emu_users_kit.h.) Refresh with the refresh token of @p tokens (consumed: json_decref'd); the new answer. */
json_t *raw_refresh(const emu_raw_fixture *s, json_t *tokens);
/* The access token's array claim @p name, its strings joined by spaces (a thread-local
 * buffer, valid until the next call); fails the test when the claim is not an array. */
const char *raw_claim_names(const json_t *tokens, const char *name);

#endif
