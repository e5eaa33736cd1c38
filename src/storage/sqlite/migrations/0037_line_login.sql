-- LINE Login (issue 28, ADR 0025). A customer's LINE user id is now proven by LINE Login (an
-- ID token LINE signed) instead of typed into a form; the blind index finds the account at
-- sign-in. Links made by typing are dropped: nothing proved them, so a stranger's LINE may
-- have been receiving someone's booking messages. Their owners are asked to link again.
ALTER TABLE accounts ADD COLUMN line_user_index TEXT CHECK (line_user_index IS NULL OR length(line_user_index) = 64);
ALTER TABLE accounts ADD COLUMN line_relink INTEGER NOT NULL DEFAULT 0 CHECK (line_relink IN (0, 1));
UPDATE accounts SET line_relink = 1, line_user_sealed = NULL WHERE line_user_sealed IS NOT NULL;
CREATE UNIQUE INDEX accounts_line_user ON accounts(tenant_id, line_user_index);

-- One sign-in or link through LINE in progress (10 minutes), a proven LINE user who has no
-- account yet and is giving an address (purpose sign_up), or a customer linking the official
-- account's friend through LINE's account linking (purpose account_link, keyed by its nonce). Keyed by the hash of its secret (the
-- state sent to LINE, or the sign-up token); the PKCE verifier is derived from the state under
-- the tenant's index key, so it is stored nowhere; a proven LINE user waiting to sign up is sealed.
CREATE TABLE line_logins (
    id               INTEGER PRIMARY KEY,
    tenant_id        INTEGER NOT NULL CHECK (tenant_id > 0),
    secret_hash      TEXT NOT NULL CHECK (length(secret_hash) = 64),
    purpose          TEXT NOT NULL CHECK (purpose IN ('sign_in', 'link', 'sign_up', 'account_link')),
    account_id       INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
    nonce            TEXT NOT NULL CHECK (length(nonce) BETWEEN 1 AND 64),
    line_user_sealed BLOB,
    return_to        TEXT NOT NULL CHECK (length(return_to) <= 500),
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    UNIQUE (tenant_id, secret_hash)
) STRICT;
CREATE INDEX line_logins_expiry ON line_logins(expires_at);

-- The Messaging API webhook (issue 28): each event is handled once (LINE redelivers), and a
-- customer who unfollowed the official account gets mail only until they follow again.
ALTER TABLE accounts ADD COLUMN line_blocked INTEGER NOT NULL DEFAULT 0 CHECK (line_blocked IN (0, 1));
CREATE TABLE line_events (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL CHECK (tenant_id > 0),
    event_id    TEXT NOT NULL CHECK (length(event_id) BETWEEN 1 AND 100),
    type        TEXT NOT NULL CHECK (length(type) BETWEEN 1 AND 40),
    received_at INTEGER NOT NULL,
    UNIQUE (tenant_id, event_id)
) STRICT;
CREATE INDEX line_events_received ON line_events(received_at);
-- Where a customer's booking messages go: mail, LINE or both (mail whenever LINE cannot take
-- one: not linked, unfollowed, or the venue has no channel).
ALTER TABLE accounts ADD COLUMN notify_channel TEXT NOT NULL DEFAULT 'both' CHECK (notify_channel IN ('mail', 'line', 'both'));
