/* libFuzzer target: WebAuthn attestation objects (emulator/webauthn_parse.c)
 * and the whole registration check on them (webauthn_verify.c: statement
 * formats none and packed, signature over authData || clientDataHash). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "webauthn.h"

static const char client_data[] =
    "{\"type\":\"webauthn.create\",\"challenge\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\","
    "\"origin\":\"http://localhost:8080\"}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    emu_wa_attestation att;
    emu_wa_why why = {{0}};
    if (emu_wa_attestation_parse(data, size, &att, &why) == 0) {
        if (!att.fmt[0] || !att.auth_data)
            __builtin_trap();
        emu_wa_attestation_clear(&att);
    } else if (!why.text[0]) {
        __builtin_trap();
    }
    static const char *const origins[] = {"http://localhost:8080", NULL};
    emu_wa_expect x = {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", origins, "localhost", false};
    emu_wa_registration reg;
    if (emu_wa_verify_registration(&x, (const unsigned char *)client_data, strlen(client_data), data, size, &reg,
                                   &why) == 0) {
        if (!reg.public_key_der || !reg.credential_id)
            __builtin_trap();
        emu_wa_registration_clear(&reg);
    }
    return 0;
}
