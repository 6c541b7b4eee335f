/* The table-driven decoder and encoder (src/core/decode.h) on canned JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/decode.h"
#include "core/growable.h"

/* A struct with one member of every field type. */
typedef struct item {
    const char *name;
    int32_t rank;
} item;

typedef struct thing {
    const char *name;
    bool flag;
    int32_t i32;
    int64_t i64;
    int64_t when;
    const bool *opt_flag;
    const int32_t *opt_i32;
    const int64_t *opt_i64;
    const char *const *tags;
    scalekit_string_map labels;
    item inner;
    const item *inner_ptr;
    const item *const *items;
    size_t item_count;
    const char *extra;
    const char *raw_json;
} thing;

static const skit_field item_fields[] = {
    SKIT_FIELD(item, name, SKIT_F_STRING),
    SKIT_FIELD(item, rank, SKIT_F_INT32),
};
static const skit_schema item_schema = SKIT_SCHEMA(item, "item", item_fields);

static const skit_field thing_fields[] = {
    SKIT_FIELD(thing, name, SKIT_F_STRING),
    SKIT_FIELD(thing, flag, SKIT_F_BOOL),
    SKIT_FIELD(thing, i32, SKIT_F_INT32),
    SKIT_FIELD(thing, i64, SKIT_F_INT64),
    SKIT_FIELD(thing, when, SKIT_F_TIMESTAMP),
    SKIT_FIELD(thing, opt_flag, SKIT_F_OPT_BOOL),
    SKIT_FIELD(thing, opt_i32, SKIT_F_OPT_INT32),
    SKIT_FIELD(thing, opt_i64, SKIT_F_OPT_INT64),
    SKIT_FIELD(thing, tags, SKIT_F_STRING_LIST),
    SKIT_FIELD(thing, labels, SKIT_F_STRING_MAP),
    SKIT_FIELD_OBJECT(thing, inner, SKIT_F_OBJECT, item_schema),
    SKIT_FIELD_OBJECT(thing, inner_ptr, SKIT_F_OBJECT_PTR, item_schema),
    SKIT_FIELD_ARRAY(thing, items, "items", item_count, item_schema),
    SKIT_FIELD(thing, extra, SKIT_F_RAW_JSON),
    SKIT_FIELD_SELF(thing, raw_json),
};
static const skit_schema thing_schema = SKIT_SCHEMA(thing, "thing", thing_fields);

static thing *decode_text(const char *text, const char *raw)
{
    json_error_t err;
    json_t *obj = json_loads(text, 0, &err);
    assert_non_null(obj);
    void *out = NULL;
    assert_int_equal(skit_decode_new(&thing_schema, obj, raw, &out), SCALEKIT_OK);
    json_decref(obj);
    assert_non_null(out);
    return out;
}

static void every_type(void **state)
{
    (void)state;
    thing *t = decode_text(
        "{\"name\":\"acme\",\"flag\":true,\"i32\":-7,\"i64\":\"9007199254740993\","
        "\"when\":\"2025-02-15T06:23:44Z\",\"opt_flag\":false,\"opt_i32\":0,\"opt_i64\":42,"
        "\"tags\":[\"a\",\"b\"],\"labels\":{\"k1\":\"v1\",\"k2\":\"v2\"},"
        "\"inner\":{\"name\":\"in\",\"rank\":3},\"inner_ptr\":{\"name\":\"p\",\"rank\":\"4\"},"
        "\"items\":[{\"name\":\"x\",\"rank\":1},{\"name\":\"y\",\"rank\":2}],"
        "\"extra\":{\"deep\":[1,true,null]},\"unknown\":{\"ignored\":1}}",
        NULL);
    assert_string_equal(t->name, "acme");
    assert_true(t->flag);
    assert_int_equal(t->i32, -7);
    assert_true(t->i64 == INT64_C(9007199254740993));
    assert_true(t->when == INT64_C(1739600624));
    assert_non_null(t->opt_flag);
    assert_false(*t->opt_flag);
    assert_non_null(t->opt_i32);
    assert_int_equal(*t->opt_i32, 0);
    assert_non_null(t->opt_i64);
    assert_true(*t->opt_i64 == 42);
    assert_string_equal(t->tags[0], "a");
    assert_string_equal(t->tags[1], "b");
    assert_null(t->tags[2]);
    assert_int_equal(t->labels.count, 2);
    assert_string_equal(scalekit_string_map_get(&t->labels, "k2"), "v2");
    assert_string_equal(scalekit_string_map_get(&t->labels, "k1"), "v1");
    assert_null(scalekit_string_map_get(&t->labels, "k3"));
    assert_string_equal(t->inner.name, "in");
    assert_int_equal(t->inner.rank, 3);
    assert_non_null(t->inner_ptr);
    assert_string_equal(t->inner_ptr->name, "p");
    assert_int_equal(t->inner_ptr->rank, 4);
    assert_int_equal(t->item_count, 2);
    assert_string_equal(t->items[0]->name, "x");
    assert_int_equal(t->items[1]->rank, 2);
    assert_string_equal(t->extra, "{\"deep\":[1,true,null]}");
    /* Without a response text, raw_json is the object itself, unknown members included. */
    assert_non_null(strstr(t->raw_json, "\"unknown\":{\"ignored\":1}"));
    skit_result_free(t);
}

