package io.agentledger.query.analytics;

import io.agentledger.api.task.TaskAttemptFailedEvent;
import io.agentledger.api.task.TaskCancelledEvent;
import io.agentledger.api.task.TaskClaimedEvent;
import io.agentledger.api.task.TaskCompletedEvent;
import io.agentledger.api.task.TaskCreatedEvent;
import io.agentledger.api.task.TaskLeaseExpiredEvent;
import io.agentledger.api.task.TaskReleasedEvent;
import io.agentledger.api.task.TaskStatus;
import io.agentledger.api.task.TaskUnblockedEvent;
import io.agentledger.query.analytics.AgentStatsPage.AgentStats;
import io.agentledger.query.analytics.AgentStatsPage.CycleTime;
import io.agentledger.query.analytics.ProjectSummary.DayCount;
import io.agentledger.query.analytics.ProjectSummary.Percentiles;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The analytics read model: {@code analytics_tasks} (per task the instants that matter and its counters) and
 * {@code analytics_claims} (per claim its agent, when and how it ended). Instants are the events' timestamps, so a
 * replay rebuilds the same rows. Every handler changes a task only when its event is newer than the last one applied
 * ({@code version}, the aggregate sequence number), and a claim row only in the same transaction: redelivered events
 * change nothing. docs/analytics.md documents the tables and every figure the queries answer.
 */
@Component
@ProcessingGroup(AnalyticsProjection.NAME)
class AnalyticsProjection {

    static final String NAME = "analytics";

    private static final String IN_RANGE = " WHERE tenant_id = ? AND project_id = ? AND %1$s >= ? AND %1$s < ?";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate snapshot;

