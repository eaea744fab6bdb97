package io.agentledger.api.knowledge;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/** A full revision: title, body and tags as they are from now on. */
public record ReviseKnowledgeCommand(@TargetAggregateIdentifier String entryId,
                                     String tenantId,
                                     String title,
                                     String body,
                                     List<String> tags) {
}
