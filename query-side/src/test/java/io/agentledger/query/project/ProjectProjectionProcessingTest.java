package io.agentledger.query.project;

import io.agentledger.api.project.ProjectCreatedEvent;
import io.agentledger.api.project.ProjectDetailsChangedEvent;
import io.agentledger.query.PoisonedHandler;
import io.agentledger.query.QuerySideTest;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ProjectProjectionProcessingTest extends QuerySideTest {

    @Autowired
    EventProcessingConfiguration processing;

    @Test
    void projectionsRunAsPooledStreamingProcessors() {
        assertThat(processing.eventProcessor(ProjectProjection.NAME, PooledStreamingEventProcessor.class))
                .isPresent();
    }

    @Test
    void aReplayRebuildsTheSameReadModel() {
        String id = UUID.randomUUID().toString();
        append("Project", id, 0, new ProjectCreatedEvent(id, "default", "Replayed", "before"));
        append("Project", id, 1, new ProjectDetailsChangedEvent(id, "default", "Replayed", "after"));
        assertThat(get("/v1/projects/" + id + "?minVersion=1").status()).isEqualTo(200);
        List<Map<String, Object>> before = jdbc.queryForList("SELECT * FROM projects ORDER BY id");

        StreamingEventProcessor processor = processing
                .eventProcessor(ProjectProjection.NAME, StreamingEventProcessor.class).orElseThrow();
        processor.shutDown();
        processor.resetTokens();
        processor.start();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(processor.isReplaying()).isFalse();
            assertThat(jdbc.queryForList("SELECT * FROM projects ORDER BY id")).isEqualTo(before);
        });
    }

    /** Axon 4.13.0 issue #4456: a throwing handler must not stop its processor. */
    @Test
    void aHandlerThatThrowsDoesNotStopItsProcessor() {
        String poison = UUID.randomUUID().toString();
        String healthy = UUID.randomUUID().toString();
        append("Project", poison, 0, new ProjectCreatedEvent(poison, "default", PoisonedHandler.POISON, null));
        append("Project", healthy, 0, new ProjectCreatedEvent(healthy, "default", "Healthy", null));

        await().atMost(Duration.ofSeconds(10)).until(() -> PoisonedHandler.HANDLED.contains(healthy));
        StreamingEventProcessor processor = processing
                .eventProcessor(PoisonedHandler.GROUP, StreamingEventProcessor.class).orElseThrow();
        assertThat(processor.isRunning()).isTrue();
        assertThat(processor.isError()).isFalse();
        assertThat(PoisonedHandler.HANDLED).doesNotContain(poison);

        String after = UUID.randomUUID().toString();
        append("Project", after, 0, new ProjectCreatedEvent(after, "default", "After", null));
        await().atMost(Duration.ofSeconds(10)).until(() -> PoisonedHandler.HANDLED.contains(after));
        assertThat(processor.isRunning()).isTrue();
    }
}
