package io.agentledger.query.audit;

import java.util.List;

/**
 * A page of a tenant's audit stream in position order. {@code nextPosition} is the position of the last item, or
 * the requested {@code afterPosition} when there was none: ask again after it to resume.
 */
public record AuditEventPage(List<AuditEventView> items, long nextPosition) {
}
