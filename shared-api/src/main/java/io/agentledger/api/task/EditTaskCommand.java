package io.agentledger.api.task;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/** Changes what is sent (null fields stay as they are) while the task is not terminal. */
public record EditTaskCommand(@TargetAggregateIdentifier String taskId,
                              String tenantId,
                              String title,
                              String description,
                              TaskPriority priority,
                              List<String> labels) {
}
