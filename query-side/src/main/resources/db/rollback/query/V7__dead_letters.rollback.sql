-- Drop, then delete version 7 from flyway_query_history. Parked events are lost with the table: retry them first
-- (POST /v1/admin/projections/{name}/dead-letters/retry) or replay the projections afterwards.
DROP TABLE IF EXISTS dead_letter_entry;
