/*
 * Configuration: flags override the environment, which overrides the profile of
 * $XDG_CONFIG_HOME/scalekit/config (INI: "[name]" then "key = value" lines:
 * environment_url, client_id, client_secret). The file holds a secret, so it is
 * written with mode 0600 and refused when group or others may read it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

char *cli_config_path(void)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    char buf[4096];
    if (xdg && *xdg)
        snprintf(buf, sizeof buf, "%s/scalekit/config", xdg);
    else
        snprintf(buf, sizeof buf, "%s/.config/scalekit/config", home && *home ? home : ".");
    return strdup(buf);
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

int cli_read_input(cli_run *r, const char *path, char **out, size_t *len)
{
    FILE *f = (!path || strcmp(path, "-") == 0) ? r->io->in : fopen(path, "rb");
    if (!f) {
        fprintf(r->io->err, "scalekit: cannot read %s: %s\n", path, strerror(errno));
        return CLI_EXIT(CLI_EXIT_USAGE);
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1)
            break;
        char *grown = realloc(buf, cap *= 2);
        if (!grown)
            free(buf);
        buf = grown;
    }
    if (f != r->io->in)
        fclose(f);
    if (!buf)
        return SCALEKIT_ENOMEM;
    buf[n] = '\0';
    *out = buf;
    if (len)
        *len = n;
    return SCALEKIT_OK;
}

int cli_secret(cli_run *r, const char *name, const char *env_var, char **out)
{
    char flag[64];
    *out = NULL;
    snprintf(flag, sizeof flag, "%s-file", name);
    const char *file = cli_str(r, flag);
    snprintf(flag, sizeof flag, "%s-stdin", name);
    if (file || cli_bool(r, flag)) {
        struct stat st;
        if (file && stat(file, &st) == 0 && (st.st_mode & 077))
            fprintf(r->io->err, "scalekit: warning: %s holds a secret and is readable by group or others "
                    "(mode %04o); chmod 600 %s\n", file, (unsigned)(st.st_mode & 0777), file);
        char *s;
        int rc = cli_read_input(r, file ? file : "-", &s, NULL);
        if (rc != SCALEKIT_OK)
            return rc;
        /* One line: the secret, without the newline an editor or echo adds. */
        s[strcspn(s, "\r\n")] = '\0';
        if (!*s) {
            fprintf(r->io->err, "scalekit: the %s read from %s is empty\n", name, file ? file : "standard input");
            free(s);
            return CLI_EXIT(CLI_EXIT_USAGE);
        }
        *out = s;
        return SCALEKIT_OK;
    }
    const char *env = env_var ? getenv(env_var) : NULL;
    if (env && *env && !(*out = strdup(env)))
        return SCALEKIT_ENOMEM;
    return SCALEKIT_OK;
}

typedef struct profile {
    char *environment_url, *client_id, *client_secret;
} profile;

static void profile_free(profile *p)
{
    free(p->environment_url);
    free(p->client_id);
    free(p->client_secret);
}

/* Read the profile @p name from the file; a missing file is an empty profile. */
static int read_profile(cli_run *r, const char *name, profile *p)
{
    char *path = cli_config_path();
    if (!path)
        return SCALEKIT_ENOMEM;
    FILE *f = fopen(path, "r");
    if (!f) {
        free(path);
        return SCALEKIT_OK;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077)) {
        fprintf(r->io->err,
                "scalekit: %s is readable by group or others (mode %04o) and may hold a secret: "
                "refused. Run: chmod 600 %s\n", path, (unsigned)(st.st_mode & 0777), path);
        fclose(f);
        free(path);
        return CLI_EXIT(CLI_EXIT_OTHER);
    }
    char line[4096];
    bool in = false, found = false;
    while (fgets(line, sizeof line, f)) {
        char *l = trim(line);
        if (*l == '#' || *l == ';' || !*l)
            continue;
        if (*l == '[') {
            char *end = strchr(l, ']');
            if (end)
                *end = '\0';
            in = strcmp(trim(l + 1), name) == 0;
            found |= in;
            continue;
        }
        char *eq = strchr(l, '=');
        if (!in || !eq)
            continue;
        *eq = '\0';
        char *key = trim(l), *value = trim(eq + 1);
        char **slot = strcmp(key, "environment_url") == 0 ? &p->environment_url
                    : strcmp(key, "client_id") == 0     ? &p->client_id
                    : strcmp(key, "client_secret") == 0 ? &p->client_secret : NULL;
        if (slot) {
            free(*slot);
            *slot = strdup(value);
        }
    }
    fclose(f);
    /* A profile asked for by name must exist; "default" may be absent. */
    if (!found && strcmp(name, "default") != 0) {
        fprintf(r->io->err, "scalekit: no profile [%s] in %s\n", name, path);
        free(path);
        return CLI_EXIT(CLI_EXIT_USAGE);
    }
    free(path);
    return SCALEKIT_OK;
}

