/* SQLite storage of the emulator: see store.h. */
#include "store.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

extern const char emu_schema_sql[];   /* generated from emulator/schema.sql */

/* Prepared statements kept for reuse: preparing costs more than running the
 * usual one-row lookup, and it happens under the store's lock. Keyed by the SQL
 * text; a statement is only ever used by one call at a time (under the lock). */
#define STMT_CACHE 48

struct emu_store {
    sqlite3 *db;
    pthread_mutex_t lock;   /* recursive: emu_db_lock() may wrap other calls */
    struct {
        char *sql;          /* a copy: callers build some of their SQL text */
        sqlite3_stmt *stmt;
    } stmts[STMT_CACHE];
    size_t next_evict;      /* round robin once the cache is full */
    int tx_depth;           /* open transaction levels (under lock) */
    char last_error[256];   /* the last failed statement's message (under lock) */
    void (*commit_hook)(void *arg);
    void *commit_arg;
};

/* ---- a damaged data file is refused at open ------------------------------ */

/* The SQLite type every value of a column declared @p decl must have, or NULL
 * when the schema declares no type we check. */
static const char *expected_type(const char *decl)
{
    if (decl && strcmp(decl, "TEXT") == 0)
        return "text";
    if (decl && strcmp(decl, "INTEGER") == 0)
        return "integer";
    return NULL;
}

/* Append @p name as a quoted SQL identifier. */
static void put_ident(sqlite3_str *q, const char *name)
{
    sqlite3_str_appendchar(q, 1, '"');
    for (const char *c = name; *c; c++)
        sqlite3_str_appendchar(q, *c == '"' ? 2 : 1, *c);
    sqlite3_str_appendchar(q, 1, '"');
}

/* "<column's typeof() is wrong>" for one column of the reference schema. */
static void put_bad_value(sqlite3_str *q, const char *column, const char *type, bool notnull)
{
    sqlite3_str_appendall(q, "(typeof(");
    put_ident(q, column);
    sqlite3_str_appendf(q, ") NOT IN ('%s'%s))", type, notnull ? "" : ", 'null'");
}

/*
 * Check every row of @p table in @p db against the column types and NOT NULL
 * of the same table in @p ref (the schema as this build declares it): one
 * query per table finds the first row that disagrees. 0, or -1 with the
 * table, column and row on stderr. A missing column fails the query itself.
 */
static int check_table(sqlite3 *db, sqlite3 *ref, const char *file, const char *table)
{
    sqlite3_str *info = sqlite3_str_new(ref);
    sqlite3_str_appendall(info, "PRAGMA table_info(");
    put_ident(info, table);
    sqlite3_str_appendall(info, ")");
    char *info_sql = sqlite3_str_finish(info);
    sqlite3_stmt *cols = NULL;
    if (!info_sql || sqlite3_prepare_v2(ref, info_sql, -1, &cols, NULL) != SQLITE_OK) {
        sqlite3_free(info_sql);
        return -1;
    }
    sqlite3_free(info_sql);
    sqlite3_str *cases = sqlite3_str_new(db), *where = sqlite3_str_new(db);
    int checked = 0;
    while (sqlite3_step(cols) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(cols, 1);
        const char *type = expected_type((const char *)sqlite3_column_text(cols, 2));
        bool notnull = sqlite3_column_int(cols, 3) != 0;
        if (!name || !type)
            continue;
        sqlite3_str_appendall(cases, " WHEN ");
        put_bad_value(cases, name, type, notnull);
        /* "secret is a blob, not text" */
        sqlite3_str_appendf(cases, " THEN %Q || ' is a ' || typeof(", name);
        put_ident(cases, name);
        sqlite3_str_appendf(cases, ") || ', not %s'", type);
        sqlite3_str_appendall(where, checked++ ? " OR " : "");
        put_bad_value(where, name, type, notnull);
    }
    sqlite3_finalize(cols);
    char *case_sql = sqlite3_str_finish(cases), *where_sql = sqlite3_str_finish(where);
    if (checked == 0) {
        sqlite3_free(case_sql);
        sqlite3_free(where_sql);
        return 0;
    }
    sqlite3_str *q = sqlite3_str_new(db);
    sqlite3_str_appendf(q, "SELECT rowid, CASE%s END FROM ", case_sql ? case_sql : "");
    put_ident(q, table);
    sqlite3_str_appendf(q, " WHERE %s LIMIT 1", where_sql ? where_sql : "0");
    sqlite3_free(case_sql);
    sqlite3_free(where_sql);
    char *sql = sqlite3_str_finish(q);
    sqlite3_stmt *stmt = NULL;
    int rc = -1;
    if (!sql || sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        fprintf(stderr, "scalekit-emulator: data file %s is damaged: table %s does not have the "
                        "expected columns (%s)\n", file, table, sqlite3_errmsg(db));
    } else if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *what = (const char *)sqlite3_column_text(stmt, 1);
        fprintf(stderr, "scalekit-emulator: data file %s is damaged: table %s, row %lld: "
                        "column %s\n", file, table, (long long)sqlite3_column_int64(stmt, 0),
                what ? what : "?");
        rc = -1;
    } else {
        rc = rc == SQLITE_DONE ? 0 : -1;
        if (rc)
            fprintf(stderr, "scalekit-emulator: data file %s: cannot check table %s: %s\n", file,
                    table, sqlite3_errmsg(db));
    }
    sqlite3_finalize(stmt);
    sqlite3_free(sql);
    return rc;
}

