-- The emulator's whole state, one SQLite schema. Embedded into the binary at
-- build time (CMake turns it into emu_schema_sql[]) and applied on every start,
-- so every statement must be idempotent (IF NOT EXISTS). A resource file that
-- needs a table adds it here.

-- Free-form environment settings: environment_id, api token revocation, ...
CREATE TABLE IF NOT EXISTS settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- OAuth clients. The generated client id/secret are stored so a restart on the
-- same data file reuses them.
CREATE TABLE IF NOT EXISTS clients (
    id         TEXT PRIMARY KEY,
    secret     TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- Token signing keys (PKCS#8 PEM). retired_at = 0 for the current key; a
-- retired key stays in /keys until retired_at + key_grace_seconds, then it is
-- deleted (keys.c prunes on rotation, on /keys reads and at start).
CREATE TABLE IF NOT EXISTS signing_keys (
    kid        TEXT PRIMARY KEY,
    alg        TEXT NOT NULL,
    pem        TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    retired_at INTEGER NOT NULL DEFAULT 0
);

-- Users (emulator/users.c): email unique in the environment whatever its case,
-- external_id unique when set. given_name, family_name and name are the ID
-- token's profile claims; profile holds the rest of user_profile (JSON object).
-- A column added to an existing table must be nullable or have a default: the
-- store adds it to the data file of an earlier build (store.c).
CREATE TABLE IF NOT EXISTS users (
    id             TEXT PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    external_id    TEXT,
    given_name     TEXT,
    family_name    TEXT,
    name           TEXT,
    email_verified INTEGER NOT NULL DEFAULT 0,
    metadata       TEXT NOT NULL DEFAULT '{}',
    create_time    INTEGER NOT NULL,
    update_time    INTEGER NOT NULL,
    last_login_time INTEGER,
    profile        TEXT NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX IF NOT EXISTS users_external_id ON users(external_id);

-- Memberships (emulator/memberships.c): roles a JSON array of role names;
-- membership_status ACTIVE, INACTIVE, PENDING_INVITE or INVITE_EXPIRED; an
-- invitation's token is stored hashed and spent on acceptance.
CREATE TABLE IF NOT EXISTS memberships (
    organization_id TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    roles           TEXT NOT NULL DEFAULT '[]',
    membership_status TEXT NOT NULL DEFAULT 'ACTIVE',
    created_at      INTEGER NOT NULL,
    metadata        TEXT NOT NULL DEFAULT '{}',
    inviter_email   TEXT,
    provisioning_method TEXT,
    accepted_at     INTEGER,
    expires_at      INTEGER,
    resent_at       INTEGER,
    resent_count    INTEGER NOT NULL DEFAULT 0,
    invite_hash     TEXT,
    PRIMARY KEY (organization_id, user_id)
);

-- Sessions (emulator/sessions.c), made by the hosted login. Expiry follows
-- the organization's session policy; ended_at and end_reason ('revoked',
-- 'logout') say how one ended early.
CREATE TABLE IF NOT EXISTS sessions (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL,
    organization_id TEXT,
    client_id       TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    ended_at        INTEGER,
    end_reason      TEXT,
    user_agent      TEXT,
    ip              TEXT,
    last_active_at  INTEGER,
    updated_at      INTEGER,
    absolute_expires_at INTEGER,
    idle_expires_at INTEGER
);

-- The emulator's mailbox (emulator/mailbox.c): what the environment would
-- have emailed, newest first at /_emulator/mailbox.
CREATE TABLE IF NOT EXISTS mailbox (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    to_email        TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    link            TEXT,
    organization_id TEXT,
    user_id         TEXT,
    created_at      INTEGER NOT NULL
);

-- Authorization codes, stored hashed (SHA-256 hex); single use.
CREATE TABLE IF NOT EXISTS auth_codes (
    code_hash       TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL,
    redirect_uri    TEXT NOT NULL,
    code_challenge  TEXT,
    code_challenge_method TEXT,
    nonce           TEXT,
    scope           TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    organization_id TEXT,
    session_id      TEXT NOT NULL,
    expires_at      INTEGER NOT NULL,
    used            INTEGER NOT NULL DEFAULT 0
);

-- Opaque refresh tokens, stored hashed; rotating (a used one is revoked).
CREATE TABLE IF NOT EXISTS refresh_tokens (
    token_hash      TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    organization_id TEXT,
    session_id      TEXT NOT NULL,
    scope           TEXT NOT NULL,
    nonce           TEXT,
    created_at      INTEGER NOT NULL,
    revoked         INTEGER NOT NULL DEFAULT 0
);

-- Grant families (RFC 9700 section 4.14): one per authorization code, named by
-- the code's hash; every token issued from that code, first and rotated,
-- belongs to it, so a replayed code or refresh token revokes them all. A
-- family is marked revoked before its tokens exist when a replay races the
-- first exchange. New tables rather than new columns: an older data file opens.
CREATE TABLE IF NOT EXISTS grant_families (
    id         TEXT PRIMARY KEY,
    revoked    INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

-- The tokens of a family: kind 'access' (token = jti) or 'refresh' (token =
-- the refresh token's hash).
CREATE TABLE IF NOT EXISTS grant_tokens (
    family_id TEXT NOT NULL,
    kind      TEXT NOT NULL,
    token     TEXT NOT NULL,
    PRIMARY KEY (kind, token)
);
CREATE INDEX IF NOT EXISTS grant_tokens_family ON grant_tokens(family_id);

-- Redirect URIs registered for the environment (--redirect-uri,
-- /_emulator/redirect-uris), matched as exact strings; loopback URIs need none.
CREATE TABLE IF NOT EXISTS redirect_uris (
    uri        TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL
);

-- Every access token issued, so /_emulator/api-tokens:revoke can invalidate them.
CREATE TABLE IF NOT EXISTS access_tokens (
    jti        TEXT PRIMARY KEY,
    client_id  TEXT NOT NULL,
    issued_at  INTEGER NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0
);

-- Organizations (emulator/organizations.c). external_id and slug are unique per
-- environment when set (SQLite UNIQUE lets any number of NULLs through).
-- features is the JSON array of settings.features (a new organization's toggles
-- are all off); metadata a JSON object.
-- Session timeouts are stored in minutes (the API answers in minutes).
CREATE TABLE IF NOT EXISTS organizations (
    id                TEXT PRIMARY KEY,
    display_name      TEXT NOT NULL,
    external_id       TEXT UNIQUE,
    region_code       TEXT NOT NULL DEFAULT 'US',
    slug              TEXT UNIQUE,
    logo_url          TEXT,
    metadata          TEXT NOT NULL DEFAULT '{}',
    features          TEXT NOT NULL
                      DEFAULT '[{"name":"sso","enabled":false},{"name":"dir_sync","enabled":false}]',
    max_allowed_users INTEGER,
    policy_source     TEXT NOT NULL DEFAULT 'APPLICATION',
    absolute_session_timeout INTEGER,
    idle_session_timeout_enabled INTEGER,
    idle_session_timeout INTEGER,
    create_time       INTEGER NOT NULL,
    update_time       INTEGER NOT NULL
);

-- Domains of organizations (emulator/domains.c): unique in the environment,
-- whatever their case. verification_status NULL: not checked yet (PENDING, or
-- AUTO_VERIFIED for an ALLOWED_EMAIL_DOMAIN); the TXT record secret is the value
-- a DNS check would look for.
CREATE TABLE IF NOT EXISTS domains (
    id                  TEXT PRIMARY KEY,
    organization_id     TEXT NOT NULL,
    environment_id      TEXT NOT NULL,
    domain              TEXT NOT NULL UNIQUE COLLATE NOCASE,
    domain_type         TEXT NOT NULL DEFAULT 'ORGANIZATION_DOMAIN',
    verification_status TEXT,
    txt_record_secret   TEXT NOT NULL DEFAULT (lower(hex(randomblob(16)))),
    create_time         INTEGER NOT NULL,
    update_time         INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS domains_organization ON domains(organization_id);

-- Admin portal links: valid until expire_time, deleted with their organization.
CREATE TABLE IF NOT EXISTS portal_links (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    features        TEXT NOT NULL DEFAULT '[]',
    expire_time     INTEGER NOT NULL
);

-- An opened admin portal link (emulator/portal.c): usable for an hour from its
-- first opening (which its expire_time bounds); its forms carry csrf_token.
CREATE TABLE IF NOT EXISTS portal_sessions (
    link_id         TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    csrf_token      TEXT NOT NULL,
    opened_time     INTEGER NOT NULL
);

-- The webhook outbox (emulator/events.c): an event is inserted in the same
-- transaction as the write that causes it, and sent in seq (commit) order by
-- the delivery thread, which resumes undelivered rows after a restart.
-- id is the event id and webhook-id; times are Unix milliseconds.
CREATE TABLE IF NOT EXISTS outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL UNIQUE,
    type            TEXT NOT NULL,
    body            TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    delivered_at    INTEGER,
    abandoned_at    INTEGER
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox(seq) WHERE delivered_at IS NULL AND abandoned_at IS NULL;

-- Permissions (emulator/permissions.c), addressed by their unique name. type
-- is ENVIRONMENT for every permission created through the API.
CREATE TABLE IF NOT EXISTS permissions (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT,
    type        TEXT NOT NULL DEFAULT 'ENVIRONMENT',
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL
);

-- Roles (emulator/roles.c): an environment role has no organization_id, an
-- organization role its organization's. A name is taken once among the
-- environment's roles and once per organization; roles.c also keeps an
-- organization role from taking an environment role's name. extends is the
-- base role's name (resolved in the organization first, then the environment).
CREATE TABLE IF NOT EXISTS roles (
    id              TEXT PRIMARY KEY,
    organization_id TEXT,
    name            TEXT NOT NULL,
    display_name    TEXT,
    description     TEXT,
    extends         TEXT,
    create_time     INTEGER NOT NULL,
    update_time     INTEGER NOT NULL,
    UNIQUE (organization_id, name)
);
CREATE UNIQUE INDEX IF NOT EXISTS roles_environment_name ON roles(name) WHERE organization_id IS NULL;

-- A role's own permissions, in the order they were attached.
CREATE TABLE IF NOT EXISTS role_permissions (
    role_id       TEXT NOT NULL,
    permission_id TEXT NOT NULL,
    PRIMARY KEY (role_id, permission_id)
);
CREATE INDEX IF NOT EXISTS role_permissions_permission ON role_permissions(permission_id);

-- A deleted role or permission leaves no attachment behind, whoever deletes it
-- (an organization's delete takes its roles).
CREATE TRIGGER IF NOT EXISTS roles_detach AFTER DELETE ON roles
BEGIN DELETE FROM role_permissions WHERE role_id = OLD.id; END;
CREATE TRIGGER IF NOT EXISTS permissions_detach AFTER DELETE ON permissions
BEGIN DELETE FROM role_permissions WHERE permission_id = OLD.id; END;

-- Default roles: organization_id '' holds the environment's creator and member
-- roles, an organization's row its own default member role (names).
CREATE TABLE IF NOT EXISTS role_defaults (
    organization_id TEXT PRIMARY KEY,
    default_creator TEXT,
    default_member  TEXT
);

-- A new environment has the roles a Scalekit environment starts with: admin
-- (the default creator) and member (the default member), seeded once, so a
-- deleted one stays deleted after a restart.
INSERT OR IGNORE INTO roles(id, name, display_name, description, create_time, update_time)
SELECT 'role_' || lower(hex(randomblob(8))), 'admin', 'Admin', 'Administers the organization',
       unixepoch(), unixepoch()
WHERE NOT EXISTS (SELECT 1 FROM role_defaults WHERE organization_id = '');
INSERT OR IGNORE INTO roles(id, name, display_name, description, create_time, update_time)
SELECT 'role_' || lower(hex(randomblob(8))), 'member', 'Member', 'A member of the organization',
       unixepoch(), unixepoch()
WHERE NOT EXISTS (SELECT 1 FROM role_defaults WHERE organization_id = '');
INSERT OR IGNORE INTO role_defaults(organization_id, default_creator, default_member) VALUES ('', 'admin', 'member');

-- ---- Sign-in, SSO and directories (shared by several files; keep in step) ----

-- Authorization requests (emulator/login.c): each GET or one-shot POST of
-- /oauth/authorize that passed the client checks becomes one row, which every
-- sign-in method (email on the hosted page, SSO, passwordless, passkey, a custom
-- login) finishes through emu_login_finish; the authentication logs read them.
-- status: PENDING, SUCCESS, FAILED (terminal once left PENDING).
-- login_hint: what the app passed; email: who finished it.
CREATE TABLE IF NOT EXISTS login_requests (
    id                    TEXT PRIMARY KEY,
    client_id             TEXT NOT NULL,
    redirect_uri          TEXT NOT NULL,
    scope                 TEXT,
    state                 TEXT,
    nonce                 TEXT,
    code_challenge        TEXT,
    code_challenge_method TEXT,
    organization_id       TEXT,
    connection_id         TEXT,
    domain_hint           TEXT,
    login_hint            TEXT,
    provider              TEXT,
    prompt                TEXT,
    status                TEXT NOT NULL DEFAULT 'PENDING',
    email                 TEXT,
    user_id               TEXT,
    connection_type       TEXT,
    connection_provider   TEXT,
    error                 TEXT,
    error_description     TEXT,
    ip                    TEXT,
    user_agent            TEXT,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    expires_at            INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS login_requests_created ON login_requests(created_at);

-- Claims a sign-in method adds to a session's ID token (identities naming the
-- SSO connection, a custom login's groups, roles and attributes): a JSON object
-- merged into the ID token on every grant of the session, refresh included.
CREATE TABLE IF NOT EXISTS session_claims (
    session_id TEXT PRIMARY KEY,
    claims     TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS sessions_claims_detach AFTER DELETE ON sessions
BEGIN DELETE FROM session_claims WHERE session_id = OLD.id; END;

-- SSO and other connections (emulator/connections.c). organization_id NULL:
-- an environment connection (passwordless, passkeys). type and provider are the
-- API's enums; each *_config is the JSON object of the API member of that name
-- (oidc_config, saml_config, passwordless_config, webauthn_config,
-- static_config), NULL when absent; attribute_mapping a JSON object.
CREATE TABLE IF NOT EXISTS connections (
    id                TEXT PRIMARY KEY,
    organization_id   TEXT,
    environment_id    TEXT NOT NULL,
    type              TEXT NOT NULL,
    provider          TEXT NOT NULL DEFAULT 'CUSTOM',
    provider_key      TEXT,
    key_id            TEXT,
    status            TEXT NOT NULL DEFAULT 'DRAFT',
    enabled           INTEGER NOT NULL DEFAULT 0,
    debug_enabled     INTEGER NOT NULL DEFAULT 0,
    oidc_config         TEXT,
    saml_config         TEXT,
    passwordless_config TEXT,
    webauthn_config     TEXT,
    static_config       TEXT,
    attribute_mapping   TEXT,
    create_time       INTEGER NOT NULL,
    update_time       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS connections_organization ON connections(organization_id);

-- Directories (emulator/directories.c): a SCIM endpoint per directory.
-- attribute_mappings, role_assignments: JSON objects of the API members.
CREATE TABLE IF NOT EXISTS directories (
    id                 TEXT PRIMARY KEY,
    organization_id    TEXT NOT NULL,
    environment_id     TEXT NOT NULL,
    name               TEXT,
    directory_type     TEXT NOT NULL DEFAULT 'SCIM',
    directory_provider TEXT,
    status             TEXT NOT NULL DEFAULT 'IN_PROGRESS',
    enabled            INTEGER NOT NULL DEFAULT 0,
    email              TEXT,
    groups_tracked     TEXT,
    attribute_mappings TEXT,
    role_assignments   TEXT,
    last_synced_at     INTEGER,
    create_time        INTEGER NOT NULL,
    update_time        INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS directories_organization ON directories(organization_id);

-- A directory's SCIM bearer secrets, stored as SHA-256 hex; the plain secret
-- is shown once, when created. status ACTIVE or INACTIVE.
CREATE TABLE IF NOT EXISTS directory_secrets (
    id             TEXT PRIMARY KEY,
    directory_id   TEXT NOT NULL,
    secret_hash    TEXT NOT NULL UNIQUE,
    secret_suffix  TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'ACTIVE',
    create_time    INTEGER NOT NULL,
    expire_time    INTEGER,
    last_used_time INTEGER
);
CREATE INDEX IF NOT EXISTS directory_secrets_directory ON directory_secrets(directory_id);

-- What a SCIM client provisioned (emulator/scim*.c). resource is the SCIM
-- resource as last written (RFC 7643 JSON); version its ETag's counter.
-- userName is unique in a directory whatever its case (RFC 7643 section 4.1.1).
CREATE TABLE IF NOT EXISTS directory_users (
    id              TEXT PRIMARY KEY,
    directory_id    TEXT NOT NULL,
    organization_id TEXT NOT NULL,
    external_id     TEXT,
    user_name       TEXT NOT NULL COLLATE NOCASE,
    email           TEXT,
    given_name      TEXT,
    family_name     TEXT,
    display_name    TEXT,
    active          INTEGER NOT NULL DEFAULT 1,
    resource        TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    create_time     INTEGER NOT NULL,
    update_time     INTEGER NOT NULL,
    UNIQUE (directory_id, user_name)
);
CREATE TABLE IF NOT EXISTS directory_groups (
    id              TEXT PRIMARY KEY,
    directory_id    TEXT NOT NULL,
    organization_id TEXT NOT NULL,
    external_id     TEXT,
    display_name    TEXT NOT NULL,
    resource        TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    create_time     INTEGER NOT NULL,
    update_time     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS directory_groups_directory ON directory_groups(directory_id);
CREATE TABLE IF NOT EXISTS directory_group_members (
    group_id TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX IF NOT EXISTS directory_group_members_user ON directory_group_members(user_id);

-- Organization API clients (emulator/org_clients.c): machine-to-machine clients
-- of one organization, granted client-credentials tokens carrying its id (oid),
-- their scopes, audience and custom claims. scopes, audience: JSON arrays of
-- strings; custom_claims: JSON array of {key, value}; expiry: token lifetime in
-- seconds (NULL: the environment's).
CREATE TABLE IF NOT EXISTS org_clients (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    name            TEXT NOT NULL,
    description     TEXT,
    scopes          TEXT NOT NULL DEFAULT '[]',
    audience        TEXT NOT NULL DEFAULT '[]',
    custom_claims   TEXT NOT NULL DEFAULT '[]',
    expiry          INTEGER,
    create_time     INTEGER NOT NULL,
    update_time     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS org_clients_organization ON org_clients(organization_id);

-- An organization client's secrets, stored as SHA-256 hex; the plain secret is
-- answered once, by the create that makes it. Removing one refuses it at once.
CREATE TABLE IF NOT EXISTS org_client_secrets (
    id             TEXT PRIMARY KEY,
    client_id      TEXT NOT NULL,
    secret_hash    TEXT NOT NULL UNIQUE,
    secret_suffix  TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'ACTIVE',
    create_time    INTEGER NOT NULL,
    update_time    INTEGER NOT NULL,
    last_used_time INTEGER
);
CREATE INDEX IF NOT EXISTS org_client_secrets_client ON org_client_secrets(client_id);
-- A deleted organization takes its clients, a deleted client its secrets, whoever deletes them.
CREATE TRIGGER IF NOT EXISTS organizations_org_clients AFTER DELETE ON organizations
BEGIN DELETE FROM org_clients WHERE organization_id = OLD.id; END;
CREATE TRIGGER IF NOT EXISTS org_clients_secrets AFTER DELETE ON org_clients
BEGIN DELETE FROM org_client_secrets WHERE client_id = OLD.id; END;
-- Passkeys (emulator/webauthn*.c). credential_id: the authenticator's credential
-- id, base64url; public_key: the key as DER SubjectPublicKeyInfo, base64url, for
-- COSE algorithm alg (-7 ES256, -257 RS256); sign_count the last counter seen;
-- the four flags as the last ceremony set them (backup_eligible as registered);
-- transports a JSON array; fmt the attestation format; user_agent and ip those
-- of the registering request.
CREATE TABLE IF NOT EXISTS webauthn_credentials (
    id              TEXT PRIMARY KEY,
    credential_id   TEXT NOT NULL UNIQUE,
    user_id         TEXT NOT NULL,
    environment_id  TEXT NOT NULL,
    public_key      TEXT NOT NULL,
    alg             INTEGER NOT NULL,
    sign_count      INTEGER NOT NULL DEFAULT 0,
    aaguid          TEXT NOT NULL,
    attachment      TEXT,
    transports      TEXT NOT NULL DEFAULT '[]',
    fmt             TEXT NOT NULL,
    user_present    INTEGER NOT NULL DEFAULT 0,
    user_verified   INTEGER NOT NULL DEFAULT 0,
    backup_eligible INTEGER NOT NULL DEFAULT 0,
    backup_state    INTEGER NOT NULL DEFAULT 0,
    display_name    TEXT,
    user_agent      TEXT,
    ip              TEXT,
    create_time     INTEGER NOT NULL,
    update_time     INTEGER NOT NULL,
    last_used_time  INTEGER
);
CREATE INDEX IF NOT EXISTS webauthn_credentials_user ON webauthn_credentials(user_id);

-- A begun WebAuthn ceremony, until its finish consumes it (single use) or it
-- expires. ceremony 'create' (registration, user_id set) or 'get'
-- (authentication; user_id NULL lets any discoverable credential answer);
-- login_request_id when the hosted page began it; user_verification the
-- option sent ('required' makes UV mandatory).
CREATE TABLE IF NOT EXISTS webauthn_challenges (
    challenge         TEXT PRIMARY KEY,
    ceremony          TEXT NOT NULL,
    user_id           TEXT,
    login_request_id  TEXT,
    user_verification TEXT NOT NULL DEFAULT 'preferred',
    display_name      TEXT,
    expires_at        INTEGER NOT NULL
);

-- A sign-in's round trip through a connection (emulator/sso_oidc.c,
-- login_custom.c): the state sent out (stored as SHA-256 hex: unguessable,
-- single use, deleted when it comes back), the login request it resumes, the
-- OIDC nonce and PKCE verifier, and the user a custom login handed over
-- (UpdateLoginUserDetails, JSON) until the browser returns.
CREATE TABLE IF NOT EXISTS sso_round_trips (
    state_hash       TEXT PRIMARY KEY,
    login_request_id TEXT NOT NULL,
    connection_id    TEXT NOT NULL,
    nonce            TEXT,
    code_verifier    TEXT,
    user_details     TEXT,
    created_at       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sso_round_trips_login_request ON sso_round_trips(login_request_id);

-- Passwordless email requests (emulator/passwordless.c): id is the API's
-- auth_request_id. otp_hash: SHA-256 hex of "<id>:<code>", link_hash: of the
-- link token (NULL when the type has none); generation counts regenerations.
-- status PENDING, VERIFIED (finished by a verification) or FAILED (the
-- wrong-code limit); login_request_id: the hosted page's login it finishes.
CREATE TABLE IF NOT EXISTS passwordless_requests (
    id                 TEXT PRIMARY KEY,
    email              TEXT NOT NULL,
    passwordless_type  TEXT NOT NULL,
    template           TEXT,
    state              TEXT,
    magiclink_auth_uri TEXT,
    template_variables TEXT,
    otp_hash           TEXT,
    link_hash          TEXT UNIQUE,
    generation         INTEGER NOT NULL DEFAULT 0,
    attempts           INTEGER NOT NULL DEFAULT 0,
    link_uses          INTEGER NOT NULL DEFAULT 0,
    status             TEXT NOT NULL DEFAULT 'PENDING',
    expires_in         INTEGER NOT NULL,
    expires_at         INTEGER NOT NULL,
    login_request_id   TEXT,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
