package io.agentledger.query.analytics;

import io.agentledger.api.common.TenantScoped;

/**
 * Per agent of the tenant, in agent id order after {@code afterAgentId} (from the first when null), at most
 * {@code limit}: its claims and how they ended, in project {@code projectId} only when it is not null. Answered with an
 * {@link AgentStatsPage}.
 */
public record FindAgentStatsQuery(String tenantId, String projectId, String afterAgentId, int limit)
        implements TenantScoped {
}
