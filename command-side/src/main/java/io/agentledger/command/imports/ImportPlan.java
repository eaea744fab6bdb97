package io.agentledger.command.imports;

import io.agentledger.api.project.PlanPhase;

import java.util.List;

/**
 * What a document says: its tasks in document order and, for a spec-kit plan, its layout (phases and markers, the
 * task ids not yet known), which an export writes back. A plan without a layout (Task Master) has an empty one.
 * {@code warnings} name what the parser repaired on the way (Task Master's repeated subtask ids).
 */
record ImportPlan(List<PlannedTask> tasks, List<PlanPhase> layout, List<ImportWarning> warnings) {
}
