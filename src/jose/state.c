/* Per-client JOSE state: the JWKS cache and the verified-token cache. */
#include <stdlib.h>

#include "../core/client_internal.h"

struct skit_jose_state {
    scalekit_client *client;
};

struct skit_jose_state *skit_jose_state_new(scalekit_client *client)
{
    struct skit_jose_state *s = calloc(1, sizeof *s);
    if (s)
        s->client = client;
    return s;
}

void skit_jose_state_free(struct skit_jose_state *state)
{
    free(state);
}
