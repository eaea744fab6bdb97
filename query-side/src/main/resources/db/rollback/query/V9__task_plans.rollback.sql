-- Drop, then delete version 9 from flyway_query_history and restart: Flyway recreates the tables, and the "tasks"
-- projection refills them once its token is reset (docs/operations.md, "Read models: drop and replay").
DROP TABLE IF EXISTS task_plan_items;
DROP TABLE IF EXISTS task_plan_phases;
