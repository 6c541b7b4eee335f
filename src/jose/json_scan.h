/*
 * A strict JSON scanner that builds no tree: it validates a whole JSON text
 * (RFC 8259) and records the members of the top-level object as spans of the
 * input. Token validation uses it for the header and the time claims, so a
 * token whose claims nobody asks for never pays for jansson's allocations.
 *
 * It accepts exactly what json_loadb(text, len, JSON_REJECT_DUPLICATES) of
 * jansson 2.14 accepts, so that a payload it accepted always parses later:
 *   - strings: no control character, strict UTF-8 (no overlong form, no
 *     surrogate, nothing past U+10FFFF), escapes per RFC 8259, no \u0000,
 *     no lone or unpaired surrogate escape;
 *   - numbers: RFC 8259 grammar; an integer (no fraction, no exponent) must fit
 *     in int64, a real must not overflow a double;
 *   - duplicate member names are refused in every object, nested ones too
 *     (jansson refuses them at every level), compared after unescaping;
 *   - a value nested deeper than JSON_PARSER_MAX_DEPTH (2048) is refused;
 *   - nothing but whitespace after the value.
 * tests/fuzz/fuzz_json_scan.c checks the agreement with jansson.
 */
#ifndef SKIT_JSON_SCAN_H
#define SKIT_JSON_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum skit_json_kind {
    SKIT_JSON_NONE = 0,
    SKIT_JSON_OBJECT,
    SKIT_JSON_ARRAY,
    SKIT_JSON_STRING,
    SKIT_JSON_INTEGER,
    SKIT_JSON_REAL,
    SKIT_JSON_TRUE,
    SKIT_JSON_FALSE,
    SKIT_JSON_NULL
} skit_json_kind;

/* One member of an object, as spans of the scanned text. */
typedef struct skit_json_member {
    const char *name;       /* raw bytes between the quotes (escapes not decoded) */
    size_t name_len;
    const char *value;      /* raw text of the value (a string with its quotes) */
    size_t value_len;
    skit_json_kind kind;
    /* internal: the scanner's bookkeeping */
    uint32_t hash;          /* of the decoded name */
    size_t decoded_len;     /* length of the decoded name */
    bool escaped;           /* the name has escapes: its decoded form is in the scan */
    bool frame;             /* an object's start marker, not a member */
    size_t aux;             /* frame: previous frame; escaped name: offset of its decoding */
} skit_json_member;

#define SKIT_JSON_SCAN_INLINE 24

/* The result of a scan. Zero it or let the scan functions initialise it. */
typedef struct skit_json_scan {
    const skit_json_member *members;   /* the top-level object's members, in order */
    size_t count;
    const char *error;                 /* why the text was refused (static text) */
    size_t error_offset;               /* where, in bytes from the start */
    /* internal */
    skit_json_member *stack;
    size_t top, cap;
    char *names;                       /* decoded escaped names */
    size_t names_len, names_cap;
    skit_json_member inline_stack[SKIT_JSON_SCAN_INLINE];
} skit_json_scan;

/* Validate @p text (@p len bytes) as one JSON object and record its top-level
 * members in @p scan (which borrows @p text: keep it alive while reading the
 * members). Release with skit_json_scan_free() whatever the result.
 * @return SCALEKIT_OK; SCALEKIT_EINVAL when the text is not a JSON object
 *         jansson would accept (scan->error says why; no error recorded);
 *         SCALEKIT_ENOMEM (recorded). */
int skit_json_scan_object(skit_json_scan *scan, const char *text, size_t len);

/* The same for any JSON text jansson's json_loadb accepts without
 * JSON_DECODE_ANY: an object or an array (members recorded for an object only). */
int skit_json_scan_text(skit_json_scan *scan, const char *text, size_t len);

/* Free what a scan allocated; safe on a zeroed or already freed scan. */
void skit_json_scan_free(skit_json_scan *scan);

/* The top-level member named @p name (compared with the decoded names); NULL when absent. */
const skit_json_member *skit_json_scan_get(const skit_json_scan *scan, const char *name);

/* Decode the raw contents of a string the scanner accepted (between its quotes)
 * into @p out, which must hold @p raw_len + 1 bytes (decoding never grows the
 * text); NUL-terminated. @return the decoded length. */
size_t skit_json_unescape(const char *raw, size_t raw_len, char *out);

/* The value of a number member as a double (what json_number_value gives).
 * @return false when @p m is not a number. */
bool skit_json_member_number(const skit_json_member *m, double *out);

#endif
