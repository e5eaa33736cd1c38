-- Prices per seat category (issue 26): where an event's ticket types price the categories of
-- its seat map, a waitlist entry names the category it waits for, so that the seats it is
-- served (apart, the first free) are of the price it was told. Expand only: older releases
-- ignore the column.
ALTER TABLE waitlist_entries ADD COLUMN seat_category TEXT NOT NULL DEFAULT '';
