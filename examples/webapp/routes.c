/* Every page of the app: method, path, handler. server.c dispatches on it. */
#include "app.h"

const app_route app_routes[] = {
    {"GET", "/", handle_home},
    {"GET", "/login", handle_login},
    {"GET", "/callback", handle_callback},
    {"POST", "/logout", handle_logout},
    {"GET", "/signed-out", handle_signed_out},
    {"GET", "/account", handle_account},
    {"GET", "/admin", handle_admin},
    {"GET", "/events", handle_events},
    {"POST", "/webhooks", handle_webhook},
    {NULL, NULL, NULL}
};
