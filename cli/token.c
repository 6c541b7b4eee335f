/* `scalekit token decode|validate`. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>

#include "cli.h"
#include "core/core.h"

/* The token from the argument, or from standard input for "-" (malloc'd, trimmed). */
static int read_token(cli_run *r, char **out)
{
    if (strcmp(r->args[0], "-") != 0) {
        *out = strdup(r->args[0]);
        return *out ? SCALEKIT_OK : SCALEKIT_ENOMEM;
    }
    int rc = cli_read_input(r, "-", out, NULL);
    if (rc == SCALEKIT_OK)
        (*out)[strcspn(*out, " \t\r\n")] = '\0';
    return rc;
}

/* "in 5 minutes" / "3 hours ago" for @p when relative to now. */
static void in_words(int64_t when, char *out, size_t n)
{
    int64_t d = when - (int64_t)time(NULL), a = d < 0 ? -d : d;
    const char *unit = "second";
    int64_t v = a;
    if (a >= 86400)
        v = a / 86400, unit = "day";
    else if (a >= 3600)
        v = a / 3600, unit = "hour";
    else if (a >= 60)
        v = a / 60, unit = "minute";
    snprintf(out, n, "%s%lld %s%s%s", d < 0 ? "" : "in ", (long long)v, unit, v == 1 ? "" : "s",
             d < 0 ? " ago" : "");
}

static json_t *decode_part(const char *part, size_t len)
{
    unsigned char *bytes = NULL;
    size_t n = 0;
    if (skit_base64url_decode(part, len, &bytes, &n) != SCALEKIT_OK)
        return NULL;
    json_t *j = json_loadb((const char *)bytes, n, 0, NULL);
    free(bytes);
    return json_is_object(j) ? j : (json_decref(j), NULL);
}

/* Add "expires"/"issued" in words to @p doc from @p claims. */
static void add_times(json_t *doc, const json_t *claims)
{
    static const char *const names[][2] = {{"exp", "expires"}, {"iat", "issued"}, {"nbf", "not_before"}};
    for (size_t i = 0; i < 3; i++) {
        json_t *v = json_object_get(claims, names[i][0]);
        if (json_is_integer(v)) {
            char words[64];
            in_words((int64_t)json_integer_value(v), words, sizeof words);
            json_object_set_new(doc, names[i][1], json_string(words));
        }
    }
}

int cli_cmd_token_decode(cli_run *r)
{
    char *token = NULL;
    int rc = read_token(r, &token);
    if (rc != SCALEKIT_OK)
        return rc;
    const char *dot1 = strchr(token, '.'), *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    json_t *header = dot2 ? decode_part(token, (size_t)(dot1 - token)) : NULL;
    json_t *claims = dot2 ? decode_part(dot1 + 1, (size_t)(dot2 - dot1 - 1)) : NULL;
    if (!header || !claims) {
        fprintf(r->io->err, "scalekit: not a JWT: expected three base64url parts (header.claims.signature) "
                "whose first two are JSON objects\n");
        json_decref(header);
        json_decref(claims);
        free(token);
        return CLI_EXIT(CLI_EXIT_USAGE);
    }
    fputs("NOT VERIFIED: this shows what the token says, not that it is genuine "
          "(`scalekit token validate` checks the signature).\n", r->io->err);
    json_t *doc = json_object();
    json_object_set_new(doc, "verified", json_false());
    json_object_set_new(doc, "header", header);
    json_object_set_new(doc, "claims", claims);
    add_times(doc, claims);
    cli_print_doc(r, doc);
    json_decref(doc);
    free(token);
    return SCALEKIT_OK;
}

int cli_cmd_token_validate(cli_run *r)
{
    char *token = NULL;
    int rc = read_token(r, &token);
    if (rc != SCALEKIT_OK)
        return rc;
    scalekit_validate_options o = SCALEKIT_VALIDATE_OPTIONS_INIT;
    o.issuer = cli_str(r, "issuer");
    if (!o.issuer)
        o.issuer = scalekit_client_env_url(r->client);
    o.audiences = cli_list(r, "audience");
    o.required_scopes = cli_list(r, "scope");
    scalekit_claims *claims = NULL;
    rc = scalekit_validate_token(r->client, token, &o, &claims);
    free(token);
    if (rc != SCALEKIT_OK) {
        const scalekit_error *e = scalekit_error_last();
        fprintf(r->io->out, "invalid: %s: %s\n", scalekit_strerror(rc), e->message ? e->message : "");
        return CLI_EXIT(cli_exit_status(rc));
    }
    json_t *doc = json_object();
    json_object_set_new(doc, "valid", json_true());
    json_object_set_new(doc, "why", json_sprintf("the signature verifies with a key of %s/keys; issuer %s; "
                                                   "not expired", scalekit_client_env_url(r->client), o.issuer));
    json_t *c = json_loads(scalekit_claims_json(claims), 0, NULL);
    json_object_set_new(doc, "claims", c ? c : json_null());
    if (c)
        add_times(doc, c);
    cli_print_doc(r, doc);
    json_decref(doc);
    scalekit_claims_free(claims);
    return SCALEKIT_OK;
}
