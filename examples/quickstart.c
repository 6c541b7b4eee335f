/*
 * quickstart: a walk through the Scalekit SDK for C, one numbered step at a time.
 *
 *   make demo                      # against a local emulator started in-process
 *   SCALEKIT_ENVIRONMENT_URL=https://yourapp.scalekit.dev \
 *   SCALEKIT_CLIENT_ID=skc_... SCALEKIT_CLIENT_SECRET=... build/release/quickstart
 *
 * With the emulator every step runs, the hosted login included (this program
 * plays the browser). Against a real environment the login needs a person and a
 * browser, so the steps that need its code are skipped and the others run.
 *
 * The roles step gives the signed-in member a new role and shows its permission in
 * the refreshed token; against a real environment (no member signed in here) it
 * only creates and deletes the permission and the role.
 *
 * Each step is one function of the table `steps` below; a new step (say, the
 * organizations API) is one more function and one more row.
 * Exit status: 0 when every step that ran succeeded, 1 otherwise.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <curl/curl.h>
#include <jansson.h>

#include "emulator.h"
#include "scalekit/scalekit.h"

#define REDIRECT_URI "http://localhost:8080/callback"
#define DEMO_EMAIL "ada.lovelace@example.com"
#define DEMO_NONCE "demo-nonce"

/* What the steps share. */
typedef struct demo {
    scalekit_emulator *emulator;   /* NULL against a real environment */
    scalekit_client *client;
    const char *env_url;
    const char *client_id;
    const char *client_secret;
    scalekit_pkce pkce;
    char *authorization_url;
    char *code;                    /* NULL until the hosted login is completed */
    scalekit_authentication_response *auth;
    char *access_token;            /* the newest user access token */
    char *refresh_token;           /* the newest refresh token (each refresh rotates it) */
    char *webhook_secret;
    char *org_id;                  /* the quickstart's organization, deleted at the end */
} demo;

/* Print a failed call's code and message; returns 1 (the exit status). */
static int report(const char *what, int rc)
{
    const scalekit_error *e = scalekit_error_last();
    fflush(stdout);   /* keep the failure under its step when both go to a terminal */
    fprintf(stderr, "   FAILED: %s: %s (%d)%s%s\n", what, scalekit_strerror(rc), rc,
            e->message ? ": " : "", e->message ? e->message : "");
    return 1;
}

static void line(const char *label, const char *value)
{
    printf("   %-18s %s\n", label, value ? value : "(none)");
}

/* A long value (a token) shortened for the screen. */
static void line_short(const char *label, const char *value)
{
    if (value && strlen(value) > 48)
        printf("   %-18s %.24s...%s (%zu chars)\n", label, value, value + strlen(value) - 12, strlen(value));
    else
        line(label, value);
}

/* ---- the browser's part, for the emulator only ------------------------------ */

typedef struct text {
    char *p;
    size_t n;
} text;

static size_t collect(char *data, size_t size, size_t n, void *ud)
{
    text *t = ud;
    char *p = realloc(t->p, t->n + size * n + 1);
    if (!p)
        return 0;
    memcpy(p + t->n, data, size * n);
    t->n += size * n;
    p[t->n] = '\0';
    t->p = p;
    return size * n;
}

/* Append the form fields of the login page's hidden inputs to @p form (encoded). */
static void hidden_fields(CURL *curl, const char *html, text *form)
{
    for (const char *p = strstr(html, "<input type=\"hidden\""); p; p = strstr(p + 1, "<input type=\"hidden\"")) {
        const char *name = strstr(p, "name=\""), *value = strstr(p, "value=\""), *end = strchr(p, '>');
        if (!name || !value || !end || name > end || value > end)
            continue;
        name += 6;
        value += 7;
        /* Undo the page's HTML escaping of the value. */
        char raw[2048];
        size_t k = 0;
        for (const char *v = value; *v && *v != '"' && k + 1 < sizeof raw; v++) {
            static const char *const ent[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
            static const char chr[] = "&<>\"'";
            size_t i = 0;
            while (i < 5 && strncmp(v, ent[i], strlen(ent[i])) != 0)
                i++;
            raw[k++] = i < 5 ? chr[i] : *v;
            if (i < 5)
                v += strlen(ent[i]) - 1;
        }
        raw[k] = '\0';
        char *enc = curl_easy_escape(curl, raw, (int)k);
        char field[2300];
        int len = snprintf(field, sizeof field, "%.*s=%s&", (int)strcspn(name, "\""), name, enc ? enc : "");
        curl_free(enc);
        collect(field, 1, (size_t)len, form);
    }
}

/* GET the login page, POST it back with an email: the Location it redirects to. */
static char *hosted_login_location(const char *authorization_url, const char *login_url, const char *email)
{
    CURL *curl = curl_easy_init();
    text page = {0}, form = {0};
    char *out = NULL;
    if (!curl)
        return NULL;
    curl_easy_setopt(curl, CURLOPT_URL, authorization_url);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &page);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
    long status = 0;
    if (curl_easy_perform(curl) == CURLE_OK)
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (status == 200 && page.p) {
        hidden_fields(curl, page.p, &form);
        char *enc = curl_easy_escape(curl, email, 0);
        collect("email=", 1, 6, &form);
        collect(enc, 1, strlen(enc), &form);
        curl_free(enc);
        curl_easy_setopt(curl, CURLOPT_URL, login_url);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, form.p);
        status = 0;
        char *location = NULL;
        if (curl_easy_perform(curl) == CURLE_OK) {
            curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
            curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &location);
        }
        if (status == 302 && location)
            out = strdup(location);
    }
    free(page.p);
    free(form.p);
    curl_easy_cleanup(curl);
    return out;
}

