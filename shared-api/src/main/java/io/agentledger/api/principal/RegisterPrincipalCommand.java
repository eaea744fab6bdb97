package io.agentledger.api.principal;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/**
 * Registers a principal with its first API key. Only the key's keyed hash travels here; the key itself is shown
 * once to whoever asked and never stored.
 */
public record RegisterPrincipalCommand(@TargetAggregateIdentifier String principalId,
                                       String tenantId,
                                       String name,
                                       Role role,
                                       List<String> capabilities,
                                       String apiKeyId,
                                       String apiKeyHash) {
}
