-- Drop, then delete version 8 from flyway_query_history and restart: Flyway recreates the tables, and the "analytics"
-- projection rebuilds them from the event store once its token is reset (docs/operations.md, "Read models: drop and
-- replay"; docs/analytics.md, "Rebuilding"). Analysts' grants go with the tables; per-tenant views of them
-- (docs/analytics.md) must be dropped first. Re-create both afterwards.
DROP TABLE IF EXISTS analytics_claims;
DROP TABLE IF EXISTS analytics_tasks;
