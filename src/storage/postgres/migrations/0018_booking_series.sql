-- Recurring rentals (ADR 0012): the bookings one repeating request made share the reference
-- of its first booking.
ALTER TABLE bookings ADD COLUMN series text CHECK (length(series) = 10);
CREATE INDEX bookings_series ON bookings(tenant_id, series) WHERE series IS NOT NULL;
