package io.agentledger.query.task;

import io.agentledger.api.common.TenantScoped;

/** The plan last imported into the tenant's project, answered with a {@link TaskPlan} (no phases when none was). */
record FindTaskPlanQuery(String tenantId, String projectId) implements TenantScoped {
}
