/*
 * The scalekit command line, inside: one table of commands (commands.c) drives
 * the parser, --help, the man page and the shell completions; each row names an
 * adapter that calls the library and hands the API's JSON to the output layer.
 *
 * cli_main() is the whole program with its streams as parameters, so the tests
 * (tests/cli/) run it in-process against the in-process emulator.
 */
#ifndef SCALEKIT_CLI_H
#define SCALEKIT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>

#include "scalekit/scalekit.h"

/* Exit codes: stable, documented in --help and the man page. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_OTHER = 1,
    CLI_EXIT_USAGE = 2,      /* bad command line, or an argument the library refused unsent */
    CLI_EXIT_NOT_FOUND = 3,  /* HTTP 404 */
    CLI_EXIT_REFUSED = 4,    /* HTTP 400/401/403/409; an invalid token or webhook signature */
    CLI_EXIT_NETWORK = 5     /* network, timeout, 429 or 5xx after the retries */
};

/* An adapter's return: SCALEKIT_OK, a negative scalekit code (the caller prints
 * scalekit_error_last()), or CLI_EXIT(n): exit n, the adapter already said why. */
#define CLI_EXIT(n) (-1000 - (n))
#define CLI_IS_EXIT(rc) ((rc) <= -1000)

typedef enum cli_flag_type {
    CLI_STRING,   /* --name VALUE */
    CLI_INT,      /* --name N (a non-negative integer) */
    CLI_BOOL,     /* --name */
    CLI_LIST,     /* --name VALUE, repeatable */
    CLI_MAP       /* --name KEY=VALUE, repeatable */
} cli_flag_type;

typedef struct cli_flag {
    const char *name;        /* without the dashes */
    cli_flag_type type;
    const char *help;
} cli_flag;

typedef enum cli_output_kind {
    CLI_OUT_NONE,            /* prints nothing on success */
    CLI_OUT_ONE,             /* one resource */
    CLI_OUT_PAGE,            /* a list: items under the row's items_key */
    CLI_OUT_SELF             /* the adapter prints what it prints */
} cli_output_kind;

typedef enum cli_output_mode { CLI_TABLE, CLI_JSON, CLI_JSONL } cli_output_mode;

typedef struct cli_run cli_run;

typedef struct cli_command {
    const char *service;     /* "organizations"; NULL for a top-level command ("login") */
    const char *verb;        /* "create" */
    const char *args;        /* positional arguments, space separated: "ORGANIZATION_ID EMAIL" */
    const cli_flag *const *flags; /* NULL-terminated flag sets (see commands.c) */
    int (*run)(cli_run *r);  /* the adapter */
    cli_output_kind output;
    const char *items_key;   /* CLI_OUT_PAGE: the array in the API's list body */
    const char *columns;     /* the table's columns, space separated */
    bool needs_client;       /* builds a client from the configuration first */
    const char *help;        /* one line */
    /* A command with its own option parser (the emulator): gets argv from the verb on. */
    int (*raw_main)(int argc, char **argv);
} cli_command;

typedef struct cli_service {
    const char *name;
    const char *help;
} cli_service;

/* The table (commands.c). */
extern const cli_command cli_commands[];
extern const size_t cli_command_count;
extern const cli_service cli_services[];
extern const size_t cli_service_count;
extern const cli_flag *const cli_global_flags[];

/* The program's streams; the tests pass their own. */
typedef struct cli_io {
    FILE *in, *out, *err;
    bool out_tty, err_tty, in_tty;
} cli_io;

/* One parsed value of a flag. */
typedef struct cli_value {
    const cli_flag *flag;
    const char *value;       /* NULL for a CLI_BOOL */
} cli_value;

/* One invocation. */
struct cli_run {
    const cli_io *io;
    const cli_command *cmd;
    const char **args;       /* the positional arguments, as many as cmd->args names */
    size_t n_args;
    cli_value *values;       /* the flags given, in order */
    size_t n_values;
    cli_output_mode mode;
    scalekit_client *client; /* when cmd->needs_client */
    struct cli_sink *sink;   /* the output in progress (output.c) */
    void **allocs;           /* freed with the run */
    size_t n_allocs;
};

/* The whole program: the exit status. */
int cli_main(int argc, char **argv, const cli_io *io);

/* ---- flags (args.c) ------------------------------------------------------ */
const char *cli_str(const cli_run *r, const char *name);           /* last value or NULL */
bool cli_bool(const cli_run *r, const char *name);
/* 0 and *out when set and valid, 1 when absent, CLI_EXIT(2) (said why) when not a number. */
int cli_uint(cli_run *r, const char *name, uint32_t *out);
/* Every value of a CLI_LIST flag, NULL-terminated (owned by r); NULL when absent. */
const char *const *cli_list(cli_run *r, const char *name);
/* The KEY=VALUE values of a CLI_MAP flag (owned by r); entries NULL when absent. */
int cli_map(cli_run *r, const char *name, scalekit_string_map *out);
/* Memory freed with the run; NULL on out of memory. */
void *cli_alloc(cli_run *r, size_t n);
char *cli_strdup(cli_run *r, const char *s);
/* What a command prints, in words (from its output kind); "" for CLI_OUT_SELF. */
const char *cli_output_words(const cli_command *cmd);
/* Print the usage of a command, a service or the whole program. */
void cli_help_command(FILE *out, const cli_command *cmd);
void cli_help_service(FILE *out, const char *service);
void cli_help_program(FILE *out);
const char *cli_flag_type_arg(cli_flag_type t);   /* "VALUE", "N", "KEY=VALUE", "" */
/* Parse argv (after the program name) into r; an exit status other than 0 on a
 * usage error or when help was printed (*done). */