    AnalyticsProjection(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        // the figures of one answer are read from one snapshot of the tables
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setReadOnly(true);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    @EventHandler
    void on(TaskCreatedEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        OffsetDateTime readyAt = event.status() == TaskStatus.READY ? utc(at) : null;
        jdbc.update("INSERT INTO analytics_tasks (task_id, tenant_id, project_id, status, created_at, first_ready_at,"
                        + " ready_since, claims, attempts, failed_attempts, lease_expiries, releases, version)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, ?) ON CONFLICT (task_id) DO NOTHING",
                event.taskId(), event.tenantId(), event.projectId(), event.status().name(), utc(at), readyAt, readyAt,
                version);
    }

    @EventHandler
    void on(TaskUnblockedEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        update(event.taskId(), version, "status = 'READY', first_ready_at = COALESCE(first_ready_at, ?),"
                + " ready_since = ?", utc(at), utc(at));
    }

    @EventHandler
    void on(TaskClaimedEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        if (update(event.taskId(), version, "status = 'IN_PROGRESS', ready_since = NULL,"
                        + " first_claimed_at = COALESCE(first_claimed_at, ?), last_claimed_at = ?, claims = claims + 1,"
                        + " attempts = GREATEST(attempts, ?), agent_id = ?",
                utc(at), utc(at), event.attempt(), event.agentId())) {
            jdbc.update("INSERT INTO analytics_claims (task_id, claim_seq, tenant_id, project_id, agent_id, attempt,"
                            + " claimed_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (task_id, claim_seq) DO NOTHING",
                    event.taskId(), version, event.tenantId(), event.projectId(), event.agentId(), event.attempt(),
                    utc(at));
        }
    }

    @EventHandler
    void on(TaskCompletedEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        if (update(event.taskId(), version, "status = 'COMPLETED', ready_since = NULL, agent_id = ?,"
                        + " completed_at = ?, terminal_at = ?,"
                        + " lead_time_seconds = EXTRACT(EPOCH FROM ?::TIMESTAMPTZ - created_at),"
                        + " cycle_time_seconds = EXTRACT(EPOCH FROM ?::TIMESTAMPTZ - first_claimed_at)",
                event.agentId(), utc(at), utc(at), utc(at), utc(at))) {
            endClaim(event.taskId(), at, "COMPLETED");
        }
    }

    @EventHandler
    void on(TaskAttemptFailedEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        if (afterAttempt(event.taskId(), version, at, event.retrying(), "failed_attempts = failed_attempts + 1")) {
            endClaim(event.taskId(), at, "FAILED");
        }
    }

    @EventHandler
    void on(TaskLeaseExpiredEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        if (afterAttempt(event.taskId(), version, at, event.retrying(), "lease_expiries = lease_expiries + 1")) {
            endClaim(event.taskId(), at, "LEASE_EXPIRED");
        }
    }

    @EventHandler
    void on(TaskReleasedEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        if (update(event.taskId(), version, "status = 'READY', ready_since = ?, releases = releases + 1", utc(at))) {
            endClaim(event.taskId(), at, "RELEASED");
        }
    }

    @EventHandler
    void on(TaskCancelledEvent event, @Timestamp Instant at, @SequenceNumber long version) {
        if (update(event.taskId(), version, "status = 'CANCELLED', ready_since = NULL, cancelled_at = ?,"
                + " terminal_at = ?", utc(at), utc(at))) {
            endClaim(event.taskId(), at, "CANCELLED");
        }
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM analytics_claims");
        jdbc.update("DELETE FROM analytics_tasks");
    }

    @QueryHandler
    ProjectSummary handle(FindProjectSummaryQuery query) {
        return snapshot.execute(status -> summary(query));
    }

    @QueryHandler
    AgentStatsPage handle(FindAgentStatsQuery query) {
        StringBuilder sql = new StringBuilder("SELECT agent_id, count(*) AS claims,"
                + " count(*) FILTER (WHERE outcome = 'COMPLETED') AS completions,"
                + " count(*) FILTER (WHERE outcome = 'FAILED') AS failures,"
                + " count(*) FILTER (WHERE outcome = 'LEASE_EXPIRED') AS lease_expiries,"
                + " percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_seconds)"
                + " FILTER (WHERE outcome = 'COMPLETED') AS cycle_p50"
                + " FROM analytics_claims WHERE tenant_id = ?");
        List<Object> args = new ArrayList<>(List.of(query.tenantId()));
        if (query.projectId() != null) {
            sql.append(" AND project_id = ?");
            args.add(query.projectId());
        }
        if (query.afterAgentId() != null) {
            sql.append(" AND agent_id > ?");
            args.add(query.afterAgentId());
        }
        sql.append(" GROUP BY agent_id ORDER BY agent_id LIMIT ?");
        args.add(query.limit() + 1);
        List<AgentStats> rows = jdbc.query(sql.toString(), (rs, n) -> new AgentStats(rs.getString("agent_id"),
                rs.getLong("claims"), rs.getLong("completions"), rs.getLong("failures"), rs.getLong("lease_expiries"),
                new CycleTime(seconds(rs, "cycle_p50"))), args.toArray());
        if (rows.size() <= query.limit()) {
            return new AgentStatsPage(rows, null);
        }
        List<AgentStats> items = rows.subList(0, query.limit());
        return new AgentStatsPage(items, AgentCursor.encode(items.get(items.size() - 1).agentId()));
    }

    private ProjectSummary summary(FindProjectSummaryQuery query) {
        String tenant = query.tenantId();
        String project = query.projectId();
        OffsetDateTime start = query.from().atStartOfDay().atOffset(ZoneOffset.UTC);
        OffsetDateTime end = query.to().plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);

        Map<String, Long> counts = new LinkedHashMap<>();
        for (TaskStatus status : TaskStatus.values()) {
            counts.put(status.name(), 0L);
        }
        jdbc.query("SELECT status, count(*) AS tasks FROM analytics_tasks WHERE tenant_id = ? AND project_id = ?"
                + " GROUP BY status", rs -> {
                    counts.put(rs.getString("status"), rs.getLong("tasks"));
                }, tenant, project);

        List<DayCount> created = perDay(query, "created_at", start, end);
        List<DayCount> completed = perDay(query, "completed_at", start, end);

        Percentiles[] durations = jdbc.queryForObject("SELECT"
                        + " percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY lead_time_seconds) AS lead,"
                        + " percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY cycle_time_seconds) AS cycle"
                        + " FROM analytics_tasks" + IN_RANGE.formatted("completed_at"),
                (rs, n) -> new Percentiles[]{percentiles(rs.getArray("lead")), percentiles(rs.getArray("cycle"))},
                tenant, project, start, end);

        Double failureRate = jdbc.queryForObject("SELECT count(*) FILTER (WHERE status = 'FAILED'), count(*)"
                        + " FROM analytics_tasks" + IN_RANGE.formatted("terminal_at")
                        + " AND status IN ('COMPLETED', 'FAILED')",
                (rs, n) -> ratio(rs.getLong(1), rs.getLong(2)), tenant, project, start, end);
        Double retryRate = jdbc.queryForObject("SELECT count(*) FILTER (WHERE attempts > 1), count(*)"
                        + " FROM analytics_tasks" + IN_RANGE.formatted("first_claimed_at"),
                (rs, n) -> ratio(rs.getLong(1), rs.getLong(2)), tenant, project, start, end);

        OffsetDateTime oldestReady = jdbc.queryForObject("SELECT min(ready_since) FROM analytics_tasks"
                + " WHERE tenant_id = ? AND project_id = ? AND ready_since IS NOT NULL", OffsetDateTime.class,
                tenant, project);
        Long oldestReadyAge = oldestReady == null ? null
                : Math.max(0, Duration.between(oldestReady.toInstant(), query.asOf()).toSeconds());

        return new ProjectSummary(project, query.from(), query.to(), query.asOf(), counts, created, completed,
                durations[0], durations[1], failureRate, retryRate, oldestReadyAge);
    }

