package io.agentledger.api.task;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record HeartbeatTaskCommand(@TargetAggregateIdentifier String taskId,
                                   String tenantId,
                                   String agentId,
                                   String leaseId) {
}
