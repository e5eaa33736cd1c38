-- Data lifecycle (issue 8, SPEC S12/S15). A terminated tenant's dates: purged (every row gone,
-- code and name kept) 30 days after termination, its key destroyed by day 37.
ALTER TABLE tenants ADD COLUMN terminated_at INTEGER;
ALTER TABLE tenants ADD COLUMN purged_at INTEGER;
ALTER TABLE tenants ADD COLUMN key_destroyed_at INTEGER;

-- Audit retention: entries of a chain up to `seq` were deleted; `hash` is the last one's, so
-- the rest of the chain still verifies from here. The audit log stays append-only except for
-- a prefix below its anchor (the trigger below), and each prune is itself an audit entry.
CREATE TABLE audit_anchors (
    chain INTEGER PRIMARY KEY CHECK (chain >= 0),
    seq   INTEGER NOT NULL CHECK (seq >= 1),
    hash  TEXT NOT NULL CHECK (length(hash) = 64),
    at    INTEGER NOT NULL
) STRICT;

DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN OLD.seq > coalesce((SELECT seq FROM audit_anchors WHERE chain = OLD.chain), 0)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
