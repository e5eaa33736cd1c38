-- Registered groups (利用団体) and room lotteries (issue 27, ADR 0024).
-- A customer registers an organisation: its name in clear (it is printed on permits), the
-- representative, contact and members sealed; documents (PDF, PNG, JPEG, at most 700 KiB, ten
-- per group) sealed too. Staff approve it with a user class for a year; a renewal asks again.
-- Bookings made as a group keep it. A room lottery allots a month of by-division rentals:
-- applications in a period, ranked choices of room x date x division, one draw from a recorded
-- seed over the supply it saw, winners' bookings provisional until they confirm.
CREATE TABLE customer_groups (
    id             INTEGER PRIMARY KEY,
    tenant_id      INTEGER NOT NULL CHECK (tenant_id > 0),
    account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    details_sealed BLOB NOT NULL,
    member_count   INTEGER NOT NULL CHECK (member_count BETWEEN 1 AND 100000),
    status         TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    user_class_id  INTEGER REFERENCES user_classes(id) ON DELETE SET NULL,
    expires_at     INTEGER,
    decided_at     INTEGER,
    decision_note  TEXT NOT NULL DEFAULT '' CHECK (length(decision_note) <= 1000),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX customer_groups_account ON customer_groups(tenant_id, account_id);
CREATE INDEX customer_groups_status ON customer_groups(tenant_id, status);

CREATE TABLE group_documents (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL CHECK (tenant_id > 0),
    group_id     INTEGER NOT NULL REFERENCES customer_groups(id) ON DELETE CASCADE,
    filename     TEXT NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
    content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg')),
    size         INTEGER NOT NULL CHECK (size BETWEEN 1 AND 716800),
    body_sealed  BLOB NOT NULL,
    created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX group_documents_group ON group_documents(tenant_id, group_id);

ALTER TABLE bookings ADD COLUMN group_id INTEGER REFERENCES customer_groups(id) ON DELETE SET NULL;

CREATE TABLE room_lotteries (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL CHECK (tenant_id > 0),
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    month         TEXT NOT NULL CHECK (length(month) = 7),
    opens_at      INTEGER NOT NULL,
    closes_at     INTEGER NOT NULL,
    draw_at       INTEGER NOT NULL,
    confirm_by    INTEGER NOT NULL,
    first_come_at INTEGER NOT NULL,
    max_choices   INTEGER NOT NULL CHECK (max_choices BETWEEN 1 AND 10),
    max_wins      INTEGER NOT NULL CHECK (max_wins BETWEEN 1 AND 10),
    tiers         TEXT NOT NULL CHECK (length(tiers) <= 2000),
    seed          TEXT CHECK (seed IS NULL OR length(seed) = 64),
    supply        TEXT,
    allocation    TEXT,
    drawn_at      INTEGER,
    created_at    INTEGER NOT NULL,
    CHECK (opens_at < closes_at AND closes_at <= draw_at AND draw_at < confirm_by AND confirm_by <= first_come_at)
) STRICT;

CREATE TABLE room_lottery_rooms (
    tenant_id   INTEGER NOT NULL CHECK (tenant_id > 0),
    lottery_id  INTEGER NOT NULL REFERENCES room_lotteries(id) ON DELETE CASCADE,
    offering_id INTEGER NOT NULL REFERENCES offerings(id),
    month       TEXT NOT NULL CHECK (length(month) = 7),
    PRIMARY KEY (tenant_id, offering_id, month)
) STRICT, WITHOUT ROWID;

CREATE TABLE room_lottery_entries (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL CHECK (tenant_id > 0),
    lottery_id  INTEGER NOT NULL REFERENCES room_lotteries(id) ON DELETE CASCADE,
    reference   TEXT NOT NULL CHECK (length(reference) = 10),
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    group_id    INTEGER REFERENCES customer_groups(id) ON DELETE SET NULL,
    tier        INTEGER NOT NULL CHECK (tier >= 0),
    choices     TEXT NOT NULL CHECK (length(choices) <= 4000),
    status      TEXT NOT NULL CHECK (status IN ('applied', 'won', 'lost', 'withdrawn')),
    locale      TEXT NOT NULL CHECK (locale IN ('ja', 'en')),
    created_at  INTEGER NOT NULL,
    UNIQUE (tenant_id, reference),
    UNIQUE (tenant_id, lottery_id, account_id)
) STRICT;
CREATE INDEX room_lottery_entries_lottery ON room_lottery_entries(tenant_id, lottery_id, status);

CREATE TABLE room_lottery_wins (
    tenant_id  INTEGER NOT NULL CHECK (tenant_id > 0),
    entry_id   INTEGER NOT NULL REFERENCES room_lottery_entries(id) ON DELETE CASCADE,
    choice     INTEGER NOT NULL CHECK (choice >= 0),
    booking_id INTEGER NOT NULL REFERENCES bookings(id),
    PRIMARY KEY (tenant_id, booking_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX room_lottery_wins_entry ON room_lottery_wins(tenant_id, entry_id);
