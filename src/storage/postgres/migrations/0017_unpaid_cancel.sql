-- Pay-later bookings (ADR 0012): when the booking was marked paid. An offering's rules name how
-- long before the start an unpaid booking is cancelled (pay_by_minutes); the cancellation runs
-- as a queued job at that time.
ALTER TABLE bookings ADD COLUMN paid_at bigint;
