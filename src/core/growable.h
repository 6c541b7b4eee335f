/*
 * Structs a caller fills (options, inputs) begin with `size_t struct_size`,
 * set by their SCALEKIT_<NAME>_INIT macro to the sizeof the caller compiled
 * against. The library reads them only through skit_struct_copy, so a program
 * built against older headers (a smaller struct) still works: the members it
 * does not have read as zero, i.e. as their defaults. See docs/abi.md.
 */
#ifndef SKIT_GROWABLE_H
#define SKIT_GROWABLE_H

#include <stddef.h>

/*
 * Copy the caller's struct @p in into @p out (the library's layout, @p size
 * bytes): min(in->struct_size, size) bytes, the rest zeroed; out->struct_size
 * becomes @p size. NULL @p in gives the all-defaults struct.
 * A struct_size of 0 (or smaller than the size member itself) is SCALEKIT_EINVAL
 * naming @p type and @p init; a struct larger than the library's is accepted
 * only when the members this library does not know are all zero (a newer
 * program asking for nothing new), else SCALEKIT_EINVAL.
 */
int skit_struct_copy(void *out, size_t size, const void *in, const char *type, const char *init);

/* skit_struct_copy(&o, sizeof o, in, "scalekit_x", "SCALEKIT_X_INIT") from the type's names. */
#define SKIT_STRUCT_COPY(out, in, type, init) \
    skit_struct_copy((out), sizeof(type), (in), #type, #init)

#endif
