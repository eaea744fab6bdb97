-- Leases expire through one recurring sweep instead of one db-scheduler deadline per claim: the registry keeps each
-- task's current lease (RegistryProjection: set by the claim, moved by heartbeats, cleared when the task leaves
-- IN_PROGRESS) and the sweep (LeaseSweep) reads the run-out ones through a partial index.
-- Rollback: db/rollback/command/V6__task_leases_in_registry.rollback.sql; see its header for when it is safe.

ALTER TABLE task_state
    ADD COLUMN lease_id         VARCHAR(64),
    ADD COLUMN lease_expires_at TIMESTAMPTZ;

-- the sweep: leases of tasks in progress, oldest expiry first
CREATE INDEX task_state_lease_expiry_idx ON task_state (lease_expires_at, task_id)
    WHERE status = 'IN_PROGRESS';

-- Tasks in progress before this migration, from their events (payloads are JSON, instants ISO-8601 strings): the
-- latest claim or heartbeat of a task in progress names its current lease and when it ends. The same statement as
-- Registry.adoptLeasesFromEvents, which takes over rows a node of an older release writes during an upgrade.
UPDATE task_state t
SET lease_id = l.payload ->> 'leaseId', lease_expires_at = (l.payload ->> 'leaseExpiresAt')::timestamptz
FROM (SELECT s.task_id, e.payload
      FROM task_state s
      CROSS JOIN LATERAL (SELECT convert_from(d.payload, 'UTF8')::jsonb AS payload
                          FROM domain_event_entry d
                          WHERE d.aggregate_identifier = s.task_id
                            AND d.payload_type IN ('io.agentledger.api.task.TaskClaimedEvent',
                                                   'io.agentledger.api.task.TaskLeaseExtendedEvent')
                          ORDER BY d.sequence_number DESC
                          LIMIT 1) e
      WHERE s.status = 'IN_PROGRESS' AND s.lease_expires_at IS NULL) l
WHERE t.task_id = l.task_id AND t.status = 'IN_PROGRESS' AND t.lease_expires_at IS NULL;

-- The lease deadlines of Axon's DbSchedulerDeadlineManager (one per claim not yet fired, also of long-finished
-- tasks): the sweep now expires the leases they stood for, and no task of this release would run them.
DELETE FROM scheduled_tasks WHERE task_name = 'AxonDeadline';
