\set r random(0, 99)
\set w random(0, 3)
SELECT id, start_ts, capacity - booked FROM aslots WHERE tenant_id = 1 AND resource_id = :r
  AND start_ts >= :w * 604800 AND start_ts < (:w + 1) * 604800 AND booked < capacity
  ORDER BY start_ts;
