package io.agentledger.api.task;

import org.axonframework.serialization.Revision;

/** The claimant failed the attempt: READY again when {@code retrying}, FAILED otherwise. */
@Revision("1")
public record TaskAttemptFailedEvent(String taskId,
                                     String tenantId,
                                     String projectId,
                                     String agentId,
                                     String leaseId,
                                     int attempt,
                                     String reason,
                                     boolean retrying) {
}
