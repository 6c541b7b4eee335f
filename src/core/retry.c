/* The retry policy (see retry.h): pure decisions, no I/O. */
#include <limits.h>
#include <curl/curl.h>

#include "core.h"
#include "retry.h"

skit_outcome skit_outcome_of_curl(int curl_code)
{
    switch ((CURLcode)curl_code) {
    case CURLE_OK:
        return SKIT_OUTCOME_ANSWER;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return SKIT_OUTCOME_NOT_SENT;
    case CURLE_OPERATION_TIMEDOUT:
        return SKIT_OUTCOME_TIMEOUT;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return SKIT_OUTCOME_NETWORK;
    default:
        return SKIT_OUTCOME_FATAL;
    }
}

long skit_backoff_cap_ms(const skit_retry_policy *policy, int retry)
{
    long cap = policy->base_delay_ms < 0 ? 0 : policy->base_delay_ms;
    for (int i = 0; i < retry && cap < policy->max_delay_ms; i++)
        cap = cap > LONG_MAX / 2 ? LONG_MAX : cap * 2;
    return cap > policy->max_delay_ms ? policy->max_delay_ms : cap;
}

static bool status_retryable(long status, bool idempotent)
{
    /* 429 and 503 mean the server declined the work, so even a POST may go again. */
    if (status == 429 || status == 503)
        return true;
    return idempotent && (status == 502 || status == 504);
}

static skit_decision fail(int code)
{
    return (skit_decision){.next = SKIT_NEXT_FAIL, .code = code};
}

static skit_decision retry_in(long delay_ms)
{
    return (skit_decision){.next = SKIT_NEXT_RETRY, .delay_ms = delay_ms < 0 ? 0 : delay_ms};
}

/* Full jitter: uniform in [0, cap]; the bias of a modulo over 64 random bits is negligible. */
static skit_decision backoff(const skit_retry_policy *policy, const skit_attempt_result *r)
{
    long cap = skit_backoff_cap_ms(policy, r->retries_done);
    return retry_in((long)(r->random % ((uint64_t)cap + 1)));
}

/* An answer's Retry-After wins over the backoff, capped like it. */
static skit_decision answer_retry(const skit_retry_policy *policy, const skit_attempt_result *r)
{
    if (r->retry_after_ms < 0)
        return backoff(policy, r);
    return retry_in(r->retry_after_ms < policy->max_delay_ms ? r->retry_after_ms
                                                             : policy->max_delay_ms);
}

skit_decision skit_retry_decide(const skit_retry_policy *policy, const skit_attempt_result *r)
{
    bool budget = r->retries_done < policy->max_retries;
    switch (r->outcome) {
    case SKIT_OUTCOME_ANSWER:
        if (r->status >= 200 && r->status <= 299)
            return (skit_decision){.next = SKIT_NEXT_DONE};
        /* The token may have been revoked or rotated: a new one, once. */
        if (r->status == 401 && r->authenticated && !r->token_refreshed)
            return (skit_decision){.next = SKIT_NEXT_REFRESH_TOKEN};
        if (budget && status_retryable(r->status, r->idempotent))
            return answer_retry(policy, r);
        return fail(skit_error_code_for_status(r->status));
    case SKIT_OUTCOME_NOT_SENT:
        return budget ? backoff(policy, r) : fail(SCALEKIT_ENETWORK);
    case SKIT_OUTCOME_NETWORK:
        return budget && r->idempotent ? backoff(policy, r) : fail(SCALEKIT_ENETWORK);
    case SKIT_OUTCOME_TIMEOUT:
        return budget && r->idempotent ? backoff(policy, r) : fail(SCALEKIT_ETIMEOUT);
    case SKIT_OUTCOME_TOO_LARGE:
        return fail(SCALEKIT_EMALFORMED_RESPONSE);
    case SKIT_OUTCOME_FATAL:
    default:
        return fail(SCALEKIT_ENETWORK);
    }
}
