package io.agentledger.api.project;

import java.util.List;

/**
 * One task line of an imported plan, in document order: the task, its id in the plan, the sub-heading it sits
 * under (null for none), whether it is marked parallel, its story ({@code US1}, null for none) and the ids it
 * names in an explicit "depends on" list.
 */
public record PlanItem(String taskId, String externalRef, String section, boolean parallel, String story,
                       List<String> dependsOn) {
}