static void missing_fields_stay_zero(void **state)
{
    (void)state;
    thing *t = decode_text("{}", "{\"thing\":{}}");
    assert_null(t->name);
    assert_false(t->flag);
    assert_int_equal(t->i32, 0);
    assert_true(t->i64 == 0 && t->when == 0);
    assert_null(t->opt_flag);
    assert_null(t->opt_i32);
    assert_null(t->opt_i64);
    assert_null(t->tags);
    assert_null(t->labels.entries);
    assert_int_equal(t->labels.count, 0);
    assert_null(t->inner.name);
    assert_null(t->inner_ptr);
    assert_null(t->items);
    assert_int_equal(t->item_count, 0);
    assert_null(t->extra);
    /* A response text given is kept verbatim as raw_json. */
    assert_string_equal(t->raw_json, "{\"thing\":{}}");
    skit_result_free(t);
}

static void wrong_types_are_ignored(void **state)
{
    (void)state;
    thing *t = decode_text(
        "{\"name\":12,\"flag\":\"true\",\"i32\":\"x1\",\"i64\":1.5,\"when\":1739600624,"
        "\"opt_flag\":1,\"opt_i32\":true,\"opt_i64\":\"\",\"tags\":[1,\"ok\",null,{}],"
        "\"labels\":{\"n\":1,\"s\":\"v\"},\"inner\":[1],\"inner_ptr\":\"str\","
        "\"items\":[1,{\"name\":\"only\"},\"x\"]}",
        NULL);
    assert_null(t->name);
    assert_false(t->flag);
    assert_int_equal(t->i32, 0);
    assert_true(t->i64 == 0);
    assert_true(t->when == 0);
    assert_null(t->opt_flag);
    assert_null(t->opt_i32);
    assert_null(t->opt_i64);
    assert_string_equal(t->tags[0], "ok");
    assert_null(t->tags[1]);
    assert_int_equal(t->labels.count, 1);
    assert_string_equal(t->labels.entries[0].name, "s");
    assert_null(t->inner.name);
    assert_null(t->inner_ptr);
    assert_int_equal(t->item_count, 1);
    assert_string_equal(t->items[0]->name, "only");
    skit_result_free(t);
}

static void null_members_and_ranges(void **state)
{
    (void)state;
    thing *t = decode_text(
        "{\"name\":null,\"i32\":2147483648,\"opt_i32\":\"-2147483648\",\"i64\":\"-12\","
        "\"opt_i64\":\"99999999999999999999\",\"tags\":[],\"labels\":{},\"items\":[]}", NULL);
    assert_null(t->name);
    assert_int_equal(t->i32, 0);               /* out of int32 range: ignored */
    assert_non_null(t->opt_i32);
    assert_int_equal(*t->opt_i32, INT32_MIN);
    assert_true(t->i64 == -12);
    assert_null(t->opt_i64);                   /* overflows int64: ignored */
    assert_non_null(t->tags);                  /* an empty list is an empty list */
    assert_null(t->tags[0]);
    assert_int_equal(t->labels.count, 0);
    assert_int_equal(t->item_count, 0);
    skit_result_free(t);

    /* Signs, blanks and hex in a numeric string are refused. */
    const char *bad[] = { "\"+5\"", "\" 5\"", "\"5 \"", "\"0x10\"", "\"-\"", "\"\"", "\"1e3\"" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[64];
        snprintf(text, sizeof text, "{\"i64\":%s,\"i32\":%s}", bad[i], bad[i]);
        t = decode_text(text, NULL);
        assert_true(t->i64 == 0);
        assert_int_equal(t->i32, 0);
        skit_result_free(t);
    }
}

