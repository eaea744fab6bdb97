package io.agentledger.api.task;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Sent by the command side's lease sweep for a lease its registry shows as run out. The task decides: the lease
 * expires only while it is still the task's current lease and its expiry has passed (a heartbeat may have moved it);
 * otherwise nothing changes, so a repeated or late command is harmless.
 */
public record ExpireTaskLeaseCommand(@TargetAggregateIdentifier String taskId, String tenantId, String leaseId) {
}
