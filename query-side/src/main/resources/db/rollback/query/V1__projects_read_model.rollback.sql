-- Drop, then delete version 1 from flyway_query_history and restart: Flyway recreates the tables and the
-- projection rebuilds them from the event store (reset its token, or POST /v1/admin/projections/projects/replay).
DROP TABLE IF EXISTS project_task_counts;
DROP TABLE IF EXISTS projects;
