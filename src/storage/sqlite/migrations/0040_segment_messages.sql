-- Segment messages (issue 28, L Message's broadcasts): a manager writes one LINE message to the
-- customers a filter picks (offering, booking dates and status, user class, tag, bookings
-- made), sent at once or at a set time through the job queue, with delivery counts. Customers
-- may opt out of them; staff tag customers.
ALTER TABLE accounts ADD COLUMN announcements INTEGER NOT NULL DEFAULT 1 CHECK (announcements IN (0, 1));

CREATE TABLE customer_tags (
    tenant_id  INTEGER NOT NULL CHECK (tenant_id > 0),
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    tag        TEXT NOT NULL CHECK (length(tag) BETWEEN 1 AND 120),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, account_id, tag)
) STRICT;
CREATE INDEX customer_tags_tag ON customer_tags(tenant_id, tag);

-- The message (text, an optional picture, an optional button to book an offering), the filter
-- as JSON, when it goes, and its counts: recipients when it was sent, then delivered and failed
-- as LINE takes or refuses each batch.
CREATE TABLE broadcasts (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL CHECK (tenant_id > 0),
    text        TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 20000),
    image_url   TEXT NOT NULL DEFAULT '' CHECK (length(image_url) <= 2000),
    offering_id INTEGER REFERENCES offerings(id) ON DELETE SET NULL,
    filter      TEXT NOT NULL CHECK (length(filter) <= 4000),
    status      TEXT NOT NULL CHECK (status IN ('scheduled', 'sending', 'sent', 'cancelled')),
    send_at     INTEGER NOT NULL,
    recipients  INTEGER NOT NULL DEFAULT 0 CHECK (recipients >= 0),
    delivered   INTEGER NOT NULL DEFAULT 0 CHECK (delivered >= 0),
    failed      INTEGER NOT NULL DEFAULT 0 CHECK (failed >= 0),
    created_at  INTEGER NOT NULL,
    sent_at     INTEGER
) STRICT;
CREATE INDEX broadcasts_tenant ON broadcasts(tenant_id, id);
