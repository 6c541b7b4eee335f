/*
 * Passkeys on the hosted login page: "Sign in with a passkey" (a section of
 * every page, its assertion finishing the login request) and "Create a
 * passkey" for an email address (the emulator's email sign-in trusts any
 * address, so a passkey for one is no weaker; the new passkey then signs the
 * user in). The browser side is emu_webauthn_script, the one inline script a
 * page may carry (allowed by its hash, emu_page_scripts): it runs
 * navigator.credentials.create / get with the options the form carries and
 * posts the answer back as the form's field "credential", so the pages need
 * no fetch.
 */
#include "environment.h"
#include "login.h"
#include "resources.h"
#include "webauthn_rp.h"

#include <stdlib.h>
#include <string.h>

const char emu_webauthn_script[] =
    "(()=>{const b=s=>Uint8Array.from(atob(s.replace(/-/g,'+').replace(/_/g,'/')),c=>c.charCodeAt(0)).buffer;"
    "const e=a=>btoa(String.fromCharCode(...new Uint8Array(a))).replace(/\\+/g,'-').replace(/\\//g,'_')"
    ".replace(/=+$/,'');const ids=l=>(l||[]).map(x=>({...x,id:b(x.id)}));"
    "for(const f of document.querySelectorAll('form[data-webauthn]'))f.addEventListener('submit',async v=>{"
    "v.preventDefault();const o=JSON.parse(f.dataset.options);o.challenge=b(o.challenge);let c;"
    "try{if(f.dataset.webauthn==='create'){o.user.id=b(o.user.id);o.excludeCredentials=ids(o.excludeCredentials);"
    "c=await navigator.credentials.create({publicKey:o});}else{o.allowCredentials=ids(o.allowCredentials);"
    "c=await navigator.credentials.get({publicKey:o});}}catch(x){const p=document.getElementById('passkey-error');"
    "p.textContent='The passkey did not answer ('+x.name+').';p.hidden=false;return;}"
    "const r=c.response,j={id:c.id,rawId:e(c.rawId),type:c.type,authenticatorAttachment:c.authenticatorAttachment,"
    "response:{clientDataJSON:e(r.clientDataJSON)}};if(r.attestationObject){"
    "j.response.attestationObject=e(r.attestationObject);j.response.transports=r.getTransports?r.getTransports():[];}"
    "else{j.response.authenticatorData=e(r.authenticatorData);j.response.signature=e(r.signature);"
    "if(r.userHandle)j.response.userHandle=e(r.userHandle);}"
    "const h=document.createElement('input');h.type='hidden';h.name='credential';h.value=JSON.stringify(j);"
    "f.append(h);f.submit();});})();";

/* A form of the ceremony @p kind ("get", "create") posting to @p action with @p options. */
static int ceremony_form(emu *e, skit_buf *out, const char *kind, const char *action, const json_t *options,
                         const char *login_request_id, const char *button)
{
    char *text = json_dumps(options, JSON_COMPACT);
    if (!text)
        return -1;
    skit_buf_printf(out, "<form id=\"passkey-%s\" method=\"post\" data-webauthn=\"%s\" action=\"", kind, kind);
    emu_html_escape(out, e->url);
    skit_buf_printf(out, "%s\" data-options=\"", action);
    emu_html_escape(out, text);
    skit_buf_puts(out, "\">\n<input type=\"hidden\" name=\"login_request_id\" value=\"");
    emu_html_escape(out, login_request_id);
    /* the script adds the answer as the field "credential" */
    skit_buf_puts(out, "\">\n<button type=\"submit\">");
    emu_html_escape(out, button);
    skit_buf_puts(out, "</button>\n</form>\n<p role=\"alert\" id=\"passkey-error\" hidden></p>\n<script>");
    free(text);
    int rc = skit_buf_puts(out, emu_webauthn_script);
    return rc == SCALEKIT_OK && skit_buf_puts(out, "</script>\n") == SCALEKIT_OK ? 0 : -1;
}

int emu_webauthn_login_section(emu *e, const json_t *lr, skit_buf *out)
{
    const char *id = skit_json_string(lr, "id");
    json_t *options = id ? emu_wa_authentication_options(e, NULL, NULL, id) : NULL;
    if (!options)
        return -1;
    /* names other tests' "Email address" and "Sign in" lookups do not also match */
    skit_buf_puts(out, "<section aria-labelledby=\"passkeys\">\n<h2 id=\"passkeys\">Sign in with a passkey</h2>\n");
    int rc = ceremony_form(e, out, "get", "/oauth/passkeys/authenticate", options, id, "Use a passkey");
    json_decref(options);
    /* a new passkey for an email address: its own page, which begins the registration */
    skit_buf_puts(out, "<form id=\"passkey-new\" method=\"post\" action=\"");
    emu_html_escape(out, e->url);
    skit_buf_puts(out, "/oauth/passkeys/register:begin\">\n<input type=\"hidden\" name=\"login_request_id\" value=\"");
    emu_html_escape(out, id);
    skit_buf_puts(out, "\">\n<label for=\"passkey-email\">Email for a new passkey</label>\n"
                       "<input id=\"passkey-email\" name=\"email\" type=\"email\" autocomplete=\"email webauthn\" "
                       "required>\n<button type=\"submit\" class=\"secondary\">Create a passkey</button>\n</form>\n");
    return rc == 0 && skit_buf_puts(out, "</section>\n") == SCALEKIT_OK ? 0 : -1;
}

