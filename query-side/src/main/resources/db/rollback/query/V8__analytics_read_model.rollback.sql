-- Drop, then delete version 8 from flyway_query_history and restart: Flyway recreates the tables, and the "analytics"
-- projection rebuilds them from the event store once its token is reset (docs/operations.md, "Read models: drop and
-- replay"). Nothing else reads them; a BI tool's read-only role (docs/analytics.md) loses its grants with them.
DROP TABLE IF EXISTS analytics_claims;
DROP TABLE IF EXISTS analytics_tasks;
