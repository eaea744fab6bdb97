-- Drop, then delete version 11 from flyway_query_history. The totals are derived from analytics_tasks and
-- analytics_claims (nothing is lost); the previous version counted over those tables and needs its two agent
-- indexes back. Drop per-tenant views of the totals (docs/analytics.md) first.
DROP TABLE IF EXISTS analytics_agent_totals;
DROP TABLE IF EXISTS analytics_status_totals;
DROP TABLE IF EXISTS analytics_daily_totals;
DROP TABLE IF EXISTS analytics_daily_durations;
DROP FUNCTION IF EXISTS analytics_duration_bucket(DOUBLE PRECISION);
DROP INDEX IF EXISTS analytics_tasks_lead_time_idx;
DROP INDEX IF EXISTS analytics_tasks_cycle_time_idx;
DROP INDEX IF EXISTS analytics_claims_completed_idx;
DROP INDEX IF EXISTS analytics_claims_project_completed_idx;
CREATE INDEX IF NOT EXISTS analytics_claims_agent_idx ON analytics_claims (tenant_id, agent_id)
    INCLUDE (outcome, duration_seconds);
CREATE INDEX IF NOT EXISTS analytics_claims_project_agent_idx ON analytics_claims (tenant_id, project_id, agent_id)
    INCLUDE (outcome, duration_seconds);
