-- Assigned seating (issue 26): a hall's seat map (sections, rows, numbered seats with their
-- category and kind, seats held back), kept as one checked JSON layout; an event offering may
-- use one (its rules' seat_map_id). occurrence_seats holds each seat of an occurrence that is
-- taken — by a booking ('booked', listed in the booking's capacity_taken) or kept by the house
-- ('house') — and its primary key is what makes a seat impossible to sell twice, on every node.
CREATE TABLE seat_maps (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL CHECK (tenant_id > 0),
    name        TEXT NOT NULL,
    layout      TEXT NOT NULL,
    seats       INTEGER NOT NULL CHECK (seats >= 0),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX seat_maps_tenant ON seat_maps (tenant_id, id);

CREATE TABLE occurrence_seats (
    tenant_id     INTEGER NOT NULL CHECK (tenant_id > 0),
    occurrence_id INTEGER NOT NULL,
    seat          TEXT NOT NULL,
    seat_map_id   INTEGER NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('booked', 'house')),
    taken_at      INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, occurrence_id, seat)
) STRICT, WITHOUT ROWID;
CREATE INDEX occurrence_seats_map ON occurrence_seats (tenant_id, seat_map_id, seat);
