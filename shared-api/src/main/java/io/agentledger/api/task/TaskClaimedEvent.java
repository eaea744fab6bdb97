package io.agentledger.api.task;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** READY to IN_PROGRESS under a new lease. */
@Revision("1")
public record TaskClaimedEvent(String taskId, String tenantId, String projectId, String agentId, String leaseId,
                               Instant leaseExpiresAt, int leaseSeconds, int attempt) {
}
