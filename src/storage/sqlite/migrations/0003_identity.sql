-- Identity (SPEC S1–S6): accounts, sessions, one-time tokens, login attempts, address rules.
-- Accounts and sessions live in the chain of their tenant like audit entries: tenant_id 0 holds
-- the platform's operators. (PostgreSQL adds row-level security on the tenant-owned tables.)
CREATE TABLE accounts (
    id                  INTEGER PRIMARY KEY,
    tenant_id           INTEGER NOT NULL CHECK (tenant_id >= 0),
    role                TEXT NOT NULL CHECK (role IN ('operator', 'manager', 'staff', 'customer')),
    status              TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    email_index         TEXT NOT NULL CHECK (length(email_index) = 64),
    email_sealed        BLOB NOT NULL,
    name_sealed         BLOB NOT NULL,
    password_hash       TEXT CHECK (password_hash LIKE '$argon2id$%'),
    failed_logins       INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until        INTEGER,
    created_at          INTEGER NOT NULL,
    password_changed_at INTEGER,
    last_login_at       INTEGER,
    UNIQUE (tenant_id, email_index),
    CHECK ((tenant_id = 0) = (role = 'operator'))
) STRICT;

CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY CHECK (length(id_hash) = 64),
    tenant_id    INTEGER NOT NULL CHECK (tenant_id >= 0),
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    public_id    TEXT NOT NULL UNIQUE CHECK (length(public_id) = 16),
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    idle_expires_at     INTEGER NOT NULL,
    absolute_expires_at INTEGER NOT NULL,
    reauthenticated_at  INTEGER NOT NULL,
    client_address TEXT NOT NULL CHECK (length(client_address) <= 64),
    user_agent     TEXT NOT NULL CHECK (length(user_agent) <= 512)
) STRICT;
CREATE INDEX sessions_account ON sessions(tenant_id, account_id);

CREATE TABLE account_tokens (
    token_hash  TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    tenant_id   INTEGER NOT NULL CHECK (tenant_id >= 0),
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('setup', 'reset', 'verify')),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
) STRICT;

CREATE TABLE login_attempts (
    id             INTEGER PRIMARY KEY,
    tenant_id      INTEGER NOT NULL CHECK (tenant_id >= 0),
    subject        TEXT NOT NULL CHECK (length(subject) <= 64),
    client_address TEXT NOT NULL CHECK (length(client_address) <= 64),
    at             INTEGER NOT NULL,
    result         TEXT NOT NULL CHECK (result IN ('success', 'failure', 'locked', 'blocked'))
) STRICT;
CREATE INDEX login_attempts_address_at ON login_attempts(client_address, at);

CREATE TABLE address_rules (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('block', 'allow')),
    cidr       TEXT NOT NULL CHECK (length(cidr) BETWEEN 3 AND 49),
    reason     TEXT NOT NULL CHECK (length(reason) <= 500),
    source     TEXT NOT NULL CHECK (source IN ('operator', 'automatic')),
    created_at INTEGER NOT NULL,
    expires_at INTEGER
) STRICT;
CREATE INDEX address_rules_kind ON address_rules(kind, expires_at);
