/* libFuzzer target: clientDataJSON (emulator/webauthn_parse.c) and the
 * assertion check that reads it first (webauthn_verify.c). */
#include <stddef.h>
#include <stdint.h>

#include "webauthn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    emu_wa_client_data cd;
    emu_wa_why why = {{0}};
    if (emu_wa_client_data_parse(data, size, &cd, &why) == 0) {
        if (!cd.type || !cd.challenge || !cd.origin)
            __builtin_trap();
        emu_wa_client_data_clear(&cd);
    } else if (!why.text[0]) {
        __builtin_trap();
    }
    /* an assertion with this client data and an empty authenticator data must be refused */
    static const char *const origins[] = {"https://example.com", NULL};
    emu_wa_expect x = {"q83vEjRWeJA", origins, "example.com", false};
    emu_wa_stored cred = {(const unsigned char *)"", 0, EMU_COSE_ES256, 0};
    unsigned flags;
    uint32_t count;
    if (emu_wa_verify_assertion(&x, &cred, data, size, (const unsigned char *)"", 0, (const unsigned char *)"x", 1,
                                &flags, &count, &why) == 0)
        __builtin_trap();
    return 0;
}