/*
 * Columns a later schema added to an existing table: ALTER TABLE ADD COLUMN
 * each one @p ref declares and @p db lacks, with its type, NOT NULL and
 * default, so a data file of an earlier build opens (CREATE TABLE IF NOT
 * EXISTS leaves an existing table as it was). A column added to an existing
 * table must therefore be nullable or have a default. 0 or -1.
 */
static int add_missing_columns(sqlite3 *db, sqlite3 *ref, const char *file, const char *table)
{
    sqlite3_stmt *cols = NULL, *have = NULL;
    int rc = sqlite3_prepare_v2(ref, "SELECT name, type, \"notnull\", dflt_value FROM pragma_table_info(?)",
                                -1, &cols, NULL) == SQLITE_OK &&
             sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2", -1, &have,
                                NULL) == SQLITE_OK ? 0 : -1;
    if (rc == 0)
        sqlite3_bind_text(cols, 1, table, -1, SQLITE_STATIC);
    while (rc == 0 && sqlite3_step(cols) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(cols, 0);
        const char *dflt = (const char *)sqlite3_column_text(cols, 3);
        sqlite3_reset(have);
        sqlite3_bind_text(have, 1, table, -1, SQLITE_STATIC);
        sqlite3_bind_text(have, 2, name, -1, SQLITE_STATIC);
        if (sqlite3_step(have) == SQLITE_ROW)
            continue;
        sqlite3_str *q = sqlite3_str_new(db);
        sqlite3_str_appendall(q, "ALTER TABLE ");
        put_ident(q, table);
        sqlite3_str_appendall(q, " ADD COLUMN ");
        put_ident(q, name);
        sqlite3_str_appendf(q, " %s%s%s%s", (const char *)sqlite3_column_text(cols, 1),
                            sqlite3_column_int(cols, 2) ? " NOT NULL" : "", dflt ? " DEFAULT " : "",
                            dflt ? dflt : "");
        char *alter = sqlite3_str_finish(q), *err = NULL;
        if (!alter || sqlite3_exec(db, alter, NULL, NULL, &err) != SQLITE_OK) {
            fprintf(stderr, "scalekit-emulator: data file %s: cannot add column %s to table %s: %s\n", file,
                    name, table, err ? err : "out of memory");
            rc = -1;
        }
        sqlite3_free(err);
        sqlite3_free(alter);
    }
    sqlite3_finalize(cols);
    sqlite3_finalize(have);
    return rc;
}

/* Every value a data file holds has the type its column declares (after the
 * columns of a later schema are added), so nothing
 * that reads a row later meets a BLOB where it expects text. The reference is
 * the schema applied to an empty in-memory database. */
