package io.agentledger.api.project;

import org.axonframework.serialization.Revision;

@Revision("1")
public record ProjectCreatedEvent(String projectId, String tenantId, String name, String description) {
}
