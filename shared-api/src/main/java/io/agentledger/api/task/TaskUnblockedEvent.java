package io.agentledger.api.task;

import org.axonframework.serialization.Revision;

/** The last unmet dependency completed: the task is READY. */
@Revision("1")
public record TaskUnblockedEvent(String taskId, String tenantId, String projectId) {
}
