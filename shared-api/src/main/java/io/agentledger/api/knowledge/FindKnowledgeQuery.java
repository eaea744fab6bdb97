package io.agentledger.api.knowledge;

import io.agentledger.api.common.TenantScoped;

/** An entry of the tenant as it is now, or as it was at {@code revision} (null for the latest). */
public record FindKnowledgeQuery(String tenantId, String entryId, Integer revision) implements TenantScoped {
}
