-- Staff rights per resource (issue 24, SPEC S6): a manager limits a staff member to chosen
-- resources and offerings; each row names one of either. An account without rows is not
-- limited. Rows go with their account; resources and offerings are archived, never deleted.
CREATE TABLE staff_scopes (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL CHECK (tenant_id > 0),
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    resource_id INTEGER REFERENCES resources(id),
    offering_id INTEGER REFERENCES offerings(id),
    created_at  INTEGER NOT NULL,
    CHECK ((resource_id IS NULL) <> (offering_id IS NULL))
) STRICT;
CREATE INDEX staff_scopes_account ON staff_scopes(tenant_id, account_id);