/* The code of a redirect back to the app, or NULL (malloc'd). */
static char *code_of(const char *location)
{
    const char *c = location ? strstr(location, "code=") : NULL;
    return c ? strndup(c + 5, strcspn(c + 5, "&#")) : NULL;
}

/* GET the login page, POST it back with an email: the code from the redirect. */
static char *complete_hosted_login(const char *authorization_url, const char *login_url, const char *email)
{
    char *location = hosted_login_location(authorization_url, login_url, email);
    char *code = code_of(location);
    free(location);
    return code;
}

/* GET @p url: the Location it redirects to (malloc'd), NULL when it does not. */
static char *redirect_of(const char *url)
{
    CURL *curl = curl_easy_init();
    text body = {0};
    char *location = NULL, *out = NULL;
    long status = 0;
    if (!curl)
        return NULL;
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
    if (curl_easy_perform(curl) == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &location);
    }
    if (status == 302 && location)
        out = strdup(location);
    free(body.p);
    curl_easy_cleanup(curl);
    return out;
}

/* ---- the steps ----------------------------------------------------------------- */

static int step_environment(demo *d)
{
    line("environment", d->env_url);
    line("client id", d->client_id);
    line("mode", d->emulator ? "local emulator, started in-process" : "real Scalekit environment");
    int rc = scalekit_client_new(&d->client, d->env_url, d->client_id, d->client_secret);
    if (rc != SCALEKIT_OK)
        return report("scalekit_client_new", rc);
    line("SDK version", scalekit_version());
    return 0;
}

static int step_authorization_url(demo *d)
{
    int rc = scalekit_generate_pkce(&d->pkce);
    if (rc != SCALEKIT_OK)
        return report("scalekit_generate_pkce", rc);
    /* A real app makes state and nonce random per login and keeps them in the session. */
    scalekit_authorization_url_options o = { .struct_size = sizeof(scalekit_authorization_url_options), .state = "demo-state", .nonce = DEMO_NONCE,
                                            .code_challenge = d->pkce.code_challenge,
                                            .code_challenge_method = d->pkce.code_challenge_method,
                                            .login_hint = DEMO_EMAIL};
    rc = scalekit_get_authorization_url(d->client, REDIRECT_URI, &o, &d->authorization_url);
    if (rc != SCALEKIT_OK)
        return report("scalekit_get_authorization_url", rc);
    line("PKCE verifier", d->pkce.code_verifier);
    line("PKCE challenge", d->pkce.code_challenge);
    printf("   open this URL in a browser to sign in:\n   %s\n", d->authorization_url);
    return 0;
}

static int step_hosted_login(demo *d)
{
    if (!d->emulator) {
        printf("   skipped: signing in needs a person and a browser (open the URL above);\n"
               "   your app then receives ?code=... at %s\n", REDIRECT_URI);
        return 0;
    }
    char login_url[256];
    snprintf(login_url, sizeof login_url, "%s/oauth/authorize", d->env_url);
    d->code = complete_hosted_login(d->authorization_url, login_url, DEMO_EMAIL);
    if (!d->code) {
        fprintf(stderr, "   FAILED: the hosted login page did not redirect back with a code\n");
        return 1;
    }
    line("signed in as", DEMO_EMAIL);
    line("code", d->code);
    return 0;
}

static int step_code_exchange(demo *d)
{
    if (!d->code) {
        printf("   skipped: no authorization code (see the step above)\n");
        return 0;
    }
    scalekit_authentication_options o = { .struct_size = sizeof(scalekit_authentication_options), .code_verifier = d->pkce.code_verifier, .nonce = DEMO_NONCE};
    int rc = scalekit_authenticate_with_code(d->client, d->code, REDIRECT_URI, &o, &d->auth);
    if (rc != SCALEKIT_OK)
        return report("scalekit_authenticate_with_code", rc);
    d->access_token = strdup(d->auth->access_token);
    line("user id", d->auth->user->id);
    line("email", d->auth->user->email);
    line_short("ID token", d->auth->id_token);
    line_short("access token", d->auth->access_token);
    line_short("refresh token", d->auth->refresh_token);
    printf("   %-18s %lld s\n", "expires in", (long long)d->auth->expires_in);
    return 0;
}

static int step_user_claims(demo *d)
{
    if (!d->auth) {
        printf("   skipped: no user tokens\n");
        return 0;
    }
    scalekit_access_token_claims *c = NULL;
    int rc = scalekit_get_access_token_claims(d->client, d->access_token, &c);
    if (rc != SCALEKIT_OK)
        return report("scalekit_get_access_token_claims", rc);
    line("sub", c->sub);
    line("iss", c->iss);
    line("session (sid)", c->sid);
    line("organization", c->organization_id);
    printf("   %-18s", "scopes");
    for (size_t i = 0; c->scopes && c->scopes[i]; i++)
        printf(" %s", c->scopes[i]);
    printf("\n   %-18s %s", "expires at", ctime(&(time_t){(time_t)c->exp}));
    scalekit_access_token_claims_free(c);
    return 0;
}

static int step_validate_access_token(demo *d)
{
    if (!d->access_token) {
        printf("   skipped: no user access token\n");
        return 0;
    }
    int rc = scalekit_validate_access_token(d->client, d->access_token);
    if (rc != SCALEKIT_OK)
        return report("scalekit_validate_access_token", rc);
    line("access token", "valid (signature, exp, nbf, iat checked against /keys)");
    /* A token altered by one character must be refused. */
    char *forged = strdup(d->access_token);
    size_t n = strlen(forged);
    forged[n - 2] = forged[n - 2] == 'A' ? 'B' : 'A';
    rc = scalekit_validate_access_token(d->client, forged);
    free(forged);
    if (rc == SCALEKIT_OK) {
        fprintf(stderr, "   FAILED: a forged token was accepted\n");
        return 1;
    }
    line("forged token", scalekit_strerror(rc));
    return 0;
}

