-- Integration tokens act in their own name (actor role 'integration'), which the audit log's
-- role rule did not admit: every write made with such a token failed. SQLite cannot change a
-- CHECK in place, so the table is rebuilt with its rows, index and triggers (DROP TABLE runs
-- no DELETE trigger).
CREATE TABLE audit_log_next (
    id             INTEGER PRIMARY KEY,
    chain          INTEGER NOT NULL CHECK (chain >= 0),
    seq            INTEGER NOT NULL CHECK (seq >= 1),
    at             INTEGER NOT NULL,
    actor_id       TEXT NOT NULL CHECK (length(actor_id) BETWEEN 1 AND 100),
    actor_role     TEXT NOT NULL CHECK (actor_role IN ('operator', 'manager', 'staff', 'kiosk', 'integration', 'customer', 'system', 'anonymous')),
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
INSERT INTO audit_log_next SELECT id, chain, seq, at, actor_id, actor_role, action, target,
    client_address, user_agent, request_id, result, details, prev_hash, hash FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_next RENAME TO audit_log;
CREATE INDEX audit_log_chain_at ON audit_log(chain, at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN OLD.seq > coalesce((SELECT seq FROM audit_anchors WHERE chain = OLD.chain), 0)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