    /** Tasks per UTC day of the range by one of their instants, days without any included as zeros. */
    private List<DayCount> perDay(FindProjectSummaryQuery query, String instant, OffsetDateTime start,
                                  OffsetDateTime end) {
        Map<LocalDate, Long> found = new HashMap<>();
        jdbc.query("SELECT (" + instant + " AT TIME ZONE 'UTC')::DATE AS day, count(*) AS tasks FROM analytics_tasks"
                        + IN_RANGE.formatted(instant) + " GROUP BY day",
                rs -> {
                    found.put(rs.getObject("day", LocalDate.class), rs.getLong("tasks"));
                }, query.tenantId(), query.projectId(), start, end);
        List<DayCount> days = new ArrayList<>();
        for (LocalDate day = query.from(); !day.isAfter(query.to()); day = day.plusDays(1)) {
            days.add(new DayCount(day, found.getOrDefault(day, 0L)));
        }
        return days;
    }

    /**
     * Sets the task's state after an attempt ended with a failure or an expired lease (counted by {@code counter}):
     * READY again when it is retried, FAILED otherwise.
     */
    private boolean afterAttempt(String taskId, long version, Instant at, boolean retrying, String counter) {
        return retrying
                ? update(taskId, version, "status = 'READY', ready_since = ?, " + counter, utc(at))
                : update(taskId, version, "status = 'FAILED', ready_since = NULL, failed_at = ?, terminal_at = ?, "
                + counter, utc(at), utc(at));
    }

    /**
     * Applies {@code set} (assignments with their {@code args}) to the task unless an event of this or a later
     * version was applied already; true when it changed the task.
     */
    private boolean update(String taskId, long version, String set, Object... args) {
        List<Object> all = new ArrayList<>(List.of(args));
        all.add(version);
        all.add(taskId);
        all.add(version);
        return jdbc.update("UPDATE analytics_tasks SET " + set + ", version = ? WHERE task_id = ? AND version < ?",
                all.toArray()) == 1;
    }

    /** Ends the task's claim that is still held; only ever called once per event (after {@link #update}). */
    private void endClaim(String taskId, Instant at, String outcome) {
        jdbc.update("UPDATE analytics_claims SET ended_at = ?, outcome = ?,"
                        + " duration_seconds = EXTRACT(EPOCH FROM ?::TIMESTAMPTZ - claimed_at)"
                        + " WHERE task_id = ? AND outcome IS NULL",
                utc(at), outcome, utc(at), taskId);
    }

    private static Percentiles percentiles(Array values) throws SQLException {
        if (values == null) {
            return new Percentiles(null, null);
        }
        Object[] both = (Object[]) values.getArray();
        return new Percentiles(millis((Double) both[0]), millis((Double) both[1]));
    }

    private static Double seconds(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : millis(value);
    }

    private static Double millis(Double seconds) {
        return seconds == null ? null : Math.round(seconds * 1000) / 1000.0;
    }

    private static Double ratio(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
