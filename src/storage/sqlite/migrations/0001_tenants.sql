-- Tenants (契約者) and their settings. Times are integer microseconds since the Unix epoch, UTC.
CREATE TABLE tenants (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE
               CHECK (length(code) BETWEEN 2 AND 32 AND code NOT GLOB '*[^a-z0-9-]*'),
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    time_zone  TEXT NOT NULL DEFAULT 'Asia/Tokyo' CHECK (length(time_zone) BETWEEN 1 AND 64),
    locale     TEXT NOT NULL DEFAULT 'ja' CHECK (locale IN ('ja', 'en')),
    status     TEXT NOT NULL DEFAULT 'active'
               CHECK (status IN ('active', 'suspended', 'terminated')),
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE tenant_settings (
    tenant_id  INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    key        TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 100),
    value      TEXT NOT NULL CHECK (length(value) <= 10000),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, key)
) STRICT;
