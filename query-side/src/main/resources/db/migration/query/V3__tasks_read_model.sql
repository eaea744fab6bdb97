-- The tasks read model, kept by the "tasks" projection (TaskProjection), which also keeps project_task_counts (V1).
-- Rollback: db/rollback/query/V3__tasks_read_model.rollback.sql, then replay the "tasks" projection.

CREATE TABLE tasks (
    id                    VARCHAR(64)  NOT NULL,
    tenant_id             VARCHAR(255) NOT NULL,
    project_id            VARCHAR(64)  NOT NULL,
    title                 TEXT         NOT NULL,
    description           TEXT,
    status                VARCHAR(16)  NOT NULL,
    priority              VARCHAR(16)  NOT NULL,
    priority_rank         SMALLINT     NOT NULL,
    labels                TEXT[]       NOT NULL,
    required_capabilities TEXT[]       NOT NULL,
    depends_on            TEXT[]       NOT NULL,
    external_ref          TEXT,
    max_attempts          INTEGER      NOT NULL,
    attempts              INTEGER      NOT NULL,
    lease_seconds         INTEGER      NOT NULL,
    -- the current claim, only while IN_PROGRESS
    agent_id              VARCHAR(64),
    lease_id              VARCHAR(64),
    lease_expires_at      TIMESTAMPTZ,
    claim_attempt         INTEGER,
    result                TEXT,
    failure_reason        TEXT,
    cancel_reason         TEXT,
    created_at            TIMESTAMPTZ  NOT NULL,
    updated_at            TIMESTAMPTZ  NOT NULL,
    version               BIGINT       NOT NULL,
    CONSTRAINT tasks_pkey PRIMARY KEY (id)
);

-- keyset pagination, sort "priority": most urgent first, then oldest
CREATE INDEX tasks_priority_idx ON tasks (tenant_id, project_id, priority_rank, created_at, id);
-- keyset pagination, sort "-updatedAt": most recently updated first
CREATE INDEX tasks_updated_idx ON tasks (tenant_id, project_id, updated_at DESC, id DESC);
-- filters
CREATE INDEX tasks_status_idx ON tasks (tenant_id, project_id, status);
CREATE INDEX tasks_labels_idx ON tasks USING GIN (labels);
CREATE INDEX tasks_assignee_idx ON tasks (tenant_id, agent_id);