/* The member's newest tokens, copied into @p d (each refresh rotates the refresh token). */
static void keep_tokens(demo *d, const char *access_token, const char *refresh_token)
{
    free(d->access_token);
    free(d->refresh_token);
    d->access_token = strdup(access_token);
    d->refresh_token = refresh_token ? strdup(refresh_token) : NULL;
}

static int step_refresh(demo *d)
{
    if (!d->auth || !d->auth->refresh_token) {
        printf("   skipped: no refresh token\n");
        return 0;
    }
    scalekit_token_response *t = NULL;
    int rc = scalekit_refresh_access_token(d->client, d->auth->refresh_token, &t);
    if (rc != SCALEKIT_OK)
        return report("scalekit_refresh_access_token", rc);
    line_short("new access token", t->access_token);
    line_short("new refresh token", t->refresh_token);
    keep_tokens(d, t->access_token, t->refresh_token);
    scalekit_token_response_free(t);
    rc = scalekit_refresh_access_token(d->client, d->auth->refresh_token, &t);
    line("old refresh token", rc == SCALEKIT_OK ? "still accepted (unexpected)" : "refused: it was rotated");
    scalekit_token_response_free(t);
    return rc == SCALEKIT_OK;
}

static int step_client_token(demo *d)
{
    scalekit_token_response *t = NULL;
    int rc = scalekit_generate_client_token(d->client, NULL, &t);
    if (rc != SCALEKIT_OK)
        return report("scalekit_generate_client_token", rc);
    line_short("client token", t->access_token);
    const char *audiences[] = {d->client_id, NULL};
    scalekit_validate_options o = { .struct_size = sizeof(scalekit_validate_options), .issuer = d->env_url, .audiences = audiences};
    scalekit_claims *c = NULL;
    rc = scalekit_validate_token(d->client, t->access_token, &o, &c);
    scalekit_token_response_free(t);
    if (rc != SCALEKIT_OK)
        return report("scalekit_validate_token", rc);
    line("validated", "issuer and audience match");
    line("subject", scalekit_claims_subject(c));
    scalekit_claims_free(c);
    return 0;
}

static int step_webhook(demo *d)
{
    const char *payload = "{\"id\":\"evt_demo\",\"type\":\"organization.created\","
                          "\"data\":{\"id\":\"org_demo\",\"display_name\":\"Acme\"}}";
    char ts[32], *signature = NULL;
    long long now = (long long)time(NULL);
    snprintf(ts, sizeof ts, "%lld", now);
    int rc = scalekit_sign_webhook_payload(d->webhook_secret, "msg_demo", now, payload, strlen(payload),
                                           &signature);
    if (rc != SCALEKIT_OK)
        return report("scalekit_sign_webhook_payload", rc);
    scalekit_header headers[] = {{"webhook-id", "msg_demo"}, {"webhook-timestamp", ts},
                                 {"webhook-signature", signature}};
    line("secret", d->emulator ? "the emulator's webhook secret" : "a local test secret");
    line("signature", signature);
    rc = scalekit_verify_webhook_payload(d->client, d->webhook_secret, headers, 3, payload, strlen(payload));
    if (rc != SCALEKIT_OK) {
        scalekit_free(signature);
        return report("scalekit_verify_webhook_payload", rc);
    }
    line("verified", "yes");
    rc = scalekit_verify_webhook_payload(d->client, d->webhook_secret, headers, 3, "{}", 2);
    scalekit_free(signature);
    line("altered payload", rc == SCALEKIT_OK ? "accepted (unexpected)" : scalekit_strerror(rc));
    return rc == SCALEKIT_OK;
}

static int step_logout_url(demo *d)
{
    scalekit_logout_url_options o = { .struct_size = sizeof(scalekit_logout_url_options), .id_token_hint = d->auth ? d->auth->id_token : NULL,
                                     .post_logout_redirect_uri = "http://localhost:8080/signed-out",
                                     .state = "bye"};
    char *url = NULL;
    int rc = scalekit_get_logout_url(d->client, &o, &url);
    if (rc != SCALEKIT_OK)
        return report("scalekit_get_logout_url", rc);
    printf("   send the browser here to sign out:\n   %s\n", url);
    if (!d->emulator || !d->auth) {
        scalekit_free(url);
        return 0;
    }
    /* Play the browser once more: the emulator ends the session and redirects back. */
    CURL *curl = curl_easy_init();
    char *location = NULL;
    long status = 0;
    if (curl) {
        curl_easy_setopt(curl, CURLOPT_URL, url);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
        if (curl_easy_perform(curl) == CURLE_OK) {
            curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
            curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &location);
        }
    }
    printf("   %-18s %ld to %s\n", "emulator answered", status, location ? location : "(nowhere)");
    curl_easy_cleanup(curl);
    scalekit_free(url);
    return status == 302 ? 0 : 1;
}

