-- The analytics read model, kept by the "analytics" projection (AnalyticsProjection): per task the instants that
-- matter (created, first READY, claims, completion, failure, cancellation) and per claim who held it and how it ended,
-- so that the analytics endpoints answer from indexes. Both tables are a stable interface for analysts who query them
-- with SQL (docs/analytics.md); instants are the events' timestamps, durations are seconds.
-- Rollback: db/rollback/query/V8__analytics_read_model.rollback.sql, then replay the "analytics" projection.

CREATE TABLE analytics_tasks (
    task_id            VARCHAR(64)      NOT NULL,
    tenant_id          VARCHAR(255)     NOT NULL,
    project_id         VARCHAR(64)      NOT NULL,
    -- BLOCKED, READY, IN_PROGRESS, COMPLETED, FAILED or CANCELLED
    status             VARCHAR(16)      NOT NULL,
    created_at         TIMESTAMPTZ      NOT NULL,
    -- when it first became READY: created READY, or unblocked; null while it was never READY
    first_ready_at     TIMESTAMPTZ,
    -- while READY: when it last became READY (created, unblocked, released or a retry); null otherwise
    ready_since        TIMESTAMPTZ,
    first_claimed_at   TIMESTAMPTZ,
    last_claimed_at    TIMESTAMPTZ,
    -- every claim, released ones included
    claims             INTEGER          NOT NULL,
    -- the highest attempt number claimed (a released claim does not count as an attempt)
    attempts           INTEGER          NOT NULL,
    -- attempts the claimant failed, and attempts whose lease expired
    failed_attempts    INTEGER          NOT NULL,
    lease_expiries     INTEGER          NOT NULL,
    releases           INTEGER          NOT NULL,
    -- the last claimant; for a COMPLETED task the agent that completed it
    agent_id           VARCHAR(64),
    completed_at       TIMESTAMPTZ,
    failed_at          TIMESTAMPTZ,
    cancelled_at       TIMESTAMPTZ,
    -- when it reached COMPLETED, FAILED or CANCELLED
    terminal_at        TIMESTAMPTZ,
    -- completed_at - created_at, and completed_at - first_claimed_at, in seconds; null unless COMPLETED
    lead_time_seconds  DOUBLE PRECISION,
    cycle_time_seconds DOUBLE PRECISION,
    -- the sequence number of the last event of the task applied (the projection's redelivery guard)
    version            BIGINT           NOT NULL,
    CONSTRAINT analytics_tasks_pkey PRIMARY KEY (task_id)
);

-- countsByStatus
CREATE INDEX analytics_tasks_status_idx ON analytics_tasks (tenant_id, project_id, status);
-- createdPerDay
CREATE INDEX analytics_tasks_created_idx ON analytics_tasks (tenant_id, project_id, created_at);
-- completedPerDay, leadTime, cycleTime
CREATE INDEX analytics_tasks_completed_idx ON analytics_tasks (tenant_id, project_id, completed_at)
    INCLUDE (lead_time_seconds, cycle_time_seconds) WHERE completed_at IS NOT NULL;
-- failureRate
CREATE INDEX analytics_tasks_terminal_idx ON analytics_tasks (tenant_id, project_id, terminal_at)
    INCLUDE (status) WHERE terminal_at IS NOT NULL;
-- retryRate
CREATE INDEX analytics_tasks_first_claimed_idx ON analytics_tasks (tenant_id, project_id, first_claimed_at)
    INCLUDE (attempts) WHERE first_claimed_at IS NOT NULL;
-- oldestReadyAgeSeconds
CREATE INDEX analytics_tasks_ready_idx ON analytics_tasks (tenant_id, project_id, ready_since)
    WHERE ready_since IS NOT NULL;

CREATE TABLE analytics_claims (
    task_id          VARCHAR(64)      NOT NULL,
    -- the sequence number of the TaskClaimedEvent: a task's claims in order
    claim_seq        BIGINT           NOT NULL,
    tenant_id        VARCHAR(255)     NOT NULL,
    project_id       VARCHAR(64)      NOT NULL,
    agent_id         VARCHAR(64)      NOT NULL,
    attempt          INTEGER          NOT NULL,
    claimed_at       TIMESTAMPTZ      NOT NULL,
    -- when and how the claim ended: COMPLETED, FAILED, LEASE_EXPIRED, RELEASED or CANCELLED; null while held
    ended_at         TIMESTAMPTZ,
    outcome          VARCHAR(16),
    -- ended_at - claimed_at in seconds
    duration_seconds DOUBLE PRECISION,
    CONSTRAINT analytics_claims_pkey PRIMARY KEY (task_id, claim_seq)
);

-- GET /v1/analytics/agents, all the tenant's projects
CREATE INDEX analytics_claims_agent_idx ON analytics_claims (tenant_id, agent_id)
    INCLUDE (outcome, duration_seconds);
-- GET /v1/analytics/agents?projectId=
CREATE INDEX analytics_claims_project_agent_idx ON analytics_claims (tenant_id, project_id, agent_id)
    INCLUDE (outcome, duration_seconds);
