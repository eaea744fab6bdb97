package io.agentledger.api.task;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * An imported plan says the task is already done: COMPLETED without a claim. The resulting
 * {@link TaskCompletedEvent} has no {@code agentId} and no {@code leaseId}.
 */
public record MarkTaskCompletedCommand(@TargetAggregateIdentifier String taskId, String tenantId) {
}