static int check_types(sqlite3 *db, const char *file)
{
    sqlite3 *ref = NULL;
    sqlite3_stmt *tables = NULL;
    int rc = -1;
    if (sqlite3_open(":memory:", &ref) != SQLITE_OK ||
        sqlite3_exec(ref, emu_schema_sql, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(ref, "SELECT name FROM sqlite_master WHERE type = 'table' "
                                "AND name NOT LIKE 'sqlite_%' ORDER BY name", -1, &tables,
                           NULL) != SQLITE_OK) {
        fprintf(stderr, "scalekit-emulator: cannot build the reference schema\n");
        goto done;
    }
    rc = 0;
    while (rc == 0 && sqlite3_step(tables) == SQLITE_ROW) {
        const char *table = (const char *)sqlite3_column_text(tables, 0);
        rc = add_missing_columns(db, ref, file, table);
        rc = rc ? rc : check_table(db, ref, file, table);
    }
done:
    sqlite3_finalize(tables);
    sqlite3_close(ref);
    return rc;
}

int emu_store_open(const char *path, emu_store **out)
{
    *out = NULL;
    emu_store *st = calloc(1, sizeof *st);
    if (!st)
        return -1;
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&st->lock, &attr);
    pthread_mutexattr_destroy(&attr);
    const char *file = path && *path ? path : ":memory:";
    int rc = sqlite3_open_v2(file, &st->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "scalekit-emulator: cannot open data file %s: %s\n", file,
                st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
        emu_store_close(st);
        return -1;
    }
    sqlite3_busy_timeout(st->db, 5000);
    char *err = NULL;
    if (sqlite3_exec(st->db, emu_schema_sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "scalekit-emulator: cannot apply the schema to %s: %s\n", file,
                err ? err : "?");
        sqlite3_free(err);
        emu_store_close(st);
        return -1;
    }
    if (check_types(st->db, file) != 0) {
        emu_store_close(st);
        return -1;
    }
    *out = st;
    return 0;
}

void emu_store_close(emu_store *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < STMT_CACHE; i++) {
        sqlite3_finalize(st->stmts[i].stmt);
        free(st->stmts[i].sql);
    }
    if (st->db)
        sqlite3_close(st->db);
    pthread_mutex_destroy(&st->lock);
    free(st);
}

void emu_db_lock(emu_store *st) { pthread_mutex_lock(&st->lock); }
void emu_db_unlock(emu_store *st) { pthread_mutex_unlock(&st->lock); }

/* The statement for @p sql, prepared on first use and kept. Caller holds the lock. */
static sqlite3_stmt *prepare(emu_store *st, const char *sql)
{
    size_t slot = STMT_CACHE;
    for (size_t i = 0; i < STMT_CACHE; i++) {
        if (st->stmts[i].stmt && strcmp(st->stmts[i].sql, sql) == 0)
            return st->stmts[i].stmt;
        if (!st->stmts[i].stmt && slot == STMT_CACHE)
            slot = i;
    }
    sqlite3_stmt *stmt = NULL;
    char *copy = strdup(sql);
    if (!copy || sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK) {
        fprintf(stderr, "scalekit-emulator: SQL error: %s in: %s\n",
                copy ? sqlite3_errmsg(st->db) : "out of memory", sql);
        free(copy);
        return NULL;
    }
    if (slot == STMT_CACHE) {
        slot = st->next_evict;
        st->next_evict = (st->next_evict + 1) % STMT_CACHE;
        sqlite3_finalize(st->stmts[slot].stmt);
        free(st->stmts[slot].sql);
    }
    st->stmts[slot].sql = copy;
    st->stmts[slot].stmt = stmt;
    return stmt;
}

/* Done with a statement of prepare(): ready for its next use. */
static void release(sqlite3_stmt *stmt)
{
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
}

static sqlite3_stmt *bind_failed(sqlite3_stmt *stmt, int idx, const char *sql)
{
    fprintf(stderr, "scalekit-emulator: cannot bind parameter %d of: %s\n", idx, sql);
    release(stmt);
    return NULL;
}