static void timestamps(void **state)
{
    (void)state;
    struct { const char *text; int64_t want; } cases[] = {
        { "{\"when\":\"2025-02-15T06:23:44.560000Z\"}", INT64_C(1739600624) },
        { "{\"when\":\"2025-02-15T06:23:44.5Z\"}", INT64_C(1739600624) },
        { "{\"when\":\"2025-02-15T07:23:44+01:00\"}", INT64_C(1739600624) },
        { "{\"when\":\"1970-01-01T00:00:00Z\"}", 0 },
        { "{\"when\":\"not a time\"}", 0 },
        { "{\"when\":\"2025-13-15T06:23:44Z\"}", 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        thing *t = decode_text(cases[i].text, NULL);
        assert_true(t->when == cases[i].want);
        skit_result_free(t);
    }
}

static void decode_into_existing_result_and_non_object(void **state)
{
    (void)state;
    thing *t = skit_result_new(sizeof *t);
    assert_non_null(t);
    json_t *arr = json_array();
    assert_int_equal(skit_decode(t, &thing_schema, arr, t), SCALEKIT_OK);
    assert_null(t->name);
    json_decref(arr);
    json_t *obj = json_pack("{s:s}", "name", "n");
    assert_int_equal(skit_decode(t, &thing_schema, obj, t), SCALEKIT_OK);
    assert_string_equal(t->name, "n");
    json_decref(obj);
    skit_result_free(t);
}

static char *encode_text(const thing *t)
{
    json_t *out = NULL;
    assert_int_equal(skit_encode(&thing_schema, t, &out), SCALEKIT_OK);
    char *text = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(out);
    assert_non_null(text);
    return text;
}

static void encoder_every_type(void **state)
{
    (void)state;
    static const char *const tags[] = { "a", "b", NULL };
    static const scalekit_header labels[] = { { "k", "v" } };
    static const item x = { "x", 1 }, y = { "y", 2 };
    static const item *const items[] = { &x, &y };
    static const item ptr = { "p", 5 };
    thing t = {
        .name = "acme", .flag = true, .i32 = -3, .i64 = INT64_C(9007199254740993),
        .when = INT64_C(1739600624),
        .opt_flag = &(bool){ false }, .opt_i32 = &(int32_t){ 0 }, .opt_i64 = &(int64_t){ 7 },
        .tags = tags, .labels = { labels, 1 }, .inner = { "in", 9 }, .inner_ptr = &ptr,
        .items = items, .item_count = 2, .extra = "[1,{\"a\":null}]", .raw_json = "ignored",
    };
    char *text = encode_text(&t);
    assert_string_equal(text,
        "{\"extra\":[1,{\"a\":null}],\"flag\":true,\"i32\":-3,\"i64\":\"9007199254740993\","
        "\"inner\":{\"name\":\"in\",\"rank\":9},\"inner_ptr\":{\"name\":\"p\",\"rank\":5},"
        "\"items\":[{\"name\":\"x\",\"rank\":1},{\"name\":\"y\",\"rank\":2}],"
        "\"labels\":{\"k\":\"v\"},\"name\":\"acme\",\"opt_flag\":false,\"opt_i32\":0,"
        "\"opt_i64\":\"7\",\"tags\":[\"a\",\"b\"],\"when\":\"2025-02-15T06:23:44.000000Z\"}");
    free(text);

    /* What was encoded decodes back to the same values. */
    json_t *obj = NULL;
    assert_int_equal(skit_encode(&thing_schema, &t, &obj), SCALEKIT_OK);
    void *back = NULL;
    assert_int_equal(skit_decode_new(&thing_schema, obj, NULL, &back), SCALEKIT_OK);
    json_decref(obj);
    const thing *b = back;
    assert_true(b->i64 == t.i64 && b->when == t.when && b->item_count == 2);
    assert_string_equal(b->inner_ptr->name, "p");
    skit_result_free(back);
}

static void encoder_leaves_out_absent(void **state)
{
    (void)state;
    thing t = { 0 };
    char *text = encode_text(&t);
    /* Plain scalars are always sent; pointers, NULL strings and a zero time are not. */
    assert_string_equal(text, "{\"flag\":false,\"i32\":0,\"i64\":\"0\",\"inner\":{\"rank\":0}}");
    free(text);

    /* A map with entries but no count is an empty object; an empty item list an empty array. */
    static const scalekit_header none[1] = { { "unused", "x" } };
    static const item z = { "z", 0 };
    static const item *const no_items[1] = { &z };
    t.labels.entries = none;
    t.items = no_items;
    text = encode_text(&t);
    assert_non_null(strstr(text, "\"labels\":{}"));
    assert_non_null(strstr(text, "\"items\":[]"));
    free(text);
}

static void encoder_flags(void **state)
{
    (void)state;
    typedef struct in { const char *id; const char *maybe; const char *plain; } in;
    static const skit_field fields[] = {
        SKIT_FIELD_RO(in, id, SKIT_F_STRING),
        SKIT_FIELD_NAMED(in, maybe, "maybe", SKIT_F_STRING, SKIT_FIELD_OMIT_EMPTY),
        SKIT_FIELD(in, plain, SKIT_F_STRING),
    };
    static const skit_schema schema = SKIT_SCHEMA(in, "in", fields);
    in v = { "id_1", "", "" };
    json_t *out = NULL;
    assert_int_equal(skit_encode(&schema, &v, &out), SCALEKIT_OK);
    char *text = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
    assert_string_equal(text, "{\"plain\":\"\"}");   /* "" is sent unless OMIT_EMPTY */
    free(text);
    json_decref(out);
}

static void encoder_refuses_bad_input(void **state)
{
    (void)state;
    json_t *out = (json_t *)1;
    thing t = { .extra = "{not json" };
    assert_int_equal(skit_encode(&thing_schema, &t, &out), SCALEKIT_EINVAL);
    assert_null(out);
    assert_non_null(strstr(scalekit_error_last()->message, "extra"));

    /* An empty name is JSON (the server judges it); a NULL name is not. */
    static const scalekit_header unnamed[] = { { NULL, "v" } };
    thing m = { .labels = { unnamed, 1 } };
    assert_int_equal(skit_encode(&thing_schema, &m, &out), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "thing.labels entry 0 has a NULL name");
    static const scalekit_header empty_name[] = { { "", "v" } };
    thing e = { .labels = { empty_name, 1 } };
    assert_int_equal(skit_encode(&thing_schema, &e, &out), SCALEKIT_OK);
    json_decref(out);

    static const scalekit_header no_value[] = { { "k", NULL } };
    thing n = { .labels = { no_value, 1 } };
    assert_int_equal(skit_encode(&thing_schema, &n, &out), SCALEKIT_EINVAL);

    thing u = { .name = "\xff\xfe" };
    assert_int_equal(skit_encode(&thing_schema, &u, &out), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "thing.name is not valid UTF-8");

    static const item x = { "x", 1 };
    static const item *const holey[] = { &x, NULL };
    thing h = { .items = holey, .item_count = 2 };
    assert_int_equal(skit_encode(&thing_schema, &h, &out), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "thing.items item 1 is NULL");

    static const char *const bad_tags[] = { "ok", "\xc3", NULL };
    thing l = { .tags = bad_tags };
    assert_int_equal(skit_encode(&thing_schema, &l, &out), SCALEKIT_EINVAL);
    assert_non_null(strstr(scalekit_error_last()->message, "tags item 1"));
}

static int path_of(char **out, const char *pattern, ...)
{
    va_list ap;
    va_start(ap, pattern);
    int rc = skit_op_path(out, pattern, ap);
    va_end(ap);
    return rc;
}

static void checks_and_paths(void **state)
{
    (void)state;
    assert_int_equal(skit_check_required("", "organization_id"), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "organization_id must not be empty");
    assert_int_equal(skit_check_required(NULL, "id"), SCALEKIT_EINVAL);
    assert_int_equal(skit_check_required("x", "id"), SCALEKIT_OK);
    assert_int_equal(skit_check_out(NULL, "out"), SCALEKIT_EINVAL);

    char *path = NULL;
    assert_int_equal(path_of(&path, "/api/v1/organizations/{organization_id}/roles/{role}",
                             "org 1/a", "r?#%"), SCALEKIT_OK);
    assert_string_equal(path, "/api/v1/organizations/org%201%2Fa/roles/r%3F%23%25");
    free(path);
    assert_int_equal(path_of(&path, "/api/v1/organizations"), SCALEKIT_OK);
    assert_string_equal(path, "/api/v1/organizations");
    free(path);

    /* Each refusal names the argument of the template. */
    assert_int_equal(path_of(&path, "/a/{organization_id}", ""), SCALEKIT_EINVAL);
    assert_null(path);
    assert_string_equal(scalekit_error_last()->message, "organization_id must not be empty");
    assert_int_equal(path_of(&path, "/a/{id}/b", NULL), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "id must not be empty");
    assert_int_equal(path_of(&path, "/a/{id}/b", "."), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "id \".\" is not a valid path segment");
    assert_int_equal(path_of(&path, "/a/{id}/b", ".."), SCALEKIT_EINVAL);
    assert_int_equal(path_of(&path, "/a/{external_id}", "caf\xc3"), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "external_id is not valid UTF-8");

    /* A list table without items or next_page_token cannot drive an iterator. */
    static const skit_op bad_list = { "GET", "/x", NULL, NULL, NULL, NULL, &item_schema };
    skit_iterator *it = (skit_iterator *)&path;
    assert_int_equal(skit_op_iterator_new((scalekit_client *)&path, &bad_list, NULL, &it),
                     SCALEKIT_EINTERNAL);
    assert_null(it);

    scalekit_string_map map = { NULL, 0 };
    assert_null(scalekit_string_map_get(&map, "a"));
    assert_null(scalekit_string_map_get(NULL, "a"));
}

static void utf8_validation(void **state)
{
    (void)state;
    const char *good[] = { "", "ascii", "\xc3\xbc", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
                           "\xf4\x8f\xbf\xbf", "\xed\x9f\xbf" };
    const char *bad[] = { "\x80", "\xc0\xaf", "\xc1\xbf", "\xc3", "\xe2\x82", "\xe0\x80\xaf",
                          "\xed\xa0\x80" /* surrogate */, "\xf0\x80\x80\xaf",
                          "\xf4\x90\x80\x80" /* > U+10FFFF */, "\xf5\x80\x80\x80", "a\xffz" };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(skit_utf8_valid(good[i]));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (skit_utf8_valid(bad[i]))
            fail_msg("bad case %zu passed", i);
    }
    assert_int_equal(skit_check_utf8(NULL, "x"), SCALEKIT_OK);
    assert_int_equal(skit_check_utf8("\xc3", "slug"), SCALEKIT_EINVAL);
    assert_string_equal(scalekit_error_last()->message, "slug is not valid UTF-8");
}