int cli_parse(cli_run *r, int argc, char **argv, bool *done);
void cli_run_free(cli_run *r);

/* ---- configuration (config.c) -------------------------------------------- */
/* The client from flags, then the environment, then the profile; exit status. */
int cli_config_client(cli_run *r);
/* A secret from --NAME-file FILE or --NAME-stdin, else the environment variable
 * @p env_var (may be NULL): malloc'd into *out (NULL when none); exit status. */
int cli_secret(cli_run *r, const char *name, const char *env_var, char **out);
/* The configuration file's path (malloc'd). */
char *cli_config_path(void);
int cli_cmd_configure(cli_run *r);

/* ---- output (output.c) --------------------------------------------------- */
/* One resource's JSON (CLI_OUT_ONE). */
int cli_emit_one(cli_run *r, const char *raw_json);
/* One list page's whole body (CLI_OUT_PAGE without --all). */
int cli_emit_page(cli_run *r, const char *raw_json);
/* One item of a walk over every page (CLI_OUT_PAGE with --all); cli_emit_end ends it. */
int cli_emit_item(cli_run *r, const char *item_json);
int cli_emit_end(cli_run *r);
/* Print the last library failure to stderr; the exit status for @p rc. */
int cli_report_error(const cli_run *r, int rc);
int cli_exit_status(int rc);
void cli_sink_free(cli_run *r);
/* A document of our own (token, login): nested objects as indented "key value" lines on a
 * table, else JSON. */
void cli_print_doc(cli_run *r, json_t *doc);

/* Walk an iterator, handing each item's JSON to cli_emit_item. */
#define CLI_WALK(r, it_type, item_type, new_call, next_fn, free_fn)                 \
    do {                                                                          \
        it_type *it_ = NULL;                                                      \
        int rc_ = (new_call);                                                     \
        if (rc_ != SCALEKIT_OK)                                                   \
            return rc_;                                                           \
        const item_type *item_ = NULL;                                            \
        while ((rc_ = next_fn(it_, &item_)) == SCALEKIT_OK)                       \
            if ((rc_ = cli_emit_item((r), item_->raw_json)) != SCALEKIT_OK)       \
                break;                                                            \
        free_fn(it_);                                                             \
        return rc_ == SCALEKIT_ITEROVER ? cli_emit_end(r) : rc_;                  \
    } while (0)

/* A call returning one result with raw_json: emit it, free it. */
#define CLI_ONE(r, type, call, free_fn)                                           \
    do {                                                                          \
        type *res_ = NULL;                                                        \
        int rc_ = (call);                                                         \
        if (rc_ == SCALEKIT_OK)                                                   \
            rc_ = cli_emit_one((r), res_->raw_json);                              \
        free_fn(res_);                                                            \
        return rc_;                                                               \
    } while (0)

/* A call returning a list page: emit its body, free it. */
#define CLI_PAGE(r, type, call, free_fn)                                          \
    do {                                                                          \
        type *res_ = NULL;                                                        \
        int rc_ = (call);                                                         \
        if (rc_ == SCALEKIT_OK)                                                   \
            rc_ = cli_emit_page((r), res_->raw_json);                             \
        free_fn(res_);                                                            \
        return rc_;                                                               \
    } while (0)

/* --page-size and --page-token into a list options struct @p o. */
#define CLI_PAGE_OPTS(o, r)                                                   \
    do {                                                                      \
        int prc_ = cli_uint((r), "page-size", &(o).page_size);                \
        if (CLI_IS_EXIT(prc_))                                                \
            return prc_;                                                      \
        (o).page_token = cli_str((r), "page-token");                          \
    } while (0)

/* ---- documentation (doc.c) ----------------------------------------------- */
void cli_print_man(FILE *out);
int cli_print_completion(FILE *out, const char *shell);
extern const char cli_exit_codes_text[];

/* ---- the commands that are more than a library call ----------------------- */
int cli_cmd_token_decode(cli_run *r);
int cli_cmd_token_validate(cli_run *r);
int cli_cmd_webhook_verify(cli_run *r);
int cli_cmd_webhook_listen(cli_run *r);
int cli_cmd_login(cli_run *r);
/* Read a whole stream or file ("-" is r->io->in): malloc'd, NUL-terminated; exit status. */
int cli_read_input(cli_run *r, const char *path, char **out, size_t *len);

#endif
