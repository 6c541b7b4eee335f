/*
 * The emulator's WebAuthn parsers and checks on hand-made bytes: every
 * truncation of good authenticator data refused, bytes left over, credential id
 * bounds, COSE keys of the wrong type, algorithm, curve or point, duplicate
 * labels, CBOR that declares more than it holds (before libcbor allocates),
 * nests too deep, or uses indefinite lengths and tags; attestation objects with
 * trailing bytes or a format name with a NUL; clientDataJSON of the wrong shape;
 * a signature checked only with a key of its algorithm's type.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/ec.h>
#include <openssl/evp.h>

#include "soft_authenticator.h"
#include "webauthn.h"

/* @p why must hold @p words. */
static void says(const emu_wa_why *why, const char *words)
{
    if (!strstr(why->text, words))
        fail_msg("\"%s\" does not say \"%s\"", why->text, words);
}

static void auth_data_every_truncation_is_refused(void **state)
{
    (void)state;
    soft_authn *a = soft_authn_new(-7, "http://localhost");
    size_t len = 0;
    unsigned char *ad = soft_authn_auth_data(a, "localhost", 0x45, 9, &len);
    emu_wa_auth_data out;
    emu_wa_why why;
    assert_int_equal(emu_wa_auth_data_parse(ad, len, &out, &why), 0);
    assert_int_equal(out.flags, 0x45);
    assert_int_equal(out.sign_count, 9);
    assert_int_equal(out.credential_id_len, 16);
    assert_int_equal(out.alg, EMU_COSE_ES256);
    assert_non_null(out.public_key);
    assert_int_equal(out.aaguid[0], 0xab);
    emu_wa_auth_data_clear(&out);
    for (size_t n = 0; n < len; n++)
        assert_int_equal(emu_wa_auth_data_parse(ad, n, &out, &why), -1);
    assert_int_equal(emu_wa_auth_data_parse(ad, 20, &out, &why), -1);
    says(&why, "fewer than the 37 of its header");
    /* one byte more than the key: left over */
    unsigned char *longer = malloc(len + 1);
    memcpy(longer, ad, len);
    longer[len] = 0;
    assert_int_equal(emu_wa_auth_data_parse(longer, len + 1, &out, &why), -1);
    says(&why, "1 bytes left over");
    /* a credential id of length 0, and one longer than the rest */
    longer[53] = 0;
    longer[54] = 0;
    assert_int_equal(emu_wa_auth_data_parse(longer, len, &out, &why), -1);
    says(&why, "credential id length 0 is not 1 to 1023");
    longer[53] = 0x04;
    assert_int_equal(emu_wa_auth_data_parse(longer, len, &out, &why), -1);
    says(&why, "credential id length 1024");
    /* an assertion's data (no AT) is the header alone; ED without extensions is truncated */
    unsigned char *plain = soft_authn_auth_data(a, "localhost", 0x05, 1, &len);
    assert_int_equal(emu_wa_auth_data_parse(plain, len, &out, &why), 0);
    assert_null(out.public_key);
    plain[32] = 0x85;
    assert_int_equal(emu_wa_auth_data_parse(plain, len, &out, &why), -1);
    says(&why, "CBOR truncated");
    unsigned char big[EMU_WA_MAX_AUTH_DATA + 1] = {0};
    assert_int_equal(emu_wa_auth_data_parse(big, sizeof big, &out, &why), -1);
    says(&why, "more than 16384");
    free(plain);
    free(longer);
    free(ad);
    soft_authn_free(a);
}

