package io.agentledger.api.task;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/**
 * Creates a task. {@code unmetDependencies} are the dependencies that were not COMPLETED when the command side
 * checked them; with none the task starts READY, otherwise BLOCKED.
 */
public record CreateTaskCommand(@TargetAggregateIdentifier String taskId,
                                String tenantId,
                                String projectId,
                                String title,
                                String description,
                                TaskPriority priority,
                                List<String> labels,
                                List<String> requiredCapabilities,
                                List<String> dependsOn,
                                List<String> unmetDependencies,
                                String externalRef,
                                int maxAttempts,
                                int leaseSeconds) {
}
