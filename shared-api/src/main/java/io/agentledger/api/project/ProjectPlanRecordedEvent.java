package io.agentledger.api.project;

import org.axonframework.serialization.Revision;

import java.util.List;

/** The layout of the plan imported into the project; it replaces the one recorded before. */
@Revision("1")
public record ProjectPlanRecordedEvent(String projectId, String tenantId, List<PlanPhase> phases) {
}
