package io.agentledger.api.knowledge;

import org.axonframework.serialization.Revision;

import java.util.List;

/** Revision 1 of an entry; tags normalized (trimmed, lower-case, unique). */
@Revision("1")
public record KnowledgeRecordedEvent(String entryId,
                                     String tenantId,
                                     String projectId,
                                     String sourceTaskId,
                                     String title,
                                     String body,
                                     List<String> tags) {
}
