-- Multi-factor sign-in (SPEC S2): a TOTP secret per account (sealed; pending until confirmed),
-- the last accepted time step (each code works once), single-use recovery codes, and the
-- short-lived challenges between the password and the code.
ALTER TABLE accounts ADD COLUMN totp_sealed BLOB;
ALTER TABLE accounts ADD COLUMN totp_enabled_at INTEGER;
ALTER TABLE accounts ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;

CREATE TABLE recovery_codes (
    code_hash  TEXT PRIMARY KEY CHECK (length(code_hash) = 64),
    tenant_id  INTEGER NOT NULL CHECK (tenant_id >= 0),
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT;
CREATE INDEX recovery_codes_account ON recovery_codes(tenant_id, account_id);

CREATE TABLE mfa_challenges (
    token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    tenant_id  INTEGER NOT NULL CHECK (tenant_id >= 0),
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    client_address TEXT NOT NULL CHECK (length(client_address) <= 64)
) STRICT;
