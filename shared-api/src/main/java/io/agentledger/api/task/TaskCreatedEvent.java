package io.agentledger.api.task;

import org.axonframework.serialization.Revision;

import java.util.List;

/** Created BLOCKED (with unmet dependencies) or READY. */
@Revision("1")
public record TaskCreatedEvent(String taskId,
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
                               int leaseSeconds,
                               TaskStatus status) {
}
