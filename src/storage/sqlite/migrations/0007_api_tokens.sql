-- API tokens for integrations and kiosk devices (SPEC S6): scoped to a few permissions, shown
-- once, stored as a BLAKE2b hash, revocable, last use recorded.
CREATE TABLE api_tokens (
    id                INTEGER PRIMARY KEY,
    tenant_id         INTEGER NOT NULL CHECK (tenant_id > 0),
    kind              TEXT NOT NULL CHECK (kind IN ('integration', 'kiosk')),
    name              TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 400),
    token_hash        TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    hint              TEXT NOT NULL CHECK (length(hint) <= 32),
    scopes            TEXT NOT NULL CHECK (length(scopes) <= 1000),
    created_by        INTEGER NOT NULL,
    created_at        INTEGER NOT NULL,
    expires_at        INTEGER,
    last_used_at      INTEGER,
    last_used_address TEXT CHECK (length(last_used_address) <= 64),
    revoked_at        INTEGER
) STRICT;
CREATE INDEX api_tokens_tenant ON api_tokens(tenant_id, id);
