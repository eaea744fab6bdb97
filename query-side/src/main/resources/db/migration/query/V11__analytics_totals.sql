-- Running totals of the analytics read model, kept by the "analytics" projection (AnalyticsProjection) in the same
-- transaction as analytics_tasks and analytics_claims, so that the summary and the agents endpoints read a few rows
-- instead of counting every task or claim (docs/analytics.md, "Totals"). Every total equals a count over
-- analytics_tasks or analytics_claims (the definition is given per column); a replay rebuilds them. Stable interface
-- for analysts, like the tables of V8.
-- Rollback: db/rollback/query/V11__analytics_totals.rollback.sql.

-- Per project and UTC day: tasks counted on the day of one of their instants.
CREATE TABLE analytics_daily_totals (
    tenant_id     VARCHAR(255) NOT NULL,
    project_id    VARCHAR(64)  NOT NULL,
    day           DATE         NOT NULL,
    -- tasks with created_at on that day
    created       BIGINT       NOT NULL DEFAULT 0,
    -- tasks with completed_at on that day
    completed     BIGINT       NOT NULL DEFAULT 0,
    -- tasks in status COMPLETED or FAILED with terminal_at on that day, and of these the FAILED ones
    finished      BIGINT       NOT NULL DEFAULT 0,
    failed        BIGINT       NOT NULL DEFAULT 0,
    -- tasks with first_claimed_at on that day, and of these the ones with attempts > 1
    first_claimed BIGINT       NOT NULL DEFAULT 0,
    retried       BIGINT       NOT NULL DEFAULT 0,
    CONSTRAINT analytics_daily_totals_pkey PRIMARY KEY (tenant_id, project_id, day)
);

-- Per project, UTC day and duration bucket: the tasks with completed_at on that day whose lead_time_seconds
-- (lead_times) and cycle_time_seconds (cycle_times) fall in the bucket (analytics_duration_bucket). The summary's
-- percentiles count through these to the bucket of the value they need, then read only that bucket's tasks.
CREATE TABLE analytics_daily_durations (
    tenant_id   VARCHAR(255) NOT NULL,
    project_id  VARCHAR(64)  NOT NULL,
    day         DATE         NOT NULL,
    bucket      INTEGER      NOT NULL,
    lead_times  BIGINT       NOT NULL DEFAULT 0,
    cycle_times BIGINT       NOT NULL DEFAULT 0,
    CONSTRAINT analytics_daily_durations_pkey PRIMARY KEY (tenant_id, project_id, day, bucket)
);

-- The bucket of a duration in seconds: -1 below 0; 0 to 31 one per second ([b, b + 1)); from 32 s on 16 buckets per
-- power of two, each [m * 2^k, (m + 1) * 2^k) seconds with m from 16 to 31 (at most 6.25 % wide). Bounds are whole
-- seconds; AnalyticsTotals computes the same buckets.
CREATE FUNCTION analytics_duration_bucket(seconds DOUBLE PRECISION) RETURNS INTEGER
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
SELECT CASE WHEN seconds < 0 THEN -1
            WHEN seconds < 32 THEN floor(seconds)::INTEGER
            ELSE (SELECT 32 + (e - 5) * 16 + ((s >> (e - 4)) - 16)::INTEGER
                    FROM (SELECT s, (SELECT max(k) FROM generate_series(5, 62) k WHERE (1::BIGINT << k) <= s) AS e
                            FROM (SELECT floor(seconds)::BIGINT AS s) whole) bits)
       END
$$;

-- leadTime and cycleTime: a bucket's tasks in the order of their durations
CREATE INDEX analytics_tasks_lead_time_idx ON analytics_tasks (tenant_id, project_id, lead_time_seconds)
    INCLUDE (completed_at) WHERE completed_at IS NOT NULL;
CREATE INDEX analytics_tasks_cycle_time_idx ON analytics_tasks (tenant_id, project_id, cycle_time_seconds)
    INCLUDE (completed_at) WHERE completed_at IS NOT NULL;

-- Per project and status: the project's tasks now in that status.
CREATE TABLE analytics_status_totals (
    tenant_id  VARCHAR(255) NOT NULL,
    project_id VARCHAR(64)  NOT NULL,
    status     VARCHAR(16)  NOT NULL,
    tasks      BIGINT       NOT NULL DEFAULT 0,
    CONSTRAINT analytics_status_totals_pkey PRIMARY KEY (tenant_id, project_id, status)
);