/* Create an organization, list, update it, open an admin portal link, delete it. */
static int step_organizations(demo *d)
{
    /* A fresh external id per run, so runs against a real environment never collide. */
    char external_id[64];
    snprintf(external_id, sizeof external_id, "quickstart-%lld", (long long)time(NULL));
    scalekit_header metadata[] = {{"plan", "trial"}};
    scalekit_organization_create_options o = { .struct_size = sizeof(scalekit_organization_create_options), .external_id = external_id, .metadata = {metadata, 1}};
    scalekit_organization *org = NULL, *updated = NULL;
    int rc = scalekit_organization_create(d->client, "Acme Corp", &o, &org);
    if (rc != SCALEKIT_OK)
        return report("scalekit_organization_create", rc);
    line("created", org->id);
    line("external id", org->external_id);

    scalekit_organization_list_options lo = { .struct_size = sizeof(scalekit_organization_list_options), .page_size = 10};
    scalekit_organization_page *page = NULL;
    rc = scalekit_organization_list(d->client, &lo, &page);
    if (rc == SCALEKIT_OK) {
        char listed[96];
        snprintf(listed, sizeof listed, "%zu on the first page, %lld in all", page->count,
                 (long long)page->total_size);
        line("listed", listed);
        scalekit_organization_page_free(page);
        scalekit_organization_update_options u = { .struct_size = sizeof(scalekit_organization_update_options), .display_name = "Acme Corporation"};
        rc = scalekit_organization_update(d->client, org->id, &u, &updated);
        if (rc != SCALEKIT_OK)
            report("scalekit_organization_update", rc);
    } else {
        report("scalekit_organization_list", rc);
    }
    if (rc == SCALEKIT_OK) {
        line("renamed to", updated->display_name);
        const char *features[] = {"sso", "dir_sync", NULL};
        scalekit_organization_portal_link_options po = { .struct_size = sizeof(scalekit_organization_portal_link_options), .features = features};
        scalekit_organization_portal_link *link = NULL;
        rc = scalekit_organization_generate_portal_link(d->client, org->id, &po, &link);
        if (rc == SCALEKIT_OK) {
            line("admin portal", link->location);
            printf("   %-18s %s", "valid until", ctime(&(time_t){(time_t)link->expire_time}));
            scalekit_organization_portal_link_free(link);
        } else {
            report("scalekit_organization_generate_portal_link", rc);
        }
    }
    /* The users step invites someone into it; main() deletes it whatever happens. */
    d->org_id = strdup(org->id);
    scalekit_organization_free(org);
    scalekit_organization_free(updated);
    return rc != SCALEKIT_OK;
}

/* ---- users: invite, accept from the emulator's mailbox, list, revoke ---------- */

/* @p method @p url over HTTP (no body): the status, the body in *body when wanted (malloc'd). */
static long http_text(const char *method, const char *url, char **body)
{
    CURL *curl = curl_easy_init();
    text page = {0};
    long status = 0;
    if (curl) {
        curl_easy_setopt(curl, CURLOPT_URL, url);
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
        curl_easy_setopt(curl, CURLOPT_USERAGENT, "scalekit-quickstart/1.0 (the invitee's browser)");
        if (strcmp(method, "POST") == 0)
            curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &page);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
        if (curl_easy_perform(curl) == CURLE_OK)
            curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_cleanup(curl);
    }
    if (body)
        *body = page.p;
    else
        free(page.p);
    return status;
}

/* The newest message to @p email in the emulator's mailbox (a new reference), or NULL. */
static json_t *newest_mail(const demo *d, const char *email)
{
    char url[256], *body = NULL;
    snprintf(url, sizeof url, "%s/_emulator/mailbox", d->env_url);
    json_t *box = http_text("GET", url, &body) == 200 && body ? json_loads(body, 0, NULL) : NULL, *found = NULL;
    size_t i;
    json_t *mail;
    /* Newest first: the first message to the address is the one just sent. */
    json_array_foreach(json_object_get(box, "messages"), i, mail) {
        const char *to = json_string_value(json_object_get(mail, "to"));
        if (!found && to && strcmp(to, email) == 0)
            found = json_incref(mail);
    }
    json_decref(box);
    free(body);
    return found;
}

/* The link of the newest invitation to @p email in the emulator's mailbox (malloc'd). */
static char *invitation_link(const demo *d, const char *email)
{
    json_t *mail = newest_mail(d, email);
    const char *href = json_string_value(json_object_get(mail, "link"));
    char *link = href ? strdup(href) : NULL;
    json_decref(mail);
    return link;
}

/* The invitee opens the link and accepts: the hosted page signs them in. */
static int accept_invitation(const demo *d, const char *email)
{
    char *link = invitation_link(d, email);
    if (!link) {
        fprintf(stderr, "   FAILED: no invitation to %s in %s/_emulator/mailbox\n", email, d->env_url);
        return 1;
    }
    line("mailbox link", link);
    long status = http_text("POST", link, NULL);
    free(link);
    if (status != 200) {
        fprintf(stderr, "   FAILED: accepting the invitation answered %ld\n", status);
        return 1;
    }
    line("accepted", "the invitee is signed in, the membership active");
    return 0;
}

/* Every user of the organization, through the iterator (it fetches the pages). */
static int list_organization_users(demo *d)
{
    scalekit_user_iterator *it = NULL;
    int rc = scalekit_user_organization_users_iterator_new(d->client, d->org_id, NULL, &it);
    const scalekit_user *u = NULL;
    while (rc == SCALEKIT_OK && (rc = scalekit_user_iterator_next(it, &u)) == SCALEKIT_OK) {
        const char *status = u->membership_count ? u->memberships[0]->membership_status : NULL;
        printf("   %-18s %s (%s)\n", "member", u->email, status ? status : "no membership");
    }
    scalekit_user_iterator_free(it);
    return rc == SCALEKIT_ITEROVER ? 0 : report("listing the organization's users", rc);
}

