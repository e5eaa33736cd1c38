-- Data lifecycle (issue 8, SPEC S12/S15). A terminated tenant's dates: purged (every row gone,
-- code and name kept) 30 days after termination, its key destroyed by day 37.
ALTER TABLE tenants ADD COLUMN terminated_at bigint;
ALTER TABLE tenants ADD COLUMN purged_at bigint;
ALTER TABLE tenants ADD COLUMN key_destroyed_at bigint;

-- Audit retention: entries of a chain up to `seq` were deleted; `hash` is the last one's, so
-- the rest of the chain still verifies from here. The audit log stays append-only except for
-- a prefix below its anchor (the trigger below), and each prune is itself an audit entry.
CREATE TABLE audit_anchors (
    chain bigint PRIMARY KEY CHECK (chain >= 0),
    seq   bigint NOT NULL CHECK (seq >= 1),
    hash  text NOT NULL CHECK (length(hash) = 64),
    at    bigint NOT NULL
);
ALTER TABLE audit_anchors ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_anchors FORCE ROW LEVEL SECURITY;
CREATE POLICY chain_isolation ON audit_anchors
    USING (chain = coalesce(NULLIF(current_setting('app.tenant_id', true), '')::bigint, 0))
    WITH CHECK (chain = coalesce(NULLIF(current_setting('app.tenant_id', true), '')::bigint, 0));

DROP TRIGGER audit_log_no_update ON audit_log;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE FUNCTION audit_log_delete_below_anchor() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.seq > coalesce((SELECT seq FROM audit_anchors WHERE chain = OLD.chain), 0) THEN
        RAISE EXCEPTION 'audit_log is append-only';
    END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_delete_below_anchor();
