/* Output: the API's JSON as a table, one JSON document, or JSON lines; errors and exit codes. */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "cli.h"

const char cli_exit_codes_text[] =
    "  0  success\n"
    "  1  any other failure\n"
    "  2  usage: a bad command line, or a value the library refused before sending\n"
    "  3  not found (HTTP 404)\n"
    "  4  refused: HTTP 400, 401, 403 or 409; an invalid token or webhook signature\n"
    "  5  network, timeout, rate limit (429) or server error (5xx), after the retries\n";

/* Items of a walk over every page, kept for a table or one JSON document. */
struct cli_sink {
    json_t *items;
    size_t count;
};

void cli_sink_free(cli_run *r)
{
    if (r->sink) {
        json_decref(r->sink->items);
        free(r->sink);
        r->sink = NULL;
    }
}

static json_t *parse(const cli_run *r, const char *raw)
{
    json_error_t e;
    json_t *j = json_loads(raw ? raw : "{}", JSON_DECODE_ANY, &e);
    if (!j)
        fprintf(r->io->err, "scalekit: the server's JSON does not parse: %s\n", e.text);
    return j;
}

static void dump(const cli_run *r, const json_t *j, bool pretty)
{
    json_dumpf(j, r->io->out, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_ENCODE_ANY);
    fputc('\n', r->io->out);
    fflush(r->io->out);
}

/* A cell: a string as it is, null as "-", anything else as compact JSON (malloc'd). */
static char *cell(const json_t *v)
{
    if (!v || json_is_null(v))
        return strdup("-");
    if (json_is_string(v))
        return strdup(json_string_value(v));
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    return s ? s : strdup("?");
}

static void print_record(const cli_run *r, const json_t *obj)
{
    /* {"organization": {...}}: show what is inside the envelope. */
    json_t *inner = json_object_size(obj) == 1 ? json_object_iter_value(json_object_iter((json_t *)obj)) : NULL;
    if (json_is_object(inner))
        obj = inner;
    size_t width = 0;
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
        if (strlen(key) > width)
            width = strlen(key);
    json_object_foreach((json_t *)obj, key, v) {
        char *c = cell(v);
        fprintf(r->io->out, "%-*s  %s\n", (int)width, key, c ? c : "");
        free(c);
    }
    fflush(r->io->out);
}

/* The items as a table with the row's columns. */
static void print_table(const cli_run *r, const json_t *items)
{
    const char *spec = r->cmd->columns ? r->cmd->columns : "id";
    char *cols_buf = strdup(spec);
    if (!cols_buf)
        return;
    const char *cols[16];
    size_t n = 0;
    for (char *save = NULL, *t = strtok_r(cols_buf, " ", &save); t && n < 16; t = strtok_r(NULL, " ", &save))
        cols[n++] = t;
    size_t width[16];
    for (size_t c = 0; c < n; c++)
        width[c] = strlen(cols[c]);
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
        for (size_t c = 0; c < n; c++) {
            char *s = cell(json_object_get(it, cols[c]));
            if (s && strlen(s) > width[c])
                width[c] = strlen(s);
            free(s);
        }
    for (size_t c = 0; c < n; c++)
        fprintf(r->io->out, "%-*s%s", c + 1 < n ? (int)width[c] : 0, cols[c], c + 1 < n ? "  " : "\n");
    json_array_foreach(items, i, it)
        for (size_t c = 0; c < n; c++) {
            char *s = cell(json_object_get(it, cols[c]));
            fprintf(r->io->out, "%-*s%s", c + 1 < n ? (int)width[c] : 0, s ? s : "", c + 1 < n ? "  " : "\n");
            free(s);
        }
    fflush(r->io->out);
    free(cols_buf);
}

void cli_print_doc(cli_run *r, json_t *doc)
{
    if (r->mode != CLI_TABLE) {
        json_dumpf(doc, r->io->out, r->mode == CLI_JSON ? JSON_INDENT(2) : JSON_COMPACT);
        fputc('\n', r->io->out);
        return;
    }
    const char *key;
    json_t *v;
    json_object_foreach(doc, key, v) {
        if (json_is_object(v)) {
            fprintf(r->io->out, "%s:\n", key);
            const char *k2;
            json_t *v2;
            json_object_foreach(v, k2, v2) {
                char *s = cell(v2);
                fprintf(r->io->out, "  %-18s %s\n", k2, s ? s : "");
                free(s);
            }
        } else {
            char *s = cell(v);
            fprintf(r->io->out, "%-20s %s\n", key, s ? s : "");
            free(s);
        }
    }
}

int cli_emit_one(cli_run *r, const char *raw_json)
{
    json_t *j = parse(r, raw_json);
    if (!j)
        return CLI_EXIT(CLI_EXIT_OTHER);
    if (r->mode == CLI_TABLE)
        print_record(r, j);
    else
        dump(r, j, r->mode == CLI_JSON);
    json_decref(j);
    return SCALEKIT_OK;
}

