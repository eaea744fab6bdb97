package io.agentledger.api.task;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record FailTaskCommand(@TargetAggregateIdentifier String taskId,
                              String tenantId,
                              String agentId,
                              String leaseId,
                              String reason,
                              boolean retryable) {
}
