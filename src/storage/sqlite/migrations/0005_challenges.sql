-- Proof-of-work challenges already redeemed (SPEC S3): each ALTCHA challenge works once until
-- it expires. Platform-wide, no personal data.
CREATE TABLE spent_challenges (
    challenge  TEXT PRIMARY KEY CHECK (length(challenge) = 64),
    expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX spent_challenges_expiry ON spent_challenges(expires_at);