/* A caller-filled struct of two layouts: v1 (what an older program has) and v2. */
typedef struct opts_v1 {
    size_t struct_size;
    const char *name;
} opts_v1;
typedef struct opts_v2 {
    size_t struct_size;
    const char *name;
    uint32_t page_size;
} opts_v2;
static const skit_field opts_fields[] = {
    SKIT_FIELD_STRUCT_SIZE(opts_v2, OPTS_V2_INIT),
    SKIT_FIELD(opts_v2, name, SKIT_F_STRING),
    SKIT_FIELD_NAMED(opts_v2, page_size, "page_size", SKIT_F_UINT32, SKIT_FIELD_OMIT_EMPTY),
};
static const skit_schema opts_schema = SKIT_SCHEMA(opts_v2, "opts", opts_fields);

static char *encode_opts(const void *in, int want)
{
    json_t *out = NULL;
    assert_int_equal(skit_encode(&opts_schema, in, &out), want);
    if (!out)
        return NULL;
    char *text = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(out);
    return text;
}

static void struct_size_growth(void **state)
{
    (void)state;
    opts_v2 now = { sizeof now, "n", 7 };
    char *text = encode_opts(&now, SCALEKIT_OK);
    assert_string_equal(text, "{\"name\":\"n\",\"page_size\":7}");
    free(text);

    /* An older caller's struct: the library reads its bytes only, and page_size
     * (which lies past them, here in poisoned memory) is the default. */
    struct { opts_v1 v1; uint32_t poison; } old = { { sizeof(opts_v1), "n" }, 12345 };
    text = encode_opts(&old.v1, SCALEKIT_OK);
    assert_string_equal(text, "{\"name\":\"n\"}");
    free(text);

    /* Not initialised: refused with the name of the macro to use. */
    opts_v2 unset = { 0, "n", 7 };
    assert_null(encode_opts(&unset, SCALEKIT_EINVAL));
    assert_string_equal(scalekit_error_last()->message,
                        "opts.struct_size is 0: initialise the struct with OPTS_V2_INIT");

    /* A newer caller's larger struct: fine while its unknown members are zero. */
    struct { opts_v2 v2; uint64_t newer; } big = { { sizeof big, "n", 0 }, 0 };
    text = encode_opts(&big, SCALEKIT_OK);
    assert_string_equal(text, "{\"name\":\"n\"}");
    free(text);
    big.newer = 1;
    assert_null(encode_opts(&big, SCALEKIT_EINVAL));
    assert_non_null(strstr(scalekit_error_last()->message, "opts sets a member unknown"));

    /* NULL is every default; decoding sets struct_size to the library's size. */
    opts_v2 copy;
    assert_int_equal(skit_struct_copy(&copy, sizeof copy, NULL, "opts", "OPTS_V2_INIT"),
                     SCALEKIT_OK);
    assert_int_equal(copy.struct_size, sizeof copy);
    assert_null(copy.name);
    json_t *obj = json_pack("{s:s, s:I}", "name", "d", "page_size", (json_int_t)4294967295LL);
    void *back = NULL;
    assert_int_equal(skit_decode_new(&opts_schema, obj, NULL, &back), SCALEKIT_OK);
    assert_int_equal(((opts_v2 *)back)->struct_size, sizeof(opts_v2));
    assert_true(((opts_v2 *)back)->page_size == UINT32_MAX);
    skit_result_free(back);
    json_decref(obj);
    obj = json_pack("{s:I}", "page_size", (json_int_t)4294967296LL);   /* out of range: 0 */
    assert_int_equal(skit_decode_new(&opts_schema, obj, NULL, &back), SCALEKIT_OK);
    assert_int_equal(((opts_v2 *)back)->page_size, 0);
    skit_result_free(back);
    json_decref(obj);
}

