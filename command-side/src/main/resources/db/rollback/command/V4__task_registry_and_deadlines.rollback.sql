-- Safe only with no task IN_PROGRESS (their lease deadlines live in scheduled_tasks).
DROP TABLE IF EXISTS scheduled_tasks;
DROP TABLE IF EXISTS task_dependency;
DROP TABLE IF EXISTS task_state;
DROP TABLE IF EXISTS project_registry;
