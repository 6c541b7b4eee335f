/*
 * The transport's retry policy as a pure function: given what one attempt
 * ended with, decide what the call does next. No I/O, no clock, no global
 * state: the jitter comes in as random bits, so every rule is testable
 * (tests/unit/test_retry_policy.c holds one table row per rule).
 *
 * The rules (DESIGN.md "Retries"):
 * - 2xx is done.
 * - 401 on an authenticated call refreshes the API token once and tries again
 *   at once (not counted as a retry); a second 401 fails.
 * - 429 and 503 mean the server declined the work, so any method goes again;
 *   502 and 504 are retried for idempotent methods only.
 * - A request that provably never reached the server (connection refused, DNS)
 *   is retried for any method; a dropped or timed-out exchange only for
 *   idempotent ones.
 * - At most max_retries retries (-1: none). The delay is Retry-After when the
 *   answer has one, capped at max_delay_ms; otherwise full jitter: a uniform
 *   value in [0, min(max_delay_ms, base_delay_ms * 2^retry)].
 */
#ifndef SKIT_RETRY_H
#define SKIT_RETRY_H

#include <stdbool.h>
#include <stdint.h>

/* How one attempt ended, before looking at any status. */
typedef enum skit_outcome {
    SKIT_OUTCOME_ANSWER = 0,  /* an HTTP answer arrived: see status */
    SKIT_OUTCOME_NOT_SENT,    /* provably not processed: connection refused, DNS failure */
    SKIT_OUTCOME_NETWORK,     /* sent, maybe processed: reset, empty reply, HTTP/2 error */
    SKIT_OUTCOME_TIMEOUT,
    SKIT_OUTCOME_TOO_LARGE,   /* the answer exceeded SKIT_MAX_RESPONSE_BYTES */
    SKIT_OUTCOME_FATAL,       /* retrying cannot help: TLS verification, bad URL ... */
} skit_outcome;

/* The class of a libcurl result code (CURLcode; CURLE_OK is an answer). */
skit_outcome skit_outcome_of_curl(int curl_code);

typedef struct skit_retry_policy {
    int max_retries;          /* retries after the first attempt; 0 or -1: none */
    long base_delay_ms;       /* first backoff step; doubles per retry */
    long max_delay_ms;        /* cap of one backoff step and of Retry-After */
} skit_retry_policy;

typedef struct skit_attempt_result {
    bool idempotent;          /* the method may be repeated (GET, PUT, DELETE, token grants) */
    bool authenticated;       /* the request carried the client's API token */
    bool token_refreshed;     /* this call already refreshed the API token once */
    int retries_done;         /* retries before this attempt: 0 after the first one */
    skit_outcome outcome;
    long status;              /* HTTP status, with SKIT_OUTCOME_ANSWER */
    long retry_after_ms;      /* from Retry-After; -1 when absent */
    uint64_t random;          /* uniform random bits for the jitter */
} skit_attempt_result;

typedef enum skit_next {
    SKIT_NEXT_DONE = 0,       /* a 2xx answer: hand it out */
    SKIT_NEXT_REFRESH_TOKEN,  /* drop the API token, fetch a new one, try again at once */
    SKIT_NEXT_RETRY,          /* wait delay_ms, then try again */
    SKIT_NEXT_FAIL,           /* give up with code */
} skit_next;

typedef struct skit_decision {
    skit_next next;
    long delay_ms;            /* with SKIT_NEXT_RETRY */
    int code;                 /* with SKIT_NEXT_FAIL: a negative SCALEKIT_E* code */
} skit_decision;

/* What to do after the attempt @p r under @p policy. Pure: records no error. */
skit_decision skit_retry_decide(const skit_retry_policy *policy, const skit_attempt_result *r);

/* The upper bound of the full-jitter delay before retry number @p retry (0-based). */
long skit_backoff_cap_ms(const skit_retry_policy *policy, int retry);

#endif
