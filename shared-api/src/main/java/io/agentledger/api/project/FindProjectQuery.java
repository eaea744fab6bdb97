package io.agentledger.api.project;

import io.agentledger.api.common.TenantScoped;

/** One project of the tenant; answered with a {@link ProjectView} or null when the tenant has no such project. */
public record FindProjectQuery(String tenantId, String projectId) implements TenantScoped {
}
