package io.agentledger.query.task;

import io.agentledger.api.task.TaskCompletedEvent;
import io.agentledger.api.task.TaskLeaseExpiredEvent;
import io.agentledger.api.task.TaskPriority;
import io.agentledger.api.task.TaskReleasedEvent;
import io.agentledger.query.QuerySideTest;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.sql.Array;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.agentledger.query.task.TaskEvents.claimed;
import static io.agentledger.query.task.TaskEvents.created;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TaskProjectionProcessingTest extends QuerySideTest {

    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    TaskProjection projection;

    private final String project = UUID.randomUUID().toString();

    @Test
    void theProjectionRunsAsAPooledStreamingProcessor() {
        assertThat(processing.eventProcessor(TaskProjection.NAME, PooledStreamingEventProcessor.class)).isPresent();
    }

    /** Each event handled twice, as after a crash before the token was stored: rows and counts as if once. */
    @Test
    void redeliveredEventsAreNotCountedTwice() {
        String task = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        String agent = UUID.randomUUID().toString();
        Instant at = Instant.parse("2025-01-01T00:00:00Z");
        for (int i = 0; i < 2; i++) {
            projection.on(created(project, task, "Twice"), at, 0);
            projection.on(created(project, other, "Other"), at, 0);
        }
        assertThat(counts()).isEqualTo(Map.of("READY", 2L));

        for (int i = 0; i < 2; i++) {
            projection.on(claimed(project, task, agent, 1), at.plusSeconds(1), 1);
        }
        assertThat(counts()).isEqualTo(Map.of("READY", 1L, "IN_PROGRESS", 1L));

        for (int i = 0; i < 2; i++) {
            projection.on(new TaskReleasedEvent(task, "default", project, agent, "lease-1", agent),
                    at.plusSeconds(2), 2);
        }
        assertThat(attempts(task)).isZero();
        projection.on(claimed(project, task, agent, 1), at.plusSeconds(3), 3);
        for (int i = 0; i < 2; i++) {
            projection.on(new TaskCompletedEvent(task, "default", project, agent, "lease-1", "done", List.of()),
                    at.plusSeconds(4), 4);
        }
        // an older event arriving late changes nothing
        projection.on(new TaskLeaseExpiredEvent(task, "default", project, agent, "lease-1", 1, true),
                at.plusSeconds(5), 3);
        assertThat(counts()).isEqualTo(Map.of("READY", 1L, "IN_PROGRESS", 0L, "COMPLETED", 1L));
        assertThat(attempts(task)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT version FROM tasks WHERE id = ?", Long.class, task)).isEqualTo(4);
    }

    @Test
    void aReplayRebuildsTheSameTasksAndCounts() {
        String agent = UUID.randomUUID().toString();
        String done = UUID.randomUUID().toString();
        String waiting = UUID.randomUUID().toString();
        append("Task", done, 0, created("default", project, done, "Done", TaskPriority.HIGH, List.of("a", "b")));
        append("Task", done, 1, claimed(project, done, agent, 1));
        append("Task", done, 2, new TaskCompletedEvent(done, "default", project, agent, "lease-1", "ok", List.of()));
        append("Task", waiting, 0, created(project, waiting, "Waiting"));
        assertThat(get("/v1/tasks/" + done + "?minVersion=2").body().get("version").asLong()).isEqualTo(2);
        assertThat(get("/v1/tasks/" + waiting + "?minVersion=0").status()).isEqualTo(200);
        List<Map<String, Object>> before = tasks();
        assertThat(counts()).isEqualTo(Map.of("READY", 1L, "IN_PROGRESS", 0L, "COMPLETED", 1L));

        StreamingEventProcessor processor = processing
                .eventProcessor(TaskProjection.NAME, StreamingEventProcessor.class).orElseThrow();
        processor.shutDown();
        processor.resetTokens();
        processor.start();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(processor.isReplaying()).isFalse();
            assertThat(tasks()).isEqualTo(before);
            assertThat(counts()).isEqualTo(Map.of("READY", 1L, "IN_PROGRESS", 0L, "COMPLETED", 1L));
        });
    }

    private Map<String, Long> counts() {
        return jdbc.queryForList("SELECT status, task_count FROM project_task_counts WHERE project_id = ?", project)
                .stream().collect(Collectors.toMap(row -> (String) row.get("status"),
                        row -> ((Number) row.get("task_count")).longValue()));
    }

    private int attempts(String task) {
        return jdbc.queryForObject("SELECT attempts FROM tasks WHERE id = ?", Integer.class, task);
    }

    private List<Map<String, Object>> tasks() {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM tasks WHERE project_id = ? ORDER BY id",
                project);
        rows.forEach(row -> row.replaceAll((column, value) -> value instanceof Array array ? list(array) : value));
        return rows;
    }

    private static List<Object> list(Array array) {
        try {
            return Arrays.asList((Object[]) array.getArray());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
