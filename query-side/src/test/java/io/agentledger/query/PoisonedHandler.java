package io.agentledger.query;

import io.agentledger.api.project.ProjectCreatedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A test-only event handler that cannot digest one event, to prove its processor keeps going (Axon #4456). */
@ProcessingGroup(PoisonedHandler.GROUP)
public class PoisonedHandler {

    public static final String GROUP = "poisoned-test";
    public static final String POISON = "poison";
    public static final Set<String> HANDLED = ConcurrentHashMap.newKeySet();

    @EventHandler
    void on(ProjectCreatedEvent event) {
        if (POISON.equals(event.name())) {
            throw new IllegalStateException("cannot digest " + event.projectId());
        }
        HANDLED.add(event.projectId());
    }
}
