-- Offerings, occurrences and bookings (ADR 0009). An occurrence's seats are taken by one
-- guarded UPDATE (taken + n <= capacity, also a CHECK as the second wall). A booking's customer
-- is sealed under the tenant's key; email_index is a keyed blind index for look-up. Each
-- creating request's Idempotency-Key is kept with the booking it made.
CREATE TABLE offerings (
    id                    INTEGER PRIMARY KEY,
    tenant_id             INTEGER NOT NULL CHECK (tenant_id > 0),
    kind                  TEXT NOT NULL CHECK (kind IN ('appointment', 'rental', 'event', 'course')),
    name                  TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 800),
    description           TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 16000),
    published             INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
    opens_before_minutes  INTEGER CHECK (opens_before_minutes >= 0),
    closes_before_minutes INTEGER NOT NULL DEFAULT 0 CHECK (closes_before_minutes >= 0),
    cancel_before_minutes INTEGER NOT NULL DEFAULT 0 CHECK (cancel_before_minutes >= 0),
    max_per_order         INTEGER NOT NULL DEFAULT 10 CHECK (max_per_order BETWEEN 1 AND 100),
    ticket_types          TEXT NOT NULL DEFAULT '[]' CHECK (length(ticket_types) <= 20000),
    created_at            INTEGER NOT NULL
) STRICT;
CREATE INDEX offerings_tenant ON offerings(tenant_id, id);

CREATE TABLE occurrences (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL CHECK (tenant_id > 0),
    offering_id INTEGER NOT NULL REFERENCES offerings(id) ON DELETE CASCADE,
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL,
    capacity    INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 1000000),
    taken       INTEGER NOT NULL DEFAULT 0 CHECK (taken >= 0 AND taken <= capacity),
    CHECK (ends_at > starts_at)
) STRICT;
CREATE INDEX occurrences_offering ON occurrences(tenant_id, offering_id, starts_at);

CREATE TABLE bookings (
    id              INTEGER PRIMARY KEY,
    tenant_id       INTEGER NOT NULL CHECK (tenant_id > 0),
    reference       TEXT NOT NULL CHECK (length(reference) = 10),
    offering_id     INTEGER NOT NULL REFERENCES offerings(id),
    occurrence_id   INTEGER NOT NULL REFERENCES occurrences(id),
    status          TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'cancelled', 'checked_in', 'no_show')),
    seats           INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 100),
    total_jpy       INTEGER NOT NULL CHECK (total_jpy >= 0),
    tickets         TEXT NOT NULL CHECK (length(tickets) <= 4000),
    customer_sealed BLOB NOT NULL,
    email_index     TEXT NOT NULL CHECK (length(email_index) = 64),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (tenant_id, reference)
) STRICT;
CREATE INDEX bookings_occurrence ON bookings(tenant_id, occurrence_id);
CREATE INDEX bookings_email ON bookings(tenant_id, email_index);

CREATE TABLE idempotency_keys (
    tenant_id       INTEGER NOT NULL CHECK (tenant_id > 0),
    idempotency_key TEXT NOT NULL CHECK (length(idempotency_key) BETWEEN 8 AND 128),
    request_hash    TEXT NOT NULL CHECK (length(request_hash) = 64),
    booking_id      INTEGER NOT NULL REFERENCES bookings(id) ON DELETE CASCADE,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, idempotency_key)
) STRICT;
