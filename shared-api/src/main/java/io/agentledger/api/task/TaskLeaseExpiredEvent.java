package io.agentledger.api.task;

import org.axonframework.serialization.Revision;

/** Nobody heartbeat in time: the attempt counts, READY again when {@code retrying}, FAILED otherwise. */
@Revision("1")
public record TaskLeaseExpiredEvent(String taskId,
                                    String tenantId,
                                    String projectId,
                                    String agentId,
                                    String leaseId,
                                    int attempt,
                                    boolean retrying) {
}
