-- Incident and maintenance notices (issue 8, SPEC S16), posted by operators: to every tenant
-- (all_tenants) or to those in notice_tenants; a timeline of updates; maintenance announced
-- less than 7 days ahead only as an emergency, with its reason.
CREATE TABLE notices (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('incident', 'maintenance')),
    severity         TEXT NOT NULL CHECK (severity IN ('info', 'minor', 'major', 'critical')),
    title            TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body             TEXT NOT NULL CHECK (length(body) <= 5000),
    starts_at        INTEGER NOT NULL,
    ends_at          INTEGER CHECK (ends_at IS NULL OR ends_at > starts_at),
    all_tenants      INTEGER NOT NULL CHECK (all_tenants IN (0, 1)),
    emergency_reason TEXT CHECK (emergency_reason IS NULL OR length(emergency_reason) BETWEEN 1 AND 500),
    resolved_at      INTEGER,
    created_at       INTEGER NOT NULL,
    created_by       TEXT NOT NULL CHECK (length(created_by) BETWEEN 1 AND 100)
) STRICT;
CREATE INDEX notices_open ON notices(resolved_at, starts_at);

CREATE TABLE notice_tenants (
    notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    tenant_id INTEGER NOT NULL CHECK (tenant_id > 0),
    PRIMARY KEY (notice_id, tenant_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX notice_tenants_tenant ON notice_tenants(tenant_id);

CREATE TABLE notice_updates (
    id        INTEGER PRIMARY KEY,
    notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    at        INTEGER NOT NULL,
    body      TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    resolved  INTEGER NOT NULL CHECK (resolved IN (0, 1))
) STRICT;

-- Platform-wide settings (maintenance mode), read by every node every few seconds.
CREATE TABLE platform_settings (
    key        TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 100),
    value      TEXT NOT NULL CHECK (length(value) <= 10000),
    updated_at INTEGER NOT NULL
) STRICT;
