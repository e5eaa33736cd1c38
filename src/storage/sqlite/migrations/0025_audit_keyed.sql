-- The audit chain is keyed (issue 24): an entry's hash is a BLAKE2b MAC under a key kept in the
-- keys directory, outside the database, so whoever can write the database cannot recompute the
-- chain after rewriting it. Entries written before keying stay as they were (keyed = 0); a
-- verification refuses an unkeyed entry after a keyed one.
ALTER TABLE audit_log ADD COLUMN keyed INTEGER NOT NULL DEFAULT 0 CHECK (keyed IN (0, 1));
