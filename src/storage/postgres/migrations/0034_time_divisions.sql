-- Facility rental by time divisions (issue 27, ADR 0023): a room's or facility's divisions
-- (利用区分: code, name, days, starts, ends, price) as a JSON array; a booking's fee terms
-- (the divisions or blocks booked, equipment and surcharges chosen, and its itemised fee lines)
-- as a JSON object, so that a move keeps them and documents print them. Expand only: older
-- releases ignore both columns.
ALTER TABLE resources ADD COLUMN divisions TEXT NOT NULL DEFAULT '[]';
ALTER TABLE bookings ADD COLUMN fees TEXT NOT NULL DEFAULT '{}';
