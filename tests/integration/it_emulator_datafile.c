/*
 * A damaged data file is refused at start with a message naming the table,
 * the column and the row, never a crash (issue 8: a BLOB in clients.secret
 * was a SIGSEGV). Every column of every table is corrupted in turn.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "emulator.h"
#include "scalekit/error.h"

typedef struct files {
    char base[64];    /* a valid data file with one row in every table */
    char work[64];    /* the copy being damaged */
    char log[64];     /* the emulator's stderr */
} files;

static void exec_sql(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : "?");
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    fclose(out);
}

/* Start an emulator on @p data with stderr going to @p log; its result code. */
static int start_on(const char *data, const char *log, char *message, size_t cap)
{
    fflush(stderr);
    int saved = dup(2);
    FILE *f = fopen(log, "w+");
    assert_non_null(f);
    dup2(fileno(f), 2);
    scalekit_emulator_options o = {.data_path = data, .quiet = 1};
    scalekit_emulator *emu = NULL;
    int rc = scalekit_emulator_start(&o, &emu);
    scalekit_emulator_stop(emu);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(f);
    size_t n = fread(message, 1, cap - 1, f);
    message[n] = '\0';
    fclose(f);
    return rc;
}

static int setup(void **state)
{
    files *fs = calloc(1, sizeof *fs);
    assert_non_null(fs);
    snprintf(fs->base, sizeof fs->base, "/tmp/it_datafile_%d_base.db", (int)getpid());
    snprintf(fs->work, sizeof fs->work, "/tmp/it_datafile_%d_work.db", (int)getpid());
    snprintf(fs->log, sizeof fs->log, "/tmp/it_datafile_%d.log", (int)getpid());
    char message[4096];
    assert_int_equal(start_on(fs->base, fs->log, message, sizeof message), SCALEKIT_OK);
    /* one more well-typed row in every table, so each column has a value to damage */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(fs->base, &db), SQLITE_OK);
    sqlite3_stmt *tables = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%'", -1, &tables, NULL),
                     SQLITE_OK);
    while (sqlite3_step(tables) == SQLITE_ROW) {
        const char *table = (const char *)sqlite3_column_text(tables, 0);
        char sql[4096], cols[2048] = "", vals[2048] = "";
        snprintf(sql, sizeof sql, "PRAGMA table_info(\"%s\")", table);
        sqlite3_stmt *info = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &info, NULL), SQLITE_OK);
        while (sqlite3_step(info) == SQLITE_ROW) {
            const char *name = (const char *)sqlite3_column_text(info, 1);
            const char *type = (const char *)sqlite3_column_text(info, 2);
            size_t c = strlen(cols), v = strlen(vals);
            snprintf(cols + c, sizeof cols - c, "%s\"%s\"", c ? "," : "", name);
            if (strcmp(type, "INTEGER") == 0)
                snprintf(vals + v, sizeof vals - v, "%s7", v ? "," : "");
            else
                snprintf(vals + v, sizeof vals - v, "%s'x_%s'", v ? "," : "", name);
        }
        sqlite3_finalize(info);
        snprintf(sql, sizeof sql, "INSERT INTO \"%s\"(%s) VALUES (%s)", table, cols, vals);
        exec_sql(db, sql);
    }
    sqlite3_finalize(tables);
    sqlite3_close(db);
    *state = fs;
    return 0;
}

static int teardown(void **state)
{
    files *fs = *state;
    unlink(fs->base);
    unlink(fs->work);
    unlink(fs->log);
    free(fs);
    return 0;
}

/* Damage @p column of @p table's last row with @p value; start must fail naming it. */
static void expect_refused(const files *fs, const char *table, const char *column,
                           const char *value, const char *type_name)
{
    copy_file(fs->base, fs->work);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(fs->work, &db), SQLITE_OK);
    char sql[512];
    snprintf(sql, sizeof sql, "UPDATE \"%s\" SET \"%s\" = %s WHERE rowid = (SELECT max(rowid) FROM \"%s\")",
             table, column, value, table);
    exec_sql(db, sql);
    assert_int_equal(sqlite3_changes(db), 1);
    sqlite3_close(db);
    char message[4096], want[256];
    int rc = start_on(fs->work, fs->log, message, sizeof message);
    if (rc == SCALEKIT_OK)
        fail_msg("a data file with %s.%s = %s was accepted", table, column, value);
    snprintf(want, sizeof want, "table %s, row ", table);
    if (!strstr(message, want))
        fail_msg("%s.%s = %s: message does not name the table: %s", table, column, value, message);
    snprintf(want, sizeof want, "column %s is a %s", column, type_name);
    if (!strstr(message, want))
        fail_msg("%s.%s = %s: message does not name the column: %s", table, column, value, message);
}

static void test_every_column_damaged_in_turn(void **state)
{
    files *fs = *state;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(fs->base, &db), SQLITE_OK);
    sqlite3_stmt *cols = NULL;
    /* An INTEGER PRIMARY KEY is the rowid: SQLite itself keeps it an integer,
     * so no file can hold anything else there. */
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT m.name, p.name, p.type FROM sqlite_master m, "
                                            "pragma_table_info(m.name) p WHERE m.type = 'table' "
                                            "AND m.name NOT LIKE 'sqlite_%' "
                                            "AND NOT (p.pk = 1 AND p.type = 'INTEGER')", -1, &cols, NULL),
                     SQLITE_OK);
    int damaged = 0;
    while (sqlite3_step(cols) == SQLITE_ROW) {
        char table[64], column[64], type[16];
        snprintf(table, sizeof table, "%s", (const char *)sqlite3_column_text(cols, 0));
        snprintf(column, sizeof column, "%s", (const char *)sqlite3_column_text(cols, 1));
        snprintf(type, sizeof type, "%s", (const char *)sqlite3_column_text(cols, 2));
        expect_refused(fs, table, column, "x'00ff'", "blob");
        if (strcmp(type, "INTEGER") == 0) {
            expect_refused(fs, table, column, "'not a number'", "text");
            expect_refused(fs, table, column, "1.5", "real");
        }
        damaged++;
    }
    sqlite3_finalize(cols);
    sqlite3_close(db);
    assert_true(damaged > 40);   /* every column of the schema, not a few */
}

/* The case of the review: a BLOB secret was a SIGSEGV in scalekit_emulator_start. */
static void test_blob_client_secret(void **state)
{
    files *fs = *state;
    expect_refused(fs, "clients", "secret", "x'00ff'", "blob");
    /* and the undamaged file still starts */
    char message[4096];
    copy_file(fs->base, fs->work);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(fs->work, &db), SQLITE_OK);
    exec_sql(db, "DELETE FROM signing_keys WHERE kid = 'x_kid'");   /* the placeholder key */
    sqlite3_close(db);
    int rc = start_on(fs->work, fs->log, message, sizeof message);
    if (rc != SCALEKIT_OK)
        fail_msg("an undamaged file was refused: %s", message);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blob_client_secret),
        cmocka_unit_test(test_every_column_damaged_in_turn),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
