-- Drop, then delete version 6 from flyway_command_history, and only then start the older release. Safe only with no
-- task IN_PROGRESS: the older release expires leases through the deadlines that V6 deleted and that the sweep never
-- scheduled, so a lease running at the rollback would never expire (release such tasks first, e.g. an admin's
-- POST /v1/tasks/{id}/release). scheduled_tasks keeps the sweep's row 'lease-sweep', which the older release
-- ignores (db-scheduler deletes executions of unknown tasks after 14 days); delete it to be tidy.
DROP INDEX IF EXISTS task_state_lease_expiry_idx;
ALTER TABLE task_state
    DROP COLUMN IF EXISTS lease_id,
    DROP COLUMN IF EXISTS lease_expires_at;
DELETE FROM scheduled_tasks WHERE task_name = 'lease-sweep';
