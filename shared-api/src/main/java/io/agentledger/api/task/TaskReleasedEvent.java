package io.agentledger.api.task;

import org.axonframework.serialization.Revision;

/** Given back before finishing: READY again, the attempt does not count. */
@Revision("1")
public record TaskReleasedEvent(String taskId,
                                String tenantId,
                                String projectId,
                                String agentId,
                                String leaseId,
                                String releasedBy) {
}