/* An inlined member object and the query form of an encoded struct. */
static void inline_and_query(void **state)
{
    (void)state;
    typedef struct outer { const char *display_name; const opts_v2 *opts; } outer;
    static const skit_field outer_fields[] = {
        SKIT_FIELD(outer, display_name, SKIT_F_STRING),
        SKIT_FIELD_INLINE(outer, opts, opts_schema),
    };
    static const skit_schema outer_schema = SKIT_SCHEMA(outer, "outer", outer_fields);
    opts_v2 o = { sizeof o, "a b&c", 3 };
    outer v = { "Acme", &o };
    json_t *obj = NULL;
    assert_int_equal(skit_encode(&outer_schema, &v, &obj), SCALEKIT_OK);
    char *text = json_dumps(obj, JSON_COMPACT);
    assert_string_equal(text, "{\"display_name\":\"Acme\",\"name\":\"a b&c\",\"page_size\":3}");
    free(text);

    skit_buf q = SKIT_BUF_INIT;
    json_t *list = json_pack("[s,s]", "sso", "dir sync");
    json_object_set_new(obj, "features", list);
    json_object_set_new(obj, "flag", json_true());
    assert_int_equal(skit_query_from_json(obj, &q), SCALEKIT_OK);
    assert_string_equal(q.ptr, "display_name=Acme&name=a%20b%26c&page_size=3&features=sso"
                               "&features=dir%20sync&flag=true");
    skit_buf_free(&q);
    json_decref(obj);

    /* The inlined struct is read through its struct_size too. */
    o.struct_size = 0;
    assert_int_equal(skit_encode(&outer_schema, &v, &obj), SCALEKIT_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_type),
        cmocka_unit_test(missing_fields_stay_zero),
        cmocka_unit_test(wrong_types_are_ignored),
        cmocka_unit_test(null_members_and_ranges),
        cmocka_unit_test(timestamps),
        cmocka_unit_test(decode_into_existing_result_and_non_object),
        cmocka_unit_test(encoder_every_type),
        cmocka_unit_test(encoder_leaves_out_absent),
        cmocka_unit_test(encoder_flags),
        cmocka_unit_test(encoder_refuses_bad_input),
        cmocka_unit_test(checks_and_paths),
        cmocka_unit_test(utf8_validation),
        cmocka_unit_test(struct_size_growth),
        cmocka_unit_test(inline_and_query),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
