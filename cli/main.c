/* scalekit: the command line (cli.h). */
#include <signal.h>
#include <unistd.h>

#include "cli.h"

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);   /* `scalekit ... | head` ends with EPIPE, not a signal */
    cli_io io = { stdin, stdout, stderr, isatty(STDOUT_FILENO) == 1, isatty(STDERR_FILENO) == 1,
                  isatty(STDIN_FILENO) == 1 };
    return cli_main(argc, argv, &io);
}
