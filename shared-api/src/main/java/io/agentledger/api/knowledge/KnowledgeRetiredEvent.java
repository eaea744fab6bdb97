package io.agentledger.api.knowledge;

import org.axonframework.serialization.Revision;

/** The entry no longer shows in searches; its revisions stay readable. */
@Revision("1")
public record KnowledgeRetiredEvent(String entryId, String tenantId) {
}
