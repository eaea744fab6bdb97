package io.agentledger.api.task;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record CancelTaskCommand(@TargetAggregateIdentifier String taskId, String tenantId, String reason) {
}
