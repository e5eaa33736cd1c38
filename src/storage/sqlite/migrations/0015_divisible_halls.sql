-- Divisible halls (全面/区画, ADR 0012): a room or facility made of parts. Booking the whole
-- takes the usage buckets of every part as well as its own; booking a part takes the part's,
-- so each blocks the other through the same guarded upsert. One level: a part is not divided.
CREATE TABLE resource_parts (
    tenant_id INTEGER NOT NULL CHECK (tenant_id > 0),
    hall_id   INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    part_id   INTEGER NOT NULL REFERENCES resources(id),
    PRIMARY KEY (tenant_id, hall_id, part_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX resource_parts_part ON resource_parts(tenant_id, part_id);
