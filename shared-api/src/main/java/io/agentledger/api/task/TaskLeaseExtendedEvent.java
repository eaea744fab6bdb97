package io.agentledger.api.task;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A heartbeat of the claimant. */
@Revision("1")
public record TaskLeaseExtendedEvent(String taskId,
                                     String tenantId,
                                     String projectId,
                                     String leaseId,
                                     Instant leaseExpiresAt) {
}
