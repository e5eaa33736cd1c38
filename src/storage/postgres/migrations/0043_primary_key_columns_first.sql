-- compatible-from: 42
-- SQLite rebuilds two tables with their primary key columns first (its integrity check in
-- Debian 12 misreads the other order); PostgreSQL has no such check to please. This version
-- only keeps the two schemas' numbering in step.
SELECT 1;
