package io.agentledger.api.principal;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RevokePrincipalCommand(@TargetAggregateIdentifier String principalId, String tenantId) {
}
