-- Mail waiting to go out (SPEC "Notifications"): written in the same transaction as the change
-- that causes it, sent after commit by the relay. Recipient, subject and text are one sealed
-- payload under the tenant's key, so the table needs no row-level security: the relay reads
-- every tenant's rows and only the keyring opens them. last_error never holds an address.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    tenant_id       INTEGER NOT NULL CHECK (tenant_id >= 0),
    kind            TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 64),
    payload_sealed  BLOB NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at INTEGER NOT NULL,
    sent_at         INTEGER,
    failed_at       INTEGER,
    last_error      TEXT CHECK (length(last_error) <= 200)
) STRICT;
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- Customers who sign up themselves prove their address before they can sign in; redeeming any
-- emailed link proves it too.
ALTER TABLE accounts ADD COLUMN email_verified_at INTEGER;
UPDATE accounts SET email_verified_at = created_at;
