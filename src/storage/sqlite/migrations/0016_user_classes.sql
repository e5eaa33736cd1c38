-- User classes (利用者区分, ADR 0012): a tenant's classes of customer (resident, non-resident, a
-- registered group…) with a price factor and their own booking window; a customer account
-- belongs to at most one, set by the tenant.
CREATE TABLE user_classes (
    id                   INTEGER PRIMARY KEY,
    tenant_id            INTEGER NOT NULL CHECK (tenant_id > 0),
    name                 TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 400),
    price_percent        INTEGER NOT NULL CHECK (price_percent BETWEEN 0 AND 1000),
    opens_before_minutes INTEGER CHECK (opens_before_minutes BETWEEN 0 AND 1051200),
    created_at           INTEGER NOT NULL
) STRICT;
CREATE INDEX user_classes_tenant ON user_classes(tenant_id, id);
ALTER TABLE accounts ADD COLUMN user_class_id INTEGER REFERENCES user_classes(id) ON DELETE SET NULL;
