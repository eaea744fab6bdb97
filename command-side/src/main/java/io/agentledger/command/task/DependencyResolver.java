package io.agentledger.command.task;

import io.agentledger.api.task.SatisfyDependencyCommand;
import io.agentledger.api.task.TaskCompletedEvent;
import io.agentledger.api.task.TaskCreatedEvent;
import io.agentledger.api.task.TaskStatus;
import io.agentledger.command.registry.Registry;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Unblocks tasks when their dependencies complete. It tracks the event store (so it resumes after a restart) and
 * its commands are idempotent (so redelivery is harmless). A task created while one of its dependencies was
 * completing is covered from both sides: the completion finds it among the dependents once committed, or its own
 * creation finds the dependency completed.
 */
@Component
@ProcessingGroup("task-dependencies")
@DisallowReplay
class DependencyResolver {

    private final Registry registry;
    private final CommandGateway commands;

    DependencyResolver(Registry registry, CommandGateway commands) {
        this.registry = registry;
        this.commands = commands;
    }

    @EventHandler
    void on(TaskCompletedEvent event) {
        for (String dependent : registry.dependents(event.taskId())) {
            commands.sendAndWait(new SatisfyDependencyCommand(dependent, event.taskId()));
        }
    }

    @EventHandler
    void on(TaskCreatedEvent event) {
        for (String dependency : event.unmetDependencies()) {
            if (registry.status(dependency).filter(TaskStatus.COMPLETED::equals).isPresent()) {
                commands.sendAndWait(new SatisfyDependencyCommand(event.taskId(), dependency));
            }
        }
    }
}
