package io.agentledger.api.project;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/** Keeps the layout of the plan last imported into the project (phases, order, markers), to write it back. */
public record RecordProjectPlanCommand(@TargetAggregateIdentifier String projectId, String tenantId,
                                       List<PlanPhase> phases) {
}
