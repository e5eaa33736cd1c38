-- Payments without card data (issue 25; how an offering is paid is one of its rules): a
-- booking keeps its payment state and what was paid and refunded; a tenant's provider keys are sealed; each
-- checkout and refund with the provider is a row; each provider event is applied once.
ALTER TABLE bookings ADD COLUMN payment_state TEXT NOT NULL DEFAULT 'unpaid'
    CHECK (payment_state IN ('none', 'unpaid', 'pending', 'paid', 'partially_refunded', 'refunded'));
ALTER TABLE bookings ADD COLUMN paid_jpy INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bookings ADD COLUMN refunded_jpy INTEGER NOT NULL DEFAULT 0;
-- A hold that only the provider's payment confirms (the customer is at the checkout page).
ALTER TABLE bookings ADD COLUMN awaiting_payment INTEGER NOT NULL DEFAULT 0
    CHECK (awaiting_payment IN (0, 1));
UPDATE bookings SET payment_state = 'paid', paid_jpy = total_jpy WHERE paid_at IS NOT NULL;
UPDATE bookings SET payment_state = 'none' WHERE paid_at IS NULL AND total_jpy = 0;

CREATE TABLE payment_accounts (
    id                    INTEGER PRIMARY KEY,
    tenant_id             INTEGER NOT NULL CHECK (tenant_id > 0),
    provider              TEXT NOT NULL CHECK (provider IN ('stripe')),
    secret_key_sealed     BLOB NOT NULL,
    webhook_secret_sealed BLOB NOT NULL,
    key_hint              TEXT NOT NULL,
    test_mode             INTEGER NOT NULL CHECK (test_mode IN (0, 1)),
    updated_at            INTEGER NOT NULL,
    UNIQUE (tenant_id, provider)
) STRICT;

CREATE TABLE payments (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL CHECK (tenant_id > 0),
    booking_id   INTEGER NOT NULL REFERENCES bookings(id),
    provider     TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('checkout', 'refund')),
    provider_ref TEXT NOT NULL,
    payment_ref  TEXT,
    url          TEXT,
    amount_jpy   INTEGER NOT NULL CHECK (amount_jpy >= 0),
    state        TEXT NOT NULL,
    expires_at   INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (tenant_id, provider, provider_ref)
) STRICT;
CREATE INDEX payments_booking ON payments(tenant_id, booking_id);

CREATE TABLE payment_events (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL CHECK (tenant_id > 0),
    provider    TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    type        TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    UNIQUE (tenant_id, provider, event_id)
) STRICT;
