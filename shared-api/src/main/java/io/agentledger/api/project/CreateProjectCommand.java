package io.agentledger.api.project;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record CreateProjectCommand(@TargetAggregateIdentifier String projectId,
                                   String tenantId,
                                   String name,
                                   String description) {
}
