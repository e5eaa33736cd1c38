-- A booking's tickets, an occurrence's and a day's found by index (issue 26). Within one
-- tenant the planner took (tenant_id, occurrence_id) for "tenant and booking" and the unique
-- (tenant_id, reference, number) for "tenant and occurrence, by reference": scans of every
-- ticket of the tenant, one of them in each booking's transaction. Past tickets (valid_until
-- behind) grow without end; a day's pack skips them.
DROP INDEX tickets_booking;
DROP INDEX tickets_occurrence;
CREATE INDEX tickets_booking ON tickets (tenant_id, booking_id, number);
CREATE INDEX tickets_occurrence ON tickets (tenant_id, occurrence_id, reference, number);
CREATE INDEX tickets_valid ON tickets (tenant_id, valid_until);
