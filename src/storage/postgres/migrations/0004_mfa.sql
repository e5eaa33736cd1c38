-- Multi-factor sign-in (SPEC S2): a TOTP secret per account (sealed; pending until confirmed),
-- the last accepted time step (each code works once), single-use recovery codes, and the
-- short-lived challenges between the password and the code.
ALTER TABLE accounts ADD COLUMN totp_sealed bytea;
ALTER TABLE accounts ADD COLUMN totp_enabled_at bigint;
ALTER TABLE accounts ADD COLUMN totp_last_step bigint NOT NULL DEFAULT 0;

CREATE TABLE recovery_codes (
    code_hash  text PRIMARY KEY CHECK (length(code_hash) = 64),
    tenant_id  bigint NOT NULL CHECK (tenant_id >= 0),
    account_id bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at bigint NOT NULL,
    used_at    bigint
);
CREATE INDEX recovery_codes_account ON recovery_codes(tenant_id, account_id);

CREATE TABLE mfa_challenges (
    token_hash text PRIMARY KEY CHECK (length(token_hash) = 64),
    tenant_id  bigint NOT NULL CHECK (tenant_id >= 0),
    account_id bigint NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    attempts   integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    client_address text NOT NULL CHECK (length(client_address) <= 64)
);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['recovery_codes', 'mfa_challenges'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY chain_isolation ON %I
            USING (tenant_id = coalesce(NULLIF(current_setting('app.tenant_id', true), '')::bigint, 0))
            WITH CHECK (tenant_id = coalesce(NULLIF(current_setting('app.tenant_id', true), '')::bigint, 0))$p$, t);
    END LOOP;
END $$;