/* Revoke the user's active session; GetSession then shows it revoked. */
static int revoke_session(demo *d, const char *user_id)
{
    const char *active[] = {"active", NULL};
    scalekit_session_list_options o = {.struct_size = sizeof o, .status = active};
    scalekit_session_page *page = NULL;
    int rc = scalekit_session_get_user_sessions(d->client, user_id, &o, &page);
    if (rc != SCALEKIT_OK)
        return report("scalekit_session_get_user_sessions", rc);
    if (page->count == 0) {
        scalekit_session_page_free(page);
        fprintf(stderr, "   FAILED: accepting the invitation left no active session\n");
        return 1;
    }
    const scalekit_session *s = page->items[0];
    line("session", s->session_id);
    line("signed in from", s->device && s->device->user_agent ? s->device->user_agent : NULL);
    scalekit_session *revoked = NULL, *now = NULL;
    rc = scalekit_session_revoke(d->client, s->session_id, &revoked);
    if (rc == SCALEKIT_OK)
        rc = scalekit_session_get(d->client, s->session_id, &now);
    int failed = rc != SCALEKIT_OK ? report("revoking the session", rc) : 0;
    if (!failed) {
        line("session status", now->status);
        failed = strcmp(now->status ? now->status : "", "revoked") != 0;
    }
    scalekit_session_free(revoked);
    scalekit_session_free(now);
    scalekit_session_page_free(page);
    return failed;
}

static int step_users(demo *d)
{
    /* A fresh address per run, so runs against a real environment never collide. */
    char email[96];
    snprintf(email, sizeof email, "grace.hopper+%lld@example.com", (long long)time(NULL));
    scalekit_user *user = NULL;
    int rc = scalekit_user_create_user_and_membership(d->client, d->org_id, email, NULL, true, &user);
    if (rc != SCALEKIT_OK)
        return report("scalekit_user_create_user_and_membership", rc);
    line("invited", email);
    line("user id", user->id);
    line("membership", user->membership_count ? user->memberships[0]->membership_status : NULL);
    int failed = 0;
    if (d->emulator) {
        failed = accept_invitation(d, email);
    } else {
        printf("   skipped: accepting the invitation reads the emulator's mailbox (/_emulator/mailbox);\n"
               "   in a real environment the invitee follows the link in the email\n");
    }
    if (!failed)
        failed = list_organization_users(d);
    if (!failed && d->emulator)
        failed = revoke_session(d, user->id);
    else if (!failed)
        printf("   skipped: revoking the session needs the invitee signed in (see above)\n");
    /* Deleting the user ends their memberships and sessions: nothing is left behind. */
    rc = scalekit_user_delete(d->client, user->id);
    if (rc == SCALEKIT_OK)
        line("deleted", user->id);
    else
        failed = report("scalekit_user_delete", rc);
    scalekit_user_free(user);
    return failed;
}

/* Delete the quickstart's organization (its memberships end with it). */
static int delete_organization(demo *d)
{
    int rc = d->org_id ? scalekit_organization_delete(d->client, d->org_id) : SCALEKIT_OK;
    if (d->org_id && rc == SCALEKIT_OK)
        line("deleted", d->org_id);
    free(d->org_id);
    d->org_id = NULL;
    return rc == SCALEKIT_OK ? 0 : report("scalekit_organization_delete", rc);
}

/* ---- roles and permissions: a permission reaches the member's next token ------- */

/* Exchange @p code (freed) with the PKCE @p verifier: 0 and *auth, or 1 after reporting. */
static int exchange_code(demo *d, char *code, const char *verifier, scalekit_authentication_response **auth)
{
    scalekit_authentication_options ao = SCALEKIT_AUTHENTICATION_OPTIONS_INIT;
    ao.code_verifier = verifier;
    int rc = scalekit_authenticate_with_code(d->client, code, REDIRECT_URI, &ao, auth);
    free(code);
    return rc != SCALEKIT_OK ? report("scalekit_authenticate_with_code", rc) : 0;
}

/* A new organization, and the quickstart's member signed in to it (which makes them a
 * member, with the default member role): its id in *org_id (malloc'd), and the
 * member's new tokens in d. */
static int sign_in_to_new_organization(demo *d, char **org_id)
{
    scalekit_organization *org = NULL;
    int rc = scalekit_organization_create(d->client, "Reports Ltd", NULL, &org);
    if (rc != SCALEKIT_OK)
        return report("scalekit_organization_create", rc);
    *org_id = strdup(org->id);
    scalekit_organization_free(org);
    line("organization", *org_id);
    scalekit_pkce pkce;
    char *url = NULL, *code = NULL, login_url[256];
    rc = scalekit_generate_pkce(&pkce);
    scalekit_authorization_url_options o = SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT;
    o.organization_id = *org_id;
    o.login_hint = DEMO_EMAIL;
    o.code_challenge = pkce.code_challenge;
    o.code_challenge_method = pkce.code_challenge_method;
    snprintf(login_url, sizeof login_url, "%s/oauth/authorize", d->env_url);
    if (rc == SCALEKIT_OK)
        rc = scalekit_get_authorization_url(d->client, REDIRECT_URI, &o, &url);
    if (rc != SCALEKIT_OK)
        return report("the authorization URL", rc);
    code = complete_hosted_login(url, login_url, DEMO_EMAIL);
    scalekit_free(url);
    if (!code) {
        fprintf(stderr, "   FAILED: the hosted login page did not redirect back with a code\n");
        return 1;
    }
    scalekit_authentication_response *auth = NULL;
    if (exchange_code(d, code, pkce.code_verifier, &auth) != 0)
        return 1;
    keep_tokens(d, auth->access_token, auth->refresh_token);
    line("signed in to it", DEMO_EMAIL);
    scalekit_authentication_response_free(auth);
    return 0;
}

/* Give the signed-in member @p role, refresh, and show @p permission in the new token,
 * as the authorization helper and a gateway's one-call check see it. */
