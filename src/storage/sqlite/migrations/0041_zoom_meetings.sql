-- Zoom meetings per booking (issue 28): an offering (its rules' zoom_meetings) may give each
-- live booking its own Zoom meeting. A booking's row here is what its meeting should be
-- (wanted, topic, times), kept in the booking's transaction, and what Zoom holds (meeting_id,
-- join_url, synced times), kept by the job that makes Zoom follow.
CREATE TABLE booking_meetings (
    tenant_id        INTEGER NOT NULL CHECK (tenant_id > 0),
    booking_id       INTEGER NOT NULL REFERENCES bookings(id) ON DELETE CASCADE,
    wanted           INTEGER NOT NULL CHECK (wanted IN (0, 1)),
    topic            TEXT NOT NULL CHECK (length(topic) <= 400),
    starts_at        INTEGER NOT NULL,
    ends_at          INTEGER NOT NULL,
    meeting_id       TEXT CHECK (length(meeting_id) <= 40),
    join_url         TEXT CHECK (length(join_url) <= 1000),
    synced_starts_at INTEGER,
    synced_ends_at   INTEGER,
    updated_at       INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, booking_id)
) STRICT;
