-- Venue rules (ADR 0012): an offering's cancellation fee tiers, per-customer limits and
-- waitlist mode live in one JSON object (`rules`); a cancelled booking records the fee charged.
-- customer_locks serialises one customer's bookings while their limits are counted (one row
-- per blind email index, upserted first). waitlist_entries keeps the line for a full
-- occurrence (an event's session, or a course's first): the customer is sealed like a
-- booking's; an offer is a hold made for the entry (booking_id).
ALTER TABLE offerings ADD COLUMN rules TEXT NOT NULL DEFAULT '{}' CHECK (length(rules) <= 20000);
ALTER TABLE bookings ADD COLUMN cancellation_fee_jpy INTEGER CHECK (cancellation_fee_jpy >= 0);

CREATE TABLE customer_locks (
    tenant_id  INTEGER NOT NULL CHECK (tenant_id > 0),
    subject    TEXT NOT NULL CHECK (length(subject) = 64),
    touched_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, subject)
) STRICT, WITHOUT ROWID;

CREATE TABLE waitlist_entries (
    id              INTEGER PRIMARY KEY,
    tenant_id       INTEGER NOT NULL CHECK (tenant_id > 0),
    reference       TEXT NOT NULL CHECK (length(reference) = 10),
    offering_id     INTEGER NOT NULL REFERENCES offerings(id),
    occurrence_id   INTEGER NOT NULL REFERENCES occurrences(id),
    status          TEXT NOT NULL CHECK (status IN ('waiting', 'offered', 'booked', 'expired', 'left')),
    seats           INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 100),
    tickets         TEXT NOT NULL CHECK (length(tickets) <= 4000),
    total_jpy       INTEGER NOT NULL CHECK (total_jpy >= 0),
    customer_sealed BLOB NOT NULL,
    email_index     TEXT NOT NULL CHECK (length(email_index) = 64),
    account_id      INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    locale          TEXT NOT NULL CHECK (locale IN ('ja', 'en')),
    booking_id      INTEGER REFERENCES bookings(id),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (tenant_id, reference)
) STRICT;
CREATE INDEX waitlist_line ON waitlist_entries(tenant_id, occurrence_id, id) WHERE status = 'waiting';
CREATE INDEX waitlist_booking ON waitlist_entries(tenant_id, booking_id) WHERE booking_id IS NOT NULL;
CREATE INDEX waitlist_email ON waitlist_entries(tenant_id, email_index);
