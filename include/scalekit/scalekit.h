/**
 * @file scalekit/scalekit.h
 * The Scalekit SDK for C: include this one header.
 */
#ifndef SCALEKIT_H
#define SCALEKIT_H

#include "version.h"
#include "export.h"
#include "error.h"
#include "client.h"
#include "auth.h"
#include "token.h"
#include "webhook.h"
#include "common.h"
#include "organization.h"
#include "user.h"
#include "session.h"
#include "domain.h"
#include "auth_service.h"
#include "directory.h"
#include "role.h"
#include "permission.h"
#include "connection.h"
#include "webauthn.h"
#include "authz.h"
#include "m2m.h"
#include "auth_log.h"
#include "passwordless.h"
#include "event.h"

#endif