int cli_emit_page(cli_run *r, const char *raw_json)
{
    json_t *j = parse(r, raw_json);
    if (!j)
        return CLI_EXIT(CLI_EXIT_OTHER);
    json_t *items = json_object_get(j, r->cmd->items_key);
    if (!json_is_array(items))
        items = NULL;
    if (r->mode == CLI_JSON) {
        dump(r, j, true);
    } else if (r->mode == CLI_JSONL) {
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it)
            dump(r, it, false);
    } else {
        json_t *empty = json_array();
        print_table(r, items ? items : empty);
        json_decref(empty);
        const char *next = json_string_value(json_object_get(j, "next_page_token"));
        if (next && *next)
            fprintf(r->io->err, "(more: --page-token %s, or --all)\n", next);
    }
    json_decref(j);
    return SCALEKIT_OK;
}

int cli_emit_item(cli_run *r, const char *item_json)
{
    json_t *j = parse(r, item_json);
    if (!j)
        return CLI_EXIT(CLI_EXIT_OTHER);
    if (!r->sink) {
        r->sink = calloc(1, sizeof *r->sink);
        if (!r->sink || !(r->sink->items = json_array())) {
            json_decref(j);
            return SCALEKIT_ENOMEM;
        }
    }
    r->sink->count++;
    if (r->mode == CLI_JSONL) {
        dump(r, j, false);
        json_decref(j);
    } else if (json_array_append_new(r->sink->items, j) != 0) {
        return SCALEKIT_ENOMEM;
    }
    /* Progress for a person watching a long walk; never mixed into the output. */
    if (r->io->err_tty && r->sink->count % 50 == 0) {
        fprintf(r->io->err, "\r%zu %s so far...", r->sink->count, r->cmd->items_key);
        fflush(r->io->err);
    }
    return SCALEKIT_OK;
}

int cli_emit_end(cli_run *r)
{
    size_t count = r->sink ? r->sink->count : 0;
    if (r->io->err_tty && count >= 50)
        fprintf(r->io->err, "\r%zu %s.           \n", count, r->cmd->items_key);
    json_t *items = r->sink ? json_incref(r->sink->items) : json_array();
    if (r->mode == CLI_JSON) {
        json_t *doc = json_object();
        json_object_set(doc, r->cmd->items_key, items);
        json_object_set_new(doc, "total_size", json_integer((json_int_t)count));
        dump(r, doc, true);
        json_decref(doc);
    } else if (r->mode == CLI_TABLE) {
        print_table(r, items);
    }
    json_decref(items);
    return SCALEKIT_OK;
}

int cli_exit_status(int rc)
{
    if (rc == SCALEKIT_OK)
        return CLI_EXIT_OK;
    if (CLI_IS_EXIT(rc))
        return -1000 - rc;
    switch (rc) {
    case SCALEKIT_EINVAL:
        return CLI_EXIT_USAGE;
    case SCALEKIT_ENOTFOUND:
        return CLI_EXIT_NOT_FOUND;
    case SCALEKIT_EINVALID_REQUEST:
    case SCALEKIT_EUNAUTHENTICATED:
    case SCALEKIT_EPERMISSION:
    case SCALEKIT_EEXISTS:
        return CLI_EXIT_REFUSED;
    case SCALEKIT_ENETWORK:
    case SCALEKIT_ETIMEOUT:
    case SCALEKIT_ERATE_LIMITED:
    case SCALEKIT_ESERVER:
        return CLI_EXIT_NETWORK;
    default:
        break;
    }
    if (rc <= SCALEKIT_ETOKEN_MALFORMED && rc >= SCALEKIT_EWEBHOOK_MALFORMED_HEADER)
        return CLI_EXIT_REFUSED;   /* a token or a webhook that does not verify */
    return CLI_EXIT_OTHER;
}

int cli_report_error(const cli_run *r, int rc)
{
    if (rc == SCALEKIT_OK || CLI_IS_EXIT(rc))
        return cli_exit_status(rc);
    FILE *err = r->io->err;
    const scalekit_error *e = scalekit_error_last();
    fprintf(err, "scalekit: %s (%s)\n", e->message ? e->message : scalekit_strerror(rc), scalekit_strerror(rc));
    if (e->http_status)
        fprintf(err, "  http status: %ld\n", e->http_status);
    if (e->error_code)
        fprintf(err, "  error code:  %s\n", e->error_code);
    for (size_t i = 0; i < e->field_violation_count; i++)
        fprintf(err, "  field %s: %s\n", e->field_violations[i].field ? e->field_violations[i].field : "?",
                e->field_violations[i].description ? e->field_violations[i].description : "");
    if (e->request_id)
        fprintf(err, "  request id:  %s\n", e->request_id);
    return cli_exit_status(rc);
}
