-- Guests' waitlist entries and lottery applications count once their address is confirmed by a
-- mailed link (issue 24): until then an entry holds no place in the line and takes no part in a
-- draw. Entries made before this stay as they were: confirmed when they were made.
ALTER TABLE waitlist_entries ADD COLUMN confirmed_at bigint;
UPDATE waitlist_entries SET confirmed_at = created_at;
ALTER TABLE lottery_entries ADD COLUMN confirmed_at bigint;
UPDATE lottery_entries SET confirmed_at = created_at;
