/* libFuzzer target: WebAuthn authenticator data (emulator/webauthn_parse.c):
 * the header, attested credential data with its COSE key (libcbor after the
 * bounded header walk), extensions, nothing left over. */
#include <stddef.h>
#include <stdint.h>

#include "webauthn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    emu_wa_auth_data ad;
    emu_wa_why why;
    if (emu_wa_auth_data_parse(data, size, &ad, &why) == 0) {
        /* a parsed credential always has a key and an id within the limits */
        if ((ad.flags & EMU_WA_AT) && (!ad.public_key || !ad.credential_id_len ||
                                       ad.credential_id_len > EMU_WA_MAX_CREDENTIAL_ID))
            __builtin_trap();
        emu_wa_auth_data_clear(&ad);
    } else if (!why.text[0]) {
        __builtin_trap();   /* every refusal says why */
    }
    return 0;
}
