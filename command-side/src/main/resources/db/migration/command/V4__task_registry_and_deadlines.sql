-- Command-side state for set-based task rules and claiming, kept in the same transaction as the events by a
-- subscribing event processor, and db-scheduler's table for Axon's persistent deadlines (lease expiry).
-- Rollback: db/rollback/command/V4__task_registry_and_deadlines.rollback.sql. The registry tables can be rebuilt
-- from the event store; pending lease deadlines are lost, so roll back only with no task IN_PROGRESS.

CREATE TABLE project_registry (
    project_id VARCHAR(64)  NOT NULL,
    tenant_id  VARCHAR(64)  NOT NULL,
    archived   BOOLEAN      NOT NULL DEFAULT FALSE,
    CONSTRAINT project_registry_pkey PRIMARY KEY (project_id)
);

-- Projects created before this migration, from their events (payloads are JSON).
INSERT INTO project_registry (project_id, tenant_id, archived)
SELECT aggregate_identifier, convert_from(payload, 'UTF8')::jsonb ->> 'tenantId', FALSE
FROM domain_event_entry
WHERE payload_type = 'io.agentledger.api.project.ProjectCreatedEvent'
ON CONFLICT DO NOTHING;

UPDATE project_registry SET archived = TRUE
WHERE project_id IN (SELECT aggregate_identifier FROM domain_event_entry
                     WHERE payload_type = 'io.agentledger.api.project.ProjectArchivedEvent');

CREATE TABLE task_state (
    task_id               VARCHAR(64) NOT NULL,
    tenant_id             VARCHAR(64) NOT NULL,
    project_id            VARCHAR(64) NOT NULL,
    status                VARCHAR(16) NOT NULL,
    priority_rank         SMALLINT    NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL,
    required_capabilities TEXT[]      NOT NULL,
    labels                TEXT[]      NOT NULL,
    CONSTRAINT task_state_pkey PRIMARY KEY (task_id)
);

-- claim-next: a project's READY tasks, most urgent then oldest first
CREATE INDEX task_state_ready_idx ON task_state (project_id, priority_rank, created_at, task_id)
    WHERE status = 'READY';

CREATE TABLE task_dependency (
    task_id    VARCHAR(64) NOT NULL,
    depends_on VARCHAR(64) NOT NULL,
    CONSTRAINT task_dependency_pkey PRIMARY KEY (task_id, depends_on)
);

CREATE INDEX task_dependency_depends_on_idx ON task_dependency (depends_on);

-- db-scheduler 16 (PostgreSQL), used by Axon's DbSchedulerDeadlineManager
CREATE TABLE scheduled_tasks (
    task_name            TEXT                     NOT NULL,
    task_instance        TEXT                     NOT NULL,
    task_data            BYTEA,
    execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    picked               BOOLEAN                  NOT NULL,
    picked_by            TEXT,
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT                   NOT NULL,
    priority             SMALLINT,
    CONSTRAINT scheduled_tasks_pkey PRIMARY KEY (task_name, task_instance)
);

CREATE INDEX scheduled_tasks_execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX scheduled_tasks_last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX scheduled_tasks_priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