static int member_gets_role(demo *d, const char *org_id, const char *role, const char *permission)
{
    const char *names[] = {role, NULL};
    scalekit_user_role_list *held = NULL;
    int rc = scalekit_user_assign_roles(d->client, org_id, d->auth->user->id, names, &held);
    scalekit_user_role_list_free(held);
    if (rc != SCALEKIT_OK)
        return report("scalekit_user_assign_roles", rc);
    line("member now holds", role);
    scalekit_token_response *t = NULL;
    rc = scalekit_refresh_access_token(d->client, d->refresh_token, &t);
    if (rc != SCALEKIT_OK)
        return report("scalekit_refresh_access_token", rc);
    keep_tokens(d, t->access_token, t->refresh_token);
    scalekit_token_response_free(t);
    scalekit_access_token_claims *c = NULL;
    rc = scalekit_get_access_token_claims(d->client, d->access_token, &c);
    if (rc != SCALEKIT_OK)
        return report("scalekit_get_access_token_claims", rc);
    printf("   %-18s", "token permissions");
    for (size_t i = 0; c->permissions[i]; i++)
        printf(" %s", c->permissions[i]);
    bool granted = scalekit_access_token_claims_has_permission(c, permission);
    printf("\n   %-18s %s\n", "has_permission", granted ? "true" : "false");
    scalekit_access_token_claims_free(c);
    /* A gateway refuses in one call: validation that requires the permission. */
    const char *required[] = {permission, NULL};
    scalekit_validate_options vo = SCALEKIT_VALIDATE_OPTIONS_INIT;
    vo.required_permissions = required;
    rc = scalekit_validate_token(d->client, d->access_token, &vo, NULL);
    line("validate requiring", rc == SCALEKIT_OK ? "accepted" : scalekit_strerror(rc));
    int failed = !granted || rc != SCALEKIT_OK;
    if (failed)
        fprintf(stderr, "   FAILED: the refreshed token does not grant %s\n", permission);
    /* Leave the role as it was: the member gives it back before it goes. */
    rc = scalekit_user_remove_role(d->client, org_id, d->auth->user->id, role);
    return rc != SCALEKIT_OK ? report("scalekit_user_remove_role", rc) : failed;
}

/* Create a permission and a role that has it; with a signed-in member, give them the
 * role and see the permission in their next token. Both are deleted at the end. */
static int step_roles(demo *d)
{
    /* Names fresh per run, so runs against a real environment never collide. */
    char permission[64], role[64];
    snprintf(permission, sizeof permission, "reports:read_%lld", (long long)time(NULL));
    snprintf(role, sizeof role, "report_reader_%lld", (long long)time(NULL));
    scalekit_permission_options po = SCALEKIT_PERMISSION_OPTIONS_INIT;
    po.description = "Reads the reports";
    scalekit_permission *p = NULL;
    int rc = scalekit_permission_create(d->client, permission, &po, &p);
    scalekit_permission_free(p);
    if (rc != SCALEKIT_OK)
        return report("scalekit_permission_create", rc);
    line("permission", permission);
    const char *perms[] = {permission, NULL};
    scalekit_role_create_options ro = SCALEKIT_ROLE_CREATE_OPTIONS_INIT;
    ro.display_name = "Report reader";
    ro.permissions = perms;
    scalekit_role *r = NULL;
    rc = scalekit_role_create(d->client, role, &ro, &r);
    scalekit_role_free(r);
    int failed = rc != SCALEKIT_OK ? report("scalekit_role_create", rc) : 0;
    if (!failed)
        line("role", role);

    /* The member signs in again, to an organization of their own this time: the
     * token's roles and permissions are those of the organization signed in to. */
    char *org_id = NULL;
    if (!failed && (!d->emulator || !d->auth)) {
        printf("   skipped: giving the member the role needs the member signed in (the hosted login above)\n");
    } else if (!failed) {
        failed = sign_in_to_new_organization(d, &org_id);
        if (!failed)
            failed = member_gets_role(d, org_id, role, permission);
    }
    if (org_id) {
        rc = scalekit_organization_delete(d->client, org_id);
        failed = rc != SCALEKIT_OK ? report("scalekit_organization_delete", rc) : failed;
        free(org_id);
    }
    /* Delete them whatever happened above: the demo leaves nothing behind. */
    int gone = scalekit_role_delete(d->client, role, NULL);
    if (gone == SCALEKIT_OK || gone == SCALEKIT_ENOTFOUND)
        gone = scalekit_permission_delete(d->client, permission);
    if (gone != SCALEKIT_OK)
        return report("deleting the demo's role and permission", gone);
    line("deleted", "the role and the permission");
    return failed;
}

/* ---- an organization's API client (machine to machine) --------------------------- */

/* The organization gets an API client; the client gets a token with its own id and
 * secret, the app validates it (scope, organization), and the emulator lets it read
 * its own organization. */
static int step_m2m_client(demo *d)
{
    const char *scopes[] = {"deploy:applications", NULL};
    scalekit_m2m_client_options o = SCALEKIT_M2M_CLIENT_OPTIONS_INIT;
    o.scopes = scopes;
    scalekit_m2m_client_created *created = NULL;
    int rc = scalekit_m2m_client_create(d->client, d->org_id, "Acme deploy bot", &o, &created);
    if (rc != SCALEKIT_OK)
        return report("scalekit_m2m_client_create", rc);
    scalekit_client *m2m = NULL;
    scalekit_token_response *t = NULL;
    scalekit_claims *claims = NULL;
    rc = scalekit_client_new(&m2m, d->env_url, created->client->client_id, created->plain_secret);
    if (rc == SCALEKIT_OK && (rc = scalekit_generate_client_token(m2m, NULL, &t)) == SCALEKIT_OK) {
        scalekit_validate_options v = SCALEKIT_VALIDATE_OPTIONS_INIT;
        v.required_scopes = scopes;
        v.required_organization_id = d->org_id;
        rc = scalekit_validate_token(d->client, t->access_token, &v, &claims);
    }
    if (rc == SCALEKIT_OK) {
        char granted[160];
        snprintf(granted, sizeof granted, "oid %s, scopes %s (validated)", scalekit_claims_get_string(claims, "oid"),
                 scalekit_claims_get_json(claims, "scopes"));
        line("m2m token", granted);
        scalekit_organization *org = NULL;
        if (!d->emulator) {
            printf("   skipped: reading the organization with the client's token is the emulator's rule\n");
        } else if ((rc = scalekit_organization_get(m2m, d->org_id, &org)) == SCALEKIT_OK) {
            line("m2m reads its org", org->display_name);
            scalekit_organization_free(org);
        } else {
            report("scalekit_organization_get with the API client's token", rc);
        }
    } else {
        report("the API client's token", rc);
    }
    scalekit_claims_free(claims);
    scalekit_token_response_free(t);
    scalekit_client_free(m2m);
    scalekit_m2m_client_created_free(created);
    return rc != SCALEKIT_OK;
}

