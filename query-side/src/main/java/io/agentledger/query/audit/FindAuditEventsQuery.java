package io.agentledger.query.audit;

import io.agentledger.api.common.TenantScoped;

import java.util.List;

/**
 * At most {@code limit} of the tenant's events after position {@code afterPosition}, of one of {@code types} (simple
 * event names; all when empty) and of aggregate type {@code aggregateType} (all when null).
 */
public record FindAuditEventsQuery(String tenantId, long afterPosition, List<String> types, String aggregateType,
                                   int limit) implements TenantScoped {

    public FindAuditEventsQuery {
        types = types == null ? List.of() : List.copyOf(types);
    }
}
