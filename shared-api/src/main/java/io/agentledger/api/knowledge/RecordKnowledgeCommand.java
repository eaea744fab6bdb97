package io.agentledger.api.knowledge;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

public record RecordKnowledgeCommand(@TargetAggregateIdentifier String entryId,
                                     String tenantId,
                                     String projectId,
                                     String sourceTaskId,
                                     String title,
                                     String body,
                                     List<String> tags) {
}
