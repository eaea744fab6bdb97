package io.agentledger.command.imports;

import io.agentledger.api.task.TaskPriority;
import io.agentledger.api.task.TaskStatus;

import java.util.List;

/**
 * A task as an imported plan states it. {@code source} locates it in the document for error messages ("line 12",
 * "tasks[3]"); {@code dependsOn} holds plan ids; {@code finalStatus} is COMPLETED or CANCELLED for a task the plan
 * says is finished, null for an open one.
 */
record PlannedTask(String source,
                   String externalRef,
                   String title,
                   String description,
                   TaskPriority priority,
                   List<String> labels,
                   List<String> dependsOn,
                   TaskStatus finalStatus) {
}
