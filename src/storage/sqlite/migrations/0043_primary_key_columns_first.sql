-- compatible-from: 42
-- Two tables WITHOUT ROWID declared a NOT NULL column before a primary key column. Debian 12's
-- SQLite (3.40.1) then reports "NULL value in …" from PRAGMA integrity_check for every row,
-- which failed the verification of every backup of a tenant with a room lottery. The same
-- columns, the key's first: the previous release reads and writes them by name as before.
CREATE TABLE room_lottery_rooms_next (
    tenant_id   INTEGER NOT NULL CHECK (tenant_id > 0),
    offering_id INTEGER NOT NULL REFERENCES offerings(id),
    month       TEXT NOT NULL CHECK (length(month) = 7),
    lottery_id  INTEGER NOT NULL REFERENCES room_lotteries(id) ON DELETE CASCADE,
    PRIMARY KEY (tenant_id, offering_id, month)
) STRICT, WITHOUT ROWID;
INSERT INTO room_lottery_rooms_next(tenant_id, offering_id, month, lottery_id)
    SELECT tenant_id, offering_id, month, lottery_id FROM room_lottery_rooms;
DROP TABLE room_lottery_rooms;
ALTER TABLE room_lottery_rooms_next RENAME TO room_lottery_rooms;

CREATE TABLE room_lottery_wins_next (
    tenant_id  INTEGER NOT NULL CHECK (tenant_id > 0),
    booking_id INTEGER NOT NULL REFERENCES bookings(id),
    entry_id   INTEGER NOT NULL REFERENCES room_lottery_entries(id) ON DELETE CASCADE,
    choice     INTEGER NOT NULL CHECK (choice >= 0),
    PRIMARY KEY (tenant_id, booking_id)
) STRICT, WITHOUT ROWID;
INSERT INTO room_lottery_wins_next(tenant_id, booking_id, entry_id, choice)
    SELECT tenant_id, booking_id, entry_id, choice FROM room_lottery_wins;
DROP TABLE room_lottery_wins;
ALTER TABLE room_lottery_wins_next RENAME TO room_lottery_wins;
CREATE INDEX room_lottery_wins_entry ON room_lottery_wins(tenant_id, entry_id);
