-- Receipts (領収書, qualified simplified invoices; issue 25): one per paid booking, numbered
-- without gaps per tenant from a counter taken in the issuing transaction; what the document
-- says is kept as issued (issuer, registration number, lines, tax per rate), the customer's
-- name stays sealed on the booking.
CREATE TABLE receipt_numbers (
    tenant_id   INTEGER PRIMARY KEY CHECK (tenant_id > 0),
    last_number INTEGER NOT NULL CHECK (last_number > 0)
) STRICT;

CREATE TABLE receipts (
    id         INTEGER PRIMARY KEY,
    tenant_id  INTEGER NOT NULL CHECK (tenant_id > 0),
    number     INTEGER NOT NULL CHECK (number > 0),
    booking_id INTEGER NOT NULL REFERENCES bookings(id),
    issued_at  INTEGER NOT NULL,
    content    TEXT NOT NULL,
    UNIQUE (tenant_id, number),
    UNIQUE (tenant_id, booking_id)
) STRICT;

-- The daily reconciliation with the provider's balance: one row per tenant and local day.
CREATE TABLE reconciliations (
    id         INTEGER PRIMARY KEY,
    tenant_id  INTEGER NOT NULL CHECK (tenant_id > 0),
    day        TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('ok', 'mismatch', 'failed')),
    checked    INTEGER NOT NULL,
    mismatches TEXT NOT NULL,
    problem    TEXT NOT NULL,
    ran_at     INTEGER NOT NULL,
    UNIQUE (tenant_id, day)
) STRICT;
