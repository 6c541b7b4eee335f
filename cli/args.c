/* The command line as the table describes it: parsing, flag values, --help. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Flags whose value would be a secret on argv, readable by every user of the machine
 * through ps and /proc: refused, naming the safe ways. */
static const struct { const char *flag, *safe; } secret_flags[] = {
    {"client-secret", "the environment (SCALEKIT_CLIENT_SECRET), --client-secret-file FILE or --client-secret-stdin"},
    {"secret", "the environment (SCALEKIT_WEBHOOK_SECRET), --secret-file FILE or --secret-stdin"},
    {"webhook-secret", "the environment (SCALEKIT_WEBHOOK_SECRET), --secret-file FILE or --secret-stdin"},
};

void *cli_alloc(cli_run *r, size_t n)
{
    void **grown = realloc(r->allocs, (r->n_allocs + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    r->allocs = grown;
    void *p = calloc(1, n ? n : 1);
    if (p)
        r->allocs[r->n_allocs++] = p;
    return p;
}

char *cli_strdup(cli_run *r, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = cli_alloc(r, n);
    if (p)
        memcpy(p, s, n);
    return p;
}

void cli_run_free(cli_run *r)
{
    cli_sink_free(r);
    for (size_t i = 0; i < r->n_allocs; i++)
        free(r->allocs[i]);
    free(r->allocs);
    free(r->values);
    free(r->args);
    scalekit_client_free(r->client);
}

const char *cli_str(const cli_run *r, const char *name)
{
    const char *v = NULL;
    for (size_t i = 0; i < r->n_values; i++)
        if (strcmp(r->values[i].flag->name, name) == 0)
            v = r->values[i].value;
    return v;
}

bool cli_bool(const cli_run *r, const char *name)
{
    for (size_t i = 0; i < r->n_values; i++)
        if (strcmp(r->values[i].flag->name, name) == 0)
            return true;
    return false;
}

int cli_uint(cli_run *r, const char *name, uint32_t *out)
{
    const char *s = cli_str(r, name);
    if (!s)
        return 1;
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || *s == '-' || errno || v > UINT32_MAX) {
        fprintf(r->io->err, "scalekit: --%s %s is not a number from 0 to %u\n", name, s, UINT32_MAX);
        return CLI_EXIT(CLI_EXIT_USAGE);
    }
    *out = (uint32_t)v;
    return 0;
}

const char *const *cli_list(cli_run *r, const char *name)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_values; i++)
        n += strcmp(r->values[i].flag->name, name) == 0;
    if (n == 0)
        return NULL;
    const char **list = cli_alloc(r, (n + 1) * sizeof *list);
    if (!list)
        return NULL;
    n = 0;
    for (size_t i = 0; i < r->n_values; i++)
        if (strcmp(r->values[i].flag->name, name) == 0)
            list[n++] = r->values[i].value;
    return list;
}

int cli_map(cli_run *r, const char *name, scalekit_string_map *out)
{
    const char *const *kv = cli_list(r, name);
    out->entries = NULL;
    out->count = 0;
    if (!kv)
        return 0;
    size_t n = 0;
    while (kv[n])
        n++;
    scalekit_header *e = cli_alloc(r, n * sizeof *e);
    if (!e)
        return SCALEKIT_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(kv[i], '=');
        if (!eq || eq == kv[i]) {
            fprintf(r->io->err, "scalekit: --%s %s is not KEY=VALUE\n", name, kv[i]);
            return CLI_EXIT(CLI_EXIT_USAGE);
        }
        char *key = cli_strdup(r, kv[i]);
        if (!key)
            return SCALEKIT_ENOMEM;
        key[eq - kv[i]] = '\0';
        e[i].name = key;
        e[i].value = eq + 1;
    }
    out->entries = e;
    out->count = n;
    return 0;
}

const char *cli_flag_type_arg(cli_flag_type t)
{
    switch (t) {
    case CLI_STRING:
    case CLI_LIST: return "VALUE";
    case CLI_INT: return "N";
    case CLI_MAP: return "KEY=VALUE";
    case CLI_BOOL: break;
    }
    return "";
}

static void print_flags(FILE *out, const cli_flag *const *flags)
{
    for (size_t i = 0; flags && flags[i]; i++) {
        char left[64];
        snprintf(left, sizeof left, "--%s %s", flags[i]->name, cli_flag_type_arg(flags[i]->type));
        fprintf(out, "  %-28s %s\n", left, flags[i]->help);
    }
}

static void print_exit_codes(FILE *out)
{
    fputs("\nExit status:\n", out);
    fputs(cli_exit_codes_text, out);
}

