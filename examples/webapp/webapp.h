/*
 * The example web application: sign-in with Scalekit (OIDC authorization code
 * flow with PKCE), a server-side session, an admin page gated by a permission,
 * sign-out, and a webhook endpoint. main.c runs it as a program; the tests
 * start it in-process. Everything else is in app.h.
 */
#ifndef WEBAPP_H
#define WEBAPP_H

typedef struct webapp webapp;

typedef struct webapp_config {
    const char *env_url;          /* the Scalekit environment URL; required */
    const char *client_id;        /* required */
    const char *client_secret;    /* required */
    /* The signing secret of the webhook endpoint ("whsec_..."); NULL: /webhooks
     * refuses every delivery, since it could not tell a forged one. */
    const char *webhook_secret;
    /* The organization users sign in to (organization_id of the authorization
     * URL); NULL: the environment's own login, no organization. */
    const char *organization_id;
    const char *host;             /* listen address; NULL = "127.0.0.1" */
    int port;                     /* 0 = a free port */
    /* The URL the browser uses to reach the app ("https://app.example.com");
     * NULL = http://host:port. The redirect URIs are built on it, and cookies
     * get the Secure flag when it is https. */
    const char *public_url;
    const char *admin_permission; /* the permission /admin needs; NULL = "members:read" */
    long session_lifetime_seconds;/* absolute lifetime of a session; 0 = 8 hours */
    /* Refresh the access token this long before it expires; 0 = 30 seconds. */
    long refresh_margin_seconds;
    int quiet;                    /* no request log on stderr */
} webapp_config;

/* Start listening; *out receives the running app. 0, or -1 with the reason on stderr. */
int webapp_start(const webapp_config *config, webapp **out);
/* Stop: closes the socket, joins the threads, frees everything. Safe on NULL. */
void webapp_stop(webapp *app);
/* The URL the browser uses (public_url, or http://host:port). Owned by @p app. */
const char *webapp_url(const webapp *app);
/* The port it listens on. */
int webapp_port(const webapp *app);

#endif
