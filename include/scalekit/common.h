/**
 * @file scalekit/common.h
 * Types shared by every resource service: string maps and the conventions of
 * list pages and iterators.
 *
 * Conventions of every service header (organization.h is the model):
 * - A list call returns one page: `items`, `count`, `next_page_token`,
 *   `prev_page_token`, `total_size`, `raw_json`; options `page_size` (0: the
 *   server's default) and `page_token` (NULL or "": the first page). A list
 *   the API pages by number (domain.h) has `page_number` instead of the tokens.
 * - Every paginated list also has an iterator, `scalekit_<service>_iterator_new`,
 *   `_next` and `_free`, which fetches the following pages on demand. `_next`
 *   returns SCALEKIT_OK with an item, SCALEKIT_ITEROVER at the end, or an error
 *   (a server repeating a page token is SCALEKIT_EMALFORMED_RESPONSE: the
 *   iterator stops rather than loop forever).
 * - Results are read-only and library-allocated; each is freed by its own
 *   `_free` (safe on NULL), which frees every string and array inside it.
 *   Arrays of structs in results (page items, nested lists) are arrays of
 *   pointers, so a result struct can gain members at its end without changing
 *   the stride a compiled program uses.
 * - Every struct you fill (options, inputs) starts with `size_t struct_size`:
 *   initialise it with its `SCALEKIT_<TYPE>_INIT` macro (which sets it to the
 *   sizeof your headers give), then set members; a struct_size of 0 is
 *   SCALEKIT_EINVAL. The library reads only the bytes your struct has, so a
 *   program built against older headers keeps working with a newer library
 *   (members it lacks take their defaults). A NULL options pointer still means
 *   every default. Structs the library returns have struct_size set, so a
 *   returned policy or settings can be changed and sent back as it is.
 * - Every function checks what C needs before any request (NULL out pointers,
 *   empty ids, path-segment safety, valid UTF-8, struct_size): a failure is
 *   SCALEKIT_EINVAL naming the parameter, and nothing is sent. Business rules
 *   (lengths, patterns, uniqueness) are the server's: a value it refuses is
 *   SCALEKIT_EINVALID_REQUEST (or SCALEKIT_EEXISTS) with its field violations.
 * - Besides the codes a function lists, every call that reaches the network can
 *   return SCALEKIT_ENETWORK, SCALEKIT_ETIMEOUT, SCALEKIT_EUNAUTHENTICATED,
 *   SCALEKIT_EPERMISSION, SCALEKIT_ENOTFOUND, SCALEKIT_EEXISTS,
 *   SCALEKIT_EINVALID_REQUEST, SCALEKIT_ERATE_LIMITED, SCALEKIT_ESERVER,
 *   SCALEKIT_EHTTP, SCALEKIT_EMALFORMED_RESPONSE and SCALEKIT_ENOMEM; the
 *   server's error_code, message, request id and field violations are in
 *   scalekit_error_last().
 */
#ifndef SCALEKIT_COMMON_H
#define SCALEKIT_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "export.h"
#include "client.h"

SCALEKIT_BEGIN_DECLS

/**
 * A map of strings (the API's `metadata`): @p count name/value entries.
 *
 * As input: `entries` NULL means "absent" (not sent); a non-NULL `entries`
 * with `count` 0 sends an empty object. Every entry needs a non-empty name
 * and a non-NULL value. As output: entries in the order the server sent
 * them; `entries` NULL and `count` 0 when the server sent none.
 */
typedef struct scalekit_string_map {
    const scalekit_header *entries;
    size_t count;
} scalekit_string_map;

/**
 * The value of @p name in @p map (exact, case-sensitive match).
 *
 * @param map  may be NULL
 * @param name the key; NULL finds nothing
 * @return the value (owned by the map), or NULL when absent
 */
SCALEKIT_API const char *scalekit_string_map_get(const scalekit_string_map *map, const char *name);

/**
 * Declares a service's iterator: the opaque type `<prefix>_iterator` and
 *
 *     int  <prefix>_iterator_next(<prefix>_iterator *it, const <item> **out);
 *     void <prefix>_iterator_free(<prefix>_iterator *it);
 *
 * The service's `<prefix>_iterator_new` (or several, one per list) makes one;
 * no page is fetched before the first `_next`. `_next` hands out the next item,
 * fetching the next page when needed; the item is owned by the iterator and
 * valid until the next call on it or its free. It returns SCALEKIT_OK,
 * SCALEKIT_ITEROVER after the last item, or an error of the list call (a
 * server repeating a page token is SCALEKIT_EMALFORMED_RESPONSE); after an
 * error every later call fails the same way. `_free` frees the iterator and the
 * page it holds, and is safe on NULL.
 */
#define SCALEKIT_DECLARE_ITERATOR(prefix, item)                                     \
    typedef struct prefix##_iterator prefix##_iterator;                             \
    SCALEKIT_API int prefix##_iterator_next(prefix##_iterator *it, const item **out); \
    SCALEKIT_API void prefix##_iterator_free(prefix##_iterator *it)

SCALEKIT_END_DECLS

#endif