static const char *profile_name(const cli_run *r)
{
    const char *name = cli_str(r, "profile");
    if (!name)
        name = getenv("SCALEKIT_PROFILE");
    return name && *name ? name : "default";
}

static const char *pick(const char *flag, const char *env_var, const char *file)
{
    const char *env = getenv(env_var);
    return flag ? flag : env && *env ? env : file;
}

int cli_config_client(cli_run *r)
{
    profile p = {0};
    char *secret = NULL;
    int rc = cli_secret(r, "client-secret", "SCALEKIT_CLIENT_SECRET", &secret);
    const char *url = cli_str(r, "environment-url"), *id = cli_str(r, "client-id");
    bool need_file = !pick(url, "SCALEKIT_ENVIRONMENT_URL", NULL) || !pick(id, "SCALEKIT_CLIENT_ID", NULL) ||
                     !secret;
    if (rc == SCALEKIT_OK && (need_file || cli_str(r, "profile")))
        rc = read_profile(r, profile_name(r), &p);
    if (rc == SCALEKIT_OK) {
        url = pick(url, "SCALEKIT_ENVIRONMENT_URL", p.environment_url);
        id = pick(id, "SCALEKIT_CLIENT_ID", p.client_id);
        const char *sec = secret ? secret : p.client_secret;
        const char *missing = !url ? "environment URL (--environment-url, SCALEKIT_ENVIRONMENT_URL)"
                            : !id  ? "client id (--client-id, SCALEKIT_CLIENT_ID)"
                            : !sec ? "client secret (SCALEKIT_CLIENT_SECRET, --client-secret-file, "
                                     "--client-secret-stdin)"
                                   : NULL;
        if (missing) {
            fprintf(r->io->err, "scalekit: no %s; or a profile: scalekit configure --profile NAME\n", missing);
            rc = CLI_EXIT(CLI_EXIT_USAGE);
        } else {
            rc = scalekit_client_new(&r->client, url, id, sec);
        }
    }
    free(secret);
    profile_free(&p);
    return rc;
}

/* The file's text without the section [name] (malloc'd; "" when there is no file). */
static char *without_section(const char *path, const char *name)
{
    FILE *f = fopen(path, "r");
    size_t cap = 1, n = 0;
    char *out = calloc(1, cap), line[4096];
    bool skip = false;
    while (out && f && fgets(line, sizeof line, f)) {
        char copy[4096];
        memcpy(copy, line, sizeof copy);
        char *l = trim(copy);
        if (*l == '[') {
            char *end = strchr(l, ']');
            if (end)
                *end = '\0';
            skip = strcmp(trim(l + 1), name) == 0;
        }
        if (skip)
            continue;
        size_t len = strlen(line);
        char *grown = realloc(out, cap + len);
        if (!grown) {
            free(out);
            out = NULL;
            break;
        }
        out = grown;
        memcpy(out + n, line, len + 1);
        n += len;
        cap += len;
    }
    if (f)
        fclose(f);
    return out;
}

int cli_cmd_configure(cli_run *r)
{
    const char *name = profile_name(r), *url = cli_str(r, "environment-url"), *id = cli_str(r, "client-id");
    if (!url || !id) {
        fputs("scalekit: configure needs --environment-url and --client-id (the secret from "
              "--client-secret-stdin or --client-secret-file)\n", r->io->err);
        return CLI_EXIT(CLI_EXIT_USAGE);
    }
    char *secret = NULL;
    int rc = cli_secret(r, "client-secret", NULL, &secret);
    if (rc != SCALEKIT_OK)
        return rc;
    char *path = cli_config_path(), *rest = path ? without_section(path, name) : NULL;
    char *tmp = path ? malloc(strlen(path) + 5) : NULL;
    rc = CLI_EXIT(CLI_EXIT_OTHER);
    if (!rest || !tmp)
        goto done;
    /* Make the directories (0700) and write a new file with mode 0600, then rename it over. */
    for (char *s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST) {
            fprintf(r->io->err, "scalekit: cannot create %s: %s\n", path, strerror(errno));
            *s = '/';
            goto done;
        }
        *s = '/';
    }
    sprintf(tmp, "%s.new", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    FILE *f = fd >= 0 && fchmod(fd, 0600) == 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        fprintf(r->io->err, "scalekit: cannot write %s: %s\n", tmp, strerror(errno));
        if (fd >= 0)
            close(fd);
        goto done;
    }
    fprintf(f, "%s[%s]\nenvironment_url = %s\nclient_id = %s\n", rest, name, url, id);
    if (secret)
        fprintf(f, "client_secret = %s\n", secret);
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        fprintf(r->io->err, "scalekit: cannot write %s: %s\n", path, strerror(errno));
        goto done;
    }
    fprintf(r->io->out, "profile [%s] written to %s (mode 0600)%s\n", name, path,
            secret ? "" : "; no secret stored: use SCALEKIT_CLIENT_SECRET or --client-secret-stdin");
    rc = SCALEKIT_OK;
done:
    free(secret);
    free(path);
    free(rest);
    free(tmp);
    return rc;
}
