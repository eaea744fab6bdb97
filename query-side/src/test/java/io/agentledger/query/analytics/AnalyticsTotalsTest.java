package io.agentledger.query.analytics;

import io.agentledger.api.task.TaskAttemptFailedEvent;
import io.agentledger.api.task.TaskClaimedEvent;
import io.agentledger.api.task.TaskCompletedEvent;
import io.agentledger.api.task.TaskCreatedEvent;
import io.agentledger.api.task.TaskPriority;
import io.agentledger.api.task.TaskReleasedEvent;
import io.agentledger.api.task.TaskStatus;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.sql.Array;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
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

    @Test
    void theTotalsOfAHistoryEqualTheCountsTheyStandFor() {
        scenario();

        Map<String, Long> totals = totals(tenant);
        assertThat(totals).isEqualTo(counted(tenant)).containsEntry("status|READY", 2L)
                .containsEntry("day|2025-03-01|created", 4L).containsEntry("day|2025-03-02|failed", 1L);
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
        assertThat(jdbc.queryForObject("SELECT count(*) FROM dead_letter_entry WHERE processing_group = ?",
                Long.class, AnalyticsProjection.NAME)).isZero();
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
                Map.entry("agent|agent|claims", 3L), Map.entry("agent|agent|completions", 1L),
                Map.entry("agent|agent|failures", 1L))));
    }

    @Test
    void aReplayRebuildsTheSameTotals() {
        scenario();
        Map<String, Long> totals = totals(tenant);

        StreamingEventProcessor processor = processing
                .eventProcessor(AnalyticsProjection.NAME, StreamingEventProcessor.class).orElseThrow();
        processor.shutDown();
        processor.resetTokens();
        assertThat(totals(tenant)).isEmpty();
        processor.start();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(processor.isReplaying()).isFalse();
            assertThat(totals(tenant)).isEqualTo(totals);
        });
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
