package io.agentledger.query.analytics;

import io.agentledger.api.task.TaskAttemptFailedEvent;
import io.agentledger.api.task.TaskClaimedEvent;
import io.agentledger.api.task.TaskCompletedEvent;
import io.agentledger.api.task.TaskCreatedEvent;
import io.agentledger.api.task.TaskPriority;
import io.agentledger.api.task.TaskReleasedEvent;
import io.agentledger.api.task.TaskStatus;
import io.agentledger.query.web.Queries;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.sql.Array;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The totals tables (query V11) always equal the counts over analytics_tasks and analytics_claims that define them:
 * after a history, with the processor's threads updating one project's rows at once, after redelivery and after a
 * replay.
 */
class AnalyticsTotalsTest extends AnalyticsTestSupport {

    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    AnalyticsProjection projection;
    @Autowired
    Queries queries;

    @Test
    void theTotalsOfAHistoryEqualTheCountsTheyStandFor() {
        scenario();

        Map<String, Long> totals = totals(tenant);
        assertThat(totals).isEqualTo(counted(tenant)).containsEntry("status|READY", 2L)
                .containsEntry("day|2025-03-01|created", 4L).containsEntry("day|2025-03-02|failed", 1L);
        // no row of zeros stays (the live rows equal those a replay writes)
        assertThat(jdbc.queryForObject("SELECT count(*) FROM analytics_status_totals WHERE tenant_id = ?"
                + " AND tasks = 0", Long.class, tenant)).isZero();
    }

    /**
     * Many tasks of one project on the same days, spread over every segment: the threads write the same status and
     * day rows concurrently, without a deadlock (none is dead-lettered) and without losing a count.
     */
    @Test
    void concurrentWorkersOnOneProjectKeepExactTotals() {
        String project = project(tenant, "2025-02-01T00:00:00Z");
        Random random = new Random(8);
        List<TaskHistory> tasks = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            tasks.add(task(tenant, project).created("2025-04-0" + (1 + i % 3) + "T10:00:00Z", TaskStatus.READY));
        }
        // the tasks' next events interleaved, as concurrent agents would produce them
        for (int step = 0; step < 3; step++) {
            for (TaskHistory task : tasks) {
                String at = "2025-04-0" + (4 + step) + "T" + (10 + random.nextInt(10)) + ":00:00Z";
                switch (step) {
                    case 0 -> task.claimed(at, "agent-" + random.nextInt(3), 1);
                    case 1 -> {
                        if (random.nextBoolean()) {
                            task.failed(at, true);
                        } else {
                            task.released(at);
                        }
                    }
                    default -> {
                        task.claimed(at, "agent-" + random.nextInt(3), 2);
                        if (random.nextBoolean()) {
                            task.completed(at.replace(":00:00Z", ":30:00Z"));
                        }
                    }
                }
            }
        }
        awaitProjected();

