package io.agentledger.api.project;

import org.axonframework.serialization.Revision;

/** The project's name and description after the change (both always present). */
@Revision("1")
public record ProjectDetailsChangedEvent(String projectId, String tenantId, String name, String description) {
}
