/*
 * The emulator's storage: one SQLite connection behind a mutex, the schema of
 * emulator/schema.sql, and a few generic calls that bind parameters (never SQL
 * built from request text) and hand rows back as JSON objects, so a resource
 * file needs only its SQL text:
 *
 *     json_t *u = emu_db_row(st, "SELECT * FROM users WHERE id = ?", "s", id);
 *
 * Bind types, one letter per '?': 's' text (NULL binds SQL NULL), 'i' int64_t,
 * 'b' int (0/1).  Result rows map column names to JSON: INTEGER -> integer,
 * REAL -> real, TEXT -> string, NULL -> null.
 */
#ifndef EMU_STORE_H
#define EMU_STORE_H

#include <stdint.h>
#include <jansson.h>

typedef struct emu_store emu_store;

/* Open @p path (":memory:" when NULL) and apply the schema. 0 or -1 (message on stderr). */
int emu_store_open(const char *path, emu_store **out);
void emu_store_close(emu_store *st);   /* safe on NULL */

/* Run a statement; returns the number of changed rows (>= 0) or -1 on failure
 * (a constraint violation gives -2, so callers can answer 409). */
int emu_db_exec(emu_store *st, const char *sql, const char *types, ...);
/* The first row of a query as a new JSON object, or NULL when there is none (or on failure). */
json_t *emu_db_row(emu_store *st, const char *sql, const char *types, ...);
/* Every row as a new JSON array of objects; NULL on failure. */
json_t *emu_db_rows(emu_store *st, const char *sql, const char *types, ...);

/* Hold the store across several calls (an atomic read-then-write). Recursive. */
void emu_db_lock(emu_store *st);
void emu_db_unlock(emu_store *st);

/* Settings: a copy of the value (free()), or NULL when unset. */
char *emu_setting_get(emu_store *st, const char *name);
int emu_setting_set(emu_store *st, const char *name, const char *value);

#define EMU_DB_CONSTRAINT (-2)

#endif
