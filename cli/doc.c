/* The man page and the bash/zsh completions, generated from the command table
 * (the build runs `scalekit --man` and `scalekit --completion bash|zsh`). */
#include <string.h>

#include "cli.h"

/* Text for roff: backslashes and hyphens escaped, no line starting with a control character. */
static void roff(FILE *out, const char *s)
{
    if (*s == '.' || *s == '\'')
        fputs("\\&", out);
    for (; *s; s++) {
        if (*s == '\\')
            fputs("\\e", out);
        else if (*s == '-')
            fputs("\\-", out);
        else
            fputc(*s, out);
    }
}

static void man_flags(FILE *out, const cli_flag *const *flags)
{
    for (size_t i = 0; flags && flags[i]; i++) {
        bool has_value = flags[i]->type != CLI_BOOL;
        fputs(has_value ? ".TP\n.BI \"\\-\\-" : ".TP\n.B \\-\\-", out);
        roff(out, flags[i]->name);
        if (has_value) {
            fputs(" \" ", out);
            roff(out, cli_flag_type_arg(flags[i]->type));
        }
        fputc('\n', out);
        roff(out, flags[i]->help);
        fputc('\n', out);
    }
}

static void man_command(FILE *out, const cli_command *c)
{
    fputs(".TP\n.B scalekit ", out);
    if (c->service) {
        roff(out, c->service);
        fputc(' ', out);
    }
    roff(out, c->verb);
    if (*c->args) {
        fputs(" \\fI", out);
        roff(out, c->args);
        fputs("\\fR", out);
    }
    fputc('\n', out);
    roff(out, c->help);
    fputc('\n', out);
    if (*cli_output_words(c)) {
        fputs(".br\n", out);
        roff(out, cli_output_words(c));
        fputc('\n', out);
    }
    if (c->flags) {
        fputs(".RS\n", out);
        man_flags(out, c->flags);
        fputs(".RE\n", out);
    }
}

void cli_print_man(FILE *out)
{
    fprintf(out, ".TH SCALEKIT 1 \"\" \"scalekit %s\" \"User Commands\"\n", scalekit_version());
    fputs(".SH NAME\nscalekit \\- every Scalekit service from a shell\n"
          ".SH SYNOPSIS\n.B scalekit\n.I service command\n[\\fIarguments\\fR] [\\fIflags\\fR]\n.br\n"
          ".B scalekit\n.I command\n[\\fIflags\\fR]\n"
          ".SH DESCRIPTION\nA thin program over libscalekit. On a terminal it prints tables; "
          "otherwise, or with \\fB\\-\\-output json\\fR, the API's JSON as one document; "
          "\\fB\\-\\-output jsonl\\fR prints one object per line as the pages arrive. "
          "Errors go to standard error with the server's error code, message, field violations "
          "and request id.\n", out);
    for (size_t s = 0; s < cli_service_count; s++) {
        fputs(".SH ", out);
        for (const char *p = cli_services[s].name; *p; p++)
            fputc(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p, out);
        fputc('\n', out);
        roff(out, cli_services[s].help);
        fputc('\n', out);
        for (size_t i = 0; i < cli_command_count; i++)
            if (cli_commands[i].service && strcmp(cli_commands[i].service, cli_services[s].name) == 0)
                man_command(out, &cli_commands[i]);
    }
    fputs(".SH OTHER COMMANDS\n", out);
    for (size_t i = 0; i < cli_command_count; i++)
        if (!cli_commands[i].service)
            man_command(out, &cli_commands[i]);
    fputs(".SH GLOBAL FLAGS\n", out);
    man_flags(out, cli_global_flags);
    fputs(".SH CONFIGURATION\nFlags override the environment variables "
          "\\fBSCALEKIT_ENVIRONMENT_URL\\fR, \\fBSCALEKIT_CLIENT_ID\\fR and \\fBSCALEKIT_CLIENT_SECRET\\fR, "
          "which override the profile (\\fB\\-\\-profile\\fR, \\fBSCALEKIT_PROFILE\\fR, else default) of "
          "\\fI$XDG_CONFIG_HOME/scalekit/config\\fR (default \\fI~/.config/scalekit/config\\fR), an INI file "
          "with the keys environment_url, client_id and client_secret, written by "
          "\\fBscalekit configure\\fR with mode 0600 and refused when group or others may read it. "
          "A secret is never accepted on the command line: \\fB\\-\\-client\\-secret\\fR is refused; "
          "use the environment, \\fB\\-\\-client\\-secret\\-file\\fR or \\fB\\-\\-client\\-secret\\-stdin\\fR.\n"
          ".SH EXIT STATUS\n.nf\n", out);
    roff(out, cli_exit_codes_text);
    fputs(".fi\n.SH EXAMPLES\n.nf\n"
          "scalekit organizations create \"Acme\" \\-\\-external\\-id acme\n"
          "scalekit organizations list \\-\\-all \\-\\-output jsonl | jq .id\n"
          "scalekit token decode \"$TOKEN\"\n"
          "scalekit webhook listen \\-\\-port 8123 \\-\\-forward http://127.0.0.1:3000/webhooks\n"
          ".fi\n.SH SEE ALSO\n\\fBscalekit\\-emulator\\fR(1)\n", out);
}