/* COSE keys: the two accepted, and each way to be wrong. */
static void cose_keys(void **state)
{
    (void)state;
    EVP_PKEY *key = NULL;
    int alg = 0;
    size_t used = 0;
    emu_wa_why why;
    soft_authn *rsa = soft_authn_new(-257, "http://localhost");
    size_t len = 0;
    unsigned char *k = soft_authn_cose_key(rsa, &len);
    assert_int_equal(emu_wa_cose_key_parse(k, len, &key, &alg, &used, &why), 0);
    assert_int_equal(alg, EMU_COSE_RS256);
    assert_int_equal(used, len);
    assert_true(EVP_PKEY_is_a(key, "RSA"));
    EVP_PKEY_free(key);
    free(k);
    soft_authn_free(rsa);

    /* EC2 with alg -35 (ES384) */
    static const unsigned char es384[] = {0xa2, 0x01, 0x02, 0x03, 0x38, 0x22};
    assert_int_equal(emu_wa_cose_key_parse(es384, sizeof es384, &key, &alg, &used, &why), -1);
    says(&why, "EC2 with alg -35, only ES256 (-7)");
    /* OKP (Ed25519) */
    static const unsigned char okp[] = {0xa2, 0x01, 0x01, 0x03, 0x27};
    assert_int_equal(emu_wa_cose_key_parse(okp, sizeof okp, &key, &alg, &used, &why), -1);
    says(&why, "kty 1 is not EC2 (2) or RSA (3)");
    /* P-384 curve */
    static const unsigned char p384[] = {0xa3, 0x01, 0x02, 0x03, 0x26, 0x20, 0x02};
    assert_int_equal(emu_wa_cose_key_parse(p384, sizeof p384, &key, &alg, &used, &why), -1);
    says(&why, "curve (-1) must be P-256 (1)");
    /* a point that is not on the curve (x = y = 1) */
    unsigned char off[80] = {0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20};
    off[10 + 31] = 1;
    off[42] = 0x22;
    off[43] = 0x58;
    off[44] = 0x20;
    off[45 + 31] = 1;
    assert_int_equal(emu_wa_cose_key_parse(off, 77, &key, &alg, &used, &why), -1);
    says(&why, "P-256 point is not on the curve");
    /* a duplicate label: kty twice */
    static const unsigned char dup[] = {0xa3, 0x01, 0x02, 0x01, 0x03, 0x03, 0x26};
    assert_int_equal(emu_wa_cose_key_parse(dup, sizeof dup, &key, &alg, &used, &why), -1);
    says(&why, "duplicate COSE_Key label");
    /* not a map */
    static const unsigned char text[] = {0x61, 0x61};
    assert_int_equal(emu_wa_cose_key_parse(text, sizeof text, &key, &alg, &used, &why), -1);
    says(&why, "not a COSE_Key map");
}

/* CBOR the header walk refuses before libcbor allocates anything. */
static void cbor_bounds(void **state)
{
    (void)state;
    size_t n = 0;
    emu_wa_why why;
    /* a map declaring 2^32-1 pairs in 9 bytes, and an array of 2^60 items */
    static const unsigned char huge_map[] = {0xba, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02, 0x03, 0x04};
    assert_int_equal(emu_wa_cbor_item_len(huge_map, sizeof huge_map, &n, &why), -1);
    says(&why, "declares 4294967295 items, more than the bytes left");
    static const unsigned char huge_array[] = {0x9b, 0x10, 0, 0, 0, 0, 0, 0, 0, 0x01};
    assert_int_equal(emu_wa_cbor_item_len(huge_array, sizeof huge_array, &n, &why), -1);
    says(&why, "more than the bytes left");
    /* a byte string longer than the input */
    static const unsigned char long_bytes[] = {0x5a, 0x7f, 0xff, 0xff, 0xff, 0x00};
    assert_int_equal(emu_wa_cbor_item_len(long_bytes, sizeof long_bytes, &n, &why), -1);
    says(&why, "CBOR truncated");
    /* nine nested arrays */
    static const unsigned char deep[] = {0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x00};
    assert_int_equal(emu_wa_cbor_item_len(deep, sizeof deep, &n, &why), -1);
    says(&why, "nested deeper than 8 levels");
    assert_int_equal(emu_wa_cbor_item_len(deep + 1, sizeof deep - 1, &n, &why), 0);
    assert_int_equal(n, sizeof deep - 1);
    /* indefinite lengths and tags */
    static const unsigned char indef[] = {0x9f, 0x01, 0xff};
    assert_int_equal(emu_wa_cbor_item_len(indef, sizeof indef, &n, &why), -1);
    says(&why, "an indefinite-length item");
    static const unsigned char tag[] = {0xc1, 0x01};
    assert_int_equal(emu_wa_cbor_item_len(tag, sizeof tag, &n, &why), -1);
    says(&why, "a tag");
    /* an item followed by more: only its own length */
    static const unsigned char two[] = {0xa1, 0x01, 0x02, 0xff, 0xff};
    assert_int_equal(emu_wa_cbor_item_len(two, sizeof two, &n, &why), 0);
    assert_int_equal(n, 3);
    static const unsigned char empty[] = {0};
    assert_int_equal(emu_wa_cbor_item_len(empty, 0, &n, &why), -1);
}

