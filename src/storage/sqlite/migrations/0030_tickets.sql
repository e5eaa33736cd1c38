-- Signed tickets (issue 26): one per admission of a booking (a seat or person; each session
-- of a course), its QR code a payload signed with the tenant's Ed25519 key. The token is kept
-- as issued (it holds no personal data); a revoked ticket stays, marked, for the revocation
-- lists; check-in is per ticket, first scan wins, and every scan is kept for the staff.
CREATE TABLE ticket_keys (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL CHECK (tenant_id > 0),
    key_id      INTEGER NOT NULL CHECK (key_id > 0),
    public_key  BLOB NOT NULL,
    seed_sealed BLOB NOT NULL,
    created_at  INTEGER NOT NULL,
    retired_at  INTEGER,
    UNIQUE (tenant_id, key_id)
) STRICT;

CREATE TABLE tickets (
    id                INTEGER PRIMARY KEY,
    tenant_id         INTEGER NOT NULL CHECK (tenant_id > 0),
    booking_id        INTEGER NOT NULL REFERENCES bookings(id),
    offering_id       INTEGER NOT NULL,
    reference         TEXT NOT NULL,
    number            INTEGER NOT NULL CHECK (number > 0),
    occurrence_id     INTEGER,
    ticket_type       TEXT NOT NULL,
    seat              TEXT NOT NULL,
    valid_from        INTEGER NOT NULL,
    valid_until       INTEGER NOT NULL,
    key_id            INTEGER NOT NULL,
    token             TEXT NOT NULL,
    issued_at         INTEGER NOT NULL,
    revoked_at        INTEGER,
    checked_in_at     INTEGER,
    checked_in_device TEXT NOT NULL DEFAULT '',
    UNIQUE (tenant_id, reference, number)
) STRICT;
CREATE INDEX tickets_booking ON tickets (booking_id);
CREATE INDEX tickets_occurrence ON tickets (tenant_id, occurrence_id);

CREATE TABLE ticket_scans (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL CHECK (tenant_id > 0),
    ticket_id    INTEGER REFERENCES tickets(id),
    device       TEXT NOT NULL,
    scanned_at   INTEGER NOT NULL,
    recorded_at  INTEGER NOT NULL,
    offline      INTEGER NOT NULL CHECK (offline IN (0, 1)),
    outcome      TEXT NOT NULL CHECK (outcome IN ('admitted', 'used', 'conflict', 'revoked', 'not_valid_now', 'invalid')),
    first_at     INTEGER,
    first_device TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX ticket_scans_recent ON ticket_scans (tenant_id, recorded_at);
