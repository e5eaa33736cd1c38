-- Repairs the data updates of earlier migrations that found no rows on PostgreSQL: they ran as
-- the owner under forced row-level security, whose policy shows the owner no tenant's rows, so
-- a database migrated from before them kept the new columns' defaults. Each repair touches only
-- rows made before its migration was applied and still holding that default:
--   0006  accounts then existing count as having proved their address;
--   0012  bookings then existing speak their tenant's language;
--   0026  waitlist entries and lottery applications then existing count as confirmed;
--   0028  bookings then paid are paid, and bookings then free owe nothing.
-- (0011's update is followed by NOT NULL, which would have failed rather than done nothing;
-- 0037 turned FORCE off around its own update.)
ALTER TABLE accounts NO FORCE ROW LEVEL SECURITY;
UPDATE accounts SET email_verified_at = created_at
WHERE email_verified_at IS NULL
  AND created_at < (SELECT applied_at FROM schema_migrations WHERE version = 6);
ALTER TABLE accounts FORCE ROW LEVEL SECURITY;

ALTER TABLE bookings NO FORCE ROW LEVEL SECURITY;
UPDATE bookings b SET locale = t.locale FROM tenants t
WHERE t.id = b.tenant_id AND b.locale <> t.locale
  AND b.created_at < (SELECT applied_at FROM schema_migrations WHERE version = 12);
UPDATE bookings SET payment_state = 'paid', paid_jpy = total_jpy
WHERE paid_at IS NOT NULL AND payment_state = 'unpaid' AND paid_jpy = 0
  AND created_at < (SELECT applied_at FROM schema_migrations WHERE version = 28);
UPDATE bookings SET payment_state = 'none'
WHERE paid_at IS NULL AND total_jpy = 0 AND payment_state = 'unpaid'
  AND created_at < (SELECT applied_at FROM schema_migrations WHERE version = 28);
ALTER TABLE bookings FORCE ROW LEVEL SECURITY;

ALTER TABLE waitlist_entries NO FORCE ROW LEVEL SECURITY;
UPDATE waitlist_entries SET confirmed_at = created_at
WHERE confirmed_at IS NULL
  AND created_at < (SELECT applied_at FROM schema_migrations WHERE version = 26);
ALTER TABLE waitlist_entries FORCE ROW LEVEL SECURITY;

ALTER TABLE lottery_entries NO FORCE ROW LEVEL SECURITY;
UPDATE lottery_entries SET confirmed_at = created_at
WHERE confirmed_at IS NULL
  AND created_at < (SELECT applied_at FROM schema_migrations WHERE version = 26);
ALTER TABLE lottery_entries FORCE ROW LEVEL SECURITY;
