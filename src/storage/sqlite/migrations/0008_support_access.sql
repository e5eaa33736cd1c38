-- Support access (SPEC S12): an operator looks into one tenant, read-only, for a stated reason
-- and a limited time. Each grant's start and end are in the tenant's audit log too. Platform-
-- level like the operators who hold it.
CREATE TABLE support_grants (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL CHECK (tenant_id > 0),
    operator_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    reason      TEXT NOT NULL CHECK (length(reason) BETWEEN 10 AND 2000),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    ended_at    INTEGER,
    CHECK (expires_at > created_at)
) STRICT;
CREATE INDEX support_grants_live ON support_grants(tenant_id, operator_id, expires_at);
