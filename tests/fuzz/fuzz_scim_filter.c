/*
 * Fuzz the emulator's SCIM filter and PATCH path parser (emulator/scim_path.c:
 * text from any identity provider or client reaches it). Input: one byte
 * choosing filter (even) or PATCH path (odd), then the text. A parsed filter
 * is evaluated against sample resources; a parsed path's filter against the
 * elements of a multi-valued attribute. Checks: no crash, no leak, a refusal
 * always explains itself, and the parsed names are NUL-terminated in bounds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scim_path.h"

static const char sample[] =
    "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"id\":\"diruser_1\",\"userName\":\"Bjensen\","
    "\"externalId\":\"ext-1\",\"active\":true,\"name\":{\"givenName\":\"Barbara\",\"familyName\":\"Jensen\"},"
    "\"emails\":[{\"type\":\"work\",\"value\":\"bjensen@example.com\",\"primary\":true},{\"type\":\"home\","
    "\"value\":\"babs@jensen.org\"}],\"members\":[{\"value\":\"a\"},{\"value\":\"b\"}],\"count\":3,"
    "\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\":{\"department\":\"Tours\"},"
    "\"meta\":{\"lastModified\":\"2024-01-01T00:00:00Z\",\"resourceType\":\"User\"}}";

static json_t *resource;

static void check_attr(const scim_attr *a)
{
    if (!memchr(a->urn, '\0', sizeof a->urn) || !memchr(a->name, '\0', sizeof a->name) ||
        !memchr(a->sub, '\0', sizeof a->sub) || !a->name[0])
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!resource && !(resource = json_loads(sample, 0, NULL)))
        abort();
    if (size < 1)
        return 0;
    char *text = malloc(size);
    if (!text)
        abort();
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    char why[200];
    why[0] = 'x';
    if (data[0] % 2 == 0) {
        scim_filter *f = NULL;
        if (scim_filter_parse(text, &f, why, sizeof why) == 0) {
            if (!f)
                abort();
            (void)scim_filter_match(f, resource);
            (void)scim_filter_match(f, json_object_get(resource, "emails"));
            const char *sub, *value;
            if (scim_filter_simple_eq(f, &sub, &value) && (!sub || !value))
                abort();
            scim_filter_free(f);
        } else if (f || !why[0] || !memchr(why, '\0', sizeof why)) {
            abort();
        }
    } else {
        scim_path p;
        if (scim_path_parse(text, &p, why, sizeof why) == 0) {
            check_attr(&p.attr);
            json_t *values = scim_attr_get(resource, &p.attr);
            for (size_t i = 0; p.filter && i < json_array_size(values); i++)
                (void)scim_filter_match(p.filter, json_array_get(values, i));
            scim_path_free(&p);
        } else if (p.filter || !why[0]) {
            abort();
        }
    }
    free(text);
    return 0;
}
