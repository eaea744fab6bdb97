package io.agentledger.api.task;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/** An agent claims a READY task; {@code leaseId} is the new lease's id, {@code leaseSeconds} null for the task's. */
public record ClaimTaskCommand(@TargetAggregateIdentifier String taskId,
                               String tenantId,
                               String agentId,
                               List<String> agentCapabilities,
                               String leaseId,
                               Integer leaseSeconds) {
}
