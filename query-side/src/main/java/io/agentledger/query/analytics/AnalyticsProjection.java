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
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Array;
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
import java.util.function.Consumer;

/**
 * The analytics read model: {@code analytics_tasks} (per task the instants that matter and its counters),
 * {@code analytics_claims} (per claim its agent, when and how it ended) and the totals counted from them
 * ({@link AnalyticsTotals}: per project and day, status, agent), which the summary and agents queries read. Instants
 * are the events' timestamps, so a replay rebuilds the same rows. Every handler changes a task only when its event is
 * newer than the last one applied ({@code version}, the aggregate sequence number), and a claim row and the totals
 * only in the same transaction and when it did: redelivered events change nothing. docs/analytics.md documents the
 * tables and every figure the queries answer.
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
        int inserted = jdbc.update("INSERT INTO analytics_tasks (task_id, tenant_id, project_id, status, created_at,"
                        + " first_ready_at, ready_since, claims, attempts, failed_attempts, lease_expiries, releases, version)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, ?) ON CONFLICT (task_id) DO NOTHING",
                event.taskId(), event.tenantId(), event.projectId(), event.status().name(), utc(at), readyAt, readyAt,
                version);
        if (inserted == 1) {
            TaskFigures created = new TaskFigures(event.status().name(), utc(at), null, null, null, 0, null,
                    null);
            count(totals -> totals.task(event.tenantId(), event.projectId(), null, created));
        }
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
            if (jdbc.update("INSERT INTO analytics_claims (task_id, claim_seq, tenant_id, project_id, agent_id,"
                            + " attempt, claimed_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT (task_id, claim_seq) DO NOTHING",
                    event.taskId(), version, event.tenantId(), event.projectId(), event.agentId(), event.attempt(),
                    utc(at)) == 1) {
                count(totals -> totals.claimed(event.tenantId(), event.projectId(), event.agentId()));
            }
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
        jdbc.update("DELETE FROM analytics_agent_totals");
        jdbc.update("DELETE FROM analytics_status_totals");
        jdbc.update("DELETE FROM analytics_daily_totals");
        jdbc.update("DELETE FROM analytics_daily_durations");
        jdbc.update("DELETE FROM analytics_claims");
        jdbc.update("DELETE FROM analytics_tasks");
    }

    @QueryHandler
    ProjectSummary handle(FindProjectSummaryQuery query) {
        return snapshot.execute(status -> summary(query));
    }

    @QueryHandler
    AgentStatsPage handle(FindAgentStatsQuery query) {
        return snapshot.execute(status -> agents(query));
    }

    /**
     * The agents' counts from {@code analytics_agent_totals}; per agent with completions the middle one or two of its
     * completed claims' durations, read in the order of index {@code analytics_claims_(project_)completed_idx}, give
     * its {@code percentile_cont(0.5)}.
     */
    private AgentStatsPage agents(FindAgentStatsQuery query) {
        String project = query.projectId() == null ? "" : " AND project_id = ?";
        StringBuilder sql = new StringBuilder("SELECT a.agent_id, a.claims, a.completions, a.failures,"
                + " a.lease_expiries, middle.durations FROM (SELECT agent_id, sum(claims)::BIGINT AS claims,"
                + " sum(completions)::BIGINT AS completions, sum(failures)::BIGINT AS failures,"
                + " sum(lease_expiries)::BIGINT AS lease_expiries FROM analytics_agent_totals WHERE tenant_id = ?"
                + project);
        List<Object> args = new ArrayList<>(List.of(query.tenantId()));
        if (query.projectId() != null) {
            args.add(query.projectId());
        }
        if (query.afterAgentId() != null) {
            sql.append(" AND agent_id > ?");
            args.add(query.afterAgentId());
        }
        sql.append(" GROUP BY agent_id ORDER BY agent_id LIMIT ?) a LEFT JOIN LATERAL (SELECT"
                + " array_agg(duration_seconds ORDER BY duration_seconds) AS durations FROM (SELECT duration_seconds"
                + " FROM analytics_claims WHERE tenant_id = ?" + project + " AND agent_id = a.agent_id"
                + " AND outcome = 'COMPLETED' ORDER BY duration_seconds OFFSET (a.completions - 1) / 2 LIMIT 2) d)"
                + " middle ON a.completions > 0 ORDER BY a.agent_id");
        args.add(query.limit() + 1);
        args.add(query.tenantId());
        if (query.projectId() != null) {
            args.add(query.projectId());
        }
        List<AgentStats> rows = jdbc.query(sql.toString(), (rs, n) -> new AgentStats(rs.getString("agent_id"),
                rs.getLong("claims"), rs.getLong("completions"), rs.getLong("failures"), rs.getLong("lease_expiries"),
                new CycleTime(millis(median(rs.getLong("completions"), rs.getArray("durations"))))), args.toArray());
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
        jdbc.query("SELECT status, tasks FROM analytics_status_totals WHERE tenant_id = ? AND project_id = ?"
                + " AND tasks <> 0", rs -> {
                    counts.put(rs.getString("status"), rs.getLong("tasks"));
                }, tenant, project);

        // the range's days: per-day counts and the sums behind the rates
        Map<LocalDate, long[]> found = new HashMap<>();
        long[] sums = new long[AnalyticsTotals.DAY_COLUMNS.length];
        jdbc.query("SELECT day, " + String.join(", ", AnalyticsTotals.DAY_COLUMNS) + " FROM analytics_daily_totals"
                + " WHERE tenant_id = ? AND project_id = ? AND day >= ? AND day <= ?", rs -> {
                    long[] values = new long[sums.length];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = rs.getLong(AnalyticsTotals.DAY_COLUMNS[i]);
                        sums[i] += values[i];
                    }
                    found.put(rs.getObject("day", LocalDate.class), values);
                }, tenant, project, query.from(), query.to());
        List<DayCount> created = new ArrayList<>();
        List<DayCount> completed = new ArrayList<>();
        for (LocalDate day = query.from(); !day.isAfter(query.to()); day = day.plusDays(1)) {
            long[] values = found.getOrDefault(day, new long[sums.length]);
            created.add(new DayCount(day, values[0]));
            completed.add(new DayCount(day, values[1]));
        }

        Percentiles[] durations = durations(query, start, end);

        Double failureRate = ratio(sums[3], sums[2]);
        Double retryRate = ratio(sums[5], sums[4]);

        OffsetDateTime oldestReady = jdbc.queryForObject("SELECT min(ready_since) FROM analytics_tasks"
                + " WHERE tenant_id = ? AND project_id = ? AND ready_since IS NOT NULL", OffsetDateTime.class,
                tenant, project);
        Long oldestReadyAge = oldestReady == null ? null
                : Math.max(0, Duration.between(oldestReady.toInstant(), query.asOf()).toSeconds());

        return new ProjectSummary(project, query.from(), query.to(), query.asOf(), counts, created, completed,
                durations[0], durations[1], failureRate, retryRate, oldestReadyAge);
    }

    /**
     * leadTime and cycleTime: per duration bucket the tasks completed in the range ({@code analytics_daily_durations}),
     * so that each percentile reads only the tasks of the bucket its value is in.
     */
    private Percentiles[] durations(FindProjectSummaryQuery query, OffsetDateTime start, OffsetDateTime end) {
        List<long[]> buckets = jdbc.query("SELECT bucket, sum(lead_times)::BIGINT, sum(cycle_times)::BIGINT"
                        + " FROM analytics_daily_durations WHERE tenant_id = ? AND project_id = ? AND day >= ?"
                        + " AND day <= ? GROUP BY bucket ORDER BY bucket",
                (rs, n) -> new long[]{rs.getInt(1), rs.getLong(2), rs.getLong(3)},
                query.tenantId(), query.projectId(), query.from(), query.to());
        return new Percentiles[]{
                new Durations(query, start, end, "lead_time_seconds", buckets, 1).percentiles(),
                new Durations(query, start, end, "cycle_time_seconds", buckets, 2).percentiles()};
    }

    /**
     * The durations of one column of the tasks completed in a range, counted per bucket ({@code counts[0]} the
     * bucket, {@code counts[index]} its tasks, buckets in order).
     */
    private final class Durations {

        private final FindProjectSummaryQuery query;
        private final OffsetDateTime start;
        private final OffsetDateTime end;
        private final String column;
        private final List<long[]> buckets;
        private final int index;
        private final long count;

        Durations(FindProjectSummaryQuery query, OffsetDateTime start, OffsetDateTime end, String column,
                  List<long[]> buckets, int index) {
            this.query = query;
            this.start = start;
            this.end = end;
            this.column = column;
            this.buckets = buckets;
            this.index = index;
            this.count = buckets.stream().mapToLong(counts -> counts[index]).sum();
        }

        Percentiles percentiles() {
            return count == 0 ? new Percentiles(null, null)
                    : new Percentiles(millis(percentile(0.5)), millis(percentile(0.95)));
        }

        /** {@code percentile_cont(p)} computed as PostgreSQL does (orderedsetaggs.c, float8_lerp). */
        private double percentile(double p) {
            double position = p * (count - 1);
            long first = (long) Math.floor(position);
            long second = (long) Math.ceil(position);
            List<Double> values = from(first, second == first ? 1 : 2);
            if (second == first) {
                return values.get(0);
            }
            return values.get(0) + ((position - first) * (values.get(1) - values.get(0)));
        }

        /** The {@code wanted} values from the one of rank {@code rank} (0 the smallest) on. */
        private List<Double> from(long rank, int wanted) {
            List<Double> values = new ArrayList<>();
            long below = 0;
            for (long[] bucket : buckets) {
                long tasks = bucket[index];
                if (values.size() < wanted && tasks > 0 && below + tasks > rank) {
                    long offset = Math.max(0, rank - below);
                    double[] bounds = AnalyticsTotals.bounds((int) bucket[0]);
                    values.addAll(jdbc.queryForList("SELECT " + column + " FROM analytics_tasks"
                                    + IN_RANGE.formatted("completed_at") + " AND " + column + " >= ? AND " + column
                                    + " < ? ORDER BY " + column + " OFFSET ? LIMIT ?", Double.class,
                            query.tenantId(), query.projectId(), start, end, bounds[0], bounds[1], offset,
                            wanted - values.size()));
                }
                below += tasks;
            }
            return values;
        }
    }

    /**
     * {@code percentile_cont(0.5)} of {@code count} sorted values from the one or two at its position (the values
     * from position ⌊(count − 1) / 2⌋ on), computed as PostgreSQL does: the lower value plus the fraction of the
     * position times the difference.
     */
    static Double median(long count, Array middle) throws SQLException {
        if (count == 0 || middle == null) {
            return null;
        }
        Object[] values = (Object[]) middle.getArray();
        double position = 0.5 * (count - 1);
        double first = Math.floor(position);
        double lower = (Double) values[0];
        if (Math.ceil(position) == first) {
            return lower;
        }
        double upper = (Double) values[1];
        return lower + ((position - first) * (upper - lower));
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
     * version was applied already; true when it changed the task, whose figures then move in the totals.
     */
    private boolean update(String taskId, long version, String set, Object... args) {
        List<Object> all = new ArrayList<>(List.of(args));
        all.add(version);
        all.add(taskId);
        all.add(version);
        all.add(version);
        // the row as it was (locked) and as it is now, in one statement
        List<Runnable> changes = jdbc.query("UPDATE analytics_tasks t SET " + set + ", version = ? FROM (SELECT"
                        + " task_id AS old_task_id, status AS old_status, created_at AS old_created_at,"
                        + " completed_at AS old_completed_at, terminal_at AS old_terminal_at,"
                        + " first_claimed_at AS old_first_claimed_at, attempts AS old_attempts,"
                        + " lead_time_seconds AS old_lead_time_seconds, cycle_time_seconds AS old_cycle_time_seconds"
                        + " FROM analytics_tasks WHERE task_id = ? AND version < ? FOR UPDATE) old"
                        + " WHERE t.task_id = old.old_task_id AND t.version < ? RETURNING t.tenant_id, t.project_id,"
                        + " old.old_status, old.old_created_at, old.old_completed_at, old.old_terminal_at,"
                        + " old.old_first_claimed_at, old.old_attempts, old.old_lead_time_seconds,"
                        + " old.old_cycle_time_seconds, t.status, t.created_at, t.completed_at, t.terminal_at,"
                        + " t.first_claimed_at, t.attempts, t.lead_time_seconds, t.cycle_time_seconds",
                (rs, n) -> {
                    String tenant = rs.getString("tenant_id");
                    String project = rs.getString("project_id");
                    TaskFigures before = TaskFigures.read(rs, "old_");
                    TaskFigures after = TaskFigures.read(rs, "");
                    return () -> count(totals -> totals.task(tenant, project, before, after));
                }, all.toArray());
        changes.forEach(Runnable::run);
        return !changes.isEmpty();
    }

    /** Ends the task's claim that is still held; only ever called once per event (after {@link #update}). */
    private void endClaim(String taskId, Instant at, String outcome) {
        List<String[]> ended = jdbc.query("UPDATE analytics_claims SET ended_at = ?, outcome = ?,"
                        + " duration_seconds = EXTRACT(EPOCH FROM ?::TIMESTAMPTZ - claimed_at)"
                        + " WHERE task_id = ? AND outcome IS NULL RETURNING tenant_id, project_id, agent_id",
                (rs, n) -> new String[]{rs.getString(1), rs.getString(2), rs.getString(3)},
                utc(at), outcome, utc(at), taskId);
        for (String[] claim : ended) {
            count(totals -> totals.claimEnded(claim[0], claim[1], claim[2], outcome));
        }
    }

    /**
     * Adds a change to the totals. In an event processor's unit of work (a batch of events) the changes are summed
     * and written when it is about to commit, in one fixed order of rows (AnalyticsTotals); a direct call outside of
     * one writes them at once.
     */
    private void count(Consumer<AnalyticsTotals> change) {
        if (CurrentUnitOfWork.isStarted()) {
            UnitOfWork<?> root = CurrentUnitOfWork.get().root();
            change.accept(root.getOrComputeResource(AnalyticsTotals.class.getName(), key -> {
                AnalyticsTotals totals = new AnalyticsTotals();
                root.onPrepareCommit(u -> totals.write(jdbc));
                return totals;
            }));
        } else {
            AnalyticsTotals totals = new AnalyticsTotals();
            change.accept(totals);
            totals.write(jdbc);
        }
    }

    private static Percentiles percentiles(Array values) throws SQLException {
        if (values == null) {
            return new Percentiles(null, null);
        }
        Object[] both = (Object[]) values.getArray();
        return new Percentiles(millis((Double) both[0]), millis((Double) both[1]));
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
