\set slot random(1, :nslots)
BEGIN;
SELECT capacity - booked AS free FROM slots WHERE id = :slot FOR UPDATE \gset
\if :free > 0
INSERT INTO bookings(tenant_id, slot_id, customer) VALUES (1, :slot, 'c' || :client_id);
UPDATE slots SET booked = booked + 1 WHERE id = :slot;
\endif
END;
