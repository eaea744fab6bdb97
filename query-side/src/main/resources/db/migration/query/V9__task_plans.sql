-- The layout of the plan last imported into a project (ProjectPlanRecordedEvent), kept by the "tasks" projection
-- (TaskProjection) next to the tasks it places: phases with their headings, and the task lines in document order with
-- their markers. GET /v1/projects/{projectId}/exports/spec-kit writes tasks.md from it and the tasks read model.
-- Rollback: db/rollback/query/V9__task_plans.rollback.sql, then replay the "tasks" projection.

CREATE TABLE task_plan_phases (
    project_id     VARCHAR(64)  NOT NULL,
    tenant_id      VARCHAR(255) NOT NULL,
    phase_position INTEGER      NOT NULL,
    heading        TEXT         NOT NULL,
    CONSTRAINT task_plan_phases_pkey PRIMARY KEY (project_id, phase_position)
);

CREATE TABLE task_plan_items (
    project_id     VARCHAR(64)  NOT NULL,
    tenant_id      VARCHAR(255) NOT NULL,
    position       INTEGER      NOT NULL,
    phase_position INTEGER      NOT NULL,
    task_id        VARCHAR(64)  NOT NULL,
    external_ref   VARCHAR(64)  NOT NULL,
    section        TEXT,
    parallel       BOOLEAN      NOT NULL,
    story          VARCHAR(64),
    -- the ids of the plan's explicit "(depends on ...)" list, as written
    depends_on     TEXT[]       NOT NULL,
    CONSTRAINT task_plan_items_pkey PRIMARY KEY (project_id, position)
);
