/* PKCE (RFC 7636): the Appendix B vector, generated pairs, refused verifiers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scalekit/scalekit.h"

static bool all_unreserved(const char *s)
{
    for (; *s; s++) {
        if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~", *s))
            return false;
    }
    return true;
}

static void rfc7636_appendix_b_vector(void **state)
{
    (void)state;
    char challenge[64];
    assert_int_equal(scalekit_pkce_challenge_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
                                                  challenge, sizeof challenge), SCALEKIT_OK);
    assert_string_equal(challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

static void generated_pair_is_well_formed(void **state)
{
    (void)state;
    scalekit_pkce pkce;
    assert_int_equal(scalekit_generate_pkce(&pkce), SCALEKIT_OK);
    assert_int_equal(strlen(pkce.code_verifier), 43);
    assert_true(all_unreserved(pkce.code_verifier));
    assert_int_equal(strlen(pkce.code_challenge), 43);
    assert_true(all_unreserved(pkce.code_challenge));
    assert_string_equal(pkce.code_challenge_method, "S256");

    char challenge[64];
    assert_int_equal(scalekit_pkce_challenge_s256(pkce.code_verifier, challenge, sizeof challenge),
                     SCALEKIT_OK);
    assert_string_equal(challenge, pkce.code_challenge);
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static void thousand_verifiers_are_distinct(void **state)
{
    (void)state;
    enum { N = 1000 };
    char (*verifiers)[129] = calloc(N, sizeof *verifiers);
    assert_non_null(verifiers);
    for (int i = 0; i < N; i++) {
        scalekit_pkce pkce;
        assert_int_equal(scalekit_generate_pkce(&pkce), SCALEKIT_OK);
        memcpy(verifiers[i], pkce.code_verifier, sizeof pkce.code_verifier);
    }
    qsort(verifiers, N, sizeof *verifiers, compare_strings);
    for (int i = 1; i < N; i++)
        assert_string_not_equal(verifiers[i - 1], verifiers[i]);
    free(verifiers);
}

static void bad_verifiers_are_refused(void **state)
{
    (void)state;
    char challenge[64];
    char long_verifier[200];
    memset(long_verifier, 'a', 129);
    long_verifier[129] = '\0';
    const char *bad[] = {
        "",
        "tooshort",
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjX",       /* 42 characters */
        "dBjftJeZ4CVP+mB92K27uhbUJU1p1r_wW1gFWFOEjXk",      /* '+' is not unreserved */
        "dBjftJeZ4CVP mB92K27uhbUJU1p1r_wW1gFWFOEjXk",      /* space */
        "dBjftJeZ4CVP=mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
        "dBjftJeZ4CVP\xc3\xa9mB92K27uhbUJU1p1r_wW1gFWFOEjXk", /* non-ASCII */
        long_verifier,
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        strcpy(challenge, "untouched");
        assert_int_equal(scalekit_pkce_challenge_s256(bad[i], challenge, sizeof challenge),
                         SCALEKIT_EINVAL);
        assert_int_equal(scalekit_error_last()->code, SCALEKIT_EINVAL);
        assert_non_null(scalekit_error_last()->message);
        assert_non_null(strstr(scalekit_error_last()->message, "code_verifier"));
    }
    assert_int_equal(scalekit_pkce_challenge_s256(NULL, challenge, sizeof challenge), SCALEKIT_EINVAL);

    /* 128 characters is the longest allowed, and all four symbols are fine. */
    memset(long_verifier, 'a', 124);
    memcpy(long_verifier + 124, "-._~", 5);
    assert_int_equal(scalekit_pkce_challenge_s256(long_verifier, challenge, sizeof challenge),
                     SCALEKIT_OK);
}

static void bad_outputs_are_refused(void **state)
{
    (void)state;
    char small[43];
    assert_int_equal(scalekit_pkce_challenge_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
                                                  small, sizeof small), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_pkce_challenge_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
                                                  NULL, 64), SCALEKIT_EINVAL);
    assert_int_equal(scalekit_generate_pkce(NULL), SCALEKIT_EINVAL);
    char exact[44];
    assert_int_equal(scalekit_pkce_challenge_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
                                                  exact, sizeof exact), SCALEKIT_OK);
    assert_string_equal(exact, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rfc7636_appendix_b_vector),
        cmocka_unit_test(generated_pair_is_well_formed),
        cmocka_unit_test(thousand_verifiers_are_distinct),
        cmocka_unit_test(bad_verifiers_are_refused),
        cmocka_unit_test(bad_outputs_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
