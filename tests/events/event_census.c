/*
 * The event census: reads the deliveries every integration suite checked
 * (tests/support/event_check.c appends each to SCALEKIT_TEST_EVENT_LOG, one
 * per line), decodes each with scalekit_event_decode, re-checks that nothing
 * is lost, counts them by type and fails unless each of the API's 32 event
 * types was received at least once. scripts/test.sh runs it after the suites.
 * Usage: event_census LOG
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event_check.h"
#include "scalekit/scalekit.h"

/* The enum's last value: the census walks 1..EVENT_LAST. */
#define EVENT_LAST SCALEKIT_EVENT_PERMISSION_DELETED

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s LOG\n", argv[0]);
        return 2;
    }
    FILE *in = fopen(argv[1], "r");
    if (!in) {
        fprintf(stderr, "event census: cannot read %s: no suite logged a delivery\n", argv[1]);
        return 1;
    }
    long count[EVENT_LAST + 1] = {0};
    long lines = 0, bad = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, in)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = '\0';
        lines++;
        scalekit_event *ev = NULL;
        const char *why = scalekit_event_decode(line, (size_t)len, &ev) == SCALEKIT_OK
                              ? event_check_lossless(line, (size_t)len, ev) : "does not decode";
        if (why) {
            bad++;
            fprintf(stderr, "event census: line %ld: %s: %.200s\n", lines, why, line);
        } else {
            count[ev->event_type]++;
        }
        scalekit_event_free(ev);
    }
    free(line);
    fclose(in);
    int missing = 0;
    printf("event census: %ld deliveries from the integration suites\n", lines);
    for (int t = 1; t <= EVENT_LAST; t++) {
        printf("  %-46s %6ld\n", scalekit_event_type_name((scalekit_event_type)t), count[t]);
        missing += count[t] == 0;
    }
    if (missing || bad || count[0]) {
        printf("event census: %d of %d types never received, %ld deliveries lost or misread, %ld unknown\n",
               missing, (int)EVENT_LAST, bad, count[0]);
        return 1;
    }
    printf("event census: all %d types received and decoded without loss\n", (int)EVENT_LAST);
    return 0;
}
