-- Drop, then delete version 3 from flyway_query_history and restart: Flyway recreates the table, and the "tasks"
-- projection rebuilds it and project_task_counts from the event store once its token is reset
-- (docs/operations.md, "Read models: drop and replay"). project_task_counts belongs to V1 and stays, emptied.
DROP TABLE IF EXISTS tasks;
DELETE FROM project_task_counts;
