/* The one reader of caller-filled structs (see growable.h). */
#include "growable.h"

#include <string.h>

#include "core.h"

int skit_struct_copy(void *out, size_t size, const void *in, const char *type, const char *init)
{
    memset(out, 0, size);
    memcpy(out, &size, sizeof size);
    if (!in)
        return SCALEKIT_OK;
    size_t theirs;
    memcpy(&theirs, in, sizeof theirs);
    if (theirs < sizeof theirs)
        return skit_error_set(SCALEKIT_EINVAL,
                              "%s.struct_size is %zu: initialise the struct with %s", type, theirs,
                              init);
    if (theirs > size) {
        /* Built against newer headers: fine as long as it sets nothing we would ignore. */
        const unsigned char *extra = (const unsigned char *)in + size;
        for (size_t i = 0; i < theirs - size; i++) {
            if (extra[i])
                return skit_error_set(SCALEKIT_EINVAL,
                                      "%s sets a member unknown to libscalekit %s (struct_size %zu, "
                                      "this library knows %zu bytes)",
                                      type, SCALEKIT_VERSION, theirs, size);
        }
    }
    memcpy((char *)out + sizeof size, (const char *)in + sizeof size,
           (theirs < size ? theirs : size) - sizeof size);
    return SCALEKIT_OK;
}
