/*
 * The typed-event checks every test that reads a webhook delivery shares:
 * decode it with scalekit_event_decode and fail the running cmocka test unless
 * the typed event says what the JSON says (a known type, its family's data,
 * the envelope, raw_json byte for byte); and, when SCALEKIT_TEST_EVENT_LOG
 * names a file, append the delivery to it as one line, for the census that
 * scripts/test.sh runs over every suite's deliveries (tests/events/).
 */
#ifndef EVENT_CHECK_H
#define EVENT_CHECK_H

#include <stddef.h>

#include "scalekit/event.h"

/* Fail the running test unless @p ev (decoded from @p body) agrees with it.
 * Returns a description of the first disagreement for callers outside
 * cmocka (NULL when none); cmocka callers use event_check_delivery. */
const char *event_check_lossless(const char *body, size_t len, const scalekit_event *ev);

/* Decode @p body, check it with event_check_lossless (fail_msg on a
 * disagreement) and log it when SCALEKIT_TEST_EVENT_LOG is set. */
void event_check_delivery(const char *body, size_t len);

#endif