/* ---- enterprise SSO: an organization's OIDC connection, its IdP a second emulator ---- */

#define SSO_DOMAIN "acme-sso.example"
#define SSO_EMAIL "grace@acme-sso.example"

/* The app's sign-in as SSO_EMAIL: the environment sends the browser to the IdP, the
 * user signs in there, the IdP returns to the environment, which returns to the app. */
static int sso_sign_in(demo *d, const char *idp_url)
{
    scalekit_pkce pkce;
    char *url = NULL, *to_idp = NULL, *back = NULL, *to_app = NULL, *code = NULL, idp_login[512];
    int rc = scalekit_generate_pkce(&pkce);
    scalekit_authorization_url_options o = SCALEKIT_AUTHORIZATION_URL_OPTIONS_INIT;
    o.login_hint = SSO_EMAIL;
    o.code_challenge = pkce.code_challenge;
    o.code_challenge_method = pkce.code_challenge_method;
    if (rc == SCALEKIT_OK)
        rc = scalekit_get_authorization_url(d->client, REDIRECT_URI, &o, &url);
    if (rc != SCALEKIT_OK)
        return report("the authorization URL", rc);
    snprintf(idp_login, sizeof idp_login, "%s/oauth/authorize", idp_url);
    to_idp = redirect_of(url);
    if (to_idp && strncmp(to_idp, idp_login, strlen(idp_login)) == 0) {
        line("sent to the IdP", idp_login);
        back = hosted_login_location(to_idp, idp_login, SSO_EMAIL);
        to_app = back ? redirect_of(back) : NULL;
        code = code_of(to_app);
    }
    scalekit_free(url);
    free(to_idp);
    free(back);
    free(to_app);
    if (!code) {
        fprintf(stderr, "   FAILED: the login through the IdP did not come back to the app with a code\n");
        return 1;
    }
    scalekit_authentication_response *auth = NULL;
    if (exchange_code(d, code, pkce.code_verifier, &auth) != 0)
        return 1;
    line("signed in as", auth->user->email);
    line("identities", auth->user->identity_count ? auth->user->identities_json[0] : NULL);
    int failed = auth->user->identity_count == 0 || !strstr(auth->user->identities_json[0], "\"OIDC\"");
    scalekit_authentication_response_free(auth);
    return failed;
}

/* An organization with a domain and an OIDC connection whose identity provider is
 * another emulator; a user of the domain signs in through it. */
static int step_sso(demo *d)
{
    if (!d->emulator) {
        printf("   skipped: the identity provider here is a second emulator started in-process\n");
        return 0;
    }
    scalekit_emulator *idp = NULL;
    scalekit_emulator_options eo = {.quiet = 1};
    if (scalekit_emulator_start(&eo, &idp) != 0) {
        fprintf(stderr, "   FAILED: the identity provider's emulator did not start\n");
        return 1;
    }
    const char *idp_url = scalekit_emulator_url(idp);
    scalekit_organization *org = NULL;
    int rc = scalekit_organization_create(d->client, "Acme SSO", NULL, &org);
    char *org_id = rc == SCALEKIT_OK ? strdup(org->id) : NULL;
    scalekit_organization_free(org);
    int failed = rc != SCALEKIT_OK ? report("scalekit_organization_create", rc) : 0;
    scalekit_domain *dom = NULL;
    if (!failed && (rc = scalekit_domain_create(d->client, org_id, SSO_DOMAIN, NULL, &dom)) != SCALEKIT_OK)
        failed = report("scalekit_domain_create", rc);
    scalekit_domain_free(dom);
    char authorize[512], token[512], keys[512];
    snprintf(authorize, sizeof authorize, "%s/oauth/authorize", idp_url);
    snprintf(token, sizeof token, "%s/oauth/token", idp_url);
    snprintf(keys, sizeof keys, "%s/keys", idp_url);
    static const char *const scopes[] = {"openid", "profile", "email", NULL};
    scalekit_connection_oidc_config_input oidc = SCALEKIT_CONNECTION_OIDC_CONFIG_INPUT_INIT;
    oidc.issuer = idp_url;
    oidc.authorize_uri = authorize;
    oidc.token_uri = token;
    oidc.jwks_uri = keys;
    oidc.client_id = scalekit_emulator_client_id(idp);
    oidc.client_secret = scalekit_emulator_client_secret(idp);
    oidc.scopes = scopes;
    scalekit_connection_input in = SCALEKIT_CONNECTION_INPUT_INIT;
    in.type = "OIDC";
    in.provider = "OKTA";
    in.oidc_config = &oidc;
    scalekit_connection *conn = NULL;
    if (!failed && (rc = scalekit_connection_create(d->client, org_id, &in, &conn)) != SCALEKIT_OK)
        failed = report("scalekit_connection_create", rc);
    scalekit_connection_toggle *toggled = NULL;
    if (!failed && (rc = scalekit_connection_enable(d->client, org_id, conn->id, &toggled)) != SCALEKIT_OK)
        failed = report("scalekit_connection_enable", rc);
    scalekit_connection_toggle_free(toggled);
    if (!failed) {
        line("organization", org_id);
        line("domain", SSO_DOMAIN);
        line("OIDC connection", conn->id);
        failed = sso_sign_in(d, idp_url);
    }
    scalekit_connection_free(conn);
    if (org_id && (rc = scalekit_organization_delete(d->client, org_id)) != SCALEKIT_OK)
        failed = report("scalekit_organization_delete", rc);
    free(org_id);
    scalekit_emulator_stop(idp);
    return failed;
}