/* Prepare @p sql and bind the arguments described by @p types. */
static sqlite3_stmt *prepare_bound(emu_store *st, const char *sql, const char *types, va_list ap)
{
    sqlite3_stmt *stmt = prepare(st, sql);
    int idx = 1;
    for (const char *t = types ? types : ""; stmt && *t; t++, idx++) {
        int rc;
        if (*t == 's') {
            const char *s = va_arg(ap, const char *);
            rc = s ? sqlite3_bind_text(stmt, idx, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(stmt, idx);
        } else if (*t == 'i') {
            rc = sqlite3_bind_int64(stmt, idx, va_arg(ap, int64_t));
        } else if (*t == 'b') {
            rc = sqlite3_bind_int(stmt, idx, va_arg(ap, int) ? 1 : 0);
        } else {
            rc = SQLITE_MISUSE;
        }
        if (rc != SQLITE_OK)
            return bind_failed(stmt, idx, sql);
    }
    return stmt;
}

/* Prepare @p sql and bind the elements of the JSON array @p params. */
static sqlite3_stmt *prepare_json(emu_store *st, const char *sql, const json_t *params)
{
    sqlite3_stmt *stmt = prepare(st, sql);
    size_t i;
    const json_t *v;
    json_array_foreach(params, i, v) {
        if (!stmt)
            break;
        int idx = (int)i + 1, rc;
        switch (json_typeof(v)) {
        case JSON_STRING:
            rc = sqlite3_bind_text(stmt, idx, json_string_value(v), (int)json_string_length(v), SQLITE_TRANSIENT);
            break;
        case JSON_INTEGER: rc = sqlite3_bind_int64(stmt, idx, json_integer_value(v)); break;
        case JSON_REAL: rc = sqlite3_bind_double(stmt, idx, json_real_value(v)); break;
        case JSON_TRUE: rc = sqlite3_bind_int(stmt, idx, 1); break;
        case JSON_FALSE: rc = sqlite3_bind_int(stmt, idx, 0); break;
        case JSON_NULL: rc = sqlite3_bind_null(stmt, idx); break;
        default: rc = SQLITE_MISUSE; break;
        }
        if (rc != SQLITE_OK)
            return bind_failed(stmt, idx, sql);
    }
    return stmt;
}

static json_t *row_to_json(sqlite3_stmt *stmt)
{
    json_t *row = json_object();
    int n = sqlite3_column_count(stmt);
    for (int i = 0; row && i < n; i++) {
        json_t *v;
        switch (sqlite3_column_type(stmt, i)) {
        case SQLITE_INTEGER: v = json_integer(sqlite3_column_int64(stmt, i)); break;
        case SQLITE_FLOAT: v = json_real(sqlite3_column_double(stmt, i)); break;
        case SQLITE_TEXT: v = json_stringn((const char *)sqlite3_column_text(stmt, i),
                                           (size_t)sqlite3_column_bytes(stmt, i)); break;
        default: v = json_null(); break;
        }
        json_object_set_new(row, sqlite3_column_name(stmt, i), v);
    }
    return row;
}

/* Run a prepared statement to its end (releasing it): changed rows, -1, or EMU_DB_CONSTRAINT. */
static int run(emu_store *st, sqlite3_stmt *stmt, const char *sql)
{
    if (!stmt)
        return -1;
    int result = -1, rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
        result = sqlite3_changes(st->db);
    } else {
        snprintf(st->last_error, sizeof st->last_error, "%s", sqlite3_errmsg(st->db));
        if ((rc & 0xff) == SQLITE_CONSTRAINT)
            result = EMU_DB_CONSTRAINT;
        else
            fprintf(stderr, "scalekit-emulator: SQL error: %s in: %s\n", st->last_error, sql);
    }
    release(stmt);
    return result;
}

int emu_db_exec(emu_store *st, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    pthread_mutex_lock(&st->lock);
    int result = run(st, prepare_bound(st, sql, types, ap), sql);
    pthread_mutex_unlock(&st->lock);
    va_end(ap);
    return result;
}

int emu_db_exec_json(emu_store *st, const char *sql, const json_t *params)
{
    pthread_mutex_lock(&st->lock);
    int result = run(st, prepare_json(st, sql, params), sql);
    pthread_mutex_unlock(&st->lock);
    return result;
}

/* Every row of a prepared statement (at most @p limit, 0 = all), releasing it. */
static json_t *collect(sqlite3_stmt *stmt, size_t limit)
{
    if (!stmt)
        return NULL;
    json_t *rows = json_array();
    while (rows && (limit == 0 || json_array_size(rows) < limit) && sqlite3_step(stmt) == SQLITE_ROW)
        json_array_append_new(rows, row_to_json(stmt));
    release(stmt);
    return rows;
}

