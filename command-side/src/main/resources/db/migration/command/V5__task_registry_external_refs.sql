-- What a plan import compares against, kept with each task in the command side's registry (RegistryProjection):
-- the task's id in the imported plan (externalRef) and its current title and description. A re-import finds its
-- tasks here, in the same transaction as the events, never in the lagging read model.
-- Rollback: db/rollback/command/V5__task_registry_external_refs.rollback.sql.

ALTER TABLE task_state
    ADD COLUMN external_ref VARCHAR(64),
    ADD COLUMN title        TEXT,
    ADD COLUMN description  TEXT;

CREATE INDEX task_state_external_ref_idx ON task_state (project_id, external_ref)
    WHERE external_ref IS NOT NULL;

-- Tasks created before this migration, from their events (payloads are JSON): as created, then as last edited.
UPDATE task_state t
SET external_ref = c.payload ->> 'externalRef', title = c.payload ->> 'title',
    description = c.payload ->> 'description'
FROM (SELECT aggregate_identifier, convert_from(payload, 'UTF8')::jsonb AS payload
      FROM domain_event_entry
      WHERE payload_type = 'io.agentledger.api.task.TaskCreatedEvent') c
WHERE c.aggregate_identifier = t.task_id;

UPDATE task_state t
SET title = e.payload ->> 'title', description = e.payload ->> 'description'
FROM (SELECT DISTINCT ON (aggregate_identifier) aggregate_identifier,
             convert_from(payload, 'UTF8')::jsonb AS payload
      FROM domain_event_entry
      WHERE payload_type = 'io.agentledger.api.task.TaskEditedEvent'
      ORDER BY aggregate_identifier, sequence_number DESC) e
WHERE e.aggregate_identifier = t.task_id;
