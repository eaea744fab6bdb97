package io.agentledger.command.config;

import io.agentledger.command.CommandSideTest;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.Status;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** The command side deployed alone reports its own event processors in its readiness. */
class CommandProcessorsHealthTest extends CommandSideTest {

    @Autowired
    HealthEndpointGroups groups;
    @Autowired
    CommandProcessorsHealthIndicator indicator;

    @Test
    void readinessIncludesTheCommandSidesProcessors() {
        assertThat(groups.get("readiness").isMember("eventProcessors")).isTrue();
        assertThat(send(anonymous("/actuator/health/readiness")).status()).isEqualTo(200);

        var health = indicator.health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("task-dependencies", "RUNNING")
                .containsEntry("task-learnings", "RUNNING");
    }

    @Test
    void aProcessorInErrorMakesTheNodeNotReady() {
        StreamingEventProcessor failing = mock(StreamingEventProcessor.class);
        when(failing.getName()).thenReturn("task-dependencies");
        when(failing.isError()).thenReturn(true);
        StreamingEventProcessor stopped = mock(StreamingEventProcessor.class);
        when(stopped.getName()).thenReturn("task-learnings");
        EventProcessingConfiguration configuration = mock(EventProcessingConfiguration.class);
        when(configuration.eventProcessors()).thenReturn(Map.of("task-dependencies", failing,
                "task-learnings", stopped));

        var health = new CommandProcessorsHealthIndicator(configuration).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("task-dependencies", "ERROR")
                .containsEntry("task-learnings", "STOPPED");
    }
}
