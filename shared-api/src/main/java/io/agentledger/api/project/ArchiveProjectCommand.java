package io.agentledger.api.project;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record ArchiveProjectCommand(@TargetAggregateIdentifier String projectId, String tenantId) {
}
