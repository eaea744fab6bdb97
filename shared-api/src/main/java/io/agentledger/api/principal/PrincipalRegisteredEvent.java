package io.agentledger.api.principal;

import org.axonframework.serialization.Revision;

import java.util.List;

@Revision("1")
public record PrincipalRegisteredEvent(String principalId,
                                       String tenantId,
                                       String name,
                                       Role role,
                                       List<String> capabilities) {
}
