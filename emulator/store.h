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

#include <stdbool.h>
#include <stddef.h>
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

/*
 * Transactions. emu_tx_begin takes the store's mutex and opens BEGIN IMMEDIATE;
 * called again by the same thread inside a transaction it opens a SAVEPOINT,
 * so a helper that needs atomicity (emu_event_emit) can always open its own.
 * Every begin that returned 0 is ended by exactly one commit or rollback, which
 * releases the mutex. The outermost COMMIT runs the commit hook afterwards.
 * begin and commit return 0, or -1 (message on stderr; a failed commit has rolled back).
 */
int emu_tx_begin(emu_store *st);
int emu_tx_commit(emu_store *st);
void emu_tx_rollback(emu_store *st);
/* Commit when @p ok, else roll back: 0 only when it committed. */
int emu_tx_end(emu_store *st, bool ok);
/* Called (without the store's mutex) after each outermost COMMIT: the event outbox wakes its sender. */
void emu_store_set_commit_hook(emu_store *st, void (*hook)(void *arg), void *arg);

/* As emu_db_exec / emu_db_rows, binding the elements of the JSON array @p params
 * (string: text, integer, real, true/false: 1/0, null: NULL). */
int emu_db_exec_json(emu_store *st, const char *sql, const json_t *params);
json_t *emu_db_rows_json(emu_store *st, const char *sql, const json_t *params);

/* The column of the last UNIQUE constraint violation of this store ("slug" from
 * "UNIQUE constraint failed: organizations.slug") into @p out; false when the last
 * failure was not one. Call it inside the transaction whose write failed. */
bool emu_db_unique_column(emu_store *st, char *out, size_t outlen);

/* Settings: a copy of the value (free()), or NULL when unset. */
char *emu_setting_get(emu_store *st, const char *name);
int emu_setting_set(emu_store *st, const char *name, const char *value);

#define EMU_DB_CONSTRAINT (-2)

#endif
