package io.agentledger.query.analytics;

import io.agentledger.api.task.TaskAttemptFailedEvent;
import io.agentledger.api.task.TaskClaimedEvent;
import io.agentledger.api.task.TaskCompletedEvent;
import io.agentledger.api.task.TaskCreatedEvent;
import io.agentledger.api.task.TaskLeaseExpiredEvent;
import io.agentledger.api.task.TaskPriority;
import io.agentledger.api.task.TaskStatus;
import io.agentledger.query.analytics.AgentStatsPage.AgentStats;
import io.agentledger.query.analytics.AgentStatsPage.CycleTime;
import io.agentledger.query.analytics.ProjectSummary.DayCount;
import io.agentledger.query.analytics.ProjectSummary.Percentiles;
import io.agentledger.query.web.Queries;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Exact figures of {@link #scenario()}, the projection's rows, redelivery and replay. */
class AnalyticsProjectionTest extends AnalyticsTestSupport {

    private static final Instant AS_OF = Instant.parse("2025-03-06T06:00:00Z");

    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    AnalyticsProjection projection;
    @Autowired
    Queries queries;

    @Test
    void theProjectionRunsAsAPooledStreamingProcessor() {
        assertThat(processing.eventProcessor(AnalyticsProjection.NAME, PooledStreamingEventProcessor.class))
                .isPresent();
    }

    @Test
    void theSummaryOfARangeHasExactCountsPercentilesAndRates() {
        Scenario scenario = scenario();

        assertThat(summary(scenario.project(), "2025-02-28", "2025-03-04")).isEqualTo(new ProjectSummary(
                scenario.project(), LocalDate.parse("2025-02-28"), LocalDate.parse("2025-03-04"), AS_OF,
                counts(1, 2, 1, 4, 1, 1),
                days("2025-02-28", 0, 3, 2, 2, 0),
                days("2025-02-28", 0, 3, 0, 1, 0),
                // lead times 3600, 7200, 86400, 133200: p50 = 7200 + 0.5 × 79200, p95 = 86400 + 0.85 × 46800
                new Percentiles(46800.0, 126180.0),
                // cycle times 3000, 7200, 86400, 93600: p50 = 7200 + 0.5 × 79200, p95 = 86400 + 0.85 × 7200
                new Percentiles(46800.0, 92520.0),
                // 1 FAILED of 4 COMPLETED + 1 FAILED (the cancelled task does not count)
                0.2,
                // 2 of the 5 tasks first claimed in the range were claimed for a second attempt
                0.4,
                // READY since 2025-03-03T06:00Z
                259_200L));
    }

    @Test
    void aOneDayRangeCountsThatDayOnly() {
        Scenario scenario = scenario();

        assertThat(summary(scenario.project(), "2025-03-02", "2025-03-02")).isEqualTo(new ProjectSummary(
                scenario.project(), LocalDate.parse("2025-03-02"), LocalDate.parse("2025-03-02"), AS_OF,
                counts(1, 2, 1, 4, 1, 1), days("2025-03-02", 2), days("2025-03-02", 0),
                new Percentiles(null, null), new Percentiles(null, null), 1.0, 0.5, 259_200L));
        // nothing at all in the range, and a project without tasks
        assertThat(summary(scenario.project(), "2024-01-01", "2024-01-02")).isEqualTo(new ProjectSummary(
                scenario.project(), LocalDate.parse("2024-01-01"), LocalDate.parse("2024-01-02"), AS_OF,
                counts(1, 2, 1, 4, 1, 1), days("2024-01-01", 0, 0), days("2024-01-01", 0, 0),
                new Percentiles(null, null), new Percentiles(null, null), null, null, 259_200L));
        String empty = project(tenant, "2025-01-01T00:00:00Z");
        assertThat(summary(empty, "2025-03-01", "2025-03-01")).isEqualTo(new ProjectSummary(empty,
                LocalDate.parse("2025-03-01"), LocalDate.parse("2025-03-01"), AS_OF, counts(0, 0, 0, 0, 0, 0),
                days("2025-03-01", 0), days("2025-03-01", 0), new Percentiles(null, null),
                new Percentiles(null, null), null, null, null));
    }

    @Test
    void agentsAreCountedPerTenantAndPerProject() {
        Scenario scenario = scenario();

        // A: 7 claims, completed in 3000 s, 93600 s and (project Q) 100 s, failed twice; B: completed in 3600 s and
        // 85200 s, one lease expired; A's claim of the other tenant's task is not counted
        assertThat(agents(null)).isEqualTo(new AgentStatsPage(List.of(
                new AgentStats(scenario.agentA(), 7, 3, 2, 0, new CycleTime(3000.0)),
                new AgentStats(scenario.agentB(), 3, 2, 0, 1, new CycleTime(44400.0))), null));
        assertThat(agents(scenario.project())).isEqualTo(new AgentStatsPage(List.of(
                new AgentStats(scenario.agentA(), 6, 2, 2, 0, new CycleTime(48300.0)),
                new AgentStats(scenario.agentB(), 3, 2, 0, 1, new CycleTime(44400.0))), null));
        assertThat(agents(scenario.otherProject())).isEqualTo(new AgentStatsPage(List.of(
                new AgentStats(scenario.agentA(), 1, 1, 0, 0, new CycleTime(100.0))), null));

        AgentStatsPage first = queries.ask(new FindAgentStatsQuery(tenant, null, null, 1), AgentStatsPage.class);
        assertThat(first.items()).extracting(AgentStats::agentId).containsExactly(scenario.agentA());
        AgentStatsPage second = queries.ask(new FindAgentStatsQuery(tenant, null,
                AgentCursor.decode(first.nextCursor()), 1), AgentStatsPage.class);
        assertThat(second.items()).extracting(AgentStats::agentId).containsExactly(scenario.agentB());
        assertThat(second.nextCursor()).isNull();
    }

    @Test
    void aTaskRowKeepsTheInstantsThatMatter() {
        Scenario scenario = scenario();

        // blocked, unblocked, B's lease expired, A failed it for good
        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM analytics_tasks WHERE project_id = ?"
                + " AND created_at = '2025-03-01T09:00:00Z'", scenario.project());
        assertThat(row).containsEntry("tenant_id", tenant).containsEntry("status", "FAILED")
                .containsEntry("claims", 2).containsEntry("attempts", 2).containsEntry("failed_attempts", 1)
                .containsEntry("lease_expiries", 1).containsEntry("releases", 0)
                .containsEntry("agent_id", scenario.agentA()).containsEntry("version", 5L);
        assertThat(instants(row, "first_ready_at", "ready_since", "first_claimed_at", "last_claimed_at",
                "completed_at", "failed_at", "cancelled_at", "terminal_at")).containsExactly(
                "2025-03-02T09:00:00Z", null, "2025-03-02T10:00:00Z", "2025-03-02T11:00:00Z", null,
                "2025-03-02T11:30:00Z", null, "2025-03-02T11:30:00Z");

        List<Map<String, Object>> claims = jdbc.queryForList("SELECT c.* FROM analytics_claims c"
                + " JOIN analytics_tasks t ON t.task_id = c.task_id WHERE t.project_id = ?"
                + " AND t.created_at = '2025-03-01T09:00:00Z' ORDER BY c.claim_seq", scenario.project());
        assertThat(claims).extracting(c -> c.get("agent_id"), c -> c.get("attempt"), c -> c.get("outcome"),
                c -> c.get("duration_seconds")).containsExactly(
                org.assertj.core.groups.Tuple.tuple(scenario.agentB(), 1, "LEASE_EXPIRED", 900.0),
                org.assertj.core.groups.Tuple.tuple(scenario.agentA(), 2, "FAILED", 1800.0));
        // the task still being worked on holds an open claim
        assertThat(jdbc.queryForObject("SELECT count(*) FROM analytics_claims WHERE project_id = ?"
                + " AND outcome IS NULL AND ended_at IS NULL", Long.class, scenario.project())).isOne();
    }

    /** Each event handled twice, as after a crash before its batch's token was stored: as if once. */
    @Test
    void redeliveredEventsChangeNothing() {
        String project = UUID.randomUUID().toString();
        String task = UUID.randomUUID().toString();
        Instant at = Instant.parse("2025-04-01T00:00:00Z");
        for (int i = 0; i < 2; i++) {
            projection.on(new TaskCreatedEvent(task, tenant, project, "Twice", null, TaskPriority.LOW, List.of(),
                    List.of(), List.of(), List.of(), null, 3, 900, TaskStatus.READY), at, 0);
            projection.on(new TaskClaimedEvent(task, tenant, project, "agent", "l1", at.plusSeconds(900), 900, 1),
                    at.plusSeconds(10), 1);
            projection.on(new TaskAttemptFailedEvent(task, tenant, project, "agent", "l1", 1, "no", true),
                    at.plusSeconds(20), 2);
            projection.on(new TaskClaimedEvent(task, tenant, project, "agent", "l2", at.plusSeconds(930), 900, 2),
                    at.plusSeconds(30), 3);
            projection.on(new TaskCompletedEvent(task, tenant, project, "agent", "l2", "ok", List.of()),
                    at.plusSeconds(100), 4);
        }
        // an older event arriving late changes nothing either
        projection.on(new TaskLeaseExpiredEvent(task, tenant, project, "agent", "l1", 1, true), at.plusSeconds(200), 2);

        assertThat(jdbc.queryForMap("SELECT status, claims, attempts, failed_attempts, lease_expiries,"
                + " lead_time_seconds, cycle_time_seconds, version FROM analytics_tasks WHERE task_id = ?", task))
                .isEqualTo(Map.of("status", "COMPLETED", "claims", 2, "attempts", 2, "failed_attempts", 1,
                        "lease_expiries", 0, "lead_time_seconds", 100.0, "cycle_time_seconds", 90.0, "version", 4L));
        assertThat(jdbc.queryForList("SELECT outcome, duration_seconds FROM analytics_claims WHERE task_id = ?"
                + " ORDER BY claim_seq", task)).containsExactly(
                Map.of("outcome", "FAILED", "duration_seconds", 10.0),
                Map.of("outcome", "COMPLETED", "duration_seconds", 70.0));
    }

    @Test
    void aReplayGivesTheSameAnswers() {
        Scenario scenario = scenario();
        ProjectSummary summary = summary(scenario.project(), "2025-02-28", "2025-03-04");
        AgentStatsPage agents = agents(null);
        List<Map<String, Object>> tasks = rows("analytics_tasks", "task_id");
        List<Map<String, Object>> claims = rows("analytics_claims", "task_id, claim_seq");

        StreamingEventProcessor processor = processing
                .eventProcessor(AnalyticsProjection.NAME, StreamingEventProcessor.class).orElseThrow();
        processor.shutDown();
        processor.resetTokens();
        processor.start();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(processor.isReplaying()).isFalse();
            assertThat(rows("analytics_tasks", "task_id")).isEqualTo(tasks);
            assertThat(rows("analytics_claims", "task_id, claim_seq")).isEqualTo(claims);
        });
        assertThat(summary(scenario.project(), "2025-02-28", "2025-03-04")).isEqualTo(summary);
        assertThat(agents(null)).isEqualTo(agents);
    }

    private ProjectSummary summary(String project, String from, String to) {
        return queries.ask(new FindProjectSummaryQuery(tenant, project, LocalDate.parse(from), LocalDate.parse(to),
                AS_OF), ProjectSummary.class);
    }

    private AgentStatsPage agents(String project) {
        return queries.ask(new FindAgentStatsQuery(tenant, project, null, 50), AgentStatsPage.class);
    }

    private List<Map<String, Object>> rows(String table, String order) {
        return jdbc.queryForList("SELECT * FROM " + table + " WHERE tenant_id = ? ORDER BY " + order, tenant);
    }

    /** BLOCKED, READY, IN_PROGRESS, COMPLETED, FAILED, CANCELLED */
    static Map<String, Long> counts(long... byStatus) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (TaskStatus status : TaskStatus.values()) {
            counts.put(status.name(), byStatus[status.ordinal()]);
        }
        return counts;
    }

    static List<DayCount> days(String first, long... counts) {
        LocalDate day = LocalDate.parse(first);
        List<DayCount> days = new java.util.ArrayList<>();
        for (long count : counts) {
            days.add(new DayCount(day, count));
            day = day.plusDays(1);
        }
        return days;
    }

    private static List<String> instants(Map<String, Object> row, String... columns) {
        List<String> values = new java.util.ArrayList<>();
        for (String column : columns) {
            Object value = row.get(column);
            values.add(value == null ? null : ((Timestamp) value).toInstant().toString());
        }
        return values;
    }
}
