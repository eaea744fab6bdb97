package io.agentledger.api.task;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A dependency of the task completed. Idempotent: a dependency already satisfied changes nothing. */
public record SatisfyDependencyCommand(@TargetAggregateIdentifier String taskId, String dependencyId) {
}
