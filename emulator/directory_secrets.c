/*
 * A directory's SCIM bearer secrets, made in one place for the directories API
 * and the admin portal page: 32 random bytes (hex, with a prefix that names
 * them), stored only as their SHA-256 hex and last four characters, the plain
 * secret handed out once (schema.sql: directory_secrets); and the SCIM server's
 * bearer check against them.
 */
#include "environment.h"
#include "resources.h"

#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#define SECRET_PREFIX "skscim_"

int emu_directory_secret_create(emu *e, const char *directory_id, char **secret, json_t **row)
{
    *secret = NULL;
    if (row)
        *row = NULL;
    char *plain = emu_new_id(SECRET_PREFIX, 32), *id = emu_new_id("dirsec_", 8);
    char hash[65];
    int rc = -1;
    if (plain && id && directory_id) {
        emu_sha256_hex(plain, hash);
        const char *suffix = plain + strlen(plain) - 4;
        if (emu_db_exec(e->store, "INSERT INTO directory_secrets(id, directory_id, secret_hash, secret_suffix, "
                                  "status, create_time) VALUES (?, ?, ?, ?, 'ACTIVE', ?)", "ssssi",
                        id, directory_id, hash, suffix, skit_now()) == 1)
            rc = 0;
    }
    if (rc == 0 && row)
        *row = emu_db_row(e->store, "SELECT id, directory_id, secret_suffix, status, create_time, expire_time, "
                                    "last_used_time FROM directory_secrets WHERE id = ?", "s", id);
    if (rc == 0 && row && !*row)
        rc = -1;
    if (rc == 0) {
        *secret = plain;
        plain = NULL;
    }
    free(plain);
    free(id);
    return rc;
}

bool emu_directory_secret_check(emu *e, const char *directory_id, const char *bearer)
{
    if (!directory_id || !bearer || !*bearer)
        return false;
    char hash[65];
    emu_sha256_hex(bearer, hash);
    int64_t now = skit_now();
    json_t *rows = emu_db_rows(e->store, "SELECT id, secret_hash, expire_time FROM directory_secrets "
                               "WHERE directory_id = ? AND status = 'ACTIVE'", "s", directory_id);
    const char *match = NULL;
    size_t i;
    json_t *row;
    /* Every active secret is compared in full: the time taken says nothing of the match. */
    json_array_foreach(rows, i, row) {
        const char *stored = skit_json_string(row, "secret_hash");
        const json_t *expires = json_object_get(row, "expire_time");
        bool live = !json_is_integer(expires) || json_integer_value(expires) > now;
        if (stored && strlen(stored) == 64 && skit_consttime_equal(stored, hash, 64) && live)
            match = skit_json_string(row, "id");
    }
    bool ok = match && emu_db_exec(e->store, "UPDATE directory_secrets SET last_used_time = ? WHERE id = ?",
                                   "is", now, match) == 1;
    json_decref(rows);
    return ok;
}
