package io.agentledger.api.task;

import io.agentledger.api.common.TenantScoped;

/** One task of the tenant; answered with a {@link TaskView} or null. */
public record FindTaskQuery(String tenantId, String taskId) implements TenantScoped {
}
