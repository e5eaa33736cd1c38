-- The audit log (SPEC S12): append-only, one hash chain per tenant (chain 0: the platform).
CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY,
    chain          INTEGER NOT NULL CHECK (chain >= 0),   -- tenant id, 0 for platform events
    seq            INTEGER NOT NULL CHECK (seq >= 1),
    at             INTEGER NOT NULL,
    actor_id       TEXT NOT NULL CHECK (length(actor_id) BETWEEN 1 AND 100),
    actor_role     TEXT NOT NULL CHECK (actor_role IN ('operator', 'manager', 'staff', 'kiosk', 'customer', 'system', 'anonymous')),
    action         TEXT NOT NULL CHECK (length(action) BETWEEN 3 AND 100),
    target         TEXT NOT NULL CHECK (length(target) <= 200),
    client_address TEXT NOT NULL CHECK (length(client_address) <= 64),
    user_agent     TEXT NOT NULL CHECK (length(user_agent) <= 512),
    request_id     TEXT NOT NULL CHECK (length(request_id) <= 64),
    result         TEXT NOT NULL CHECK (result IN ('success', 'failure', 'denied')),
    details        TEXT NOT NULL CHECK (json_valid(details)),
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL,
    UNIQUE (chain, seq)
) STRICT;
CREATE INDEX audit_log_chain_at ON audit_log(chain, at);

-- The head of each chain: appends take its row lock (PostgreSQL) or the single writer
-- (SQLite), so a chain never forks; verification compares the last entry with it, so a
-- removed tail is detected.
CREATE TABLE audit_heads (
    chain INTEGER PRIMARY KEY CHECK (chain >= 0),
    seq   INTEGER NOT NULL CHECK (seq >= 0),
    hash  TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
