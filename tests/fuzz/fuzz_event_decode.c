/*
 * Fuzz typed webhook event decoding (scalekit_event_decode): any bytes either
 * decode into an event whose raw_json is the input and whose type name and
 * enum agree, or are refused with an error code; never a crash or a leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scalekit/scalekit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    scalekit_event *ev = NULL;
    int rc = scalekit_event_decode((const char *)data, size, &ev);
    if (rc != SCALEKIT_OK) {
        if (ev != NULL || rc >= 0)
            abort();
        return 0;
    }
    if (!ev->type || !ev->raw_json || memcmp(ev->raw_json, data, size) != 0)
        abort();
    if (ev->event_type != SCALEKIT_EVENT_UNKNOWN && strcmp(scalekit_event_type_name(ev->event_type), ev->type) != 0)
        abort();
    scalekit_event_free(ev);
    return 0;
}
