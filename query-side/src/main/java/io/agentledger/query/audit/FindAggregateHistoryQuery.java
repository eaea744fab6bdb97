package io.agentledger.query.audit;

import io.agentledger.api.common.TenantScoped;

/**
 * At most {@code limit} events of an aggregate from version {@code fromVersion} on, read from the event store itself
 * (never from a snapshot); answered null when the aggregate does not exist or belongs to another tenant.
 */
public record FindAggregateHistoryQuery(String tenantId, String aggregateId, long fromVersion, int limit)
        implements TenantScoped {
}
