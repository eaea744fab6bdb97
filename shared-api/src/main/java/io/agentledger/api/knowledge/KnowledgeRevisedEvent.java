package io.agentledger.api.knowledge;

import org.axonframework.serialization.Revision;

import java.util.List;

/** A new revision (2, 3, ...) of an entry, complete in itself. */
@Revision("1")
public record KnowledgeRevisedEvent(String entryId,
                                    String tenantId,
                                    int revision,
                                    String title,
                                    String body,
                                    List<String> tags) {
}