        assertThat(totals(tenant)).isEqualTo(counted(tenant)).containsEntry("day|2025-04-01|created", 40L)
                .containsEntry("day|2025-04-04|first_claimed", 120L);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM dead_letter_entry WHERE processing_group = ?"
                        + " AND sequence_identifier = ANY(?)", Long.class, AnalyticsProjection.NAME,
                tasks.stream().map(task -> task.id).toArray(String[]::new))).isZero();
    }

    /** Outside of a unit of work (direct calls) the totals are written at once; a redelivered event counts once. */
    @Test
    void redeliveredEventsCountOnce() {
        String project = UUID.randomUUID().toString();
        String task = UUID.randomUUID().toString();
        Instant at = Instant.parse("2025-05-01T23:59:00Z");
        for (int i = 0; i < 2; i++) {
            projection.on(new TaskCreatedEvent(task, tenant, project, "Twice", null, TaskPriority.LOW, List.of(),
                    List.of(), List.of(), List.of(), null, 3, 900, TaskStatus.READY), at, 0);
            projection.on(new TaskClaimedEvent(task, tenant, project, "agent", "l1", at.plusSeconds(900), 900, 1),
                    at.plusSeconds(10), 1);
            projection.on(new TaskAttemptFailedEvent(task, tenant, project, "agent", "l1", 1, "no", true),
                    at.plusSeconds(20), 2);
            projection.on(new TaskClaimedEvent(task, tenant, project, "agent", "l2", at.plusSeconds(930), 900, 2),
                    at.plusSeconds(30), 3);
            projection.on(new TaskReleasedEvent(task, tenant, project, "agent", "l2", "agent"), at.plusSeconds(40), 4);
            projection.on(new TaskClaimedEvent(task, tenant, project, "agent", "l3", at.plusSeconds(950), 900, 2),
                    at.plusSeconds(50), 5);
            projection.on(new TaskCompletedEvent(task, tenant, project, "agent", "l3", "ok", List.of()),
                    at.plusSeconds(100), 6);
        }

        // created on 05-01, first claimed on 05-01 and retried, completed on 05-02
        assertThat(totals(tenant)).isEqualTo(counted(tenant)).isEqualTo(new TreeMap<>(Map.ofEntries(
                Map.entry("status|COMPLETED", 1L),
                Map.entry("day|2025-05-01|created", 1L), Map.entry("day|2025-05-01|first_claimed", 1L),
                Map.entry("day|2025-05-01|retried", 1L), Map.entry("day|2025-05-02|completed", 1L),
                Map.entry("day|2025-05-02|finished", 1L),
                // lead time 100 s in [100, 104), cycle time 90 s in [88, 92)
                Map.entry("durations|2025-05-02|57|lead", 1L), Map.entry("durations|2025-05-02|54|cycle", 1L),
                Map.entry("agent|agent|claims", 3L), Map.entry("agent|agent|completions", 1L),
                Map.entry("agent|agent|failures", 1L))));
    }

    @Test
    void aReplayRebuildsTheSameTotals() {
        scenario();
        Map<String, Long> totals = totals(tenant);
        Map<String, Long> rowsBefore = new java.util.HashMap<>();
        for (String table : List.of("analytics_daily_totals", "analytics_daily_durations", "analytics_status_totals",
                "analytics_agent_totals")) {
            rowsBefore.put(table, jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE tenant_id = ?",
                    Long.class, tenant));
        }

        StreamingEventProcessor processor = processing
                .eventProcessor(AnalyticsProjection.NAME, StreamingEventProcessor.class).orElseThrow();
        processor.shutDown();
        try {
            processor.resetTokens();
            assertThat(totals(tenant)).isEmpty();
        } finally {
            processor.start();
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(processor.isReplaying()).isFalse();
            assertThat(totals(tenant)).isEqualTo(totals);
        });
        // row for row, zeros included
        for (String table : List.of("analytics_daily_totals", "analytics_daily_durations", "analytics_status_totals",
                "analytics_agent_totals")) {
            assertThat(jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE tenant_id = ?", Long.class,
                    tenant)).as(table).isEqualTo(rowsBefore.get(table));
        }
    }

    /** The summary's percentiles, read through the duration buckets, are exactly percentile_cont over the tasks. */
    @Test
    void percentilesThroughTheBucketsArePercentileCont() {
        String project = UUID.randomUUID().toString();
        Random random = new Random(42);
        Instant first = Instant.parse("2025-06-01T00:00:00Z");
        for (int i = 0; i < 150; i++) {
            String task = UUID.randomUUID().toString();
            Instant created = first.plusSeconds(random.nextInt(5 * 86_400));
            // durations of every scale, some equal, some in one bucket
            long cycle = switch (i % 4) {
                case 0 -> random.nextInt(40);
                case 1 -> 3600;
                case 2 -> 1000 + random.nextInt(100);
                default -> random.nextInt(400_000);
            };
            Instant claimed = created.plusMillis(random.nextInt(100_000));
            projection.on(new TaskCreatedEvent(task, tenant, project, "T", null, TaskPriority.LOW, List.of(),
                    List.of(), List.of(), List.of(), null, 3, 900, TaskStatus.READY), created, 0);
            projection.on(new TaskClaimedEvent(task, tenant, project, "agent", "l", claimed.plusSeconds(900), 900, 1),
                    claimed, 1);
            projection.on(new TaskCompletedEvent(task, tenant, project, "agent", "l", "ok", List.of()),
                    claimed.plusSeconds(cycle).plusMillis(random.nextInt(1000)), 2);
        }
        assertThat(totals(tenant)).isEqualTo(counted(tenant));

        for (String[] range : new String[][]{{"2025-06-01", "2025-06-30"}, {"2025-06-02", "2025-06-03"},
                {"2025-06-04", "2025-06-04"}, {"2025-07-01", "2025-07-02"}}) {
            ProjectSummary summary = queries.ask(new FindProjectSummaryQuery(tenant, project,
                    LocalDate.parse(range[0]), LocalDate.parse(range[1]), Instant.now()), ProjectSummary.class);
            Map<String, Object> expected = jdbc.queryForMap("SELECT"
                    + " percentile_cont(0.5) WITHIN GROUP (ORDER BY lead_time_seconds) AS lead50,"
                    + " percentile_cont(0.95) WITHIN GROUP (ORDER BY lead_time_seconds) AS lead95,"
                    + " percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY cycle_time_seconds) AS cycle"
                    + " FROM analytics_tasks WHERE tenant_id = ? AND project_id = ? AND completed_at >= (?::DATE)::TIMESTAMP AT TIME ZONE 'UTC'"
                    + " AND completed_at < (?::DATE + 1)::TIMESTAMP AT TIME ZONE 'UTC'", tenant, project, range[0], range[1]);
            Double[] cycle = expected.get("cycle") == null ? new Double[]{null, null} : cycle(expected.get("cycle"));
            assertThat(summary.leadTime()).as("lead time %s", (Object) range).isEqualTo(new ProjectSummary.Percentiles(
                    rounded((Double) expected.get("lead50")), rounded((Double) expected.get("lead95"))));
            assertThat(summary.cycleTime()).as("cycle time %s", (Object) range).isEqualTo(
                    new ProjectSummary.Percentiles(rounded(cycle[0]), rounded(cycle[1])));
        }
    }

    /** The buckets of the Java side are those of SQL function analytics_duration_bucket, bounds included. */
    @Test
    void javaAndSqlBucketsAgree() {
        List<Double> values = new ArrayList<>(List.of(-0.5, 0.0, 0.999, 1.0, 31.999, 32.0, 33.999, 34.0, 63.5, 64.0,
                86_400.0, 1e9));
        for (int bucket = -1; bucket < 500; bucket++) {
            double[] bounds = AnalyticsTotals.bounds(bucket);
            assertThat(AnalyticsTotals.bucket(Math.nextDown(bounds[1]))).isEqualTo(bucket);
            if (bucket >= 0) {
                assertThat(AnalyticsTotals.bucket(bounds[0])).isEqualTo(bucket);
                values.add(bounds[0]);
                values.add(Math.nextDown(bounds[1]));
            }
        }
        List<Integer> sql = jdbc.queryForList("SELECT analytics_duration_bucket(v) FROM unnest(?::FLOAT8[])"
                + " WITH ORDINALITY AS u(v, i) ORDER BY i", Integer.class, (Object) values.toArray(Double[]::new));
        assertThat(sql).isEqualTo(values.stream().map(AnalyticsTotals::bucket).toList());
    }

    private static Double[] cycle(Object array) {
        try {
            Object[] both = (Object[]) ((Array) array).getArray();
            return new Double[]{(Double) both[0], (Double) both[1]};
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Double rounded(Double seconds) {
        return seconds == null ? null : Math.round(seconds * 1000) / 1000.0;
    }

    /** An agent's median from its middle one or two values is exactly PostgreSQL's percentile_cont(0.5). */
    @Test
    void theMedianOfTheMiddleValuesIsPercentileCont() throws Exception {
        Random random = new Random(11);
        try (Connection connection = jdbc.getDataSource().getConnection()) {
            for (int n = 1; n <= 40; n++) {
                Double[] values = new Double[n];
                for (int i = 0; i < n; i++) {
                    values[i] = random.nextInt(3) == 0 ? random.nextInt(100) : random.nextDouble() * 1e5;
                }
                Double expected = jdbc.queryForObject("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v)"
                        + " FROM unnest(?::FLOAT8[]) v", Double.class, (Object) values);
                Double[] sorted = values.clone();
                Arrays.sort(sorted);
                Double[] middle = Arrays.copyOfRange(sorted, (n - 1) / 2, Math.min(n, (n - 1) / 2 + 2));
                Array array = connection.createArrayOf("float8", middle);
                assertThat(AnalyticsProjection.median(n, array)).isEqualTo(expected);
            }
            assertThat(AnalyticsProjection.median(0, null)).isNull();
        }
    }

    /** The nonzero totals of the tenant, keyed "status|S", "day|D|column" and "agent|A|column" (summed over projects). */
    private Map<String, Long> totals(String tenantId) {
        Map<String, Long> totals = new TreeMap<>();
        jdbc.query("SELECT status, sum(tasks) FROM analytics_status_totals WHERE tenant_id = ? GROUP BY status",
                rs -> {
                    put(totals, "status|" + rs.getString(1), rs.getLong(2));
                }, tenantId);
        jdbc.query("SELECT day, " + sums(AnalyticsTotals.DAY_COLUMNS) + " FROM analytics_daily_totals"
                + " WHERE tenant_id = ? GROUP BY day", rs -> {
                    for (int i = 0; i < AnalyticsTotals.DAY_COLUMNS.length; i++) {
                        put(totals, "day|" + rs.getString(1) + "|" + AnalyticsTotals.DAY_COLUMNS[i], rs.getLong(i + 2));
                    }
                }, tenantId);
        jdbc.query("SELECT day, bucket, sum(lead_times), sum(cycle_times) FROM analytics_daily_durations"
                + " WHERE tenant_id = ? GROUP BY day, bucket", rs -> {
                    put(totals, "durations|" + rs.getString(1) + "|" + rs.getInt(2) + "|lead", rs.getLong(3));
                    put(totals, "durations|" + rs.getString(1) + "|" + rs.getInt(2) + "|cycle", rs.getLong(4));
                }, tenantId);
        jdbc.query("SELECT agent_id, " + sums(AnalyticsTotals.AGENT_COLUMNS) + " FROM analytics_agent_totals"
                + " WHERE tenant_id = ? GROUP BY agent_id", rs -> {
                    for (int i = 0; i < AnalyticsTotals.AGENT_COLUMNS.length; i++) {
                        put(totals, "agent|" + rs.getString(1) + "|" + AnalyticsTotals.AGENT_COLUMNS[i],
                                rs.getLong(i + 2));
                    }
                }, tenantId);
        return totals;
    }

    /** The same, counted over analytics_tasks and analytics_claims by the definitions of docs/analytics.md. */
    private Map<String, Long> counted(String tenantId) {
        Map<String, Long> counted = new TreeMap<>();
        jdbc.query("SELECT status, count(*) FROM analytics_tasks WHERE tenant_id = ? GROUP BY status", rs -> {
            put(counted, "status|" + rs.getString(1), rs.getLong(2));
        }, tenantId);
        day(counted, tenantId, "created", "created_at", "TRUE");
        day(counted, tenantId, "completed", "completed_at", "completed_at IS NOT NULL");
        day(counted, tenantId, "finished", "terminal_at", "status IN ('COMPLETED', 'FAILED')");
        day(counted, tenantId, "failed", "terminal_at", "status = 'FAILED'");
        day(counted, tenantId, "first_claimed", "first_claimed_at", "first_claimed_at IS NOT NULL");
        day(counted, tenantId, "retried", "first_claimed_at", "attempts > 1");
        for (String[] duration : new String[][]{{"lead", "lead_time_seconds"}, {"cycle", "cycle_time_seconds"}}) {
            jdbc.query("SELECT (completed_at AT TIME ZONE 'UTC')::DATE, analytics_duration_bucket(" + duration[1]
                    + "), count(*) FROM analytics_tasks WHERE tenant_id = ? AND completed_at IS NOT NULL AND "
                    + duration[1] + " IS NOT NULL GROUP BY 1, 2", rs -> {
                        put(counted, "durations|" + rs.getString(1) + "|" + rs.getInt(2) + "|" + duration[0],
                                rs.getLong(3));
                    }, tenantId);
        }
        jdbc.query("SELECT agent_id, count(*), count(*) FILTER (WHERE outcome = 'COMPLETED'),"
                + " count(*) FILTER (WHERE outcome = 'FAILED'), count(*) FILTER (WHERE outcome = 'LEASE_EXPIRED')"
                + " FROM analytics_claims WHERE tenant_id = ? GROUP BY agent_id", rs -> {
                    for (int i = 0; i < AnalyticsTotals.AGENT_COLUMNS.length; i++) {
                        put(counted, "agent|" + rs.getString(1) + "|" + AnalyticsTotals.AGENT_COLUMNS[i],
                                rs.getLong(i + 2));
                    }
                }, tenantId);
        return counted;
    }

    private void day(Map<String, Long> counted, String tenantId, String column, String instant, String condition) {
        jdbc.query("SELECT (" + instant + " AT TIME ZONE 'UTC')::DATE, count(*) FROM analytics_tasks"
                + " WHERE tenant_id = ? AND " + instant + " IS NOT NULL AND " + condition + " GROUP BY 1", rs -> {
                    put(counted, "day|" + rs.getString(1) + "|" + column, rs.getLong(2));
                }, tenantId);
    }

    private static String sums(String[] columns) {
        return String.join(", ", Arrays.stream(columns).map(c -> "sum(" + c + ")").toList());
    }

    private static void put(Map<String, Long> map, String key, long value) {
        if (value != 0) {
            map.put(key, value);
        }
    }
}