const char *cli_output_words(const cli_command *cmd)
{
    switch (cmd->output) {
    case CLI_OUT_NONE: return "Prints nothing on success; the exit status says how it went.";
    case CLI_OUT_ONE: return "Prints the resource: fields on a terminal, else the API's JSON.";
    case CLI_OUT_PAGE: return "Prints a page as a table on a terminal, else the API's JSON; with --all every page.";
    case CLI_OUT_SELF: break;
    }
    return "";
}

void cli_help_command(FILE *out, const cli_command *cmd)
{
    fprintf(out, "usage: scalekit %s%s%s%s%s [flags]\n%s\n", cmd->service ? cmd->service : "",
            cmd->service ? " " : "", cmd->verb, *cmd->args ? " " : "", cmd->args, cmd->help);
    if (*cli_output_words(cmd))
        fprintf(out, "%s\n", cli_output_words(cmd));
    if (cmd->flags) {
        fputs("\nFlags:\n", out);
        print_flags(out, cmd->flags);
    }
    fputs("\nGlobal flags:\n", out);
    print_flags(out, cli_global_flags);
    print_exit_codes(out);
}

void cli_help_service(FILE *out, const char *service)
{
    fprintf(out, "usage: scalekit %s <command> [arguments] [flags]\n\nCommands:\n", service);
    for (size_t i = 0; i < cli_command_count; i++) {
        const cli_command *c = &cli_commands[i];
        if (c->service && strcmp(c->service, service) == 0) {
            char left[80];
            snprintf(left, sizeof left, "%s %s", c->verb, c->args);
            fprintf(out, "  %-42s %s\n", left, c->help);
        }
    }
    fprintf(out, "\n`scalekit %s <command> --help` for a command's flags.\n", service);
}

void cli_help_program(FILE *out)
{
    fputs("usage: scalekit <service> <command> [arguments] [flags]\n"
          "       scalekit <command> [flags]\n"
          "Every Scalekit service from a shell, for people (tables) and scripts (JSON).\n"
          "\nServices:\n", out);
    for (size_t i = 0; i < cli_service_count; i++)
        fprintf(out, "  %-16s %s\n", cli_services[i].name, cli_services[i].help);
    fputs("\nCommands:\n", out);
    for (size_t i = 0; i < cli_command_count; i++)
        if (!cli_commands[i].service)
            fprintf(out, "  %-16s %s\n", cli_commands[i].verb, cli_commands[i].help);
    fputs("\nConfiguration: flags, then SCALEKIT_ENVIRONMENT_URL, SCALEKIT_CLIENT_ID and\n"
          "SCALEKIT_CLIENT_SECRET, then the profile (--profile, $SCALEKIT_PROFILE or \"default\")\n"
          "of $XDG_CONFIG_HOME/scalekit/config (mode 0600; `scalekit configure` writes it).\n"
          "A secret is never read from the command line.\n"
          "\nGlobal flags:\n", out);
    print_flags(out, cli_global_flags);
    print_exit_codes(out);
    fputs("\n`scalekit <service> --help` lists a service's commands; `scalekit --version` the version.\n", out);
}

static const cli_flag *find_flag(const cli_flag *const *flags, const char *name, size_t len)
{
    for (size_t i = 0; flags && flags[i]; i++)
        if (strlen(flags[i]->name) == len && strncmp(flags[i]->name, name, len) == 0)
            return flags[i];
    return NULL;
}

static const cli_command *find_command(const char *service, const char *verb)
{
    for (size_t i = 0; i < cli_command_count; i++) {
        const cli_command *c = &cli_commands[i];
        if ((c->service == NULL) == (service == NULL) && (!service || strcmp(c->service, service) == 0) &&
            strcmp(c->verb, verb) == 0)
            return c;
    }
    return NULL;
}

static bool is_service(const char *name)
{
    for (size_t i = 0; i < cli_service_count; i++)
        if (strcmp(cli_services[i].name, name) == 0)
            return true;
    return false;
}

static size_t count_args(const char *spec)
{
    size_t n = 0;
    for (const char *p = spec; *p; p++)
        if (*p != ' ' && (p == spec || p[-1] == ' '))
            n++;
    return n;
}

/* Refuse a secret on argv before anything else; true when refused. */
static bool refuse_secret(const cli_run *r, const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof secret_flags / sizeof secret_flags[0]; i++)
        if (strlen(secret_flags[i].flag) == len && strncmp(secret_flags[i].flag, name, len) == 0) {
            fprintf(r->io->err,
                    "scalekit: --%s is refused: a secret on the command line is readable by every "
                    "user of this machine (ps, /proc). Give it through %s.\n",
                    secret_flags[i].flag, secret_flags[i].safe);
            return true;
        }
    return false;
}

