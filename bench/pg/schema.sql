-- The raw PostgreSQL anchor's tables (performance plan §1b): slots with a counter, bookings.
DROP TABLE IF EXISTS bookings, slots, aslots;
CREATE TABLE slots(id int PRIMARY KEY, tenant_id int NOT NULL, resource_id int NOT NULL,
                   start_ts bigint NOT NULL, capacity int NOT NULL, booked int NOT NULL DEFAULT 0);
CREATE TABLE bookings(id bigserial PRIMARY KEY, tenant_id int NOT NULL,
                      slot_id int NOT NULL REFERENCES slots(id), customer text NOT NULL,
                      created_at timestamptz NOT NULL DEFAULT clock_timestamp());
CREATE INDEX bookings_slot ON bookings(slot_id);
-- Availability: 100 resources × 28 days × 24 hourly slots, a third booked.
CREATE TABLE aslots(id int PRIMARY KEY, tenant_id int NOT NULL, resource_id int NOT NULL,
                    start_ts bigint NOT NULL, capacity int NOT NULL, booked int NOT NULL DEFAULT 0);
INSERT INTO aslots SELECT i, 1, i / 672, (i % 672) * 3600, 1, CASE WHEN i % 3 = 0 THEN 1 ELSE 0 END
FROM generate_series(0, 67199) i;
CREATE INDEX aslots_res ON aslots(tenant_id, resource_id, start_ts);
ANALYZE aslots;
