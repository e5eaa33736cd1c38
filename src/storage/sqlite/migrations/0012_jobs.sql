-- The outbox becomes the platform's durable job queue (SPEC "Notifications"): every row is a
-- job of a topic (mail, webhook, reminder, line) that a worker of that topic runs after the
-- change that wrote it committed. Failed jobs stay as dead letters a manager can retry; `ref`
-- ties a job to what it is about (a webhook endpoint, a booking) for the delivery log.
ALTER TABLE outbox ADD COLUMN topic TEXT NOT NULL DEFAULT 'mail' CHECK (length(topic) BETWEEN 1 AND 32);
ALTER TABLE outbox ADD COLUMN ref TEXT CHECK (length(ref) <= 64);
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox(topic, next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_tenant ON outbox(tenant_id, id);

-- Platform jobs that run on a schedule, once across all nodes: the node whose guarded UPDATE
-- moves next_run_at on runs it.
CREATE TABLE schedules (
    name        TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),
    next_run_at INTEGER NOT NULL,
    last_run_at INTEGER,
    last_error  TEXT CHECK (length(last_error) <= 200)
) STRICT;

-- Outbound webhooks: where a tenant's events go, which ones ([] = all), and the signing
-- secret, sealed under the tenant's key.
CREATE TABLE webhook_endpoints (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES tenants(id),
    url           TEXT NOT NULL CHECK (length(url) BETWEEN 8 AND 2000),
    description   TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 200),
    events        TEXT NOT NULL DEFAULT '[]' CHECK (length(events) <= 2000),
    secret_sealed BLOB NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints(tenant_id);

-- Secret iCalendar feed URLs: one per resource (staff members are resources) or customer
-- account; only the token's hash is kept. Revoked feeds answer 404.
CREATE TABLE calendar_feeds (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id),
    resource_id INTEGER REFERENCES resources(id) ON DELETE CASCADE,
    account_id  INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER,
    CHECK ((resource_id IS NULL) <> (account_id IS NULL))
) STRICT;
CREATE INDEX calendar_feeds_tenant ON calendar_feeds(tenant_id);

-- Reminders go out this many minutes before a booking starts (0: none). A booking remembers
-- its customer's language, and counts its changes for iCalendar's SEQUENCE.
ALTER TABLE offerings ADD COLUMN reminder_minutes INTEGER NOT NULL DEFAULT 1440 CHECK (reminder_minutes BETWEEN 0 AND 20160);
ALTER TABLE bookings ADD COLUMN locale TEXT NOT NULL DEFAULT 'ja' CHECK (locale IN ('ja', 'en'));
ALTER TABLE bookings ADD COLUMN revision INTEGER NOT NULL DEFAULT 0 CHECK (revision >= 0);
UPDATE bookings SET locale = (SELECT locale FROM tenants WHERE tenants.id = bookings.tenant_id);