/* Parse the flags and positional arguments after the command words. */
static int parse_rest(cli_run *r, int argc, char **argv, bool *done)
{
    const cli_command *cmd = r->cmd;
    size_t want = count_args(cmd->args);
    r->args = calloc(want + 1, sizeof *r->args);
    r->values = calloc((size_t)argc + 1, sizeof *r->values);
    if (!r->args || !r->values)
        return CLI_EXIT_OTHER;
    bool only_args = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!only_args && strcmp(a, "--") == 0) {
            only_args = true;
            continue;
        }
        if (only_args || a[0] != '-' || strcmp(a, "-") == 0) {
            if (r->n_args == want) {
                fprintf(r->io->err, "scalekit: unexpected argument %s\n", a);
                goto usage;
            }
            r->args[r->n_args++] = a;
            continue;
        }
        if (a[1] != '-') {
            fprintf(r->io->err, "scalekit: unknown flag %s (flags are long: --name)\n", a);
            goto usage;
        }
        const char *name = a + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        if (refuse_secret(r, name, len))
            return CLI_EXIT_USAGE;
        const cli_flag *f = find_flag(cmd->flags, name, len);
        if (!f)
            f = find_flag(cli_global_flags, name, len);
        if (!f) {
            fprintf(r->io->err, "scalekit: unknown flag --%.*s\n", (int)len, name);
            goto usage;
        }
        const char *value = NULL;
        if (f->type == CLI_BOOL) {
            if (eq) {
                fprintf(r->io->err, "scalekit: --%s takes no value\n", f->name);
                goto usage;
            }
        } else if (eq) {
            value = eq + 1;
        } else if (i + 1 < argc) {
            value = argv[++i];
        } else {
            fprintf(r->io->err, "scalekit: --%s needs a value (%s)\n", f->name, cli_flag_type_arg(f->type));
            goto usage;
        }
        r->values[r->n_values++] = (cli_value){ f, value };
    }
    if (cli_bool(r, "help")) {
        cli_help_command(r->io->out, cmd);
        *done = true;
        return CLI_EXIT_OK;
    }
    if (r->n_args < want) {
        fprintf(r->io->err, "scalekit: %s%s%s needs %s\n", cmd->service ? cmd->service : "",
                cmd->service ? " " : "", cmd->verb, cmd->args);
        goto usage;
    }
    const char *mode = cli_str(r, "output");
    if (!mode)
        r->mode = r->io->out_tty ? CLI_TABLE : CLI_JSON;
    else if (strcmp(mode, "table") == 0)
        r->mode = CLI_TABLE;
    else if (strcmp(mode, "json") == 0)
        r->mode = CLI_JSON;
    else if (strcmp(mode, "jsonl") == 0)
        r->mode = CLI_JSONL;
    else {
        fprintf(r->io->err, "scalekit: --output %s is not one of table, json, jsonl\n", mode);
        goto usage;
    }
    return CLI_EXIT_OK;
usage:
    fprintf(r->io->err, "`scalekit %s%s%s --help` for its usage.\n", cmd->service ? cmd->service : "",
            cmd->service ? " " : "", cmd->verb);
    return CLI_EXIT_USAGE;
}

int cli_parse(cli_run *r, int argc, char **argv, bool *done)
{
    *done = false;
    FILE *err = r->io->err;
    if (argc < 1 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "help") == 0) {
        cli_help_program(argc < 1 ? err : r->io->out);
        *done = true;
        return argc < 1 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    const char *service = NULL, *verb = argv[0];
    int used = 1;
    if (is_service(argv[0])) {
        service = argv[0];
        if (argc < 2 || strcmp(argv[1], "--help") == 0) {
            cli_help_service(argc < 2 ? err : r->io->out, service);
            *done = true;
            return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
        }
        verb = argv[1];
        used = 2;
    }
    r->cmd = find_command(service, verb);
    if (!r->cmd) {
        if (service) {
            fprintf(err, "scalekit: %s has no command %s\n", service, verb);
            cli_help_service(err, service);
        } else {
            fprintf(err, "scalekit: no service or command %s\n", verb);
            fputs("`scalekit --help` lists them.\n", err);
        }
        *done = true;
        return CLI_EXIT_USAGE;
    }
    return parse_rest(r, argc - used, argv + used, done);
}
