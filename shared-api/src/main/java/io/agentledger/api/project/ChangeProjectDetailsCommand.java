package io.agentledger.api.project;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Renames and/or re-describes a project; a null field is left as it is. */
public record ChangeProjectDetailsCommand(@TargetAggregateIdentifier String projectId,
                                          String tenantId,
                                          String name,
                                          String description) {
}
