package io.agentledger.api.task;

import org.axonframework.serialization.Revision;

/** Cancelled by an admin; terminal. */
@Revision("1")
public record TaskCancelledEvent(String taskId, String tenantId, String projectId, String reason) {
}
