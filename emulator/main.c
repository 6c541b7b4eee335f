/* scalekit-emulator: the emulator as a program (emulator/program.c). Runs until SIGINT or SIGTERM. */
#include "emulator.h"

int main(int argc, char **argv)
{
    return scalekit_emulator_main("scalekit-emulator", argc, argv);
}