static void attestation_objects(void **state)
{
    (void)state;
    emu_wa_attestation att;
    emu_wa_why why;
    /* {"fmt": "none", "attStmt": {}, "authData": h'00'} */
    unsigned char good[] = {0xa3, 0x63, 'f', 'm', 't', 0x64, 'n', 'o', 'n', 'e', 0x67, 'a', 't', 't', 'S', 't',
                            'm', 't', 0xa0, 0x68, 'a', 'u', 't', 'h', 'D', 'a', 't', 'a', 0x41, 0x00, 0x00};
    assert_int_equal(emu_wa_attestation_parse(good, sizeof good - 1, &att, &why), 0);
    assert_string_equal(att.fmt, "none");
    assert_int_equal(att.auth_data_len, 1);
    assert_int_equal(att.stmt_members, 0);
    emu_wa_attestation_clear(&att);
    assert_int_equal(emu_wa_attestation_parse(good, sizeof good, &att, &why), -1);
    says(&why, "1 bytes after its CBOR map");
    /* "none\0" is not "none": the NUL is kept visible */
    static const unsigned char nul[] = {0xa3, 0x63, 'f', 'm', 't', 0x65, 'n', 'o', 'n', 'e', 0x00, 0x67, 'a', 't',
                                        't', 'S', 't', 'm', 't', 0xa0, 0x68, 'a', 'u', 't', 'h', 'D', 'a', 't', 'a',
                                        0x41, 0x00};
    assert_int_equal(emu_wa_attestation_parse(nul, sizeof nul, &att, &why), 0);
    assert_string_equal(att.fmt, "none?");
    emu_wa_attestation_clear(&att);
    /* authData missing */
    static const unsigned char no_auth[] = {0xa2, 0x63, 'f', 'm', 't', 0x64, 'n', 'o', 'n', 'e', 0x67, 'a', 't',
                                            't', 'S', 't', 'm', 't', 0xa0};
    assert_int_equal(emu_wa_attestation_parse(no_auth, sizeof no_auth, &att, &why), -1);
    says(&why, "authData missing");
    static const unsigned char array[] = {0x80};
    assert_int_equal(emu_wa_attestation_parse(array, sizeof array, &att, &why), -1);
    says(&why, "not a CBOR map");
}

static void client_data_shapes(void **state)
{
    (void)state;
    emu_wa_client_data cd;
    emu_wa_why why;
    const char *ok = "{\"type\":\"webauthn.get\",\"challenge\":\"abc\",\"origin\":\"https://x\",\"crossOrigin\":false}";
    assert_int_equal(emu_wa_client_data_parse((const unsigned char *)ok, strlen(ok), &cd, &why), 0);
    assert_string_equal(cd.type, "webauthn.get");
    assert_string_equal(cd.challenge, "abc");
    assert_string_equal(cd.origin, "https://x");
    assert_false(cd.cross_origin);
    emu_wa_client_data_clear(&cd);
    static const struct { const char *text, *words; } bad[] = {
        {"[]", "not a JSON object"},
        {"{\"type\":\"a\",\"type\":\"b\",\"challenge\":\"c\",\"origin\":\"o\"}", "not a JSON object"},
        {"{\"type\":1,\"challenge\":\"c\",\"origin\":\"o\"}", "type missing"},
        {"{\"type\":\"t\",\"origin\":\"o\"}", "challenge missing"},
        {"{\"type\":\"t\",\"challenge\":\"c\"}", "origin missing"},
        {"{\"type\":\"t\",\"challenge\":\"c\",\"origin\":\"o\",\"crossOrigin\":\"no\"}", "crossOrigin missing"},
        {"{\"type\":\"t\",\"challenge\":\"c\",\"origin\":\"o\\u0000x\"}", "not a JSON object"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(emu_wa_client_data_parse((const unsigned char *)bad[i].text, strlen(bad[i].text), &cd, &why),
                         -1);
        says(&why, bad[i].words);
    }
}

/* ES256 verifies only with an EC key, RS256 only with an RSA key. */
static void signature_needs_the_algorithm_key_type(void **state)
{
    (void)state;
    EVP_PKEY *ec = EVP_EC_gen("P-256");
    unsigned char sig[128];
    size_t sig_len = sizeof sig;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    assert_int_equal(EVP_DigestSignInit_ex(ctx, NULL, "SHA256", NULL, NULL, ec, NULL), 1);
    assert_int_equal(EVP_DigestSign(ctx, sig, &sig_len, (const unsigned char *)"data", 4), 1);
    EVP_MD_CTX_free(ctx);
    assert_true(emu_wa_signature_ok(ec, EMU_COSE_ES256, (const unsigned char *)"data", 4, sig, sig_len));
    assert_false(emu_wa_signature_ok(ec, EMU_COSE_ES256, (const unsigned char *)"datb", 4, sig, sig_len));
    assert_false(emu_wa_signature_ok(ec, EMU_COSE_RS256, (const unsigned char *)"data", 4, sig, sig_len));
    assert_false(emu_wa_signature_ok(ec, -8, (const unsigned char *)"data", 4, sig, sig_len));
    assert_false(emu_wa_signature_ok(ec, EMU_COSE_ES256, (const unsigned char *)"data", 4, sig, 0));
    EVP_PKEY_free(ec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(auth_data_every_truncation_is_refused),
        cmocka_unit_test(cose_keys),
        cmocka_unit_test(cbor_bounds),
        cmocka_unit_test(attestation_objects),
        cmocka_unit_test(client_data_shapes),
        cmocka_unit_test(signature_needs_the_algorithm_key_type),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