/* The pending login request of the form; NULL after the refusal page. */
static json_t *form_request(emu *e, emu_req *r, int *rc)
{
    const char *why = "unknown";
    const char *id = emu_form(r, "login_request_id");
    json_t *lr = id ? emu_login_request_get(e, id, &why) : NULL;
    if (!lr)
        *rc = emu_login_refused_page(r, why);
    return lr;
}

/* POST /oauth/passkeys/register:begin {login_request_id, email}: the page that creates the passkey. */
static int post_register_begin(emu *e, emu_req *r)
{
    int rc;
    json_t *lr = form_request(e, r, &rc);
    if (!lr)
        return rc;
    const char *id = skit_json_string(lr, "id"), *email = emu_form(r, "email");
    const char *at = email ? strchr(email, '@') : NULL;
    if (!at || at == email || !at[1] || strpbrk(email, " \t\r\n<>\"(),;:")) {
        rc = emu_login_page(e, r, 400, id, NULL, "Enter a valid email address for the new passkey.");
        json_decref(lr);
        return rc;
    }
    char *user_id = emu_user_ensure(e, email, skit_json_string(lr, "organization_id"));
    json_t *user = user_id ? emu_user_row(e, user_id) : NULL;
    json_t *options = user ? emu_wa_registration_options(e, user, NULL, NULL, id) : NULL;
    skit_buf in = SKIT_BUF_INIT;
    skit_buf_puts(&in, "<p>Create a passkey for <strong>");
    emu_html_escape(&in, email);
    skit_buf_puts(&in, "</strong>. It signs you in now, and next time without an email.</p>\n");
    /* the form's answer redirects to the app: the CSP's form-action must allow its origin */
    char origin[512];
    rc = options && ceremony_form(e, &in, "create", "/oauth/passkeys/register", options, id, "Create passkey") == 0 &&
                 emu_redirect_uri_origin(skit_json_string(lr, "redirect_uri"), origin, sizeof origin)
             ? emu_reply_page(r, 200, "Create a passkey", &in, origin)
             : -1;
    skit_buf_free(&in);
    json_decref(options);
    json_decref(user);
    json_decref(lr);
    free(user_id);
    return rc;
}

/* The form's credential member as JSON; NULL when absent or not an object. */
static json_t *form_credential(emu_req *r)
{
    const char *text = emu_form(r, "credential");
    json_t *c = text ? json_loads(text, JSON_REJECT_DUPLICATES, NULL) : NULL;
    if (c && !json_is_object(c)) {
        json_decref(c);
        c = NULL;
    }
    return c;
}

/* Finish login request @p lr as the owner of credential row @p cred. */
static int finish_login(emu *e, emu_req *r, const json_t *lr, const json_t *cred)
{
    json_t *user = emu_user_row(e, skit_json_string(cred, "user_id"));
    int rc = user ? emu_login_finish(e, r, skit_json_string(lr, "id"),
                                     &(emu_login_identity){.email = skit_json_string(user, "email"),
                                                           .connection_type = "WEBAUTHN",
                                                           .provider_user_id = skit_json_string(cred, "id")})
                  : emu_login_page(e, r, 400, skit_json_string(lr, "id"), NULL, "The passkey's user was deleted.");
    json_decref(user);
    return rc;
}

/* The ceremonies' finish on the page: @p finish_fn verifies, the login finishes or the page says why. */
static int post_finish(emu *e, emu_req *r, bool create)
{
    int rc;
    json_t *lr = form_request(e, r, &rc);
    if (!lr)
        return rc;
    const char *id = skit_json_string(lr, "id");
    json_t *credential = form_credential(r);
    emu_wa_failure f = {400, "INVALID_ARGUMENT", {"the form carries no passkey answer"}};
    json_t *row = !credential ? NULL
                  : create   ? emu_wa_register(e, r, credential, NULL, id, &f)
                             : emu_wa_authenticate(e, credential, id, &f);
    if (row) {
        rc = finish_login(e, r, lr, row);
    } else {
        char problem[320];
        snprintf(problem, sizeof problem, "Passkey %s failed: %s", create ? "registration" : "sign-in", f.why.text);
        rc = emu_login_page(e, r, 400, id, NULL, problem);
    }
    json_decref(row);
    json_decref(credential);
    json_decref(lr);
    return rc;
}

static int post_register(emu *e, emu_req *r) { return post_finish(e, r, true); }
static int post_authenticate(emu *e, emu_req *r) { return post_finish(e, r, false); }

const emu_route emu_webauthn_page_routes[] = {
    {"POST", "/oauth/passkeys/register:begin", post_register_begin, ""},
    {"POST", "/oauth/passkeys/register", post_register, ""},
    {"POST", "/oauth/passkeys/authenticate", post_authenticate, ""},
    {NULL, NULL, NULL, NULL}
};
