package io.agentledger.api.knowledge;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RetireKnowledgeCommand(@TargetAggregateIdentifier String entryId, String tenantId) {
}
