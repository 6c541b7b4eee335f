/* Built against the installed library: checks the headers, the link and a real call. */
#include <scalekit/scalekit.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    scalekit_client *client = NULL;
    char *url = NULL;
    if (strcmp(scalekit_version(), SCALEKIT_VERSION) != 0) {
        fprintf(stderr, "version mismatch: %s vs %s\n", scalekit_version(), SCALEKIT_VERSION);
        return 1;
    }
    if (scalekit_client_new(&client, "https://example.scalekit.dev/", "id", "secret") != SCALEKIT_OK)
        return 1;
    if (scalekit_get_logout_url(client, NULL, &url) != SCALEKIT_OK) {
        scalekit_client_free(client);
        return 1;
    }
    int ok = strcmp(url, "https://example.scalekit.dev/oidc/logout") == 0;
    printf("libscalekit %s: %s\n", scalekit_version(), url);
    scalekit_free(url);
    scalekit_client_free(client);
    /* an invalid call must fail with a code and a message */
    if (scalekit_client_new(&client, "ftp://x", "id", "secret") != SCALEKIT_EINVAL)
        return 1;
    return ok && scalekit_error_last()->message ? 0 : 1;
}