-- Per project and agent: the agent's claims of the project's tasks, and of these the ones that ended COMPLETED, FAILED
-- and LEASE_EXPIRED (analytics_claims.outcome).
CREATE TABLE analytics_agent_totals (
    tenant_id      VARCHAR(255) NOT NULL,
    project_id     VARCHAR(64)  NOT NULL,
    agent_id       VARCHAR(64)  NOT NULL,
    claims         BIGINT       NOT NULL DEFAULT 0,
    completions    BIGINT       NOT NULL DEFAULT 0,
    failures       BIGINT       NOT NULL DEFAULT 0,
    lease_expiries BIGINT       NOT NULL DEFAULT 0,
    CONSTRAINT analytics_agent_totals_pkey PRIMARY KEY (tenant_id, project_id, agent_id)
);
-- agents of the whole tenant
CREATE INDEX analytics_agent_totals_agent_idx ON analytics_agent_totals (tenant_id, agent_id);

-- An agent's cycleTime p50: the middle one or two of its completed claims' durations, read in index order.
CREATE INDEX analytics_claims_completed_idx ON analytics_claims (tenant_id, agent_id, duration_seconds)
    WHERE outcome = 'COMPLETED';
CREATE INDEX analytics_claims_project_completed_idx ON analytics_claims (tenant_id, project_id, agent_id,
                                                                         duration_seconds)
    WHERE outcome = 'COMPLETED';
-- served by the totals and the two indexes above now
DROP INDEX analytics_claims_agent_idx;
DROP INDEX analytics_claims_project_agent_idx;

-- The totals of the rows already projected (the projection keeps them from here on).
INSERT INTO analytics_daily_totals (tenant_id, project_id, day, created, completed, finished, failed, first_claimed,
                                    retried)
SELECT tenant_id, project_id, day, sum(created), sum(completed), sum(finished), sum(failed), sum(first_claimed),
       sum(retried)
  FROM (SELECT tenant_id, project_id, (created_at AT TIME ZONE 'UTC')::DATE AS day, 1 AS created, 0 AS completed,
               0 AS finished, 0 AS failed, 0 AS first_claimed, 0 AS retried
          FROM analytics_tasks
        UNION ALL
        SELECT tenant_id, project_id, (completed_at AT TIME ZONE 'UTC')::DATE, 0, 1, 0, 0, 0, 0
          FROM analytics_tasks WHERE completed_at IS NOT NULL
        UNION ALL
        SELECT tenant_id, project_id, (terminal_at AT TIME ZONE 'UTC')::DATE, 0, 0, 1,
               CASE WHEN status = 'FAILED' THEN 1 ELSE 0 END, 0, 0
          FROM analytics_tasks WHERE terminal_at IS NOT NULL AND status IN ('COMPLETED', 'FAILED')
        UNION ALL
        SELECT tenant_id, project_id, (first_claimed_at AT TIME ZONE 'UTC')::DATE, 0, 0, 0, 0, 1,
               CASE WHEN attempts > 1 THEN 1 ELSE 0 END
          FROM analytics_tasks WHERE first_claimed_at IS NOT NULL) counted
 GROUP BY tenant_id, project_id, day;

INSERT INTO analytics_daily_durations (tenant_id, project_id, day, bucket, lead_times, cycle_times)
SELECT tenant_id, project_id, day, bucket, sum(lead_times), sum(cycle_times)
  FROM (SELECT tenant_id, project_id, (completed_at AT TIME ZONE 'UTC')::DATE AS day,
               analytics_duration_bucket(lead_time_seconds) AS bucket, 1 AS lead_times, 0 AS cycle_times
          FROM analytics_tasks WHERE completed_at IS NOT NULL AND lead_time_seconds IS NOT NULL
        UNION ALL
        SELECT tenant_id, project_id, (completed_at AT TIME ZONE 'UTC')::DATE,
               analytics_duration_bucket(cycle_time_seconds), 0, 1
          FROM analytics_tasks WHERE completed_at IS NOT NULL AND cycle_time_seconds IS NOT NULL) counted
 GROUP BY tenant_id, project_id, day, bucket;

INSERT INTO analytics_status_totals (tenant_id, project_id, status, tasks)
SELECT tenant_id, project_id, status, count(*) FROM analytics_tasks GROUP BY tenant_id, project_id, status;

INSERT INTO analytics_agent_totals (tenant_id, project_id, agent_id, claims, completions, failures, lease_expiries)
SELECT tenant_id, project_id, agent_id, count(*), count(*) FILTER (WHERE outcome = 'COMPLETED'),
       count(*) FILTER (WHERE outcome = 'FAILED'), count(*) FILTER (WHERE outcome = 'LEASE_EXPIRED')
  FROM analytics_claims GROUP BY tenant_id, project_id, agent_id;
