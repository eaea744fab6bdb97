package io.agentledger.command.config;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.TreeMap;

/**
 * The command side's event processors (dependency resolution, learnings): one in error means tasks would stay
 * blocked or learnings unrecorded, so the node is not ready. The standalone process uses the query side's indicator,
 * which covers every processor of the process, under the same name.
 */
@Component("eventProcessors")
public class CommandProcessorsHealthIndicator implements HealthIndicator {

    private final EventProcessingConfiguration processing;

    public CommandProcessorsHealthIndicator(EventProcessingConfiguration processing) {
        this.processing = processing;
    }

    @Override
    public Health health() {
        Map<String, Object> states = new TreeMap<>();
        boolean inError = false;
        for (EventProcessor processor : processing.eventProcessors().values()) {
            if (processor instanceof StreamingEventProcessor streaming) {
                inError |= streaming.isError();
                states.put(processor.getName(), streaming.isError() ? "ERROR"
                        : streaming.isRunning() ? "RUNNING" : "STOPPED");
            }
        }
        return (inError ? Health.down() : Health.up()).withDetails(states).build();
    }
}