/* The words completed after "scalekit": services and top-level commands. */
static void first_words(FILE *out)
{
    for (size_t s = 0; s < cli_service_count; s++)
        fprintf(out, "%s ", cli_services[s].name);
    for (size_t i = 0; i < cli_command_count; i++)
        if (!cli_commands[i].service)
            fprintf(out, "%s ", cli_commands[i].verb);
    fputs("--help", out);
}

static void verbs_of(FILE *out, const char *service)
{
    const char *sep = "";
    for (size_t i = 0; i < cli_command_count; i++)
        if (cli_commands[i].service && strcmp(cli_commands[i].service, service) == 0) {
            fprintf(out, "%s%s", sep, cli_commands[i].verb);
            sep = " ";
        }
}

static void flags_of(FILE *out, const cli_flag *const *flags)
{
    for (size_t i = 0; flags && flags[i]; i++)
        fprintf(out, "--%s ", flags[i]->name);
}

/* The shell's case arms: "service verb" (or "command") -> its flags. */
static void flag_cases(FILE *out, const char *open, const char *close)
{
    for (size_t i = 0; i < cli_command_count; i++) {
        const cli_command *c = &cli_commands[i];
        if (c->raw_main)
            continue;
        fprintf(out, "    %s%s%s%s%s) flags=\"", open, c->service ? c->service : "",
                c->service ? " " : "", c->verb, close);
        flags_of(out, c->flags);
        fputs("\" ;;\n", out);
    }
}

int cli_print_completion(FILE *out, const char *shell)
{
    if (strcmp(shell, "bash") == 0) {
        fputs("# bash completion for scalekit (generated from its command table)\n"
              "_scalekit() {\n"
              "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" verbs=\"\" flags=\"\" key\n"
              "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
              "    COMPREPLY=($(compgen -W \"", out);
        first_words(out);
        fputs("\" -- \"$cur\")); return\n  fi\n  case \"${COMP_WORDS[1]}\" in\n", out);
        for (size_t s = 0; s < cli_service_count; s++) {
            fprintf(out, "    %s) verbs=\"", cli_services[s].name);
            verbs_of(out, cli_services[s].name);
            fputs("\" ;;\n", out);
        }
        fputs("  esac\n"
              "  if [ -n \"$verbs\" ] && [ \"$COMP_CWORD\" -eq 2 ]; then\n"
              "    COMPREPLY=($(compgen -W \"$verbs --help\" -- \"$cur\")); return\n  fi\n"
              "  if [ -n \"$verbs\" ]; then key=\"${COMP_WORDS[1]} ${COMP_WORDS[2]}\"; else key=\"${COMP_WORDS[1]}\"; fi\n"
              "  case \"$key\" in\n", out);
        flag_cases(out, "\"", "\"");
        fputs("  esac\n  case \"$cur\" in\n    -*) COMPREPLY=($(compgen -W \"$flags ", out);
        flags_of(out, cli_global_flags);
        fputs("\" -- \"$cur\")) ;;\n    *) COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n  esac\n}\n"
              "complete -F _scalekit scalekit\n", out);
        return 0;
    }
    if (strcmp(shell, "zsh") == 0) {
        fputs("#compdef scalekit\n# zsh completion for scalekit (generated from its command table)\n"
              "_scalekit() {\n"
              "  local -a verbs\n"
              "  if (( CURRENT == 2 )); then\n    compadd -- ", out);
        first_words(out);
        fputs("\n    return\n  fi\n  case $words[2] in\n", out);
        for (size_t s = 0; s < cli_service_count; s++) {
            fprintf(out, "    %s) verbs=(", cli_services[s].name);
            verbs_of(out, cli_services[s].name);
            fputs(") ;;\n", out);
        }
        fputs("  esac\n"
              "  if (( ${#verbs} )) && (( CURRENT == 3 )); then\n    compadd -- $verbs --help\n    return\n  fi\n"
              "  local key=$words[2]\n  (( ${#verbs} )) && key=\"$words[2] $words[3]\"\n"
              "  local flags=\"\"\n  case $key in\n", out);
        flag_cases(out, "\"", "\"");
        fputs("  esac\n  if [[ $PREFIX == -* ]]; then\n    compadd -- ${=flags} ", out);
        flags_of(out, cli_global_flags);
        fputs("\n  else\n    _files\n  fi\n}\n_scalekit \"$@\"\n", out);
        return 0;
    }
    return -1;
}
