package io.agentledger.query;

import io.agentledger.api.project.ProjectCreatedEvent;
import io.agentledger.api.project.ProjectDetailsChangedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A test-only event handler that cannot digest one event, to prove its processor keeps going (Axon #4456)
 * and parks the event in the dead-letter queue until the handler is fixed. */
@ProcessingGroup(PoisonedHandler.GROUP)
public class PoisonedHandler {

    public static final String GROUP = "poisoned-test";
    public static final String POISON = "poison";
    public static final Set<String> HANDLED = ConcurrentHashMap.newKeySet();
    /** Tenants whose poison the handler has learned to digest (the "fix" before a dead-letter retry). */
    public static final Set<String> CURED_TENANTS = ConcurrentHashMap.newKeySet();

    @EventHandler
    void on(ProjectCreatedEvent event) {
        if (POISON.equals(event.name()) && !CURED_TENANTS.contains(event.tenantId())) {
            throw new IllegalStateException("cannot digest " + event.projectId());
        }
        HANDLED.add(event.projectId());
    }

    @EventHandler
    void on(ProjectDetailsChangedEvent event) {
        HANDLED.add(event.projectId() + ":" + event.name());
    }
}
