package io.agentledger.api.tenant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Creates a tenant together with its first admin principal and that admin's API key (as a keyed hash). */
public record CreateTenantCommand(@TargetAggregateIdentifier String tenantId,
                                  String name,
                                  String adminPrincipalId,
                                  String adminApiKeyId,
                                  String adminApiKeyHash) {
}
