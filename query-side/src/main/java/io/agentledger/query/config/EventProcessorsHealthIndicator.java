package io.agentledger.query.config;

import io.agentledger.query.projection.ProjectionOperations;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.TreeMap;

/**
 * The state of every streaming event processor of this process. A processor in error makes the service not ready:
 * its read model has stopped following the event store. Part of the readiness group.
 */
@Component("eventProcessors")
public class EventProcessorsHealthIndicator implements HealthIndicator {

    private final EventProcessingConfiguration processing;

    public EventProcessorsHealthIndicator(EventProcessingConfiguration processing) {
        this.processing = processing;
    }

    @Override
    public Health health() {
        Map<String, Object> states = new TreeMap<>();
        boolean inError = false;
        for (EventProcessor processor : processing.eventProcessors().values()) {
            if (processor instanceof StreamingEventProcessor streaming) {
                String state = ProjectionOperations.state(streaming);
                states.put(processor.getName(), state);
                inError |= state.equals("ERROR");
            }
        }
        return (inError ? Health.down() : Health.up()).withDetails(states).build();
    }

}