/* Shared by emu_db_row and emu_db_rows: at most @p limit rows (0 = all). */
static json_t *query(emu_store *st, size_t limit, const char *sql, const char *types, va_list ap)
{
    pthread_mutex_lock(&st->lock);
    json_t *rows = collect(prepare_bound(st, sql, types, ap), limit);
    pthread_mutex_unlock(&st->lock);
    return rows;
}

json_t *emu_db_rows_json(emu_store *st, const char *sql, const json_t *params)
{
    pthread_mutex_lock(&st->lock);
    json_t *rows = collect(prepare_json(st, sql, params), 0);
    pthread_mutex_unlock(&st->lock);
    return rows;
}

bool emu_db_unique_column(emu_store *st, char *out, size_t outlen)
{
    static const char prefix[] = "UNIQUE constraint failed: ";
    pthread_mutex_lock(&st->lock);
    bool found = false;
    if (strncmp(st->last_error, prefix, sizeof prefix - 1) == 0) {
        /* "table.column[, table.column...]": the first column names the conflict. */
        const char *col = st->last_error + sizeof prefix - 1;
        const char *dot = strchr(col, '.');
        col = dot ? dot + 1 : col;
        snprintf(out, outlen, "%.*s", (int)strcspn(col, ", "), col);
        found = *out != '\0';
    }
    pthread_mutex_unlock(&st->lock);
    return found;
}

/* ---- transactions ----------------------------------------------------------- */

static int exec_plain(emu_store *st, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &err) == SQLITE_OK)
        return 0;
    fprintf(stderr, "scalekit-emulator: %s failed: %s\n", sql, err ? err : sqlite3_errmsg(st->db));
    sqlite3_free(err);
    return -1;
}

int emu_tx_begin(emu_store *st)
{
    pthread_mutex_lock(&st->lock);
    char sql[48];
    snprintf(sql, sizeof sql, st->tx_depth ? "SAVEPOINT level%d" : "BEGIN IMMEDIATE", st->tx_depth);
    if (exec_plain(st, sql) != 0) {
        pthread_mutex_unlock(&st->lock);
        return -1;
    }
    st->tx_depth++;
    return 0;
}

int emu_tx_end(emu_store *st, bool ok)
{
    if (ok)
        return emu_tx_commit(st);
    emu_tx_rollback(st);
    return -1;
}

void emu_tx_rollback(emu_store *st)
{
    char sql[80];
    int level = --st->tx_depth;
    if (level)
        snprintf(sql, sizeof sql, "ROLLBACK TO level%d; RELEASE level%d", level, level);
    else
        snprintf(sql, sizeof sql, "ROLLBACK");
    exec_plain(st, sql);
    pthread_mutex_unlock(&st->lock);
}

int emu_tx_commit(emu_store *st)
{
    char sql[48];
    int level = st->tx_depth - 1;
    snprintf(sql, sizeof sql, level ? "RELEASE level%d" : "COMMIT", level);
    if (exec_plain(st, sql) != 0) {
        emu_tx_rollback(st);
        return -1;
    }
    st->tx_depth--;
    void (*hook)(void *) = level == 0 ? st->commit_hook : NULL;
    void *arg = st->commit_arg;
    pthread_mutex_unlock(&st->lock);
    if (hook)
        hook(arg);
    return 0;
}

void emu_store_set_commit_hook(emu_store *st, void (*hook)(void *arg), void *arg)
{
    pthread_mutex_lock(&st->lock);
    st->commit_hook = hook;
    st->commit_arg = arg;
    pthread_mutex_unlock(&st->lock);
}

json_t *emu_db_row(emu_store *st, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    json_t *rows = query(st, 1, sql, types, ap);
    va_end(ap);
    json_t *row = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    return row;
}

json_t *emu_db_rows(emu_store *st, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    json_t *rows = query(st, 0, sql, types, ap);
    va_end(ap);
    return rows;
}

char *emu_setting_get(emu_store *st, const char *name)
{
    json_t *row = emu_db_row(st, "SELECT value FROM settings WHERE name = ?", "s", name);
    const char *v = json_string_value(json_object_get(row, "value"));
    char *copy = v ? strdup(v) : NULL;
    json_decref(row);
    return copy;
}

int emu_setting_set(emu_store *st, const char *name, const char *value)
{
    return emu_db_exec(st, "INSERT INTO settings(name, value) VALUES (?, ?) "
                           "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                       "ss", name, value) < 0 ? -1 : 0;
}
