package io.agentledger.query.audit;

import java.util.List;

/** A page of an aggregate's events in version order; {@code nextCursor} is null on the last page. */
public record AggregateHistoryPage(List<AuditEventView> items, String nextCursor) {
}
