package io.agentledger.api.task;

import org.axonframework.serialization.Revision;

/** One dependency completed; the task stays BLOCKED while others are unmet. */
@Revision("1")
public record TaskDependencySatisfiedEvent(String taskId, String tenantId, String projectId, String dependencyId) {
}