/* ---- passwordless: send, read the code from the mailbox, verify ------------------- */

static int step_passwordless(demo *d)
{
    scalekit_passwordless_send_response *sent = NULL;
    int rc = scalekit_passwordless_send_email(d->client, DEMO_EMAIL, NULL, &sent);
    if (rc != SCALEKIT_OK)
        return report("scalekit_passwordless_send_email", rc);
    printf("   %-18s %s (%s, expires in %llds)\n", "sent", sent->auth_request_id, sent->passwordless_type,
           (long long)sent->expires_in);
    if (!d->emulator) {
        printf("   skipped: reading the code needs the emulator's mailbox (/_emulator/mailbox)\n");
        scalekit_passwordless_send_response_free(sent);
        return 0;
    }
    json_t *mail = newest_mail(d, DEMO_EMAIL);
    const char *subject = json_string_value(json_object_get(mail, "subject"));
    const char *code = subject && strrchr(subject, ' ') ? strrchr(subject, ' ') + 1 : NULL;
    scalekit_passwordless_verify_options o = SCALEKIT_PASSWORDLESS_VERIFY_OPTIONS_INIT;
    o.code = code;
    o.auth_request_id = sent->auth_request_id;
    scalekit_passwordless_verify_response *verified = NULL;
    rc = code ? scalekit_passwordless_verify_email(d->client, &o, &verified) : SCALEKIT_ENOTFOUND;
    if (rc == SCALEKIT_OK)
        printf("   %-18s %s with code %s from the mailbox\n", "verified", verified->email, code);
    json_decref(mail);
    scalekit_passwordless_verify_response_free(verified);
    scalekit_passwordless_send_response_free(sent);
    return rc == SCALEKIT_OK ? 0 : report("scalekit_passwordless_verify_email", rc);
}

static const struct {
    const char *title;
    int (*run)(demo *d);
} steps[] = {
    {"Environment and client", step_environment},
    {"Authorization URL with PKCE", step_authorization_url},
    {"Hosted login", step_hosted_login},
    {"Code exchange", step_code_exchange},
    {"The user's claims", step_user_claims},
    {"Access-token validation", step_validate_access_token},
    {"Refresh", step_refresh},
    {"Roles and permissions", step_roles},
    {"Enterprise SSO through an OIDC connection", step_sso},
    {"Client-credentials token", step_client_token},
    {"Webhook verification", step_webhook},
    {"Organizations", step_organizations},
    {"Users: invite, accept from the mailbox, list, revoke the session", step_users},
    {"An organization's API client (machine to machine)", step_m2m_client},
    {"Delete the organization", delete_organization},
    {"Passwordless email: send, read the code from the mailbox, verify", step_passwordless},
    {"Logout URL", step_logout_url},
};

static int start_emulator(demo *d)
{
    scalekit_emulator_options o = {.quiet = 1};
    int rc = scalekit_emulator_start(&o, &d->emulator);
    if (rc != 0) {
        fprintf(stderr, "quickstart: the emulator did not start (%d)\n", rc);
        return 1;
    }
    d->env_url = scalekit_emulator_url(d->emulator);
    d->client_id = scalekit_emulator_client_id(d->emulator);
    d->client_secret = scalekit_emulator_client_secret(d->emulator);
    d->webhook_secret = strdup(scalekit_emulator_webhook_secret(d->emulator));
    return 0;
}

int main(void)
{
    demo d = {0};
    const char *env = getenv("SCALEKIT_ENVIRONMENT_URL");
    if (env && *env) {
        d.env_url = env;
        d.client_id = getenv("SCALEKIT_CLIENT_ID");
        d.client_secret = getenv("SCALEKIT_CLIENT_SECRET");
        if (!d.client_id || !*d.client_id || !d.client_secret || !*d.client_secret) {
            fprintf(stderr, "quickstart: SCALEKIT_ENVIRONMENT_URL is set, so SCALEKIT_CLIENT_ID and "
                            "SCALEKIT_CLIENT_SECRET must be set too\n");
            return 1;
        }
        /* "whsec_" + base64("quickstart-local-webhook-secret"): made here, not by Scalekit. */
        d.webhook_secret = strdup("whsec_cXVpY2tzdGFydC1sb2NhbC13ZWJob29rLXNlY3JldA==");
    } else if (start_emulator(&d) != 0) {
        return 1;
    }

    printf("Scalekit SDK for C: quickstart\n\n");
    int failed = 0;
    size_t n = sizeof steps / sizeof steps[0];
    for (size_t i = 0; i < n && !failed; i++) {
        printf("%zu. %s\n", i + 1, steps[i].title);
        failed = steps[i].run(&d);
        printf("\n");
    }
    if (failed && d.org_id && d.client)
        delete_organization(&d);   /* a step failed after creating it: leave nothing behind */
    printf(failed ? "quickstart: stopped at the failed step above\n" : "quickstart: all steps done\n");

    free(d.code);
    free(d.access_token);
    free(d.refresh_token);
    free(d.webhook_secret);
    scalekit_free(d.authorization_url);
    scalekit_authentication_response_free(d.auth);
    scalekit_client_free(d.client);
    scalekit_emulator_stop(d.emulator);
    return failed ? 1 : 0;
}
