package io.agentledger.api.tenant;

import org.axonframework.serialization.Revision;

@Revision("1")
public record TenantCreatedEvent(String tenantId, String name) {
}
