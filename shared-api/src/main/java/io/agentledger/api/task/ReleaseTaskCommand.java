package io.agentledger.api.task;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The claimant (with its lease) or an admin ({@code byAdmin}, lease optional) gives the task back. */
public record ReleaseTaskCommand(@TargetAggregateIdentifier String taskId,
                                 String tenantId,
                                 String principalId,
                                 String leaseId,
                                 boolean byAdmin) {
}
