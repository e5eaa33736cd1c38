-- Lotteries (抽選, ADR 0012): applications with ranked occurrences for an event whose rules
-- name a lottery; one draw per offering, its seed and the free seats it started from kept so
-- that the allocation can be computed again and compared.
CREATE TABLE lottery_entries (
    id              INTEGER PRIMARY KEY,
    tenant_id       INTEGER NOT NULL CHECK (tenant_id > 0),
    reference       TEXT NOT NULL CHECK (length(reference) = 10),
    offering_id     INTEGER NOT NULL REFERENCES offerings(id),
    preferences     TEXT NOT NULL CHECK (length(preferences) <= 400),
    status          TEXT NOT NULL CHECK (status IN ('applied', 'won', 'lost', 'withdrawn')),
    seats           INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 100),
    tickets         TEXT NOT NULL CHECK (length(tickets) <= 4000),
    total_jpy       INTEGER NOT NULL CHECK (total_jpy >= 0),
    customer_sealed BLOB NOT NULL,
    email_index     TEXT NOT NULL CHECK (length(email_index) = 64),
    account_id      INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    locale          TEXT NOT NULL CHECK (locale IN ('ja', 'en')),
    booking_id      INTEGER REFERENCES bookings(id),
    created_at      INTEGER NOT NULL,
    UNIQUE (tenant_id, reference)
) STRICT;
CREATE INDEX lottery_entries_offering ON lottery_entries(tenant_id, offering_id, status);

CREATE TABLE lottery_draws (
    tenant_id   INTEGER NOT NULL CHECK (tenant_id > 0),
    offering_id INTEGER NOT NULL REFERENCES offerings(id),
    seed        TEXT NOT NULL CHECK (length(seed) = 64),
    free_seats  TEXT NOT NULL CHECK (length(free_seats) <= 100000),
    allocation  TEXT NOT NULL CHECK (length(allocation) <= 1000000),
    drawn_at    INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, offering_id)
) STRICT, WITHOUT ROWID;
