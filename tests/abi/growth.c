/*
 * The ABI growth test: this program is compiled against a copy of the public
 * headers in which every member marked [newest] is missing (tests/abi/CMakeLists.txt
 * makes the copy), i.e. the layout an older program has, and runs against the
 * current libscalekit.so and a running emulator.
 *
 * Each old struct is followed in memory by poison where the newest member would
 * be: a library that read the caller's struct by its own size (ignoring
 * struct_size) would read the poison and fail a check below. Results are read
 * through the old, smaller struct definitions: page items are pointers, so
 * the library's larger stride does not matter.
 *
 * Usage: abi_growth ENV_URL CLIENT_ID CLIENT_SECRET
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scalekit/scalekit.h>

static int failures;

#define CHECK(cond)                                                              \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "%s:%d: %s (%s)\n", __FILE__, __LINE__, #cond,       \
                    scalekit_error_last()->message ? scalekit_error_last()->message : "-"); \
            failures++;                                                          \
        }                                                                        \
    } while (0)

/* The copies really are the older layouts: each struct ends where its newest member began. */
_Static_assert(sizeof(scalekit_client_options) ==
                   offsetof(scalekit_client_options, max_token_bytes) + sizeof(size_t),
               "scalekit_client_options still has its newest member");
_Static_assert(sizeof(scalekit_authorization_url_options) ==
                   offsetof(scalekit_authorization_url_options, code_challenge_method) +
                       sizeof(const char *),
               "scalekit_authorization_url_options still has its newest member");
_Static_assert(sizeof(scalekit_organization_create_options) ==
                   offsetof(scalekit_organization_create_options, slug) + sizeof(const char *),
               "scalekit_organization_create_options still has its newest member");
_Static_assert(sizeof(scalekit_organization) ==
                   offsetof(scalekit_organization, update_time) + sizeof(int64_t),
               "scalekit_organization still has its newest member");

static scalekit_client *old_client(const char *url, const char *id, const char *secret)
{
    /* verified_token_cache_entries would be -5 here: invalid, so reading it fails */
    struct { scalekit_client_options o; long poison; } opts = { SCALEKIT_CLIENT_OPTIONS_INIT, -5 };
    opts.o.timeout_ms = 5000;
    opts.o.max_retries = -1;
    scalekit_client *client = NULL;
    CHECK(scalekit_client_new_with_options(&client, url, id, secret, &opts.o) == SCALEKIT_OK);
    return client;
}

static void old_url_options(scalekit_client *client)
{
    /* prompt would be "poison" */
    struct { scalekit_authorization_url_options o; const char *poison; } opts = {
        SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT, "poison" };
    opts.o.state = "s1";
    char *url = NULL;
    CHECK(scalekit_get_authorization_url(client, "https://app.example/cb", &opts.o, &url) ==
          SCALEKIT_OK);
    CHECK(url && strstr(url, "state=s1"));       /* an option it has is honoured */
    CHECK(url && !strstr(url, "prompt"));         /* the member it lacks is the default */
    scalekit_free(url);
}

static void old_organizations(scalekit_client *client)
{
    char ext[3][64];
    for (int i = 0; i < 3; i++) {
        /* logo_url would be a valid https URL: the server would store it */
        struct { scalekit_organization_create_options o; const char *poison; } opts = {
            SCALEKIT_ORGANIZATION_CREATE_OPTIONS_INIT, "https://poison.example/l.png" };
        snprintf(ext[i], sizeof ext[i], "growth-%d-%ld", i, (long)rand());
        opts.o.external_id = ext[i];
        char name[32];
        snprintf(name, sizeof name, "Growth %d", i);
        scalekit_organization *org = NULL;
        CHECK(scalekit_organization_create(client, name, &opts.o, &org) == SCALEKIT_OK);
        if (!org)
            return;
        CHECK(strcmp(org->display_name, name) == 0);
        CHECK(strcmp(org->external_id, ext[i]) == 0);
        CHECK(org->logo_url == NULL);
        CHECK(org->create_time > 0 && org->update_time >= org->create_time);
        scalekit_organization_free(org);
    }

    /* Items read through the old, smaller scalekit_organization. */
    scalekit_organization_list_options list = SCALEKIT_ORGANIZATION_LIST_OPTIONS_INIT;
    list.page_size = 100;
    scalekit_organization_page *page = NULL;
    CHECK(scalekit_organization_list(client, &list, &page) == SCALEKIT_OK);
    int seen = 0;
    for (size_t i = 0; page && i < page->count; i++) {
        const scalekit_organization *org = page->items[i];
        for (int j = 0; j < 3; j++) {
            char name[32];
            snprintf(name, sizeof name, "Growth %d", j);
            if (org->external_id && strcmp(org->external_id, ext[j]) == 0) {
                CHECK(strcmp(org->display_name, name) == 0);
                CHECK(strncmp(org->id, "org_", 4) == 0);
                seen++;
            }
        }
    }
    CHECK(seen == 3);
    scalekit_organization_page_free(page);

    scalekit_organization_iterator *it = NULL;
    CHECK(scalekit_organization_iterator_new(client, &list, &it) == SCALEKIT_OK);
    const scalekit_organization *org;
    int walked = 0;
    while (it && scalekit_organization_iterator_next(it, &org) == SCALEKIT_OK) {
        CHECK(org->id && org->display_name);
        walked++;
    }
    CHECK(walked >= 3);
    scalekit_organization_iterator_free(it);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s ENV_URL CLIENT_ID CLIENT_SECRET\n", argv[0]);
        return 2;
    }
    scalekit_client *client = old_client(argv[1], argv[2], argv[3]);
    if (!client)
        return 1;
    old_url_options(client);
    old_organizations(client);
    scalekit_client_free(client);
    if (failures)
        fprintf(stderr, "abi growth: %d check(s) failed\n", failures);
    else
        printf("abi growth: an older program's structs work with libscalekit %s\n",
               scalekit_version());
    return failures ? 1 : 0;
}
