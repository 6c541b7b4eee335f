/* cli_main: find the row, parse, build the client, call the adapter, report. */
#include <string.h>

#include "cli.h"
#include "emulator.h"

int scalekit_emulator_main_cli(int argc, char **argv)
{
    return scalekit_emulator_main("scalekit emulator", argc, argv);
}

int cli_main(int argc, char **argv, const cli_io *io)
{
    argc--, argv++;   /* the program's name */
    /* Hidden: the generators of the man page and the completions (CMake runs them). */
    if (argc == 1 && strcmp(argv[0], "--man") == 0) {
        cli_print_man(io->out);
        return CLI_EXIT_OK;
    }
    if (argc == 2 && strcmp(argv[0], "--completion") == 0)
        return cli_print_completion(io->out, argv[1]) == 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    if (argc == 1 && strcmp(argv[0], "--version") == 0) {
        fprintf(io->out, "scalekit %s\n", scalekit_version());
        return CLI_EXIT_OK;
    }
    /* The emulator parses its own options (emulator/program.c). */
    for (size_t i = 0; argc >= 1 && i < cli_command_count; i++)
        if (cli_commands[i].raw_main && !cli_commands[i].service && strcmp(argv[0], cli_commands[i].verb) == 0)
            return cli_commands[i].raw_main(argc, argv);

    cli_run r;
    memset(&r, 0, sizeof r);
    r.io = io;
    bool done = false;
    int status = cli_parse(&r, argc, argv, &done);
    if (status != CLI_EXIT_OK || done) {
        cli_run_free(&r);
        return status;
    }
    int rc = SCALEKIT_OK;
    if (r.cmd->needs_client)
        rc = cli_config_client(&r);
    if (rc == SCALEKIT_OK)
        rc = r.cmd->run(&r);
    status = cli_report_error(&r, rc);
    cli_run_free(&r);
    return status;
}
