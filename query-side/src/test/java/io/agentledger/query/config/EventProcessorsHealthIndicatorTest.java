package io.agentledger.query.config;

import io.agentledger.query.QuerySideTest;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class EventProcessorsHealthIndicatorTest extends QuerySideTest {

    @Autowired
    HealthEndpoint healthEndpoint;

    @Test
    void readinessIncludesTheProcessorsAndReportsThemRunning() {
        Response readiness = get("/actuator/health/readiness", null);
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.body().get("status").asText()).isEqualTo("UP");

        CompositeHealth group = (CompositeHealth) healthEndpoint.healthForPath("readiness");
        Health processors = (Health) group.getComponents().get("eventProcessors");
        assertThat(processors.getStatus()).isEqualTo(Status.UP);
        assertThat(processors.getDetails()).containsEntry("tasks", "RUNNING").containsEntry("projects", "RUNNING");
    }

    @Test
    void aProcessorInErrorMakesTheServiceNotReady() {
        StreamingEventProcessor failing = processor("tasks", true, true, false);
        StreamingEventProcessor replaying = processor("knowledge", false, true, true);
        StreamingEventProcessor stopped = processor("projects", false, false, false);
        EventProcessingConfiguration processing = mock(EventProcessingConfiguration.class);
        when(processing.eventProcessors()).thenReturn(Map.of("tasks", (EventProcessor) failing,
                "knowledge", replaying, "projects", stopped));

        Health health = new EventProcessorsHealthIndicator(processing).health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("tasks", "ERROR").containsEntry("knowledge", "REPLAYING")
                .containsEntry("projects", "STOPPED");

        when(failing.isError()).thenReturn(false);
        assertThat(new EventProcessorsHealthIndicator(processing).health().getStatus()).isEqualTo(Status.UP);
    }

    private static StreamingEventProcessor processor(String name, boolean error, boolean running, boolean replaying) {
        StreamingEventProcessor processor = mock(StreamingEventProcessor.class);
        when(processor.getName()).thenReturn(name);
        when(processor.isError()).thenReturn(error);
        when(processor.isRunning()).thenReturn(running);
        when(processor.isReplaying()).thenReturn(replaying);
        return processor;
    }
}
