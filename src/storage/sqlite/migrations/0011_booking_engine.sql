-- The booking engine's other shapes (ADR 0009): appointments and rentals occupy resources over
-- time, counted in resource_usage buckets of 5 minutes (used + n <= units, one guarded upsert);
-- courses take a seat in every session. Bookings gain their time, the resources they occupy,
-- what capacity they took (so releasing is exact), holds with an expiry, the signed-in
-- customer, and the check-in mark. SQLite cannot relax NOT NULL or a CHECK in place, so
-- bookings (and idempotency_keys, which refers to it) are rebuilt.
ALTER TABLE offerings ADD COLUMN duration_minutes INTEGER NOT NULL DEFAULT 0 CHECK (duration_minutes BETWEEN 0 AND 1440);
ALTER TABLE offerings ADD COLUMN slot_step_minutes INTEGER NOT NULL DEFAULT 0 CHECK (slot_step_minutes BETWEEN 0 AND 1440);
ALTER TABLE offerings ADD COLUMN min_blocks INTEGER NOT NULL DEFAULT 1 CHECK (min_blocks BETWEEN 1 AND 2016);
ALTER TABLE offerings ADD COLUMN max_blocks INTEGER NOT NULL DEFAULT 1 CHECK (max_blocks BETWEEN 1 AND 2016);
ALTER TABLE offerings ADD COLUMN price_jpy INTEGER NOT NULL DEFAULT 0 CHECK (price_jpy BETWEEN 0 AND 10000000);
ALTER TABLE offerings ADD COLUMN requires_approval INTEGER NOT NULL DEFAULT 0 CHECK (requires_approval IN (0, 1));
ALTER TABLE offerings ADD COLUMN resource_ids TEXT NOT NULL DEFAULT '[]' CHECK (length(resource_ids) <= 2000);
ALTER TABLE offerings ADD COLUMN room_id INTEGER REFERENCES resources(id);
ALTER TABLE offerings ADD COLUMN applications_open_at INTEGER;
ALTER TABLE offerings ADD COLUMN applications_close_at INTEGER;
ALTER TABLE offerings ADD COLUMN hold_minutes INTEGER NOT NULL DEFAULT 10 CHECK (hold_minutes BETWEEN 1 AND 60);
ALTER TABLE offerings ADD COLUMN questions TEXT NOT NULL DEFAULT '[]' CHECK (length(questions) <= 40000);

CREATE TABLE idempotency_keys_copy AS SELECT * FROM idempotency_keys;
DROP TABLE idempotency_keys;

CREATE TABLE bookings_next (
    id              INTEGER PRIMARY KEY,
    tenant_id       INTEGER NOT NULL CHECK (tenant_id > 0),
    reference       TEXT NOT NULL CHECK (length(reference) = 10),
    offering_id     INTEGER NOT NULL REFERENCES offerings(id),
    occurrence_id   INTEGER REFERENCES occurrences(id),
    status          TEXT NOT NULL CHECK (status IN ('held', 'pending', 'confirmed', 'cancelled', 'rejected', 'expired', 'checked_in', 'no_show')),
    seats           INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 100000),
    total_jpy       INTEGER NOT NULL CHECK (total_jpy >= 0),
    tickets         TEXT NOT NULL CHECK (length(tickets) <= 4000),
    customer_sealed BLOB NOT NULL,
    email_index     TEXT NOT NULL CHECK (length(email_index) = 64),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    starts_at       INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL,
    resource_id     INTEGER REFERENCES resources(id),
    room_id         INTEGER REFERENCES resources(id),
    capacity_taken  TEXT NOT NULL DEFAULT '{}' CHECK (length(capacity_taken) <= 4000),
    hold_expires_at INTEGER,
    account_id      INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    checked_in_at   INTEGER,
    UNIQUE (tenant_id, reference)
) STRICT;
INSERT INTO bookings_next(id, tenant_id, reference, offering_id, occurrence_id, status, seats,
    total_jpy, tickets, customer_sealed, email_index, created_at, updated_at, starts_at, ends_at,
    capacity_taken)
SELECT b.id, b.tenant_id, b.reference, b.offering_id, b.occurrence_id, b.status, b.seats,
    b.total_jpy, b.tickets, b.customer_sealed, b.email_index, b.created_at, b.updated_at,
    o.starts_at, o.ends_at, '{"occurrences":[' || b.occurrence_id || '],"seats":' || b.seats || ',"usage":[]}'
FROM bookings b JOIN occurrences o ON o.id = b.occurrence_id;
DROP TABLE bookings;
ALTER TABLE bookings_next RENAME TO bookings;
CREATE INDEX bookings_occurrence ON bookings(tenant_id, occurrence_id);
CREATE INDEX bookings_email ON bookings(tenant_id, email_index);
CREATE INDEX bookings_start ON bookings(tenant_id, starts_at);
CREATE INDEX bookings_resource ON bookings(tenant_id, resource_id, starts_at) WHERE resource_id IS NOT NULL;
CREATE INDEX bookings_room ON bookings(tenant_id, room_id, starts_at) WHERE room_id IS NOT NULL;
CREATE INDEX bookings_account ON bookings(tenant_id, account_id) WHERE account_id IS NOT NULL;
CREATE INDEX bookings_holds ON bookings(tenant_id, hold_expires_at) WHERE status = 'held';

CREATE TABLE idempotency_keys (
    tenant_id       INTEGER NOT NULL CHECK (tenant_id > 0),
    idempotency_key TEXT NOT NULL CHECK (length(idempotency_key) BETWEEN 8 AND 128),
    request_hash    TEXT NOT NULL CHECK (length(request_hash) = 64),
    booking_id      INTEGER NOT NULL REFERENCES bookings(id) ON DELETE CASCADE,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, idempotency_key)
) STRICT;
INSERT INTO idempotency_keys SELECT * FROM idempotency_keys_copy;
DROP TABLE idempotency_keys_copy;

-- Time taken on a resource: one row per 5-minute bucket (epoch minutes / 5) that any booking
-- or hold occupies, with how many of the resource's units are used.
CREATE TABLE resource_usage (
    tenant_id   INTEGER NOT NULL CHECK (tenant_id > 0),
    resource_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    bucket      INTEGER NOT NULL,
    used        INTEGER NOT NULL CHECK (used >= 0),
    PRIMARY KEY (tenant_id, resource_id, bucket)
) STRICT, WITHOUT ROWID;
