-- Drop, then delete version 5 from flyway_command_history. Plan imports then no longer find earlier imports' tasks
-- until the migration runs again (it refills the columns from the event store).
DROP INDEX IF EXISTS task_state_external_ref_idx;
ALTER TABLE task_state
    DROP COLUMN IF EXISTS external_ref,
    DROP COLUMN IF EXISTS title,
    DROP COLUMN IF EXISTS description;
