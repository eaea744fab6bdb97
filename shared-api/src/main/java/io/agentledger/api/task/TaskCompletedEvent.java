package io.agentledger.api.task;

import org.axonframework.serialization.Revision;

import java.util.List;

/** IN_PROGRESS to COMPLETED. */
@Revision("1")
public record TaskCompletedEvent(String taskId,
                                 String tenantId,
                                 String projectId,
                                 String agentId,
                                 String leaseId,
                                 String result,
                                 List<Learning> learnings) {
}
