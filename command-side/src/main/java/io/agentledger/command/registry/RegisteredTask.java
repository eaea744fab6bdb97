package io.agentledger.command.registry;

import io.agentledger.api.task.TaskPriority;
import io.agentledger.api.task.TaskStatus;

import java.util.List;

/** A task as the registry knows it: what an import compares a plan's task with. */
public record RegisteredTask(String taskId, String externalRef, String title, String description,
                             TaskPriority priority, List<String> labels, TaskStatus status) {

    public boolean terminal() {
        return status == TaskStatus.COMPLETED || status == TaskStatus.FAILED || status == TaskStatus.CANCELLED;
    }
}
