-- The audit chain no longer serialises a tenant's writes (issue 29, ADR 0027). A transaction
-- writes its entries unlinked (seq, prev_hash and hash empty) and takes no shared row; right
-- after it commits, the chain links whatever is waiting, in order, under a transaction-scoped
-- advisory lock per chain. The append-only rule stays, with one exception: an unlinked entry
-- may be given its place (seq, prev_hash, hash, keyed) exactly once and nothing else of it may
-- change. Unlinked entries cannot be deleted either, not even below a retention anchor.
ALTER TABLE audit_log ALTER COLUMN seq DROP NOT NULL;
ALTER TABLE audit_log ALTER COLUMN prev_hash DROP NOT NULL;
ALTER TABLE audit_log ALTER COLUMN hash DROP NOT NULL;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_linked_whole
    CHECK ((seq IS NULL) = (hash IS NULL) AND (seq IS NULL) = (prev_hash IS NULL));
CREATE INDEX audit_log_unlinked ON audit_log(chain, id) WHERE seq IS NULL;

CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.seq IS NULL AND NEW.seq IS NOT NULL
       AND (OLD.id, OLD.chain, OLD.at, OLD.actor_id, OLD.actor_role, OLD.action, OLD.target,
            OLD.client_address, OLD.user_agent, OLD.request_id, OLD.result, OLD.details)
           IS NOT DISTINCT FROM
           (NEW.id, NEW.chain, NEW.at, NEW.actor_id, NEW.actor_role, NEW.action, NEW.target,
            NEW.client_address, NEW.user_agent, NEW.request_id, NEW.result, NEW.details) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only';
END $$;

CREATE OR REPLACE FUNCTION audit_log_delete_below_anchor() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.seq IS NULL
       OR OLD.seq > coalesce((SELECT seq FROM audit_anchors WHERE chain = OLD.chain), 0) THEN
        RAISE EXCEPTION 'audit_log is append-only';
    END IF;
    RETURN OLD;
END $$;
