-- Read models of projects. Read models are rebuilt by replaying the event store, so rolling this back is
-- db/rollback/query/V1__projects_read_model.rollback.sql followed by a replay (docs/operations.md).

CREATE TABLE projects (
    id          VARCHAR(64)  NOT NULL,
    tenant_id   VARCHAR(255) NOT NULL,
    name        VARCHAR(200) NOT NULL,
    description TEXT,
    status      VARCHAR(16)  NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL,
    version     BIGINT       NOT NULL,
    CONSTRAINT projects_pkey PRIMARY KEY (id)
);

-- keyset pagination of a tenant's projects, oldest first
CREATE INDEX projects_tenant_created_idx ON projects (tenant_id, created_at, id);

-- tasks per project and status, kept by the task projection
CREATE TABLE project_task_counts (
    project_id VARCHAR(64)  NOT NULL,
    tenant_id  VARCHAR(255) NOT NULL,
    status     VARCHAR(16)  NOT NULL,
    task_count BIGINT       NOT NULL,
    CONSTRAINT project_task_counts_pkey PRIMARY KEY (project_id, status)
);
