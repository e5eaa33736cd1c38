-- PostgreSQL links audit entries after commit (issue 29, ADR 0027). SQLite has one writer, so
-- its entries are still linked in the writing transaction; this version only keeps the two
-- schemas' numbering in step.
SELECT 1;
