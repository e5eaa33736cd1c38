-- The booking engine's other shapes (ADR 0009): appointments and rentals occupy resources over
-- time, counted in resource_usage buckets of 5 minutes (used + n <= units, one guarded upsert);
-- courses take a seat in every session. Bookings gain their time, the resources they occupy,
-- what capacity they took (so releasing is exact), holds with an expiry, the signed-in
-- customer, and the check-in mark.
ALTER TABLE offerings
    ADD COLUMN duration_minutes bigint NOT NULL DEFAULT 0 CHECK (duration_minutes BETWEEN 0 AND 1440),
    ADD COLUMN slot_step_minutes bigint NOT NULL DEFAULT 0 CHECK (slot_step_minutes BETWEEN 0 AND 1440),
    ADD COLUMN min_blocks bigint NOT NULL DEFAULT 1 CHECK (min_blocks BETWEEN 1 AND 2016),
    ADD COLUMN max_blocks bigint NOT NULL DEFAULT 1 CHECK (max_blocks BETWEEN 1 AND 2016),
    ADD COLUMN price_jpy bigint NOT NULL DEFAULT 0 CHECK (price_jpy BETWEEN 0 AND 10000000),
    ADD COLUMN requires_approval bigint NOT NULL DEFAULT 0 CHECK (requires_approval IN (0, 1)),
    ADD COLUMN resource_ids text NOT NULL DEFAULT '[]' CHECK (length(resource_ids) <= 2000),
    ADD COLUMN room_id bigint REFERENCES resources(id),
    ADD COLUMN applications_open_at bigint,
    ADD COLUMN applications_close_at bigint,
    ADD COLUMN hold_minutes bigint NOT NULL DEFAULT 10 CHECK (hold_minutes BETWEEN 1 AND 60),
    ADD COLUMN questions text NOT NULL DEFAULT '[]' CHECK (length(questions) <= 40000);

ALTER TABLE bookings
    ALTER COLUMN occurrence_id DROP NOT NULL,
    DROP CONSTRAINT bookings_status_check,
    ADD CONSTRAINT bookings_status_check CHECK (status IN ('held', 'pending', 'confirmed', 'cancelled', 'rejected', 'expired', 'checked_in', 'no_show')),
    DROP CONSTRAINT bookings_seats_check,
    ADD CONSTRAINT bookings_seats_check CHECK (seats BETWEEN 1 AND 100000),
    ADD COLUMN starts_at bigint,
    ADD COLUMN ends_at bigint,
    ADD COLUMN resource_id bigint REFERENCES resources(id),
    ADD COLUMN room_id bigint REFERENCES resources(id),
    ADD COLUMN capacity_taken text NOT NULL DEFAULT '{}' CHECK (length(capacity_taken) <= 4000),
    ADD COLUMN hold_expires_at bigint,
    ADD COLUMN account_id bigint REFERENCES accounts(id) ON DELETE SET NULL,
    ADD COLUMN checked_in_at bigint;
UPDATE bookings b SET starts_at = o.starts_at, ends_at = o.ends_at,
    capacity_taken = '{"occurrences":[' || b.occurrence_id || '],"seats":' || b.seats || ',"usage":[]}'
FROM occurrences o WHERE o.id = b.occurrence_id;
ALTER TABLE bookings ALTER COLUMN starts_at SET NOT NULL, ALTER COLUMN ends_at SET NOT NULL;
CREATE INDEX bookings_start ON bookings(tenant_id, starts_at);
CREATE INDEX bookings_resource ON bookings(tenant_id, resource_id, starts_at) WHERE resource_id IS NOT NULL;
CREATE INDEX bookings_room ON bookings(tenant_id, room_id, starts_at) WHERE room_id IS NOT NULL;
CREATE INDEX bookings_account ON bookings(tenant_id, account_id) WHERE account_id IS NOT NULL;
CREATE INDEX bookings_holds ON bookings(tenant_id, hold_expires_at) WHERE status = 'held';

-- Time taken on a resource: one row per 5-minute bucket (epoch minutes / 5) that any booking
-- or hold occupies, with how many of the resource's units are used.
CREATE TABLE resource_usage (
    tenant_id   bigint NOT NULL CHECK (tenant_id > 0),
    resource_id bigint NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    bucket      bigint NOT NULL,
    used        bigint NOT NULL CHECK (used >= 0),
    PRIMARY KEY (tenant_id, resource_id, bucket)
);
ALTER TABLE resource_usage ENABLE ROW LEVEL SECURITY;
ALTER TABLE resource_usage FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON resource_usage
    USING (tenant_id = coalesce(NULLIF(current_setting('app.tenant_id', true), '')::bigint, 0))
    WITH CHECK (tenant_id = coalesce(NULLIF(current_setting('app.tenant_id', true), '')::bigint, 0));
