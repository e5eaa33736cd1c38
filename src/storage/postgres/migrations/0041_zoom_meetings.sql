-- Zoom meetings per booking (issue 28): an offering (its rules' zoom_meetings) may give each
-- live booking its own Zoom meeting. A booking's row here is what its meeting should be
-- (wanted, topic, times), kept in the booking's transaction, and what Zoom holds (meeting_id,
-- join_url, synced times), kept by the job that makes Zoom follow.
CREATE TABLE booking_meetings (
    tenant_id        bigint NOT NULL CHECK (tenant_id > 0),
    booking_id       bigint NOT NULL REFERENCES bookings(id) ON DELETE CASCADE,
    wanted           bigint NOT NULL CHECK (wanted IN (0, 1)),
    topic            text NOT NULL CHECK (length(topic) <= 400),
    starts_at        bigint NOT NULL,
    ends_at          bigint NOT NULL,
    meeting_id       text CHECK (length(meeting_id) <= 40),
    join_url         text CHECK (length(join_url) <= 1000),
    synced_starts_at bigint,
    synced_ends_at   bigint,
    updated_at       bigint NOT NULL,
    PRIMARY KEY (tenant_id, booking_id)
);
ALTER TABLE booking_meetings ENABLE ROW LEVEL SECURITY;
ALTER TABLE booking_meetings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON booking_meetings
    USING (tenant_id = coalesce(NULLIF(current_setting('app.tenant_id', true), '')::bigint, 0))
    WITH CHECK (tenant_id = coalesce(NULLIF(current_setting('app.tenant_id', true), '')::bigint, 0));
