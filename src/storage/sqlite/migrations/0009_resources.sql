-- Resources (SPEC "The booking domain"): what offerings book. Weekly hours are JSON
-- ([[[opens, closes], …] × 7], Monday first, minutes after local midnight); date exceptions
-- have their own rows ('[]' = closed all day).
CREATE TABLE resources (
    id                    INTEGER PRIMARY KEY,
    tenant_id             INTEGER NOT NULL CHECK (tenant_id > 0),
    kind                  TEXT NOT NULL CHECK (kind IN ('room', 'facility', 'equipment', 'staff')),
    name                  TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 800),
    description           TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 8000),
    units                 INTEGER NOT NULL DEFAULT 1 CHECK (units BETWEEN 1 AND 100000),
    seats                 INTEGER CHECK (seats BETWEEN 1 AND 100000),
    buffer_before_minutes INTEGER NOT NULL DEFAULT 0 CHECK (buffer_before_minutes BETWEEN 0 AND 1440),
    buffer_after_minutes  INTEGER NOT NULL DEFAULT 0 CHECK (buffer_after_minutes BETWEEN 0 AND 1440),
    closed_on_holidays    INTEGER NOT NULL DEFAULT 0 CHECK (closed_on_holidays IN (0, 1)),
    account_id            INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    status                TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    weekly_hours          TEXT NOT NULL CHECK (length(weekly_hours) <= 4000),
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
) STRICT;
CREATE INDEX resources_tenant ON resources(tenant_id, id);

CREATE TABLE resource_exceptions (
    tenant_id   INTEGER NOT NULL CHECK (tenant_id > 0),
    resource_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    day         TEXT NOT NULL CHECK (length(day) = 10),
    hours       TEXT NOT NULL CHECK (length(hours) <= 1000),
    note        TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 800),
    PRIMARY KEY (tenant_id, resource_id, day)
) STRICT;
